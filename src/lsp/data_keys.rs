//! The keys a data path can continue with, and what they mean: for
//! completion and hover of data paths in rule files.
//!
//! Today the keys come from the data documents open in the editor (no
//! descriptions). A schema, once rule files can name one, answers through the
//! same function with its descriptions.

use crate::data::{Document, NodeId, NodeValue};
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

/// The keys that may follow `path` (`[]`: the top-level keys), from every
/// open data document, each key once, in document order.
pub fn data_keys_at(documents: &Documents, path: &[String]) -> Vec<DataKey> {
    let mut keys: Vec<DataKey> = Vec::new();
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
