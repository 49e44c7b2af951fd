//! The bundled library next to a user's own rules (`@cn-budget`), rule
//! sources (`tally rules --source`), `tally functions`, and the did-you-mean
//! hints for unknown rule IDs. Snapshots of what the user sees.

mod support;
use support::{scratch, tally};

/// A user's rule file that imports a helper of the bundled library.
fn mine() -> String {
    scratch(
        "mine.tally",
        "import \"@cn-budget/common.tally\"\n\nrule 我的文号 {\n  severity warning\n\n  for p in 绩效?.项目 ?? [] {\n    assert 文号年(p.文号) == \"2023\"\n  }\n}\n",
    )
}

/// The example with one defect for `@cn-budget/totals.tally`.
fn defect() -> String {
    let text = std::fs::read_to_string("tests/cases/cn-budget/clean.yaml").expect("clean case");
    let text = text.replacen("  合计: 1537.92\n  基本支出:", "  合计: 1500\n  基本支出:", 1);
    scratch("defect.yaml", &text)
}

#[test]
fn bundled_and_own_rules_together() {
    insta::assert_snapshot!(tally(&[
        "rules",
        "--rules",
        "@cn-budget/totals.tally",
        "--rules",
        &mine()
    ]));
}

#[test]
fn findings_name_bundled_files_with_an_at() {
    let (rules, data) = (mine(), defect());
    let args = ["check", "--rules", "@cn-budget/totals.tally", "--rules", &rules, &data];
    let human = tally(&args);
    assert!(human.contains("规则 @cn-budget/totals.tally:"), "{human}");
    insta::assert_snapshot!(human);
    let json = tally(&[&args[..], &["--format", "json"]].concat());
    assert!(json.contains(r#""rule_file":"@cn-budget/totals.tally""#), "{json}");
    insta::assert_snapshot!("json", json);
    let sarif = tally(&[&args[..], &["--format", "sarif"]].concat());
    assert!(sarif.contains(r#""uri": "@cn-budget/totals.tally""#), "{sarif}");
}

#[test]
fn an_unknown_bundled_file_is_a_load_error_with_a_hint() {
    insta::assert_snapshot!(tally(&["rules", "--rules", "@cn-budget/total.tally"]));
}

#[test]
fn source_of_a_rule_by_id() {
    insta::assert_snapshot!(tally(&["rules", "--source", "支出构成"]));
}

#[test]
fn source_of_the_rule_at_a_finding_place() {
    let by_id = tally(&["rules", "--source", "支出构成"]);
    let place = by_id
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .expect("a header names the place")
        .to_owned();
    assert!(place.starts_with("@cn-budget/totals.tally:"), "{place}");
    // The line of the rule's title, as a finding could name it.
    let (file, line) = place.rsplit_once(':').unwrap();
    let inside = format!("{file}:{}:3", line.parse::<usize>().unwrap() + 3);
    assert_eq!(tally(&["rules", "--source", &inside]), by_id);
}

#[test]
fn source_of_a_whole_file() {
    let out = tally(&["rules", "--source", "@cn-budget/common.tally"]);
    let bundled = std::fs::read_to_string("rules/cn-budget/common.tally").unwrap();
    assert_eq!(
        out,
        format!(
            "exit: 0\n--- stdout\n# @cn-budget/common.tally\n{}\n--- stderr\n",
            bundled.trim_end()
        )
    );
    let own = mine();
    let out = tally(&["rules", "--rules", &own, "--source", &own]);
    assert!(out.contains("rule 我的文号 {"), "{out}");
}

#[test]
fn source_of_something_unknown() {
    insta::assert_snapshot!(tally(&["rules", "--source", "支出够成"]));
}

#[test]
fn functions_are_listed_from_the_table() {
    insta::assert_snapshot!(tally(&["functions"]));
}

#[test]
fn explain_suggests_a_rule_id() {
    insta::assert_snapshot!(tally(&["explain", "支出够成", "examples/huailai-2024.yaml"]));
}

#[test]
fn test_annotations_suggest_a_rule_id() {
    let text = std::fs::read_to_string("tests/cases/cn-budget/clean.yaml").expect("clean case");
    let text = text.replacen("# expect-none\n", "", 1).replacen(
        "  合计: 1537.92\n  基本支出:",
        "  合计: 1537.92  # expect: 支出够成\n  基本支出:",
        1,
    );
    let case = scratch("typo-case.yaml", &text);
    insta::assert_snapshot!(tally(&["test", &case]));
}
