//! The evaluator's shortcuts against plain tree-walking: the hash index
//! (src/eval/index.rs) against the scan it replaces, and quick forms of plain
//! assertions (src/eval/quick.rs) and the quick evaluator of `let`s, `when`
//! guards and assertions (src/eval/quick_value.rs) against the full
//! evaluation. Over every fixture with data, every bundled case, the
//! examples, generated documents with repeated tables and fixtures of edge
//! cases, the whole result
//! (findings in order with their messages, values read and primary value, as
//! JSON and as data, and the counts of every outcome) is the same with each
//! shortcut, with both, and with none, and with the rules shared among
//! threads (src/eval/threads.rs).

use std::path::{Path, PathBuf};
use std::time::Duration;

use tally::unstable::data::Document;
use tally::unstable::eval::{check_configured, check_on_threads, Bindings, DocumentResult, Shortcuts};
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
    folders.push(fixtures.join("quick"));
    folders.push(fixtures.join("quick-values"));
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

fn same_with_and_without_shortcuts(program: &Program, doc: &Document, name: &str) -> usize {
    let all: Vec<usize> = (0..program.rules.len()).collect();
    let walked = check_configured(program, doc, &all, &Bindings::default(), Shortcuts::NONE);
    let reference = whole(program, doc, &walked);
    let indexes_only = Shortcuts {
        indexes: true,
        quick: false,
    };
    let quick_only = Shortcuts {
        indexes: false,
        quick: true,
    };
    let runs = [indexes_only, quick_only, Shortcuts::ALL].map(|shortcuts| {
        let result = check_configured(program, doc, &all, &Bindings::default(), shortcuts);
        (format!("{shortcuts:?}"), result)
    });
    // The rules shared among three threads that join at once.
    let shared = check_on_threads(
        program,
        doc,
        &all,
        &Bindings::default(),
        Shortcuts::ALL,
        3,
        Duration::ZERO,
    );
    for (shortcuts, result) in runs.into_iter().chain([("three threads".to_owned(), shared)]) {
        let taken = whole(program, doc, &result);
        if taken != reference {
            let first = taken
                .lines()
                .zip(reference.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            panic!(
                "{name}: {shortcuts} and no shortcuts differ at line {first}:\n  with: {}\n  without: {}",
                taken.lines().nth(first).unwrap_or("<end>"),
                reference.lines().nth(first).unwrap_or("<end>")
            );
        }
    }
    walked.findings.len()
}

#[test]
fn every_fixture_and_case_gives_the_same_result_with_and_without_shortcuts() {
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
            findings += same_with_and_without_shortcuts(&program, &doc, &path);
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
        let findings = same_with_and_without_shortcuts(&program, &doc, &format!("tables x{times}"));
        assert!(findings > 0, "the generated document has findings to compare");
        let text = tables::named_tables_times(times);
        let doc = tally::unstable::input::load_text("named.yaml", text).expect("loads");
        let findings = same_with_and_without_shortcuts(&program, &doc, &format!("named tables x{times}"));
        assert!(findings > 0, "the generated document has findings to compare");
    }
}

/// Two uniqueness checks failing for every one of 600 rows: past the first
/// 1,000 findings of the rule, the index's outcome is counted without the
/// exact rerun; the counts and the listed findings are the scan's still.
#[test]
fn findings_past_the_kept_ones_count_the_same_without_their_exact_rerun() {
    let rules = support::scratch(
        "past-kept.tally",
        "rule 唯一 {\n  title \"c 不重复\"\n  for p in t {\n    assert count([q for q in t if q.c == p.c]) == 1\n\
         \x20   assert count([q.n for q in t if q.c == p.c]) < 2\n  }\n}\n",
    );
    let program = tally::unstable::load_rules(&[rules]).expect("the rules load");
    let rows: String = (0..600).map(|i| format!("  - {{c: {}, n: {i}}}\n", i % 3)).collect();
    let doc = tally::unstable::input::load_text("dups.yaml", format!("t:\n{rows}")).expect("loads");
    let listed = same_with_and_without_shortcuts(&program, &doc, "600 duplicated rows");
    assert_eq!(listed, tally::unstable::eval::FINDINGS_KEPT);
}

/// Linear means no statement runs out of steps as the tables grow. With
/// 4,000 procurement rows over 2,000 projects the procurement rules once
/// did: a source's lookup scanned the project list in a `fn` per source,
/// and an index charged every element the first one's one-off costs.
#[test]
fn the_bundled_library_runs_nothing_out_of_steps_over_tables_x400() {
    let assertions = assert_nothing_out_of_steps(tables::tables_times(400));
    assert!(assertions > 10_000, "{assertions} assertions");
}

/// Checks `text` with the bundled library, fails listing the rules that ran
/// statements out of steps, and returns the number of assertions evaluated.
fn assert_nothing_out_of_steps(text: String) -> usize {
    use tally::unstable::eval::FindingKind;
    let program = tally::unstable::load_bundled().expect("the bundled library");
    let doc = tally::unstable::input::load_text("tables.yaml", text).expect("loads");
    let all: Vec<usize> = (0..program.rules.len()).collect();
    let result = check_configured(&program, &doc, &all, &Bindings::default(), Shortcuts::ALL);
    let mut out_of_steps = std::collections::BTreeMap::<&str, usize>::new();
    for finding in result.findings.iter().filter(|f| f.kind == FindingKind::Limit) {
        *out_of_steps.entry(&program.rules[finding.rule].id).or_default() += 1;
    }
    assert!(
        out_of_steps.is_empty(),
        "statements out of steps, by rule: {out_of_steps:?}"
    );
    result.counts.assertions
}

/// The same where the tables join by project name: `项目支出表逐项` and the
/// procurement rules once compared every row with every project by name, and
/// over these tables ×300 ran 1,000 statements out of steps.
#[test]
fn the_bundled_library_runs_nothing_out_of_steps_over_named_tables_x300() {
    let text = tables::named_tables_times(300);
    assert_nothing_out_of_steps(text.clone());
    // Every one of the 4 × 300 项目支出表 rows was compared with its
    // performance project and its 项目支出 row, found by name.
    let program = tally::unstable::load_bundled().expect("the bundled library");
    let doc = tally::unstable::input::load_text("named.yaml", text).expect("loads");
    let rule = program.select(&["项目支出表逐项".to_owned()], &[]).expect("the rule");
    let result = check_configured(&program, &doc, &rule, &Bindings::default(), Shortcuts::ALL);
    assert_eq!(result.counts.assertions, 2 * 4 * 300);
    assert_eq!(result.counts.passed, 2 * 4 * 300);
}

/// The edge cases really are answered by the index (else the comparison
/// above proves nothing about it), and `tally explain` says so.
#[test]
fn explain_says_when_an_index_answered_a_filter() {
    let program = tally::unstable::load_rules(&["tests/fixtures/index".into()]).expect("loads");
    let doc = tally::unstable::input::read_document("tests/fixtures/index/index.yaml").expect("loads");
    let mut text = String::new();
    for id in ["编码唯一", "按主干找", "名称包含"] {
        let rule = program.rules.iter().position(|r| &*r.id == id).expect("rule");
        let (lines, _) = tally::unstable::eval::explain(&program, &doc, rule);
        text.push_str(&lines.join("\n"));
        text.push('\n');
    }
    insta::assert_snapshot!(text);
}

/// Which assertions of the quick fixture have a quick form (else the
/// comparison above proves nothing about quick forms): one line per
/// assertion, `quick` or `full`, and its text.
#[test]
fn plain_assertions_have_quick_forms() {
    use tally::unstable::resolve::program::Stmt;
    fn walk(program: &Program, stmts: &[Stmt], out: &mut String) {
        for stmt in stmts {
            match stmt {
                Stmt::Assert(a) => {
                    let form = if a.quick.is_some() { "quick" } else { "full " };
                    out.push_str(&format!("{form} {}\n", program.text(a.cond.span)));
                }
                Stmt::For { body, .. } | Stmt::When { body, .. } => walk(program, body, out),
                Stmt::Let { .. } => {}
            }
        }
    }
    let program = tally::unstable::load_rules(&["tests/fixtures/quick".into()]).expect("loads");
    let mut text = String::new();
    for rule in &program.rules {
        text.push_str(&format!("rule {}\n", rule.id));
        walk(&program, &rule.body, &mut text);
    }
    insta::assert_snapshot!(text);
}
