//! Rule files → a resolved [`Program`]: read (with imports), parse, bind names.
//! Every error of every file is collected and returned together.

mod ahead;
mod error;
mod files;
mod lint;
mod lower;
mod parallel;
mod params;
pub mod program;
mod regexes;

pub use error::{suggest, LoadError, ResolveError, ResolveErrorKind};
pub use files::{load_files, LoadedFiles};
pub use files::{normalize, BundledStore, DiskStore, LibraryStore, Listing, MemoryStore, RuleStore, MAX_RULE_BYTES};
pub use lint::{lint, LintKind, LintWarning};
pub use program::{Input, Param, ParamKind, Program, RuleDef, SelectError, Severity};

/// Rule files that did not load: every error, with the files they point into.
#[derive(Debug)]
pub struct LoadFailure {
    pub errors: Vec<LoadError>,
    pub sources: Vec<crate::source::SourceFile>,
}

impl LoadFailure {
    /// Errors in the order of the files and of their place in each file.
    fn sorted(mut errors: Vec<LoadError>, sources: Vec<crate::source::SourceFile>) -> Self {
        errors.sort_by_key(|e| (e.file().map_or(0, |f| f + 1), e.offset()));
        LoadFailure { errors, sources }
    }
}

/// Loads the rule files or folders in `roots` from `store`, with everything
/// they import, and resolves them into one program.
pub fn load_program(store: &dyn RuleStore, roots: &[String]) -> Result<Program, LoadFailure> {
    let (mut files, mut errors) = files::load_files(store, roots);
    let sources = files.sources.clone();
    let schemas = std::mem::take(&mut files.schemas);
    // Resolve what parsed even when something did not, so every error is
    // reported at once; the schema's validator is built meanwhile.
    let (lowered, built) = if schemas.is_empty() {
        (lower::lower(files), None)
    } else {
        parallel::beside(|| lower::lower(files), || crate::schema::prepare(&schemas))
    };
    match lowered {
        Ok(mut program) if errors.is_empty() => match crate::schema::attach(&mut program, schemas, built) {
            Ok(()) => Ok(program),
            Err(more) => Err(LoadFailure::sorted(
                more.into_iter().map(LoadError::Resolve).collect(),
                sources,
            )),
        },
        Ok(_) => Err(LoadFailure::sorted(errors, sources)),
        Err(more) => {
            errors.extend(more.into_iter().map(LoadError::Resolve));
            Err(LoadFailure::sorted(errors, sources))
        }
    }
}
