//! Warnings about rules that load but are probably not what their author
//! meant: a rule that asserts nothing cannot fail, an unused binding is
//! usually a typo, a rule without `cite` cannot be traced to a regulation.

use std::collections::HashSet;

use miette::{Diagnostic, LabeledSpan};
use thiserror::Error;

use super::program::{Expr, ExprKind, Literal, MessagePart, Program, Stmt};
use crate::source::Span;

/// A rule that loads but is probably not what its author meant.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("{kind}")]
pub struct LintWarning {
    pub kind: LintKind,
    pub span: Span,
}

/// Each kind of lint warning, with what it names; `Display` is the message.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum LintKind {
    /// A rule with no `assert` can never fail.
    #[error("rule `{rule}` asserts nothing")]
    AssertsNothing { rule: String },
    /// A rule without `cite` cannot be traced to a regulation.
    #[error("rule `{rule}` has no `cite`")]
    NoCite { rule: String },
    /// A `let`, `fn` or parameter nothing reads: usually a typo.
    #[error("`{what} {name}` is never used")]
    Unused {
        /// `let`, `fn`, …
        what: String,
        name: String,
    },
    /// `"{x}"` outside a `message`: shown literally, not interpolated.
    #[error("`{{{inside}}}` in this string is not interpolated")]
    BracesNotInterpolated { inside: String },
}

impl LintKind {
    /// The text under the span.
    pub fn label(&self) -> &'static str {
        match self {
            LintKind::AssertsNothing { .. } => "this rule can never fail",
            LintKind::NoCite { .. } => "which regulation does it encode?",
            LintKind::Unused { .. } => "defined here, used nowhere",
            LintKind::BracesNotInterpolated { .. } => "only a `message` string interpolates `{…}`",
        }
    }

    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            LintKind::AssertsNothing { .. } => "add an `assert`, or remove the rule".into(),
            LintKind::NoCite { .. } => {
                "add `cite \"…\"` naming the regulation or principle, so a finding can be traced".into()
            }
            LintKind::Unused { .. } => "remove it, or check the spelling where it should be used".into(),
            LintKind::BracesNotInterpolated { inside } => format!(
                "to show a value, put it in the rule's `message \"…{{{inside}}}…\"`; to join text, write `\"…\" + text({inside})`"
            ),
        }
    }
}

impl Diagnostic for LintWarning {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("tally::lint"))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Warning)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.kind.help()))
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(
            Some(self.kind.label().to_owned()),
            self.span.source_span(),
        ))))
    }
}

/// Every warning for a loaded program, in file order.
pub fn lint(program: &Program) -> Vec<LintWarning> {
    let mut warnings = Vec::new();
    let mut used_globals = HashSet::new();
    let mut used_functions = HashSet::new();
    let mut braces = Vec::new();
    let mut note = |e: &Expr| match &e.kind {
        ExprKind::Global(i) => {
            used_globals.insert(*i);
        }
        ExprKind::Call { function, .. } => {
            used_functions.insert(*function);
        }
        ExprKind::Literal(Literal::Str(s)) => {
            if let Some(inside) = interpolation_lookalike(s) {
                braces.push((e.span, inside.to_owned()));
            }
        }
        _ => {}
    };
    for g in &program.globals {
        g.value.for_each(&mut note);
    }
    for f in &program.functions {
        f.body.for_each(&mut note);
    }
    // The built-in `schema` rule validates data; it has no statements.
    let builtin = program.schema.as_ref().map(|s| s.rule);
    for (index, rule) in program.rules.iter().enumerate() {
        if Some(index) == builtin {
            continue;
        }
        let mut asserts = 0;
        walk_stmts(&rule.body, &mut |_| asserts += 1, &mut note);
        if asserts == 0 {
            warnings.push(LintWarning {
                kind: LintKind::AssertsNothing {
                    rule: rule.id.to_string(),
                },
                span: rule.span,
            });
        }
        if rule.cite.is_none() {
            warnings.push(LintWarning {
                kind: LintKind::NoCite {
                    rule: rule.id.to_string(),
                },
                span: rule.span,
            });
        }
    }
    for (i, g) in program.globals.iter().enumerate() {
        if !used_globals.contains(&i) {
            warnings.push(unused(&g.name, g.value.span, "let"));
        }
    }
    for (i, f) in program.functions.iter().enumerate() {
        if !used_functions.contains(&i) {
            warnings.push(unused(&f.name, f.body.span, "fn"));
        }
    }
    for (span, inside) in braces {
        warnings.push(LintWarning {
            kind: LintKind::BracesNotInterpolated { inside },
            span,
        });
    }
    warnings.sort_by_key(|w| (w.span.file, w.span.start));
    warnings
}

/// The inside of the first `{…}` in `s` that reads like an interpolation
/// (`{p.名称}`), not like a regex repetition (`{4}`, `{2,3}`), a regex
/// class (`\p{Han}`) or `{{`.
fn interpolation_lookalike(s: &str) -> Option<&str> {
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let inside = &after[..close];
        let starts_like_a_name = inside
            .chars()
            .next()
            .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c));
        let regex_class = rest[..open].ends_with("\\p") || rest[..open].ends_with("\\P");
        if starts_like_a_name && !inside.contains('{') && !regex_class {
            return Some(inside);
        }
        rest = &after[close..];
    }
    None
}

fn unused(name: &str, span: Span, what: &str) -> LintWarning {
    LintWarning {
        kind: LintKind::Unused {
            what: what.to_owned(),
            name: name.to_owned(),
        },
        span,
    }
}

fn walk_stmts(stmts: &[Stmt], on_assert: &mut dyn FnMut(&Expr), on_expr: &mut dyn FnMut(&Expr)) {
    for stmt in stmts {
        match stmt {
            Stmt::Let { value, .. } => value.for_each(on_expr),
            Stmt::Assert(a) => {
                on_assert(&a.cond);
                a.cond.for_each(on_expr);
                if let Some(at) = &a.at {
                    at.for_each(on_expr);
                }
                for part in a.message.iter().flatten() {
                    if let MessagePart::Expr(e) = part {
                        e.for_each(on_expr);
                    }
                }
            }
            Stmt::For { iter, body, .. } => {
                iter.for_each(on_expr);
                walk_stmts(body, on_assert, on_expr);
            }
            Stmt::When { cond, body, .. } => {
                cond.for_each(on_expr);
                walk_stmts(body, on_assert, on_expr);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::interpolation_lookalike;

    #[test]
    fn interpolation_lookalikes() {
        assert_eq!(interpolation_lookalike("{单位.名称}"), Some("单位.名称"));
        assert_eq!(interpolation_lookalike("共 {n} 项"), Some("n"));
        assert_eq!(interpolation_lookalike("^\\d{6}$"), None);
        assert_eq!(interpolation_lookalike("\\d{2,3}"), None);
        assert_eq!(interpolation_lookalike("\\p{Han}+"), None);
        assert_eq!(interpolation_lookalike("{{"), None);
        assert_eq!(interpolation_lookalike("a{"), None);
    }
}
