//! Calendar dates (proleptic Gregorian), the value `date(s)` returns. A date
//! is a day number, so comparing and subtracting dates is integer arithmetic;
//! it shows as ISO 8601 (`2024-03-31`) everywhere.
//!
//! Hand-written rather than a date crate: the language needs five operations
//! on whole days (read, compare, year/month/day, days between), and the civil
//! day-number conversion below is exact for every year it accepts.

use std::fmt;

/// Years a date may have: four-digit years, as documents write them.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i32,
}

impl Date {
    /// The date, or `None` when there is no such day (`2023-02-29`).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let valid = YEARS.contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then(|| Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// The last day of a month: a deadline month means its end.
    pub fn end_of_month(year: i32, month: u32) -> Option<Date> {
        if !(1..=12).contains(&month) {
            return None;
        }
        Date::new(year, month, days_in_month(year, month))
    }

    pub fn year(self) -> i32 {
        self.civil().0
    }

    pub fn month(self) -> u32 {
        self.civil().1
    }

    pub fn day(self) -> u32 {
        self.civil().2
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        i64::from(later.days) - i64::from(self.days)
    }

    /// (year, month, day), after Howard Hinnant's `civil_from_days`.
    fn civil(self) -> (i32, u32, u32) {
        let z = self.days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i32::from(month <= 2);
        (year, month, day)
    }
}

/// Howard Hinnant's `days_from_civil`: days since 1970-01-01.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.civil();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// Reads the written forms of a date (spec §14), white space around allowed:
///
/// - a day: `2024-03-31`, `2024/3/31`, `2024.3.31`, `2024年3月31日`;
/// - a month's last day: `2024年3月`, `2024年3月底`, `2024年3月末`;
/// - 31 December: `2024年底`, `2024年末`.
///
/// Years have four digits, months and days one or two. Anything else, or a
/// day that does not exist (`2023年2月29日`), is `None`.
pub fn parse(text: &str) -> Option<Date> {
    let text = text.trim();
    let (year, rest) = split_number(text, 4, 4)?;
    if let Some(sep) = rest.chars().next().filter(|c| matches!(c, '-' | '/' | '.')) {
        let (month, rest) = split_number(&rest[1..], 1, 2)?;
        let rest = rest.strip_prefix(sep)?;
        let (day, rest) = split_number(rest, 1, 2)?;
        return if rest.is_empty() {
            Date::new(year as i32, month, day)
        } else {
            None
        };
    }
    let rest = rest.strip_prefix('年')?;
    if matches!(rest, "底" | "末") {
        return Date::new(year as i32, 12, 31);
    }
    let (month, rest) = split_number(rest, 1, 2)?;
    let rest = rest.strip_prefix('月')?;
    match rest {
        "" | "底" | "末" => Date::end_of_month(year as i32, month),
        _ => {
            let (day, rest) = split_number(rest, 1, 2)?;
            if matches!(rest, "日" | "号") {
                Date::new(year as i32, month, day)
            } else {
                None
            }
        }
    }
}

/// A run of `min..=max` ASCII digits at the start of `text`, and the rest.
fn split_number(text: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let len = text.bytes().take_while(u8::is_ascii_digit).count();
    if len < min || len > max {
        return None;
    }
    Some((text[..len].parse().ok()?, &text[len..]))
}

/// The longest prefix of `text` that is a date, and the rest: `indicator`
/// reads `2024年12月底前` as the date and `前`.
pub fn parse_prefix(text: &str) -> Option<(Date, &str)> {
    // Dates are short: try each char boundary from the longest down.
    let ends: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .chain([text.len()])
        .filter(|&end| end <= 20)
        .collect();
    ends.into_iter()
        .rev()
        .find_map(|end| parse(&text[..end]).map(|d| (d, &text[end..])))
}

#[cfg(test)]
mod tests {
    use super::{parse, parse_prefix, Date};

    fn iso(text: &str) -> Option<String> {
        parse(text).map(|d| d.to_string())
    }

    #[test]
    fn written_days() {
        for text in [
            "2024-03-31",
            "2024/3/31",
            "2024.3.31",
            "2024年3月31日",
            " 2024-3-31 ",
            "2024年3月31号",
        ] {
            assert_eq!(iso(text).as_deref(), Some("2024-03-31"), "{text}");
        }
    }

    #[test]
    fn month_ends() {
        for text in ["2024年3月", "2024年3月底", "2024年3月末"] {
            assert_eq!(iso(text).as_deref(), Some("2024-03-31"), "{text}");
        }
        assert_eq!(iso("2024年2月底").as_deref(), Some("2024-02-29"));
        assert_eq!(iso("2023年2月底").as_deref(), Some("2023-02-28"));
        assert_eq!(iso("2100年2月").as_deref(), Some("2100-02-28"));
        assert_eq!(iso("2000年2月").as_deref(), Some("2000-02-29"));
        assert_eq!(iso("2024年6月末").as_deref(), Some("2024-06-30"));
    }

    #[test]
    fn year_ends() {
        assert_eq!(iso("2024年底").as_deref(), Some("2024-12-31"));
        assert_eq!(iso("2024年末").as_deref(), Some("2024-12-31"));
    }

    #[test]
    fn not_dates() {
        for text in [
            "",
            "2024",
            "2024年",
            "2023年2月29日",
            "2024-13-01",
            "2024-02-30",
            "2024-03/31",
            "24-03-31",
            "2024-003-31",
            "2024年3月31",
            "2024年12月底前",
            "３月",
            "二〇二四年",
            "2024年0月",
            "0000-01-01",
        ] {
            assert_eq!(iso(text), None, "{text}");
        }
    }

    #[test]
    fn parts_and_distances() {
        let d = Date::new(2024, 3, 31).unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2024, 3, 31));
        let new_year = Date::new(2024, 1, 1).unwrap();
        assert_eq!(new_year.days_until(d), 90);
        assert_eq!(d.days_until(new_year), -90);
        assert!(new_year < d);
        let epoch = Date::new(1970, 1, 1).unwrap();
        assert_eq!(epoch.to_string(), "1970-01-01");
        for (y, m, day) in [(1, 1, 1), (1600, 2, 29), (9999, 12, 31), (1969, 12, 31)] {
            let date = Date::new(y, m, day).unwrap();
            assert_eq!((date.year(), date.month(), date.day()), (y, m, day));
        }
    }

    #[test]
    fn prefixes() {
        let (d, rest) = parse_prefix("2024年12月底前").unwrap();
        assert_eq!((d.to_string().as_str(), rest), ("2024-12-31", "前"));
        let (d, rest) = parse_prefix("2024-06-30之前").unwrap();
        assert_eq!((d.to_string().as_str(), rest), ("2024-06-30", "之前"));
        assert!(parse_prefix("12月底前").is_none());
    }
}
