//! `tally fmt`: rewrite rule files in the canonical layout, or with
//! `--check` only say which would change (exit 1).

use tally::report::human::WithSource;
use tally::resolve::{DiskStore, RuleStore};
use tally::source::SourceFile;

use super::output::Output;
use super::Status;

pub fn run(paths: &[String], check: bool, out: &Output) -> Status {
    let mut files = Vec::new();
    for path in paths {
        match DiskStore.list(path) {
            Some(found) if found.is_empty() => {
                out.problem(&format!("error: no rule files (`*.tally`) in `{path}`"));
                return Status::Usage;
            }
            Some(found) => files.extend(found),
            None => files.push(path.clone()),
        }
    }
    let (mut changed, mut broken) = (0, false);
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                out.problem(&format!("error: cannot read `{file}`: {e}"));
                broken = true;
                continue;
            }
        };
        let formatted = match tally::format::format(&text) {
            Ok(formatted) => formatted,
            Err(errors) => {
                let source = SourceFile::new(file.as_str(), text.as_str()).named_source();
                for error in &errors {
                    out.problem(&out.renderer.render(&WithSource {
                        inner: error,
                        source: source.clone(),
                    }));
                }
                broken = true;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        if check {
            out.print(&format!(
                "{file}: not formatted\n{}",
                first_difference(&text, &formatted)
            ));
        } else if let Err(e) = std::fs::write(file, &formatted) {
            out.problem(&format!("error: cannot write `{file}`: {e}"));
            broken = true;
        } else {
            out.print(&format!("formatted {file}"));
        }
    }
    if broken {
        Status::Usage
    } else if check && changed > 0 {
        out.print(&format!("{changed} of {} files would be reformatted", files.len()));
        Status::Findings
    } else {
        Status::Clean
    }
}

/// The first line that differs, as written and as formatted.
fn first_difference(old: &str, new: &str) -> String {
    let (old_lines, new_lines): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let line = old_lines
        .iter()
        .zip(&new_lines)
        .position(|(a, b)| a != b)
        .unwrap_or(old_lines.len().min(new_lines.len()));
    format!(
        "  line {}:\n  - {}\n  + {}",
        line + 1,
        old_lines.get(line).unwrap_or(&""),
        new_lines.get(line).unwrap_or(&"")
    )
}
