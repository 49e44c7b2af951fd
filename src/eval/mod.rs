//! Evaluation of a resolved program over one data document: statements run,
//! assertions end in one of four outcomes, failures become findings.

mod call;
mod containment;
mod exact_keys;
mod explain;
mod expr;
mod fault;
mod held;
mod index;
mod interval;
#[cfg(test)]
mod lookup_testing;
mod membership;
mod memo;
mod message;
mod node_marks;
mod outcome;
mod quick;
mod quick_budget;
mod quick_value;
mod slot_reads;
mod stmt;
mod text_index;
mod threads;

pub use explain::explain;
pub use fault::Fault;
pub use outcome::{Counts, DataRead, DocumentResult, Finding, FindingKind, Omitted, FINDINGS_KEPT, VALUES_LISTED};
pub use threads::{check_on_threads, HELP_AFTER};

use slot_reads::SlotReads;
use std::rc::Rc;

use crate::data::{Document, NodeId};
use crate::resolve::{self, Program};
use crate::value::Value;
use expr::FailedCompare;

/// Evaluates the rules `selected` (indexes into `program.rules`) over `doc`.
pub fn check(program: &Program, doc: &Document, selected: &[usize]) -> DocumentResult {
    check_with(program, doc, selected, &Bindings::default())
}

/// What one document's run binds beyond the rules: values of parameters read
/// from a params file, and the input documents. Every node is in `doc`, where
/// these files are attached (see [`Document::attach`]).
#[derive(Clone, Debug, Default)]
pub struct Bindings {
    /// `(index into program.globals, the value in the params file)`.
    pub params: Vec<(usize, NodeId)>,
    /// One per `program.inputs`: the roots of its documents (one for a single
    /// input); `None` when the input is absent for this document.
    pub inputs: Vec<Option<Vec<NodeId>>>,
}

/// [`check`] with the parameters and inputs of `bindings`.
pub fn check_with(program: &Program, doc: &Document, selected: &[usize], bindings: &Bindings) -> DocumentResult {
    check_configured(program, doc, selected, bindings, Shortcuts::ALL)
}

/// The ways evaluation may be faster than plain tree-walking. Each gives the
/// same results as none (tests/differential.rs compares them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shortcuts {
    /// Filters of the indexed shape are answered from hash indexes (index.rs).
    pub indexes: bool,
    /// A plain assertion's quick form decides a pass (quick.rs).
    pub quick: bool,
}

impl Shortcuts {
    /// All of them: what `tally` runs.
    pub const ALL: Shortcuts = Shortcuts {
        indexes: true,
        quick: true,
    };
    /// None: every filter scans and every assertion is walked in full, the
    /// reference the others are tested against.
    pub const NONE: Shortcuts = Shortcuts {
        indexes: false,
        quick: false,
    };
}

/// [`check_with`], choosing the shortcuts evaluation may take.
pub fn check_configured(
    program: &Program,
    doc: &Document,
    selected: &[usize],
    bindings: &Bindings,
    shortcuts: Shortcuts,
) -> DocumentResult {
    let mut evaluator = Evaluator::configured(program, doc, bindings, shortcuts);
    let mut result = schema_first(program, doc, selected);
    for &rule in selected {
        evaluator.run_rule(rule, &mut result);
    }
    result
}

/// The result of the built-in `schema` rule when it is selected: the
/// document is validated before any other rule runs.
fn schema_first(program: &Program, doc: &Document, selected: &[usize]) -> DocumentResult {
    let mut result = DocumentResult::default();
    if let Some(schema) = &program.schema {
        if selected.contains(&schema.rule) {
            crate::schema::validate(schema, doc, &mut result);
        }
    }
    result
}

/// The value of file-level `let` number `index` over `doc`.
pub fn evaluate_global(program: &Program, doc: &Document, index: usize) -> Result<Value, Box<Fault>> {
    let mut evaluator = Evaluator::new(program, doc);
    evaluator.global(index).map_err(|mut fault| {
        fault.settle(program, doc);
        fault
    })
}

/// A rule file and a data document, both given as text, for the
/// evaluator's unit tests.
#[cfg(test)]
fn test_inputs(rules: &str, data: String) -> (Program, Document) {
    let store = resolve::MemoryStore(vec![("rules.tally".into(), rules.into())]);
    let program = resolve::load_program(&store, &["rules.tally".into()]).expect("the rules load");
    let doc = crate::input::load_text("data.yaml", data).expect("the data loads");
    (program, doc)
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
    slot_reads: Vec<SlotReads>,
    base: usize,
    /// File-level lets, evaluated at most once per document.
    globals: Vec<Option<Rc<memo::Remembered<'p>>>>,
    /// Data values read by the current assertion.
    reads: Vec<NodeId>,
    /// For passes over long lists of reads (a template's, a finding's).
    node_marks: node_marks::NodeMarks,
    /// The reads of the body `remember` is making a template of (call.rs).
    template_buffer: Vec<memo::Read>,
    /// The last comparison that came out false in the current assertion.
    failed_compare: Option<FailedCompare<'p>>,
    /// Arguments of the builtin calls under way.
    scratch: Vec<Value>,
    /// Function calls already made over this document.
    memo: memo::Memo<'p, 'd>,
    /// How many remembered calls are under way, one inside another.
    memo_depth: usize,
    /// The data node (if any) of each argument of the remembered calls under
    /// way, one run per call, starting at `memo_arg_starts[depth]`.
    memo_arg_nodes: Vec<Option<NodeId>>,
    memo_arg_starts: Vec<usize>,
    /// Argument buffers of finished `fn` calls, reused.
    arg_buffers: Vec<(Vec<Value>, Vec<SlotReads>)>,
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
    builtin_memo: memo::BuiltinMemo<'d>,
    /// The assertion being run, for the findings it yields.
    statement: Option<crate::source::Span>,
    /// Set by `tally explain`: the lines explaining each assertion run.
    explain: Option<Vec<String>>,
    /// Each input's value (a document's root, or a list of roots); `None` absent.
    inputs: Vec<Option<Value>>,
    /// Whether filters of the indexed shape are answered from an index.
    use_index: bool,
    /// Whether containment filters may be answered from a text index with
    /// the scan's reads (containment.rs): on whenever indexes are, also in
    /// the runs made exact without them; off for the reference evaluation.
    exact_lookups: bool,
    /// Whether statements try quick forms and the quick evaluator first.
    use_quick: bool,
    /// What they decided (for tests).
    quick_decided: QuickDecided,
    /// Statements run again without indexes because they did not pass
    /// (for tests: an index that runs out of steps where the scan would not
    /// shows here).
    exact_reruns: u64,
    /// Filters answered as empty by a false guard that does not read the
    /// element, by either evaluator (for tests).
    guarded_off: u64,
    /// Filters the full evaluation answered exactly, from a text index or
    /// from keys worked out once (for tests).
    looked_up: u64,
    /// File-level lets computed, and how often the remembered calls were
    /// let go to make room (for tests).
    lets_computed: u64,
    calls_forgotten: u64,
    /// The current statement's reads may be incomplete (an index answered a
    /// filter, or a remembered call replayed reads that were): a statement
    /// that does not pass then runs again without indexes.
    sparse: bool,
    /// Hash indexes over this document's lists (see index.rs).
    indexes: index::Indexes,
    /// Indexes of their texts, for containment filters (containment.rs).
    text_indexes: index::TextIndexes,
    /// Their keys as a statement made exact evaluates them (exact_keys.rs).
    exact_keys: exact_keys::ExactKeyTables,
    /// Rule-level `let`s an index answered, by absolute slot: their reads are
    /// incomplete until a statement that does not pass needs them exactly
    /// (see `Evaluator::exact_let`).
    sparse_lets: Vec<(usize, &'p resolve::program::Expr)>,
    /// The last comprehension an index answered: (elements kept, elements).
    last_indexed: Option<(usize, usize)>,
    /// Long lists of strings that `in` asked, as hash sets.
    string_sets: membership::StringSets,
    /// Calls the quick evaluator remembered (see quick_value.rs).
    quick_memo: quick_value::QuickMemo<'d>,
    /// The quick evaluator's frames start here on the stack…
    quick_floor: usize,
    /// …and for each of their slots, the reads the full evaluation would
    /// replay when it is read.
    quick_weights: Vec<u64>,
    /// Rule-level `let`s the quick evaluator computed: their reads are
    /// found the first time a full evaluation reads them.
    quick_lets: Vec<quick_value::QuickLet<'p>>,
    /// How far the quick evaluator may go on each statement.
    quick_budget: quick_budget::QuickBudget,
    /// What rule `let`s and remembered results hold, bounded.
    held: held::Held,
    /// File-level lets computed while the document could remember no more:
    /// kept for the statement that computed them, then let go.
    transient_globals: Vec<usize>,
}

/// Statements decided without the full evaluation, by kind (for tests).
#[derive(Debug, Default)]
struct QuickDecided {
    /// Assertions their quick form passed.
    forms: u64,
    /// Assertions, `when` guards and `let`s the quick evaluator decided.
    assertions: u64,
    guards: u64,
    lets: u64,
    /// What `for` statements went through.
    sources: u64,
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
            node_marks: node_marks::NodeMarks::default(),
            template_buffer: Vec::new(),
            failed_compare: None,
            scratch: Vec::new(),
            // Room for the calls of a document is made at the first one.
            memo: memo::Memo::default(),
            memo_depth: 0,
            memo_arg_nodes: Vec::new(),
            memo_arg_starts: Vec::new(),
            arg_buffers: Vec::new(),
            steps: 0,
            charged_globals: vec![false; program.globals.len()],
            charged_list: Vec::new(),
            global_charges: 0,
            globals_touched: Vec::new(),
            builtin_memo: memo::BuiltinMemo::default(),
            statement: None,
            explain: None,
            inputs: vec![None; program.inputs.len()],
            use_index: true,
            exact_lookups: true,
            use_quick: true,
            quick_decided: QuickDecided::default(),
            exact_reruns: 0,
            guarded_off: 0,
            looked_up: 0,
            lets_computed: 0,
            calls_forgotten: 0,
            sparse: false,
            indexes: index::Indexes::default(),
            text_indexes: index::TextIndexes::default(),
            exact_keys: exact_keys::ExactKeyTables::default(),
            sparse_lets: Vec::new(),
            last_indexed: None,
            string_sets: membership::StringSets::default(),
            quick_memo: quick_value::QuickMemo::default(),
            quick_floor: 0,
            quick_weights: Vec::new(),
            quick_lets: Vec::new(),
            quick_budget: quick_budget::QuickBudget::default(),
            held: held::Held::default(),
            transient_globals: Vec::new(),
        }
    }

    /// An evaluator taking `shortcuts`, with `bindings` bound.
    fn configured(program: &'p Program, doc: &'d Document, bindings: &Bindings, shortcuts: Shortcuts) -> Self {
        let mut evaluator = Evaluator::new(program, doc);
        evaluator.use_index = shortcuts.indexes;
        evaluator.exact_lookups = shortcuts.indexes;
        evaluator.use_quick = shortcuts.quick;
        evaluator.bind(bindings);
        evaluator
    }

    /// Turns the hash indexes off: every filter scans. The reference the
    /// indexed evaluation is tested against.
    pub fn without_indexes(&mut self) {
        self.use_index = false;
        self.exact_lookups = false;
    }

    /// Parameters from a params file are remembered as already evaluated: the
    /// value is the data node, and reading it records that node.
    pub fn bind(&mut self, bindings: &Bindings) {
        for &(global, node) in &bindings.params {
            self.globals[global] = Some(Rc::new(memo::Remembered {
                result: Ok(memo::Bound::Value(Value::Data(node))),
                near_arg: None,
                reads: Box::new([memo::Read::Node(node)]),
                failed: None,
                steps: 0,
                globals: Box::new([]),
                exhausted: false,
                storable: true,
                sparse: false,
                node_reads: 1,
                arg_reads: Box::new([]),
            }));
            self.charged_globals[global] = true;
        }
        for (i, roots) in bindings.inputs.iter().enumerate().take(self.inputs.len()) {
            let program_input = &self.program.inputs[i];
            self.inputs[i] = roots
                .as_ref()
                .map(|roots| match (program_input.list, roots.as_slice()) {
                    (false, [root, ..]) => Value::Data(*root),
                    _ => Value::list(roots.iter().map(|&r| Value::Data(r)).collect()),
                });
        }
    }
}
