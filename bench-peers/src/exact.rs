//! The answer key: the checks evaluated in exact decimal arithmetic
//! (rust_decimal) straight from the JSON numbers' literal text, apart from
//! every engine. A verdict is right when it agrees with this.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::checks::{Check, Expr};

/// One check, computed exactly.
pub struct Exact {
    pub holds: bool,
    pub lhs: Decimal,
    pub rhs: Decimal,
    /// The left side with the numbers it reads, as written: `6 × 0.60`.
    pub operands: String,
}

/// Per check, in order.
pub fn evaluate(checks: &[Check], doc: &Value) -> Vec<Exact> {
    let one = |lhs: &Expr, rhs: &Expr, row: Option<&Value>| {
        let (l, r) = (value(lhs, doc, row), value(rhs, doc, row));
        Exact {
            holds: l == r,
            lhs: l,
            rhs: r,
            operands: operands(lhs, doc, row),
        }
    };
    let mut out = Vec::new();
    for check in checks {
        match check {
            Check::Once { lhs, rhs } => out.push(one(lhs, rhs, None)),
            Check::Each { list, lhs, rhs } => out.extend(rows(doc, list).iter().map(|row| one(lhs, rhs, Some(row)))),
        }
    }
    out
}

fn operands(e: &Expr, doc: &Value, row: Option<&Value>) -> String {
    match e {
        Expr::Path(p) => at(doc, p).to_string(),
        Expr::Field(f) => row.expect("inside a per-row check")[*f].to_string(),
        Expr::Add(terms) => terms
            .iter()
            .map(|t| operands(t, doc, row))
            .collect::<Vec<_>>()
            .join(" + "),
        Expr::Mul(a, b) => format!("{} × {}", operands(a, doc, row), operands(b, doc, row)),
        Expr::Sum { list, field } => rows(doc, list)
            .iter()
            .map(|x| x[*field].to_string())
            .collect::<Vec<_>>()
            .join(" + "),
    }
}

fn at<'a>(doc: &'a Value, dotted: &str) -> &'a Value {
    dotted.split('.').fold(doc, |v, key| &v[key])
}

fn rows<'a>(doc: &'a Value, dotted: &str) -> &'a [Value] {
    at(doc, dotted)
        .as_array()
        .unwrap_or_else(|| panic!("{dotted} is a list"))
}

fn number(v: &Value) -> Decimal {
    match v {
        // With serde_json's `arbitrary_precision`, the literal text as written.
        Value::Number(n) => Decimal::from_str(&n.to_string()).expect("a decimal"),
        other => panic!("not a number: {other}"),
    }
}

fn value(e: &Expr, doc: &Value, row: Option<&Value>) -> Decimal {
    match e {
        Expr::Path(p) => number(at(doc, p)),
        Expr::Field(f) => number(&row.expect("inside a per-row check")[*f]),
        Expr::Add(terms) => terms.iter().map(|t| value(t, doc, row)).sum(),
        Expr::Mul(a, b) => value(a, doc, row) * value(b, doc, row),
        Expr::Sum { list, field } => rows(doc, list).iter().map(|x| number(&x[*field])).sum(),
    }
}
