//! What the file reports (CSV, XLSX, HTML) are made from: the whole run, and
//! one flat row per finding.

use std::borrow::Cow;

use super::{CheckedFile, FileDigest, OmittedNotice, Summary};
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
    /// Findings counted but not listed, by file and rule.
    pub omitted: &'a [OmittedNotice],
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
        // Every text from the user's files has its hidden characters shown.
        [
            escape_invisible(self.file),
            number(self.line),
            number(self.column),
            Cow::Borrowed(self.severity.as_str()),
            Cow::Borrowed(self.kind),
            escape_invisible(&self.rule.id),
            escape_invisible(&self.rule.title),
            escape_invisible(self.message),
            escape_invisible(self.path.unwrap_or("")),
            Cow::Borrowed(self.value.as_deref().unwrap_or("")),
            escape_invisible(self.rule.cite.as_deref().unwrap_or("")),
            escape_invisible(self.value_file.unwrap_or("")),
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

/// The most characters of a data value a report shows (the same cap as JSON).
pub const VALUE_CAP: usize = crate::text::VALUE_CHARS;

/// A data value as the reports show it: at most [`VALUE_CAP`] characters (the
/// last being `…` when cut), hidden characters written as `\u{…}` so that a
/// value that only looks right can be seen not to be. The same text as JSON.
pub fn shown_value(raw: &str) -> Cow<'_, str> {
    match crate::text::clip(raw, VALUE_CAP) {
        Cow::Borrowed(raw) => crate::text::escape(raw),
        Cow::Owned(clipped) => Cow::Owned(crate::text::escape(&clipped).into_owned()),
    }
}

/// `text` with hidden characters written as `\u{…}` ([`crate::text::escape`]).
pub fn escape_invisible(text: &str) -> Cow<'_, str> {
    crate::text::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_capped_by_characters() {
        let long = "预".repeat(VALUE_CAP + 5);
        let shown = shown_value(&long);
        assert_eq!(shown.chars().count(), VALUE_CAP);
        assert!(shown.ends_with('…'));
        assert_eq!(shown_value("211.99"), "211.99");
    }

    #[test]
    fn invisible_characters_are_written_out() {
        assert_eq!(shown_value("211\u{200b}.99"), "211\\u{200B}.99");
        assert_eq!(escape_invisible("a\u{202e}b\u{7}"), "a\\u{202E}b\\u{7}");
        assert_eq!(escape_invisible("行一\n行二\t"), "行一\n行二\t");
    }
}
