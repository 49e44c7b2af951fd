//! `tally schema`: the JSON Schema the loaded rules declare, as written, so
//! that editors can validate and complete data files with it.

use super::output::Output;
use super::Status;

pub fn run(paths: &[std::ffi::OsString], out: &Output) -> Status {
    let Some(program) = out.load_rules(paths) else {
        return Status::Usage;
    };
    match &program.schema {
        Some(schema) => {
            // Hidden characters as JSON escapes: the same schema, never raw (spec §15).
            out.print(&tally::unstable::text::escape_json_text(schema.text.trim_end()));
            Status::Clean
        }
        None => {
            out.problem("error: the rule files declare no schema (`schema \"file.json\"`)");
            Status::Usage
        }
    }
}
