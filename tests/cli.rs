//! The `tally` binary as a user runs it: rendered output and exit status,
//! snapshotted with insta so a reviewer sees exactly what the user sees.

mod support;
use support::{exit_status, scratch, tally, tally_with_input, tmp};

const SPEC_RULES: &str = "tests/fixtures/rules/spec.tally";

#[test]
fn clean_data_passes() {
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        SPEC_RULES,
        "tests/fixtures/data/clean.yaml"
    ]));
}

#[test]
fn every_defect_is_reported_in_both_files() {
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        SPEC_RULES,
        "tests/fixtures/data/defects.yaml"
    ]));
}

#[test]
fn json_lines_follow_the_spec() {
    insta::assert_snapshot!(tally(&[
        "check",
        "--format",
        "json",
        "--rules",
        SPEC_RULES,
        "tests/fixtures/data/defects.yaml"
    ]));
}

#[test]
fn sarif_log() {
    let out = tally(&[
        "check",
        "--format",
        "sarif",
        "--rules",
        SPEC_RULES,
        "tests/fixtures/data/defects.yaml",
    ]);
    assert_eq!(exit_status(&out), "exit: 1");
    let json = out
        .split("--- stdout\n")
        .nth(1)
        .and_then(|s| s.split("--- stderr").next())
        .expect("stdout");
    let log: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"].as_array().map(Vec::len),
        Some(4)
    );
    insta::assert_snapshot!(json);
}

#[test]
fn fail_on_sets_the_threshold() {
    // 采购合计 is a warning and 收入来源 info: with the error rules skipped,
    // only --fail-on warning fails.
    let args = [
        "check",
        "--rules",
        SPEC_RULES,
        "--rule",
        "采购合计",
        "tests/fixtures/data/defects.yaml",
    ];
    assert_eq!(exit_status(&tally(&args)), "exit: 0");
    let mut strict = args.to_vec();
    strict.extend(["--fail-on", "warning"]);
    assert_eq!(exit_status(&tally(&strict)), "exit: 1");
}

#[test]
fn tag_and_rule_selection() {
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        SPEC_RULES,
        "--rule",
        "收入来源",
        "tests/fixtures/data/defects.yaml"
    ]));
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        SPEC_RULES,
        "--rule",
        "采购明晰",
        "tests/fixtures/data/clean.yaml"
    ]));
}

#[test]
fn missing_data_is_indeterminate_not_a_pass() {
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        SPEC_RULES,
        "tests/fixtures/data/missing.yaml"
    ]));
}

#[test]
fn type_errors_and_unholdable_numbers() {
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        SPEC_RULES,
        "tests/fixtures/data/types.yaml"
    ]));
}

#[test]
fn division_by_zero_and_overflow_are_errors() {
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        "tests/fixtures/rules/arith.tally",
        "tests/fixtures/data/clean.yaml"
    ]));
}

#[test]
fn json_data_is_checked_like_yaml() {
    let out = tally(&["check", "--rules", SPEC_RULES, "tests/fixtures/data/clean.json"]);
    assert_eq!(exit_status(&out), "exit: 0", "{out}");
}

#[test]
fn standard_input() {
    let data = std::fs::read_to_string("tests/fixtures/data/defects.yaml").expect("fixture");
    insta::assert_snapshot!(tally_with_input(
        &["check", "--rule", "收入来源", "--rules", SPEC_RULES, "-"],
        Some(&data)
    ));
}

#[test]
fn bad_data_files_are_reported_and_the_others_still_checked() {
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        SPEC_RULES,
        "tests/fixtures/data/malformed.yaml",
        "tests/fixtures/data/duplicate.yaml",
        "tests/fixtures/data/no-such-file.yaml",
        "tests/fixtures/data/alias-bomb.yaml",
        "tests/fixtures/data/defects.yaml",
    ]));
}

#[test]
fn deep_nesting_in_data() {
    let deep = format!("a: {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let path = scratch("deep.yaml", &deep);
    let out = tally(&["check", "--rules", SPEC_RULES, &path]);
    assert_eq!(exit_status(&out), "exit: 2", "{out}");
    assert!(out.contains("nest"), "{out}");
}

#[test]
fn deep_nesting_in_rules() {
    let deep = format!(
        "rule 深 {{\n  assert {}1{} == 1\n}}\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let path = scratch("deep.tally", &deep);
    let out = tally(&["check", "--rules", &path, "tests/fixtures/data/clean.yaml"]);
    assert_eq!(exit_status(&out), "exit: 2", "{out}");
    assert!(out.contains("nests more than"), "{out}");
}

#[test]
fn a_folder_without_data() {
    let dir = tmp().join("empty-folder");
    std::fs::create_dir_all(&dir).expect("mkdir");
    insta::assert_snapshot!(tally(&["check", "--rules", SPEC_RULES, &dir.to_string_lossy()]));
}

#[test]
fn no_data_is_a_usage_error() {
    let out = tally(&["check"]);
    assert_eq!(exit_status(&out), "exit: 2", "{out}");
}

#[test]
fn every_load_error_of_a_file_is_reported_together() {
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        "tests/fixtures/bad-rules/broken.tally",
        "tests/fixtures/data/clean.yaml"
    ]));
}

#[test]
fn recursion_is_a_load_error() {
    insta::assert_snapshot!(tally(&["lint", "tests/fixtures/bad-rules/recursive.tally"]));
}

#[test]
fn import_cycles_are_load_errors() {
    insta::assert_snapshot!(tally(&["lint", "tests/fixtures/bad-rules/cycle-a.tally"]));
}

#[test]
fn explain_shows_every_sub_expression() {
    insta::assert_snapshot!(tally(&[
        "explain",
        "支出构成",
        "tests/fixtures/data/defects.yaml",
        "--rules",
        SPEC_RULES
    ]));
}

/// Explaining evaluates every sub-expression again: within a budget of its
/// own (a tenth of an assertion's), past which a line says so. The
/// assertion's outcome is its own evaluation's (1,500 × 1,500 comparisons:
/// 2.25 million steps, within the assertion's budget, beyond the explanation's).
#[test]
fn explain_stops_at_its_own_budget_and_says_so() {
    let rows: String = (0..1500).map(|i| format!("  - {i}\n")).collect();
    let data = scratch("explain-budget.yaml", &format!("表:\n{rows}"));
    let rules = scratch(
        "explain-budget.tally",
        "rule 全比 {\n  assert count([x for x in 表 if count([y for y in 表 if y > x]) >= 0]) == 1500\n}\n",
    );
    insta::assert_snapshot!(tally(&["explain", "全比", &data, "--rules", &rules]));
}

#[test]
fn rule_catalogue() {
    insta::assert_snapshot!(tally(&["rules", "--rules", SPEC_RULES]));
    insta::assert_snapshot!(tally(&["rules", "--format", "json", "--rules", SPEC_RULES]));
}

#[test]
fn lint_warns_about_rules_that_cannot_fail() {
    insta::assert_snapshot!(tally(&["lint", "tests/fixtures/rules/lint.tally"]));
}

#[test]
fn data_that_is_not_utf8() {
    let path = tmp().join("gbk.yaml");
    std::fs::write(&path, b"a: 1\nb: caf\xe9\n").expect("write");
    insta::assert_snapshot!(tally(&["check", "--rules", SPEC_RULES, &path.to_string_lossy()]));
}

#[test]
fn default_messages_show_the_values_compared() {
    let out = tally(&[
        "check",
        "--format",
        "json",
        "--rules",
        "tests/fixtures/rules/messages.tally",
        "tests/fixtures/data/defects.yaml",
    ]);
    let messages: Vec<String> = out
        .lines()
        .filter(|l| l.starts_with('{'))
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["type"] == "finding")
        .map(|v| {
            format!(
                "{}: {}",
                v["rule"].as_str().unwrap_or("?"),
                v["message"].as_str().unwrap_or("?")
            )
        })
        .collect();
    insta::assert_snapshot!(messages.join("\n"));
}

#[test]
fn parallel_jobs_keep_the_order() {
    let args = |jobs: &'static str| {
        vec![
            "check",
            "--jobs",
            jobs,
            "--format",
            "json",
            "--rules",
            SPEC_RULES,
            "tests/fixtures/data/defects.yaml",
            "tests/fixtures/data/missing.yaml",
            "tests/fixtures/data/clean.yaml",
            "tests/fixtures/data/types.yaml",
        ]
    };
    let one = tally(&args("1"));
    let four = tally(&args("4"));
    assert_eq!(one, four);
    assert!(
        one.lines().filter(|l| l.contains("\"type\":\"finding\"")).count() >= 9,
        "{one}"
    );
}

/// More files than the workers hold at once (four per job), some broken and
/// some missing keys the others have: every format prints the same bytes with
/// one worker and with three, files in input order, whole-run hints included.
#[test]
fn streamed_batches_keep_the_order_and_the_totals() {
    let dir = tmp().join("streamed-batch");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fixtures = ["defects.yaml", "missing.yaml", "clean.yaml", "types.yaml", "clean.json"];
    for i in 0..40 {
        let name = fixtures[i % fixtures.len()];
        let text = std::fs::read_to_string(format!("tests/fixtures/data/{name}")).unwrap();
        let ext = name.rsplit('.').next().unwrap();
        let text = if i == 17 { "收入: [unclosed".to_owned() } else { text };
        std::fs::write(dir.join(format!("f{i:02}.{ext}")), text).unwrap();
    }
    let dir = dir.to_string_lossy().into_owned();
    for format in ["human", "json", "sarif", "csv"] {
        let run = |jobs: &str| tally(&["check", "--jobs", jobs, "--format", format, "--rules", SPEC_RULES, &dir]);
        let one = run("1");
        assert_eq!(one, run("3"), "{format}");
        assert!(one.starts_with("exit: 2"), "{one}");
        if format == "human" {
            assert!(one.contains("在 39 个文件中有 8 个缺失"), "{one}");
            assert!(one.contains("1 个数据文件未能检查"), "{one}");
            // Files in input order: f00's findings before f05's.
            let first = one.find("f00.yaml").unwrap();
            assert!(one.find("f05.yaml").unwrap() > first, "{one}");
        }
    }
    // Grouped across the batch: the findings are kept (not the documents) and
    // printed by group at the end, the same with any number of workers.
    for group in ["rule", "severity"] {
        let run = |jobs: &str| {
            tally(&[
                "check",
                "--jobs",
                jobs,
                "--group-by",
                group,
                "--rules",
                SPEC_RULES,
                &dir,
            ])
        };
        assert_eq!(run("1"), run("3"), "--group-by {group}");
    }
    // Whole-file reports keep rows or sections, and write the same file.
    for format in ["html", "xlsx"] {
        let written = |jobs: &str| {
            let path = tmp().join(format!("streamed.{format}"));
            let path = path.to_string_lossy().into_owned();
            tally(&[
                "check", "--jobs", jobs, "--format", format, "--output", &path, "--rules", SPEC_RULES, &dir,
            ]);
            if format == "html" {
                return vec![std::fs::read_to_string(&path).unwrap()];
            }
            // A workbook records when it was made: compare what a reader sees.
            use calamine::Reader;
            let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("the workbook opens");
            ["findings", "summary"]
                .iter()
                .map(|sheet| {
                    format!(
                        "{:?}",
                        book.worksheet_range(sheet).expect("a sheet").rows().collect::<Vec<_>>()
                    )
                })
                .collect::<Vec<String>>()
        };
        let one = written("1");
        assert!(
            one.iter().all(|text| text.contains("f38.yaml")),
            "every file is in the workbook"
        );
        assert_eq!(one, written("3"), "{format}");
    }
}

/// JSON on standard input goes through the JSON reader: it checks as the same
/// file does, and a duplicate key is an error with its place.
#[test]
fn json_on_standard_input() {
    let text = std::fs::read_to_string("tests/fixtures/data/clean.json").unwrap();
    let args = ["check", "--format", "json", "--rules", SPEC_RULES];
    let from_stdin = tally_with_input(&[&args[..], &["-"]].concat(), Some(&text));
    let from_file = tally(&[&args[..], &["tests/fixtures/data/clean.json"]].concat());
    assert_eq!(
        from_stdin,
        from_file.replace("tests/fixtures/data/clean.json", "<stdin>")
    );
    assert!(from_stdin.starts_with("exit: 0"), "{from_stdin}");

    let duplicate = "{\"收入\": {\"合计\": 1, \"合计\": 2}}";
    let out = tally_with_input(&["check", "--rules", SPEC_RULES, "-"], Some(duplicate));
    assert!(out.starts_with("exit: 2"), "{out}");
    assert!(out.contains("duplicate key `合计` (first written on line 1)"), "{out}");
    assert!(out.contains("<stdin>:1:"), "{out}");
}

#[test]
fn json_reports_unreadable_files_as_error_lines() {
    insta::assert_snapshot!(tally(&[
        "check",
        "--format",
        "json",
        "--rules",
        SPEC_RULES,
        "tests/fixtures/data/malformed.yaml",
        "tests/fixtures/data/no-such-file.yaml",
        "tests/fixtures/data/clean.yaml"
    ]));
}

#[test]
fn windows_files_with_a_byte_order_mark_and_crlf() {
    let rules = scratch(
        "bom.tally",
        "\u{FEFF}rule 窗口 {\r\n  cite \"c\"\r\n  assert 支出.合计 == 1537.92\r\n}\r\n",
    );
    let data = scratch("bom.yaml", "\u{FEFF}支出:\r\n  合计: 1500\r\n");
    let out = tally(&["check", "--format", "json", "--rules", &rules, &data]);
    assert_eq!(exit_status(&out), "exit: 1", "{out}");
    assert!(out.contains(r#""line":2,"column":7"#), "{out}");
}

#[test]
fn unreadable_rule_files_and_missing_imports() {
    let empty = tmp().join("no-rules-here");
    std::fs::create_dir_all(&empty).expect("mkdir");
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        "tests/fixtures/bad-rules/no-such-file.tally",
        "--rules",
        &empty.to_string_lossy(),
        "--rules",
        "tests/fixtures/bad-rules/missing-import.tally",
        "tests/fixtures/data/clean.yaml"
    ]));
}

/// A batch that runs over a second, its standard error a pipe: no progress
/// bar (nor its escape codes) in any format.
#[test]
fn no_progress_bar_in_pipes_or_machine_formats() {
    let dir = tmp().join("progress-batch");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let example = std::fs::read_to_string("examples/huailai-2024.yaml").unwrap();
    for i in 0..30 {
        std::fs::write(dir.join(format!("d{i:02}.yaml")), &example).unwrap();
    }
    let dir = dir.to_string_lossy().into_owned();
    for format in ["human", "json"] {
        let started = std::time::Instant::now();
        let output = support::run(&["check", "--jobs", "1", "--format", format, &dir]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.is_empty(), "{format} after {:?}: {stderr}", started.elapsed());
        assert!(
            !String::from_utf8_lossy(&output.stdout).contains("files 文件 ("),
            "{format}"
        );
    }
}
