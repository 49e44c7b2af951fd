//! Printing the syntax tree back as text, with the comments put back where
//! they belong.

use super::comments::{self, Comment};
use crate::source::Span;
use crate::syntax::ast::{
    Assert, BinaryOp, Expr, ExprKind, File, Item, Meta, MetaKind, Rule, Stmt, StmtKind, UnaryOp, Within,
};

pub struct Printer<'a> {
    text: &'a str,
    comments: Vec<Comment>,
    /// Comments before this index are already printed.
    next_comment: usize,
    out: String,
}

const INDENT: &str = "  ";

impl<'a> Printer<'a> {
    pub fn new(text: &'a str) -> Self {
        Printer {
            text,
            comments: comments::collect(text),
            next_comment: 0,
            out: String::new(),
        }
    }

    pub fn file(mut self, file: &File) -> String {
        let mut previous: Option<&Item> = None;
        for item in &file.items {
            let span = item_span(item);
            if let Some(prev) = previous {
                // Rules stand apart; imports, lets and fns keep a blank line
                // only where the author left one.
                let apart = matches!(item, Item::Rule(_))
                    || matches!(prev, Item::Rule(_))
                    || std::mem::discriminant(prev) != std::mem::discriminant(item)
                        && !(is_binding(prev) && is_binding(item))
                    || self.blank_line_before(span.start as usize);
                if apart {
                    self.out.push('\n');
                }
            }
            self.leading_comments(span.start as usize, 0);
            match item {
                Item::Import(import) => {
                    let path = self.source(import.span).trim_start_matches("import").trim();
                    self.out.push_str(&format!("import {path}"));
                }
                Item::Let(item) => {
                    self.out
                        .push_str(&format!("let {} = {}", item.name.name, self.expr(&item.value, 0)));
                }
                Item::Fn(item) => {
                    let params: Vec<&str> = item.params.iter().map(|p| &*p.name).collect();
                    self.out.push_str(&format!(
                        "fn {}({}) = {}",
                        item.name.name,
                        params.join(", "),
                        self.expr(&item.body, 0)
                    ));
                }
                Item::Rule(rule) => self.rule(rule),
            }
            let end = match item {
                Item::Rule(rule) => rule.span.end as usize,
                _ => span.end as usize,
            };
            self.trailing_comment(end);
            self.out.push('\n');
            previous = Some(item);
        }
        // Whatever is left stands at the end of the file.
        if self.next_comment < self.comments.len() {
            if !self.out.is_empty() && self.blank_line_before(self.comments[self.next_comment].start) {
                self.out.push('\n');
            }
            self.leading_comments(self.text.len(), 0);
        }
        self.out
    }

    fn rule(&mut self, rule: &Rule) {
        self.out.push_str(&format!("rule {} {{", rule.id.name));
        let first = rule
            .meta
            .first()
            .map(|m| m.span.start)
            .or(rule.body.first().map(|s| s.span.start));
        self.trailing_comment_before(first.unwrap_or(rule.span.end) as usize);
        self.out.push('\n');
        for meta in &rule.meta {
            self.leading_comments(meta.span.start as usize, 1);
            self.out.push_str(INDENT);
            self.meta(meta);
            self.trailing_comment(meta.span.end as usize);
            self.out.push('\n');
        }
        self.block(&rule.body, 1, rule.meta.is_empty());
        self.closing(rule.span.end as usize, 0);
    }

    /// The closing brace of a block ending at `end`, after any comments left inside.
    fn closing(&mut self, end: usize, depth: usize) {
        let brace = end.saturating_sub(1);
        self.leading_comments(brace, depth + 1);
        self.out.push_str(&INDENT.repeat(depth));
        self.out.push('}');
    }

    fn meta(&mut self, meta: &Meta) {
        let rest = |word: &str| self.source(meta.span).trim_start_matches(word).trim().to_owned();
        // Values line up after the longest keyword, as in the spec's examples.
        let line = match &meta.kind {
            MetaKind::Title(_) => format!("title    {}", rest("title")),
            MetaKind::Cite(_) => format!("cite     {}", rest("cite")),
            MetaKind::Severity(word) => format!("severity {}", word.name),
            MetaKind::Tags(tags) => {
                let names: Vec<&str> = tags.iter().map(|t| &*t.name).collect();
                format!("tags     [{}]", names.join(", "))
            }
        };
        self.out.push_str(&line);
    }

    /// Statements, keeping single empty lines where the author left them
    /// (not right after an opening brace).
    fn block(&mut self, stmts: &[Stmt], depth: usize, at_brace: bool) {
        for (i, stmt) in stmts.iter().enumerate() {
            if (i > 0 || !at_brace) && self.blank_line_before(stmt.span.start as usize) {
                self.out.push('\n');
            }
            self.leading_comments(stmt.span.start as usize, depth);
            self.stmt(stmt, depth);
            self.out.push('\n');
        }
    }

    fn stmt(&mut self, stmt: &Stmt, depth: usize) {
        let indent = INDENT.repeat(depth);
        self.out.push_str(&indent);
        match &stmt.kind {
            StmtKind::Let { name, value } => {
                self.out
                    .push_str(&format!("let {} = {}", name.name, self.expr(value, 0)));
                self.trailing_comment(stmt.span.end as usize);
            }
            StmtKind::Assert(Assert { cond, message, at }) => {
                self.out.push_str(&format!("assert {}", self.expr(cond, 0)));
                self.trailing_comment(cond.span.end as usize);
                if let Some(message) = message {
                    self.out
                        .push_str(&format!("\n{indent}{INDENT}message {}", self.source(message.span)));
                    self.trailing_comment(message.span.end as usize);
                }
                if let Some(at) = at {
                    self.out.push_str(&format!("\n{indent}{INDENT}at {}", self.expr(at, 0)));
                    self.trailing_comment(at.span.end as usize);
                }
            }
            StmtKind::For { key, value, iter, body } => {
                let vars = match key {
                    Some(key) => format!("{}, {}", key.name, value.name),
                    None => value.name.to_string(),
                };
                self.out.push_str(&format!("for {vars} in {} {{", self.expr(iter, 0)));
                self.open_block(iter.span.end as usize, body, stmt.span.end as usize, depth);
            }
            StmtKind::When { cond, body } => {
                self.out.push_str(&format!("when {} {{", self.expr(cond, 0)));
                self.open_block(cond.span.end as usize, body, stmt.span.end as usize, depth);
            }
        }
    }

    fn open_block(&mut self, header_end: usize, body: &[Stmt], end: usize, depth: usize) {
        let first = body.first().map_or(end, |s| s.span.start as usize);
        self.trailing_comment_before(first.max(header_end));
        self.out.push('\n');
        self.block(body, depth + 1, true);
        self.closing(end, depth);
        self.trailing_comment(end);
    }

    // ------------------------------------------------------------ comments

    /// Prints, each on its own line, the comments that start before `pos`,
    /// keeping an empty line after one where the source has it.
    fn leading_comments(&mut self, pos: usize, depth: usize) {
        while let Some(comment) = self.comments.get(self.next_comment).filter(|c| c.start < pos) {
            let comment = comment.clone();
            self.next_comment += 1;
            self.out.push_str(&INDENT.repeat(depth));
            self.out.push_str(&comment.text);
            self.out.push('\n');
            let line_end = self.text[comment.start..]
                .find('\n')
                .map_or(self.text.len(), |n| comment.start + n + 1);
            let next_line = self.text[line_end.min(self.text.len())..].lines().next();
            if next_line.is_some_and(|l| l.trim().is_empty()) && line_end < pos {
                self.out.push('\n');
            }
        }
    }

    /// A comment on the same line as `end` stays at the end of that line.
    fn trailing_comment(&mut self, end: usize) {
        if let Some(comment) = self.comments.get(self.next_comment) {
            if comment.start >= end && !comment.own_line && !self.text[end..comment.start].contains('\n') {
                self.out.push_str("  ");
                self.out.push_str(&comment.text.clone());
                self.next_comment += 1;
            }
        }
    }

    /// A comment after an opening brace, on the brace's line.
    fn trailing_comment_before(&mut self, limit: usize) {
        if let Some(comment) = self.comments.get(self.next_comment) {
            if !comment.own_line && comment.start < limit {
                self.out.push(' ');
                self.out.push_str(&comment.text.clone());
                self.next_comment += 1;
            }
        }
    }

    /// Whether the source has an empty line just before the token at `pos`
    /// (or before the comments that lead up to it).
    fn blank_line_before(&self, pos: usize) -> bool {
        let mut lines = self.text[..pos].lines().rev();
        // The line holding `pos` itself.
        lines.next();
        for line in lines {
            let line = line.trim();
            if line.is_empty() {
                return true;
            }
            if !line.starts_with('#') {
                return false;
            }
        }
        false
    }

    fn source(&self, span: Span) -> &'a str {
        &self.text[span.range()]
    }

    // --------------------------------------------------------- expressions

    /// `expr` printed so that it parses back the same inside an operator of
    /// precedence `min`.
    fn expr(&self, expr: &Expr, min: u8) -> String {
        let level = precedence(expr);
        let text = match &expr.kind {
            ExprKind::Number(_) | ExprKind::String(_) => {
                self.source(expr.span).trim_matches(['(', ')', ' ']).to_owned()
            }
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Null => "null".into(),
            ExprKind::Root => "$".into(),
            ExprKind::Name(name) => name.to_string(),
            ExprKind::List(items) => {
                let items: Vec<String> = items.iter().map(|e| self.expr(e, 0)).collect();
                format!("[{}]", items.join(", "))
            }
            ExprKind::Field { base, key, optional } => {
                format!(
                    "{}{}{}",
                    self.expr(base, POSTFIX),
                    if *optional { "?." } else { "." },
                    key.name
                )
            }
            ExprKind::Index { base, index } => format!("{}[{}]", self.expr(base, POSTFIX), self.expr(index, 0)),
            ExprKind::Wildcard(base) => format!("{}[*]", self.expr(base, POSTFIX)),
            ExprKind::Call { callee, args } => {
                let generator = args.len() == 1
                    && matches!(args[0].kind, ExprKind::Comprehension(_))
                    && !self.source(args[0].span).starts_with('[');
                if generator {
                    let inner = self.expr(&args[0], 0);
                    format!("{}({})", callee.name, &inner[1..inner.len() - 1])
                } else {
                    let args: Vec<String> = args.iter().map(|e| self.expr(e, 0)).collect();
                    format!("{}({})", callee.name, args.join(", "))
                }
            }
            ExprKind::Comprehension(c) => {
                let vars = match &c.key {
                    Some(key) => format!("{}, {}", key.name, c.var.name),
                    None => c.var.name.to_string(),
                };
                let cond = c
                    .cond
                    .as_ref()
                    .map(|e| format!(" if {}", self.expr(e, 0)))
                    .unwrap_or_default();
                format!(
                    "[{} for {vars} in {}{cond}]",
                    self.expr(&c.body, 0),
                    self.expr(&c.iter, 0)
                )
            }
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => format!("not {}", self.expr(operand, NOT)),
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => format!("-{}", self.expr(operand, NEG)),
            ExprKind::Binary { op, lhs, rhs } => {
                let (l, r) = match op {
                    BinaryOp::In | BinaryOp::Matches => (COALESCE + 1, COALESCE + 1),
                    _ => (level, level + 1),
                };
                // `a or (b and c)`: precedence would allow it bare, readers prefer it grouped.
                let grouped =
                    |e: &Expr| *op == BinaryOp::Or && matches!(e.kind, ExprKind::Binary { op: BinaryOp::And, .. });
                let l = if grouped(lhs) { POSTFIX } else { l };
                let r = if grouped(rhs) { POSTFIX } else { r };
                format!("{} {} {}", self.expr(lhs, l), op.symbol(), self.expr(rhs, r))
            }
            ExprKind::Compare { op, lhs, rhs, within } => {
                // `(a ?? 0) == b` keeps its parentheses for the same reason.
                let side = COALESCE + 1;
                let mut text = format!("{} {} {}", self.expr(lhs, side), op.symbol(), self.expr(rhs, side));
                match within {
                    Some(Within::Tolerance(t)) => text.push_str(&format!(" within {}", self.expr(t, COMPARE + 1))),
                    Some(Within::Rounding(_)) => text.push_str(" within rounding"),
                    None => {}
                }
                text
            }
        };
        if level < min {
            format!("({text})")
        } else {
            text
        }
    }
}

const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
const COMPARE: u8 = 5;
const COALESCE: u8 = 6;
const ADD: u8 = 7;
const MUL: u8 = 8;
const NEG: u8 = 9;
const POSTFIX: u8 = 10;

/// How tightly an expression binds (spec §4); `within` sits between `not`
/// and the comparisons, as the grammar has it.
fn precedence(expr: &Expr) -> u8 {
    match &expr.kind {
        ExprKind::Binary { op, .. } => match op {
            BinaryOp::Or => OR,
            BinaryOp::And => AND,
            BinaryOp::In | BinaryOp::Matches => COMPARE,
            BinaryOp::Coalesce => COALESCE,
            BinaryOp::Add | BinaryOp::Sub => ADD,
            BinaryOp::Mul | BinaryOp::Div => MUL,
        },
        ExprKind::Compare { within: Some(_), .. } => COMPARE - 1,
        ExprKind::Compare { .. } => COMPARE,
        ExprKind::Unary { op: UnaryOp::Not, .. } => NOT,
        ExprKind::Unary { op: UnaryOp::Neg, .. } => NEG,
        ExprKind::Number(_) if matches!(expr.kind, ExprKind::Number(n) if n.is_sign_negative()) => NEG,
        _ => POSTFIX,
    }
}

fn is_binding(item: &Item) -> bool {
    matches!(item, Item::Let(_) | Item::Fn(_) | Item::Import(_))
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Import(i) => i.span,
        Item::Let(l) => l.name.span.to(l.value.span),
        Item::Fn(f) => f.name.span.to(f.body.span),
        Item::Rule(r) => r.span,
    }
}
