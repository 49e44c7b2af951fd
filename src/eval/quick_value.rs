//! The quick evaluator: `let`s, `when` guards and assertions without a quick
//! form (see `resolve::quick_values`), evaluated on values alone, with no
//! reads recorded and no faults built. It is trusted only where the answer
//! leaves nothing to report: a guard it decides, a `let` it binds (its reads
//! are found when a full evaluation first reads it), an assertion that
//! passes. For anything else (a violation, a type error, a key it cannot be
//! sure of) it stops, and the full evaluation decides and reports as it
//! always does.
//!
//! Each operation is the full evaluation's own on the same values (the same
//! builtins, `value::equal`, `arithmetic`, the same lookups), so where the
//! quick evaluator has an answer it is the full one. A call of a `fn` is
//! remembered per document by its argument values, as in the full
//! evaluation, but as a value only.
//!
//! Steps are counted from above, as the full evaluation would count them: a
//! node, an element, a list a builtin built, every value read and every
//! read replayed (a local's, a remembered call's), a file-level `let`'s
//! steps at every use. It stops at a limit below the budget (a sixteenth of
//! it, raised for a statement that needs more: see quick_budget.rs), so what
//! it decides is never what the full evaluation would stop as out of steps.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::expr::{joined_bytes, literal_value, lookup, ordered, Lookup};
use super::held::Kept;
use super::index::{KeyOf, ListIndex, Test};
use super::memo::{self, Bound, CallKey};
use super::slot_reads::SlotReads;
use super::Evaluator;
use crate::data::{NodeId, NodeValue};
use crate::resolve::program::{Comprehension, Expr, ExprKind, Within};
use crate::syntax::ast::{BinaryOp, CompareOp, UnaryOp};
use crate::value::{equal, Elements, Value, View};

/// Why the quick evaluator has no value.
#[derive(Debug)]
pub(super) enum Stop {
    /// The full evaluation fails here with a `missing` fault (which `??` and
    /// `exists` answer).
    Missing,
    /// Anything else: the full evaluation decides.
    Unsure,
}

type Quick<T> = Result<T, Stop>;

/// A rule-level `let` the quick evaluator computed. Its value is exact; what
/// it read is found by evaluating it in full the first time a full
/// evaluation reads it (see `Evaluator::exact_quick_let`).
pub(super) struct QuickLet<'p> {
    /// Its absolute slot.
    pub at: usize,
    pub value: &'p Expr,
    /// The values it read, counted from above: reading it replays them.
    pub reads: u64,
}

/// Calls remembered by the quick evaluator, by function and argument values.
pub(super) type QuickMemo<'d> = FxHashMap<CallKey<'d>, QuickCall>;

/// A remembered call: its result (`Err` for missing), and the steps its body
/// took and the values it read, with each parameter read as a placeholder.
pub(super) struct QuickCall {
    result: Result<Value, ()>,
    steps: u64,
    reads: u64,
}

/// What a quick evaluation has cost, as the full evaluation would count it:
/// steps, and the data values it would record (each recorded value is a
/// step there too, but a remembered call replays its reads as more steps).
/// Past `limit` steps the quick evaluator stops (see quick_budget.rs).
struct Cost {
    steps: u64,
    reads: u64,
    limit: u64,
}

impl Cost {
    fn new(limit: u64) -> Self {
        Cost {
            steps: 0,
            reads: 0,
            limit,
        }
    }

    fn tick(&mut self, n: u64) -> Quick<()> {
        self.steps = self.steps.saturating_add(n);
        if self.steps > self.limit {
            return Err(Stop::Unsure);
        }
        Ok(())
    }

    /// `n` values read, each also a step.
    fn read(&mut self, n: u64) -> Quick<()> {
        self.reads = self.reads.saturating_add(n);
        self.tick(n)
    }
}

/// Both values are lists or maps: `==` on them counts elements as steps in
/// the full evaluation; the quick one leaves them to it.
fn collections(doc: &crate::data::Document, a: &Value, b: &Value) -> bool {
    let collection = |v: &Value| match v {
        Value::List(_) | Value::Map(_) => true,
        Value::Data(id) => matches!(doc.value(*id), NodeValue::List(_) | NodeValue::Map(_)),
        _ => false,
    };
    collection(a) && collection(b)
}

impl<'p, 'd> Evaluator<'p, 'd> {
    /// A `when` guard's answer, when the quick evaluator is sure of it.
    pub(super) fn quick_guard(&mut self, cond: &'p Expr) -> Option<bool> {
        let value = self.quick_statement(cond)?.0;
        if value.is_null(self.doc) {
            return Some(false);
        }
        value.as_bool(self.doc)
    }

    /// An assertion's condition, when the quick evaluator is sure of it and
    /// it is a boolean.
    pub(super) fn quick_verdict(&mut self, cond: &'p Expr) -> Option<bool> {
        self.quick_statement(cond)?.0.as_bool(self.doc)
    }

    /// What a `for` goes through, when the quick evaluator has it and it is
    /// a list or a map.
    pub(super) fn quick_source(&mut self, iter: &'p Expr) -> Option<Elements<'d>> {
        let source = self.quick_statement(iter)?.0;
        let elements = source.each(self.doc)?;
        self.quick_decided.sources += 1;
        Some(elements)
    }

    /// Binds a rule-level `let` the quick evaluator can compute; false when
    /// it cannot, and the full evaluation is to.
    pub(super) fn let_quickly(&mut self, slot: usize, value: &'p Expr) -> bool {
        let Some((computed, reads)) = self.quick_statement(value) else {
            return false;
        };
        // Past what a rule's lets may hold, the full evaluation says so.
        if !self.held.bind(self.base + slot, super::held::units(&computed)) {
            return false;
        }
        self.set_slot(slot, computed, SlotReads::None);
        self.quick_decided.lets += 1;
        self.quick_lets.push(QuickLet {
            at: self.base + slot,
            value,
            reads,
        });
        true
    }

    /// Before a full evaluation reads local `slot`: if the quick evaluator
    /// bound it, evaluates its `let` in full, on a budget of its own as when
    /// it ran, so the slot's reads are exactly what the `let` read. Without
    /// indexes: a quick `let` scanned no long list, and its reads are whole.
    pub(super) fn exact_quick_let(&mut self, slot: usize) {
        let at = self.base + slot;
        let Some(i) = self.quick_lets.iter().position(|l| l.at == at) else {
            return;
        };
        let value = self.quick_lets.swap_remove(i).value;
        let budget = self.save_budget();
        let failed = self.failed_compare.take();
        let sparse = self.sparse;
        let mark = self.reads.len();
        if self.without_index(|this| this.eval(value)).is_ok() {
            self.slot_reads[at] = self.reads_since(mark);
        }
        self.reads.truncate(mark);
        self.failed_compare = failed;
        self.sparse = sparse;
        self.restore_budget(budget);
    }

    /// A statement's value, and the values it read (counted from above).
    #[inline]
    fn quick_statement(&mut self, expr: &'p Expr) -> Option<(Value, u64)> {
        self.quick_floor = self.stack.len();
        self.quick_weights.clear();
        let address = expr as *const Expr as usize;
        let mut cost = Cost::new(self.quick_budget.limit(address));
        let value = self.qv(expr, &mut cost);
        // Steps only grow: past the limit once, past it at the end.
        if cost.steps > cost.limit {
            self.quick_budget.stopped_at(address);
        }
        Some((value.ok()?, cost.reads))
    }

    /// The reads the full evaluation replays when it reads local `at` of
    /// the rule's frame (for a quick `let`, counted from above); `None` for
    /// a `let` an index answered, whose reads are known only once it is
    /// made exact (see `exact_let`): a statement that reads it is left to the
    /// full evaluation.
    pub(super) fn local_weight(&self, at: usize) -> Option<u64> {
        if self.sparse_lets.iter().any(|&(s, _)| s == at) {
            return None;
        }
        match self.quick_lets.iter().find(|l| l.at == at) {
            Some(quick) => Some(quick.reads),
            None => self.slot_reads.get(at).map(|reads| reads.len() as u64),
        }
    }

    fn quick_weight(&self, at: usize) -> Quick<u64> {
        if at < self.quick_floor {
            self.local_weight(at).ok_or(Stop::Unsure)
        } else {
            Ok(self.quick_weights[at - self.quick_floor])
        }
    }

    fn quick_bind(&mut self, slot: usize, value: Value) {
        let at = self.base + slot;
        self.stack[at] = value;
        if at >= self.quick_floor {
            self.quick_weights[at - self.quick_floor] = 0;
        }
    }

    fn qv(&mut self, expr: &'p Expr, cost: &mut Cost) -> Quick<Value> {
        cost.tick(1)?;
        match &expr.kind {
            ExprKind::Literal(literal) => Ok(literal_value(literal)),
            ExprKind::List(items) => {
                cost.tick(items.len() as u64)?;
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    values.push(self.qv(item, cost)?);
                }
                Ok(Value::list(values))
            }
            ExprKind::Root => Ok(Value::Data(self.doc.root())),
            ExprKind::DataKey(key) => {
                cost.read(1)?;
                self.doc.get(self.doc.root(), key).map(Value::Data).ok_or(Stop::Missing)
            }
            ExprKind::Local(slot) => {
                let at = self.base + slot;
                cost.read(self.quick_weight(at)?.saturating_add(1))?;
                Ok(self.stack[at].clone())
            }
            ExprKind::Global(index) => self.quick_global(*index, cost),
            ExprKind::Field {
                base,
                key,
                optional,
                mapped: false,
            } => {
                let base = self.qv(base, cost)?;
                cost.read(1)?;
                self.quick_field(base, key, *optional)
            }
            ExprKind::Index {
                base,
                index,
                mapped: false,
            } => {
                let base = self.qv(base, cost)?;
                let index = self.qv(index, cost)?;
                cost.read(1)?;
                self.quick_index(base, &index)
            }
            ExprKind::Builtin { builtin, args } => self.quick_builtin(builtin.0, args, cost),
            ExprKind::Exists(inner) => match self.qv(inner, cost) {
                Ok(value) => Ok(Value::Bool(!value.is_null(self.doc))),
                Err(Stop::Missing) => Ok(Value::Bool(false)),
                Err(Stop::Unsure) => Err(Stop::Unsure),
            },
            ExprKind::Call { function, args } => self.quick_call(*function, args, cost),
            ExprKind::Comprehension(c) => self.quick_comprehension(c, cost),
            ExprKind::Unary { op, operand } => {
                let value = self.qv(operand, cost)?;
                match op {
                    UnaryOp::Not => Ok(Value::Bool(!value.as_bool(self.doc).ok_or(Stop::Unsure)?)),
                    UnaryOp::Neg => Ok(Value::Num(-value.as_num(self.doc).ok_or(Stop::Unsure)?)),
                }
            }
            ExprKind::Binary { op, lhs, rhs } => self.quick_binary(*op, lhs, rhs, expr, cost),
            ExprKind::Compare { op, lhs, rhs, within } => self.quick_compare(*op, lhs, rhs, within.as_ref(), cost),
            _ => Err(Stop::Unsure),
        }
    }

    /// A file-level `let` the full evaluation has already computed for this
    /// document; one it has not yet is its to compute.
    fn quick_global(&mut self, index: usize, cost: &mut Cost) -> Quick<Value> {
        let entry = self.globals[index]
            .as_ref()
            .filter(|done| self.use_index || !done.sparse)
            .ok_or(Stop::Unsure)?;
        let Ok(Bound::Value(value)) = &entry.result else {
            return Err(Stop::Unsure);
        };
        cost.tick(entry.steps)?;
        cost.read(entry.reads.len() as u64)?;
        Ok(value.clone())
    }

    /// `base.key` as `Evaluator::field` reads it.
    fn quick_field(&self, base: Value, key: &str, optional: bool) -> Quick<Value> {
        match lookup(self.doc, &base, key, optional) {
            Lookup::Found(value) => Ok(value),
            Lookup::NoDataKey(_) | Lookup::DataNull(_) | Lookup::NoKey | Lookup::Null => Err(Stop::Missing),
            Lookup::NotAMap => Err(Stop::Unsure),
        }
    }

    /// `base[index]` as `Evaluator::index` reads it.
    fn quick_index(&self, base: Value, index: &Value) -> Quick<Value> {
        if let Some(key) = index.as_str(self.doc) {
            return self.quick_field(base, key, false);
        }
        let n = index.as_num(self.doc).ok_or(Stop::Unsure)?;
        if n.fract() != Decimal::ZERO {
            return Err(Stop::Unsure);
        }
        let items = match base.each(self.doc) {
            Some(items @ (Elements::DataList(_) | Elements::List(_))) => items,
            _ => return Err(Stop::Unsure),
        };
        let len = items.len() as i128;
        let i = n.to_i128().unwrap_or(i128::MAX);
        let position = if i < 0 { len + i } else { i };
        if position < 0 || position >= len {
            return Err(Stop::Missing);
        }
        Ok(items.value(position as usize))
    }

    /// A builtin, called and remembered as `Evaluator::builtin` does.
    fn quick_builtin(
        &mut self,
        builtin: &'static crate::builtins::Builtin,
        args: &'p [Expr],
        cost: &mut Cost,
    ) -> Quick<Value> {
        let base = self.scratch.len();
        for arg in args {
            match self.qv(arg, cost) {
                Ok(value) => self.scratch.push(value),
                Err(stop) => {
                    self.scratch.truncate(base);
                    return Err(stop);
                }
            }
        }
        let result = self.call_builtin(builtin, base);
        let value = result.map_err(|_| Stop::Unsure)?;
        match &value {
            Value::List(items) => cost.tick(items.len() as u64)?,
            Value::Map(entries) => cost.tick(entries.len() as u64)?,
            _ => {}
        }
        Ok(value)
    }

    /// A call of a `fn`. The full evaluation remembers a call whose
    /// arguments are values (not lists or maps): its body runs once, each
    /// parameter read as a placeholder, and each call costs the body's steps
    /// plus the reads its template replays: the body's own, and each
    /// argument's reads at most twice (a template keeps a read's first
    /// place, and the last read). Other calls run their body with each parameter
    /// replaying its argument's reads, as here.
    fn quick_call(&mut self, function: usize, args: &'p [Expr], cost: &mut Cost) -> Quick<Value> {
        let mut values = Vec::with_capacity(args.len());
        let mut arg_reads = Vec::with_capacity(args.len());
        for arg in args {
            let before = cost.reads;
            values.push(self.qv(arg, cost)?);
            arg_reads.push(cost.reads - before);
        }
        let Some(key) = memo::call_key(self.doc, function, &values) else {
            return self.quick_body(function, values, &arg_reads, cost);
        };
        if let Some(entry) = self.memo.get(&key).cloned() {
            return self.quick_replay(&entry, &values, &arg_reads, cost);
        }
        let replayed_args = arg_reads
            .iter()
            .fold(values.len() as u64, |total, &reads| total.saturating_add(reads))
            .saturating_mul(2);
        if let Some(call) = self.quick_memo.get(&key) {
            let result = call.result.clone().map_err(|()| Stop::Missing);
            cost.tick(call.steps)?;
            cost.read(call.reads.saturating_add(replayed_args))?;
            return result;
        }
        // The body stops where the statement would.
        let mut body = Cost::new(cost.limit);
        // A remembered call has at most `MAX_ARGS` arguments, each read as
        // one placeholder for its reads and one for its node.
        let placeholders = &[1; memo::MAX_ARGS][..values.len()];
        // Stopped there, the statement stops at the `tick` below.
        let result = self.quick_body(function, values, placeholders, &mut body);
        // A data node in the result may be another call's argument of the
        // same text (keys are values): the quick evaluator reads a scalar
        // node only for its value, which is the same.
        // Counted before it is shared with the memo (see `held::units`).
        let units = result.as_ref().map_or(0, super::held::units);
        let remembered = match &result {
            Ok(value) => Some(Ok(value.clone())),
            Err(Stop::Missing) => Some(Err(())),
            Err(Stop::Unsure) => None,
        };
        if let Some(result) = remembered.filter(|_| self.keep(units, Kept::Call)) {
            if self.quick_memo.capacity() == 0 {
                self.quick_memo.reserve(memo::EXPECTED_CALLS);
            }
            let call = QuickCall {
                result,
                steps: body.steps,
                reads: body.reads,
            };
            self.quick_memo.insert(key, call);
        }
        cost.tick(body.steps)?;
        cost.read(body.reads.saturating_add(replayed_args))?;
        result
    }

    /// A call the full evaluation remembered: its value, at the cost of its
    /// replay there (the body's steps, the file-level lets it used, and its
    /// template's reads, each argument's reads counted from above).
    fn quick_replay(
        &self,
        entry: &memo::Remembered<'p>,
        values: &[Value],
        arg_reads: &[u64],
        cost: &mut Cost,
    ) -> Quick<Value> {
        let replayed = entry.arg_reads.iter().fold(entry.node_reads, |total, read| {
            total.saturating_add(match read {
                memo::Read::ArgReads(i) => arg_reads.get(usize::from(*i)).copied().unwrap_or(u64::MAX),
                _ => 1,
            })
        });
        let lets = entry.globals.iter().fold(0u64, |total, &g| {
            let used = self.globals[g].as_ref().map_or(u64::MAX, |used| used.steps);
            total.saturating_add(used)
        });
        cost.tick(entry.steps.saturating_add(lets))?;
        cost.read(replayed)?;
        match &entry.result {
            Ok(bound) if !entry.exhausted => Ok(bound.value(values)),
            Err(fault) if fault.kind == super::FindingKind::Missing => Err(Stop::Missing),
            _ => Err(Stop::Unsure),
        }
    }

    /// The key `key` computes for each of `items` bound to local `var_slot`
    /// (which is the only local it reads), in a frame of its own above
    /// everything, and the steps a scan spends on them once the calls they
    /// make are remembered; `None` if one cannot be computed here.
    pub(super) fn element_keys(
        &mut self,
        items: &[NodeId],
        var_slot: usize,
        key: &'p Expr,
    ) -> Option<(Vec<Value>, u64)> {
        let new_base = self.stack.len();
        let floor = std::mem::replace(&mut self.quick_floor, new_base);
        let weights = std::mem::take(&mut self.quick_weights);
        self.stack.resize(new_base + var_slot + 1, Value::Null);
        self.quick_weights.resize(var_slot + 1, 0);
        let base = std::mem::replace(&mut self.base, new_base);
        let pass = |this: &mut Self, keys: Option<&mut Vec<Value>>| {
            let mut cost = Cost::new(super::STEP_LIMIT);
            let mut keys = keys;
            for &item in items {
                this.quick_bind(var_slot, Value::Data(item));
                let value = this.qv(key, &mut cost).ok()?;
                if let Some(keys) = keys.as_mut() {
                    keys.push(value);
                }
            }
            Some(cost.steps)
        };
        let mut keys = Vec::with_capacity(items.len());
        // The second pass counts what a scan pays with the first's calls remembered.
        let steps = pass(self, Some(&mut keys)).and_then(|_| pass(self, None));
        self.base = base;
        self.stack.truncate(new_base);
        self.quick_weights = weights;
        self.quick_floor = floor;
        Some((keys, steps?))
    }

    /// A function's body in a frame of its own above the statement's.
    fn quick_body(&mut self, function: usize, values: Vec<Value>, weights: &[u64], cost: &mut Cost) -> Quick<Value> {
        let f = &self.program.functions[function];
        let new_base = self.stack.len();
        self.stack.extend(values);
        self.stack.resize(new_base + f.frame_size, Value::Null);
        let first = new_base - self.quick_floor;
        self.quick_weights.truncate(first);
        self.quick_weights.extend_from_slice(weights);
        self.quick_weights.resize(first + f.frame_size, 0);
        let saved = std::mem::replace(&mut self.base, new_base);
        let result = crate::stack::deeper(|| self.qv(&f.body, cost));
        self.base = saved;
        self.stack.truncate(new_base);
        self.quick_weights.truncate(first);
        result
    }

    fn quick_comprehension(&mut self, c: &'p Comprehension, cost: &mut Cost) -> Quick<Value> {
        let source = self.qv(&c.iter, cost)?;
        if let Some(answered) = self.quick_indexed(c, &source, cost) {
            return answered;
        }
        let elements = match source.each(self.doc) {
            Some(elements) => elements,
            None if source.is_null(self.doc) => return Err(Stop::Missing),
            None => return Err(Stop::Unsure),
        };
        cost.tick(elements.len() as u64)?;
        if let Some(empty) = self.quick_guarded_off(c, elements.len() as u64, cost) {
            return empty;
        }
        let mut out = Vec::with_capacity(elements.len());
        for i in 0..elements.len() {
            if let Some(slot) = c.key_slot {
                self.quick_bind(slot, elements.key(i));
            }
            self.quick_bind(c.var_slot, elements.value(i));
            if let Some(cond) = &c.cond {
                let keep = self.qv(cond, cost)?;
                if !keep.as_bool(self.doc).ok_or(Stop::Unsure)? {
                    continue;
                }
            }
            out.push(self.qv(&c.body, cost)?);
            cost.tick(1)?;
        }
        Ok(Value::list(out))
    }

    /// A filter whose leading guard does not read the element and is `false`,
    /// as the full evaluation answers it (`Evaluator::answer_guarded_off`): the
    /// empty list, each element counted as the `and`s before the guard and the guard
    /// (once computed, then as it costs again). `None` where the scan runs;
    /// the guard's steps counted then stay counted, from above.
    fn quick_guarded_off(&mut self, c: &'p Comprehension, len: u64, cost: &mut Cost) -> Option<Quick<Value>> {
        if !self.use_index || len == 0 {
            return None;
        }
        let (guard, ands) = super::index::invariant_guard(c)?;
        let answered = (|| {
            cost.tick(ands)?;
            if !matches!(self.qv(guard, cost)?, Value::Bool(false)) {
                return Ok(None);
            }
            if len > 1 {
                let before = cost.steps;
                self.qv(guard, cost)?;
                let again = ands + cost.steps - before;
                cost.tick((len - 2).saturating_mul(again).saturating_add(ands))?;
            }
            self.guarded_off += 1;
            Ok(Some(Value::list(Vec::new())))
        })();
        answered.transpose()
    }

    /// A filter the full evaluation answers from an index (see index.rs),
    /// answered from the same index, at the steps the scan would take; or a
    /// containment filter, answered from an index of the elements' texts.
    /// `None` where the scan must run.
    fn quick_indexed(&mut self, c: &'p Comprehension, source: &Value, cost: &mut Cost) -> Option<Quick<Value>> {
        if !self.use_index {
            return None;
        }
        let shape = super::index::shape(c)?;
        let Value::Data(list) = *source else {
            return None;
        };
        let index = match shape.test {
            Test::Equal => ListIndex::Equal(self.index_of(list, shape.key, c.var_slot)?),
            Test::Contains { .. } => ListIndex::Text(self.text_index_of(list, shape.key, c.var_slot)?),
        };
        if index.len() == 0 {
            return Some(Ok(Value::list(Vec::new())));
        }
        let len = index.len() as u64;
        let start = cost.steps;
        let answered = (|| {
            for guard in &shape.guards {
                if !matches!(self.qv(guard, cost)?, Value::Bool(true)) {
                    return Ok(None);
                }
            }
            let probe = self.qv(shape.probe, cost)?;
            let Some(found) = index.find(self.doc, &probe, shape.test) else {
                return Ok(None);
            };
            if found.len() < index.len() {
                for exclusion in &shape.exclusions {
                    if !matches!(self.qv(exclusion, cost), Ok(Value::Bool(false))) {
                        return Ok(None);
                    }
                }
            }
            let once = cost.steps - start;
            match shape.test {
                // Each element's filter as the first one's: field, comparison,
                // connectives, guards and probe. This counts from above: the full
                // evaluation charges later elements a second evaluation's cost
                // (`Evaluator::indexed`), which is never more than the first's.
                Test::Equal => {
                    cost.tick(len.saturating_mul(2 + shape.connectives + once))?;
                    cost.tick(index.key_steps())?;
                }
                // Each element's filter as a scan evaluates it at most: every
                // `contains` call with its key (a field's four steps and
                // read, or the computed key's share of `key_steps`) and its
                // probe, with the guards counted again in each.
                Test::Contains { .. } => {
                    let calls = shape.test.calls();
                    let field = matches!(shape.key, KeyOf::Field { .. });
                    let per_call = 1 + once + if field { 4 } else { 0 };
                    cost.tick(len.saturating_mul(shape.connectives + calls * per_call))?;
                    let key_reads = if field { len } else { index.key_steps() };
                    cost.read(key_reads.saturating_mul(calls))?;
                }
            }
            let items: &[crate::data::NodeId] = match self.doc.value(list) {
                NodeValue::List(items) => items,
                _ => &[],
            };
            if super::index::is_the_element(c) {
                // What the loop below counts for a bare local: its step and
                // reads (`qv`), and the push.
                if let Some(&last) = found.last() {
                    self.quick_bind(c.var_slot, Value::Data(items[last as usize]));
                    let weight = self.quick_weight(self.base + c.var_slot)?;
                    let n = found.len() as u64;
                    cost.read(n.saturating_mul(weight.saturating_add(1)))?;
                    cost.tick(2 * n)?;
                }
                return Ok(Some(Value::list(
                    found.iter().map(|&i| Value::Data(items[i as usize])).collect(),
                )));
            }
            let mut out = Vec::with_capacity(found.len());
            for &i in found.iter() {
                self.quick_bind(c.var_slot, Value::Data(items[i as usize]));
                out.push(self.qv(&c.body, cost)?);
                cost.tick(1)?;
            }
            Ok(Some(Value::list(out)))
        })();
        answered.transpose()
    }

    fn quick_binary(
        &mut self,
        op: BinaryOp,
        lhs: &'p Expr,
        rhs: &'p Expr,
        expr: &'p Expr,
        cost: &mut Cost,
    ) -> Quick<Value> {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let left = self.qv(lhs, cost)?.as_bool(self.doc).ok_or(Stop::Unsure)?;
                if left == (op == BinaryOp::Or) {
                    return Ok(Value::Bool(left));
                }
                let right = self.qv(rhs, cost)?.as_bool(self.doc).ok_or(Stop::Unsure)?;
                Ok(Value::Bool(right))
            }
            BinaryOp::Coalesce => match self.qv(lhs, cost) {
                Ok(value) if !value.is_null(self.doc) => Ok(value),
                Ok(_) | Err(Stop::Missing) => self.qv(rhs, cost),
                Err(Stop::Unsure) => Err(Stop::Unsure),
            },
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let a = self.qv(lhs, cost)?;
                let b = self.qv(rhs, cost)?;
                if op == BinaryOp::Add {
                    cost.tick(joined_bytes(self.doc, &a, &b))?;
                }
                self.arithmetic(op, &a, &b, lhs, rhs, expr).map_err(|_| Stop::Unsure)
            }
            BinaryOp::In => self.quick_membership(lhs, rhs, cost),
            BinaryOp::Matches => {
                let subject = self.qv(lhs, cost)?;
                let pattern = self.qv(rhs, cost)?;
                let text = subject.as_str(self.doc).ok_or(Stop::Unsure)?;
                let found = match &pattern {
                    Value::Regex(re) => re.is_match(text),
                    other => {
                        let pattern = other.as_str(self.doc).ok_or(Stop::Unsure)?;
                        crate::syntax::compile_regex(pattern)
                            .map_err(|_| Stop::Unsure)?
                            .is_match(text)
                    }
                };
                Ok(Value::Bool(found))
            }
        }
    }

    /// `a in b` as `Evaluator::membership` answers it.
    fn quick_membership(&mut self, lhs: &'p Expr, rhs: &'p Expr, cost: &mut Cost) -> Quick<Value> {
        let needle = self.qv(lhs, cost)?;
        let haystack = self.qv(rhs, cost)?;
        if let Some(found) = self.in_string_set(&needle, &haystack) {
            return Ok(Value::Bool(found));
        }
        match haystack.view(self.doc) {
            View::Str(h) => Ok(Value::Bool(h.contains(needle.as_str(self.doc).ok_or(Stop::Unsure)?))),
            View::List(items) => {
                cost.tick(items.len() as u64)?;
                for item in &items {
                    if collections(self.doc, &needle, item) {
                        return Err(Stop::Unsure);
                    }
                    if equal(self.doc, &needle, item) == Some(true) {
                        return Ok(Value::Bool(true));
                    }
                }
                Ok(Value::Bool(false))
            }
            View::Map(entries) => Ok(Value::Bool(self.is_key(&needle, &entries))),
            _ => Err(Stop::Unsure),
        }
    }

    /// A comparison as `Evaluator::compare_exact` and `compare_within` make it.
    fn quick_compare(
        &mut self,
        op: CompareOp,
        lhs: &'p Expr,
        rhs: &'p Expr,
        within: Option<&'p Within>,
        cost: &mut Cost,
    ) -> Quick<Value> {
        let a = self.qv(lhs, cost)?;
        let b = self.qv(rhs, cost)?;
        let holds = match within {
            Some(Within::Rounding) => return Err(Stop::Unsure),
            Some(Within::Tolerance(tolerance)) => {
                let x = a.as_num(self.doc).ok_or(Stop::Unsure)?;
                let y = b.as_num(self.doc).ok_or(Stop::Unsure)?;
                let t = self.qv(tolerance, cost)?.as_num(self.doc).ok_or(Stop::Unsure)?;
                if t.is_sign_negative() && !t.is_zero() {
                    return Err(Stop::Unsure);
                }
                let close = x.checked_sub(y).ok_or(Stop::Unsure)?.abs() <= t;
                close == (op == CompareOp::Eq)
            }
            None => match op {
                CompareOp::Eq | CompareOp::Ne => {
                    if collections(self.doc, &a, &b) {
                        return Err(Stop::Unsure);
                    }
                    equal(self.doc, &a, &b).ok_or(Stop::Unsure)? == (op == CompareOp::Eq)
                }
                _ => ordered(self.doc, op, &a, &b).ok_or(Stop::Unsure)?,
            },
        };
        Ok(Value::Bool(holds))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{outcome::DocumentResult, Evaluator};

    /// How many statements the quick evaluator decided, rule by rule, over
    /// its fixture and over the bundled library on the example: what it
    /// gives up on is the full evaluation's to decide (tests/differential.rs
    /// checks that the results are the same either way).
    #[test]
    fn the_quick_evaluator_decides_what_it_can() {
        let fixture = crate::unstable::load_rules(&["tests/fixtures/quick-values".into()]).expect("loads");
        let bundled = crate::unstable::load_bundled().expect("loads");
        let runs = [
            (&fixture, "tests/fixtures/quick-values/values.yaml"),
            (&fixture, "tests/fixtures/quick-values/values-violations.yaml"),
            // Filters over 100 rows: scanned quickly whatever their length.
            (&fixture, "tests/fixtures/quick-values/values-long.yaml"),
            (&bundled, "examples/huailai-2024.yaml"),
        ];
        let mut text = String::new();
        for (program, data) in runs {
            let doc = crate::input::read_document(data).expect("loads");
            text.push_str(&format!("{data}\n"));
            // One evaluator for the document, as `check` runs it: what a
            // rule remembered, the next may use.
            let mut evaluator = Evaluator::new(program, &doc);
            for (i, rule) in program.rules.iter().enumerate() {
                let mut result = DocumentResult::default();
                evaluator.run_rule(i, &mut result);
                text.push_str(&decided_line(&rule.id, &result, &evaluator.quick_decided));
                evaluator.quick_decided = Default::default();
            }
        }
        // Each rule alone, as `--rule` runs it: nothing computed before it
        // (a `let` an index answered must not keep the rest of the rule from
        // being decided quickly).
        let doc = crate::input::read_document("examples/huailai-2024.yaml").expect("loads");
        text.push_str("examples/huailai-2024.yaml, each rule alone\n");
        for (i, rule) in bundled.rules.iter().enumerate() {
            let mut evaluator = Evaluator::new(&bundled, &doc);
            let mut result = DocumentResult::default();
            evaluator.run_rule(i, &mut result);
            text.push_str(&decided_line(&rule.id, &result, &evaluator.quick_decided));
        }
        insta::assert_snapshot!(text);
    }

    fn decided_line(id: &str, result: &DocumentResult, d: &super::super::QuickDecided) -> String {
        format!(
            "  {id}: {} assertions, {} passed; quick: {} forms, {} assertions, {} guards, {} lets, {} sources\n",
            result.counts.assertions, result.counts.passed, d.forms, d.assertions, d.guards, d.lets, d.sources
        )
    }
}
