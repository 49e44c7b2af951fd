//! `tally rules --source X`: the source of a rule or a rule file, bundled or
//! not, so an auditor can read what a finding's rule really checks.
//!
//! X is a rule ID (`同比增减`), a rule file (`@cn-budget/yoy.tally`,
//! `mine.tally`), or a place as findings print it (`@cn-budget/yoy.tally:14`,
//! column allowed): the rule written at that line.

use tally::unstable::resolve::{suggest, BundledStore, LibraryStore, Program, RuleStore};
use tally::unstable::source::SourceFile;
use tally::unstable::syntax::{self, ast};
use tally::unstable::text::escape;

use super::output::Output;
use super::Status;

pub fn run(program: &Program, wanted: &str, out: &Output) -> Status {
    if let Some(rule) = program.rule(wanted) {
        let file = program.source(rule.span);
        let line = file.location(rule.span.start as usize).line;
        return print_rule_at(file, line, out);
    }
    let (path, line) = split_place(wanted);
    let loaded = program.sources.iter().find(|s| s.name() == path);
    let file = match loaded {
        Some(file) => file.clone(),
        None => match LibraryStore
            .read(path)
            .and_then(|bytes| String::from_utf8(bytes).map_err(|e| e.to_string()))
        {
            Ok(text) => SourceFile::new(path, text),
            Err(_) => {
                let ids = program.rules.iter().map(|r| &*r.id);
                let files: Vec<String> = BundledStore::files().map(|(name, _)| name).collect();
                let names = program.sources.iter().map(|s| s.name());
                let hint = suggest(wanted, ids.chain(files.iter().map(String::as_str)).chain(names))
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                out.problem(&format!(
                    "error: no rule or rule file `{}`{}",
                    escape(wanted),
                    escape(&hint)
                ));
                return Status::Usage;
            }
        },
    };
    match line {
        Some(line) => print_rule_at(&file, line, out),
        None => {
            // The file's own text, but never a raw control character (spec §15).
            out.print(&escape(&format!("# {}\n{}", file.name(), file.text().trim_end())));
            Status::Clean
        }
    }
}

/// `a.tally:14:10` → (`a.tally`, Some(14)); anything else is a path.
fn split_place(text: &str) -> (&str, Option<usize>) {
    let mut rest = text;
    let mut numbers = Vec::new();
    while let Some((head, tail)) = rest.rsplit_once(':') {
        match tail.parse::<usize>() {
            Ok(n) if numbers.len() < 2 => {
                numbers.push(n);
                rest = head;
            }
            _ => break,
        }
    }
    (rest, numbers.last().copied())
}

/// The rule whose text covers `line`, with the comment lines just above it.
fn print_rule_at(file: &SourceFile, line: usize, out: &Output) -> Status {
    let (ast, _) = syntax::parse_partial(0, file.text());
    let rule = ast.items.iter().find_map(|item| match item {
        ast::Item::Rule(rule) => {
            let first = file.location(rule.span.start as usize).line;
            let last = file.location(rule.span.end as usize).line;
            (first..=last).contains(&line).then_some((first, last))
        }
        _ => None,
    });
    let Some((mut first, last)) = rule else {
        out.problem(&format!(
            "error: no rule is written at line {line} of `{}`",
            escape(file.name())
        ));
        return Status::Usage;
    };
    while first > 1 && file.line_text(first - 1).trim_start().starts_with('#') {
        first -= 1;
    }
    let mut text = format!("# {}:{first}\n", file.name());
    for n in first..=last {
        text.push_str(file.line_text(n));
        text.push('\n');
    }
    out.print(&escape(text.trim_end()));
    Status::Clean
}

#[cfg(test)]
mod tests {
    use super::split_place;

    #[test]
    fn places() {
        assert_eq!(
            split_place("@cn-budget/yoy.tally:14"),
            ("@cn-budget/yoy.tally", Some(14))
        );
        assert_eq!(
            split_place("@cn-budget/yoy.tally:14:3"),
            ("@cn-budget/yoy.tally", Some(14))
        );
        assert_eq!(split_place("@cn-budget/yoy.tally"), ("@cn-budget/yoy.tally", None));
        assert_eq!(split_place("C:dir"), ("C:dir", None));
    }
}
