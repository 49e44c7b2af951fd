//! What checking a document produced, as plain data.

use serde::Serialize;

use crate::data;
use crate::eval;
use crate::resolve::{self, Program};

/// How serious a finding is: its rule's `severity` (the built-in `schema`
/// rule's breaches are errors or warnings by their kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; not wrong in itself.
    Info,
    /// Probably wrong.
    Warning,
    /// Wrong.
    Error,
}

impl Severity {
    /// `"info"`, `"warning"` or `"error"`, as rule files and reports write it.
    pub fn as_str(self) -> &'static str {
        resolve::Severity::from(self).as_str()
    }
}

impl From<resolve::Severity> for Severity {
    fn from(severity: resolve::Severity) -> Self {
        match severity {
            resolve::Severity::Info => Severity::Info,
            resolve::Severity::Warning => Severity::Warning,
            resolve::Severity::Error => Severity::Error,
        }
    }
}

impl From<Severity> for resolve::Severity {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Info => resolve::Severity::Info,
            Severity::Warning => resolve::Severity::Warning,
            Severity::Error => resolve::Severity::Error,
        }
    }
}

/// How an assertion that did not pass ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// The assertion is false.
    Violation,
    /// The data it needs is absent, so it cannot be decided.
    Missing,
    /// A value of the wrong type: a bug in the rule or the data.
    Type,
    /// Overflow, division by zero, the minimum of an empty list…
    Arithmetic,
    /// The assertion took more evaluation steps than one may.
    Limit,
}

impl FindingKind {
    /// `"violation"`, `"missing"`, `"type"`, `"arithmetic"` or `"limit"`, as
    /// the JSON report writes it.
    pub fn as_str(self) -> &'static str {
        eval::FindingKind::from(self).as_str()
    }

    /// `None` for the internal outcome that is counted but never reported.
    pub(super) fn from_internal(kind: eval::FindingKind) -> Option<Self> {
        Some(match kind {
            eval::FindingKind::Violation => FindingKind::Violation,
            eval::FindingKind::Missing => FindingKind::Missing,
            eval::FindingKind::Type => FindingKind::Type,
            eval::FindingKind::Arithmetic => FindingKind::Arithmetic,
            eval::FindingKind::Limit => FindingKind::Limit,
            eval::FindingKind::Skipped => return None,
        })
    }
}

impl From<FindingKind> for eval::FindingKind {
    fn from(kind: FindingKind) -> Self {
        match kind {
            FindingKind::Violation => eval::FindingKind::Violation,
            FindingKind::Missing => eval::FindingKind::Missing,
            FindingKind::Type => eval::FindingKind::Type,
            FindingKind::Arithmetic => eval::FindingKind::Arithmetic,
            FindingKind::Limit => eval::FindingKind::Limit,
        }
    }
}

/// Everything checking one document produced.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The document's name.
    pub document: String,
    /// The findings, in the order the command line prints them: by the
    /// position of the value each is about, then by rule ID.
    pub findings: Vec<Finding>,
    /// Findings a `# tally-allow: ID — reason` annotation in the document
    /// accepted: they are not in `findings`.
    pub accepted: Vec<Accepted>,
    /// The outcomes of every assertion run, counted.
    pub counts: Counts,
    /// Findings counted but not listed: past the first 1,000 of one rule in
    /// one document, the rest are counted in `counts` only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub omitted: Vec<Omitted>,
}

/// Findings of one rule and kind that were counted but not listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Omitted {
    /// The rule's ID.
    pub rule: String,
    /// How the assertions ended.
    pub kind: FindingKind,
    /// How many were not listed.
    pub count: usize,
}

impl Report {
    /// Whether every assertion passed (accepted findings aside).
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

/// One assertion that did not pass.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's ID, as written after `rule`.
    pub rule: String,
    /// The rule's `title`.
    pub title: String,
    /// How serious it is.
    pub severity: Severity,
    /// How the assertion ended.
    pub kind: FindingKind,
    /// The assertion's message, its `{…}` parts filled in.
    pub message: String,
    /// The rule's `cite`, when it has one.
    pub cite: Option<String>,
    /// The data values the assertion read, in reading order, each once: the
    /// first 200 ([`crate::VALUES_LISTED`]), the primary one always among them.
    pub data: Vec<DataValue>,
    /// How many more distinct values the assertion read, not listed in `data`
    /// (left out of the serialized report when 0).
    #[serde(skip_serializing_if = "is_zero")]
    pub values_not_listed: usize,
    /// Index into `data` of the value the finding is about.
    pub primary: Option<usize>,
    /// Where the assertion is written.
    pub rule_location: RuleLocation,
}

/// A data value an assertion read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DataValue {
    /// The file it is in: the document's name, or another file attached to it.
    pub file: String,
    /// Where it is in the document, e.g. `政府采购.表.明细[3].采购金额`.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Byte offset where the value starts in its file.
    pub start: usize,
    /// Byte offset just past the value's end.
    pub end: usize,
    /// The value exactly as written (for a quoted string, with its quotes).
    pub text: String,
}

/// Where an assertion is written in its rule file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleLocation {
    /// The rule file's name (`@cn-budget/…` for a bundled file).
    pub file: String,
    /// 1-based line of the statement.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

/// A finding accepted by an annotation in the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Accepted {
    /// The finding.
    pub finding: Finding,
    /// The reason the annotation gives.
    pub reason: String,
}

/// The outcomes of the assertions run over one document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Assertions run.
    pub assertions: usize,
    /// Assertions that held.
    pub passed: usize,
    /// Assertions that were false.
    pub violations: usize,
    /// Assertions that could not be decided for missing data.
    pub indeterminate: usize,
    /// Assertions that ended in a type, arithmetic or limit error.
    pub errors: usize,
    /// Assertions that read an optional input absent for this document.
    pub skipped: usize,
    /// Findings accepted by an annotation (also counted above by kind).
    pub accepted: usize,
}

impl From<eval::Counts> for Counts {
    fn from(c: eval::Counts) -> Self {
        Counts {
            assertions: c.assertions,
            passed: c.passed,
            violations: c.violations,
            indeterminate: c.indeterminate,
            errors: c.errors,
            skipped: c.skipped,
            accepted: c.accepted,
        }
    }
}

impl Finding {
    /// `finding` with every index resolved: the rule by ID, each node by its
    /// file, place and text. `None` for an outcome that is never reported.
    pub(crate) fn resolve(program: &Program, doc: &data::Document, finding: &eval::Finding) -> Option<Finding> {
        let kind = FindingKind::from_internal(finding.kind)?;
        let rule = &program.rules[finding.rule];
        let rule_source = program.source(finding.statement);
        let at = rule_source.location(finding.statement.start as usize);
        Some(Finding {
            rule: rule.id.to_string(),
            title: rule.title.to_string(),
            severity: finding.severity(program).into(),
            kind,
            message: finding.message.clone(),
            cite: rule.cite.as_deref().map(str::to_owned),
            data: finding.values.iter().map(|read| data_value(doc, read)).collect(),
            values_not_listed: finding.values_not_listed,
            primary: finding.primary,
            rule_location: RuleLocation {
                file: rule_source.name().to_owned(),
                line: at.line,
                column: at.column,
            },
        })
    }
}

fn data_value(doc: &data::Document, read: &eval::DataRead) -> DataValue {
    let location = doc.location(read.node);
    let range = doc.byte_range(read.node);
    DataValue {
        file: doc.file_of(read.node).name().to_owned(),
        path: read.path.clone(),
        line: location.line,
        column: location.column,
        start: range.start,
        end: range.end,
        text: doc.raw(read.node).to_owned(),
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
