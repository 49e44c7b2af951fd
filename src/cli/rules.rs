//! `tally rules`: the catalogue of loaded rules.

use std::borrow::Cow;

use serde::Serialize;
use tally::unstable::text::escape;

use tally::unstable::resolve::Program;
use tally::unstable::source::Span;

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

/// Everything the catalogue lists, in load order.
struct Catalogue<'a> {
    rules: Vec<Entry<'a>>,
    params: Vec<ParamEntry<'a>>,
    inputs: Vec<InputEntry<'a>>,
}

pub fn run(paths: &[std::ffi::OsString], format: CatalogueFormat, out: &Output) -> Status {
    let Some(program) = out.load_rules(paths) else {
        return Status::Usage;
    };
    let catalogue = Catalogue::of(&program);
    match format {
        CatalogueFormat::Json => catalogue.json_lines().iter().for_each(|line| out.print(line)),
        // Titles and cites come from the rule files: hidden characters escaped.
        CatalogueFormat::Human => out.print(&catalogue.human()),
    }
    Status::Clean
}

impl<'a> Catalogue<'a> {
    fn of(program: &'a Program) -> Self {
        let at = |span: Span| {
            let source = program.source(span);
            (escape(source.name()), source.location(span.start as usize).line)
        };
        let rules = program
            .rules
            .iter()
            .map(|rule| {
                let (file, line) = at(rule.span);
                Entry {
                    id: escape(&rule.id),
                    severity: rule.severity.as_str(),
                    title: escape(&rule.title),
                    cite: rule.cite.as_deref().map(escape),
                    tags: rule.tags.iter().map(|t| escape(t)).collect(),
                    file,
                    line,
                }
            })
            .collect();
        let params = program
            .params
            .iter()
            .map(|p| {
                let (file, line) = at(p.span);
                ParamEntry {
                    param: escape(&p.name),
                    default: escape(&p.default_text),
                    kind: p.kind.as_str(),
                    file,
                    line,
                }
            })
            .collect();
        let inputs = program
            .inputs
            .iter()
            .map(|i| {
                let (file, line) = at(i.span);
                InputEntry {
                    input: escape(&i.name),
                    list: i.list,
                    required: i.required,
                    file,
                    line,
                }
            })
            .collect();
        Catalogue { rules, params, inputs }
    }

    /// One JSON object per rule, then per parameter, then per input.
    fn json_lines(&self) -> Vec<String> {
        fn line(entry: &impl Serialize) -> String {
            serde_json::to_string(entry).expect("catalogue serializes")
        }
        self.rules
            .iter()
            .map(line)
            .chain(self.params.iter().map(line))
            .chain(self.inputs.iter().map(line))
            .collect()
    }

    fn human(&self) -> String {
        let mut text = String::new();
        for e in &self.rules {
            text.push_str(&format!("{}  [{}]  {}\n", e.id, e.severity, e.title));
            if let Some(cite) = &e.cite {
                text.push_str(&format!("    cite: {cite}\n"));
            }
            if !e.tags.is_empty() {
                text.push_str(&format!("    tags: {}\n", e.tags.join(", ")));
            }
            text.push_str(&format!("    at:   {}:{}\n", e.file, e.line));
        }
        if !self.params.is_empty() {
            text.push_str("parameters 参数 (override with --param NAME=VALUE or --params FILE):\n");
            for p in &self.params {
                text.push_str(&format!(
                    "  {} = {}  ({})  at {}:{}\n",
                    p.param, p.default, p.kind, p.file, p.line
                ));
            }
        }
        if !self.inputs.is_empty() {
            text.push_str("inputs 输入 (give with --input NAME=PATH):\n");
            for i in &self.inputs {
                let shape = match (i.list, i.required) {
                    (true, true) => "list, required",
                    (true, false) => "list, optional",
                    (false, true) => "required",
                    (false, false) => "optional",
                };
                text.push_str(&format!("  {}  ({shape})  at {}:{}\n", i.input, i.file, i.line));
            }
        }
        let count = self.rules.len();
        text.push_str(&format!("{count} rule{}", if count == 1 { "" } else { "s" }));
        text
    }
}
