//! Source files and spans: the one place that turns byte offsets into the
//! line/column positions users see.

use std::sync::{Arc, OnceLock};

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Index of a rule file in the list of a program's sources.
pub type FileId = u32;

/// A byte range inside one rule file. Equality of AST nodes ignores spans, so
/// this type is only compared where a position itself is the question.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both `self` and `other` (same file).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn source_span(self) -> SourceSpan {
        (self.start as usize, (self.end - self.start) as usize).into()
    }
}

/// A 1-based line and a 1-based column counted in characters (not bytes), as
/// auditors count them and as the JSON output promises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// A named text: a rule file or a data file. Cloning shares the text and
/// its line index (computed once per file), so a diagnostic can carry it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    name: Arc<str>,
    text: Arc<str>,
    line_starts: Arc<[u32]>,
    /// The text as diagnostics show it: the same bytes, except that a lone
    /// `\r` (an old Mac line break) is a `\n`, so miette breaks lines where
    /// [`line_starts`] does. The same `Arc` as `text` when there is none.
    shown: Arc<str>,
    /// Characters before every [`MARK_BYTES`]-th byte (see [`CharMarks`]),
    /// built the first time a column far into a line is asked for.
    char_marks: Arc<OnceLock<CharMarks>>,
}

/// Bytes between two marks of [`CharMarks`].
const MARK_BYTES: usize = 4096;

/// How many characters come before every [`MARK_BYTES`]-th byte (rounded
/// down to a character boundary): a column far into a long line (a minified
/// JSON file, a flow list of a million numbers) is counted from the mark
/// before it instead of from the line's start, so each finding's column costs
/// at most a mark's bytes, not the line's.
#[derive(Debug)]
struct CharMarks(Vec<u64>);

impl CharMarks {
    fn new(text: &str) -> Self {
        let mut marks = Vec::with_capacity(text.len() / MARK_BYTES + 1);
        let (mut chars, mut at) = (0, 0);
        for mark in (0..=text.len()).step_by(MARK_BYTES) {
            let next = floor_char_boundary(text, mark);
            chars += text[at..next].chars().count() as u64;
            at = next;
            marks.push(chars);
        }
        CharMarks(marks)
    }

    /// Characters in `text[..offset]`; `offset` is a character boundary.
    fn before(&self, text: &str, offset: usize) -> u64 {
        let mark = offset / MARK_BYTES;
        let from = floor_char_boundary(text, mark * MARK_BYTES);
        self.0[mark] + text[from..offset].chars().count() as u64
    }
}

/// Where each line starts: at 0 and after every line break, which is `\n`,
/// `\r\n` or a lone `\r`. The one definition of a line used for every
/// position Tally shows (JSON, SARIF, the human header and gutter).
pub fn line_starts(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    if !bytes.contains(&b'\r') {
        // Nearly every file: `\n` alone ends lines, and a fast search finds them.
        starts.extend(text.match_indices('\n').map(|(i, _)| i as u32 + 1));
        return starts;
    }
    for (i, &b) in bytes.iter().enumerate() {
        let breaks = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if breaks {
            starts.push(i as u32 + 1);
        }
    }
    starts
}

/// `text` with every lone `\r` made a `\n` (byte offsets are unchanged).
fn lone_cr_as_lf(text: &Arc<str>) -> Arc<str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !bytes.contains(&b'\r') || !(0..bytes.len()).any(lone) {
        return text.clone();
    }
    let shown: Vec<u8> = (0..bytes.len())
        .map(|i| if lone(i) { b'\n' } else { bytes[i] })
        .collect();
    // Only an ASCII byte was replaced by another: still UTF-8.
    String::from_utf8(shown).expect("still UTF-8").into()
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let name: String = name.into();
        SourceFile {
            name: name.into(),
            line_starts: line_starts(&text).into(),
            shown: lone_cr_as_lf(&text),
            text,
            char_marks: Arc::default(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn shared_text(&self) -> Arc<str> {
        self.text.clone()
    }

    /// The 0-based line holding byte `offset` (clamped to the text).
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts.partition_point(|&s| s as usize <= offset) - 1
    }

    /// The byte range of 0-based line `index`, with its line break.
    fn line_range(&self, index: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[index] as usize;
        let end = self.line_starts.get(index + 1).map_or(self.text.len(), |&e| e as usize);
        start..end
    }

    /// The line/column of a byte offset (clamped to the text).
    pub fn location(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let start = self.line_starts[line] as usize;
        let end = floor_char_boundary(&self.text, offset);
        let column = if end - start <= MARK_BYTES {
            self.text[start..end].chars().count()
        } else {
            let marks = self.char_marks.get_or_init(|| CharMarks::new(&self.text));
            (marks.before(&self.text, end) - marks.before(&self.text, start)) as usize
        };
        Location {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.line_starts.get(line).map_or(self.text.len(), |&e| e as usize);
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }

    /// The byte offset where 1-based line `line` starts (the end of the text
    /// past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.wrapping_sub(1))
            .map_or(self.text.len(), |&s| s as usize)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The file as miette wants it for a label (sharing text and line index).
    pub fn named_source(&self) -> DiagnosticSource {
        DiagnosticSource { file: self.clone() }
    }

    fn language(&self) -> &'static str {
        if self.name.ends_with(".json") {
            "json"
        } else if self.name.ends_with(".tally") {
            "tally"
        } else {
            "yaml"
        }
    }
}

/// A named source for miette. It finds lines through the file's line index,
/// so reading the lines around a label costs the same anywhere in the file,
/// and its `file:line:column` header counts columns in characters, as the
/// rest of Tally does (miette's own counts bytes, which puts `合计: 1537.92`
/// at column 11 instead of 7). What the user sees goes through
/// `report::snippet`, which also cuts long lines and escapes invisible
/// characters; this is the plain text it reads from.
#[derive(Clone, Debug)]
pub struct DiagnosticSource {
    file: SourceFile,
}

impl DiagnosticSource {
    pub fn name(&self) -> &str {
        self.file.name()
    }

    pub fn file(&self) -> &SourceFile {
        &self.file
    }
}

impl SourceCode for DiagnosticSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = &self.file;
        let text = file.text();
        if span.offset() > text.len() || span.offset() + span.len() > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let start = floor_char_boundary(text, span.offset());
        let last_byte = (span.offset() + span.len()).saturating_sub(1).max(start);
        let first_line = file.line_index(start).saturating_sub(context_lines_before);
        let last_line = (file.line_index(last_byte) + context_lines_after).min(file.line_count() - 1);
        let data = file.line_range(first_line).start..file.line_range(last_line).end;
        let column = file.location(start).column - 1;
        let contents = MietteSpanContents::new_named(
            file.name().to_owned(),
            file.shown[data.clone()].as_bytes(),
            (data.start, data.len()).into(),
            first_line,
            column,
            last_line - first_line + 1,
        );
        Ok(Box::new(contents.with_language(file.language())))
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let file = SourceFile::new("a.yaml", "收入:\n  合计: 1537.92\n");
        let offset = file.text().find("1537").unwrap();
        assert_eq!(file.location(offset), Location { line: 2, column: 7 });
        assert_eq!(file.line_text(2), "  合计: 1537.92");
    }

    /// Columns far into long lines of mixed one-, two-, three- and four-byte
    /// characters, counted from the marks, against counting from the line's
    /// start, at every offset (on a boundary or inside a character).
    #[test]
    fn columns_far_into_long_lines_count_as_from_the_line_start() {
        let line: String = (0..3000).map(|i| ['a', 'é', '收', '😀'][i % 4]).collect();
        let text = format!("x: 1\n{line}\n{line}{line}\nend\n");
        let file = SourceFile::new("long.yaml", text.clone());
        for offset in (0..=text.len()).step_by(7).chain([text.len()]) {
            let line = file.line_index(offset);
            let start = file.line_start(line + 1);
            let end = floor_char_boundary(&text, offset);
            let counted = text[start..end].chars().count() + 1;
            let location = file.location(offset);
            assert_eq!((location.line, location.column), (line + 1, counted), "offset {offset}");
        }
    }

    /// Line starts by the definition, one byte at a time: what the fast
    /// search for `\n` must agree with.
    fn line_starts_by_definition(text: &str) -> Vec<u32> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i as u32 + 1);
            }
        }
        starts
    }

    proptest::proptest! {
        #[test]
        fn line_starts_agree_with_the_definition(text in "[a收\n\r ]{0,40}") {
            proptest::prop_assert_eq!(line_starts(&text), line_starts_by_definition(&text));
        }
    }

    #[test]
    fn cr_crlf_and_lf_all_end_lines() {
        for text in ["a\rb\rc", "a\r\nb\r\nc", "a\nb\nc", "a\rb\r\nc"] {
            let file = SourceFile::new("a.yaml", text);
            let offset = text.find('c').unwrap();
            assert_eq!(file.location(offset), Location { line: 3, column: 1 }, "{text:?}");
            assert_eq!(file.line_text(2), "b", "{text:?}");
            let shown = file.named_source();
            let contents = shown.read_span(&(offset, 1).into(), 0, 0).unwrap();
            assert_eq!((contents.line(), contents.column()), (2, 0), "{text:?}");
        }
    }
}
