//! The built-in functions: one table, one entry each. Builtins never see
//! spans; the evaluator attaches the call's span to any error they return.

mod dates;
mod indicator;
mod list;
mod number;
mod text;

use rust_decimal::Decimal;

pub use indicator::reads_as_indicator;
pub use number::{parse_number, printed_radius};

use crate::data::Document;
use crate::value::{Value, View};

/// What went wrong inside a builtin. The evaluator turns it into an error
/// outcome pointing at the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuiltinError {
    /// Wrong kind of argument: `sum` of strings, `len` of a number…
    Type(String),
    /// Overflow, empty `min`/`max`/`avg`…
    Arithmetic(String),
}

pub type BuiltinResult = Result<Value, BuiltinError>;

/// The arguments of one call, seen through the data document.
pub struct Args<'a> {
    pub doc: &'a Document,
    pub values: &'a [Value],
}

pub struct Builtin {
    pub name: &'static str,
    /// The parameters' names, for `tally functions`: `"x, places"`.
    pub params: &'static str,
    /// Smallest and largest number of arguments.
    pub arity: (usize, usize),
    /// The argument that is a regex: a string literal there is compiled (and
    /// checked) when the rules are loaded.
    pub regex_arg: Option<usize>,
    /// One line for `tally` docs and did-you-mean hints.
    pub doc: &'static str,
    /// Costly enough (text parsing, regexes) that the evaluator remembers
    /// results per document instead of calling again.
    pub remember: bool,
    /// What the evaluator does with it beyond calling it.
    pub kind: Kind,
    pub call: fn(&Args) -> BuiltinResult,
}

/// The builtins the resolver and evaluator treat specially, named by kind so
/// that no code compares builtin names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Called with its arguments' values, nothing more.
    Plain,
    /// `exists(path)`: the resolver turns it into a check of the path (a
    /// missing path is its answer, not an error).
    Exists,
    /// `sum(list)`: under `within rounding`, each element's rounding adds up.
    Sum,
    /// `number(s)`: under `within rounding`, a data string keeps the
    /// precision it was printed with.
    Number,
    /// `contains(s, sub)`: a filter testing it of a list's elements may be
    /// answered from an index of their texts (`eval::index`).
    Contains,
    /// `text(x)`: reads nothing but its argument, so a key `text(v.f)` reads
    /// the field's node alone (`eval::containment`).
    Text,
}

/// Every builtin, in the order `tally` documents them. `exists` is here for
/// its name and arity only: the evaluator handles it itself, since it must see
/// a missing path rather than fail on it.
pub static BUILTINS: &[Builtin] = &[
    // Lists and maps (list.rs).
    special(
        Kind::Sum,
        entry(
            "sum",
            "list",
            1,
            1,
            "decimal sum of a list (0 for an empty list)",
            list::sum,
        ),
    ),
    entry(
        "count",
        "list",
        1,
        1,
        "number of elements of a list or entries of a map",
        list::count,
    ),
    entry("len", "x", 1, 1, "number of elements, characters or entries", list::len),
    entry(
        "min",
        "list",
        1,
        1,
        "smallest number, string or date (error on an empty list)",
        list::min,
    ),
    entry(
        "max",
        "list",
        1,
        1,
        "largest number, string or date (error on an empty list)",
        list::max,
    ),
    entry(
        "avg",
        "list",
        1,
        1,
        "mean of a list of numbers (error on an empty list)",
        list::avg,
    ),
    entry("all", "list", 1, 1, "true when every element is true", list::all),
    entry("any", "list", 1, 1, "true when some element is true", list::any),
    entry("keys", "map", 1, 1, "the keys of a map, in document order", list::keys),
    entry(
        "values",
        "map",
        1,
        1,
        "the values of a map, in document order",
        list::values,
    ),
    entry(
        "unique",
        "list",
        1,
        1,
        "the list without repeated elements, first ones kept",
        list::unique,
    ),
    // Numbers (number.rs).
    entry("abs", "x", 1, 1, "absolute value", number::abs),
    entry(
        "round",
        "x, places",
        2,
        2,
        "half away from zero, as accountants round",
        number::round,
    ),
    special(
        Kind::Number,
        costly(entry(
            "number",
            "x",
            1,
            1,
            "a decimal from a number or a numeric string (\"25%\", \"1,537.92\")",
            number::number,
        )),
    ),
    // Paths: handled by the evaluator (see `exists` below).
    special(
        Kind::Exists,
        entry(
            "exists",
            "path",
            1,
            1,
            "true when the path is present and not null (never an error)",
            exists,
        ),
    ),
    // Strings (text.rs).
    special(
        Kind::Contains,
        entry(
            "contains",
            "s, sub",
            2,
            2,
            "sub is a substring of s (an element of a list, a key of a map)",
            text::contains,
        ),
    ),
    entry(
        "starts_with",
        "s, prefix",
        2,
        2,
        "s begins with prefix",
        text::starts_with,
    ),
    entry("ends_with", "s, suffix", 2, 2, "s ends with suffix", text::ends_with),
    entry(
        "trim",
        "s",
        1,
        1,
        "the string without surrounding white space",
        text::trim,
    ),
    costly(regex(
        1,
        entry(
            "matches",
            "s, re",
            2,
            2,
            "the regex re matches somewhere in s",
            text::matches,
        ),
    )),
    costly(regex(
        1,
        entry(
            "find",
            "s, re",
            2,
            2,
            "the first match of re in s (its first group if any), or null",
            text::find,
        ),
    )),
    // Performance indicators (indicator.rs).
    costly(entry(
        "indicator",
        "s",
        1,
        1,
        "a performance-indicator value \"≥90%\" as {op, value, unit}, or null",
        indicator::indicator,
    )),
    // Dates and text (dates.rs).
    costly(entry(
        "date",
        "s",
        1,
        1,
        "the day a string names (\"2024-03-31\", \"2024年3月底\"), or null",
        dates::date,
    )),
    entry("year", "d", 1, 1, "the year of a date", dates::year),
    entry("month", "d", 1, 1, "the month of a date, 1 to 12", dates::month),
    entry("day", "d", 1, 1, "the day of the month of a date", dates::day),
    entry(
        "days",
        "a, b",
        2,
        2,
        "days from date a to date b (negative if b is earlier)",
        dates::days,
    ),
    special(
        Kind::Text,
        entry(
            "text",
            "x",
            1,
            1,
            "any value as a message shows it, as a string",
            dates::text,
        ),
    ),
];

const fn entry(
    name: &'static str,
    params: &'static str,
    min: usize,
    max: usize,
    doc: &'static str,
    call: fn(&Args) -> BuiltinResult,
) -> Builtin {
    Builtin {
        name,
        params,
        arity: (min, max),
        regex_arg: None,
        doc,
        remember: false,
        kind: Kind::Plain,
        call,
    }
}

/// A builtin the resolver or evaluator treats specially.
const fn special(kind: Kind, builtin: Builtin) -> Builtin {
    Builtin { kind, ..builtin }
}

/// Argument `i` is a regex: a string literal there is compiled at load.
const fn regex(i: usize, builtin: Builtin) -> Builtin {
    Builtin {
        regex_arg: Some(i),
        ..builtin
    }
}

/// Text parsing or a regex: the evaluator remembers results per document.
const fn costly(builtin: Builtin) -> Builtin {
    Builtin {
        remember: true,
        ..builtin
    }
}

/// `exists(path)` — NOT CALLED: the evaluator special-cases `exists` (its
/// argument is a path that may be missing, which must not be an error), so
/// reaching this function is a bug in the evaluator.
fn exists(_: &Args) -> BuiltinResult {
    Err(BuiltinError::Type("exists is evaluated by the evaluator".into()))
}

impl Builtin {
    /// `round(x, places)`.
    pub fn signature(&self) -> String {
        format!("{}({})", self.name, self.params)
    }
}

pub fn lookup(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

/// A value for an error message: `null`, or its type and the value in
/// backticks (data values as the document wrote them), with the data path
/// when it came from the document so the auditor can find the cell.
pub(crate) fn described(doc: &Document, v: &Value) -> String {
    let what = match v.type_name(doc) {
        "null" => "null".to_owned(),
        name => format!("a {name} `{}`", crate::value::show(doc, v)),
    };
    match v.node() {
        Some(id) => format!("{what} (at `{}`)", doc.path(id)),
        None => what,
    }
}

/// The error for a data number that cannot be held exactly.
fn invalid_number(doc: &Document, v: &Value, why: &str) -> BuiltinError {
    let at = v.node().map(|id| format!("`{}` ", doc.raw(id))).unwrap_or_default();
    BuiltinError::Arithmetic(format!("the number {at}{why}"))
}

impl Args<'_> {
    pub fn value(&self, i: usize) -> &Value {
        &self.values[i]
    }

    pub fn num(&self, i: usize) -> Result<Decimal, BuiltinError> {
        let v = &self.values[i];
        match v.view(self.doc) {
            View::Num(n) => Ok(n),
            View::InvalidNumber(why) => Err(invalid_number(self.doc, v, why)),
            _ => Err(BuiltinError::Type(format!(
                "expected a number, found {}",
                described(self.doc, v)
            ))),
        }
    }

    pub fn str(&self, i: usize) -> Result<&str, BuiltinError> {
        let v = &self.values[i];
        v.as_str(self.doc)
            .ok_or_else(|| BuiltinError::Type(format!("expected a string, found {}", described(self.doc, v))))
    }

    /// The elements of a list (or the values of a map).
    pub fn list(&self, i: usize) -> Result<Vec<Value>, BuiltinError> {
        let v = &self.values[i];
        v.elements(self.doc)
            .ok_or_else(|| BuiltinError::Type(format!("expected a list, found {}", described(self.doc, v))))
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::{lookup, Kind, BUILTINS};

    #[test]
    fn exactly_five_builtins_are_special() {
        let special: Vec<(&str, Kind)> = BUILTINS
            .iter()
            .filter(|b| b.kind != Kind::Plain)
            .map(|b| (b.name, b.kind))
            .collect();
        assert_eq!(
            special,
            [
                ("sum", Kind::Sum),
                ("number", Kind::Number),
                ("exists", Kind::Exists),
                ("contains", Kind::Contains),
                ("text", Kind::Text)
            ]
        );
    }

    #[test]
    fn names_are_unique_and_documented() {
        for (i, b) in BUILTINS.iter().enumerate() {
            assert!(
                lookup(b.name).is_some_and(|found| std::ptr::eq(found, b)),
                "{} twice",
                b.name
            );
            assert!(!b.doc.is_empty() && b.arity.0 <= b.arity.1, "{}", b.name);
            assert!(b.regex_arg.is_none_or(|r| r < b.arity.1), "{}", b.name);
            assert!(BUILTINS[..i].iter().all(|o| o.name != b.name));
        }
        assert_eq!(BUILTINS.len(), 28);
        assert!(lookup("lower").is_none());
    }

    #[test]
    fn regex_arguments() {
        assert_eq!(lookup("matches").unwrap().regex_arg, Some(1));
        assert_eq!(lookup("find").unwrap().regex_arg, Some(1));
        assert_eq!(lookup("contains").unwrap().regex_arg, None);
    }

    fails!(
        exists_is_the_evaluators,
        exists(s("a")),
        Type,
        "evaluated by the evaluator"
    );
    fails!(
        wrong_type_names_the_value,
        abs(s("x")),
        Type,
        "expected a number, found a string `\"x\"`"
    );
    fails!(wrong_type_names_the_path, abs(d("名称")), Type, "(at `名称`)");
    fails!(
        invalid_data_number,
        abs(d("巨数")),
        Arithmetic,
        "the number `1e40` is out of range"
    );
}

/// Test support: a hand-built document and one-line test macros
/// `yields!(name, f(args…), "shown result")` and
/// `fails!(name, f(args…), Type|Arithmetic, "part of the message")`.
#[cfg(test)]
pub(crate) mod testing {
    use std::str::FromStr;
    use std::sync::Arc;

    use regex::Regex;
    use rust_decimal::Decimal;

    use super::{lookup, BuiltinResult};
    use crate::data::{Document, Node, NodeId, NodeValue, Step};
    use crate::source::SourceFile;
    use crate::value::Value;

    /// The document every test sees, as YAML would write it:
    ///
    /// ```yaml
    /// 金额: [1.50, 2, 3]
    /// 空格: [1, null]
    /// 文字: [乙, 甲, 乙]
    /// 标志: [true, false]
    /// 表: {b: 1, a: x}
    /// 名称: 怀来县
    /// 巨数: 1e40          # a number a decimal cannot hold
    /// 计划: 25%
    /// 指标: ≥90%
    /// 空: null
    /// 空表: []
    /// ```
    pub fn doc() -> Document {
        let mut b = Builder::default();
        let amounts = ["1.50", "2", "3"].map(|n| b.num(n));
        let amounts = b.list(&amounts);
        let (one, null) = (b.num("1"), b.scalar("null", NodeValue::Null));
        let blanks = b.list(&[one, null]);
        let words = ["乙", "甲", "乙"].map(|w| b.string(w));
        let words = b.list(&words);
        let flags = [true, false].map(|f| b.scalar(if f { "true" } else { "false" }, NodeValue::Bool(f)));
        let flags = b.list(&flags);
        let (table_b, table_a) = (b.num("1"), b.string("x"));
        let table = b.map(&[("b", table_b), ("a", table_a)]);
        let name = b.string("怀来县");
        let huge = b.scalar("1e40", NodeValue::InvalidNumber("is out of range".into()));
        let plan = b.string("25%");
        let indicator = b.string("≥90%");
        let empty = b.scalar("null", NodeValue::Null);
        let empty_list = b.list(&[]);
        let root = b.map(&[
            ("金额", amounts),
            ("空格", blanks),
            ("文字", words),
            ("标志", flags),
            ("表", table),
            ("名称", name),
            ("巨数", huge),
            ("计划", plan),
            ("指标", indicator),
            ("空", empty),
            ("空表", empty_list),
        ]);
        Document {
            source: SourceFile::new("t.yaml", b.text),
            nodes: b.nodes,
            root,
            attached: Vec::new(),
        }
    }

    #[derive(Default)]
    struct Builder {
        text: String,
        nodes: Vec<Node>,
    }

    impl Builder {
        fn push(&mut self, value: NodeValue, start: usize, end: usize) -> NodeId {
            self.nodes.push(Node {
                value,
                start: start as u32,
                end: end as u32,
                parent: None,
            });
            NodeId(self.nodes.len() as u32 - 1)
        }

        /// A scalar written as `raw` (kept in the source text, as the loader does).
        fn scalar(&mut self, raw: &str, value: NodeValue) -> NodeId {
            let start = self.text.len();
            self.text.push_str(raw);
            let end = self.text.len();
            self.text.push('\n');
            self.push(value, start, end)
        }

        fn num(&mut self, raw: &str) -> NodeId {
            self.scalar(raw, NodeValue::Number(Decimal::from_str(raw).unwrap()))
        }

        fn string(&mut self, s: &str) -> NodeId {
            self.scalar(s, NodeValue::String(s.into()))
        }

        fn adopt(&mut self, child: NodeId, parent: NodeId, step: Step) {
            self.nodes[child.0 as usize].parent = Some((parent, step));
        }

        fn list(&mut self, items: &[NodeId]) -> NodeId {
            let id = self.push(NodeValue::List(items.into()), 0, 0);
            for (i, &item) in items.iter().enumerate() {
                self.adopt(item, id, Step::Element(i as u32));
            }
            id
        }

        fn map(&mut self, entries: &[(&str, NodeId)]) -> NodeId {
            let boxed = entries.iter().map(|&(k, v)| (Box::from(k), v)).collect();
            let id = self.push(NodeValue::Map(boxed), 0, 0);
            for (i, &(_, v)) in entries.iter().enumerate() {
                self.adopt(v, id, Step::Entry(i as u32));
            }
            id
        }
    }

    /// A data reference: `d("表.b")`.
    pub fn d(path: &str) -> Value {
        let doc = doc();
        let id = path.split('.').fold(doc.root(), |at, key| {
            doc.get(at, key)
                .unwrap_or_else(|| panic!("no `{key}` in the test document"))
        });
        Value::Data(id)
    }

    pub fn n(text: &str) -> Value {
        Value::Num(Decimal::from_str(text).unwrap())
    }

    pub fn s(text: &str) -> Value {
        Value::str(text)
    }

    /// A regex literal, compiled as the loader compiles one.
    pub fn re(pattern: &str) -> Value {
        Value::Regex(Arc::new(Regex::new(pattern).unwrap()))
    }

    pub fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(std::rc::Rc::new(
            entries.iter().map(|(k, v)| (Arc::from(*k), v.clone())).collect(),
        ))
    }

    /// Calls builtin `name` through the table, checking its arity first.
    pub fn call(name: &str, args: Vec<Value>) -> (Document, BuiltinResult) {
        let builtin = lookup(name).unwrap_or_else(|| panic!("no builtin `{name}`"));
        let (min, max) = builtin.arity;
        assert!(
            (min..=max).contains(&args.len()),
            "{name} takes {min}..={max} arguments"
        );
        let doc = doc();
        let result = (builtin.call)(&super::Args {
            doc: &doc,
            values: &args,
        });
        (doc, result)
    }

    macro_rules! list {
        ($($item:expr),* $(,)?) => {
            $crate::value::Value::list(vec![$($item),*])
        };
    }

    /// `yields!(name, f(args…), "result as a message shows it")`.
    macro_rules! yields {
        ($name:ident, $f:ident($($arg:expr),* $(,)?), $want:expr) => {
            #[test]
            fn $name() {
                let (doc, got) = $crate::builtins::testing::call(stringify!($f), vec![$($arg),*]);
                let got = got.map(|v| $crate::value::show(&doc, &v));
                assert_eq!(got, Ok(String::from($want)));
            }
        };
    }

    /// `fails!(name, f(args…), Type|Arithmetic, "part of the message")`.
    macro_rules! fails {
        ($name:ident, $f:ident($($arg:expr),* $(,)?), $kind:ident, $part:expr) => {
            #[test]
            fn $name() {
                let (_, got) = $crate::builtins::testing::call(stringify!($f), vec![$($arg),*]);
                match got {
                    Err($crate::builtins::BuiltinError::$kind(message)) => {
                        assert!(message.contains($part), "message: {message}")
                    }
                    other => panic!("expected a {} error, got {other:?}", stringify!($kind)),
                }
            }
        };
    }

    pub(crate) use {fails, list, yields};
}
