//! `indicator(s)`: a performance-indicator value (绩效指标值) such as `≥90%`,
//! `≤80万元`, `100百分比`, `1套`, as `{op, value, unit}`.
//!
//! Accepted: optional white space, an optional operator (`≥ ≤ > < =`, also
//! `>=`, `<=`, `＞`, `＜`, `＝`, `≧`, `≦`), a decimal number in ASCII digits,
//! then the unit: the rest of the text, trimmed. `%` and `百分比` make the
//! value a fraction and the unit `%`. No number ⇒ `null` (`能够保障`).
//! Unknown units are returned as written (`半分比`): rules decide which units
//! they accept.

use std::rc::Rc;
use std::str::FromStr;
use std::sync::{Arc, LazyLock};

use rust_decimal::Decimal;

use super::{Args, BuiltinResult};
use crate::eval::value::Value;

pub fn indicator(args: &Args) -> BuiltinResult {
    // An unquoted `100` in YAML is a number: the same value with no unit.
    if let Some(n) = args.value(0).as_num(args.doc) {
        return Ok(map("=", n, ""));
    }
    let text = args.str(0)?;
    Ok(match parse(text) {
        Some((op, value, unit)) => map(op, value, &unit),
        None => Value::Null,
    })
}

/// The keys of the result, made once.
static KEYS: LazyLock<[Arc<str>; 3]> = LazyLock::new(|| [Arc::from("op"), Arc::from("value"), Arc::from("unit")]);

fn map(op: &str, value: Decimal, unit: &str) -> Value {
    let [op_key, value_key, unit_key] = KEYS.clone();
    Value::Map(Rc::new(vec![
        (op_key, Value::str(op)),
        (value_key, Value::Num(value)),
        (unit_key, Value::str(unit)),
    ]))
}

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

fn parse(text: &str) -> Option<(&'static str, Decimal, String)> {
    let rest = text.trim();
    let (op, rest) = OPERATORS
        .iter()
        .find_map(|(written, op)| rest.strip_prefix(written).map(|r| (*op, r.trim_start())))
        .unwrap_or(("=", rest));
    let number_len = rest
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .map(|(i, c)| i + c.len_utf8())
        .last()?;
    let number = &rest[..number_len];
    if number.starts_with('.') || number.ends_with('.') || number.matches('.').count() > 1 {
        return None;
    }
    let value = Decimal::from_str(number).ok()?;
    let unit = rest[number_len..].trim();
    if unit == "%" || unit == "百分比" {
        return Some((op, value.checked_div(Decimal::ONE_HUNDRED)?.normalize(), "%".to_owned()));
    }
    Some((op, value, unit.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::parse;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn ind(text: &str) -> Option<(&'static str, String, String)> {
        parse(text).map(|(op, v, u)| (op, v.to_string(), u))
    }

    #[test]
    fn indicator_values() {
        assert_eq!(ind("≥90%"), Some(("≥", "0.9".into(), "%".into())));
        assert_eq!(ind("100百分比"), Some(("=", "1".into(), "%".into())));
        assert_eq!(ind("≤80万元"), Some(("≤", "80".into(), "万元".into())));
        assert_eq!(ind("1套"), Some(("=", "1".into(), "套".into())));
        assert_eq!(ind(">= 5 次"), Some(("≥", "5".into(), "次".into())));
        assert_eq!(ind("≥95半分比"), Some(("≥", "95".into(), "半分比".into())));
        assert_eq!(ind("能够保障"), None);
        assert_eq!(ind("≥"), None);
        assert_eq!(Decimal::from_str("0.9").unwrap().to_string(), "0.9");
    }
}
