//! The errors of the public API. Each implements [`miette::Diagnostic`] and
//! carries the text it points into, so it renders on its own.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, SourceCode};
use thiserror::Error;

use crate::data::DataError;
use crate::input::DataFailure;
use crate::resolve::{LoadError, LoadFailure};
use crate::source::DiagnosticSource;

/// Rules that could not be loaded. Like every error here it implements
/// [`miette::Diagnostic`] and carries the text it points into, so it renders
/// on its own, each error under its rule file:
///
/// ```
/// let err = tally::Rules::from_text("r.tally", "rule R { assert }\n").unwrap_err();
/// let shown = format!("{:?}", miette::Report::new(err));
/// assert!(shown.contains("[r.tally:1:17]"), "{shown}");
/// ```
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub enum RulesError {
    /// Rule files that cannot be read, do not parse, or do not resolve
    /// (unknown names, wrong arity, duplicate rule IDs…). Every error of
    /// every file is collected; each renders as a related diagnostic with
    /// its own file.
    #[error("{} load error{} in the rules", .errors.len(), if .errors.len() == 1 { "" } else { "s" })]
    #[diagnostic(code(tally::load))]
    Load {
        /// Each error, in file order and then by position.
        #[related]
        errors: Vec<RuleFileError>,
    },
    /// [`Rules::bundled`](crate::Rules::bundled) was given a name no bundled
    /// library has.
    #[error("no bundled rule library is named `{name}`")]
    #[diagnostic(code(tally::load::bundled), help("bundled libraries: {known}"))]
    UnknownLibrary {
        /// The name asked for.
        name: String,
        /// The bundled libraries, comma-separated.
        known: String,
    },
    /// [`Rules::from_paths`](crate::Rules::from_paths) was given no path.
    #[error("no rule files were given")]
    #[diagnostic(
        code(tally::load::empty),
        help("name rule files or folders, or use `Rules::bundled(\"cn-budget\")`")
    )]
    NoPaths,
}

impl RulesError {
    pub(crate) fn load(failure: LoadFailure) -> Self {
        let LoadFailure { errors, sources } = failure;
        let errors = errors
            .into_iter()
            .map(|error| RuleFileError {
                text: error
                    .file()
                    .and_then(|f| sources.get(f as usize))
                    .map(|s| s.named_source()),
                error,
            })
            .collect();
        RulesError::Load { errors }
    }
}

/// One error in the rule files, with the file it points into.
#[derive(Debug, Error)]
#[error("{error}")]
pub struct RuleFileError {
    error: LoadError,
    text: Option<DiagnosticSource>,
}

impl RuleFileError {
    /// The rule file it is in, when it has a place in one.
    pub fn file(&self) -> Option<&str> {
        self.text.as_ref().map(|s| s.name())
    }

    /// The 1-based line and character column it points at, when it has a
    /// place in a rule file.
    pub fn location(&self) -> Option<(usize, usize)> {
        let source = self.text.as_ref()?;
        let at = source.file().location(self.error.offset());
        Some((at.line, at.column))
    }
}

impl Diagnostic for RuleFileError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.error.severity()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.help()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.error.labels()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.text.as_ref().map(|s| s as &dyn SourceCode)
    }
}

/// A data document that could not be loaded.
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub enum DocumentError {
    /// The file could not be read: missing, unreadable, over 256 MiB, or not
    /// UTF-8 text.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Read(ReadError),
    /// The text is not well-formed YAML or JSON, or goes beyond the loader's
    /// limits (nesting depth, alias expansion, duplicate keys…).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(DataSyntaxError),
}

/// A data file that could not be read.
#[derive(Debug, Error, Diagnostic)]
#[error(transparent)]
#[diagnostic(transparent)]
pub struct ReadError(pub(crate) DataFailure);

impl ReadError {
    /// The path of the file.
    pub fn path(&self) -> &str {
        self.0.path()
    }
}

/// Text that is not a well-formed data document.
#[derive(Debug, Error, Diagnostic)]
#[error(transparent)]
#[diagnostic(transparent)]
pub struct DataSyntaxError(pub(crate) DataError);

impl DataSyntaxError {
    /// The name of the document.
    pub fn file(&self) -> &str {
        self.0.file_name()
    }

    /// The byte range of the text the error points at.
    pub fn byte_range(&self) -> std::ops::Range<usize> {
        self.0.byte_range()
    }
}

impl From<DataFailure> for DocumentError {
    fn from(failure: DataFailure) -> Self {
        match failure {
            DataFailure::Parse(error) => DocumentError::Syntax(DataSyntaxError(*error)),
            other => DocumentError::Read(ReadError(other)),
        }
    }
}

impl From<DataError> for DocumentError {
    fn from(error: DataError) -> Self {
        DocumentError::Syntax(DataSyntaxError(error))
    }
}

pub use crate::resolve::SelectError;
