//! What evaluating the rules over one document produced.

use crate::data::NodeId;
use crate::source::Span;

/// How an assertion that did not pass ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    /// The assertion is false.
    Violation,
    /// The data it needs is absent: indeterminate.
    Missing,
    /// A value of the wrong type: a bug in the rule or the data.
    Type,
    /// Overflow, division by zero, an empty `min`…
    Arithmetic,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Violation => "violation",
            FindingKind::Missing => "missing",
            FindingKind::Type => "type",
            FindingKind::Arithmetic => "arithmetic",
        }
    }
}

/// A data value the failing assertion read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataRead {
    pub node: NodeId,
    /// Where it is in the document, e.g. `政府采购.表.明细[3].采购金额`.
    pub path: String,
}

/// One outcome other than passed.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Index into [`crate::resolve::Program::rules`].
    pub rule: usize,
    pub kind: FindingKind,
    pub message: String,
    /// Every data value the assertion read, in reading order, each once.
    pub values: Vec<DataRead>,
    /// Index into `values` of the value the finding is about.
    pub primary: Option<usize>,
    /// In the rule file: the assertion's condition, or the expression that failed.
    pub span: Span,
    /// In the rule file: the statement, from its `assert` (or `for`, `let`,
    /// `when`) keyword; JSON's `rule_line`/`rule_column` point here.
    pub statement: Span,
}

impl Finding {
    pub fn primary_value(&self) -> Option<&DataRead> {
        self.primary.and_then(|i| self.values.get(i))
    }
}

/// The four outcomes, counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub assertions: usize,
    pub passed: usize,
    pub violations: usize,
    pub indeterminate: usize,
    pub errors: usize,
    /// Assertions that did not run (nothing sets this yet; the summary shows it).
    pub skipped: usize,
    /// Findings accepted by an annotation or a baseline (nothing sets this yet).
    pub accepted: usize,
}

impl Counts {
    pub fn record(&mut self, kind: Option<FindingKind>) {
        self.assertions += 1;
        match kind {
            None => self.passed += 1,
            Some(FindingKind::Violation) => self.violations += 1,
            Some(FindingKind::Missing) => self.indeterminate += 1,
            Some(FindingKind::Type | FindingKind::Arithmetic) => self.errors += 1,
        }
    }

    pub fn add(&mut self, other: Counts) {
        self.assertions += other.assertions;
        self.passed += other.passed;
        self.violations += other.violations;
        self.indeterminate += other.indeterminate;
        self.errors += other.errors;
        self.skipped += other.skipped;
        self.accepted += other.accepted;
    }
}

/// Everything one document produced.
#[derive(Clone, Debug, Default)]
pub struct DocumentResult {
    pub findings: Vec<Finding>,
    pub counts: Counts,
}
