//! `tally functions`: the built-in functions, from the one table that defines
//! them, so the list can never disagree with what the evaluator accepts.

use tally::unstable::builtins::BUILTINS;

use super::output::Output;
use super::Status;

pub fn run(out: &Output) -> Status {
    let width = BUILTINS
        .iter()
        .map(|b| b.signature().chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let lines: Vec<String> = BUILTINS
        .iter()
        .map(|b| format!("{:<width$}{}", b.signature(), b.doc))
        .collect();
    out.print(&lines.join("\n"));
    Status::Clean
}
