//! The bodies of the fuzz targets in `fuzz/`, kept here so that the corpus
//! replay test (`tests/fuzz_corpus.rs`) runs exactly what the fuzzer ran.
//! Each function takes the fuzzer's raw bytes and panics on a bug.

use crate::data::{Document, NodeId};
use crate::eval::{self, DocumentResult};
use crate::report::human::{Renderer, WithSource};
use crate::resolve::{self, MemoryStore, Program};
use crate::syntax::ast::{File, Item, MetaKind};
use crate::{format, input, report, syntax};

/// The finding kinds an assertion that did not pass may end in (passed and
/// skipped, an assertion that reads an absent optional input, are the other
/// outcomes: neither is a finding).
const FINDING_KINDS: [&str; 5] = ["violation", "missing", "type", "arithmetic", "limit"];

/// Rule text → parse → resolve (→ evaluate over a small document) → `fmt`:
/// formatting keeps the syntax tree and is idempotent; load errors render.
pub fn rules_round_trip(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match load_rules(text) {
        Ok(program) => {
            let doc = small_document();
            check_result(&program, &doc, &run_all(&program, &doc));
        }
        Err(rendered) => assert!(!rendered.is_empty()),
    }
    let Ok(tree) = syntax::parse(0, text) else {
        return;
    };
    let once = format::format(text).expect("text that parses formats");
    let reparsed = syntax::parse(0, &once)
        .unwrap_or_else(|e| panic!("formatted text does not parse: {e:?}\n--- formatted:\n{once}"));
    assert_eq!(
        canonical(tree),
        canonical(reparsed),
        "formatting changed the syntax tree\n--- formatted:\n{once}"
    );
    let twice = format::format(&once).expect("formatted text formats");
    assert_eq!(once, twice, "formatting is not idempotent");
    // The one scanner beside pest cuts the text into pieces that cover it in
    // order, and every comment it finds is kept by `fmt`.
    let pieces = syntax::lexicon::pieces(text);
    let mut at = 0;
    for piece in &pieces {
        assert_eq!(piece.start, at, "pieces leave a gap: {pieces:?}");
        assert!(piece.end > piece.start, "an empty piece: {pieces:?}");
        at = piece.end;
    }
    assert_eq!(at, text.len(), "pieces stop short: {pieces:?}");
    for comment in pieces.iter().filter(|p| p.kind == syntax::lexicon::PieceKind::Comment) {
        let comment = text[comment.start..comment.end].trim_end();
        assert!(
            once.contains(comment),
            "fmt lost the comment {comment:?}\n--- formatted:\n{once}"
        );
    }
}

/// YAML or JSON text → loader: loads or fails with a diagnostic that renders;
/// every node of a loaded document has a path and a span inside the text.
pub fn data_load(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match input::load_text("fuzz.yaml", text.to_owned()) {
        Ok(doc) => check_document(&doc, text),
        Err(failure) => assert!(!Renderer::new(false).render(&failure).is_empty()),
    }
}

/// Generated rules over a generated document → evaluation: no panic, every
/// assertion counted once in one of the outcomes, every finding renders, and
/// the findings do not depend on which rules ran or on the hash indexes.
pub fn generated_eval(bytes: &[u8]) {
    let (rules, data) = generate(bytes);
    evaluate_texts(&rules, &data);
}

/// The rule and data text [`generated_eval`] makes of `bytes` (for triage).
pub fn generate(bytes: &[u8]) -> (String, String) {
    let mut gen = Gen { bytes, at: 0 };
    let data = gen.document();
    let rules = gen.rule_file();
    (rules, data)
}

/// Loads and evaluates `rules` over `data`, checking the outcome is sound.
pub fn evaluate_texts(rules: &str, data: &str) {
    let Ok(program) = load_rules(rules) else {
        return;
    };
    let Ok(doc) = input::load_text("fuzz.yaml", data.to_owned()) else {
        return;
    };
    let full = run_all(&program, &doc);
    check_result(&program, &doc, &full);
    check_independent(&program, &doc, &full);
}

/// The program, or its load errors rendered as a user sees them.
fn load_rules(text: &str) -> Result<Program, String> {
    let store = MemoryStore(vec![("fuzz.tally".into(), text.into())]);
    resolve::load_program(&store, &["fuzz.tally".into()]).map_err(|failure| {
        let renderer = Renderer::new(false);
        let mut out = String::new();
        for error in &failure.errors {
            out += &match error.file() {
                Some(file) => renderer.render(&WithSource {
                    inner: error,
                    source: failure.sources[file as usize].named_source(),
                }),
                None => renderer.render(error),
            };
        }
        out
    })
}

fn run_all(program: &Program, doc: &Document) -> DocumentResult {
    let all: Vec<usize> = (0..program.rules.len()).collect();
    eval::check(program, doc, &all)
}

/// Spec §15: each rule run alone finds exactly what it found in the full run,
/// byte for byte as a report shows it (the function memo replays reads across
/// rules), and the outcomes of the runs alone add up to the full run's. The
/// hash indexes are an optimisation: without them every filter scans, and the
/// findings are the same; so are they with the rules shared between threads.
/// Used by `generated_eval` and by the property test over edited examples
/// (`tests/selection.rs`). Panics on a difference.
pub fn check_independent(program: &Program, doc: &Document, full: &DocumentResult) {
    let shown = |result: &DocumentResult, rule: Option<usize>| -> Vec<String> {
        result
            .findings
            .iter()
            .filter(|f| rule.is_none_or(|r| f.rule == r))
            .map(|f| report::json::finding(program, doc, f))
            .collect()
    };
    let mut counts = eval::Counts::default();
    for rule in 0..program.rules.len() {
        let alone = eval::check(program, doc, &[rule]);
        assert_eq!(
            shown(&alone, None),
            shown(full, Some(rule)),
            "rule {} alone finds what it found in the full run",
            program.rules[rule].id
        );
        counts.add(alone.counts);
    }
    assert_eq!(counts, full.counts, "the runs alone add up to the full run");
    let all: Vec<usize> = (0..program.rules.len()).collect();
    let walked = eval::check_configured(program, doc, &all, &eval::Bindings::default(), eval::Shortcuts::NONE);
    assert_eq!(
        shown(&walked, None),
        shown(full, None),
        "indexes and quick forms change no finding"
    );
    assert_eq!(walked.counts, full.counts);
    let bindings = eval::Bindings::default();
    let zero = std::time::Duration::ZERO;
    let shared = eval::check_on_threads(program, doc, &all, &bindings, eval::Shortcuts::ALL, 2, zero);
    assert_eq!(
        shown(&shared, None),
        shown(full, None),
        "the rules shared between two threads find what one thread finds"
    );
    assert_eq!(shared.counts, full.counts);
}

fn small_document() -> Document {
    let text = "a: 1\nb: 2.50\nc: [1, 2.0, x]\nd: {e: null, f: \"25%\"}\n明细: [{金额: 3.5, 数量: 2}]\n";
    input::load_text("fuzz.yaml", text.to_owned()).expect("the fixed document loads")
}

/// Counts add up, findings are of a known kind, name values of the document
/// and render as human text and as JSON.
fn check_result(program: &Program, doc: &Document, result: &DocumentResult) {
    let c = result.counts;
    assert_eq!(
        c.assertions,
        c.passed + c.violations + c.indeterminate + c.errors + c.skipped,
        "every assertion ends in exactly one outcome: {c:?}"
    );
    assert_eq!(
        c.assertions - c.passed - c.skipped,
        result.findings.len(),
        "one finding per outcome other than passed and skipped"
    );
    let renderer = Renderer::new(false);
    for finding in &result.findings {
        assert!(
            FINDING_KINDS.contains(&finding.kind.as_str()),
            "unknown kind {}",
            finding.kind.as_str()
        );
        assert!(finding.rule < program.rules.len());
        assert!(finding.primary.is_none_or(|i| i < finding.values.len()));
        for read in &finding.values {
            assert!((read.node.0 as usize) < doc.node_count());
            assert_eq!(read.path, doc.path(read.node));
        }
        assert!(!renderer.finding(program, doc, finding).is_empty());
        assert!(!report::json::finding(program, doc, finding).is_empty());
    }
}

fn check_document(doc: &Document, text: &str) {
    for id in (0..doc.node_count()).map(|i| NodeId(i as u32)) {
        let range = doc.byte_range(id);
        assert!(
            range.start <= range.end && range.end <= text.len(),
            "span {range:?} outside the text"
        );
        assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        let _ = doc.raw(id);
        let _ = doc.location(id);
        let _ = doc.path(id);
    }
}

/// The tree with each rule's metadata in the canonical order, the one
/// change of order `fmt` makes.
fn canonical(mut file: File) -> File {
    for item in &mut file.items {
        if let Item::Rule(rule) = item {
            rule.meta.sort_by_key(|m| match m.kind {
                MetaKind::Title(_) => 0,
                MetaKind::Severity(_) => 1,
                MetaKind::Cite(_) => 2,
                MetaKind::Tags(_) => 3,
            });
        }
    }
    file
}

/// Reads choices from the fuzzer's bytes; once they run out every choice is
/// the first, which always ends the text (leaves, no more statements).
struct Gen<'a> {
    bytes: &'a [u8],
    at: usize,
}

const KEYS: [&str; 8] = ["a", "b", "c", "明细", "金额", "数量", "x", "3月底"];
const NUMBERS: [&str; 14] = [
    "0",
    "1",
    "-1",
    "2.50",
    "0.005",
    "24.5",
    "80.00",
    "1537.92",
    "0.0000000000000000000000000001",
    "7.9228162514264337593543950335",
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "1000000000000000000000000000",
    "12345678901234567890123456789012",
];
const STRINGS: [&str; 8] = ["", "abc", "25%", "1,537.92", "≥90%", "≤80万元", "100百分比", "{x}"];
const BUILTINS: [(&str, usize); 24] = [
    ("sum", 1),
    ("count", 1),
    ("len", 1),
    ("min", 1),
    ("max", 1),
    ("avg", 1),
    ("all", 1),
    ("any", 1),
    ("abs", 1),
    ("round", 2),
    ("number", 1),
    ("exists", 1),
    ("keys", 1),
    ("values", 1),
    ("unique", 1),
    ("contains", 2),
    ("starts_with", 2),
    ("ends_with", 2),
    ("trim", 1),
    ("matches", 2),
    ("find", 2),
    ("indicator", 1),
    ("f", 2),
    ("g", 1),
];
const BINARY: [&str; 17] = [
    "+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "and", "or", "??", "in", "matches", "==", "!=",
];

impl Gen<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }

    fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
        from[self.below(from.len())]
    }

    fn exhausted(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// A flow-style YAML document: a map of the known keys.
    fn document(&mut self) -> String {
        let mut out = String::from("{");
        let entries = 1 + self.below(KEYS.len());
        for i in 0..entries {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("\"{}\": ", KEYS[(i + self.below(3)) % KEYS.len()]));
            self.data_value(3, &mut out);
        }
        out.push('}');
        out
    }

    fn data_value(&mut self, depth: usize, out: &mut String) {
        let choice = if depth == 0 || self.exhausted() {
            self.below(5)
        } else {
            self.below(8)
        };
        match choice {
            0 | 1 => out.push_str(self.pick(&NUMBERS)),
            2 => out.push_str(&format!("{:?}", self.pick(&STRINGS))),
            3 => out.push_str(self.pick(&["null", "true", "false"])),
            4 => out.push_str(&format!("{}.{}", self.below(1000), "0".repeat(self.below(29)))),
            5 | 6 => {
                out.push('[');
                for i in 0..self.below(4) {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.data_value(depth - 1, out);
                }
                out.push(']');
            }
            _ => {
                out.push('{');
                for i in 0..self.below(4) {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&format!("\"{}\": ", self.pick(&KEYS)));
                    self.data_value(depth - 1, out);
                }
                out.push('}');
            }
        }
    }

    /// Two functions, a file-level `let`, then rules of generated statements.
    fn rule_file(&mut self) -> String {
        let mut out = String::new();
        out.push_str(&format!("fn f(p, q) = {}\n", self.expr(2, &["p", "q"])));
        out.push_str(&format!("fn g(p) = {}\n", self.expr(2, &["p"])));
        out.push_str(&format!("let h = {}\n", self.expr(2, &[])));
        for n in 0..1 + self.below(3) {
            out.push_str(&format!("rule r{n} {{\n"));
            self.statements(2, &mut Vec::new(), &mut out);
            out.push_str("}\n");
        }
        out
    }

    fn statements(&mut self, depth: usize, locals: &mut Vec<String>, out: &mut String) {
        let count = 1 + self.below(3);
        let base = locals.len();
        for _ in 0..count {
            let names: Vec<&str> = locals.iter().map(String::as_str).collect();
            let choice = if depth == 0 { self.below(2) } else { self.below(5) };
            match choice {
                0 => {
                    let cond = self.expr(3, &names);
                    out.push_str(&format!("assert {cond}"));
                    if self.below(2) == 1 {
                        let shown = self.expr(1, &names);
                        out.push_str(&format!(" message \"m {{{shown}}}\""));
                    }
                    if self.below(3) == 2 {
                        let at = self.path(&names);
                        out.push_str(&format!(" at {at}"));
                    }
                    out.push('\n');
                }
                1 => {
                    let value = self.expr(3, &names);
                    let name = format!("l{}", locals.len());
                    out.push_str(&format!("let {name} = {value}\n"));
                    locals.push(name);
                }
                2 | 3 => {
                    let list = self.expr(2, &names);
                    let name = format!("l{}", locals.len());
                    let (binding, added) = if self.below(2) == 0 {
                        (name.clone(), vec![name])
                    } else {
                        let key = format!("k{}", locals.len());
                        (format!("{key}, {name}"), vec![key, name])
                    };
                    out.push_str(&format!("for {binding} in {list} {{\n"));
                    let before = locals.len();
                    locals.extend(added);
                    self.statements(depth - 1, locals, out);
                    locals.truncate(before);
                    out.push_str("}\n");
                }
                _ => {
                    let cond = self.expr(2, &names);
                    out.push_str(&format!("when {cond} {{\n"));
                    self.statements(depth - 1, locals, out);
                    out.push_str("}\n");
                }
            }
        }
        locals.truncate(base);
    }

    /// A name: a local where there are some, else a data key or the global.
    fn name(&mut self, locals: &[&str]) -> String {
        if !locals.is_empty() && self.below(2) == 0 {
            return locals[self.below(locals.len())].to_owned();
        }
        match self.below(KEYS.len() + 2) {
            i if i < KEYS.len() && KEYS[i].starts_with(|c: char| c.is_ascii_digit()) => "$[\"3月底\"]".to_owned(),
            i if i < KEYS.len() => KEYS[i].to_owned(),
            i if i == KEYS.len() => "h".to_owned(),
            _ => "$".to_owned(),
        }
    }

    fn path(&mut self, locals: &[&str]) -> String {
        let mut path = self.name(locals);
        for _ in 0..self.below(3) {
            let key = self.pick(&KEYS);
            match self.below(6) {
                0 => path.push_str(&format!("[\"{key}\"]")),
                1 => path.push_str(&format!("[{}]", self.below(5) as i64 - 2)),
                2 => path.push_str("[*]"),
                3 if !key.starts_with(|c: char| c.is_ascii_digit()) => path.push_str(&format!("?.{key}")),
                _ if !key.starts_with(|c: char| c.is_ascii_digit()) => path.push_str(&format!(".{key}")),
                _ => path.push_str("[0]"),
            }
        }
        path
    }

    /// A filter of a shape the evaluator answers from an index or a lookup
    /// (`eval::index`, `eval::containment`, `eval::exact_keys`): a key of the
    /// element `it` compared with, or tested for containment against, a
    /// probe that does not read it, perhaps after a guard.
    fn lookup_filter(&mut self, depth: usize, locals: &[&str]) -> String {
        let field = self.pick(&KEYS[..7]);
        let key = match self.below(4) {
            0 => format!("it.{field}"),
            1 => format!("it?.{field}"),
            2 => format!("text(it.{field})"),
            _ => format!("g(it.{field})"),
        };
        let probe = self.expr(depth, locals);
        let test = match self.below(5) {
            0 => format!("{key} == {probe}"),
            1 => format!("{probe} == {key}"),
            2 => format!("contains({key}, {probe})"),
            3 => format!("contains({probe}, {key})"),
            _ => format!("(contains({key}, {probe}) or contains({probe}, {key}))"),
        };
        match self.below(3) {
            0 => format!("{} and {test}", self.expr(depth, locals)),
            _ => test,
        }
    }

    fn expr(&mut self, depth: usize, locals: &[&str]) -> String {
        let choice = if depth == 0 || self.exhausted() {
            self.below(4)
        } else {
            self.below(12)
        };
        match choice {
            0 => self.pick(&NUMBERS).to_owned(),
            1 | 2 => self.path(locals),
            3 => match self.below(4) {
                0 => format!("{:?}", self.pick(&STRINGS)),
                1 => format!("{}%", self.below(200)),
                _ => self.pick(&["true", "false", "null"]).to_owned(),
            },
            4..=6 => {
                let op = self.pick(&BINARY);
                let (lhs, rhs) = (self.expr(depth - 1, locals), self.expr(depth - 1, locals));
                let within = match self.below(6) {
                    _ if !matches!(op, "==" | "!=") => String::new(),
                    0 | 1 => " within rounding".to_owned(),
                    2 => format!(" within {}", self.pick(&NUMBERS)),
                    _ => String::new(),
                };
                format!("({lhs} {op} {rhs}{within})")
            }
            7 => {
                let op = self.pick(&["not ", "-"]);
                format!("({op}{})", self.expr(depth - 1, locals))
            }
            8 | 9 => {
                let (name, arity) = BUILTINS[self.below(BUILTINS.len())];
                let args: Vec<String> = (0..arity).map(|_| self.expr(depth - 1, locals)).collect();
                format!("{name}({})", args.join(", "))
            }
            10 => {
                let list = self.expr(depth - 1, locals);
                let mut inner: Vec<&str> = locals.to_vec();
                inner.push("it");
                let body = self.expr(depth - 1, &inner);
                let cond = match self.below(4) {
                    0 => format!(" if {}", self.expr(depth - 1, &inner)),
                    1 => format!(" if {}", self.lookup_filter(depth - 1, locals)),
                    _ => String::new(),
                };
                format!("[{body} for it in {list}{cond}]")
            }
            _ => {
                let items: Vec<String> = (0..self.below(4)).map(|_| self.expr(depth - 1, locals)).collect();
                format!("[{}]", items.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The program of spec §15's example: two rules call one remembered
    /// function with equal values read from different places.
    fn shared_call() -> (Program, Document) {
        let rules = "fn 大(v) = v > 10\nrule 甲 {\n  assert 大(p + q)\n}\nrule 乙 {\n  assert 大(r + s)\n}\n";
        let program = load_rules(rules).expect("the rules load");
        let doc = input::load_text("fuzz.yaml", "p: 1\nq: 2\nr: 1\ns: 2\n".to_owned()).expect("loads");
        (program, doc)
    }

    #[test]
    fn each_rule_alone_finds_what_the_full_run_found() {
        let (program, doc) = shared_call();
        let full = run_all(&program, &doc);
        assert_eq!(full.findings.len(), 2);
        check_independent(&program, &doc, &full);
    }

    /// The check can fail: a full run whose second finding names the first
    /// rule's values (the memo bug spec §15 forbids) is caught.
    #[test]
    #[should_panic(expected = "rule 乙 alone finds what it found in the full run")]
    fn a_finding_that_replays_another_rules_reads_is_caught() {
        let (program, doc) = shared_call();
        let mut full = run_all(&program, &doc);
        full.findings[1].values = full.findings[0].values.clone();
        check_independent(&program, &doc, &full);
    }
}
