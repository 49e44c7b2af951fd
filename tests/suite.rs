//! `tally test`: a suite that passes, and the same suite broken in each way a
//! regression suite can break, each report snapshotted.

use std::process::{Command, Stdio};

fn tally_test(cases: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(["test", "--rules", "tests/fixtures/rules/spec.tally", cases])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("tally runs");
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().map_or("signal".into(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    )
}

#[test]
fn a_correct_suite_passes() {
    let out = tally_test("tests/fixtures/suite/pass");
    assert!(out.starts_with("exit: 0"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn a_removed_annotation_is_a_false_positive() {
    insta::assert_snapshot!(tally_test("tests/fixtures/suite/removed"));
}

#[test]
fn a_misplaced_annotation_fails_naming_both_lines() {
    insta::assert_snapshot!(tally_test("tests/fixtures/suite/misplaced"));
}

#[test]
fn an_unknown_rule_id_is_an_error_of_the_case() {
    insta::assert_snapshot!(tally_test("tests/fixtures/suite/unknown"));
}

#[test]
fn expect_none_fails_on_any_finding() {
    insta::assert_snapshot!(tally_test("tests/fixtures/suite/none-violated"));
}
