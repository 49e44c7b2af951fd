//! The names each file sees: its own definitions, then those of the files it
//! imports, directly or not. Answered per name and on demand, so loading a
//! long import chain stays linear: materialising every file's whole scope
//! cost time and memory quadratic in the length of the chain.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{Def, Definition};
use crate::resolve::error::{ResolveError, ResolveErrorKind};
use crate::resolve::files::LoadedFiles;
use crate::source::FileId;

/// What a name means in a file, once looked up.
type Answers = HashMap<(FileId, Arc<str>), Option<Def>>;

pub(super) struct Scopes<'a> {
    files: &'a LoadedFiles,
    definitions: &'a [Definition<'a>],
    /// Per file, its own definitions (the first of a name defined twice).
    own: Vec<HashMap<Arc<str>, Def>>,
    /// Per name, the indexes of its definitions, in order.
    by_name: HashMap<Arc<str>, Vec<usize>>,
    /// Per function, its number of parameters.
    arity: HashMap<Def, usize>,
    /// Answers already found: (file, name) → definition.
    found: RefCell<Answers>,
    /// Files seen by the current search: stamped, so no clearing per search.
    seen: RefCell<(Vec<u32>, u32)>,
}

impl<'a> Scopes<'a> {
    pub(super) fn new(files: &'a LoadedFiles, definitions: &'a [Definition<'a>]) -> Self {
        let mut own = vec![HashMap::new(); files.sources.len()];
        let mut by_name: HashMap<Arc<str>, Vec<usize>> = HashMap::new();
        let mut arity = HashMap::new();
        for (i, d) in definitions.iter().enumerate() {
            own[d.file as usize].entry(d.name.name.clone()).or_insert(d.def);
            by_name.entry(d.name.name.clone()).or_default().push(i);
            arity.insert(d.def, d.arity);
        }
        Scopes {
            files,
            definitions,
            own,
            by_name,
            arity,
            found: RefCell::new(HashMap::new()),
            seen: RefCell::new((vec![0; files.sources.len()], 0)),
        }
    }

    /// What `name` means in `file`: its own definition, else the first (in
    /// load order) of an imported file.
    pub(super) fn get(&self, file: FileId, name: &Arc<str>) -> Option<Def> {
        if let Some(&def) = self.own[file as usize].get(name) {
            return Some(def);
        }
        let candidates = self.by_name.get(name)?;
        let key = (file, name.clone());
        if let Some(&def) = self.found.borrow().get(&key) {
            return def;
        }
        let files: HashSet<FileId> = candidates.iter().map(|&i| self.definitions[i].file).collect();
        let reached = self.reach(file, |f| files.contains(&f), files.len());
        let def = candidates
            .iter()
            .map(|&i| &self.definitions[i])
            .find(|d| reached.contains(&d.file))
            .map(|d| d.def);
        self.found.borrow_mut().insert(key, def);
        def
    }

    /// The parameters of a function.
    pub(super) fn arity(&self, def: Def) -> usize {
        self.arity.get(&def).copied().unwrap_or(0)
    }

    /// The names of every function `file` sees, for "did you mean" hints.
    pub(super) fn function_names(&self, file: FileId) -> Vec<&'a str> {
        let reached = self.reach(file, |_| true, usize::MAX);
        self.definitions
            .iter()
            .filter(|d| d.file == file || reached.contains(&d.file))
            .filter(|d| matches!(d.def, Def::Function(_)))
            .map(|d| &*d.name.name)
            .collect()
    }

    /// Two imported files defining one name (that `file` does not define
    /// itself): one error per clash, with the span of `file`'s first import.
    pub(super) fn clashes(&self, errors: &mut Vec<ResolveError>) {
        // Only names defined in more than one file can clash.
        let shared: Vec<&Definition> = self
            .definitions
            .iter()
            .filter(|d| {
                let defs = &self.by_name[&d.name.name];
                defs.iter().any(|&i| self.definitions[i].file != d.file)
            })
            .collect();
        if shared.is_empty() {
            return;
        }
        for file in 0..self.files.sources.len() as FileId {
            let own = &self.own[file as usize];
            if shared.iter().all(|d| own.contains_key(&d.name.name)) {
                continue;
            }
            let reached = self.reach(file, |_| true, usize::MAX);
            let mut imported_from: HashMap<&str, &Definition> = HashMap::new();
            for d in shared.iter().filter(|d| reached.contains(&d.file)) {
                if own.contains_key(&d.name.name) {
                    continue;
                }
                match imported_from.get(&*d.name.name) {
                    // One input declared in two files is one input, not a clash.
                    Some(first) if first.file != d.file && first.def != d.def => {
                        let span = self.files.imports[file as usize]
                            .first()
                            .map_or(d.name.span, |&(_, s)| s);
                        errors.push(
                            ResolveError::new(
                                span,
                                ResolveErrorKind::ImportsClash {
                                    name: d.name.name.to_string(),
                                },
                            )
                            .with_help(format!(
                                "`{}` comes from both `{}` and `{}`; rename one of them",
                                d.name.name,
                                self.files.sources[first.file as usize].name(),
                                self.files.sources[d.file as usize].name()
                            )),
                        );
                    }
                    Some(_) => {}
                    None => {
                        imported_from.insert(&d.name.name, d);
                    }
                }
            }
        }
    }

    /// The files `from` imports, directly or not (never `from` itself),
    /// that satisfy `wanted`; the search stops once `enough` are found.
    fn reach(&self, from: FileId, wanted: impl Fn(FileId) -> bool, enough: usize) -> HashSet<FileId> {
        let mut guard = self.seen.borrow_mut();
        let (seen, stamp) = &mut *guard;
        *stamp += 1;
        seen[from as usize] = *stamp;
        let mut found = HashSet::new();
        let mut pending = vec![from];
        while let Some(f) = pending.pop() {
            for &(target, _) in &self.files.imports[f as usize] {
                if seen[target as usize] == *stamp {
                    continue;
                }
                seen[target as usize] = *stamp;
                if wanted(target) {
                    found.insert(target);
                    if found.len() >= enough {
                        return found;
                    }
                }
                pending.push(target);
            }
        }
        found
    }
}
