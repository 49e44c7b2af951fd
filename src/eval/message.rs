//! Finding messages: the rule's own `message "…{expr}…"`, or a default that
//! shows the assertion with the values it compared and their difference.

use rust_decimal::Decimal;

use super::expr::typed;
use super::Evaluator;
use crate::resolve::program::{Assertion, Expr, ExprKind, MessagePart};
use crate::syntax::ast::{BinaryOp, CompareOp, UnaryOp};
use crate::value::Value;
use crate::value::{interpolate, show};

impl<'p> Evaluator<'p, '_> {
    pub(super) fn custom_message(&mut self, parts: &'p [MessagePart]) -> String {
        let mark = self.reads.len();
        let mut out = String::new();
        for part in parts {
            match part {
                MessagePart::Text(text) => out.push_str(text),
                MessagePart::Expr(expr) => match self.eval(expr) {
                    Ok(value) => out.push_str(&interpolate(self.doc, &value)),
                    Err(mut fault) => out.push_str(&format!(
                        "{{{}: {}: {}}}",
                        self.program.text(expr.span),
                        fault.kind.as_str(),
                        fault.settle(self.program, self.doc).message
                    )),
                },
            }
        }
        self.truncate_reads(mark);
        out
    }

    /// `a + b == c: 1177.92 + 360 = 1537.92, but c is 1500 (Δ 37.92)`.
    pub(super) fn default_message(&mut self, assertion: &'p Assertion) -> String {
        let text = self.program.text(assertion.cond.span).into_owned();
        let Some(failed) = self.failed_compare.take() else {
            return format!("{text} is false");
        };
        let (lhs, rhs, op) = match &failed.expr.kind {
            ExprKind::Compare { lhs, rhs, op, .. } => (&**lhs, &**rhs, *op),
            _ => return format!("{text} is false"),
        };
        // A side is shown term by term by evaluating its terms again, which
        // only gives their values where its locals still hold them: not in a
        // `fn`'s body (its frame is gone) nor a comprehension's (its variable
        // holds the last element). There, each side is shown whole.
        let in_frame = assertion.cond.holds_in_frame(failed.expr);
        let left = self.describe(lhs, &failed.lhs, in_frame);
        let right = self.describe(rhs, &failed.rhs, in_frame);
        // A failed `!=` means the sides agree: "a is 5, and b is 5".
        let joiner = if op == CompareOp::Ne { "and" } else { "but" };
        // A literal side says nothing the assertion text does not: `x == 5: x is 3`.
        let sides = match (&lhs.kind, &rhs.kind) {
            (_, ExprKind::Literal(_)) => left,
            (ExprKind::Literal(_), _) => right,
            _ => format!("{left}, {joiner} {right}"),
        };
        let mut message = if std::ptr::eq(failed.expr, &assertion.cond) {
            format!("{text}: {sides}")
        } else {
            format!(
                "{text} is false, since {}: {sides}",
                self.program.text(failed.expr.span)
            )
        };
        let numbers = (failed.lhs.as_num(self.doc), failed.rhs.as_num(self.doc));
        if let (Some(x), Some(y), false) = (numbers.0, numbers.1, op == CompareOp::Ne && failed.allowed.is_none()) {
            if let Some(delta) = x.checked_sub(y) {
                message.push_str(&format!(" (Δ {delta})"));
            }
        }
        match failed.allowed {
            Some((radius, true)) => message.push_str(&format!("; rounding allows ±{radius}")),
            Some((tolerance, false)) => message.push_str(&format!("; allowed ±{tolerance}")),
            None if op == CompareOp::Eq && in_frame => {
                if let (Some(x), Some(y)) = numbers {
                    message.push_str(&self.rounding_hint(lhs, rhs, x, y));
                }
            }
            None => {}
        }
        message
    }

    /// For a failed exact `==` whose difference the printed precision of the
    /// data explains: suggest `within rounding`.
    fn rounding_hint(&mut self, lhs: &'p Expr, rhs: &'p Expr, x: Decimal, y: Decimal) -> String {
        let mark = self.reads.len();
        let radius = match (self.interval(lhs), self.interval(rhs)) {
            (Ok((_, a)), Ok((_, b))) => a.checked_add(b),
            _ => None,
        };
        self.reads.truncate(mark);
        match (radius, x.checked_sub(y)) {
            (Some(r), Some(delta)) if r > Decimal::ZERO && delta.abs() <= r => format!(
                "; the difference is within the printed precision (±{r}): if the figures are rounded, write `== … within rounding`"
            ),
            _ => String::new(),
        }
    }

    /// One side of a comparison: `支出.合计 is 1500`, `1177.92 + 360 = 1537.92`.
    fn describe(&mut self, expr: &'p Expr, value: &Value, in_frame: bool) -> String {
        let shown = show(self.doc, value);
        match &expr.kind {
            ExprKind::Literal(_) => shown,
            kind if is_path(kind) => format!("{} is {shown}", self.program.text(expr.span)),
            ExprKind::Binary { op, .. } if is_arithmetic(*op) && in_frame => {
                let mark = self.reads.len();
                let substituted = self.substitute(expr);
                self.truncate_reads(mark);
                format!("{substituted} = {shown}")
            }
            _ if value.is_null(self.doc) => format!("{} is null", self.program.text(expr.span)),
            _ => format!("{} = {}", self.program.text(expr.span), typed_or_plain(self, value)),
        }
    }

    /// The expression with each leaf replaced by its value.
    fn substitute(&mut self, expr: &'p Expr) -> String {
        match &expr.kind {
            ExprKind::Binary { op, lhs, rhs } if is_arithmetic(*op) => {
                let l = self.operand(lhs, *op, false);
                let r = self.operand(rhs, *op, true);
                format!("{l} {} {r}", op.symbol())
            }
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => format!("-{}", self.operand(operand, BinaryOp::Mul, true)),
            ExprKind::Literal(_) => self.program.text(expr.span).into_owned(),
            _ => match self.eval(expr) {
                Ok(v) => show(self.doc, &v),
                Err(mut fault) => format!(
                    "<{}: {}>",
                    fault.kind.as_str(),
                    fault.settle(self.program, self.doc).message
                ),
            },
        }
    }

    fn operand(&mut self, expr: &'p Expr, parent: BinaryOp, right: bool) -> String {
        let inner = self.substitute(expr);
        match &expr.kind {
            ExprKind::Binary { op, .. } if is_arithmetic(*op) && needs_parens(*op, parent, right) => {
                format!("({inner})")
            }
            _ => inner,
        }
    }
}

fn typed_or_plain(evaluator: &Evaluator, value: &Value) -> String {
    if value.as_num(evaluator.doc).is_some() || value.as_bool(evaluator.doc).is_some() {
        show(evaluator.doc, value)
    } else {
        typed(evaluator.doc, value)
    }
}

fn is_path(kind: &ExprKind) -> bool {
    matches!(
        kind,
        ExprKind::DataKey(_)
            | ExprKind::Field { .. }
            | ExprKind::Index { .. }
            | ExprKind::Wildcard { .. }
            | ExprKind::Local(_)
            | ExprKind::Global(_)
            | ExprKind::Root
    )
}

fn is_arithmetic(op: BinaryOp) -> bool {
    matches!(op, BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div)
}

fn needs_parens(child: BinaryOp, parent: BinaryOp, right: bool) -> bool {
    let level = |op| {
        if matches!(op, BinaryOp::Mul | BinaryOp::Div) {
            2
        } else {
            1
        }
    };
    level(child) < level(parent)
        || (right && level(child) == level(parent) && matches!(parent, BinaryOp::Sub | BinaryOp::Div))
}
