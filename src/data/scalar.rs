//! Scalar resolution: what a plain YAML scalar means (YAML 1.2 core schema,
//! narrowed to what budget data needs).
//!
//! Decisions:
//! - Only **plain** scalars are resolved; quoted and block (`|`, `>`) scalars and
//!   anything tagged `!!str` or `!` are always strings. Other tags are ignored.
//! - `null`, `Null`, `NULL`, `~` and the empty scalar are null; `true`/`True`/`TRUE`
//!   and `false`/`False`/`FALSE` are booleans.
//! - Decimal numbers `[-+]?(\d+(\.\d*)?|\.\d+)` (ASCII digits only) and the same with an
//!   exponent `[eE][-+]?\d+` are numbers, parsed exactly from the text (never through a
//!   binary float). The written scale is kept: `80.00` has scale 2; `1.50e1` is `15.0`.
//!   Leading zeros are YAML integers too: `007` is the number 7 (its raw text keeps `007`).
//!   A number that a 96-bit decimal cannot hold exactly becomes
//!   [`NodeValue::InvalidNumber`] with the reason; trailing fractional zeros are dropped
//!   first if that makes it fit (the value stays exact, only the scale shrinks).
//! - `.inf`, `-.inf`, `.nan`, `0x1F`, `0o17` stay **strings**: no budget figure is written
//!   that way, an infinity or NaN has no decimal, and reading `0x1F` as 31 would surprise
//!   an auditor more than a string does. Full-width digits (`１２`) are strings too.
//! - Everything else is a string: `2023-12-31`, `25%`, `≥90%`, `A02010105`.

use rust_decimal::Decimal;

use super::NodeValue;

/// The meaning of a plain scalar whose text is `text` (`empty` when nothing was written).
pub(super) fn resolve_plain(text: &str) -> NodeValue {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return NodeValue::Null,
        "true" | "True" | "TRUE" => return NodeValue::Bool(true),
        "false" | "False" | "FALSE" => return NodeValue::Bool(false),
        _ => {}
    }
    match parse_number(text) {
        Some(Ok(d)) => NodeValue::Number(d),
        Some(Err(reason)) => NodeValue::InvalidNumber(reason.into()),
        None => NodeValue::String(text.into()),
    }
}

/// `None` when `text` is not a number literal; otherwise its exact value or the
/// reason it cannot be held.
pub(super) fn parse_number(text: &str) -> Option<Result<Decimal, &'static str>> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let int_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = &bytes[int_start..i];
    let mut frac_digits: &[u8] = &[];
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = &bytes[frac_start..i];
    }
    if int_digits.is_empty() && frac_digits.is_empty() {
        return None;
    }
    let mut exponent: i64 = 0;
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        let exp_negative = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let exp_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            // Saturate: anything this large is out of range anyway.
            exponent = exponent.saturating_mul(10).saturating_add(i64::from(bytes[i] - b'0'));
            i += 1;
        }
        if i == exp_start {
            return None;
        }
        if exp_negative {
            exponent = -exponent;
        }
    }
    if i != bytes.len() {
        return None;
    }
    // Far beyond any decimal, and small enough that the arithmetic below cannot overflow.
    let exponent = exponent.clamp(-1_000_000, 1_000_000);
    Some(exact(negative, int_digits, frac_digits, exponent))
}

const MAX_SCALE: i64 = 28;
/// Significant digits a decimal may have (spec §5).
const MAX_DIGITS: usize = 28;

/// The decimal `±int_digits.frac_digits × 10^exponent`, exactly, or why not.
fn exact(negative: bool, int_digits: &[u8], frac_digits: &[u8], exponent: i64) -> Result<Decimal, &'static str> {
    // All the written digits form the mantissa; the scale says where the point is.
    let total = int_digits.len() + frac_digits.len();
    let digit = |k: usize| {
        if k < int_digits.len() {
            int_digits[k]
        } else {
            frac_digits[k - int_digits.len()]
        }
    };
    let first = (0..total).find(|&k| digit(k) != b'0').unwrap_or(total);
    let mut scale: i64 = frac_digits.len() as i64 - exponent;
    // Significant digits, from the first non-zero one.
    let mut len = total - first;
    if len == 0 {
        // Zero: keep the written scale when it can be held.
        return Ok(Decimal::from_i128_with_scale(0, scale.clamp(0, MAX_SCALE) as u32));
    }
    // Drop trailing zeros after the point while the number does not fit.
    while scale > 0 && digit(first + len - 1) == b'0' && (len > MAX_DIGITS || scale > MAX_SCALE) {
        len -= 1;
        scale -= 1;
    }
    // Digits of the integer part once the point is placed.
    let int_len = len as i64 - scale;
    if int_len > 29 {
        return Err("is out of range");
    }
    if scale > MAX_SCALE {
        return Err(if int_len > -MAX_SCALE && len > 28 {
            "has more than 28 significant digits"
        } else {
            "has more than 28 decimal places"
        });
    }
    if len > MAX_DIGITS {
        return Err("has more than 28 significant digits");
    }
    let mut mantissa: u128 = 0;
    for k in first..first + len {
        mantissa = mantissa * 10 + u128::from(digit(k) - b'0');
    }
    // A negative scale means zeros to append (an exponent); int_len <= 29 bounds it.
    let (mantissa, scale) = if scale < 0 {
        (mantissa * 10u128.pow((-scale) as u32), 0)
    } else {
        (mantissa, scale as u32)
    };
    // 28 significant digits, as for numbers in rules (the 96-bit mantissa
    // holds some 29-digit numbers too, but not all: refuse them all alike).
    const MAX_MANTISSA: u128 = 10u128.pow(MAX_DIGITS as u32) - 1;
    if mantissa > MAX_MANTISSA {
        return Err(if scale == 0 || int_len >= 29 {
            "is out of range"
        } else {
            "has more than 28 significant digits"
        });
    }
    let signed = if negative {
        -(mantissa as i128)
    } else {
        mantissa as i128
    };
    Ok(Decimal::from_i128_with_scale(signed, scale))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn num(text: &str) -> Decimal {
        match resolve_plain(text) {
            NodeValue::Number(d) => d,
            other => panic!("{text}: expected a number, got {other:?}"),
        }
    }

    fn invalid(text: &str) -> String {
        match resolve_plain(text) {
            NodeValue::InvalidNumber(reason) => reason.into(),
            other => panic!("{text}: expected an invalid number, got {other:?}"),
        }
    }

    fn string(text: &str) {
        match resolve_plain(text) {
            NodeValue::String(s) => assert_eq!(&*s, text),
            other => panic!("{text}: expected a string, got {other:?}"),
        }
    }

    #[test]
    fn nulls_and_booleans() {
        for t in ["", "~", "null", "Null", "NULL"] {
            assert!(matches!(resolve_plain(t), NodeValue::Null), "{t}");
        }
        for t in ["true", "True", "TRUE"] {
            assert!(matches!(resolve_plain(t), NodeValue::Bool(true)), "{t}");
        }
        for t in ["false", "False", "FALSE"] {
            assert!(matches!(resolve_plain(t), NodeValue::Bool(false)), "{t}");
        }
        string("nULL");
        string("yes");
        string("tRUE");
    }

    #[test]
    fn decimals_keep_their_written_scale() {
        let d = num("80.00");
        assert_eq!(d.scale(), 2);
        assert_eq!(d, Decimal::from(80));
        assert_eq!(d.to_string(), "80.00");
        assert_eq!(num("1537.92"), Decimal::from_str("1537.92").unwrap());
        assert_eq!(num("-463.97").to_string(), "-463.97");
        assert_eq!(num("+5").to_string(), "5");
        assert_eq!(num("1.").to_string(), "1");
        assert_eq!(num(".5").to_string(), "0.5");
        assert_eq!(num("-.5").to_string(), "-0.5");
        assert_eq!(num("0.000").scale(), 3);
        assert_eq!(num("007").to_string(), "7");
        assert_eq!(num("434001"), Decimal::from(434001));
        // 0.1 exactly, not the nearest binary float.
        assert_eq!(num("0.1") + num("0.2"), num("0.3"));
    }

    #[test]
    fn exponents_are_exact() {
        assert_eq!(num("1e3").to_string(), "1000");
        assert_eq!(num("1.5E-2").to_string(), "0.015");
        assert_eq!(num("2.5e3").to_string(), "2500");
        assert_eq!(num("1.50e1").to_string(), "15.0");
        assert_eq!(num("0e999999999999999999999").to_string(), "0");
        assert_eq!(invalid("1e29"), "is out of range");
        assert_eq!(invalid("1e999999999999999999999"), "is out of range");
        assert_eq!(invalid("1e-29"), "has more than 28 decimal places");
        assert_eq!(num("1e-28").to_string(), "0.0000000000000000000000000001");
        string("1e");
        string("e3");
        string("1e+");
    }

    #[test]
    fn limits_of_a_decimal() {
        // 28 significant digits fit.
        assert_eq!(
            num("1234567890123456789012345678").to_string(),
            "1234567890123456789012345678"
        );
        assert_eq!(
            num("-9999999999999999999999999999").to_string(),
            "-9999999999999999999999999999"
        );
        // 29 digits are refused, as in rule literals, even where the 96-bit
        // mantissa could hold them.
        assert_eq!(
            invalid("79228162514264337593543950335"),
            "has more than 28 significant digits"
        );
        assert_eq!(
            invalid("12345678901234567890123456789"),
            "has more than 28 significant digits"
        );
        assert_eq!(
            invalid("1.2345678901234567890123456789"),
            "has more than 28 significant digits"
        );
        assert_eq!(invalid("123456789012345678901234567890"), "is out of range");
        assert_eq!(invalid("1e28"), "is out of range");
        assert_eq!(num("1e27").to_string(), "1000000000000000000000000000");
        assert_eq!(
            invalid("9.9999999999999999999999999999"),
            "has more than 28 significant digits"
        );
        assert_eq!(
            invalid("0.12345678901234567890123456789"),
            "has more than 28 significant digits"
        );
        assert_eq!(
            invalid("12345678901234567890123456.7891"),
            "has more than 28 significant digits"
        );
        // Trailing zeros beyond what fits are dropped; the value stays exact.
        let d = num("1.00000000000000000000000000000000000");
        assert_eq!(d, Decimal::ONE);
        // 28 significant digits: 1 and 27 zeros.
        assert_eq!(d.scale(), 27);
    }

    #[test]
    fn what_stays_a_string() {
        for t in [
            ".inf",
            "-.inf",
            ".nan",
            ".NaN",
            "0x1F",
            "0o17",
            "2023-12-31",
            "25%",
            "≥90%",
            "13073024P00046210002J",
            "A02010105",
            "1,537.92",
            "1_000",
            "１２",
            "1.2.3",
            "-",
            "+",
            ".",
            "- 1",
            "1 ",
            "Infinity",
        ] {
            string(t);
        }
    }
}
