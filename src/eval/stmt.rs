//! Statements: `let`, `assert`, `for`, `when`. Each assertion run is counted
//! and, unless it passes, becomes a finding.

use super::fault::{EvalResult, Fault};
use super::outcome::{DataRead, DocumentResult, Finding, FindingKind, VALUES_LISTED};
use super::slot_reads::SlotReads;
use super::Evaluator;
use crate::data::NodeId;
use crate::resolve::program::{Assertion, Stmt};
use crate::value::Value;

impl<'p> Evaluator<'p, '_> {
    pub(super) fn run_rule(&mut self, rule: usize, out: &mut DocumentResult) {
        let def = &self.program.rules[rule];
        self.stack.clear();
        self.slot_reads.clear();
        self.base = 0;
        self.stack.resize(def.frame_size, Value::Null);
        self.slot_reads.resize(def.frame_size, SlotReads::None);
        self.sparse_lets.clear();
        self.quick_lets.clear();
        self.held.start_rule(def.frame_size);
        self.block(rule, &def.body, out);
    }

    fn block(&mut self, rule: usize, stmts: &'p [Stmt], out: &mut DocumentResult) {
        for stmt in stmts {
            self.reads.clear();
            self.failed_compare = None;
            self.fresh_budget();
            self.quick_budget.start_statement();
            if !self.transient_globals.is_empty() {
                self.forget_transient_globals();
            }
            match stmt {
                // A let's reads are kept for later statements: when an index
                // answered it, they are made exact the first time a statement
                // that does not pass reads it (see `exact_let`).
                Stmt::Let { slot, value, quick }
                    if *quick && self.quick_allowed() && self.let_quickly(*slot, value) => {}
                Stmt::Let { slot, value, .. } => {
                    match self.exactly(out.has_room(rule), |this| this.eval(value), Result::is_ok) {
                        Ok(v) => {
                            let reads = self.reads_since(0);
                            // By value alone, as the quick evaluator counts it: the
                            // outcome must not depend on which evaluated the let.
                            if !self.held.bind(self.base + *slot, super::held::units(&v)) {
                                // What the rule's lets hold is bounded: stop this block.
                                self.fault(rule, *Fault::held_limit(value.span), out);
                                return;
                            }
                            self.set_slot(*slot, v, reads);
                            if self.sparse && self.use_index {
                                self.sparse_lets.push((self.base + *slot, value));
                            }
                        }
                        Err(fault) => {
                            // Later statements may need this binding: stop this block.
                            self.fault(rule, *fault, out);
                            return;
                        }
                    }
                }
                Stmt::Assert(assertion) => self.assertion(rule, assertion, out),
                Stmt::For {
                    key_slot,
                    value_slot,
                    iter,
                    body,
                    quick,
                } => {
                    // What a `for` goes through leaves no reads behind (each
                    // statement of its body starts its own): when the quick
                    // evaluator has it, nothing is lost. A fault is the full
                    // evaluation's to report.
                    let quickly = (*quick && self.quick_allowed())
                        .then(|| self.quick_source(iter))
                        .flatten();
                    let elements = match quickly {
                        Some(elements) => Ok(elements),
                        None => self.exactly(
                            out.has_room(rule),
                            |this| this.eval(iter).and_then(|source| this.iteration(&source, iter)),
                            Result::is_ok,
                        ),
                    };
                    match elements {
                        Ok(elements) => {
                            for i in 0..elements.len() {
                                if let Some(slot) = key_slot {
                                    self.set_slot(*slot, elements.key(i), SlotReads::None);
                                }
                                self.set_slot(*value_slot, elements.value(i), SlotReads::None);
                                self.block(rule, body, out);
                            }
                        }
                        Err(fault) => self.fault(rule, *fault, out),
                    }
                }
                Stmt::When { cond, body, quick } => {
                    let quickly = (*quick && self.quick_allowed())
                        .then(|| self.quick_guard(cond))
                        .flatten();
                    self.quick_decided.guards += u64::from(quickly.is_some());
                    let decided = quickly.map(Ok).unwrap_or_else(|| {
                        self.exactly(
                            out.has_room(rule),
                            |this| {
                                let v = this.eval(cond)?;
                                if v.is_null(this.doc) {
                                    return Ok(false);
                                }
                                this.boolean(&v, cond, "`when`")
                            },
                            Result::is_ok,
                        )
                    });
                    match decided {
                        Ok(true) => self.block(rule, body, out),
                        Ok(false) => {}
                        Err(fault) => self.fault(rule, *fault, out),
                    }
                }
            }
        }
    }

    fn assertion(&mut self, rule: usize, assertion: &'p Assertion, out: &mut DocumentResult) {
        // A pass leaves only a count: the quick form decides it when it can.
        let verdict = if self.quick_allowed() {
            self.verdict_before_full_evaluation(assertion)
        } else {
            None
        };
        if verdict == Some(true) {
            out.counts.record(None);
            return;
        }
        let evaluate = |this: &mut Self| {
            this.eval(&assertion.cond)
                .and_then(|v| this.boolean(&v, &assertion.cond, "an assertion"))
                .map_err(|mut fault| {
                    // Out of steps: the assertion as a whole, not where it stopped.
                    if fault.kind == FindingKind::Limit {
                        fault.span = assertion.cond.span;
                    }
                    fault
                })
        };
        let listed = out.has_room(rule);
        let outcome = if verdict == Some(false) && !listed {
            // Only counted: the quick evaluator's values are the full
            // evaluation's, and its steps are counted from above, so the
            // full evaluation would be violated too. Evaluating it again
            // cost a scan per row where a rule fails on every row of a table.
            Ok(false)
        } else if verdict == Some(false) {
            self.exactly_at_once(evaluate)
        } else {
            self.exactly(listed, evaluate, |outcome| matches!(outcome, Ok(true)))
        };
        if self.explain.is_some() {
            self.explain_assertion(&assertion.cond);
        }
        self.statement = Some(assertion.span);
        match outcome {
            Ok(true) => out.counts.record(None),
            Ok(false) => {
                out.counts.record(Some(FindingKind::Violation));
                if out.has_room(rule) {
                    let finding = self.violation(rule, assertion);
                    out.add(finding);
                } else {
                    self.reads.clear();
                    out.omit(rule, FindingKind::Violation, None);
                }
            }
            Err(fault) => self.fault(rule, *fault, out),
        }
        self.statement = None;
    }

    /// `Some(true)` when the assertion's quick form, or else the quick
    /// evaluator, is sure that it passes; `Some(false)` when the quick
    /// evaluator is sure that it is violated.
    fn verdict_before_full_evaluation(&mut self, assertion: &'p Assertion) -> Option<bool> {
        match &assertion.quick {
            Some(form) => {
                let passes = self.passes_quickly(form);
                self.quick_decided.forms += u64::from(passes);
                passes.then_some(true)
            }
            None if assertion.runs_quickly => {
                let verdict = self.quick_verdict(&assertion.cond);
                self.quick_decided.assertions += u64::from(verdict == Some(true));
                verdict
            }
            None => None,
        }
    }

    /// Quick evaluation is on, and nothing asks for what it does not keep
    /// (`tally explain` shows every value an assertion read).
    fn quick_allowed(&self) -> bool {
        self.use_quick && self.explain.is_none()
    }

    /// Runs a statement's evaluation; when it does not pass and an index left
    /// its reads incomplete (see index.rs), runs it again without indexes, so
    /// a finding lists exactly the values a scan reads. Not when its finding
    /// would not be `listed` (its rule is past [`super::FINDINGS_KEPT`]): the
    /// index gave the scan's outcome, and only that is counted. Otherwise a
    /// rule failing for each of n rows ran n scans of n elements again.
    fn exactly<T>(
        &mut self,
        listed: bool,
        mut run: impl FnMut(&mut Self) -> EvalResult<T>,
        passes: impl Fn(&EvalResult<T>) -> bool,
    ) -> EvalResult<T> {
        self.sparse = false;
        let mut outcome = run(self);
        if !passes(&outcome) && self.sparse && self.use_index && listed {
            self.exact_reruns += 1;
            self.reads.clear();
            self.failed_compare = None;
            self.fresh_budget();
            outcome = self.without_index(run);
        }
        let ran_out = matches!(&outcome, Err(fault) if fault.kind == FindingKind::Limit);
        self.quick_budget.learn(self.steps, ran_out);
        outcome
    }

    /// Runs an assertion the quick evaluator saw violated, whose finding will
    /// be listed: without indexes at once, since with them it would only be
    /// run again (see [`Self::exactly`]). The outcome is the same: the quick
    /// evaluator's values are the full evaluation's, and an index gives a
    /// scan's outcome.
    fn exactly_at_once<T>(&mut self, run: impl FnOnce(&mut Self) -> EvalResult<T>) -> EvalResult<T> {
        self.sparse = false;
        let outcome = self.without_index(run);
        let ran_out = matches!(&outcome, Err(fault) if fault.kind == FindingKind::Limit);
        self.quick_budget.learn(self.steps, ran_out);
        outcome
    }

    pub(super) fn without_index<T>(&mut self, run: impl FnOnce(&mut Self) -> T) -> T {
        let saved = std::mem::replace(&mut self.use_index, false);
        let result = run(self);
        self.use_index = saved;
        result
    }

    /// Before local `slot` is read: if an index answered the `let` that bound
    /// it, a statement with indexes on becomes sparse (it reruns exactly
    /// unless it passes), and the exact rerun evaluates the `let` again
    /// without indexes, on a budget of its own as when it ran, so its reads
    /// are exactly the scan's.
    pub(super) fn exact_let(&mut self, slot: usize) {
        let at = self.base + slot;
        let Some(i) = self.sparse_lets.iter().position(|&(s, _)| s == at) else {
            return;
        };
        if self.use_index {
            self.sparse = true;
            return;
        }
        let (_, expr) = self.sparse_lets.swap_remove(i);
        let budget = self.save_budget();
        let failed = self.failed_compare.take();
        let mark = self.reads.len();
        // The index gives the scan's value and outcome: only the reads change.
        if self.eval(expr).is_ok() {
            self.slot_reads[at] = self.reads_since(mark);
        }
        self.reads.truncate(mark);
        self.failed_compare = failed;
        self.restore_budget(budget);
    }

    fn violation(&mut self, rule: usize, assertion: &'p Assertion) -> Finding {
        let reads = std::mem::take(&mut self.reads);
        let mut primary = self
            .failed_compare
            .as_ref()
            .and_then(|c| reads.get(c.rhs_reads.clone())?.last().copied())
            .or(reads.last().copied());
        // `at` that cannot pick a value is said in the message, never ignored.
        let mut at_note = None;
        if let Some(at) = &assertion.at {
            self.fresh_budget();
            // What `at` compared is not what the assertion compared: the
            // message explains the assertion's own failed comparison.
            let failed = self.failed_compare.take();
            let picked = self.eval(at);
            self.failed_compare = failed;
            match picked {
                Ok(Value::Data(id)) => primary = Some(id),
                Ok(other) => {
                    at_note = Some(format!(
                        "`at {}` is not a data value but {}: the primary value is the default one",
                        self.program.text(at.span),
                        super::expr::typed(self.doc, &other)
                    ))
                }
                Err(mut fault) => {
                    fault.settle(self.program, self.doc);
                    at_note = Some(format!(
                        "`at {}` could not be evaluated ({}: {}): the primary value is the default one",
                        self.program.text(at.span),
                        fault.kind.as_str(),
                        fault.message
                    ))
                }
            }
            // What `at` read is not what the assertion read.
            self.reads.clear();
        }
        self.fresh_budget();
        let mut message = match &assertion.message {
            Some(parts) => self.custom_message(parts),
            None => self.default_message(assertion),
        };
        if let Some(note) = at_note {
            message.push_str(&format!(" [{note}]"));
        }
        let mut nodes = reads;
        nodes.extend(primary);
        self.finding(
            rule,
            FindingKind::Violation,
            message,
            nodes,
            primary,
            assertion.cond.span,
        )
    }

    fn fault(&mut self, rule: usize, mut fault: Fault, out: &mut DocumentResult) {
        out.counts.record(Some(fault.kind));
        if fault.kind == FindingKind::Skipped {
            self.reads.clear();
            return;
        }
        if !out.has_room(rule) {
            self.reads.clear();
            out.omit(rule, fault.kind, None);
            return;
        }
        fault.settle(self.program, self.doc);
        let mut nodes = std::mem::take(&mut self.reads);
        if fault.kind == FindingKind::Limit {
            // Where a runaway evaluation stopped says nothing: list no values.
            nodes.clear();
        }
        nodes.extend(fault.near);
        let primary = fault.near.or(nodes.last().copied());
        out.add(self.finding(rule, fault.kind, fault.message, nodes, primary, fault.span));
    }

    /// The statement's reads, taken for a finding, as the buffer for the
    /// next statement's: one that read a long table would otherwise grow a
    /// new one from nothing.
    fn give_back(&mut self, mut reads: Vec<NodeId>) {
        if self.reads.is_empty() && reads.capacity() > self.reads.capacity() {
            reads.clear();
            self.reads = reads;
        }
    }

    fn finding(
        &mut self,
        rule: usize,
        kind: FindingKind,
        message: String,
        nodes: Vec<NodeId>,
        primary: Option<NodeId>,
        span: crate::source::Span,
    ) -> Finding {
        // Each value once, in reading order: marked, since an assertion over
        // a whole table reads thousands of values. The first `VALUES_LISTED`
        // are listed and the rest counted; until the primary value is read,
        // the last place is kept for it.
        let seen = &mut self.node_marks;
        seen.start(self.doc.node_count());
        let mut values: Vec<DataRead> = Vec::with_capacity(nodes.len().min(VALUES_LISTED));
        let mut not_listed = 0;
        let read = |node| DataRead {
            node,
            path: self.doc.path(node),
        };
        for &node in &nodes {
            if !seen.insert(node) {
                continue;
            }
            let primary_to_come = primary.is_some_and(|p| !seen.contains(p));
            let room = VALUES_LISTED - usize::from(primary_to_come);
            if values.len() < room {
                values.push(read(node));
            } else {
                not_listed += 1;
            }
        }
        self.give_back(nodes);
        Finding {
            rule,
            kind,
            message,
            primary: primary.and_then(|p| values.iter().position(|v| v.node == p)),
            values,
            values_not_listed: not_listed,
            span,
            statement: self.statement.unwrap_or(span),
            severity: None,
        }
    }
}
