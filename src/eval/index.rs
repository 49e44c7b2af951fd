//! Joins in linear time: a comprehension whose filter compares a field of
//! the element with a value that does not depend on the element
//! (`[p for p in 绩效.项目 if p.文号 == x.文号]`) is answered from a hash
//! index built once per document, list and key, instead of a scan.
//!
//! The index gives the scan's values, faults and step counts. It does not
//! record the reads of the elements the filter rejected: the statement is
//! marked `sparse`, and a statement that ends in anything but a pass is run
//! again without indexes (see `Evaluator::exactly`), so every finding lists
//! exactly the values the scan reads. Whenever the index could differ from
//! the scan (a key that is not a plain scalar, an element that is not a map,
//! a comparison that would be a type error) the scan runs instead.

use std::rc::Rc;
use std::sync::Arc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::fault::EvalResult;
use super::slot_reads::SlotReads;
use super::Evaluator;
use crate::data::{Document, NodeId, NodeValue};
use crate::resolve::program::{Comprehension, Expr, ExprKind};
use crate::syntax::ast::{BinaryOp, CompareOp};
use crate::value::Value;

/// A comprehension the index can answer: `[body for v in list if v.key == probe]`
/// (or `probe == v.key`, or `v?.key`), possibly guarded by conditions that do
/// not read the element: `g and v.key == probe`, `(v.key == probe) or (h and …)`.
pub(super) struct Shape<'p> {
    pub key: &'p str,
    pub optional: bool,
    /// The element-independent side of the comparison.
    pub probe: &'p Expr,
    /// Conditions that must be true for the filter to be the comparison.
    pub guards: Vec<&'p Expr>,
    /// Conditions that must be false for a rejected element to stay rejected.
    pub exclusions: Vec<&'p Expr>,
    /// The `and`s and `or`s evaluated per element, for the step count.
    pub connectives: u64,
}

/// The shape of `c`, if the index can answer it.
pub(super) fn shape(c: &Comprehension) -> Option<Shape<'_>> {
    if c.key_slot.is_some() {
        return None;
    }
    plan(c.cond.as_ref()?, c.var_slot)
}

fn plan(cond: &Expr, var_slot: usize) -> Option<Shape<'_>> {
    match &cond.kind {
        ExprKind::Compare {
            op: CompareOp::Eq,
            lhs,
            rhs,
            within: None,
        } => {
            let (field, probe) = match (element_field(lhs, var_slot), element_field(rhs, var_slot)) {
                (Some(field), None) => (field, &**rhs),
                (None, Some(field)) => (field, &**lhs),
                _ => return None,
            };
            independent(probe, var_slot).then_some(Shape {
                key: &field.0[..],
                optional: field.1,
                probe,
                guards: Vec::new(),
                exclusions: Vec::new(),
                connectives: 0,
            })
        }
        ExprKind::Binary {
            op: BinaryOp::And,
            lhs,
            rhs,
        } if independent(lhs, var_slot) => {
            let mut shape = plan(rhs, var_slot)?;
            shape.guards.insert(0, lhs);
            shape.connectives += 1;
            Some(shape)
        }
        ExprKind::Binary {
            op: BinaryOp::Or,
            lhs,
            rhs,
        } => {
            let mut shape = plan(lhs, var_slot)?;
            match &rhs.kind {
                _ if independent(rhs, var_slot) => shape.connectives += 1,
                ExprKind::Binary {
                    op: BinaryOp::And,
                    lhs: exclusion,
                    ..
                } if independent(exclusion, var_slot) => {
                    shape.exclusions.push(exclusion);
                    shape.connectives += 2;
                    return Some(shape);
                }
                _ => return None,
            }
            shape.exclusions.push(rhs);
            Some(shape)
        }
        _ => None,
    }
}

/// `v.key` or `v?.key` for the element `v` in `var_slot`.
fn element_field(e: &Expr, var_slot: usize) -> Option<(&Arc<str>, bool)> {
    match &e.kind {
        ExprKind::Field {
            base,
            key,
            optional,
            mapped: false,
        } if matches!(base.kind, ExprKind::Local(s) if s == var_slot) => Some((key, *optional)),
        _ => None,
    }
}

/// An expression that does not read the element: every evaluation of it in
/// the scan yields the same (functions are pure), so the index evaluates it once.
fn independent(expr: &Expr, var_slot: usize) -> bool {
    let mut reads_element = false;
    expr.for_each(&mut |e| reads_element |= matches!(e.kind, ExprKind::Local(s) if s == var_slot));
    !reads_element
}

/// A scalar as the index keys it: equal keys are exactly the values `==`
/// finds equal (numbers by value: `80.00 == 80`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Null,
    Bool(bool),
    Num(Decimal),
    Str(Rc<str>),
}

/// Which kinds of key a list holds besides null: a probe of another kind
/// would be a type error in the scan, so the scan runs to report it.
#[derive(Default)]
struct Kinds {
    bool: bool,
    num: bool,
    str: bool,
}

/// One list's elements by the value of one key.
pub(super) struct Index {
    /// Element positions by key, in list order.
    positions: FxHashMap<Key, Vec<u32>>,
    /// Each element's key value (`None`: absent, read as null through `?.`).
    nodes: Vec<Option<NodeId>>,
    kinds: Kinds,
}

impl Index {
    /// The index of `list` by `key`, or `None` when some element would make
    /// the scan differ (not a map, key missing without `?.`, a key that is a
    /// list, a map or an invalid number).
    fn build(doc: &Document, list: NodeId, key: &str, optional: bool) -> Option<Index> {
        let NodeValue::List(items) = doc.value(list) else {
            return None;
        };
        let mut index = Index {
            positions: FxHashMap::default(),
            nodes: Vec::with_capacity(items.len()),
            kinds: Kinds::default(),
        };
        for (i, &item) in items.iter().enumerate() {
            if !matches!(doc.value(item), NodeValue::Map(_)) {
                return None;
            }
            let node = doc.get(item, key);
            let k = match node {
                None if optional => Key::Null,
                None => return None,
                Some(node) => match doc.value(node) {
                    NodeValue::Null => Key::Null,
                    NodeValue::Bool(b) => {
                        index.kinds.bool = true;
                        Key::Bool(*b)
                    }
                    NodeValue::Number(n) => {
                        index.kinds.num = true;
                        Key::Num(n.normalize())
                    }
                    NodeValue::String(s) => {
                        index.kinds.str = true;
                        Key::Str(Rc::from(&**s))
                    }
                    _ => return None,
                },
            };
            index.nodes.push(node);
            index.positions.entry(k).or_default().push(i as u32);
        }
        Some(index)
    }

    /// How many elements the list has.
    pub(super) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The positions whose key equals `probe`, or `None` when the scan would
    /// meet a type mismatch (or the probe is not a plain scalar).
    pub(super) fn find(&self, doc: &Document, probe: &Value) -> Option<&[u32]> {
        let key = match probe {
            Value::Null => Key::Null,
            Value::Bool(b) => Key::Bool(*b),
            Value::Num(n) => Key::Num(n.normalize()),
            Value::Str(s) => Key::Str(Rc::from(&**s)),
            Value::Data(id) => match doc.value(*id) {
                NodeValue::Null => Key::Null,
                NodeValue::Bool(b) => Key::Bool(*b),
                NodeValue::Number(n) => Key::Num(n.normalize()),
                NodeValue::String(s) => Key::Str(Rc::from(&**s)),
                _ => return None,
            },
            _ => return None,
        };
        let Kinds { bool, num, str } = self.kinds;
        let clash = match key {
            Key::Null => false,
            Key::Bool(_) => num || str,
            Key::Num(_) => bool || str,
            Key::Str(_) => bool || num,
        };
        if clash {
            return None;
        }
        Some(self.positions.get(&key).map_or(&[], Vec::as_slice))
    }
}

/// Indexes built over one document, by list node and key.
pub(super) type Indexes = FxHashMap<(NodeId, Rc<str>, bool), Option<Rc<Index>>>;

/// The comprehension keeps each element as it is (`[q for q in … if …]`).
pub(super) fn is_the_element(c: &Comprehension) -> bool {
    matches!(c.body.kind, ExprKind::Local(slot) if slot == c.var_slot)
}

impl<'p> Evaluator<'p, '_> {
    /// `c` answered from an index over `source`, or `None` when the scan must
    /// run (indexes off, not the shape, not a data list, a possible mismatch).
    /// On `None` nothing has been read or counted.
    pub(super) fn indexed(&mut self, c: &'p Comprehension, source: &Value) -> Option<EvalResult<Value>> {
        if !self.use_index {
            return None;
        }
        let shape = shape(c)?;
        let Value::Data(list) = *source else {
            return None;
        };
        let index = self.index_of(list, shape.key, shape.optional)?;
        let len = index.nodes.len() as u64;
        if len == 0 {
            return Some(Ok(Value::list(Vec::new())));
        }
        // The guards and the probe once, as the scan's first element would.
        let (mark, steps, mut failed) = (self.reads.len(), self.steps, self.failed_compare.take());
        // A fault from here on comes after reads the scan would have made
        // (the first element's field): the reads are incomplete.
        let was_sparse = std::mem::replace(&mut self.sparse, true);
        let mut fall_back = |this: &mut Self| {
            this.reads.truncate(mark);
            this.steps = steps;
            this.failed_compare = failed.take();
            this.sparse = was_sparse;
            None
        };
        for guard in &shape.guards {
            match self.eval(guard) {
                Ok(Value::Bool(true)) => {}
                Ok(_) => return fall_back(self),
                Err(fault) => return Some(Err(fault)),
            }
        }
        let probe = match self.eval(shape.probe) {
            Ok(probe) => probe,
            Err(fault) => return Some(Err(fault)),
        };
        let Some(found) = index.find(self.doc, &probe) else {
            return fall_back(self);
        };
        if found.len() < index.nodes.len() {
            for exclusion in &shape.exclusions {
                // Where a fault would fall among the bodies is the scan's to say.
                if !matches!(self.eval(exclusion), Ok(Value::Bool(false))) {
                    return fall_back(self);
                }
            }
        }
        // Each later element's filter costs what the scan's second one
        // would: the field and comparison, the connectives, and the guards,
        // probe and exclusions evaluated again. The first evaluation may
        // include one-off costs later elements do not pay (a `let` read for
        // the first time in the statement, a call's first computation).
        let first = self.steps - steps;
        let per_element = 2 + shape.connectives + self.cost_again(&shape, found.len() < len as usize).unwrap_or(first);
        self.last_indexed = Some((found.len(), index.nodes.len()));
        let result = (|| {
            self.charge((len - 1) * per_element + 2 + shape.connectives, c.body.span)?;
            let doc = self.doc;
            let items: &[NodeId] = match doc.value(list) {
                NodeValue::List(items) => items,
                _ => &[],
            };
            let mut out = Vec::with_capacity(found.len());
            if is_the_element(c) {
                // `[q for q in …]`: each element is read and kept as itself,
                // at the steps the loop below takes (the local, its push).
                self.charge(2 * found.len() as u64, c.body.span)?;
                for &i in found {
                    self.reads.extend(index.nodes[i as usize]);
                    self.reads.push(items[i as usize]);
                    out.push(Value::Data(items[i as usize]));
                }
                if let Some(&last) = found.last() {
                    self.set_slot(c.var_slot, Value::Data(items[last as usize]), SlotReads::None);
                }
                return Ok(Value::list(out));
            }
            for &i in found {
                self.reads.extend(index.nodes[i as usize]);
                self.set_slot(c.var_slot, Value::Data(items[i as usize]), SlotReads::None);
                out.push(self.eval(&c.body)?);
                self.charge(1, c.body.span)?;
            }
            Ok(Value::list(out))
        })();
        Some(result)
    }

    /// The steps the guards, the probe and (when the scan evaluates them)
    /// the exclusions of `shape` take evaluated again, with nothing
    /// recorded; `None` if one faults.
    fn cost_again(&mut self, shape: &Shape<'p>, exclusions: bool) -> Option<u64> {
        let (mark, steps, failed) = (self.reads.len(), self.steps, self.failed_compare.take());
        let exclusions = if exclusions { &shape.exclusions[..] } else { &[] };
        let mut again = || {
            for e in shape.guards.iter().chain([&shape.probe]).chain(exclusions) {
                self.eval(e).ok()?;
            }
            Some(self.steps - steps)
        };
        let cost = again();
        self.reads.truncate(mark);
        self.steps = steps;
        self.failed_compare = failed;
        cost
    }

    pub(super) fn index_of(&mut self, list: NodeId, key: &str, optional: bool) -> Option<Rc<Index>> {
        let id = (list, Rc::from(key), optional);
        if let Some(index) = self.indexes.get(&id) {
            return index.clone();
        }
        let index = Index::build(self.doc, list, key, optional).map(Rc::new);
        self.indexes.insert(id, index.clone());
        index
    }
}

#[cfg(test)]
mod tests {
    use super::super::{outcome::DocumentResult, test_inputs, Evaluator};

    /// A guard that reads a rule file's `let` over the whole list costs the
    /// first element that list's reads; every later element of a scan pays
    /// a remembered value. Charging every element the first one's cost ran
    /// 3,000 rows out of steps (the statement then ran again as a scan).
    #[test]
    fn an_indexed_filter_counts_what_the_scan_counts() {
        let rows: String = (0..3000).map(|i| format!("  - {{编码: C{i}}}\n")).collect();
        let rules = "let 有编码 = all([exists(p?.编码) for p in 项目])\n\
                     fn 找(s) = [p for p in 项目 if 有编码 and p?.编码 == s]\n\
                     rule 找到 {\n  assert 有编码\n  for s in 来源 {\n    assert count(找(s)) == 1\n  }\n}\n";
        let (program, doc) = test_inputs(rules, format!("项目:\n{rows}来源: [C7, C2999]\n"));
        let run = |indexes: bool, quick: bool| {
            let mut evaluator = Evaluator::new(&program, &doc);
            evaluator.use_index = indexes;
            evaluator.use_quick = quick;
            let mut result = DocumentResult::default();
            evaluator.run_rule(0, &mut result);
            (result.counts.passed, evaluator.steps, evaluator.exact_reruns)
        };
        let scan = run(false, false);
        let indexed = run(true, false);
        let quick = run(true, true);
        assert_eq!((scan.0, indexed.0, quick.0), (3, 3, 3));
        assert_eq!(
            (indexed.2, quick.2),
            (0, 0),
            "the index ran out of steps where the scan does not"
        );
        // The last statement's steps: the index counts each element as the
        // scan's later ones, without the scan's comparisons of rejected keys.
        assert!(indexed.1 <= scan.1, "indexed {} steps, the scan {}", indexed.1, scan.1);
        assert!(
            indexed.1 * 2 >= scan.1,
            "indexed {} steps, the scan {}",
            indexed.1,
            scan.1
        );
    }
}
