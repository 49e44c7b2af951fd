//! `tally fmt` over every rule file in the project: formatting is idempotent,
//! changes no meaning (same syntax tree), and loses no comment.

use std::path::{Path, PathBuf};

fn rule_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rule_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "tally") {
            found.push(path);
        }
    }
}

fn all_rule_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    rule_files(&root.join("rules"), &mut found);
    rule_files(&root.join("tests/fixtures"), &mut found);
    found.sort();
    found
}

/// The comment on a line: from a `#` at its start or after a space, outside quotes.
fn comment_of(line: &str) -> Option<&str> {
    let mut quoted = false;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '"' if previous != '\\' => quoted = !quoted,
            '#' if !quoted && previous.is_whitespace() => return Some(line[i..].trim_end()),
            _ => {}
        }
        previous = c;
    }
    None
}

#[test]
fn formatting_is_idempotent_and_keeps_meaning_and_comments() {
    let files = all_rule_files();
    assert!(files.len() >= 5, "rule files found: {files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let Ok(original) = tally::syntax::parse(0, &text) else {
            continue; // the deliberately broken fixtures
        };
        let once = tally::format::format(&text).expect("formats");
        let twice = tally::format::format(&once).expect("formats again");
        assert_eq!(once, twice, "not idempotent: {}", file.display());
        let reparsed = tally::syntax::parse(0, &once).expect("formatted text parses");
        assert_eq!(original, reparsed, "meaning changed: {}", file.display());
        for comment in text.lines().filter_map(comment_of) {
            assert!(once.contains(comment), "comment lost in {}: {comment}", file.display());
        }
    }
}

#[test]
fn messy_input_snapshot() {
    let messy = "import \"common.tally\"\nlet 容差=0.005   # 万元\nfn 近似(a,b)=abs(a-b)<=容差\n# 支出\nrule 支出构成{title \"基本支出与项目支出之和等于支出合计\"\n severity error\n\n\n\n   assert 支出.基本支出.合计+支出.项目支出.合计==支出.合计 within rounding # 打印的数字已四舍五入\n for item in 政府采购.表.明细{when item.数量>0{assert item.数量*item.单价==item.采购金额 within 0.005 message \"{item.品名}: {item.数量} × {item.单价}\" at item.采购金额}}}\n";
    insta::assert_snapshot!(tally::format::format(messy).expect("formats"));
}

#[test]
fn check_mode_reports_and_fails_without_writing() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("unformatted.tally");
    let messy = "rule 甲{assert 1==1}\n";
    std::fs::write(&path, messy).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(["fmt", "--check", &path.to_string_lossy()])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        messy,
        "--check must not write"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(["fmt", &path.to_string_lossy()])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "rule 甲 {\n  assert 1 == 1\n}\n"
    );
}
