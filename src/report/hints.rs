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
    /// The path in the rule → the files where it was missing (in run order).
    missing: BTreeMap<(u32, u32, u32), (Span, Vec<String>)>,
}

impl OptionalKeys {
    pub fn add(&mut self, file: &CheckedFile) {
        self.files += 1;
        let name = file.doc.source().name();
        for finding in file.result.findings.iter().filter(|f| f.kind == FindingKind::Missing) {
            let span = finding.span;
            let entry = self
                .missing
                .entry((span.file, span.start, span.end))
                .or_insert_with(|| (span, Vec::new()));
            if entry.1.last().map(String::as_str) != Some(name) {
                entry.1.push(name.to_owned());
            }
        }
    }

    /// Adds the files counted in `other`, which come after this one's.
    pub fn merge(&mut self, other: OptionalKeys) {
        self.files += other.files;
        for (key, (span, names)) in other.missing {
            let entry = self.missing.entry(key).or_insert_with(|| (span, Vec::new()));
            for name in names {
                if entry.1.last() != Some(&name) {
                    entry.1.push(name);
                }
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
            .filter(|(_, names)| names.len() < self.files)
            .map(|(span, names)| {
                let span = *span;
                let source = program.source(span);
                let at = source.location(span.start as usize);
                let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
                let more = if names.len() > 3 { ", …" } else { "" };
                let hint = OptionalHint {
                    path: super::text::shown(&program.text(span), 80),
                    file: super::text::shown(source.name(), 120),
                    line: at.line,
                    missing_in: names.len(),
                    files: self.files,
                    names: format!("{}{more}", super::text::shown(&shown.join(", "), 160)),
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
