//! The public API as an embedding program uses it: the example runs, its
//! findings are the command line's, selection and errors are typed, and
//! errors render with miette without an adapter.

mod support;

use miette::{GraphicalReportHandler, GraphicalTheme};
use support::{root, run};
use tally::{Document, DocumentError, FindingKind, Omitted, Rules, RulesError, SelectError, Severity};

mod embed {
    include!("../examples/embed.rs");
    /// `main` is the example's entry point; the test calls it too.
    pub fn run_main() -> miette::Result<()> {
        main()
    }
}

/// What a user sees: the diagnostic rendered as the terminal shows it, without colour.
fn rendered(diagnostic: &dyn miette::Diagnostic) -> String {
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, diagnostic)
        .expect("renders");
    out
}

#[test]
fn the_embed_example_runs_and_reports_what_the_command_line_reports() {
    embed::run_main().expect("the example runs");
    let report = embed::check_example().expect("the example checks its document");
    let cli = run(&["check", "examples/huailai-2024.yaml", "--format", "json"]);
    let lines: Vec<serde_json::Value> = String::from_utf8(cli.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let cli_findings: Vec<&serde_json::Value> = lines.iter().filter(|l| l["type"] == "finding").collect();
    assert_eq!(report.findings.len(), cli_findings.len());
    assert!(!report.findings.is_empty());
    for (api, cli) in report.findings.iter().zip(&cli_findings) {
        assert_eq!(api.rule, cli["rule"]);
        assert_eq!(api.severity.as_str(), cli["severity"]);
        assert_eq!(api.kind.as_str(), cli["kind"]);
        assert_eq!(api.message, cli["message"]);
        assert_eq!(api.primary.map(|p| p as u64), cli["primary"].as_u64());
        assert_eq!(api.rule_location.line as u64, cli["rule_line"]);
        assert_eq!(api.data.len(), cli["data"].as_array().expect("data").len());
        for (value, cli_value) in api.data.iter().zip(cli["data"].as_array().expect("data")) {
            assert_eq!(value.path, cli_value["path"]);
            assert_eq!(
                (value.line as u64, value.column as u64),
                (
                    cli_value["line"].as_u64().unwrap(),
                    cli_value["column"].as_u64().unwrap()
                )
            );
            // The written text, not the value as converted.
            let doc = std::fs::read_to_string(root().join("examples/huailai-2024.yaml")).unwrap();
            assert_eq!(value.text, doc[value.start..value.end]);
        }
    }
    let summary = lines.last().expect("a summary");
    assert_eq!(report.counts.assertions as u64, summary["assertions"]);
    assert_eq!(report.counts.violations as u64, summary["violations"]);
}

#[test]
fn the_readme_shows_the_embed_example_as_it_is() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let example = std::fs::read_to_string(root().join("examples/embed.rs")).expect("example");
    assert!(
        readme.contains(&example),
        "README's `Using Tally from Rust` differs from examples/embed.rs"
    );
    assert!(example.lines().count() < 30);
}

const TOTALS: &str = r#"
rule TOTAL {
  title    "合计等于各项之和"
  severity error
  tags     [totals]
  assert 合计 == sum(各项) message "合计 {合计} 不等于各项之和 {sum(各项)}"
}

rule NAMED {
  title    "有单位名称"
  severity info
  assert exists(单位) message "缺单位名称"
}
"#;

#[test]
fn a_report_serializes_with_rule_ids_and_written_values() {
    let rules = Rules::from_text("totals.tally", TOTALS).expect("loads");
    let doc = Document::from_text("b.yaml", "合计: 10.50\n各项: [3, 4]\n").expect("loads");
    let report = rules.check(&doc);
    insta::assert_snapshot!(serde_json::to_string_pretty(&report).expect("serializes"));
}

#[test]
fn findings_are_sorted_by_the_value_they_are_about_then_by_rule_id() {
    let rules = Rules::from_text("totals.tally", TOTALS).expect("loads");
    let doc = Document::from_text("b.yaml", "各项: [3, 4]\n合计: 1\n").expect("loads");
    let report = rules.check(&doc);
    let order: Vec<(&str, FindingKind, Severity)> = report
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.kind, f.severity))
        .collect();
    // `NAMED` reads nothing, so it sorts first; `TOTAL` is about `合计`.
    assert_eq!(
        order,
        [
            ("NAMED", FindingKind::Violation, Severity::Info),
            ("TOTAL", FindingKind::Violation, Severity::Error)
        ]
    );
}

#[test]
fn rules_are_selected_by_id_and_tag_and_an_unknown_one_is_a_typed_error() {
    let rules = Rules::from_text("totals.tally", TOTALS).expect("loads");
    let ids: Vec<&str> = rules.rule_ids().collect();
    assert_eq!(ids, ["TOTAL", "NAMED"]);
    let tagged = Rules::from_text("totals.tally", TOTALS)
        .unwrap()
        .select_tags(["totals"])
        .unwrap();
    assert_eq!(tagged.rule_ids().collect::<Vec<_>>(), ["TOTAL"]);
    let named = Rules::from_text("totals.tally", TOTALS)
        .unwrap()
        .select_ids(["NAMED"])
        .unwrap();
    let doc = Document::from_text("b.yaml", "合计: 1\n各项: [1]\n").unwrap();
    assert_eq!(named.check(&doc).findings[0].rule, "NAMED");
    let err = rules.select_ids(["TOTALS"]).unwrap_err();
    assert!(matches!(&err, SelectError::UnknownRule { id, .. } if id == "TOTALS"));
    assert_eq!(err.to_string(), "no rule has the ID `TOTALS`; did you mean `TOTAL`?");
}

#[test]
fn an_annotated_finding_is_accepted_not_reported() {
    let rules = Rules::from_text("totals.tally", TOTALS).expect("loads");
    let doc = Document::from_text(
        "b.yaml",
        "单位: 某局\n合计: 10\n各项: [3, 4]  # tally-allow: TOTAL — 含上年结转\n",
    )
    .unwrap();
    let report = rules.check(&doc);
    assert!(report.is_clean(), "{:?}", report.findings);
    assert_eq!(report.accepted.len(), 1);
    assert_eq!(
        (
            report.accepted[0].finding.rule.as_str(),
            report.accepted[0].reason.as_str()
        ),
        ("TOTAL", "含上年结转")
    );
    assert_eq!(report.counts.accepted, 1);
}

#[test]
fn load_errors_render_with_their_rule_file_without_an_adapter() {
    let err = Rules::from_text("bad.tally", "rule R {\n  assert 合计 == summ(各项)\n}\nrule R {}\n").unwrap_err();
    let RulesError::Load { errors } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(errors.len(), 2, "{err:?}");
    assert_eq!(errors[0].file(), Some("bad.tally"));
    assert_eq!(errors[0].location(), Some((2, 16)));
    insta::assert_snapshot!(rendered(&err));
}

#[test]
fn an_unknown_library_and_no_paths_are_errors_not_the_bundled_library() {
    let err = Rules::bundled("cn-budgte").unwrap_err();
    assert!(matches!(&err, RulesError::UnknownLibrary { name, .. } if name == "cn-budgte"));
    assert_eq!(
        rendered(&err).lines().last().map(str::trim),
        Some("help: bundled libraries: cn-budget")
    );
    let none: [&str; 0] = [];
    assert!(matches!(Rules::from_paths(none), Err(RulesError::NoPaths)));
    let from_disk = Rules::from_paths(["tests/fixtures/index"]).expect("a folder of rules loads");
    assert!(from_disk.rule_ids().count() > 0);
}

#[test]
fn data_errors_render_with_their_document() {
    let err = Document::from_text("bad.yaml", "a: [1, 2\nb: 3\n").unwrap_err();
    assert!(matches!(err, DocumentError::Syntax(_)));
    insta::assert_snapshot!(rendered(&err));
    let missing = Document::from_path("tests/no-such-file.yaml").unwrap_err();
    assert!(matches!(&missing, DocumentError::Read(e) if e.path() == "tests/no-such-file.yaml"));
}

#[test]
fn rules_and_documents_can_be_shared_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Rules>();
    shareable::<Document>();
    shareable::<tally::Report>();
    let rules = Rules::from_text("totals.tally", TOTALS).expect("loads");
    let docs: Vec<Document> = (0..4)
        .map(|i| Document::from_text(&format!("{i}.yaml"), format!("单位: x\n合计: {i}\n各项: [1, 1]\n")).unwrap())
        .collect();
    let violations: Vec<usize> = std::thread::scope(|s| {
        let handles: Vec<_> = docs
            .iter()
            .map(|doc| s.spawn(|| rules.check(doc).counts.violations))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(violations, [1, 1, 0, 1]);
}

#[test]
fn findings_past_a_thousand_of_a_rule_are_counted_as_omitted() {
    let rules =
        Rules::from_text("each.tally", "rule 逐项 {\n  for x in l {\n    assert x == 2\n  }\n}\n").expect("loads");
    let doc = Document::from_text("l.yaml", format!("l: [{}]\n", vec!["1"; 1200].join(", "))).expect("loads");
    let report = rules.check(&doc);
    assert_eq!(report.findings.len(), 1000);
    assert_eq!(report.counts.violations, 1200);
    assert_eq!(
        report.omitted,
        [Omitted {
            rule: "逐项".into(),
            kind: FindingKind::Violation,
            count: 200
        }]
    );
}
