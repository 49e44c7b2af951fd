//! Regression suites (`tally test`, spec §9): data files annotated with the
//! findings they must produce, matched line by line.

use std::collections::BTreeSet;

use crate::data::Document;
use crate::eval::{DocumentResult, Finding};
use crate::report::snippet::{MESSAGE_LINES, MESSAGE_LINE_CHARS};
use crate::resolve::Program;
use crate::text;

/// `# expect: A, B` — a finding of each rule must read a value on `line`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// The data line the finding must point at (1-based).
    pub line: usize,
    pub rule: String,
    /// Where the annotation is written (1-based).
    pub written_at: usize,
}

/// What a case's comments ask for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Annotations {
    pub expectations: Vec<Expectation>,
    /// `# expect-none`: the case must produce no finding at all.
    pub expect_none: Option<usize>,
}

/// Reads the annotations of a YAML/JSON case. A trailing `# expect:` applies to
/// its own line; one on a line of its own applies to the next line that is
/// neither blank nor a comment.
pub fn annotations(text: &str) -> Annotations {
    let lines: Vec<&str> = crate::syntax::lexicon::lines(text).collect();
    let next = next_content_lines(&lines);
    let mut found = Annotations::default();
    for (i, line) in lines.iter().enumerate() {
        let Some(start) = comment_start(line) else {
            continue;
        };
        let comment = line[start + 1..].trim();
        let own_line = line[..start].trim().is_empty();
        if comment.starts_with("expect-none") {
            found.expect_none.get_or_insert(i + 1);
            continue;
        }
        let Some(ids) = comment.strip_prefix("expect:") else {
            continue;
        };
        let target = annotated_line(&next, i, own_line);
        for id in ids.split(',').map(str::trim).filter(|id| !id.is_empty()) {
            found.expectations.push(Expectation {
                line: target,
                rule: id.to_owned(),
                written_at: i + 1,
            });
        }
    }
    found
}

/// `# input: NAME=PATH` lines among the comments at the top of a case
/// (spec §12): the `NAME=PATH` texts, paths still relative to the case.
pub fn case_inputs(text: &str) -> Vec<String> {
    crate::syntax::lexicon::lines(text)
        .map(str::trim)
        .take_while(|l| l.is_empty() || l.starts_with('#'))
        .filter_map(|l| l.strip_prefix('#')?.trim().strip_prefix("input:"))
        .map(|rest| rest.trim().to_owned())
        .collect()
}

/// For each 0-based line, the 1-based number of the next line after it that
/// is neither blank nor a comment: computed once, from the end, so a file of
/// many comment lines costs no more than its length.
pub(crate) fn next_content_lines(lines: &[&str]) -> Vec<Option<usize>> {
    let mut next = vec![None; lines.len()];
    let mut after = None;
    for (i, line) in lines.iter().enumerate().rev() {
        next[i] = after;
        let t = line.trim_start();
        if !t.is_empty() && !t.starts_with('#') {
            after = Some(i + 1);
        }
    }
    next
}

/// The 1-based line an annotation on 0-based line `i` speaks of: its own
/// line, or, for a comment alone on its line, the next line that is neither
/// blank nor a comment (`# expect:` and `# tally-allow:` alike). `next` is
/// [`next_content_lines`] of the file.
pub(crate) fn annotated_line(next: &[Option<usize>], i: usize, own_line: bool) -> usize {
    if !own_line {
        return i + 1;
    }
    next[i].unwrap_or(i + 1)
}

/// The byte offset of the `#` that starts a comment, outside quotes.
pub(crate) fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some('"') if c == '"' && previous != '\\' => quote = None,
            Some('\'') if c == '\'' => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return Some(i),
            None => {}
        }
        previous = c;
    }
    None
}

/// One way a case failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// An annotation no finding meets (a false negative).
    Missed { line: usize, rule: String },
    /// A finding no annotation expects (a false positive).
    Unexpected {
        line: Option<usize>,
        rule: String,
        kind: &'static str,
        message: String,
    },
    /// An annotation naming a rule that is not loaded, with a did-you-mean.
    UnknownRule {
        line: usize,
        rule: String,
        hint: Option<String>,
    },
    /// `# expect-none` in a case that also expects findings.
    Contradiction { line: usize },
    /// Findings of a rule past the most listed per file
    /// ([`crate::eval::FINDINGS_KEPT`]): counted, so the case cannot check them.
    Omitted { rule: String, count: usize },
}

impl Mismatch {
    /// The case line it is about, for sorting and showing.
    pub fn line(&self) -> usize {
        match self {
            Mismatch::Missed { line, .. } | Mismatch::UnknownRule { line, .. } | Mismatch::Contradiction { line } => {
                *line
            }
            Mismatch::Unexpected { line, .. } => line.unwrap_or(0),
            Mismatch::Omitted { .. } => 0,
        }
    }
}

/// Compares what a case produced with what it expects.
pub fn compare(program: &Program, doc: &Document, result: &DocumentResult, wanted: &Annotations) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    if let (Some(line), false) = (wanted.expect_none, wanted.expectations.is_empty()) {
        mismatches.push(Mismatch::Contradiction { line });
    }
    // Values read from an input file are not on the case's lines.
    let lines_of = |f: &Finding| -> BTreeSet<usize> {
        f.values
            .iter()
            .filter(|v| doc.is_own(v.node))
            .map(|v| doc.location(v.node).line)
            .collect()
    };
    let rule_id = |f: &Finding| &*program.rules[f.rule].id;
    for e in &wanted.expectations {
        if program.rule(&e.rule).is_none() {
            mismatches.push(Mismatch::UnknownRule {
                line: e.written_at,
                rule: e.rule.clone(),
                hint: crate::resolve::suggest(&e.rule, program.rules.iter().map(|r| &*r.id)),
            });
        } else if !result
            .findings
            .iter()
            .any(|f| rule_id(f) == e.rule && lines_of(f).contains(&e.line))
        {
            mismatches.push(Mismatch::Missed {
                line: e.line,
                rule: e.rule.clone(),
            });
        }
    }
    for f in &result.findings {
        let lines = lines_of(f);
        let expected = wanted
            .expectations
            .iter()
            .any(|e| e.rule == rule_id(f) && lines.contains(&e.line));
        if !expected {
            mismatches.push(Mismatch::Unexpected {
                line: f
                    .primary_value()
                    .filter(|v| doc.is_own(v.node))
                    .or(f.values.iter().find(|v| doc.is_own(v.node)))
                    .map(|v| doc.location(v.node).line),
                rule: rule_id(f).to_owned(),
                kind: f.kind.as_str(),
                message: f.message.clone(),
            });
        }
    }
    for omitted in &result.omitted {
        let rule = program.rules[omitted.rule].id.to_string();
        match mismatches
            .iter_mut()
            .find(|m| matches!(m, Mismatch::Omitted { rule: r, .. } if *r == rule))
        {
            Some(Mismatch::Omitted { count, .. }) => *count += omitted.count,
            _ => mismatches.push(Mismatch::Omitted {
                rule,
                count: omitted.count,
            }),
        }
    }
    mismatches.sort_by_key(Mismatch::line);
    mismatches
}

/// Characters of a case's line shown under a mismatch.
const SOURCE_LINE_CHARS: usize = 120;

/// A failing case as a block of text, each mismatch shown against its line.
pub fn render_failure(name: &str, doc: &Document, mismatches: &[Mismatch]) -> String {
    let mut out = format!("FAIL {}\n", text::escape(name));
    let source = doc.source();
    let width = source.line_count().to_string().len();
    for m in mismatches {
        let (line, what) = match m {
            Mismatch::Missed { line, rule } => (Some(*line), format!("line {line}: expected {rule}, no finding")),
            Mismatch::Contradiction { line } => (
                Some(*line),
                format!("line {line}: `# expect-none`, but the case also has `# expect:` annotations"),
            ),
            Mismatch::UnknownRule { line, rule, hint } => (
                Some(*line),
                format!(
                    "line {line}: annotation names `{rule}`, which is not a loaded rule{}",
                    hint.as_deref().map(|h| format!("; {h}")).unwrap_or_default()
                ),
            ),
            Mismatch::Unexpected {
                line,
                rule,
                kind,
                message,
            } => (
                *line,
                match line {
                    Some(l) => format!("line {l}: unexpected {rule} ({kind}): {message}"),
                    None => format!("unexpected {rule} ({kind}), at no data line: {message}"),
                },
            ),
            Mismatch::Omitted { rule, count } => (
                None,
                format!(
                    "{rule}: {count} more findings not listed (at most {} of a rule per file): a case cannot check them",
                    crate::eval::FINDINGS_KEPT
                ),
            ),
        };
        out.push_str(&format!(
            "  {}\n",
            text::message(&what, MESSAGE_LINE_CHARS, MESSAGE_LINES)
        ));
        if let Some(line) = line {
            let shown = text::shown(source.line_text(line), SOURCE_LINE_CHARS);
            out.push_str(&format!("  {line:>width$} │ {shown}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_and_own_line_annotations() {
        let text = "a:\n  b: 1  # expect: X, Y\n# expect: Z\n\n  # a comment\n  c: 2\nd: \"# expect: W\"\n";
        let found = annotations(text);
        let got: Vec<(usize, &str)> = found.expectations.iter().map(|e| (e.line, e.rule.as_str())).collect();
        assert_eq!(got, vec![(2, "X"), (2, "Y"), (6, "Z")]);
        assert_eq!(found.expect_none, None);
    }

    #[test]
    fn expect_none_anywhere() {
        assert_eq!(annotations("a: 1\n# expect-none\n").expect_none, Some(2));
    }
}
