//! Functions are pure, so within one document a call with the same arguments
//! always gives the same value: remember it. Rules that match every row of
//! one table against every row of another call the same helper many times.

use std::rc::Rc;

use rustc_hash::FxHashMap;
use std::sync::Arc;

use super::fault::Fault;
use super::value::Value;
use crate::data::NodeId;

/// An argument as a key. Calls with list or map arguments are not remembered.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum ArgKey {
    Null,
    Bool(bool),
    /// The decimal's exact bytes: `80.00` and `80` are different keys, since
    /// they are shown differently.
    Num([u8; 16]),
    Str(Arc<str>),
    Data(NodeId),
    Regex(usize),
    Date(super::date::Date),
}

impl ArgKey {
    pub fn of(value: &Value) -> Option<ArgKey> {
        Some(match value {
            Value::Null => ArgKey::Null,
            Value::Bool(b) => ArgKey::Bool(*b),
            Value::Num(n) => ArgKey::Num(n.serialize()),
            Value::Str(s) => ArgKey::Str(s.clone()),
            Value::Data(id) => ArgKey::Data(*id),
            // A regex literal lives as long as the program: its address is its identity.
            Value::Regex(re) => ArgKey::Regex(Arc::as_ptr(re) as usize),
            Value::Date(d) => ArgKey::Date(*d),
            Value::List(_) | Value::Map(_) => return None,
        })
    }
}

/// A call's result and the data values its body read.
pub(super) type Remembered = (Result<Value, Box<Fault>>, Rc<[NodeId]>);

/// Calls of up to this many arguments are remembered (helpers take one or two).
pub(super) const MAX_ARGS: usize = 4;

/// The function and its arguments, unused places `None`.
pub(super) type CallKey = (usize, [Option<ArgKey>; MAX_ARGS]);

pub(super) type Memo = FxHashMap<CallKey, Remembered>;

/// Builtin calls remembered: keyed by the builtin's place in the table.
pub(super) type BuiltinMemo = FxHashMap<CallKey, Result<Value, Box<Fault>>>;

/// The key of a call, if every argument can be one.
pub(super) fn call_key(function: usize, args: &[Value]) -> Option<CallKey> {
    if args.len() > MAX_ARGS {
        return None;
    }
    let mut key: [Option<ArgKey>; MAX_ARGS] = Default::default();
    for (slot, arg) in key.iter_mut().zip(args) {
        *slot = Some(ArgKey::of(arg)?);
    }
    Some((function, key))
}
