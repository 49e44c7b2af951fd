//! Literal text → values: string escapes and number literals. Works on plain
//! `&str` slices with their absolute byte offset, so every error has a span.

use rust_decimal::Decimal;

use super::SyntaxError;
use crate::source::{FileId, Span};

/// Decodes the escapes of a string body (the text between the quotes).
/// `\"`, `\\`, `\n`, `\t` and `\u{XXXX}` are escapes; a backslash before any
/// other character is kept as written, so `"^\d{6}$"` stays a usable regex.
/// `start` is the absolute byte offset of `body`.
pub(super) fn unescape(file: FileId, body: &str, start: usize) -> Result<String, SyntaxError> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().map(|&(_, c)| c) {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('u') if body[i + 2..].starts_with('{') => {
                let rest = &body[i + 3..];
                let close = rest.find('}');
                let hex = close.map_or(rest, |n| &rest[..n]);
                let end = i + 3 + close.map_or(rest.len(), |n| n + 1);
                let span = Span::new(file, start + i, start + end);
                let escape = &body[i..end];
                let value = u32::from_str_radix(hex, 16)
                    .ok()
                    .filter(|_| close.is_some() && (1..=6).contains(&hex.len()));
                let Some(c) = value.and_then(char::from_u32) else {
                    return Err(SyntaxError::new(
                        span,
                        format!("invalid unicode escape `{escape}`"),
                        "not a unicode escape",
                    )
                    .with_help("write 1 to 6 hexadecimal digits of a Unicode scalar value, e.g. `\\u{4E2D}`"));
                };
                out.push(c);
                // Skip the rest of the escape: `u{…}`.
                while chars.next_if(|&(j, _)| j < end).is_some() {}
                continue;
            }
            // Any other character: the backslash stays.
            _ => {
                out.push('\\');
                continue;
            }
        }
        chars.next();
    }
    Ok(out)
}

/// The most characters a regex pattern may have. Compiling a pattern costs
/// time and memory in proportion to its length (a 1.5 MB literal took 8 s
/// and 390 MB) long before the compiled-size limit is reached.
pub const MAX_PATTERN_CHARS: usize = 10_000;

/// Compiles a regex pattern from a rule or from data, bounded: at most
/// [`MAX_PATTERN_CHARS`] characters, and the `regex` crate's limits on the
/// compiled size. The error says what is wrong, without repeating the pattern.
pub fn compile_regex(pattern: &str) -> Result<regex::Regex, String> {
    let chars = pattern.chars().count();
    if chars > MAX_PATTERN_CHARS {
        return Err(format!(
            "the pattern has {chars} characters, more than the {MAX_PATTERN_CHARS} a regex may have"
        ));
    }
    regex::Regex::new(pattern).map_err(|e| e.to_string())
}

/// The most significant digits a literal may have (rust_decimal's 96-bit mantissa).
const MAX_DIGITS: usize = 28;

/// Parses a number literal as the grammar accepts it (`12`, `1537.92`, `25%`,
/// `12.5%`), exactly: never rounded.
pub(super) fn number(span: Span, text: &str) -> Result<Decimal, SyntaxError> {
    let (digits, percent) = match text.strip_suffix('%') {
        Some(d) => (d, true),
        None => (text, false),
    };
    let significant = digits
        .chars()
        .filter(char::is_ascii_digit)
        .skip_while(|&c| c == '0')
        .count();
    if significant > MAX_DIGITS {
        return Err(SyntaxError::new(
            span,
            format!("number `{text}` has more than {MAX_DIGITS} significant digits"),
            "too many digits",
        )
        .with_help("numbers are exact decimals of at most 28 digits; they are never rounded"));
    }
    let inexact = || {
        SyntaxError::new(
            span,
            format!("number `{text}` cannot be represented exactly"),
            "out of range",
        )
        .with_help("numbers are exact decimals with at most 28 digits and 28 decimal places")
    };
    let mut value = Decimal::from_str_exact(digits).map_err(|_| inexact())?;
    if percent {
        value.set_scale(value.scale() + 2).map_err(|_| inexact())?;
    }
    Ok(value)
}

/// Explains a `bad_number` token: `1e3`, `1_000`, `3月底`.
pub(super) fn bad_number(span: Span, text: &str) -> SyntaxError {
    if let Some((mantissa, exponent)) = split_exponent(text) {
        let err = SyntaxError::new(
            span,
            format!("number `{text}` has an exponent"),
            "exponents are not allowed",
        );
        return match expand_exponent(mantissa, exponent) {
            Some(full) => err.with_help(format!("write the number out in full: `{full}`")),
            None => err.with_help("write the number out in full"),
        };
    }
    if text.contains('_') && text.chars().all(|c| c.is_ascii_digit() || "._%".contains(c)) {
        let plain: String = text.chars().filter(|&c| c != '_').collect();
        return SyntaxError::new(
            span,
            format!("number `{text}` contains `_`"),
            "digit separators are not allowed",
        )
        .with_help(format!("write `{plain}`"));
    }
    SyntaxError::new(
        span,
        format!("`{text}` is neither a number nor a name"),
        "a name cannot start with a digit",
    )
    .with_help(format!(
        "to read a data key like this one, use a string index: `表[\"{text}\"]`"
    ))
}

/// `1.5e-3` → (`1.5`, -3) when `text` is a plain decimal with an exponent.
fn split_exponent(text: &str) -> Option<(&str, i64)> {
    let at = text.find(['e', 'E'])?;
    let (mantissa, exponent) = (&text[..at], &text[at + 1..]);
    let plain = |s: &str| {
        let mut parts = s.splitn(2, '.');
        let int = parts.next().unwrap_or("");
        let frac = parts.next();
        !int.is_empty()
            && int.chars().all(|c| c.is_ascii_digit())
            && frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
    };
    let exp_digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    if !plain(mantissa) || exp_digits.is_empty() || !exp_digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((mantissa, exponent.parse().ok()?))
}

fn expand_exponent(mantissa: &str, exponent: i64) -> Option<Decimal> {
    let mut value = Decimal::from_str_exact(mantissa).ok()?;
    if exponent >= 0 {
        for _ in 0..exponent.min(29) {
            value = value.checked_mul(Decimal::TEN)?;
        }
        Some(value.normalize())
    } else {
        let scale = value.scale().checked_add(u32::try_from(-exponent).ok()?)?;
        value.set_scale(scale).ok()?;
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_patterns_are_refused_before_compiling() {
        assert!(compile_regex(&"a".repeat(MAX_PATTERN_CHARS)).is_ok());
        let err = compile_regex(&"a?".repeat(500_000)).unwrap_err();
        assert_eq!(
            err,
            "the pattern has 1000000 characters, more than the 10000 a regex may have"
        );
        assert!(
            compile_regex("((a{100}){100}){100}").is_err(),
            "the compiled-size limit holds"
        );
    }

    fn un(s: &str) -> String {
        unescape(0, s, 0).unwrap()
    }

    #[test]
    fn escapes() {
        assert_eq!(un(r#"a\"b\\c\nd\te"#), "a\"b\\c\nd\te");
        assert_eq!(un(r"\u{4E2D}文"), "中文");
        assert_eq!(un(r"^\d{6}$"), r"^\d{6}$");
        assert_eq!(un(r"\u00"), r"\u00");
        assert_eq!(un(r"x\"), r"x\");
    }

    #[test]
    fn bad_unicode_escape() {
        let e = unescape(0, r"ab\u{110000}c", 10).unwrap_err();
        assert_eq!(e.message, r"invalid unicode escape `\u{110000}`");
        assert_eq!(e.span(), Span::new(0, 12, 22));
        let e = unescape(0, r"\u{4E2D", 0).unwrap_err();
        assert_eq!(e.message, r"invalid unicode escape `\u{4E2D`");
    }

    fn num(s: &str) -> String {
        number(Span::default(), s).unwrap().to_string()
    }

    #[test]
    fn numbers() {
        assert_eq!(num("1537.92"), "1537.92");
        assert_eq!(num("80.00"), "80.00");
        assert_eq!(num("25%"), "0.25");
        assert_eq!(num("12.5%"), "0.125");
        assert_eq!(num("0"), "0");
        assert_eq!(num("0000000000000000000000000000001"), "1");
    }

    #[test]
    fn number_errors() {
        let e = number(Span::default(), "12345678901234567890123456789").unwrap_err();
        assert_eq!(
            e.message,
            "number `12345678901234567890123456789` has more than 28 significant digits"
        );
        let e = number(Span::default(), "0.00000000000000000000000000001").unwrap_err();
        assert_eq!(
            e.message,
            "number `0.00000000000000000000000000001` cannot be represented exactly"
        );
        let e = number(Span::default(), "0.0000000000000000000000000001%").unwrap_err();
        assert!(e.message.contains("cannot be represented exactly"));
    }

    #[test]
    fn bad_numbers() {
        let e = bad_number(Span::default(), "1e3");
        assert_eq!(e.message, "number `1e3` has an exponent");
        assert_eq!(e.help.as_deref(), Some("write the number out in full: `1000`"));
        let e = bad_number(Span::default(), "1.5e-3");
        assert_eq!(e.help.as_deref(), Some("write the number out in full: `0.0015`"));
        let e = bad_number(Span::default(), "1_000");
        assert_eq!(e.message, "number `1_000` contains `_`");
        assert_eq!(e.help.as_deref(), Some("write `1000`"));
        let e = bad_number(Span::default(), "3月底");
        assert_eq!(e.message, "`3月底` is neither a number nor a name");
    }
}
