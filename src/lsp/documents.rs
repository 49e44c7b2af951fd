//! The editor's open documents, and the mapping between editor URIs, the
//! paths the rule loader uses, and positions (UTF-16, as LSP counts them).

use std::collections::HashMap;
use std::path::PathBuf;

use lsp_types::{Position, Range, Uri};

use crate::resolve::{BundledStore, LibraryStore, Listing, RuleStore, MAX_RULE_BYTES};
use crate::syntax::lexicon;

/// The text of every open document, keyed by its loader path.
#[derive(Default)]
pub struct Documents {
    open: HashMap<String, String>,
}

impl Documents {
    pub fn set(&mut self, path: String, text: String) {
        self.open.insert(LibraryStore.identity(&path), text);
    }

    pub fn close(&mut self, path: &str) {
        self.open.remove(&LibraryStore.identity(path));
    }

    pub fn text(&self, path: &str) -> Option<&str> {
        self.open.get(&LibraryStore.identity(path)).map(String::as_str)
    }

    /// Open documents whose path ends with one of `extensions`.
    pub fn with_extension<'a>(&'a self, extensions: &'a [&str]) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.open
            .iter()
            .filter(|(path, _)| extensions.iter().any(|e| path.ends_with(e)))
            .map(|(p, t)| (p.as_str(), t.as_str()))
    }
}

/// Rule files as the editor has them: an open document's unsaved text over
/// the file on disk or in the bundled library.
pub struct OverlayStore<'a>(pub &'a Documents);

impl RuleStore for OverlayStore<'_> {
    fn list(&self, path: &str) -> Option<Listing> {
        LibraryStore.list(path)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        match self.0.text(path) {
            // The limit a rule file on disk has (`tally check` would refuse it).
            Some(text) if text.len() as u64 > MAX_RULE_BYTES => Err(crate::read::ReadError::TooLarge {
                size: text.len() as u64,
                limit: MAX_RULE_BYTES,
            }
            .to_string()),
            Some(text) => Ok(text.as_bytes().to_vec()),
            None => LibraryStore.read(path),
        }
    }

    fn identity(&self, path: &str) -> String {
        LibraryStore.identity(path)
    }
}

/// The folder bundled files are written to so that an editor can open them.
pub fn bundled_dir() -> PathBuf {
    std::env::temp_dir().join(format!("tally-lsp-{}", env!("CARGO_PKG_VERSION")))
}

/// The loader path of a `file:` URI: a file below [`bundled_dir`] is the
/// bundled file it was written from (`@cn-budget/yoy.tally`).
pub fn path_of(uri: &Uri) -> Option<String> {
    let path = percent_decode(uri.as_str().strip_prefix("file://")?)?;
    let dir = bundled_dir();
    match std::path::Path::new(&path).strip_prefix(&dir) {
        Ok(rest) => Some(format!("@{}", rest.to_string_lossy().trim_start_matches('@'))),
        Err(_) => Some(path),
    }
}

/// The URI of a loader path; a bundled file is first written below
/// [`bundled_dir`] (read-only copy, rewritten when it differs).
pub fn uri_of(path: &str) -> Option<Uri> {
    let file = if BundledStore::names(path) {
        materialise(path)?
    } else {
        std::path::absolute(path).ok()?
    };
    format!("file://{}", percent_encode(&file.to_string_lossy()))
        .parse()
        .ok()
}

fn materialise(name: &str) -> Option<PathBuf> {
    let text = BundledStore.read(name).ok()?;
    let file = bundled_dir().join(name);
    if std::fs::read(&file).ok().as_deref() != Some(&text[..]) {
        std::fs::create_dir_all(file.parent()?).ok()?;
        // A stale read-only copy must be made writable to be replaced.
        if let Ok(meta) = std::fs::metadata(&file) {
            let mut perms = meta.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            let _ = std::fs::set_permissions(&file, perms);
        }
        std::fs::write(&file, &text).ok()?;
        if let Ok(meta) = std::fs::metadata(&file) {
            let mut perms = meta.permissions();
            perms.set_readonly(true);
            let _ = std::fs::set_permissions(&file, perms);
        }
    }
    Some(file)
}

fn percent_encode(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A byte offset as an LSP position (line, UTF-16 column). Lines end at
/// `\n`, `\r\n` or a lone `\r`, as the protocol and the rest of Tally say.
pub fn position(text: &str, offset: usize) -> Position {
    let offset = floor_char(text, offset.min(text.len()));
    let line = lexicon::count_line_breaks(&text[..offset]);
    let line_start = lexicon::line_start(text, offset);
    let column: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    Position::new(line as u32, column as u32)
}

pub fn range(text: &str, start: usize, end: usize) -> Range {
    Range::new(position(text, start), position(text, end))
}

/// An LSP position as a byte offset (clamped to the line's end).
pub fn offset(text: &str, pos: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..pos.line {
        match lexicon::next_line(text, line_start) {
            Some(next) => line_start = next,
            None => return text.len(),
        }
    }
    let mut units = 0;
    for (i, c) in text[line_start..].char_indices() {
        if units >= pos.character as usize || c == '\n' || c == '\r' {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_break_ends_a_line() {
        for text in ["a\nb\nc", "a\r\nb\r\nc", "a\rb\rc", "a\rb\r\nc"] {
            let c = text.rfind('c').unwrap();
            assert_eq!(position(text, c), Position::new(2, 0), "{text:?}");
            assert_eq!(offset(text, Position::new(2, 0)), c, "{text:?}");
            assert_eq!(offset(text, Position::new(0, 9)), 1, "{text:?}");
        }
    }

    #[test]
    fn positions_count_utf16_units() {
        let text = "let 收入 = 1\nx 𝄞y";
        assert_eq!(position(text, text.find('=').unwrap()), Position::new(0, 7));
        assert_eq!(position(text, text.find('y').unwrap()), Position::new(1, 4));
        assert_eq!(offset(text, Position::new(1, 4)), text.find('y').unwrap());
        assert_eq!(offset(text, Position::new(0, 99)), text.find('\n').unwrap());
    }

    #[test]
    fn uris_round_trip_with_chinese_names() {
        let uri = uri_of("/tmp/规则/收入.tally").unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/%E8%A7%84%E5%88%99/%E6%94%B6%E5%85%A5.tally");
        assert_eq!(path_of(&uri).unwrap(), "/tmp/规则/收入.tally");
    }

    #[test]
    fn bundled_files_are_written_out_and_map_back() {
        let uri = uri_of("@cn-budget/common.tally").unwrap();
        assert_eq!(path_of(&uri).unwrap(), "@cn-budget/common.tally");
        let file = bundled_dir().join("@cn-budget/common.tally");
        assert_eq!(
            std::fs::read(file).unwrap(),
            BundledStore.read("@cn-budget/common.tally").unwrap()
        );
    }
}
