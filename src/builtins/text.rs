//! Strings: contains, starts_with, ends_with, trim, matches, find.

use std::cell::RefCell;
use std::sync::Arc;

use regex::Regex;
use rustc_hash::FxHashMap;

use super::{described, Args, BuiltinError, BuiltinResult};
use crate::value::{equal, Value, View};

/// `contains(s, sub)` is `sub in s`: a substring of a string, an element of a
/// list (equal as `==` says, so `80.00` is in `[80]`), a key of a map.
pub fn contains(args: &Args) -> BuiltinResult {
    let (haystack, needle) = (args.value(0), args.value(1));
    match haystack.view(args.doc) {
        View::Str(s) => Ok(Value::Bool(s.contains(args.str(1)?))),
        View::List(items) => Ok(Value::Bool(
            items.iter().any(|i| equal(args.doc, i, needle) == Some(true)),
        )),
        View::Map(entries) => {
            let key = needle.as_str(args.doc);
            Ok(Value::Bool(
                key.is_some_and(|key| entries.iter().any(|(k, _)| k == key)),
            ))
        }
        _ => Err(BuiltinError::Type(format!(
            "contains needs a string, a list or a map, found {}",
            described(args.doc, haystack)
        ))),
    }
}

pub fn starts_with(args: &Args) -> BuiltinResult {
    Ok(Value::Bool(args.str(0)?.starts_with(args.str(1)?)))
}

pub fn ends_with(args: &Args) -> BuiltinResult {
    Ok(Value::Bool(args.str(0)?.ends_with(args.str(1)?)))
}

/// Unicode white space, the full-width space `　` too.
pub fn trim(args: &Args) -> BuiltinResult {
    let s = args.str(0)?;
    let trimmed = s.trim();
    Ok(match args.value(0) {
        // Nothing to trim: the same string (or data value), not a copy.
        same @ (Value::Str(_) | Value::Data(_)) if trimmed.len() == s.len() => same.clone(),
        _ => Value::str(trimmed),
    })
}

/// Patterns built at run time, compiled once per thread. Bounded: a rule that
/// builds a new pattern per row must not grow it without end.
const CACHED_PATTERNS: usize = 256;

thread_local! {
    static PATTERNS: RefCell<FxHashMap<String, Arc<Regex>>> = RefCell::default();
}

/// The regex argument: compiled at load for a literal, here (once) for a
/// computed string. An invalid pattern is a type error.
fn regex(args: &Args, i: usize) -> Result<Arc<Regex>, BuiltinError> {
    if let Value::Regex(re) = args.value(i) {
        return Ok(re.clone());
    }
    let pattern = args.str(i)?;
    if let Some(re) = PATTERNS.with(|p| p.borrow().get(pattern).cloned()) {
        return Ok(re);
    }
    let re = Arc::new(crate::syntax::compile_regex(pattern).map_err(|e| {
        let shown = crate::text::clip(pattern, 300);
        BuiltinError::Type(format!("invalid regex `{shown}`: {e}"))
    })?);
    PATTERNS.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() >= CACHED_PATTERNS {
            p.clear();
        }
        p.insert(pattern.to_owned(), re.clone());
    });
    Ok(re)
}

/// A match anywhere in `s`; `^`/`$` in the pattern anchor it.
pub fn matches(args: &Args) -> BuiltinResult {
    let text = args.str(0)?;
    Ok(Value::Bool(regex(args, 1)?.is_match(text)))
}

/// The first match, or its first capture group when the regex has groups;
/// `null` when nothing matches or the group took no part in the match.
pub fn find(args: &Args) -> BuiltinResult {
    let text = args.str(0)?;
    let re = regex(args, 1)?;
    let Some(captures) = re.captures(text) else {
        return Ok(Value::Null);
    };
    let group = if re.captures_len() > 1 { 1 } else { 0 };
    Ok(captures.get(group).map_or(Value::Null, |m| Value::str(m.as_str())))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::value::Value;

    // contains
    yields!(contains_substring, contains(s("怀来县人民政府"), s("人民")), "true");
    yields!(contains_no_substring, contains(d("名称"), s("北京")), "false");
    yields!(contains_empty_substring, contains(s("abc"), s("")), "true");
    yields!(contains_list_member, contains(d("文字"), s("甲")), "true");
    yields!(contains_list_by_value, contains(list![n("80")], n("80.00")), "true");
    yields!(contains_list_other_type, contains(d("金额"), s("2")), "false");
    yields!(contains_list_data_number, contains(d("金额"), n("1.5")), "true");
    yields!(contains_map_key, contains(d("表"), s("a")), "true");
    yields!(contains_map_not_a_value, contains(d("表"), s("x")), "false");
    fails!(
        contains_in_a_number,
        contains(n("12"), s("1")),
        Type,
        "contains needs a string, a list or a map, found a number `12`"
    );
    fails!(
        contains_number_in_string,
        contains(s("12"), n("1")),
        Type,
        "expected a string, found a number `1`"
    );
    fails!(
        contains_in_null,
        contains(d("空"), s("a")),
        Type,
        "found null (at `空`)"
    );

    // starts_with, ends_with, trim
    yields!(starts_with_yes, starts_with(d("名称"), s("怀来")), "true");
    yields!(starts_with_no, starts_with(s("abc"), s("b")), "false");
    yields!(ends_with_yes, ends_with(d("名称"), s("县")), "true");
    yields!(ends_with_no, ends_with(s("abc"), s("b")), "false");
    fails!(
        starts_with_null,
        starts_with(Value::Null, s("a")),
        Type,
        "expected a string, found null"
    );
    fails!(ends_with_number, ends_with(s("a"), n("1")), Type, "expected a string");
    yields!(trim_spaces, trim(s("  x y \n")), "\"x y\"");
    yields!(trim_full_width_space, trim(s("\u{3000}合计\u{3000}")), "\"合计\"");
    // Nothing to trim: the data value itself, shown as the document wrote it.
    yields!(trim_data, trim(d("名称")), "怀来县");
    fails!(trim_number, trim(n("1")), Type, "expected a string, found a number `1`");

    // matches
    yields!(
        matches_unanchored,
        matches(s("怀财字【2024】7号"), re(r"\d{4}")),
        "true"
    );
    yields!(matches_anchored, matches(s("x2024"), re(r"^\d")), "false");
    yields!(matches_string_pattern, matches(d("计划"), s(r"^\d+%$")), "true");
    yields!(matches_no, matches(s("abc"), s(r"\d")), "false");
    fails!(matches_bad_regex, matches(s("abc"), s("(")), Type, "invalid regex `(`");
    fails!(
        matches_null_subject,
        matches(d("空"), re("a")),
        Type,
        "expected a string, found null"
    );
    fails!(
        matches_number_pattern,
        matches(s("1"), n("1")),
        Type,
        "expected a string, found a number"
    );

    // find
    yields!(
        find_whole_match,
        find(s("合计1537.92万元"), re(r"\d+(?:\.\d+)?")),
        "\"1537.92\""
    );
    yields!(
        find_first_group,
        find(s("怀财字【2024】7号"), re(r"【(\d{4})】")),
        "\"2024\""
    );
    yields!(find_first_of_many, find(s("a1b22"), s(r"\d+")), "\"1\"");
    yields!(find_nothing, find(s("abc"), re(r"\d")), "null");
    yields!(find_group_not_taking_part, find(s("b"), re(r"(a)?b")), "null");
    yields!(find_data_string, find(d("指标"), s(r"\d+")), "\"90\"");
    yields!(find_string_pattern_twice, find(s("x9"), s(r"\d")), "\"9\"");
    fails!(find_bad_regex, find(s("abc"), s("[")), Type, "invalid regex `[`");
    fails!(
        find_in_a_list,
        find(d("文字"), re("a")),
        Type,
        "expected a string, found a list"
    );
}
