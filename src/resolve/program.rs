//! The resolved program: every name bound, every regex compiled, every call
//! checked. It is built once and then evaluated over any number of documents,
//! from any number of threads (it holds no `Rc`).

use std::sync::Arc;

use regex::Regex;
use rust_decimal::Decimal;

use crate::builtins::Builtin;
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{BinaryOp, CompareOp, UnaryOp};

#[derive(Debug)]
pub struct Program {
    /// Rule files, indexed by [`crate::source::FileId`].
    pub sources: Vec<SourceFile>,
    pub rules: Vec<RuleDef>,
    /// File-level `let`s, evaluated at most once per document.
    pub globals: Vec<Global>,
    pub functions: Vec<Function>,
    /// The data's JSON Schema, when the rule files declare one (spec §10).
    pub schema: Option<crate::schema::Schema>,
    /// `param` items, each also a file-level `let` in `globals` (spec §11).
    pub params: Vec<Param>,
    /// `input` items, one per name (spec §12).
    pub inputs: Vec<Input>,
}

/// `param name = default`.
#[derive(Debug)]
pub struct Param {
    pub name: Arc<str>,
    /// Index into [`Program::globals`]; overriding the parameter replaces that value.
    pub global: usize,
    /// The default as written in the rule file, e.g. `40%`.
    pub default_text: Arc<str>,
    pub kind: ParamKind,
    /// The name where it is declared.
    pub span: Span,
}

/// What kind of value a parameter holds: its default's, which overrides must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    Number,
    String,
    Bool,
    List,
}

impl ParamKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamKind::Number => "number",
            ParamKind::String => "string",
            ParamKind::Bool => "boolean",
            ParamKind::List => "list",
        }
    }
}

/// `input name`, `input name[]`, `input name required`.
#[derive(Debug)]
pub struct Input {
    pub name: Arc<str>,
    pub list: bool,
    pub required: bool,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(word: &str) -> Option<Severity> {
        match word {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub struct RuleDef {
    pub id: Arc<str>,
    pub title: Arc<str>,
    pub severity: Severity,
    pub cite: Option<Arc<str>>,
    pub tags: Vec<Arc<str>>,
    /// The rule's ID where it is written.
    pub span: Span,
    pub body: Vec<Stmt>,
    /// Local slots the body needs.
    pub frame_size: usize,
}

#[derive(Debug)]
pub struct Global {
    pub name: Arc<str>,
    pub value: Expr,
    pub frame_size: usize,
}

#[derive(Debug)]
pub struct Function {
    pub name: Arc<str>,
    pub arity: usize,
    pub body: Expr,
    /// Parameters occupy the first `arity` slots.
    pub frame_size: usize,
}

#[derive(Debug)]
pub enum Stmt {
    Let {
        slot: usize,
        value: Expr,
        /// The quick evaluator can compute the value (see `resolve::quick_values`).
        quick: bool,
    },
    Assert(Box<Assertion>),
    For {
        key_slot: Option<usize>,
        value_slot: usize,
        iter: Expr,
        body: Vec<Stmt>,
        /// The quick evaluator can compute what is gone through (see
        /// `resolve::quick_values`).
        quick: bool,
    },
    When {
        cond: Expr,
        body: Vec<Stmt>,
        /// The quick evaluator can decide the guard (see `resolve::quick_values`).
        quick: bool,
    },
}

#[derive(Debug)]
pub struct Assertion {
    pub cond: Expr,
    pub message: Option<Vec<MessagePart>>,
    pub at: Option<Expr>,
    /// The whole `assert …` statement.
    pub span: Span,
    /// The condition's quick form, tried first (see `resolve::quick`).
    pub quick: Option<super::quick::Cond>,
    /// Without a quick form, the quick evaluator can still run the condition
    /// (see `resolve::quick_values`).
    pub runs_quickly: bool,
}

#[derive(Debug)]
pub enum MessagePart {
    Text(Arc<str>),
    Expr(Expr),
}

#[derive(Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug)]
pub enum Literal {
    Num(Decimal),
    Str(Arc<str>),
    Bool(bool),
    Null,
    /// Filled when the program is built; empty only if the pattern did not
    /// compile, which is a load error (so no program runs it).
    Regex(Arc<RegexCell>),
}

/// A compiled regex literal (see `resolve::regexes`).
pub type RegexCell = std::sync::OnceLock<Arc<Regex>>;

#[derive(Debug)]
pub enum ExprKind {
    Literal(Literal),
    List(Vec<Expr>),
    /// `$`
    Root,
    /// A top-level key of the data document, read by a bare name.
    DataKey(Arc<str>),
    /// Another document: index into [`Program::inputs`].
    Input(usize),
    Local(usize),
    Global(usize),
    Field {
        base: Box<Expr>,
        key: Arc<str>,
        optional: bool,
        /// The base comes from a `[*]`: read the key of every element.
        mapped: bool,
    },
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
        mapped: bool,
    },
    Wildcard {
        base: Box<Expr>,
        mapped: bool,
    },
    Builtin {
        builtin: BuiltinRef,
        args: Vec<Expr>,
    },
    /// `exists(path)`: true when the path is present and not null; never fails.
    Exists(Box<Expr>),
    Call {
        function: usize,
        args: Vec<Expr>,
    },
    Comprehension(Box<Comprehension>),
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Compare {
        op: CompareOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        within: Option<Within>,
    },
}

/// A builtin as the program refers to it.
#[derive(Clone, Copy)]
pub struct BuiltinRef(pub &'static Builtin);

impl std::fmt::Debug for BuiltinRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "builtin {}", self.0.name)
    }
}

#[derive(Debug)]
pub struct Comprehension {
    pub body: Expr,
    pub key_slot: Option<usize>,
    pub var_slot: usize,
    pub iter: Expr,
    pub cond: Option<Expr>,
}

#[derive(Debug)]
pub enum Within {
    Tolerance(Box<Expr>),
    Rounding,
}

impl Expr {
    /// Whether `f` holds for any expression directly inside this one, asked
    /// in evaluation order. A comprehension's body and filter are left out
    /// unless `insides`: they run once per element, with its variable bound
    /// to each in turn.
    fn any_child(&self, insides: bool, f: &mut dyn FnMut(&Expr) -> bool) -> bool {
        match &self.kind {
            ExprKind::Literal(_)
            | ExprKind::Root
            | ExprKind::DataKey(_)
            | ExprKind::Input(_)
            | ExprKind::Local(_)
            | ExprKind::Global(_) => false,
            ExprKind::List(items) | ExprKind::Builtin { args: items, .. } | ExprKind::Call { args: items, .. } => {
                items.iter().any(f)
            }
            ExprKind::Field { base, .. } | ExprKind::Wildcard { base, .. } | ExprKind::Exists(base) => f(base),
            ExprKind::Index { base, index, .. } => f(base) || f(index),
            ExprKind::Comprehension(c) if insides => f(&c.iter) || f(&c.body) || c.cond.as_ref().is_some_and(f),
            ExprKind::Comprehension(c) => f(&c.iter),
            ExprKind::Unary { operand, .. } => f(operand),
            ExprKind::Binary { lhs, rhs, .. } => f(lhs) || f(rhs),
            ExprKind::Compare { lhs, rhs, within, .. } => {
                f(lhs) || f(rhs) || matches!(within, Some(Within::Tolerance(t)) if f(t))
            }
        }
    }

    /// Whether `target` is this expression or one inside it that is
    /// evaluated in this expression's frame with the locals it sees: not in
    /// a comprehension's body or filter, whose variable takes each element
    /// in turn (a `fn`'s body is not inside the call at all).
    pub fn holds_in_frame(&self, target: &Expr) -> bool {
        std::ptr::eq(self, target) || self.any_child(false, &mut |e| e.holds_in_frame(target))
    }

    /// Calls `f` on this expression and every expression inside it, parents
    /// first.
    pub fn for_each(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        self.any_child(true, &mut |child| {
            child.for_each(f);
            false
        });
    }
}

/// Characters of rule text a message repeats (a 10 MB literal is not copied
/// into every finding; the span still points at all of it).
pub const RULE_TEXT_CHARS: usize = 300;

impl Program {
    /// The text of `span` in its rule file, as messages repeat it: at most
    /// [`RULE_TEXT_CHARS`] characters (a longer text ends with `…`).
    pub fn text(&self, span: Span) -> std::borrow::Cow<'_, str> {
        crate::text::clip(&self.sources[span.file as usize].text()[span.range()], RULE_TEXT_CHARS)
    }

    pub fn source(&self, span: Span) -> &SourceFile {
        &self.sources[span.file as usize]
    }

    pub fn rule(&self, id: &str) -> Option<&RuleDef> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}

impl Program {
    /// The rules to run: those named by `ids` (all when empty) that carry one of
    /// `tags` (any when empty), in load order. An unknown ID or a tag no rule
    /// has is an error, since it is almost always a typo.
    pub fn select(&self, ids: &[String], tags: &[String]) -> Result<Vec<usize>, SelectError> {
        for id in ids {
            if self.rule(id).is_none() {
                return Err(SelectError::UnknownRule {
                    id: id.clone(),
                    hint: hint(super::suggest(id, self.rules.iter().map(|r| &*r.id))),
                });
            }
        }
        for tag in tags {
            if !self.rules.iter().any(|r| r.tags.iter().any(|t| **t == **tag)) {
                let all: Vec<&str> = self.rules.iter().flat_map(|r| r.tags.iter().map(|t| &**t)).collect();
                return Err(SelectError::UnknownTag {
                    tag: tag.clone(),
                    hint: hint(super::suggest(tag, all)),
                });
            }
        }
        Ok(self
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| ids.is_empty() || ids.iter().any(|id| **id == *r.id))
            .filter(|(_, r)| tags.is_empty() || r.tags.iter().any(|t| tags.iter().any(|g| **g == **t)))
            .map(|(i, _)| i)
            .collect())
    }
}

/// `; did you mean …?` after a selection error, or nothing.
fn hint(suggestion: Option<String>) -> String {
    suggestion.map(|h| format!("; {h}")).unwrap_or_default()
}

/// A rule ID or tag that selects no rule: almost always a typo.
///
/// Renders as `no rule has the ID `X`; did you mean `Y`?`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum SelectError {
    /// No loaded rule has this ID.
    #[error("no rule has the ID `{id}`{hint}")]
    #[diagnostic(code(tally::select::rule))]
    UnknownRule {
        /// The ID asked for.
        id: String,
        /// `; did you mean …?` naming close IDs, or empty.
        hint: String,
    },
    /// No loaded rule carries this tag.
    #[error("no rule has the tag `{tag}`{hint}")]
    #[diagnostic(code(tally::select::tag))]
    UnknownTag {
        /// The tag asked for.
        tag: String,
        /// `; did you mean …?` naming close tags, or empty.
        hint: String,
    },
}
