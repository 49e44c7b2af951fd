//! `--format csv`: one row per finding under a header row, UTF-8 with a
//! byte-order mark so that Excel opens Chinese text as Chinese.

use std::borrow::Cow;

use super::rows::{row, COLUMNS};
use super::CheckedFile;
use crate::resolve::Program;

const BYTE_ORDER_MARK: &str = "\u{feff}";

pub fn table(program: &Program, files: &[CheckedFile]) -> String {
    let mut table = header();
    for file in files {
        table.push_str(&file_rows(program, file));
    }
    table
}

/// The byte-order mark and the header row: what a table starts with.
pub fn header() -> String {
    let mut writer = writer();
    writer.write_record(COLUMNS).expect("writing to memory");
    format!("{BYTE_ORDER_MARK}{}", finish(writer))
}

/// One file's rows, in report order (a streamed run writes them as each file
/// is checked, after [`header`]).
pub fn file_rows(program: &Program, file: &CheckedFile) -> String {
    let mut writer = writer();
    for finding in &file.result.findings {
        let row = row(program, file, finding);
        let cells = row.cells();
        writer
            .write_record(cells.iter().map(|cell| not_a_formula(cell).into_owned()))
            .expect("writing to memory");
    }
    finish(writer)
}

fn writer() -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

fn finish(writer: ::csv::Writer<Vec<u8>>) -> String {
    let bytes = writer.into_inner().expect("writing to memory");
    String::from_utf8(bytes).expect("every cell is UTF-8")
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a
/// formula; data files come from outside, so such a cell (other than a plain
/// number such as `-4.76`) gets a leading `'`, which spreadsheets show as text.
fn not_a_formula(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.chars().count() > 1;
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn is_plain_number(cell: &str) -> bool {
    // One sign at most: `--1` is a formula that a spreadsheet computes.
    let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    !digits.is_empty()
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(not_a_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(not_a_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(not_a_formula("-4.76"), "-4.76");
        assert_eq!(not_a_formula("+12%"), "+12%");
        assert_eq!(not_a_formula("-"), "-");
        assert_eq!(not_a_formula("-1+2"), "'-1+2");
        assert_eq!(not_a_formula("--1"), "'--1");
        assert_eq!(not_a_formula("+-1"), "'+-1");
        assert_eq!(not_a_formula("-1,234.50"), "-1,234.50");
        assert_eq!(not_a_formula("\tcmd"), "'\tcmd");
        assert_eq!(not_a_formula("\r=1"), "'\r=1");
        assert_eq!(not_a_formula("+86 10 1234"), "'+86 10 1234");
        assert_eq!(not_a_formula("怀财字【2023】7号"), "怀财字【2023】7号");
    }
}
