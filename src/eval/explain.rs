//! `tally explain`: runs one rule and lists, for every assertion run, the
//! value of each of its sub-expressions, indented by depth.

use super::display::show;
use super::outcome::DocumentResult;
use super::Evaluator;
use crate::data::Document;
use crate::resolve::program::{Expr, ExprKind, Within};
use crate::resolve::Program;

/// The explanation lines and the rule's ordinary result.
pub fn explain(program: &Program, doc: &Document, rule: usize) -> (Vec<String>, DocumentResult) {
    let mut evaluator = Evaluator::new(program, doc);
    evaluator.explain = Some(Vec::new());
    let mut result = DocumentResult::default();
    evaluator.run_rule(rule, &mut result);
    let mut lines = evaluator.explain.take().unwrap_or_default();
    let def = &program.rules[rule];
    lines.insert(0, format!("rule {} — {}", def.id, def.title));
    lines.push(format!(
        "{} assertion{}: {} passed, {} violated, {} indeterminate, {} errors",
        result.counts.assertions,
        if result.counts.assertions == 1 { "" } else { "s" },
        result.counts.passed,
        result.counts.violations,
        result.counts.indeterminate,
        result.counts.errors
    ));
    if result.counts.skipped > 0 {
        // An absent input: say so rather than let "0 passed" look like a result.
        lines.push(format!(
            "{} skipped: an input the rule reads was not given",
            result.counts.skipped
        ));
    }
    for finding in &result.findings {
        lines.push(format!("  {}: {}", finding.kind.as_str(), finding.message));
    }
    (lines, result)
}

impl<'p> Evaluator<'p, '_> {
    /// Appends the values of `expr` and its sub-expressions to the explanation.
    pub(super) fn explain_assertion(&mut self, expr: &'p Expr) {
        let location = self.program.source(expr.span).location(expr.span.start as usize);
        let mut lines = vec![format!("assert at line {}:", location.line)];
        let saved = (self.reads.len(), self.failed_compare.take());
        self.explain_expr(expr, 1, &mut lines);
        self.reads.truncate(saved.0);
        self.failed_compare = saved.1;
        if let Some(out) = &mut self.explain {
            out.extend(lines);
        }
    }

    fn explain_expr(&mut self, expr: &'p Expr, depth: usize, lines: &mut Vec<String>) {
        let value = match self.eval(expr) {
            Ok(v) => show(self.doc, &v),
            Err(fault) => format!("<{}: {}>", fault.kind.as_str(), fault.message),
        };
        lines.push(format!(
            "{}{} = {value}",
            "  ".repeat(depth),
            self.program.text(expr.span)
        ));
        let children: Vec<&'p Expr> = match &expr.kind {
            ExprKind::Binary { lhs, rhs, .. } => vec![lhs, rhs],
            ExprKind::Compare { lhs, rhs, within, .. } => {
                let mut c: Vec<&'p Expr> = vec![lhs, rhs];
                if let Some(Within::Tolerance(t)) = within {
                    c.push(t);
                }
                c
            }
            ExprKind::Unary { operand, .. } => vec![operand],
            ExprKind::Builtin { args, .. } | ExprKind::Call { args, .. } | ExprKind::List(args) => {
                args.iter().collect()
            }
            ExprKind::Index { index, .. } => vec![index],
            _ => Vec::new(),
        };
        for child in children {
            if !matches!(child.kind, ExprKind::Literal(_)) {
                self.explain_expr(child, depth + 1, lines);
            }
        }
    }
}
