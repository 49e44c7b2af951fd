//! Schemas (spec §10) as a user meets them: rule paths checked at load, data
//! validated before the rules run, did-you-mean on missing data, and
//! `tally schema`.

mod support;
use support::{exit_status, fresh_dir, tally, tmp};

/// A folder of scratch files for one test; returns the folder's path.
fn scratch(test: &str, files: &[(&str, &str)]) -> String {
    let dir = fresh_dir(tmp().join(format!("schema-{test}")));
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("scratch file");
    }
    dir.to_string_lossy().into_owned()
}

/// A small schema in the shape of the bundled one.
const SCHEMA: &str = r##"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "$defs": {
    "amount": { "type": "number" },
    "percent": { "type": "string", "pattern": "^[0-9]+%$", "description": "累计百分比，如 \"25%\"" },
    "line": {
      "type": "object",
      "properties": { "品名": { "type": "string" }, "金额": { "$ref": "#/$defs/amount" } },
      "required": ["金额"],
      "additionalProperties": false
    }
  },
  "properties": {
    "支出": {
      "type": "object",
      "properties": {
        "合计": { "$ref": "#/$defs/amount" },
        "基本支出": {
          "type": "object",
          "properties": { "合计": { "$ref": "#/$defs/amount" }, "日常公用经费": { "$ref": "#/$defs/amount" } },
          "additionalProperties": false
        }
      },
      "required": ["合计"],
      "additionalProperties": false
    },
    "明细": { "type": "array", "items": { "$ref": "#/$defs/line" } },
    "支出计划": { "type": "object", "additionalProperties": { "$ref": "#/$defs/percent" } },
    "编码": { "type": "string", "pattern": "^[0-9]{3}$" },
    "附注": { "type": "object" },
    "年度": { "type": "integer", "enum": [2023, 2024, 2025] }
  },
  "required": ["支出"],
  "additionalProperties": false
}
"##;

const GOOD_DATA: &str = "支出:\n  合计: 10\n  基本支出:\n    合计: 10\n    日常公用经费: 3\n明细:\n  - {品名: 书柜, 金额: 1.5}\n支出计划:\n  3月底: \"25%\"\n年度: 2024\n";

#[test]
fn a_misspelt_key_inside_a_guard_is_a_load_error() {
    let dir = scratch(
        "guard",
        &[
            ("schema.json", SCHEMA),
            (
                "rules.tally",
                "schema \"schema.json\"\n\nrule 公用经费 {\n  assert exists(支出?.基本支出?.日常公用经废) or 支出.合计 >= 0\n}\n",
            ),
            ("data.yaml", GOOD_DATA),
        ],
    );
    let run = tally(&[
        "check",
        "--rules",
        &format!("{dir}/rules.tally"),
        &format!("{dir}/data.yaml"),
    ]);
    assert_eq!(exit_status(&run), "exit: 2");
    insta::assert_snapshot!(run);
}

#[test]
fn every_kind_of_path_is_checked() {
    // One misspelt key per kind of path; each must be reported, and the
    // correct paths beside them must not be.
    let rules = r#"schema "schema.json"

fn 金额(x) = x.金额
fn 错(x) = x.全额

rule 各种路径 {
  let 基本 = 支出.基本支出
  assert 基本.合记 >= 0
  assert $.支岀.合计 >= 0
  for 行 in 明细 {
    assert 行.金额 >= 0 and 行.品明 != ""
  }
  assert sum(明细[*].余额) >= 0
  assert count([r for r in 明细 if r.品类 == "书"]) >= 0
  assert 金额(明细[0]) + 错(明细[0]) >= 0
  assert 支出?.基本支出?.日常公用经费 >= 0
  assert 支出计划["3月底"] != "" and 附注.随便.什么 != ""
}
"#;
    let dir = scratch(
        "kinds",
        &[
            ("schema.json", SCHEMA),
            ("rules.tally", rules),
            ("data.yaml", GOOD_DATA),
        ],
    );
    let run = tally(&["lint", &format!("{dir}/rules.tally")]);
    assert_eq!(exit_status(&run), "exit: 2");
    insta::assert_snapshot!(run);
}

#[test]
fn a_parameter_is_checked_only_when_every_call_knows_its_shape() {
    let rules = r#"schema "schema.json"

fn 合记(x) = x.合记

rule 已知 {
  assert 合记(支出) >= 0
}
"#;
    let dir = scratch("params", &[("schema.json", SCHEMA), ("rules.tally", rules)]);
    let run = tally(&["lint", &format!("{dir}/rules.tally")]);
    assert_eq!(exit_status(&run), "exit: 2", "{run}");
    assert!(run.contains("unknown data key `合记`"), "{run}");
    assert!(run.contains("did you mean `合计`?"), "{run}");

    // Called once more with a value whose shape is not known: not checked.
    let rules = rules.replace(
        "assert 合记(支出) >= 0",
        "assert 合记(支出) >= 0 and 合记(number(\"1\")) >= 0",
    );
    let dir = scratch("params-unknown", &[("schema.json", SCHEMA), ("rules.tally", &rules)]);
    let run = tally(&["lint", &format!("{dir}/rules.tally")]);
    assert!(!run.contains("unknown data key"), "{run}");
}

#[test]
fn data_breaches_are_schema_findings_at_their_lines() {
    // A pattern breach shows the schema's description where there is one, the pattern where not.
    let data = "支出:\n  合计: \"十\"\n  基本支出:\n    合计: 10\n    日常公用经废: 3\n明细:\n  - {品名: 书柜}\n年度: 1999\n多余: 1\n支出计划:\n  3月底: 未安排\n编码: \"12a\"\n";
    let dir = scratch(
        "breaches",
        &[
            ("schema.json", SCHEMA),
            (
                "rules.tally",
                "schema \"schema.json\"\n\nrule 合计非负 {\n  assert 支出.基本支出.合计 >= 0\n}\n",
            ),
            ("data.yaml", data),
        ],
    );
    let rules = format!("{dir}/rules.tally");
    let run = tally(&["check", "--rules", &rules, &format!("{dir}/data.yaml")]);
    assert_eq!(exit_status(&run), "exit: 1");
    insta::assert_snapshot!("breaches_human", run);
    let json = tally(&[
        "check",
        "--format",
        "json",
        "--rules",
        &rules,
        &format!("{dir}/data.yaml"),
    ]);
    insta::assert_snapshot!("breaches_json", json);

    // SARIF: each breach a result at its own level.
    let sarif = tally(&[
        "check",
        "--format",
        "sarif",
        "--rules",
        &rules,
        &format!("{dir}/data.yaml"),
    ]);
    let log: serde_json::Value = serde_json::from_str(
        sarif
            .split("--- stdout\n")
            .nth(1)
            .unwrap()
            .split("--- stderr\n")
            .next()
            .unwrap(),
    )
    .expect("SARIF is JSON");
    let levels: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["ruleId"] == "schema")
        .map(|r| r["level"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        levels,
        ["error", "warning", "error", "error", "warning", "error", "error"],
        "{sarif}"
    );

    // The rule is selected like any other: `--rule` of another rule leaves
    // validation out, `--rule schema` runs only it.
    let other = tally(&[
        "check",
        "--rule",
        "合计非负",
        "--rules",
        &rules,
        &format!("{dir}/data.yaml"),
    ]);
    assert_eq!(exit_status(&other), "exit: 0", "{other}");
    let only = tally(&[
        "check",
        "--rule",
        "schema",
        "--format",
        "json",
        "--rules",
        &rules,
        &format!("{dir}/data.yaml"),
    ]);
    assert_eq!(only.matches("\"rule\":\"schema\"").count(), 7, "{only}");
}

#[test]
fn schema_findings_are_expected_in_cases() {
    let case =
        "支出:\n  合计: \"十\"   # expect: schema\n  基本支出:\n    合计: 10\n    日常公用经废: 3   # expect: schema\n";
    let dir = scratch(
        "suite",
        &[
            ("schema.json", SCHEMA),
            (
                "rules.tally",
                "schema \"schema.json\"\n\nrule 合计非负 {\n  assert 支出.基本支出.合计 >= 0\n}\n",
            ),
            ("case.yaml", case),
        ],
    );
    let run = tally(&[
        "test",
        "--rules",
        &format!("{dir}/rules.tally"),
        &format!("{dir}/case.yaml"),
    ]);
    assert_eq!(exit_status(&run), "exit: 0", "{run}");
}

#[test]
fn missing_data_names_the_closest_key_without_a_schema() {
    let dir = scratch(
        "missing",
        &[
            (
                "rules.tally",
                "rule 公用经费 {\n  assert 支出.基本支出.日常公用经废 >= 0\n}\n",
            ),
            ("data.yaml", GOOD_DATA),
        ],
    );
    let run = tally(&[
        "check",
        "--rules",
        &format!("{dir}/rules.tally"),
        &format!("{dir}/data.yaml"),
    ]);
    assert_eq!(exit_status(&run), "exit: 1");
    insta::assert_snapshot!(run);
}

#[test]
fn two_different_schemas_are_a_load_error() {
    let dir = scratch(
        "two",
        &[
            ("a.json", SCHEMA),
            ("b.json", "{}"),
            ("a.tally", "schema \"a.json\"\n"),
            ("b.tally", "schema \"b.json\"\n"),
        ],
    );
    let run = tally(&["lint", &dir]);
    assert_eq!(exit_status(&run), "exit: 2");
    insta::assert_snapshot!(run);
}

#[test]
fn unreadable_and_invalid_schemas_are_load_errors() {
    let dir = scratch(
        "invalid",
        &[
            ("bad.json", "{ \"type\": "),
            ("weird.json", "{ \"type\": \"nonsense\" }"),
            ("a.tally", "schema \"bad.json\"\n"),
            ("b.tally", "schema \"weird.json\"\n"),
            ("c.tally", "schema \"absent.json\"\n"),
        ],
    );
    for (file, words) in [
        ("a.tally", "is not valid JSON"),
        ("b.tally", "is not a usable JSON Schema"),
        ("c.tally", "cannot read rule file"),
    ] {
        let run = tally(&["lint", &format!("{dir}/{file}")]);
        assert_eq!(exit_status(&run), "exit: 2", "{run}");
        assert!(run.contains(words), "{file}: {run}");
    }
}

#[test]
fn schema_is_a_keyword_only_where_an_item_starts() {
    let dir = scratch(
        "keyword",
        &[
            (
                "rules.tally",
                "rule 名字 {\n  assert schema.version == 2 and x.schema == 1\n}\n",
            ),
            ("data.yaml", "schema:\n  version: 2\nx:\n  schema: 1\n"),
        ],
    );
    let run = tally(&[
        "check",
        "--rules",
        &format!("{dir}/rules.tally"),
        &format!("{dir}/data.yaml"),
    ]);
    assert_eq!(exit_status(&run), "exit: 0", "{run}");
}

#[test]
fn tally_schema_prints_the_bundled_schema() {
    let run = tally(&["schema"]);
    assert_eq!(exit_status(&run), "exit: 0");
    let printed = run
        .split("--- stdout\n")
        .nth(1)
        .and_then(|r| r.split("--- stderr\n").next())
        .unwrap_or("");
    let file = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/cn-budget/schema.json")).unwrap();
    assert_eq!(printed.trim_end(), file.trim_end());
    let dir = scratch("none", &[("rules.tally", "rule r {\n  assert 1 == 1\n}\n")]);
    let run = tally(&["schema", "--rules", &format!("{dir}/rules.tally")]);
    assert_eq!(exit_status(&run), "exit: 2", "{run}");
}

#[test]
fn the_catalogue_lists_the_builtin_schema_rule() {
    let run = tally(&["rules"]);
    assert!(run.contains("schema  [error]"), "{run}");
}
