//! Source files and spans: the one place that turns byte offsets into the
//! line/column positions users see.

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents};

/// Index of a rule file inside [`crate::Sources`].
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

/// A named text: a rule file or a data file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    name: String,
    text: Arc<str>,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i as u32 + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
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

    /// The line/column of a byte offset (clamped to the text).
    pub fn location(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let column = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count()
            + 1;
        Location { line: line + 1, column }
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

    /// The file as miette wants it for a label.
    pub fn named_source(&self) -> DiagnosticSource {
        DiagnosticSource {
            inner: NamedSource::new(&self.name, self.text.clone()).with_language(self.language()),
        }
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

/// A named source for miette whose `file:line:column` header counts columns
/// in characters, as the rest of Tally does (miette's own counts bytes, which
/// puts `合计: 1537.92` at column 11 instead of 7).
#[derive(Clone, Debug)]
pub struct DiagnosticSource {
    inner: NamedSource<Arc<str>>,
}

impl DiagnosticSource {
    pub fn name(&self) -> &str {
        self.inner.name()
    }
}

impl SourceCode for DiagnosticSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.inner.read_span(span, context_lines_before, context_lines_after)?;
        let text: &str = self.inner.inner();
        let start = floor_char_boundary(text, contents.span().offset().min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..start].chars().count();
        let mut adjusted = MietteSpanContents::new_named(
            self.inner.name().to_owned(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        );
        if let Some(language) = contents.language() {
            adjusted = adjusted.with_language(language);
        }
        Ok(Box::new(adjusted))
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
}
