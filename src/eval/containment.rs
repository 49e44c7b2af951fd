//! Containment filters answered exactly by the full evaluation:
//! `[q for q in list if g and (contains(text(q.名称), s) or contains(s, text(q.名称)))]`
//! from the text index of the elements' keys, with the reads and steps the
//! scan has, element by element. A finding then lists exactly what the scan
//! lists (spec §15), and the statement needs no second evaluation: rules that
//! match every unmatched row of one table against the names of another did
//! one scan per row, even where each row's finding was listed.
//!
//! Only where the scan's reads are known without evaluating it: the key is
//! a field of the element (`q.名称`, `q?.名称`) or its text (`text(q.名称)`),
//! which read that field's node; the guards and the probe read the same
//! values each time and leave no failed comparison; every key and the probe
//! are strings. Anything else is the scan's. The reference evaluation
//! (`Shortcuts::NONE`) always scans.

use super::fault::EvalResult;
use super::index::{self, Test};
use super::slot_reads::SlotReads;
use super::Evaluator;
use crate::data::{NodeId, NodeValue};
use crate::resolve::program::{Comprehension, Expr};
use crate::value::Value;

/// What evaluating the guards and the probe once recorded and cost.
pub(super) struct Once {
    pub guard_reads: Vec<NodeId>,
    pub probe_reads: Vec<NodeId>,
    /// Steps of the first evaluation beyond a later one's (a file-level
    /// `let` is counted once per statement).
    pub first_extra: u64,
    /// Steps of a later evaluation of the guards, and of the probe.
    pub guards_again: u64,
    pub probe_again: u64,
}

/// What one evaluation of the guards and the probe recorded and cost.
struct Evaluated {
    guard_reads: Vec<NodeId>,
    probe_reads: Vec<NodeId>,
    guard_steps: u64,
    probe_steps: u64,
    probe: Value,
}

impl<'p> Evaluator<'p, '_> {
    /// `c` over `source` answered from a text index with the scan's reads,
    /// steps and value; `None`, with nothing read or counted, where the scan
    /// must run.
    pub(super) fn contained_exactly(&mut self, c: &'p Comprehension, source: &Value) -> Option<EvalResult<Value>> {
        if !self.exact_lookups {
            return None;
        }
        let shape = index::shape(c)?;
        let Test::Contains {
            key_holds_probe,
            probe_holds_key,
            key_first,
        } = shape.test
        else {
            return None;
        };
        index::read_field(shape.key, c.var_slot)?;
        let Value::Data(list) = *source else {
            return None;
        };
        if !shape.exclusions.is_empty() {
            return None;
        }
        let index = self.text_index_of(list, shape.key, c.var_slot)?;
        let nodes = index.nodes()?;
        let doc = self.doc;
        let items: &[NodeId] = match doc.value(list) {
            NodeValue::List(items) if !items.is_empty() => items,
            _ => return None,
        };
        let (mark, start, failed) = (self.reads.len(), self.checkpoint(), self.failed_compare.take());
        let Some((once, probe)) = self.guards_and_probe(&shape) else {
            self.reads.truncate(mark);
            self.rollback(start);
            self.failed_compare = failed;
            return None;
        };
        // A key costs what the first element's costs (its reads are its node).
        let key_steps = self.key_cost(c, shape.key_expr, items[0], nodes[0]);
        let (Some(key_steps), Some(probe)) = (key_steps, probe.as_str(doc)) else {
            self.rollback(start);
            self.failed_compare = failed;
            return None;
        };
        self.failed_compare = failed;
        // The file-level lets the guards and probe read stay counted, once.
        self.steps = start.steps + once.first_extra;
        let first_calls = if key_first {
            index.containing(probe)
        } else {
            index.contained_in(probe)
        };
        let both = key_holds_probe && probe_holds_key;
        let second_calls = match (both, key_first) {
            (false, _) => Vec::new(),
            (true, true) => index.contained_in(probe),
            (true, false) => index.containing(probe),
        };
        let call = 1 + key_steps + once.probe_again;
        let filter = shape.connectives + once.guards_again + call;
        let (mut first, mut second) = (first_calls.iter().peekable(), second_calls.iter().peekable());
        let mut out = Vec::new();
        let mut kept = 0;
        let result = (|| {
            for (i, (&item, &node)) in items.iter().zip(nodes.iter()).enumerate() {
                let i = i as u32;
                let first_holds = first.next_if_eq(&&i).is_some();
                let second_holds = second.next_if_eq(&&i).is_some();
                let second_runs = both && !first_holds;
                self.charge(filter + if second_runs { call } else { 0 }, c.body.span)?;
                self.reads.extend_from_slice(&once.guard_reads);
                self.push_call_reads(node, &once.probe_reads, key_first);
                if second_runs {
                    self.push_call_reads(node, &once.probe_reads, !key_first);
                }
                if first_holds || (second_runs && second_holds) {
                    kept += 1;
                    self.set_slot(c.var_slot, Value::Data(item), SlotReads::None);
                    out.push(self.eval(&c.body)?);
                    self.charge(1, c.body.span)?;
                }
            }
            Ok(())
        })();
        if let Some(&last) = items.last() {
            self.set_slot(c.var_slot, Value::Data(last), SlotReads::None);
        }
        self.last_indexed = Some((kept, items.len()));
        self.looked_up += 1;
        Some(result.map(|()| Value::list(out)))
    }

    /// One `contains` call's reads: the key's node and the probe's reads,
    /// in the order of its arguments.
    fn push_call_reads(&mut self, node: NodeId, probe_reads: &[NodeId], key_first: bool) {
        if key_first {
            self.reads.push(node);
            self.reads.extend_from_slice(probe_reads);
        } else {
            self.reads.extend_from_slice(probe_reads);
            self.reads.push(node);
        }
    }

    /// Evaluates the guards (each must be `true`) and the probe, as the scan's
    /// first element would, then again, as its later ones: their reads and
    /// steps, and the probe's value. `None` where the scan must run (a guard
    /// not `true`, a fault, a failed comparison left behind, reads that
    /// differ the second time); the caller undoes what was recorded.
    pub(super) fn guards_and_probe(&mut self, shape: &index::Shape<'p>) -> Option<(Once, Value)> {
        let start = self.steps;
        let first = self.evaluate_once(shape)?;
        let first_steps = self.steps - start;
        let again = self.evaluate_once(shape)?;
        if again.guard_reads != first.guard_reads || again.probe_reads != first.probe_reads {
            return None;
        }
        self.steps = start;
        let once = Once {
            first_extra: first_steps.checked_sub(again.guard_steps + again.probe_steps)?,
            guards_again: again.guard_steps,
            probe_again: again.probe_steps,
            guard_reads: first.guard_reads,
            probe_reads: first.probe_reads,
        };
        Some((once, first.probe))
    }

    /// One evaluation of the guards and the probe, its reads taken off.
    fn evaluate_once(&mut self, shape: &index::Shape<'p>) -> Option<Evaluated> {
        let (mark, before) = (self.reads.len(), self.steps);
        for guard in &shape.guards {
            if !matches!(self.eval(guard), Ok(Value::Bool(true))) {
                return None;
            }
        }
        let (guard_reads, guard_steps) = (self.reads.split_off(mark), self.steps - before);
        let before = self.steps;
        let probe = self.eval(shape.probe).ok()?;
        let evaluated = Evaluated {
            guard_reads,
            probe_reads: self.reads.split_off(mark),
            guard_steps,
            probe_steps: self.steps - before,
            probe,
        };
        self.failed_compare.is_none().then_some(evaluated)
    }

    /// The steps the key takes for `item`, if it reads exactly `node`;
    /// nothing stays recorded or counted.
    fn key_cost(&mut self, c: &'p Comprehension, key: &'p Expr, item: NodeId, node: NodeId) -> Option<u64> {
        let (mark, steps) = (self.reads.len(), self.steps);
        self.set_slot(c.var_slot, Value::Data(item), SlotReads::None);
        let value = self.eval(key);
        let cost = self.steps - steps;
        let exact = value.is_ok() && self.reads[mark..] == [node] && self.failed_compare.is_none();
        self.reads.truncate(mark);
        self.steps = steps;
        exact.then_some(cost)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{outcome::DocumentResult, test_inputs, Evaluator};

    /// Runs every rule of `rules` over `data` with every shortcut and with
    /// none (the reference scan): both results, and how many filters the
    /// full evaluation answered from a text index.
    fn run_both(rules: &str, data: String) -> (String, String, u64) {
        let (program, doc) = test_inputs(rules, data);
        let run = |shortcuts: bool| {
            let mut evaluator = Evaluator::new(&program, &doc);
            if !shortcuts {
                evaluator.without_indexes();
                evaluator.use_quick = false;
            }
            let mut result = DocumentResult::default();
            for rule in 0..program.rules.len() {
                evaluator.run_rule(rule, &mut result);
            }
            (format!("{result:#?}"), evaluator.looked_up)
        };
        let (fast, answered) = run(true);
        (fast, run(false).0, answered)
    }

    fn projects(n: usize) -> String {
        let rows: String = (0..n).map(|i| format!("  - {{名称: 项目{i}经费}}\n")).collect();
        format!("项目:\n{rows}来源: [项目7经费第2批, 项目1, 无此项目, 经费, 项目2]\n")
    }

    /// Both ways round, either order, a guard, a body that is not the
    /// element, a key that is the field itself: the findings (values read,
    /// primary, message) are the scan's, and the text index answered.
    #[test]
    fn a_containment_filter_gives_the_scans_findings() {
        let filters = [
            "[q for q in 项目 if contains(text(q.名称), s) or contains(s, text(q.名称))]",
            "[q for q in 项目 if contains(s, q.名称) or contains(q.名称, s)]",
            "[q.名称 for q in 项目 if 要找 and contains(text(q.名称), s)]",
            "[q for q in 项目 if 要找 and (contains(s, text(q.名称)))]",
        ];
        for filter in filters {
            let rules = format!(
                "let 要找 = count(来源) > 0\nfn 包含(s) = {filter}\n\
                 rule 找到 {{\n  for s in 来源 {{\n    assert count(包含(s)) == 1\n      \
                 message \"{{s}}: {{count(包含(s))}}\"\n  }}\n}}\n\
                 rule 直接 {{\n  for s in 来源 {{\n    assert count({filter}) < 3\n  }}\n}}\n"
            );
            let (fast, scan, answered) = run_both(&rules, projects(300));
            assert!(answered > 0, "no text index answered {filter}");
            assert_eq!(fast, scan, "{filter}");
            assert!(fast.contains("kind: Violation"), "{fast}");
        }
    }

    /// A key that is not a string for one element (`contains` on a number is
    /// a type error) leaves the filter to the scan, which reports it.
    #[test]
    fn a_key_that_is_not_a_string_leaves_the_filter_to_the_scan() {
        let rules = "rule 找到 {\n  for s in 来源 {\n    \
                     assert count([q for q in 项目 if contains(q.名称, s)]) > 0\n  }\n}\n";
        let data = "项目:\n  - {名称: 甲}\n  - {名称: 2024}\n来源: [甲]\n".to_owned();
        let (fast, scan, answered) = run_both(rules, data);
        assert_eq!(answered, 0);
        assert_eq!(fast, scan);
        assert!(fast.contains("kind: Type"), "{fast}");
    }
}
