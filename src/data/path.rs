//! Rendering a node's path. (Being written.)
use super::{Document, NodeId};

pub(super) fn render(_doc: &Document, _id: NodeId) -> String {
    todo!("paths")
}
