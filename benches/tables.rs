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

/// A unit that joins its tables by project name, not by 指标编码
/// (tests/cases/corpus/sifa/clean.yaml), with its four lists of projects
/// (项目支出.明细, 政府采购.表.明细, 绩效.项目, 项目支出表.项目) repeated
/// `times` times, each copy's names prefixed 第N批 (copy 0 is the unit
/// itself): every row finds its project by name stem, as in the unit.
pub fn named_tables_times(times: usize) -> String {
    let unit = include_str!("../tests/cases/corpus/sifa/clean.yaml");
    let lines: Vec<&str> = unit.lines().collect();
    let mut text = String::with_capacity(unit.len() * times);
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        text.push_str(line);
        text.push('\n');
        i += 1;
        if line != "  项目:" && line != "    明细:" {
            continue;
        }
        // The list's items: the lines indented deeper than its key.
        let indent = line.len() - line.trim_start().len();
        let end = (i..lines.len())
            .find(|&j| lines[j].len() - lines[j].trim_start().len() <= indent)
            .unwrap_or(lines.len());
        for copy in 0..times {
            for item_line in &lines[i..end] {
                text.push_str(&name_copy(item_line, copy));
                text.push('\n');
            }
        }
        i = end;
    }
    text
}

/// One line of a project list in copy `copy`: the project's name marked.
fn name_copy(line: &str, copy: usize) -> String {
    if copy == 0 {
        return line.to_owned();
    }
    for key in ["- 名称: ", "{名称: ", "{项目: "] {
        if let Some(at) = line.find(key) {
            let at = at + key.len();
            return format!("{}第{copy}批{}", &line[..at], &line[at..]);
        }
    }
    line.to_owned()
}
