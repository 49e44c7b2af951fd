//! `tally test`: run annotated cases and report every mismatch.

use tally::input;
use tally::suite;

use super::check::check_file;
use super::output::Output;
use super::{Status, TestArgs};

pub fn run(args: TestArgs, out: &Output) -> Status {
    let Some(program) = out.load_rules(&args.rules) else {
        return Status::Usage;
    };
    let all: Vec<usize> = (0..program.rules.len()).collect();
    let (mut passed, mut failed, mut unreadable) = (0, 0, false);
    for arg in &args.cases {
        let cases = match input::data_files(arg) {
            Ok(cases) => cases,
            Err(failure) => {
                out.print(&out.renderer.render(&failure));
                failed += 1;
                unreadable = true;
                continue;
            }
        };
        for case in cases {
            let file = match check_file(&program, &all, &case) {
                Ok(file) => file,
                Err(failure) => {
                    out.print(&format!("FAIL {case}\n{}", out.renderer.render(&failure)));
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
                out.print(&suite::render_failure(&case, &file.doc, &mismatches));
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
