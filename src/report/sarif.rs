//! `--format sarif`: one SARIF 2.1.0 log with one run (spec §8).

use serde_json::{json, Value};

use super::CheckedFile;
use crate::data::Document;
use crate::eval::Finding;
use crate::resolve::{Program, Severity};
use crate::source::SourceFile;

pub fn log(program: &Program, selected: &[usize], files: &[CheckedFile]) -> String {
    let results: Vec<String> = files.iter().flat_map(|file| results(program, selected, file)).collect();
    log_of(program, selected, &results)
}

/// The log around results made by [`results`] with the same `selected`.
pub fn log_of(program: &Program, selected: &[usize], results: &[String]) -> String {
    let rules: Vec<Value> = selected
        .iter()
        .map(|&r| {
            let rule = &program.rules[r];
            let mut properties = json!({ "tags": rule.tags.iter().map(|t| t.to_string()).collect::<Vec<_>>() });
            if let Some(cite) = &rule.cite {
                properties["cite"] = json!(cite.to_string());
            }
            json!({
                "id": rule.id.to_string(),
                "name": rule.id.to_string(),
                "shortDescription": { "text": rule.title.to_string() },
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": properties,
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "tally",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": [],
        }],
    });
    let log = serde_json::to_string_pretty(&log).expect("sarif serializes");
    if results.is_empty() {
        return log;
    }
    // The results are already text: put them in place of the empty list (the
    // only `"results": []` in the text; a string holding it would be escaped).
    let list = format!("\"results\": [\n{}\n      ]", results.join(",\n"));
    log.replacen("\"results\": []", &list, 1)
}

/// One file's SARIF results, as text indented for their place in the log;
/// `selected` gives the rule indexes (as in [`log`]). A run that streams its
/// files keeps these, not the documents (text is far smaller than JSON values).
pub fn results(program: &Program, selected: &[usize], file: &CheckedFile) -> Vec<String> {
    file.result
        .findings
        .iter()
        .map(|f| {
            let text =
                serde_json::to_string_pretty(&result(program, selected, &file.doc, f)).expect("sarif serializes");
            text.lines()
                .map(|line| format!("        {line}"))
                .collect::<Vec<_>>()
                .join("\n")
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
                "artifactLocation": { "uri": file.name() },
                "region": region(file, range.start, range.end),
            },
            "message": { "text": format!("{} = {}", read.path, doc.raw(read.node)) },
        })
    };
    let rule_source = program.source(finding.statement);
    let assertion = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": rule_source.name() },
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
        "ruleId": rule.id.to_string(),
        "ruleIndex": selected.iter().position(|&r| r == finding.rule),
        "level": level(rule.severity),
        "kind": if finding.kind == crate::eval::FindingKind::Violation { "fail" } else { "review" },
        "message": { "text": finding.message },
        "locations": locations,
        "relatedLocations": related,
        "properties": { "kind": finding.kind.as_str() },
    })
}
