//! Tally: `benches/fifteen.tally` as it is in the repository, over the
//! document read by Tally's own loaders (YAML, and JSON through its JSON
//! reader). Its verdicts are exact: the reference every peer is judged by.

use tally::unstable::data::Document;
use tally::unstable::eval::DocumentResult;
use tally::unstable::resolve::{load_program, MemoryStore, Program};

use crate::checks::Verdict;

const RULES: &str = include_str!("../../benches/fifteen.tally");
const RULE_FILE: &str = "fifteen.tally";
/// The rule with one assertion per procurement row.
const PER_ROW_RULE: &str = "采购单价";
const ROWS: &str = "政府采购.表.明细[";

pub struct Tally {
    program: Option<Program>,
    /// Every rule of the program.
    all: Vec<usize>,
    doc: Option<Document>,
}

impl Tally {
    pub fn new() -> Self {
        Tally {
            program: None,
            all: Vec::new(),
            doc: None,
        }
    }

    pub fn compile(&mut self) {
        let store = MemoryStore(vec![(RULE_FILE.into(), RULES.into())]);
        let program = load_program(&store, &[RULE_FILE.into()]).expect("fifteen.tally loads");
        self.all = (0..program.rules.len()).collect();
        self.program = Some(program);
    }

    pub fn doc(&self) -> &Document {
        self.doc.as_ref().expect("loaded first")
    }

    /// How many procurement rows the loaded document has.
    pub fn rows(&self) -> usize {
        let doc = self.doc();
        let list = ROWS
            .trim_end_matches('[')
            .split('.')
            .try_fold(doc.root(), |node, key| doc.get(node, key));
        match list.map(|node| doc.value(node)) {
            Some(tally::unstable::data::NodeValue::List(items)) => items.len(),
            _ => panic!("the example has procurement rows"),
        }
    }

    /// Loads `text` as `name` (its extension picks the reader) and keeps it.
    pub fn load(&mut self, name: &str, text: &str) {
        self.doc = Some(tally::unstable::input::load_text(name, text.to_owned()).expect("the example loads"));
    }

    pub fn check(&self) -> DocumentResult {
        let program = self.program.as_ref().expect("compiled first");
        tally::unstable::eval::check(program, self.doc(), &self.all)
    }

    /// One name per check, in the order of `benches/fifteen.tally` (the order
    /// the peers' policies follow): the rule's name, and the row for the
    /// per-row rule.
    pub fn check_names(&self, rows: usize) -> Vec<String> {
        let program = self.program.as_ref().expect("compiled first");
        let mut names = Vec::new();
        for rule in &program.rules {
            if &*rule.id == PER_ROW_RULE {
                names.extend((0..rows).map(|i| format!("{PER_ROW_RULE} {ROWS}{i}]")));
            } else {
                names.push(rule.id.to_string());
            }
        }
        names
    }

    /// Tally's verdict per check, from the findings of `result`: a check
    /// passed when no finding is about it. Every assertion must have run.
    /// Checks are found by position (each rule's first check, plus the row
    /// for the per-row rule), as the peers' results are read: formatting
    /// `check_names` here would time string building, not evaluation.
    pub fn verdicts(&self, result: &DocumentResult, rows: usize) -> Vec<Verdict> {
        let program = self.program.as_ref().expect("compiled first");
        let mut first_check = Vec::with_capacity(program.rules.len());
        let mut checks = 0;
        for rule in &program.rules {
            first_check.push(checks);
            checks += if &*rule.id == PER_ROW_RULE { rows } else { 1 };
        }
        assert_eq!(result.counts.assertions, checks, "Tally ran one assertion per check");
        let mut passed = vec![true; checks];
        for finding in &result.findings {
            let row = if &*program.rules[finding.rule].id == PER_ROW_RULE {
                finding
                    .values
                    .iter()
                    .find_map(|read| read.path.strip_prefix(ROWS)?.split(']').next()?.parse::<usize>().ok())
                    .expect("a per-row finding reads its row")
            } else {
                0
            };
            passed[first_check[finding.rule] + row] = false;
        }
        passed.into_iter().map(Some).collect()
    }
}

/// `json` read the way Tally read JSON before it had a JSON reader: through
/// the YAML parser (JSON is YAML).
pub fn load_json_through_yaml(json: &str) -> Document {
    let source = tally::unstable::source::SourceFile::new("huailai-2024.json", json.to_owned());
    tally::unstable::data::load_yaml(source, tally::unstable::data::Limits::default()).expect("the JSON loads as YAML")
}

/// `doc` (loaded from YAML) written as compact JSON, numbers as their literal
/// text: the one conversion every JSON reader here is fed.
pub fn as_json(doc: &Document) -> String {
    doc.to_compact_json()
}
