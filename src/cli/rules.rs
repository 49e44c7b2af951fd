//! `tally rules`: the catalogue of loaded rules.

use serde::Serialize;

use super::output::Output;
use super::{CatalogueFormat, Status};

#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    severity: &'static str,
    title: &'a str,
    cite: Option<&'a str>,
    tags: Vec<&'a str>,
    file: &'a str,
    line: usize,
}

pub fn run(paths: &[String], format: CatalogueFormat, out: &Output) -> Status {
    let Some(program) = out.load_rules(paths) else {
        return Status::Usage;
    };
    let entries: Vec<Entry> = program
        .rules
        .iter()
        .map(|rule| {
            let source = program.source(rule.span);
            Entry {
                id: &rule.id,
                severity: rule.severity.as_str(),
                title: &rule.title,
                cite: rule.cite.as_deref(),
                tags: rule.tags.iter().map(|t| &**t).collect(),
                file: source.name(),
                line: source.location(rule.span.start as usize).line,
            }
        })
        .collect();
    match format {
        CatalogueFormat::Json => {
            for entry in &entries {
                out.print(&serde_json::to_string(entry).expect("catalogue serializes"));
            }
        }
        CatalogueFormat::Human => {
            let mut text = String::new();
            for e in &entries {
                text.push_str(&format!("{}  [{}]  {}\n", e.id, e.severity, e.title));
                if let Some(cite) = e.cite {
                    text.push_str(&format!("    cite: {cite}\n"));
                }
                if !e.tags.is_empty() {
                    text.push_str(&format!("    tags: {}\n", e.tags.join(", ")));
                }
                text.push_str(&format!("    at:   {}:{}\n", e.file, e.line));
            }
            text.push_str(&format!(
                "{} rule{}",
                entries.len(),
                if entries.len() == 1 { "" } else { "s" }
            ));
            // Titles and cites come from the rule files: hidden characters escaped.
            out.print(&tally::report::text::escape(&text));
        }
    }
    Status::Clean
}
