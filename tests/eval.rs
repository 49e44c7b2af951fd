//! One-line evaluation tests, one per behaviour of spec §4–6. Each evaluates
//! an expression over the small document below and compares the value as a
//! message would show it (data values as written, strings quoted).

use tally::unstable::data::Document;

const DATA: &str = r#"
收入:
  合计: 1537.92
  一般公共预算: 1537.92
  基金预算: 0
支出:
  合计: 1537.92
  基本支出: {合计: 1177.92, 人员经费: 892.12, 日常公用经费: 285.8}
  项目支出:
    合计: 360
    明细:
      - {名称: 综合事务, 金额: 156}
      - {名称: 电子政务, 金额: 100}
      - {名称: 法律服务, 金额: 18}
支出计划: {3月底: 25%, 12月底: 100%}
其他资金: null
小数: {a: 0.1, b: 0.2, c: 0.3, d: 80.00, e: 80}
文字: " 1,537.92 "
单位: {编码: "434001", 名称: 怀来县人民政府办公室}
"#;

fn doc() -> Document {
    tally::unstable::input::load_text("t.yaml", DATA.to_owned()).expect("test data loads")
}

fn eval(expr: &str) -> Result<String, String> {
    tally::unstable::eval_expr(expr, &doc())
}

/// `yields!(name, "expr", "value")`: evaluates to the value, shown as a message shows it.
macro_rules! yields {
    ($name:ident, $expr:expr, $want:expr) => {
        #[test]
        fn $name() {
            assert_eq!(eval($expr), Ok($want.to_owned()), "{}", $expr);
        }
    };
}

/// `fails!(name, "expr", "kind")`: evaluation ends in that outcome kind.
macro_rules! fails {
    ($name:ident, $expr:expr, $kind:expr) => {
        #[test]
        fn $name() {
            let got = eval($expr);
            let err = got.clone().expect_err($expr);
            assert!(err.starts_with(concat!($kind, ":")), "{} gave {:?}", $expr, got);
        }
    };
}

/// `refused!(name, "expr", "text")`: a load error mentioning the text.
macro_rules! refused {
    ($name:ident, $expr:expr, $text:expr) => {
        #[test]
        fn $name() {
            let err = eval($expr).expect_err($expr);
            assert!(err.contains($text), "{} gave {:?}", $expr, err);
        }
    };
}

// §5 exact decimals
yields!(decimals_are_exact, "0.1 + 0.2 == 0.3", "true");
yields!(data_decimals_are_exact, "小数.a + 小数.b == 小数.c", "true");
yields!(trailing_zeros_do_not_matter, "小数.d == 小数.e", "true");
yields!(data_number_is_shown_as_written, "小数.d", "80.00");
yields!(percent_literal, "25%", "0.25");
yields!(percent_literal_compares, "25% == 0.25", "true");
yields!(negative_literal, "-0.1 + 0.1", "0.0");
yields!(
    sum_of_paths,
    "支出.基本支出.合计 + 支出.项目支出.合计 == 支出.合计",
    "true"
);
yields!(multiplication_keeps_scale, "6 * 0.60", "3.60");
yields!(division, "1 / 4", "0.25");
fails!(division_by_zero, "1 / (收入.基金预算)", "arithmetic");
fails!(overflow, "7922816251426433759354395033 * 100", "arithmetic");
refused!(
    literal_over_28_digits,
    "79228162514264337593543950335 + 1",
    "28 significant digits"
);
fails!(arithmetic_on_string, "单位.名称 + 1", "type");
fails!(arithmetic_on_null, "其他资金 + 1", "type");
fails!(compare_number_with_string, "单位.编码 == 434001", "type");
yields!(null_equals_only_null, "其他资金 == null", "true");
yields!(number_is_not_null, "收入.合计 == null", "false");
yields!(string_order, "\"a\" < \"b\"", "true");
fails!(order_mixed_types, "\"a\" < 1", "type");

// §5 within
yields!(within_tolerance_holds, "1.004 == 1 within 0.005", "true");
yields!(within_tolerance_fails, "1.006 == 1 within 0.005", "false");
yields!(not_equal_within, "1.006 != 1 within 0.005", "true");
yields!(
    rounding_data_interval,
    "支出.基本支出.日常公用经费 == 285.84 within rounding",
    "true"
);
yields!(rounding_exact_literals, "285.8 == 285.84 within rounding", "false");
yields!(rounding_integers_are_exact, "小数.e == 80.004 within rounding", "false");
yields!(rounding_two_decimals, "小数.d == 80.004 within rounding", "true");
yields!(
    rounding_sum_adds_radii,
    "支出.基本支出.人员经费 + 支出.基本支出.日常公用经费 == 1177.96 within rounding",
    "true"
);

// §4 paths and missing data
yields!(string_index, "支出计划[\"3月底\"]", "25%");
yields!(list_index, "支出.项目支出.明细[1].名称", "电子政务");
yields!(negative_index, "支出.项目支出.明细[-1].名称", "法律服务");
fails!(index_out_of_range, "支出.项目支出.明细[3]", "missing");
fails!(missing_key, "支出.不存在", "missing");
fails!(missing_top_level_key, "不存在", "missing");

/// Messages of missing values are written when shown (not when the lookup
/// fails): they still name the expression and the data path.
#[test]
fn missing_value_messages_name_the_expression_and_the_path() {
    let cases = [
        (
            "支出.项目支出.明细[3]",
            "missing: `支出.项目支出.明细[3]` is missing: `支出.项目支出.明细` has 3 elements",
        ),
        ("[1][1]", "missing: `[1][1]` is missing: the list has 1 element"),
        (
            "支出.基本支出.人员",
            "missing: `支出.基本支出.人员` is missing: `支出.基本支出` has no key `人员`; did you mean `人员经费`?",
        ),
        (
            "其他资金.金额",
            "missing: `其他资金.金额` is missing: `其他资金` is null",
        ),
    ];
    for (expr, want) in cases {
        assert_eq!(eval(expr), Err(want.to_owned()), "{expr}");
    }
}
yields!(optional_key, "支出?.不存在", "null");
yields!(coalesce_missing, "支出.不存在 ?? 0", "0");
yields!(coalesce_null, "其他资金 ?? 0", "0");
yields!(coalesce_present, "收入.基金预算 ?? 5", "0");
yields!(exists_present, "exists(支出.合计)", "true");
yields!(exists_missing, "exists(支出.不存在.更深)", "false");
yields!(exists_null, "exists(其他资金)", "false");
yields!(root_path, "$.收入.合计", "1537.92");
yields!(wildcard_maps_path, "支出.项目支出.明细[*].金额", "[156, 100, 18]");
yields!(wildcard_over_map, "count(支出.基本支出[*])", "3");
yields!(sum_of_wildcard, "sum(支出.项目支出.明细[*].金额)", "274");
fails!(key_of_number, "收入.合计.x", "type");

// §4 operators
yields!(precedence_mul_over_add, "1 + 2 * 3", "7");
yields!(precedence_parens, "(1 + 2) * 3", "9");
yields!(unary_minus, "-支出.项目支出.合计", "-360");
yields!(not_binds_looser_than_compare, "not 1 == 2", "true");
yields!(and_or, "true or false and false", "true");
yields!(in_list, "2 in [1, 2, 3]", "true");
/// A list of 16 strings or more is asked through a hash set: the same
/// answers as a scan, for every kind of needle.
#[test]
fn long_string_lists_answer_as_a_scan_would() {
    const LIST: &str = r#""甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸", "子", "丑", "寅", "卯", "辰", "巳", "1", "怀来县人民政府办公室""#;
    let cases = [
        (r#""辰" in [LIST]"#, "true"),
        (r#""午" in [LIST]"#, "false"),
        ("1 in [LIST]", "false"),
        ("单位.名称 in [LIST]", "true"),
        ("其他资金 in [LIST]", "false"),
        // Not all strings: scanned.
        ("1 in [LIST, 1]", "true"),
    ];
    for (expr, want) in cases {
        let expr = expr.replace("LIST", LIST);
        assert_eq!(eval(&expr), Ok(want.to_owned()), "{expr}");
    }
}
yields!(in_string, "\"政府\" in 单位.名称", "true");
yields!(in_map_keys, "\"合计\" in 收入", "true");
yields!(matches_regex, "单位.编码 matches \"^\\d{6}$\"", "true");
yields!(list_literal, "[1, \"a\", null]", "[1, \"a\", null]");
yields!(
    comprehension,
    "[x.金额 for x in 支出.项目支出.明细 if x.金额 > 50]",
    "[156, 100]"
);
yields!(
    comprehension_key_value,
    "[k for k, v in 支出计划]",
    "[\"3月底\", \"12月底\"]"
);
yields!(
    generator_argument,
    "sum(x.金额 for x in 支出.项目支出.明细 if x.金额 < 150)",
    "118"
);
yields!(short_circuit_and, "false and 不存在 == 1", "false");
yields!(short_circuit_or, "true or 不存在 == 1", "true");

// §6 builtins
yields!(count_list, "count(支出.项目支出.明细)", "3");
yields!(len_string_counts_characters, "len(单位.名称)", "10");
yields!(min_max, "[min([3, 1, 2]), max([3, 1, 2])]", "[1, 3]");
yields!(avg, "avg([1, 2, 3, 4])", "2.5");
fails!(min_of_empty, "min([])", "arithmetic");
yields!(sum_empty, "sum([])", "0");
yields!(all_any, "[all([true, false]), any([true, false])]", "[false, true]");
yields!(
    abs_round,
    "[abs(-1.5), round(2.345, 2), round(-2.5, 0)]",
    "[1.5, 2.35, -3]"
);
yields!(number_percent, "number(支出计划[\"3月底\"])", "0.25");
yields!(number_thousands, "number(文字)", "1537.92");
yields!(keys_values, "keys(支出计划)", "[\"3月底\", \"12月底\"]");
yields!(unique_list, "unique([1, 2, 1, 3])", "[1, 2, 3]");
yields!(
    text_functions,
    "[contains(\"abc\", \"b\"), starts_with(\"abc\", \"a\"), ends_with(\"abc\", \"c\"), trim(\" x \")]",
    "[true, true, true, \"x\"]"
);
yields!(
    find_capture,
    "find(\"[13073024X000010000584]怀财字【2024】7号\", \"【(\\d{4})】\")",
    "\"2024\""
);
yields!(find_nothing, "find(\"abc\", \"\\d\")", "null");
yields!(
    indicator_percent,
    "indicator(\"≥90%\")",
    "{op: \"≥\", value: 0.9, unit: \"%\"}"
);
yields!(indicator_money, "indicator(\"≤80万元\").value", "80");
yields!(indicator_words, "indicator(\"能够保障\")", "null");
yields!(
    indicator_number,
    "indicator(100)",
    "{op: \"=\", value: 100, unit: \"\"}"
);

// load errors: names, arity, regexes
refused!(unknown_function_suggests, "summ([1])", "unknown function `summ`");
refused!(wrong_arity, "abs(1, 2)", "takes 1 argument");
refused!(invalid_regex, "\"a\" matches \"(\"", "invalid regex");
