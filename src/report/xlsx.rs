//! `--format xlsx`: a workbook with a `findings` sheet (one row per finding,
//! header frozen, filters on every column, severities coloured) and a
//! `summary` sheet (the run's totals, then per file and per rule).

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::rows::{escape_invisible, OwnedRow, Run, COLUMNS};
use crate::eval::FindingKind;
use crate::resolve::Severity;

/// Excel refuses longer cells.
const CELL_CAP: usize = 32_767;

/// Column widths of the findings sheet, in characters, in `COLUMNS` order.
const WIDTHS: [f64; 12] = [28.0, 6.0, 7.0, 9.0, 10.0, 22.0, 36.0, 70.0, 32.0, 16.0, 36.0, 16.0];

/// The workbook of `run`, whose findings are `rows` (in report order).
pub fn workbook(run: &Run, rows: &[OwnedRow]) -> Result<Vec<u8>, String> {
    build(run, rows).map_err(|e| format!("cannot write the workbook: {e}"))
}

fn build(run: &Run, rows: &[OwnedRow]) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut book = Workbook::new();
    findings_sheet(book.add_worksheet(), rows, &styles)?;
    summary_sheet(book.add_worksheet(), run, &styles)?;
    book.save_to_buffer()
}

fn findings_sheet(sheet: &mut Worksheet, rows: &[OwnedRow], styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("findings")?;
    for (col, (name, width)) in COLUMNS.iter().zip(WIDTHS).enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &styles.header)?;
        sheet.set_column_width(col as u16, width)?;
    }
    let mut last_row = 0;
    for (i, row) in rows.iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (col, cell) in row.cells.iter().enumerate() {
            let col = col as u16;
            match (COLUMNS[col as usize], cell.parse::<f64>()) {
                // Line and column are numbers, so that they sort as numbers.
                ("line" | "column", Ok(n)) => sheet.write_number(r, col, n)?,
                ("severity", _) => sheet.write_string_with_format(r, col, cell, styles.severity(row.severity))?,
                _ => sheet.write_string(r, col, capped(cell))?,
            };
        }
        last_row = r;
    }
    sheet.autofilter(0, 0, last_row, COLUMNS.len() as u16 - 1)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The summary sheet: the run's totals, then a row per file, then a row per
/// rule with findings, a blank row between the three.
fn summary_sheet(sheet: &mut Worksheet, run: &Run, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("summary")?;
    sheet.set_column_width(0, 36)?;
    sheet.set_column_width(1, 40)?;
    for col in 2..10 {
        sheet.set_column_width(col, 11)?;
    }
    let r = run_totals(sheet, run, styles)?;
    let r = file_table(sheet, run, styles, r + 1)?;
    rule_table(sheet, run, styles, r + 1)?;
    Ok(())
}

/// The run's counts and its missing input files from the top; returns the
/// row after them.
fn run_totals(sheet: &mut Worksheet, run: &Run, styles: &Styles) -> Result<u32, XlsxError> {
    let s = run.summary;
    let c = &s.counts;
    let totals: [(&str, usize); 12] = [
        ("files 文件", s.files),
        ("rules 规则", s.rules),
        ("assertions 断言", c.assertions),
        ("passed 通过", c.passed),
        ("violations 违规", c.violations),
        ("error", s.by_severity[Severity::Error as usize]),
        ("warning", s.by_severity[Severity::Warning as usize]),
        ("info", s.by_severity[Severity::Info as usize]),
        ("indeterminate 无法判断", c.indeterminate),
        ("errors 出错", c.errors),
        ("skipped 跳过", c.skipped),
        ("accepted 已接受", c.accepted),
    ];
    sheet.write_string_with_format(0, 0, "run 本次检查", &styles.header)?;
    sheet.write_string_with_format(0, 1, "count", &styles.header)?;
    let mut r = 1;
    for (label, count) in totals {
        sheet.write_string(r, 0, label)?;
        sheet.write_number(r, 1, count as f64)?;
        r += 1;
    }
    for missing in run.inputs_missing {
        sheet.write_string(r, 0, "input file not found 输入文件不存在")?;
        sheet.write_string(r, 1, capped(missing))?;
        r += 1;
    }
    for notice in run.omitted {
        sheet.write_string(r, 0, "findings not listed 未列出的结果")?;
        sheet.write_string(
            r,
            1,
            capped(&super::human::omitted_line(notice, super::human::Lang::En)),
        )?;
        r += 1;
    }
    Ok(r)
}

/// Under a header at row `r`, a row per checked file, then per file that could not be checked;
/// returns the row after them.
fn file_table(sheet: &mut Worksheet, run: &Run, styles: &Styles, mut r: u32) -> Result<u32, XlsxError> {
    let file_header = [
        "file 文件",
        "status",
        "assertions",
        "passed",
        "findings",
        "error",
        "warning",
        "info",
        "skipped",
        "accepted",
    ];
    header_row(sheet, r, &file_header, styles)?;
    r += 1;
    for file in run.files {
        let counts = file.counts;
        let by_severity = by_severity(run, file.findings.iter().map(|&(rule, _)| rule));
        sheet.write_string(r, 0, capped(&file.name))?;
        sheet.write_string(r, 1, "checked 已检查")?;
        let numbers = [
            counts.assertions,
            counts.passed,
            file.findings.len(),
            by_severity[Severity::Error as usize],
            by_severity[Severity::Warning as usize],
            by_severity[Severity::Info as usize],
            counts.skipped,
            counts.accepted,
        ];
        for (col, n) in numbers.into_iter().enumerate() {
            sheet.write_number(r, col as u16 + 2, n as f64)?;
        }
        r += 1;
    }
    for (file, message) in run.failures {
        sheet.write_string(r, 0, capped(file))?;
        sheet.write_string(r, 1, capped(&format!("not checked 未检查: {message}")))?;
        r += 1;
    }
    Ok(r)
}

/// Under a header at row `r`, a row per rule with findings.
fn rule_table(sheet: &mut Worksheet, run: &Run, styles: &Styles, mut r: u32) -> Result<(), XlsxError> {
    header_row(
        sheet,
        r,
        &["rule 规则", "title 标题", "severity", "findings", "violations", "files"],
        styles,
    )?;
    r += 1;
    for (rule, findings) in per_rule(run) {
        let def = &run.program.rules[rule];
        let violations = findings.iter().filter(|k| **k == FindingKind::Violation).count();
        let files = run
            .files
            .iter()
            .filter(|f| f.findings.iter().any(|&(r, _)| r == rule))
            .count();
        sheet.write_string(r, 0, capped(&def.id))?;
        sheet.write_string(r, 1, capped(&def.title))?;
        sheet.write_string_with_format(r, 2, def.severity.as_str(), styles.severity(def.severity))?;
        sheet.write_number(r, 3, findings.len() as f64)?;
        sheet.write_number(r, 4, violations as f64)?;
        sheet.write_number(r, 5, files as f64)?;
        r += 1;
    }
    Ok(())
}

fn header_row(sheet: &mut Worksheet, r: u32, names: &[&str], styles: &Styles) -> Result<(), XlsxError> {
    for (col, name) in names.iter().enumerate() {
        sheet.write_string_with_format(r, col as u16, *name, &styles.header)?;
    }
    Ok(())
}

/// Findings (all kinds) by the severity of their rule, indexed by `Severity`.
fn by_severity(run: &Run, rules: impl Iterator<Item = usize>) -> [usize; 3] {
    let mut counts = [0; 3];
    for rule in rules {
        counts[run.program.rules[rule].severity as usize] += 1;
    }
    counts
}

/// Each rule with findings, in rule order, with the kinds of its findings.
fn per_rule(run: &Run) -> Vec<(usize, Vec<FindingKind>)> {
    let mut kinds: Vec<Vec<FindingKind>> = vec![Vec::new(); run.program.rules.len()];
    for &(rule, kind) in run.files.iter().flat_map(|f| &f.findings) {
        kinds[rule].push(kind);
    }
    kinds.into_iter().enumerate().filter(|(_, k)| !k.is_empty()).collect()
}

fn capped(text: &str) -> String {
    let text = escape_invisible(text);
    match text.char_indices().nth(CELL_CAP - 1) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

struct Styles {
    header: Format,
    severity: [Format; 3],
}

impl Styles {
    fn new() -> Self {
        let fill = |background: u32, font: u32| {
            Format::new()
                .set_background_color(Color::RGB(background))
                .set_font_color(Color::RGB(font))
                .set_bold()
        };
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xE7E9EE))
                .set_border_bottom(FormatBorder::Thin),
            // In `Severity` order: info, warning, error.
            severity: [
                fill(0xDDEBF7, 0x1F4E79),
                fill(0xFFF2CC, 0x7F6000),
                fill(0xF8D7DA, 0x9C0006),
            ],
        }
    }

    fn severity(&self, severity: Severity) -> &Format {
        &self.severity[severity as usize]
    }
}
