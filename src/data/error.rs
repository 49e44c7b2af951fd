//! Errors of the data phase. (Being written.)
use miette::{Diagnostic, NamedSource, SourceSpan};
use std::sync::Arc;
use thiserror::Error;

/// A data file that cannot be loaded, with the place that stopped it.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(tally::data))]
pub struct DataError {
    pub message: String,
    #[source_code]
    pub source_code: NamedSource<Arc<str>>,
    #[label("{label}")]
    pub at: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}
