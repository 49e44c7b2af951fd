//! Validating a data document against the schema before the rules run: each
//! breach is a finding of the built-in rule `schema`, pointing at the value
//! (or at the map that lacks a required key).

use jsonschema::error::ValidationErrorKind;
use jsonschema::json::Json;
use jsonschema::paths::LocationSegment;
use jsonschema::Validator;
use serde_json::Value;

use super::instance::DataNode;
use super::shape::{self, Lookup};
use super::Schema;
use crate::data::{Document, NodeId, NodeValue};
use crate::eval::{DataRead, DocumentResult, Finding, FindingKind};
use crate::resolve::{suggest, Severity};

/// Adds a finding to `result` for every place `doc` breaks `schema`.
pub fn validate(schema: &Schema, doc: &Document, result: &mut DocumentResult) {
    report(schema, &schema.validator, DataNode::new(doc, doc.root()), doc, result);
}

/// Validates `instance`, the root of `doc` in `validator`'s representation.
fn report<'i, F: Json>(
    schema: &Schema,
    validator: &'i Validator<F>,
    instance: F::Node<'i>,
    doc: &Document,
    result: &mut DocumentResult,
) {
    if validator.is_valid(instance.clone()) {
        // Most documents match: the quick check, without collecting errors.
        result.counts.record(None);
        return;
    }
    let before = result.counts.violations;
    for error in validator.iter_errors(instance) {
        let node = locate(doc, error.instance_path().iter());
        let described = described_by(&schema.document, error.schema_path().as_str());
        let breaches = describe(schema, doc, node, error.kind(), described, &error.to_string());
        for (node, severity, message) in breaches {
            result.counts.record(Some(FindingKind::Violation));
            if !result.has_room(schema.rule) {
                result.omit(schema.rule, FindingKind::Violation, Some(severity));
                continue;
            }
            result.add(Finding {
                rule: schema.rule,
                kind: FindingKind::Violation,
                message,
                values: vec![DataRead {
                    node,
                    path: doc.path(node),
                }],
                values_not_listed: 0,
                primary: Some(0),
                span: schema.declared,
                statement: schema.declared,
                severity: Some(severity),
            });
        }
    }
    if result.counts.violations == before {
        // The document as a whole matches: one passed check.
        result.counts.record(None);
    }
}

/// The node an instance path leads to (as far as it goes).
fn locate<'a>(doc: &Document, segments: impl Iterator<Item = LocationSegment<'a>>) -> NodeId {
    let mut at = doc.root();
    for segment in segments {
        let next = match (segment, doc.value(at)) {
            (LocationSegment::Property(key), NodeValue::Map(_)) => doc.get(at, &key),
            (LocationSegment::Index(i), NodeValue::List(items)) => items.get(i).copied(),
            _ => None,
        };
        match next {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// The `description` of the subschema holding the keyword at `keyword` (a
/// JSON pointer into the schema, ending in the keyword), if it has one.
fn described_by<'s>(schema: &'s Value, keyword: &str) -> Option<&'s str> {
    let (subschema, _keyword) = keyword.rsplit_once('/')?;
    schema.pointer(subschema)?.get("description")?.as_str()
}

/// The findings one validation error makes: (node, severity, message).
/// `described` is what the schema says the value should be, where it says.
fn describe(
    schema: &Schema,
    doc: &Document,
    node: NodeId,
    kind: &ValidationErrorKind,
    described: Option<&str>,
    fallback: &str,
) -> Vec<(NodeId, Severity, String)> {
    let path = match doc.path(node) {
        root if root == "$" => "$ (the document)".to_owned(),
        path => path,
    };
    match kind {
        ValidationErrorKind::Required { property } => {
            let key = property.as_str().map_or_else(|| property.to_string(), str::to_owned);
            vec![(
                node,
                Severity::Error,
                format!("`{path}` lacks the required key `{key}` (缺少必填项 `{key}`)"),
            )]
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let allowed = allowed_keys(schema, doc, node);
            unexpected
                .iter()
                .map(|key| {
                    let at = doc.get(node, key).unwrap_or(node);
                    let hint = suggest(key, allowed.iter().map(String::as_str))
                        .map(|h| format!("; {h}"))
                        .unwrap_or_default();
                    (
                        at,
                        Severity::Warning,
                        format!("`{path}` has the key `{key}`, which the schema does not allow there (schema 中没有此项){hint}"),
                    )
                })
                .collect()
        }
        ValidationErrorKind::Type { kind } => vec![(
            node,
            Severity::Error,
            format!(
                "`{path}` is {}, but the schema wants {} (类型不符)",
                type_name(doc, node),
                wanted_types(kind)
            ),
        )],
        ValidationErrorKind::Enum { options } => {
            let options = match &**options {
                Value::Array(values) => values.iter().map(Value::to_string).collect::<Vec<_>>().join(", "),
                other => other.to_string(),
            };
            vec![(
                node,
                Severity::Error,
                format!(
                    "`{path}` is {}, not one of the values the schema allows: {options} (取值不在允许范围内)",
                    doc.raw(node)
                ),
            )]
        }
        // An auditor reads the schema's description of the value sooner than its regex.
        ValidationErrorKind::Pattern { pattern } => vec![(
            node,
            Severity::Error,
            match described {
                Some(description) => format!(
                    "`{path}` is {}, which is not in the form the schema describes: {description} (格式不符)",
                    doc.raw(node)
                ),
                None => format!(
                    "`{path}` is {}, which does not match the schema's pattern `{pattern}` (格式不符)",
                    doc.raw(node)
                ),
            },
        )],
        _ => vec![(node, Severity::Error, format!("`{path}`: {fallback}"))],
    }
}

/// The keys the schema names for the map at `node`, for "did you mean".
fn allowed_keys(schema: &Schema, doc: &Document, node: NodeId) -> Vec<String> {
    // The subschema at `node`, walked down from the root along its path.
    let mut steps = Vec::new();
    let mut at = node;
    while let Some((parent, step)) = doc.node(at).parent {
        steps.push((parent, step, at));
        at = parent;
    }
    let root = &schema.document;
    let mut here = root;
    for &(parent, _, child) in steps.iter().rev() {
        let next = match doc.value(parent) {
            NodeValue::Map(entries) => {
                let key = entries.iter().find(|(_, id)| *id == child).map(|(k, _)| &**k);
                match key.map(|k| shape::key(root, here, k)) {
                    Some(Lookup::Known(s)) => Some(s),
                    _ => None,
                }
            }
            NodeValue::List(_) => shape::elements(root, here),
            _ => None,
        };
        match next {
            Some(next) => here = next,
            None => return Vec::new(),
        }
    }
    shape::named_keys(root, here).into_iter().map(str::to_owned).collect()
}

fn type_name(doc: &Document, node: NodeId) -> String {
    match doc.value(node) {
        NodeValue::Null => "empty (null)".to_owned(),
        NodeValue::Bool(_) => format!("a boolean ({})", doc.raw(node)),
        NodeValue::Number(_) | NodeValue::InvalidNumber(_) => format!("a number ({})", doc.raw(node)),
        NodeValue::String(_) => format!("a string ({})", doc.raw(node)),
        NodeValue::List(_) => "a list".to_owned(),
        NodeValue::Map(_) => "a map".to_owned(),
    }
}

fn wanted_types(kind: &jsonschema::error::TypeKind) -> String {
    let name = |t: &str| match t {
        "object" => "a map",
        "array" => "a list",
        "number" => "a number",
        "integer" => "an integer",
        "string" => "a string",
        "boolean" => "a boolean",
        "null" => "null",
        _ => "a value of another type",
    };
    match kind {
        jsonschema::error::TypeKind::Single(t) => name(&t.to_string()).to_owned(),
        jsonschema::error::TypeKind::Multiple(ts) => {
            let names: Vec<&str> = ts.iter().map(|t| name(&t.to_string())).collect();
            names.join(" or ")
        }
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
