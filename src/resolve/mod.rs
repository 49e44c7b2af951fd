//! Rule files → a resolved [`Program`]: read (with imports), parse, bind names.
//! Every error of every file is collected and returned together.

mod error;
mod files;
mod lower;
pub mod program;

pub use error::{suggest, LoadError, ResolveError};
pub use files::{normalize, BundledStore, DiskStore, RuleStore};
pub use program::{Program, RuleDef, Severity};

/// Loads the rule files or folders in `roots` from `store`, with everything
/// they import, and resolves them into one program.
pub fn load_program(store: &dyn RuleStore, roots: &[String]) -> Result<Program, Vec<LoadError>> {
    let (files, mut errors) = files::load_files(store, roots);
    if !errors.is_empty() {
        // Resolve what parsed too, so every error is reported at once.
        if let Err(more) = lower::lower(files) {
            errors.extend(more.into_iter().map(LoadError::Resolve));
        }
        return Err(errors);
    }
    lower::lower(files).map_err(|errs| errs.into_iter().map(LoadError::Resolve).collect())
}
