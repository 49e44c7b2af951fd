//! `tally explain`: runs one rule and lists, for every assertion run, the
//! value of each of its sub-expressions, indented by depth.

use super::outcome::DocumentResult;
use super::slot_reads::SlotReads;
use super::{Evaluator, FindingKind, STEP_LIMIT};
use crate::data::Document;
use crate::resolve::program::{Comprehension, Expr, ExprKind, Within};
use crate::resolve::Program;
use crate::value::show;
use crate::value::Value;

/// The explanation lines and the rule's ordinary result.
pub fn explain(program: &Program, doc: &Document, rule: usize) -> (Vec<String>, DocumentResult) {
    let mut evaluator = Evaluator::new(program, doc);
    evaluator.explain = Some(Vec::new());
    let mut result = DocumentResult::default();
    evaluator.run_rule(rule, &mut result);
    let mut lines = evaluator.explain.take().unwrap_or_default();
    let def = &program.rules[rule];
    lines.insert(0, format!("rule {} — {}", def.id, def.title));
    lines.push(format!(
        "{} assertion{}: {} passed, {} violated, {} indeterminate, {} errors",
        result.counts.assertions,
        if result.counts.assertions == 1 { "" } else { "s" },
        result.counts.passed,
        result.counts.violations,
        result.counts.indeterminate,
        result.counts.errors
    ));
    if result.counts.skipped > 0 {
        // An absent input: say so rather than let "0 passed" look like a result.
        lines.push(format!(
            "{} skipped: an input the rule reads was not given",
            result.counts.skipped
        ));
    }
    for finding in &result.findings {
        lines.push(format!("  {}: {}", finding.kind.as_str(), finding.message));
    }
    (lines, result)
}

impl<'p> Evaluator<'p, '_> {
    /// Appends the values of `expr` and its sub-expressions to the explanation.
    pub(super) fn explain_assertion(&mut self, expr: &'p Expr) {
        let location = self.program.source(expr.span).location(expr.span.start as usize);
        let mut lines = vec![format!("assert at line {}:", location.line)];
        let saved = (self.reads.len(), self.failed_compare.take());
        // The explanation evaluates every sub-expression again, each level
        // of nesting once more: it gets a budget of its own, a tenth of an
        // assertion's, so explaining costs at most that beyond checking.
        let budget = self.save_budget();
        self.steps = STEP_LIMIT - EXPLAIN_STEPS;
        self.explain_expr(expr, 1, &mut lines);
        self.restore_budget(budget);
        self.reads.truncate(saved.0);
        self.failed_compare = saved.1;
        if let Some(out) = &mut self.explain {
            out.extend(lines);
        }
    }

    fn explain_expr(&mut self, expr: &'p Expr, depth: usize, lines: &mut Vec<String>) {
        let value = match self.eval(expr) {
            Ok(v) => show(self.doc, &v),
            Err(fault) if fault.kind == FindingKind::Limit => {
                format!("<not explained: more than {EXPLAIN_STEPS} steps to explain this assertion>")
            }
            Err(mut fault) => format!(
                "<{}: {}>",
                fault.kind.as_str(),
                fault.settle(self.program, self.doc).message
            ),
        };
        lines.push(format!(
            "{}{} = {value}",
            "  ".repeat(depth),
            self.program.text(expr.span)
        ));
        let children: Vec<&'p Expr> = match &expr.kind {
            ExprKind::Binary { lhs, rhs, .. } => vec![lhs, rhs],
            ExprKind::Compare { lhs, rhs, within, .. } => {
                let mut c: Vec<&'p Expr> = vec![lhs, rhs];
                if let Some(Within::Tolerance(t)) = within {
                    c.push(t);
                }
                c
            }
            ExprKind::Unary { operand, .. } => vec![operand],
            ExprKind::Builtin { args, .. } | ExprKind::Call { args, .. } | ExprKind::List(args) => {
                args.iter().collect()
            }
            ExprKind::Index { index, .. } => vec![index],
            _ => Vec::new(),
        };
        for child in children {
            if !matches!(child.kind, ExprKind::Literal(_)) {
                self.explain_expr(child, depth + 1, lines);
            }
        }
        match &expr.kind {
            ExprKind::Call { function, args } => self.explain_call(*function, args, depth + 1, lines),
            ExprKind::Comprehension(c) => self.explain_comprehension(c, depth + 1, lines),
            _ => {}
        }
    }

    /// Steps into a `fn`: its body's sub-expressions with the arguments bound.
    fn explain_call(&mut self, function: usize, args: &'p [Expr], depth: usize, lines: &mut Vec<String>) {
        let f = &self.program.functions[function];
        let mut values = Vec::with_capacity(f.frame_size);
        for arg in args {
            match self.eval(arg) {
                Ok(v) => values.push(v),
                Err(_) => return, // the argument's own line already shows why
            }
        }
        let shown: Vec<String> = values.iter().map(|v| show(self.doc, v)).collect();
        lines.push(format!("{}in fn {}({}):", "  ".repeat(depth), f.name, shown.join(", ")));
        let new_base = self.stack.len();
        let count = values.len();
        self.stack.extend(values);
        self.slot_reads.extend((0..count).map(|_| SlotReads::None));
        self.stack.resize(new_base + f.frame_size, Value::Null);
        self.slot_reads.resize(new_base + f.frame_size, SlotReads::None);
        let saved_base = std::mem::replace(&mut self.base, new_base);
        crate::stack::deeper(|| self.explain_expr(&f.body, depth + 1, lines));
        self.base = saved_base;
        self.stack.truncate(new_base);
        self.slot_reads.truncate(new_base);
    }

    /// Steps into a comprehension: its filter and body for the first elements.
    fn explain_comprehension(&mut self, c: &'p Comprehension, depth: usize, lines: &mut Vec<String>) {
        // Set by the evaluation `explain_expr` just made of this comprehension.
        if let (Some((kept, total)), Some(shape)) = (self.last_indexed.take(), super::index::shape(c)) {
            let key = match shape.key {
                super::index::KeyOf::Field { name, .. } => format!(".{name}"),
                super::index::KeyOf::Computed(expr) => self.program.text(expr.span).into_owned(),
            };
            let index = match shape.test {
                super::index::Test::Equal => "a hash index",
                super::index::Test::Contains { .. } => "an index of texts",
            };
            lines.push(format!(
                "{}filter answered from {index} on `{key}` (按索引查找): {kept} of {total} elements match",
                "  ".repeat(depth),
            ));
        }
        let Ok(source) = self.eval(&c.iter) else {
            return;
        };
        let Ok(elements) = self.iteration(&source, &c.iter) else {
            return;
        };
        let indent = "  ".repeat(depth);
        for i in 0..elements.len().min(EXPLAINED_ELEMENTS) {
            let value = elements.value(i);
            let mut header = format!("{indent}element {i}: {}", show(self.doc, &value));
            if let Some(slot) = c.key_slot {
                let key = elements.key(i);
                header = format!("{indent}element {}: {}", show(self.doc, &key), show(self.doc, &value));
                self.set_slot(slot, key, SlotReads::None);
            }
            lines.push(header);
            self.set_slot(c.var_slot, value, SlotReads::None);
            let keep = match &c.cond {
                Some(cond) => {
                    self.explain_expr(cond, depth + 1, lines);
                    self.eval(cond).ok().and_then(|v| v.as_bool(self.doc)) == Some(true)
                }
                None => true,
            };
            if keep {
                self.explain_expr(&c.body, depth + 1, lines);
            }
        }
        if elements.len() > EXPLAINED_ELEMENTS {
            lines.push(format!(
                "{indent}… {} more elements",
                elements.len() - EXPLAINED_ELEMENTS
            ));
        }
    }
}

/// Elements of a comprehension `tally explain` steps through.
const EXPLAINED_ELEMENTS: usize = 10;

/// Steps the explanation of one assertion may take (beyond the assertion's
/// own evaluation).
const EXPLAIN_STEPS: u64 = STEP_LIMIT / 10;
