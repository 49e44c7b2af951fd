//! Hints about a whole run, printed after the findings: patterns that one
//! file's findings cannot show.

use std::collections::BTreeMap;

use super::CheckedFile;
use crate::eval::FindingKind;
use crate::resolve::Program;
use crate::source::Span;

/// A path that is missing in some documents of the run but not in others is
/// usually optional: say how to read it so. One line per path in the rules.
pub fn optional_keys(program: &Program, files: &[CheckedFile]) -> Vec<String> {
    if files.len() < 2 {
        return Vec::new();
    }
    // The path in the rule → the files where it was missing (in run order).
    let mut missing: BTreeMap<(u32, u32, u32), (Span, Vec<&str>)> = BTreeMap::new();
    for file in files {
        for finding in file.result.findings.iter().filter(|f| f.kind == FindingKind::Missing) {
            let span = finding.span;
            let entry = missing
                .entry((span.file, span.start, span.end))
                .or_insert_with(|| (span, Vec::new()));
            let name = file.doc.source().name();
            if entry.1.last() != Some(&name) {
                entry.1.push(name);
            }
        }
    }
    missing
        .into_values()
        .filter(|(_, names)| names.len() < files.len())
        .map(|(span, names)| {
            let source = program.source(span);
            let at = source.location(span.start as usize);
            let shown: Vec<&str> = names.iter().take(3).copied().collect();
            let more = if names.len() > 3 { ", …" } else { "" };
            format!(
                "hint: `{}` ({}:{}) is missing in {} of {} files ({}{more}) but not in the others; \
                 if it is optional, read it with `?.` and a default (`a?.b ?? 0`) or guard the assertion with `when exists(…)`",
                super::text::shown(&program.text(span), 80),
                super::text::shown(source.name(), 120),
                at.line,
                names.len(),
                files.len(),
                super::text::shown(&shown.join(", "), 160),
            )
        })
        .collect()
}
