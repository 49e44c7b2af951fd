//! Equality filters answered exactly in a statement evaluated without
//! indexes: one that did not pass, run again so that its finding lists every
//! value a scan reads (`[p for p in 绩效.项目 if s != "" and 名称主干(p.名称) == s]`).
//! Each element's key is evaluated once per document in that mode, with the
//! values it read and the steps it took; the filter then costs, per element,
//! pushing those reads and comparing two keys, not evaluating the key again.
//! Rules that fail for every row of a large table made one such scan per
//! listed finding, each calling the key's `fn` for every element.
//!
//! A key qualifies where evaluating it gives the same reads and steps
//! wherever it runs: it reads the element and no other local (index.rs), and
//! for every element it ends without a fault, reads no file-level `let`
//! (counted once per statement) and leaves no failed comparison behind. The
//! comparison that fails last is the scan's (`FailedCompare`), with the
//! reads of its right-hand side where the scan has them. Anything else, a
//! probe whose kind clashes with a key's included, is the scan's. The
//! reference evaluation (`Shortcuts::NONE`) always scans.

use std::rc::Rc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::expr::FailedCompare;
use super::fault::EvalResult;
use super::index::{self, Index, IndexId, Test};
use super::memo;
use super::slot_reads::SlotReads;
use super::Evaluator;
use crate::data::{NodeId, NodeValue};
use crate::resolve::program::{Comprehension, ExprKind};
use crate::value::Value;

/// Every element's key of one list, as a statement made exact evaluates it.
pub(super) struct ExactKeys {
    values: Vec<Value>,
    /// Element i read `reads[starts[i]..starts[i + 1]]`.
    reads: Vec<NodeId>,
    starts: Vec<usize>,
    steps: Vec<u64>,
    /// The elements by key.
    index: Index,
    /// Every node the keys read.
    nodes: FxHashSet<NodeId>,
}

impl ExactKeys {
    fn reads_of(&self, i: usize) -> &[NodeId] {
        &self.reads[self.starts[i]..self.starts[i + 1]]
    }
}

/// The keys worked out over one document, by list and key.
pub(super) type ExactKeyTables = FxHashMap<(NodeId, IndexId), Option<Rc<ExactKeys>>>;

/// A comparison that failed and is not yet the statement's: made so only
/// before something else may compare, so rejected elements cost no clone.
struct Pending {
    element: usize,
    rhs_reads: std::ops::Range<usize>,
}

impl<'p> Evaluator<'p, '_> {
    /// `c` over `source` answered with the keys worked out once per
    /// document, with the scan's reads, steps, failed comparison and value;
    /// `None`, with nothing read or counted, where the scan must run.
    pub(super) fn equal_exactly(&mut self, c: &'p Comprehension, source: &Value) -> Option<EvalResult<Value>> {
        if !self.exact_lookups || self.use_index {
            return None;
        }
        let shape = index::shape(c)?;
        let compare = shape.compare?;
        let ExprKind::Compare { lhs, .. } = &compare.kind else {
            return None;
        };
        if shape.test != Test::Equal || !shape.exclusions.is_empty() {
            return None;
        }
        let key_is_lhs = std::ptr::eq(&**lhs, shape.key_expr);
        let Value::Data(list) = *source else {
            return None;
        };
        let doc = self.doc;
        let items: &[NodeId] = match doc.value(list) {
            NodeValue::List(items) if !items.is_empty() => items,
            _ => return None,
        };
        let keys = self.exact_keys_of(list, items, &shape, c.var_slot)?;
        // A node that is an argument of a remembered call under way is read
        // as that argument's placeholder there (`outer_placeholder`): not
        // what the keys recorded.
        if self.memo_arg_nodes.iter().flatten().any(|n| keys.nodes.contains(n)) {
            return None;
        }
        let (mark, start, failed) = (self.reads.len(), self.checkpoint(), self.failed_compare.take());
        let answer = self
            .guards_and_probe(&shape)
            .and_then(|(once, probe)| Some((keys.index.find(doc, &probe)?.to_vec(), once, probe)));
        let Some((found, once, probe)) = answer else {
            self.reads.truncate(mark);
            self.rollback(start);
            self.failed_compare = failed;
            return None;
        };
        self.failed_compare = failed;
        // The file-level lets the guards and probe read stay counted, once.
        self.steps = start.steps + once.first_extra;
        let filter = shape.connectives + once.guards_again + 1 + once.probe_again;
        let mut found = found.iter().peekable();
        let mut pending: Option<Pending> = None;
        let mut out = Vec::new();
        let result = (|| {
            for (i, &item) in items.iter().enumerate() {
                self.charge(filter + keys.steps[i], c.body.span)?;
                self.reads.extend_from_slice(&once.guard_reads);
                let (first, second) = if key_is_lhs {
                    (keys.reads_of(i), &once.probe_reads[..])
                } else {
                    (&once.probe_reads[..], keys.reads_of(i))
                };
                self.reads.extend_from_slice(first);
                let rhs_mark = self.reads.len();
                self.reads.extend_from_slice(second);
                if found.next_if_eq(&&(i as u32)).is_none() {
                    pending = Some(Pending {
                        element: i,
                        rhs_reads: rhs_mark..self.reads.len(),
                    });
                    continue;
                }
                // The body may compare too: the last failure before it is the statement's now.
                self.settle(&mut pending, &keys, &probe, compare, key_is_lhs);
                self.set_slot(c.var_slot, Value::Data(item), SlotReads::None);
                out.push(self.eval(&c.body)?);
                self.charge(1, c.body.span)?;
            }
            Ok(())
        })();
        self.settle(&mut pending, &keys, &probe, compare, key_is_lhs);
        if let Some(&last) = items.last() {
            self.set_slot(c.var_slot, Value::Data(last), SlotReads::None);
        }
        self.last_indexed = Some((out.len(), items.len()));
        self.looked_up += 1;
        Some(result.map(|()| Value::list(out)))
    }

    /// Makes a pending failed comparison the statement's, as the scan's
    /// `finish_compare` did when it failed.
    fn settle(
        &mut self,
        pending: &mut Option<Pending>,
        keys: &ExactKeys,
        probe: &Value,
        compare: &'p crate::resolve::program::Expr,
        key_is_lhs: bool,
    ) {
        let Some(Pending { element, rhs_reads }) = pending.take() else {
            return;
        };
        let key = keys.values[element].clone();
        let (lhs, rhs) = if key_is_lhs {
            (key, probe.clone())
        } else {
            (probe.clone(), key)
        };
        self.failed_compare = Some(FailedCompare {
            expr: compare,
            lhs,
            rhs,
            rhs_reads,
            allowed: None,
        });
    }

    /// The keys of `items` (bound to `var_slot`) as this mode evaluates them,
    /// worked out the first time a list and key are asked for; `None` where
    /// one does not qualify (see the module's comment) or the keys cannot be
    /// indexed. Worked out on a budget of their own: nothing stays counted.
    fn exact_keys_of(
        &mut self,
        list: NodeId,
        items: &[NodeId],
        shape: &index::Shape<'p>,
        var_slot: usize,
    ) -> Option<Rc<ExactKeys>> {
        let id = (list, shape.key.id());
        if let Some(keys) = self.exact_keys.get(&id) {
            return keys.clone();
        }
        let budget = self.save_budget();
        let (failed, sparse) = (self.failed_compare.take(), self.sparse);
        let mark = self.reads.len();
        let (mut values, mut reads, mut starts, mut steps) = (
            Vec::with_capacity(items.len()),
            Vec::new(),
            vec![0],
            Vec::with_capacity(items.len()),
        );
        let mut qualifies = true;
        for &item in items {
            let (touched, before) = (self.globals_touched.len(), self.steps);
            self.set_slot(var_slot, Value::Data(item), SlotReads::None);
            let value = self.eval(shape.key_expr);
            // Read as itself, not as an argument's placeholder (see above).
            let own_nodes = self.reads[mark..].iter().all(|&id| memo::placeholder(id).is_none())
                && !self
                    .memo_arg_nodes
                    .iter()
                    .flatten()
                    .any(|n| self.reads[mark..].contains(n));
            qualifies =
                value.is_ok() && own_nodes && self.failed_compare.is_none() && self.globals_touched.len() == touched;
            if let (true, Ok(value)) = (qualifies, value) {
                values.push(value);
                steps.push(self.steps - before);
                reads.extend(self.reads.drain(mark..));
                starts.push(reads.len());
            }
            self.reads.truncate(mark);
            self.failed_compare = None;
            if !qualifies {
                break;
            }
        }
        self.failed_compare = failed;
        self.sparse = sparse;
        self.restore_budget(budget);
        let built = qualifies
            .then(|| Index::computed(self.doc, &values, 0))
            .flatten()
            .map(|index| {
                let nodes = reads.iter().copied().collect();
                Rc::new(ExactKeys {
                    values,
                    reads,
                    starts,
                    steps,
                    index,
                    nodes,
                })
            });
        self.exact_keys.insert(id, built.clone());
        built
    }
}

#[cfg(test)]
mod tests {
    use super::super::lookup_testing::exact_run;
    use super::super::test_inputs;

    const RULES: &str = "fn 干(x) = find(trim(text(x ?? \"\")), \"^(.*?)(?:经费)?$\")\n";

    /// The stem lookup the bundled library makes for each row, over 400
    /// projects: answered from worked-out keys, with the scan's findings.
    #[test]
    fn a_stem_lookup_is_answered_from_worked_out_keys() {
        let rows: String = (0..400).map(|i| format!("  - {{名称: 项目{i}经费}}\n")).collect();
        let rules = format!(
            "{RULES}fn 找(s) = [q for q in 项目 if 干(s) != \"\" and 干(q.名称) == 干(s)]\n\
             rule 找到 {{\n  for s in 来源 {{\n    assert count(找(s)) == 1\n  }}\n}}\n"
        );
        let data = format!("项目:\n{rows}来源: [项目7, 无此项目, 项目399经费]\n");
        let (program, doc) = test_inputs(&rules, data);
        let ((looked_up, answered), (scan, scanned)) =
            (exact_run(&program, &doc, true), exact_run(&program, &doc, false));
        assert!(answered > 0, "no filter was answered from worked-out keys");
        assert_eq!(scanned, 0);
        assert_eq!(looked_up, scan);
        assert!(looked_up.result.contains("passed: 2"), "{}", looked_up.result);
    }
}
