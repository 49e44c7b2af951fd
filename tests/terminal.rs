//! The terminal report as a reader sees it at 80 and 120 columns: Chinese
//! labels, long lines cut to the width, a batch with a heading and a subtotal
//! per file, and the view flags (`--verbose`, `--lang`, `--min-severity`,
//! `--group-by`).

use std::process::{Command, Stdio};

use unicode_width::UnicodeWidthStr;

fn tally(columns: usize, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", columns.to_string())
        .stdin(Stdio::null())
        .output()
        .expect("tally runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// Every line fits `columns` display columns (a CJK character is two).
fn assert_fits(out: &str, columns: usize) {
    for line in out.lines() {
        assert!(line.width() <= columns, "{} columns > {columns}: {line}", line.width());
    }
}

const EXAMPLE: &str = "examples/huailai-2024.yaml";

#[test]
fn the_example_at_80_columns() {
    let (status, out) = tally(80, &["check", EXAMPLE]);
    assert_eq!(status, 1);
    assert_fits(&out, 80);
    // The message leads; the rule's source is not shown without --verbose.
    assert!(!out.contains("message \""), "{out}");
    assert!(out.starts_with("错误 "), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn the_example_at_120_columns() {
    let (_, out) = tally(120, &["check", EXAMPLE]);
    assert_fits(&out, 120);
    insta::assert_snapshot!(out);
}

#[test]
fn items_are_counted_from_one() {
    let (_, out) = tally(100, &["check", EXAMPLE]);
    assert!(out.contains("绩效.职责分类目标（第3项）.评价标准"), "{out}");
    assert!(!out.contains("[2]"), "{out}");
    let (_, json) = tally(100, &["check", "--format", "json", EXAMPLE]);
    assert!(
        json.contains("绩效.职责分类目标[2].评价标准"),
        "JSON keeps the 0-based path: {json}"
    );
}

#[test]
fn a_batch_has_a_heading_and_a_subtotal_per_file() {
    let (status, out) = tally(80, &["check", EXAMPLE, "tests/fixtures/data/defects.yaml"]);
    assert_eq!(status, 1);
    assert_fits(&out, 80);
    assert_eq!(out.matches("── ").count(), 2, "{out}");
    assert_eq!(out.matches("小计 ").count(), 2, "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn verbose_shows_the_assertion_and_english_labels_on_request() {
    let (_, out) = tally(
        100,
        &["check", "--verbose", "--lang", "en", "--rule", "比上年本年数", EXAMPLE],
    );
    assert_fits(&out, 100);
    assert!(out.contains("the assertion that does not hold"), "{out}");
    assert!(out.contains("rule @cn-budget/yoy.tally:"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn min_severity_hides_findings_but_not_the_exit_status() {
    let (status, out) = tally(100, &["check", "--min-severity", "error", EXAMPLE]);
    assert_eq!(status, 1);
    assert!(!out.contains("\n提示 ") && !out.contains("\n警告 "), "{out}");
    let (status, out) = tally(
        100,
        &[
            "check",
            "--min-severity",
            "error",
            "--fail-on",
            "info",
            "--rule",
            "职责目标评价标准格式",
            EXAMPLE,
        ],
    );
    assert_eq!(status, 1, "an info finding still fails --fail-on info when hidden");
    assert!(!out.contains("职责分类目标"), "{out}");
}

#[test]
fn findings_grouped_by_severity_and_by_rule() {
    let (_, by_severity) = tally(100, &["check", "--group-by", "severity", EXAMPLE]);
    let errors = by_severity.find("【错误】").expect("an error group");
    let warnings = by_severity.find("【警告】").expect("a warning group");
    let info = by_severity.find("【提示】").expect("an info group");
    assert!(errors < warnings && warnings < info, "{by_severity}");
    let (_, by_rule) = tally(100, &["check", "--group-by", "rule", EXAMPLE]);
    assert!(by_rule.contains("规则 比上年本年数 — "), "{by_rule}");
    insta::assert_snapshot!(by_rule);
}

/// No line of the report starts with closing punctuation or ends with an
/// opening bracket (kinsoku), at a width where the example's messages wrap.
#[test]
fn wrapped_chinese_never_starts_a_line_with_closing_punctuation() {
    for columns in [80, 100] {
        let (_, out) = tally(columns, &["check", EXAMPLE]);
        for line in out.lines() {
            let text = line.trim_start();
            assert!(
                !text.starts_with(['，', '。', '、', '；', '：', '？', '！', '）', '」', '』', '】']),
                "{columns} columns: {line}"
            );
            assert!(!text.ends_with(['（', '「', '『', '【']), "{columns} columns: {line}");
        }
    }
}

/// Items are counted from 1 and named by their 名称 when they have one.
#[test]
fn items_show_their_name() {
    let (_, out) = tally(100, &["check", EXAMPLE]);
    assert!(out.contains("绩效.项目（第4项，综合事务）.文号"), "{out}");
}

/// The total follows the language of the labels.
#[test]
fn the_total_is_in_the_report_language() {
    let (_, zh) = tally(100, &["check", EXAMPLE]);
    assert!(zh.contains("共 1 个文件，100 条规则"), "{zh}");
    let (_, en) = tally(100, &["check", "--lang", "en", EXAMPLE]);
    assert!(en.contains("1 file, 100 rules, 324 assertions: 304 passed"), "{en}");
    let total = &en[en.find("1 file, ").expect("the total")..];
    insta::assert_snapshot!(total);
}

/// `--group-by severity` over a batch: each severity once, across the files,
/// each file under its heading inside the group; the subtotals after.
#[test]
fn a_batch_grouped_by_severity_across_its_files() {
    let (status, out) = tally(
        80,
        &[
            "check",
            "--group-by",
            "severity",
            EXAMPLE,
            "tests/fixtures/data/defects.yaml",
        ],
    );
    assert_eq!(status, 1);
    assert_fits(&out, 80);
    assert_eq!(out.matches("【错误】").count(), 1, "{out}");
    assert_eq!(out.matches("【警告】").count(), 1, "{out}");
    let errors = out.find("【错误】").unwrap();
    let warnings = out.find("【警告】").unwrap();
    let subtotals = out.find("小计 ").unwrap();
    assert!(errors < warnings && warnings < subtotals, "{out}");
    insta::assert_snapshot!(out);
}

/// `--group-by rule` at 120 columns: one heading per rule with its count.
#[test]
fn a_batch_grouped_by_rule_at_120_columns() {
    let (_, out) = tally(
        120,
        &[
            "check",
            "--group-by",
            "rule",
            EXAMPLE,
            "tests/fixtures/data/defects.yaml",
        ],
    );
    assert_fits(&out, 120);
    insta::assert_snapshot!(out);
}
