//! Text → typed syntax tree. Only `parse` sees pest's pairs.

pub mod ast;
mod error;
mod parse;
mod recover;
mod strings;

pub use error::SyntaxError;
pub use parse::{parse, parse_partial};
