//! `tally explain`: one rule over one document, every sub-expression's value.

use std::ffi::{OsStr, OsString};
use std::path::Path;

use tally::unstable::input;
use tally::unstable::report::snippet::MESSAGE_LINE_CHARS;
use tally::unstable::text;

use super::output::Output;
use super::Status;

pub fn run(id: &str, data: &OsStr, paths: &[OsString], out: &Output) -> Status {
    let Some(program) = out.load_rules(paths) else {
        return Status::Usage;
    };
    let selected = match program.select(&[id.to_owned()], &[]) {
        Ok(selected) => selected,
        Err(why) => {
            out.problem(&format!("error: {}", text::escape(&why.to_string())));
            return Status::Usage;
        }
    };
    let doc = match input::utf8_name(Path::new(data)).and_then(|data| input::read_document(&data)) {
        Ok(doc) => doc,
        Err(failure) => {
            out.problem(&out.renderer.render(&failure));
            return Status::Usage;
        }
    };
    let (lines, result) = tally::unstable::eval::explain(&program, &doc, selected[0]);
    // Values and rule text from the user's files: escaped, long lines cut.
    out.print(&text::message(&lines.join("\n"), MESSAGE_LINE_CHARS, usize::MAX));
    if result.findings.is_empty() {
        Status::Clean
    } else {
        Status::Findings
    }
}
