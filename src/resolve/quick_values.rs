//! Which `let`s, `when` guards and assertions the quick evaluator may run (see
//! `eval::quick_value`): those built only of what it evaluates itself.
//! Anything else (`[*]`, an `input`, `within rounding`) is left to the full
//! evaluation from the start, so no work is done twice.

use super::program::{Expr, ExprKind, Function, RuleDef, Stmt, Within};

/// Marks the lets, guards and assertions of `rules` that the quick evaluator can run.
pub fn mark(rules: &mut [RuleDef], functions: &[Function]) {
    let mut marker = Marker {
        functions,
        known: vec![None; functions.len()],
    };
    for rule in rules {
        marker.block(&mut rule.body);
    }
}

struct Marker<'a> {
    functions: &'a [Function],
    /// Whether each function's body can run quickly, once worked out.
    known: Vec<Option<bool>>,
}

impl Marker<'_> {
    fn block(&mut self, stmts: &mut [Stmt]) {
        for stmt in stmts {
            match stmt {
                Stmt::Let { value, quick, .. } => *quick = self.supported(value),
                Stmt::Assert(assertion) => {
                    // A quick form, when there is one, already decides what this could.
                    assertion.runs_quickly = assertion.quick.is_none() && self.supported(&assertion.cond)
                }
                Stmt::For { iter, body, quick, .. } => {
                    *quick = self.supported(iter);
                    self.block(body);
                }
                Stmt::When { cond, body, quick } => {
                    *quick = self.supported(cond);
                    self.block(body);
                }
            }
        }
    }

    fn function(&mut self, index: usize) -> bool {
        if let Some(known) = self.known[index] {
            return known;
        }
        // Definitions cannot be recursive (a load error), so this ends; until
        // it is worked out, a function counts as unsupported.
        self.known[index] = Some(false);
        let functions = self.functions;
        let supported = crate::stack::deeper(|| self.supported(&functions[index].body));
        self.known[index] = Some(supported);
        supported
    }

    fn supported(&mut self, expr: &Expr) -> bool {
        match &expr.kind {
            ExprKind::Literal(_) | ExprKind::Root | ExprKind::DataKey(_) | ExprKind::Local(_) | ExprKind::Global(_) => {
                true
            }
            ExprKind::List(items) => items.iter().all(|e| self.supported(e)),
            ExprKind::Field { base, mapped, .. } => !mapped && self.supported(base),
            ExprKind::Index { base, index, mapped } => !mapped && self.supported(base) && self.supported(index),
            ExprKind::Builtin { args, .. } => args.iter().all(|e| self.supported(e)),
            ExprKind::Exists(inner) => self.supported(inner),
            ExprKind::Call { function, args } => args.iter().all(|e| self.supported(e)) && self.function(*function),
            ExprKind::Comprehension(c) => {
                self.supported(&c.iter) && self.supported(&c.body) && c.cond.as_ref().is_none_or(|e| self.supported(e))
            }
            ExprKind::Unary { operand, .. } => self.supported(operand),
            ExprKind::Binary { lhs, rhs, .. } => self.supported(lhs) && self.supported(rhs),
            ExprKind::Compare { lhs, rhs, within, .. } => {
                self.supported(lhs)
                    && self.supported(rhs)
                    && match within {
                        None => true,
                        Some(Within::Tolerance(t)) => self.supported(t),
                        Some(Within::Rounding) => false,
                    }
            }
            ExprKind::Input(_) | ExprKind::Wildcard { .. } => false,
        }
    }
}
