//! The keys a data path can continue with, and what they mean: for
//! completion and hover of data paths in rule files.
//!
//! The keys come from the schema the rule files declare (with its
//! descriptions), then from the data documents open in the editor.

use serde_json::Value;

use crate::data::{Document, NodeId, NodeValue};
use crate::schema::shape::{self, Lookup};
use crate::source::SourceFile;

use super::documents::Documents;

/// A key that may follow a data path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataKey {
    pub key: String,
    /// What the key means (a schema's `description`), when known.
    pub description: Option<String>,
    /// Where the key was seen (a data file's path), when it came from data.
    pub seen_in: Option<String>,
}

/// The keys that may follow `path` (`[]`: the top-level keys): first those
/// the schema allows there, then those of every open data document, each key
/// once.
pub fn data_keys_at(documents: &Documents, schema: Option<&Value>, path: &[String]) -> Vec<DataKey> {
    let mut keys: Vec<DataKey> = schema.map(|s| schema_keys(s, path)).unwrap_or_default();
    for (name, text) in documents.with_extension(super::DATA_EXTENSIONS) {
        let Ok(doc) = crate::data::load(SourceFile::new(name, text), Default::default()) else {
            continue;
        };
        let Some(node) = follow(&doc, path) else { continue };
        if let NodeValue::Map(entries) = doc.value(node) {
            for (key, _) in entries.iter() {
                if !keys.iter().any(|k| *k.key == **key) {
                    keys.push(DataKey {
                        key: key.to_string(),
                        description: None,
                        seen_in: Some(name.to_owned()),
                    });
                }
            }
        }
    }
    keys
}

/// The keys the schema names at `path` (through a list, its elements), each
/// with its `description`.
fn schema_keys(root: &Value, path: &[String]) -> Vec<DataKey> {
    let mut node = root;
    for key in path {
        node = through_list(root, node);
        match shape::key(root, node, key) {
            Lookup::Known(next) => node = next,
            Lookup::Any | Lookup::NotAllowed(_) => return Vec::new(),
        }
    }
    node = through_list(root, node);
    let properties = shape::resolve(root, node).and_then(|n| n.get("properties"));
    shape::named_keys(root, node)
        .into_iter()
        .map(|key| DataKey {
            key: key.to_owned(),
            description: properties
                .and_then(|p| p.get(key))
                .and_then(|k| shape::resolve(root, k))
                .and_then(|k| {
                    k.get("description")
                        .or_else(|| properties?.get(key)?.get("description"))
                })
                .and_then(Value::as_str)
                .map(str::to_owned),
            seen_in: None,
        })
        .collect()
}

/// The elements' schema when `node` describes a list, else `node` itself.
fn through_list<'s>(root: &'s Value, node: &'s Value) -> &'s Value {
    match shape::elements(root, node) {
        Some(items) if is_list(root, node) => items,
        _ => node,
    }
}

/// Whether the schema at `node` describes a list.
fn is_list(root: &Value, node: &Value) -> bool {
    shape::resolve(root, node).is_some_and(|n| n.get("items").is_some() || n.get("type") == Some(&Value::from("array")))
}

/// The node at `path`; through a list, its first element (rules iterate lists
/// and read the same keys of each).
fn follow(doc: &Document, path: &[String]) -> Option<NodeId> {
    let mut node = doc.root();
    for key in path {
        if let NodeValue::List(items) = doc.value(node) {
            node = *items.first()?;
        }
        node = doc.get(node, key)?;
    }
    if let NodeValue::List(items) = doc.value(node) {
        node = *items.first()?;
    }
    Some(node)
}
