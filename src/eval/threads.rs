//! One document's rules shared among several threads.
//!
//! A finding does not depend on which other rules ran (spec §15), so the
//! selected rules can be run by several evaluators over the same document,
//! each taking the next rule not yet taken, and their results put back in
//! rule order: the same result as one evaluator running them all. Each
//! evaluator remembers its own calls and file-level `let`s, so work they
//! share is done once per thread; it pays where a document is large or its
//! rules are long, not for a small one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{Bindings, DocumentResult, Evaluator, Shortcuts};
use crate::data::Document;
use crate::resolve::Program;

/// How long the calling thread runs a document's rules alone before others
/// join: a thread and an evaluator of its own cost far less than this.
pub const HELP_AFTER: Duration = Duration::from_millis(20);

/// Runs `selected` over `doc` on the calling thread, joined by up to
/// `threads - 1` more when the rules take longer than `help_after`
/// ([`HELP_AFTER`] in `tally check`; tests make them join at once), fewer
/// when the system refuses one. The result equals
/// [`super::check_configured`]'s, whatever ran where.
pub fn check_on_threads(
    program: &Program,
    doc: &Document,
    selected: &[usize],
    bindings: &Bindings,
    shortcuts: Shortcuts,
    threads: usize,
    help_after: Duration,
) -> DocumentResult {
    let threads = threads.clamp(1, selected.len().max(1));
    if threads == 1 {
        return super::check_configured(program, doc, selected, bindings, shortcuts);
    }
    let mut result = super::schema_first(program, doc, selected);
    let next = AtomicUsize::new(0);
    let done: Vec<Mutex<Option<DocumentResult>>> = selected.iter().map(|_| Mutex::new(None)).collect();
    // Runs rules not yet taken, one at a time; `until` says when to look up.
    let run_rules = |evaluator: &mut Evaluator, until: &dyn Fn() -> bool| loop {
        if until() {
            return;
        }
        let at = next.fetch_add(1, Ordering::Relaxed);
        let Some(&rule) = selected.get(at) else { return };
        let mut part = DocumentResult::default();
        evaluator.run_rule(rule, &mut part);
        *done[at].lock().expect("a rule's result") = Some(part);
    };
    let started = Instant::now();
    let mut evaluator = Evaluator::configured(program, doc, bindings, shortcuts);
    std::thread::scope(|scope| {
        // Alone first: most documents are done before help would start.
        run_rules(&mut evaluator, &|| started.elapsed() >= help_after);
        let mut helpers = Vec::new();
        for _ in 1..threads {
            if next.load(Ordering::Relaxed) >= selected.len() {
                break;
            }
            let helper = std::thread::Builder::new().stack_size(crate::stack::THREAD_BYTES);
            let run_rules = &run_rules;
            let spawned = helper.spawn_scoped(scope, move || {
                crate::panic_place::carrying(|| {
                    let mut evaluator = Evaluator::configured(program, doc, bindings, shortcuts);
                    run_rules(&mut evaluator, &|| false);
                })
            });
            // Under a memory limit the system may refuse a thread (or its
            // stack's address space): the threads started do the work.
            match spawned {
                Ok(helper) => helpers.push(helper),
                Err(_) => break,
            }
        }
        run_rules(&mut evaluator, &|| false);
        for helper in helpers {
            // A helper's panic goes on here with its own message and place,
            // as if this thread had run the rule.
            if let Err(payload) = helper.join() {
                std::panic::resume_unwind(payload);
            }
        }
    });
    for part in done {
        let part = part.into_inner().expect("a rule's result").expect("every rule was run");
        result.append(part);
    }
    result
}
