//! Go to definition: of a name (local or file-level, in any imported file),
//! of a rule ID, and of an import (the file it names, bundled ones written
//! out so the editor can open them).

use lsp_types::{Location, Position, Range};

use super::documents::{range, uri_of};
use super::symbols::{word_at, Analysis};

pub fn definition(analysis: &Analysis, text: &str, offset: usize) -> Option<Location> {
    if let Some(target) = analysis.import_at(offset) {
        return Some(Location::new(
            uri_of(&target)?,
            Range::new(Position::new(0, 0), Position::new(0, 0)),
        ));
    }
    let (start, end) = word_at(text, offset)?;
    let def = analysis.resolve(&text[start..end], offset)?;
    let source = &analysis.files.sources[def.span.file as usize];
    Some(Location::new(
        uri_of(source.name())?,
        range(source.text(), def.span.start as usize, def.span.end as usize),
    ))
}
