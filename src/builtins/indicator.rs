//! `indicator(s)`: a performance-indicator value (绩效指标值) such as `≥90%`,
//! `≤80万元`, `100百分比`, `1套`, as the map `{op, value, unit}`.
//!
//! Grammar (white space around each part allowed, `　` too):
//!
//! ```text
//! indicator = [op] number unit
//! op        = "≥" | "≤" | ">" | "<" | "="          (written as is)
//!           | ">=" | "≧" → "≥"   "<=" | "≦" → "≤"   "＞" → ">"   "＜" → "<"   "＝" → "="
//! number    = [+-] digits ("," digits)* ["." digits]  (ASCII digits; "," between digits)
//! unit      = the rest of the text, trimmed (may be empty)
//! ```
//!
//! - No operator means `=`.
//! - A percent unit (`%`, `％`, `百分比`) makes `value` a fraction and `unit`
//!   `"%"`: `≥90%` is `{op: "≥", value: 0.9, unit: "%"}`, `100百分比` is value 1.
//!   Other values keep their written scale (`≤80.50万元` is 80.50).
//! - Any other unit is returned as written (`≥95半分比` has unit `半分比`,
//!   `≥1,000人次` value 1000 and unit `人次`): rules decide which units they accept.
//! - Text that does not start with a number after the operator is `null`:
//!   `能够保障`, `进一步提升`, `≥`, `不低于90%`, full-width digits `９０％`.
//! - A number too long for a decimal (more than 28 digits) is an arithmetic error.
//! - A number (an unquoted `指标值: 100` in YAML) is `{op: "=", value: 100, unit: ""}`.
//!
//! Deadlines (时效指标) come first: after the operator, a date as `date()`
//! reads it (`2024年12月底`, `2024-06-30`) followed by `前`, `之前` or `以前`
//! is `{op: "≤", value: <date>, unit: "date"}`; without those words the
//! written operator is kept (`=` when none). Words after them (`完成`) are
//! allowed: `2024年12月底前完成` is the same deadline.

use std::rc::Rc;
use std::sync::{Arc, LazyLock};

use rust_decimal::Decimal;

use super::number::{decimal, hundredth, PERCENT};
use super::{Args, BuiltinError, BuiltinResult};
use crate::value::date::{self, Date};
use crate::value::Value;

pub fn indicator(args: &Args) -> BuiltinResult {
    if let Some(n) = args.value(0).as_num(args.doc) {
        return Ok(map("=", Value::Num(n), ""));
    }
    let text = args.str(0)?;
    if let Some((op, deadline)) = parse_deadline(text) {
        return Ok(map(op, Value::Date(deadline), "date"));
    }
    Ok(match parse(text)? {
        Some((op, value, unit)) => map(op, Value::Num(value), unit),
        None => Value::Null,
    })
}

/// True when `indicator(text)` gives a value (not `null`, not an error).
pub fn reads_as_indicator(text: &str) -> bool {
    parse_deadline(text).is_some() || matches!(parse(text), Ok(Some(_)))
}

/// Words after a date that make it a deadline: "by".
const BEFORE: &[&str] = &["之前", "以前", "前"];

/// `2024年12月底前` as (`≤`, 2024-12-31).
fn parse_deadline(text: &str) -> Option<(&'static str, Date)> {
    let (written, rest) = operator(text.trim());
    let (deadline, after) = date::parse_prefix(rest)?;
    let after = after.trim_start();
    match BEFORE.iter().find(|w| after.starts_with(**w)) {
        Some(_) => Some(("≤", deadline)),
        None => Some((written, deadline)),
    }
}

/// The operator at the start of `text` (normalised; `=` when none) and the rest.
fn operator(text: &str) -> (&'static str, &str) {
    OPERATORS
        .iter()
        .find_map(|(written, op)| text.strip_prefix(written).map(|r| (*op, r.trim_start())))
        .unwrap_or(("=", text))
}

/// The keys of the result, made once.
static KEYS: LazyLock<[Arc<str>; 3]> = LazyLock::new(|| [Arc::from("op"), Arc::from("value"), Arc::from("unit")]);

fn map(op: &str, value: Value, unit: &str) -> Value {
    let [op_key, value_key, unit_key] = KEYS.clone();
    Value::Map(Rc::new(vec![
        (op_key, Value::str(op)),
        (value_key, value),
        (unit_key, Value::str(unit)),
    ]))
}

/// Operators as written and as normalised; longer spellings first.
const OPERATORS: &[(&str, &str)] = &[
    (">=", "≥"),
    ("<=", "≤"),
    ("≥", "≥"),
    ("≤", "≤"),
    ("≧", "≥"),
    ("≦", "≤"),
    (">", ">"),
    ("<", "<"),
    ("＞", ">"),
    ("＜", "<"),
    ("=", "="),
    ("＝", "="),
];

/// `Ok(None)` when the text has no number where the grammar wants one.
fn parse(text: &str) -> Result<Option<(&'static str, Decimal, &str)>, BuiltinError> {
    let (op, rest) = operator(text.trim());
    let number_len = number_prefix(rest);
    let value = match decimal(&rest[..number_len]) {
        Ok(Some(value)) => value,
        Ok(None) => return Ok(None),
        Err(why) => {
            return Err(BuiltinError::Arithmetic(format!(
                "the number in `{}` {why}",
                text.trim()
            )))
        }
    };
    let unit = rest[number_len..].trim();
    if PERCENT.contains(&unit) {
        let fraction = hundredth(value).ok_or_else(|| {
            BuiltinError::Arithmetic(format!(
                "`{}` as a fraction has more than 28 decimal places",
                text.trim()
            ))
        })?;
        return Ok(Some((op, fraction, "%")));
    }
    Ok(Some((op, value, unit)))
}

/// The length of the number at the start of `text`: a sign, digits, and `,`
/// or `.` when a digit follows (so `5.次` is the number `5`).
fn number_prefix(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut end = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    while end < bytes.len() {
        let next_is_digit = bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
        match bytes[end] {
            b'0'..=b'9' => end += 1,
            b',' | b'.' if next_is_digit => end += 1,
            _ => break,
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::value::Value;

    fn ind(op: &str, value: &str, unit: &str) -> String {
        format!("{{op: \"{op}\", value: {value}, unit: \"{unit}\"}}")
    }

    // The spec's and the brief's examples.
    yields!(at_least_percent, indicator(s("≥90%")), ind("≥", "0.9", "%"));
    yields!(at_most_money, indicator(s("≤80万元")), ind("≤", "80", "万元"));
    yields!(percent_word, indicator(s("100百分比")), ind("=", "1", "%"));
    yields!(no_operator, indicator(s("1套")), ind("=", "1", "套"));
    yields!(times, indicator(s("≥1次")), ind("≥", "1", "次"));
    yields!(hours, indicator(s("≤24小时")), ind("≤", "24", "小时"));
    yields!(years, indicator(s("1年")), ind("=", "1", "年"));
    yields!(months, indicator(s("≤12月")), ind("≤", "12", "月"));
    yields!(greater_no_unit, indicator(s(">5")), ind(">", "5", ""));
    yields!(equals_written, indicator(s("=3个")), ind("=", "3", "个"));
    yields!(less, indicator(s("<0.5%")), ind("<", "0.005", "%"));

    // Operator aliases, normalised.
    yields!(ascii_at_least, indicator(s(">=95%")), ind("≥", "0.95", "%"));
    yields!(ascii_at_most, indicator(s("<=10天")), ind("≤", "10", "天"));
    yields!(full_width_greater, indicator(s("＞5")), ind(">", "5", ""));
    yields!(full_width_less, indicator(s("＜5")), ind("<", "5", ""));
    yields!(full_width_equals, indicator(s("＝5")), ind("=", "5", ""));
    yields!(variant_at_least, indicator(s("≧3")), ind("≥", "3", ""));
    yields!(variant_at_most, indicator(s("≦3")), ind("≤", "3", ""));

    // Numbers and units.
    yields!(spaces_everywhere, indicator(s(" >= 5 次 ")), ind("≥", "5", "次"));
    yields!(
        full_width_spaces,
        indicator(s("≥\u{3000}90\u{3000}%")),
        ind("≥", "0.9", "%")
    );
    yields!(full_width_percent, indicator(s("≥90％")), ind("≥", "0.9", "%"));
    yields!(
        decimal_scale_kept,
        indicator(s("≤80.50万元")),
        ind("≤", "80.50", "万元")
    );
    yields!(
        percent_fraction_normalised,
        indicator(s("≥99.50%")),
        ind("≥", "0.995", "%")
    );
    yields!(thousands, indicator(s("≥1,000人次")), ind("≥", "1000", "人次"));
    yields!(negative, indicator(s("≤-5%")), ind("≤", "-0.05", "%"));
    yields!(
        unknown_unit_as_written,
        indicator(s("≥95半分比")),
        ind("≥", "95", "半分比")
    );
    yields!(per_mille_as_written, indicator(s("≤3‰")), ind("≤", "3", "‰"));
    yields!(compound_unit, indicator(s("≤200元/人")), ind("≤", "200", "元/人"));
    yields!(point_then_unit, indicator(s("5.次")), ind("=", "5", ".次"));
    yields!(unit_then_words, indicator(s("≥90%以上")), ind("≥", "90", "%以上"));
    yields!(data_string, indicator(d("指标")), ind("≥", "0.9", "%"));
    yields!(bare_number, indicator(n("100")), ind("=", "100", ""));
    yields!(bare_data_number, indicator(d("表.b")), ind("=", "1", ""));

    // Compound units keep their whole text.
    yields!(
        per_person_year,
        indicator(s("960元/人·年")),
        ind("=", "960", "元/人·年")
    );
    yields!(per_hundred_thousand, indicator(s("≤15/10万")), ind("≤", "15", "/10万"));
    yields!(working_days, indicator(s("≤15个工作日")), ind("≤", "15", "个工作日"));
    yields!(times_a_year, indicator(s("≥2次/年")), ind("≥", "2", "次/年"));

    // Deadlines: a date, `前` makes it "at the latest".
    fn deadline(op: &str, iso: &str) -> String {
        format!("{{op: \"{op}\", value: {iso}, unit: \"date\"}}")
    }
    yields!(
        deadline_month_end,
        indicator(s("2024年12月底前")),
        deadline("≤", "2024-12-31")
    );
    yields!(
        deadline_done,
        indicator(s("2024年6月底前完成")),
        deadline("≤", "2024-06-30")
    );
    yields!(
        deadline_iso,
        indicator(s("2024-06-30之前")),
        deadline("≤", "2024-06-30")
    );
    yields!(
        deadline_year_end,
        indicator(s("2024年底以前")),
        deadline("≤", "2024-12-31")
    );
    yields!(
        deadline_written_op,
        indicator(s("≤2024年3月31日")),
        deadline("≤", "2024-03-31")
    );
    yields!(date_alone, indicator(s("2024年3月")), deadline("=", "2024-03-31"));
    yields!(year_is_a_number, indicator(s("1年")), ind("=", "1", "年"));
    yields!(month_count_not_a_date, indicator(s("≤12月")), ind("≤", "12", "月"));

    // Not a number ⇒ null.
    yields!(words_guarantee, indicator(s("能够保障")), "null");
    yields!(words_improve, indicator(s("进一步提升")), "null");
    yields!(words_running, indicator(s("正常运转")), "null");
    yields!(operator_alone, indicator(s("≥")), "null");
    yields!(words_before_number, indicator(s("不低于90%")), "null");
    yields!(full_width_digits, indicator(s("９０％")), "null");
    yields!(empty, indicator(s("")), "null");
    yields!(point_first, indicator(s(".5")), "null");
    yields!(two_points, indicator(s("1.2.3米")), "null");

    fails!(
        too_many_digits,
        indicator(s("≥12345678901234567890123456789元")),
        Arithmetic,
        "more than 28 significant digits"
    );
    fails!(
        null_value,
        indicator(Value::Null),
        Type,
        "expected a string, found null"
    );
    fails!(blank_cell, indicator(d("空")), Type, "(at `空`)");
    fails!(
        list_value,
        indicator(d("文字")),
        Type,
        "expected a string, found a list"
    );
}
