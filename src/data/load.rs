//! YAML/JSON events → Document. (Being written.)
use super::{DataError, Document};
use crate::source::SourceFile;

/// Bounds that keep hostile input from exhausting the machine.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_depth: usize,
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 256, max_nodes: 5_000_000 }
    }
}

pub fn load(_source: SourceFile, _limits: Limits) -> Result<Document, DataError> {
    todo!("data loader")
}
