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

/// Cases are checked on several threads and reported in input order: the
/// report is the same byte for byte whatever `--jobs` is, failing cases and
/// cases that cannot be read included.
#[test]
fn the_report_is_the_same_whatever_jobs() {
    let run = |jobs: &str| {
        Command::new(env!("CARGO_BIN_EXE_tally"))
            .args(["test", "--jobs", jobs, "--rules", "tests/fixtures/rules/spec.tally"])
            .args(["tests/fixtures/suite", "tests/fixtures/suite/no-such-case.yaml"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("tally runs")
    };
    let one = run("1");
    let stdout = String::from_utf8_lossy(&one.stdout);
    assert_eq!(one.status.code(), Some(2), "{stdout}");
    assert!(stdout.matches("FAIL ").count() >= 3, "{stdout}");
    for jobs in ["2", "3", "8"] {
        let many = run(jobs);
        assert_eq!(many.status.code(), one.status.code());
        assert_eq!(String::from_utf8_lossy(&many.stdout), stdout, "--jobs {jobs}");
    }
}
