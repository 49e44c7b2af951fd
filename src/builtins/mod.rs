//! The built-in functions: one table, one entry each. Builtins never see
//! spans; the evaluator attaches the call's span to any error they return.

mod indicator;
mod list;
mod number;
mod text;

use rust_decimal::Decimal;

use crate::data::Document;
use crate::eval::value::Value;

/// What went wrong inside a builtin. The evaluator turns it into an error
/// outcome pointing at the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuiltinError {
    /// Wrong kind of argument: `sum` of strings, `len` of a number…
    Type(String),
    /// Overflow, empty `min`/`max`/`avg`…
    Arithmetic(String),
}

pub type BuiltinResult = Result<Value, BuiltinError>;

/// The arguments of one call, seen through the data document.
pub struct Args<'a> {
    pub doc: &'a Document,
    pub values: &'a [Value],
}

pub struct Builtin {
    pub name: &'static str,
    /// Smallest and largest number of arguments.
    pub arity: (usize, usize),
    /// The argument that is a regex: a string literal there is compiled (and
    /// checked) when the rules are loaded.
    pub regex_arg: Option<usize>,
    /// One line for `tally` docs and did-you-mean hints.
    pub doc: &'static str,
    /// Costly enough (text parsing, regexes) that the evaluator remembers
    /// results per document instead of calling again.
    pub remember: bool,
    pub call: fn(&Args) -> BuiltinResult,
}

/// Every builtin. `exists` is here for its name and arity, but the evaluator
/// handles it itself: it must see a missing path rather than fail on it.
pub static BUILTINS: &[Builtin] = &[
    entry("sum", 1, 1, "decimal sum of a list (0 for an empty list)", list::sum),
    entry(
        "count",
        1,
        1,
        "number of elements of a list or entries of a map",
        list::count,
    ),
    entry("len", 1, 1, "number of elements, characters or entries", list::len),
    entry("min", 1, 1, "smallest element (error on an empty list)", list::min),
    entry("max", 1, 1, "largest element (error on an empty list)", list::max),
    entry(
        "avg",
        1,
        1,
        "mean of a list of numbers (error on an empty list)",
        list::avg,
    ),
    entry("all", 1, 1, "true when every element is true", list::all),
    entry("any", 1, 1, "true when some element is true", list::any),
    entry("keys", 1, 1, "the keys of a map, in document order", list::keys),
    entry("values", 1, 1, "the values of a map, in document order", list::values),
    entry(
        "unique",
        1,
        1,
        "the list without repeated elements, first ones kept",
        list::unique,
    ),
    entry("abs", 1, 1, "absolute value", number::abs),
    entry(
        "round",
        2,
        2,
        "round(x, places), half away from zero as accountants round",
        number::round,
    ),
    entry(
        "number",
        1,
        1,
        "a decimal from a number or a numeric string (\"25%\", \"1,537.92\")",
        number::number,
    ),
    entry(
        "exists",
        1,
        1,
        "true when the path is present and not null (never an error)",
        exists,
    ),
    entry(
        "contains",
        2,
        2,
        "contains(s, sub): substring, or membership for a list",
        text::contains,
    ),
    entry("starts_with", 2, 2, "starts_with(s, prefix)", text::starts_with),
    entry("ends_with", 2, 2, "ends_with(s, suffix)", text::ends_with),
    entry("trim", 1, 1, "the string without surrounding white space", text::trim),
    Builtin {
        regex_arg: Some(1),
        ..entry(
            "matches",
            2,
            2,
            "matches(s, re): the regex matches somewhere in s",
            text::matches,
        )
    },
    Builtin {
        regex_arg: Some(1),
        ..entry(
            "find",
            2,
            2,
            "find(s, re): the first match (its first group if any), or null",
            text::find,
        )
    },
    entry(
        "indicator",
        1,
        1,
        "a performance-indicator value \"≥90%\" as {op, value, unit}, or null",
        indicator::indicator,
    ),
];

const fn entry(
    name: &'static str,
    min: usize,
    max: usize,
    doc: &'static str,
    call: fn(&Args) -> BuiltinResult,
) -> Builtin {
    Builtin {
        name,
        arity: (min, max),
        regex_arg: None,
        doc,
        remember: false,
        call,
    }
}

/// The evaluator handles `exists` before calling anything; this is never reached.
fn exists(_: &Args) -> BuiltinResult {
    Err(BuiltinError::Type("`exists` is evaluated by the evaluator".into()))
}

pub fn lookup(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

impl Args<'_> {
    pub fn value(&self, i: usize) -> &Value {
        &self.values[i]
    }

    pub fn num(&self, i: usize) -> Result<Decimal, BuiltinError> {
        let v = &self.values[i];
        v.as_num(self.doc)
            .ok_or_else(|| BuiltinError::Type(format!("expected a number, found {}", v.type_name(self.doc))))
    }

    pub fn str(&self, i: usize) -> Result<&str, BuiltinError> {
        let v = &self.values[i];
        v.as_str(self.doc)
            .ok_or_else(|| BuiltinError::Type(format!("expected a string, found {}", v.type_name(self.doc))))
    }

    pub fn list(&self, i: usize) -> Result<Vec<Value>, BuiltinError> {
        let v = &self.values[i];
        v.elements(self.doc)
            .ok_or_else(|| BuiltinError::Type(format!("expected a list, found {}", v.type_name(self.doc))))
    }
}
