//! Regex literals, compiled when every rule file has been lowered: each
//! distinct pattern once, on a few threads. A literal that does not compile is
//! a load error at its span, as if it had been compiled where it was met.

use std::collections::HashMap;
use std::sync::Arc;

use super::error::{ResolveError, ResolveErrorKind};
use super::program::{RegexCell, RULE_TEXT_CHARS};
use crate::source::Span;
use crate::text::clip;

/// A regex literal met while lowering; its cell is filled here.
pub struct Pending {
    pub span: Span,
    pub pattern: Arc<str>,
    pub cell: Arc<RegexCell>,
}

/// Compiles every pending literal, filling its cell or reporting why not.
pub fn compile(pending: Vec<Pending>, errors: &mut Vec<ResolveError>) {
    let mut distinct: Vec<Arc<str>> = Vec::new();
    let mut index: HashMap<Arc<str>, usize> = HashMap::new();
    for literal in &pending {
        index.entry(literal.pattern.clone()).or_insert_with(|| {
            distinct.push(literal.pattern.clone());
            distinct.len() - 1
        });
    }
    let compiled = super::parallel::map(
        &distinct,
        super::parallel::threads(),
        |pattern| pattern.len(),
        |pattern| crate::syntax::compile_regex(pattern).map(Arc::new),
    );
    for literal in pending {
        match &compiled[index[&literal.pattern]] {
            Ok(re) => {
                // Each cell is filled once, here.
                let _ = literal.cell.set(re.clone());
            }
            Err(detail) => {
                let last = clip(detail.lines().last().unwrap_or("").trim(), RULE_TEXT_CHARS).into_owned();
                errors.push(
                    ResolveError::new(
                        literal.span,
                        ResolveErrorKind::InvalidRegex {
                            pattern: clip(&literal.pattern, RULE_TEXT_CHARS).into_owned(),
                            reason: last,
                        },
                    )
                    .with_help("patterns use Rust `regex` syntax"),
                );
            }
        }
    }
}
