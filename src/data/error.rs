//! Errors of the data phase: a data file that cannot be loaded.
use std::fmt;
use std::ops::Range;

use miette::{Diagnostic, LabeledSpan, SourceCode, SourceSpan};
use thiserror::Error;

use crate::source::{DiagnosticSource, SourceFile};

/// A data file that cannot be loaded, with the place that stopped it. It carries
/// the file's text (shared, not copied) so it renders standalone with miette.
///
/// One pointer wide, so `Result<_, DataError>` stays small on the loader's hot path.
#[derive(Debug, Error)]
#[error(transparent)]
pub struct DataError(Box<Details>);

#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(tally::data))]
struct Details {
    message: String,
    #[source_code]
    source_code: DiagnosticSource,
    #[label("{label}")]
    at: SourceSpan,
    label: String,
    #[help]
    help: Option<String>,
}

impl DataError {
    /// An error about `range` (byte offsets, clamped to the file) of `source`.
    /// `message` is lowercase without a trailing period; `label` goes under the span.
    pub fn new(source: &SourceFile, range: Range<usize>, message: impl Into<String>, label: impl Into<String>) -> Self {
        let len = source.text().len();
        let start = range.start.min(len);
        let end = range.end.clamp(start, len);
        DataError(Box::new(Details {
            message: message.into(),
            source_code: source.named_source(),
            at: (start, end - start).into(),
            label: label.into(),
            help: None,
        }))
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }

    /// What went wrong (also the `Display` text).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The text of the label under the span.
    pub fn label(&self) -> &str {
        &self.0.label
    }

    pub fn help_text(&self) -> Option<&str> {
        self.0.help.as_deref()
    }

    /// The byte range of the data file the error points at.
    pub fn byte_range(&self) -> Range<usize> {
        self.0.at.offset()..self.0.at.offset() + self.0.at.len()
    }

    /// The miette span of the same range.
    pub fn span(&self) -> SourceSpan {
        self.0.at
    }

    /// The name of the data file.
    pub fn file_name(&self) -> &str {
        self.0.source_code.name()
    }
}

impl Diagnostic for DataError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.0.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0.help()
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0.url()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.0.labels()
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        self.0.related()
    }

    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.0.diagnostic_source()
    }
}
