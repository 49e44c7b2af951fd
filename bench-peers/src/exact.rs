//! The answer key: the checks evaluated in exact decimal arithmetic
//! (rust_decimal) straight from the JSON numbers' literal text, apart from
//! every engine. A verdict is right when it agrees with this.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::checks::{Check, Expr};

/// Per check: whether it holds, and its left side (exact).
pub fn evaluate(checks: &[Check], doc: &Value) -> Vec<(bool, Decimal)> {
    let mut out = Vec::new();
    for check in checks {
        match check {
            Check::Once { lhs, rhs } => {
                let (l, r) = (value(lhs, doc, None), value(rhs, doc, None));
                out.push((l == r, l));
            }
            Check::Each { list, lhs, rhs } => {
                for row in rows(doc, list) {
                    let (l, r) = (value(lhs, doc, Some(row)), value(rhs, doc, Some(row)));
                    out.push((l == r, l));
                }
            }
        }
    }
    out
}

fn at<'a>(doc: &'a Value, dotted: &str) -> &'a Value {
    dotted.split('.').fold(doc, |v, key| &v[key])
}

fn rows<'a>(doc: &'a Value, dotted: &str) -> &'a [Value] {
    at(doc, dotted).as_array().unwrap_or_else(|| panic!("{dotted} is a list"))
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
