//! What every output does with hostile text: lines far longer than a terminal
//! (a minified JSON file, a 65,536-character key, a huge rule literal), huge
//! values, and invisible or control characters. Through the binary, as the
//! user sees it; large fixtures are generated here.

mod support;
// A scratch file under the target directory (its own folder per test).
use support::scratch_in as scratch;
use support::{tally, tmp};

/// No line of the output is longer than a snippet line plus its frame.
fn assert_no_enormous_line(out: &str) {
    let longest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 500, "an output line has {longest} characters");
}

const ONE_RULE: &str = "rule r {\n  assert x == 1\n}\n";

#[test]
fn labels_past_column_65535_are_cut_around_the_label() {
    let pad = "a".repeat(70_000);
    let rules = scratch("long-lines", "r.tally", ONE_RULE);
    let minified = scratch("long-lines", "1-minified.json", &format!(r#"{{"pad":"{pad}","x":2}}"#));
    let broken = scratch("long-lines", "2-broken.json", &format!(r#"{{"pad":"{pad}","x": ]}}"#));
    let after = scratch("long-lines", "3-after.yaml", "x: 3\n");
    let out = tally(&["check", "--rules", &rules, &minified, &broken, &after]);
    assert_no_enormous_line(&out);
    insta::assert_snapshot!(out);
}

#[test]
fn a_65536_character_key_in_rule_and_data() {
    let key = "k".repeat(65_536);
    let rules = scratch(
        "long-key",
        "key.tally",
        &format!("rule 长键 {{\n  assert {key}.x == 1\n}}\n"),
    );
    // The JSON reader takes a key this long (the YAML parser refused it):
    // the finding renders with its lines cut around the labels.
    let data = scratch("long-key", "key.json", &format!("{{\"{key}\": {{\"x\": 2}}}}\n"));
    // Without the key, the finding points at the 65,551-character rule line.
    let other = scratch("long-key", "other.yaml", "x: 2\n");
    let out = tally(&["check", "--rules", &rules, &data, &other]);
    assert_no_enormous_line(&out);
    insta::assert_snapshot!(out);
}

#[test]
fn lint_load_errors_and_fmt_cut_long_rule_lines() {
    let pad = "a".repeat(70_000);
    let lint = scratch(
        "long-rules",
        "lint.tally",
        &format!("let a = \"{pad}\" let 未用 = 1\nrule r {{\n  cite \"c\"\n  assert x == a\n}}\n"),
    );
    let unknown = scratch(
        "long-rules",
        "unknown.tally",
        &format!("rule r {{ assert x == \"{pad}\" + nosuch(1) }}\n"),
    );
    let unparsable = scratch(
        "long-rules",
        "unparsable.tally",
        &format!("rule r {{ assert x == \"{pad}\" == }}\n"),
    );
    let data = scratch("long-rules", "x.yaml", "x: 1\n");
    let out = [
        tally(&["lint", &lint]),
        tally(&["check", "--rules", &unknown, &data]),
        tally(&["fmt", "--check", &unparsable]),
        tally(&["fmt", "--check", &unknown]),
    ]
    .join("\n");
    assert_no_enormous_line(&out);
    insta::assert_snapshot!(out);
}

#[test]
fn test_cases_with_long_lines() {
    let pad = "a".repeat(70_000);
    let rules = scratch("long-cases", "r.tally", ONE_RULE);
    scratch(
        "long-cases/cases",
        "broken.json",
        &format!(r#"{{"pad":"{pad}","x": ]}}"#),
    );
    scratch(
        "long-cases/cases",
        "unexpected.json",
        &format!(r#"{{"pad":"{pad}","x":2}}"#),
    );
    let cases = tmp().join("long-cases/cases");
    let out = tally(&["test", "--rules", &rules, &cases.to_string_lossy()]);
    assert_no_enormous_line(&out);
    insta::assert_snapshot!(out);
}

#[test]
fn a_huge_rejected_regex_is_not_repeated() {
    let pattern = format!("({}", "a".repeat(1_000_000));
    let rules = scratch(
        "huge-regex",
        "re.tally",
        &format!("rule r {{\n  assert matches(x, \"{pattern}\")\n}}\n"),
    );
    let data = scratch("huge-regex", "x.yaml", "x: a\n");
    let out = tally(&["check", "--rules", &rules, &data]);
    assert!(out.len() < 4_000, "{} bytes of output", out.len());
    insta::assert_snapshot!(out);
}

#[test]
fn json_and_sarif_values_are_at_most_200_characters() {
    let items: Vec<String> = (0..1000).map(|i| format!("\"第{i}项\"")).collect();
    let rules = scratch(
        "long-values",
        "count.tally",
        "rule 项数 {\n  assert count(items) == 1\n}\n",
    );
    let data = scratch(
        "long-values",
        "items.json",
        &format!("{{\"items\": [{}]}}\n", items.join(", ")),
    );
    let json = tally(&["check", "--format", "json", "--rules", &rules, &data]);
    let finding: serde_json::Value = json
        .lines()
        .find(|l| l.starts_with(r#"{"type":"finding""#))
        .and_then(|l| serde_json::from_str(l).ok())
        .expect("a finding line");
    let value = finding["data"][0]["value"].as_str().expect("a value");
    assert_eq!(value.chars().count(), 200);
    assert!(value.ends_with('…'));
    let sarif = tally(&["check", "--format", "sarif", "--rules", &rules, &data]);
    let log: serde_json::Value = serde_json::from_str(
        sarif
            .split("--- stdout\n")
            .nth(1)
            .unwrap()
            .split("--- stderr")
            .next()
            .unwrap(),
    )
    .expect("sarif parses");
    let shown = log["runs"][0]["results"][0]["locations"][0]["message"]["text"]
        .as_str()
        .expect("text");
    assert_eq!(shown, format!("items = {value}"));
    let human = tally(&["check", "--rules", &rules, &data]);
    assert_no_enormous_line(&human);
    insta::assert_snapshot!(format!("{json}\n{human}"));
}

#[test]
fn hidden_characters_are_escaped_in_every_output() {
    // A key with a zero-width space, a string holding ESC and BEL (YAML
    // escapes), values with a raw right-to-left override, and a rule title
    // with a right-to-left mark.
    let rules = scratch(
        "hidden",
        "hidden.tally",
        "rule 隐藏 {\n  title \"标题\u{200F}有标记\"\n  assert 支出.合计 == 收入.合计\n}\n\
         rule 文字 {\n  assert 说明 == \"正常\"\n    message \"说明是 {说明}\"\n}\n\
         rule 备注 {\n  assert 备注 == \"正常\"\n}\n",
    );
    let data = scratch(
        "hidden",
        "hidden.yaml",
        "支\u{200B}出:\n  合计: 5\n收入:\n  合计: 6\n说明: \"红\\e[31m字\\a反\u{202E}\"\n备注: 正常\u{202E}反\n",
    );
    let outputs = [
        tally(&["check", "--rules", &rules, &data]),
        tally(&["check", "--format", "json", "--rules", &rules, &data]),
        tally(&["explain", "文字", &data, "--rules", &rules]),
        tally(&["rules", "--rules", &rules]),
    ];
    let sarif = tally(&["check", "--format", "sarif", "--rules", &rules, &data]);
    for out in outputs.iter().chain([&sarif]) {
        let raw: Vec<char> = out
            .chars()
            .filter(|&c| matches!(c, '\u{200B}' | '\u{200F}' | '\u{1b}' | '\u{7}' | '\u{202E}'))
            .collect();
        assert!(raw.is_empty(), "raw hidden characters {raw:?} in:\n{out}");
    }
    assert!(sarif.contains(r"正常\\u{202E}反"), "{sarif}");
    insta::assert_snapshot!(outputs.join("\n"));
}
