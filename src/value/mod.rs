//! Runtime values. Data values stay references into the document
//! ([`Value::Data`]) so a finding can always say where a value came from.
//!
//! A leaf below both the evaluator and the builtins: neither reaches into
//! the other for the values they share.

pub mod date;
mod display;

pub use display::{interpolate, show};

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

use regex::Regex;
use rust_decimal::Decimal;

use crate::data::{Document, NodeId, NodeValue};
use date::Date;

#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Num(Decimal),
    Str(Arc<str>),
    List(Rc<Vec<Value>>),
    Map(Rc<Vec<(Arc<str>, Value)>>),
    /// A value read from the data document, scalar or collection.
    Data(NodeId),
    /// A regex literal compiled when the rules were loaded.
    Regex(Arc<Regex>),
    /// A calendar day, from `date(s)`.
    Date(Date),
}

/// A value seen through the document: what builtins and operators match on.
#[derive(Clone, Debug)]
pub enum View<'a> {
    Null,
    Bool(bool),
    Num(Decimal),
    Str(&'a str),
    List(Vec<Value>),
    Map(Vec<(Cow<'a, str>, Value)>),
    /// A data number that could not be held exactly; the text says why.
    InvalidNumber(&'a str),
    Regex(&'a Regex),
    Date(Date),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(items))
    }

    /// The value with data references looked up in `doc`. Collections are
    /// listed shallowly: their elements stay [`Value`]s.
    pub fn view<'a>(&'a self, doc: &'a Document) -> View<'a> {
        match self {
            Value::Null => View::Null,
            Value::Bool(b) => View::Bool(*b),
            Value::Num(n) => View::Num(*n),
            Value::Str(s) => View::Str(s),
            Value::List(items) => View::List(items.to_vec()),
            Value::Map(entries) => View::Map(entries.iter().map(|(k, v)| (Cow::Borrowed(&**k), v.clone())).collect()),
            Value::Regex(re) => View::Regex(re),
            Value::Date(d) => View::Date(*d),
            Value::Data(id) => match doc.value(*id) {
                NodeValue::Null => View::Null,
                NodeValue::Bool(b) => View::Bool(*b),
                NodeValue::Number(n) => View::Num(*n),
                NodeValue::InvalidNumber(why) => View::InvalidNumber(why),
                NodeValue::String(s) => View::Str(s),
                NodeValue::List(items) => View::List(items.iter().map(|&i| Value::Data(i)).collect()),
                NodeValue::Map(entries) => View::Map(
                    entries
                        .iter()
                        .map(|(k, i)| (Cow::Borrowed(&**k), Value::Data(*i)))
                        .collect(),
                ),
            },
        }
    }

    /// The number, if this is one (without allocating).
    pub fn as_num(&self, doc: &Document) -> Option<Decimal> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Data(id) => match doc.value(*id) {
                NodeValue::Number(n) => Some(*n),
                _ => None,
            },
            _ => None,
        }
    }

    /// The string, if this is one (without allocating).
    pub fn as_str<'a>(&'a self, doc: &'a Document) -> Option<&'a str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Data(id) => match doc.value(*id) {
                NodeValue::String(s) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn as_bool(&self, doc: &Document) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Data(id) => match doc.value(*id) {
                NodeValue::Bool(b) => Some(*b),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn is_null(&self, doc: &Document) -> bool {
        match self {
            Value::Null => true,
            Value::Data(id) => matches!(doc.value(*id), NodeValue::Null),
            _ => false,
        }
    }

    /// The elements of a list, or the values of a map, or `None`.
    pub fn elements(&self, doc: &Document) -> Option<Vec<Value>> {
        match self.view(doc) {
            View::List(items) => Some(items),
            View::Map(entries) => Some(entries.into_iter().map(|(_, v)| v).collect()),
            _ => None,
        }
    }

    /// The elements of a list (not of a map), or `None`.
    pub fn elements_if_list(&self, doc: &Document) -> Option<Vec<Value>> {
        match self.view(doc) {
            View::List(items) => Some(items),
            _ => None,
        }
    }

    /// The type's name as the user knows it, for error messages.
    pub fn type_name(&self, doc: &Document) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Num(_) => "number",
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Regex(_) => "regex",
            Value::Date(_) => "date",
            Value::Data(id) => match doc.value(*id) {
                NodeValue::Null => "null",
                NodeValue::Bool(_) => "boolean",
                NodeValue::Number(_) | NodeValue::InvalidNumber(_) => "number",
                NodeValue::String(_) => "string",
                NodeValue::List(_) => "list",
                NodeValue::Map(_) => "map",
            },
        }
    }

    /// The data node this value was read from, if any.
    pub fn node(&self) -> Option<NodeId> {
        match self {
            Value::Data(id) => Some(*id),
            _ => None,
        }
    }
}

/// The elements of a list or the entries of a map, read by index without
/// copying them out: loops go through data tables without allocating.
pub enum Elements<'d> {
    DataList(&'d [NodeId]),
    DataMap(&'d [(Box<str>, NodeId)]),
    List(Rc<Vec<Value>>),
    Map(Rc<Vec<(Arc<str>, Value)>>),
}

impl Elements<'_> {
    pub fn len(&self) -> usize {
        match self {
            Elements::DataList(items) => items.len(),
            Elements::DataMap(entries) => entries.len(),
            Elements::List(items) => items.len(),
            Elements::Map(entries) => entries.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Element `i` of a list, value `i` of a map.
    pub fn value(&self, i: usize) -> Value {
        match self {
            Elements::DataList(items) => Value::Data(items[i]),
            Elements::DataMap(entries) => Value::Data(entries[i].1),
            Elements::List(items) => items[i].clone(),
            Elements::Map(entries) => entries[i].1.clone(),
        }
    }

    /// The index `i` of a list, key `i` of a map.
    pub fn key(&self, i: usize) -> Value {
        match self {
            Elements::DataList(_) | Elements::List(_) => Value::Num(Decimal::from(i)),
            Elements::DataMap(entries) => Value::str(&entries[i].0),
            Elements::Map(entries) => Value::Str(entries[i].0.clone()),
        }
    }
}

impl Value {
    /// The elements of a list or the entries of a map, `None` for anything else.
    pub fn each<'d>(&self, doc: &'d Document) -> Option<Elements<'d>> {
        match self {
            Value::List(items) => Some(Elements::List(items.clone())),
            Value::Map(entries) => Some(Elements::Map(entries.clone())),
            Value::Data(id) => match doc.value(*id) {
                NodeValue::List(items) => Some(Elements::DataList(items)),
                NodeValue::Map(entries) => Some(Elements::DataMap(entries)),
                _ => None,
            },
            _ => None,
        }
    }
}

/// `a == b` as the language defines it: numbers by value (`80.00 == 80`),
/// `null` equal only to `null`, lists and maps element by element.
/// `None` means the two values have different types and neither is `null`:
/// comparing them is a bug in the rule or the data.
pub fn equal(doc: &Document, a: &Value, b: &Value) -> Option<bool> {
    // The common case, two scalars, without building views.
    if let (Some(x), Some(y)) = (a.as_str(doc), b.as_str(doc)) {
        return Some(x == y);
    }
    if let (Some(x), Some(y)) = (a.as_num(doc), b.as_num(doc)) {
        return Some(x == y);
    }
    match (a.view(doc), b.view(doc)) {
        (View::Null, View::Null) => Some(true),
        (View::Null, _) | (_, View::Null) => Some(false),
        (View::Num(x), View::Num(y)) => Some(x == y),
        (View::Str(x), View::Str(y)) => Some(x == y),
        (View::Bool(x), View::Bool(y)) => Some(x == y),
        (View::Date(x), View::Date(y)) => Some(x == y),
        // Lists a rule built may nest tens of thousands deep (a `fn` chain
        // wrapping its argument): the stack grows as the comparison descends.
        (View::List(xs), View::List(ys)) => Some(
            xs.len() == ys.len()
                && xs
                    .iter()
                    .zip(&ys)
                    .all(|(x, y)| crate::stack::deeper(|| equal(doc, x, y)) == Some(true)),
        ),
        (View::Map(xs), View::Map(ys)) => Some(
            xs.len() == ys.len()
                && xs.iter().all(|(k, x)| {
                    ys.iter()
                        .find(|(j, _)| j == k)
                        .is_some_and(|(_, y)| crate::stack::deeper(|| equal(doc, x, y)) == Some(true))
                }),
        ),
        _ => None,
    }
}
