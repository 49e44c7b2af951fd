//! Errors of the load phase: rule files that cannot be read, do not parse, or
//! name things that do not exist. All are reported before any data is read.

use miette::{Diagnostic, LabeledSpan, SourceSpan};
use thiserror::Error;

use crate::source::Span;
use crate::syntax::SyntaxError;

#[derive(Clone, Debug, Error, Diagnostic)]
pub enum LoadError {
    /// `--rules missing.tally`, or an import of a file that is not there.
    #[error("cannot read rule file `{path}`: {reason}")]
    #[diagnostic(code(tally::load::io))]
    Unreadable {
        path: String,
        reason: String,
        /// The `import` that asked for it, if any.
        #[label("imported here")]
        at: Option<SourceSpan>,
        file: Option<u32>,
    },
    /// A folder under `--rules` that could not be listed: its rules would
    /// otherwise silently never run.
    #[error("cannot read rule folder `{path}`: {reason}")]
    #[diagnostic(
        code(tally::load::io),
        help("its rules cannot be loaded; fix the folder's permissions or leave it out")
    )]
    UnreadableFolder { path: String, reason: String },
    /// A rule file in a folder whose name is not UTF-8: Tally names files by
    /// UTF-8 text, and its rules must not silently never run.
    #[error("the name of rule file `{path}` is not UTF-8")]
    #[diagnostic(
        code(tally::load::name),
        help("its rules cannot be loaded; give the file a UTF-8 name (names from a GBK archive: `convmv -f gbk -t utf8 --notest FILE`)")
    )]
    NameNotUtf8 { path: String },
    /// A rule file that is not UTF-8 text.
    #[error("rule file `{path}` is not UTF-8 text: invalid byte at offset {offset}")]
    #[diagnostic(
        code(tally::load::encoding),
        help("save the file as UTF-8 (GBK and other encodings are not read)")
    )]
    NotUtf8 {
        path: String,
        offset: usize,
        file: u32,
        #[label("not UTF-8")]
        at: SourceSpan,
    },
    /// `tally check --rules empty-folder/`
    #[error("no rule files (`*.tally`) found in `{path}`")]
    #[diagnostic(code(tally::load::empty))]
    NoRules { path: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(#[from] SyntaxError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Resolve(#[from] ResolveError),
}

/// A name, call or definition that does not hold together.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("{kind}")]
pub struct ResolveError {
    /// What is wrong; its `Display` is the message.
    pub kind: ResolveErrorKind,
    pub span: Span,
    pub help: Option<String>,
    /// Another place worth showing in the same file (the first definition of a
    /// duplicate, say).
    pub also: Option<(Span, String)>,
}

impl Diagnostic for ResolveError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("tally::resolve"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let main = LabeledSpan::new_primary_with_span(Some(self.kind.label().into_owned()), self.span.source_span());
        let also = self
            .also
            .iter()
            .filter(|(span, _)| span.file == self.span.file)
            .map(|(span, label)| LabeledSpan::new_with_span(Some(label.clone()), span.source_span()));
        Some(Box::new(std::iter::once(main).chain(also)))
    }
}

impl ResolveError {
    pub fn new(span: Span, kind: ResolveErrorKind) -> Self {
        ResolveError {
            kind,
            span,
            help: None,
            also: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn also(mut self, span: Span, label: impl Into<String>) -> Self {
        self.also = Some((span, label.into()));
        self
    }
}

/// Each kind of resolve error, with what it names. `Display` is the message
/// (lowercase, no final period, user input in backticks); [`label`](Self::label)
/// is the text under the span.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResolveErrorKind {
    /// `fn sum(x) = …`
    #[error("`{name}` is a built-in function")]
    BuiltinRedefined { name: String },
    /// `let a = 1` twice in one file.
    #[error("`{name}` is defined twice in this file")]
    DefinedTwice { name: String },
    /// Two imported files both define `name`.
    #[error("`{name}` is defined by two imported files")]
    ImportsClash { name: String },
    /// `a.tally` imports `b.tally`, which imports `a.tally`.
    #[error("import cycle")]
    ImportCycle,
    /// Two rules with one ID, anywhere in the loaded files.
    #[error("rule `{id}` is defined twice")]
    RuleDefinedTwice { id: String },
    /// `let a = a + 1`, or `fn f(x) = f(x)`.
    #[error("`{name}` {}", if *.function { "calls itself" } else { "is defined in terms of itself" })]
    Recursive { name: String, function: bool },
    /// `fn`s and `let`s calling one another more than the limit deep.
    #[error("`{name}` starts a chain of {depth} definitions calling one another, more than {limit}")]
    ChainTooDeep { name: String, depth: usize, limit: usize },
    /// `severity fatal`
    #[error("unknown severity `{word}`")]
    UnknownSeverity { word: String },
    /// `title` given twice in one rule.
    #[error("`{key}` is given twice")]
    MetaTwice { key: String },
    /// `a == b within -1`
    #[error("the tolerance `{tolerance}` is negative")]
    NegativeTolerance { tolerance: String },
    /// `f + 1` where `f` is a `fn`.
    #[error("`{name}` is a function")]
    FunctionAsValue { name: String },
    /// `x(1)` where `x` is a local value.
    #[error("`{name}` is a value, not a function")]
    ValueCalled { name: String },
    /// `sum(1, 2)`, `f()` for `fn f(x)`.
    #[error("`{name}` takes {wanted} argument{}, found {found}", if *.most == 1 { "" } else { "s" })]
    WrongArity {
        name: String,
        /// `1`, or `1 to 2`.
        wanted: String,
        /// The most it takes (for the plural).
        most: usize,
        found: usize,
    },
    /// `summ(x)`
    #[error("unknown function `{name}`")]
    UnknownFunction { name: String },
    /// `x matches "("`
    #[error("invalid regex `{pattern}`")]
    InvalidRegex {
        pattern: String,
        /// The regex crate's own one-line reason, shown under the pattern.
        reason: String,
    },
    /// `input a` in one file and `input a[]` in another.
    #[error("input `{name}` is declared both as one document and as a list")]
    InputShapes { name: String },
    /// `param p = 收入.合计`
    #[error("a parameter's default must be a constant")]
    ParamNotConstant,
    /// Two files declare different schemas.
    #[error("two different schemas are declared")]
    TwoSchemas,
    /// `schema "s.json"` whose file does not parse as JSON.
    #[error("`{file}` is not valid JSON: {reason}")]
    SchemaNotJson { file: String, reason: String },
    /// A schema the JSON Schema validator refuses.
    #[error("`{file}` is not a usable JSON Schema (draft 2020-12): {reason}")]
    SchemaUnusable { file: String, reason: String },
    /// A rule with the ID `schema` while a schema is loaded.
    #[error("`schema` is the built-in rule of schema breaches")]
    SchemaRuleTaken,
    /// `收入.合记` where the schema has no such key.
    #[error("unknown data key `{key}` {place}: the schema does not allow it (schema 中没有此项)")]
    UnknownSchemaKey {
        key: String,
        /// Where, e.g. `under `收入``.
        place: String,
    },
}

impl ResolveErrorKind {
    /// The text under the span.
    pub fn label(&self) -> std::borrow::Cow<'_, str> {
        use ResolveErrorKind as K;
        std::borrow::Cow::Borrowed(match self {
            K::BuiltinRedefined { .. } => "cannot be redefined",
            K::DefinedTwice { .. } | K::RuleDefinedTwice { .. } => "second definition",
            K::ImportsClash { .. } => "imports clash",
            K::ImportCycle => "this import closes the cycle",
            K::Recursive { .. } => "recursive definition",
            K::ChainTooDeep { .. } => "too deep",
            K::UnknownSeverity { .. } => "not a severity",
            K::MetaTwice { .. } => "second one",
            K::NegativeTolerance { .. } => "negative tolerance",
            K::FunctionAsValue { .. } => "used as a value",
            K::ValueCalled { .. } => "called here",
            K::WrongArity { .. } => "wrong number of arguments",
            K::UnknownFunction { .. } => "not a built-in or a `fn` in scope",
            K::InvalidRegex { reason, .. } => return std::borrow::Cow::Borrowed(reason),
            K::InputShapes { .. } => "declared again",
            K::ParamNotConstant => "not a constant",
            K::TwoSchemas => "second schema",
            K::SchemaNotJson { .. } | K::SchemaUnusable { .. } => "this schema",
            K::SchemaRuleTaken => "rule ID taken",
            K::UnknownSchemaKey { .. } => "not a key of the schema here",
        })
    }
}

impl LoadError {
    /// The rule file the error is in, if it has a place there.
    pub fn file(&self) -> Option<u32> {
        match self {
            LoadError::Unreadable { file, .. } => *file,
            LoadError::NoRules { .. } | LoadError::UnreadableFolder { .. } | LoadError::NameNotUtf8 { .. } => None,
            LoadError::NotUtf8 { file, .. } => Some(*file),
            LoadError::Syntax(e) => Some(e.file),
            LoadError::Resolve(e) => Some(e.span.file),
        }
    }
}

impl LoadError {
    /// The byte offset the error points at in its file (0 when it has none).
    pub fn offset(&self) -> usize {
        match self {
            LoadError::Unreadable { at, .. } => at.map_or(0, |s| s.offset()),
            LoadError::NoRules { .. } | LoadError::UnreadableFolder { .. } | LoadError::NameNotUtf8 { .. } => 0,
            LoadError::NotUtf8 { at, .. } => at.offset(),
            LoadError::Syntax(e) => e.at.offset(),
            LoadError::Resolve(e) => e.span.start as usize,
        }
    }
}

/// Up to three known names closest to `name`, for "did you mean" hints.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, c)| d <= (name.chars().count().max(c.chars().count()) / 2).max(1))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    let names: Vec<String> = scored.iter().take(3).map(|(_, c)| format!("`{c}`")).collect();
    match names.len() {
        0 => None,
        _ => Some(format!("did you mean {}?", names.join(" or "))),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(
            suggest("summ", ["sum", "count", "min"]).as_deref(),
            Some("did you mean `sum`?")
        );
        assert_eq!(suggest("zzzzzz", ["sum"]), None);
    }
}
