//! Findings → what the user reads: miette diagnostics, JSON Lines, SARIF;
//! for the audit file, CSV, XLSX and a self-contained HTML page.

pub mod csv;
pub mod hints;
pub mod html;
pub mod human;
pub mod json;
pub mod rows;
pub mod sarif;
pub mod snippet;
pub mod xlsx;

use crate::data::Document;
use crate::eval::{Counts, DocumentResult, Finding, FindingKind};
use crate::resolve::{Program, Severity};

/// One data file after checking.
pub struct CheckedFile {
    pub doc: Document,
    pub result: DocumentResult,
    /// Findings accepted by an annotation or a baseline, with the reason.
    pub accepted: Vec<(Finding, String)>,
    /// Input files named by a template that do not exist.
    pub inputs_missing: Vec<String>,
}

/// What the whole-file reports (XLSX, HTML) keep of one checked file once
/// its document is dropped: its name, counts and each finding's rule and kind.
#[derive(Clone, Debug)]
pub struct FileDigest {
    pub name: String,
    pub counts: Counts,
    /// Each finding's rule (an index into `Program::rules`) and kind, in report order.
    pub findings: Vec<(usize, FindingKind)>,
}

impl FileDigest {
    pub fn of(file: &CheckedFile) -> Self {
        FileDigest {
            name: file.doc.name().to_owned(),
            counts: file.result.counts,
            findings: file.result.findings.iter().map(|f| (f.rule, f.kind)).collect(),
        }
    }
}

/// Findings of one rule in one file that were counted but not kept (past
/// [`crate::eval::FINDINGS_KEPT`]): every format says so, by file and rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OmittedNotice {
    pub file: String,
    pub rule: String,
    pub kind: FindingKind,
    pub count: usize,
}

impl OmittedNotice {
    /// One per rule and kind of `file` that had findings past the cap.
    pub fn of(program: &Program, file: &CheckedFile) -> Vec<OmittedNotice> {
        let mut notices: Vec<OmittedNotice> = Vec::new();
        for omitted in &file.result.omitted {
            let rule = &program.rules[omitted.rule].id;
            // The schema rule's omissions come by severity too: one notice per kind.
            match notices.last_mut() {
                Some(last) if last.rule == **rule && last.kind == omitted.kind => last.count += omitted.count,
                _ => notices.push(OmittedNotice {
                    file: file.doc.name().to_owned(),
                    rule: rule.to_string(),
                    kind: omitted.kind,
                    count: omitted.count,
                }),
            }
        }
        notices
    }
}

/// Everything `tally check` counted, across files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub rules: usize,
    pub counts: Counts,
    /// Violations by the severity of their rule.
    pub by_severity: [usize; 3],
    /// Findings counted but not kept, past [`crate::eval::FINDINGS_KEPT`] of
    /// one rule in one file.
    pub omitted: usize,
}

impl Summary {
    pub fn new(program: &Program, rules: usize, files: &[CheckedFile]) -> Self {
        let mut summary = Summary {
            rules,
            ..Summary::default()
        };
        for file in files {
            summary.add(program, file);
        }
        summary
    }

    /// Counts one more checked file (a run that streams its files adds
    /// them one by one, then drops them).
    pub fn add(&mut self, program: &Program, file: &CheckedFile) {
        self.files += 1;
        self.counts.add(file.result.counts);
        for finding in file.result.findings.iter().filter(|f| f.kind == FindingKind::Violation) {
            self.by_severity[finding.severity(program) as usize] += 1;
        }
        for omitted in file.result.omitted.iter().filter(|o| o.kind == FindingKind::Violation) {
            self.by_severity[omitted.severity(program) as usize] += omitted.count;
        }
        self.omitted += file.result.omitted_count();
    }

    /// Adds the counts of `other`, another part of the same run.
    pub fn merge(&mut self, other: &Summary) {
        self.files += other.files;
        self.counts.add(other.counts);
        for (total, n) in self.by_severity.iter_mut().zip(other.by_severity) {
            *total += n;
        }
        self.omitted += other.omitted;
    }

    pub fn violations_at_least(&self, level: Severity) -> usize {
        (level as usize..3).map(|s| self.by_severity[s]).sum()
    }
}

/// Findings in the order the spec fixes: by the position of the primary
/// value, then by rule ID (files are already in order).
pub fn sort_findings(program: &Program, doc: &Document, findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        // A value from another file (an input) sorts after this file's values.
        let position = |f: &Finding| {
            f.primary_value()
                .map_or((false, 0), |v| (!doc.is_own(v.node), doc.node(v.node).start))
        };
        position(a)
            .cmp(&position(b))
            .then_with(|| program.rules[a.rule].id.cmp(&program.rules[b.rule].id))
    });
}
