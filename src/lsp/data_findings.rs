//! Diagnostics of a data file: the findings of the workspace's rules over the
//! editor's text, each at the value it is about.

use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString};

use super::diagnostics::{label_span, to_diagnostic};
use super::documents::{range, OverlayStore};
use crate::eval::FindingKind;
use crate::resolve::{load_program, Severity};
use crate::source::SourceFile;

/// The findings of the rules `rules` over the data document `text` (at `path`).
/// Rules that do not load and data that does not parse are diagnostics too:
/// rules that did not run must never look like a clean file.
pub fn of_data_file(store: &OverlayStore, rules: &[String], path: &str, text: &str) -> Vec<Diagnostic> {
    let program = match load_program(store, rules) {
        Ok(program) => program,
        Err(failure) => {
            let first = failure.errors.first().map(|e| e.to_string()).unwrap_or_default();
            return vec![Diagnostic {
                range: range(text, 0, 0),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("tally".into()),
                message: format!(
                    "the workspace rules ({}) do not load, so no rule ran: {first} ({} error(s); run `tally lint`)",
                    rules.join(", "),
                    failure.errors.len()
                ),
                ..Default::default()
            }];
        }
    };
    let doc = match crate::data::load(SourceFile::new(path, text), Default::default()) {
        Ok(doc) => doc,
        Err(e) => {
            let span = label_span(&e).unwrap_or((0, 0));
            return vec![to_diagnostic(text, span, DiagnosticSeverity::ERROR, &e, None)];
        }
    };
    let all: Vec<usize> = (0..program.rules.len()).collect();
    let result = crate::eval::check(&program, &doc, &all);
    result
        .findings
        .iter()
        .filter(|f| f.kind != FindingKind::Skipped)
        .map(|f| {
            let rule = &program.rules[f.rule];
            let (start, end) = match f.primary_value().map(|v| v.node) {
                Some(node) if doc.is_own(node) => {
                    let r = doc.byte_range(node);
                    (r.start, r.end)
                }
                _ => (0, 0),
            };
            let severity = match (f.kind, rule.severity) {
                (FindingKind::Violation, Severity::Error) => DiagnosticSeverity::ERROR,
                (FindingKind::Violation, Severity::Warning) => DiagnosticSeverity::WARNING,
                (FindingKind::Violation, Severity::Info) => DiagnosticSeverity::INFORMATION,
                // Indeterminate or an error in the rule: never hidden, never a pass.
                _ => DiagnosticSeverity::WARNING,
            };
            let read: Vec<&str> = f.values.iter().map(|v| v.path.as_str()).collect();
            let mut message = format!("{}: {} [{}]", rule.id, f.message, f.kind.as_str());
            if !read.is_empty() {
                message.push_str(&format!("\nread: {}", read.join(", ")));
            }
            Diagnostic {
                range: range(text, start, end),
                severity: Some(severity),
                code: Some(NumberOrString::String(rule.id.to_string())),
                source: Some("tally".into()),
                message,
                ..Default::default()
            }
        })
        .collect()
}
