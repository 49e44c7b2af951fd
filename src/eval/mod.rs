//! Evaluation of a resolved program over one data document: statements run,
//! assertions end in one of four outcomes, failures become findings.

mod call;
mod display;
mod explain;
mod expr;
mod fault;
mod interval;
mod memo;
mod message;
mod outcome;
mod stmt;
pub mod value;

pub use display::{interpolate, show};
pub use explain::explain;
pub use fault::Fault;
pub use outcome::{Counts, DataRead, DocumentResult, Finding, FindingKind};

use std::rc::Rc;

use crate::data::{Document, NodeId};
use crate::resolve::Program;
use expr::FailedCompare;
use value::Value;

/// Evaluates the rules `selected` (indexes into `program.rules`) over `doc`.
pub fn check(program: &Program, doc: &Document, selected: &[usize]) -> DocumentResult {
    let mut evaluator = Evaluator::new(program, doc);
    let mut result = DocumentResult::default();
    for &rule in selected {
        evaluator.run_rule(rule, &mut result);
    }
    result
}

/// The value of file-level `let` number `index` over `doc`.
pub fn evaluate_global(program: &Program, doc: &Document, index: usize) -> Result<Value, Box<Fault>> {
    let mut evaluator = Evaluator::new(program, doc);
    evaluator.global(index)
}

/// Evaluation steps one assertion (or other statement) may take over one
/// document; each list element built counts as a step too, which bounds
/// memory (spec §15).
pub const STEP_LIMIT: u64 = 10_000_000;

/// The state of one document's evaluation. Program and document are shared
/// read-only; everything mutable lives here.
pub struct Evaluator<'p, 'd> {
    program: &'p Program,
    doc: &'d Document,
    /// Local slots of all active frames; a frame starts at `base`.
    stack: Vec<Value>,
    /// For each slot, the data values its `let` read (replayed when it is used).
    slot_reads: Vec<Rc<[NodeId]>>,
    base: usize,
    /// File-level lets, evaluated at most once per document.
    globals: Vec<Option<Rc<memo::Remembered<'p>>>>,
    /// Data values read by the current assertion.
    reads: Vec<NodeId>,
    /// The last comparison that came out false in the current assertion.
    failed_compare: Option<FailedCompare<'p>>,
    /// Arguments of the builtin calls under way.
    scratch: Vec<Value>,
    /// The empty list of reads, shared rather than allocated per binding.
    no_reads: Rc<[NodeId]>,
    /// Function calls already made over this document.
    memo: memo::Memo<'p>,
    /// How many remembered calls are under way, one inside another.
    memo_depth: usize,
    /// The arguments of each remembered call under way, by depth.
    memo_args: Vec<Vec<Value>>,
    /// Evaluation steps taken by the current statement.
    steps: u64,
    /// File-level lets whose steps the current statement has counted: a
    /// `let` is evaluated once, so a statement counts it once.
    charged_globals: Vec<bool>,
    charged_list: Vec<usize>,
    /// Steps counted for lets so far, to tell a body's own steps from them.
    global_charges: u64,
    /// Lets used by the current statement, in order (remembered bodies keep
    /// the ones they used, to count them when replayed).
    globals_touched: Vec<usize>,
    /// Costly builtin calls already made over this document.
    builtin_memo: memo::BuiltinMemo,
    /// The assertion being run, for the findings it yields.
    statement: Option<crate::source::Span>,
    /// Set by `tally explain`: the lines explaining each assertion run.
    explain: Option<Vec<String>>,
}

impl<'p, 'd> Evaluator<'p, 'd> {
    pub fn new(program: &'p Program, doc: &'d Document) -> Self {
        Evaluator {
            program,
            doc,
            stack: Vec::new(),
            slot_reads: Vec::new(),
            base: 0,
            globals: vec![None; program.globals.len()],
            reads: Vec::new(),
            failed_compare: None,
            scratch: Vec::new(),
            no_reads: Rc::from([]),
            memo: memo::Memo::default(),
            memo_depth: 0,
            memo_args: Vec::new(),
            steps: 0,
            charged_globals: vec![false; program.globals.len()],
            charged_list: Vec::new(),
            global_charges: 0,
            globals_touched: Vec::new(),
            builtin_memo: memo::BuiltinMemo::default(),
            statement: None,
            explain: None,
        }
    }
}
