//! The bundled rule library (`rules/cn-budget`, compiled into the binary):
//! its audit of the example disclosure, and its own regression suite run
//! through `tally test`, so CI fails the moment a bundled rule regresses.

use std::process::{Command, Stdio};

fn tally(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("tally runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_bundled_library_audits_the_example() {
    let (status, stdout, stderr) = tally(&["check", "examples/huailai-2024.yaml"]);
    assert_eq!(status, 1, "the example has real inconsistencies\n{stdout}{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn the_bundled_regression_suite_passes() {
    let (status, stdout, stderr) = tally(&["test", "tests/cases/cn-budget"]);
    assert_eq!(status, 0, "{stdout}{stderr}");
    let last = stdout.lines().last().unwrap_or_default();
    let passed: usize = last.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(passed >= 10, "too few cases ran: {last}");
}

#[test]
fn the_corpus_of_other_units_passes() {
    // Six constructed disclosures of different kinds, their single-defect
    // variants and near-misses (tests/cases/corpus/<kind>/).
    let (status, stdout, stderr) = tally(&["test", "tests/cases/corpus"]);
    assert_eq!(status, 0, "{stdout}{stderr}");
    let last = stdout.lines().last().unwrap_or_default();
    let passed: usize = last.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(passed >= 30, "too few corpus cases ran: {last}");
}

/// The text of every case file under `dir`, searched recursively.
fn case_texts(dir: &std::path::Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("a suite folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            case_texts(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
            out.push(std::fs::read_to_string(&path).unwrap_or_default());
        }
    }
}

#[test]
fn every_bundled_rule_has_a_case_where_it_fires() {
    let (_, catalogue, _) = tally(&["rules", "--format", "json"]);
    let mut texts = Vec::new();
    case_texts("tests/cases/cn-budget".as_ref(), &mut texts);
    case_texts("tests/cases/corpus".as_ref(), &mut texts);
    let cases = texts.join("\n");
    let mut uncovered = Vec::new();
    for line in catalogue.lines() {
        let rule: serde_json::Value = serde_json::from_str(line).expect("catalogue line");
        // The catalogue also lists parameters and inputs: only rules need cases.
        let Some(id) = rule["id"].as_str() else {
            continue;
        };
        let expected = cases
            .lines()
            .filter_map(|l| l.split("# expect:").nth(1))
            .any(|ids| ids.split(',').any(|i| i.trim() == id));
        if !expected {
            uncovered.push(id.to_owned());
        }
    }
    assert!(
        uncovered.is_empty(),
        "rules with no case that expects them: {uncovered:?}"
    );
}

#[test]
fn the_bundled_library_lints_clean() {
    let (status, stdout, stderr) = tally(&["lint", "rules"]);
    assert_eq!(status, 0, "{stdout}{stderr}");
}

#[test]
fn the_bundled_library_is_formatted() {
    let (status, stdout, stderr) = tally(&["fmt", "--check", "rules"]);
    assert_eq!(status, 0, "run `tally fmt rules`\n{stdout}{stderr}");
}
