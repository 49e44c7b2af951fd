//! The comments of a rule file, found by scanning outside string literals.

/// A `#` comment: its text (from `#` to the end of the line) and where it is.
#[derive(Clone, Debug)]
pub struct Comment {
    pub start: usize,
    pub text: String,
    /// Nothing but white space before it on its line.
    pub own_line: bool,
}

pub fn collect(text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' | '\n' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '#' => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
                comments.push(Comment {
                    start: i,
                    text: text[i..end].trim_end().to_owned(),
                    own_line: text[line_start..i].trim().is_empty(),
                });
                // Skip to the end of the line.
                for (j, _) in chars.by_ref() {
                    if j + 1 >= end {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    comments
}
