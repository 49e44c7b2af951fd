//! Text → AST: pest parses a rule file against `grammar/tally.pest`, with
//! recovery after an error so that every syntax error of a file is reported;
//! [`super::build`] turns the pairs into the tree.

use pest::Parser as _;
use pest_derive::Parser;

use super::ast::File;
use super::build::Builder;
use super::{recover, SyntaxError};
use crate::source::FileId;

#[derive(Parser)]
#[grammar = "../grammar/tally.pest"]
pub(super) struct TallyParser;

/// Parses one rule file. Every syntax error found is returned, each with a span.
///
/// pest stops at the first error, so after one the parse resumes at the next
/// line that starts a top-level item (`rule`, `let`, `fn`, `import` at column
/// 0); an item nested too deeply for pest is blanked out before parsing.
pub fn parse(file: FileId, text: &str) -> Result<File, Vec<SyntaxError>> {
    let (file, errors) = parse_partial(file, text);
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

/// Parses what can be parsed: the items that are well formed, and an error
/// for each that is not (sorted by position). The resolver still checks the
/// good items, so one run reports every load error of a file.
pub fn parse_partial(file: FileId, text: &str) -> (File, Vec<SyntaxError>) {
    let mut errors = Vec::new();
    let mut starts: Option<Vec<usize>> = None;

    let mut blanked: Option<String> = None;
    let mut from = 0;
    while let Some(at) = recover::too_deep(blanked.as_deref().unwrap_or(text), from) {
        errors.push(recover::nesting_error(file, at));
        let starts = starts.get_or_insert_with(|| recover::item_starts(text));
        let begin = starts.iter().rev().find(|&&s| s <= at).copied().unwrap_or(0);
        let end = starts.iter().find(|&&s| s > at).copied().unwrap_or(text.len());
        let buf = blanked.get_or_insert_with(|| text.to_string());
        buf.replace_range(begin..end, &" ".repeat(end - begin));
        from = end;
    }
    let text = blanked.as_deref().unwrap_or(text);

    let mut items = Vec::new();
    let mut start = 0;
    loop {
        let builder = Builder { file, text };
        match TallyParser::parse(Rule::file, &text[start..]) {
            Ok(mut pairs) => {
                builder.items(pairs.next(), start, &mut items, &mut errors);
                break;
            }
            Err(e) => {
                let err = recover::pest_error(file, text, start, &e);
                let pos = err.span().start as usize;
                let starts = starts.get_or_insert_with(|| recover::item_starts(text));
                // Items before the one that failed parsed fine: build them
                // too, for the errors only the builder finds (`1e3`, …).
                let failed = starts
                    .iter()
                    .rev()
                    .find(|&&s| s > start && s < pos)
                    .copied()
                    .unwrap_or(start);
                if failed > start {
                    if let Ok(mut pairs) = TallyParser::parse(Rule::file, &text[start..failed]) {
                        builder.items(pairs.next(), start, &mut items, &mut errors);
                    }
                }
                errors.push(err);
                match starts.iter().find(|&&s| s >= pos && s > failed) {
                    Some(&next) => start = next,
                    None => break,
                }
            }
        }
    }
    errors.sort_by_key(|e| e.at.offset());
    (File { items }, errors)
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
