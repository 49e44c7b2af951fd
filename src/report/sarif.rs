//! `--format sarif`: one SARIF 2.1.0 log with one run (spec §8), written as
//! it is built. Text from the user's files is escaped and capped as in every
//! output (spec §15).

use std::io::{self, Write};

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::{CheckedFile, OmittedNotice};
use crate::data::Document;
use crate::eval::Finding;
use crate::resolve::{Program, Severity};
use crate::source::SourceFile;
use crate::text::{escape, shown, VALUE_CHARS};

/// The whole log as a string (see [`write_log`]).
pub fn log(program: &Program, selected: &[usize], files: &[CheckedFile]) -> String {
    let mut out = Vec::new();
    write_log(&mut out, program, selected, files).expect("writing to memory");
    String::from_utf8(out).expect("sarif is UTF-8")
}

/// Writes the log to `out` as it goes: each result is built, written and
/// dropped in turn, so memory does not grow with the number of findings.
pub fn write_log(out: &mut dyn Write, program: &Program, selected: &[usize], files: &[CheckedFile]) -> io::Result<()> {
    let results = files.iter().flat_map(|file| results(program, selected, file));
    let ending = || Ending {
        rules: selected.to_vec(),
        omitted: files.iter().flat_map(|file| OmittedNotice::of(program, file)).collect(),
    };
    write_streamed(out, program, results, ending)
}

/// What the log says after its results, known once they are written.
pub struct Ending {
    /// The rules to list (indexes into `Program::rules`), in order.
    pub rules: Vec<usize>,
    /// Findings counted but not listed: each a tool notification.
    pub omitted: Vec<OmittedNotice>,
}

/// One file's results; `selected` gives each result's `ruleIndex` (the
/// rules the log lists, in order). A run that streams its files makes these
/// on the worker that checked the file, then drops the document.
///
/// Each result is kept as its written text, not as a `Value` tree: a file's
/// results wait for the files before it, and with a tree of 200 locations
/// for each of 1,000 findings a run peaked at 705 MB (124 MB as text).
pub fn results(program: &Program, selected: &[usize], file: &CheckedFile) -> Vec<Box<RawValue>> {
    file.result
        .findings
        .iter()
        .map(|f| written(&result(program, selected, &file.doc, f)))
        .collect()
}

/// Where a result sits in the log: `{"runs": [{"results": [ here ]}]}`.
const RESULT_INDENT: &str = "        ";

/// `result` as the pretty log writes it at its depth: the log's writer puts
/// the first line's indentation, the text carries the rest.
fn written(result: &Value) -> Box<RawValue> {
    let pretty = serde_json::to_string_pretty(result).expect("results serialize");
    // A JSON string holds no raw line break: every line break is layout.
    let text = pretty.replace('\n', &format!("\n{RESULT_INDENT}"));
    RawValue::from_string(text).expect("pretty JSON is JSON")
}

/// Writes the log around `results` as they come (made by [`results`]);
/// `ending` is asked for the rest once every result is written.
pub fn write_streamed(
    out: &mut dyn Write,
    program: &Program,
    results: impl Iterator<Item = Box<RawValue>>,
    ending: impl FnOnce() -> Ending,
) -> io::Result<()> {
    let log = Log {
        program,
        results: std::cell::Cell::new(Some(results)),
        ending: std::cell::Cell::new(Some(ending)),
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    Ok(())
}

/// The log's keys are written in sorted order, as `serde_json::Value` writes
/// them, except a run's `invocations`: it follows the results it counts.
struct Log<'a, I, R> {
    program: &'a Program,
    results: std::cell::Cell<Option<I>>,
    ending: std::cell::Cell<Option<R>>,
}

impl<I: Iterator<Item = Box<RawValue>>, R: FnOnce() -> Ending> Serialize for Log<'_, I, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("$schema", "https://json.schemastore.org/sarif-2.1.0.json")?;
        map.serialize_entry("runs", &[Run(self)])?;
        map.serialize_entry("version", "2.1.0")?;
        map.end()
    }
}

struct Run<'l, 'a, I, R>(&'l Log<'a, I, R>);

impl<I: Iterator<Item = Box<RawValue>>, R: FnOnce() -> Ending> Serialize for Run<'_, '_, I, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let log = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("results", &Lazy(std::cell::Cell::new(log.results.take())))?;
        // Asked only now: which rules had results is known once they are written.
        let Ending {
            rules: selected,
            omitted,
        } = log.ending.take().map(|ending| ending()).unwrap_or(Ending {
            rules: Vec::new(),
            omitted: Vec::new(),
        });
        if !omitted.is_empty() {
            map.serialize_entry("invocations", &[invocation(&omitted)])?;
        }
        map.serialize_entry(
            "tool",
            &json!({ "driver": {
                "name": "tally",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules(log.program, &selected),
            }}),
        )?;
        map.end()
    }
}

/// The run's invocation, written only to carry a notification for each rule
/// whose findings in a file were counted but not all listed.
fn invocation(omitted: &[OmittedNotice]) -> Value {
    let notifications: Vec<Value> = omitted
        .iter()
        .map(|notice| {
            json!({
                "level": "warning",
                "message": { "text": super::human::omitted_line(notice, super::human::Lang::En) },
                "associatedRule": { "id": escape(&notice.rule) },
                "properties": { "file": escape(&notice.file), "kind": notice.kind.as_str(), "count": notice.count },
            })
        })
        .collect();
    json!({ "executionSuccessful": true, "toolExecutionNotifications": notifications })
}

/// A sequence written from an iterator, one element at a time.
struct Lazy<I>(std::cell::Cell<Option<I>>);

impl<I: Iterator<Item = Box<RawValue>>> Serialize for Lazy<I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.take().into_iter().flatten())
    }
}

fn rules(program: &Program, selected: &[usize]) -> Vec<Value> {
    selected
        .iter()
        .map(|&r| {
            let rule = &program.rules[r];
            let tags: Vec<String> = rule.tags.iter().map(|t| escape(t).into_owned()).collect();
            let mut properties = json!({ "tags": tags });
            if let Some(cite) = &rule.cite {
                properties["cite"] = json!(escape(cite));
            }
            json!({
                "id": escape(&rule.id),
                "name": escape(&rule.id),
                "shortDescription": { "text": escape(&rule.title) },
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": properties,
            })
        })
        .collect()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result(program: &Program, selected: &[usize], doc: &Document, finding: &Finding) -> Value {
    let rule = &program.rules[finding.rule];
    let region = |source: &SourceFile, start: usize, end: usize| {
        let a = source.location(start);
        let b = source.location(end);
        json!({ "startLine": a.line, "startColumn": a.column, "endLine": b.line, "endColumn": b.column,
                "byteOffset": start, "byteLength": end - start })
    };
    let data_location = |i: usize| {
        let read = &finding.values[i];
        let range = doc.byte_range(read.node);
        let file = doc.file_of(read.node);
        json!({
            "physicalLocation": {
                "artifactLocation": { "uri": escape(file.name()) },
                "region": region(file, range.start, range.end),
            },
            "message": { "text": format!("{} = {}", escape(&read.path), shown(doc.raw(read.node), VALUE_CHARS)) },
        })
    };
    let rule_source = program.source(finding.statement);
    let assertion = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": escape(rule_source.name()) },
            "region": region(rule_source, finding.statement.start as usize, finding.statement.end as usize),
        },
        "message": { "text": "the assertion" },
    });
    let mut locations = Vec::new();
    let mut related = vec![assertion.clone()];
    match finding.primary {
        Some(p) => locations.push(data_location(p)),
        None => locations.push(assertion),
    }
    related.extend(
        (0..finding.values.len())
            .filter(|&i| Some(i) != finding.primary)
            .map(data_location),
    );
    json!({
        "ruleId": escape(&rule.id),
        "ruleIndex": selected.iter().position(|&r| r == finding.rule),
        "level": level(finding.severity(program)),
        "kind": if finding.kind == crate::eval::FindingKind::Violation { "fail" } else { "review" },
        "message": { "text": escape(&finding.message) },
        "locations": locations,
        "relatedLocations": related,
        "properties": properties(finding),
    })
}

/// A result's properties: its kind, and how many values it read past those
/// listed as related locations.
fn properties(finding: &Finding) -> Value {
    match finding.values_not_listed {
        0 => json!({ "kind": finding.kind.as_str() }),
        n => json!({ "kind": finding.kind.as_str(), "valuesNotListed": n }),
    }
}
