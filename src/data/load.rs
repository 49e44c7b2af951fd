//! YAML/JSON text → [`Document`], one pass over `granit-parser` events with an
//! explicit stack (no recursion, whatever the nesting).
//!
//! Decisions, besides the scalar rules in `scalar.rs`:
//! - JSON is read by the same parser (JSON is YAML 1.2 flow syntax).
//! - One document per file: a second document (`---` or `...` then more) is an error.
//! - A file with no value at all (empty, only comments, or a lone `---`) is an error,
//!   "the file holds no data": auditing an empty file is always a mistake.
//! - Map keys must be scalars; a key's text is its scalar text (`2024` → `"2024"`).
//!   Duplicate keys are an error at the second one. `<<` is an ordinary key (merge keys
//!   are a YAML 1.1 feature and are not applied).
//! - An alias is the same node as its anchor (shared [`NodeId`], no copy). Aliases are
//!   budgeted: the fully expanded size of the data (every alias counted as the whole
//!   value it stands for) may not exceed [`Limits::max_nodes`], and an alias may not
//!   nest the data deeper than [`Limits::max_depth`]. An alias to a collection that
//!   contains it (a cycle) is an error. An alias to an anchored *map key* gives a new
//!   node, since keys are not nodes.
//! - Spans: a plain scalar is exactly its text; a quoted scalar includes its quotes; a
//!   block scalar runs from its `|`/`>` indicator to its last non-blank character; a flow
//!   collection from its bracket to its closing bracket; a block collection from its
//!   first key or `-` to the end of its last value. Anchors and tags are not included.
//!   An empty value (`key:`) has an empty span at the `:`.
use std::borrow::Cow;
use std::ops::Range;

use granit_parser::{Event, Parser, ScalarStyle, ScanError, StructureStyle, Tag};

use super::scalar::resolve_plain;
use super::{DataError, Document, Node, NodeId, NodeValue, Step};
use crate::source::SourceFile;

/// Bounds that keep hostile input from exhausting the machine.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// How many collections may nest inside one another (the root collection is
    /// level 1). Aliases count with the depth of the value they stand for.
    pub max_depth: usize,
    /// How many values the data may hold once every alias is expanded.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_nodes: 5_000_000,
        }
    }
}

/// Load the single YAML or JSON document in `source`.
pub fn load(source: SourceFile, limits: Limits) -> Result<Document, DataError> {
    let (nodes, root) = {
        let mut builder = Builder::new(&source, limits);
        let root = builder.run()?;
        (builder.nodes, root)
    };
    Ok(Document { source, nodes, root })
}

/// An open collection.
struct Frame {
    node: NodeId,
    map: bool,
    block: bool,
    /// Where this collection's children start in `items` / `entries`.
    first: usize,
    /// Maps: the key that waits for its value, with its byte range.
    key: Option<(Box<str>, u32, u32)>,
    /// `expanded` when the collection opened; the difference at its end is its size.
    expanded_at_open: u64,
    /// The greatest height among the children so far (a collection has height ≥ 1).
    height: u32,
    /// The anchor defined on this collection, 0 for none.
    anchor: usize,
    /// End of the last thing written inside (block collections end there).
    end: u32,
}

enum Anchor {
    /// No anchor with this id in this document (ids are dense, but be safe).
    Unused,
    /// A collection that has not ended yet: an alias to it would be a cycle.
    Open,
    Node {
        id: NodeId,
        size: u64,
        height: u32,
    },
    /// An anchored map key: not a node, so an alias to it makes a new scalar node.
    Key {
        text: Box<str>,
        plain: bool,
        start: u32,
        end: u32,
    },
}

struct Builder<'s> {
    source: &'s SourceFile,
    text: &'s str,
    limits: Limits,
    nodes: Vec<Node>,
    frames: Vec<Frame>,
    /// Children of the open lists, innermost last.
    items: Vec<NodeId>,
    /// Entries of the open maps, innermost last, with each key's byte range.
    entries: Vec<(Box<str>, NodeId)>,
    key_spans: Vec<(u32, u32)>,
    anchors: Vec<Anchor>,
    /// Values in the data so far, with every alias counted as its whole value.
    expanded: u64,
    root: Option<NodeId>,
    /// End of the previous event: where the search for a block scalar's indicator starts.
    prev_end: usize,
}

impl<'s> Builder<'s> {
    fn new(source: &'s SourceFile, limits: Limits) -> Self {
        // Rough guess of the node count keeps the arena from regrowing many times.
        let estimate = (source.text().len() / 12).min(1 << 20);
        Builder {
            source,
            text: source.text(),
            limits,
            nodes: Vec::with_capacity(estimate),
            frames: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
            key_spans: Vec::new(),
            anchors: Vec::new(),
            expanded: 0,
            root: None,
            prev_end: 0,
        }
    }

    fn error(&self, range: Range<usize>, message: impl Into<String>, label: impl Into<String>) -> DataError {
        DataError::new(self.source, range, message, label)
    }

    fn run(&mut self) -> Result<NodeId, DataError> {
        let text = self.text;
        if u32::try_from(text.len()).is_err() {
            return Err(self.error(0..0, "the file is larger than 4 GiB", "this file"));
        }
        // YAML caps an implicit key at 1024 characters; JSON does not, and a long
        // quoted key is plausible in JSON exports. Allow longer keys.
        const KEY_LOOKAHEAD: usize = 16 * 1024;
        // Let granit's own nesting limits sit above ours, so ours speaks first. Its
        // scanner reads ahead of the events (up to the key lookahead, so up to that
        // many levels), hence the margin; should it still stop first, its error is
        // reported as ours. It does not recurse per level (tested below), so a higher
        // bound costs nothing.
        let nesting = self.limits.max_depth.saturating_add(KEY_LOOKAHEAD).saturating_add(8);
        let options = granit_parser::options! {
            emit_comments: false,
            emit_unresolved_aliases: true,
            simple_key_max_lookahead: KEY_LOOKAHEAD,
            flow_nesting_limit: nesting,
            block_nesting_limit: nesting,
        };
        let mut parser = Parser::new_from_str_with_options(text, options);
        let mut documents = 0;
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(|e| self.scan_error(&e))?;
            let range = span.byte_range().expect("a parser over a string reports byte offsets");
            match event {
                Event::Scalar(value, style, anchor, tag) => {
                    self.scalar(value, style, anchor, tag.as_deref(), range.clone())?;
                }
                Event::SequenceStart(style, anchor, _) => {
                    self.open(false, style, anchor, range.clone())?;
                }
                Event::MappingStart(style, anchor, _) => {
                    self.open(true, style, anchor, range.clone())?;
                }
                Event::SequenceEnd | Event::MappingEnd => self.close(range.clone())?,
                Event::Alias(id) => self.alias(id, range.clone())?,
                Event::UnresolvedAlias(name) => {
                    return Err(self
                        .error(
                            range,
                            format!("unknown alias `*{name}`"),
                            format!("no anchor `&{name}` comes before this"),
                        )
                        .with_help("an alias `*name` repeats a value marked `&name` earlier in the same document"));
                }
                Event::DocumentStart(..) => {
                    documents += 1;
                    if documents > 1 {
                        let range = if range.is_empty() {
                            self.line_from(range.start)
                        } else {
                            range
                        };
                        return Err(self
                            .error(
                                range,
                                "one document per file: this file holds a second YAML document",
                                "a second document starts here",
                            )
                            .with_help("split the documents into separate files"));
                    }
                    // Anchors do not carry across documents.
                    self.anchors.clear();
                }
                Event::StreamEnd => break,
                // Stream start, document end, comments (disabled) and anchor metadata.
                _ => {}
            }
            self.prev_end = range.end;
        }
        let root = match self.root {
            Some(root) => root,
            None => return Err(self.no_data()),
        };
        // A document holding nothing but an empty scalar (a lone `---`) has no data either.
        let node = &self.nodes[root.0 as usize];
        if matches!(node.value, NodeValue::Null) && node.start == node.end {
            return Err(self.no_data());
        }
        Ok(root)
    }

    fn no_data(&self) -> DataError {
        let end = self.text.len();
        let label = if self.text.trim().is_empty() {
            "this file is empty"
        } else {
            "nothing here but comments"
        };
        self.error(0..end, "the file holds no data", label)
            .with_help("a data file holds one YAML map or JSON object of budget figures")
    }

    /// The rest of the line from `start`, without its line break.
    fn line_from(&self, start: usize) -> Range<usize> {
        let rest = &self.text[start..];
        let len = rest.find(['\n', '\r']).unwrap_or(rest.len());
        start..start + rest[..len].trim_end().len()
    }

    fn scan_error(&self, e: &ScanError) -> DataError {
        use granit_parser::ErrorKind;
        let at = e.marker().byte_offset().unwrap_or(0).min(self.text.len());
        // Underline the character at the error, if there is one.
        let end = self.text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        let mut info = e.info();
        if info.is_empty() {
            info = format!("{:?}", e.kind());
        }
        if matches!(e.kind(), ErrorKind::RecursionLimitExceeded) {
            return self.error(
                at..end,
                format!("the data nests deeper than {} levels", self.limits.max_depth),
                "too deep here",
            );
        }
        let err = self.error(at..end, format!("invalid YAML: {info}"), info);
        match e.kind() {
            ErrorKind::TabInBlockIndentation => err.with_help("YAML indents with spaces; replace the tab with spaces"),
            _ => err,
        }
    }

    /// The parent and step of a value about to be added to the innermost collection.
    fn slot(&self) -> Option<(NodeId, Step)> {
        let frame = self.frames.last()?;
        let step = if frame.map {
            Step::Entry((self.entries.len() - frame.first) as u32)
        } else {
            Step::Element((self.items.len() - frame.first) as u32)
        };
        Some((frame.node, step))
    }

    /// Whether the next node in the innermost collection is a map key.
    fn at_key(&self) -> bool {
        self.frames.last().is_some_and(|f| f.map && f.key.is_none())
    }

    /// Hang `id` (whose text ends at `end`, of the given height) in the innermost collection.
    fn attach(&mut self, id: NodeId, end: u32, height: u32) {
        match self.frames.last_mut() {
            None => self.root = Some(id),
            Some(frame) => {
                if frame.map {
                    let (key, start, end) = frame.key.take().expect("a map value follows its key");
                    self.entries.push((key, id));
                    self.key_spans.push((start, end));
                } else {
                    self.items.push(id);
                }
                frame.end = frame.end.max(end);
                frame.height = frame.height.max(height);
            }
        }
    }

    /// Count `n` more values of the expanded data.
    fn count(&mut self, n: u64, range: Range<usize>, alias: bool) -> Result<(), DataError> {
        self.expanded = self.expanded.saturating_add(n);
        let max = self.limits.max_nodes.min(u32::MAX as usize - 1) as u64;
        if self.expanded > max {
            return Err(if alias {
                self.error(
                    range,
                    format!("aliases expand to more than {max} values"),
                    "this alias takes the data over the limit",
                )
                .with_help("aliases that repeat other aliases grow exponentially (an \"alias bomb\"); write the values out or use fewer aliases")
            } else {
                self.error(
                    range,
                    format!("the data holds more than {max} values"),
                    "the limit is reached here",
                )
            });
        }
        Ok(())
    }

    fn push_node(&mut self, value: NodeValue, start: usize, end: usize) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        let parent = self.slot();
        self.nodes.push(Node {
            value,
            start: start as u32,
            end: end as u32,
            parent,
        });
        id
    }

    fn set_anchor(&mut self, anchor: usize, value: Anchor) {
        if anchor == 0 {
            return;
        }
        if self.anchors.len() <= anchor {
            self.anchors.resize_with(anchor + 1, || Anchor::Unused);
        }
        self.anchors[anchor] = value;
    }

    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        range: Range<usize>,
    ) -> Result<(), DataError> {
        let (start, end) = self.scalar_span(style, range);
        let empty = start == end && style == ScalarStyle::Plain;
        if self.at_key() {
            let text: Box<str> = if empty { "".into() } else { value.into() };
            if anchor != 0 {
                self.set_anchor(
                    anchor,
                    Anchor::Key {
                        text: text.clone(),
                        plain: style == ScalarStyle::Plain && !forces_string(tag),
                        start: start as u32,
                        end: end as u32,
                    },
                );
            }
            self.set_key(text, start, end);
            return Ok(());
        }
        let plain = style == ScalarStyle::Plain && !forces_string(tag);
        let value = if empty {
            NodeValue::Null
        } else if plain {
            resolve_plain(&value)
        } else {
            NodeValue::String(value.into())
        };
        self.count(1, start..end, false)?;
        let id = self.push_node(value, start, end);
        self.attach(id, end as u32, 0);
        self.set_anchor(anchor, Anchor::Node { id, size: 1, height: 0 });
        Ok(())
    }

    fn set_key(&mut self, text: Box<str>, start: usize, end: usize) {
        let frame = self.frames.last_mut().expect("a key is inside a map");
        frame.key = Some((text, start as u32, end as u32));
        frame.end = frame.end.max(end as u32);
    }

    /// The span of a scalar as written: block scalars get their indicator and lose
    /// their trailing blank lines.
    fn scalar_span(&self, style: ScalarStyle, range: Range<usize>) -> (usize, usize) {
        if !matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            return (range.start, range.end);
        }
        let bytes = self.text.as_bytes();
        // Between the previous event and the content there are only blanks, `:`/`-`/`?`
        // indicators, anchors, tags, comments and the block scalar header.
        let mut i = self.prev_end.min(range.start);
        let mut start = range.start;
        while i < range.start {
            match bytes[i] {
                b' ' | b'\t' | b'\r' | b'\n' | b':' | b'-' | b'?' => i += 1,
                b'#' => {
                    while i < range.start && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'&' | b'!' => {
                    while i < range.start && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                }
                b'|' | b'>' => {
                    start = i;
                    break;
                }
                _ => break,
            }
        }
        let end = start + self.text[start..range.end].trim_end().len();
        (start, end)
    }

    fn open(&mut self, map: bool, style: StructureStyle, anchor: usize, range: Range<usize>) -> Result<(), DataError> {
        if self.at_key() {
            let what = if map { "a map" } else { "a list" };
            let range = self.point(range);
            return Err(self.error(
                range,
                "a map key must be a scalar (a name or a number)",
                format!("this key is {what}"),
            ));
        }
        if self.frames.len() >= self.limits.max_depth {
            let range = self.point(range);
            return Err(self.error(
                range,
                format!("the data nests deeper than {} levels", self.limits.max_depth),
                format!("level {} starts here", self.frames.len() + 1),
            ));
        }
        self.count(1, range.clone(), false)?;
        let id = self.push_node(NodeValue::Null, range.start, range.end);
        self.attach(id, range.end as u32, 0);
        let block = style == StructureStyle::Block;
        self.frames.push(Frame {
            node: id,
            map,
            block,
            first: if map { self.entries.len() } else { self.items.len() },
            key: None,
            expanded_at_open: self.expanded,
            height: 0,
            anchor,
            end: range.end as u32,
        });
        self.set_anchor(anchor, Anchor::Open);
        Ok(())
    }

    /// A non-empty range for pointing at `range`: block collection starts are empty.
    fn point(&self, range: Range<usize>) -> Range<usize> {
        if !range.is_empty() {
            return range;
        }
        let end = self.text[range.start..]
            .chars()
            .next()
            .map_or(range.start, |c| range.start + c.len_utf8());
        range.start..end
    }

    fn close(&mut self, range: Range<usize>) -> Result<(), DataError> {
        let frame = self.frames.pop().expect("the parser balances collections");
        let id = frame.node;
        let start = self.nodes[id.0 as usize].start as usize;
        let mut end = if frame.block { frame.end as usize } else { range.end };
        if frame.block {
            // An empty last value (`key:`) has an empty span before its `:`.
            if frame.map && self.text[end..].starts_with(':') {
                end += 1;
            }
            end = start + self.text[start..end].trim_end().len();
        }
        let value = if frame.map {
            self.check_duplicates(frame.first)?;
            self.key_spans.truncate(frame.first);
            NodeValue::Map(self.entries.drain(frame.first..).collect())
        } else {
            NodeValue::List(self.items.drain(frame.first..).collect())
        };
        let node = &mut self.nodes[id.0 as usize];
        node.value = value;
        node.end = end as u32;
        let height = frame.height + 1;
        if frame.anchor != 0 {
            let size = self.expanded - frame.expanded_at_open + 1;
            self.set_anchor(frame.anchor, Anchor::Node { id, size, height });
        }
        if let Some(parent) = self.frames.last_mut() {
            parent.end = parent.end.max(end as u32);
            parent.height = parent.height.max(height);
        }
        Ok(())
    }

    /// Duplicate keys among the entries of the map that is closing (from `first`).
    fn check_duplicates(&self, first: usize) -> Result<(), DataError> {
        let entries = &self.entries[first..];
        let n = entries.len();
        // (first occurrence, second occurrence) with the earliest second occurrence.
        let mut found: Option<(usize, usize)> = None;
        if n <= 16 {
            'outer: for j in 1..n {
                for i in 0..j {
                    if entries[i].0 == entries[j].0 {
                        found = Some((i, j));
                        break 'outer;
                    }
                }
            }
        } else {
            let mut order: Vec<u32> = (0..n as u32).collect();
            order.sort_unstable_by(|&a, &b| entries[a as usize].0.cmp(&entries[b as usize].0).then(a.cmp(&b)));
            let mut group_first = order[0] as usize;
            for w in order.windows(2) {
                let (a, b) = (w[0] as usize, w[1] as usize);
                if entries[a].0 == entries[b].0 {
                    if found.is_none_or(|(_, j)| b < j) {
                        found = Some((group_first, b));
                    }
                } else {
                    group_first = b;
                }
            }
        }
        let Some((i, j)) = found else {
            return Ok(());
        };
        let spans = &self.key_spans[first..];
        let first_line = self.source.location(spans[i].0 as usize).line;
        let (start, end) = spans[j];
        let range = self.point(start as usize..end as usize);
        let key = &entries[j].0;
        Err(self
            .error(
                range,
                format!("duplicate key `{key}` (first written on line {first_line})"),
                format!("`{key}` again; the first is on line {first_line}"),
            )
            .with_help("a map holds each key once; merge the two entries or rename one"))
    }

    fn alias(&mut self, anchor: usize, range: Range<usize>) -> Result<(), DataError> {
        enum Target {
            Node(NodeId, u64, u32),
            Key(Box<str>, bool, u32, u32),
        }
        let target = match self.anchors.get(anchor) {
            Some(Anchor::Node { id, size, height }) => Target::Node(*id, *size, *height),
            Some(Anchor::Key {
                text,
                plain,
                start,
                end,
            }) => Target::Key(text.clone(), *plain, *start, *end),
            Some(Anchor::Open) => {
                return Err(self.error(
                    range,
                    "an alias inside the value it refers to (a cycle)",
                    "this alias repeats a collection that contains it",
                ));
            }
            Some(Anchor::Unused) | None => {
                return Err(self.error(range, "unknown alias", "no anchor for this alias"));
            }
        };
        if self.at_key() {
            let text: Box<str> = match target {
                Target::Key(text, ..) => text,
                Target::Node(id, ..) => match &self.nodes[id.0 as usize].value {
                    NodeValue::String(s) => s.clone(),
                    NodeValue::List(_) | NodeValue::Map(_) => {
                        return Err(self.error(
                            range,
                            "a map key must be a scalar (a name or a number)",
                            "this alias stands for a collection",
                        ));
                    }
                    _ => {
                        let node = &self.nodes[id.0 as usize];
                        self.text[node.start as usize..node.end as usize].into()
                    }
                },
            };
            self.set_key(text, range.start, range.end);
            return Ok(());
        }
        match target {
            Target::Node(id, size, height) => {
                self.count(size, range.clone(), true)?;
                if self.frames.len() + height as usize > self.limits.max_depth {
                    return Err(self.error(
                        range,
                        format!("the data nests deeper than {} levels", self.limits.max_depth),
                        "this alias nests its value too deep",
                    ));
                }
                self.attach(id, range.end as u32, height);
            }
            Target::Key(text, plain, start, end) => {
                self.count(1, range.clone(), true)?;
                let value = if start == end && plain {
                    NodeValue::Null
                } else if plain {
                    resolve_plain(&text)
                } else {
                    NodeValue::String(text)
                };
                let id = self.push_node(value, start as usize, end as usize);
                self.attach(id, range.end as u32, 0);
            }
        }
        Ok(())
    }
}

/// `!!str` and the non-specific tag `!` make a plain scalar a string.
fn forces_string(tag: Option<&Tag>) -> bool {
    tag.is_some_and(|t| t.is_yaml_core_schema_tag("str") || (t.handle().is_empty() && t.suffix() == "!"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;
    use std::time::{Duration, Instant};

    const HUAILAI: &str = include_str!("../../examples/huailai-2024.yaml");

    fn load_str(text: &str) -> Result<Document, DataError> {
        load(SourceFile::new("t.yaml", text), Limits::default())
    }

    fn doc(text: &str) -> Document {
        load_str(text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn err(text: &str) -> DataError {
        match load_str(text) {
            Ok(d) => panic!("expected an error, loaded {:?}", d.value(d.root())),
            Err(e) => e,
        }
    }

    /// The text an error points at.
    fn pointed<'t>(e: &DataError, text: &'t str) -> &'t str {
        &text[e.byte_range()]
    }

    /// Follow keys (or `#n` for list element n) from the root.
    fn at(doc: &Document, path: &str) -> NodeId {
        let mut id = doc.root();
        for k in path.split('.') {
            id = if let Some(n) = k.strip_prefix('#') {
                match doc.value(id) {
                    NodeValue::List(items) => items[n.parse::<usize>().unwrap()],
                    other => panic!("{path}: not a list at {k}: {other:?}"),
                }
            } else {
                doc.get(id, k).unwrap_or_else(|| panic!("{path}: no key {k}"))
            };
        }
        id
    }

    fn number(doc: &Document, id: NodeId) -> Decimal {
        match doc.value(id) {
            NodeValue::Number(d) => *d,
            other => panic!("not a number: {other:?}"),
        }
    }

    fn string(doc: &Document, id: NodeId) -> &str {
        match doc.value(id) {
            NodeValue::String(s) => s,
            other => panic!("not a string: {other:?}"),
        }
    }

    #[test]
    fn huailai_loads() {
        let d = load(
            SourceFile::new("examples/huailai-2024.yaml", HUAILAI),
            Limits::default(),
        )
        .unwrap();
        let total = at(&d, "支出.合计");
        assert_eq!(number(&d, total), Decimal::from_str("1537.92").unwrap());
        assert_eq!(d.raw(total), "1537.92");
        assert_eq!(d.location(total), crate::source::Location { line: 36, column: 7 });
        assert_eq!(d.path(total), "支出.合计");

        let budget = at(&d, "绩效.项目.#0.预算数");
        assert_eq!(number(&d, budget).scale(), 2);
        assert_eq!(number(&d, budget).to_string(), "80.00");
        assert_eq!(d.path(budget), "绩效.项目[0].预算数");

        let code = at(&d, "单位.编码");
        assert_eq!(string(&d, code), "434001");
        assert_eq!(d.raw(code), "\"434001\"");

        let date = at(&d, "国有资产.占用情况表.截止时间");
        assert_eq!(string(&d, date), "2023-12-31");
        assert!(matches!(d.value(at(&d, "绩效.项目.#0.其他资金")), NodeValue::Null));
        assert_eq!(d.raw(at(&d, "绩效.项目.#0.其他资金")), "null");
        assert_eq!(string(&d, at(&d, "绩效.项目.#0.项目编码")), "13073024P00046210002J");
        assert_eq!(string(&d, at(&d, "绩效.项目.#0.支出计划.3月底")), "25%");
        assert_eq!(
            d.path(at(&d, "绩效.项目.#0.支出计划.3月底")),
            "绩效.项目[0].支出计划[\"3月底\"]"
        );
        assert_eq!(number(&d, at(&d, "文档.年度")), Decimal::from(2024));

        // Folded scalar: the value is folded, the span runs from `>-` to the last character.
        let duty = at(&d, "单位.职责");
        assert!(string(&d, duty).starts_with("政府办公室主要负责"));
        assert!(!string(&d, duty).contains('\n'));
        assert!(d.raw(duty).starts_with(">-\n    政府办公室"));
        assert!(d.raw(duty).ends_with("负责县政府综合性会议筹备安排工作。"));

        // Flow maps in a list: each row spans its braces; its values span their text.
        let row = at(&d, "绩效.项目.#0.指标.#1");
        assert_eq!(
            d.raw(row),
            "{一级: 产出指标, 二级: 质量指标, 三级: 保障疫情防控工作正常开展率, 描述: 能否保障疫情防控工作正常开展, 指标值: ≥90%, 依据: 2024年初工作计划}"
        );
        assert_eq!(d.location(row).line, 120);
        assert_eq!(d.location(row).column, 11);
        let value = at(&d, "绩效.项目.#0.指标.#1.指标值");
        assert_eq!(string(&d, value), "≥90%");
        assert_eq!(d.raw(value), "≥90%");
        assert_eq!(d.path(value), "绩效.项目[0].指标[1].指标值");
        let rows = at(&d, "绩效.项目.#0.指标");
        assert!(d.raw(rows).starts_with("- {一级: 产出指标"));
        assert!(d.raw(rows).ends_with("依据: 2024年初工作计划}"));

        // Block map spans: from the first key to the end of the last value.
        let spending = at(&d, "支出.基本支出");
        assert_eq!(
            d.raw(spending),
            "合计: 1177.92\n    人员经费: 892.12\n    日常公用经费: 285.8"
        );
        // Parents and steps.
        let node = d.node(total);
        assert_eq!(node.parent, Some((at(&d, "支出"), Step::Entry(0))));
        let row_node = d.node(row);
        assert_eq!(row_node.parent, Some((rows, Step::Element(1))));
        assert!(d.node(d.root()).parent.is_none());
        assert_eq!(d.raw(d.root()), HUAILAI[HUAILAI.find("文档:").unwrap()..].trim_end());
    }

    #[test]
    fn every_parent_step_leads_back_to_the_child() {
        let d = doc(HUAILAI);
        for i in 0..d.node_count() {
            let id = NodeId(i as u32);
            let Some((parent, step)) = d.node(id).parent else {
                assert_eq!(id, d.root());
                continue;
            };
            let back = match (d.value(parent), step) {
                (NodeValue::Map(e), Step::Entry(k)) => e[k as usize].1,
                (NodeValue::List(e), Step::Element(k)) => e[k as usize],
                other => panic!("bad step {other:?}"),
            };
            assert_eq!(back, id);
            // Children lie inside their parent.
            let (p, c) = (d.byte_range(parent), d.byte_range(id));
            assert!(p.start <= c.start && c.end <= p.end, "{p:?} {c:?}");
        }
    }

    #[test]
    fn scalars_by_style() {
        let d = doc(concat!(
            "a: '12'\nb: !!str 12\nc: ! 12\nd: |\n  x\n  y\n\ne: plain\n  folded\n",
            "f: ~\ng:\nh: True\ni: 1e3\nj: 0x1F\nk: .inf\nl: \"a\\tb\"\nm: !!int \"5\"\n",
        ));
        assert_eq!(string(&d, at(&d, "a")), "12");
        assert_eq!(d.raw(at(&d, "a")), "'12'");
        assert_eq!(string(&d, at(&d, "b")), "12");
        assert_eq!(d.raw(at(&d, "b")), "12");
        assert_eq!(string(&d, at(&d, "c")), "12");
        assert_eq!(string(&d, at(&d, "d")), "x\ny\n");
        assert_eq!(d.raw(at(&d, "d")), "|\n  x\n  y");
        assert_eq!(string(&d, at(&d, "e")), "plain folded");
        assert_eq!(d.raw(at(&d, "e")), "plain\n  folded");
        assert!(matches!(d.value(at(&d, "f")), NodeValue::Null));
        let g = at(&d, "g");
        assert!(matches!(d.value(g), NodeValue::Null));
        assert_eq!(d.raw(g), "");
        assert!(matches!(d.value(at(&d, "h")), NodeValue::Bool(true)));
        assert_eq!(number(&d, at(&d, "i")), Decimal::from(1000));
        assert_eq!(string(&d, at(&d, "j")), "0x1F");
        assert_eq!(string(&d, at(&d, "k")), ".inf");
        assert_eq!(string(&d, at(&d, "l")), "a\tb");
        assert_eq!(string(&d, at(&d, "m")), "5");
    }

    #[test]
    fn block_scalar_span_starts_at_its_indicator() {
        let text = "k:  # note | >\n  &a !!str |+\n  text\n\nz: - |\n";
        let e = err(text); // `- |` after a key on one line is malformed; only check the first part
        let _ = e;
        let text = "k:  # note | >\n  &a !!str |+\n  text\n\nz: 1\n";
        let d = doc(text);
        assert_eq!(d.raw(at(&d, "k")), "|+\n  text");
        assert_eq!(string(&d, at(&d, "k")), "text\n\n");
        let d = doc("- >\n  a\n  b\n- |-\n  c\n");
        assert_eq!(d.raw(at(&d, "#0")), ">\n  a\n  b");
        assert_eq!(d.raw(at(&d, "#1")), "|-\n  c");
        assert_eq!(d.raw(d.root()), "- >\n  a\n  b\n- |-\n  c");
    }

    #[test]
    fn keys_are_scalar_text() {
        let d = doc("2024: a\n1.50: b\n\"q\": c\n~: d\ntrue: e\n<<: f\n");
        assert_eq!(string(&d, at(&d, "2024")), "a");
        assert_eq!(string(&d, d.get(d.root(), "1.50").unwrap()), "b");
        assert_eq!(string(&d, at(&d, "q")), "c");
        assert_eq!(string(&d, at(&d, "~")), "d");
        assert_eq!(string(&d, at(&d, "true")), "e");
        assert_eq!(string(&d, at(&d, "<<")), "f");
        let NodeValue::Map(entries) = d.value(d.root()) else {
            panic!()
        };
        let keys: Vec<&str> = entries.iter().map(|e| &*e.0).collect();
        assert_eq!(keys, ["2024", "1.50", "q", "~", "true", "<<"]);

        let text = "a: 1\n[x, y]: 2\n";
        let e = err(text);
        assert!(e.message().contains("key must be a scalar"), "{}", e.message());
        assert_eq!(pointed(&e, text), "[");
        let e = err("? {a: 1}\n: 2\n");
        assert!(e.label().contains("map"), "{}", e.label());
    }

    #[test]
    fn json_loads() {
        let text = r#"{
  "单位": {"名称": "怀来县", "编码": "434001"},
  "收入": {"合计": 1537.92, "明细": [1, -0.5, 2.5e3, 1E-2, 0]},
  "空": null, "真": true, "假": false,
  "转义": "引号\"斜杠\\换行\n\u4E2D\ud83d\ude00/\/",
  "嵌套": [[], {}, [[1, 2], {"a": [3]}]]
}"#;
        let d = load(SourceFile::new("t.json", text), Limits::default()).unwrap();
        assert_eq!(string(&d, at(&d, "单位.编码")), "434001");
        assert_eq!(d.raw(at(&d, "单位.编码")), "\"434001\"");
        assert_eq!(d.raw(at(&d, "单位")), r#"{"名称": "怀来县", "编码": "434001"}"#);
        assert_eq!(number(&d, at(&d, "收入.合计")).to_string(), "1537.92");
        assert_eq!(d.raw(at(&d, "收入.合计")), "1537.92");
        assert_eq!(number(&d, at(&d, "收入.明细.#1")).to_string(), "-0.5");
        assert_eq!(number(&d, at(&d, "收入.明细.#2")).to_string(), "2500");
        assert_eq!(number(&d, at(&d, "收入.明细.#3")).to_string(), "0.01");
        assert!(matches!(d.value(at(&d, "空")), NodeValue::Null));
        assert!(matches!(d.value(at(&d, "真")), NodeValue::Bool(true)));
        assert!(matches!(d.value(at(&d, "假")), NodeValue::Bool(false)));
        assert_eq!(string(&d, at(&d, "转义")), "引号\"斜杠\\换行\n中😀//");
        assert_eq!(number(&d, at(&d, "嵌套.#2.#1.a.#0")), Decimal::from(3));
        assert!(matches!(d.value(at(&d, "嵌套.#0")), NodeValue::List(l) if l.is_empty()));
        assert!(matches!(d.value(at(&d, "嵌套.#1")), NodeValue::Map(m) if m.is_empty()));
        assert_eq!(d.raw(d.root()), text);
        // Tabs indent JSON (flow context); a key longer than YAML's 1024 characters.
        let long = "键".repeat(2000);
        let text = format!("{{\n\t\"a\": [\n\t\t1,\n\t\t{{\"{long}\": \"x\"}}\n\t]\n}}\n");
        let d = doc(&text);
        assert_eq!(string(&d, at(&d, &format!("a.#1.{long}"))), "x");
        // Compact JSON without spaces after the colons.
        let d = doc(r#"{"a":1,"b":[true,"x"],"c":{"d":null}}"#);
        assert_eq!(number(&d, at(&d, "a")), Decimal::ONE);
        assert_eq!(string(&d, at(&d, "b.#1")), "x");
        assert!(matches!(d.value(at(&d, "c.d")), NodeValue::Null));
    }

    #[test]
    fn a_29_digit_number_is_invalid_and_the_rest_loads() {
        let d = doc(concat!(
            "a: 0.12345678901234567890123456789\n",
            "b: 99999999999999999999999999.999\n",
            "c: 1\n",
            "d: 123456789012345678901234567890\n",
        ));
        assert!(
            matches!(d.value(at(&d, "a")), NodeValue::InvalidNumber(r) if &**r == "has more than 28 significant digits")
        );
        assert!(matches!(d.value(at(&d, "d")), NodeValue::InvalidNumber(r) if &**r == "is out of range"));
        assert!(
            matches!(d.value(at(&d, "b")), NodeValue::InvalidNumber(r) if &**r == "has more than 28 significant digits")
        );
        assert_eq!(d.raw(at(&d, "b")), "99999999999999999999999999.999");
        assert_eq!(number(&d, at(&d, "c")), Decimal::ONE);
    }

    #[test]
    fn duplicate_keys() {
        let text = "a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n";
        let e = err(text);
        assert_eq!(e.message(), "duplicate key `c` (first written on line 3)");
        assert_eq!(pointed(&e, text), "c");
        assert_eq!(e.byte_range().start, text.rfind("c:").unwrap());
        // Large maps take another path; the earliest second occurrence is reported.
        let mut text = String::new();
        for i in 0..100 {
            text.push_str(&format!("k{i}: {i}\n"));
        }
        text.push_str("k70: x\nk5: y\n");
        let e = err(&text);
        assert_eq!(e.message(), "duplicate key `k70` (first written on line 71)");
        assert_eq!(e.byte_range().start, text.find("k70: x").unwrap());
        // Quoted and plain spellings of a key are the same key.
        let e = err("{\"a\": 1, a: 2}");
        assert!(e.message().starts_with("duplicate key `a`"));
    }

    #[test]
    fn malformed_yaml() {
        let text = "a: 1\nb: \"unclosed\n";
        let e = err(text);
        assert!(e.message().starts_with("invalid YAML: "), "{}", e.message());
        assert_eq!(e.byte_range().start, text.find('"').unwrap());
        assert_eq!(e.label(), "unclosed quote");

        let text = "a: [1, 2\n";
        let e = err(text);
        assert_eq!(pointed(&e, text), "[");

        let text = "a:\n  b: 1\n c: 2\n";
        let e = err(text);
        assert_eq!(e.byte_range().start, text.find(" c").unwrap() + 1);

        let text = "a:\n\tb: 1\n";
        let e = err(text);
        assert!(e.message().contains("tab"), "{}", e.message());
        assert!(e.help_text().is_some());

        let text = "a: b: c\n";
        let e = err(text);
        assert_eq!(e.label(), "mapping values are not allowed in this context");
        // The error renders on its own.
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .render_report(&mut out, &e)
            .unwrap();
        assert!(out.contains("t.yaml:1:5"), "{out}");
        assert!(out.contains("a: b: c"), "{out}");
    }

    fn bomb(levels: usize, fanout: usize) -> String {
        let mut text = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..=levels {
            let refs = vec![format!("*l{}", level - 1); fanout].join(", ");
            text.push_str(&format!("l{level}: &l{level} [{refs}]\n"));
        }
        text
    }

    #[test]
    fn alias_bombs_stop_at_the_alias() {
        let started = Instant::now();
        let text = bomb(10, 10);
        let e = err(&text);
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(e.message(), "aliases expand to more than 5000000 values");
        assert!(pointed(&e, &text).starts_with("*l"), "{}", pointed(&e, &text));
        // Under the limit, the aliased node is shared, not copied.
        let d = doc(&bomb(3, 10));
        assert!(d.node_count() < 100);
        let l0 = at(&d, "l0");
        assert_eq!(at(&d, "l1.#9"), l0);
        assert_eq!(d.path(at(&d, "l1.#9")), "l0");
        let small = Limits {
            max_nodes: 50,
            ..Limits::default()
        };
        let e = load(SourceFile::new("t.yaml", bomb(3, 10)), small).unwrap_err();
        assert_eq!(e.message(), "aliases expand to more than 50 values");
    }

    #[test]
    fn aliases_share_nodes() {
        let d = doc("base: &b {x: 1}\ncopy: *b\nn: &n 5\nm: *n\nk: [*n, *b]\n");
        assert_eq!(at(&d, "copy"), at(&d, "base"));
        assert_eq!(at(&d, "m"), at(&d, "n"));
        assert_eq!(at(&d, "k.#1.x"), at(&d, "base.x"));
        assert_eq!(d.raw(at(&d, "k")), "[*n, *b]");
        // Alias to an anchored key gives its own scalar node.
        let d = doc("&k 2024: a\ny: *k\n");
        assert_eq!(number(&d, at(&d, "y")), Decimal::from(2024));
        // Alias as a key.
        let d = doc("a: &name 产出\n*name : 1\n");
        assert_eq!(number(&d, at(&d, "产出")), Decimal::ONE);
    }

    #[test]
    fn alias_cycles_are_errors() {
        let text = "loop: &l [1, *l]\n";
        let e = err(text);
        assert!(e.message().contains("cycle"), "{}", e.message());
        assert_eq!(pointed(&e, text), "*l");
    }

    #[test]
    fn unknown_alias() {
        let text = "a: 1\nb: *nope\n";
        let e = err(text);
        assert_eq!(e.message(), "unknown alias `*nope`");
        assert_eq!(pointed(&e, text), "*nope");
    }

    #[test]
    fn one_document_per_file() {
        let text = "a: 1\n---\nb: 2\n";
        let e = err(text);
        assert!(e.message().starts_with("one document per file"), "{}", e.message());
        assert_eq!(pointed(&e, text), "---");
        let text = "a: 1\n...\nb: 2\n";
        let e = err(text);
        assert_eq!(pointed(&e, text), "b: 2");
        // An explicit start and end around one document is fine.
        let d = doc("---\na: 1\n...\n");
        assert_eq!(number(&d, at(&d, "a")), Decimal::ONE);
    }

    #[test]
    fn empty_files_hold_no_data() {
        for text in ["", "\n\n", "# only a comment\n", "---\n", "--- # c\n...\n"] {
            let e = err(text);
            assert_eq!(e.message(), "the file holds no data", "{text:?}");
            let mut out = String::new();
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .render_report(&mut out, &e)
                .unwrap();
            assert!(out.contains("the file holds no data"), "{out}");
        }
        // An explicit null is data.
        let d = doc("null\n");
        assert!(matches!(d.value(d.root()), NodeValue::Null));
        // A scalar root is allowed.
        let d = doc("42\n");
        assert_eq!(number(&d, d.root()), Decimal::from(42));
        assert_eq!(d.path(d.root()), "$");
    }

    fn deep_flow(depth: usize) -> String {
        "[".repeat(depth) + &"]".repeat(depth)
    }

    fn deep_block_map(depth: usize) -> String {
        let mut text = String::new();
        for i in 0..depth {
            text.push_str(&" ".repeat(i));
            text.push_str("a:\n");
        }
        text
    }

    fn deep_block_list(depth: usize) -> String {
        "- ".repeat(depth) + "x\n"
    }

    #[test]
    fn nesting_limit() {
        let limits = Limits::default();
        // 256 levels load, 257 do not.
        assert!(load_str(&deep_flow(256)).is_ok());
        let text = deep_flow(257);
        let e = err(&text);
        assert_eq!(e.message(), "the data nests deeper than 256 levels");
        assert_eq!(e.byte_range(), 256..257);
        // The root map plus 255 nested maps, the last with an empty value.
        assert!(load_str(&deep_block_map(256)).is_ok());
        let e = err(&deep_block_map(257));
        assert_eq!(e.message(), "the data nests deeper than 256 levels");
        assert!(load_str(&deep_block_list(256)).is_ok());
        assert!(err(&deep_block_list(257)).message().contains("deeper"));
        // An alias counts with the depth of what it stands for.
        let inner = deep_flow(200);
        let text = format!("a: &a {inner}\nb: {}*a{}\n", "[".repeat(60), "]".repeat(60));
        let e = load(SourceFile::new("t.yaml", text.clone()), limits).unwrap_err();
        assert_eq!(pointed(&e, &text), "*a", "{e:?}");
        assert_eq!(e.message(), "the data nests deeper than 256 levels");
    }

    #[test]
    fn ten_thousand_levels_on_a_small_stack() {
        // granit and the loader must not recurse per level: a 2 MiB stack is plenty.
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| {
                for text in [
                    deep_flow(10_000),
                    "{a: ".repeat(10_000) + "1" + &"}".repeat(10_000),
                    deep_block_map(10_000),
                    deep_block_list(10_000),
                ] {
                    let e = err(&text);
                    assert_eq!(e.message(), "the data nests deeper than 256 levels");
                }
                // With the limit raised, the whole depth loads, renders and drops.
                let limits = Limits {
                    max_depth: 20_000,
                    ..Limits::default()
                };
                for text in [deep_flow(10_000), deep_block_map(10_000)] {
                    let d = load(SourceFile::new("t.yaml", text), limits).unwrap();
                    let last = NodeId(d.node_count() as u32 - 1);
                    assert!(d.path(last).len() > 10_000);
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn crlf_and_bom() {
        let text = "\u{feff}a: 1\r\nb:\r\n  c: x\r\n";
        let d = doc(text);
        assert_eq!(d.raw(at(&d, "b.c")), "x");
        assert_eq!(d.raw(at(&d, "b")), "c: x");
        assert_eq!(d.location(at(&d, "b.c")).line, 3);
    }
}
