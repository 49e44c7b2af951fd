//! Completion: after a dot, the data keys that may follow the path; anywhere
//! else keywords, built-ins, the names in scope and top-level data keys.

use lsp_types::{CompletionItem, CompletionItemKind, Documentation};

use super::data_keys::{data_keys_at, DataKey};
use super::documents::Documents;
use super::symbols::{path_before, word_at, Analysis, DefKind};
use crate::builtins::BUILTINS;

/// Every word completion offers as a keyword: reserved, contextual, and
/// the severities.
fn keywords() -> impl Iterator<Item = &'static str> {
    use crate::syntax::lexicon::{CONTEXTUAL, RESERVED, SEVERITIES};
    RESERVED.iter().chain(CONTEXTUAL).chain(SEVERITIES).copied()
}

pub fn complete(analysis: &Analysis, documents: &Documents, text: &str, offset: usize) -> Vec<CompletionItem> {
    // The start of the word being typed (the cursor when none is).
    let start = word_at(text, offset).map_or(offset, |(s, _)| s.min(offset));
    let path = path_before(text, start);
    let after_dot = text[..start].ends_with('.');
    let schema = analysis.schema();
    if after_dot {
        return if path.is_empty() {
            Vec::new()
        } else {
            keys(data_keys_at(documents, schema.as_ref(), &path))
        };
    }
    let mut items: Vec<CompletionItem> = keywords()
        .map(|k| item(k, CompletionItemKind::KEYWORD, None, None))
        .collect();
    items.extend(BUILTINS.iter().map(|b| {
        item(
            b.name,
            CompletionItemKind::FUNCTION,
            Some(b.signature()),
            Some(b.doc.to_owned()),
        )
    }));
    let mut seen: Vec<String> = Vec::new();
    for def in analysis.locals_at(offset).into_iter().rev().chain(analysis.globals()) {
        if def.kind == DefKind::Rule || seen.contains(&def.name) {
            continue;
        }
        let kind = match def.kind {
            DefKind::Fn => CompletionItemKind::FUNCTION,
            DefKind::Param | DefKind::Input => CompletionItemKind::CONSTANT,
            _ => CompletionItemKind::VARIABLE,
        };
        items.push(item(&def.name, kind, Some(def.kind.as_str().to_owned()), None));
        seen.push(def.name);
    }
    items.extend(keys(data_keys_at(documents, schema.as_ref(), &[])));
    items
}

fn keys(keys: Vec<DataKey>) -> Vec<CompletionItem> {
    keys.into_iter()
        .map(|k| {
            let detail = k
                .seen_in
                .map(|f| format!("data key (seen in {f})"))
                .unwrap_or_else(|| "data key".into());
            item(&k.key, CompletionItemKind::FIELD, Some(detail), k.description)
        })
        .collect()
}

fn item(label: &str, kind: CompletionItemKind, detail: Option<String>, doc: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail,
        documentation: doc.map(Documentation::String),
        ..Default::default()
    }
}
