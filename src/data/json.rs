//! A span-aware JSON reader: JSON text → the same node tree the YAML path
//! builds for it, without going through the YAML parser (several times faster).
//!
//! It is strict JSON (RFC 8259) and deliberately small: one loop with an explicit
//! stack (no recursion, whatever the nesting). Whatever it does not accept —
//! comments, unquoted keys, trailing commas, a lone surrogate, anything YAML-only —
//! it hands back as [`Read::NotJson`], and the caller loads the text with the
//! YAML parser exactly as before, errors included. So this reader only has to be
//! right on valid JSON, where it must build the very tree the YAML path builds
//! (same node order, values, spans and parents; tested over every JSON fixture).
//!
//! Errors it reports itself, with the YAML path's words: a duplicate key, nesting
//! deeper than [`Limits::max_depth`], more than [`Limits::max_nodes`] values.
use super::load::{duplicate_key_error, Limits};
use super::scalar::resolve_plain;
use super::{DataError, DataErrorKind, Node, NodeId, NodeValue, Step};
use crate::source::SourceFile;

/// What reading `text` as JSON gave.
pub(super) enum Read {
    Loaded {
        nodes: Vec<Node>,
        root: NodeId,
    },
    /// Not strict JSON: load it as YAML.
    NotJson,
}

/// Whether `text` should be tried as JSON first: its first non-blank character
/// opens a JSON object or array. (A YAML flow collection starts the same way;
/// if it is not strict JSON the reader says so early and YAML takes over.)
pub(super) fn worth_trying(text: &str) -> bool {
    matches!(
        text.bytes().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')),
        Some(b'{' | b'[')
    )
}

/// Reads `source` as one JSON value.
pub(super) fn read(source: &SourceFile, limits: Limits) -> Result<Read, DataError> {
    let text = source.text();
    if u32::try_from(text.len()).is_err() {
        return Err(DataError::new(source, 0..0, DataErrorKind::FileTooLarge, "this file"));
    }
    let mut reader = Reader {
        source,
        bytes: text.as_bytes(),
        text,
        pos: 0,
        limits,
        nodes: Vec::with_capacity((text.len() / 16).min(1 << 20)),
        frames: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        key_spans: Vec::new(),
        pending_key: None,
        values: 0,
    };
    match reader.run() {
        Ok(Some(root)) => Ok(Read::Loaded {
            nodes: reader.nodes,
            root,
        }),
        Ok(None) => Ok(Read::NotJson),
        Err(e) => Err(e),
    }
}

/// Inner result: `Ok(None)` means "not strict JSON".
type Attempt<T> = Result<Option<T>, DataError>;

/// Unwraps an attempt, passing "not JSON" and errors up.
macro_rules! attempt {
    ($e:expr) => {
        match $e? {
            Some(v) => v,
            None => return Ok(None),
        }
    };
}

/// An open object or array.
struct Frame {
    node: NodeId,
    map: bool,
    /// Where this collection's children start in `items` / `entries`.
    first: usize,
}

struct Reader<'s> {
    source: &'s SourceFile,
    text: &'s str,
    bytes: &'s [u8],
    pos: usize,
    limits: Limits,
    nodes: Vec<Node>,
    frames: Vec<Frame>,
    /// Children of the open arrays, innermost last.
    items: Vec<NodeId>,
    /// Entries of the open objects, innermost last, with each key's byte range.
    entries: Vec<(Box<str>, NodeId)>,
    key_spans: Vec<(u32, u32)>,
    /// The key read whose value comes next.
    pending_key: Option<Box<str>>,
    /// Values read so far, for [`Limits::max_nodes`].
    values: u64,
}

impl Reader<'_> {
    fn run(&mut self) -> Attempt<NodeId> {
        self.skip_blanks();
        let mut root = None;
        loop {
            // A value starts here; an empty collection closes at once.
            if attempt!(self.value(&mut root)) {
                self.skip_blanks();
                let map = self.frames.last().expect("just opened").map;
                match (map, self.peek()) {
                    (true, Some(b'}')) => attempt!(self.close()),
                    (false, Some(b']')) => attempt!(self.close()),
                    (true, _) => {
                        attempt!(self.key());
                        continue;
                    }
                    (false, _) => continue,
                }
            }
            // After a value: a comma, the end of collections, or the end of the text.
            loop {
                self.skip_blanks();
                let Some(frame) = self.frames.last() else {
                    return Ok((self.pos == self.bytes.len()).then_some(root).flatten());
                };
                let map = frame.map;
                match (map, self.peek()) {
                    (_, Some(b',')) => {
                        self.pos += 1;
                        self.skip_blanks();
                        if map {
                            attempt!(self.key());
                        }
                        break;
                    }
                    (true, Some(b'}')) | (false, Some(b']')) => attempt!(self.close()),
                    _ => return Ok(None),
                }
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_blanks(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn error(&self, start: usize, end: usize, kind: DataErrorKind, label: impl Into<String>) -> DataError {
        DataError::new(self.source, start..end, kind, label)
    }

    /// Counts one more value, for [`Limits::max_nodes`] (the YAML path's words).
    fn count(&mut self, start: usize, end: usize) -> Result<(), DataError> {
        self.values += 1;
        let max = self.limits.max_nodes.min(u32::MAX as usize - 1) as u64;
        if self.values > max {
            return Err(self.error(
                start,
                end,
                DataErrorKind::TooManyValues { max },
                "the limit is reached here",
            ));
        }
        Ok(())
    }

    /// Reads one value at `pos`; `true` when it opened a collection.
    fn value(&mut self, root: &mut Option<NodeId>) -> Attempt<bool> {
        let start = self.pos;
        let (value, opens) = match self.peek() {
            Some(b @ (b'{' | b'[')) => {
                if self.frames.len() >= self.limits.max_depth {
                    return Err(self.error(
                        start,
                        start + 1,
                        DataErrorKind::TooDeep {
                            max: self.limits.max_depth,
                        },
                        format!("level {} starts here", self.frames.len() + 1),
                    ));
                }
                self.pos += 1;
                (NodeValue::Null, Some(b == b'{'))
            }
            Some(b'"') => (NodeValue::String(attempt!(self.string())), None),
            Some(b'-' | b'0'..=b'9') => {
                attempt!(self.number());
                (resolve_plain(&self.text[start..self.pos]), None)
            }
            Some(b't') if self.literal("true") => (NodeValue::Bool(true), None),
            Some(b'f') if self.literal("false") => (NodeValue::Bool(false), None),
            Some(b'n') if self.literal("null") => (NodeValue::Null, None),
            _ => return Ok(None),
        };
        self.count(start, self.pos)?;
        let id = NodeId(self.nodes.len() as u32);
        let parent = self.frames.last().map(|frame| {
            let step = if frame.map {
                Step::Entry((self.entries.len() - frame.first) as u32)
            } else {
                Step::Element((self.items.len() - frame.first) as u32)
            };
            (frame.node, step)
        });
        self.nodes.push(Node {
            value,
            start: start as u32,
            end: self.pos as u32,
            parent,
        });
        match self.frames.last() {
            None => *root = Some(id),
            Some(frame) if frame.map => {
                let key = self.pending_key.take().expect("a value follows its key");
                self.entries.push((key, id));
            }
            Some(_) => self.items.push(id),
        }
        if let Some(map) = opens {
            let first = if map { self.entries.len() } else { self.items.len() };
            self.frames.push(Frame { node: id, map, first });
        }
        Ok(Some(opens.is_some()))
    }

    /// Closes the innermost collection at its `}` or `]` (at `pos`).
    fn close(&mut self) -> Attempt<()> {
        self.pos += 1;
        let frame = self.frames.pop().expect("a collection is open");
        let value = if frame.map {
            duplicate_key_error(
                self.source,
                &self.entries[frame.first..],
                &self.key_spans[frame.first..],
            )?;
            self.key_spans.truncate(frame.first);
            NodeValue::Map(self.entries.drain(frame.first..).collect())
        } else {
            NodeValue::List(self.items.drain(frame.first..).collect())
        };
        let node = &mut self.nodes[frame.node.0 as usize];
        node.value = value;
        node.end = self.pos as u32;
        Ok(Some(()))
    }

    /// Reads `"key"`, the blanks and the `:` after it, and the blanks after that.
    fn key(&mut self) -> Attempt<()> {
        let start = self.pos;
        if self.peek() != Some(b'"') {
            return Ok(None);
        }
        let key = attempt!(self.string());
        self.key_spans.push((start as u32, self.pos as u32));
        self.pending_key = Some(key);
        self.skip_blanks();
        if self.peek() != Some(b':') {
            return Ok(None);
        }
        self.pos += 1;
        self.skip_blanks();
        Ok(Some(()))
    }

    /// Whether `word` is written at `pos`; if so, steps over it.
    fn literal(&mut self, word: &str) -> bool {
        let found = self.bytes[self.pos..].starts_with(word.as_bytes());
        if found {
            self.pos += word.len();
        }
        found
    }

    /// Steps over a JSON number: `-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?`.
    fn number(&mut self) -> Attempt<()> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Ok(None),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.digits_after() {
                return Ok(None);
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'-' | b'+') = self.peek() {
                self.pos += 1;
            }
            if !self.digits_after() {
                return Ok(None);
            }
        }
        Ok(Some(()))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    /// Steps over digits; whether there was at least one.
    fn digits_after(&mut self) -> bool {
        let start = self.pos;
        self.digits();
        self.pos > start
    }

    /// Reads a string at its opening quote (at `pos`); its text, unescaped.
    fn string(&mut self) -> Attempt<Box<str>> {
        self.pos += 1;
        let start = self.pos;
        // Fast path: no escapes, the text is a slice of the file.
        loop {
            match self.peek() {
                None => return Ok(None),
                Some(b'"') => {
                    let text = &self.text[start..self.pos];
                    self.pos += 1;
                    return Ok(Some(text.into()));
                }
                Some(b'\\') => break,
                Some(0..=0x1F) => return Ok(None),
                Some(_) => self.pos += 1,
            }
        }
        let mut out = String::from(&self.text[start..self.pos]);
        loop {
            let run = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Some(out.into()));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => attempt!(self.unicode_escape()),
                        _ => return Ok(None),
                    };
                    self.pos += 1;
                    out.push(c);
                }
                _ => return Ok(None),
            }
        }
    }

    /// `\uXXXX` (at the `u`), a surrogate pair written as two; leaves `pos` on
    /// the last hex digit. A lone surrogate is not taken.
    fn unicode_escape(&mut self) -> Attempt<char> {
        let high = attempt!(Ok::<_, DataError>(self.hex4(self.pos + 1)));
        self.pos += 4;
        if !(0xD800..0xDC00).contains(&high) {
            return Ok(char::from_u32(high));
        }
        if !self.bytes[self.pos + 1..].starts_with(b"\\u") {
            return Ok(None);
        }
        let low = attempt!(Ok::<_, DataError>(self.hex4(self.pos + 3)));
        if !(0xDC00..0xE000).contains(&low) {
            return Ok(None);
        }
        self.pos += 6;
        Ok(char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)))
    }

    /// The four hex digits at `at`, if they are.
    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.bytes.get(at..at + 4)?;
        let text = std::str::from_utf8(digits).ok()?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u32::from_str_radix(text, 16).ok()
    }
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
