//! `tally lint`: load the rules, report load errors, read no data.

use super::output::Output;
use super::Status;

pub fn run(paths: &[String], out: &Output) -> Status {
    match tally::load_rules(paths) {
        Ok(program) => {
            out.print(&format!(
                "{} rule{} in {} file{}: no load errors",
                program.rules.len(),
                if program.rules.len() == 1 { "" } else { "s" },
                program.sources.len(),
                if program.sources.len() == 1 { "" } else { "s" }
            ));
            Status::Clean
        }
        Err(failure) => {
            out.load_failure(&failure);
            Status::Usage
        }
    }
}
