//! Memory held across statements, bounded (spec §15: no input exhausts
//! memory). One statement builds at most the step budget's worth of values;
//! what outlives it does too: the values of a rule's `let`s, and what a
//! document's evaluation remembers (file-level lets, calls). A `let`
//! past the bound is a `limit` error; to remember a result past it, the
//! remembered calls are let go first (see `Evaluator::keep`), and a result
//! that still does not fit is not remembered (it is computed again when
//! asked, which changes no outcome).

use std::rc::Rc;
use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::value::Value;

use super::STEP_LIMIT;

/// Units (list elements, map entries, 16 bytes of a string) a rule's
/// `let`s may hold at once, and a document's remembered results in all.
pub(super) const HELD_LIMIT: u64 = STEP_LIMIT;

/// What `value` holds, in units: each list, map and string it reaches
/// counted once, however often it is reached (`[l59, l59]` is two units
/// plus `l59`'s, not 2⁶⁰ leaves), so counting never walks shared parts twice.
/// The count depends on the value alone, never on what else holds its parts
/// (a remembered call, another rule), so a `let`'s `limit` is the same
/// whatever else ran. Past [`HELD_LIMIT`] the count stops.
pub(super) fn units(value: &Value) -> u64 {
    let mut counter = Counter::default();
    counter.count(value, true);
    counter.total
}

#[derive(Default)]
struct Counter {
    total: u64,
    /// The lists, maps and strings counted so far, by address.
    seen: FxHashSet<usize>,
}

impl Counter {
    fn count(&mut self, value: &Value, top: bool) {
        if self.total > HELD_LIMIT {
            return;
        }
        // The top value cannot have been seen: no set is made for a list of
        // scalars or data values.
        let mut first = |address: usize| top || self.seen.insert(address);
        match value {
            Value::Str(s) if first(Arc::as_ptr(s) as *const u8 as usize) => self.total += (s.len() as u64).div_ceil(16),
            Value::List(items) if first(Rc::as_ptr(items) as usize) => {
                self.total += items.len() as u64;
                for item in items.iter() {
                    self.count(item, false);
                }
            }
            Value::Map(entries) if first(Rc::as_ptr(entries) as usize) => {
                self.total += entries.len() as u64;
                for (key, item) in entries.iter() {
                    self.total += (key.len() as u64).div_ceil(16);
                    self.count(item, false);
                }
            }
            // Scalars, data values (the document holds them) and parts
            // already counted cost nothing more.
            _ => {}
        }
    }
}

/// Units counted for each remembered call or file-level `let` beyond its
/// value and reads: its key (168 bytes), its entry and the table's room for
/// it, 200 to 400 bytes in all. Without it a million remembered comparisons
/// of two names, each holding a few reads, counted a few million units but
/// took over 300 MB.
pub(super) const ENTRY_UNITS: u64 = 16;

/// The units held now.
#[derive(Debug)]
pub(super) struct Held {
    /// At most this many units held by the document's evaluation in all
    /// ([`HELD_LIMIT`]; less in tests).
    pub limit: u64,
    /// By each slot of the rule's frame its `let` bound.
    slots: Vec<u64>,
    rule: u64,
    /// File-level lets remembered.
    lets: u64,
    /// Calls remembered (of `fn`s and builtins, by both evaluators).
    calls: u64,
}

impl Default for Held {
    fn default() -> Self {
        Held {
            limit: HELD_LIMIT,
            slots: Vec::new(),
            rule: 0,
            lets: 0,
            calls: 0,
        }
    }
}

/// What the document's evaluation is to remember.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kept {
    Let,
    Call,
}

impl Held {
    /// A new rule starts: its frame holds nothing.
    pub fn start_rule(&mut self, frame_size: usize) {
        self.slots.clear();
        self.slots.resize(frame_size, 0);
        self.rule = 0;
    }

    /// Whether slot `at` may hold `units` (what it held before is let go);
    /// when it may, it does.
    pub fn bind(&mut self, at: usize, units: u64) -> bool {
        let Some(before) = self.slots.get(at).copied() else {
            return true;
        };
        let rule = (self.rule - before).saturating_add(units);
        if rule > HELD_LIMIT {
            return false;
        }
        self.rule = rule;
        self.slots[at] = units;
        true
    }

    /// Whether the document's evaluation may remember `units` more (and an
    /// entry's own cost); when it may, it does.
    pub fn keep(&mut self, units: u64, kept: Kept) -> bool {
        let units = units.saturating_add(ENTRY_UNITS);
        if self.lets.saturating_add(self.calls).saturating_add(units) > self.limit {
            return false;
        }
        match kept {
            Kept::Let => self.lets += units,
            Kept::Call => self.calls += units,
        }
        true
    }

    /// Whether any call is remembered (forgetting them would make room).
    pub fn holds_calls(&self) -> bool {
        self.calls > 0
    }

    /// Every remembered call has been let go.
    pub fn forget_calls(&mut self) {
        self.calls = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(items))
    }

    /// A value counts the same whoever else holds it (a remembered call
    /// keeps a copy, another `let` too): a `let`'s `limit` must not depend
    /// on what ran before it. Shared parts are counted once.
    #[test]
    fn a_value_counts_by_its_parts_not_by_who_else_holds_them() {
        let text = Value::Str(Arc::from("x".repeat(40)));
        let inner = list(vec![Value::Null, text.clone(), text]);
        // 3 elements, and the 40-byte string (3 units) counted once.
        assert_eq!(units(&inner), 3 + 3);
        let alone = units(&inner);
        let kept_elsewhere = inner.clone();
        assert_eq!(units(&inner), alone);
        drop(kept_elsewhere);
        // Two places, one list: 2 + 6, not 2 + 12.
        let outer = list(vec![inner.clone(), inner]);
        assert_eq!(units(&outer), 2 + 6);
        let mut doubled = list(vec![Value::Null]);
        for _ in 0..60 {
            doubled = list(vec![doubled.clone(), doubled]);
        }
        assert_eq!(units(&doubled), 2 * 60 + 1);
    }
}
