//! What evaluating the rules over one document produced.

use crate::data::NodeId;
use crate::resolve::{Program, Severity};
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
    /// It reads an optional input that is absent for this document: counted,
    /// never a finding (spec §12).
    Skipped,
    /// The assertion took more evaluation steps than one may (spec §15).
    Limit,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Violation => "violation",
            FindingKind::Missing => "missing",
            FindingKind::Type => "type",
            FindingKind::Arithmetic => "arithmetic",
            FindingKind::Skipped => "skipped",
            FindingKind::Limit => "limit",
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
    /// The data values the assertion read, in reading order, each once: the
    /// first [`VALUES_LISTED`] (and the primary one, wherever it was read).
    pub values: Vec<DataRead>,
    /// Further distinct values the assertion read, counted but not listed.
    pub values_not_listed: usize,
    /// Index into `values` of the value the finding is about.
    pub primary: Option<usize>,
    /// In the rule file: the assertion's condition, or the expression that failed.
    pub span: Span,
    /// In the rule file: the statement, from its `assert` (or `for`, `let`,
    /// `when`) keyword; JSON's `rule_line`/`rule_column` point here.
    pub statement: Span,
    /// Overrides the rule's severity: the built-in `schema` rule's breaches are
    /// errors or warnings by their kind (spec §10).
    pub severity: Option<Severity>,
}

impl Finding {
    /// How serious the finding is: its own severity, else its rule's.
    pub fn severity(&self, program: &Program) -> Severity {
        self.severity.unwrap_or(program.rules[self.rule].severity)
    }

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
    /// Assertions that read an absent optional input.
    pub skipped: usize,
    /// Findings accepted by a `# tally-allow:` annotation or a baseline
    /// (also counted above under their kind).
    pub accepted: usize,
}

impl Counts {
    pub fn record(&mut self, kind: Option<FindingKind>) {
        self.assertions += 1;
        match kind {
            None => self.passed += 1,
            Some(FindingKind::Violation) => self.violations += 1,
            Some(FindingKind::Missing) => self.indeterminate += 1,
            Some(FindingKind::Type | FindingKind::Arithmetic | FindingKind::Limit) => self.errors += 1,
            Some(FindingKind::Skipped) => self.skipped += 1,
        }
    }

    /// A finding of `kind` already recorded is accepted: it moves from its
    /// kind's count to `accepted`.
    pub fn accept(&mut self, kind: FindingKind) {
        let count = match kind {
            FindingKind::Violation => &mut self.violations,
            FindingKind::Missing => &mut self.indeterminate,
            FindingKind::Type | FindingKind::Arithmetic | FindingKind::Limit => &mut self.errors,
            FindingKind::Skipped => &mut self.skipped,
        };
        *count = count.saturating_sub(1);
        self.accepted += 1;
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

/// Findings kept of one rule over one document; past this each further
/// finding is counted (under its kind and in [`DocumentResult::omitted`]) but
/// not built, so no document can make a run hold millions of findings
/// (spec §15: no input exhausts memory).
pub const FINDINGS_KEPT: usize = 1_000;

/// Data values listed in one finding; each further one is counted in
/// [`Finding::values_not_listed`]. An assertion can read a whole table, and
/// a rule can fail for every row of it: without this, 1,000 findings over a
/// 100 KB table of 5,000 rows listed 10 million values and no memory held the
/// report (spec §15: no input exhausts memory).
pub const VALUES_LISTED: usize = 200;

/// Findings of one rule, of one kind and severity, past [`FINDINGS_KEPT`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Omitted {
    /// Index into [`crate::resolve::Program::rules`].
    pub rule: usize,
    pub kind: FindingKind,
    /// As [`Finding::severity`]: the finding's own, else its rule's.
    pub severity: Option<Severity>,
    pub count: usize,
}

impl Omitted {
    pub fn severity(&self, program: &Program) -> Severity {
        self.severity.unwrap_or(program.rules[self.rule].severity)
    }
}

/// Everything one document produced.
#[derive(Clone, Default)]
pub struct DocumentResult {
    pub findings: Vec<Finding>,
    pub counts: Counts,
    /// What was counted but not kept, by rule in run order.
    pub omitted: Vec<Omitted>,
    /// The rule of the last finding added and how many of its were kept: a
    /// rule's findings are added together, never interleaved with another's.
    kept: (usize, usize),
}

/// What was produced, without the bookkeeping of what is kept (the
/// differential test compares results by this text).
impl std::fmt::Debug for DocumentResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentResult")
            .field("findings", &self.findings)
            .field("counts", &self.counts)
            .field("omitted", &self.omitted)
            .finish()
    }
}

impl DocumentResult {
    /// Adds what a later part of the same run produced, after this one's.
    pub fn append(&mut self, later: DocumentResult) {
        self.findings.extend(later.findings);
        self.counts.add(later.counts);
        self.omitted.extend(later.omitted);
        if later.kept.1 > 0 {
            self.kept = later.kept;
        }
    }

    /// Whether another finding of `rule` is kept; when not, the caller
    /// records it with [`omit`](Self::omit) instead of building it.
    pub fn has_room(&self, rule: usize) -> bool {
        self.kept.0 != rule || self.kept.1 < FINDINGS_KEPT
    }

    /// Keeps a finding (the caller checked [`has_room`](Self::has_room)).
    pub fn add(&mut self, finding: Finding) {
        if self.kept.0 == finding.rule {
            self.kept.1 += 1;
        } else {
            self.kept = (finding.rule, 1);
        }
        self.findings.push(finding);
    }

    /// Counts a finding that is not kept (its outcome is counted already).
    pub fn omit(&mut self, rule: usize, kind: FindingKind, severity: Option<Severity>) {
        match self.omitted.last_mut() {
            Some(last) if (last.rule, last.kind, last.severity) == (rule, kind, severity) => last.count += 1,
            _ => match self
                .omitted
                .iter_mut()
                .rev()
                .take_while(|o| o.rule == rule)
                .find(|o| (o.kind, o.severity) == (kind, severity))
            {
                Some(same) => same.count += 1,
                None => self.omitted.push(Omitted {
                    rule,
                    kind,
                    severity,
                    count: 1,
                }),
            },
        }
    }

    /// Every finding counted but not kept.
    pub fn omitted_count(&self) -> usize {
        self.omitted.iter().map(|o| o.count).sum()
    }
}
