//! Finding and reading rule files: from disk or from the library compiled into
//! the binary, following imports, each file once, import cycles refused.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::error::{LoadError, ResolveError, ResolveErrorKind};
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::{self, ast};

/// The largest rule file read: far beyond any real rule file.
pub const MAX_RULE_BYTES: u64 = 16 * 1024 * 1024;

/// Where rule files come from.
pub trait RuleStore {
    /// The `*.tally` files under `path` (recursively, sorted) if it is a
    /// folder, `None` if it is not one.
    fn list(&self, path: &str) -> Option<Listing>;
    /// The file's bytes; decoding them is the loader's job, so that every
    /// store reports bad UTF-8 the same way.
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;
    /// What makes two paths the same file.
    fn identity(&self, path: &str) -> String;
}

/// The rule files of a folder, and the subfolders that could not be read
/// (whose rules would otherwise silently never run).
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<String>,
    /// (folder, why)
    pub unreadable: Vec<(String, String)>,
    /// Rule files whose names are not UTF-8 (shown with replacement characters).
    pub misnamed: Vec<String>,
}

impl Listing {
    fn of(files: Vec<String>) -> Self {
        Listing {
            files,
            ..Listing::default()
        }
    }
}

/// Rule files on disk.
pub struct DiskStore;

impl RuleStore for DiskStore {
    fn list(&self, path: &str) -> Option<Listing> {
        if !Path::new(path).is_dir() {
            return None;
        }
        let mut listing = Listing::default();
        let mut pending = vec![PathBuf::from(path)];
        while let Some(dir) = pending.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) => {
                    listing
                        .unreadable
                        .push((dir.to_string_lossy().into_owned(), e.to_string()));
                    continue;
                }
            };
            for entry in entries {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        listing
                            .unreadable
                            .push((dir.to_string_lossy().into_owned(), e.to_string()));
                        continue;
                    }
                };
                let p = entry.path();
                let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                if is_dir {
                    pending.push(p);
                } else if p.extension().is_some_and(|e| e == "tally") {
                    match p.to_str() {
                        Some(name) => listing.files.push(name.to_owned()),
                        // Its rules must not go unread without a word.
                        None => listing.misnamed.push(p.to_string_lossy().into_owned()),
                    }
                }
            }
        }
        listing.files.sort();
        listing.unreadable.sort();
        Some(listing)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        crate::read::regular_file(Path::new(path), MAX_RULE_BYTES).map_err(|e| e.to_string())
    }

    fn identity(&self, path: &str) -> String {
        std::fs::canonicalize(path)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| normalize(path))
    }
}

/// The bundled library: `rules/**.tally`, compiled in by `build.rs`, named
/// `@` + its path below `rules/`: `rules/cn-budget/yoy.tally` is
/// `@cn-budget/yoy.tally` in findings, in `--rules` and in `import`.
pub struct BundledStore;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_rules.rs"));
}

impl BundledStore {
    /// The whole library.
    pub const ROOT: &'static str = "@";

    /// Every bundled file as (`@name`, text), sorted by name.
    pub fn files() -> impl Iterator<Item = (String, &'static str)> {
        bundled::FILES.iter().map(|(path, text)| (Self::name(path), *text))
    }

    /// `rules/cn-budget/yoy.tally` → `@cn-budget/yoy.tally`.
    fn name(path: &str) -> String {
        format!("@{}", path.strip_prefix("rules/").unwrap_or(path))
    }

    /// A path names the bundled library when it starts with `@`.
    pub fn names(path: &str) -> bool {
        path.starts_with('@')
    }
}

impl RuleStore for BundledStore {
    fn list(&self, path: &str) -> Option<Listing> {
        let dir = normalize(path);
        let prefix = if dir == Self::ROOT {
            dir.clone()
        } else {
            format!("{}/", dir.trim_end_matches('/'))
        };
        let files: Vec<String> = Self::files()
            .map(|(name, _)| name)
            .filter(|name| name.starts_with(&prefix) && name.ends_with(".tally"))
            .collect();
        (!files.is_empty() || dir == Self::ROOT).then(|| Listing::of(files))
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        let path = normalize(path);
        Self::files()
            .find(|(name, _)| *name == path)
            .map(|(_, text)| text.as_bytes().to_vec())
            .ok_or_else(|| {
                let known: Vec<String> = Self::files().map(|(name, _)| name).collect();
                let hint = super::suggest(&path, known.iter().map(String::as_str))
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                format!("no such file in the bundled library{hint}")
            })
    }

    fn identity(&self, path: &str) -> String {
        normalize(path)
    }
}

/// What `--rules` reads: a path starting with `@` from the bundled library,
/// anything else from disk. So `--rules @cn-budget --rules mine.tally` runs
/// both, and a user's file may `import "@cn-budget/common.tally"`.
pub struct LibraryStore;

impl RuleStore for LibraryStore {
    fn list(&self, path: &str) -> Option<Listing> {
        if BundledStore::names(path) {
            BundledStore.list(path)
        } else {
            DiskStore.list(path)
        }
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        if BundledStore::names(path) {
            BundledStore.read(path)
        } else {
            DiskStore.read(path)
        }
    }

    fn identity(&self, path: &str) -> String {
        if BundledStore::names(path) {
            BundledStore.identity(path)
        } else {
            DiskStore.identity(path)
        }
    }
}

/// Rule files held in memory: for tests, and for rules that arrive as text.
pub struct MemoryStore(pub Vec<(String, String)>);

impl RuleStore for MemoryStore {
    fn list(&self, path: &str) -> Option<Listing> {
        let prefix = format!("{}/", normalize(path));
        let files: Vec<String> = self
            .0
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| n.starts_with(&prefix) && n.ends_with(".tally"))
            .collect();
        (!files.is_empty()).then(|| Listing::of(files))
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        let path = normalize(path);
        self.0
            .iter()
            .find(|(name, _)| *name == path)
            .map(|(_, text)| text.as_bytes().to_vec())
            .ok_or_else(|| "no such file".to_owned())
    }

    fn identity(&self, path: &str) -> String {
        normalize(path)
    }
}

/// `a/./b/../c` → `a/c`, lexically, with `/` separators.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let absolute = path.starts_with('/');
    for component in Path::new(path).components() {
        match component {
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..".into());
                }
            }
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Every rule file reached from the roots, parsed.
pub struct LoadedFiles {
    pub sources: Vec<SourceFile>,
    pub asts: Vec<ast::File>,
    /// `imports[f]`: the files `f` imports, with the span of each `import`.
    pub imports: Vec<Vec<(FileId, Span)>>,
    /// Every `schema "…"` item, with its file read.
    pub schemas: Vec<crate::schema::Declared>,
}

/// Reads the roots (files or folders) and everything they import; the root
/// files are parsed ahead on a few threads.
pub fn load_files(store: &dyn RuleStore, roots: &[String]) -> (LoadedFiles, Vec<LoadError>) {
    load_files_on(store, roots, super::parallel::threads())
}

/// [`load_files`], parsing ahead on up to `threads` threads.
pub fn load_files_on(store: &dyn RuleStore, roots: &[String], threads: usize) -> (LoadedFiles, Vec<LoadError>) {
    let mut loaded = LoadedFiles {
        sources: Vec::new(),
        asts: Vec::new(),
        imports: Vec::new(),
        schemas: Vec::new(),
    };
    let mut errors = Vec::new();
    let mut ids: HashMap<String, FileId> = HashMap::new();
    let mut pending = root_files(store, roots, &mut errors);
    let root_paths: Vec<String> = pending.iter().map(|(path, _)| path.clone()).collect();
    let mut ahead = super::ahead::parse_roots(store, &root_paths, threads);
    pending.reverse();
    while let Some((path, from)) = pending.pop() {
        let identity = store.identity(&path);
        if let Some(&id) = ids.get(&identity) {
            if let Some((importer, span)) = from {
                loaded.imports[importer as usize].push((id, span));
            }
            continue;
        }
        let read = match ahead.remove(&identity) {
            Some(early) => Ok(Ok((early.text, early.parsed))),
            None => store.read(&path).map(|bytes| decode(bytes).map(|text| (text, None))),
        };
        let decoded = match read {
            Ok(decoded) => decoded,
            Err(reason) => {
                errors.push(LoadError::Unreadable {
                    path,
                    reason,
                    at: from.map(|(_, span)| span.source_span()),
                    file: from.map(|(f, _)| f),
                });
                continue;
            }
        };
        let id = loaded.sources.len() as FileId;
        ids.insert(identity, id);
        if let Some((importer, span)) = from {
            loaded.imports[importer as usize].push((id, span));
        }
        let (text, parsed) = match decoded {
            Ok(decoded) => decoded,
            Err((lossy, offset)) => {
                // Kept as a file with no items, so the error can show the place.
                errors.push(LoadError::NotUtf8 {
                    path: normalize(&path),
                    offset,
                    file: id,
                    at: (offset, '\u{FFFD}'.len_utf8()).into(),
                });
                loaded.sources.push(SourceFile::new(normalize(&path), lossy));
                loaded.asts.push(ast::File { items: Vec::new() });
                loaded.imports.push(Vec::new());
                continue;
            }
        };
        // A parse ahead counts only if it was under the id the file got.
        let (ast, syntax_errors) = match parsed {
            Some((parsed_as, ast, syntax_errors)) if parsed_as == id => (ast, syntax_errors),
            _ => syntax::parse_partial(id, &text),
        };
        errors.extend(syntax_errors.into_iter().map(LoadError::Syntax));
        let imported = imports_and_schemas(store, &ast, id, &path, &mut loaded.schemas, &mut errors);
        // Imports are read next, in the order written.
        pending.extend(imported.into_iter().rev());
        loaded.sources.push(SourceFile::new(normalize(&path), text));
        loaded.asts.push(ast);
        loaded.imports.push(Vec::new());
    }
    errors.extend(import_cycles(&loaded).into_iter().map(LoadError::Resolve));
    (loaded, errors)
}

/// A file to read, with the `import` that asked for it (none for a root).
type Pending = (String, Option<(FileId, Span)>);

/// The files the roots name: a file itself, or every rule file in a folder.
fn root_files(store: &dyn RuleStore, roots: &[String], errors: &mut Vec<LoadError>) -> Vec<Pending> {
    let mut pending = Vec::new();
    for root in roots {
        match store.list(root) {
            Some(listing) => {
                errors.extend(
                    listing
                        .unreadable
                        .into_iter()
                        .map(|(path, reason)| LoadError::UnreadableFolder { path, reason }),
                );
                // A folder whose only rule files are misnamed says so, not "no rules".
                if listing.files.is_empty() && listing.misnamed.is_empty() {
                    errors.push(LoadError::NoRules { path: root.clone() });
                }
                errors.extend(listing.misnamed.into_iter().map(|path| LoadError::NameNotUtf8 { path }));
                pending.extend(listing.files.into_iter().map(|f| (f, None)));
            }
            None => pending.push((root.clone(), None)),
        }
    }
    pending
}

/// The files file `id` (read from `path`) imports, in the order written; its
/// `schema` files are read into `schemas` on the way.
fn imports_and_schemas(
    store: &dyn RuleStore,
    ast: &ast::File,
    id: FileId,
    path: &str,
    schemas: &mut Vec<crate::schema::Declared>,
    errors: &mut Vec<LoadError>,
) -> Vec<Pending> {
    let dir = Path::new(path)
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut imported = Vec::new();
    for item in &ast.items {
        // `@…` names the bundled library wherever the importer lives;
        // an absolute path is absolute.
        let relative = |path: &str| {
            if dir.is_empty() || BundledStore::names(path) || Path::new(path).is_absolute() {
                normalize(path)
            } else {
                normalize(&format!("{dir}/{path}"))
            }
        };
        match item {
            ast::Item::Import(import) => imported.push((relative(&import.path), Some((id, import.span)))),
            ast::Item::Schema(schema) => {
                let file = relative(&schema.path);
                let read = store
                    .read(&file)
                    .and_then(|bytes| String::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}")));
                match read {
                    Ok(text) => schemas.push(crate::schema::Declared {
                        span: schema.span,
                        identity: store.identity(&file),
                        file,
                        text: text.strip_prefix('\u{FEFF}').map(str::to_owned).unwrap_or(text),
                    }),
                    Err(reason) => errors.push(LoadError::Unreadable {
                        path: file,
                        reason,
                        at: Some(schema.span.source_span()),
                        file: Some(id),
                    }),
                }
            }
            _ => {}
        }
    }
    imported
}

/// A rule file's text, without the byte-order mark editors on Windows often
/// start UTF-8 files with; or, when it is not UTF-8, the text decoded as far
/// as possible and the offset of the first bad byte (the same in both: all
/// before it is valid).
pub(super) fn decode(bytes: Vec<u8>) -> Result<String, (String, usize)> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text.strip_prefix('\u{FEFF}').map(str::to_owned).unwrap_or(text)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Err((lossy, offset))
        }
    }
}

/// The files of a cycle, one a line (`a →`, `b →`, `a`), so long paths stay
/// readable; a long cycle shows its two ends only.
fn cycle_text(chain: &[&str]) -> String {
    const SHOWN: usize = 4;
    const ARROW: &str = " →\n  ";
    if chain.len() <= 2 * SHOWN + 1 {
        return chain.join(ARROW);
    }
    format!(
        "{}{ARROW}… {} more …{ARROW}{}",
        chain[..SHOWN].join(ARROW),
        chain.len() - 2 * SHOWN,
        chain[chain.len() - SHOWN..].join(ARROW)
    )
}

/// One error per import that closes a cycle.
fn import_cycles(loaded: &LoadedFiles) -> Vec<ResolveError> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let n = loaded.sources.len();
    let mut marks = vec![Mark::New; n];
    let mut errors = Vec::new();
    for start in 0..n {
        if marks[start] != Mark::New {
            continue;
        }
        // Iterative depth-first search: (file, next import to visit).
        let mut stack = vec![(start, 0usize)];
        marks[start] = Mark::Open;
        while let Some(&mut (file, ref mut next)) = stack.last_mut() {
            if let Some(&(target, span)) = loaded.imports[file].get(*next) {
                *next += 1;
                match marks[target as usize] {
                    Mark::New => {
                        marks[target as usize] = Mark::Open;
                        stack.push((target as usize, 0));
                    }
                    Mark::Open => {
                        let first = stack.iter().position(|&(f, _)| f == target as usize).unwrap_or(0);
                        let chain: Vec<&str> = stack[first..]
                            .iter()
                            .map(|&(f, _)| loaded.sources[f].name())
                            .chain(std::iter::once(loaded.sources[target as usize].name()))
                            .collect();
                        errors.push(
                            ResolveError::new(span, ResolveErrorKind::ImportCycle)
                                .with_help(format!("the files import each other:\n  {}", cycle_text(&chain))),
                        );
                    }
                    Mark::Done => {}
                }
            } else {
                marks[file] = Mark::Done;
                stack.pop();
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store whose one folder holds `a.tally` and a subfolder it cannot list.
    struct LockedSubfolder;

    impl RuleStore for LockedSubfolder {
        fn list(&self, path: &str) -> Option<Listing> {
            (path == "rules").then(|| Listing {
                files: vec!["rules/a.tally".into()],
                unreadable: vec![("rules/locked".into(), "Permission denied (os error 13)".into())],
                misnamed: Vec::new(),
            })
        }
        fn read(&self, _: &str) -> Result<Vec<u8>, String> {
            Ok(b"let a = 1\n".to_vec())
        }
        fn identity(&self, path: &str) -> String {
            normalize(path)
        }
    }

    #[test]
    fn an_unreadable_subfolder_is_a_load_error() {
        let (loaded, errors) = load_files(&LockedSubfolder, &["rules".into()]);
        assert_eq!(loaded.sources.len(), 1, "the readable file is still loaded");
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            shown,
            ["cannot read rule folder `rules/locked`: Permission denied (os error 13)"]
        );
    }

    /// Everything a load yields, as text, to compare two loads.
    fn loaded_text(store: &dyn RuleStore, roots: &[String], threads: usize) -> String {
        let (loaded, errors) = load_files_on(store, roots, threads);
        let sources: Vec<(&str, &str)> = loaded.sources.iter().map(|s| (s.name(), s.text())).collect();
        let errors: Vec<String> = errors.iter().map(|e| format!("{e:?}")).collect();
        format!("{sources:?}\n{:?}\n{:?}\n{errors:?}", loaded.asts, loaded.imports)
    }

    #[test]
    fn parsing_ahead_changes_nothing() {
        let bundled = vec![BundledStore::ROOT.to_owned()];
        // `a` imports `z`, so `z` gets the id parsed ahead for `b`: both parse again.
        let out_of_order = MemoryStore(vec![
            ("r/a.tally".into(), "import \"z.tally\"\nlet a = z + 1\n".into()),
            ("r/b.tally".into(), "rule b { assert a == 2 }\n".into()),
            ("r/bad.tally".into(), "rule c { assert }\nlet \u{FEFF}= 1\n".into()),
            ("r/z.tally".into(), "\u{FEFF}let z = 1\n".into()),
        ]);
        for (store, roots) in [
            (&BundledStore as &dyn RuleStore, bundled),
            (&out_of_order, vec!["r".to_owned(), "r/b.tally".to_owned()]),
            (&LockedSubfolder, vec!["rules".to_owned()]),
        ] {
            assert_eq!(loaded_text(store, &roots, 4), loaded_text(store, &roots, 1));
        }
    }

    #[test]
    fn the_bundled_library_is_parsed_ahead() {
        let roots = vec![BundledStore::ROOT.to_owned()];
        let (loaded, _) = load_files_on(&BundledStore, &roots, 1);
        let listed = BundledStore.list(BundledStore::ROOT).expect("the library").files;
        let ahead = super::super::ahead::parse_roots(&BundledStore, &listed, 4);
        assert_eq!(ahead.len(), loaded.sources.len());
        // Each parse ahead is under the id the loader gives the file, so it is used.
        for (identity, early) in &ahead {
            let (id, ast, _) = early.parsed.as_ref().expect("parsed ahead");
            assert_eq!(loaded.sources[*id as usize].name(), identity);
            assert_eq!(&loaded.asts[*id as usize], ast);
        }
    }

    #[test]
    fn normalizes_paths_lexically() {
        assert_eq!(normalize("rules/cn-budget/../common.tally"), "rules/common.tally");
        assert_eq!(normalize("./a/./b.tally"), "a/b.tally");
        assert_eq!(normalize("../x.tally"), "../x.tally");
    }
}
