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
    pub call: fn(&Args) -> BuiltinResult,
}

/// Every builtin. `exists` is here for its name and arity, but the evaluator
/// handles it itself: it must see a missing path rather than fail on it.
pub static BUILTINS: &[Builtin] = &[
    // filled in by the list, number, text and indicator families
];

pub fn lookup(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

impl Args<'_> {
    pub fn value(&self, i: usize) -> &Value {
        &self.values[i]
    }

    pub fn num(&self, i: usize) -> Result<Decimal, BuiltinError> {
        let v = &self.values[i];
        v.as_num(self.doc).ok_or_else(|| {
            BuiltinError::Type(format!(
                "expected a number, found {}",
                v.type_name(self.doc)
            ))
        })
    }

    pub fn str(&self, i: usize) -> Result<&str, BuiltinError> {
        let v = &self.values[i];
        v.as_str(self.doc).ok_or_else(|| {
            BuiltinError::Type(format!(
                "expected a string, found {}",
                v.type_name(self.doc)
            ))
        })
    }

    pub fn list(&self, i: usize) -> Result<Vec<Value>, BuiltinError> {
        let v = &self.values[i];
        v.elements(self.doc).ok_or_else(|| {
            BuiltinError::Type(format!("expected a list, found {}", v.type_name(self.doc)))
        })
    }
}
