//! Lists and maps: sum, count, len, min, max, avg, all, any, keys, values, unique.

use rust_decimal::Decimal;

use super::{Args, BuiltinError, BuiltinResult};
use crate::eval::value::{equal, Value, View};

/// The numbers of a list; a non-number names its position.
fn numbers(args: &Args, what: &str) -> Result<Vec<Decimal>, BuiltinError> {
    args.list(0)?
        .iter()
        .enumerate()
        .map(|(i, v)| match v.view(args.doc) {
            View::Num(n) => Ok(n),
            View::InvalidNumber(why) => Err(BuiltinError::Arithmetic(format!(
                "{what}: element {i} (`{}`) cannot be used: the number {why}",
                crate::eval::show(args.doc, v)
            ))),
            _ => Err(BuiltinError::Type(format!(
                "{what} needs numbers, but element {i} is {}",
                described(args, v)
            ))),
        })
        .collect()
}

fn described(args: &Args, v: &Value) -> String {
    match v.type_name(args.doc) {
        "null" => "null".into(),
        name => format!("a {name} `{}`", crate::eval::show(args.doc, v)),
    }
}

fn total(values: &[Decimal]) -> Result<Decimal, BuiltinError> {
    values.iter().try_fold(Decimal::ZERO, |acc, &n| {
        acc.checked_add(n)
            .ok_or_else(|| BuiltinError::Arithmetic("the sum does not fit in 28 significant digits".into()))
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
                described(args, v)
            )))
        }
    };
    Ok(Value::Num(Decimal::from(n)))
}

fn extreme(args: &Args, name: &str, pick_greater: bool) -> BuiltinResult {
    let items = args.list(0)?;
    if items.is_empty() {
        return Err(BuiltinError::Arithmetic(format!("{name} of an empty list")));
    }
    if items.iter().all(|v| v.as_str(args.doc).is_some()) {
        let best = items
            .iter()
            .max_by(|a, b| {
                let (a, b) = (a.as_str(args.doc).unwrap_or(""), b.as_str(args.doc).unwrap_or(""));
                if pick_greater {
                    a.cmp(b)
                } else {
                    b.cmp(a)
                }
            })
            .cloned();
        return Ok(best.unwrap_or(Value::Null));
    }
    let numbers = numbers(args, name)?;
    let best = items
        .iter()
        .zip(&numbers)
        .max_by(|(_, a), (_, b)| if pick_greater { a.cmp(b) } else { b.cmp(a) })
        .map(|(v, _)| v.clone());
    Ok(best.unwrap_or(Value::Null))
}

pub fn min(args: &Args) -> BuiltinResult {
    extreme(args, "min", false)
}

pub fn max(args: &Args) -> BuiltinResult {
    extreme(args, "max", true)
}

pub fn avg(args: &Args) -> BuiltinResult {
    let numbers = numbers(args, "avg")?;
    if numbers.is_empty() {
        return Err(BuiltinError::Arithmetic("avg of an empty list".into()));
    }
    total(&numbers)?
        .checked_div(Decimal::from(numbers.len()))
        .map(|n| Value::Num(n.normalize()))
        .ok_or_else(|| BuiltinError::Arithmetic("avg does not fit in 28 significant digits".into()))
}

fn booleans(args: &Args, what: &str) -> Result<Vec<bool>, BuiltinError> {
    args.list(0)?
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_bool(args.doc).ok_or_else(|| {
                BuiltinError::Type(format!(
                    "{what} needs true or false, but element {i} is {}",
                    described(args, v)
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
            described(args, args.value(0))
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

pub fn unique(args: &Args) -> BuiltinResult {
    let mut kept: Vec<Value> = Vec::new();
    for item in args.list(0)? {
        if !kept.iter().any(|k| equal(args.doc, k, &item) == Some(true)) {
            kept.push(item);
        }
    }
    Ok(Value::list(kept))
}
