//! Evaluation a user can trust (spec §5, §7, §15): remembered calls never
//! leak another call's reads or location, faults are never hidden, no input
//! crashes the evaluator, and evaluation is bounded. Each test snapshots what
//! the user sees.

use std::time::{Duration, Instant};

mod support;
use support::{scratch_in, tally};

/// A scratch file under the target directory.
fn scratch(name: &str, contents: &str) -> String {
    scratch_in("trust", name, contents)
}

/// The finding lines of a JSON run for one rule.
fn json_findings(output: &str, rule: &str) -> Vec<String> {
    let needle = format!(r#""rule":"{rule}""#);
    output
        .lines()
        .filter(|l| l.starts_with(r#"{"type":"finding""#) && l.contains(&needle))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_remembered_helper_lists_only_the_reads_of_its_own_call() {
    let rules = scratch(
        "memo.tally",
        "fn 大(v) = v > 10\n\nrule 甲 {\n  assert 大(p + q)\n}\n\nrule 乙 {\n  assert 大(r + s)\n}\n",
    );
    let data = scratch("memo.yaml", "p: 1\nq: 2\nr: 1\ns: 2\n");
    let full = tally(&["check", "--rules", &rules, &data]);
    insta::assert_snapshot!(full);
    let full_json = tally(&["check", "--format", "json", "--rules", &rules, &data]);
    let alone_json = tally(&["check", "--format", "json", "--rule", "乙", "--rules", &rules, &data]);
    let 乙 = json_findings(&full_json, "乙");
    assert_eq!(乙.len(), 1, "{full_json}");
    assert_eq!(乙, json_findings(&alone_json, "乙"), "乙 alone differs");
}

#[test]
fn a_bundled_case_reads_the_same_with_and_without_rule_selection() {
    let case = "tests/cases/cn-budget/projects-extra-table.yaml";
    let rule = "绩效项目在项目支出中";
    let full = json_findings(&tally(&["check", "--format", "json", case]), rule);
    let alone = json_findings(&tally(&["check", "--format", "json", "--rule", rule, case]), rule);
    assert!(!full.is_empty(), "the case has findings of {rule}");
    assert_eq!(full, alone);
}

#[test]
fn two_indicators_with_the_same_unit_each_point_at_their_own_row() {
    let rules = scratch(
        "units.tally",
        "fn 单位已知(u) = u in [\"%\", \"万元\"]\n\nrule 单位 {\n  for x in 指标 {\n    assert 单位已知(indicator(x.指标值).unit)\n  }\n}\n",
    );
    let data = scratch("units.yaml", "指标:\n  - 指标值: 5件\n  - 指标值: 7件\n");
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}

#[test]
fn a_remembered_builtin_error_points_at_its_own_call() {
    let rules = scratch(
        "builtin-span.tally",
        "rule 一 {\n  assert number(名) == 1\n}\n\nrule 二 {\n  assert 1 == number(名)\n}\n",
    );
    let data = scratch("builtin-span.yaml", "名: abc\n");
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}

#[test]
fn a_failing_at_and_failing_interpolations_are_shown() {
    let rules = scratch(
        "at.tally",
        "rule 三 {\n  assert a == 2\n    message \"值 {缺.少} 与 {a / 0}\"\n    at a.b.c\n}\n",
    );
    let data = scratch("at.yaml", "a: 1\n");
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}

#[test]
fn a_false_comparison_inside_exists_is_not_the_findings() {
    let rules = scratch("exists.tally", "rule 四 {\n  assert exists(a == 1) and false\n}\n");
    let data = scratch("exists.yaml", "a: 2\n");
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}

/// The message explains the assertion's own comparison: a comparison inside
/// `at` that came out false is not it. It was ("b == 3 is false, since
/// (a == 1): a is 2"), and a fuzzer found the message differing with and
/// without the evaluator's shortcuts when `at` read a file-level `let`.
#[test]
fn a_false_comparison_inside_at_is_not_the_findings() {
    let rules = scratch(
        "at-compare.tally",
        "let h = (a == 1) * 1

rule 五 {
  assert b == 3 at (a == 1) * 1
}

rule 六 {
  assert false at h
}
",
    );
    let data = scratch(
        "at-compare.yaml",
        "a: 2
b: 4
",
    );
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}

#[test]
fn rounding_with_28_decimals_and_huge_values_never_panics() {
    let rules = scratch(
        "rounding.tally",
        "rule 舍入 {\n  assert 小 == 小 within rounding\n  assert 小 == 0 within rounding\n  assert 大 * 7 == 负大 * 7 within rounding\n  assert 大 * 7 == 负大 * 7 within 1\n}\n",
    );
    let data = scratch(
        "rounding.yaml",
        "小: 0.1234567890123456789012345678\n大: 9999999999999999999999999999\n负大: -9999999999999999999999999999\n",
    );
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}

#[test]
fn a_negative_literal_tolerance_is_a_load_error() {
    let rules = scratch("negative.tally", "rule 负 {\n  assert a == a within -1\n}\n");
    let data = scratch("negative.yaml", "a: 1\n");
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}

#[test]
fn a_negative_computed_tolerance_is_a_type_error() {
    let rules = scratch(
        "negative-computed.tally",
        "rule 负 {\n  assert a == a within 0 - a\n}\n",
    );
    let data = scratch("negative-computed.yaml", "a: 1\n");
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}

#[test]
fn data_numbers_stop_at_28_digits_as_rule_numbers_do() {
    let rules = scratch(
        "digits.tally",
        "rule 位数 {\n  assert 二十八位 == 2345678901234567890123456789\n  assert 二十九位 == 二十九位\n}\n",
    );
    let data = scratch(
        "digits.yaml",
        "二十八位: 2345678901234567890123456789\n二十九位: 12345678901234567890123456789\n",
    );
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
    // And in the rules: the same 29 digits do not load.
    let literal = scratch(
        "digits-literal.tally",
        "rule 位数 {\n  assert 1 == 12345678901234567890123456789\n}\n",
    );
    let out = tally(&["check", "--rules", &literal, &data]);
    assert!(out.starts_with("exit: 2"), "{out}");
    assert!(out.contains("more than 28 significant digits"), "{out}");
}

/// `let l0 = 1`, `let lN = lN-1 + 1`… and a rule reading the last one.
fn let_chain(length: usize) -> String {
    let mut text = String::from("let l0 = 1\n");
    for i in 1..length {
        text.push_str(&format!("let l{i} = l{} + 1\n", i - 1));
    }
    text.push_str(&format!("\nrule 链 {{\n  assert l{} == {length}\n}}\n", length - 1));
    text
}

#[test]
fn a_chain_of_256_definitions_runs_and_257_is_a_load_error() {
    let data = scratch("chain.yaml", "a: 1\n");
    let ok = scratch("chain-256.tally", &let_chain(256));
    let out = tally(&["check", "--rules", &ok, &data]);
    assert!(out.starts_with("exit: 0"), "{out}");
    let deep = scratch("chain-257.tally", &let_chain(257));
    insta::assert_snapshot!(tally(&["check", "--rules", &deep, &data]));
}

/// `fn f0(x) = x`, then `fn fN(x) = <fN-1(x) wrapped>` up to `f{length-1}`,
/// and a rule `深` asserting `assertion`.
fn fn_chain(length: usize, wrap: impl Fn(String) -> String, assertion: &str) -> String {
    let mut text = String::from("fn f0(x) = x\n");
    for i in 1..length {
        text.push_str(&format!("fn f{i}(x) = {}\n", wrap(format!("f{}(x)", i - 1))));
    }
    text.push_str(&format!("\nrule 深 {{\n  {assertion}\n}}\n"));
    text
}

/// The deepest program a load accepts: 256 `fn`s, each calling the one
/// before at the bottom of a body 254 `+`s deep (65,000 levels in all).
fn deepest_fn_chain(assertion: &str) -> String {
    fn_chain(256, |call| call + &" + 1".repeat(254), &format!("assert {assertion}"))
}

#[test]
fn the_deepest_chain_a_load_accepts_evaluates_on_the_stack_it_grows() {
    // Threads start with a small stack and grow it where evaluation steps
    // through a name; without that, this overflows it (an abort, exit 134).
    let data = scratch("deepest.yaml", "a: 1\n");
    let passes = scratch("deepest-passes.tally", &deepest_fn_chain("f255(a) == 64771"));
    let out = tally(&["check", "--rules", &passes, &data]);
    assert!(out.starts_with("exit: 0"), "{out}");
    let fails = scratch("deepest-fails.tally", &deepest_fn_chain("f255(a) < 0"));
    insta::assert_snapshot!(tally(&["check", "--rules", &fails, &data]));
    let explained = tally(&["explain", "--rules", &fails, "深", &data]);
    assert!(explained.starts_with("exit: 1"), "{explained}");
    assert!(explained.contains("in fn f255(1):"), "{explained}");
    // Explaining evaluates each of the 65,000 levels again: the explanation
    // has a budget of its own (a tenth of an assertion's) and says where it
    // stopped; the assertion's own outcome is unchanged.
    assert!(
        explained.contains("<not explained: more than 1000000 steps to explain this assertion>"),
        "{explained}"
    );
    assert!(
        explained.contains("1 assertion: 0 passed, 1 violated, 0 indeterminate, 0 errors"),
        "{explained}"
    );
}

#[test]
fn a_list_nested_thirty_thousand_deep_is_shown_compared_and_made_unique() {
    // 255 `fn`s, each wrapping the last in 120 brackets: a value nested
    // 30,600 deep, shown in a message (cut at 200 characters). Writing it
    // whole recursed once per level and overflowed the test build's stack;
    // so did comparing it with itself (`==` descends both). Made unique too
    // (hashing descends it).
    let text = fn_chain(
        256,
        |call| format!("{}{call}{}", "[".repeat(120), "]".repeat(120)),
        "assert f255(a) == 1\n  assert f255(a) != f255(a)\n  assert count(unique([f255(a), f255(a)])) == 2",
    );
    let rules = scratch("nested-list.tally", &text);
    let data = scratch("nested-list.yaml", "a: 1\n");
    let out = tally(&["check", "--format", "json", "--rules", &rules, &data]);
    assert!(out.starts_with("exit: 1"), "{out}");
    assert!(out.contains("cannot compare a list [[[[[[[["), "{out}");
    assert!(out.contains("[[[[… with a number 1 using `==`"), "{out}");
    assert!(
        out.contains(r#""assertions":3,"passed":0,"violations":2,"indeterminate":0,"errors":1"#),
        "{out}"
    );
}

#[test]
fn two_thousand_chained_lets_or_fns_are_a_load_error_not_a_crash() {
    let data = scratch("chain.yaml", "a: 1\n");
    let lets = scratch("chain-2000.tally", &let_chain(2000));
    let out = tally(&["check", "--rules", &lets, &data]);
    assert!(out.starts_with("exit: 2"), "{out}");
    assert!(out.contains("`l1999` starts a chain of 2000 definitions"), "{out}");
    let fns = scratch(
        "fn-chain-2000.tally",
        &fn_chain(2000, |call| call, "assert f1999(a) == 1"),
    );
    let out = tally(&["check", "--rules", &fns, &data]);
    assert!(out.starts_with("exit: 2"), "{out}");
    assert!(out.contains("`f1999` starts a chain of 2000 definitions"), "{out}");
}

#[test]
fn an_exponential_helper_ends_as_a_limit_error() {
    let mut rules = String::from("fn g0(x) = x\n");
    for i in 1..24 {
        rules.push_str(&format!("fn g{i}(x) = g{}(x) + g{}(x)\n", i - 1, i - 1));
    }
    rules.push_str("\nrule 指数 {\n  assert g23(a) > 0\n  assert a == 1\n}\n");
    let rules = scratch("exponential.tally", &rules);
    let data = scratch("exponential.yaml", "a: 1\n");
    let started = Instant::now();
    let human = tally(&["check", "--rules", &rules, &data]);
    let json = tally(&["check", "--format", "json", "--rules", &rules, &data]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    insta::assert_snapshot!(human);
    insta::assert_snapshot!(json);
}

#[test]
fn doubling_a_list_ends_as_a_limit_error_within_bounded_memory() {
    let mut rules = String::from("let l0 = [1]\n");
    for i in 1..=28 {
        rules.push_str(&format!("let l{i} = [l{}, l{}][*][*]\n", i - 1, i - 1));
    }
    rules.push_str("\nrule 倍增 {\n  assert count(l28) > 0\n}\n");
    let rules = scratch("doubling.tally", &rules);
    let data = scratch("doubling.yaml", "a: 1\n");
    let started = Instant::now();
    let json = tally(&["check", "--format", "json", "--rules", &rules, &data]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    insta::assert_snapshot!(json);
}

/// Joining strings counts a step per byte, before the string is built: a
/// `let` chain or a `fn` chain that doubles a string ends as `limit` at once,
/// where it took over 20 s and 7 GB before.
#[test]
fn doubling_a_string_ends_as_a_limit_error_within_bounded_memory() {
    let mut lets = String::from("let s0 = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n");
    let mut fns = String::from("fn g0(x) = x + x\n");
    for i in 1..45 {
        lets.push_str(&format!("let s{i} = s{} + s{}\n", i - 1, i - 1));
        fns.push_str(&format!("fn g{i}(x) = g{}(g{}(x))\n", i - 1, i - 1));
    }
    lets.push_str("\nrule 倍增 {\n  assert len(s44) > 0\n}\n");
    fns.push_str("\nrule 倍增 {\n  assert len(g44(\"ab\")) > 0\n}\n");
    let lets = scratch("string-lets.tally", &lets);
    let fns = scratch("string-fns.tally", &fns);
    let data = scratch("string-doubling.yaml", "a: 1\n");
    let started = Instant::now();
    let by_lets = tally(&["check", "--format", "json", "--rules", &lets, &data]);
    let by_fns = tally(&["check", "--format", "json", "--rules", &fns, &data]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    insta::assert_snapshot!(format!("## lets\n{by_lets}\n## fns\n{by_fns}"));
}

/// What a rule's `let`s hold at once is bounded as one statement's work is:
/// each `let` below stays within its own step budget, but together they
/// would hold every copy (before, 200 such lets over a list of a million
/// numbers took 21 s and 5.5 GB). The `let` past the bound is a `limit`
/// error pointing at it; a `let` in a loop lets go of what it held before.
#[test]
fn what_a_rules_lets_hold_at_once_is_bounded() {
    let cell = "x".repeat(3000);
    let mut data = String::from("l:\n");
    for _ in 0..1000 {
        data.push_str(&format!("  - {cell}\n"));
    }
    let data = scratch("held.yaml", &data);
    let mut rules = String::from("rule 多份 {\n");
    for i in 0..60 {
        rules.push_str(&format!("  let a{i} = [x + \"\" for x in l]\n"));
    }
    rules.push_str("  assert len(a59) > 0\n}\n\nrule 循环 {\n  for i in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60] {\n    let b = [x + \"\" for x in l]\n    assert len(b) == 1000\n  }\n}\n");
    let rules = scratch("held.tally", &rules);
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}

/// A failed comparison inside a `fn` or a comprehension is shown whole in the
/// default message: its terms cannot be evaluated again where the message is
/// made (the `fn`'s frame is gone; the comprehension's variable holds its last
/// element). Evaluating them there showed the rule's own locals as the
/// function's parameters (`5 - 7 = -1` for `a - b` with a = 1, b = 2), or
/// crashed when the rule had no locals (found by the `generated_eval` fuzz
/// target).
#[test]
fn a_failed_comparison_in_a_fn_or_a_comprehension_shows_its_own_values() {
    let rules = scratch(
        "frames.tally",
        "fn 差(a, b) = a - b == 0\nfn 界(p, q) = (q - p) <= (p - 1000)\n\n\
         rule 差额 {\n  let x = 5\n  let y = 7\n  assert 差(甲, 乙) and x < y\n}\n\n\
         rule 无局部 {\n  assert 界(0, 0) and 丙\n}\n\n\
         rule 逐行 {\n  assert all([r.a - r.b == 0 for r in 行])\n}\n",
    );
    let data = scratch(
        "frames.yaml",
        "甲: 1\n乙: 2\n丙: true\n行:\n  - {a: 3, b: 1}\n  - {a: 2, b: 2}\n",
    );
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}

/// Reading a long `let` replays everything it read, and each replay counts
/// as steps: read 600 times, a list of 20,000 values read is out of steps.
/// The quick evaluator, which runs such statements first without recording
/// reads, must count them too (else it would pass what the full evaluation
/// stops); so must a `fn` given such a list, whose every use replays it.
#[test]
fn replayed_reads_count_as_steps_whoever_evaluates() {
    let rules = scratch(
        "replayed.tally",
        "fn 用(xs) = sum([count(xs) for i in 次])\n\n\
         rule 局部 {\n  let xs = [r.a for r in 行]\n  assert sum([count(xs) for i in 次]) > 0\n}\n\n\
         rule 参数 {\n  assert 用([r.a for r in 行]) > 0\n}\n\n\
         rule 少量 {\n  let xs = [r.a for r in 行]\n  assert count(xs) + count(xs) > 0\n}\n",
    );
    let rows = (0..20_000).map(|i| format!("  - a: {i}\n"));
    let data: String = std::iter::once("次: [".to_owned() + &vec!["0"; 600].join(", ") + "]\n行:\n")
        .chain(rows)
        .collect();
    let data = scratch("replayed.yaml", &data);
    let json = tally(&["check", "--format", "json", "--rules", &rules, &data]);
    let outcomes: Vec<String> = ["局部", "参数", "少量"]
        .iter()
        .map(|rule| {
            let kinds: Vec<&str> = json
                .lines()
                .filter(|l| l.contains(&format!(r#""rule":"{rule}""#)))
                .filter_map(|f| f.split(r#""kind":""#).nth(1)?.split('"').next())
                .collect();
            format!(
                "{rule}: {}",
                if kinds.is_empty() {
                    "passes".to_owned()
                } else {
                    kinds.join(",")
                }
            )
        })
        .collect();
    assert_eq!(outcomes, ["局部: limit", "参数: limit", "少量: passes"], "{json}");
}

#[test]
fn parallel_workers_have_the_deep_stack_too() {
    // 200 helpers, each nesting its call 100 `+` deep: far more recursion
    // than a default 2 MiB thread stack holds.
    let mut rules = String::from("fn h0(x) = x\n");
    for i in 1..200 {
        let nested = format!("{}h{}(x){}", "0 + (".repeat(100), i - 1, ")".repeat(100));
        rules.push_str(&format!("fn h{i}(x) = {nested}\n"));
    }
    rules.push_str("\nrule 深 {\n  assert h199(a) == 1\n}\n");
    let rules = scratch("deep-stack.tally", &rules);
    let one = scratch("deep-stack-1.yaml", "a: 1\n");
    let two = scratch("deep-stack-2.yaml", "a: 2\n");
    insta::assert_snapshot!(tally(&["check", "--jobs", "2", "--rules", &rules, &one, &two]));
}

#[test]
fn lists_that_share_their_parts_are_cheap_to_build_and_use() {
    // l60 has 2⁶⁰ leaves but 61 lists in memory: building and counting it
    // must not walk the leaves.
    let mut rules = String::from("let l0 = [1]\n");
    for i in 1..=60 {
        rules.push_str(&format!("let l{i} = [l{}, l{}]\n", i - 1, i - 1));
    }
    rules.push_str("\nrule 共享 {\n  assert count(l60) == 2\n  assert [1] in [l60]\n}\n");
    let rules = scratch("shared.tally", &rules);
    let data = scratch("shared.yaml", "a: 1\n");
    let started = Instant::now();
    let json = tally(&["check", "--format", "json", "--rules", &rules, &data]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    insta::assert_snapshot!(json);
}
