//! Parameters, several documents and accepted findings (spec §11–13), run
//! through the binary as a user runs it.

use std::path::PathBuf;

mod support;
use support::{fresh_dir, tally, tmp};

const RULES: &str = "tests/fixtures/inputs/rules.tally";
const THIS_YEAR: &str = "tests/fixtures/inputs/2024/unit.yaml";
const LAST_YEAR: &str = "上年=tests/fixtures/inputs/2023/unit.yaml";

/// The JSON summary line of a run.
fn summary(out: &str) -> serde_json::Value {
    let line = out
        .lines()
        .find(|l| l.contains(r#""type":"summary""#))
        .expect("a summary line");
    serde_json::from_str(line).expect("summary is JSON")
}

fn scratch_dir(name: &str) -> PathBuf {
    fresh_dir(tmp().join(name))
}

// ------------------------------------------------------------ two documents

#[test]
fn a_two_file_finding_in_the_human_report() {
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        RULES,
        "--rule",
        "上年数一致",
        "--input",
        LAST_YEAR,
        THIS_YEAR
    ]));
}

#[test]
fn a_two_file_finding_in_json() {
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        RULES,
        "--rule",
        "上年数一致",
        "--input",
        LAST_YEAR,
        "--format",
        "json",
        THIS_YEAR
    ]));
}

#[test]
fn a_two_file_finding_in_sarif() {
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        RULES,
        "--rule",
        "上年数一致",
        "--input",
        LAST_YEAR,
        "--format",
        "sarif",
        THIS_YEAR
    ]));
}

#[test]
fn an_absent_optional_input_skips_what_reads_it() {
    let out = tally(&["check", "--rules", RULES, "--format", "json", THIS_YEAR]);
    let s = summary(&out);
    // 总额增幅, 上年数一致 and 汇总 read an input; only 地区 runs.
    assert_eq!(
        (s["skipped"].as_u64(), s["passed"].as_u64()),
        (Some(3), Some(1)),
        "{out}"
    );
    assert_eq!(s["violations"], 0, "{out}");
    assert!(s.get("inputs_missing").is_none(), "{out}");
    assert!(out.starts_with("exit: 0"), "{out}");
}

#[test]
fn a_template_pairs_each_year_with_the_year_before() {
    let out = tally(&[
        "check",
        "--rules",
        RULES,
        "--format",
        "json",
        "--input",
        "上年={path:year-1}",
        THIS_YEAR,
    ]);
    let s = summary(&out);
    assert_eq!(
        (s["violations"].as_u64(), s["skipped"].as_u64()),
        (Some(2), Some(1)),
        "{out}"
    );
    assert!(
        out.contains(r#""file":"tests/fixtures/inputs/2023/unit.yaml""#),
        "{out}"
    );
}

#[test]
fn a_template_that_names_no_file_is_listed_as_missing() {
    let out = tally(&[
        "check",
        "--rules",
        RULES,
        "--format",
        "json",
        "--input",
        "上年={dir}/../1999/{name}",
        THIS_YEAR,
    ]);
    let s = summary(&out);
    assert_eq!(s["skipped"], 3, "{out}");
    assert_eq!(
        s["inputs_missing"],
        serde_json::json!(["tests/fixtures/inputs/2024/../1999/unit.yaml"]),
        "{out}"
    );
}

#[test]
fn a_year_template_over_a_path_without_a_year_counts_as_absent() {
    let out = tally(&[
        "check",
        "--rules",
        RULES,
        "--format",
        "json",
        "--input",
        "上年={year-1}.yaml",
        "tests/fixtures/inputs/units/a.yaml",
    ]);
    let s = summary(&out);
    assert_eq!(
        s["inputs_missing"][0], "{year-1}.yaml (no year in `tests/fixtures/inputs/units/a.yaml`)",
        "{out}"
    );
}

#[test]
fn a_list_input_from_a_folder_and_from_a_glob() {
    for path in ["tests/fixtures/inputs/units", "tests/fixtures/inputs/units/*.yaml"] {
        let arg = format!("下属单位={path}");
        let out = tally(&[
            "check", "--rules", RULES, "--rule", "汇总", "--format", "json", "--input", &arg, THIS_YEAR,
        ]);
        // 700 + 600 > 1200: both units are read, each value in its own file.
        assert!(out.contains(r#""file":"tests/fixtures/inputs/units/a.yaml""#), "{out}");
        assert!(out.contains(r#""file":"tests/fixtures/inputs/units/b.yaml""#), "{out}");
        assert_eq!(summary(&out)["violations"], 1, "{out}");
    }
    let only_a = tally(&[
        "check",
        "--rules",
        RULES,
        "--rule",
        "汇总",
        "--format",
        "json",
        "--input",
        "下属单位=tests/fixtures/inputs/units/a*",
        THIS_YEAR,
    ]);
    assert_eq!(summary(&only_a)["passed"], 1, "{only_a}");
}

#[test]
fn a_required_input_that_is_absent_is_a_usage_error() {
    let dir = scratch_dir("required");
    let rules = dir.join("r.tally");
    std::fs::write(&rules, "input 上年 required\nrule a { assert 上年.x == 1 }\n").unwrap();
    let out = tally(&["check", "--rules", &rules.to_string_lossy(), THIS_YEAR]);
    insta::assert_snapshot!(out);
}

#[test]
fn an_unknown_input_name_is_a_usage_error_with_a_did_you_mean() {
    insta::assert_snapshot!(tally(&["check", "--rules", RULES, "--input", "上面=x.yaml", THIS_YEAR]));
}

// -------------------------------------------------------------- parameters

#[test]
fn a_param_from_the_command_line_overrides_the_default() {
    let strict = tally(&[
        "check",
        "--rules",
        RULES,
        "--rule",
        "总额增幅",
        "--format",
        "json",
        "--input",
        LAST_YEAR,
        THIS_YEAR,
    ]);
    assert_eq!(summary(&strict)["violations"], 1, "{strict}");
    let loose = tally(&[
        "check",
        "--rules",
        RULES,
        "--rule",
        "总额增幅",
        "--format",
        "json",
        "--input",
        LAST_YEAR,
        "--param",
        "增幅上限=30%",
        THIS_YEAR,
    ]);
    assert_eq!(summary(&loose)["passed"], 1, "{loose}");
}

#[test]
fn a_param_from_a_file_is_data_the_finding_points_at() {
    let out = tally(&[
        "check",
        "--rules",
        RULES,
        "--rule",
        "地区",
        "--format",
        "json",
        "--params",
        "tests/fixtures/inputs/params.yaml",
        "--param",
        "地区=\"北京\"",
        THIS_YEAR,
    ]);
    // The file's value wins over the command line's: it is read as data.
    assert_eq!(summary(&out)["passed"], 1, "{out}");
    let loose = tally(&[
        "check",
        "--rules",
        RULES,
        "--rule",
        "总额增幅",
        "--format",
        "json",
        "--input",
        LAST_YEAR,
        "--params",
        "tests/fixtures/inputs/params.yaml",
        "--param",
        "地区=\"河北\"",
        THIS_YEAR,
    ]);
    assert_eq!(summary(&loose)["passed"], 1, "{loose}");
    let strict = tally(&[
        "check",
        "--rules",
        RULES,
        "--rule",
        "总额增幅",
        "--format",
        "json",
        "--input",
        LAST_YEAR,
        "--params",
        "tests/fixtures/inputs/params.yaml",
        "--param",
        "增幅上限=10%",
        "--input",
        "下属单位=tests/fixtures/inputs/units",
        "tests/fixtures/inputs/2023/unit.yaml",
    ]);
    assert_eq!(summary(&strict)["passed"], 1, "{strict}");
}

#[test]
fn a_finding_that_read_a_param_file_value_points_into_that_file() {
    let dir = scratch_dir("param-data");
    let params = dir.join("p.yaml");
    std::fs::write(&params, "增幅上限: 0.05\n").unwrap();
    let out = tally(&[
        "check",
        "--rules",
        RULES,
        "--rule",
        "总额增幅",
        "--format",
        "json",
        "--input",
        LAST_YEAR,
        "--params",
        &params.to_string_lossy(),
        THIS_YEAR,
    ]);
    assert!(
        out.contains(r#""file":"[TMP]/param-data/p.yaml","path":"增幅上限""#),
        "{out}"
    );
    assert!(out.contains(r#""value":"0.05""#), "{out}");
}

#[test]
fn wrong_params_are_usage_errors() {
    let cases: [&[&str]; 5] = [
        &["--param", "增幅上线=20%"],
        &["--param", "增幅上限=\"20%\""],
        &["--param", "地区=12"],
        &["--params", "tests/fixtures/inputs/bad-params.yaml"],
        &["--params", "tests/fixtures/inputs/typo-params.yaml"],
    ];
    let mut out = String::new();
    for case in cases {
        let mut args = vec!["check", "--rules", RULES];
        args.extend_from_slice(case);
        args.push(THIS_YEAR);
        out.push_str(&format!("$ {}\n{}\n", case.join(" "), tally(&args)));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn tally_rules_lists_the_parameters() {
    insta::assert_snapshot!(tally(&["rules", "--rules", RULES]));
}

// --------------------------------------------------------- accepted findings

#[test]
fn allow_annotations_with_and_without_a_reason() {
    let out = tally(&[
        "check",
        "--rules",
        RULES,
        "--input",
        LAST_YEAR,
        "--format",
        "json",
        "tests/fixtures/inputs/allow.yaml",
    ]);
    let s = summary(&out);
    // 总额增幅 accepted with a reason; 上年数一致's annotation has none, so the
    // finding stands and `allow` warns; the misspelt rule name warns too.
    assert_eq!(s["accepted"], 1, "{out}");
    assert_eq!(s["by_severity"]["warning"], 2, "{out}");
    assert!(out.contains(r#""rule":"上年数一致""#), "{out}");
    insta::assert_snapshot!(tally(&[
        "check",
        "--rules",
        RULES,
        "--input",
        LAST_YEAR,
        "tests/fixtures/inputs/allow.yaml"
    ]));
}

#[test]
fn show_accepted_prints_accepted_findings_without_failing_on_them() {
    let out = tally(&[
        "check",
        "--rules",
        RULES,
        "--rule",
        "总额增幅",
        "--input",
        LAST_YEAR,
        "--format",
        "json",
        "--show-accepted",
        "tests/fixtures/inputs/allow.yaml",
    ]);
    assert!(out.contains("[accepted 已接受: 2024 年新增职能，经财政批复]"), "{out}");
    assert_eq!(summary(&out)["accepted"], 1, "{out}");
}

#[test]
fn a_baseline_survives_edits_elsewhere_in_the_file() {
    let dir = scratch_dir("baseline");
    let data = dir.join("unit.yaml");
    std::fs::write(&data, std::fs::read_to_string(THIS_YEAR).unwrap()).unwrap();
    let data = data.to_string_lossy().into_owned();
    let baseline = dir.join("baseline.jsonl").to_string_lossy().into_owned();
    let first = tally(&[
        "check",
        "--rules",
        RULES,
        "--input",
        LAST_YEAR,
        "--write-baseline",
        &baseline,
        &data,
    ]);
    assert!(first.starts_with("exit: 1"), "{first}");
    // Lines inserted above the findings' values: lines move, paths do not.
    let text = std::fs::read_to_string(&data).unwrap();
    std::fs::write(&data, format!("# 2024 年部门预算\n备注: 新增一行\n{text}")).unwrap();
    let again = tally(&[
        "check",
        "--rules",
        RULES,
        "--input",
        LAST_YEAR,
        "--baseline",
        &baseline,
        "--format",
        "json",
        &data,
    ]);
    let s = summary(&again);
    assert_eq!(
        (s["accepted"].as_u64(), s["violations"].as_u64()),
        (Some(2), Some(0)),
        "{again}"
    );
    assert!(again.starts_with("exit: 0"), "{again}");
    // A new finding is still reported.
    let with_change = tally(&[
        "check",
        "--rules",
        RULES,
        "--input",
        LAST_YEAR,
        "--param",
        "地区=\"北京\"",
        "--baseline",
        &baseline,
        "--format",
        "json",
        &data,
    ]);
    let s = summary(&with_change);
    assert_eq!(
        (s["accepted"].as_u64(), s["violations"].as_u64()),
        (Some(2), Some(1)),
        "{with_change}"
    );
}

// ------------------------------------------------------------------ suites

#[test]
fn test_cases_name_their_inputs() {
    insta::assert_snapshot!(tally(&["test", "--rules", RULES, "tests/fixtures/inputs/cases"]));
}

#[test]
fn a_param_default_must_be_a_constant_and_an_input_keeps_one_shape() {
    let dir = scratch_dir("load-errors");
    let rules = dir.join("r.tally");
    std::fs::write(
        &rules,
        "let 基数 = 2\nparam 上限 = 基数 * 10\ninput 上年\ninput 上年[]\nrule a { assert 上年.x <= 上限 }\n",
    )
    .unwrap();
    insta::assert_snapshot!(tally(&["lint", &rules.to_string_lossy()]));
}

#[test]
fn input_and_param_stay_ordinary_names_inside_rules() {
    let dir = scratch_dir("names");
    let rules = dir.join("r.tally");
    std::fs::write(&rules, "rule a { assert input.required == param }\n").unwrap();
    let data = dir.join("d.yaml");
    std::fs::write(&data, "input: {required: 1}\nparam: 1\n").unwrap();
    let out = tally(&[
        "check",
        "--rules",
        &rules.to_string_lossy(),
        "--format",
        "json",
        &data.to_string_lossy(),
    ]);
    assert_eq!(summary(&out)["passed"], 1, "{out}");
}

#[test]
fn a_json_params_file_and_a_list_param() {
    let dir = scratch_dir("json-params");
    let rules = dir.join("r.tally");
    std::fs::write(
        &rules,
        "param 允许地区 = [\"河北\", \"山西\"]\nparam 严格 = false\nrule a { assert 严格 or 地区 in 允许地区 }\n",
    )
    .unwrap();
    let data = dir.join("d.yaml");
    std::fs::write(&data, "地区: 北京\n").unwrap();
    let params = dir.join("p.json");
    std::fs::write(&params, r#"{"允许地区": ["北京", "天津"]}"#).unwrap();
    let (rules, data, params) = (
        rules.to_string_lossy(),
        data.to_string_lossy(),
        params.to_string_lossy(),
    );
    let default = tally(&["check", "--rules", &rules, "--format", "json", &data]);
    assert_eq!(summary(&default)["violations"], 1, "{default}");
    let from_file = tally(&[
        "check", "--rules", &rules, "--format", "json", "--params", &params, &data,
    ]);
    assert_eq!(summary(&from_file)["passed"], 1, "{from_file}");
    let from_flag = tally(&[
        "check",
        "--rules",
        &rules,
        "--format",
        "json",
        "--param",
        "允许地区=[\"北京\"]",
        &data,
    ]);
    assert_eq!(summary(&from_flag)["passed"], 1, "{from_flag}");
    let wrong = tally(&["check", "--rules", &rules, "--param", "严格=1", &data]);
    assert!(
        wrong.starts_with("exit: 2") && wrong.contains("is not a boolean"),
        "{wrong}"
    );
}

#[test]
fn a_finding_with_no_value_in_the_data_file_is_accepted_by_baseline_path() {
    // Only a params-file value and the default message: the baseline still
    // matches it by file, rule, kind and primary path.
    let dir = scratch_dir("baseline-param");
    let data = dir.join("unit.yaml");
    std::fs::write(&data, "单位: x\n").unwrap();
    let data = data.to_string_lossy().into_owned();
    let baseline = dir.join("b.jsonl").to_string_lossy().into_owned();
    let args = ["check", "--rules", RULES, "--rule", "地区", "--param", "地区=\"北京\""];
    let first = tally(&[&args[..], &["--write-baseline", &baseline, &data]].concat());
    assert!(first.starts_with("exit: 1"), "{first}");
    let again = tally(&[&args[..], &["--baseline", &baseline, "--format", "json", &data]].concat());
    assert_eq!(summary(&again)["accepted"], 1, "{again}");
}

#[test]
fn an_allow_alone_on_the_line_before_accepts_with_its_reason() {
    let dir = scratch_dir("allow-before");
    let data = dir.join("unit.yaml");
    std::fs::write(
        &data,
        "单位: 示例单位\n支出:\n  # tally-allow: 上年数一致, 总额增幅 — 上年数按调整后预算填列\n\n  # 其他注释\n  上年数: 1050\n  合计: 1200\n",
    )
    .unwrap();
    let out = tally(&[
        "check",
        "--rules",
        RULES,
        "--input",
        LAST_YEAR,
        "--format",
        "json",
        &data.to_string_lossy(),
    ]);
    let s = summary(&out);
    // 上年数一致 is accepted (its value is on the annotated line); 总额增幅
    // points at 支出.合计 on the next line, so it stands.
    assert_eq!(
        (s["accepted"].as_u64(), s["violations"].as_u64()),
        (Some(1), Some(1)),
        "{out}"
    );
    assert!(out.contains(r#""rule":"总额增幅""#), "{out}");
}
