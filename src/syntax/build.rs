//! pest pairs → AST. With `parse.rs`, the only code that sees pest's
//! `Pair`s; it resolves no names. Binary precedence comes from a
//! `PrattParser` over the flat operator sequence the grammar produces.

use std::sync::LazyLock;

use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::ast::{
    Assert, BinaryOp, CompareOp, Comprehension, Expr, ExprKind, FnItem, Ident, Import, InputItem, Item, LetItem,
    Message, MessagePart, Meta, MetaKind, ParamItem, Rule as RuleItem, SchemaItem, Stmt, StmtKind, UnaryOp, Within,
};
use super::lexicon::{self, Level};
use super::parse::Rule;
use super::{recover, strings, SyntaxError};
use crate::source::{FileId, Span};

/// How deep a built expression tree may be. Long flat chains (`1 + 1 + …`)
/// build left-deep trees that later phases walk recursively; past this depth
/// they are a syntax error rather than a stack overflow somewhere later.
pub(super) const MAX_TREE_DEPTH: u32 = 256;

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    // One `op` call per level, loosest first, as `lexicon::Level` orders them.
    Level::ALL.iter().fold(PrattParser::new(), |pratt, &level| {
        let ops = OPERATORS
            .iter()
            .filter(|(rule, _)| operator_level(*rule) == level)
            .map(|&(rule, fixity)| match fixity {
                Fixity::Infix => Op::infix(rule, Assoc::Left),
                Fixity::Prefix => Op::prefix(rule),
                Fixity::Postfix => Op::postfix(rule),
            })
            .reduce(|a, b| a | b)
            .expect("every level has an operator");
        pratt.op(ops)
    })
});

#[derive(Clone, Copy)]
enum Fixity {
    Infix,
    Prefix,
    Postfix,
}

/// The grammar's operator rules.
const OPERATORS: &[(Rule, Fixity)] = {
    use Fixity::*;
    use Rule::*;
    &[
        (or_op, Infix),
        (and_op, Infix),
        (not_op, Prefix),
        (within, Infix),
        (within_rounding, Postfix),
        (eq, Infix),
        (ne, Infix),
        (lt, Infix),
        (le, Infix),
        (gt, Infix),
        (ge, Infix),
        (in_op, Infix),
        (matches_op, Infix),
        (coalesce, Infix),
        (add, Infix),
        (sub, Infix),
        (mul, Infix),
        (div, Infix),
        (neg, Prefix),
        (field, Postfix),
        (opt_field, Postfix),
        (index, Postfix),
        (wildcard, Postfix),
    ]
};

/// How tightly the operator `rule` binds (from the lexicon's table).
fn operator_level(rule: Rule) -> Level {
    if let Some(op) = binary_op(rule) {
        return lexicon::binary_level(op);
    }
    match rule {
        Rule::not_op => Level::Not,
        Rule::within | Rule::within_rounding => Level::Within,
        Rule::neg => Level::Neg,
        r if compare_op(r).is_some() => Level::Compare,
        _ => Level::Postfix,
    }
}

fn compare_op(rule: Rule) -> Option<CompareOp> {
    use Rule::*;
    Some(match rule {
        eq => CompareOp::Eq,
        ne => CompareOp::Ne,
        lt => CompareOp::Lt,
        le => CompareOp::Le,
        gt => CompareOp::Gt,
        ge => CompareOp::Ge,
        _ => return None,
    })
}

fn binary_op(rule: Rule) -> Option<BinaryOp> {
    use Rule::*;
    Some(match rule {
        or_op => BinaryOp::Or,
        and_op => BinaryOp::And,
        coalesce => BinaryOp::Coalesce,
        add => BinaryOp::Add,
        sub => BinaryOp::Sub,
        mul => BinaryOp::Mul,
        div => BinaryOp::Div,
        in_op => BinaryOp::In,
        matches_op => BinaryOp::Matches,
        _ => return None,
    })
}

type R<T> = Result<T, SyntaxError>;

/// Builds AST nodes; spans are absolute because `Pair` offsets are relative
/// to the slice pest parsed, which starts at `offset`.
pub(super) struct Builder<'t> {
    pub(super) file: FileId,
    /// The whole file.
    pub(super) text: &'t str,
}

/// An expression being built, with what the Pratt fold needs to know.
struct Built {
    expr: Expr,
    /// Depth of the tree, checked against [`MAX_TREE_DEPTH`].
    depth: u32,
    /// A comparison (`==`, `<`, `in`, `matches`…) not in parentheses: these
    /// do not chain.
    compare: bool,
}

/// Punctuation and keywords: structure for pest, noise for the builder.
fn is_token(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        lparen
            | rparen
            | lbrace
            | rbrace
            | lbracket
            | rbracket
            | comma
            | assign
            | kw_rule
            | kw_let
            | kw_fn
            | kw_import
            | kw_schema
            | kw_for
            | kw_in
            | kw_if
            | kw_when
            | kw_assert
            | kw_message
            | kw_at
            | kw_title
            | kw_severity
            | kw_cite
            | kw_tags
            | kw_param
            | kw_input
            | EOI
    )
}

fn inner(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner().filter(|p| !is_token(p.as_rule()))
}

fn is_meta(rule: Rule) -> bool {
    matches!(rule, Rule::title | Rule::severity | Rule::cite | Rule::tags)
}

/// Part of a `pair`'s children, by position: the grammar guarantees it exists.
fn next<'i>(it: &mut impl Iterator<Item = Pair<'i, Rule>>) -> Pair<'i, Rule> {
    it.next().expect("the grammar guarantees this child")
}

impl<'t> Builder<'t> {
    /// Builds the items of a `file` pair parsed from `text[offset..]`.
    pub(super) fn items(
        &self,
        file: Option<Pair<'_, Rule>>,
        offset: usize,
        items: &mut Vec<Item>,
        errors: &mut Vec<SyntaxError>,
    ) {
        let at = At {
            b: self,
            offset,
            depth: std::cell::Cell::new(0),
        };
        for pair in file.into_iter().flat_map(inner) {
            match at.item(pair) {
                Ok(item) => items.push(item),
                Err(e) => errors.push(e),
            }
        }
    }
}

/// A builder positioned at one parsed slice.
struct At<'b, 't> {
    b: &'b Builder<'t>,
    offset: usize,
    /// Current recursion depth of the builder (brackets, blocks).
    depth: std::cell::Cell<usize>,
}

impl At<'_, '_> {
    /// The span of `pair`, without the whitespace and comments pest includes
    /// when a trailing optional part (`message …`, `at …`) is absent.
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        Span::new(self.b.file, self.offset + span.start(), self.offset + trimmed_end(pair))
    }

    fn source(&self, span: Span) -> &str {
        &self.b.text[span.range()]
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().into(),
            span: self.span(&pair),
        }
    }

    fn string(&self, pair: Pair<'_, Rule>) -> R<String> {
        let body = next(&mut pair.into_inner());
        let start = self.span(&body).start as usize;
        strings::unescape(self.b.file, body.as_str(), start)
    }

    /// Guards the builder's own recursion (the pre-scan bounds it already;
    /// this keeps the builder safe on its own).
    fn nested<T>(&self, span: Span, f: impl FnOnce() -> R<T>) -> R<T> {
        let depth = self.depth.get() + 1;
        if depth > recover::MAX_NESTING + 8 {
            return Err(recover::nesting_error(self.b.file, span.start as usize));
        }
        self.depth.set(depth);
        let result = f();
        self.depth.set(depth - 1);
        result
    }

    // ------------------------------------------------------------ items

    fn item(&self, pair: Pair<'_, Rule>) -> R<Item> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        if rule == Rule::rule_item {
            return self.rule(pair).map(Item::Rule);
        }
        let mut it = inner(pair);
        Ok(match rule {
            Rule::import => Item::Import(Import {
                path: self.string(next(&mut it))?,
                span,
            }),
            Rule::schema_item => Item::Schema(SchemaItem {
                path: self.string(next(&mut it))?,
                span,
            }),
            Rule::let_item => Item::Let(LetItem {
                name: self.ident(next(&mut it)),
                value: self.expr(next(&mut it))?,
            }),
            Rule::fn_item => Item::Fn(FnItem {
                name: self.ident(next(&mut it)),
                params: inner(next(&mut it)).map(|p| self.ident(p)).collect(),
                body: self.expr(next(&mut it))?,
            }),
            Rule::param_item => Item::Param(ParamItem {
                name: self.ident(next(&mut it)),
                value: self.expr(next(&mut it))?,
            }),
            Rule::input_item => {
                let name = self.ident(next(&mut it));
                let (mut list, mut required) = (false, false);
                for mark in it {
                    match mark.as_rule() {
                        Rule::input_list => list = true,
                        _ => required = true,
                    }
                }
                Item::Input(InputItem {
                    name,
                    list,
                    required,
                    span,
                })
            }
            other => unreachable!("not an item: {other:?}"),
        })
    }

    fn rule(&self, pair: Pair<'_, Rule>) -> R<RuleItem> {
        let span = self.span(&pair);
        let mut it = inner(pair);
        let id = self.ident(next(&mut it));
        let mut meta: Vec<Meta> = Vec::new();
        let mut body: Vec<Stmt> = Vec::new();
        for child in it {
            if !is_meta(child.as_rule()) {
                body.push(self.stmt(child)?);
                continue;
            }
            let m = self.meta(child)?;
            let word = m.kind.keyword();
            if !body.is_empty() {
                return Err(SyntaxError::new(
                    m.span,
                    format!("metadata must come first: `{word}` after a statement"),
                    format!("`{word}` after a statement"),
                )
                .with_help(format!("move `{word}` above the first statement of rule `{}`", id.name)));
            }
            if let Some(first) = meta.iter().find(|o| o.kind.keyword() == word) {
                let line = self.b.text[..first.span.start as usize].matches('\n').count() + 1;
                return Err(SyntaxError::new(
                    m.span,
                    format!("duplicate `{word}` in rule `{}`", id.name),
                    format!("second `{word}`"),
                )
                .with_help(format!("`{word}` is already given on line {line}")));
            }
            meta.push(m);
        }
        Ok(RuleItem { id, meta, body, span })
    }

    fn meta(&self, pair: Pair<'_, Rule>) -> R<Meta> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut it = inner(pair);
        let kind = match rule {
            Rule::title => MetaKind::Title(self.string(next(&mut it))?),
            Rule::severity => MetaKind::Severity(self.ident(next(&mut it))),
            Rule::cite => MetaKind::Cite(self.string(next(&mut it))?),
            Rule::tags => MetaKind::Tags(it.map(|p| self.ident(p)).collect()),
            other => unreachable!("not metadata: {other:?}"),
        };
        Ok(Meta { kind, span })
    }

    // ------------------------------------------------------- statements

    fn stmt(&self, pair: Pair<'_, Rule>) -> R<Stmt> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut it = inner(pair).peekable();
        let kind = match rule {
            Rule::let_stmt => StmtKind::Let {
                name: self.ident(next(&mut it)),
                value: self.expr(next(&mut it))?,
            },
            Rule::assert => {
                let cond = self.expr(next(&mut it))?;
                let message = match it.next_if(|p| p.as_rule() == Rule::message) {
                    Some(m) => Some(self.message(m)?),
                    None => None,
                };
                let at = it.next().map(|p| self.expr(p)).transpose()?;
                StmtKind::Assert(Assert { cond, message, at })
            }
            Rule::for_stmt => {
                let first = self.ident(next(&mut it));
                let (key, value) = match it.next_if(|p| p.as_rule() == Rule::ident) {
                    Some(second) => (Some(first), self.ident(second)),
                    None => (None, first),
                };
                let iter = self.expr(next(&mut it))?;
                let body = self.block(next(&mut it))?;
                StmtKind::For { key, value, iter, body }
            }
            Rule::when => StmtKind::When {
                cond: self.expr(next(&mut it))?,
                body: self.block(next(&mut it))?,
            },
            other => unreachable!("not a statement: {other:?}"),
        };
        Ok(Stmt { kind, span })
    }

    fn block(&self, pair: Pair<'_, Rule>) -> R<Vec<Stmt>> {
        let span = self.span(&pair);
        self.nested(span, || {
            inner(pair)
                .map(|p| {
                    if is_meta(p.as_rule()) {
                        let m = self.meta(p)?;
                        let word = m.kind.keyword();
                        return Err(SyntaxError::new(
                            m.span,
                            format!("`{word}` is only allowed at the top of a rule"),
                            "metadata inside a block",
                        )
                        .with_help(format!("move `{word}` to the start of the rule, before its statements")));
                    }
                    self.stmt(p)
                })
                .collect()
        })
    }

    fn message(&self, pair: Pair<'_, Rule>) -> R<Message> {
        let span = self.span(&pair);
        let mut parts: Vec<MessagePart> = Vec::new();
        let push_text = |parts: &mut Vec<MessagePart>, text: &str| match parts.last_mut() {
            Some(MessagePart::Text(t)) => t.push_str(text),
            _ => parts.push(MessagePart::Text(text.to_string())),
        };
        for part in pair.into_inner() {
            let part_span = self.span(&part);
            match part.as_rule() {
                Rule::msg_text => {
                    let text = strings::unescape(self.b.file, part.as_str(), part_span.start as usize)?;
                    push_text(&mut parts, &text);
                }
                Rule::msg_open => push_text(&mut parts, "{"),
                Rule::msg_close => push_text(&mut parts, "}"),
                Rule::msg_interp => {
                    let expr = self.expr(next(&mut part.into_inner()))?;
                    parts.push(MessagePart::Expr(expr));
                }
                Rule::msg_stray => {
                    return Err(
                        SyntaxError::new(part_span, "unmatched `}` in a message", "unmatched `}`")
                            .with_help("write `}}` for a literal `}`, or `{expr}` to show a value"),
                    )
                }
                other => unreachable!("not a message part: {other:?}"),
            }
        }
        Ok(Message { parts, span })
    }

    // ------------------------------------------------------ expressions

    fn expr(&self, pair: Pair<'_, Rule>) -> R<Expr> {
        Ok(self.built(pair)?.expr)
    }

    fn built(&self, pair: Pair<'_, Rule>) -> R<Built> {
        let span = self.span(&pair);
        self.nested(span, || {
            PRATT
                .map_primary(|p| self.primary(p))
                .map_prefix(|op, rhs| self.prefix(op, rhs?))
                .map_postfix(|lhs, op| self.postfix(lhs?, op))
                .map_infix(|lhs, op, rhs| self.infix(lhs?, op, rhs?))
                .parse(pair.into_inner())
        })
    }

    fn node(&self, kind: ExprKind, span: Span, depth: u32, at: Span) -> R<Built> {
        if depth > MAX_TREE_DEPTH {
            return Err(SyntaxError::new(
                at,
                format!("expression nests more than {MAX_TREE_DEPTH} levels"),
                "nested too deeply",
            )
            .with_help("split the expression into smaller parts with `let`"));
        }
        Ok(Built {
            expr: Expr { kind, span },
            depth,
            compare: false,
        })
    }

    fn primary(&self, pair: Pair<'_, Rule>) -> R<Built> {
        let span = self.span(&pair);
        let leaf = |kind| self.node(kind, span, 1, span);
        match pair.as_rule() {
            Rule::number => leaf(ExprKind::Number(strings::number(span, pair.as_str())?)),
            Rule::bad_number => Err(strings::bad_number(span, pair.as_str())),
            Rule::string => leaf(ExprKind::String(self.string(pair)?.into())),
            Rule::kw_true => leaf(ExprKind::Bool(true)),
            Rule::kw_false => leaf(ExprKind::Bool(false)),
            Rule::kw_null => leaf(ExprKind::Null),
            Rule::root => leaf(ExprKind::Root),
            Rule::paren => {
                let mut built = self.built(next(&mut inner(pair)))?;
                built.expr.span = span;
                built.compare = false;
                Ok(built)
            }
            Rule::list => {
                let (mut elements, depth) = self.elements(pair, span)?;
                match elements.pop() {
                    Some(Err(comprehension)) => Ok(comprehension),
                    Some(Ok(last)) => {
                        elements.push(Ok(last));
                        let items = elements.into_iter().flatten().collect();
                        self.node(ExprKind::List(items), span, depth + 1, span)
                    }
                    None => leaf(ExprKind::List(Vec::new())),
                }
            }
            Rule::name => {
                let mut it = inner(pair);
                let callee = self.ident(next(&mut it));
                let Some(args) = it.next() else {
                    return leaf(ExprKind::Name(callee.name));
                };
                let args_span = self.span(&args);
                let (elements, depth) = self.elements(args, args_span)?;
                let args = elements
                    .into_iter()
                    .map(|e| match e {
                        Ok(e) => e,
                        Err(c) => c.expr,
                    })
                    .collect();
                self.node(ExprKind::Call { callee, args }, span, depth + 1, span)
            }
            other => unreachable!("not a primary: {other:?}"),
        }
    }

    /// The elements of a list or a call's arguments: plain expressions
    /// (`Ok`), or one comprehension (`Err`, already built). Returns the
    /// deepest element's depth too.
    #[allow(clippy::type_complexity)]
    fn elements(&self, pair: Pair<'_, Rule>, span: Span) -> R<(Vec<Result<Expr, Built>>, u32)> {
        let mut out: Vec<Result<Expr, Built>> = Vec::new();
        let mut depth = 0;
        for p in inner(pair) {
            if p.as_rule() == Rule::comp_clause {
                let Some(Ok(body)) = out.pop() else {
                    unreachable!("the grammar puts one expression before `for`")
                };
                let built = self.comprehension(body, depth, p, span)?;
                depth = built.depth;
                out.push(Err(built));
                continue;
            }
            let built = self.built(p)?;
            depth = depth.max(built.depth);
            out.push(Ok(built.expr));
        }
        Ok((out, depth))
    }

    /// `[body for key, var in iter if cond]`; `span` is the list's (or, for a
    /// generator argument, runs from the body to the end of the clause).
    fn comprehension(&self, body: Expr, body_depth: u32, clause: Pair<'_, Rule>, list_span: Span) -> R<Built> {
        let clause_span = self.span(&clause);
        let mut it = inner(clause).peekable();
        let first = self.ident(next(&mut it));
        let (key, var) = match it.next_if(|p| p.as_rule() == Rule::ident) {
            Some(second) => (Some(first), self.ident(second)),
            None => (None, first),
        };
        let iter = self.built(next(&mut it))?;
        let cond = it.next().map(|p| self.built(p)).transpose()?;
        let depth = 1 + body_depth.max(iter.depth).max(cond.as_ref().map_or(0, |c| c.depth));
        let span = if list_span.start < body.span.start {
            list_span
        } else {
            body.span.to(clause_span)
        };
        let comprehension = Comprehension {
            body,
            key,
            var,
            iter: iter.expr,
            cond: cond.map(|c| c.expr),
        };
        self.node(ExprKind::Comprehension(Box::new(comprehension)), span, depth, span)
    }

    fn prefix(&self, op: Pair<'_, Rule>, operand: Built) -> R<Built> {
        let op_span = self.span(&op);
        let span = op_span.to(operand.expr.span);
        let op = match op.as_rule() {
            Rule::neg => {
                // `-0.1` is the literal -0.1, not an operation on 0.1.
                if let ExprKind::Number(n) = operand.expr.kind {
                    if !self.source(operand.expr.span).starts_with('(') {
                        let n = if n.is_zero() { n } else { -n };
                        return self.node(ExprKind::Number(n), span, 1, span);
                    }
                }
                UnaryOp::Neg
            }
            Rule::not_op => UnaryOp::Not,
            other => unreachable!("not a prefix operator: {other:?}"),
        };
        let depth = operand.depth + 1;
        let kind = ExprKind::Unary {
            op,
            operand: Box::new(operand.expr),
        };
        self.node(kind, span, depth, op_span)
    }

    fn postfix(&self, base: Built, op: Pair<'_, Rule>) -> R<Built> {
        let op_span = self.span(&op);
        let span = base.expr.span.to(op_span);
        let depth = base.depth + 1;
        let rule = op.as_rule();
        let base_expr = Box::new(base.expr);
        let kind = match rule {
            Rule::field | Rule::opt_field => {
                let key = next(&mut op.into_inner());
                if key.as_rule() == Rule::bad_key {
                    let base = self.source(base_expr.span);
                    return Err(SyntaxError::new(
                        self.span(&key),
                        format!("`{}` cannot follow `.`", key.as_str()),
                        "not a name",
                    )
                    .with_help(format!(
                        "a key that is not a name is read with a string index: `{base}[\"{}\"]`",
                        key.as_str()
                    )));
                }
                ExprKind::Field {
                    base: base_expr,
                    key: self.ident(key),
                    optional: rule == Rule::opt_field,
                }
            }
            Rule::index => {
                let index = self.built(next(&mut inner(op)))?;
                return self.node(
                    ExprKind::Index {
                        base: base_expr,
                        index: Box::new(index.expr),
                    },
                    span,
                    depth.max(index.depth + 1),
                    op_span,
                );
            }
            Rule::wildcard => ExprKind::Wildcard(base_expr),
            Rule::within_rounding => {
                let base = Built {
                    expr: *base_expr,
                    depth: depth - 1,
                    compare: base.compare,
                };
                let within_span = self.span(&next(&mut op.into_inner()));
                return self.within(base, Within::Rounding(op_span), within_span, op_span, 0);
            }
            other => unreachable!("not a postfix operator: {other:?}"),
        };
        self.node(kind, span, depth, op_span)
    }

    fn infix(&self, lhs: Built, op: Pair<'_, Rule>, rhs: Built) -> R<Built> {
        use Rule::*;
        let op_span = self.span(&op);
        let span = lhs.expr.span.to(rhs.expr.span);
        let depth = 1 + lhs.depth.max(rhs.depth);
        let rule = op.as_rule();
        let compare_op = compare_op(rule);
        if rule == within {
            if rhs.compare {
                return Err(self.chained(&rhs, op_span));
            }
            let end = rhs.expr.span;
            let tolerance_depth = rhs.depth;
            return self.within(
                lhs,
                Within::Tolerance(Box::new(rhs.expr)),
                op_span,
                end,
                tolerance_depth,
            );
        }
        let is_compare = compare_op.is_some() || matches!(rule, in_op | matches_op);
        if is_compare && (lhs.compare || rhs.compare) {
            let first = if lhs.compare { &lhs } else { &rhs };
            return Err(self.chained_with(first, op_span, &rhs));
        }
        let kind = if let Some(op) = compare_op {
            ExprKind::Compare {
                op,
                lhs: Box::new(lhs.expr),
                rhs: Box::new(rhs.expr),
                within: None,
            }
        } else {
            let op = binary_op(rule).unwrap_or_else(|| unreachable!("not an infix operator: {rule:?}"));
            ExprKind::Binary {
                op,
                lhs: Box::new(lhs.expr),
                rhs: Box::new(rhs.expr),
            }
        };
        let mut built = self.node(kind, span, depth, op_span)?;
        built.compare = is_compare;
        Ok(built)
    }

    /// Attaches `within …` to the comparison `lhs`.
    fn within(
        &self,
        mut lhs: Built,
        tolerance: Within,
        within_span: Span,
        end: Span,
        tolerance_depth: u32,
    ) -> R<Built> {
        let depth = lhs.depth.max(tolerance_depth + 1);
        if lhs.compare {
            if let ExprKind::Compare {
                op: CompareOp::Eq | CompareOp::Ne,
                within: slot,
                ..
            } = &mut lhs.expr.kind
            {
                if slot.is_some() {
                    return Err(SyntaxError::new(
                        within_span,
                        "a comparison takes only one `within`",
                        "second `within`",
                    ));
                }
                *slot = Some(tolerance);
                lhs.expr.span = lhs.expr.span.to(end);
                lhs.depth = depth;
                return Ok(lhs);
            }
        }
        let what = match &lhs.expr.kind {
            ExprKind::Compare { op, .. } if lhs.compare => format!("`{}`", op.symbol()),
            ExprKind::Binary { op, .. } if lhs.compare => format!("`{}`", op.symbol()),
            _ => "an expression that is not a comparison".to_string(),
        };
        Err(SyntaxError::new(
            within_span,
            "`within` can only follow `==` or `!=`",
            format!("`within` after {what}"),
        )
        .with_help("write a tolerance as `a == b within 0.005` or `a == b within rounding`"))
    }

    fn chained(&self, first: &Built, op_span: Span) -> SyntaxError {
        SyntaxError::new(
            op_span,
            "comparisons cannot be chained",
            format!("`{}` follows another comparison", self.source(op_span)),
        )
        .with_help(format!(
            "combine comparisons with `and`, or put `{}` in parentheses",
            self.source(first.expr.span)
        ))
    }

    fn chained_with(&self, first: &Built, op_span: Span, rhs: &Built) -> SyntaxError {
        let err = SyntaxError::new(
            op_span,
            "comparisons cannot be chained",
            format!("`{}` follows another comparison", self.source(op_span)),
        );
        match &first.expr.kind {
            ExprKind::Compare { rhs: middle, .. } | ExprKind::Binary { rhs: middle, .. } if !rhs.compare => {
                let first_text = self.source(first.expr.span);
                let middle = self.source(middle.span);
                let op = self.source(op_span);
                let last = self.source(rhs.expr.span);
                err.with_help(format!(
                    "combine comparisons with `and`: `{first_text} and {middle} {op} {last}`"
                ))
            }
            _ => err.with_help("combine comparisons with `and`"),
        }
    }
}

/// The end of `pair`'s last token (relative offset).
fn trimmed_end(pair: &Pair<'_, Rule>) -> usize {
    let end = pair.as_span().end();
    let text = pair.as_str();
    if !text.ends_with(|c: char| c.is_whitespace()) && !text.contains('#') {
        return end;
    }
    match pair.clone().into_inner().last() {
        Some(last) if last.as_span().end() < end => {
            let rest = &text[last.as_span().end() - pair.as_span().start()..];
            let blank = rest
                .lines()
                .all(|l| l.trim_start().is_empty() || l.trim_start().starts_with('#'));
            if blank {
                trimmed_end(&last)
            } else {
                end
            }
        }
        Some(last) => trimmed_end(&last),
        None => end,
    }
}
