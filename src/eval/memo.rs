//! Functions are pure, so within one document a call with the same argument
//! values always computes the same result: remember it. Rules that match
//! every row of one table against every row of another call the same helper
//! many times, often with the same text in many rows.
//!
//! What a call read depends on where its arguments came from, so a call
//! remembers its reads as a template: the body's own reads, and markers
//! standing for "this call's argument i" (the values the argument read, and
//! its data node). Replaying a call fills the markers with the arguments of
//! the call being replayed, so a finding lists exactly what its own assertion
//! read (spec §15: findings do not depend on what ran before).
//!
//! While a remembered body is evaluated, an argument slot's reads are a
//! placeholder node id (far above any real node) that the call turns into a
//! marker when it finishes.

use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::fault::Fault;
use super::node_marks::NodeMarks;
use crate::data::{Document, NodeId, NodeValue};
use crate::resolve::program::Expr;
use crate::value::Value;

/// An argument as a key. Calls with list or map arguments are not remembered.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum ArgKey<'d> {
    Null,
    Bool(bool),
    /// The decimal's exact bytes: `80.00` and `80` are different keys, since
    /// they are shown differently.
    Num([u8; 16]),
    Str(Arc<str>),
    /// A data number, by the text it is written as (which fixes its value,
    /// its scale for `within rounding` and how messages show it).
    DataNum(&'d str),
    /// A data string: its value, and its text as written when that differs.
    DataStr(&'d str, Option<&'d str>),
    /// Any other data value (null, list, map, boolean, invalid number): the node.
    Node(NodeId),
    Regex(usize),
    Date(crate::value::date::Date),
}

impl<'d> ArgKey<'d> {
    /// Data text is borrowed from the document: keys cost no allocation.
    pub fn of(doc: &'d Document, value: &Value) -> Option<ArgKey<'d>> {
        Some(match value {
            Value::Null => ArgKey::Null,
            Value::Bool(b) => ArgKey::Bool(*b),
            Value::Num(n) => ArgKey::Num(n.serialize()),
            Value::Str(s) => ArgKey::Str(s.clone()),
            Value::Data(id) => match doc.value(*id) {
                NodeValue::Number(_) => ArgKey::DataNum(doc.raw(*id)),
                NodeValue::String(s) => {
                    let raw = doc.raw(*id);
                    ArgKey::DataStr(s, (raw != &**s).then_some(raw))
                }
                _ => ArgKey::Node(*id),
            },
            // A regex literal lives as long as the program: its address is its identity.
            Value::Regex(re) => ArgKey::Regex(Arc::as_ptr(re) as usize),
            Value::Date(d) => ArgKey::Date(*d),
            Value::List(_) | Value::Map(_) => return None,
        })
    }
}

/// Room made in a memo table at its first entry: the bundled library
/// remembers about 150 calls over a disclosure; growing a table one doubling
/// at a time moves every entry again. Rules that call nothing allocate none.
pub(super) const EXPECTED_CALLS: usize = 256;

/// Calls a table remembers at most (each of the `fn` calls, the quick
/// evaluator's and the builtins'), whatever their units: an entry takes
/// about 200 bytes in its table (a 168-byte key and its value), and a table past 2¹⁷ slots (about 115,000
/// entries) doubles at once. Over the example with both name tables ×100 the
/// quick evaluator's table asked for 219 MB in one allocation, which failed
/// under a 1 GiB address-space limit. Full, the calls are let go (see
/// `Evaluator::keep`).
pub(super) const MAX_CALLS: usize = 100_000;

/// Calls of up to this many arguments are remembered (helpers take one or two).
pub(super) const MAX_ARGS: usize = 4;

/// The function and its arguments, unused places `None`.
pub(super) type CallKey<'d> = (usize, [Option<ArgKey<'d>>; MAX_ARGS]);

/// The key of a call, if every argument can be one.
pub(super) fn call_key<'d>(doc: &'d Document, function: usize, args: &[Value]) -> Option<CallKey<'d>> {
    if args.len() > MAX_ARGS {
        return None;
    }
    let mut key: [Option<ArgKey>; MAX_ARGS] = Default::default();
    for (slot, arg) in key.iter_mut().zip(args) {
        *slot = Some(ArgKey::of(doc, arg)?);
    }
    Some((function, key))
}

/// One entry of a remembered call's reads: eight bytes, since templates of
/// thousands of reads are copied and scanned several times per call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Read {
    Node(NodeId),
    /// The values argument i read at the call site.
    ArgReads(u8),
    /// Argument i's own data node, if it is one.
    ArgNode(u8),
}

const _: () = assert!(std::mem::size_of::<Read>() == 8 && MAX_ARGS <= u8::MAX as usize);

/// The template without repeats that no finding can tell apart: a finding
/// lists each value once, in order of first reading, with the last value read
/// as its default primary, so only each read's first place matters, and the
/// last read. Keeps a helper calling helpers from replaying ever longer
/// lists of the same reads: a scan that reads each row's name twice (a
/// containment test both ways) replays each name once.
pub(super) fn without_repeats(reads: &[Read], marks: &mut NodeMarks, nodes: usize) -> Box<[Read]> {
    // Most bodies read a handful of values: compare them directly.
    if reads.len() <= 16 {
        return first_places_compared(reads);
    }
    marks.start(nodes);
    let mut seen = SeenReads {
        marks,
        placeholders: Vec::new(),
    };
    let mut kept: Vec<Read> = reads.iter().copied().filter(|&read| seen.first_time(read)).collect();
    push_last(&mut kept, reads);
    kept.into_boxed_slice()
}

/// Each read at its first place, and the last read, found by comparing
/// every pair: quadratic, for short lists.
fn first_places_compared(reads: &[Read]) -> Box<[Read]> {
    let mut kept: Vec<Read> = reads
        .iter()
        .enumerate()
        .filter(|&(i, read)| !reads[..i].contains(read))
        .map(|(_, read)| *read)
        .collect();
    push_last(&mut kept, reads);
    kept.into_boxed_slice()
}

/// The last of `reads` at the end of `kept`, if it is not there already.
fn push_last(kept: &mut Vec<Read>, reads: &[Read]) {
    if let Some(&last) = reads.last() {
        if kept.last() != Some(&last) {
            kept.push(last);
        }
    }
}

/// The reads seen so far in a pass: nodes marked, placeholders (at most two
/// per argument) listed.
struct SeenReads<'m> {
    marks: &'m mut NodeMarks,
    placeholders: Vec<Read>,
}

impl SeenReads<'_> {
    fn first_time(&mut self, read: Read) -> bool {
        match read {
            Read::Node(id) => self.marks.insert(id),
            _ if self.placeholders.contains(&read) => false,
            _ => {
                self.placeholders.push(read);
                true
            }
        }
    }
}

/// A value that may be one of the call's arguments (whose node differs from
/// call to call when the key is the argument's text).
#[derive(Clone, Debug)]
pub(super) enum Bound {
    Value(Value),
    Arg(usize),
}

impl Bound {
    pub fn value(&self, args: &[Value]) -> Value {
        match self {
            Bound::Value(v) => v.clone(),
            Bound::Arg(i) => args[*i].clone(),
        }
    }
}

/// The last comparison that came out false inside the call, its right-hand
/// reads as positions in the template.
#[derive(Clone, Debug)]
pub(super) struct Compare<'p> {
    pub expr: &'p Expr,
    pub lhs: Bound,
    pub rhs: Bound,
    pub rhs_reads: Range<usize>,
    pub allowed: Option<(Decimal, bool)>,
}

/// What a call (or a file-level `let`) did, enough to replay it exactly.
#[derive(Clone, Debug)]
pub(super) struct Remembered<'p> {
    pub result: Result<Bound, Box<Fault>>,
    /// The fault's `near` is this argument's node.
    pub near_arg: Option<usize>,
    pub reads: Box<[Read]>,
    pub failed: Option<Compare<'p>>,
    /// Evaluation steps the body took, without those of the lets it used: a
    /// replay costs the same, so an assertion's step count does not depend
    /// on what ran before it.
    pub steps: u64,
    /// The lets the body used (directly or in calls): a replay counts each
    /// once per statement, as a first evaluation does.
    pub globals: Box<[usize]>,
    /// The body ran out of steps from a fresh budget: it always will.
    pub exhausted: bool,
    /// False when the body touched an argument's node in a way a template
    /// cannot stand for: this call is not remembered.
    pub storable: bool,
    /// An index answered a filter in the body: the reads leave out elements
    /// the filter rejected. An exact run (indexes off) does not replay it.
    pub sparse: bool,
    /// How many of `reads` are `Read::Node`, and the others: a replay that
    /// does not push the reads still counts them as steps.
    pub node_reads: u64,
    pub arg_reads: Box<[Read]>,
}

impl Remembered<'_> {
    /// What remembering this call holds (see `held`).
    pub fn held_units(&self) -> u64 {
        let value = match &self.result {
            Ok(Bound::Value(value)) => super::held::units(value),
            _ => 0,
        };
        value
            .saturating_add(self.reads.len() as u64)
            .saturating_add(self.arg_reads.len() as u64)
    }
}

pub(super) type Memo<'p, 'd> = FxHashMap<CallKey<'d>, Rc<Remembered<'p>>>;

/// Builtin calls remembered: keyed by the builtin's place in the table. Only
/// results that hold no data node are kept (a builtin's errors carry no span:
/// each call attaches its own).
pub(super) type BuiltinMemo<'d> = FxHashMap<CallKey<'d>, crate::builtins::BuiltinResult>;

/// Placeholder node ids: `BASE + (depth · MAX_ARGS + arg) · 2 (+1 for the node)`.
const PLACEHOLDER_BASE: u32 = 0xFFF0_0000;

/// How many remembered calls may be under way inside one another.
pub(super) const MAX_DEPTH: usize = ((u32::MAX - PLACEHOLDER_BASE) as usize / (2 * MAX_ARGS)) - 1;

/// Stands for the reads of argument `arg` of the remembered call at `depth`.
pub(super) fn arg_reads_placeholder(depth: usize, arg: usize) -> NodeId {
    NodeId(PLACEHOLDER_BASE + ((depth * MAX_ARGS + arg) * 2) as u32)
}

/// For a slot whose reads are an argument placeholder: the placeholder of
/// that argument's own node.
pub(super) fn node_placeholder_for(reads: &[NodeId]) -> Option<NodeId> {
    match reads {
        [only] if only.0 >= PLACEHOLDER_BASE && (only.0 - PLACEHOLDER_BASE).is_multiple_of(2) => {
            Some(NodeId(only.0 + 1))
        }
        _ => None,
    }
}

/// `(depth, arg, is_node)` of a placeholder, `None` for a real node.
pub(super) fn placeholder(id: NodeId) -> Option<(usize, usize, bool)> {
    let offset = id.0.checked_sub(PLACEHOLDER_BASE)? as usize;
    let slot = offset / 2;
    Some((slot / MAX_ARGS, slot % MAX_ARGS, offset % 2 == 1))
}

/// Values looked at before [`holds_any`] and [`holds_data`] give up and say
/// yes: lists that share their parts can be far larger than their memory.
/// The look is not counted as steps, so it is kept short: at 10,000, a
/// chain of calls returning a list nested 30,000 deep spent 60% of its time
/// here. A larger result is not remembered (results that large are rare).
const MAX_LOOKED_AT: usize = 256;

/// Whether `value` may hold, anywhere inside, one of `nodes` (yes when too
/// large to tell).
pub(super) fn holds_any(value: &Value, nodes: &[NodeId]) -> bool {
    !nodes.is_empty() && finds(value, &mut |id| nodes.contains(&id), &mut MAX_LOOKED_AT.clone())
}

/// Whether `value` may hold any data node (yes when too large to tell).
pub(super) fn holds_data(value: &Value) -> bool {
    finds(value, &mut |_| true, &mut MAX_LOOKED_AT.clone())
}

fn finds(value: &Value, wanted: &mut dyn FnMut(NodeId) -> bool, budget: &mut usize) -> bool {
    if *budget == 0 {
        return true;
    }
    *budget -= 1;
    match value {
        Value::Data(id) => wanted(*id),
        Value::List(items) => items.iter().any(|v| finds(v, wanted, budget)),
        Value::Map(entries) => entries.iter().any(|(_, v)| finds(v, wanted, budget)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read() -> impl Strategy<Value = Read> {
        prop_oneof![
            8 => (0u32..40).prop_map(|n| Read::Node(NodeId(n))),
            1 => (0..MAX_ARGS as u8).prop_map(Read::ArgReads),
            1 => (0..MAX_ARGS as u8).prop_map(Read::ArgNode),
        ]
    }

    /// What a finding takes from a list of reads: each read once, in order
    /// of first reading, and the last read.
    fn what_a_finding_sees(reads: &[Read]) -> (Vec<Read>, Option<Read>) {
        let mut firsts = Vec::new();
        for read in reads {
            if !firsts.contains(read) {
                firsts.push(*read);
            }
        }
        (firsts, reads.last().copied())
    }

    proptest! {
        /// Long lists too (past the 16 compared directly), with the marks
        /// reused from one list to the next as an evaluator reuses them.
        #[test]
        fn without_repeats_keeps_first_places_and_the_last_read(lists in prop::collection::vec(prop::collection::vec(read(), 0..120), 1..4)) {
            let mut marks = NodeMarks::default();
            for reads in lists {
                let kept = without_repeats(&reads, &mut marks, 40);
                prop_assert_eq!(&kept, &first_places_compared(&reads));
                prop_assert_eq!(what_a_finding_sees(&kept), what_a_finding_sees(&reads));
                // Nothing is kept twice but the last read.
                let (firsts, _) = what_a_finding_sees(&kept);
                prop_assert!(kept.len() <= firsts.len() + 1);
            }
        }
    }

    #[test]
    fn a_read_repeated_at_the_end_is_kept_there() {
        let (a, b) = (Read::Node(NodeId(1)), Read::Node(NodeId(2)));
        let mut marks = NodeMarks::default();
        assert_eq!(&*without_repeats(&[a, b, a], &mut marks, 3), &[a, b, a]);
        assert_eq!(&*without_repeats(&[a, a, b, b], &mut marks, 3), &[a, b]);
        let long: Vec<Read> = (0..40).flat_map(|n| [Read::Node(NodeId(n)); 2]).collect();
        let firsts: Vec<Read> = (0..40).map(|n| Read::Node(NodeId(n))).collect();
        assert_eq!(&*without_repeats(&long, &mut marks, 40), &firsts[..]);
    }
}
