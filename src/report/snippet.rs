//! What miette is handed to draw a diagnostic: never the whole file, but a
//! small excerpt of the lines around each label, each line cut around its
//! label with `…` and its hidden characters escaped, the labels moved onto the
//! excerpt, and the true line numbers and columns kept. So no label column is
//! ever huge (miette panics past 65,535), no output line is enormous, and a
//! finding costs the same wherever its value sits in the file.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use unicode_width::UnicodeWidthChar;

use crate::text::{self, push_escaped};

/// Display columns of a source line shown by default; a longer line is cut
/// around its label. [`Excerpted::with_columns`] narrows it to a terminal.
const LINE_COLUMNS: usize = 200;
/// Lines of a label that spans many (the rest of it is not drawn).
const LABEL_LINES: usize = 12;
/// Characters of a label's own text.
const LABEL_TEXT_CHARS: usize = 120;
/// Characters per line, and lines, of a message or help text.
pub const MESSAGE_LINE_CHARS: usize = 400;
pub const MESSAGE_LINES: usize = 40;

/// A diagnostic as it is drawn: its texts escaped and capped, its snippet an
/// excerpt (see the module comment). Related diagnostics are excerpted too.
pub struct Excerpted<'a> {
    inner: &'a dyn Diagnostic,
    message: String,
    code: Option<String>,
    help: Option<String>,
    snippet: Option<Snippet>,
    labels: Vec<LabeledSpan>,
    related: Vec<Excerpted<'a>>,
}

impl<'a> Excerpted<'a> {
    pub fn new(inner: &'a dyn Diagnostic) -> Self {
        Self::with_columns(inner, LINE_COLUMNS)
    }

    /// As [`Excerpted::new`], each source line cut to `columns` display
    /// columns (a CJK character is two) so the box never wraps.
    pub fn with_columns(inner: &'a dyn Diagnostic, columns: usize) -> Self {
        let columns = columns.max(16);
        let readable = |t: String| text::message(&t, MESSAGE_LINE_CHARS, MESSAGE_LINES);
        let (snippet, labels) = match (inner.source_code(), inner.labels()) {
            (Some(source), Some(labels)) => {
                let (snippet, labels) = Snippet::build(source, labels.collect(), columns);
                (Some(snippet), labels)
            }
            _ => (None, Vec::new()),
        };
        Excerpted {
            inner,
            message: readable(inner.to_string()),
            code: inner.code().map(|c| readable(c.to_string())),
            help: inner.help().map(|h| readable(h.to_string())),
            snippet,
            labels,
            related: inner
                .related()
                .map(|related| related.map(|r| Excerpted::with_columns(r, columns)).collect())
                .unwrap_or_default(),
        }
    }
}

impl fmt::Debug for Excerpted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Excerpted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Excerpted<'_> {}

impl Diagnostic for Excerpted<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code.as_ref().map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

/// The excerpt: runs of consecutive source lines ("stretches", one per group
/// of nearby labels), one after another, each knowing its first line number.
#[derive(Debug)]
pub struct Snippet {
    name: Option<String>,
    text: String,
    stretches: Vec<Stretch>,
    /// The true 0-based column (in characters) of each label start, by its
    /// offset in the excerpt: the `file:line:column` header shows it.
    columns: Vec<(usize, usize)>,
}

#[derive(Debug)]
struct Stretch {
    /// 0-based line number of the first line in the source.
    first_line: usize,
    /// Offsets in the excerpt where each line starts; the stretch ends at `end`.
    line_starts: Vec<usize>,
    end: usize,
}

/// Labels whose context lines touch, read from the source as one stretch.
struct Group<'s> {
    contents: Box<dyn SpanContents<'s> + 's>,
    start: usize,
    end: usize,
    labels: Vec<LabeledSpan>,
}

impl Snippet {
    /// The excerpt for `labels` (byte offsets into `source`), and the labels
    /// moved onto it. A label the source cannot read is left out.
    fn build(source: &dyn SourceCode, mut labels: Vec<LabeledSpan>, columns: usize) -> (Snippet, Vec<LabeledSpan>) {
        labels.sort_by_key(|l| l.offset());
        let mut groups: Vec<Group<'_>> = Vec::new();
        for label in labels {
            let Some((label, contents)) = read_label(source, label) else {
                continue;
            };
            if let Some(last) = groups.last_mut() {
                if last.contents.line() + last.contents.line_count() >= contents.line() {
                    let end = last.end.max(label.offset() + label.len());
                    if let Ok(joined) = source.read_span(&(last.start, end - last.start).into(), 1, 1) {
                        last.contents = joined;
                        last.end = end;
                        last.labels.push(label);
                        continue;
                    }
                }
            }
            groups.push(Group {
                start: label.offset(),
                end: label.offset() + label.len(),
                contents,
                labels: vec![label],
            });
        }
        let mut snippet = Snippet {
            name: None,
            text: String::new(),
            stretches: Vec::new(),
            columns: Vec::new(),
        };
        let mut moved = Vec::new();
        for group in &groups {
            if snippet.name.is_none() {
                snippet.name = group.contents.name().map(|n| text::escape(n).into_owned());
            }
            moved.extend(snippet.add(group, columns));
        }
        (snippet, moved)
    }

    /// Appends the lines of `group`, cut and escaped; returns its labels moved.
    fn add(&mut self, group: &Group<'_>, columns: usize) -> Vec<LabeledSpan> {
        // `from_utf8` first: it is many times faster than the lossy decoder on
        // a long line, and Tally's sources are always valid UTF-8.
        let data = match std::str::from_utf8(group.contents.data()) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(group.contents.data()),
        };
        let base = group.contents.span().offset();
        // Every label start and end, as (source offset, excerpt offset).
        let mut points: Vec<(usize, usize)> = group
            .labels
            .iter()
            .flat_map(|l| [l.offset(), l.offset() + l.len()])
            .map(|p| (p, 0))
            .collect();
        let starts: Vec<usize> = group.labels.iter().map(|l| l.offset()).collect();
        let mut stretch = Stretch {
            first_line: group.contents.line(),
            line_starts: Vec::new(),
            end: 0,
        };
        let mut line_start = 0;
        let lines: Vec<&str> = if data.is_empty() {
            vec![""]
        } else {
            data.split_inclusive('\n').collect()
        };
        let count = lines.len();
        for (n, raw) in lines.into_iter().enumerate() {
            let next_start = line_start + raw.len();
            let line = raw.trim_end_matches('\n').trim_end_matches('\r');
            let (from, to) = (base + line_start, base + next_start);
            let last = n + 1 == count;
            let on_line = |p: usize| from <= p && (p < to || (last && p == to));
            // Cut around the first label that starts on this line.
            let anchor = starts
                .iter()
                .copied()
                .filter(|&p| on_line(p))
                .min()
                .map_or(0, |p| p - from);
            let mut local: Vec<usize> = points
                .iter()
                .filter(|(p, _)| on_line(*p))
                .map(|(p, _)| (p - from).min(line.len()))
                .collect();
            local.push(anchor.min(line.len()));
            stretch.line_starts.push(self.text.len());
            let offset = self.text.len();
            let (mapped, anchor_column) = cut_line(&mut self.text, line, anchor.min(line.len()), &local, columns);
            self.text.push('\n');
            for (p, to_offset) in points.iter_mut().filter(|(p, _)| on_line(*p)) {
                let local_p = (*p - from).min(line.len());
                let i = local.iter().position(|&q| q == local_p).expect("point listed");
                *to_offset = offset + mapped[i];
            }
            for &s in starts.iter().filter(|&&s| on_line(s)) {
                let at = points.iter().find(|(p, _)| *p == s).expect("start listed").1;
                let column = if s - from == anchor {
                    anchor_column
                } else {
                    line[..floor_boundary(line, s - from)].chars().count()
                };
                self.columns.push((at, column));
            }
            line_start = next_start;
        }
        stretch.end = self.text.len();
        self.stretches.push(stretch);
        self.moved_labels(group, &points)
    }

    /// `group`'s labels over the excerpt: each label's start and end moved to
    /// where [`Self::add`] put them (`points`: source offset → excerpt offset).
    fn moved_labels(&self, group: &Group<'_>, points: &[(usize, usize)]) -> Vec<LabeledSpan> {
        let moved_point = |p: usize| points.iter().find(|(q, _)| *q == p).map_or(0, |m| m.1);
        group
            .labels
            .iter()
            .map(|l| {
                let start = moved_point(l.offset());
                let mut end = moved_point(l.offset() + l.len()).max(start);
                if end == start && !l.is_empty() {
                    // A label over a line break alone still covers one character.
                    end += self.text[start..].chars().next().map_or(0, char::len_utf8);
                }
                let label = l.label().map(|t| text::message(t, LABEL_TEXT_CHARS, 3));
                if l.primary() {
                    LabeledSpan::new_primary_with_span(label, (start, end - start))
                } else {
                    LabeledSpan::new_with_span(label, (start, end - start))
                }
            })
            .collect()
    }
}

/// Reads a label's lines with one line of context; a label spanning more than
/// [`LABEL_LINES`] lines is shortened to its first ones.
fn read_label(source: &dyn SourceCode, label: LabeledSpan) -> Option<(LabeledSpan, Box<dyn SpanContents<'_> + '_>)> {
    let contents = source.read_span(label.inner(), 1, 1).ok()?;
    let base = contents.span().offset();
    let data = contents.data();
    let within =
        label.offset().saturating_sub(base)..(label.offset() + label.len()).saturating_sub(base).min(data.len());
    let cut = data.get(within.clone()).and_then(|d| {
        d.iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .nth(LABEL_LINES - 1)
            .map(|(i, _)| i)
    });
    match cut {
        None => Some((label, contents)),
        Some(i) => {
            let short = LabeledSpan::new_with_span(label.label().map(str::to_owned), (label.offset(), i));
            let short = if label.primary() {
                LabeledSpan::new_primary_with_span(short.label().map(str::to_owned), *short.inner())
            } else {
                short
            };
            let contents = source.read_span(short.inner(), 1, 1).ok()?;
            Some((short, contents))
        }
    }
}

/// Appends `line` to `out`, escaped, cut to `columns` around byte
/// `anchor`. Returns where each of `points` (bytes of `line`) landed, relative
/// to the line's start in `out`, and the character column of `anchor`. Only
/// the window is walked character by character, so a megabyte-long line costs
/// little more than a short one.
fn cut_line(out: &mut String, line: &str, anchor: usize, points: &[usize], columns: usize) -> (Vec<usize>, usize) {
    let anchor = floor_boundary(line, anchor);
    let anchor_column = line[..anchor].chars().count();
    let (from, to) = window(line, anchor, columns);
    let start = out.len();
    if from > 0 {
        out.push('…');
    }
    // Where each character of the window, and its end, lands.
    let mut landed = Vec::with_capacity(to - from + 1);
    let mut byte_of_char = Vec::with_capacity(to - from + 1);
    for (b, c) in line[from..to].char_indices() {
        byte_of_char.push(from + b);
        landed.push(out.len() - start);
        push_escaped(out, c);
    }
    byte_of_char.push(to);
    landed.push(out.len() - start);
    if to < line.len() {
        out.push('…');
    }
    let end = out.len() - start;
    let mapped = points
        .iter()
        .map(|&p| {
            if p < from {
                0
            } else if p > to {
                end
            } else {
                // The character holding `p` (a boundary, or inside a character).
                landed[byte_of_char.partition_point(|&b| b <= p) - 1]
            }
        })
        .collect();
    (mapped, anchor_column)
}

/// The bytes of `line` shown: all of it when it fits in `columns`, else
/// `columns` less two (for the `…` marks) starting a third of them before
/// `anchor` (earlier where the line ends soon after it). Widths are display
/// columns; only the window is walked, so a huge line costs little.
fn window(line: &str, anchor: usize, columns: usize) -> (usize, usize) {
    let width = |c: char| UnicodeWidthChar::width(c).unwrap_or(0).max(1);
    let mut total = 0;
    if line.chars().all(|c| {
        total += width(c);
        total <= columns
    }) {
        return (0, line.len());
    }
    let budget = columns.saturating_sub(2).max(1);
    // Back from `anchor` by up to a third of the budget.
    let mut from = anchor;
    let mut used = 0;
    for (i, c) in line[..anchor].char_indices().rev() {
        if used + width(c) > budget / 3 {
            break;
        }
        used += width(c);
        from = i;
    }
    let forward = |from: usize, mut used: usize| {
        let mut to = from;
        for (i, c) in line[from..].char_indices() {
            if used + width(c) > budget {
                break;
            }
            used += width(c);
            to = from + i + c.len_utf8();
        }
        (to, used)
    };
    let (to, shown) = forward(from, 0);
    if to == line.len() {
        // The line ends within the budget: show more before the anchor.
        let mut used = shown;
        for (i, c) in line[..from].char_indices().rev() {
            if used + width(c) > budget {
                break;
            }
            used += width(c);
            from = i;
        }
    }
    (from, to)
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let offset = span.offset();
        let mut begin = 0;
        let stretch = self
            .stretches
            .iter()
            .find(|s| {
                let found = begin <= offset && offset < s.end;
                begin = s.end;
                found
            })
            .ok_or(MietteError::OutOfBounds)?;
        let end = (offset + span.len()).min(stretch.end - 1);
        let line_of = |at: usize| stretch.line_starts.partition_point(|&s| s <= at) - 1;
        let (first_of_span, last_of_span) = (line_of(offset), line_of(end.saturating_sub(1).max(offset)));
        let first = first_of_span.saturating_sub(context_lines_before);
        let last = (last_of_span + context_lines_after).min(stretch.line_starts.len() - 1);
        let data_start = stretch.line_starts[first];
        let data_end = stretch.line_starts.get(last + 1).copied().unwrap_or(stretch.end);
        let column = match self.columns.iter().find(|(at, _)| *at == offset) {
            Some(&(_, column)) => column,
            None => self.text[stretch.line_starts[first_of_span]..offset].chars().count(),
        };
        let data = &self.text.as_bytes()[data_start..data_end];
        let span = (data_start, data_end - data_start).into();
        let (line, lines) = (stretch.first_line + first, last - first + 1);
        Ok(Box::new(match &self.name {
            Some(name) => MietteSpanContents::new_named(name.clone(), data, span, line, column, lines),
            None => MietteSpanContents::new(data, span, line, column, lines),
        }))
    }
}

#[cfg(test)]
mod tests {
    use miette::{GraphicalReportHandler, GraphicalTheme};

    use super::*;
    use crate::source::{DiagnosticSource, SourceFile};

    #[derive(Debug, thiserror::Error)]
    #[error("problem")]
    struct Labelled {
        text: DiagnosticSource,
        labels: Vec<LabeledSpan>,
    }

    impl Diagnostic for Labelled {
        fn source_code(&self) -> Option<&dyn SourceCode> {
            Some(&self.text)
        }
        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn render(diagnostic: &dyn Diagnostic) -> String {
        let mut out = String::new();
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(120)
            .with_context_lines(1)
            .render_report(&mut out, diagnostic)
            .expect("renders");
        out
    }

    fn labelled(text: &str, spans: &[(&str, usize)]) -> Labelled {
        let labels = spans
            .iter()
            .map(|&(what, nth)| {
                let at = text.match_indices(what).nth(nth).expect("label text").0;
                LabeledSpan::new_with_span(Some(format!("at {what}")), (at, what.len()))
            })
            .collect();
        Labelled {
            text: SourceFile::new("a.yaml", text).named_source(),
            labels,
        }
    }

    /// On short lines an excerpt draws exactly what miette draws from the
    /// whole file: same lines, numbers, columns and labels.
    #[test]
    fn short_lines_render_as_from_the_whole_file() {
        let text = "收入:\n  合计: 1537.92\n  a: 1\n  b: 2\n  c: 3\n支出:\n  合计: 1500\r\n  x: [1,\n    2]\n  y: 4\n";
        let cases: &[&[(&str, usize)]] = &[
            &[("1537.92", 0)],
            &[("1537.92", 0), ("1500", 0)],
            &[("合计", 0), ("a: 1", 0)],
            &[("[1,\n    2]", 0)],
            &[("y: 4", 0), ("收入", 0), ("b", 0)],
            &[("\n", 9)],
        ];
        for spans in cases {
            let diagnostic = labelled(text, spans);
            assert_eq!(render(&Excerpted::new(&diagnostic)), render(&diagnostic), "{spans:?}");
        }
    }

    #[test]
    fn a_long_line_is_cut_around_its_label() {
        let text = format!("{{\"pad\":\"{}\",\"合计\":1500}}\n", "a".repeat(100_000));
        let diagnostic = labelled(&text, &[("1500", 0)]);
        let out = render(&Excerpted::new(&diagnostic));
        assert!(out.contains("[a.yaml:1:100016]"), "{out}");
        assert!(out.contains("…aaaa"), "{out}");
        assert!(out.lines().all(|l| l.chars().count() < 260), "{out}");
    }
}
