//! Memory held across statements, bounded (spec §15: no input exhausts
//! memory). One statement builds at most the step budget's worth of values;
//! what outlives it does too: the values and reads of a rule's `let`s, and
//! what a document's evaluation remembers (file-level lets, calls). A `let`
//! past the bound is a `limit` error; a result past it is not remembered (it
//! is computed again when asked, which changes no outcome).

use std::rc::Rc;
use std::sync::Arc;

use crate::value::Value;

use super::STEP_LIMIT;

/// Units (list elements, map entries, 16 bytes of a string, reads) a rule's
/// `let`s may hold at once, and a document's remembered results in all.
pub(super) const HELD_LIMIT: u64 = STEP_LIMIT;

/// What `value` holds, in units; past [`HELD_LIMIT`] the count stops (a list
/// holding one list many times is counted without walking it each time).
pub(super) fn units(value: &Value) -> u64 {
    let mut total = 0;
    count(value, &mut total);
    total
}

fn count(value: &Value, total: &mut u64) {
    if *total > HELD_LIMIT {
        return;
    }
    match value {
        // A part another value also holds was counted there (or is a
        // temporary's, soon let go): a list built of shared parts costs
        // only its own elements, however many leaves they reach.
        Value::Str(s) if Arc::strong_count(s) > 1 => {}
        Value::List(items) if Rc::strong_count(items) > 1 => {}
        Value::Map(entries) if Rc::strong_count(entries) > 1 => {}
        Value::Str(s) => *total += (s.len() as u64).div_ceil(16),
        Value::List(items) => {
            *total += items.len() as u64;
            for item in items.iter() {
                count(item, total);
            }
        }
        Value::Map(entries) => {
            *total += entries.len() as u64;
            for (key, item) in entries.iter() {
                *total += (key.len() as u64).div_ceil(16);
                count(item, total);
            }
        }
        // The document holds its own values; a node costs nothing more.
        Value::Data(_) | Value::Null | Value::Bool(_) | Value::Num(_) | Value::Regex(_) | Value::Date(_) => {}
    }
}

/// The units held now.
#[derive(Debug, Default)]
pub(super) struct Held {
    /// By each slot of the rule's frame its `let` bound.
    slots: Vec<u64>,
    rule: u64,
    document: u64,
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
        let rule = self.rule - before + units;
        if rule > HELD_LIMIT {
            return false;
        }
        self.rule = rule;
        self.slots[at] = units;
        true
    }

    /// Whether the document's evaluation may remember `units` more; when it
    /// may, it does.
    pub fn keep(&mut self, units: u64) -> bool {
        let document = self.document.saturating_add(units);
        if document > HELD_LIMIT {
            return false;
        }
        self.document = document;
        true
    }
}
