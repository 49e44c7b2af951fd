//! What a local slot's value read: most slots read nothing or one value, so
//! those cost no allocation; longer lists are shared.

use std::ops::Deref;
use std::rc::Rc;

use crate::data::NodeId;

#[derive(Clone, Debug, Default)]
pub(super) enum SlotReads {
    #[default]
    None,
    One(NodeId),
    Many(Rc<[NodeId]>),
}

impl SlotReads {
    pub fn of(reads: &[NodeId]) -> SlotReads {
        match reads {
            [] => SlotReads::None,
            [one] => SlotReads::One(*one),
            many => SlotReads::Many(Rc::from(many)),
        }
    }
}

impl Deref for SlotReads {
    type Target = [NodeId];

    fn deref(&self) -> &[NodeId] {
        match self {
            SlotReads::None => &[],
            SlotReads::One(id) => std::slice::from_ref(id),
            SlotReads::Many(ids) => ids,
        }
    }
}
