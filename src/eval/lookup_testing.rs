//! The exact lookups' tests (containment.rs, exact_keys.rs): a run as a
//! statement made exact runs, and a property test comparing each lookup
//! with the scan over generated rules and data.

use proptest::prelude::*;

use super::{outcome::DocumentResult, test_inputs, Evaluator};
use crate::data::{Document, NodeId};
use crate::resolve::program::Program;

/// Everything a run yields that a lookup must give as the scan does: the
/// result, and the last statement's steps, reads in order and failed
/// comparison.
#[derive(Debug, PartialEq)]
pub(super) struct ExactRun {
    pub result: String,
    pub steps: u64,
    pub reads: Vec<NodeId>,
    pub failed: String,
}

/// Every rule of `program` over `doc` as a statement made exact runs (no
/// hash indexes, no quick evaluator: a replayed call pushes its reads), with
/// the exact lookups or without (the reference scan); and how many filters
/// a lookup answered.
pub(super) fn exact_run(program: &Program, doc: &Document, lookups: bool) -> (ExactRun, u64) {
    let mut evaluator = Evaluator::new(program, doc);
    evaluator.use_quick = false;
    evaluator.use_index = false;
    evaluator.exact_lookups = lookups;
    let mut result = DocumentResult::default();
    for rule in 0..program.rules.len() {
        evaluator.run_rule(rule, &mut result);
    }
    let failed = evaluator
        .failed_compare
        .as_ref()
        .map(|c| format!("{:?} {:?} {:?}", c.lhs, c.rhs, c.rhs_reads));
    let run = ExactRun {
        result: format!("{result:#?}"),
        steps: evaluator.steps,
        reads: evaluator.reads.clone(),
        failed: format!("{failed:?}"),
    };
    (run, evaluator.looked_up)
}

/// `prelude`, then `[body for q in 项目 if filter]` in a `fn` called per
/// probe, in a rule-level `let`, and (last, so that its steps and reads are
/// the ones compared) directly in an assertion; over projects named `names`
/// and the probes `来源` (YAML scalars).
pub(super) fn generated(
    prelude: &str,
    (body, filter, at_least): (&str, &str, usize),
    names: &[String],
    probes: &[String],
) -> (Program, Document) {
    let rules = format!(
        "{prelude}fn 找(s) = [{body} for q in 项目 if {filter}]\n\
         rule 甲 {{\n  for s in 来源 {{\n    assert count(找(s)) >= {at_least}\n  }}\n}}\n\
         rule 丙 {{\n  let s = 来源[0]\n  let 找到 = [{body} for q in 项目 if {filter}]\n  \
         assert count(找到) >= {at_least}\n}}\n\
         rule 乙 {{\n  let s = 来源[0]\n  assert count([{body} for q in 项目 if {filter}]) >= {at_least}\n}}\n"
    );
    let rows: String = names.iter().map(|n| format!("  - {{名称: {n}}}\n")).collect();
    test_inputs(&rules, format!("项目:\n{rows}来源: [{}]\n", probes.join(", ")))
}

/// Names over three characters with an optional suffix, so that stems and
/// containment are common; now and then a number (which `contains` cannot
/// take, and whose kind clashes with a string probe): YAML scalars.
fn name() -> impl Strategy<Value = String> {
    let text = (
        proptest::collection::vec(prop_oneof![Just('甲'), Just('乙'), Just('丙')], 0..3),
        any::<bool>(),
    )
        .prop_map(|(chars, suffix)| {
            let stem: String = chars.into_iter().collect();
            format!("\"{stem}{}\"", if suffix { "经费" } else { "" })
        });
    prop_oneof![8 => text, 1 => Just("7".to_owned())]
}

/// A file-level `let` for guards (counted once per statement) and a
/// remembered `fn` for computed keys.
const PRELUDE: &str = "let 要找 = count(来源) > 0\n\
                       fn 干(x) = find(trim(text(x ?? \"\")), \"^(.*?)(?:经费)?$\")\n";

/// The filters: containment (containment.rs), then equality (exact_keys.rs).
const FILTERS: [&str; 10] = [
    "contains(text(q.名称), s) or contains(s, text(q.名称))",
    "contains(s, q.名称) or contains(q.名称, s)",
    "contains(q.名称, s)",
    "要找 and contains(s, text(q.名称))",
    "要找 and (contains(q?.名称, s) or contains(s, q?.名称))",
    "干(q.名称) == 干(s)",
    "q.名称 == s",
    "s == q?.名称",
    "要找 and 干(q.名称) == s",
    "干(s) != \"\" and 干(s) == 干(q.名称)",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Over generated names and probes, each filter a lookup answers gives
    /// what the scan gives: the findings, and the last statement's steps,
    /// every read in order and its failed comparison.
    #[test]
    fn generated_filters_give_the_scans_reads_steps_and_failed_comparison(
        names in proptest::collection::vec(name(), 1..12),
        probes in proptest::collection::vec(name(), 1..4),
        filter in 0..FILTERS.len(),
        whole_element in any::<bool>(),
        at_least in 0..3usize,
    ) {
        let body = if whole_element { "q" } else { "q.名称" };
        let (program, doc) = generated(PRELUDE, (body, FILTERS[filter], at_least), &names, &probes);
        let scan = exact_run(&program, &doc, false).0;
        prop_assert_eq!(exact_run(&program, &doc, true).0, scan);
    }
}

/// The case the property test first found: a lookup gave up (the probe is
/// a number) after its guard had counted a file-level `let`, which the scan
/// after it then counted nowhere (16 steps against 12).
#[test]
fn a_lookup_that_gives_up_leaves_the_counting_to_the_scan() {
    let names = ["\"\"".to_owned()];
    let (program, doc) = generated(PRELUDE, ("q.名称", FILTERS[3], 0), &names, &["7".to_owned()]);
    assert_eq!(exact_run(&program, &doc, true).0, exact_run(&program, &doc, false).0);
}
