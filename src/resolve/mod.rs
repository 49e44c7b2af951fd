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
pub mod quick;
pub mod quick_values;
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
/// they import, and resolves them into one program, on up to as many threads
/// as the machine has (at most 8).
pub fn load_program(store: &dyn RuleStore, roots: &[String]) -> Result<Program, LoadFailure> {
    load_program_on(store, roots, parallel::threads())
}

/// [`load_program`] on at most `threads` threads (`tally check --jobs N`
/// bounds the whole run, the load included). The program is the same
/// whatever the number.
pub fn load_program_on(store: &dyn RuleStore, roots: &[String], threads: usize) -> Result<Program, LoadFailure> {
    let threads = threads.clamp(1, parallel::threads());
    let (mut files, mut errors) = files::load_files_on(store, roots, threads);
    let sources = files.sources.clone();
    let schemas = std::mem::take(&mut files.schemas);
    // Resolve what parsed even when something did not, so every error is
    // reported at once; the schema's validator is built meanwhile.
    let (lowered, built) = if schemas.is_empty() {
        (lower::lower(files, threads), None)
    } else if threads == 1 {
        (lower::lower(files, threads), crate::schema::prepare(&schemas))
    } else {
        parallel::beside(|| lower::lower(files, threads), || crate::schema::prepare(&schemas))
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

#[cfg(test)]
mod tests {
    use super::{load_program_on, BundledStore, MemoryStore, RuleStore};

    /// `check --jobs 1` loads on one thread: the program (or the errors)
    /// must be what any number of threads gives.
    #[test]
    fn one_thread_loads_what_several_do() {
        let with_faults = MemoryStore(vec![
            (
                "r/a.tally".into(),
                "schema \"s.json\"\nrule a { assert matches(\"x\", \"(\") }\n".into(),
            ),
            (
                "r/b.tally".into(),
                "rule b { assert matches(\"y\", \"^y$\") and 甲 > 1 }\n".into(),
            ),
            ("r/s.json".into(), "{\"type\": \"object\"}".into()),
        ]);
        let good = MemoryStore(vec![
            (
                "r/a.tally".into(),
                "schema \"s.json\"\nrule a { assert matches(\"x\", \"^x\") }\n".into(),
            ),
            ("r/s.json".into(), "{\"type\": \"object\"}".into()),
        ]);
        for (store, root, loads) in [
            (&BundledStore as &dyn RuleStore, BundledStore::ROOT, true),
            (&with_faults, "r", false),
            (&good, "r", true),
        ] {
            let roots = [root.to_owned()];
            let on = |threads| load_program_on(store, &roots, threads);
            assert_eq!(on(1).is_ok(), loads, "{root}");
            assert_eq!(format!("{:?}", on(1)), format!("{:?}", on(4)), "{root}");
        }
    }
}
