//! Loaded rules, and checking a document against them.

use std::path::Path;

use super::error::{RulesError, SelectError};
use super::report::{Accepted, Finding, FindingKind, Omitted, Report, Severity};
use super::Document;
use crate::accept;
use crate::eval;
use crate::report::sort_findings;
use crate::resolve::{self, BundledStore, LibraryStore, Listing, Program, RuleStore};

/// Rule files loaded and resolved: every import read, every name bound,
/// every regex compiled. Load once, then [`check`](Rules::check) any number
/// of documents (from any number of threads: `Rules` is `Sync`).
///
/// All rules run unless narrowed with [`select_ids`](Rules::select_ids) or
/// [`select_tags`](Rules::select_tags).
///
/// ```
/// use tally::{Document, Rules};
///
/// let rules = Rules::bundled("cn-budget")?.select_tags(["totals"])?;
/// assert!(rules.rule_ids().all(|id| !id.is_empty()));
/// let doc = Document::from_path("examples/huailai-2024.yaml")?;
/// let report = rules.check(&doc);
/// assert!(report.counts.assertions > 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Rules {
    program: Program,
    /// Indexes into `program.rules` of the rules that run.
    selected: Vec<usize>,
    /// Index of the built-in rule that reports faulty `# tally-allow:` annotations.
    allow_rule: usize,
}

/// What a rule declares about itself.
#[derive(Clone, Copy, Debug)]
pub struct RuleInfo<'a> {
    /// The rule's ID.
    pub id: &'a str,
    /// Its `title`.
    pub title: &'a str,
    /// Its `severity`.
    pub severity: Severity,
    /// Its `cite`, when it has one.
    pub cite: Option<&'a str>,
    /// Its `tags`.
    pub tags: &'a [std::sync::Arc<str>],
}

impl Rules {
    /// A rule library bundled into Tally, by name: `"cn-budget"` (rules for
    /// Chinese budget and final-account disclosures).
    pub fn bundled(name: &str) -> Result<Rules, RulesError> {
        let path = format!("@{}", name.trim_start_matches('@'));
        if name.is_empty() || BundledStore.list(&path).is_none() {
            return Err(RulesError::UnknownLibrary {
                name: name.to_owned(),
                known: bundled_libraries().join(", "),
            });
        }
        Rules::load(&LibraryStore, &[path])
    }

    /// Rule files or folders on disk (folders are searched for `*.tally`);
    /// a path starting with `@` names a bundled file or folder, as on the
    /// command line.
    pub fn from_paths<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Result<Rules, RulesError> {
        let paths: Vec<String> = paths
            .into_iter()
            .map(|p| p.as_ref().to_string_lossy().into_owned())
            .collect();
        if paths.is_empty() {
            return Err(RulesError::NoPaths);
        }
        Rules::load(&LibraryStore, &paths)
    }

    /// One rule file given as text, named `name` in findings and errors. It
    /// may import bundled files (`import "@cn-budget/common.tally"`), not
    /// files on disk.
    pub fn from_text(name: &str, text: &str) -> Result<Rules, RulesError> {
        let store = TextStore {
            name: resolve::normalize(name),
            text,
        };
        Rules::load(&store, std::slice::from_ref(&store.name))
    }

    fn load(store: &dyn RuleStore, roots: &[String]) -> Result<Rules, RulesError> {
        let mut program = resolve::load_program(store, roots).map_err(RulesError::load)?;
        let selected = (0..program.rules.len()).collect();
        let allow_rule = accept::allow_rule(&mut program);
        Ok(Rules {
            program,
            selected,
            allow_rule,
        })
    }

    /// Only the rules with these IDs (of those selected so far). An ID no
    /// rule has is an error naming close ones.
    pub fn select_ids<S: AsRef<str>>(self, ids: impl IntoIterator<Item = S>) -> Result<Rules, SelectError> {
        let ids: Vec<String> = ids.into_iter().map(|s| s.as_ref().to_owned()).collect();
        self.narrow(&ids, &[])
    }

    /// Only the rules carrying at least one of these tags (of those selected
    /// so far). A tag no rule has is an error naming close ones.
    pub fn select_tags<S: AsRef<str>>(self, tags: impl IntoIterator<Item = S>) -> Result<Rules, SelectError> {
        let tags: Vec<String> = tags.into_iter().map(|s| s.as_ref().to_owned()).collect();
        self.narrow(&[], &tags)
    }

    fn narrow(mut self, ids: &[String], tags: &[String]) -> Result<Rules, SelectError> {
        let chosen = self.program.select(ids, tags)?;
        self.selected.retain(|rule| chosen.contains(rule));
        Ok(self)
    }

    /// The IDs of the rules that run, in load order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.rules().map(|rule| rule.id)
    }

    /// The rules that run, in load order.
    pub fn rules(&self) -> impl Iterator<Item = RuleInfo<'_>> + '_ {
        self.selected.iter().map(|&i| {
            let rule = &self.program.rules[i];
            RuleInfo {
                id: &rule.id,
                title: &rule.title,
                severity: rule.severity.into(),
                cite: rule.cite.as_deref(),
                tags: &rule.tags,
            }
        })
    }

    /// Runs the selected rules over `doc`. Findings come sorted as the
    /// command line prints them; a `# tally-allow: ID — reason` annotation in
    /// the document accepts the findings of rule `ID` on its line, and a
    /// faulty annotation is itself a finding (rule `allow`). Rules that read
    /// an `input` see it absent; parameters keep their defaults.
    pub fn check(&self, doc: &Document) -> Report {
        let program = &self.program;
        let doc = &doc.inner;
        let mut result = eval::check(program, doc, &self.selected);
        let accepted = accept::settle(program, self.allow_rule, doc, &mut result, |_| false);
        sort_findings(program, doc, &mut result.findings);
        let resolve_all = |findings: &[eval::Finding]| -> Vec<Finding> {
            findings
                .iter()
                .filter_map(|f| Finding::resolve(program, doc, f))
                .collect()
        };
        Report {
            document: doc.name().to_owned(),
            findings: resolve_all(&result.findings),
            accepted: accepted
                .iter()
                .filter_map(|(f, reason)| {
                    Some(Accepted {
                        finding: Finding::resolve(program, doc, f)?,
                        reason: reason.clone(),
                    })
                })
                .collect(),
            counts: result.counts.into(),
            omitted: result
                .omitted
                .iter()
                .filter_map(|o| {
                    Some(Omitted {
                        rule: program.rules[o.rule].id.to_string(),
                        kind: FindingKind::from_internal(o.kind)?,
                        count: o.count,
                    })
                })
                .collect(),
        }
    }
}

/// The names of the bundled libraries: the first folder of each bundled file.
fn bundled_libraries() -> Vec<String> {
    let mut names: Vec<String> = BundledStore::files()
        .filter_map(|(path, _)| Some(path.strip_prefix('@')?.split_once('/')?.0.to_owned()))
        .collect();
    names.dedup();
    names
}

/// One rule file given as text, which may import bundled files.
struct TextStore<'a> {
    name: String,
    text: &'a str,
}

impl RuleStore for TextStore<'_> {
    fn list(&self, path: &str) -> Option<Listing> {
        BundledStore::names(path).then(|| BundledStore.list(path)).flatten()
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        if BundledStore::names(path) {
            BundledStore.read(path)
        } else if resolve::normalize(path) == self.name {
            Ok(self.text.as_bytes().to_vec())
        } else {
            Err("rules given as text may import only bundled files (`@…`)".to_owned())
        }
    }

    fn identity(&self, path: &str) -> String {
        resolve::normalize(path)
    }
}
