//! `tally test`: run annotated cases and report every mismatch.

use tally::unstable::input;
use tally::unstable::suite;
use tally::unstable::text::escape;

use super::check::{check_file, RunArgs, RunContext};
use super::output::Output;
use super::{Status, TestArgs};

pub fn run(args: TestArgs, out: &Output) -> Status {
    let Some(mut program) = out.load_rules(&args.rules) else {
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
    let (mut passed, mut failed, mut unreadable) = (0, 0, false);
    for arg in &args.cases {
        // A case is named by UTF-8 text; one that cannot be fails alone, as
        // such a case found in a folder does.
        let cases = match input::utf8_name(std::path::Path::new(arg)) {
            Err(failure) => Ok(vec![Err(failure)]),
            Ok(arg) => input::data_files(&arg),
        };
        let cases = match cases {
            Ok(cases) => cases,
            Err(failure) => {
                out.print(&out.renderer.render(&failure));
                failed += 1;
                unreadable = true;
                continue;
            }
        };
        for case in cases {
            let case = match case {
                Ok(case) => case,
                Err(failure) => {
                    out.print(&format!(
                        "FAIL {}\n{}",
                        escape(failure.path()),
                        out.renderer.render(&failure)
                    ));
                    failed += 1;
                    unreadable = true;
                    continue;
                }
            };
            // Read as data is read: a FIFO or a device is never opened, a
            // huge file never read whole (`check_file` then says why).
            let lines = input::read_text(&case)
                .map(|text| suite::case_inputs(&text))
                .unwrap_or_default();
            let context = match base.for_case(&program, &case, &lines) {
                Ok(context) => context,
                Err(message) => {
                    out.print(&format!(
                        "FAIL {}\n  {}",
                        escape(&input::display_name(&case)),
                        escape(&message)
                    ));
                    failed += 1;
                    unreadable = true;
                    continue;
                }
            };
            // Cases are small: each on this one thread.
            let file = match check_file(&program, &all, &case, &context, 1) {
                Ok(file) => file,
                Err(failure) => {
                    out.print(&format!(
                        "FAIL {}\n{}",
                        escape(&input::display_name(&case)),
                        out.renderer.render(&failure)
                    ));
                    failed += 1;
                    unreadable = true;
                    continue;
                }
            };
            let wanted = suite::annotations(file.doc.source().text());
            let mismatches = suite::compare(&program, &file.doc, &file.result, &wanted);
            if mismatches.is_empty() {
                passed += 1;
            } else {
                failed += 1;
                out.print(&suite::render_failure(file.doc.name(), &file.doc, &mismatches));
            }
        }
    }
    out.print(&format!("{passed} passed, {failed} failed"));
    if unreadable {
        Status::Usage
    } else if failed > 0 {
        Status::Findings
    } else {
        Status::Clean
    }
}
