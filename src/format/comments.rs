//! The comments of a rule file, found by scanning outside string literals,
//! and the few lexical questions the printer asks about the text around them.

/// A `#` comment: its text (from `#` to the end of the line, trailing blanks
/// dropped) and the bytes it covers.
#[derive(Clone, Debug)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Every comment of `text`, in order. A string cannot span lines (spec §2),
/// so a line break also ends one: the scan cannot run away.
pub fn collect(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut comments: Vec<Comment> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' if follows_message(text, i, &comments) => i = message_end(text, i),
            b'"' => i = string_end(text, i),
            b'#' => {
                let end = line_end(text, i);
                comments.push(Comment {
                    start: i,
                    end,
                    text: text[i..end].trim_end().to_owned(),
                });
                i = end;
            }
            _ => i += 1,
        }
    }
    comments
}

/// The end of the line holding `pos` (the position of its line break, `\n`,
/// `\r\n` or `\r`, or the end).
pub fn line_end(text: &str, pos: usize) -> usize {
    text[pos..].find(['\n', '\r']).map_or(text.len(), |n| pos + n)
}

/// Whether the string starting at `quote` is a `message` string: the
/// previous token, comments skipped, is the keyword `message`.
fn follows_message(text: &str, quote: usize, comments: &[Comment]) -> bool {
    let mut end = quote;
    loop {
        let before = text[..end].trim_end_matches([' ', '\t', '\r', '\n', '\u{FEFF}']);
        match comments.last() {
            Some(c) if c.start < end && c.start + c.text.len() == before.len() => end = c.start,
            _ => {
                return before
                    .strip_suffix("message")
                    .is_some_and(|head| !head.ends_with(|c: char| c == '_' || pest::unicode::XID_CONTINUE(c)))
            }
        }
    }
}

/// The end (after the closing quote) of the `message` string starting at
/// `start`: its `{…}` interpolations hold expressions, whose own strings may
/// hold `"`, `#` and `}`.
fn message_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' | b'\r' => return i,
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'{' => {
                // The interpolation: up to its `}`, strings skipped whole.
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'"' => i = string_end(text, i),
                        b'}' => break,
                        b'\n' | b'\r' => return i,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    bytes.len().min(i)
}

/// The end (after the closing quote) of the string starting at `start`.
pub fn string_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' | b'\r' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The next position at or after `pos` that is neither white space (the
/// grammar's: blanks, line breaks, a byte-order mark) nor inside a comment.
pub fn next_token(text: &str, mut pos: usize) -> usize {
    while let Some(c) = text[pos..].chars().next() {
        match c {
            ' ' | '\t' | '\r' | '\n' | '\u{FEFF}' => pos += c.len_utf8(),
            '#' => pos = line_end(text, pos),
            _ => break,
        }
    }
    pos
}

/// Whether `text[from..to]` holds an empty line: two line breaks with only
/// blanks between them.
pub fn blank_line_between(text: &str, from: usize, to: usize) -> bool {
    if from >= to {
        return false;
    }
    let part = text[from..to].replace("\r\n", "\n");
    let mut lines = part.split(['\n', '\r']);
    // The first piece is the rest of the line `from` is on, the last the
    // start of the line `to` is on; only whole lines in between count.
    lines.next();
    let mut whole: Vec<&str> = lines.collect();
    whole.pop();
    whole.iter().any(|line| line.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_outside_strings_only() {
        let text = "let a = \"# no\" # yes \"quoted\"\n# own \\\"\nlet b = \"\\\"#\"";
        let found: Vec<String> = collect(text).into_iter().map(|c| c.text).collect();
        assert_eq!(found, ["# yes \"quoted\"", "# own \\\""]);
    }

    #[test]
    fn strings_inside_interpolations_are_not_comments() {
        let text = "rule a {\n  assert x message \"x {s ?? \"#\"} y\" # real\n}\n";
        let found: Vec<String> = collect(text).into_iter().map(|c| c.text).collect();
        assert_eq!(found, ["# real"]);
        // A plain string keeps `{` as text: `"{"` then a comment.
        let found: Vec<String> = collect("let a = \"{\" # c\n").into_iter().map(|c| c.text).collect();
        assert_eq!(found, ["# c"]);
    }

    #[test]
    fn a_carriage_return_ends_a_comment() {
        let found: Vec<String> = collect("# a\rlet b = 1 # c\r").into_iter().map(|c| c.text).collect();
        assert_eq!(found, ["# a", "# c"]);
    }

    #[test]
    fn tokens_and_blank_lines() {
        let text = "a # c\n\n  # d\n b";
        assert_eq!(next_token(text, 1), text.len() - 1);
        assert!(blank_line_between(text, 1, text.len() - 1));
        assert!(!blank_line_between(text, 8, text.len() - 1));
        assert!(!blank_line_between(text, 5, 2));
    }
}
