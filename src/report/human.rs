//! Findings as miette diagnostics: the assertion in the rule file, and each
//! data value it read, in the data file, as related reports.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::snippet::Excerpted;
use super::text::{clip, VALUE_CHARS};
use super::Summary;
use crate::data::Document;
use crate::eval::{Finding, FindingKind};
use crate::resolve::{Program, Severity};
use crate::source::DiagnosticSource;

/// How many data values a finding shows; JSON output lists them all.
const SHOWN_VALUES: usize = 6;
/// Characters of a data path shown in a finding (a key may be very long).
const PATH_CHARS: usize = 120;

/// Renders diagnostics as text, with or without colour.
pub struct Renderer {
    handler: GraphicalReportHandler,
}

impl Renderer {
    pub fn new(color: bool) -> Self {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        Renderer {
            handler: GraphicalReportHandler::new_themed(theme)
                .with_width(120)
                .with_wrap_lines(false)
                .with_links(false)
                .with_context_lines(1),
        }
    }

    /// Any diagnostic (a load error, a data error, a finding) as text. miette
    /// only ever sees an excerpt of the source (see [`Excerpted`]).
    pub fn render(&self, diagnostic: &dyn Diagnostic) -> String {
        let mut out = String::new();
        let _ = self.handler.render_report(&mut out, &Excerpted::new(diagnostic));
        out
    }

    pub fn finding(&self, program: &Program, doc: &Document, finding: &Finding) -> String {
        // A blank line after each finding keeps one from running into the next.
        self.render(&FindingReport::new(program, doc, finding)) + "\n"
    }
}

/// `miette::ReportHandler` wants `debug`; rendering goes through `render`.
impl fmt::Debug for Renderer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Renderer")
    }
}

/// A load error in a rule file, rendered with that file's text.
pub struct WithSource<'a> {
    pub inner: &'a dyn Diagnostic,
    pub source: DiagnosticSource,
}

impl fmt::Debug for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner.to_string(), f)
    }
}

impl fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for WithSource<'_> {}

impl Diagnostic for WithSource<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
}

struct FindingReport {
    code: String,
    title: String,
    severity: miette::Severity,
    help: String,
    rule_source: DiagnosticSource,
    rule_label: LabeledSpan,
    values: Vec<ValueReport>,
}

struct ValueReport {
    text: String,
    source: DiagnosticSource,
    label: LabeledSpan,
    severity: miette::Severity,
}

impl FindingReport {
    fn new(program: &Program, doc: &Document, finding: &Finding) -> Self {
        let rule = &program.rules[finding.rule];
        let rule_severity = finding.severity(program);
        let severity = match (finding.kind, rule_severity) {
            (FindingKind::Violation, Severity::Error)
            | (FindingKind::Type | FindingKind::Arithmetic | FindingKind::Limit, _) => miette::Severity::Error,
            (FindingKind::Violation, Severity::Warning) | (FindingKind::Missing | FindingKind::Skipped, _) => {
                miette::Severity::Warning
            }
            (FindingKind::Violation, Severity::Info) => miette::Severity::Advice,
        };
        let kind = match finding.kind {
            FindingKind::Violation => rule_severity.as_str(),
            FindingKind::Missing => "indeterminate: data missing",
            FindingKind::Skipped => "skipped: input absent",
            FindingKind::Type => "error: type",
            FindingKind::Arithmetic => "error: arithmetic",
            FindingKind::Limit => "error: limit",
        };
        let breaks_schema = program.schema.as_ref().is_some_and(|s| s.rule == finding.rule);
        let rule_label = match finding.kind {
            _ if breaks_schema => "the schema the data does not match",
            FindingKind::Violation => "this assertion does not hold",
            FindingKind::Missing | FindingKind::Skipped => "needs data that is not there",
            FindingKind::Type | FindingKind::Arithmetic => "cannot be evaluated",
            FindingKind::Limit => "took too many steps",
        };
        let mut help = finding.message.clone();
        if let Some(cite) = &rule.cite {
            help.push_str(&format!("\n依据 cite: {cite}"));
        }
        let mut order: Vec<usize> = (0..finding.values.len()).collect();
        // The primary value first, then the others in reading order.
        if let Some(p) = finding.primary {
            order.retain(|&i| i != p);
            order.insert(0, p);
        }
        let hidden = order.len().saturating_sub(SHOWN_VALUES);
        let mut values: Vec<ValueReport> = order
            .into_iter()
            .take(SHOWN_VALUES)
            .map(|i| {
                let read = &finding.values[i];
                let range = label_range(doc, read.node);
                let shown = crate::eval::show(doc, &crate::eval::value::Value::Data(read.node));
                let primary = Some(i) == finding.primary;
                let path = clip(&read.path, PATH_CHARS);
                ValueReport {
                    text: format!("{path} = {}", clip(&shown, VALUE_CHARS)),
                    // Each value in its own file: an input's values in the input.
                    source: doc.file_of(read.node).named_source(),
                    label: LabeledSpan::new_with_span(
                        Some(if primary {
                            format!("{path} ◀")
                        } else {
                            path.to_string()
                        }),
                        (range.start, range.len()),
                    ),
                    severity: if primary { severity } else { miette::Severity::Advice },
                }
            })
            .collect();
        if hidden > 0 {
            if let Some(last) = values.last_mut() {
                last.text
                    .push_str(&format!(" (and {hidden} more values; --format json lists them all)"));
            }
        }
        FindingReport {
            code: format!("{} ({kind})", rule.id),
            title: rule.title.to_string(),
            severity,
            help,
            rule_source: program.source(finding.span).named_source(),
            rule_label: LabeledSpan::new_primary_with_span(Some(rule_label.to_owned()), finding.span.source_span()),
            values,
        }
    }
}

impl fmt::Debug for FindingReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Display for FindingReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for FindingReport {}

impl Diagnostic for FindingReport {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.rule_source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.rule_label.clone())))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.values.iter().map(|v| v as &dyn Diagnostic)))
    }
}

impl fmt::Debug for ValueReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for ValueReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for ValueReport {}

impl Diagnostic for ValueReport {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

/// The part of a value to underline: all of a scalar, the first line of a map
/// or list (a whole table would bury the finding).
fn label_range(doc: &Document, node: crate::data::NodeId) -> std::ops::Range<usize> {
    let range = doc.byte_range(node);
    let text = &doc.file_of(node).text()[range.clone()];
    match text.find('\n') {
        Some(first_line) => range.start..range.start + text[..first_line].trim_end().len(),
        None => range,
    }
}

/// `1 file, 42 rules, 180 assertions: 176 passed, 3 violations (2 error, 1 warning, 0 info), 1 indeterminate, 0 errors`
pub fn summary_line(summary: &Summary) -> String {
    let c = &summary.counts;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}, {}: {} passed, {} ({} error, {} warning, {} info), {} indeterminate, {}",
        plural(summary.files, "file"),
        plural(summary.rules, "rule"),
        plural(c.assertions, "assertion"),
        c.passed,
        plural(c.violations, "violation"),
        summary.by_severity[Severity::Error as usize],
        summary.by_severity[Severity::Warning as usize],
        summary.by_severity[Severity::Info as usize],
        c.indeterminate,
        plural(c.errors, "error"),
    ) + &optional_counts(c)
}

/// `, 2 skipped, 1 accepted`: shown only when not zero.
fn optional_counts(c: &crate::eval::Counts) -> String {
    let mut out = String::new();
    if c.skipped > 0 {
        out.push_str(&format!(", {} skipped", c.skipped));
    }
    if c.accepted > 0 {
        out.push_str(&format!(", {} accepted", c.accepted));
    }
    out
}
