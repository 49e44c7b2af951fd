//! `--format json`: JSON Lines, one object per finding, then a summary
//! (spec §8). Field order is the spec's. Text from the user's files has its
//! hidden characters written `\u{200B}`, as in every output (spec §15).

use std::borrow::Cow;

use serde::Serialize;

use super::{OmittedNotice, Summary};
use crate::data::Document;
use crate::eval::Finding;
use crate::resolve::{Program, Severity};
use crate::text::{escape, shown, VALUE_CHARS};

#[derive(Serialize)]
struct FindingLine<'a> {
    #[serde(rename = "type")]
    kind_of_line: &'static str,
    rule: Cow<'a, str>,
    severity: &'static str,
    kind: &'static str,
    title: Cow<'a, str>,
    cite: Option<Cow<'a, str>>,
    message: Cow<'a, str>,
    file: Cow<'a, str>,
    data: Vec<DataValue<'a>>,
    /// Values the assertion read past the first [`crate::eval::VALUES_LISTED`].
    #[serde(skip_serializing_if = "is_zero")]
    values_not_listed: usize,
    primary: Option<usize>,
    rule_file: Cow<'a, str>,
    rule_line: usize,
    rule_column: usize,
}

#[derive(Serialize)]
pub struct DataValue<'a> {
    /// The file the value is in: the data file, or an input or params file.
    pub file: Cow<'a, str>,
    pub path: Cow<'a, str>,
    pub line: usize,
    pub column: usize,
    pub start: usize,
    pub end: usize,
    /// The value's text as written in the data, at most [`VALUE_CHARS`]
    /// characters (longer text ends with `…`).
    pub value: String,
}

#[derive(Serialize)]
struct SummaryLine<'a> {
    #[serde(rename = "type")]
    kind_of_line: &'static str,
    files: usize,
    rules: usize,
    assertions: usize,
    passed: usize,
    violations: usize,
    indeterminate: usize,
    errors: usize,
    skipped: usize,
    accepted: usize,
    by_severity: BySeverity,
    /// Input files named by a template that do not exist (only when any).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    inputs_missing: Vec<Cow<'a, str>>,
    /// Findings counted but not listed (only when any: see `"type":"omitted"`).
    #[serde(skip_serializing_if = "is_zero")]
    omitted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct BySeverity {
    error: usize,
    warning: usize,
    info: usize,
}

/// Findings of one rule in one file that were counted but not listed.
#[derive(Serialize)]
struct OmittedLine<'a> {
    #[serde(rename = "type")]
    kind_of_line: &'static str,
    file: Cow<'a, str>,
    rule: Cow<'a, str>,
    kind: &'static str,
    count: usize,
    /// The most findings of one rule listed per file.
    listed: usize,
}

/// A line after a file's findings: `{"type":"omitted",…}`.
pub fn omitted(notice: &OmittedNotice) -> String {
    let line = OmittedLine {
        kind_of_line: "omitted",
        file: escape(&notice.file),
        rule: escape(&notice.rule),
        kind: notice.kind.as_str(),
        count: notice.count,
        listed: crate::eval::FINDINGS_KEPT,
    };
    serde_json::to_string(&line).expect("notices serialize")
}

/// A file that could not be checked (unreadable, unparsable).
#[derive(Serialize)]
struct ErrorLine<'a> {
    #[serde(rename = "type")]
    kind_of_line: &'static str,
    file: Cow<'a, str>,
    message: Cow<'a, str>,
    line: Option<usize>,
    column: Option<usize>,
}

pub fn data_values<'a>(doc: &'a Document, finding: &'a Finding) -> Vec<DataValue<'a>> {
    finding
        .values
        .iter()
        .map(|read| {
            let location = doc.location(read.node);
            let range = doc.byte_range(read.node);
            DataValue {
                file: escape(doc.file_of(read.node).name()),
                path: escape(&read.path),
                line: location.line,
                column: location.column,
                start: range.start,
                end: range.end,
                value: shown(doc.raw(read.node), VALUE_CHARS),
            }
        })
        .collect()
}

pub fn finding(program: &Program, doc: &Document, finding: &Finding) -> String {
    let rule = &program.rules[finding.rule];
    let rule_source = program.source(finding.statement);
    let at = rule_source.location(finding.statement.start as usize);
    let line = FindingLine {
        kind_of_line: "finding",
        rule: escape(&rule.id),
        severity: finding.severity(program).as_str(),
        kind: finding.kind.as_str(),
        title: escape(&rule.title),
        cite: rule.cite.as_deref().map(escape),
        message: escape(&finding.message),
        file: escape(doc.name()),
        data: data_values(doc, finding),
        values_not_listed: finding.values_not_listed,
        primary: finding.primary,
        rule_file: escape(rule_source.name()),
        rule_line: at.line,
        rule_column: at.column,
    };
    serde_json::to_string(&line).expect("findings serialize")
}

pub fn error(file: &str, message: &str, at: Option<(usize, usize)>) -> String {
    let line = ErrorLine {
        kind_of_line: "error",
        file: escape(file),
        message: escape(message),
        line: at.map(|a| a.0),
        column: at.map(|a| a.1),
    };
    serde_json::to_string(&line).expect("errors serialize")
}

pub fn summary(summary: &Summary) -> String {
    summary_with(summary, &[])
}

/// The summary line, listing `inputs_missing` when there are any.
pub fn summary_with(summary: &Summary, inputs_missing: &[String]) -> String {
    let c = &summary.counts;
    let line = SummaryLine {
        kind_of_line: "summary",
        files: summary.files,
        rules: summary.rules,
        assertions: c.assertions,
        passed: c.passed,
        violations: c.violations,
        indeterminate: c.indeterminate,
        errors: c.errors,
        skipped: c.skipped,
        accepted: c.accepted,
        inputs_missing: inputs_missing.iter().map(|m| escape(m)).collect(),
        omitted: summary.omitted,
        by_severity: BySeverity {
            error: summary.by_severity[Severity::Error as usize],
            warning: summary.by_severity[Severity::Warning as usize],
            info: summary.by_severity[Severity::Info as usize],
        },
    };
    serde_json::to_string(&line).expect("summary serializes")
}
