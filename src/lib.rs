//! Tally: a rules language for auditing public budget disclosures.
//!
//! Data flows one way: rule text → [`syntax`] (AST) → [`resolve`] (a program
//! whose names are all bound) → [`eval`] over each [`data`] document →
//! findings → [`report`] renderers.

pub mod builtins;
pub mod data;
pub mod eval;
pub mod source;
pub mod syntax;
pub mod resolve;
pub mod report;
pub mod input;

use resolve::{BundledStore, DiskStore, LoadFailure, Program};

/// Loads rule files or folders from disk; with none, the bundled library.
pub fn load_rules(paths: &[String]) -> Result<Program, LoadFailure> {
    if paths.is_empty() {
        resolve::load_program(&BundledStore, &[BundledStore::ROOT.to_owned()])
    } else {
        resolve::load_program(&DiskStore, paths)
    }
}
pub mod suite;
