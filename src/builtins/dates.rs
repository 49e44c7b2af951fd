//! Dates and text: date, year, month, day, days, text (spec §14).

use std::borrow::Cow;

use rust_decimal::Decimal;

use super::{described, Args, BuiltinError, BuiltinResult};
use crate::text::{clip, VALUE_CHARS};
use crate::value::date::{self, Date};
use crate::value::Value;

/// `date(s)`: the day a string names (see [`date::parse`] for the forms), or
/// `null` for any other text. A date is itself; anything else is a type error.
pub fn date(args: &Args) -> BuiltinResult {
    if let Value::Date(d) = args.value(0) {
        return Ok(Value::Date(*d));
    }
    Ok(date::parse(args.str(0)?).map_or(Value::Null, Value::Date))
}

fn a_date(args: &Args, i: usize) -> Result<Date, BuiltinError> {
    match args.value(i) {
        Value::Date(d) => Ok(*d),
        other => Err(BuiltinError::Type(format!(
            "expected a date (from `date(…)`), found {}",
            described(args.doc, other)
        ))),
    }
}

pub fn year(args: &Args) -> BuiltinResult {
    Ok(Value::Num(Decimal::from(a_date(args, 0)?.year())))
}

pub fn month(args: &Args) -> BuiltinResult {
    Ok(Value::Num(Decimal::from(a_date(args, 0)?.month())))
}

pub fn day(args: &Args) -> BuiltinResult {
    Ok(Value::Num(Decimal::from(a_date(args, 0)?.day())))
}

/// `days(a, b)`: days from `a` to `b`, negative when `b` is earlier.
pub fn days(args: &Args) -> BuiltinResult {
    let (a, b) = (a_date(args, 0)?, a_date(args, 1)?);
    Ok(Value::Num(Decimal::from(a.days_until(b))))
}

/// `text(x)`: any value as a `{…}` in a message shows it — strings bare,
/// data numbers as written, dates as `2024-03-31`.
pub fn text(args: &Args) -> BuiltinResult {
    let value = args.value(0);
    // A string short enough to show whole is itself: the same string, not a
    // copy (a data string stays the data value, as `{x}` shows it bare).
    let whole = |s: &str| matches!(clip(s, VALUE_CHARS), Cow::Borrowed(_));
    Ok(match value {
        Value::Str(s) if whole(s) => Value::Str(s.clone()),
        Value::Data(_) if value.as_str(args.doc).is_some_and(whole) => value.clone(),
        other => Value::Str(crate::value::interpolate(args.doc, other).into()),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::value::date::Date;
    use crate::value::Value;

    fn dt(y: i32, m: u32, d: u32) -> Value {
        Value::Date(Date::new(y, m, d).unwrap())
    }

    yields!(iso_day, date(s("2024-03-31")), "2024-03-31");
    yields!(slashes, date(s("2024/3/31")), "2024-03-31");
    yields!(dots, date(s("2024.3.31")), "2024-03-31");
    yields!(chinese_day, date(s("2024年3月31日")), "2024-03-31");
    yields!(month_alone, date(s("2024年3月")), "2024-03-31");
    yields!(month_end, date(s("2024年3月底")), "2024-03-31");
    yields!(month_end_mo, date(s("2024年3月末")), "2024-03-31");
    yields!(year_end, date(s("2024年底")), "2024-12-31");
    yields!(year_end_mo, date(s("2024年末")), "2024-12-31");
    yields!(leap_february, date(s("2024年2月")), "2024-02-29");
    yields!(a_date_is_itself, date(dt(2024, 1, 2)), "2024-01-02");
    yields!(not_a_date, date(s("能够保障")), "null");
    yields!(no_such_day, date(s("2023-02-29")), "null");
    yields!(deadline_words, date(s("2024年12月底前")), "null");
    yields!(data_string, date(d("名称")), "null");
    fails!(
        number_is_not_text,
        date(n("2024")),
        Type,
        "expected a string, found a number `2024`"
    );
    fails!(
        null_is_not_text,
        date(Value::Null),
        Type,
        "expected a string, found null"
    );

    yields!(year_of, year(dt(2024, 3, 31)), "2024");
    yields!(month_of, month(dt(2024, 3, 31)), "3");
    yields!(day_of, day(dt(2024, 3, 31)), "31");
    yields!(days_forward, days(dt(2024, 1, 1), dt(2024, 3, 31)), "90");
    yields!(days_backward, days(dt(2024, 3, 31), dt(2024, 1, 1)), "-90");
    yields!(days_over_a_leap_year, days(dt(2024, 1, 1), dt(2025, 1, 1)), "366");
    fails!(
        year_of_string,
        year(s("2024-03-31")),
        Type,
        "expected a date (from `date(…)`), found a string"
    );
    fails!(days_of_number, days(dt(2024, 1, 1), n("5")), Type, "found a number `5`");

    yields!(text_of_number, text(n("80.00")), "\"80.00\"");
    yields!(text_of_data_number, text(d("金额")), "\"[1.50, 2, 3]\"");
    yields!(text_of_string, text(s("怀来")), "\"怀来\"");
    // A data string is its own text: the data value, shown as written.
    yields!(text_of_data_string, text(d("名称")), "怀来县");
    yields!(text_of_date, text(dt(2024, 3, 31)), "\"2024-03-31\"");
    yields!(text_of_null, text(Value::Null), "\"null\"");
    yields!(text_of_bool, text(Value::Bool(true)), "\"true\"");
}
