//! The comments of a rule file and the few lexical questions the printer
//! asks about the text around them, answered by `syntax::lexicon`'s scanner.

use crate::syntax::lexicon::{self, PieceKind};
pub use crate::syntax::lexicon::{line_end, string_end};

/// A `#` comment: its text (from `#` to the end of the line, trailing blanks
/// dropped) and the bytes it covers.
#[derive(Clone, Debug)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Every comment of `text`, in order, as the one scanner of the language
/// finds them (strings and `message` interpolations skipped).
pub fn collect(text: &str) -> Vec<Comment> {
    lexicon::pieces(text)
        .into_iter()
        .filter(|p| p.kind == PieceKind::Comment)
        .map(|p| Comment {
            start: p.start,
            end: p.end,
            text: text[p.start..p.end].trim_end().to_owned(),
        })
        .collect()
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
