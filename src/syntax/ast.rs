//! The typed syntax tree of a rule file. Every node carries its span; the
//! `PartialEq` impls ignore spans so tests can compare trees built by hand.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::source::Span;

/// An identifier as written, with its span.
#[derive(Clone, Debug)]
pub struct Ident {
    pub name: Arc<str>,
    pub span: Span,
}

impl PartialEq for Ident {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// One parsed rule file.
#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Import(Import),
    Schema(SchemaItem),
    Let(LetItem),
    Fn(FnItem),
    Param(ParamItem),
    Input(InputItem),
    Rule(Rule),
}

/// `param name = default`: a file-level binding the user may override (spec §11).
#[derive(Clone, Debug, PartialEq)]
pub struct ParamItem {
    pub name: Ident,
    pub value: Expr,
}

/// `input name`, `input name[]`, `input name required` (spec §12).
#[derive(Clone, Debug)]
pub struct InputItem {
    pub name: Ident,
    /// `name[]`: a list of documents.
    pub list: bool,
    pub required: bool,
    pub span: Span,
}

impl PartialEq for InputItem {
    fn eq(&self, other: &Self) -> bool {
        (&self.name, self.list, self.required) == (&other.name, other.list, other.required)
    }
}

/// `import "common.tally"`; `path` is the unescaped string.
#[derive(Clone, Debug)]
pub struct Import {
    pub path: String,
    pub span: Span,
}

impl PartialEq for Import {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

/// `schema "schema.json"`: the JSON Schema of the data; `path` is the
/// unescaped string, relative to the rule file.
#[derive(Clone, Debug)]
pub struct SchemaItem {
    pub path: String,
    pub span: Span,
}

impl PartialEq for SchemaItem {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

/// File-level `let name = value`.
#[derive(Clone, Debug, PartialEq)]
pub struct LetItem {
    pub name: Ident,
    pub value: Expr,
}

/// `fn name(params) = body`.
#[derive(Clone, Debug, PartialEq)]
pub struct FnItem {
    pub name: Ident,
    pub params: Vec<Ident>,
    pub body: Expr,
}

/// `rule ID { metadata… statements… }`.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: Ident,
    pub meta: Vec<Meta>,
    pub body: Vec<Stmt>,
    /// From `rule` to the closing brace.
    pub span: Span,
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.meta == other.meta && self.body == other.body
    }
}

#[derive(Clone, Debug)]
pub struct Meta {
    pub kind: MetaKind,
    pub span: Span,
}

impl PartialEq for Meta {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum MetaKind {
    Title(String),
    /// The word after `severity`; the resolver checks it is `error`, `warning` or `info`.
    Severity(Ident),
    Cite(String),
    Tags(Vec<Ident>),
}

impl MetaKind {
    /// The keyword that introduces this metadata line.
    pub fn keyword(&self) -> &'static str {
        match self {
            MetaKind::Title(_) => "title",
            MetaKind::Severity(_) => "severity",
            MetaKind::Cite(_) => "cite",
            MetaKind::Tags(_) => "tags",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

impl PartialEq for Stmt {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    Let {
        name: Ident,
        value: Expr,
    },
    Assert(Assert),
    /// `for value in iter` or `for key, value in iter`.
    For {
        key: Option<Ident>,
        value: Ident,
        iter: Expr,
        body: Vec<Stmt>,
    },
    When {
        cond: Expr,
        body: Vec<Stmt>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Assert {
    pub cond: Expr,
    pub message: Option<Message>,
    pub at: Option<Expr>,
}

/// A `message "…"` string: literal text with `{expr}` interpolations.
#[derive(Clone, Debug)]
pub struct Message {
    pub parts: Vec<MessagePart>,
    pub span: Span,
}

impl PartialEq for Message {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum MessagePart {
    /// Text with escapes and `{{`/`}}` already decoded.
    Text(String),
    Expr(Expr),
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A number literal; a percent literal `25%` is already `0.25` here.
    Number(Decimal),
    String(Arc<str>),
    Bool(bool),
    Null,
    List(Vec<Expr>),
    /// `$`, the whole data document.
    Root,
    /// A bare name: a local, a file-level `let`/`fn`, or a top-level data key.
    Name(Arc<str>),
    /// `base.key` or, when `optional`, `base?.key`.
    Field {
        base: Box<Expr>,
        key: Ident,
        optional: bool,
    },
    /// `base[index]`: a number (negative counts from the end) or a string key.
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
    },
    /// `base[*]`: all elements of a list or all values of a map.
    Wildcard(Box<Expr>),
    /// `f(args)`. A generator argument `f(x for x in xs)` arrives as one
    /// [`ExprKind::Comprehension`] argument.
    Call {
        callee: Ident,
        args: Vec<Expr>,
    },
    /// `[body for key, var in iter if cond]`.
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
    /// A comparison, optionally with `within`.
    Compare {
        op: CompareOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        within: Option<Within>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comprehension {
    pub body: Expr,
    pub key: Option<Ident>,
    pub var: Ident,
    pub iter: Expr,
    pub cond: Option<Expr>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Add,
    Sub,
    Mul,
    Div,
    /// `??`
    Coalesce,
    /// `x in list`, `s in t`
    In,
    /// `s matches "regex"`
    Matches,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Debug)]
pub enum Within {
    /// `within expr`
    Tolerance(Box<Expr>),
    /// `within rounding`
    Rounding(Span),
}

impl PartialEq for Within {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Within::Tolerance(a), Within::Tolerance(b)) => a == b,
            (Within::Rounding(_), Within::Rounding(_)) => true,
            _ => false,
        }
    }
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Coalesce => "??",
            BinaryOp::In => "in",
            BinaryOp::Matches => "matches",
        }
    }
}

impl CompareOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}
