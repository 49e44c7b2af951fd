//! Tally: a rules language for auditing public budget disclosures
//! (预算/决算公开).
//!
//! Rules are written in `.tally` files; Tally checks YAML or JSON budget data
//! against them and reports every assertion that does not hold, naming the
//! exact data values it read. This crate is the library behind the `tally`
//! command; its stable surface is small:
//!
//! - [`Rules`]: rule files loaded and resolved — from disk, from text, or a
//!   library bundled into Tally ([`Rules::bundled`]) — narrowed to rule IDs or
//!   tags if you like;
//! - [`Document`]: one YAML or JSON data document, with a name;
//! - [`Rules::check`] → [`Report`]: the [`Finding`]s, sorted as the command
//!   line prints them, each with its rule ID, [`Severity`], [`FindingKind`],
//!   message and the [`DataValue`]s it read. Everything in a report is
//!   [`serde::Serialize`];
//! - errors ([`RulesError`], [`DocumentError`], [`SelectError`]) are enums
//!   that implement [`miette::Diagnostic`], so they render with their source
//!   text and spans as the command line shows them.
//!
//! ```
//! use tally::{Document, Rules};
//!
//! let rules = Rules::from_text(
//!     "totals.tally",
//!     r#"
//! rule TOTAL {
//!     title "合计等于各项之和"
//!     severity error
//!     assert 合计 == sum(各项) message "合计 {合计} 不等于各项之和 {sum(各项)}"
//! }
//! "#,
//! )?;
//! let doc = Document::from_text("budget.yaml", "合计: 10\n各项: [3, 4]\n")?;
//! let report = rules.check(&doc);
//! assert_eq!(report.findings.len(), 1);
//! let finding = &report.findings[0];
//! assert_eq!(finding.rule, "TOTAL");
//! assert_eq!(finding.message, "合计 10 不等于各项之和 7");
//! assert_eq!((finding.data[0].line, finding.data[0].text.as_str()), (1, "10"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Everything else (parser, resolver, evaluator, renderers, language server)
//! is reachable only through [`unstable`], for Tally's own binary, tests,
//! benchmarks and fuzz targets: it changes without notice.
//!
//! Data flows one way: rule text → syntax (AST) → resolve (a program whose
//! names are all bound) → evaluation over each data document → findings →
//! renderers.
#![deny(missing_docs)]

mod api;

pub use api::{
    Accepted, Counts, DataSyntaxError, DataValue, Document, DocumentError, Finding, FindingKind, Omitted, ReadError,
    Report, RuleFileError, RuleInfo, RuleLocation, Rules, RulesError, SelectError, Severity,
};

/// Data values listed in one [`Finding::data`]; past them an assertion's
/// reads are counted in [`Finding::values_not_listed`].
pub const VALUES_LISTED: usize = eval::VALUES_LISTED;

// The internals: private modules, reachable from outside only through
// `unstable`. `doc(hidden)` keeps their items out of `missing_docs`, which
// guards the stable surface above.
#[doc(hidden)]
mod accept;
#[doc(hidden)]
mod bind;
#[doc(hidden)]
mod builtins;
#[doc(hidden)]
mod data;
#[doc(hidden)]
mod eval;
#[doc(hidden)]
mod format;
#[doc(hidden)]
mod fuzzing;
#[doc(hidden)]
mod input;
#[doc(hidden)]
mod lsp;
#[doc(hidden)]
mod panic_place;
#[doc(hidden)]
mod read;
#[doc(hidden)]
mod report;
#[doc(hidden)]
mod resolve;
#[doc(hidden)]
mod schema;
#[doc(hidden)]
mod source;
#[doc(hidden)]
mod stack;
#[doc(hidden)]
mod suite;
#[doc(hidden)]
mod syntax;
#[doc(hidden)]
mod text;
#[doc(hidden)]
mod value;

/// Tally's internals, for its own binary, tests, benchmarks, fuzz targets and
/// language server. **Not a stable API**: anything here may change or vanish
/// in any release. Embed Tally through the types at the crate root instead.
#[doc(hidden)]
pub mod unstable {
    macro_rules! reexport {
        ($($name:ident),* $(,)?) => {
            $(pub mod $name {
                pub use crate::$name::*;
            })*
        };
    }
    reexport!(
        accept,
        bind,
        builtins,
        data,
        eval,
        format,
        fuzzing,
        input,
        lsp,
        panic_place,
        read,
        report,
        resolve,
        schema,
        source,
        stack,
        suite,
        syntax,
        text,
        value
    );

    use crate::resolve::{BundledStore, LibraryStore, LoadFailure, Program};

    /// Loads rule files or folders (`@…` from the bundled library, anything
    /// else from disk). An empty list loads nothing and is an error.
    pub fn load_rules(paths: &[String]) -> Result<Program, LoadFailure> {
        crate::resolve::load_program(&LibraryStore, paths)
    }

    /// [`load_rules`] on at most `threads` threads.
    pub fn load_rules_on(paths: &[String], threads: usize) -> Result<Program, LoadFailure> {
        crate::resolve::load_program_on(&LibraryStore, paths, threads)
    }

    /// Every rule bundled into Tally.
    pub fn load_bundled() -> Result<Program, LoadFailure> {
        load_rules(&[BundledStore::ROOT.to_owned()])
    }

    /// Evaluates one expression over a document and shows its value as a
    /// message would (`Err` holds a load error or the fault's kind and
    /// message). For tests.
    pub fn eval_expr(expr: &str, doc: &crate::data::Document) -> Result<String, String> {
        let store = crate::resolve::MemoryStore(vec![("expr.tally".into(), format!("let value = {expr}\n"))]);
        let program = crate::resolve::load_program(&store, &["expr.tally".into()]).map_err(|failure| {
            failure
                .errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        crate::eval::evaluate_global(&program, doc, 0)
            .map(|value| crate::value::show(doc, &value))
            .map_err(|fault| format!("{}: {}", fault.kind.as_str(), fault.message))
    }
}
