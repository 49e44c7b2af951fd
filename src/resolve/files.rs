//! Finding and reading rule files: from disk or from the library compiled into
//! the binary, following imports, each file once, import cycles refused.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::error::{LoadError, ResolveError};
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::{self, ast};

/// Where rule files come from.
pub trait RuleStore {
    /// The `*.tally` files under `path` (recursively, sorted) if it is a
    /// folder, `None` if it is not one.
    fn list(&self, path: &str) -> Option<Vec<String>>;
    fn read(&self, path: &str) -> Result<String, String>;
    /// What makes two paths the same file.
    fn identity(&self, path: &str) -> String;
}

/// Rule files on disk.
pub struct DiskStore;

impl RuleStore for DiskStore {
    fn list(&self, path: &str) -> Option<Vec<String>> {
        if !Path::new(path).is_dir() {
            return None;
        }
        let mut found = Vec::new();
        let mut pending = vec![PathBuf::from(path)];
        while let Some(dir) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let p = entry.path();
                let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                if is_dir {
                    pending.push(p);
                } else if p.extension().is_some_and(|e| e == "tally") {
                    found.push(p.to_string_lossy().into_owned());
                }
            }
        }
        found.sort();
        Some(found)
    }

    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|e| e.to_string())
    }

    fn identity(&self, path: &str) -> String {
        std::fs::canonicalize(path)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| normalize(path))
    }
}

/// The bundled library: `rules/**.tally`, compiled in by `build.rs`.
pub struct BundledStore;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_rules.rs"));
}

impl BundledStore {
    pub const ROOT: &'static str = "rules";

    pub fn files() -> &'static [(&'static str, &'static str)] {
        bundled::FILES
    }
}

impl RuleStore for BundledStore {
    fn list(&self, path: &str) -> Option<Vec<String>> {
        let dir = normalize(path);
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        let files: Vec<String> = bundled::FILES
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| name.starts_with(&prefix) && name.ends_with(".tally"))
            .map(str::to_owned)
            .collect();
        (!files.is_empty() || dir == Self::ROOT).then_some(files)
    }

    fn read(&self, path: &str) -> Result<String, String> {
        let path = normalize(path);
        bundled::FILES
            .iter()
            .find(|(name, _)| *name == path)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| "no such file in the bundled library".to_owned())
    }

    fn identity(&self, path: &str) -> String {
        normalize(path)
    }
}

/// Rule files held in memory: for tests, and for rules that arrive as text.
pub struct MemoryStore(pub Vec<(String, String)>);

impl RuleStore for MemoryStore {
    fn list(&self, path: &str) -> Option<Vec<String>> {
        let prefix = format!("{}/", normalize(path));
        let files: Vec<String> = self
            .0
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| n.starts_with(&prefix) && n.ends_with(".tally"))
            .collect();
        (!files.is_empty()).then_some(files)
    }

    fn read(&self, path: &str) -> Result<String, String> {
        let path = normalize(path);
        self.0
            .iter()
            .find(|(name, _)| *name == path)
            .map(|(_, text)| text.clone())
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

/// Reads the roots (files or folders) and everything they import.
pub fn load_files(store: &dyn RuleStore, roots: &[String]) -> (LoadedFiles, Vec<LoadError>) {
    let mut loaded = LoadedFiles {
        sources: Vec::new(),
        asts: Vec::new(),
        imports: Vec::new(),
        schemas: Vec::new(),
    };
    let mut errors = Vec::new();
    let mut ids: HashMap<String, FileId> = HashMap::new();
    // (path, the import that asked for it)
    let mut pending: Vec<(String, Option<(FileId, Span)>)> = Vec::new();
    for root in roots {
        match store.list(root) {
            Some(files) if files.is_empty() => errors.push(LoadError::NoRules { path: root.clone() }),
            Some(files) => pending.extend(files.into_iter().map(|f| (f, None))),
            None => pending.push((root.clone(), None)),
        }
    }
    pending.reverse();
    while let Some((path, from)) = pending.pop() {
        let identity = store.identity(&path);
        if let Some(&id) = ids.get(&identity) {
            if let Some((importer, span)) = from {
                loaded.imports[importer as usize].push((id, span));
            }
            continue;
        }
        let text = match store.read(&path) {
            // Editors on Windows often start UTF-8 files with a byte-order mark.
            Ok(text) => text.strip_prefix('\u{FEFF}').map(str::to_owned).unwrap_or(text),
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
        let (ast, syntax_errors) = syntax::parse_partial(id, &text);
        errors.extend(syntax_errors.into_iter().map(LoadError::Syntax));
        let dir = Path::new(&path)
            .parent()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut imported = Vec::new();
        for item in &ast.items {
            let relative = |path: &str| {
                if dir.is_empty() {
                    normalize(path)
                } else {
                    normalize(&format!("{dir}/{path}"))
                }
            };
            match item {
                ast::Item::Import(import) => imported.push((relative(&import.path), Some((id, import.span)))),
                ast::Item::Schema(schema) => {
                    let file = relative(&schema.path);
                    match store.read(&file) {
                        Ok(text) => loaded.schemas.push(crate::schema::Declared {
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
        // Imports are read next, in the order written.
        pending.extend(imported.into_iter().rev());
        loaded.sources.push(SourceFile::new(normalize(&path), text));
        loaded.asts.push(ast);
        loaded.imports.push(Vec::new());
    }
    errors.extend(import_cycles(&loaded).into_iter().map(LoadError::Resolve));
    (loaded, errors)
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
                            ResolveError::new(span, "import cycle", "this import closes the cycle")
                                .with_help(format!("the files import each other: {}", chain.join(" → "))),
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
    use super::normalize;

    #[test]
    fn normalizes_paths_lexically() {
        assert_eq!(normalize("rules/cn-budget/../common.tally"), "rules/common.tally");
        assert_eq!(normalize("./a/./b.tally"), "a/b.tally");
        assert_eq!(normalize("../x.tally"), "../x.tally");
    }
}
