//! pest pairs → AST. (Being written.)
use super::ast::File;
use super::SyntaxError;
use crate::source::FileId;

/// Parses one rule file. Every syntax error found is returned, each with a span.
pub fn parse(_file: FileId, _text: &str) -> Result<File, Vec<SyntaxError>> {
    todo!("parser")
}
