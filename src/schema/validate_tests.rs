//! The in-place validator against the `serde_json` copy of each document that
//! it replaced: the same findings, in the same order, for every document.

use serde_json::{json, Map, Number, Value};

use super::{report, validate};
use crate::data::{self, Document, Limits, NodeId, NodeValue};
use crate::eval::DocumentResult;
use crate::schema::{instance, Schema};
use crate::source::{SourceFile, Span};

/// The copy validation used to make of every document, kept as the reference.
fn copy(doc: &Document, id: NodeId) -> Value {
    match doc.value(id) {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(b) => Value::Bool(*b),
        NodeValue::Number(n) => n.to_string().parse::<Number>().map_or(Value::Null, Value::Number),
        // Too long for a decimal: its written text, a number all the same.
        NodeValue::InvalidNumber(_) => doc.raw(id).parse::<Number>().map_or(Value::Null, Value::Number),
        NodeValue::String(s) => Value::String(s.to_string()),
        NodeValue::List(items) => Value::Array(items.iter().map(|&i| copy(doc, i)).collect()),
        NodeValue::Map(entries) => {
            let mut map = Map::with_capacity(entries.len());
            for (key, value) in entries.iter() {
                map.insert(key.to_string(), copy(doc, *value));
            }
            Value::Object(map)
        }
    }
}

/// Fails the test where validating `doc` in place and validating its copy
/// disagree; returns how many findings they made.
fn same_findings(schema: &Schema, doc: &Document, name: &str) -> usize {
    let mut in_place = DocumentResult::default();
    // Messages quote whole instances here, as the copy's do.
    instance::SHOWN_IN_TESTS.with(|shown| shown.set(usize::MAX));
    validate(schema, doc, &mut in_place);
    instance::SHOWN_IN_TESTS.with(|shown| shown.set(1000));
    let reference = jsonschema::draft202012::new(&schema.document).expect("the schema compiles");
    let copied_doc = copy(doc, doc.root());
    let mut copied = DocumentResult::default();
    report(schema, &reference, &copied_doc, doc, &mut copied);
    assert_eq!(
        format!("{in_place:#?}"),
        format!("{copied:#?}"),
        "{name}: in place and copied disagree"
    );
    // Validating the copy in place too: `to_value` is the copy itself.
    assert_eq!(instance::to_value(doc, doc.root()), copied_doc, "{name}: to_value");
    in_place.findings.len()
}

fn schema(document: Value) -> Schema {
    Schema {
        file: "test.json".to_owned(),
        text: document.to_string(),
        validator: instance::validator(&document).expect("the schema compiles"),
        document,
        declared: Span::default(),
        rule: 0,
    }
}

/// A schema that puts most keywords to every value it meets, at every depth.
fn everything() -> Schema {
    schema(json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "#/$defs/any",
        "$defs": {
            "any": {
                "minimum": -5,
                "maximum": 100000000000000000000u128,
                "exclusiveMaximum": 1234567890123456789012345678u128,
                "multipleOf": 0.5,
                "not": { "const": 2.5 },
                "minLength": 2,
                "maxLength": 3,
                "pattern": "^[a-z中]",
                "minItems": 2,
                "maxItems": 6,
                "uniqueItems": true,
                "contains": { "type": "integer" },
                "items": { "$ref": "#/$defs/any" },
                "minProperties": 2,
                "maxProperties": 9,
                "propertyNames": { "maxLength": 2, "pattern": "^[^~]" },
                "patternProperties": { "^a": { "type": ["integer", "null"] } },
                "dependentRequired": { "big": ["small"] },
                "additionalProperties": { "$ref": "#/$defs/any" }
            }
        }
    }))
}

/// A closed, typed schema, in the shape of the bundled one.
fn typed() -> Schema {
    schema(json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["big", "missing", "也没有"],
        "properties": {
            "big": { "type": "integer", "enum": [1234567890123456789012345678u128, 1, "a"] },
            "bigger": { "type": "number" },
            "huge": { "type": ["number", "string"] },
            "small": { "type": "integer" },
            "neg": { "const": 0 },
            "scaled": { "enum": [80, 2.5] },
            "exp": { "const": 15 },
            "int_like": { "type": "integer", "maximum": 6 },
            "u64max": { "type": "integer", "exclusiveMaximum": 18446744073709551615u64 },
            "over": { "type": "integer", "minimum": 18446744073709551617.0 },
            "i64min": { "type": "integer", "maximum": -9223372036854775809.0 },
            "frac": { "type": "integer" },
            "strs": { "type": "array", "items": { "type": "string", "enum": ["", "a", "中文"] } },
            "nested": { "type": "array", "prefixItems": [{ "type": "array" }, { "type": "object", "required": ["x"] }], "items": false },
            "keys": { "type": "object", "additionalProperties": false, "properties": { "a": {} } },
            "again": { "$ref": "#/properties/alias" },
            "alias": { "type": "object", "properties": { "k": { "type": "string" } }, "additionalProperties": false },
            "dup_list": { "type": "array", "uniqueItems": true },
            "null": { "type": "string" },
            "bool": { "enum": [false] }
        },
        "unevaluatedProperties": false
    }))
}

/// Documents with the awkward corners: numbers past every native type, invalid
/// numbers, keys out of order, nesting, aliases, empty keys.
const GENERATED: &[&str] = &[
    r#"
big: 1234567890123456789012345678
bigger: 12345678901234567890123456789
huge: 1e400
small: 0.0000000000000000000000000001
neg: -0.0
scaled: 80.00
exp: 1.50e1
int_like: 007
u64max: 18446744073709551615
over: 18446744073709551616
i64min: -9223372036854775808
frac: 2.5
strs: ["", "a", "中文", "25%", "~x"]
"": empty key
"~": tilde key
nested: [[1, [2, {z: 1, a: [3]}]], {}, [], x]
keys: {z: 1, a: 2, 中: 3, A: 4, "a b": 5, "~": 6, "": 7}
alias: &x {k: 1, j: [1, 2, 2], big: 3}
again: *x
dup_list: [1, 1.0, "1", [1], [1.00]]
null: ~
bool: true
"#,
    "[1, 2.50, -7, 99999999999999999999999999999, [], {}, [[[[]]]], {b: {a: {c: 1}}}]",
    r#"{"z": {"y": {"x": [1.0, 1, 1e2, 100, 0.5, -0.5]}}, "a": "中文字", "big": 1}"#,
    "just a string",
    "2.5",
    "~",
    "{}",
    "[]",
];

fn load(name: &str, text: &str) -> Option<Document> {
    data::load(SourceFile::new(name, text.to_owned()), Limits::default()).ok()
}

#[test]
fn generated_documents_give_the_same_findings_in_place() {
    let schemas = [everything(), typed()];
    let mut findings = 0;
    for (i, text) in GENERATED.iter().enumerate() {
        let doc = load("generated.yaml", text).expect("a generated document loads");
        for schema in &schemas {
            findings += same_findings(schema, &doc, &format!("generated document {i}"));
        }
    }
    // The documents break their schemas in many ways, so the comparison has findings to compare.
    assert!(findings > 60, "{findings}");
}

#[test]
fn every_data_file_gives_the_same_findings_in_place() {
    let bundled = crate::unstable::load_bundled()
        .expect("the bundled library loads")
        .schema
        .expect("the bundled library has a schema");
    let schemas = [everything(), typed()];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in ["tests", "examples"] {
        files(&root.join(dir), &mut found);
    }
    let (mut documents, mut findings) = (0, 0);
    for path in found {
        let name = path.display().to_string();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Some(doc) = load(&name, &text) else {
            continue;
        };
        documents += 1;
        findings += same_findings(&bundled, &doc, &name);
        // The stricter schemas on the smaller files: their findings grow with the document.
        if text.len() <= 64 * 1024 {
            for schema in &schemas {
                findings += same_findings(schema, &doc, &name);
            }
        }
    }
    assert!(documents > 100, "{documents}");
    assert!(findings > 1000, "{findings}");
}

fn files(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, found);
        } else if path
            .extension()
            .is_some_and(|e| ["yaml", "yml", "json"].iter().any(|x| e == *x))
        {
            found.push(path);
        }
    }
}

#[test]
fn a_decimal_is_always_a_json_number() {
    // `json_type` relies on it rather than parsing every number it sees.
    for text in [
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
        "0.0000000000000000000000000001",
        "-0.0000000000000000000000000001",
        "0",
        "-0",
        "0.00",
        "-0.00",
        "80.00",
        "1.5e1",
        "007",
    ] {
        let decimal: rust_decimal::Decimal = text
            .parse()
            .or_else(|_| rust_decimal::Decimal::from_scientific(text))
            .unwrap();
        assert!(decimal.to_string().parse::<Number>().is_ok(), "{text} -> {decimal}");
    }
}

#[test]
fn a_number_too_long_for_a_decimal_is_still_a_number() {
    let schema = schema(json!({
        "type": "object",
        "properties": {"合计": {"type": "number", "minimum": 0}}
    }));
    let long = load("long.yaml", "合计: 12345678901234567890123456789\n").expect("loads");
    assert!(matches!(
        long.value(long.get(long.root(), "合计").expect("the key")),
        NodeValue::InvalidNumber(_)
    ));
    let mut result = DocumentResult::default();
    validate(&schema, &long, &mut result);
    assert!(result.findings.is_empty(), "{:?}", result.findings);
    let negative = load("negative.yaml", "合计: -12345678901234567890123456789\n").expect("loads");
    let mut result = DocumentResult::default();
    validate(&schema, &negative, &mut result);
    assert_eq!(result.findings.len(), 1, "below the minimum: {:?}", result.findings);
}

/// An error's instance, which the validator copies for its message, holds
/// at most a thousand values: a document of millions of numbers without a
/// required key was copied whole for each such error (1.4 GB for six
/// errors over 4.9 million numbers).
#[test]
fn an_error_about_a_large_value_quotes_its_first_thousand_values() {
    let schema = schema(json!({
        "type": "object",
        "properties": {"l": {"type": "array", "maxItems": 2}}
    }));
    let numbers: Vec<String> = (0..5000).map(|i| i.to_string()).collect();
    let doc = load("many.yaml", &format!("l: [{}]\n", numbers.join(", "))).expect("loads");
    let mut result = DocumentResult::default();
    validate(&schema, &doc, &mut result);
    let messages: Vec<&str> = result.findings.iter().map(|f| f.message.as_str()).collect();
    let shown: Vec<String> = (0..999).map(|i| i.to_string()).collect();
    assert_eq!(
        messages,
        [format!(
            "`l`: [{},\"… 4001 more\"] has more than 2 items",
            shown.join(",")
        )]
    );
}

/// Past a thousand breaches in one document, the rest are counted, not
/// kept, with the severity each would have had (a wrong type is an error, a
/// key not allowed a warning).
#[test]
fn breaches_past_a_thousand_are_counted_by_severity() {
    let schema = schema(json!({
        "type": "object",
        "properties": {"l": {"type": "array", "items": {"type": "string"}}},
        "additionalProperties": false
    }));
    let numbers: Vec<String> = (0..1500).map(|i| i.to_string()).collect();
    let doc = load("many.yaml", &format!("l: [{}]\n额外: 1\n", numbers.join(", "))).expect("loads");
    let mut result = DocumentResult::default();
    validate(&schema, &doc, &mut result);
    assert_eq!(result.findings.len(), crate::eval::FINDINGS_KEPT);
    assert_eq!(result.counts.violations, 1501);
    let omitted: Vec<_> = result.omitted.iter().map(|o| (o.severity, o.count)).collect();
    assert_eq!(
        omitted,
        [
            (Some(crate::resolve::Severity::Error), 500),
            (Some(crate::resolve::Severity::Warning), 1)
        ]
    );
}
