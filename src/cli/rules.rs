//! `tally rules`: the catalogue of loaded rules.

use std::borrow::Cow;

use serde::Serialize;
use tally::report::text::escape;

use super::output::Output;
use super::{CatalogueFormat, Status};

#[derive(Serialize)]
struct Entry<'a> {
    id: Cow<'a, str>,
    severity: &'static str,
    title: Cow<'a, str>,
    cite: Option<Cow<'a, str>>,
    tags: Vec<Cow<'a, str>>,
    file: Cow<'a, str>,
    line: usize,
}

// Every text field comes from the rule files: hidden characters escaped
// (spec §15), as in every other output.

/// A `param` as the catalogue lists it (spec §11).
#[derive(Serialize)]
struct ParamEntry<'a> {
    param: Cow<'a, str>,
    default: Cow<'a, str>,
    kind: &'static str,
    file: Cow<'a, str>,
    line: usize,
}

/// An `input` as the catalogue lists it (spec §12).
#[derive(Serialize)]
struct InputEntry<'a> {
    input: Cow<'a, str>,
    list: bool,
    required: bool,
    file: Cow<'a, str>,
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
                id: escape(&rule.id),
                severity: rule.severity.as_str(),
                title: escape(&rule.title),
                cite: rule.cite.as_deref().map(escape),
                tags: rule.tags.iter().map(|t| escape(t)).collect(),
                file: escape(source.name()),
                line: source.location(rule.span.start as usize).line,
            }
        })
        .collect();
    let params: Vec<ParamEntry> = program
        .params
        .iter()
        .map(|p| {
            let source = program.source(p.span);
            ParamEntry {
                param: escape(&p.name),
                default: escape(&p.default_text),
                kind: p.kind.as_str(),
                file: escape(source.name()),
                line: source.location(p.span.start as usize).line,
            }
        })
        .collect();
    let inputs: Vec<InputEntry> = program
        .inputs
        .iter()
        .map(|i| {
            let source = program.source(i.span);
            InputEntry {
                input: escape(&i.name),
                list: i.list,
                required: i.required,
                file: escape(source.name()),
                line: source.location(i.span.start as usize).line,
            }
        })
        .collect();
    match format {
        CatalogueFormat::Json => {
            for entry in &entries {
                out.print(&serde_json::to_string(entry).expect("catalogue serializes"));
            }
            for entry in &params {
                out.print(&serde_json::to_string(entry).expect("catalogue serializes"));
            }
            for entry in &inputs {
                out.print(&serde_json::to_string(entry).expect("catalogue serializes"));
            }
        }
        CatalogueFormat::Human => {
            let mut text = String::new();
            for e in &entries {
                text.push_str(&format!("{}  [{}]  {}\n", e.id, e.severity, e.title));
                if let Some(cite) = &e.cite {
                    text.push_str(&format!("    cite: {cite}\n"));
                }
                if !e.tags.is_empty() {
                    text.push_str(&format!("    tags: {}\n", e.tags.join(", ")));
                }
                text.push_str(&format!("    at:   {}:{}\n", e.file, e.line));
            }
            if !params.is_empty() {
                text.push_str("parameters 参数 (override with --param NAME=VALUE or --params FILE):\n");
                for p in &params {
                    text.push_str(&format!(
                        "  {} = {}  ({})  at {}:{}\n",
                        p.param, p.default, p.kind, p.file, p.line
                    ));
                }
            }
            if !inputs.is_empty() {
                text.push_str("inputs 输入 (give with --input NAME=PATH):\n");
                for i in &inputs {
                    let shape = match (i.list, i.required) {
                        (true, true) => "list, required",
                        (true, false) => "list, optional",
                        (false, true) => "required",
                        (false, false) => "optional",
                    };
                    text.push_str(&format!("  {}  ({shape})  at {}:{}\n", i.input, i.file, i.line));
                }
            }
            text.push_str(&format!(
                "{} rule{}",
                entries.len(),
                if entries.len() == 1 { "" } else { "s" }
            ));
            out.print(&text);
        }
    }
    Status::Clean
}
