//! `within rounding`: a printed figure with n decimals stands for an interval
//! of radius ½·10⁻ⁿ. Radii follow the arithmetic (spec §5); literals in rules
//! and integers in data are exact.

use rust_decimal::Decimal;

use super::fault::{EvalResult, Fault};
use super::Evaluator;
use crate::builtins::Kind;
use crate::data::NodeValue;
use crate::resolve::program::{Expr, ExprKind};
use crate::syntax::ast::{BinaryOp, UnaryOp};
use crate::value::Value;

impl<'p> Evaluator<'p, '_> {
    /// The value of `expr` and the radius of the interval it stands for.
    pub(super) fn interval(&mut self, expr: &'p Expr) -> EvalResult<(Value, Decimal)> {
        match &expr.kind {
            ExprKind::Binary { op, lhs, rhs }
                if matches!(op, BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div) =>
            {
                let (a, ra) = self.interval(lhs)?;
                let (b, rb) = self.interval(rhs)?;
                let value = self.arithmetic(*op, &a, &b, lhs, rhs, expr)?;
                let (x, y) = (self.number(&a, lhs, "")?, self.number(&b, rhs, "")?);
                let overflow = || Fault::arithmetic(expr.span, "overflow while widening a rounding interval");
                let radius = match op {
                    BinaryOp::Add | BinaryOp::Sub => ra.checked_add(rb).ok_or_else(overflow)?,
                    BinaryOp::Mul => x
                        .abs()
                        .checked_mul(rb)
                        .and_then(|p| p.checked_add(y.abs().checked_mul(ra)?))
                        .and_then(|p| p.checked_add(ra.checked_mul(rb)?))
                        .ok_or_else(overflow)?,
                    // |x/y| ranges over (x±ra)/(y±rb); bound it when y's interval excludes 0.
                    _ => {
                        let floor = y.abs().checked_sub(rb).ok_or_else(overflow)?;
                        if floor <= Decimal::ZERO {
                            return Err(Fault::arithmetic(
                                expr.span,
                                "the divisor's rounding interval includes 0, so the quotient is unbounded",
                            ));
                        }
                        x.checked_div(y)
                            .and_then(|q| q.abs().checked_mul(rb))
                            .and_then(|spread| spread.checked_add(ra))
                            .and_then(|spread| spread.checked_div(floor))
                            .ok_or_else(overflow)?
                    }
                };
                Ok((value, radius))
            }
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => {
                let (v, r) = self.interval(operand)?;
                let n = self.number(&v, operand, "`-`")?;
                Ok((Value::Num(-n), r))
            }
            ExprKind::Builtin { builtin, args } if builtin.0.kind == Kind::Sum && args.len() == 1 => {
                let value = self.eval(expr)?;
                let list = self.eval(&args[0])?;
                let radius = list
                    .elements(self.doc)
                    .unwrap_or_default()
                    .iter()
                    .try_fold(Decimal::ZERO, |total, v| total.checked_add(self.radius(v)))
                    .ok_or_else(|| Fault::arithmetic(expr.span, "overflow while widening a rounding interval"))?;
                Ok((value, radius))
            }
            // `number(s)` of a data string keeps the precision it was printed with.
            ExprKind::Builtin { builtin, args } if builtin.0.kind == Kind::Number && args.len() == 1 => {
                let value = self.eval(expr)?;
                let argument = self.eval(&args[0])?;
                let radius = match (&argument, argument.as_str(self.doc)) {
                    (Value::Data(_), Some(text)) => crate::builtins::printed_radius(text),
                    _ => self.radius(&argument),
                };
                Ok((value, radius))
            }
            _ => {
                let value = self.eval(expr)?;
                let radius = self.radius(&value);
                Ok((value, radius))
            }
        }
    }

    /// ½·10⁻ⁿ for a data number written with n ≥ 1 decimals, else 0. With
    /// 28 decimals, ½·10⁻²⁸ cannot be held: 10⁻²⁸, the next wider radius.
    fn radius(&self, value: &Value) -> Decimal {
        match value {
            Value::Data(id) => match self.doc.value(*id) {
                NodeValue::Number(n) if n.scale() > 0 => {
                    Decimal::try_new(5, n.scale() + 1).unwrap_or_else(|_| Decimal::new(1, 28))
                }
                _ => Decimal::ZERO,
            },
            _ => Decimal::ZERO,
        }
    }
}
