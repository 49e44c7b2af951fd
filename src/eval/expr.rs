//! Expressions: paths, operators, calls. Every data value an expression reads
//! is recorded, so a finding can show it.

use std::rc::Rc;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::fault::{EvalResult, Fault, Pending};
use super::held::Kept;
use super::memo;
use super::slot_reads::SlotReads;
use super::Evaluator;
use crate::builtins::Args;
use crate::data::NodeValue;
use crate::resolve::program::{BuiltinRef, Comprehension, Expr, ExprKind, Literal, Within};
use crate::syntax::ast::{BinaryOp, CompareOp, UnaryOp};
use crate::value::show;
use crate::value::{equal, Elements, Value};

/// A comparison that came out false, kept for the default message and to pick
/// the primary value.
pub struct FailedCompare<'p> {
    pub expr: &'p Expr,
    pub lhs: Value,
    pub rhs: Value,
    /// `reads[rhs_reads]` are the values the right-hand side read.
    pub rhs_reads: std::ops::Range<usize>,
    /// `within`: the tolerance allowed, and whether it came from rounding.
    pub allowed: Option<(Decimal, bool)>,
}

impl<'p, 'd> Evaluator<'p, 'd> {
    /// Evaluates `expr`, recording the data values it reads.
    pub fn eval(&mut self, expr: &'p Expr) -> EvalResult<Value> {
        self.charge(1, expr.span)?;
        match &expr.kind {
            ExprKind::DataKey(_)
            | ExprKind::Input(_)
            | ExprKind::Field { .. }
            | ExprKind::Index { .. }
            | ExprKind::Wildcard { .. }
            | ExprKind::Root => {
                let value = self.path(expr)?;
                self.record(&value);
                Ok(value)
            }
            ExprKind::Local(slot) => self.local(*slot, expr),
            ExprKind::Global(index) => self.global(*index),
            ExprKind::Literal(literal) => Ok(literal_value(literal)),
            ExprKind::List(items) => {
                self.charge(items.len() as u64, expr.span)?;
                let values = items.iter().map(|e| self.eval(e)).collect::<EvalResult<Vec<_>>>()?;
                Ok(Value::list(values))
            }
            ExprKind::Builtin { builtin, args } => self.builtin(builtin, args, expr),
            ExprKind::Exists(path) => {
                // `exists` reads nothing and fails never: what it looked at,
                // including a comparison that came out false, is not the assertion's.
                let mark = self.reads.len();
                let saved_failed = self.failed_compare.take();
                let outcome = self.eval(path);
                self.reads.truncate(mark);
                self.failed_compare = saved_failed;
                match outcome {
                    // An absent input skips the assertion even here; a limit is never hidden.
                    Err(fault) if matches!(fault.kind, super::FindingKind::Skipped | super::FindingKind::Limit) => {
                        Err(fault)
                    }
                    outcome => Ok(Value::Bool(outcome.is_ok_and(|v| !v.is_null(self.doc)))),
                }
            }
            ExprKind::Call { function, args } => self.call(*function, args),
            ExprKind::Comprehension(c) => self.comprehension(c),
            ExprKind::Unary { op, operand } => {
                let value = self.eval(operand)?;
                match op {
                    UnaryOp::Not => Ok(Value::Bool(!self.boolean(&value, operand, "`not`")?)),
                    UnaryOp::Neg => Ok(Value::Num(-self.number(&value, operand, "`-`")?)),
                }
            }
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, expr),
            ExprKind::Compare { op, lhs, rhs, within } => self.compare(*op, lhs, rhs, within.as_ref(), expr),
        }
    }

    /// A local slot: its value, and the reads of the `let` that bound it.
    fn local(&mut self, slot: usize, expr: &'p Expr) -> EvalResult<Value> {
        if !self.sparse_lets.is_empty() {
            self.exact_let(slot);
        }
        if !self.quick_lets.is_empty() {
            self.exact_quick_let(slot);
        }
        let value = self.stack[self.base + slot].clone();
        let reads = &self.slot_reads[self.base + slot];
        self.reads.extend_from_slice(reads);
        // Replayed reads are memory: a `let` used in a loop counts them.
        let replayed = reads.len() as u64;
        // An argument of a remembered call: its node is a placeholder too.
        match memo::node_placeholder_for(reads) {
            Some(node) => self.reads.push(node),
            None => self.record(&value),
        }
        self.charge(replayed, expr.span)?;
        Ok(value)
    }

    /// A builtin call: arguments on the scratch stack, costly calls remembered.
    fn builtin(&mut self, builtin: &BuiltinRef, args: &'p [Expr], expr: &'p Expr) -> EvalResult<Value> {
        // Arguments go on a scratch stack: no allocation per call.
        let base = self.scratch.len();
        for arg in args {
            match self.eval(arg) {
                Ok(v) => self.scratch.push(v),
                Err(fault) => {
                    self.scratch.truncate(base);
                    return Err(fault);
                }
            }
        }
        let result = self.call_builtin(builtin.0, base);
        // The error points at this call, wherever the first one was.
        let value = result.map_err(|e| Fault::from_builtin(e, builtin.0.name, expr.span))?;
        self.charge_list(&value, expr.span)?;
        Ok(value)
    }

    /// Calls `builtin` with the arguments on the scratch stack from `base`
    /// (and takes them off), remembered per document when it is costly.
    pub(super) fn call_builtin(
        &mut self,
        builtin: &'static crate::builtins::Builtin,
        base: usize,
    ) -> crate::builtins::BuiltinResult {
        let key = builtin
            .remember
            .then(|| memo::call_key(self.doc, builtin as *const _ as usize, &self.scratch[base..]))
            .flatten();
        let remembered = key.as_ref().and_then(|k| self.builtin_memo.get(k)).cloned();
        let result = match remembered {
            Some(result) => result,
            None => {
                let call = Args {
                    doc: self.doc,
                    values: &self.scratch[base..],
                };
                let result = (builtin.call)(&call);
                // A result holding a data node is that call's own: keep only others.
                let units = result.as_ref().map_or(0, super::held::units);
                let keep = key.filter(|_| !result.as_ref().is_ok_and(memo::holds_data) && self.keep(units, Kept::Call));
                if let Some(key) = keep {
                    if self.builtin_memo.capacity() == 0 {
                        self.builtin_memo.reserve(memo::EXPECTED_CALLS);
                    }
                    self.builtin_memo.insert(key, result.clone());
                }
                result
            }
        };
        self.scratch.truncate(base);
        result
    }

    /// Records a data value (or, for a `[*]` list, each data element).
    fn record(&mut self, value: &Value) {
        match value {
            Value::Data(id) => self.reads.push(*id),
            Value::List(items) => self.reads.extend(items.iter().filter_map(Value::node)),
            _ => {}
        }
    }

    /// A path, without recording: the steps of `a.b.c` are not reads, the end is.
    fn path(&mut self, expr: &'p Expr) -> EvalResult<Value> {
        match &expr.kind {
            ExprKind::Root => Ok(Value::Data(self.doc.root())),
            ExprKind::Input(i) => self.inputs[*i].clone().ok_or_else(|| {
                let name = &self.program.inputs[*i].name;
                Fault::skipped(expr.span, format!("input `{name}` is absent for this document"))
            }),
            ExprKind::DataKey(key) => {
                let root = self.doc.root();
                match self.doc.get(root, key) {
                    Some(id) => Ok(Value::Data(id)),
                    None => Err(Fault::missing(
                        expr.span,
                        Some(root),
                        format!("`{key}` is missing: the document has no top-level key `{key}`"),
                    )
                    .hinted(root, key)),
                }
            }
            ExprKind::Field {
                base,
                key,
                optional,
                mapped,
            } => {
                let base_value = self.base(base)?;
                if *mapped {
                    self.map_elements(&base_value, |this, v| {
                        this.field(v, (key, Some(key)), *optional, expr, base)
                    })
                } else {
                    self.field(base_value, (key, Some(key)), *optional, expr, base)
                }
            }
            ExprKind::Index { base, index, mapped } => {
                let base_value = self.base(base)?;
                let index_value = self.eval(index)?;
                if *mapped {
                    self.map_elements(&base_value, |this, v| this.index(v, &index_value, expr, index))
                } else {
                    self.index(base_value, &index_value, expr, index)
                }
            }
            ExprKind::Wildcard { base, mapped } => {
                let base_value = self.base(base)?;
                let parts = if *mapped {
                    self.map_elements(&base_value, |this, v| this.all_elements(&v, base))?
                } else {
                    return self.all_elements(&base_value, base);
                };
                // `a[*].b[*]`: one flat list, not a list of lists.
                let mut flat = Vec::new();
                if let Value::List(lists) = &parts {
                    let total: usize = lists
                        .iter()
                        .map(|l| match l {
                            Value::List(items) => items.len(),
                            _ => 1,
                        })
                        .sum();
                    self.charge(total as u64, expr.span)?;
                }
                if let Value::List(lists) = parts {
                    for list in lists.iter() {
                        match list {
                            Value::List(items) => flat.extend(items.iter().cloned()),
                            other => flat.push(other.clone()),
                        }
                    }
                }
                Ok(Value::list(flat))
            }
            _ => self.eval(expr),
        }
    }

    /// The base of a path step: a path (not recorded) or any other expression.
    fn base(&mut self, expr: &'p Expr) -> EvalResult<Value> {
        match &expr.kind {
            ExprKind::Local(slot) => {
                if !self.sparse_lets.is_empty() {
                    self.exact_let(*slot);
                }
                if !self.quick_lets.is_empty() {
                    self.exact_quick_let(*slot);
                }
                // A `let` computed from data: what it read, the path reads too.
                self.reads.extend_from_slice(&self.slot_reads[self.base + slot]);
                Ok(self.stack[self.base + slot].clone())
            }
            _ => self.path(expr),
        }
    }

    fn map_elements(
        &mut self,
        list: &Value,
        mut step: impl FnMut(&mut Self, Value) -> EvalResult<Value>,
    ) -> EvalResult<Value> {
        let Value::List(items) = list else {
            return Ok(list.clone());
        };
        let items: Rc<Vec<Value>> = items.clone();
        let span = self.statement.unwrap_or_default();
        self.charge(items.len() as u64, span)?;
        let out = items
            .iter()
            .map(|v| step(self, v.clone()))
            .collect::<EvalResult<Vec<_>>>()?;
        Ok(Value::list(out))
    }

    /// `base.key`; `shared` is the key as the program holds it, if it does
    /// (a computed key is copied only when it is missing).
    fn field(
        &mut self,
        base: Value,
        (key, shared): (&str, Option<&Arc<str>>),
        optional: bool,
        expr: &'p Expr,
        base_expr: &'p Expr,
    ) -> EvalResult<Value> {
        match lookup(self.doc, &base, key, optional) {
            Lookup::Found(value) => Ok(value),
            Lookup::NoDataKey(id) => {
                let key = shared.cloned().unwrap_or_else(|| Arc::from(key));
                Err(Fault::missing_later(
                    expr.span,
                    Some(id),
                    Pending::NoKey {
                        expr: expr.span,
                        map: id,
                        key: key.clone(),
                    },
                )
                .hinted(id, &key))
            }
            Lookup::DataNull(id) => Err(Fault::missing_later(
                expr.span,
                Some(id),
                Pending::Null {
                    expr: expr.span,
                    node: id,
                },
            )),
            Lookup::NoKey => Err(Fault::missing(
                expr.span,
                None,
                format!(
                    "`{}` is missing: the map has no key `{key}`",
                    self.program.text(expr.span)
                ),
            )),
            Lookup::Null => Err(Fault::missing(
                expr.span,
                None,
                format!(
                    "`{}` is missing: `{}` is null",
                    self.program.text(expr.span),
                    self.program.text(base_expr.span)
                ),
            )),
            Lookup::NotAMap => Err(Fault::type_error(
                expr.span,
                format!("cannot read key `{key}` of {}", typed(self.doc, &base)),
            )
            .near(base.node())),
        }
    }

    fn index(&mut self, base: Value, index: &Value, expr: &'p Expr, index_expr: &'p Expr) -> EvalResult<Value> {
        if let Some(key) = index.as_str(self.doc) {
            return self.field(base, (key, None), false, expr, index_expr);
        }
        let Some(n) = index.as_num(self.doc) else {
            return Err(Fault::type_error(
                index_expr.span,
                format!(
                    "an index must be a number or a string, found {}",
                    index.type_name(self.doc)
                ),
            ));
        };
        if n.fract() != Decimal::ZERO {
            return Err(Fault::type_error(
                index_expr.span,
                format!("an index must be a whole number, found {n}"),
            ));
        }
        let items = match base.each(self.doc) {
            Some(items @ (Elements::DataList(_) | Elements::List(_))) => items,
            _ => {
                return Err(Fault::type_error(
                    expr.span,
                    format!("cannot index {} with a number", typed(self.doc, &base)),
                )
                .near(base.node()))
            }
        };
        let len = items.len() as i128;
        let i = rust_decimal::prelude::ToPrimitive::to_i128(&n).unwrap_or(i128::MAX);
        let position = if i < 0 { len + i } else { i };
        if position < 0 || position >= len {
            return Err(Fault::missing_later(
                expr.span,
                base.node(),
                Pending::Short {
                    expr: expr.span,
                    list: base.node(),
                    len,
                },
            ));
        }
        Ok(items.value(position as usize))
    }

    fn all_elements(&mut self, value: &Value, expr: &'p Expr) -> EvalResult<Value> {
        match value.elements(self.doc) {
            Some(items) => {
                self.charge(items.len() as u64, expr.span)?;
                Ok(Value::list(items))
            }
            None if value.is_null(self.doc) => Err(Fault::missing(
                expr.span,
                value.node(),
                format!("`{}` is missing: it is null", self.program.text(expr.span)),
            )),
            None => Err(Fault::type_error(
                expr.span,
                format!("`[*]` needs a list or a map, found {}", typed(self.doc, value)),
            )
            .near(value.node())),
        }
    }

    /// Counts the elements of a list a builtin built (`keys`, `values`…).
    fn charge_list(&mut self, value: &Value, span: crate::source::Span) -> EvalResult<()> {
        match value {
            Value::List(items) => self.charge(items.len() as u64, span),
            Value::Map(entries) => self.charge(entries.len() as u64, span),
            _ => Ok(()),
        }
    }

    /// Drops the reads after `mark` (values looked at for a message, not
    /// read by the assertion); a failed comparison that pointed into them
    /// no longer can.
    pub(super) fn truncate_reads(&mut self, mark: usize) {
        self.reads.truncate(mark);
        if self.failed_compare.as_ref().is_some_and(|c| c.rhs_reads.end > mark) {
            self.failed_compare = None;
        }
    }

    /// The data values read since `mark`, shared.
    pub(super) fn reads_since(&self, mark: usize) -> SlotReads {
        SlotReads::of(&self.reads[mark..])
    }

    fn comprehension(&mut self, c: &'p Comprehension) -> EvalResult<Value> {
        let source = self.eval(&c.iter)?;
        if let Some(result) = self.indexed(c, &source) {
            return result;
        }
        if let Some(result) = self.contained_exactly(c, &source) {
            return result;
        }
        if let Some(result) = self.equal_exactly(c, &source) {
            return result;
        }
        let elements = self.iteration(&source, &c.iter)?;
        if let Some(result) = self.answer_guarded_off(c, &elements) {
            return result;
        }
        let mut out = Vec::with_capacity(elements.len());
        for i in 0..elements.len() {
            if let Some(slot) = c.key_slot {
                self.set_slot(slot, elements.key(i), SlotReads::None);
            }
            self.set_slot(c.var_slot, elements.value(i), SlotReads::None);
            if let Some(cond) = &c.cond {
                let keep = self.eval(cond)?;
                if !self.boolean(&keep, cond, "an `if` filter")? {
                    continue;
                }
            }
            out.push(self.eval(&c.body)?);
            self.charge(1, c.body.span)?;
        }
        self.last_indexed = None;
        Ok(Value::list(out))
    }

    pub(super) fn set_slot(&mut self, slot: usize, value: Value, reads: SlotReads) {
        self.stack[self.base + slot] = value;
        self.slot_reads[self.base + slot] = reads;
        if !self.sparse_lets.is_empty() {
            let at = self.base + slot;
            self.sparse_lets.retain(|&(s, _)| s != at);
        }
        if !self.quick_lets.is_empty() {
            let at = self.base + slot;
            self.quick_lets.retain(|l| l.at != at);
        }
    }

    /// What a `for` or a comprehension goes through: a list's elements or a
    /// map's values (with indexes or keys for `for k, v`).
    pub(super) fn iteration(&self, source: &Value, expr: &'p Expr) -> EvalResult<Elements<'d>> {
        if let Some(elements) = source.each(self.doc) {
            return Ok(elements);
        }
        if source.is_null(self.doc) {
            return Err(Fault::missing(
                expr.span,
                source.node(),
                format!("`{}` is null: nothing to go through", self.program.text(expr.span)),
            ));
        }
        Err(Fault::type_error(
            expr.span,
            format!("can only go through a list or a map, found {}", typed(self.doc, source)),
        )
        .near(source.node()))
    }

    fn binary(&mut self, op: BinaryOp, lhs: &'p Expr, rhs: &'p Expr, expr: &'p Expr) -> EvalResult<Value> {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let left = self.eval(lhs)?;
                let left = self.boolean(&left, lhs, if op == BinaryOp::And { "`and`" } else { "`or`" })?;
                if left == (op == BinaryOp::Or) {
                    return Ok(Value::Bool(left));
                }
                let right = self.eval(rhs)?;
                Ok(Value::Bool(self.boolean(&right, rhs, op.symbol())?))
            }
            BinaryOp::Coalesce => match self.eval(lhs) {
                Ok(v) if !v.is_null(self.doc) => Ok(v),
                Ok(_) => self.eval(rhs),
                Err(fault) if fault.kind == super::FindingKind::Missing => self.eval(rhs),
                Err(fault) => Err(fault),
            },
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let a = self.eval(lhs)?;
                let b = self.eval(rhs)?;
                if op == BinaryOp::Add {
                    self.charge(joined_bytes(self.doc, &a, &b), expr.span)?;
                }
                self.arithmetic(op, &a, &b, lhs, rhs, expr)
            }
            BinaryOp::In => self.membership(lhs, rhs, expr),
            BinaryOp::Matches => self.regex_match(lhs, rhs),
        }
    }

    /// `a matches b`: `b` a regex literal or a string compiled now.
    fn regex_match(&mut self, lhs: &'p Expr, rhs: &'p Expr) -> EvalResult<Value> {
        let subject = self.eval(lhs)?;
        let pattern = self.eval(rhs)?;
        let Some(text) = subject.as_str(self.doc) else {
            return Err(Fault::type_error(
                lhs.span,
                format!("`matches` needs a string, found {}", typed(self.doc, &subject)),
            )
            .near(subject.node()));
        };
        let found = match &pattern {
            Value::Regex(re) => re.is_match(text),
            other => match other.as_str(self.doc).map(crate::syntax::compile_regex) {
                Some(Ok(re)) => re.is_match(text),
                Some(Err(e)) => return Err(Fault::type_error(rhs.span, format!("invalid regex: {e}"))),
                None => {
                    return Err(Fault::type_error(
                        rhs.span,
                        "`matches` needs a regex string on its right",
                    ))
                }
            },
        };
        Ok(Value::Bool(found))
    }

    pub(super) fn arithmetic(
        &self,
        op: BinaryOp,
        a: &Value,
        b: &Value,
        lhs: &Expr,
        rhs: &Expr,
        expr: &Expr,
    ) -> EvalResult<Value> {
        if op == BinaryOp::Add {
            if let Some(joined) = self.join(a, b, expr)? {
                return Ok(joined);
            }
        }
        // Named for an error message only: no formatting on the way to a result.
        let what = match op {
            BinaryOp::Add => "`+`",
            BinaryOp::Sub => "`-`",
            BinaryOp::Mul => "`*`",
            _ => "`/`",
        };
        let x = self.number(a, lhs, what)?;
        let y = self.number(b, rhs, what)?;
        let result = match op {
            BinaryOp::Add => x.checked_add(y),
            BinaryOp::Sub => x.checked_sub(y),
            BinaryOp::Mul => x.checked_mul(y),
            _ if y.is_zero() => {
                return Err(Fault::arithmetic(
                    expr.span,
                    format!("division by zero: {} is 0", self.program.text(rhs.span)),
                )
                .near(b.node()))
            }
            _ => x.checked_div(y),
        };
        result.map(Value::Num).ok_or_else(|| {
            Fault::arithmetic(
                expr.span,
                format!(
                    "overflow: {x} {} {y} does not fit in 28 significant digits",
                    op.symbol()
                ),
            )
        })
    }

    /// `+` on two strings joins them; a string with anything else is a type
    /// error that says how to join (`text(x)`) or add (`number(s)`).
    fn join(&self, a: &Value, b: &Value, expr: &Expr) -> EvalResult<Option<Value>> {
        match (a.as_str(self.doc), b.as_str(self.doc)) {
            (Some(x), Some(y)) => Ok(Some(Value::Str(Arc::from(format!("{x}{y}"))))),
            (None, None) => Ok(None),
            _ => Err(Fault::type_error(
                expr.span,
                format!(
                    "`+` joins two strings or adds two numbers, but found {} and {}: \
                     join a value to a string with `text(…)`, or read a numeric string with `number(…)`",
                    typed(self.doc, a),
                    typed(self.doc, b),
                ),
            )
            .near(a.node().or(b.node()))),
        }
    }

    fn compare(
        &mut self,
        op: CompareOp,
        lhs: &'p Expr,
        rhs: &'p Expr,
        within: Option<&'p Within>,
        expr: &'p Expr,
    ) -> EvalResult<Value> {
        match within {
            Some(Within::Rounding) => self.compare_within_rounding(op, lhs, rhs, expr),
            Some(Within::Tolerance(tolerance)) => self.compare_within(op, lhs, rhs, tolerance, expr),
            None => self.compare_exact(op, lhs, rhs, expr),
        }
    }

    /// `a == b within rounding`: equal when the difference fits in the two
    /// sides' rounding intervals added together.
    fn compare_within_rounding(
        &mut self,
        op: CompareOp,
        lhs: &'p Expr,
        rhs: &'p Expr,
        expr: &'p Expr,
    ) -> EvalResult<Value> {
        let (a, ra) = self.interval(lhs)?;
        let rhs_mark = self.reads.len();
        let (b, rb) = self.interval(rhs)?;
        let x = self.number(&a, lhs, "`within rounding`")?;
        let y = self.number(&b, rhs, "`within rounding`")?;
        let overflow = || {
            Fault::arithmetic(
                expr.span,
                format!("overflow: {x} - {y} and its rounding interval do not fit in 28 significant digits"),
            )
        };
        let radius = ra.checked_add(rb).ok_or_else(overflow)?;
        let close = x.checked_sub(y).ok_or_else(overflow)?.abs() <= radius;
        self.finish_compare(
            close == (op == CompareOp::Eq),
            expr,
            a,
            b,
            rhs_mark,
            Some((radius, true)),
        )
    }

    /// `a == b within t`: equal when the difference is at most `t` (0 or more).
    fn compare_within(
        &mut self,
        op: CompareOp,
        lhs: &'p Expr,
        rhs: &'p Expr,
        tolerance: &'p Expr,
        expr: &'p Expr,
    ) -> EvalResult<Value> {
        let a = self.eval(lhs)?;
        let rhs_mark = self.reads.len();
        let b = self.eval(rhs)?;
        let x = self.number(&a, lhs, "`within`")?;
        let y = self.number(&b, rhs, "`within`")?;
        let t = self.eval(tolerance)?;
        let t = self.number(&t, tolerance, "`within`")?;
        if t.is_sign_negative() && !t.is_zero() {
            return Err(Fault::type_error(
                tolerance.span,
                format!(
                    "`within` needs a tolerance of 0 or more, but `{}` is {t}",
                    self.program.text(tolerance.span)
                ),
            ));
        }
        let diff = x.checked_sub(y).ok_or_else(|| {
            Fault::arithmetic(
                expr.span,
                format!("overflow: {x} - {y} does not fit in 28 significant digits"),
            )
        })?;
        let close = diff.abs() <= t;
        self.finish_compare(close == (op == CompareOp::Eq), expr, a, b, rhs_mark, Some((t, false)))
    }

    /// A comparison without `within`: `==`/`!=` on any values, an order on
    /// two numbers, two strings or two dates.
    fn compare_exact(&mut self, op: CompareOp, lhs: &'p Expr, rhs: &'p Expr, expr: &'p Expr) -> EvalResult<Value> {
        let a = self.eval(lhs)?;
        let rhs_mark = self.reads.len();
        let b = self.eval(rhs)?;
        let holds = match op {
            CompareOp::Eq | CompareOp::Ne => match self.equal_bounded(&a, &b, expr.span)? {
                Some(same) => same == (op == CompareOp::Eq),
                None => return Err(self.mismatch(op, &a, &b, expr)),
            },
            _ => match ordered(self.doc, op, &a, &b) {
                Some(holds) => holds,
                None => return Err(self.mismatch(op, &a, &b, expr)),
            },
        };
        self.finish_compare(holds, expr, a, b, rhs_mark, None)
    }

    fn finish_compare(
        &mut self,
        holds: bool,
        expr: &'p Expr,
        lhs: Value,
        rhs: Value,
        rhs_mark: usize,
        allowed: Option<(Decimal, bool)>,
    ) -> EvalResult<Value> {
        if !holds {
            self.failed_compare = Some(FailedCompare {
                expr,
                lhs,
                rhs,
                rhs_reads: rhs_mark..self.reads.len(),
                allowed,
            });
        }
        Ok(Value::Bool(holds))
    }

    /// [`equal`], counting each element compared as a step: lists built by
    /// sharing (`[l, l]` again and again) are small in memory but huge to walk.
    pub(super) fn equal_bounded(
        &mut self,
        a: &Value,
        b: &Value,
        span: crate::source::Span,
    ) -> EvalResult<Option<bool>> {
        use crate::value::View;
        let collection = |v: &Value| match v {
            Value::List(_) | Value::Map(_) => true,
            Value::Data(id) => matches!(self.doc.value(*id), NodeValue::List(_) | NodeValue::Map(_)),
            _ => false,
        };
        if !(collection(a) && collection(b)) {
            return Ok(equal(self.doc, a, b));
        }
        match (a.view(self.doc), b.view(self.doc)) {
            (View::List(xs), View::List(ys)) => {
                if xs.len() != ys.len() {
                    return Ok(Some(false));
                }
                self.charge(xs.len() as u64, span)?;
                for (x, y) in xs.iter().zip(&ys) {
                    if self.equal_bounded(x, y, span)? != Some(true) {
                        return Ok(Some(false));
                    }
                }
                Ok(Some(true))
            }
            (View::Map(xs), View::Map(ys)) => {
                if xs.len() != ys.len() {
                    return Ok(Some(false));
                }
                self.charge(xs.len() as u64, span)?;
                for (k, x) in &xs {
                    let Some((_, y)) = ys.iter().find(|(j, _)| j == k) else {
                        return Ok(Some(false));
                    };
                    if self.equal_bounded(x, y, span)? != Some(true) {
                        return Ok(Some(false));
                    }
                }
                Ok(Some(true))
            }
            _ => Ok(equal(self.doc, a, b)),
        }
    }

    fn mismatch(&self, op: CompareOp, a: &Value, b: &Value, expr: &Expr) -> Box<Fault> {
        // A data number that cannot be held is not a type mismatch: say why.
        for side in [a, b] {
            if let Value::Data(id) = side {
                if matches!(self.doc.value(*id), NodeValue::InvalidNumber(_)) {
                    if let Err(fault) = self.number(side, expr, "") {
                        return fault;
                    }
                }
            }
        }
        Fault::type_error(
            expr.span,
            format!(
                "cannot compare {} with {} using `{}`{}",
                typed(self.doc, a),
                typed(self.doc, b),
                op.symbol(),
                self.numeric_string_hint(a, b, expr),
            ),
        )
        .near(a.node().or(b.node()))
    }

    /// When a string is compared with a number and the string reads as one,
    /// say how to read it: `number(…)`, or `indicator(…).value` for `≥90%`.
    fn numeric_string_hint(&self, a: &Value, b: &Value, expr: &Expr) -> String {
        let ExprKind::Compare { lhs, rhs, .. } = &expr.kind else {
            return String::new();
        };
        let (text, side) = match (
            a.as_str(self.doc),
            b.as_num(self.doc),
            b.as_str(self.doc),
            a.as_num(self.doc),
        ) {
            (Some(s), Some(_), ..) => (s, lhs),
            (_, _, Some(s), Some(_)) => (s, rhs),
            _ => return String::new(),
        };
        let written = self.program.text(side.span);
        if crate::builtins::parse_number(text).is_ok() {
            format!("; the string reads as a number: write `number({written})`")
        } else if crate::builtins::reads_as_indicator(text) {
            format!("; the string reads as an indicator value: write `indicator({written}).value`")
        } else {
            String::new()
        }
    }

    pub(super) fn number(&self, value: &Value, expr: &Expr, what: &str) -> EvalResult<Decimal> {
        if let Some(n) = value.as_num(self.doc) {
            return Ok(n);
        }
        if let Value::Data(id) = value {
            if let NodeValue::InvalidNumber(why) = self.doc.value(*id) {
                return Err(Fault::arithmetic(
                    expr.span,
                    format!("`{}` cannot be used: the number {why}", self.doc.raw(*id)),
                )
                .near(Some(*id)));
            }
        }
        Err(Fault::type_error(
            expr.span,
            format!(
                "{what} needs a number, but `{}` is {}",
                self.program.text(expr.span),
                typed(self.doc, value)
            ),
        )
        .near(value.node()))
    }

    pub(super) fn boolean(&self, value: &Value, expr: &Expr, what: &str) -> EvalResult<bool> {
        value.as_bool(self.doc).ok_or_else(|| {
            Fault::type_error(
                expr.span,
                format!(
                    "{what} needs true or false, but `{}` is {}",
                    self.program.text(expr.span),
                    typed(self.doc, value)
                ),
            )
            .near(value.node())
        })
    }
}

/// `a < b` (`<=`, `>`, `>=`) on two numbers, two strings or two dates;
/// `None` for any other pair (a type mismatch).
pub(super) fn ordered(doc: &crate::data::Document, op: CompareOp, a: &Value, b: &Value) -> Option<bool> {
    let ordering = match (a.as_num(doc), b.as_num(doc)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => match (a.as_str(doc), b.as_str(doc), a, b) {
            (Some(x), Some(y), ..) => x.cmp(y),
            (_, _, Value::Date(x), Value::Date(y)) => x.cmp(y),
            _ => return None,
        },
    };
    Some(match op {
        CompareOp::Lt => ordering.is_lt(),
        CompareOp::Le => ordering.is_le(),
        CompareOp::Gt => ordering.is_gt(),
        _ => ordering.is_ge(),
    })
}

/// What `base.key` finds (`?.` when `optional`), before the full
/// evaluation makes it a fault and the quick one a stop.
pub(super) enum Lookup {
    /// The value, or null through `?.`.
    Found(Value),
    /// A data map without the key.
    NoDataKey(crate::data::NodeId),
    /// A data null, read without `?.`.
    DataNull(crate::data::NodeId),
    /// A computed map without the key.
    NoKey,
    /// A computed null, read without `?.`.
    Null,
    /// Neither a map nor null.
    NotAMap,
}

// Inlined into both evaluators' field reads: a call here cost 2% of the
// evaluation of a document with tables ×100 (callgrind).
#[inline(always)]
pub(super) fn lookup(doc: &crate::data::Document, base: &Value, key: &str, optional: bool) -> Lookup {
    if let Value::Data(id) = *base {
        match doc.value(id) {
            NodeValue::Map(_) => {
                return match doc.get(id, key) {
                    Some(child) => Lookup::Found(Value::Data(child)),
                    None if optional => Lookup::Found(Value::Null),
                    None => Lookup::NoDataKey(id),
                }
            }
            NodeValue::Null if !optional => return Lookup::DataNull(id),
            _ => {}
        }
    }
    match base {
        Value::Map(entries) => match entries.iter().find(|(k, _)| crate::data::same_key(k, key)) {
            Some((_, v)) => Lookup::Found(v.clone()),
            None if optional => Lookup::Found(Value::Null),
            None => Lookup::NoKey,
        },
        Value::Null if optional => Lookup::Found(Value::Null),
        Value::Null => Lookup::Null,
        _ => Lookup::NotAMap,
    }
}

/// What joining `a + b` costs in steps: a byte each when both are strings,
/// counted before the string is built, so that repeated joining (a `let`
/// doubling a string) ends as `limit` within bounded memory, as building
/// list elements does.
pub(super) fn joined_bytes(doc: &crate::data::Document, a: &Value, b: &Value) -> u64 {
    match (a.as_str(doc), b.as_str(doc)) {
        (Some(x), Some(y)) => (x.len() as u64).saturating_add(y.len() as u64),
        _ => 0,
    }
}

pub(super) fn literal_value(literal: &Literal) -> Value {
    match literal {
        Literal::Num(n) => Value::Num(*n),
        Literal::Str(s) => Value::Str(s.clone()),
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Null => Value::Null,
        // Empty only when the pattern failed to compile: then no program runs.
        Literal::Regex(cell) => cell.get().map_or(Value::Null, |re| Value::Regex(re.clone())),
    }
}

/// "a number 5", "a string \"能够保障\"", "null": a value with its type, for errors.
pub(super) fn typed(doc: &crate::data::Document, value: &Value) -> String {
    match value.type_name(doc) {
        "null" => "null".to_owned(),
        name => format!("a {name} {}", show(doc, value)),
    }
}
