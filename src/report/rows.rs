//! What the file reports (CSV, XLSX, HTML) are made from: the whole run, and
//! one flat row per finding.

use std::borrow::Cow;

use super::{CheckedFile, FileDigest, Summary};
use crate::eval::Finding;
use crate::resolve::{Program, RuleDef, Severity};

/// Everything one `tally check` run reports.
pub struct Run<'a> {
    pub program: &'a Program,
    pub summary: &'a Summary,
    /// Each checked file's name, counts and findings (the documents are gone).
    pub files: &'a [FileDigest],
    /// Data files that could not be checked: the file and why.
    pub failures: &'a [(String, String)],
    /// Input files named by a template that do not exist.
    pub inputs_missing: &'a [String],
}

/// The columns of a findings table, in order: the fields the issue names, then
/// `value_file`, the file `line` and `column` point into when the primary value
/// comes from another document (an input or a params file); empty otherwise.
pub const COLUMNS: [&str; 12] = [
    "file",
    "line",
    "column",
    "severity",
    "kind",
    "rule",
    "title",
    "message",
    "path",
    "value",
    "cite",
    "value_file",
];

/// One finding, flattened; the location is the primary value's, if any.
pub struct Row<'a> {
    pub file: &'a str,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub severity: Severity,
    pub kind: &'static str,
    pub rule: &'a RuleDef,
    pub message: &'a str,
    pub path: Option<&'a str>,
    /// Capped and with invisible characters made visible ([`shown_value`]).
    pub value: Option<Cow<'a, str>>,
    pub value_file: Option<&'a str>,
}

impl Row<'_> {
    /// The row's cells as text, in [`COLUMNS`] order.
    pub fn cells(&self) -> [Cow<'_, str>; 12] {
        let number = |n: Option<usize>| n.map_or(Cow::Borrowed(""), |n| Cow::Owned(n.to_string()));
        [
            Cow::Borrowed(self.file),
            number(self.line),
            number(self.column),
            Cow::Borrowed(self.severity.as_str()),
            Cow::Borrowed(self.kind),
            Cow::Borrowed(&*self.rule.id),
            Cow::Borrowed(&*self.rule.title),
            escape_invisible(self.message),
            Cow::Borrowed(self.path.unwrap_or("")),
            Cow::Borrowed(self.value.as_deref().unwrap_or("")),
            Cow::Borrowed(self.rule.cite.as_deref().unwrap_or("")),
            Cow::Borrowed(self.value_file.unwrap_or("")),
        ]
    }
}

/// Every finding of the run, file by file, in report order.
pub fn rows<'a>(program: &'a Program, files: &'a [CheckedFile]) -> impl Iterator<Item = Row<'a>> + 'a {
    files.iter().flat_map(move |file| {
        file.result
            .findings
            .iter()
            .map(move |finding| row(program, file, finding))
    })
}

/// One finding as a row of the findings table.
pub fn row<'a>(program: &'a Program, file: &'a CheckedFile, finding: &'a Finding) -> Row<'a> {
    let doc = &file.doc;
    let rule = &program.rules[finding.rule];
    let primary = finding.primary_value();
    let location = primary.map(|read| doc.location(read.node));
    Row {
        file: doc.name(),
        line: location.map(|l| l.line),
        column: location.map(|l| l.column),
        severity: rule.severity,
        kind: finding.kind.as_str(),
        rule,
        message: &finding.message,
        path: primary.map(|read| &*read.path),
        value: primary.map(|read| shown_value(doc.raw(read.node))),
        value_file: primary
            .filter(|read| !doc.is_own(read.node))
            .map(|read| doc.file_of(read.node).name()),
    }
}

/// A row kept for a whole-run table after its document is dropped: the
/// cells as text, in [`COLUMNS`] order.
#[derive(Clone, Debug)]
pub struct OwnedRow {
    pub severity: Severity,
    pub cells: [String; 12],
}

impl OwnedRow {
    pub fn of(row: &Row) -> Self {
        OwnedRow {
            severity: row.severity,
            cells: row.cells().map(Cow::into_owned),
        }
    }
}

/// One file's rows, owned, in report order.
pub fn owned_rows(program: &Program, file: &CheckedFile) -> Vec<OwnedRow> {
    file.result
        .findings
        .iter()
        .map(|finding| OwnedRow::of(&row(program, file, finding)))
        .collect()
}

/// The most characters of a data value a report shows.
pub const VALUE_CAP: usize = 200;

/// A data value as the reports show it: at most [`VALUE_CAP`] characters (then
/// `…`), invisible characters written as `\u{…}` so that a value that only looks
/// right can be seen not to be.
pub fn shown_value(raw: &str) -> Cow<'_, str> {
    match raw.char_indices().nth(VALUE_CAP) {
        Some((cut, _)) => Cow::Owned(format!("{}…", escape_invisible(&raw[..cut]))),
        None => escape_invisible(raw),
    }
}

/// `text` with control and zero-width or direction-changing characters
/// written as `\u{…}` (tabs and line breaks kept).
pub fn escape_invisible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_invisible) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_invisible(c) {
            shown.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

fn is_invisible(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n'))
        || matches!(c,
            '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_capped_by_characters() {
        let long = "预".repeat(VALUE_CAP + 5);
        let shown = shown_value(&long);
        assert_eq!(shown.chars().count(), VALUE_CAP + 1);
        assert!(shown.ends_with('…'));
        assert_eq!(shown_value("211.99"), "211.99");
    }

    #[test]
    fn invisible_characters_are_written_out() {
        assert_eq!(shown_value("211\u{200b}.99"), "211\\u{200b}.99");
        assert_eq!(escape_invisible("a\u{202e}b\u{7}"), "a\\u{202e}b\\u{7}");
        assert_eq!(escape_invisible("行一\n行二\t"), "行一\n行二\t");
    }
}
