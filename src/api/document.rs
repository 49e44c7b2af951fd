//! One data document to check.

use std::path::Path;

use super::error::DocumentError;
use crate::data::{self, Limits};
use crate::input;
use crate::source::SourceFile;

/// One YAML or JSON data document (a budget disclosure), with the name its
/// findings and errors use.
///
/// Every value keeps where it was written, so a finding can say which line,
/// column and text it read. Numbers are exact decimals taken from the literal
/// text, never floats.
///
/// ```
/// let doc = tally::Document::from_text("budget.yaml", "收入合计: 100.50\n")?;
/// assert_eq!(doc.name(), "budget.yaml");
///
/// let err = tally::Document::from_text("bad.yaml", "a: [1, 2\n").unwrap_err();
/// assert!(matches!(err, tally::DocumentError::Syntax(_)));
/// # Ok::<(), tally::DocumentError>(())
/// ```
#[derive(Debug)]
pub struct Document {
    pub(crate) inner: data::Document,
}

impl Document {
    /// Loads `text`, named `name` in findings and errors. Strict JSON is read
    /// as JSON; anything else as YAML 1.2 (which JSON mostly is, so a JSON
    /// mistake is reported with its place either way).
    pub fn from_text(name: &str, text: impl Into<String>) -> Result<Document, DocumentError> {
        data::load(SourceFile::new(name, text.into()), Limits::default())
            .map(|inner| Document { inner })
            .map_err(DocumentError::from)
    }

    /// Loads `text` as YAML only (JSON that is also valid YAML still loads).
    pub fn from_yaml(name: &str, text: impl Into<String>) -> Result<Document, DocumentError> {
        data::load_yaml(SourceFile::new(name, text.into()), Limits::default())
            .map(|inner| Document { inner })
            .map_err(DocumentError::from)
    }

    /// Reads and loads the file at `path` (named by its path), refusing files
    /// over 256 MiB and text that is not UTF-8.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Document, DocumentError> {
        let mut path = path.as_ref().to_string_lossy().into_owned();
        if path == "-" {
            // A file named `-`, not standard input as on the command line.
            path = "./-".to_owned();
        }
        let text = input::read_text(&path)?;
        Document::from_text(&path, text)
    }

    /// The name given when it was loaded.
    pub fn name(&self) -> &str {
        self.inner.name()
    }

    /// The text it was loaded from.
    pub fn text(&self) -> &str {
        self.inner.source().text()
    }
}
