//! Text from the user's files as every output shows it: invisible and
//! control characters escaped, long text cut. A leaf every layer uses (load
//! errors, values, reports, the command line), so it depends on nothing.

use std::borrow::Cow;
use std::fmt::Write;

/// How many characters of a value's text any output shows (spec: JSON `value`).
pub const VALUE_CHARS: usize = 200;

/// Whether `c` is shown as `\u{…}`: controls (C0 but tab and line feed, DEL,
/// C1), and characters that print as nothing or reorder text (zero-width,
/// bidirectional marks, BOM, line/paragraph separators, tags, fillers).
pub fn is_hidden(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        c if c.is_control() => true,
        '\u{00AD}'
        | '\u{034F}'
        | '\u{061C}'
        | '\u{115F}'
        | '\u{1160}'
        | '\u{17B4}'
        | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' => true,
        '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' => true,
        '\u{3164}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' => true,
        '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E007F}' => true,
        _ => false,
    }
}

/// `text` with every hidden character written `\u{200B}` (upper-case hex),
/// so a terminal never receives it raw. Tabs and line breaks stay.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// A name (a file's, a key's) as messages quote it: escaped as [`escape`]
/// does, and line breaks and tabs too, which belong in values but would let
/// a name start a line of its own in a report.
pub fn escape_name(text: &str) -> Cow<'_, str> {
    let breaks = |c: char| matches!(c, '\n' | '\r' | '\t');
    if !text.chars().any(|c| breaks(c) || is_hidden(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if breaks(c) {
            let _ = write!(out, "\\u{{{:X}}}", c as u32);
        } else {
            push_escaped(&mut out, c);
        }
    }
    Cow::Owned(out)
}

/// `text` escaped as [`escape`] does, except colour codes (SGR sequences,
/// `ESC [ digits and ; m`), which pass as they are: for text that the
/// coloured renderer wrote around text that is already escaped.
pub fn escape_except_colour(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\u{1b}' && is_hidden(c)) && !text.contains('\u{1b}') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let colour = (c == '\u{1b}')
            .then(|| rest[1..].strip_prefix('['))
            .flatten()
            .and_then(|after| {
                let params = after.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
                after[params..].starts_with('m').then_some(2 + params + 1)
            });
        match colour {
            Some(len) => {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            }
            None => {
                push_escaped(&mut out, c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    Cow::Owned(out)
}

/// JSON text (a schema file shown as it is) with every hidden character but
/// a carriage return written as a JSON escape (`\u200B`, a surrogate pair
/// past U+FFFF): inside a string it means the same character, so the JSON
/// still says what it said, and a terminal never receives it raw. Outside a
/// string such a character was not valid JSON to begin with.
pub fn escape_json_text(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| c != '\r' && is_hidden(c);
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04X}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Appends `c`, escaped if hidden.
pub fn push_escaped(out: &mut String, c: char) {
    if is_hidden(c) {
        let _ = write!(out, "\\u{{{:X}}}", c as u32);
    } else {
        out.push(c);
    }
}

/// At most `max` characters of `text`: longer text is cut on a character
/// boundary and ends with `…` (which counts as one of the `max`).
pub fn clip(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let keep = text
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(text.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &text[..keep]))
        }
    }
}

/// Text to show: clipped to `max` characters, then escaped.
pub fn shown(text: &str, max: usize) -> String {
    escape(&clip(text, max)).into_owned()
}

/// A message for a reader: each line escaped and cut at `max_line`
/// characters, and at most `max_lines` lines (a note says how many more).
pub fn message(text: &str, max_line: usize, max_lines: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_line.saturating_mul(max_lines)));
    let mut lines = text.split('\n');
    for (i, line) in lines.by_ref().take(max_lines).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&escape(&clip(line, max_line)));
    }
    let more = lines.count();
    if more > 0 {
        let _ = write!(out, "\n… ({more} more line{})", if more == 1 { "" } else { "s" });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_escaped() {
        assert_eq!(escape("支\u{200B}出"), "支\\u{200B}出");
        assert_eq!(escape("a\u{1b}[31mb\u{7}"), "a\\u{1B}[31mb\\u{7}");
        assert_eq!(escape("\u{202E}abc\u{2066}"), "\\u{202E}abc\\u{2066}");
        assert_eq!(escape("tab\tand\nline"), "tab\tand\nline");
        assert_eq!(escape("\u{85}\u{FEFF}"), "\\u{85}\\u{FEFF}");
        assert!(matches!(escape("合计: 1537.92"), Cow::Borrowed(_)));
    }

    #[test]
    fn names_escape_line_breaks_too() {
        assert_eq!(escape_name("two\nlines\r\t.yaml"), "two\\u{A}lines\\u{D}\\u{9}.yaml");
        assert_eq!(escape_name("e\u{1b}[31m"), "e\\u{1B}[31m");
        assert!(matches!(escape_name("预算/2024.yaml"), Cow::Borrowed(_)));
    }

    #[test]
    fn colour_codes_pass_and_nothing_else() {
        let text = "\u{1b}[1;31merror\u{1b}[0m a\u{1b}]0;title\u{7} \u{1b}[2J\u{1b}[ b\u{200B}";
        assert_eq!(
            escape_except_colour(text),
            "\u{1b}[1;31merror\u{1b}[0m a\\u{1B}]0;title\\u{7} \\u{1B}[2J\\u{1B}[ b\\u{200B}"
        );
        assert!(matches!(escape_except_colour("plain 文字"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_text_gets_json_escapes() {
        let text = "{\"a\u{200B}\": \"\u{202E}[1m\u{E0041}\"}\r\n";
        let escaped = escape_json_text(text);
        assert_eq!(escaped, "{\"a\\u200B\": \"\\u202E[1m\\uDB40\\uDC41\"}\r\n");
        let before: serde_json::Value = serde_json::from_str(text).unwrap();
        let after: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(before, after);
    }

    #[test]
    fn clipping_counts_characters() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip("合计合计", 3), "合计…");
        assert_eq!(clip(&"支".repeat(500), VALUE_CHARS).chars().count(), VALUE_CHARS);
    }

    #[test]
    fn messages_are_cut_by_line_and_length() {
        assert_eq!(message("ab\ncdef\ng\nh", 3, 2), "ab\ncd…\n… (2 more lines)");
    }
}
