//! Errors of the parse phase: text that is not a well-formed rule file.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::{FileId, Span};

/// A rule file that does not parse. One file may yield several.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq, Eq)]
#[error("{message}")]
#[diagnostic(code(tally::syntax))]
pub struct SyntaxError {
    /// Lowercase, no final period, user input in backticks.
    pub message: String,
    #[label("{label}")]
    pub at: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
    pub file: FileId,
}

impl SyntaxError {
    pub fn new(span: Span, message: impl Into<String>, label: impl Into<String>) -> Self {
        SyntaxError {
            message: message.into(),
            at: span.source_span(),
            label: label.into(),
            help: None,
            file: span.file,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn span(&self) -> Span {
        Span::new(self.file, self.at.offset(), self.at.offset() + self.at.len())
    }
}
