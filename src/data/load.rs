//! YAML/JSON text → [`Document`], one pass over `granit-parser` events with an
//! explicit stack (no recursion, whatever the nesting).
//!
//! Decisions, besides the scalar rules in `scalar.rs`:
//! - Strict JSON is read by `json.rs` into the same tree; anything else that starts
//!   like JSON (a YAML flow collection, JSON with comments) is read here, as before.
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
use super::{DataError, DataErrorKind, Document, Node, NodeId, NodeValue, Step};
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

/// granit's options: comments skipped, unknown aliases reported by us, long
/// keys allowed, and its nesting limits above `max_depth`.
fn parser_options(max_depth: usize) -> granit_parser::Options {
    // YAML caps an implicit key at 1024 characters; JSON does not, and a long
    // quoted key is plausible in JSON exports. Allow longer keys.
    const KEY_LOOKAHEAD: usize = 16 * 1024;
    // Let granit's own nesting limits sit above ours, so ours speaks first. Its
    // scanner reads ahead of the events (up to the key lookahead, so up to that
    // many levels), hence the margin; should it still stop first, its error is
    // reported as ours. It does not recurse per level (tested below), so a higher
    // bound costs nothing.
    let nesting = max_depth.saturating_add(KEY_LOOKAHEAD).saturating_add(8);
    granit_parser::options! {
        emit_comments: false,
        emit_unresolved_aliases: true,
        simple_key_max_lookahead: KEY_LOOKAHEAD,
        flow_nesting_limit: nesting,
        block_nesting_limit: nesting,
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_nodes: 5_000_000,
        }
    }
}

/// Load the single YAML or JSON document in `source`. Text that starts like
/// JSON is read by the JSON reader; what it does not take goes to YAML.
pub fn load(source: SourceFile, limits: Limits) -> Result<Document, DataError> {
    if super::json::worth_trying(source.text()) {
        if let super::json::Read::Loaded { nodes, root } = super::json::read(&source, limits)? {
            return Ok(Document {
                source,
                nodes,
                root,
                attached: Vec::new(),
            });
        }
    }
    load_yaml(source, limits)
}

/// Load `source` with the YAML parser, whatever it holds (JSON too: JSON is
/// YAML 1.2 flow syntax). [`load`] uses it for everything but strict JSON.
pub fn load_yaml(source: SourceFile, limits: Limits) -> Result<Document, DataError> {
    let (nodes, root) = {
        let mut builder = Builder::new(&source, limits);
        let root = builder.run()?;
        (builder.nodes, root)
    };
    Ok(Document {
        source,
        nodes,
        root,
        attached: Vec::new(),
    })
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

    fn error(&self, range: Range<usize>, kind: DataErrorKind, label: impl Into<String>) -> DataError {
        DataError::new(self.source, range, kind, label)
    }

    fn run(&mut self) -> Result<NodeId, DataError> {
        let text = self.text;
        if u32::try_from(text.len()).is_err() {
            return Err(self.error(0..0, DataErrorKind::FileTooLarge, "this file"));
        }
        let mut parser = Parser::new_from_str_with_options(text, parser_options(self.limits.max_depth));
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
                            DataErrorKind::UnknownAlias {
                                name: Some(name.to_string()),
                            },
                            format!("no anchor `&{name}` comes before this"),
                        )
                        .with_help("an alias `*name` repeats a value marked `&name` earlier in the same document"));
                }
                Event::DocumentStart(..) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(self.second_document(range));
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

    /// A `---` after the first document: one document per file.
    fn second_document(&self, range: Range<usize>) -> DataError {
        let range = if range.is_empty() {
            self.line_from(range.start)
        } else {
            range
        };
        self.error(range, DataErrorKind::SecondDocument, "a second document starts here")
            .with_help("split the documents into separate files")
    }

    fn no_data(&self) -> DataError {
        let end = self.text.len();
        let label = if self.text.trim().is_empty() {
            "this file is empty"
        } else {
            "nothing here but comments"
        };
        self.error(0..end, DataErrorKind::NoData, label)
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
                DataErrorKind::TooDeep {
                    max: self.limits.max_depth,
                },
                "too deep here",
            );
        }
        let tab_error = matches!(e.kind(), ErrorKind::TabInBlockIndentation);
        let json = self.source.name().ends_with(".json");
        if let Some(mistake) = super::yaml_hints::explain(self.text, at, tab_error).filter(|_| !json) {
            return self
                .error(mistake.at, mistake.kind, mistake.label)
                .with_help(mistake.help);
        }
        let err = self.error(at..end, DataErrorKind::InvalidYaml { info: info.clone() }, info);
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
                    DataErrorKind::AliasesTooLarge { max },
                    "this alias takes the data over the limit",
                )
                .with_help("aliases that repeat other aliases grow exponentially (an \"alias bomb\"); write the values out or use fewer aliases")
            } else {
                self.error(range, DataErrorKind::TooManyValues { max }, "the limit is reached here")
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
            return Err(self.error(range, DataErrorKind::KeyNotScalar, format!("this key is {what}")));
        }
        if self.frames.len() >= self.limits.max_depth {
            let range = self.point(range);
            return Err(self.error(
                range,
                DataErrorKind::TooDeep {
                    max: self.limits.max_depth,
                },
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
        duplicate_key_error(self.source, &self.entries[first..], &self.key_spans[first..])
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
                    DataErrorKind::AliasCycle,
                    "this alias repeats a collection that contains it",
                ));
            }
            Some(Anchor::Unused) | None => {
                return Err(self.error(
                    range,
                    DataErrorKind::UnknownAlias { name: None },
                    "no anchor for this alias",
                ));
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
                            DataErrorKind::KeyNotScalar,
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
                        DataErrorKind::TooDeep {
                            max: self.limits.max_depth,
                        },
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

/// The error for the first key of a map written twice (the earliest second
/// occurrence), given the map's entries and its keys' byte ranges.
pub(super) fn duplicate_key_error(
    source: &SourceFile,
    entries: &[(Box<str>, NodeId)],
    spans: &[(u32, u32)],
) -> Result<(), DataError> {
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
    let first_line = source.location(spans[i].0 as usize).line;
    let (start, end) = (spans[j].0 as usize, spans[j].1 as usize);
    // An empty key (YAML `: x`) points at the character after it.
    let end = if start == end {
        source.text()[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8())
    } else {
        end
    };
    let key = &entries[j].0;
    Err(DataError::new(
        source,
        start..end,
        DataErrorKind::DuplicateKey {
            key: key.to_string(),
            first_line,
        },
        format!("`{key}` again; the first is on line {first_line}"),
    )
    .with_help("a map holds each key once; merge the two entries or rename one"))
}

/// `!!str` and the non-specific tag `!` make a plain scalar a string.
fn forces_string(tag: Option<&Tag>) -> bool {
    tag.is_some_and(|t| t.is_yaml_core_schema_tag("str") || (t.handle().is_empty() && t.suffix() == "!"))
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
