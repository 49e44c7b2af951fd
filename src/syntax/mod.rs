//! Text → typed syntax tree. Only `parse` and `build` see pest's pairs.

pub mod ast;
mod build;
mod error;
pub mod lexicon;
mod parse;
mod recover;
mod strings;

pub use error::SyntaxError;
pub use parse::{parse, parse_partial};
pub use strings::{compile_regex, MAX_PATTERN_CHARS};
