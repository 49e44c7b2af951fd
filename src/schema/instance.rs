//! A data document as a JSON Schema instance, read in place.
//!
//! Validation used to copy every document into a `serde_json::Value` first;
//! this representation lets the validator walk the document's arena directly.
//! It answers every question exactly as that copy did: numbers are the
//! `serde_json::Number` of their decimal text (arbitrary precision), an
//! invalid number is its stored text read as a number or else null (that text
//! is the reason it is invalid, so in practice null), and a map lists its
//! members in `serde_json`'s map order (sorted by key), so findings and their
//! order do not change.

use std::borrow::Cow;

use jsonschema::json::{Array, Json, Node, NodeIdentity, Object};
use jsonschema::{JsonType, ValidationError, Validator};
use jsonschema_value::LazyInstance;
use serde_json::{Map, Number, Value};

use crate::data::{Document, NodeId, NodeValue};

/// A draft 2020-12 validator of documents in place.
pub fn validator(schema: &Value) -> Result<Validator<DataJson>, ValidationError<'static>> {
    jsonschema::options_for::<DataJson>()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(schema)
}

/// The representation: nodes are handles into a [`Document`].
pub struct DataJson;

/// One value of a document, or a map key standing alone (`propertyNames`).
#[derive(Clone, Copy)]
pub enum DataNode<'a> {
    Value(&'a Document, NodeId),
    Name(&'a str),
}

impl<'a> DataNode<'a> {
    /// The handle of `id` in `doc`.
    pub fn new(doc: &'a Document, id: NodeId) -> Self {
        DataNode::Value(doc, id)
    }

    fn value(&self) -> Option<&'a NodeValue> {
        match *self {
            DataNode::Value(doc, id) => Some(doc.value(id)),
            DataNode::Name(_) => None,
        }
    }
}

impl Json for DataJson {
    type Node<'a> = DataNode<'a>;
    type PreparedKey = String;
    type StringBuffer = ();

    // As for `serde_json`'s sorted map, so the validator takes the same paths.
    const KEYS_PER_LOOKUP: usize = 2;
    // A loaded document has no cycles (an alias to an enclosing collection is an error).
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(DataNode<'_>) -> T) -> T {
        f(DataNode::Name(string))
    }
}

/// A number exactly: the decimal's text; for a number too long to hold as a
/// decimal, its text as written (`arbitrary_precision` keeps it whole).
fn number(doc: &Document, id: NodeId) -> Option<Number> {
    match doc.value(id) {
        NodeValue::Number(n) => n.to_string().parse().ok(),
        NodeValue::InvalidNumber(_) => doc.raw(id).parse().ok(),
        _ => None,
    }
}

impl<'a> Node<'a, DataJson> for DataNode<'a> {
    type Object = DataMap<'a>;
    type Array = DataList<'a>;
    type Number = Number;

    fn as_object(&self) -> Option<DataMap<'a>> {
        match (*self, self.value()) {
            (DataNode::Value(doc, _), Some(NodeValue::Map(entries))) => Some(DataMap { doc, entries }),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<DataList<'a>> {
        match (*self, self.value()) {
            (DataNode::Value(doc, _), Some(NodeValue::List(items))) => Some(DataList { doc, items }),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match *self {
            DataNode::Name(name) => Some(Cow::Borrowed(name)),
            DataNode::Value(doc, id) => match doc.value(id) {
                NodeValue::String(s) => Some(Cow::Borrowed(s)),
                _ => None,
            },
        }
    }

    fn as_number(&self) -> Option<Number> {
        match *self {
            DataNode::Value(doc, id) => number(doc, id),
            DataNode::Name(_) => None,
        }
    }

    fn is_number(&self) -> bool {
        self.json_type() == JsonType::Number
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.value() {
            Some(NodeValue::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        self.json_type() == JsonType::Null
    }

    fn json_type(&self) -> JsonType {
        match self.value() {
            None | Some(NodeValue::String(_)) => JsonType::String,
            Some(NodeValue::Null) => JsonType::Null,
            Some(NodeValue::Bool(_)) => JsonType::Boolean,
            // A decimal's text is always a JSON number (`-?digits[.digits]`).
            Some(NodeValue::Number(_)) => JsonType::Number,
            // Its written text if that reads as a JSON number, else null.
            Some(NodeValue::InvalidNumber(_)) => match self.as_number() {
                Some(_) => JsonType::Number,
                None => JsonType::Null,
            },
            Some(NodeValue::List(_)) => JsonType::Array,
            Some(NodeValue::Map(_)) => JsonType::Object,
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(match *self {
            DataNode::Name(name) => Value::String(name.to_owned()),
            DataNode::Value(doc, id) => to_value(doc, id),
        })
    }

    // An error's instance is for its message only: a bounded copy, so an
    // error about a document of millions of values does not copy them all.
    fn lazy_value(&self) -> LazyInstance<'a> {
        LazyInstance::Ready(Cow::Owned(match *self {
            DataNode::Name(name) => Value::String(name.to_owned()),
            DataNode::Value(doc, id) => shown_value(doc, id, &mut shown_values()),
        }))
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(match *self {
            DataNode::Value(doc, id) => NodeIdentity::tagged(std::ptr::from_ref(doc) as usize, id.0),
            // A key's text lives in its map for the whole validation; no node has this tag.
            DataNode::Name(name) => NodeIdentity::tagged(name.as_ptr() as usize, u32::MAX),
        })
    }
}

/// The value at `id` as the `serde_json` copy of the document held it.
pub fn to_value(doc: &Document, id: NodeId) -> Value {
    match doc.value(id) {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(b) => Value::Bool(*b),
        NodeValue::Number(_) | NodeValue::InvalidNumber(_) => number(doc, id).map_or(Value::Null, Value::Number),
        NodeValue::String(s) => Value::String(s.to_string()),
        NodeValue::List(items) => Value::Array(items.iter().map(|&i| to_value(doc, i)).collect()),
        NodeValue::Map(entries) => {
            let mut map = Map::new();
            for (key, value) in entries.iter() {
                map.insert(key.to_string(), to_value(doc, *value));
            }
            Value::Object(map)
        }
    }
}

/// Values an error's instance holds at most (see [`shown_value`]).
const SHOWN_VALUES: usize = 1000;

#[cfg(not(test))]
fn shown_values() -> usize {
    SHOWN_VALUES
}

#[cfg(test)]
thread_local! {
    /// The bound, which the comparison with the `serde_json` copy lifts.
    pub static SHOWN_IN_TESTS: std::cell::Cell<usize> = const { std::cell::Cell::new(SHOWN_VALUES) };
}

#[cfg(test)]
fn shown_values() -> usize {
    SHOWN_IN_TESTS.with(std::cell::Cell::get)
}

/// [`to_value`], cut once `left` values are copied: a list cut short ends
/// with the string `… N more`, a map cut short has it under the key `…`.
/// Map entries are taken in `serde_json`'s order (sorted by key), so those
/// shown are the first the whole copy shows.
fn shown_value(doc: &Document, id: NodeId, left: &mut usize) -> Value {
    *left = left.saturating_sub(1);
    let more = |n: usize| Value::String(format!("… {n} more"));
    match doc.value(id) {
        NodeValue::List(items) => {
            let mut shown = Vec::new();
            for (at, &item) in items.iter().enumerate() {
                if *left == 0 {
                    shown.push(more(items.len() - at));
                    break;
                }
                shown.push(shown_value(doc, item, left));
            }
            Value::Array(shown)
        }
        NodeValue::Map(entries) => {
            let mut sorted: Vec<&(Box<str>, NodeId)> = entries.iter().collect();
            sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let mut shown = Map::new();
            for (at, (key, value)) in sorted.into_iter().enumerate() {
                if *left == 0 {
                    shown.insert("…".to_owned(), more(entries.len() - at));
                    break;
                }
                shown.insert(key.to_string(), shown_value(doc, *value, left));
            }
            Value::Object(shown)
        }
        _ => to_value(doc, id),
    }
}

/// A map of a document.
#[derive(Clone, Copy)]
pub struct DataMap<'a> {
    doc: &'a Document,
    entries: &'a [(Box<str>, NodeId)],
}

impl<'a> Object<'a, DataJson> for DataMap<'a> {
    type Node = DataNode<'a>;
    type MemberName = &'a str;
    type MembersIter = Members<'a>;

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn get(&self, key: &String) -> Option<DataNode<'a>> {
        // A loaded map has no duplicate keys; were there any, the last would win, as in the copy.
        self.entries
            .iter()
            .rfind(|(name, _)| **name == **key)
            .map(|(_, id)| DataNode::Value(self.doc, *id))
    }

    fn members(&self) -> Members<'a> {
        // In `serde_json`'s order (its map is sorted by key), which decides the order of errors.
        let sorted = self.entries.windows(2).all(|pair| pair[0].0 < pair[1].0);
        let order = if sorted {
            Order::Written(self.entries.iter())
        } else {
            let mut entries: Vec<&'a (Box<str>, NodeId)> = self.entries.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Order::Sorted(entries.into_iter())
        };
        Members { doc: self.doc, order }
    }
}

/// A map's members, by key.
pub struct Members<'a> {
    doc: &'a Document,
    order: Order<'a>,
}

enum Order<'a> {
    /// Already sorted as written: no copy.
    Written(std::slice::Iter<'a, (Box<str>, NodeId)>),
    Sorted(std::vec::IntoIter<&'a (Box<str>, NodeId)>),
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, DataNode<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let (key, id) = match &mut self.order {
            Order::Written(entries) => entries.next()?,
            Order::Sorted(entries) => entries.next()?,
        };
        Some((&**key, DataNode::Value(self.doc, *id)))
    }
}

/// A list of a document.
#[derive(Clone, Copy)]
pub struct DataList<'a> {
    doc: &'a Document,
    items: &'a [NodeId],
}

impl<'a> Array<'a, DataJson> for DataList<'a> {
    type Node = DataNode<'a>;
    type ElementsIter = Elements<'a>;

    fn len(&self) -> usize {
        self.items.len()
    }

    fn elements(&self) -> Elements<'a> {
        Elements {
            doc: self.doc,
            items: self.items.iter(),
        }
    }
}

/// A list's elements, in order.
pub struct Elements<'a> {
    doc: &'a Document,
    items: std::slice::Iter<'a, NodeId>,
}

impl<'a> Iterator for Elements<'a> {
    type Item = DataNode<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        self.items.next().map(|&id| DataNode::Value(self.doc, id))
    }
}
