//! Quick forms of plain assertions: comparisons of numbers, strings and
//! nulls read from data paths, with arithmetic and `sum` over a column
//! (`a.b + c.d == e.f`, `sum([r.x for r in t.rows]) == t.total`).
//!
//! Most assertions pass, and a pass leaves nothing behind but a count. The
//! evaluator tries an assertion's quick form first, without recording what
//! it reads, and trusts it only when it passes; anything else (a violation,
//! a missing key, a type mismatch, an overflow) runs the full evaluation,
//! which finds exactly what the assertion read. So a quick form must never
//! pass where the full evaluation would not: each of its operations is the
//! full evaluation's own on the same values, and it gives up on everything
//! else (see `eval::quick`).

use std::sync::atomic::AtomicU32;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::program::{Expr, ExprKind, Literal, Within};
use crate::builtins::Kind;
use crate::syntax::ast::{BinaryOp, CompareOp, UnaryOp};

/// Expression nodes a quick form may hold: its steps, with those of a
/// `sum`'s body counted once per element, stay far below the step budget.
pub const MAX_NODES: usize = 64;

/// A condition: true, false, or "ask the full evaluation".
#[derive(Debug)]
pub enum Cond {
    Compare {
        op: CompareOp,
        lhs: Operand,
        rhs: Operand,
        /// `within t` with a literal `t` of 0 or more.
        within: Option<Decimal>,
    },
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Not(Box<Cond>),
}

/// A value compared: a number, a string or null.
#[derive(Debug)]
pub enum Operand {
    Num(Decimal),
    Str(Arc<str>),
    Null,
    Path(Path),
    Neg(Box<Operand>),
    Arith(BinaryOp, Box<Operand>, Box<Operand>),
    /// `sum([body for var in list])`, without a filter or a key variable.
    Sum {
        list: Path,
        body: Box<Operand>,
    },
}

/// Keys read one after another from a start: `a.b.c` as one step.
#[derive(Debug)]
pub struct Path {
    pub start: Start,
    pub keys: Box<[Arc<str>]>,
    /// For each key, where in its map it was found last: the rows of a table
    /// hold their keys in one order, so it is mostly found there again.
    /// (A map's keys are distinct, so this finds what a search finds.)
    pub hints: Box<[AtomicU32]>,
}

#[derive(Debug, Clone, Copy)]
pub enum Start {
    /// The document's root (`$`, or a top-level key as the first of `keys`).
    Root,
    /// A local slot of the rule's frame.
    Local(usize),
    /// The element a `sum`'s body is evaluated for.
    Element,
}

/// The quick form of an assertion's condition, if it has one.
pub fn compile(cond: &Expr) -> Option<Cond> {
    Compiler {
        nodes: 0,
        element: None,
    }
    .cond(cond)
}

struct Compiler {
    /// Parts compiled so far.
    nodes: usize,
    /// Inside a `sum`'s body: the slot of its element.
    element: Option<usize>,
}

impl Compiler {
    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(())
    }

    fn cond(&mut self, expr: &Expr) -> Option<Cond> {
        self.count()?;
        match &expr.kind {
            ExprKind::Compare { op, lhs, rhs, within } => {
                let within = match within {
                    None => None,
                    Some(Within::Tolerance(t)) => match &t.kind {
                        ExprKind::Literal(Literal::Num(t)) if !t.is_sign_negative() || t.is_zero() => Some(*t),
                        _ => return None,
                    },
                    Some(Within::Rounding) => return None,
                };
                Some(Cond::Compare {
                    op: *op,
                    lhs: self.operand(lhs)?,
                    rhs: self.operand(rhs)?,
                    within,
                })
            }
            ExprKind::Binary {
                op: op @ (BinaryOp::And | BinaryOp::Or),
                lhs,
                rhs,
            } => {
                let (lhs, rhs) = (Box::new(self.cond(lhs)?), Box::new(self.cond(rhs)?));
                Some(match op {
                    BinaryOp::And => Cond::And(lhs, rhs),
                    _ => Cond::Or(lhs, rhs),
                })
            }
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => Some(Cond::Not(Box::new(self.cond(operand)?))),
            _ => None,
        }
    }

    fn operand(&mut self, expr: &Expr) -> Option<Operand> {
        self.count()?;
        match &expr.kind {
            ExprKind::Literal(Literal::Num(n)) => Some(Operand::Num(*n)),
            ExprKind::Literal(Literal::Str(s)) => Some(Operand::Str(s.clone())),
            ExprKind::Literal(Literal::Null) => Some(Operand::Null),
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => Some(Operand::Neg(Box::new(self.operand(operand)?))),
            ExprKind::Binary { op, lhs, rhs } => match op {
                BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => Some(Operand::Arith(
                    *op,
                    Box::new(self.operand(lhs)?),
                    Box::new(self.operand(rhs)?),
                )),
                _ => None,
            },
            ExprKind::Builtin { builtin, args } if builtin.0.kind == Kind::Sum && self.element.is_none() => {
                let [arg] = args.as_slice() else { return None };
                let ExprKind::Comprehension(c) = &arg.kind else {
                    return None;
                };
                if c.cond.is_some() || c.key_slot.is_some() {
                    return None;
                }
                self.count()?;
                let list = self.path(&c.iter)?;
                self.element = Some(c.var_slot);
                let body = self.operand(&c.body);
                self.element = None;
                Some(Operand::Sum {
                    list,
                    body: Box::new(body?),
                })
            }
            _ => self.path(expr).map(Operand::Path),
        }
    }

    /// A chain of plain key steps (no `[*]`, no index) from the root or a local.
    fn path(&mut self, expr: &Expr) -> Option<Path> {
        let mut keys = Vec::new();
        let mut at = expr;
        let start = loop {
            match &at.kind {
                ExprKind::Field {
                    base,
                    key,
                    optional: _,
                    mapped: false,
                } => {
                    self.count()?;
                    keys.push(key.clone());
                    at = base;
                }
                ExprKind::DataKey(key) => {
                    self.count()?;
                    keys.push(key.clone());
                    break Start::Root;
                }
                ExprKind::Root => break Start::Root,
                ExprKind::Local(slot) if Some(*slot) == self.element => break Start::Element,
                ExprKind::Local(slot) => break Start::Local(*slot),
                _ => return None,
            }
        };
        keys.reverse();
        Some(Path {
            start,
            hints: keys.iter().map(|_| AtomicU32::new(0)).collect(),
            keys: keys.into(),
        })
    }
}
