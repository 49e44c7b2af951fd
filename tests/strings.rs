//! Strings and dates (spec §14): `+` on strings, `text`, `date` and its
//! parts, deadlines in `indicator`, and `number("75.74%")` under
//! `within rounding`. One-line evaluations, then findings as a user sees them.

use tally::unstable::data::Document;

mod support;
use support::{scratch, tally};

const DATA: &str = r#"
年度: 2024
年度文字: "2024"
截止: 2024年3月底
开工: 2024-01-01
人员经费: 892.12
合计: 1177.92
人员经费占比: 75.74%
指标值: 2024年12月底前
"#;

fn doc() -> Document {
    tally::unstable::input::load_text("t.yaml", DATA.to_owned()).expect("test data loads")
}

fn eval(expr: &str) -> Result<String, String> {
    tally::unstable::eval_expr(expr, &doc())
}

macro_rules! yields {
    ($name:ident, $expr:expr, $want:expr) => {
        #[test]
        fn $name() {
            assert_eq!(eval($expr), Ok($want.to_owned()), "{}", $expr);
        }
    };
}

/// `fails!(name, "expr", "kind: part of the message")`.
macro_rules! fails {
    ($name:ident, $expr:expr, $want:expr) => {
        #[test]
        fn $name() {
            let err = eval($expr).expect_err($expr);
            assert!(err.starts_with($want), "{} gave {:?}", $expr, err);
        }
    };
}

// `+` joins strings.
yields!(strings_join, r#"年度文字 + "-01-01""#, r#""2024-01-01""#);
yields!(joined_is_a_date, r#"date(年度文字 + "-01-01")"#, "2024-01-01");
yields!(text_joins_a_number, r#"text(年度) + "年""#, r#""2024年""#);
yields!(numbers_still_add, "1 + 2", "3");
fails!(
    string_plus_number,
    r#""a" + 1"#,
    "type: `+` joins two strings or adds two numbers, but found a string \"a\" and a number 1"
);
fails!(
    number_plus_string,
    r#"年度 + "-01-01""#,
    "type: `+` joins two strings or adds two numbers, but found a number 2024 and a string \"-01-01\""
);

// Dates.
yields!(date_from_data, "date(截止)", "2024-03-31");
yields!(dates_compare, "date(开工) < date(截止)", "true");
yields!(dates_equal, r#"date("2024/3/31") == date(截止)"#, "true");
yields!(dates_differ, r#"date("2024.3.30") != date(截止)"#, "true");
yields!(dates_order_ge, r#"date("2024年底") >= date(截止)"#, "true");
yields!(days_between, "days(date(开工), date(截止))", "90");
yields!(latest_date, "max([date(开工), date(截止)])", "2024-03-31");
yields!(earliest_date, "min([date(截止), date(开工)])", "2024-01-01");
yields!(
    parts,
    "[year(date(截止)), month(date(截止)), day(date(截止))]",
    "[2024, 3, 31]"
);
yields!(not_a_date_is_null, r#"date("下半年")"#, "null");
yields!(date_in_message_text, "text(date(截止))", r#""2024-03-31""#);
fails!(
    date_with_string,
    r#"date(截止) < "2024-12-31""#,
    "type: cannot compare a date 2024-03-31 with a string"
);
fails!(
    date_with_number,
    "date(截止) == 2024",
    "type: cannot compare a date 2024-03-31 with a number 2024"
);

// Indicators.
yields!(
    deadline,
    "indicator(指标值)",
    r#"{op: "≤", value: 2024-12-31, unit: "date"}"#
);
yields!(
    deadline_compares,
    "indicator(指标值).value <= date(\"2024年底\")",
    "true"
);

// `number("75.74%")` keeps its printed precision under `within rounding`.
yields!(
    share_within_rounding,
    "人员经费 / 合计 == number(人员经费占比) within rounding",
    "true"
);
yields!(
    share_exactly_is_false,
    "人员经费 / 合计 == number(人员经费占比)",
    "false"
);
yields!(
    share_wrong_is_false,
    "人员经费 / 合计 == number(\"75.90%\") within rounding",
    "false"
);

#[test]
fn a_printed_percentage_passes_within_rounding() {
    let rules = scratch(
        "share.tally",
        "rule 人员经费占比 {\n  assert 人员经费 / 合计 == number(人员经费占比) within rounding\n}\n\nrule 占比写错 {\n  assert 人员经费 / 合计 == number(占比写错) within rounding\n}\n",
    );
    let data = scratch(
        "share.yaml",
        "人员经费: 892.12\n合计: 1177.92\n人员经费占比: 75.74%\n占比写错: 75.90%\n",
    );
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}

#[test]
fn deadlines_and_dates_in_findings() {
    let rules = scratch(
        "dates.tally",
        "rule 按期完成 {\n  assert date(完成) <= indicator(指标值).value\n}\n\nrule 年度一致 {\n  assert year(date(完成)) == 年度\n}\n\nrule 拼接 {\n  assert text(年度) + \"年\" == 标题\n}\n",
    );
    let data = scratch(
        "dates.yaml",
        "年度: 2024\n标题: 2023年\n完成: 2025年1月10日\n指标值: 2024年12月底前\n",
    );
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}

#[test]
fn joining_a_string_and_a_number_is_a_type_error() {
    let rules = scratch(
        "join.tally",
        "rule 起始日 {\n  assert date(年度 + \"-01-01\") != null\n}\n",
    );
    let data = scratch("join.yaml", "年度: 2024\n");
    insta::assert_snapshot!(tally(&["check", "--rules", &rules, &data]));
}
