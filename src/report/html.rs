//! `--format html`: one self-contained page for the audit file. Inline CSS
//! and script, no URL of any kind, so it opens offline and fetches nothing.
//! Totals at the top; findings grouped by file, then severity; each with its
//! message, cite and the data lines around its values, the value marked;
//! filters by severity, tag and rule (also from the URL hash, e.g.
//! `#severity=error,warning&tag=三公经费&rule=支出构成`); a print stylesheet.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::ops::Range;

use super::rows::{escape_invisible, shown_value, Run};
use super::CheckedFile;
use crate::data::{Document, NodeId};
use crate::eval::{Finding, FindingKind};
use crate::resolve::{Program, Severity};

const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/filters.js");

/// Most severe first.
const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

/// Lines of data shown before and after the primary value, and another value.
const PRIMARY_CONTEXT: usize = 2;
const OTHER_CONTEXT: usize = 1;
/// The most lines of one value an excerpt shows.
const VALUE_LINES: usize = 8;
/// The most characters of a data line shown beside a marked value, each side;
/// and of a line with nothing marked.
const BESIDE_CAP: usize = 60;
const LINE_CAP: usize = 160;

/// The page of `run`, whose files' sections are `sections` (made by
/// [`file_section`] as each file is checked), in file order.
pub fn page(run: &Run, sections: &[String]) -> String {
    let mut html = String::with_capacity(64 * 1024);
    html.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        html,
        "<meta name=\"generator\" content=\"tally {}\">",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(html, "<title>审核报告 Audit report — {}</title>", esc(&file_list(run)));
    let _ = writeln!(html, "<style>\n{STYLE}</style>\n</head>\n<body>");
    totals(&mut html, run);
    filters(&mut html, run);
    html.push_str("<main>\n");
    for section in sections {
        html.push_str(section);
    }
    html.push_str("</main>\n");
    let _ = writeln!(
        html,
        "<footer>tally {} · 依据规则自动生成，结论需审核人员复核 Generated from the rules; \
         findings are for an auditor to review.</footer>",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(html, "<script>\n{SCRIPT}</script>\n</body>\n</html>");
    html
}

fn file_list(run: &Run) -> String {
    let names: Vec<&str> = run.files.iter().map(|f| f.name.as_str()).collect();
    match names.as_slice() {
        [] => "no file".to_owned(),
        [one] => (*one).to_owned(),
        [first, rest @ ..] => format!("{first} +{}", rest.len()),
    }
}

fn totals(html: &mut String, run: &Run) {
    let s = run.summary;
    let c = &s.counts;
    let findings: usize = run.files.iter().map(|f| f.findings.len()).sum();
    html.push_str("<header class=\"top\">\n<h1>审核报告 <span>Audit report</span></h1>\n");
    let _ = writeln!(
        html,
        "<p class=\"meta\">{} · {} 个文件 files · {} 条规则 rules · {} 项问题 findings</p>",
        esc(&file_list(run)),
        s.files,
        s.rules,
        findings
    );
    html.push_str("<dl class=\"totals\">\n");
    let cards: [(&str, &str, usize, &str); 8] = [
        ("断言", "assertions", c.assertions, ""),
        ("通过", "passed", c.passed, "passed"),
        (
            "违规",
            "violations",
            c.violations,
            if c.violations > 0 { "bad" } else { "" },
        ),
        (
            "无法判断",
            "indeterminate",
            c.indeterminate,
            if c.indeterminate > 0 { "bad" } else { "" },
        ),
        ("出错", "errors", c.errors, if c.errors > 0 { "bad" } else { "" }),
        ("跳过", "skipped", c.skipped, ""),
        ("已接受", "accepted", c.accepted, ""),
        (
            "未能检查的文件",
            "files not checked",
            run.failures.len(),
            if run.failures.is_empty() { "" } else { "bad" },
        ),
    ];
    for (zh, en, count, class) in cards {
        let _ = writeln!(
            html,
            "<div class=\"card {class}\"><dt>{zh} <span>{en}</span></dt><dd>{count}</dd></div>"
        );
    }
    html.push_str("</dl>\n<p class=\"by-severity\">违规按严重程度 violations by severity:");
    for severity in SEVERITIES {
        let _ = write!(
            html,
            " <span class=\"badge {0}\">{0} {1}</span> {2}",
            severity.as_str(),
            severity_zh(severity),
            s.by_severity[severity as usize]
        );
    }
    html.push_str("</p>\n");
    if !run.failures.is_empty() {
        html.push_str("<div class=\"problems\"><h2>未能检查的文件 Files that could not be checked</h2><ul>\n");
        for (file, message) in run.failures {
            let _ = writeln!(
                html,
                "<li><code>{}</code>: {}</li>",
                esc(file),
                esc(&escape_invisible(message))
            );
        }
        html.push_str("</ul></div>\n");
    }
    if !run.inputs_missing.is_empty() {
        html.push_str("<div class=\"problems\"><h2>输入文件不存在 Input files not found</h2>");
        html.push_str("<p>读取它们的断言已跳过 Assertions reading them were skipped.</p><ul>\n");
        for missing in run.inputs_missing {
            let _ = writeln!(html, "<li><code>{}</code></li>", esc(missing));
        }
        html.push_str("</ul></div>\n");
    }
    if !run.omitted.is_empty() {
        html.push_str("<div class=\"problems\"><h2>未列出的结果 Findings not listed</h2><ul>\n");
        for notice in run.omitted {
            let line = super::human::omitted_line(notice, super::human::Lang::En);
            let _ = writeln!(html, "<li>{}</li>", esc(&line));
        }
        html.push_str("</ul></div>\n");
    }
    html.push_str("</header>\n");
}

fn filters(html: &mut String, run: &Run) {
    let program = run.program;
    let all: Vec<usize> = run
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .map(|&(rule, _)| rule)
        .collect();
    html.push_str("<form id=\"filters\" class=\"filters\">\n<fieldset><legend>严重程度 severity</legend>\n");
    for severity in SEVERITIES {
        let count = all
            .iter()
            .filter(|&&rule| program.rules[rule].severity == severity)
            .count();
        let _ = writeln!(
            html,
            "<label><input type=\"checkbox\" name=\"severity\" value=\"{0}\" checked> \
             <span class=\"badge {0}\">{0} {1}</span> {2}</label>",
            severity.as_str(),
            severity_zh(severity),
            count
        );
    }
    html.push_str("</fieldset>\n<label>标签 tag <select name=\"tag\"><option value=\"\">全部 all</option>\n");
    let tags: BTreeSet<&str> = all
        .iter()
        .flat_map(|&rule| program.rules[rule].tags.iter().map(|t| &**t))
        .collect();
    for tag in tags {
        let _ = writeln!(html, "<option>{}</option>", esc(tag));
    }
    html.push_str("</select></label>\n<label>规则 rule <select name=\"rule\"><option value=\"\">全部 all</option>\n");
    let rules: BTreeSet<&str> = all.iter().map(|&rule| &*program.rules[rule].id).collect();
    for rule in rules {
        let _ = writeln!(html, "<option>{}</option>", esc(rule));
    }
    let _ = writeln!(
        html,
        "</select></label>\n<p class=\"shown\">显示 showing <output id=\"shown\">{0}</output> / {0}</p>\n</form>\n\
         <p id=\"filter-note\" class=\"filter-note\" hidden></p>",
        all.len()
    );
}

/// One file's section of the page: made on the worker that checked the
/// file, so the page never needs the document.
pub fn file_section(program: &Program, file: &CheckedFile) -> String {
    let mut html = String::new();
    write_file_section(&mut html, program, file);
    html
}

fn write_file_section(html: &mut String, program: &Program, file: &CheckedFile) {
    let doc = &file.doc;
    let findings = &file.result.findings;
    let _ = writeln!(
        html,
        "<section class=\"file\" data-file=\"{}\">\n<h2><code>{}</code> <span class=\"count\">{} 项问题 findings</span></h2>",
        esc(doc.name()),
        esc(doc.name()),
        findings.len()
    );
    if findings.is_empty() {
        let c = file.result.counts;
        let _ = writeln!(
            html,
            "<p class=\"clean\">无问题 No findings: {} 条断言 assertions, {} 通过 passed, {} 跳过 skipped, {} 已接受 accepted.</p>",
            c.assertions, c.passed, c.skipped, c.accepted
        );
    }
    for severity in SEVERITIES {
        let group: Vec<&Finding> = findings
            .iter()
            .filter(|f| program.rules[f.rule].severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(
            html,
            "<section class=\"group\" data-severity=\"{0}\">\n<h3><span class=\"badge {0}\">{0} {1}</span> \
             <span class=\"count\">{2}</span></h3>",
            severity.as_str(),
            severity_zh(severity),
            group.len()
        );
        for finding in group {
            finding_article(html, program, doc, finding);
        }
        html.push_str("</section>\n");
    }
    html.push_str("</section>\n");
}

fn finding_article(html: &mut String, program: &Program, doc: &Document, finding: &Finding) {
    let rule = &program.rules[finding.rule];
    let tags: Vec<&str> = rule.tags.iter().map(|t| &**t).collect();
    let _ = writeln!(
        html,
        "<article class=\"finding\" data-severity=\"{}\" data-rule=\"{}\" data-tags=\"{}\" data-kind=\"{}\">",
        rule.severity.as_str(),
        esc(&rule.id),
        esc(&tags.join(" ")),
        finding.kind.as_str()
    );
    let _ = write!(
        html,
        "<h4><span class=\"badge {0}\">{0}</span> <code class=\"rule\">{1}</code> <span class=\"title\">{2}</span>",
        rule.severity.as_str(),
        esc(&rule.id),
        esc(&rule.title)
    );
    if finding.kind != FindingKind::Violation {
        let _ = write!(
            html,
            " <span class=\"kind\">{} {}</span>",
            finding.kind.as_str(),
            kind_zh(finding.kind)
        );
    }
    html.push_str("</h4>\n");
    let _ = writeln!(
        html,
        "<p class=\"message\">{}</p>",
        esc(&escape_invisible(&finding.message))
    );
    if let Some(cite) = &rule.cite {
        let _ = writeln!(html, "<p class=\"cite\">依据 cite: {}</p>", esc(cite));
    }
    if let Some(read) = finding.primary_value() {
        value_figure(html, doc, read.node, &read.path, PRIMARY_CONTEXT);
    }
    let others: Vec<_> = (0..finding.values.len())
        .filter(|&i| Some(i) != finding.primary)
        .map(|i| &finding.values[i])
        .collect();
    if !others.is_empty() {
        let _ = writeln!(
            html,
            "<details class=\"others\"><summary>断言读取的其他值 Other values the assertion read ({})</summary>",
            others.len()
        );
        for read in others {
            value_figure(html, doc, read.node, &read.path, OTHER_CONTEXT);
        }
        if finding.values_not_listed > 0 {
            let _ = writeln!(
                html,
                "<p class=\"not-listed\">另有 {n} 个值未列出（每个结果最多列出 {max} 个） \
                 {n} more values not listed (at most {max} per finding)</p>",
                n = finding.values_not_listed,
                max = crate::eval::VALUES_LISTED
            );
        }
        html.push_str("</details>\n");
    }
    let rule_source = program.source(finding.statement);
    let at = rule_source.location(finding.statement.start as usize);
    let tag_list: String = tags
        .iter()
        .map(|t| format!(" <span class=\"tag\">{}</span>", esc(t)))
        .collect();
    let _ = writeln!(
        html,
        "<p class=\"where\">规则 rule: <code>{}:{}:{}</code>{tag_list}</p>\n</article>",
        esc(rule_source.name()),
        at.line,
        at.column
    );
}

/// A value's path, text and place, over the data lines around it.
fn value_figure(html: &mut String, doc: &Document, node: NodeId, path: &str, context: usize) {
    let at = doc.location(node);
    let _ = writeln!(
        html,
        "<figure class=\"value\"><figcaption><code>{}</code> = <mark>{}</mark> <span class=\"at\">{}:{}:{}</span></figcaption>",
        esc(path),
        esc(&shown_value(doc.raw(node))),
        esc(doc.file_of(node).name()),
        at.line,
        at.column
    );
    let _ = writeln!(
        html,
        "<pre class=\"excerpt\">{}</pre></figure>",
        excerpt(doc, node, context)
    );
}

/// The data lines around a value, numbered, the value in `<mark>`.
fn excerpt(doc: &Document, node: NodeId, context: usize) -> String {
    let file = doc.file_of(node);
    let value = doc.byte_range(node);
    let first = file.location(value.start).line;
    let last = file
        .location(value.end.saturating_sub(1).max(value.start))
        .line
        .min(first + VALUE_LINES - 1);
    let from = first.saturating_sub(context).max(1);
    let to = (last + context).min(file.line_count());
    let mut html = String::new();
    for n in from..=to {
        let start = file.line_start(n);
        let text = file.line_text(n);
        let end = start + text.len();
        let mark = (first..=last).contains(&n).then(|| {
            let a = value.start.clamp(start, end);
            let b = value.end.clamp(a, end);
            a - start..b - start
        });
        let class = if mark.is_some() { "line hit" } else { "line" };
        // Each line is a block: no line break between them.
        let _ = write!(
            html,
            "<span class=\"{class}\"><span class=\"ln\">{n}</span>{}</span>",
            line_html(text, mark)
        );
    }
    if last < file.location(value.end.saturating_sub(1).max(value.start)).line {
        html.push_str("<span class=\"line\"><span class=\"ln\">⋮</span></span>");
    }
    html
}

fn line_html(text: &str, mark: Option<Range<usize>>) -> String {
    match mark {
        None => esc(&escape_invisible(&clip_end(text, LINE_CAP))),
        Some(mark) => format!(
            "{}<mark>{}</mark>{}",
            esc(&escape_invisible(&clip_start(&text[..mark.start], BESIDE_CAP))),
            esc(&shown_value(&text[mark.clone()])),
            esc(&escape_invisible(&clip_end(&text[mark.end..], BESIDE_CAP)))
        ),
    }
}

/// The first `cap` characters of `text`, then `…` if there were more.
fn clip_end(text: &str, cap: usize) -> String {
    match text.char_indices().nth(cap) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// `…` if `text` is longer than `cap` characters, then its last `cap`.
fn clip_start(text: &str, cap: usize) -> String {
    match text.char_indices().rev().nth(cap.saturating_sub(1)) {
        Some((cut, _)) if cut > 0 => format!("…{}", &text[cut..]),
        _ => text.to_owned(),
    }
}

/// Text for HTML content and quoted attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Hidden characters are shown, whatever the text (spec §15).
            c => crate::text::push_escaped(&mut out, c),
        }
    }
    out
}

fn severity_zh(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

fn kind_zh(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Violation => "违规",
        FindingKind::Missing => "数据缺失，无法判断",
        FindingKind::Type | FindingKind::Arithmetic => "规则或数据出错",
        FindingKind::Limit => "超出计算上限",
        FindingKind::Skipped => "跳过",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn long_lines_are_clipped_around_the_mark() {
        let line = format!("{}: 211.99 {}", "键".repeat(100), "注".repeat(100));
        let start = line.find("211.99").unwrap();
        let html = line_html(&line, Some(start..start + 6));
        assert!(html.contains("<mark>211.99</mark>"));
        assert_eq!(html.chars().filter(|&c| c == '键').count(), BESIDE_CAP - 2);
        assert!(html.starts_with('…') && html.ends_with('…'));
        assert_eq!(clip_start("abc", 5), "abc");
        assert_eq!(clip_start("abcdef", 3), "…def");
        assert_eq!(clip_end("abcdef", 3), "abc…");
    }
}
