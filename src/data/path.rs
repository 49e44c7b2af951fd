//! Rendering a node's path the way a rule would write it:
//! `政府采购.表.明细[3].采购金额`, `支出计划["3月底"]`, `$` for the root.
//!
//! A path that starts with a key that is not an identifier, or with a list index,
//! starts from `$` (`$["3月底"]`, `$[0]`), since that is how a rule reaches it.
use std::fmt::Write;

use super::{Document, NodeId, NodeValue, Step};

/// Whether `key` can be written bare after a `.`: a UAX #31 identifier
/// (XID_Start or `_`, then XID_Continue) that is not a keyword.
pub fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first == '_' || unicode_ident::is_xid_start(first))
        && chars.all(unicode_ident::is_xid_continue)
        && !crate::syntax::lexicon::is_reserved(key)
}

pub(super) fn render(doc: &Document, id: NodeId) -> String {
    // Walk up to the root, then write the steps from the root down.
    let mut steps = Vec::new();
    let mut at = id;
    while let Some((parent, step)) = doc.node(at).parent {
        steps.push((parent, step));
        at = parent;
    }
    if steps.is_empty() {
        return "$".to_owned();
    }
    let mut out = String::new();
    for (i, &(parent, step)) in steps.iter().rev().enumerate() {
        match step {
            Step::Element(index) => {
                if i == 0 {
                    out.push('$');
                }
                let _ = write!(out, "[{index}]");
            }
            Step::Entry(index) => {
                let key = match doc.value(parent) {
                    NodeValue::Map(entries) => &*entries[index as usize].0,
                    // The tree is built so that this cannot happen; render something
                    // recognisable rather than panic inside an error report.
                    _ => "?",
                };
                if is_identifier(key) {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(key);
                } else {
                    if i == 0 {
                        out.push('$');
                    }
                    out.push_str("[\"");
                    for c in key.chars() {
                        match c {
                            '"' => out.push_str("\\\""),
                            '\\' => out.push_str("\\\\"),
                            '\n' => out.push_str("\\n"),
                            '\t' => out.push_str("\\t"),
                            c if c.is_control() => {
                                let _ = write!(out, "\\u{{{:X}}}", c as u32);
                            }
                            c => out.push(c),
                        }
                    }
                    out.push_str("\"]");
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{load, Limits};
    use crate::source::SourceFile;

    fn doc(text: &str) -> Document {
        load(SourceFile::new("t.yaml", text), Limits::default()).unwrap()
    }

    /// The node reached by following `keys` (a key, or `#n` for element n).
    fn walk(doc: &Document, keys: &[&str]) -> NodeId {
        let mut id = doc.root();
        for k in keys {
            id = if let Some(n) = k.strip_prefix('#') {
                match doc.value(id) {
                    NodeValue::List(items) => items[n.parse::<usize>().unwrap()],
                    other => panic!("not a list: {other:?}"),
                }
            } else {
                doc.get(id, k).unwrap_or_else(|| panic!("no key {k}"))
            };
        }
        id
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("支出"));
        assert!(is_identifier("采购金额"));
        assert!(is_identifier("item_1"));
        assert!(is_identifier("_x"));
        assert!(is_identifier("rules"));
        assert!(!is_identifier("rule"));
        assert!(!is_identifier("null"));
        assert!(!is_identifier("3月底"));
        assert!(!is_identifier("a b"));
        assert!(!is_identifier("应急处置、故障排除时效"));
        assert!(!is_identifier(""));
        assert!(!is_identifier("a-b"));
    }

    #[test]
    fn paths() {
        let d = doc(concat!(
            "政府采购:\n  表:\n    明细:\n      - {品名: a, 采购金额: 1}\n      - {品名: b, 采购金额: 2}\n",
            "      - {品名: c, 采购金额: 3}\n      - {品名: d, 采购金额: 4}\n",
            "支出计划:\n  3月底: 10\n  'a\"b\\c': 1\n  title: x\n",
            "3月底: [5, [6]]\n",
            "2024: y\n",
        ));
        assert_eq!(d.path(d.root()), "$");
        assert_eq!(d.path(walk(&d, &["政府采购"])), "政府采购");
        assert_eq!(
            d.path(walk(&d, &["政府采购", "表", "明细", "#3", "采购金额"])),
            "政府采购.表.明细[3].采购金额"
        );
        assert_eq!(
            d.path(walk(&d, &["政府采购", "表", "明细", "#0"])),
            "政府采购.表.明细[0]"
        );
        assert_eq!(d.path(walk(&d, &["支出计划", "3月底"])), "支出计划[\"3月底\"]");
        assert_eq!(d.path(walk(&d, &["支出计划", "a\"b\\c"])), r#"支出计划["a\"b\\c"]"#);
        assert_eq!(d.path(walk(&d, &["支出计划", "title"])), "支出计划[\"title\"]");
        assert_eq!(d.path(walk(&d, &["3月底", "#1", "#0"])), "$[\"3月底\"][1][0]");
        assert_eq!(d.path(walk(&d, &["2024"])), "$[\"2024\"]");

        let list = doc("- a\n- [b, c]\n");
        assert_eq!(list.path(walk(&list, &["#1", "#1"])), "$[1][1]");
    }

    #[test]
    fn deep_paths_render_without_recursion() {
        let depth = 200;
        let text = "[".repeat(depth) + &"]".repeat(depth);
        let d = doc(&text);
        let mut id = d.root();
        while let NodeValue::List(items) = d.value(id) {
            match items.first() {
                Some(&child) => id = child,
                None => break,
            }
        }
        assert_eq!(d.path(id), "$".to_owned() + &"[0]".repeat(depth - 1));
    }
}
