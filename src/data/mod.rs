//! Budget data: YAML/JSON text → a compact tree that remembers, for every
//! value, its byte span and (through the span) the text it was written as.

mod compact_json;
mod error;
mod json;
mod load;
mod path;
mod scalar;
mod yaml_hints;

use rust_decimal::Decimal;

use crate::source::{Location, SourceFile};

pub use error::{DataError, DataErrorKind};
pub use load::{load, load_yaml, Limits};
pub use path::is_identifier;

/// Index of a node inside its [`Document`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// One loaded data document, with the other documents attached to it for one
/// run (its inputs, a params file): their nodes follow its own in one arena, so
/// a [`NodeId`] names a value in any of them and knows its file.
#[derive(Debug)]
pub struct Document {
    pub(crate) source: SourceFile,
    pub(crate) nodes: Vec<Node>,
    pub(crate) root: NodeId,
    /// Attached documents: the first node of each, and its file.
    pub(crate) attached: Vec<(u32, SourceFile)>,
}

#[derive(Debug)]
pub struct Node {
    pub value: NodeValue,
    /// Byte range of the value as written (for quoted scalars, with the quotes;
    /// for collections, from the first to the last character of the collection).
    pub start: u32,
    pub end: u32,
    /// Where this node hangs in the tree; `None` for the root. An aliased node is
    /// shared and keeps the parent of its anchor.
    pub parent: Option<(NodeId, Step)>,
}

/// How a node is reached from its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Entry `i` of the parent map.
    Entry(u32),
    /// Element `i` of the parent list.
    Element(u32),
}

#[derive(Debug)]
pub enum NodeValue {
    Null,
    Bool(bool),
    /// Exact, parsed from the literal text.
    Number(Decimal),
    /// A plain scalar that looks like a number but cannot be held exactly
    /// (more than 28 significant digits, out of range). Reading it is an error
    /// outcome that points here; the rest of the file still loads.
    InvalidNumber(Box<str>),
    String(Box<str>),
    List(Box<[NodeId]>),
    /// Entries in document order.
    Map(Box<[(Box<str>, NodeId)]>),
}

/// `a == b`, cheaper on a map's keys: keys of one length (two Chinese
/// characters are six bytes) mostly differ in their last byte, which is
/// compared before the whole (the call to `memcmp` was a tenth of checking
/// simple sums); keys of 4 to 16 bytes (two to five Chinese characters) are
/// compared as two overlapping words, without calling `memcmp` at all.
#[inline]
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() || a.last() != b.last() {
        return false;
    }
    match n {
        8..=16 => {
            let word = |s: &[u8], at: usize| u64::from_ne_bytes(s[at..at + 8].try_into().expect("eight bytes"));
            word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8)
        }
        4..=7 => {
            let word = |s: &[u8], at: usize| u32::from_ne_bytes(s[at..at + 4].try_into().expect("four bytes"));
            word(a, 0) == word(b, 0) && word(a, n - 4) == word(b, n - 4)
        }
        _ => a == b,
    }
}

impl Document {
    pub fn source(&self) -> &SourceFile {
        &self.source
    }

    pub fn name(&self) -> &str {
        self.source.name()
    }

    pub fn root(&self) -> NodeId {
        self.root
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0 as usize]
    }

    pub fn value(&self, id: NodeId) -> &NodeValue {
        &self.node(id).value
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The value of `key` in map `id`, if `id` is a map that has it.
    #[inline]
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        match self.value(id) {
            NodeValue::Map(entries) => entries.iter().find(|(k, _)| same_key(k, key)).map(|e| e.1),
            _ => None,
        }
    }

    /// The text the value was written as.
    pub fn raw(&self, id: NodeId) -> &str {
        let node = self.node(id);
        &self.file_of(id).text()[node.start as usize..node.end as usize]
    }

    pub fn location(&self, id: NodeId) -> Location {
        self.file_of(id).location(self.node(id).start as usize)
    }

    /// Whether `id` is this document's own value, not an attached one's.
    pub fn is_own(&self, id: NodeId) -> bool {
        self.attached.first().is_none_or(|&(first, _)| id.0 < first)
    }

    /// The file `id` was read from: this document's, or an attached one's.
    pub fn file_of(&self, id: NodeId) -> &SourceFile {
        match self.attached.iter().rev().find(|(first, _)| id.0 >= *first) {
            Some((_, source)) => source,
            None => &self.source,
        }
    }

    /// Appends `other`'s nodes to this document's arena; returns its root here.
    /// Its values keep their own file, spans and paths.
    pub fn attach(&mut self, other: Document) -> NodeId {
        let offset = self.nodes.len() as u32;
        let shift = |id: NodeId| NodeId(id.0 + offset);
        // Its own attachments come along, shifted.
        self.attached.push((offset, other.source));
        for (first, source) in other.attached {
            self.attached.push((first + offset, source));
        }
        self.nodes.extend(other.nodes.into_iter().map(|mut node| {
            node.parent = node.parent.map(|(p, step)| (shift(p), step));
            node.value = match node.value {
                NodeValue::List(items) => NodeValue::List(items.iter().map(|&i| shift(i)).collect()),
                NodeValue::Map(entries) => {
                    NodeValue::Map(entries.into_vec().into_iter().map(|(k, i)| (k, shift(i))).collect())
                }
                other => other,
            };
            node
        }));
        shift(other.root)
    }

    pub fn byte_range(&self, id: NodeId) -> std::ops::Range<usize> {
        let node = self.node(id);
        node.start as usize..node.end as usize
    }

    /// The path from the root to `id`, such as `政府采购.表.明细[3].采购金额`;
    /// keys that are not identifiers are written `["3月底"]`, the root is `$`.
    pub fn path(&self, id: NodeId) -> String {
        path::render(self, id)
    }
}

#[cfg(test)]
mod tests {
    use super::same_key;

    /// `same_key` is `==`: for every length up to 20 bytes (past each way it
    /// compares), the same key, and a key differing in any one byte or in
    /// length.
    #[test]
    fn same_key_is_equality() {
        let letters = "abcdefghijklmnopqrstu";
        for n in 0..=20 {
            let key = &letters[..n];
            assert!(same_key(key, key), "{key:?} is itself");
            for i in 0..n {
                let mut other = key.as_bytes().to_vec();
                other[i] = b'z';
                let other = String::from_utf8(other).expect("ASCII");
                assert!(!same_key(key, &other), "{key:?} vs {other:?}");
            }
            assert!(!same_key(key, &letters[..n + 1]), "{key:?} vs one byte longer");
        }
        assert!(same_key("支出合计", "支出合计"));
        assert!(!same_key("支出合计", "收入合计"));
        assert!(!same_key("基本支出", "项目支出"));
    }
}
