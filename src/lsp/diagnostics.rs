//! Diagnostics of a rule file as it is typed: every load error (syntax,
//! names, imports) and, when it loads, every lint warning.

use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString};

use super::documents::{range, OverlayStore};
use crate::resolve::{lint, load_program};

/// The diagnostics of the rule file at `path` whose text is `text`. Problems
/// in the files it imports are shown at the start of the file, naming them.
pub fn of_rule_file(store: &OverlayStore, path: &str, text: &str) -> Vec<Diagnostic> {
    match load_program(store, &[path.to_owned()]) {
        // Warnings of imported files belong to those files (an unused
        // function of a library is not this file's problem).
        Ok(program) => lint(&program)
            .iter()
            .filter(|w| w.span.file == 0)
            .map(|w| {
                let span = (w.span.start as usize, w.span.end as usize);
                to_diagnostic(text, span, DiagnosticSeverity::WARNING, w, None)
            })
            .collect(),
        Err(failure) => failure
            .errors
            .iter()
            .map(|e| {
                let here = e.file() == Some(0);
                let span = if here {
                    label_span(e).unwrap_or((e.offset(), e.offset()))
                } else {
                    (0, 0)
                };
                let elsewhere = e.file().filter(|&f| f != 0).map(|f| failure.sources[f as usize].name());
                to_diagnostic(text, span, DiagnosticSeverity::ERROR, e, elsewhere)
            })
            .collect(),
    }
}

/// The first label's byte range.
pub fn label_span(d: &dyn miette::Diagnostic) -> Option<(usize, usize)> {
    let label = d.labels()?.next()?;
    Some((label.offset(), label.offset() + label.len()))
}

/// An LSP diagnostic with the message, the help and the code of `d`.
pub fn to_diagnostic(
    text: &str,
    (start, end): (usize, usize),
    severity: DiagnosticSeverity,
    d: &dyn miette::Diagnostic,
    elsewhere: Option<&str>,
) -> Diagnostic {
    let mut message = match elsewhere {
        Some(file) => format!("in `{file}`: {d}"),
        None => d.to_string(),
    };
    if let Some(help) = d.help() {
        message.push_str(&format!("\nhelp: {help}"));
    }
    Diagnostic {
        range: range(text, start, end),
        severity: Some(severity),
        code: d.code().map(|c| NumberOrString::String(c.to_string())),
        source: Some("tally".into()),
        message,
        ..Default::default()
    }
}
