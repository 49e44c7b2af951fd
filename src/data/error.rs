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

/// Each kind of data error, with what it names; `Display` is the message
/// (lowercase, no final period, user input in backticks).
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum DataErrorKind {
    /// Byte offsets are 32-bit.
    #[error("the file is larger than 4 GiB")]
    FileTooLarge,
    /// A `---` after the first document.
    #[error("one document per file: this file holds a second YAML document")]
    SecondDocument,
    /// Empty, or nothing but comments.
    #[error("the file holds no data")]
    NoData,
    /// Collections nested past the loader's limit.
    #[error("the data nests deeper than {max} levels")]
    TooDeep { max: usize },
    /// More values than the loader's limit.
    #[error("the data holds more than {max} values")]
    TooManyValues { max: u64 },
    /// Aliases that expand past the loader's limit (an "alias bomb").
    #[error("aliases expand to more than {max} values")]
    AliasesTooLarge { max: u64 },
    /// `[a]: 1`
    #[error("a map key must be a scalar (a name or a number)")]
    KeyNotScalar,
    /// `a: &x [*x]`
    #[error("an alias inside the value it refers to (a cycle)")]
    AliasCycle,
    /// `*name` with no `&name` before it (the name when the parser gives it).
    #[error("unknown alias{}", .name.as_ref().map(|n| format!(" `*{n}`")).unwrap_or_default())]
    UnknownAlias { name: Option<String> },
    /// One key twice in a map.
    #[error("duplicate key `{key}` (first written on line {first_line})")]
    DuplicateKey { key: String, first_line: usize },
    /// The YAML parser's own error.
    #[error("invalid YAML: {info}")]
    InvalidYaml { info: String },
    /// A line indented with a tab.
    #[error("line {line} is indented with a tab")]
    TabIndent { line: usize },
    /// `合计：1` with the full-width colon.
    #[error("line {line} separates a key from its value with the full-width colon `：`")]
    FullWidthColon { line: usize },
    /// `合计:1` with no space after the colon.
    #[error("line {line} has no space after the `:` of its key")]
    NoSpaceAfterColon { line: usize },
}

#[derive(Debug, Error, Diagnostic)]
#[error("{kind}")]
#[diagnostic(code(tally::data))]
struct Details {
    kind: DataErrorKind,
    /// The message, rendered once: [`DataError::message`] lends it out.
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
    /// An error of `kind` about `range` (byte offsets, clamped to the file)
    /// of `source`; `label` goes under the span.
    pub fn new(source: &SourceFile, range: Range<usize>, kind: DataErrorKind, label: impl Into<String>) -> Self {
        let len = source.text().len();
        let start = range.start.min(len);
        let end = range.end.clamp(start, len);
        DataError(Box::new(Details {
            message: kind.to_string(),
            kind,
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

    /// What went wrong, as data.
    pub fn kind(&self) -> &DataErrorKind {
        &self.0.kind
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
