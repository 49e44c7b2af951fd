//! Budget data: YAML/JSON text → a compact tree that remembers, for every
//! value, its byte span and (through the span) the text it was written as.

mod error;
mod load;
mod path;
mod scalar;
mod yaml_hints;

use rust_decimal::Decimal;

use crate::source::{Location, SourceFile};

pub use error::DataError;
pub use load::{load, Limits};
pub use path::is_identifier;

/// Index of a node inside its [`Document`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// One loaded data document.
#[derive(Debug)]
pub struct Document {
    pub(crate) source: SourceFile,
    pub(crate) nodes: Vec<Node>,
    pub(crate) root: NodeId,
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
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        match self.value(id) {
            NodeValue::Map(entries) => entries.iter().find(|(k, _)| &**k == key).map(|e| e.1),
            _ => None,
        }
    }

    /// The text the value was written as.
    pub fn raw(&self, id: NodeId) -> &str {
        let node = self.node(id);
        &self.source.text()[node.start as usize..node.end as usize]
    }

    pub fn location(&self, id: NodeId) -> Location {
        self.source.location(self.node(id).start as usize)
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
