//! Tally: a rules language for auditing public budget disclosures.
//!
//! Data flows one way: rule text → [`syntax`] (AST) → [`resolve`] (a program
//! whose names are all bound) → [`eval`] over each [`data`] document →
//! findings → [`report`] renderers.

pub mod accept;
pub mod bind;
pub mod builtins;
pub mod data;
pub mod eval;
pub mod input;
pub mod read;
pub mod report;
pub mod resolve;
pub mod schema;
pub mod source;
pub mod syntax;

use resolve::{BundledStore, LibraryStore, LoadFailure, Program};

/// Loads rule files or folders (`@…` from the bundled library, anything else
/// from disk); with none, the whole bundled library.
pub fn load_rules(paths: &[String]) -> Result<Program, LoadFailure> {
    if paths.is_empty() {
        resolve::load_program(&LibraryStore, &[BundledStore::ROOT.to_owned()])
    } else {
        resolve::load_program(&LibraryStore, paths)
    }
}
pub mod suite;

/// Evaluates one expression over a document and shows its value as a message
/// would (`Err` holds a load error or the fault's kind and message). For
/// tests and documentation examples.
pub fn eval_expr(expr: &str, doc: &data::Document) -> Result<String, String> {
    let store = resolve::MemoryStore(vec![("expr.tally".into(), format!("let value = {expr}\n"))]);
    let program = resolve::load_program(&store, &["expr.tally".into()]).map_err(|failure| {
        failure
            .errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    eval::evaluate_global(&program, doc, 0)
        .map(|value| eval::show(doc, &value))
        .map_err(|fault| format!("{}: {}", fault.kind.as_str(), fault.message))
}
pub mod format;
#[doc(hidden)]
pub mod fuzzing;

pub mod lsp;
