//! The stable, documented surface of the crate: load [`Rules`], load a
//! [`Document`], check one against the other, read the [`Report`].
//!
//! These types own their data and expose no internal index or node id: a
//! finding names its rule by ID and its data values by file, line, column and
//! the text they were written as.

mod document;
mod error;
mod report;
mod rules;

pub use document::Document;
pub use error::{DataSyntaxError, DocumentError, ReadError, RuleFileError, RulesError, SelectError};
pub use report::{Accepted, Counts, DataValue, Finding, FindingKind, Omitted, Report, RuleLocation, Severity};
pub use rules::{RuleInfo, Rules};
