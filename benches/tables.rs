// The generated documents the pipeline benchmark and the differential test use.

/// The example disclosure with its project list (绩效.项目) and procurement
/// rows (政府采购.表.明细) repeated `times` times. Each copy gets distinct
/// 序号, 指标编码, 项目编码, 名称 and 文号, and its procurement rows name
/// that copy's project, so the joins between the tables are realistic.
pub fn tables_times(times: usize) -> String {
    let example = include_str!("../examples/huailai-2024.yaml");
    let lines: Vec<&str> = example.lines().collect();
    let mut text = String::with_capacity(example.len() * times);
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line == "  项目:" {
            // The project list runs until the next top-level key or comment.
            let end = (i + 1..lines.len())
                .find(|&j| !lines[j].starts_with("    ") && !lines[j].is_empty())
                .unwrap_or(lines.len());
            text.push_str(line);
            text.push('\n');
            for copy in 0..times {
                for project_line in &lines[i + 1..end] {
                    text.push_str(&renumber(project_line, copy));
                    text.push('\n');
                }
            }
            i = end;
            continue;
        }
        if line.trim_start().starts_with("- {项目:") {
            for copy in 0..times {
                text.push_str(&renumber(line, copy));
                text.push('\n');
            }
        } else {
            text.push_str(line);
            text.push('\n');
        }
        i += 1;
    }
    text
}

/// One line of copy `copy`: codes, numbers, names and document numbers made
/// distinct (copy 0 is the example itself).
fn renumber(line: &str, copy: usize) -> String {
    if copy == 0 {
        return line.to_owned();
    }
    let mut out = line
        .replace("X0000", &format!("X{copy:04}"))
        .replace("P000", &format!("P{copy:03}"))
        .replace("】7号", &format!("】{}号", copy + 7));
    if let Some(rest) = out.strip_prefix("    - 序号: ") {
        let n: usize = rest.trim().parse().unwrap_or(0);
        out = format!("    - 序号: {}", copy * 100 + n);
    } else if out.starts_with("      名称: ") {
        out.push_str(&format!("第{copy}批"));
    } else if out.contains("- {项目:") {
        out = out.replacen("\", 项目预算", &format!("第{copy}批\", 项目预算"), 1);
    }
    out
}
