//! Hints about a whole run, printed after the findings: patterns that one
//! file's findings cannot show.

use std::collections::BTreeMap;

use super::human::Lang;
use super::CheckedFile;
use crate::eval::FindingKind;
use crate::resolve::Program;
use crate::source::Span;

/// A path that is missing in some documents of the run but not in others is
/// usually optional: say how to read it so. One line per path in the rules,
/// in the report's language.
pub fn optional_keys(program: &Program, files: &[CheckedFile], lang: Lang) -> Vec<String> {
    let mut keys = OptionalKeys::default();
    for file in files {
        keys.add(file);
    }
    keys.hints(program, lang)
}

/// [`optional_keys`] for a run that streams its files: add each checked file
/// (or merge what a worker counted), then ask for the hints. Keeps rule spans
/// and file names, never documents.
#[derive(Debug, Default)]
pub struct OptionalKeys {
    files: usize,
    /// The path in the rule → the files where it was missing.
    missing: BTreeMap<(u32, u32, u32), MissingIn>,
}

/// The files where one path was missing: how many, and the first few names
/// (all a hint shows), so a run of many files keeps a few names, not all.
#[derive(Debug)]
struct MissingIn {
    span: Span,
    count: usize,
    first: Vec<String>,
    last: String,
}

/// File names a hint shows before "…".
const NAMES_SHOWN: usize = 3;

impl MissingIn {
    fn new(span: Span) -> Self {
        MissingIn {
            span,
            count: 0,
            first: Vec::new(),
            last: String::new(),
        }
    }

    /// Counts `name`, once however many of its findings come in a row.
    fn add(&mut self, name: &str) {
        if self.count > 0 && self.last == name {
            return;
        }
        self.count += 1;
        if self.first.len() < NAMES_SHOWN {
            self.first.push(name.to_owned());
        }
        name.clone_into(&mut self.last);
    }
}

impl OptionalKeys {
    pub fn add(&mut self, file: &CheckedFile) {
        self.files += 1;
        let name = file.doc.source().name();
        for finding in file.result.findings.iter().filter(|f| f.kind == FindingKind::Missing) {
            let span = finding.span;
            self.missing
                .entry((span.file, span.start, span.end))
                .or_insert_with(|| MissingIn::new(span))
                .add(name);
        }
    }

    /// Adds the files counted in `other`, which come after this one's.
    pub fn merge(&mut self, other: OptionalKeys) {
        self.files += other.files;
        for (key, theirs) in other.missing {
            let ours = self.missing.entry(key).or_insert_with(|| MissingIn::new(theirs.span));
            // Their names in order: the first few one by one, then the rest
            // by number (each differs from the one before it, so none is
            // counted twice) and the last of them.
            let shown = theirs.first.len();
            for name in &theirs.first {
                ours.add(name);
            }
            if theirs.count > shown {
                ours.count += theirs.count - shown;
                ours.last = theirs.last;
            }
        }
    }

    /// One hint per path missing in some files only, in `lang`.
    pub fn hints(&self, program: &Program, lang: Lang) -> Vec<String> {
        if self.files < 2 {
            return Vec::new();
        }
        self.missing
            .values()
            .filter(|missing| missing.count < self.files)
            .map(|missing| {
                let span = missing.span;
                let source = program.source(span);
                let at = source.location(span.start as usize);
                let shown: Vec<&str> = missing.first.iter().map(String::as_str).collect();
                let more = if missing.count > NAMES_SHOWN { ", …" } else { "" };
                let hint = OptionalHint {
                    path: crate::text::shown(&program.text(span), 80),
                    file: crate::text::shown(source.name(), 120),
                    line: at.line,
                    missing_in: missing.count,
                    files: self.files,
                    names: format!("{}{more}", crate::text::shown(&shown.join(", "), 160)),
                };
                hint.text(lang)
            })
            .collect()
    }
}

/// What the optional-key hint says, before it is put in words.
struct OptionalHint {
    path: String,
    file: String,
    line: usize,
    missing_in: usize,
    files: usize,
    names: String,
}

impl OptionalHint {
    /// The Chinese keeps the English "hint" and the syntax to type as written.
    fn text(&self, lang: Lang) -> String {
        let OptionalHint {
            path,
            file,
            line,
            missing_in,
            files,
            names,
        } = self;
        match lang {
            Lang::Zh => format!(
                "建议 hint：`{path}`（{file}:{line}）在 {files} 个文件中有 {missing_in} 个缺失（{names}），其余文件都有；\
                 若此项可选，请用 `?.` 加默认值读取（`a?.b ?? 0`），或用 `when exists(…)` 限定该断言"
            ),
            Lang::En => format!(
                "hint: `{path}` ({file}:{line}) is missing in {missing_in} of {files} files ({names}) but not in the others; \
                 if it is optional, read it with `?.` and a default (`a?.b ?? 0`) or guard the assertion with `when exists(…)`"
            ),
        }
    }
}
