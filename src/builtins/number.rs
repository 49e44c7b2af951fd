//! Numbers: abs, round, number — and the decimal text grammar that
//! `number` and `indicator` share. Never through a binary float.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

use super::{described, invalid_number, Args, BuiltinError, BuiltinResult};
use crate::value::{Value, View};

/// Decimal places (and significant digits) a decimal holds.
const MAX_DIGITS: usize = 28;

/// Suffixes that make a number a percentage: divided by 100. The full-width
/// `％` is how Chinese documents usually write `%`.
pub(super) const PERCENT: &[&str] = &["%", "％", "百分比"];

pub fn abs(args: &Args) -> BuiltinResult {
    Ok(Value::Num(args.num(0)?.abs()))
}

/// `round(x, places)`: half away from zero (`round(2.345, 2)` is 2.35,
/// `round(-2.5, 0)` is -3); `places` a whole number from 0 to 28. A number
/// with fewer decimals is returned as it is (`round(80, 2)` is 80).
pub fn round(args: &Args) -> BuiltinResult {
    let x = args.num(0)?;
    let places = args.num(1)?;
    let whole = places.normalize();
    let places = match (whole.scale(), u32::try_from(whole.mantissa())) {
        (0, Ok(p)) if p as usize <= MAX_DIGITS => p,
        _ => {
            return Err(BuiltinError::Type(format!(
                "round needs a whole number of places from 0 to 28, found `{places}`"
            )))
        }
    };
    Ok(Value::Num(x.round_dp_with_strategy(
        places,
        RoundingStrategy::MidpointAwayFromZero,
    )))
}

/// `number(x)`: a number is itself; a string is parsed by [`parse_number`].
pub fn number(args: &Args) -> BuiltinResult {
    let v = args.value(0);
    match v.view(args.doc) {
        View::Num(n) => Ok(Value::Num(n)),
        View::Str(s) => parse_number(s).map(Value::Num),
        View::InvalidNumber(why) => Err(invalid_number(args.doc, v, why)),
        _ => Err(BuiltinError::Type(format!(
            "number needs a number or a numeric string, found {}",
            described(args.doc, v)
        ))),
    }
}

/// A numeric string: surrounding white space, an optional sign, ASCII digits
/// with optional `,` thousands separators (each between two digits), an
/// optional fraction, an optional percent suffix (`PERCENT`, white space
/// before it allowed) that divides by 100:
/// `"25%"` is 0.25, `"1,537.92"` is 1537.92, `" 80.00 "` is 80.00 (scale kept).
/// Anything else is a type error; more than 28 digits an arithmetic one.
pub fn parse_number(text: &str) -> Result<Decimal, BuiltinError> {
    let trimmed = text.trim();
    let (body, percent) = match PERCENT.iter().find_map(|p| trimmed.strip_suffix(p)) {
        Some(body) => (body.trim_end(), true),
        None => (trimmed, false),
    };
    let n = match decimal(body) {
        Ok(Some(n)) => n,
        Ok(None) if trimmed.is_empty() => {
            return Err(BuiltinError::Type("an empty string is not a number".into()));
        }
        Ok(None) => return Err(BuiltinError::Type(format!("`{trimmed}` is not a number"))),
        Err(why) => return Err(BuiltinError::Arithmetic(format!("`{trimmed}` {why}"))),
    };
    if percent {
        hundredth(n).ok_or_else(|| {
            BuiltinError::Arithmetic(format!("`{trimmed}` as a fraction has more than 28 decimal places"))
        })
    } else {
        Ok(n)
    }
}

/// Half a unit of the last printed digit of a numeric string, in the units
/// `number` returns: `"75.74%"` is ½·10⁻⁴ (0.00005), `"75%"` ½·10⁻², `"1,537.92"`
/// 0.005. A string without decimals and without `%` is exact (0), as an
/// integer in the data is. Text that is not a number gives 0.
pub fn printed_radius(text: &str) -> Decimal {
    let trimmed = text.trim();
    let (body, percent) = match PERCENT.iter().find_map(|p| trimmed.strip_suffix(p)) {
        Some(body) => (body.trim_end(), true),
        None => (trimmed, false),
    };
    let decimals = body.split_once('.').map_or(0, |(_, f)| f.len()) as u32;
    let places = decimals + if percent { 2 } else { 0 };
    if places == 0 || places > MAX_DIGITS as u32 - 1 || !matches!(decimal(body), Ok(Some(_))) {
        return Decimal::ZERO;
    }
    Decimal::new(5, places + 1)
}

/// `[+-]?D+(,D+)*(\.D+)?` with ASCII digits `D`, exactly: `Ok(None)` when
/// `text` has another shape, `Err(why)` when it has too many digits to hold.
pub(super) fn decimal(text: &str) -> Result<Option<Decimal>, &'static str> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let fraction_ok = digits(fraction) || !unsigned.contains('.');
    if !whole.split(',').all(digits) || !fraction_ok {
        return Ok(None);
    }
    let whole: String = whole.chars().filter(|&c| c != ',').collect();
    let whole = whole.trim_start_matches('0');
    // Trailing zeros after the point are dropped while they do not fit: the
    // value stays exact, only the scale shrinks (as the data loader does).
    let mut fraction = fraction;
    while fraction.ends_with('0') && (fraction.len() > MAX_DIGITS || whole.len() + fraction.len() > MAX_DIGITS) {
        fraction = &fraction[..fraction.len() - 1];
    }
    if fraction.len() > MAX_DIGITS {
        return Err("has more than 28 decimal places");
    }
    let significant = if whole.is_empty() {
        fraction.trim_start_matches('0').len()
    } else {
        whole.len() + fraction.len()
    };
    if significant > MAX_DIGITS {
        return Err("has more than 28 significant digits");
    }
    // At most 28 digits: always held exactly.
    let sign = if negative { "-" } else { "" };
    let whole = if whole.is_empty() { "0" } else { whole };
    let exact = if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    };
    Ok(Decimal::from_str(&exact).ok())
}

/// `n / 100` exactly, without trailing zeros (`90` → 0.9, `100` → 1), or
/// `None` when that needs more than 28 decimal places.
pub(super) fn hundredth(n: Decimal) -> Option<Decimal> {
    let mut n = n.normalize();
    n.set_scale(n.scale() + 2).ok()?;
    Some(n.normalize())
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::value::Value;

    #[test]
    fn printed_radii() {
        use super::printed_radius;
        let r = |t: &str| printed_radius(t).to_string();
        assert_eq!(r("75.74%"), "0.00005");
        assert_eq!(r("75.70%"), "0.00005");
        assert_eq!(r("75%"), "0.005");
        assert_eq!(r("75.7 ％"), "0.0005");
        assert_eq!(r("1,537.92"), "0.005");
        assert_eq!(r(" 80.00 "), "0.005");
        assert_eq!(r("80"), "0");
        assert_eq!(r("能够保障"), "0");
    }

    // abs
    yields!(abs_negative, abs(n("-1.50")), "1.50");
    yields!(abs_positive, abs(n("2")), "2");
    yields!(abs_data_number, abs(d("表.b")), "1");
    fails!(
        abs_string,
        abs(s("1")),
        Type,
        "expected a number, found a string `\"1\"`"
    );
    fails!(abs_null_data, abs(d("空")), Type, "found null (at `空`)");

    // round
    yields!(round_half_up, round(n("2.345"), n("2")), "2.35");
    yields!(round_half_away_negative, round(n("-2.5"), n("0")), "-3");
    yields!(round_half_away_positive, round(n("0.5"), n("0")), "1");
    yields!(round_down, round(n("2.344"), n("2")), "2.34");
    yields!(round_fewer_decimals_unchanged, round(n("80"), n("2")), "80");
    yields!(round_places_written_with_zeros, round(n("1.25"), n("1.0")), "1.3");
    yields!(round_data, round(d("表.b"), n("0")), "1");
    yields!(round_28_places, round(n("1.5"), n("28")), "1.5");
    fails!(
        round_fractional_places,
        round(n("1"), n("1.5")),
        Type,
        "whole number of places from 0 to 28, found `1.5`"
    );
    fails!(round_negative_places, round(n("1"), n("-1")), Type, "found `-1`");
    fails!(round_too_many_places, round(n("1"), n("29")), Type, "found `29`");
    fails!(round_string, round(s("1.5"), n("0")), Type, "expected a number");

    // number
    yields!(number_of_a_number, number(n("80.00")), "80.00");
    yields!(number_of_data_number, number(d("表.b")), "1");
    yields!(number_percent, number(s("25%")), "0.25");
    yields!(number_percent_data, number(d("计划")), "0.25");
    yields!(number_full_width_percent, number(s("25％")), "0.25");
    yields!(number_percent_word, number(s("100百分比")), "1");
    yields!(number_percent_space, number(s(" 12.5 % ")), "0.125");
    yields!(number_negative_percent, number(s("-5%")), "-0.05");
    yields!(number_thousands, number(s("1,537.92")), "1537.92");
    yields!(number_thousands_millions, number(s("-1,234,567")), "-1234567");
    yields!(number_any_comma_between_digits, number(s("15,37")), "1537");
    yields!(number_trimmed_keeps_scale, number(s(" 80.00 ")), "80.00");
    yields!(number_plus_sign, number(s("+7")), "7");
    yields!(number_leading_zeros, number(s("007")), "7");
    yields!(
        number_28_digits,
        number(s("1234567890123456789012345678")),
        "1234567890123456789012345678"
    );
    yields!(
        number_surplus_fraction_zeros,
        number(s("1.00000000000000000000000000000000")),
        "1.000000000000000000000000000"
    );
    yields!(
        number_tiny_percent,
        number(s("0.0000000000000000000000000100%")),
        "0.0000000000000000000000000001"
    );
    fails!(number_word, number(s("abc")), Type, "`abc` is not a number");
    fails!(number_empty, number(s("  ")), Type, "an empty string is not a number");
    fails!(number_exponent, number(s("1e3")), Type, "`1e3` is not a number");
    fails!(number_no_fraction_digits, number(s("1.")), Type, "is not a number");
    fails!(number_no_whole_digits, number(s(".5")), Type, "is not a number");
    fails!(number_leading_comma, number(s(",5")), Type, "is not a number");
    fails!(number_sign_then_comma, number(s("-,5")), Type, "is not a number");
    fails!(number_double_comma, number(s("1,,5")), Type, "is not a number");
    fails!(number_comma_before_point, number(s("1,.5")), Type, "is not a number");
    fails!(number_full_width_digits, number(s("１２")), Type, "is not a number");
    fails!(number_percent_alone, number(s("%")), Type, "`%` is not a number");
    fails!(number_inner_space, number(s("- 1")), Type, "is not a number");
    fails!(
        number_too_many_digits,
        number(s("12345678901234567890123456789")),
        Arithmetic,
        "more than 28 significant digits"
    );
    fails!(
        number_too_many_places,
        number(s("0.12345678901234567890123456789")),
        Arithmetic,
        "more than 28 decimal places"
    );
    fails!(
        number_percent_too_small,
        number(s("0.0000000000000000000000000001%")),
        Arithmetic,
        "as a fraction has more than 28 decimal places"
    );
    fails!(number_null, number(Value::Null), Type, "found null");
    fails!(number_blank_cell, number(d("空")), Type, "found null (at `空`)");
    fails!(
        number_boolean,
        number(Value::Bool(true)),
        Type,
        "found a boolean `true`"
    );
    fails!(
        number_invalid_data_number,
        number(d("巨数")),
        Arithmetic,
        "the number `1e40` is out of range"
    );
}
