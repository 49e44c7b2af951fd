//! Parsing the root rule files ahead of the loader, several at a time.
//!
//! The loader gives files their ids in the order it reaches them (a file's
//! imports right after it), and a parse depends on nothing but the file's id
//! and text. So each root file is parsed ahead under the id it gets when no
//! import pulls another file in before it — the usual case: a folder of rule
//! files that import one another (the bundled library) — and the loader uses
//! a parse only if the file does get that id; otherwise it parses again.

use std::collections::{HashMap, HashSet};

use super::files::RuleStore;
use crate::source::FileId;
use crate::syntax::{self, ast, SyntaxError};

/// A parse, and the id it was made under.
pub type Parse = (FileId, ast::File, Vec<SyntaxError>);

/// A root file, read and (when it was worth it) parsed.
pub struct Ahead {
    /// Its text, without a byte-order mark.
    pub text: String,
    /// The parse under the id the file was expected to get.
    pub parsed: Option<Parse>,
}

/// The root files read now and parsed on up to `threads` threads, by
/// identity. A file that cannot be read or is not UTF-8 is left to the
/// loader, which reports it in its turn.
pub fn parse_roots(store: &dyn RuleStore, roots: &[String], threads: usize) -> HashMap<String, Ahead> {
    let mut files: Vec<(String, FileId, String)> = Vec::new();
    let mut seen = HashSet::new();
    // The loader gives an id to every file it reads, UTF-8 or not.
    let mut next_id: FileId = 0;
    for path in roots {
        let identity = store.identity(path);
        if !seen.insert(identity.clone()) {
            continue;
        }
        let Ok(bytes) = store.read(path) else { continue };
        let id = next_id;
        next_id += 1;
        if let Ok(text) = super::files::decode(bytes) {
            files.push((identity, id, text));
        }
    }
    let parses = parse_all(&files, threads);
    files
        .into_iter()
        .zip(parses)
        .map(|((identity, _, text), parsed)| (identity, Ahead { text, parsed }))
        .collect()
}

/// Parses every file on up to `threads` threads; none when one would do
/// (the loader then parses as it goes, as fast).
fn parse_all(files: &[(String, FileId, String)], threads: usize) -> Vec<Option<Parse>> {
    if threads.min(files.len()) < 2 {
        return files.iter().map(|_| None).collect();
    }
    super::parallel::map(
        files,
        threads,
        |(_, _, text)| text.len(),
        |(_, id, text)| {
            let (ast, errors) = syntax::parse_partial(*id, text);
            Some((*id, ast, errors))
        },
    )
}
