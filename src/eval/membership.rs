//! `a in b`. A long list of strings asked again and again (a rule file's
//! list of known units, checked for every indicator) is answered from a hash
//! set built the first time, instead of comparing with every item.

use std::rc::Rc;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::expr::typed;
use super::fault::{EvalResult, Fault};
use super::Evaluator;
use crate::resolve::program::Expr;
use crate::value::Value;

/// Lists shorter than this are scanned: building a set would cost more.
const SET_FROM_LEN: usize = 16;
/// Sets kept per document; lists met after that are scanned.
const MAX_SETS: usize = 64;

/// Hash sets of lists whose items are all strings, by the list's address.
/// Each entry keeps its list alive, so the address cannot be reused by
/// another list while the entry exists.
#[derive(Default)]
pub(super) struct StringSets {
    sets: FxHashMap<usize, (Rc<Vec<Value>>, Option<StringSet>)>,
}

type StringSet = Rc<FxHashSet<Arc<str>>>;

impl<'p> Evaluator<'p, '_> {
    /// `a in b`: a substring of a string, an item of a list (compared as
    /// `==` compares), or a key of a map.
    pub(super) fn membership(&mut self, lhs: &'p Expr, rhs: &'p Expr, expr: &'p Expr) -> EvalResult<Value> {
        use crate::value::View;
        let needle = self.eval(lhs)?;
        let haystack = self.eval(rhs)?;
        if let Some(found) = self.in_string_set(&needle, &haystack) {
            return Ok(Value::Bool(found));
        }
        match haystack.view(self.doc) {
            View::Str(h) => match needle.as_str(self.doc) {
                Some(n) => Ok(Value::Bool(h.contains(n))),
                None => Err(Fault::type_error(
                    lhs.span,
                    format!(
                        "`in` a string needs a string on its left, found {}",
                        typed(self.doc, &needle)
                    ),
                )),
            },
            View::List(items) => {
                for item in &items {
                    if self.equal_bounded(&needle, item, expr.span)? == Some(true) {
                        return Ok(Value::Bool(true));
                    }
                }
                Ok(Value::Bool(false))
            }
            View::Map(entries) => Ok(Value::Bool(self.is_key(&needle, &entries))),
            _ => Err(Fault::type_error(
                rhs.span,
                format!(
                    "`in` needs a list, a map or a string on its right, found {}",
                    typed(self.doc, &haystack)
                ),
            )
            .near(haystack.node())),
        }
    }

    /// `needle in haystack` answered from a hash set, when the haystack is a
    /// long list of computed strings (only a string can equal one of them).
    pub(super) fn in_string_set(&mut self, needle: &Value, haystack: &Value) -> Option<bool> {
        let Value::List(items) = haystack else {
            return None;
        };
        let strings = self.string_set(items)?;
        Some(needle.as_str(self.doc).is_some_and(|n| strings.contains(n)))
    }

    /// `needle in map`: whether it is one of the map's keys.
    pub(super) fn is_key(&self, needle: &Value, entries: &[(std::borrow::Cow<'_, str>, Value)]) -> bool {
        needle
            .as_str(self.doc)
            .is_some_and(|key| entries.iter().any(|(k, _)| k == key))
    }

    /// The items of `items` as a set, when every item is a computed string
    /// and the list is long enough to be worth it.
    fn string_set(&mut self, items: &Rc<Vec<Value>>) -> Option<StringSet> {
        if items.len() < SET_FROM_LEN {
            return None;
        }
        let address = Rc::as_ptr(items) as usize;
        if let Some((_, set)) = self.string_sets.sets.get(&address) {
            return set.clone();
        }
        if self.string_sets.sets.len() >= MAX_SETS {
            return None;
        }
        // Computed strings only: the set shares them. A list of data strings
        // is scanned, so a set never copies a document's text.
        let set: Option<FxHashSet<Arc<str>>> = items
            .iter()
            .map(|item| match item {
                Value::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        let set = set.map(Rc::new);
        self.string_sets.sets.insert(address, (items.clone(), set.clone()));
        set
    }
}
