//! Hover: a built-in's signature and doc, where a name is defined and how,
//! a rule's title, and what a data key means.

use super::data_keys::data_keys_at;
use super::documents::Documents;
use super::symbols::{path_before, word_at, Analysis, DefKind};
use crate::builtins;

/// Markdown for the word at `offset` in file 0 of `analysis` (text `text`).
pub fn hover(analysis: &Analysis, documents: &Documents, text: &str, offset: usize) -> Option<String> {
    let (start, end) = word_at(text, offset)?;
    let word = &text[start..end];
    let path = path_before(text, start);
    if !path.is_empty() {
        return data_key(analysis, documents, &path, word);
    }
    let followed_by_call = text[end..].trim_start().starts_with('(');
    if let Some(def) = analysis.resolve(word, offset) {
        let source = &analysis.files.sources[def.span.file as usize];
        let at = source.location(def.span.start as usize);
        let line = source.line_text(at.line).trim_end();
        let kind = match def.kind {
            DefKind::Rule => "rule",
            DefKind::Local => "local binding",
            other => other.as_str(),
        };
        return Some(format!(
            "```tally\n{line}\n```\n{kind} `{word}`, defined in `{}` line {}",
            source.name(),
            at.line
        ));
    }
    if let Some(builtin) = builtins::lookup(word).filter(|_| followed_by_call) {
        return Some(format!("```tally\n{}\n```\n{}", builtin.signature(), builtin.doc));
    }
    // A bare name no binding claims is a top-level data key.
    data_key(analysis, documents, &[], word)
}

fn data_key(analysis: &Analysis, documents: &Documents, path: &[String], word: &str) -> Option<String> {
    let schema = analysis.schema();
    let key = data_keys_at(documents, schema.as_ref(), path)
        .into_iter()
        .find(|k| k.key == word)?;
    let full: Vec<&str> = path.iter().map(String::as_str).chain([word]).collect();
    let mut text = format!("data `{}`", full.join("."));
    if let Some(description) = key.description {
        text.push_str(&format!("\n\n{description}"));
    }
    if let Some(file) = key.seen_in {
        text.push_str(&format!("\n\nseen in `{file}`"));
    }
    Some(text)
}
