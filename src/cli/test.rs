//! `tally test`: run annotated cases and report every mismatch. Cases are
//! checked on the workers, each on one thread, and reported in input order.

use tally::unstable::input;
use tally::unstable::resolve::Program;
use tally::unstable::suite;
use tally::unstable::text::escape;

use super::batch;
use super::check::{check_file, threads, RunArgs, RunContext};
use super::output::Output;
use super::panic;
use super::{Status, TestArgs};

/// What one case came to.
struct CaseOutcome {
    /// What to print: a failing case's block, or nothing.
    text: Option<String>,
    passed: bool,
    /// The case could not be read or set up (exit status 2).
    unreadable: bool,
    /// Checking it panicked: a bug (exit status 3).
    internal: bool,
}

impl CaseOutcome {
    fn unreadable(text: String) -> Self {
        CaseOutcome {
            text: Some(text),
            passed: false,
            unreadable: true,
            internal: false,
        }
    }
}

pub fn run(args: TestArgs, out: &Output) -> Status {
    let jobs = threads(args.jobs);
    let Some(mut program) = out.load_rules_on(&args.rules, jobs) else {
        return Status::Usage;
    };
    let base = match RunContext::new(&mut program, &RunArgs::default()) {
        Ok(context) => context,
        Err(message) => {
            out.problem(&format!("error: {}", escape(&message)));
            return Status::Usage;
        }
    };
    let program = program;
    // Every rule but the built-in `allow`, which check_file runs itself.
    let all: Vec<usize> = (0..program.rules.len())
        .filter(|&r| &*program.rules[r].id != tally::unstable::accept::ALLOW_RULE)
        .collect();
    // Each case found, or what went wrong finding it, in input order.
    let mut found: Vec<Result<String, CaseOutcome>> = Vec::new();
    for arg in &args.cases {
        // A case is named by UTF-8 text; one that cannot be fails alone, as
        // such a case found in a folder does.
        let cases = match input::utf8_name(std::path::Path::new(arg)) {
            Err(failure) => Ok(vec![Err(failure)]),
            Ok(arg) => input::data_files(&arg),
        };
        match cases {
            Ok(cases) => found.extend(cases.into_iter().map(|case| {
                case.map_err(|failure| {
                    CaseOutcome::unreadable(format!(
                        "FAIL {}\n{}",
                        escape(failure.path()),
                        out.renderer.render(&failure)
                    ))
                })
            })),
            Err(failure) => found.push(Err(CaseOutcome::unreadable(out.renderer.render(&failure)))),
        }
    }
    let one_case = |i: usize| -> CaseOutcome {
        let case = match &found[i] {
            Ok(case) => case,
            Err(outcome) => return CaseOutcome::unreadable(outcome.text.clone().unwrap_or_default()),
        };
        // A bug in one case is that case's internal error; the others still run.
        panic::catch(|| run_case(&program, &all, &base, case, out)).unwrap_or_else(|message| CaseOutcome {
            text: Some(format!(
                "FAIL {}\n  internal error, please report 内部错误，请报告: {message}",
                escape(&input::display_name(case))
            )),
            passed: false,
            unreadable: false,
            internal: true,
        })
    };
    let (mut passed, mut failed, mut unreadable, mut internal) = (0, 0, false, false);
    batch::in_order(found.len(), jobs, one_case, |outcomes| {
        for outcome in outcomes {
            if let Some(text) = &outcome.text {
                out.print(text);
            }
            if outcome.passed {
                passed += 1;
            } else {
                failed += 1;
            }
            unreadable |= outcome.unreadable;
            internal |= outcome.internal;
        }
    });
    out.print(&format!("{passed} passed, {failed} failed"));
    if internal {
        Status::Internal
    } else if unreadable {
        Status::Usage
    } else if failed > 0 {
        Status::Findings
    } else {
        Status::Clean
    }
}

/// Checks one case on this thread and compares it with its annotations.
fn run_case(program: &Program, all: &[usize], base: &RunContext, case: &str, out: &Output) -> CaseOutcome {
    let fail =
        |message: String| CaseOutcome::unreadable(format!("FAIL {}\n{message}", escape(&input::display_name(case))));
    // Read as data is read: a FIFO or a device is never opened, a huge file
    // never read whole (`check_file` then says why).
    let lines = input::read_text(case)
        .map(|text| suite::case_inputs(&text))
        .unwrap_or_default();
    let context = match base.for_case(program, case, &lines) {
        Ok(context) => context,
        Err(message) => return fail(format!("  {}", escape(&message))),
    };
    // Cases are small: each on one thread.
    let file = match check_file(program, all, case, &context, 1) {
        Ok(file) => file,
        Err(failure) => return fail(out.renderer.render(&failure)),
    };
    let doc = &file.doc;
    let wanted = suite::annotations(doc.source().text());
    let mismatches = suite::compare(program, doc, &file.result, &wanted);
    CaseOutcome {
        passed: mismatches.is_empty(),
        text: (!mismatches.is_empty()).then(|| suite::render_failure(doc.name(), doc, &mismatches)),
        unreadable: false,
        internal: false,
    }
}
