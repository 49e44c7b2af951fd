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

/// Compiles every pending literal on up to `threads` threads, filling its
/// cell or reporting why not.
pub fn compile(pending: Vec<Pending>, threads: usize, errors: &mut Vec<ResolveError>) {
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
        threads,
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

#[cfg(test)]
mod tests {
    use crate::resolve::program::{ExprKind, Literal, Stmt};
    use crate::resolve::{load_program, LoadError, MemoryStore};

    fn load(text: &str) -> Result<crate::resolve::Program, Vec<LoadError>> {
        let store = MemoryStore(vec![("r/a.tally".into(), text.into())]);
        load_program(&store, &["r/a.tally".to_owned()]).map_err(|failure| failure.errors)
    }

    #[test]
    fn each_literal_of_a_bad_pattern_is_an_error_at_its_own_place() {
        let text = "rule a { assert matches(\"x\", \"(\") }\nrule b { assert matches(\"y\", \"(\") }\n";
        let errors = load(text).expect_err("two bad patterns");
        let places: Vec<(String, usize)> = errors.iter().map(|e| (e.to_string(), e.offset())).collect();
        let second = text.rfind("\"(\"").expect("the second literal");
        assert_eq!(
            places,
            [
                (
                    "invalid regex `(`".to_owned(),
                    text.find("\"(\"").expect("the first literal")
                ),
                ("invalid regex `(`".to_owned(), second),
            ]
        );
    }

    #[test]
    fn literals_of_one_pattern_share_one_compiled_regex() {
        let program = load("rule a { assert matches(\"x\", \"^x$\") and matches(\"y\", \"^x$\") }\n").expect("loads");
        let mut compiled = Vec::new();
        let Stmt::Assert(assertion) = &program.rules[0].body[0] else {
            panic!("an assert");
        };
        let ExprKind::Binary { lhs, rhs, .. } = &assertion.cond.kind else {
            panic!("an `and`");
        };
        for side in [lhs, rhs] {
            let ExprKind::Builtin { args, .. } = &side.kind else {
                panic!("a call");
            };
            let ExprKind::Literal(Literal::Regex(cell)) = &args[1].kind else {
                panic!("a regex literal");
            };
            compiled.push(cell.get().expect("compiled").clone());
        }
        assert!(std::sync::Arc::ptr_eq(&compiled[0], &compiled[1]));
    }
}
