//! Accepted findings (spec §13): `# tally-allow: ID — reason` in a data file,
//! and baselines written by `--write-baseline` and read by `--baseline`.

use std::collections::HashSet;

use crate::data::Document;
use crate::eval::Finding;
use crate::resolve::Program;

/// The ID of the built-in rule whose findings are faulty annotations.
pub const ALLOW_RULE: &str = "allow";

/// One `# tally-allow:` annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allow {
    /// The data line whose findings it accepts (1-based).
    pub line: usize,
    pub ids: Vec<String>,
    /// The reason after the dash; `None` when there is none.
    pub reason: Option<String>,
    /// Where the annotation is written (1-based).
    pub written_at: usize,
}

/// Reads the `# tally-allow:` annotations of a data file. At the end of a line
/// it applies to that line; alone on a line, to the next line that is neither
/// blank nor a comment.
pub fn allows(text: &str) -> Vec<Allow> {
    // Most files have none: one search spares scanning every line for a comment.
    if !text.contains("tally-allow:") {
        return Vec::new();
    }
    let lines: Vec<&str> = crate::syntax::lexicon::lines(text).collect();
    let next = crate::suite::next_content_lines(&lines);
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(start) = crate::suite::comment_start(line) else {
            continue;
        };
        let Some(body) = line[start + 1..].trim().strip_prefix("tally-allow:") else {
            continue;
        };
        let (ids, reason) = split_reason(body);
        let target = crate::suite::annotated_line(&next, i, line[..start].trim().is_empty());
        found.push(Allow {
            line: target,
            ids: ids
                .split([',', '，'])
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
                .collect(),
            reason,
            written_at: i + 1,
        });
    }
    found
}

/// `A, B — reason` → (`A, B`, `Some("reason")`). An em dash, an en dash or
/// `--` separates the reason; an empty reason is none.
fn split_reason(body: &str) -> (&str, Option<String>) {
    let cut = ["—", "–", "--"]
        .iter()
        .filter_map(|d| body.find(d).map(|i| (i, d.len())))
        .min();
    match cut {
        Some((i, len)) => {
            let reason = body[i + len..].trim().trim_start_matches(['—', '–', '-']).trim();
            (&body[..i], (!reason.is_empty()).then(|| reason.to_owned()))
        }
        None => (body, None),
    }
}

/// What is wrong with an annotation, if anything: no reason, or a rule ID
/// that is not loaded (with a did-you-mean).
pub fn problems(allow: &Allow, program: &Program) -> Vec<String> {
    let mut out = Vec::new();
    if allow.ids.is_empty() {
        out.push("`# tally-allow:` names no rule".to_owned());
    }
    for id in &allow.ids {
        if program.rule(id).is_none() {
            let hint = crate::resolve::suggest(id, program.rules.iter().map(|r| &*r.id))
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            out.push(format!("`# tally-allow: {id}` names no loaded rule{hint}"));
        }
    }
    if allow.reason.is_none() {
        out.push(format!(
            "`# tally-allow: {}` gives no reason: write `# tally-allow: {} — why this is accepted`",
            allow.ids.join(", "),
            allow.ids.join(", ")
        ));
    }
    out
}

/// The line (1-based) the finding's primary value starts on. When that value
/// is in another file (an input, a params file), the line of the first value
/// read from this file: an annotation can only be written here.
pub fn primary_line(doc: &Document, finding: &Finding) -> Option<usize> {
    let read = finding
        .primary_value()
        .filter(|v| doc.is_own(v.node))
        .or_else(|| finding.values.iter().find(|v| doc.is_own(v.node)))?;
    Some(doc.location(read.node).line)
}

/// The reason a valid annotation accepts `finding`, if one does.
pub fn allowed_by<'a>(allows: &'a [Allow], program: &Program, doc: &Document, finding: &Finding) -> Option<&'a str> {
    let line = primary_line(doc, finding)?;
    let id = &*program.rules[finding.rule].id;
    // `allows` are in file order, so their target lines never decrease.
    let first = allows.partition_point(|a| a.line < line);
    allows[first..]
        .iter()
        .take_while(|a| a.line == line)
        .filter(|a| a.ids.iter().any(|i| i == id))
        .find_map(|a| a.reason.as_deref())
}

/// What identifies a finding across edits: data file, rule, kind, primary path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BaselineKey {
    pub file: String,
    pub rule: String,
    pub kind: String,
    pub path: String,
}

/// `./a/b.yaml` and `a/b.yaml` are one file.
fn normal_file(name: &str) -> String {
    let mut name = name.replace('\\', "/");
    while let Some(rest) = name.strip_prefix("./") {
        name = rest.to_owned();
    }
    name
}

impl BaselineKey {
    pub fn of(program: &Program, doc: &Document, finding: &Finding) -> Self {
        BaselineKey {
            file: normal_file(doc.name()),
            rule: program.rules[finding.rule].id.to_string(),
            kind: finding.kind.as_str().to_owned(),
            path: finding.primary_value().map(|v| v.path.clone()).unwrap_or_default(),
        }
    }
}

/// The findings recorded in a baseline (JSON Lines as `--format json` prints;
/// lines that are not findings are ignored). A line that is not JSON is an
/// error naming it.
pub fn read_baseline(text: &str, name: &str) -> Result<HashSet<BaselineKey>, String> {
    let mut keys = HashSet::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{name}:{}: not a JSON line: {e}", i + 1))?;
        if value["type"] != "finding" {
            continue;
        }
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        let path = value["primary"]
            .as_u64()
            .map(|p| text(&value["data"][p as usize]["path"]))
            .unwrap_or_default();
        keys.insert(BaselineKey {
            file: normal_file(&text(&value["file"])),
            rule: text(&value["rule"]),
            kind: text(&value["kind"]),
            path,
        });
    }
    Ok(keys)
}

/// For each line of the data file, the value that starts first on it.
fn first_value_on_each_line(doc: &Document) -> std::collections::HashMap<usize, crate::data::NodeId> {
    let mut lines: std::collections::HashMap<usize, crate::data::NodeId> = std::collections::HashMap::new();
    for n in (0..doc.node_count() as u32).map(crate::data::NodeId) {
        if !doc.is_own(n) || n == doc.root() {
            continue;
        }
        let line = doc.location(n).line;
        let entry = lines.entry(line).or_insert(n);
        if doc.node(n).start < doc.node(*entry).start {
            *entry = n;
        }
    }
    lines
}

/// Adds the built-in rule `allow` to `program` (once) and returns its index:
/// faulty annotations are its findings, pointing at the annotated line.
pub fn allow_rule(program: &mut Program) -> usize {
    if let Some(i) = program.rules.iter().position(|r| &*r.id == ALLOW_RULE) {
        return i;
    }
    let text = "# built in: checks `# tally-allow:` annotations in data files\nrule allow {}\n";
    let file = program.sources.len() as crate::source::FileId;
    program.sources.push(crate::source::SourceFile::new("<built-in>", text));
    let start = text.find("allow {").unwrap_or(0);
    program.rules.push(crate::resolve::RuleDef {
        id: ALLOW_RULE.into(),
        title: "`# tally-allow:` 注释须有理由且指向已加载的规则 (an allow annotation needs a reason and a known rule)"
            .into(),
        severity: crate::resolve::Severity::Warning,
        cite: None,
        tags: Vec::new(),
        span: crate::source::Span::new(file, start, start + ALLOW_RULE.len()),
        body: Vec::new(),
        frame_size: 0,
    });
    program.rules.len() - 1
}

/// The findings of rule `allow` for `doc`'s annotations, each pointing at the
/// first value on the annotated line (when there is one).
pub fn allow_findings(program: &Program, rule: usize, doc: &Document, allows: &[Allow]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut first_on_line: Option<std::collections::HashMap<usize, crate::data::NodeId>> = None;
    for allow in allows {
        for message in problems(allow, program) {
            // Built once, and only when an annotation is faulty.
            let lines = first_on_line.get_or_insert_with(|| first_value_on_each_line(doc));
            let node = lines.get(&allow.line).copied();
            let values: Vec<crate::eval::DataRead> = node
                .map(|node| crate::eval::DataRead {
                    node,
                    path: doc.path(node),
                })
                .into_iter()
                .collect();
            let span = program.rules[rule].span;
            out.push(Finding {
                rule,
                severity: None,
                kind: crate::eval::FindingKind::Violation,
                message: format!("line {}: {message}", allow.written_at),
                primary: (!values.is_empty()).then_some(0),
                values,
                values_not_listed: 0,
                span,
                statement: span,
            });
        }
    }
    out
}

/// Settles `result`'s findings against the document's annotations: adds the
/// findings of rule `allow` (faulty annotations), and moves every finding an
/// annotation accepts, or that `baselined` says a baseline holds, out of
/// `result.findings` into the returned list with its reason.
pub fn settle(
    program: &Program,
    allow_rule: usize,
    doc: &Document,
    result: &mut crate::eval::DocumentResult,
    baselined: impl Fn(&Finding) -> bool,
) -> Vec<(Finding, String)> {
    let allows = allows(doc.source().text());
    for finding in allow_findings(program, allow_rule, doc, &allows) {
        result.counts.record(Some(finding.kind));
        result.findings.push(finding);
    }
    let mut accepted = Vec::new();
    let mut kept = Vec::new();
    for finding in std::mem::take(&mut result.findings) {
        let reason = allowed_by(&allows, program, doc, &finding)
            .map(str::to_owned)
            .or_else(|| baselined(&finding).then(|| "baseline".to_owned()));
        match reason {
            Some(reason) => {
                result.counts.accept(finding.kind);
                accepted.push((finding, reason));
            }
            None => kept.push(finding),
        }
    }
    result.findings = kept;
    accepted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_and_own_line_annotations_with_and_without_reasons() {
        let text =
            "a: 1  # tally-allow: X, Y — 已说明\n# tally-allow: Z\n\n  # note\nb: 2\nc: 3 # tally-allow: W -- reason\n";
        let got = allows(text);
        assert_eq!(got.len(), 3);
        assert_eq!(
            (got[0].line, got[0].ids.clone(), got[0].reason.as_deref()),
            (1, vec!["X".into(), "Y".into()], Some("已说明"))
        );
        assert_eq!((got[1].line, got[1].reason.as_deref()), (5, None));
        assert_eq!((got[2].line, got[2].reason.as_deref()), (6, Some("reason")));
    }

    #[test]
    fn a_dash_with_nothing_after_it_is_no_reason() {
        assert_eq!(allows("a: 1 # tally-allow: X —\n")[0].reason, None);
        assert_eq!(allows("a: \"# tally-allow: X — r\"\n").len(), 0);
    }

    #[test]
    fn baseline_lines_that_are_not_findings_are_ignored() {
        let text = r#"{"type":"finding","rule":"R","kind":"violation","file":"./a.yaml","data":[{"path":"x.y"}],"primary":0}
{"type":"summary","files":1}
"#;
        let keys = read_baseline(text, "b.jsonl").unwrap();
        assert_eq!(keys.len(), 1);
        assert!(keys.contains(&BaselineKey {
            file: "a.yaml".into(),
            rule: "R".into(),
            kind: "violation".into(),
            path: "x.y".into()
        }));
        assert!(read_baseline("not json\n", "b.jsonl")
            .unwrap_err()
            .starts_with("b.jsonl:1:"));
    }
}
