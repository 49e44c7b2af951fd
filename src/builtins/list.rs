//! Lists and maps: sum, count, len, min, max, avg, all, any, keys, values, unique.
//!
//! Where a list is expected a map is accepted too and stands for its values
//! (`sum(支出计划)`), as `for` loops over a map's values.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::{described, Args, BuiltinError, BuiltinResult};
use crate::value::date::Date;
use crate::value::{equal, Value, View};

/// The numbers of a list; a non-number (a blank cell too) names its position.
fn numbers(args: &Args, what: &str) -> Result<Vec<Decimal>, BuiltinError> {
    args.list(0)?
        .iter()
        .enumerate()
        .map(|(i, v)| match v.view(args.doc) {
            View::Num(n) => Ok(n),
            View::InvalidNumber(why) => Err(BuiltinError::Arithmetic(format!(
                "{what}: element {i} (`{}`) cannot be used: the number {why}",
                crate::value::show(args.doc, v)
            ))),
            _ => Err(BuiltinError::Type(format!(
                "{what} needs numbers, but element {i} is {}",
                described(args.doc, v)
            ))),
        })
        .collect()
}

/// The exact total, or an arithmetic error naming the element that overflowed.
fn total(values: &[Decimal]) -> Result<Decimal, BuiltinError> {
    values.iter().enumerate().try_fold(Decimal::ZERO, |acc, (i, &n)| {
        acc.checked_add(n).ok_or_else(|| {
            BuiltinError::Arithmetic(format!(
                "overflow: adding element {i} (`{n}`) to `{acc}` does not fit in 28 significant digits"
            ))
        })
    })
}

pub fn sum(args: &Args) -> BuiltinResult {
    Ok(Value::Num(total(&numbers(args, "sum")?)?))
}

pub fn count(args: &Args) -> BuiltinResult {
    Ok(Value::Num(Decimal::from(args.list(0)?.len())))
}

pub fn len(args: &Args) -> BuiltinResult {
    let v = args.value(0);
    let n = match v.view(args.doc) {
        View::Str(s) => s.chars().count(),
        View::List(items) => items.len(),
        View::Map(entries) => entries.len(),
        _ => {
            return Err(BuiltinError::Type(format!(
                "len needs a string, a list or a map, found {}",
                described(args.doc, v)
            )))
        }
    };
    Ok(Value::Num(Decimal::from(n)))
}

/// The first element that no other beats: `wanted` is the ordering of a
/// better element against the best so far. The element itself is returned,
/// so a data value keeps its place in the document.
fn extreme(args: &Args, name: &str, wanted: Ordering) -> BuiltinResult {
    let items = args.list(0)?;
    if items.is_empty() {
        return Err(BuiltinError::Arithmetic(format!("{name} of an empty list")));
    }
    let strings: Option<Vec<&str>> = items.iter().map(|v| v.as_str(args.doc)).collect();
    let dates: Option<Vec<Date>> = items
        .iter()
        .map(|v| match v {
            Value::Date(d) => Some(*d),
            _ => None,
        })
        .collect();
    let best = match (strings, dates) {
        (Some(strings), _) => best_index(&strings, wanted),
        (_, Some(dates)) => best_index(&dates, wanted),
        _ => best_index(&numbers(args, name)?, wanted),
    };
    Ok(items[best].clone())
}

fn best_index<T: Ord>(keys: &[T], wanted: Ordering) -> usize {
    (1..keys.len()).fold(0, |best, i| if keys[i].cmp(&keys[best]) == wanted { i } else { best })
}

pub fn min(args: &Args) -> BuiltinResult {
    extreme(args, "min", Ordering::Less)
}

pub fn max(args: &Args) -> BuiltinResult {
    extreme(args, "max", Ordering::Greater)
}

/// The exact mean, without trailing zeros; a repeating fraction is rounded to 28 digits.
pub fn avg(args: &Args) -> BuiltinResult {
    let numbers = numbers(args, "avg")?;
    if numbers.is_empty() {
        return Err(BuiltinError::Arithmetic("avg of an empty list".into()));
    }
    total(&numbers)?
        .checked_div(Decimal::from(numbers.len()))
        .map(|n| Value::Num(n.normalize()))
        .ok_or_else(|| BuiltinError::Arithmetic("overflow: the mean does not fit in 28 significant digits".into()))
}

fn booleans(args: &Args, what: &str) -> Result<Vec<bool>, BuiltinError> {
    args.list(0)?
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_bool(args.doc).ok_or_else(|| {
                BuiltinError::Type(format!(
                    "{what} needs true or false, but element {i} is {}",
                    described(args.doc, v)
                ))
            })
        })
        .collect()
}

pub fn all(args: &Args) -> BuiltinResult {
    Ok(Value::Bool(booleans(args, "all")?.into_iter().all(|b| b)))
}

pub fn any(args: &Args) -> BuiltinResult {
    Ok(Value::Bool(booleans(args, "any")?.into_iter().any(|b| b)))
}

fn map_entries<'a>(args: &'a Args, name: &str) -> Result<Vec<(std::borrow::Cow<'a, str>, Value)>, BuiltinError> {
    match args.value(0).view(args.doc) {
        View::Map(entries) => Ok(entries),
        _ => Err(BuiltinError::Type(format!(
            "{name} needs a map, found {}",
            described(args.doc, args.value(0))
        ))),
    }
}

pub fn keys(args: &Args) -> BuiltinResult {
    Ok(Value::list(
        map_entries(args, "keys")?
            .into_iter()
            .map(|(k, _)| Value::str(&k))
            .collect(),
    ))
}

pub fn values(args: &Args) -> BuiltinResult {
    Ok(Value::list(
        map_entries(args, "values")?.into_iter().map(|(_, v)| v).collect(),
    ))
}

/// First occurrences, in order; `80.00` and `80` are the same element (the
/// first is kept); values of different types are different elements.
pub fn unique(args: &Args) -> BuiltinResult {
    // Scalars by a hash of what `==` compares (linear); anything else (lists,
    // maps, dates) against the other kept values of its kind, as before.
    let mut seen: rustc_hash::FxHashSet<ScalarKey> = Default::default();
    let mut others: Vec<Value> = Vec::new();
    let mut kept: Vec<Value> = Vec::new();
    for item in args.list(0)? {
        let new = match ScalarKey::of(args.doc, &item) {
            Some(key) => seen.insert(key),
            None if others.iter().any(|k| equal(args.doc, k, &item) == Some(true)) => false,
            None => {
                others.push(item.clone());
                true
            }
        };
        if new {
            kept.push(item);
        }
    }
    Ok(Value::list(kept))
}

/// A scalar as `==` sees it: two scalars are equal exactly when their keys
/// are (numbers by value, `80.00 == 80`); a scalar never equals a non-scalar.
#[derive(PartialEq, Eq, Hash)]
enum ScalarKey {
    Null,
    Bool(bool),
    Num(Decimal),
    Str(String),
}

impl ScalarKey {
    fn of(doc: &crate::data::Document, value: &Value) -> Option<ScalarKey> {
        Some(match value.view(doc) {
            View::Null => ScalarKey::Null,
            View::Bool(b) => ScalarKey::Bool(b),
            View::Num(n) => ScalarKey::Num(n.normalize()),
            View::Str(s) => ScalarKey::Str(s.to_owned()),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    const BIG: &str = "79000000000000000000000000000";

    // sum
    yields!(sum_empty, sum(list![]), "0");
    yields!(sum_literals, sum(list![n("0.1"), n("0.2")]), "0.3");
    yields!(sum_data_keeps_scale, sum(d("金额")), "6.50");
    yields!(
        sum_of_a_map_sums_its_values,
        sum(map(&[("a", n("1")), ("b", n("2"))])),
        "3"
    );
    yields!(sum_mixed_literal_and_data, sum(list![d("表.b"), n("-1")]), "0");
    fails!(
        sum_overflow,
        sum(list![n(BIG), n(BIG)]),
        Arithmetic,
        "overflow: adding element 1"
    );
    fails!(sum_blank_cell, sum(d("空格")), Type, "element 1 is null (at `空格[1]`)");
    fails!(
        sum_of_strings,
        sum(list![n("1"), s("2")]),
        Type,
        "element 1 is a string `\"2\"`"
    );
    fails!(
        sum_of_a_number,
        sum(n("1")),
        Type,
        "expected a list, found a number `1`"
    );
    fails!(
        sum_invalid_data_number,
        sum(list![d("巨数")]),
        Arithmetic,
        "element 0 (`1e40`) cannot be used: the number is out of range"
    );

    // count, len
    yields!(count_list, count(d("金额")), "3");
    yields!(count_empty, count(d("空表")), "0");
    yields!(count_map, count(d("表")), "2");
    fails!(count_string, count(s("abc")), Type, "expected a list");
    yields!(len_characters_not_bytes, len(d("名称")), "3");
    yields!(len_list, len(list![n("1"), n("2")]), "2");
    yields!(len_map, len(d("表")), "2");
    yields!(len_empty_string, len(s("")), "0");
    fails!(
        len_number,
        len(n("5")),
        Type,
        "len needs a string, a list or a map, found a number `5`"
    );
    fails!(len_null, len(d("空")), Type, "found null (at `空`)");

    // min, max
    yields!(min_numbers, min(list![n("3"), n("-1"), n("2")]), "-1");
    yields!(max_numbers, max(list![n("3"), n("-1"), n("2")]), "3");
    yields!(max_data_as_written, max(d("金额")), "3");
    yields!(min_data_as_written, min(d("金额")), "1.50");
    yields!(min_first_of_equals, min(list![n("80.00"), n("80"), n("90")]), "80.00");
    yields!(max_first_of_equals, max(list![n("80"), n("80.00")]), "80");
    // Strings compare by code point, as `<` does: 乙 (U+4E59) before 甲 (U+7532).
    yields!(min_strings, min(d("文字")), "乙");
    yields!(max_strings_data, max(d("文字")), "甲");
    yields!(max_strings, max(list![s("a"), s("c"), s("b")]), "\"c\"");
    fails!(min_empty, min(list![]), Arithmetic, "min of an empty list");
    fails!(max_empty_data, max(d("空表")), Arithmetic, "max of an empty list");
    fails!(
        min_mixed,
        min(list![n("1"), s("a")]),
        Type,
        "min needs numbers, but element 1 is a string"
    );
    fails!(max_blank, max(d("空格")), Type, "element 1 is null");
    fails!(max_booleans, max(d("标志")), Type, "element 0 is a boolean `true`");

    #[test]
    fn min_returns_the_data_element() {
        let (_, got) = call("min", vec![d("金额")]);
        assert!(matches!(got, Ok(crate::value::Value::Data(_))));
    }

    // avg
    yields!(avg_exact, avg(list![n("1"), n("2"), n("3"), n("4")]), "2.5");
    yields!(avg_data, avg(d("金额")), "2.1666666666666666666666666667");
    yields!(avg_trailing_zeros_dropped, avg(list![n("80.00"), n("80.00")]), "80");
    fails!(avg_empty, avg(list![]), Arithmetic, "avg of an empty list");
    fails!(avg_overflow, avg(list![n(BIG), n(BIG)]), Arithmetic, "overflow");
    fails!(
        avg_strings,
        avg(d("文字")),
        Type,
        "avg needs numbers, but element 0 is a string"
    );

    // all, any
    yields!(all_true, all(list![Value::Bool(true), Value::Bool(true)]), "true");
    yields!(all_data, all(d("标志")), "false");
    yields!(all_empty, all(list![]), "true");
    yields!(any_data, any(d("标志")), "true");
    yields!(any_empty, any(list![]), "false");
    fails!(
        all_numbers,
        all(d("金额")),
        Type,
        "all needs true or false, but element 0 is a number `1.50`"
    );
    fails!(
        any_null,
        any(list![Value::Bool(false), Value::Null]),
        Type,
        "element 1 is null"
    );

    // keys, values
    yields!(keys_in_document_order, keys(d("表")), "[\"b\", \"a\"]");
    yields!(
        keys_of_a_computed_map,
        keys(map(&[("z", n("1")), ("y", n("2"))])),
        "[\"z\", \"y\"]"
    );
    yields!(values_in_document_order, values(d("表")), "[1, x]");
    yields!(keys_of_an_empty_map, keys(map(&[])), "[]");
    fails!(keys_of_a_list, keys(d("金额")), Type, "keys needs a map, found a list");
    fails!(
        values_of_null,
        values(Value::Null),
        Type,
        "values needs a map, found null"
    );

    // unique
    yields!(
        unique_keeps_first,
        unique(list![n("1"), n("2"), n("1"), n("3")]),
        "[1, 2, 3]"
    );
    yields!(unique_data, unique(d("文字")), "[乙, 甲]");
    yields!(unique_numbers_by_value, unique(list![n("80.00"), n("80")]), "[80.00]");
    yields!(
        unique_mixed_types_differ,
        unique(list![n("1"), s("1"), Value::Null, Value::Null]),
        "[1, \"1\", null]"
    );
    yields!(unique_lists, unique(list![list![n("1")], list![n("1.0")]]), "[[1]]");
    yields!(
        unique_scalars_and_lists_apart,
        unique(list![
            n("1"),
            list![n("1")],
            n("1.0"),
            list![n("1")],
            Value::Bool(true),
            Value::Bool(true)
        ]),
        "[1, [1], true]"
    );
    fails!(unique_of_a_string, unique(s("aa")), Type, "expected a list");

    use crate::value::Value;
}
