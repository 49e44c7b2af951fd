//! Runs the quick form of an assertion (see `resolve::quick`): no reads
//! recorded, no values built. It answers "passes" only where the full
//! evaluation passes too, using the same operations on the same values:
//! `Document::get` for a key; a data node's number, string or null as
//! `Value::as_num`, `as_str` and `is_null` read it; `checked_*` for
//! arithmetic, as `arithmetic` does; a left fold from zero for `sum`, as the
//! builtin does; `==` as `value::equal` decides it on those three kinds.
//! Everything else gives up, and the full evaluation decides.

use std::sync::atomic::Ordering::Relaxed;

use rust_decimal::Decimal;

use super::Evaluator;
use crate::data::{same_key, NodeId, NodeValue};
use crate::resolve::quick::{Cond, Operand, Path, Start, MAX_NODES};
use crate::syntax::ast::{BinaryOp, CompareOp};
use crate::value::Value;

/// Steps the full evaluation might take, estimated from above, beyond which
/// the quick form gives up: far below the step budget, so a pass here is
/// never an assertion the full evaluation stops as out of steps.
const MAX_STEPS: u64 = super::STEP_LIMIT / 10;

/// What an operand came to, borrowed where it can be.
enum Leaf<'v> {
    Num(Decimal),
    Str(&'v str),
    Null,
}

/// Where a path ends: a data node, or a local's own number or null.
enum End {
    Node(NodeId),
    Num(Decimal),
    Null,
}

impl Evaluator<'_, '_> {
    /// Whether the assertion whose quick form is `cond` certainly passes.
    pub(super) fn passes_quickly(&self, cond: &Cond) -> bool {
        let mut steps = MAX_NODES as u64;
        self.quick_cond(cond, None, &mut steps) == Some(true)
    }

    fn quick_cond(&self, cond: &Cond, element: Option<NodeId>, steps: &mut u64) -> Option<bool> {
        match cond {
            Cond::Compare { op, lhs, rhs, within } => {
                let a = self.quick_operand(lhs, element, steps)?;
                let b = self.quick_operand(rhs, element, steps)?;
                match within {
                    Some(t) => within_tolerance(*op, a, b, *t),
                    None => compare(*op, a, b),
                }
            }
            // Left first, the right only when it decides, as `binary` does.
            Cond::And(lhs, rhs) => match self.quick_cond(lhs, element, steps)? {
                false => Some(false),
                true => self.quick_cond(rhs, element, steps),
            },
            Cond::Or(lhs, rhs) => match self.quick_cond(lhs, element, steps)? {
                true => Some(true),
                false => self.quick_cond(rhs, element, steps),
            },
            Cond::Not(inner) => self.quick_cond(inner, element, steps).map(|b| !b),
        }
    }

    fn quick_operand<'a>(&'a self, operand: &'a Operand, element: Option<NodeId>, steps: &mut u64) -> Option<Leaf<'a>> {
        match operand {
            Operand::Num(n) => Some(Leaf::Num(*n)),
            Operand::Str(s) => Some(Leaf::Str(s)),
            Operand::Null => Some(Leaf::Null),
            Operand::Path(path) => self.quick_leaf(path, element, steps),
            Operand::Neg(inner) => match self.quick_operand(inner, element, steps)? {
                Leaf::Num(n) => Some(Leaf::Num(-n)),
                _ => None,
            },
            Operand::Arith(op, lhs, rhs) => {
                let (Leaf::Num(x), Leaf::Num(y)) = (
                    self.quick_operand(lhs, element, steps)?,
                    self.quick_operand(rhs, element, steps)?,
                ) else {
                    return None;
                };
                let result = match op {
                    BinaryOp::Add => x.checked_add(y),
                    BinaryOp::Sub => x.checked_sub(y),
                    BinaryOp::Mul => x.checked_mul(y),
                    BinaryOp::Div if !y.is_zero() => x.checked_div(y),
                    _ => None,
                };
                result.map(Leaf::Num)
            }
            Operand::Sum { list, body } => {
                let End::Node(id) = self.quick_value(list, element, steps)? else {
                    return None;
                };
                let NodeValue::List(items) = self.doc.value(id) else {
                    return None;
                };
                // Each element: its body's steps and its place in the list.
                *steps = steps.checked_add((items.len() as u64).checked_mul(MAX_NODES as u64 + 2)?)?;
                if *steps > MAX_STEPS {
                    return None;
                }
                let mut total = Decimal::ZERO;
                for &item in items.iter() {
                    let Leaf::Num(n) = self.quick_operand(body, Some(item), steps)? else {
                        return None;
                    };
                    total = total.checked_add(n)?;
                }
                Some(Leaf::Num(total))
            }
        }
    }

    /// A path's value as a number, a string or null.
    fn quick_leaf(&self, path: &Path, element: Option<NodeId>, steps: &mut u64) -> Option<Leaf<'_>> {
        match self.quick_value(path, element, steps)? {
            End::Node(id) => match self.doc.value(id) {
                NodeValue::Number(n) => Some(Leaf::Num(*n)),
                NodeValue::String(s) => Some(Leaf::Str(s)),
                NodeValue::Null => Some(Leaf::Null),
                _ => None,
            },
            End::Num(n) => Some(Leaf::Num(n)),
            End::Null => Some(Leaf::Null),
        }
    }

    /// The value at the end of a path: a data node, or a local's value when
    /// the path is the local alone.
    fn quick_value(&self, path: &Path, element: Option<NodeId>, steps: &mut u64) -> Option<End> {
        let start = match path.start {
            Start::Root => self.doc.root(),
            Start::Element => element?,
            Start::Local(slot) => {
                let at = self.base + slot;
                // A local read alone replays what its `let` read, as steps.
                *steps = steps.checked_add(self.local_weight(at)?)?;
                if *steps > MAX_STEPS {
                    return None;
                }
                match self.stack.get(at)? {
                    Value::Data(id) => *id,
                    Value::Num(n) if path.keys.is_empty() => return Some(End::Num(*n)),
                    Value::Null if path.keys.is_empty() => return Some(End::Null),
                    _ => return None,
                }
            }
        };
        let mut node = start;
        for (key, hint) in path.keys.iter().zip(path.hints.iter()) {
            let NodeValue::Map(entries) = self.doc.value(node) else {
                return None;
            };
            node = match entries.get(hint.load(Relaxed) as usize) {
                Some((k, child)) if same_key(k, key) => *child,
                _ => {
                    let at = entries.iter().position(|(k, _)| same_key(k, key))?;
                    hint.store(at as u32, Relaxed);
                    entries[at].1
                }
            };
        }
        Some(End::Node(node))
    }
}

/// `compare_exact` on numbers, strings and nulls: `==`/`!=` as `value::equal`
/// decides them, an order on two numbers or two strings.
fn compare(op: CompareOp, a: Leaf, b: Leaf) -> Option<bool> {
    let ordering = match (a, b) {
        (Leaf::Num(x), Leaf::Num(y)) => x.cmp(&y),
        (Leaf::Str(x), Leaf::Str(y)) => x.cmp(y),
        (Leaf::Null, Leaf::Null) if matches!(op, CompareOp::Eq | CompareOp::Ne) => std::cmp::Ordering::Equal,
        (Leaf::Null, _) | (_, Leaf::Null) if matches!(op, CompareOp::Eq | CompareOp::Ne) => {
            return Some(op == CompareOp::Ne)
        }
        _ => return None,
    };
    Some(match op {
        CompareOp::Eq => ordering.is_eq(),
        CompareOp::Ne => ordering.is_ne(),
        CompareOp::Lt => ordering.is_lt(),
        CompareOp::Le => ordering.is_le(),
        CompareOp::Gt => ordering.is_gt(),
        CompareOp::Ge => ordering.is_ge(),
    })
}

/// `compare_within` with a literal tolerance of 0 or more, on two numbers.
fn within_tolerance(op: CompareOp, a: Leaf, b: Leaf, tolerance: Decimal) -> Option<bool> {
    let (Leaf::Num(x), Leaf::Num(y)) = (a, b) else {
        return None;
    };
    let close = x.checked_sub(y)?.abs() <= tolerance;
    Some(close == (op == CompareOp::Eq))
}

#[cfg(test)]
mod tests {
    use super::super::{outcome::DocumentResult, Evaluator};

    /// Over the quick fixture, how many assertions of each rule passed and
    /// how many of those their quick form decided: the shapes it gives up
    /// on are the full evaluation's to decide (tests/differential.rs checks
    /// that the results are the same either way).
    #[test]
    fn quick_forms_decide_the_passes_they_can() {
        let program = crate::unstable::load_rules(&["tests/fixtures/quick".into()]).expect("loads");
        let mut text = String::new();
        for data in ["quick.yaml", "quick-violations.yaml"] {
            let doc = crate::input::read_document(&format!("tests/fixtures/quick/{data}")).expect("loads");
            text.push_str(&format!("{data}\n"));
            for (i, rule) in program.rules.iter().enumerate() {
                let mut evaluator = Evaluator::new(&program, &doc);
                let mut result = DocumentResult::default();
                evaluator.run_rule(i, &mut result);
                text.push_str(&format!(
                    "  {}: {} assertions, {} passed, {} decided by the quick form\n",
                    rule.id, result.counts.assertions, result.counts.passed, evaluator.quick_decided.forms
                ));
            }
        }
        insta::assert_snapshot!(text);
    }
}
