//! A set of one document's nodes that empties in constant time, for the
//! passes over long lists of reads: a template's repeats (memo.rs) and a
//! finding's values (stmt.rs). Hashing each read was about a third of the
//! time of a finding that read a table of 10,000 rows.

use crate::data::NodeId;

/// Each node's mark is the round that last added it; starting a round
/// empties the set.
#[derive(Default)]
pub(super) struct NodeMarks {
    marks: Vec<u32>,
    round: u32,
    /// Ids past the document's nodes (none are expected), looked up in order.
    beyond: Vec<NodeId>,
}

impl NodeMarks {
    /// Empties the set, with room for ids below `nodes`.
    pub fn start(&mut self, nodes: usize) {
        if self.marks.len() < nodes {
            self.marks.resize(nodes, 0);
        }
        self.beyond.clear();
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.marks.fill(0);
            self.round = 1;
        }
    }

    /// Adds `id`; true if it was not in the set.
    #[inline]
    pub fn insert(&mut self, id: NodeId) -> bool {
        match self.marks.get_mut(id.0 as usize) {
            Some(mark) => std::mem::replace(mark, self.round) != self.round,
            None if self.beyond.contains(&id) => false,
            None => {
                self.beyond.push(id);
                true
            }
        }
    }

    #[inline]
    pub fn contains(&self, id: NodeId) -> bool {
        match self.marks.get(id.0 as usize) {
            Some(&mark) => mark == self.round,
            None => self.beyond.contains(&id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a hash set, over rounds that reuse the marks, ids past the
    /// room made and the wrap of the round counter.
    #[test]
    fn a_set_like_any_other() {
        let mut marks = NodeMarks::default();
        let round = |marks: &mut NodeMarks, ids: &[u32]| {
            marks.start(8);
            let mut reference = std::collections::HashSet::new();
            for &id in ids {
                assert_eq!(marks.insert(NodeId(id)), reference.insert(id), "insert {id}");
            }
            for id in 0..12 {
                assert_eq!(marks.contains(NodeId(id)), reference.contains(&id), "contains {id}");
            }
        };
        round(&mut marks, &[1, 2, 1, 9, 9, 7]);
        round(&mut marks, &[2, 3, 10, 3]);
        marks.round = u32::MAX;
        round(&mut marks, &[4, 4, 5]);
        assert_eq!(marks.round, 1, "the wrap starts again from clean marks");
        round(&mut marks, &[5, 6, 11]);
    }
}
