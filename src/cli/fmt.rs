//! `tally fmt`: rewrite rule files in the canonical layout, or with
//! `--check` only say which would change (exit 1).

use tally::unstable::report::human::WithSource;
use tally::unstable::resolve::{DiskStore, RuleStore};
use tally::unstable::source::SourceFile;
use tally::unstable::text::escape;

use super::output::Output;
use super::Status;

/// Lines of a difference shown per side under `--check`.
const DIFF_LINES: usize = 6;
/// Characters of a rule line shown in a difference (escaped, cut with `…`).
const DIFF_LINE_CHARS: usize = 200;

fn shown(line: &str) -> String {
    tally::unstable::text::shown(line, DIFF_LINE_CHARS)
}

/// How far apart, in lines, the two sides may agree again.
const RESYNC: usize = 40;

pub fn run(paths: &[std::ffi::OsString], check: bool, out: &Output) -> Status {
    let mut broken = false;
    let mut files = Vec::new();
    // A file Tally cannot name is never silently left unformatted.
    let misnamed = |path: &str| {
        format!(
            "error: the name of rule file `{}` is not UTF-8; left as it is",
            escape(path)
        )
    };
    for path in paths {
        let Some(path) = path.to_str() else {
            out.problem(&misnamed(&path.to_string_lossy()));
            broken = true;
            continue;
        };
        match DiskStore.list(path) {
            Some(listing) => {
                for name in &listing.misnamed {
                    out.problem(&misnamed(name));
                    broken = true;
                }
                for (folder, reason) in &listing.unreadable {
                    out.problem(&format!(
                        "error: cannot read rule folder `{}`: {}",
                        escape(folder),
                        escape(reason)
                    ));
                    broken = true;
                }
                if listing.files.is_empty() {
                    out.problem(&format!("error: no rule files (`*.tally`) in `{}`", escape(path)));
                    broken = true;
                }
                files.extend(listing.files);
            }
            None => files.push(path.to_owned()),
        }
    }
    let mut changed = 0;
    for file in &files {
        // The name as every message shows it: hidden characters escaped.
        let name = escape(file);
        let text = match DiskStore
            .read(file)
            .and_then(|bytes| String::from_utf8(bytes).map_err(|e| e.to_string()))
        {
            Ok(text) => text,
            Err(e) => {
                out.problem(&format!("error: cannot read `{name}`: {}", escape(&e)));
                broken = true;
                continue;
            }
        };
        let formatted = match tally::unstable::format::format(&text) {
            Ok(formatted) => formatted,
            Err(errors) => {
                let source = SourceFile::new(file.as_str(), text.as_str()).named_source();
                for error in &errors {
                    out.problem(&out.renderer.render(&WithSource {
                        inner: error,
                        source: source.clone(),
                    }));
                }
                out.problem(&format!("error: `{name}` does not parse; left as it is"));
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
                "would reformat {name}\n{}",
                first_difference(&text, &formatted)
            ));
        } else if let Err(e) = super::replace::file(file, formatted.as_bytes()) {
            out.problem(&format!("error: cannot write `{name}`: {}", escape(&e.to_string())));
            broken = true;
        } else {
            out.print(&format!("formatted {name}"));
        }
    }
    if check && changed > 0 {
        let s = if files.len() == 1 { "" } else { "s" };
        out.print(&format!("{changed} of {} file{s} would be reformatted", files.len()));
    }
    if broken {
        Status::Usage
    } else if check && changed > 0 {
        Status::Findings
    } else {
        Status::Clean
    }
}

/// The first place where the texts differ, as a unified-diff hunk: the
/// lines from the first that differs to where the two agree again (looked
/// for within [`RESYNC`] lines), at most [`DIFF_LINES`] a side.
fn first_difference(old: &str, new: &str) -> String {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    // One line of context before the change, where there is one.
    let context = old[..head].last();
    let (old, new) = (&old[head..], &new[head..]);
    if old.is_empty() && new.is_empty() {
        return "  (only line endings differ)\n".into();
    }
    // The nearest point (fewest lines skipped) where both sides agree again.
    let agree = |i: usize, j: usize| match (old.get(i), new.get(j)) {
        (Some(a), Some(b)) => a == b,
        (None, None) => true,
        _ => false,
    };
    let (i, j) = (1..=2 * RESYNC)
        .flat_map(|d| (0..=d).map(move |i| (i, d - i)))
        .find(|&(i, j)| i <= old.len() && j <= new.len() && agree(i, j))
        .unwrap_or((old.len(), new.len()));
    let c = usize::from(context.is_some());
    let (start, old_n, new_n) = (head + 1 - c, i + c, j + c);
    let mut diff = format!("@@ -{start},{old_n} +{start},{new_n} @@\n");
    if let Some(line) = context {
        diff.push_str(&format!(" {}\n", shown(line)));
    }
    for (sign, lines) in [('-', &old[..i]), ('+', &new[..j])] {
        for line in lines.iter().take(DIFF_LINES) {
            diff.push_str(&format!("{sign}{}\n", shown(line)));
        }
        if lines.len() > DIFF_LINES {
            diff.push_str(&format!("{sign}… {} more lines\n", lines.len() - DIFF_LINES));
        }
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::first_difference;

    #[test]
    fn the_difference_is_the_changed_lines() {
        assert_eq!(
            first_difference("a\nb\nc\n", "a\nB\nB2\nc\n"),
            "@@ -1,2 +1,3 @@\n a\n-b\n+B\n+B2\n"
        );
        assert_eq!(first_difference("a\n", "a\n\n"), "@@ -1,1 +1,2 @@\n a\n+\n");
        assert_eq!(first_difference("a\n", "b\n"), "@@ -1,1 +1,1 @@\n-a\n+b\n");
        assert_eq!(
            first_difference("a\nb\nc\nd\n", "a\n\nb\nc\nD\n"),
            "@@ -1,1 +1,2 @@\n a\n+\n"
        );
        assert_eq!(first_difference("a\r\n", "a\n"), "  (only line endings differ)\n");
    }
}
