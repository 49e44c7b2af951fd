//! Numbers: abs, round, number.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

use super::{Args, BuiltinError, BuiltinResult};
use crate::eval::value::{Value, View};

pub fn abs(args: &Args) -> BuiltinResult {
    Ok(Value::Num(args.num(0)?.abs()))
}

pub fn round(args: &Args) -> BuiltinResult {
    let x = args.num(0)?;
    let places = args.num(1)?;
    if places.fract() != Decimal::ZERO || places < Decimal::ZERO || places > Decimal::from(28) {
        return Err(BuiltinError::Type(format!(
            "round needs a whole number of places from 0 to 28, found `{places}`"
        )));
    }
    let places = places.trunc().mantissa() as u32 / 10u32.pow(places.trunc().scale());
    Ok(Value::Num(x.round_dp_with_strategy(
        places,
        RoundingStrategy::MidpointAwayFromZero,
    )))
}

/// `number("25%")` is 0.25, `number("1,537.92")` is 1537.92, `number(" 80.00 ")`
/// is 80.00; never through a binary float.
pub fn number(args: &Args) -> BuiltinResult {
    let v = args.value(0);
    match v.view(args.doc) {
        View::Num(n) => Ok(Value::Num(n)),
        View::Str(s) => parse_number(s).map(Value::Num),
        View::InvalidNumber(why) => Err(BuiltinError::Arithmetic(format!("the number {why}"))),
        _ => Err(BuiltinError::Type(format!(
            "number needs a number or a numeric string, found {}",
            v.type_name(args.doc)
        ))),
    }
}

/// Parses `[+-]digits[.digits]` with optional `,` thousands separators and an
/// optional trailing `%` or `百分比` (a percentage: divided by 100).
pub fn parse_number(text: &str) -> Result<Decimal, BuiltinError> {
    let not_a_number = || BuiltinError::Type(format!("`{text}` is not a number"));
    let trimmed = text.trim();
    let (body, percent) = match trimmed.strip_suffix('%').or_else(|| trimmed.strip_suffix("百分比")) {
        Some(body) => (body.trim_end(), true),
        None => (trimmed, false),
    };
    let (sign, digits) = match body.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", body.strip_prefix('+').unwrap_or(body)),
    };
    let digits: String = digits.chars().filter(|&c| c != ',').collect();
    let (whole, fraction) = digits.split_once('.').unwrap_or((&digits, ""));
    let valid = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && fraction.is_empty());
    if !valid || body.starts_with(',') || body.ends_with(',') {
        return Err(not_a_number());
    }
    let significant = whole.trim_start_matches('0').len() + fraction.len();
    if significant > 28 {
        return Err(BuiltinError::Arithmetic(format!(
            "`{text}` has more than 28 significant digits"
        )));
    }
    let n = Decimal::from_str(&format!("{sign}{digits}")).map_err(|_| not_a_number())?;
    if percent {
        n.checked_div(Decimal::ONE_HUNDRED)
            .ok_or_else(|| BuiltinError::Arithmetic(format!("`{text}` does not fit")))
    } else {
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_number;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn n(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn numeric_strings() {
        assert_eq!(parse_number("25%"), Ok(n("0.25")));
        assert_eq!(parse_number("100百分比"), Ok(n("1")));
        assert_eq!(parse_number("1,537.92"), Ok(n("1537.92")));
        assert_eq!(parse_number(" 80.00 "), Ok(n("80.00")));
        assert_eq!(parse_number("-0.5"), Ok(n("-0.5")));
        assert!(parse_number("abc").is_err());
        assert!(parse_number("1e3").is_err());
        assert!(parse_number("1.").is_err());
        assert!(parse_number("").is_err());
        assert!(parse_number("12345678901234567890123456789").is_err());
    }
}
