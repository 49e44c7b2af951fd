//! The hash index (src/eval/index.rs) against the scan it replaces: over
//! every fixture with data, every bundled case, the examples, generated
//! documents with repeated tables and a fixture of edge cases, the whole
//! result (findings in order with their messages, values read and primary
//! value, as JSON and as data, and the counts of every outcome) is the same
//! with indexes on and off.

use std::path::{Path, PathBuf};

use tally::unstable::data::Document;
use tally::unstable::eval::{check_configured, Bindings, DocumentResult};
use tally::unstable::report::json;
use tally::unstable::resolve::Program;

mod support;
use support::root;

mod tables {
    include!("../benches/tables.rs");
}

fn files_in(dir: &Path, extensions: &[&str]) -> Vec<String> {
    support::files_in(dir, extensions)
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

/// Rule paths (`@`: the bundled library) and the data files they check.
fn groups() -> Vec<(Vec<String>, Vec<String>)> {
    let fixtures = root().join("tests/fixtures");
    let data = ["yaml", "yml", "json"];
    let mut groups = Vec::new();
    let shared = files_in(&fixtures.join("data"), &data);
    for rules in files_in(&fixtures.join("rules"), &["tally"]) {
        groups.push((vec![rules], shared.clone()));
    }
    let mut folders: Vec<PathBuf> = ["lang"]
        .iter()
        .flat_map(|f| std::fs::read_dir(fixtures.join(f)).expect("fixture folder").flatten())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.push(fixtures.join("index"));
    folders.sort();
    for dir in folders {
        let rules = dir.to_string_lossy().into_owned();
        groups.push((vec![rules], files_in(&dir, &data)));
    }
    let mut bundled = files_in(&root().join("tests/cases/cn-budget"), &data);
    bundled.extend(
        files_in(&root().join("examples"), &["yaml"])
            .into_iter()
            .filter(|f| !f.contains("params")),
    );
    groups.push((vec!["@".into()], bundled));
    groups
}

/// Everything a run yields, as text to compare.
fn whole(program: &Program, doc: &Document, result: &DocumentResult) -> String {
    let lines: String = result
        .findings
        .iter()
        .map(|f| json::finding(program, doc, f) + "\n")
        .collect();
    format!("{lines}{:#?}", result)
}

fn same_with_and_without_index(program: &Program, doc: &Document, name: &str) -> usize {
    let all: Vec<usize> = (0..program.rules.len()).collect();
    let indexed = check_configured(program, doc, &all, &Bindings::default(), true);
    let scanned = check_configured(program, doc, &all, &Bindings::default(), false);
    let (a, b) = (whole(program, doc, &indexed), whole(program, doc, &scanned));
    if a != b {
        let first = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(0);
        panic!(
            "{name}: indexed and scanned results differ at line {first}:\n  indexed: {}\n  scanned: {}",
            a.lines().nth(first).unwrap_or("<end>"),
            b.lines().nth(first).unwrap_or("<end>")
        );
    }
    scanned.findings.len()
}

#[test]
fn every_fixture_and_case_gives_the_same_result_with_and_without_index() {
    let mut documents = 0;
    let mut findings = 0;
    for (rules, data) in groups() {
        let program =
            tally::unstable::load_rules(&rules).unwrap_or_else(|e| panic!("{rules:?}: {} errors", e.errors.len()));
        for path in data {
            let Ok(doc) = tally::unstable::input::read_document(&path) else {
                continue; // a data fixture that is meant not to load
            };
            documents += 1;
            findings += same_with_and_without_index(&program, &doc, &path);
        }
    }
    assert!(documents >= 90, "documents compared: {documents}");
    assert!(findings >= 100, "findings compared: {findings}");
}

#[test]
fn generated_documents_with_repeated_tables_give_the_same_result() {
    let program = tally::unstable::load_bundled().expect("the bundled library");
    for times in [2, 10] {
        let doc = tally::unstable::input::load_text("tables.yaml", tables::tables_times(times)).expect("loads");
        let findings = same_with_and_without_index(&program, &doc, &format!("tables x{times}"));
        assert!(findings > 0, "the generated document has findings to compare");
    }
}

/// The edge cases really are answered by the index (else the comparison
/// above proves nothing about it), and `tally explain` says so.
#[test]
fn explain_says_when_an_index_answered_a_filter() {
    let program = tally::unstable::load_rules(&["tests/fixtures/index".into()]).expect("loads");
    let doc = tally::unstable::input::read_document("tests/fixtures/index/index.yaml").expect("loads");
    let rule = program.rules.iter().position(|r| &*r.id == "编码唯一").expect("rule");
    let (lines, _) = tally::unstable::eval::explain(&program, &doc, rule);
    let text = lines.join("\n");
    insta::assert_snapshot!(text);
}
