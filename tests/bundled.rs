//! The bundled rule library (`rules/cn-budget`, compiled into the binary):
//! its audit of the example disclosure, and its own regression suite run
//! through `tally test`, so CI fails the moment a bundled rule regresses.

mod support;

fn tally(args: &[&str]) -> (i32, String, String) {
    let output = support::run(args);
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

/// One odd cell ends only the assertions that read it as a value, not every
/// assertion that compared it with another row (docs/decisions.md, "one odd
/// cell must not spread"). `tally test` cannot tell: the spread findings read
/// the annotated line too. Before the fix: 8, 16 and 10 error outcomes.
#[test]
fn one_odd_cell_ends_only_its_own_assertions() {
    for (case, expected) in [
        // `未安排` and the full-width `７５%`: one error outcome each.
        ("performance-plan-text-cell", 2),
        // A blank project name: violations, no error outcome.
        ("projects-blank-name", 0),
        // A numeric `二级`: not that category, no error outcome.
        ("performance-category-number", 0),
    ] {
        let path = format!("tests/cases/cn-budget/{case}.yaml");
        let (_, stdout, stderr) = tally(&["check", "--format", "json", &path]);
        let errors = stdout
            .lines()
            .filter(|l| {
                ["type", "arithmetic", "limit"]
                    .iter()
                    .any(|k| l.contains(&format!("\"kind\":\"{k}\"")))
            })
            .count();
        assert_eq!(errors, expected, "{case}: error outcomes\n{stdout}{stderr}");
    }
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

/// The README's data-structure section is this outline of `schema.json`;
/// `UPDATE_README=1 cargo test --test bundled` rewrites it.
#[test]
fn the_readme_describes_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("rules/cn-budget/schema.json").expect("schema.json"))
            .expect("schema.json is JSON");
    let mut outline = String::new();
    outline_of(&schema, &schema, 0, &mut outline);
    let readme_path = "rules/cn-budget/README.md";
    let readme = std::fs::read_to_string(readme_path).expect("README");
    let (begin, end) = ("<!-- schema outline: begin -->\n", "<!-- schema outline: end -->");
    let start = readme.find(begin).expect("README has the outline's begin marker") + begin.len();
    let stop = readme.find(end).expect("README has the outline's end marker");
    let wanted = format!("```\n{outline}```\n");
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{wanted}{}", &readme[..start], &readme[stop..]);
        std::fs::write(readme_path, updated).expect("write README");
        return;
    }
    assert_eq!(
        readme[start..stop],
        wanted,
        "README's schema section and schema.json differ; run UPDATE_README=1 cargo test --test bundled"
    );
}

/// `node`'s `$ref` followed inside the schema.
fn resolved<'a>(root: &'a serde_json::Value, node: &'a serde_json::Value) -> &'a serde_json::Value {
    match node
        .get("$ref")
        .and_then(|r| r.as_str())
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(pointer) => resolved(root, root.pointer(pointer).expect("a $ref inside the schema")),
        None => node,
    }
}

/// One line per key: `名称（必需）: 类型 — 说明`, children indented.
fn outline_of(root: &serde_json::Value, node: &serde_json::Value, depth: usize, out: &mut String) {
    let node = resolved(root, node);
    let required: Vec<&str> = node["required"]
        .as_array()
        .map(|r| r.iter().filter_map(|k| k.as_str()).collect())
        .unwrap_or_default();
    let mut entries: Vec<(String, &serde_json::Value)> = node["properties"]
        .as_object()
        .map(|p| p.iter().map(|(k, v)| (k.clone(), v)).collect())
        .unwrap_or_default();
    if let Some(extra) = node.get("additionalProperties").filter(|a| a.is_object()) {
        entries.push(("<其他键>".to_owned(), extra));
    }
    for (key, child) in entries {
        let target = resolved(root, child);
        let description = child["description"]
            .as_str()
            .or(target["description"].as_str())
            .unwrap_or("");
        let mark = if required.contains(&key.as_str()) {
            "（必需）"
        } else {
            ""
        };
        let kind = kind_of(root, child);
        out.push_str(&format!("{}{key}{mark}: {kind} — {description}\n", "  ".repeat(depth)));
        match target["type"].as_str() {
            Some("object") => outline_of(root, target, depth + 1, out),
            Some("array") => {
                let items = resolved(root, &target["items"]);
                if items["type"] == "object" {
                    out.push_str(&format!("{}每项:\n", "  ".repeat(depth + 1)));
                    outline_of(root, items, depth + 2, out);
                }
            }
            _ => {}
        }
    }
}

fn kind_of(root: &serde_json::Value, node: &serde_json::Value) -> String {
    if node["$ref"] == "#/$defs/amount" {
        return "万元".to_owned();
    }
    let node = resolved(root, node);
    let name = |t: &serde_json::Value| match t.as_str().unwrap_or("") {
        "object" => "映射",
        "array" => "列表",
        "string" => "文字",
        "number" => "数字",
        "integer" => "整数",
        "null" => "null",
        _ => "任意",
    };
    let mut kind = match &node["type"] {
        serde_json::Value::Array(types) => types.iter().map(name).collect::<Vec<_>>().join(" 或 "),
        t => name(t).to_owned(),
    };
    if kind == "列表" {
        kind = format!("列表，每项为{}", kind_of(root, &node["items"]));
    }
    if let Some(values) = node["enum"].as_array() {
        let values: Vec<String> = values
            .iter()
            .map(|v| v.as_str().map_or(v.to_string(), str::to_owned))
            .collect();
        kind.push_str(&format!("，取值：{}", values.join(" / ")));
    }
    kind
}
