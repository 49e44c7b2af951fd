//! Calls of `fn`s and uses of file-level `let`s, each remembered per document
//! and replayed exactly (see memo.rs), and the step budget (spec §15).

use std::rc::Rc;

use super::expr::FailedCompare;
use super::fault::{EvalResult, Fault};
use super::held::Kept;
use super::memo::{self, ArgKey, Bound, Compare, Read, Remembered};
use super::slot_reads::SlotReads;
use super::{Evaluator, FindingKind, STEP_LIMIT};
use crate::data::NodeId;
use crate::resolve::program::Expr;
use crate::source::Span;
use crate::value::Value;

/// A statement's budget at one moment (see [`Evaluator::checkpoint`]).
#[derive(Clone, Copy)]
pub(super) struct Checkpoint {
    pub steps: u64,
    charged: usize,
    touched: usize,
    global_charges: u64,
}

impl<'p, 'd> Evaluator<'p, 'd> {
    /// Counts `n` steps; past the budget, a `limit` fault at `span`.
    pub(super) fn charge(&mut self, n: u64, span: Span) -> EvalResult<()> {
        self.steps = self.steps.saturating_add(n);
        if self.steps > STEP_LIMIT {
            return Err(Fault::limit(span));
        }
        Ok(())
    }

    /// The current statement's step budget, set aside (a fresh one starts).
    pub(super) fn save_budget(&mut self) -> (u64, Vec<usize>, Vec<usize>) {
        let charged = std::mem::take(&mut self.charged_list);
        for &g in &charged {
            self.charged_globals[g] = false;
        }
        let saved = (self.steps, charged, std::mem::take(&mut self.globals_touched));
        self.steps = 0;
        saved
    }

    /// Back to a budget set aside by [`Self::save_budget`].
    pub(super) fn restore_budget(&mut self, (steps, charged, touched): (u64, Vec<usize>, Vec<usize>)) {
        self.fresh_budget();
        for &g in &charged {
            self.charged_globals[g] = true;
        }
        self.steps = steps;
        self.charged_list = charged;
        self.globals_touched = touched;
    }

    /// Where the statement's budget stands, for [`Self::rollback`].
    pub(super) fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            steps: self.steps,
            charged: self.charged_list.len(),
            touched: self.globals_touched.len(),
            global_charges: self.global_charges,
        }
    }

    /// Undoes the counting since `at`: the steps, and the file-level lets
    /// first counted since (a scan that runs after an index gave up counts
    /// them again, as it would have without the index).
    pub(super) fn rollback(&mut self, at: Checkpoint) {
        for g in self.charged_list.drain(at.charged..) {
            self.charged_globals[g] = false;
        }
        self.globals_touched.truncate(at.touched);
        self.global_charges = at.global_charges;
        self.steps = at.steps;
    }

    /// A new statement (or `at`, or a message): a fresh step budget.
    pub(super) fn fresh_budget(&mut self) {
        self.steps = 0;
        for g in self.charged_list.drain(..) {
            self.charged_globals[g] = false;
        }
        self.globals_touched.clear();
    }

    /// Whether the document's evaluation may remember `units` more. When it
    /// is full, the calls it remembered are let go to make room: a call is
    /// computed again when next asked, which changes no outcome, where
    /// refusing made every later call and file-level `let` be computed again
    /// each time it was asked (a helper that scans one table, once per row
    /// of another: the example with both name tables ×90 took 53 s, ×80
    /// 3.4 s).
    pub(super) fn keep(&mut self, units: u64, kept: Kept) -> bool {
        if kept == Kept::Call && self.a_call_table_is_full() {
            self.forget_calls();
        }
        if self.held.keep(units, kept) {
            return true;
        }
        if !self.held.holds_calls() {
            return false;
        }
        self.forget_calls();
        self.held.keep(units, kept)
    }

    /// A table of remembered calls holds [`memo::MAX_CALLS`]: growing it
    /// would allocate its whole table again, twice the size, at once.
    fn a_call_table_is_full(&self) -> bool {
        [self.memo.len(), self.quick_memo.len(), self.builtin_memo.len()]
            .iter()
            .any(|&len| len >= memo::MAX_CALLS)
    }

    fn forget_calls(&mut self) {
        self.memo.clear();
        self.quick_memo.clear();
        self.builtin_memo.clear();
        self.held.forget_calls();
        self.calls_forgotten += 1;
    }

    /// A new statement of a rule: the file-level lets kept only for the last
    /// one are let go (within a statement they stay, so that it counts their
    /// steps once, as a replay would).
    pub(super) fn forget_transient_globals(&mut self) {
        for g in self.transient_globals.drain(..) {
            self.globals[g] = None;
        }
    }

    /// Counts the steps of let `index` (and of the lets it used), once per
    /// statement.
    fn charge_global(&mut self, index: usize, span: Span) -> EvalResult<()> {
        if self.charged_globals[index] {
            return Ok(());
        }
        self.charged_globals[index] = true;
        self.charged_list.push(index);
        let Some(entry) = self.globals[index].clone() else {
            return Ok(());
        };
        self.global_charges += entry.steps;
        self.charge(entry.steps, span)?;
        for &used in entry.globals.iter() {
            self.charge_global(used, span)?;
        }
        Ok(())
    }

    /// A file-level `let`: evaluated once per document, replayed after.
    pub(super) fn global(&mut self, index: usize) -> EvalResult<Value> {
        let global = &self.program.globals[index];
        self.globals_touched.push(index);
        if let Some(done) = self.globals[index].clone().filter(|d| self.use_index || !d.sparse) {
            if let Some(result) = self.replay(&done, &[], &[], global.value.span, false) {
                self.charge_global(index, global.value.span)?;
                return result;
            }
        }
        let entry = Rc::new(crate::stack::deeper(|| {
            self.remember(&global.value, global.frame_size, &[])
        }));
        self.lets_computed += 1;
        // Its steps were just taken: counted for this statement.
        if !self.charged_globals[index] {
            self.charged_globals[index] = true;
            self.charged_list.push(index);
        }
        // Past what a document may remember, it is computed again for each
        // statement that reads it: the same steps and reads as a replay.
        if !self.keep(entry.held_units(), Kept::Let) {
            self.transient_globals.push(index);
        }
        self.globals[index] = Some(entry.clone());
        self.replay_first(&entry, &[], &[], global.value.span)
    }

    pub(super) fn call(&mut self, function: usize, args: &'p [Expr]) -> EvalResult<Value> {
        // Argument buffers come from a pool: a call allocates nothing.
        let (mut values, mut reads) = self.arg_buffers.pop().unwrap_or_default();
        let result = crate::stack::deeper(|| self.call_with(function, args, &mut values, &mut reads));
        values.clear();
        reads.clear();
        self.arg_buffers.push((values, reads));
        result
    }

    fn call_with(
        &mut self,
        function: usize,
        args: &'p [Expr],
        values: &mut Vec<Value>,
        reads: &mut Vec<SlotReads>,
    ) -> EvalResult<Value> {
        let f = &self.program.functions[function];
        for arg in args {
            let mark = self.reads.len();
            values.push(self.eval(arg)?);
            reads.push(self.reads_since(mark));
        }
        let (values, reads) = (&values[..], &mut reads[..]);
        let key = (self.memo_depth < memo::MAX_DEPTH)
            .then(|| memo::call_key(self.doc, function, values))
            .flatten();
        let Some(key) = key else {
            return self.run_body(&f.body, f.frame_size, values, reads);
        };
        if let Some(done) = self.memo.get(&key).filter(|d| self.use_index || !d.sparse).cloned() {
            if let Some(result) = self.replay(&done, values, reads, f.body.span, true) {
                return result;
            }
        }
        let entry = Rc::new(self.remember(&f.body, f.frame_size, values));
        if entry.storable && self.keep(entry.held_units(), Kept::Call) {
            if self.memo.capacity() == 0 {
                self.memo.reserve(memo::EXPECTED_CALLS);
            }
            self.memo.insert(key, entry.clone());
        }
        self.replay_first(&entry, values, reads, f.body.span)
    }

    /// A call that is not remembered: the body over the arguments' own reads.
    fn run_body(
        &mut self,
        body: &'p Expr,
        frame_size: usize,
        values: &[Value],
        reads: &mut [SlotReads],
    ) -> EvalResult<Value> {
        let new_base = self.stack.len();
        self.stack.extend_from_slice(values);
        self.slot_reads.extend(reads.iter_mut().map(std::mem::take));
        self.stack.resize(new_base + frame_size, Value::Null);
        self.slot_reads.resize(new_base + frame_size, SlotReads::None);
        let saved_base = std::mem::replace(&mut self.base, new_base);
        let result = self.eval(body);
        self.base = saved_base;
        self.stack.truncate(new_base);
        self.slot_reads.truncate(new_base);
        result
    }

    /// Evaluates a body with placeholder reads for its arguments and keeps
    /// what it did as a template; leaves the reads and the failed comparison
    /// as they were (the caller replays the template).
    fn remember(&mut self, body: &'p Expr, frame_size: usize, args: &[Value]) -> Remembered<'p> {
        let depth = self.memo_depth;
        let start_steps = self.steps;
        let start_charges = self.global_charges;
        let fresh = start_steps == 0 && self.charged_list.is_empty();
        let touched_mark = self.globals_touched.len();
        let mark = self.reads.len();
        let (result, failed, sparse) = self.eval_with_placeholders(body, frame_size, args);

        // Arguments keyed by their text: another call's are other nodes.
        let by_text: Vec<NodeId> = args
            .iter()
            .filter(|a| !matches!(ArgKey::of(self.doc, a), Some(ArgKey::Node(_)) | None))
            .filter_map(Value::node)
            .collect();
        let mut storable = true;
        let mut template = std::mem::take(&mut self.template_buffer);
        self.template_reads(mark, depth, &by_text, &mut storable, &mut template);
        let mut bind = |value: Value| -> Bound {
            if let Some(i) = value.node().and_then(|n| args.iter().position(|a| a.node() == Some(n))) {
                return Bound::Arg(i);
            }
            storable &= !memo::holds_any(&value, &by_text);
            Bound::Value(value)
        };
        let failed = failed.and_then(|c| {
            let start = c.rhs_reads.start.checked_sub(mark)?;
            let end = c.rhs_reads.end.checked_sub(mark)?;
            (start <= end && end <= template.len()).then(|| Compare {
                expr: c.expr,
                lhs: bind(c.lhs),
                rhs: bind(c.rhs),
                rhs_reads: start..end,
                allowed: c.allowed,
            })
        });
        // Positions matter to a comparison that failed inside: keep them all then.
        let reads: Box<[Read]> = if failed.is_some() {
            template.as_slice().into()
        } else {
            memo::without_repeats(&template, &mut self.node_marks, self.doc.node_count())
        };
        template.clear();
        self.template_buffer = template;
        let node_reads = reads.iter().filter(|r| matches!(r, Read::Node(_))).count() as u64;
        let arg_reads: Box<[Read]> = reads.iter().filter(|r| !matches!(r, Read::Node(_))).copied().collect();
        let mut near_arg = None;
        let mut exhausted = false;
        let result = match result {
            Ok(value) => Ok(bind(value)),
            Err(fault) => {
                near_arg = fault.near.and_then(|n| args.iter().position(|a| a.node() == Some(n)));
                // From a fresh budget, running out is a property of the body;
                // otherwise it depends on what the statement did before.
                if fault.kind == FindingKind::Limit {
                    exhausted = fresh;
                    storable &= fresh;
                }
                Err(fault)
            }
        };
        Remembered {
            result,
            near_arg,
            reads,
            failed,
            steps: self
                .steps
                .saturating_sub(start_steps)
                .saturating_sub(self.global_charges - start_charges),
            globals: self.globals_touched_since(touched_mark),
            exhausted,
            storable,
            sparse,
            node_reads,
            arg_reads,
        }
    }

    /// [`Self::remember`]'s evaluation: the body in a frame of its own, each
    /// argument's reads a placeholder; returns the result, the comparison
    /// that failed inside and whether the body went sparse, and restores the
    /// caller's frame, failed comparison and sparseness.
    fn eval_with_placeholders(
        &mut self,
        body: &'p Expr,
        frame_size: usize,
        args: &[Value],
    ) -> (EvalResult<Value>, Option<FailedCompare<'p>>, bool) {
        let depth = self.memo_depth;
        let saved_failed = self.failed_compare.take();
        let new_base = self.stack.len();
        self.stack.extend(args.iter().cloned());
        for i in 0..args.len() {
            self.slot_reads
                .push(SlotReads::One(memo::arg_reads_placeholder(depth, i)));
        }
        self.stack.resize(new_base + frame_size, Value::Null);
        self.slot_reads.resize(new_base + frame_size, SlotReads::None);
        let saved_base = std::mem::replace(&mut self.base, new_base);
        let outer_sparse = std::mem::replace(&mut self.sparse, false);
        self.memo_depth += 1;
        self.memo_arg_starts.push(self.memo_arg_nodes.len());
        self.memo_arg_nodes.extend(args.iter().map(Value::node));
        let result = self.eval(body);
        let start = self.memo_arg_starts.pop().unwrap_or_default();
        self.memo_arg_nodes.truncate(start);
        self.memo_depth -= 1;
        self.base = saved_base;
        self.stack.truncate(new_base);
        self.slot_reads.truncate(new_base);
        let failed = std::mem::replace(&mut self.failed_compare, saved_failed);
        // The caller becomes sparse when it replays this (`replay_reads`).
        let sparse = std::mem::replace(&mut self.sparse, outer_sparse);
        (result, failed, sparse)
    }

    /// Takes the reads since `mark` as a template: placeholders become the
    /// argument they stand for. A read of an argument keyed by its text
    /// (`by_text`) makes the entry unfit to store. `template` is a buffer
    /// kept from call to call: a body that scans a long table reads
    /// thousands of values, and a new buffer each time went to the system.
    fn template_reads(
        &mut self,
        mark: usize,
        depth: usize,
        by_text: &[NodeId],
        storable: &mut bool,
        template: &mut Vec<Read>,
    ) {
        template.clear();
        template.extend(self.reads.drain(mark..).map(|id| match memo::placeholder(id) {
            Some((d, arg, is_node)) => {
                debug_assert_eq!(d, depth, "a placeholder of another call");
                // Below MAX_ARGS, which fits a byte.
                if is_node {
                    Read::ArgNode(arg as u8)
                } else {
                    Read::ArgReads(arg as u8)
                }
            }
            None => {
                *storable &= !by_text.contains(&id);
                Read::Node(id)
            }
        }));
    }

    /// The globals touched since `mark`, each once, in the order first touched.
    fn globals_touched_since(&self, mark: usize) -> Box<[usize]> {
        let mut used: Vec<usize> = Vec::new();
        for &g in &self.globals_touched[mark..] {
            if !used.contains(&g) {
                used.push(g);
            }
        }
        used.into_boxed_slice()
    }

    /// Replays what a body just did (its steps are already counted).
    fn replay_first(
        &mut self,
        entry: &Remembered<'p>,
        args: &[Value],
        arg_reads: &[SlotReads],
        span: Span,
    ) -> EvalResult<Value> {
        let pushed = self.replay_reads(entry, args, arg_reads);
        self.charge(pushed, span)?;
        self.replay_result(entry, args)
    }

    /// Replays a remembered body, counting its steps (a call's; a let's are
    /// counted by the caller); `None` when it must run again (it ran out of
    /// steps, but not from a fresh budget).
    fn replay(
        &mut self,
        entry: &Remembered<'p>,
        args: &[Value],
        arg_reads: &[SlotReads],
        span: Span,
        count_steps: bool,
    ) -> Option<EvalResult<Value>> {
        if entry.exhausted {
            self.steps = STEP_LIMIT + 1;
            return Some(Err(Fault::limit(span)));
        }
        if entry.result.as_ref().is_err_and(|f| f.kind == FindingKind::Limit) {
            return None;
        }
        let pushed = self.replay_reads(entry, args, arg_reads);
        if !count_steps {
            // A let: its steps count once per statement (`charge_global`).
            return Some(self.charge(pushed, span).and_then(|()| self.replay_result(entry, args)));
        }
        let charged = self.charge(entry.steps.saturating_add(pushed), span).and_then(|()| {
            for &used in entry.globals.iter() {
                self.globals_touched.push(used);
                self.charge_global(used, span)?;
            }
            Ok(())
        });
        Some(charged.and_then(|()| self.replay_result(entry, args)))
    }

    /// Pushes the reads of a remembered body filled with this call's
    /// arguments; returns how many (each counts as a step: reads are memory).
    fn replay_reads(&mut self, entry: &Remembered<'p>, args: &[Value], arg_reads: &[SlotReads]) -> u64 {
        if self.use_index && !entry.reads.is_empty() {
            // Only a statement that does not pass needs its reads, and it runs
            // again without indexes (`exactly`), which pushes them: count them.
            self.sparse = true;
            let args_read: usize = entry
                .arg_reads
                .iter()
                .map(|read| match *read {
                    Read::ArgReads(i) => arg_reads[usize::from(i)].len(),
                    Read::ArgNode(i) => usize::from(args[usize::from(i)].node().is_some()),
                    Read::Node(_) => 0,
                })
                .sum();
            return entry.node_reads + args_read as u64;
        }
        let before = self.reads.len();
        self.sparse |= entry.sparse;
        let track = entry.failed.is_some();
        let mut positions = Vec::with_capacity(if track { entry.reads.len() + 1 } else { 0 });
        for read in entry.reads.iter() {
            if track {
                positions.push(self.reads.len());
            }
            match *read {
                Read::Node(id) => self.reads.push(id),
                Read::ArgReads(i) => self.reads.extend_from_slice(&arg_reads[usize::from(i)]),
                Read::ArgNode(i) => {
                    let i = usize::from(i);
                    let node = args[i]
                        .node()
                        .map(|n| self.outer_placeholder(n, &arg_reads[i]).unwrap_or(n));
                    self.reads.extend(node);
                }
            }
        }
        positions.push(self.reads.len());
        if let Some(c) = &entry.failed {
            self.failed_compare = Some(FailedCompare {
                expr: c.expr,
                lhs: c.lhs.value(args),
                rhs: c.rhs.value(args),
                rhs_reads: positions[c.rhs_reads.start]..positions[c.rhs_reads.end],
                allowed: c.allowed,
            });
        }
        (self.reads.len() - before) as u64
    }

    /// Inside a remembered body, an argument that is that body's own
    /// argument passed on: its node's placeholder, so the body can still be
    /// remembered by text rather than by node.
    fn outer_placeholder(&self, node: NodeId, arg_reads: &[NodeId]) -> Option<NodeId> {
        arg_reads.iter().rev().copied().find(|&id| {
            memo::placeholder(id)
                .is_some_and(|(depth, arg, is_node)| is_node && self.memo_arg(depth, arg) == Some(node))
        })
    }

    /// The data node argument `arg` of the remembered call at `depth` was, if any.
    fn memo_arg(&self, depth: usize, arg: usize) -> Option<NodeId> {
        let start = *self.memo_arg_starts.get(depth)?;
        let end = self
            .memo_arg_starts
            .get(depth + 1)
            .copied()
            .unwrap_or(self.memo_arg_nodes.len());
        self.memo_arg_nodes[start..end].get(arg).copied().flatten()
    }

    fn replay_result(&self, entry: &Remembered<'p>, args: &[Value]) -> EvalResult<Value> {
        match &entry.result {
            Ok(bound) => Ok(bound.value(args)),
            Err(fault) => {
                let mut fault = fault.clone();
                if let Some(i) = entry.near_arg {
                    fault.near = args[i].node();
                }
                Err(fault)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{outcome::DocumentResult, test_inputs, Evaluator};

    /// When what a document may remember is full, the remembered calls are
    /// let go, not the file-level lets: a `let` computed again for every
    /// statement that reads it made the example with tables ×90 take 53 s.
    /// Letting calls go changes no result.
    #[test]
    fn a_full_memory_lets_calls_go_and_keeps_file_level_lets() {
        let rows: String = (0..60).map(|i| format!("  - {{名称: N{i}}}\n")).collect();
        let rules = "let 名单 = [p.名称 for p in 项目]\n\
                     fn 同名(a, b) = a == b\n\
                     rule 配对 {\n  for m in 明细 {\n    for p in 项目 {\n      when 同名(p.名称, m.名称) {\n        assert m.名称 != \"N7\"\n      }\n    }\n  }\n}\n\
                     rule 在名单中 {\n  for m in 明细 {\n    assert m.名称 in 名单\n  }\n}\n";
        let (program, doc) = test_inputs(rules, format!("项目:\n{rows}明细:\n{rows}"));
        let run = |limit: Option<u64>| {
            let mut evaluator = Evaluator::new(&program, &doc);
            if let Some(limit) = limit {
                evaluator.held.limit = limit;
            }
            let mut result = DocumentResult::default();
            evaluator.run_rule(0, &mut result);
            evaluator.run_rule(1, &mut result);
            let findings: Vec<String> = result.findings.iter().map(|f| format!("{f:?}")).collect();
            let outcome = (result.counts.assertions, result.counts.passed, findings);
            (outcome, evaluator.lets_computed, evaluator.calls_forgotten)
        };
        let (roomy, roomy_lets, roomy_forgotten) = run(None);
        // 3,600 pairs, each remembered call at least 16 units: full many times over.
        let (tight, tight_lets, tight_forgotten) = run(Some(5_000));
        assert_eq!((roomy.0, roomy.1, roomy.2.len()), (120, 119, 1));
        assert_eq!(tight, roomy, "letting calls go changed a result");
        assert_eq!((roomy_lets, roomy_forgotten), (1, 0));
        assert_eq!(tight_lets, 1, "the file-level let was computed again");
        assert!(tight_forgotten > 0, "the calls never filled the memory");
    }

    /// A statement whose quick attempt stops at its limit but which fits the
    /// budget is decided quickly the next time (see quick_budget.rs), with
    /// the same results as the full evaluation.
    #[test]
    fn a_long_statement_is_decided_quickly_after_its_first_full_evaluation() {
        let projects: String = (0..300).map(|i| format!("  - {{名称: 项目{i}}}\n")).collect();
        let names: String = (0..10).map(|i| format!("  - 项目{i}\n")).collect();
        let rules = "rule 有项目 {\n  for m in 名单 {\n    assert count([p for p in 项目 if contains(p.名称, m)]) > 0\n  }\n}\n";
        let (program, doc) = test_inputs(rules, format!("项目:\n{projects}名单:\n{names}"));
        let run = |quick: bool| {
            let mut evaluator = Evaluator::new(&program, &doc);
            evaluator.use_quick = quick;
            // Each statement takes a few thousand steps: past this.
            evaluator.quick_budget.first = 1_000;
            let mut result = DocumentResult::default();
            evaluator.run_rule(0, &mut result);
            let findings: Vec<String> = result.findings.iter().map(|f| format!("{f:?}")).collect();
            let outcome = (result.counts.assertions, result.counts.passed, findings);
            (outcome, evaluator.quick_decided.assertions)
        };
        let (full, _) = run(false);
        let (quick, decided) = run(true);
        assert_eq!(quick, full);
        assert_eq!((full.0, full.1, full.2.len()), (10, 10, 0));
        // The first is evaluated in full; the nine after it quickly.
        assert_eq!(decided, 9);
    }

    /// A table of remembered calls never grows past `MAX_CALLS` entries,
    /// however few units they hold: the calls are let go instead.
    #[test]
    fn a_table_of_calls_stays_within_its_entries() {
        let n = super::memo::MAX_CALLS + 5_000;
        let numbers: String = (0..n).map(|i| format!("{i},")).collect();
        let rules = "fn 加一(x) = x + 1\nrule 全部 {\n  for x in 数 {\n    assert 加一(x) > x\n  }\n}\n";
        let (program, doc) = test_inputs(rules, format!("数: [{numbers}]\n"));
        for quick in [false, true] {
            let mut evaluator = Evaluator::new(&program, &doc);
            evaluator.use_quick = quick;
            let mut result = DocumentResult::default();
            evaluator.run_rule(0, &mut result);
            assert_eq!(result.counts.passed, n, "quick {quick}");
            assert_eq!(evaluator.calls_forgotten, 1, "quick {quick}");
            let largest = evaluator.memo.len().max(evaluator.quick_memo.len());
            assert!(
                largest < super::memo::MAX_CALLS,
                "quick {quick}: {largest} calls remembered"
            );
        }
    }
}
