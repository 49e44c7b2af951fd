//! Joins in linear time: a comprehension whose filter compares a field of
//! the element with a value that does not depend on the element
//! (`[p for p in 绩效.项目 if p.文号 == x.文号]`) is answered from a hash
//! index built once per document, list and key, instead of a scan. The key
//! may also be computed from the element alone (`名称主干(p.名称) == …`,
//! reading no other local): each element's key is then computed once per
//! document, by the quick evaluator, and the index is not used if any of
//! them is not a plain scalar or cannot be computed there.
//!
//! The index gives the scan's values, faults and step counts. It does not
//! record the reads of the elements the filter rejected: the statement is
//! marked `sparse`, and a statement that ends in anything but a pass is run
//! again without indexes (see `Evaluator::exactly`), so every finding lists
//! exactly the values the scan reads. Whenever the index could differ from
//! the scan (a key that is not a plain scalar, an element that is not a map,
//! a comparison that would be a type error) the scan runs instead.
//!
//! Containment filters (`contains(text(p.名称), s) or …`) are answered from
//! an index of the keys' texts instead (text_index.rs): by the quick
//! evaluator, and with the scan's reads by the full one (containment.rs).
//! A statement made exact answers equality filters from keys worked out once
//! per document (exact_keys.rs).
//!
//! A filter that starts with a condition not reading the element
//! (`[q for q in 项目 if 无编码 and …]`) is the empty list where that
//! condition is false, without a scan (`answer_guarded_off`); its reads are
//! the scan's, so it leaves the statement exact.

use std::borrow::Cow;
use std::rc::Rc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::fault::EvalResult;
use super::slot_reads::SlotReads;
use super::text_index::TextIndex;
use super::Evaluator;
use crate::data::{Document, NodeId, NodeValue};
use crate::resolve::program::{Comprehension, Expr, ExprKind, Literal};
use crate::syntax::ast::{BinaryOp, CompareOp};
use crate::value::{Elements, Value};

/// A comprehension the index can answer: `[body for v in list if v.key == probe]`
/// (or `probe == v.key`, or `v?.key`), possibly guarded by conditions that do
/// not read the element: `g and v.key == probe`, `(v.key == probe) or (h and …)`.
/// Or a containment test of the key and the probe (see [`Test::Contains`]),
/// possibly guarded, which a text index answers.
pub(super) struct Shape<'p> {
    pub key: KeyOf<'p>,
    /// The key as written (the first one, where the filter has two).
    pub key_expr: &'p Expr,
    /// The comparison `key == probe` itself, for [`Test::Equal`].
    pub compare: Option<&'p Expr>,
    pub test: Test,
    /// The element-independent side of the comparison.
    pub probe: &'p Expr,
    /// Conditions that must be true for the filter to be the comparison.
    pub guards: Vec<&'p Expr>,
    /// Conditions that must be false for a rejected element to stay rejected.
    pub exclusions: Vec<&'p Expr>,
    /// The `and`s and `or`s evaluated per element, for the step count.
    pub connectives: u64,
}

/// What the filter asks of the element's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Test {
    /// `key == probe`.
    Equal,
    /// `contains(key, probe)` (`key_holds_probe`), `contains(probe, key)`
    /// (`probe_holds_key`), or both joined by `or` in either order
    /// (`key_first`: the first call is `contains(key, probe)`): answered from
    /// a [`super::text_index::TextIndex`] when every key and the probe are
    /// strings, by the quick evaluator, and by the full one where it can
    /// give the scan's reads (see containment.rs).
    Contains {
        key_holds_probe: bool,
        probe_holds_key: bool,
        key_first: bool,
    },
}

impl Test {
    /// How many `contains` calls a scan evaluates per element, at most.
    pub(super) fn calls(self) -> u64 {
        match self {
            Test::Equal => 0,
            Test::Contains {
                key_holds_probe,
                probe_holds_key,
                ..
            } => u64::from(key_holds_probe) + u64::from(probe_holds_key),
        }
    }
}

/// What an index is keyed on.
#[derive(Clone, Copy)]
pub(super) enum KeyOf<'p> {
    /// `v.key`, or `v?.key` (`optional`: a missing key reads as null).
    Field { name: &'p str, optional: bool },
    /// An expression of the element alone, such as `名称主干(v.名称)`.
    Computed(&'p Expr),
}

impl KeyOf<'_> {
    pub(super) fn id(self) -> IndexId {
        match self {
            KeyOf::Field { name, optional } => IndexId::Field(Rc::from(name), optional),
            KeyOf::Computed(expr) => IndexId::Computed(expr as *const Expr as usize),
        }
    }
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
            let (key, key_expr, probe) = match (element_key(lhs, var_slot), element_key(rhs, var_slot)) {
                (Some(key), None) => (key, &**lhs, &**rhs),
                (None, Some(key)) => (key, &**rhs, &**lhs),
                _ => return None,
            };
            independent(probe, var_slot).then_some(Shape {
                key,
                key_expr,
                compare: Some(cond),
                test: Test::Equal,
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
        ExprKind::Builtin { args, .. } => {
            let (key, probe, key_holds_probe) = containment(cond, var_slot)?;
            Some(Shape {
                key,
                key_expr: &args[usize::from(!key_holds_probe)],
                compare: None,
                test: Test::Contains {
                    key_holds_probe,
                    probe_holds_key: !key_holds_probe,
                    key_first: key_holds_probe,
                },
                probe,
                guards: Vec::new(),
                exclusions: Vec::new(),
                connectives: 0,
            })
        }
        ExprKind::Binary {
            op: BinaryOp::Or,
            lhs,
            rhs,
        } => {
            if let Some(shape) = both_ways(lhs, rhs, var_slot) {
                return Some(shape);
            }
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

/// `contains(a, b)` where one argument is a key of the element and the
/// other does not read it: the key, the probe, and whether the key is the
/// one searched (`contains(key, probe)`).
fn containment(e: &Expr, var_slot: usize) -> Option<(KeyOf<'_>, &Expr, bool)> {
    let ExprKind::Builtin { builtin, args } = &e.kind else {
        return None;
    };
    let [haystack, needle] = args.as_slice() else {
        return None;
    };
    if builtin.0.kind != crate::builtins::Kind::Contains {
        return None;
    }
    match (element_key(haystack, var_slot), element_key(needle, var_slot)) {
        (Some(key), None) if independent(needle, var_slot) => Some((key, needle, true)),
        (None, Some(key)) if independent(haystack, var_slot) => Some((key, haystack, false)),
        _ => None,
    }
}

/// `contains(k, p) or contains(p, k)` (either way round), the same key and
/// probe on both sides.
fn both_ways<'p>(lhs: &'p Expr, rhs: &'p Expr, var_slot: usize) -> Option<Shape<'p>> {
    let (key, probe, key_first) = containment(lhs, var_slot)?;
    let (other_key, other_probe, other_first) = containment(rhs, var_slot)?;
    let (ExprKind::Builtin { args: left, .. }, ExprKind::Builtin { args: right, .. }) = (&lhs.kind, &rhs.kind) else {
        return None;
    };
    let key_expr = |args: &'p [Expr], key_first: bool| &args[usize::from(!key_first)];
    let same_key = match (key, other_key) {
        (KeyOf::Field { name, optional }, KeyOf::Field { name: n, optional: o }) => name == n && optional == o,
        (KeyOf::Computed(_), KeyOf::Computed(_)) => same(key_expr(left, key_first), key_expr(right, other_first)),
        _ => false,
    };
    (key_first != other_first && same_key && same(probe, other_probe)).then_some(Shape {
        key,
        key_expr: key_expr(left, key_first),
        compare: None,
        test: Test::Contains {
            key_holds_probe: true,
            probe_holds_key: true,
            key_first,
        },
        probe,
        guards: Vec::new(),
        exclusions: Vec::new(),
        connectives: 1,
    })
}

/// Whether two expressions are certainly the same computation: the same
/// locals, lets, keys, literal strings, builtins and functions, the same
/// way. Anything else counts as different.
fn same(a: &Expr, b: &Expr) -> bool {
    let all_same = |x: &[Expr], y: &[Expr]| x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y));
    match (&a.kind, &b.kind) {
        (ExprKind::Local(x), ExprKind::Local(y)) | (ExprKind::Global(x), ExprKind::Global(y)) => x == y,
        (ExprKind::DataKey(x), ExprKind::DataKey(y)) => x == y,
        (ExprKind::Literal(Literal::Str(x)), ExprKind::Literal(Literal::Str(y))) => x == y,
        (
            ExprKind::Field {
                base,
                key,
                optional,
                mapped,
            },
            ExprKind::Field {
                base: b,
                key: k,
                optional: o,
                mapped: m,
            },
        ) => key == k && optional == o && mapped == m && same(base, b),
        (ExprKind::Builtin { builtin, args }, ExprKind::Builtin { builtin: f, args: a }) => {
            std::ptr::eq(builtin.0, f.0) && all_same(args, a)
        }
        (ExprKind::Call { function, args }, ExprKind::Call { function: f, args: a }) => {
            function == f && all_same(args, a)
        }
        _ => false,
    }
}

/// The leading condition of a filter `[… for v in l if g and …]` (or
/// `(g and …) and …`) when `g` reads neither the element nor its key: where
/// `g` is `false`, so is the filter of every element. With it, the `and`s
/// evaluated before it.
pub(super) fn invariant_guard(c: &Comprehension) -> Option<(&Expr, u64)> {
    let reads_loop = |e: &Expr| {
        let mut reads = false;
        e.for_each(&mut |e| {
            reads |= matches!(e.kind, ExprKind::Local(s) if s == c.var_slot || Some(s) == c.key_slot);
        });
        reads
    };
    let (mut cond, mut ands) = (c.cond.as_ref()?, 0);
    while let ExprKind::Binary {
        op: BinaryOp::And, lhs, ..
    } = &cond.kind
    {
        ands += 1;
        if !reads_loop(lhs) {
            return Some((lhs, ands));
        }
        cond = lhs;
    }
    None
}

/// What `e` keys an index on, if it is a key of the element `v` in
/// `var_slot`: `v.key`, `v?.key`, or an expression that reads `v` and no
/// other local (so its value is the same wherever the filter runs) and holds
/// no comprehension.
fn element_key(e: &Expr, var_slot: usize) -> Option<KeyOf<'_>> {
    if let ExprKind::Field {
        base,
        key,
        optional,
        mapped: false,
    } = &e.kind
    {
        if matches!(base.kind, ExprKind::Local(s) if s == var_slot) {
            return Some(KeyOf::Field {
                name: key,
                optional: *optional,
            });
        }
    }
    let (mut reads_element, mut other) = (false, false);
    e.for_each(&mut |part| match part.kind {
        ExprKind::Local(s) if s == var_slot => reads_element = true,
        ExprKind::Local(_) | ExprKind::Comprehension(_) => other = true,
        _ => {}
    });
    (reads_element && !other).then_some(KeyOf::Computed(e))
}

/// The field of the element `key` reads, when that is all it reads: `v.f`,
/// `v?.f`, or `text(v.f)`.
pub(super) fn read_field<'p>(key: KeyOf<'p>, var_slot: usize) -> Option<&'p str> {
    match key {
        KeyOf::Field { name, .. } => Some(name),
        KeyOf::Computed(Expr {
            kind: ExprKind::Builtin { builtin, args },
            ..
        }) if builtin.0.kind == crate::builtins::Kind::Text => match args.as_slice() {
            [Expr {
                kind:
                    ExprKind::Field {
                        base,
                        key,
                        mapped: false,
                        ..
                    },
                ..
            }] if matches!(base.kind, ExprKind::Local(s) if s == var_slot) => Some(key),
            _ => None,
        },
        KeyOf::Computed(_) => None,
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

impl Kinds {
    fn note(&mut self, key: &Key) {
        match key {
            Key::Null => {}
            Key::Bool(_) => self.bool = true,
            Key::Num(_) => self.num = true,
            Key::Str(_) => self.str = true,
        }
    }
}

/// The key of a scalar data value; `None` for a list, a map or an invalid
/// number, which no key stands for.
fn node_key(doc: &Document, node: NodeId) -> Option<Key> {
    Some(match doc.value(node) {
        NodeValue::Null => Key::Null,
        NodeValue::Bool(b) => Key::Bool(*b),
        NodeValue::Number(n) => Key::Num(n.normalize()),
        NodeValue::String(s) => Key::Str(Rc::from(&**s)),
        _ => return None,
    })
}

/// The key of a plain scalar value (a date or a regex has none).
fn value_key(doc: &Document, value: &Value) -> Option<Key> {
    Some(match value {
        Value::Null => Key::Null,
        Value::Bool(b) => Key::Bool(*b),
        Value::Num(n) => Key::Num(n.normalize()),
        Value::Str(s) => Key::Str(Rc::from(&**s)),
        Value::Data(id) => return node_key(doc, *id),
        _ => return None,
    })
}

/// One list's elements by the value of one key.
pub(super) struct Index {
    /// Element positions by key, in list order.
    positions: FxHashMap<Key, Vec<u32>>,
    /// Each element's key value for a field key (`None`: absent, read as
    /// null through `?.`); all `None` for a computed key.
    nodes: Vec<Option<NodeId>>,
    kinds: Kinds,
    /// The steps a scan spends computing the keys of all elements (0 for a
    /// field, whose read the per-element count includes).
    key_steps: u64,
}

impl Index {
    fn with_capacity(len: usize, key_steps: u64) -> Index {
        Index {
            positions: FxHashMap::default(),
            nodes: Vec::with_capacity(len),
            kinds: Kinds::default(),
            key_steps,
        }
    }

    fn push(&mut self, node: Option<NodeId>, key: Key) {
        self.kinds.note(&key);
        let position = self.nodes.len() as u32;
        self.nodes.push(node);
        self.positions.entry(key).or_default().push(position);
    }

    /// The index of `list` by `key`, or `None` when some element would make
    /// the scan differ (not a map, key missing without `?.`, a key that is a
    /// list, a map or an invalid number).
    fn build(doc: &Document, list: NodeId, key: &str, optional: bool) -> Option<Index> {
        let NodeValue::List(items) = doc.value(list) else {
            return None;
        };
        let mut index = Index::with_capacity(items.len(), 0);
        for &item in items {
            if !matches!(doc.value(item), NodeValue::Map(_)) {
                return None;
            }
            let node = doc.get(item, key);
            let k = match node {
                None if optional => Key::Null,
                None => return None,
                Some(node) => node_key(doc, node)?,
            };
            index.push(node, k);
        }
        Some(index)
    }

    /// The index of a list by keys computed from its elements, in order, or
    /// `None` if one is not a plain scalar.
    pub(super) fn computed(doc: &Document, keys: &[Value], key_steps: u64) -> Option<Index> {
        let mut index = Index::with_capacity(keys.len(), key_steps);
        for key in keys {
            index.push(None, value_key(doc, key)?);
        }
        Some(index)
    }

    /// How many elements the list has.
    pub(super) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The steps a scan spends on the keys beyond each element's comparison.
    pub(super) fn key_steps(&self) -> u64 {
        self.key_steps
    }

    /// The positions whose key equals `probe`, or `None` when the scan would
    /// meet a type mismatch (or the probe is not a plain scalar).
    pub(super) fn find(&self, doc: &Document, probe: &Value) -> Option<&[u32]> {
        let key = value_key(doc, probe)?;
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

/// An index that answers a shape: by the key's value for [`Test::Equal`],
/// by the key's text for [`Test::Contains`].
pub(super) enum ListIndex {
    Equal(Rc<Index>),
    Text(Rc<TextIndex>),
}

impl ListIndex {
    pub(super) fn len(&self) -> usize {
        match self {
            ListIndex::Equal(index) => index.len(),
            ListIndex::Text(index) => index.len(),
        }
    }

    pub(super) fn key_steps(&self) -> u64 {
        match self {
            ListIndex::Equal(index) => index.key_steps(),
            ListIndex::Text(index) => index.key_steps(),
        }
    }

    /// The positions, ascending, of the elements the filter's `test` keeps
    /// for `probe`; `None` where a scan would meet a type mismatch or test
    /// something else (`contains` on a list probe looks for an element).
    pub(super) fn find(&self, doc: &Document, probe: &Value, test: Test) -> Option<Cow<'_, [u32]>> {
        match (self, test) {
            (ListIndex::Equal(index), Test::Equal) => index.find(doc, probe).map(Cow::Borrowed),
            (
                ListIndex::Text(index),
                Test::Contains {
                    key_holds_probe,
                    probe_holds_key,
                    ..
                },
            ) => {
                let probe = probe.as_str(doc)?;
                let containing = if key_holds_probe {
                    index.containing(probe)
                } else {
                    Vec::new()
                };
                let contained = if probe_holds_key {
                    index.contained_in(probe)
                } else {
                    Vec::new()
                };
                Some(Cow::Owned(super::text_index::union(containing, contained)))
            }
            _ => None,
        }
    }
}

/// Which index of a list: by a field (its name, whether `?.`), or by a
/// computed key (the address of its expression in the program).
#[derive(PartialEq, Eq, Hash)]
pub(super) enum IndexId {
    Field(Rc<str>, bool),
    Computed(usize),
}

/// Indexes built over one document, by list node and key.
pub(super) type Indexes = FxHashMap<(NodeId, IndexId), Option<Rc<Index>>>;

/// Text indexes built over one document, by list node and key.
pub(super) type TextIndexes = FxHashMap<(NodeId, IndexId), Option<Rc<TextIndex>>>;

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
        let shape = shape(c).filter(|shape| shape.test == Test::Equal)?;
        let Value::Data(list) = *source else {
            return None;
        };
        let index = self.index_of(list, shape.key, c.var_slot)?;
        let len = index.nodes.len() as u64;
        if len == 0 {
            return Some(Ok(Value::list(Vec::new())));
        }
        // The guards and the probe once, as the scan's first element would.
        let (mark, steps, mut failed) = (self.reads.len(), self.checkpoint(), self.failed_compare.take());
        // A fault from here on comes after reads the scan would have made
        // (the first element's field): the reads are incomplete.
        let was_sparse = std::mem::replace(&mut self.sparse, true);
        let mut fall_back = |this: &mut Self| {
            this.reads.truncate(mark);
            this.rollback(steps);
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
        let first = self.steps - steps.steps;
        let per_element = 2 + shape.connectives + self.cost_again(&shape, found.len() < len as usize).unwrap_or(first);
        self.last_indexed = Some((found.len(), index.nodes.len()));
        let result = (|| {
            let keys = index.key_steps;
            self.charge((len - 1) * per_element + 2 + shape.connectives + keys, c.body.span)?;
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

    /// `c` over `elements` when its filter starts with a guard that does not
    /// read the element and is `false` (see [`invariant_guard`]): the empty
    /// list, with the guard evaluated once as the scan's first element
    /// evaluates it (its reads are the scan's) and every later element
    /// charged what evaluating it again costs. `None`, with nothing read or
    /// counted, where the scan must run.
    pub(super) fn answer_guarded_off(
        &mut self,
        c: &'p Comprehension,
        elements: &Elements<'_>,
    ) -> Option<EvalResult<Value>> {
        if !self.use_index || elements.is_empty() {
            return None;
        }
        let ((guard, ands), cond) = (invariant_guard(c)?, c.cond.as_ref()?);
        let (mark, steps, failed) = (self.reads.len(), self.checkpoint(), self.failed_compare.take());
        // The `and`s and the guard, as the scan's first element.
        if self.charge(ands, cond.span).is_err() || !matches!(self.eval(guard), Ok(Value::Bool(false))) {
            self.reads.truncate(mark);
            self.rollback(steps);
            self.failed_compare = failed;
            return None;
        }
        let later = elements.len() as u64 - 1;
        if later > 0 {
            // Measured, then undone: the guard's failed comparison stays the
            // first evaluation's, whose reads are kept (the scan's last one
            // compares the same values).
            let (after_first, steps_first) = (self.reads.len(), self.steps);
            let first_failed = self.failed_compare.take();
            let again = self.eval(guard).map(|_| self.steps - steps_first);
            self.reads.truncate(after_first);
            self.steps = steps_first;
            self.failed_compare = first_failed;
            let again = match again {
                Ok(again) => again,
                Err(fault) => return Some(Err(fault)),
            };
            if let Err(fault) = self.charge(later.saturating_mul(ands + again), cond.span) {
                return Some(Err(fault));
            }
        }
        let last = elements.len() - 1;
        if let Some(slot) = c.key_slot {
            self.set_slot(slot, elements.key(last), SlotReads::None);
        }
        self.set_slot(c.var_slot, elements.value(last), SlotReads::None);
        self.last_indexed = None;
        self.guarded_off += 1;
        Some(Ok(Value::list(Vec::new())))
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

    /// The texts of `list`'s elements by `key` (of the element in
    /// `var_slot`), indexed the first time they are asked for over this
    /// document; `None` where the scan must run: an element that is not a
    /// map, a key that is not a string (`contains` on it would be another
    /// test, or a type error) or cannot be computed.
    pub(super) fn text_index_of(&mut self, list: NodeId, key: KeyOf<'p>, var_slot: usize) -> Option<Rc<TextIndex>> {
        let id = (list, key.id());
        if let Some(index) = self.text_indexes.get(&id) {
            return index.clone();
        }
        let doc = self.doc;
        // A map's values are another iteration: the scan's.
        let NodeValue::List(items) = doc.value(list) else {
            return None;
        };
        // The node each key is read from, where it reads one field.
        let nodes = read_field(key, var_slot).and_then(|field| {
            items
                .iter()
                .map(|&item| match doc.value(item) {
                    NodeValue::Map(_) => doc.get(item, field),
                    _ => None,
                })
                .collect::<Option<Vec<NodeId>>>()
        });
        let index = match key {
            KeyOf::Field { .. } => nodes.as_ref().and_then(|nodes| {
                let texts = nodes.iter().map(|&node| match doc.value(node) {
                    NodeValue::String(s) => Some(Rc::from(&**s)),
                    _ => None,
                });
                Some(TextIndex::new(texts.collect::<Option<_>>()?, 0, Some(nodes.clone())))
            }),
            KeyOf::Computed(expr) => self.element_keys(items, var_slot, expr).and_then(|(keys, steps)| {
                let texts = keys.iter().map(|k| k.as_str(doc).map(Rc::from));
                Some(TextIndex::new(texts.collect::<Option<_>>()?, steps, nodes))
            }),
        }
        .map(Rc::new);
        self.text_indexes.insert(id, index.clone());
        index
    }

    /// The index of `list` by `key` (of the element in `var_slot`), built the
    /// first time it is asked for over this document; `None` where the scan
    /// must run.
    pub(super) fn index_of(&mut self, list: NodeId, key: KeyOf<'p>, var_slot: usize) -> Option<Rc<Index>> {
        let id = (list, key.id());
        if let Some(index) = self.indexes.get(&id) {
            return index.clone();
        }
        let index = match key {
            KeyOf::Field { name, optional } => Index::build(self.doc, list, name, optional),
            KeyOf::Computed(expr) => {
                let doc = self.doc;
                match doc.value(list) {
                    NodeValue::List(items) => self
                        .element_keys(items, var_slot, expr)
                        .and_then(|(keys, steps)| Index::computed(doc, &keys, steps)),
                    _ => None,
                }
            }
        }
        .map(Rc::new);
        self.indexes.insert(id, index.clone());
        index
    }
}

#[cfg(test)]
mod tests {
    use super::super::{outcome::DocumentResult, test_inputs, Evaluator};
    use crate::data::Document;
    use crate::resolve::program::Program;

    /// Runs the first rule of `program` over `doc` with the shortcuts
    /// given: its result, and the evaluator for what it counted.
    fn run_first<'p, 'd>(
        program: &'p Program,
        doc: &'d Document,
        indexes: bool,
        quick: bool,
    ) -> (DocumentResult, Evaluator<'p, 'd>) {
        let mut evaluator = Evaluator::new(program, doc);
        evaluator.use_index = indexes;
        evaluator.use_quick = quick;
        let mut result = DocumentResult::default();
        evaluator.run_rule(0, &mut result);
        (result, evaluator)
    }

    /// Runs the first rule of `rules` over `data` with and without indexes
    /// (and the quick evaluator): the results, and whether an index answered.
    fn run_both(rules: &str, data: String) -> (String, String, bool) {
        let (program, doc) = test_inputs(rules, data);
        let (indexed, evaluator) = run_first(&program, &doc, true, true);
        let answered = evaluator.indexes.values().any(Option::is_some);
        let scanned = run_first(&program, &doc, false, true).0;
        (format!("{indexed:#?}"), format!("{scanned:#?}"), answered)
    }

    /// `名称主干(p.名称) == …` is answered from an index on the computed key,
    /// with the scan's findings: here one source matches, one matches after
    /// its suffix is cut, one matches nothing.
    #[test]
    fn a_key_computed_from_the_element_is_indexed_with_the_scans_findings() {
        let rows: String = (0..2000).map(|i| format!("  - {{名称: 项目{i}经费}}\n")).collect();
        let rules = "fn 主干(s) = find(s, \"^(.*?)(?:经费)?$\")\n\
                     fn 找(s) = [p for p in 项目 if 主干(s) != \"\" and 主干(p.名称) == 主干(s)]\n\
                     rule 找到 {\n  for s in 来源 {\n    assert count(找(s)) == 1\n  }\n}\n";
        let (indexed, scanned, answered) =
            run_both(rules, format!("项目:\n{rows}来源: [项目7, 项目1999经费, 无此项目]\n"));
        assert!(answered, "no index answered the filter");
        assert_eq!(indexed, scanned);
        assert!(indexed.contains("passed: 2"), "{indexed}");
        assert!(indexed.contains("path: \"来源[2]\""), "{indexed}");
    }

    /// `[q for q in 项目 if 无编码 and …]` with `无编码` false is the empty
    /// list without a scan, in both evaluators, with the scan's findings.
    #[test]
    fn a_false_guard_that_does_not_read_the_element_empties_the_filter() {
        let rows: String = (0..500)
            .map(|i| format!("  - {{名称: 项目{i}, 编码: C{i}}}\n"))
            .collect();
        let rules = "rule 同名 {\n  for p in 项目 {\n    let 无编码 = not exists(p?.编码)\n    \
                     assert count([q for q in 项目 if 无编码 and q.名称 == p.名称]) == 0\n  }\n}\n";
        let (program, doc) = test_inputs(rules, format!("项目:\n{rows}"));
        let run = |indexes: bool, quick: bool| {
            let (result, evaluator) = run_first(&program, &doc, indexes, quick);
            (format!("{result:?}"), evaluator.guarded_off)
        };
        let (scan, full, quick) = (run(false, false), run(true, false), run(true, true));
        assert_eq!((scan.1, full.1, quick.1), (0, 500, 500));
        assert_eq!(full.0, scan.0);
        assert_eq!(quick.0, scan.0);
        assert!(scan.0.contains("passed: 500"), "{}", scan.0);
    }

    /// An indexed assertion the quick evaluator sees violated is evaluated
    /// once, without indexes; without the quick evaluator it is evaluated
    /// with them and again without. The finding is the scan's either way.
    #[test]
    fn a_violation_the_quick_evaluator_saw_is_evaluated_once_without_indexes() {
        let rows: String = (0..50).map(|i| format!("  - {{编码: C{}}}\n", i % 49)).collect();
        let rules =
            "rule 唯一 {\n  for p in 项目 {\n    assert count([q for q in 项目 if q.编码 == p.编码]) == 1\n  }\n}\n";
        let (program, doc) = test_inputs(rules, format!("项目:\n{rows}"));
        let run = |indexes: bool, quick: bool| {
            let (result, evaluator) = run_first(&program, &doc, indexes, quick);
            (format!("{result:?}"), evaluator.exact_reruns)
        };
        let (scan, indexed, quick) = (run(false, false), run(true, false), run(true, true));
        assert_eq!((indexed.1, quick.1), (2, 0), "exact reruns");
        assert_eq!(indexed.0, scan.0);
        assert_eq!(quick.0, scan.0);
        assert!(scan.0.contains("passed: 48"), "{}", scan.0);
    }

    /// An index that gives up after its guard read a file-level `let` (here
    /// the guard is `false`, which the scan answers) leaves that `let`
    /// uncounted: the evaluation that answers instead counts its steps, as
    /// without the index. Before, a passing statement counted them nowhere.
    #[test]
    fn a_filter_the_index_gives_up_on_counts_its_lets_as_the_scan_does() {
        let rows: String = (0..50).map(|i| format!("  - {{编码: A{i}}}\n")).collect();
        let rules = "let 有 = count([p for p in 混合 if exists(p.编码)]) > 1000\n\
                     rule 找 {\n  assert count([q for q in 混合 if 有 and q.编码 == \"A1\"]) == 0\n}\n";
        let (program, doc) = test_inputs(rules, format!("混合:\n{rows}"));
        let run = |indexes: bool| {
            let (result, evaluator) = run_first(&program, &doc, indexes, false);
            (result.counts.passed, evaluator.steps)
        };
        assert_eq!(run(true), run(false));
        assert_eq!(run(true).0, 1);
    }

    /// A key that is a type error for one element (`"x" * 2`) cannot be
    /// indexed: the scan runs and reports the error where it meets it.
    #[test]
    fn a_computed_key_one_element_cannot_have_leaves_the_filter_to_the_scan() {
        let rules = "rule 倍 {\n  assert count([p for p in 项目 if p.金额 * 2 == 4]) == 1\n}\n";
        let data = "项目:\n  - {金额: 2}\n  - {金额: x}\n  - {金额: 3}\n".to_owned();
        let (indexed, scanned, answered) = run_both(rules, data);
        assert!(!answered, "an index answered over a key the scan cannot compute");
        assert_eq!(indexed, scanned);
        assert!(indexed.contains("kind: Type"), "{indexed}");
    }

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
            let (result, evaluator) = run_first(&program, &doc, indexes, quick);
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
