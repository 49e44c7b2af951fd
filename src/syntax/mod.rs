//! Text → typed syntax tree. Only `parse` and `build` see pest's pairs.

pub mod ast;
mod build;
pub mod lexicon;
mod error;
mod parse;
mod recover;
mod strings;

pub use error::SyntaxError;
pub use parse::{parse, parse_partial};
