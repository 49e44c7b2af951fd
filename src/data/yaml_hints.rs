//! YAML mistakes a person typing budget figures makes, said in plain words at
//! the line where they are, rather than the parser's own text at the line
//! where it noticed (often the next one).

use std::ops::Range;

/// A mistake found near a YAML error.
pub struct Mistake {
    pub at: Range<usize>,
    pub kind: super::DataErrorKind,
    pub label: String,
    pub help: String,
}

/// How far above the parser's position to look: the slip is usually on the
/// line before the one where the parser gave up.
const LINES_ABOVE: usize = 3;

/// The mistake nearest before byte `at` of `text`, if it is one we know.
/// `tab_error`: the parser said a tab indents a block (tabs are fine
/// elsewhere, in JSON and in flow collections, so only then is one blamed).
pub fn explain(text: &str, at: usize, tab_error: bool) -> Option<Mistake> {
    let at = at.min(text.len());
    let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut start = 0;
    for line in text[..line_end].split('\n') {
        lines.push((start, line));
        start += line.len() + 1;
    }
    let first = lines.len().saturating_sub(LINES_ABOVE + 1);
    lines[first..].iter().rev().find_map(|&(start, line)| {
        let number = text[..start].matches('\n').count() + 1;
        tab_indent(start, line, number)
            .filter(|_| tab_error)
            .or_else(|| full_width_colon(start, line, number))
            .or_else(|| no_space_after_colon(start, line, number))
    })
}

fn tab_indent(start: usize, line: &str, number: usize) -> Option<Mistake> {
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    let tab = indent.find('\t')?;
    Some(Mistake {
        at: start + tab..start + tab + 1,
        kind: super::DataErrorKind::TabIndent { line: number },
        label: "a tab".into(),
        help: "YAML indents with spaces only: replace the tab with spaces (two per level)".into(),
    })
}

/// The key part of a line: after the indentation and any `- `, up to the
/// first `：` or `:`; `None` for comments, quoted keys and flow collections.
fn key_part(line: &str) -> Option<(usize, &str)> {
    let body = line.trim_start();
    let mut offset = line.len() - body.len();
    let body = match body.strip_prefix("- ") {
        Some(rest) => {
            offset += 2;
            rest
        }
        None => body,
    };
    if body.is_empty() || body.starts_with(['#', '"', '\'', '{', '[', '|', '>']) {
        return None;
    }
    Some((offset, body))
}

fn full_width_colon(start: usize, line: &str, number: usize) -> Option<Mistake> {
    let (offset, body) = key_part(line)?;
    let colon = body.find('：')?;
    // A line that already has a key (`说明: 因为：…`) is fine.
    if body[..colon].contains(": ") || body[..colon].ends_with(':') || body[..colon].contains('#') {
        return None;
    }
    let key = body[..colon].trim_end();
    let value = body[colon + '：'.len_utf8()..].trim_start();
    let at = start + offset + colon;
    Some(Mistake {
        at: at..at + '：'.len_utf8(),
        kind: super::DataErrorKind::FullWidthColon { line: number },
        label: "full-width colon".into(),
        help: format!("YAML needs the ASCII colon and a space: `{key}: {value}`"),
    })
}

fn no_space_after_colon(start: usize, line: &str, number: usize) -> Option<Mistake> {
    let (offset, body) = key_part(line)?;
    let colon = body.find(':')?;
    let key = &body[..colon];
    let value = &body[colon + 1..];
    // `key:value`, not `key: value`, `key:` (a nested map) or `http://…`.
    let plain_key = !key.is_empty() && !key.contains([' ', '#']) && !key.starts_with(|c: char| c.is_ascii_digit());
    if !plain_key || value.is_empty() || value.starts_with([' ', '\t', '/']) {
        return None;
    }
    let at = start + offset + colon;
    Some(Mistake {
        at: at..at + 1,
        kind: super::DataErrorKind::NoSpaceAfterColon { line: number },
        label: "a space is needed after this colon".into(),
        help: format!(
            "without the space YAML reads `{key}:{value}` as one piece of text, not a key and a value: write `{key}: {value}`"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::explain;

    fn said(text: &str) -> Option<(String, String, String)> {
        let at = text.rfind("基本").unwrap_or(text.len());
        explain(text, at, text.contains('\t')).map(|m| (text[m.at].to_owned(), m.kind.to_string(), m.help))
    }

    #[test]
    fn a_tab_for_indentation() {
        let (at, message, _) = said("支出:\n\t合计: 1537.92\n").unwrap();
        assert_eq!((at.as_str(), message.as_str()), ("\t", "line 2 is indented with a tab"));
    }

    #[test]
    fn a_full_width_colon() {
        let (at, message, help) = said("支出:\n  合计：1537.92\n  基本支出: 3\n").unwrap();
        assert_eq!(at, "：");
        assert!(message.starts_with("line 2 "), "{message}");
        assert_eq!(help, "YAML needs the ASCII colon and a space: `合计: 1537.92`");
    }

    #[test]
    fn no_space_after_a_colon() {
        let (at, message, help) = said("支出:\n  合计:1537.92\n  基本支出: 3\n").unwrap();
        assert_eq!(at, ":");
        assert!(message.starts_with("line 2 "), "{message}");
        assert!(help.ends_with("write `合计: 1537.92`"), "{help}");
    }

    #[test]
    fn correct_lines_are_not_blamed() {
        for text in [
            "支出:\n  合计: 1537.92\n  基本支出: 3\n",
            "说明: 因为：减少\n基本: 1\n",
            "网址: http://example.org\n基本: 1\n",
            "时间: \"12:30\"\n基本: 1\n",
            "- {a: 1}\n基本: 1\n",
            "# 注：说明\n基本: 1\n",
        ] {
            assert!(said(text).is_none(), "{text}");
        }
    }
}
