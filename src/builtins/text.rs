//! Strings: contains, starts_with, ends_with, trim, matches, find.

use std::borrow::Cow;

use regex::Regex;

use super::{Args, BuiltinError, BuiltinResult};
use crate::eval::value::{equal, Value};

pub fn contains(args: &Args) -> BuiltinResult {
    if let Some(items) = args.value(0).elements_if_list(args.doc) {
        let needle = args.value(1);
        return Ok(Value::Bool(
            items.iter().any(|i| equal(args.doc, i, needle) == Some(true)),
        ));
    }
    Ok(Value::Bool(args.str(0)?.contains(args.str(1)?)))
}

pub fn starts_with(args: &Args) -> BuiltinResult {
    Ok(Value::Bool(args.str(0)?.starts_with(args.str(1)?)))
}

pub fn ends_with(args: &Args) -> BuiltinResult {
    Ok(Value::Bool(args.str(0)?.ends_with(args.str(1)?)))
}

pub fn trim(args: &Args) -> BuiltinResult {
    Ok(Value::str(args.str(0)?.trim()))
}

/// The regex argument: compiled at load for a literal, here for anything else.
fn regex<'a>(args: &'a Args, i: usize) -> Result<Cow<'a, Regex>, BuiltinError> {
    match args.value(i) {
        Value::Regex(re) => Ok(Cow::Borrowed(re)),
        _ => {
            let pattern = args.str(i)?;
            Regex::new(pattern)
                .map(Cow::Owned)
                .map_err(|e| BuiltinError::Type(format!("invalid regex `{pattern}`: {e}")))
        }
    }
}

pub fn matches(args: &Args) -> BuiltinResult {
    Ok(Value::Bool(regex(args, 1)?.is_match(args.str(0)?)))
}

pub fn find(args: &Args) -> BuiltinResult {
    let re = regex(args, 1)?;
    let text = args.str(0)?;
    let Some(captures) = re.captures(text) else {
        return Ok(Value::Null);
    };
    let found = if re.captures_len() > 1 {
        captures.get(1)
    } else {
        captures.get(0)
    };
    Ok(found.map_or(Value::Null, |m| Value::str(m.as_str())))
}
