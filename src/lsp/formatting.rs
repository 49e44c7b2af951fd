//! Formatting: `tally fmt` on the editor's text, as one edit.

use lsp_types::TextEdit;

use super::documents::range;

/// The edits that lay `text` out canonically: none when it already is, or
/// when it does not parse (its syntax errors are already shown).
pub fn format(text: &str) -> Option<Vec<TextEdit>> {
    let formatted = crate::format::format(text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    Some(vec![TextEdit::new(range(text, 0, text.len()), formatted)])
}
