//! Diagnostics that teach: each names the mistake and says what to write
//! instead. Snapshots of the rendered text, as the user sees it.

mod support;
use support::{scratch_in, tally, tmp};

fn scratch(name: &str, contents: &str) -> String {
    scratch_in("diagnostics", name, contents)
}

#[test]
fn full_width_characters_in_a_rule_are_named() {
    let cases = [
        (
            "paren-left",
            "rule 甲 {\n  assert sum（支出.明细[*].金额) == 支出.合计\n}\n",
        ),
        (
            "paren-right",
            "rule 甲 {\n  assert sum(支出.明细[*].金额） == 支出.合计\n}\n",
        ),
        ("comma", "rule 甲 {\n  assert contains(名称，\"经费\")\n}\n"),
        (
            "colon",
            "rule 甲 {\n  title：\"收入\"\n  assert 收入.合计 == 支出.合计\n}\n",
        ),
        ("quote-left", "rule 甲 {\n  assert 名称 == “怀来\"\n}\n"),
        (
            "quote-right",
            "rule 甲 {\n  assert 名称 == \"怀来\" and 单位 == 怀来”\n}\n",
        ),
        ("space", "rule 甲 {\n  assert 收入.合计\u{3000}== 支出.合计\n}\n"),
    ];
    let mut out = String::new();
    for (name, rule) in cases {
        let file = scratch(&format!("{name}.tally"), rule);
        out.push_str(&tally(&["lint", &file]));
        out.push('\n');
    }
    for hint in ["U+FF08", "U+FF09", "U+FF0C", "U+FF1A", "U+201C", "U+201D", "U+3000"] {
        assert!(out.contains(hint), "no hint names {hint}:\n{out}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn a_string_compared_with_a_number_suggests_how_to_read_it() {
    let rules = scratch(
        "compare.tally",
        "rule 文字金额 {\n  assert 文字 == 1537.92\n}\n\nrule 指标比较 {\n  assert 指标 >= 0.9\n}\n\nrule 文字说明 {\n  assert 说明 == 1\n}\n",
    );
    let data = scratch("compare.yaml", "文字: \"1,537.92\"\n指标: ≥90%\n说明: 能够保障\n");
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}

#[test]
fn a_difference_rounding_explains_suggests_within_rounding() {
    let rules = scratch(
        "rounding.tally",
        "rule 占比 {\n  assert 人员经费 / 合计 == number(人员经费占比)\n}\n\nrule 合计 {\n  assert 甲 + 乙 == 合计二\n}\n\nrule 真差 {\n  assert 甲 + 乙 == 合计三\n}\n",
    );
    let data = scratch(
        "rounding.yaml",
        "人员经费: 892.12\n合计: 1177.92\n人员经费占比: 75.74%\n甲: 1.4\n乙: 2.4\n合计二: 3.9\n合计三: 4.5\n",
    );
    let out = tally(&["check", "--rules", &rules, &data]);
    // Messages wrap at the terminal's width: count across line breaks.
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(words.matches("within rounding").count(), 2, "{out}");
    insta::assert_snapshot!(out);
}

/// Three files, the key missing in one: the data and rules of the hint tests.
fn optional_key_run(dir: &str) -> (String, String) {
    let rules = scratch(
        "optional.tally",
        "rule 项目支出 {\n  assert 支出.项目支出.合计 >= 0\n}\n",
    );
    let dir = tmp().join(dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.yaml"), "支出:\n  项目支出: {合计: 360}\n").unwrap();
    std::fs::write(dir.join("b.yaml"), "支出:\n  基本支出: {合计: 100}\n").unwrap();
    std::fs::write(dir.join("c.yaml"), "支出:\n  项目支出: {合计: 5}\n").unwrap();
    (rules, dir.to_string_lossy().into_owned())
}

#[test]
fn a_key_missing_in_some_files_only_gets_a_run_level_hint() {
    // Chinese rules: the hint is in Chinese like the report's other labels.
    let (rules, dir) = optional_key_run("diagnostics/run");
    let out = tally(&["check", "--rules", &rules, &dir]);
    assert!(out.contains("建议 hint：`支出.项目支出`"), "{out}");
    assert!(!out.contains("is missing in"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn the_run_level_hint_follows_lang_en() {
    let (rules, dir) = optional_key_run("diagnostics/run-en");
    let out = tally(&["check", "--lang", "en", "--rules", &rules, &dir]);
    assert!(out.contains("hint: `支出.项目支出`"), "{out}");
    assert!(out.contains("is missing in 1 of 3 files"), "{out}");
    assert!(!out.contains("建议"), "{out}");
    insta::assert_snapshot!(out);
}

/// A key missing in many files: the hint counts them all and names the
/// first three, whatever the number of workers.
#[test]
fn the_run_level_hint_counts_every_file_and_names_three() {
    let rules = scratch(
        "optional-many.tally",
        "rule 项目支出 {\n  assert 支出.项目支出.合计 >= 0\n}\n",
    );
    let dir = tmp().join("diagnostics/run-many");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.yaml"), "支出:\n  项目支出: {合计: 360}\n").unwrap();
    for name in ["b", "c", "d", "e", "f"] {
        std::fs::write(dir.join(format!("{name}.yaml")), "支出:\n  基本支出: {合计: 100}\n").unwrap();
    }
    let dir = dir.to_string_lossy().into_owned();
    for jobs in ["1", "2", "4"] {
        let out = tally(&["check", "--lang", "en", "--jobs", jobs, "--rules", &rules, &dir]);
        let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("is missing in 5 of 6 files ("), "--jobs {jobs}: {out}");
        assert!(words.contains("b.yaml, "), "--jobs {jobs}: {out}");
        assert!(words.contains("d.yaml, …)"), "--jobs {jobs}: {out}");
        assert!(!words.contains("e.yaml,"), "--jobs {jobs}: {out}");
    }
}

#[test]
fn yaml_mistakes_in_plain_words() {
    let rules = "tests/fixtures/rules/spec.tally";
    let mut out = String::new();
    for (name, text) in [
        ("tab.yaml", "支出:\n\t合计: 1537.92\n"),
        ("full-width-colon.yaml", "支出:\n  合计：1537.92\n  基本支出: 3\n"),
        ("no-space.yaml", "支出:\n  合计:1537.92\n  基本支出: 3\n"),
    ] {
        out.push_str(&tally(&["check", "--rules", rules, &scratch(name, text)]));
        out.push('\n');
    }
    assert!(!out.contains("mapping values are not allowed"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn explain_steps_into_functions_and_comprehensions() {
    let rules = scratch(
        "explain.tally",
        "fn 近似(a, b) = abs(a - b) <= 0.01\n\nrule 明细合计 {\n  assert 近似(sum([x.金额 for x in 明细 if x.金额 > 0]), 合计)\n}\n",
    );
    let data = scratch(
        "explain.yaml",
        "合计: 10\n明细:\n  - {金额: 4}\n  - {金额: 0}\n  - {金额: 5}\n",
    );
    insta::assert_snapshot!(tally(&["explain", "明细合计", &data, "--rules", &rules]));
}

#[test]
fn braces_outside_a_message_are_a_lint_warning() {
    let rules = scratch(
        "braces.tally",
        "rule 名称 {\n  cite \"x\"\n  assert 名称 != \"{单位.名称}\"\n  assert matches(编码, \"^\\d{6}$\")\n    message \"编码 {编码}\"\n}\n",
    );
    insta::assert_snapshot!(tally(&["lint", &rules]));
}
