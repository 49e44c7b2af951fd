//! Evaluation of a resolved program over one data document: statements run,
//! assertions end in one of four outcomes, failures become findings.

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

use std::rc::Rc;

pub use display::{interpolate, show};
pub use explain::explain;
pub use fault::Fault;
pub use outcome::{Counts, DataRead, DocumentResult, Finding, FindingKind};

use crate::data::{Document, NodeId};
use crate::resolve::Program;
use expr::FailedCompare;
use value::Value;

/// Evaluates the rules `selected` (indexes into `program.rules`) over `doc`.
pub fn check(program: &Program, doc: &Document, selected: &[usize]) -> DocumentResult {
    let mut evaluator = Evaluator::new(program, doc);
    let mut result = DocumentResult::default();
    if let Some(schema) = &program.schema {
        // The built-in `schema` rule: the document is validated first.
        if selected.contains(&schema.rule) {
            crate::schema::validate(schema, doc, &mut result);
        }
    }
    for &rule in selected {
        evaluator.run_rule(rule, &mut result);
    }
    result
}

/// The value of file-level `let` number `index` over `doc`.
pub fn evaluate_global(program: &Program, doc: &Document, index: usize) -> Result<Value, Box<Fault>> {
    let mut evaluator = Evaluator::new(program, doc);
    let global = &program.globals[index];
    evaluator.stack.resize(global.frame_size, Value::Null);
    evaluator
        .slot_reads
        .resize(global.frame_size, evaluator.no_reads.clone());
    evaluator.eval(&global.value)
}

/// A file-level `let` once evaluated: its value and the data it read.
type GlobalValue = Result<(Value, Rc<[NodeId]>), Box<Fault>>;

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
    globals: Vec<Option<GlobalValue>>,
    /// Data values read by the current assertion.
    reads: Vec<NodeId>,
    /// The last comparison that came out false in the current assertion.
    failed_compare: Option<FailedCompare<'p>>,
    /// Arguments of the builtin calls under way.
    scratch: Vec<Value>,
    /// The empty list of reads, shared rather than allocated per binding.
    no_reads: Rc<[NodeId]>,
    /// Function calls already made over this document.
    memo: memo::Memo,
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
            builtin_memo: memo::BuiltinMemo::default(),
            statement: None,
            explain: None,
        }
    }
}
