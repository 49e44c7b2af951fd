//! How values are written in messages: data values exactly as the document
//! wrote them, computed values in plain decimal.

use std::borrow::Cow;
use std::fmt::Write;

use rust_decimal::Decimal;

use super::{Value, View};
use crate::data::{Document, NodeValue};
use crate::text::{clip, VALUE_CHARS};

/// A value for a message: strings quoted, data scalars as written; at most
/// [`VALUE_CHARS`] characters, as every output shows a value.
pub fn show(doc: &Document, value: &Value) -> String {
    let mut out = String::new();
    write_value(doc, value, true, &mut out);
    capped(out)
}

/// A value for `{…}` interpolation: like [`show`] but strings bare.
pub fn interpolate(doc: &Document, value: &Value) -> String {
    match value.as_str(doc) {
        Some(s) => clip(s, VALUE_CHARS).into_owned(),
        None => show(doc, value),
    }
}

fn capped(text: String) -> String {
    match clip(&text, VALUE_CHARS) {
        Cow::Borrowed(_) => text,
        Cow::Owned(cut) => cut,
    }
}

pub fn decimal(n: Decimal) -> String {
    n.to_string()
}

const MAX_ITEMS: usize = 6;

/// Past this many bytes the text has more than [`VALUE_CHARS`] characters (a
/// character is at most 4 bytes), and [`capped`] cuts whatever follows: the
/// rest is not written. A list nested 30,000 deep (256 `fn`s of 120 brackets)
/// is then neither written whole nor recursed through.
const WRITTEN_ENOUGH: usize = 4 * VALUE_CHARS;

fn write_value(doc: &Document, value: &Value, top: bool, out: &mut String) {
    if out.len() > WRITTEN_ENOUGH {
        return;
    }
    if let Value::Data(id) = value {
        match doc.value(*id) {
            NodeValue::List(items) if !top || items.len() > MAX_ITEMS => {
                let _ = write!(out, "[{} items]", items.len());
                return;
            }
            NodeValue::Map(entries) if !top || entries.len() > MAX_ITEMS => {
                let _ = write!(out, "{{{} keys}}", entries.len());
                return;
            }
            NodeValue::List(_) | NodeValue::Map(_) => {}
            _ => {
                out.push_str(doc.raw(*id));
                return;
            }
        }
    }
    match value.view(doc) {
        View::Null => out.push_str("null"),
        View::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        View::Num(n) => out.push_str(&decimal(n)),
        View::InvalidNumber(why) => {
            let _ = write!(out, "<invalid number: {why}>");
        }
        View::Str(s) => {
            let _ = write!(out, "{s:?}");
        }
        View::Date(d) => {
            let _ = write!(out, "{d}");
        }
        View::Regex(re) => {
            let _ = write!(out, "{:?}", re.as_str());
        }
        View::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i == MAX_ITEMS {
                    let _ = write!(out, ", … {} more", items.len() - MAX_ITEMS);
                    break;
                }
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(doc, item, false, out);
            }
            out.push(']');
        }
        View::Map(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i == MAX_ITEMS {
                    out.push_str(", …");
                    break;
                }
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{key}: ");
                write_value(doc, item, false, out);
            }
            out.push('}');
        }
    }
}
