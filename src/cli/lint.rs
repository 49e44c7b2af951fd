//! `tally lint`: load the rules, report load errors and warnings, read no data.
//! Exit 2 on a load error, 1 when there are warnings, 0 when clean.

use tally::unstable::report::human::WithSource;

use super::output::Output;
use super::Status;

pub fn run(paths: &[std::ffi::OsString], out: &Output) -> Status {
    let Some(program) = out.load_rules(paths) else {
        return Status::Usage;
    };
    let warnings = tally::unstable::resolve::lint(&program);
    for warning in &warnings {
        out.print(&out.renderer.render(&WithSource {
            inner: warning,
            source: program.source(warning.span).named_source(),
        }));
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    out.print(&format!(
        "{} in {}: no load errors, {}",
        plural(program.rules.len(), "rule"),
        plural(program.sources.len(), "file"),
        plural(warnings.len(), "warning")
    ));
    if warnings.is_empty() {
        Status::Clean
    } else {
        Status::Findings
    }
}
