//! Findings for a reader at a terminal: severity, title and message first;
//! then each data value the assertion read, drawn by miette in its own file
//! and cut to the terminal's width; then the rule and its cite. The rule's
//! source is shown with `--verbose`.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::snippet::{Excerpted, MESSAGE_LINES, MESSAGE_LINE_CHARS};
use super::{CheckedFile, OmittedNotice, Summary};
use crate::data::{Document, NodeId, NodeValue, Step};
use crate::eval::{Finding, FindingKind, VALUES_LISTED};
use crate::resolve::{Program, Severity};
use crate::source::DiagnosticSource;
use crate::text::{self, clip, VALUE_CHARS};

/// How many data values a finding shows; JSON output lists them all.
const SHOWN_VALUES: usize = 6;
/// Characters of a data path shown in a finding (a key may be very long).
const PATH_CHARS: usize = 120;

/// The language of the report's own labels (the rules' titles and messages
/// are shown as written).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Chinese when any rule title is written in Chinese, else English (the
    /// built-in rule `allow`, titled in both, does not count).
    pub fn of_program(program: &Program) -> Lang {
        let chinese = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
        let titles = program.rules.iter().filter(|r| &*r.id != crate::accept::ALLOW_RULE);
        if titles.into_iter().any(|r| r.title.chars().any(chinese)) {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// How a finding is laid out: for a terminal this wide, in this language,
/// with the rule's source or without.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub width: usize,
    pub lang: Lang,
    pub verbose: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            width: terminal_width(),
            lang: Lang::Zh,
            verbose: false,
        }
    }
}

/// Columns to lay the report out for: `COLUMNS` when set; else the width of
/// the terminal when standard output is one; else 100 (a report written to a
/// pipe or a file is laid out for a common terminal).
pub fn terminal_width() -> usize {
    let columns = std::env::var("COLUMNS").ok();
    let terminal = || {
        use std::io::IsTerminal;
        let stdout = std::io::stdout();
        if !stdout.is_terminal() {
            return None;
        }
        terminal_size::terminal_size_of(&stdout).map(|(terminal_size::Width(w), _)| usize::from(w))
    };
    width_from(columns.as_deref(), terminal)
}

/// The width from `COLUMNS` (if set to a number), else from the terminal.
fn width_from(columns: Option<&str>, terminal: impl FnOnce() -> Option<usize>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .or_else(terminal)
        .filter(|&c| c > 0)
        .map_or(100, |c| c.clamp(40, 1000))
}

/// Renders diagnostics as text, with or without colour.
pub struct Renderer {
    handler: GraphicalReportHandler,
    /// Draws one data value's snippet: no severity icon of its own.
    value_handler: GraphicalReportHandler,
    color: bool,
    layout: Layout,
}

impl Renderer {
    pub fn new(color: bool) -> Self {
        Self::with_layout(color, Layout::default())
    }

    pub fn with_layout(color: bool, layout: Layout) -> Self {
        let theme = || {
            if color {
                GraphicalTheme::unicode()
            } else {
                GraphicalTheme::unicode_nocolor()
            }
        };
        let mut value_theme = theme();
        for icon in [
            &mut value_theme.characters.error,
            &mut value_theme.characters.warning,
            &mut value_theme.characters.advice,
        ] {
            *icon = "•".to_owned();
        }
        let handler = |theme| {
            GraphicalReportHandler::new_themed(theme)
                .with_width(layout.width)
                .with_wrap_lines(false)
                .with_links(false)
                .with_context_lines(1)
        };
        Renderer {
            handler: handler(theme()),
            value_handler: handler(value_theme).with_context_lines(0),
            color,
            layout,
        }
    }

    /// This renderer's colour with another layout.
    pub fn relaid(&self, layout: Layout) -> Renderer {
        Renderer::with_layout(self.color, layout)
    }

    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Any diagnostic (a load error, a data error, a finding) as text. miette
    /// only ever sees an excerpt of the source (see [`Excerpted`]).
    pub fn render(&self, diagnostic: &dyn Diagnostic) -> String {
        let mut out = String::new();
        let _ = self.handler.render_report(&mut out, &Excerpted::new(diagnostic));
        out
    }

    /// A source excerpt cut to the terminal: room for the line-number gutter.
    fn excerpt(&self, handler: &GraphicalReportHandler, diagnostic: &dyn Diagnostic) -> String {
        let mut out = String::new();
        let columns = self.layout.width.saturating_sub(GUTTER);
        let _ = handler.render_report(&mut out, &Excerpted::with_columns(diagnostic, columns));
        out
    }

    /// One finding for a reader: severity, title and message first; then
    /// each data value it read, in its own file; then the rule and its cite.
    /// The rule's source only with `--verbose`.
    pub fn finding(&self, program: &Program, doc: &Document, finding: &Finding) -> String {
        let report = FindingReport::new(program, doc, finding, self.layout.lang);
        let lang = self.layout.lang;
        let width = self.layout.width;
        let mut out = String::new();
        let header = format!("{} {}", report.kind, report.title);
        out.push_str(&self.paint(report.severity, &fit(&text::escape(&header), width)));
        out.push('\n');
        for line in wrap(
            &text::message(&report.message, MESSAGE_LINE_CHARS, MESSAGE_LINES),
            width,
            "  ",
        ) {
            out.push_str(&line);
            out.push('\n');
        }
        for value in &report.values {
            // `  • path = value` on one line: cut, as a source line is.
            let mut value = value.clone();
            value.text = fit(&value.text, width.saturating_sub(4));
            out.push_str(&self.excerpt(&self.value_handler, &value));
        }
        if report.hidden + finding.values_not_listed > 0 {
            let more = more_values(report.hidden, finding.values_not_listed, lang);
            out.push_str(&more);
            out.push('\n');
        }
        let rule_line = format!("  {} {} {}", lang.pick("规则", "rule"), report.rule_at, report.code);
        out.push_str(&fit(&text::escape(&rule_line), width));
        out.push('\n');
        if let Some(cite) = &report.cite {
            let label = format!("  {} ", lang.pick("依据", "source"));
            let indent = " ".repeat(UnicodeWidthStr::width(label.as_str()));
            let cite = text::message(cite, MESSAGE_LINE_CHARS, MESSAGE_LINES);
            for (i, line) in wrap(&cite, width.saturating_sub(indent.len()), "")
                .into_iter()
                .enumerate()
            {
                out.push_str(if i == 0 { &label } else { &indent });
                out.push_str(&line);
                out.push('\n');
            }
        }
        if self.layout.verbose {
            out.push_str(&self.excerpt(&self.handler, &report.rule));
        }
        // A blank line after each finding keeps one from running into the next.
        out.push('\n');
        out
    }

    fn paint(&self, severity: miette::Severity, text: &str) -> String {
        if !self.color {
            return text.to_owned();
        }
        let code = match severity {
            miette::Severity::Error => "1;31",
            miette::Severity::Warning => "1;33",
            miette::Severity::Advice => "1;36",
        };
        format!("\u{1b}[{code}m{text}\u{1b}[0m")
    }
}

/// Columns miette's gutter (` 123 │ `) and the cut marks take beside a source line.
const GUTTER: usize = 10;

/// `text` cut to `width` display columns, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    if UnicodeWidthStr::width(text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `text` wrapped to `width` display columns, each line after `indent`:
/// at a space when there is one late in the line (English), else anywhere
/// (Chinese has no spaces between words).
pub fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let room = width.saturating_sub(UnicodeWidthStr::width(indent)).max(8);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for c in paragraph.chars() {
            let w = UnicodeWidthChar::width(c).unwrap_or(0);
            if used + w > room {
                let mut rest = String::new();
                // Move an English word cut in two to the next line.
                let mid_word = c.is_ascii_alphanumeric() && line.ends_with(|l: char| l.is_ascii_alphanumeric());
                if let Some(space) = line.rfind(' ').filter(|&s| mid_word && s > 0) {
                    rest = line[space + 1..].to_owned();
                    line.truncate(space);
                } else {
                    // Kinsoku: a line never starts with closing punctuation
                    // nor ends with opening punctuation; a character moves
                    // down with it instead.
                    let mut moved = 0;
                    while moved < 4 && line.chars().count() > 1 {
                        let last = line.chars().next_back().unwrap_or(' ');
                        let next = rest.chars().next().unwrap_or(c);
                        if !(no_line_start(next) || no_line_end(last)) {
                            break;
                        }
                        line.pop();
                        rest.insert(0, last);
                        moved += 1;
                    }
                }
                lines.push(format!("{indent}{}", line.trim_end()));
                used = UnicodeWidthStr::width(rest.as_str());
                line = rest;
                if c == ' ' && line.is_empty() {
                    // A line never starts with the space it broke at.
                    continue;
                }
            }
            line.push(c);
            used += w;
        }
        lines.push(format!("{indent}{}", line.trim_end()));
    }
    lines
}

/// Punctuation that may not begin a line (closing marks, pauses and stops).
fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〉'
            | '》'
            | '〕'
            | '〗'
            | '”'
            | '’'
            | '…'
            | '·'
            | '・'
            | '％'
            | '‰'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
            | '%'
    )
}

/// Punctuation that may not end a line (opening marks).
fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '【' | '〈' | '《' | '〔' | '〖' | '“' | '‘' | '(' | '[' | '{'
    )
}

/// `绩效.项目[3].金额` as a reader counts: `绩效.项目（第4项）.金额`
/// (`(item 4)` in English). Only the human report renumbers; JSON, SARIF and
/// CSV keep the 0-based path.
pub fn reader_path(path: &str, lang: Lang) -> String {
    renumbered(path, lang, |_, _| None)
}

/// [`reader_path`] for a value of `doc`: an item that has a 序号 (when it is
/// not simply the item's number) or a 名称 also shows them, the name cut
/// short: `绩效.项目（第2项，电子政务办公平台建设）.金额`.
pub fn reader_path_in(doc: &Document, node: NodeId, path: &str, lang: Lang) -> String {
    // The list items the value lies in, outermost first: the path's `[n]` name
    // them in the same order.
    let mut items = Vec::new();
    let mut at = node;
    while let Some((parent, step)) = doc.node(at).parent {
        if let Step::Element(i) = step {
            items.push((at, u64::from(i)));
        }
        at = parent;
    }
    items.reverse();
    renumbered(path, lang, |k, index| {
        let &(item, i) = items.get(k)?;
        (i == index).then(|| item_details(doc, item, node, index + 1, lang))?
    })
}

/// Characters of an item's name shown beside its number.
const ITEM_NAME_COLUMNS: usize = 24;

/// `序号 5，电子政务办公平台建设` for an item with those keys, if any.
fn item_details(doc: &Document, item: NodeId, read: NodeId, number: u64, lang: Lang) -> Option<String> {
    let scalar = |key: &str| {
        // Not the value read itself: it is shown after the path anyway.
        let node = doc.get(item, key).filter(|&n| n != read)?;
        match doc.value(node) {
            NodeValue::Number(_) | NodeValue::String(_) | NodeValue::InvalidNumber(_) => {
                let text = doc.raw(node).trim_matches(['"', '\'']).trim();
                (!text.is_empty()).then(|| text::escape(text).into_owned())
            }
            _ => None,
        }
    };
    let mut parts = Vec::new();
    // A 序号 that only repeats the item's number says nothing new.
    if let Some(serial) = scalar("序号").filter(|s| *s != number.to_string()) {
        parts.push(format!("{} {serial}", lang.pick("序号", "no.")));
    }
    if let Some(name) = ["名称", "项目名称", "name"].iter().find_map(|key| scalar(key)) {
        parts.push(fit(&name, ITEM_NAME_COLUMNS));
    }
    (!parts.is_empty()).then(|| parts.join(lang.pick("，", ", ")))
}

/// `path` with each `[n]` written as the reader counts; `details(k, n)` may
/// add words about the `k`-th item of the path (0-based, outermost first).
fn renumbered(path: &str, lang: Lang, mut details: impl FnMut(usize, u64) -> Option<String>) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    let mut rest = path;
    let mut k = 0;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let index = after[..digits].parse::<u64>().ok();
        match (index, after[digits..].starts_with(']')) {
            (Some(index), true) => {
                out.push_str(&rest[..open]);
                let n = index.saturating_add(1);
                let more = details(k, index);
                match (lang, more) {
                    (Lang::Zh, None) => out.push_str(&format!("（第{n}项）")),
                    (Lang::Zh, Some(more)) => out.push_str(&format!("（第{n}项，{more}）")),
                    (Lang::En, None) => out.push_str(&format!(" (item {n})")),
                    (Lang::En, Some(more)) => out.push_str(&format!(" (item {n}, {more})")),
                }
                k += 1;
                rest = &after[digits + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The severity a finding is shown and filtered with: a violation's rule
/// severity; a finding that could not be evaluated is an error; missing data
/// and a skipped rule are warnings.
pub fn shown_severity(program: &Program, finding: &Finding) -> Severity {
    match finding.kind {
        FindingKind::Violation => finding.severity(program),
        FindingKind::Type | FindingKind::Arithmetic | FindingKind::Limit => Severity::Error,
        FindingKind::Missing | FindingKind::Skipped => Severity::Warning,
    }
}

/// A load error in a rule file, rendered with that file's text.
pub struct WithSource<'a> {
    pub inner: &'a dyn Diagnostic,
    pub source: DiagnosticSource,
}

impl fmt::Debug for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner.to_string(), f)
    }
}

impl fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for WithSource<'_> {}

impl Diagnostic for WithSource<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
}

struct FindingReport {
    /// Severity and kind, in the report's language: `错误`, `无法判定（缺数据）`.
    kind: String,
    code: String,
    title: String,
    severity: miette::Severity,
    message: String,
    cite: Option<String>,
    /// `@cn-budget/yoy.tally:16`
    rule_at: String,
    /// The assertion in its rule file (`--verbose`).
    rule: RuleSource,
    values: Vec<ValueReport>,
    hidden: usize,
}

struct RuleSource {
    title: String,
    severity: miette::Severity,
    source: DiagnosticSource,
    label: LabeledSpan,
}

#[derive(Clone)]
struct ValueReport {
    text: String,
    source: DiagnosticSource,
    label: LabeledSpan,
    severity: miette::Severity,
}

impl FindingReport {
    fn new(program: &Program, doc: &Document, finding: &Finding, lang: Lang) -> Self {
        let rule = &program.rules[finding.rule];
        let severity = match shown_severity(program, finding) {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        };
        let kind = match (finding.kind, lang) {
            (FindingKind::Violation, Lang::Zh) => match finding.severity(program) {
                Severity::Error => "错误",
                Severity::Warning => "警告",
                Severity::Info => "提示",
            },
            (FindingKind::Violation, Lang::En) => finding.severity(program).as_str(),
            (FindingKind::Missing, _) => lang.pick("无法判定（缺数据）", "indeterminate (data missing)"),
            (FindingKind::Skipped, _) => lang.pick("已跳过（缺输入文件）", "skipped (input absent)"),
            (FindingKind::Type, _) => lang.pick("无法计算（类型不符）", "not evaluated (type)"),
            (FindingKind::Arithmetic, _) => lang.pick("无法计算（算术错误）", "not evaluated (arithmetic)"),
            (FindingKind::Limit, _) => lang.pick("无法计算（步数超限）", "not evaluated (step limit)"),
        };
        let breaks_schema = program.schema.as_ref().is_some_and(|s| s.rule == finding.rule);
        let rule_label = match finding.kind {
            _ if breaks_schema => lang.pick("数据不符合的结构定义", "the schema the data does not match"),
            FindingKind::Violation => lang.pick("不成立的断言", "the assertion that does not hold"),
            FindingKind::Missing | FindingKind::Skipped => lang.pick("所需数据不存在", "needs data that is not there"),
            FindingKind::Type | FindingKind::Arithmetic => lang.pick("无法计算", "cannot be evaluated"),
            FindingKind::Limit => lang.pick("计算步数过多", "took too many steps"),
        };
        let mut order: Vec<usize> = (0..finding.values.len()).collect();
        // The primary value first, then the others in reading order.
        if let Some(p) = finding.primary {
            order.retain(|&i| i != p);
            order.insert(0, p);
        }
        let hidden = order.len().saturating_sub(SHOWN_VALUES);
        let values: Vec<ValueReport> = order
            .into_iter()
            .take(SHOWN_VALUES)
            .map(|i| {
                let read = &finding.values[i];
                let range = label_range(doc, read.node);
                let shown = crate::value::show(doc, &crate::value::Value::Data(read.node));
                let primary = Some(i) == finding.primary;
                let path = reader_path_in(doc, read.node, &clip(&read.path, PATH_CHARS), lang);
                ValueReport {
                    text: format!("{path} = {}", clip(&shown, VALUE_CHARS)),
                    // Each value in its own file: an input's values in the input.
                    source: doc.file_of(read.node).named_source(),
                    label: LabeledSpan::new_with_span(None, (range.start, range.len())),
                    severity: if primary { severity } else { miette::Severity::Advice },
                }
            })
            .collect();
        let rule_file = program.source(finding.span);
        let line = rule_file.location(finding.span.range().start).line;
        FindingReport {
            kind: kind.to_owned(),
            code: rule.id.to_string(),
            title: rule.title.to_string(),
            severity,
            message: finding.message.clone(),
            cite: rule.cite.as_ref().map(|c| c.to_string()),
            rule_at: format!("{}:{line}", rule_file.name()),
            rule: RuleSource {
                title: rule.id.to_string(),
                severity,
                source: rule_file.named_source(),
                label: LabeledSpan::new_primary_with_span(Some(rule_label.to_owned()), finding.span.source_span()),
            },
            values,
            hidden,
        }
    }
}

impl fmt::Debug for RuleSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Display for RuleSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for RuleSource {}

impl Diagnostic for RuleSource {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

impl fmt::Debug for ValueReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for ValueReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for ValueReport {}

impl Diagnostic for ValueReport {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

/// The part of a value to underline: all of a scalar, the first line of a map
/// or list (a whole table would bury the finding).
fn label_range(doc: &Document, node: crate::data::NodeId) -> std::ops::Range<usize> {
    let range = doc.byte_range(node);
    let text = &doc.file_of(node).text()[range.clone()];
    match text.find('\n') {
        Some(first_line) => range.start..range.start + text[..first_line].trim_end().len(),
        None => range,
    }
}

/// The run's total, in the report's language:
/// `共 2 个文件，42 条规则，180 个断言：通过 176，违规 3（错误 2，警告 1，提示 0），无法判定 1，无法计算 0`;
/// `2 files, 42 rules, 180 assertions: 176 passed, 3 violations (2 error, 1 warning, 0 info), 1 indeterminate, 0 errors`.
pub fn summary_line(summary: &Summary, lang: Lang) -> String {
    let c = &summary.counts;
    let [info, warning, error] = summary.by_severity;
    match lang {
        Lang::Zh => {
            let mut line = format!(
                "共 {} 个文件，{} 条规则，{} 个断言：通过 {}，违规 {}（错误 {error}，警告 {warning}，提示 {info}），无法判定 {}，无法计算 {}",
                summary.files, summary.rules, c.assertions, c.passed, c.violations, c.indeterminate, c.errors
            );
            if c.skipped > 0 {
                line.push_str(&format!("，跳过 {}", c.skipped));
            }
            if c.accepted > 0 {
                line.push_str(&format!("，已接受 {}", c.accepted));
            }
            line
        }
        Lang::En => {
            let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
            let mut line = format!(
                "{}, {}, {}: {} passed, {} ({error} error, {warning} warning, {info} info), {} indeterminate, {}",
                plural(summary.files, "file"),
                plural(summary.rules, "rule"),
                plural(c.assertions, "assertion"),
                c.passed,
                plural(c.violations, "violation"),
                c.indeterminate,
                plural(c.errors, "error"),
            );
            if c.skipped > 0 {
                line.push_str(&format!(", {} skipped", c.skipped));
            }
            if c.accepted > 0 {
                line.push_str(&format!(", {} accepted", c.accepted));
            }
            line
        }
    }
}

/// Before the total: findings of one rule in one file counted but not listed.
pub fn omitted_line(notice: &OmittedNotice, lang: Lang) -> String {
    let (file, rule) = (text::escape(&notice.file), text::escape(&notice.rule));
    let (count, most) = (notice.count, crate::eval::FINDINGS_KEPT);
    match lang {
        Lang::Zh => format!(
            "{file}：规则 {rule} 另有 {count} 个{}结果未列出（每个文件每条规则最多列出 {most} 个，均已计入合计）",
            kind_label(notice.kind, lang)
        ),
        Lang::En => format!(
            "{file}: rule {rule} has {count} more {} finding{} not listed (at most {most} of a rule are listed per file; all are counted)",
            kind_label(notice.kind, lang),
            if count == 1 { "" } else { "s" }
        ),
    }
}

fn kind_label(kind: FindingKind, lang: Lang) -> &'static str {
    match kind {
        FindingKind::Violation => lang.pick("违规", "violation"),
        FindingKind::Missing => lang.pick("无法判定", "indeterminate"),
        _ => lang.pick("无法计算", "error"),
    }
}

/// After the total: how many data files could not be checked.
pub fn not_checked_line(failed: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{failed} 个数据文件未能检查"),
        Lang::En => format!(
            "{failed} data file{} could not be checked",
            if failed == 1 { "" } else { "s" }
        ),
    }
}

/// The heading over one file's findings in a batch: `── path ──────`.
pub fn file_heading(path: &str, width: usize) -> String {
    let title = format!("── {} ", text::escape(path));
    let used = UnicodeWidthStr::width(title.as_str());
    fit(&format!("{title}{}", "─".repeat(width.saturating_sub(used))), width)
}

/// One file's findings in a line, after them:
/// `小计 path：通过 304/324；错误 4，警告 2，提示 2` (the counts of outcomes
/// that could not be decided only when there are any).
pub fn file_summary(program: &Program, file: &CheckedFile, lang: Lang, width: usize) -> String {
    let c = &file.result.counts;
    let mut by = [0usize; 3];
    for finding in file.result.findings.iter().filter(|f| f.kind == FindingKind::Violation) {
        by[finding.severity(program) as usize] += 1;
    }
    for omitted in file.result.omitted.iter().filter(|o| o.kind == FindingKind::Violation) {
        by[omitted.severity(program) as usize] += omitted.count;
    }
    let [info, warning, error] = by;
    let path = file.doc.source().name();
    let mut line = match lang {
        Lang::Zh => format!(
            "小计 {path}：通过 {}/{}；错误 {error}，警告 {warning}，提示 {info}",
            c.passed, c.assertions
        ),
        Lang::En => format!(
            "subtotal {path}: {}/{} passed; {error} error, {warning} warning, {info} info",
            c.passed, c.assertions
        ),
    };
    let undecided = [
        (c.indeterminate, lang.pick("无法判定", "indeterminate")),
        (c.errors, lang.pick("无法计算", "not evaluated")),
        (c.skipped, lang.pick("跳过", "skipped")),
        (c.accepted, lang.pick("已接受", "accepted")),
    ];
    for (n, label) in undecided.into_iter().filter(|(n, _)| *n > 0) {
        line.push_str(&match lang {
            Lang::Zh => format!("，{label} {n}"),
            Lang::En => format!(", {n} {label}"),
        });
    }
    wrap_clauses(&text::escape(&line), width).join("\n")
}

/// A line of counts wrapped to `width` between its clauses (after `，`, `；`,
/// `：` or `,`), so a label never ends a line without its number.
pub fn wrap_clauses(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut clause = String::new();
    let flush = |line: &mut String, clause: &mut String, lines: &mut Vec<String>| {
        if !line.is_empty() && UnicodeWidthStr::width(line.as_str()) + UnicodeWidthStr::width(clause.as_str()) > width {
            lines.push(std::mem::take(line).trim_end().to_owned());
        }
        // A new line never starts with the space it broke at.
        line.push_str(if line.is_empty() { clause.trim_start() } else { clause });
        clause.clear();
    };
    for c in text.chars() {
        clause.push(c);
        if matches!(c, '，' | '；' | '：' | ',' | ';' | ':') {
            flush(&mut line, &mut clause, &mut lines);
        }
    }
    flush(&mut line, &mut clause, &mut lines);
    lines.push(line.trim_end().to_owned());
    // A clause longer than the line is still cut to fit.
    lines.iter().flat_map(|l| wrap(l, width, "")).collect()
}

/// How a file's findings are ordered and headed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupBy {
    /// In the order of the file (the spec's order).
    #[default]
    File,
    /// By rule ID, a heading per rule.
    Rule,
    /// Errors first, then warnings, then info, a heading per severity.
    Severity,
}

/// Where a shown finding sorts and under which heading, when grouped.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupKey(usize, String);

/// One finding as printed: its group and its text.
#[derive(Clone, Debug)]
pub struct ShownFinding {
    pub key: GroupKey,
    /// The group's heading (none when findings are in file order).
    pub heading: Option<String>,
    pub text: String,
}

/// A file's findings at least `min` severe, in file order, each drawn by
/// `render` and labelled with its group.
pub fn shown_findings(
    program: &Program,
    findings: &[Finding],
    min: Severity,
    group: GroupBy,
    lang: Lang,
    mut render: impl FnMut(&Finding) -> String,
) -> Vec<ShownFinding> {
    findings
        .iter()
        .filter(|f| shown_severity(program, f) as usize >= min as usize)
        .map(|finding| {
            let (key, heading) = group_of(program, finding, group, lang);
            ShownFinding {
                key,
                heading,
                text: render(finding),
            }
        })
        .collect()
}

fn group_of(program: &Program, finding: &Finding, group: GroupBy, lang: Lang) -> (GroupKey, Option<String>) {
    let rule = &program.rules[finding.rule];
    match group {
        GroupBy::File => (GroupKey::default(), None),
        GroupBy::Rule => (
            GroupKey(0, rule.id.to_string()),
            Some(format!("{} {} — {}", lang.pick("规则", "rule"), rule.id, rule.title)),
        ),
        GroupBy::Severity => {
            let severity = shown_severity(program, finding);
            let heading = match (severity, lang) {
                (Severity::Error, Lang::Zh) => "【错误】",
                (Severity::Warning, Lang::Zh) => "【警告】",
                (Severity::Info, Lang::Zh) => "【提示】",
                (Severity::Error, Lang::En) => "[errors]",
                (Severity::Warning, Lang::En) => "[warnings]",
                (Severity::Info, Lang::En) => "[info]",
            };
            // Errors first.
            (GroupKey(2 - severity as usize, String::new()), Some(heading.to_owned()))
        }
    }
}

/// Findings of one file or of many (each with its file's name), as `group`
/// orders them: each group under its heading; within a group, the files in
/// run order, each under its own heading when `file_headings` (a batch).
pub fn grouped_text(mut shown: Vec<(&str, ShownFinding)>, file_headings: bool, width: usize) -> String {
    // A stable sort keeps the run's order (files, then each file's order) within a group.
    shown.sort_by(|a, b| a.1.key.cmp(&b.1.key));
    let mut counts: std::collections::HashMap<&GroupKey, usize> = std::collections::HashMap::new();
    for (_, finding) in &shown {
        *counts.entry(&finding.key).or_default() += 1;
    }
    let mut out = String::new();
    let mut last_group: Option<&GroupKey> = None;
    let mut last_file: Option<&str> = None;
    for (file, finding) in &shown {
        if finding.heading.is_some() && last_group != Some(&finding.key) {
            let heading = finding.heading.as_deref().unwrap_or_default();
            // `【错误】 12`: how many findings the group holds.
            let count = counts.get(&finding.key).copied().unwrap_or(0);
            out.push_str(&fit(&text::escape(&format!("{heading} ({count})")), width));
            out.push_str("\n\n");
            last_group = Some(&finding.key);
            last_file = None;
        }
        if file_headings && last_file != Some(file) {
            out.push_str(&file_heading(file, width));
            out.push_str("\n\n");
            last_file = Some(file);
        }
        out.push_str(&finding.text);
    }
    out
}

/// The line under a finding's values: how many more it read, and where they
/// are listed (at most [`VALUES_LISTED`] per finding).
fn more_values(hidden: usize, not_listed: usize, lang: Lang) -> String {
    let more = hidden + not_listed;
    match (lang, not_listed) {
        (Lang::Zh, 0) => format!("  另有 {more} 个数据值；--format json 列出全部"),
        (Lang::En, 0) => format!("  and {more} more values; --format json lists them all"),
        (Lang::Zh, _) => {
            format!("  另有 {more} 个数据值；--format json 列出其中 {hidden} 个（每个结果最多列出 {VALUES_LISTED} 个）")
        }
        (Lang::En, _) => format!(
            "  and {more} more values; --format json lists {hidden} of them (at most {VALUES_LISTED} per finding)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_count_items_from_one() {
        assert_eq!(reader_path("绩效.项目[3].金额", Lang::Zh), "绩效.项目（第4项）.金额");
        assert_eq!(reader_path("表[0][11]", Lang::En), "表 (item 1) (item 12)");
        assert_eq!(reader_path("键[x]", Lang::Zh), "键[x]");
    }

    #[test]
    fn items_show_their_serial_and_name() {
        let text =
            "项目:\n  - 序号: 7\n    名称: 电子政务办公平台建设后续运维资金\n    金额: 1\n  - 序号: 2\n    金额: 2\n";
        let doc = crate::input::load_text("t.yaml", text.to_owned()).expect("loads");
        let list = doc.get(doc.root(), "项目").unwrap();
        let first = doc.get(list_item(&doc, list, 0), "金额").unwrap();
        let second = doc.get(list_item(&doc, list, 1), "金额").unwrap();
        assert_eq!(
            reader_path_in(&doc, first, "项目[0].金额", Lang::Zh),
            "项目（第1项，序号 7，电子政务办公平台建设后…）.金额"
        );
        // A 序号 equal to the item's number is not repeated.
        assert_eq!(
            reader_path_in(&doc, second, "项目[1].金额", Lang::Zh),
            "项目（第2项）.金额"
        );
        assert_eq!(
            reader_path_in(&doc, first, "项目[0].金额", Lang::En),
            "项目 (item 1, no. 7, 电子政务办公平台建设后…).金额"
        );
        // The name itself is not repeated beside its own path.
        let name = doc.get(list_item(&doc, list, 0), "名称").unwrap();
        assert_eq!(
            reader_path_in(&doc, name, "项目[0].名称", Lang::Zh),
            "项目（第1项，序号 7）.名称"
        );
    }

    fn list_item(doc: &Document, list: NodeId, i: usize) -> NodeId {
        match doc.value(list) {
            NodeValue::List(items) => items[i],
            _ => panic!("a list"),
        }
    }

    #[test]
    fn text_fits_display_columns() {
        assert_eq!(fit("合计合计", 5), "合计…");
        assert_eq!(
            wrap("合计合计合计合计合计", 10, "  "),
            ["  合计合计", "  合计合计", "  合计"]
        );
        assert_eq!(wrap("within rounding now", 14, ""), ["within", "rounding now"]);
    }

    #[test]
    fn columns_overrides_the_terminal_and_a_pipe_gets_100() {
        assert_eq!(width_from(Some("120"), || Some(80)), 120);
        assert_eq!(width_from(None, || Some(80)), 80);
        assert_eq!(width_from(Some("wide"), || Some(132)), 132);
        assert_eq!(width_from(None, || None), 100);
        assert_eq!(width_from(Some("0"), || None), 100);
        assert_eq!(width_from(Some("20"), || None), 40);
    }

    #[test]
    fn counts_wrap_between_clauses() {
        assert_eq!(
            wrap_clauses("共 1 个文件：通过 304，无法判定 0，无法计算 0", 30),
            ["共 1 个文件：通过 304，", "无法判定 0，无法计算 0"]
        );
        assert_eq!(wrap_clauses("1 file, 2 rules", 80), ["1 file, 2 rules"]);
        assert_eq!(
            wrap_clauses("0 passed, 0 indeterminate, 0 errors", 26),
            ["0 passed, 0 indeterminate,", "0 errors"]
        );
    }

    #[test]
    fn chinese_lines_never_start_with_closing_punctuation() {
        // At 10 columns `，` would start the second line: `计` moves down with it.
        assert_eq!(wrap("合计合计合，计合计", 10, ""), ["合计合计", "合，计合计"]);
        assert_eq!(
            wrap("无法判定 0，无法计算 0", 10, ""),
            ["无法判定", "0，无法计", "算 0"]
        );
        // An opening bracket never ends a line.
        assert_eq!(wrap("合计合计（合计）", 10, ""), ["合计合计", "（合计）"]);
        for line in wrap(&"违规 3（错误 2，警告 1，提示 0），无法判定 0。".repeat(5), 17, "") {
            assert!(!line.starts_with(no_line_start), "{line}");
            assert!(!line.ends_with(no_line_end), "{line}");
        }
    }
}
