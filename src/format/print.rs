//! Printing the syntax tree back as text, with the comments put back where
//! they belong.
//!
//! Layout is decided from the tree; the source text is consulted only for
//! what the tree does not keep: literals as written, comments, and the empty
//! lines an author left between statements.

use super::comments::{self, Comment};
use crate::source::Span;
use crate::syntax::ast::{
    Assert, BinaryOp, CompareOp, Expr, ExprKind, File, Item, Meta, MetaKind, Rule, Stmt, StmtKind, UnaryOp, Within,
};
use crate::syntax::lexicon::{self, Level};

const INDENT: &str = "  ";

pub struct Printer<'a> {
    text: &'a str,
    comments: Vec<Comment>,
    /// Which comments are already printed (or claimed by a node).
    printed: Vec<bool>,
    /// All comments before this index are printed.
    unprinted: usize,
    out: String,
}

/// Where a sequence of lines (items, metadata, statements) stands, to decide
/// on the empty line before the next thing printed.
struct Gap {
    /// The end of the last thing printed, in the source.
    cursor: usize,
    /// Nothing printed yet in this sequence: no empty line at its top.
    at_top: bool,
    /// An empty line goes before the next thing whatever the source says.
    force: bool,
    /// The source's empty lines are dropped (inside the metadata).
    compact: bool,
}

impl Gap {
    fn top(cursor: usize) -> Self {
        Gap {
            cursor,
            at_top: true,
            force: false,
            compact: false,
        }
    }
}

impl<'a> Printer<'a> {
    pub fn new(text: &'a str) -> Self {
        let comments = comments::collect(text);
        Printer {
            text,
            printed: vec![false; comments.len()],
            comments,
            unprinted: 0,
            out: String::new(),
        }
    }

    pub fn file(mut self, file: &File) -> String {
        if self.text.starts_with('\u{FEFF}') {
            self.out.push('\u{FEFF}');
        }
        let mut gap = Gap::top(0);
        let mut previous: Option<&Item> = None;
        for item in &file.items {
            gap.force = previous.is_some_and(|p| apart(p, item));
            let (start, end) = (self.next_token(gap.cursor), item_end(item));
            match item {
                Item::Rule(rule) => self.rule(rule, &mut gap, start),
                _ => {
                    let line = self.item_line(item);
                    self.lead(&mut gap, start, end, 0);
                    self.out.push_str(&line);
                    gap.cursor = self.trailing(end);
                    self.out.push('\n');
                }
            }
            previous = Some(item);
        }
        // Whatever is left stands at the end of the file.
        for comment in self.take_before(self.text.len()) {
            self.comment_line(&mut gap, &comment, comment.start, 0);
        }
        self.out
    }

    /// An import, a file-level `let`, a `fn`, a `param` or an `input`, on one line.
    fn item_line(&self, item: &Item) -> String {
        match item {
            Item::Import(import) => {
                let path = self.string_at(import.span.start as usize + "import".len());
                format!("import {path}")
            }
            Item::Schema(schema) => {
                let path = self.string_at(schema.span.start as usize + "schema".len());
                format!("schema {path}")
            }
            Item::Let(item) => format!("let {} = {}", item.name.name, self.expr(&item.value, 0)),
            Item::Fn(item) => {
                let params: Vec<&str> = item.params.iter().map(|p| &*p.name).collect();
                format!(
                    "fn {}({}) = {}",
                    item.name.name,
                    params.join(", "),
                    self.expr(&item.body, 0)
                )
            }
            Item::Param(item) => format!("param {} = {}", item.name.name, self.expr(&item.value, 0)),
            Item::Input(item) => format!(
                "input {}{}{}",
                item.name.name,
                if item.list { "[]" } else { "" },
                if item.required { " required" } else { "" }
            ),
            Item::Rule(_) => unreachable!("a rule spans several lines"),
        }
    }

    fn rule(&mut self, rule: &Rule, gap: &mut Gap, start: usize) {
        let brace = self.next_token(rule.id.span.end as usize);
        self.lead(gap, start, brace, 0);
        self.out.push_str(&format!("rule {} {{", rule.id.name));
        let mut inner = Gap::top(self.trailing(brace + 1));
        let close = rule.span.end as usize - 1;

        // Metadata in the canonical order, each with the comments that led
        // up to it in the source (where it may have stood elsewhere).
        let mut meta: Vec<(&Meta, Vec<Comment>, Option<String>)> = Vec::new();
        for m in &rule.meta {
            let lead = self.take_before(m.span.end as usize);
            let trailing = self.take_trailing(m.span.end as usize);
            meta.push((m, lead, trailing));
        }
        meta.sort_by_key(|(m, ..)| meta_order(&m.kind));
        self.open(!meta.is_empty() || !rule.body.is_empty(), close);
        inner.compact = true;
        for (m, lead, trailing) in meta {
            for comment in lead {
                self.comment_line(&mut inner, &comment, m.span.start as usize, 1);
            }
            self.gap(&mut inner, m.span.start as usize);
            self.out.push_str(INDENT);
            self.out.push_str(&self.meta(m));
            if let Some(trailing) = trailing {
                self.out.push_str("  ");
                self.out.push_str(&trailing);
            }
            self.out.push('\n');
        }
        if let Some(last) = rule.meta.last() {
            inner.cursor = inner.cursor.max(last.span.end as usize);
        }
        inner.compact = false;
        inner.force = !rule.meta.is_empty() && !rule.body.is_empty();
        self.block(&rule.body, 1, &mut inner);
        self.closing(close, 0, &mut inner);
        gap.cursor = self.trailing(close + 1);
        self.out.push('\n');
    }

    fn meta(&self, meta: &Meta) -> String {
        let word = meta.kind.keyword();
        // Values line up after the longest keyword, as in the spec's examples.
        let value = match &meta.kind {
            MetaKind::Title(_) | MetaKind::Cite(_) => self.string_at(meta.span.start as usize + word.len()).to_owned(),
            MetaKind::Severity(word) => word.name.to_string(),
            MetaKind::Tags(tags) => {
                let names: Vec<&str> = tags.iter().map(|t| &*t.name).collect();
                format!("[{}]", names.join(", "))
            }
        };
        format!("{word:<8} {value}")
    }

    fn block(&mut self, stmts: &[Stmt], depth: usize, gap: &mut Gap) {
        for stmt in stmts {
            self.stmt(stmt, depth, gap);
        }
    }

    /// Ends the line of an opening brace, unless the block closing at
    /// `close` is empty: `{}` (a comment after the brace makes it non-empty).
    fn open(&mut self, has_lines: bool, close: usize) {
        if has_lines || self.has_comment_before(close) || !self.out.ends_with('{') {
            self.out.push('\n');
        }
    }

    /// The closing brace at `close`, after any comments left in the block.
    fn closing(&mut self, close: usize, depth: usize, gap: &mut Gap) {
        debug_assert_eq!(self.text.as_bytes()[close], b'}', "a block ends in a brace");
        for comment in self.take_before(close) {
            self.comment_line(gap, &comment, comment.start, depth + 1);
        }
        if self.out.ends_with('\n') {
            self.out.push_str(&INDENT.repeat(depth));
        }
        self.out.push('}');
    }

    fn stmt(&mut self, stmt: &Stmt, depth: usize, gap: &mut Gap) {
        let start = stmt.span.start as usize;
        let indent = INDENT.repeat(depth);
        match &stmt.kind {
            StmtKind::Let { name, value } => {
                let end = value.span.end as usize;
                self.lead(gap, start, end, depth);
                self.out
                    .push_str(&format!("{indent}let {} = {}", name.name, self.expr(value, 0)));
                gap.cursor = self.trailing(end);
            }
            StmtKind::Assert(Assert { cond, message, at }) => {
                let end = cond.span.end as usize;
                // Comments inside the `at` expression go before the statement
                // too; those between the parts stay with the part they precede.
                let mut inside = self.take_before(end);
                if let Some(at) = at {
                    inside.extend(self.take_within(at.span));
                }
                for comment in &inside {
                    self.comment_line(gap, comment, start, depth);
                }
                self.gap(gap, start);
                self.out.push_str(&format!("{indent}assert {}", self.expr(cond, 0)));
                gap.cursor = self.trailing(end);
                let mut part = Gap {
                    compact: true,
                    ..Gap::top(gap.cursor)
                };
                if let Some(message) = message {
                    self.out.push('\n');
                    self.lead(
                        &mut part,
                        message.span.start as usize,
                        message.span.start as usize,
                        depth + 1,
                    );
                    let text = &self.text[message.span.range()];
                    self.out.push_str(&format!("{indent}{INDENT}message {text}"));
                    gap.cursor = self.trailing(message.span.end as usize);
                }
                if let Some(at) = at {
                    self.out.push('\n');
                    self.lead(&mut part, at.span.start as usize, at.span.start as usize, depth + 1);
                    self.out.push_str(&format!("{indent}{INDENT}at {}", self.expr(at, 0)));
                    gap.cursor = self.trailing(at.span.end as usize);
                }
            }
            StmtKind::For { key, value, iter, body } => {
                let vars = match key {
                    Some(key) => format!("{}, {}", key.name, value.name),
                    None => value.name.to_string(),
                };
                let header = format!("{indent}for {vars} in {} {{", self.expr(iter, 0));
                self.nested(header, start, iter.span, stmt.span, body, depth, gap);
            }
            StmtKind::When { cond, body } => {
                let header = format!("{indent}when {} {{", self.expr(cond, 0));
                self.nested(header, start, cond.span, stmt.span, body, depth, gap);
            }
        }
        self.out.push('\n');
    }

    /// A `for` or `when`: its header line ending in `{`, the block, the `}`.
    #[allow(clippy::too_many_arguments)]
    fn nested(
        &mut self,
        header: String,
        start: usize,
        head: Span,
        whole: Span,
        body: &[Stmt],
        depth: usize,
        gap: &mut Gap,
    ) {
        let brace = self.next_token(head.end as usize);
        let close = whole.end as usize - 1;
        self.lead(gap, start, brace, depth);
        self.out.push_str(&header);
        let mut inner = Gap::top(self.trailing(brace + 1));
        self.open(!body.is_empty(), close);
        self.block(body, depth + 1, &mut inner);
        self.closing(close, depth, &mut inner);
        gap.cursor = self.trailing(close + 1);
    }

    // ------------------------------------------------------------ comments

    /// Prints, each on its own line at `depth`, the comments not yet printed
    /// that start before `end` (those before the node at `start` and those
    /// inside its first line), then the empty line the node may need.
    fn lead(&mut self, gap: &mut Gap, start: usize, end: usize, depth: usize) {
        for comment in self.take_before(end) {
            self.comment_line(gap, &comment, start, depth);
        }
        self.gap(gap, start);
    }

    /// One comment on its own line, before the node at `node`.
    fn comment_line(&mut self, gap: &mut Gap, comment: &Comment, node: usize, depth: usize) {
        // A comment from inside the node counts as standing at its start.
        self.gap(gap, comment.start.min(node));
        self.out.push_str(&INDENT.repeat(depth));
        self.out.push_str(&comment.text);
        self.out.push('\n');
        gap.cursor = gap.cursor.max(comment.end);
    }

    /// The empty line, if any, before the next line, which stands at `pos`
    /// in the source.
    fn gap(&mut self, gap: &mut Gap, pos: usize) {
        let blank = gap.force || !gap.compact && comments::blank_line_between(self.text, gap.cursor, pos);
        if blank && !gap.at_top {
            self.out.push('\n');
        }
        gap.at_top = false;
        gap.force = false;
    }

    /// Claims the comments not yet printed that start before `pos`.
    fn take_before(&mut self, pos: usize) -> Vec<Comment> {
        self.take(pos, |_| true)
    }

    /// Claims the comments not yet printed inside `span`.
    fn take_within(&mut self, span: Span) -> Vec<Comment> {
        self.take(span.end as usize, |c| c.start >= span.start as usize)
    }

    /// Claims the comments not yet printed that start before `bound` and
    /// are `wanted`.
    fn take(&mut self, bound: usize, wanted: impl Fn(&Comment) -> bool) -> Vec<Comment> {
        let mut taken = Vec::new();
        for index in self.unprinted..self.comments.len() {
            let comment = &self.comments[index];
            if comment.start >= bound {
                break;
            }
            if !self.printed[index] && wanted(comment) {
                self.printed[index] = true;
                taken.push(comment.clone());
            }
        }
        while self.printed.get(self.unprinted) == Some(&true) {
            self.unprinted += 1;
        }
        taken
    }

    fn has_comment_before(&self, pos: usize) -> bool {
        (self.unprinted..self.comments.len())
            .take_while(|&i| self.comments[i].start < pos)
            .any(|i| !self.printed[i])
    }

    /// A comment that follows `end` on the same line, with only blanks
    /// between, claimed.
    fn take_trailing(&mut self, end: usize) -> Option<String> {
        let rest = &self.text[end..];
        let at = end + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
        let index = self.comments.binary_search_by_key(&at, |c| c.start).ok()?;
        if self.printed[index] {
            return None;
        }
        self.printed[index] = true;
        Some(self.comments[index].text.clone())
    }

    /// Prints the comment trailing `end`, if there is one, after two spaces;
    /// returns where the line ends in the source.
    fn trailing(&mut self, end: usize) -> usize {
        match self.take_trailing(end) {
            Some(comment) => {
                self.out.push_str("  ");
                self.out.push_str(&comment);
                super::comments::line_end(self.text, end)
            }
            None => end,
        }
    }

    // ------------------------------------------------------------ literals

    fn next_token(&self, pos: usize) -> usize {
        comments::next_token(self.text, pos)
    }

    /// The first token at or after `pos`, past parentheses and comments.
    fn token_at(&self, mut pos: usize) -> usize {
        loop {
            pos = self.next_token(pos);
            if self.text[pos..].starts_with('(') {
                pos += 1;
            } else {
                return pos;
            }
        }
    }

    /// The string literal at or after `pos`, as written.
    fn string_at(&self, pos: usize) -> &'a str {
        let start = self.token_at(pos);
        &self.text[start..comments::string_end(self.text, start)]
    }

    /// A number literal as written: its minus signs (the parser folds `-5`
    /// into the literal -5) and its digits, `%` included.
    fn number_at(&self, pos: usize) -> String {
        let mut pos = self.token_at(pos);
        let mut literal = String::new();
        while self.text[pos..].starts_with('-') {
            literal.push('-');
            pos = self.next_token(pos + 1);
        }
        let rest = &self.text[pos..];
        literal.push_str(&rest[..number_len(rest)]);
        literal
    }

    // --------------------------------------------------------- expressions

    /// `expr` printed so that it parses back the same inside an operator of
    /// precedence `min`.
    fn expr(&self, expr: &Expr, min: u8) -> String {
        let mut level = POSTFIX;
        let text = match &expr.kind {
            ExprKind::Number(_) => {
                let literal = self.number_at(expr.span.start as usize);
                if literal.starts_with('-') {
                    level = NEG;
                }
                literal
            }
            ExprKind::String(_) => self.string_at(expr.span.start as usize).to_owned(),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Null => "null".into(),
            ExprKind::Root => "$".into(),
            ExprKind::Name(name) => name.to_string(),
            ExprKind::List(items) => format!("[{}]", self.list(items)),
            ExprKind::Field { base, key, optional } => {
                let dot = if *optional { "?." } else { "." };
                format!("{}{dot}{}", self.expr(base, POSTFIX), key.name)
            }
            ExprKind::Index { base, index } => format!("{}[{}]", self.expr(base, POSTFIX), self.expr(index, 0)),
            ExprKind::Wildcard(base) => format!("{}[*]", self.expr(base, POSTFIX)),
            ExprKind::Call { callee, args } => match args.as_slice() {
                // `sum(x for x in xs)` stays a generator, `sum([…])` a list.
                [arg] if self.is_generator(arg) => {
                    let ExprKind::Comprehension(c) = &arg.kind else {
                        unreachable!("checked by is_generator")
                    };
                    format!("{}({})", callee.name, self.comprehension(c))
                }
                _ => format!("{}({})", callee.name, self.list(args)),
            },
            ExprKind::Comprehension(c) => format!("[{}]", self.comprehension(c)),
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => {
                level = NOT;
                format!("not {}", self.expr(operand, NOT))
            }
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => {
                level = NEG;
                // `-(5)` is an operation on 5; `-5` would be the literal -5.
                let min = if matches!(operand.kind, ExprKind::Number(_)) {
                    POSTFIX + 1
                } else {
                    NEG
                };
                format!("-{}", self.expr(operand, min))
            }
            ExprKind::Binary { op, lhs, rhs } => {
                level = binary_level(*op);
                self.binary(*op, lhs, rhs)
            }
            ExprKind::Compare { op, lhs, rhs, within } => {
                level = if within.is_some() { WITHIN } else { COMPARE };
                self.compare(*op, lhs, rhs, within.as_ref())
            }
        };
        if level < min {
            format!("({text})")
        } else {
            text
        }
    }

    /// `lhs op rhs` for an operator at its own level, each side bracketed
    /// where it would otherwise bind to the wrong operator.
    fn binary(&self, op: BinaryOp, lhs: &Expr, rhs: &Expr) -> String {
        let level = binary_level(op);
        let (l, r) = match op {
            // Comparisons do not chain: both sides bind tighter.
            BinaryOp::In | BinaryOp::Matches => (COMPARE_SIDE, COMPARE_SIDE),
            _ => (level, level + 1),
        };
        // `a or (b and c)`: precedence would allow it bare, readers
        // are helped by the parentheses.
        let grouped = |e: &Expr| op == BinaryOp::Or && matches!(e.kind, ExprKind::Binary { op: BinaryOp::And, .. });
        let l = if grouped(lhs) { POSTFIX + 1 } else { l };
        let r = if grouped(rhs) { POSTFIX + 1 } else { r };
        format!("{} {} {}", self.expr(lhs, l), op.symbol(), self.expr(rhs, r))
    }

    /// `lhs op rhs`, with its `within` clause if any.
    fn compare(&self, op: CompareOp, lhs: &Expr, rhs: &Expr, within: Option<&Within>) -> String {
        let mut text = format!(
            "{} {} {}",
            self.expr(lhs, COMPARE_SIDE),
            op.symbol(),
            self.expr(rhs, COMPARE_SIDE)
        );
        match within {
            Some(Within::Tolerance(t)) => {
                text.push_str(" within ");
                text.push_str(&self.expr(t, COMPARE_SIDE));
            }
            Some(Within::Rounding(_)) => text.push_str(" within rounding"),
            None => {}
        }
        text
    }

    /// A call's only argument written `f(x for x in xs)`: the comprehension
    /// spans the call's parentheses and its body comes first inside them
    /// (`f([x for x in xs])` and `f(([…]))` have a `[` first).
    fn is_generator(&self, arg: &Expr) -> bool {
        let start = arg.span.start as usize;
        matches!(&arg.kind, ExprKind::Comprehension(c)
            if self.text[start..].starts_with('(') && self.next_token(start + 1) == c.body.span.start as usize)
    }

    fn list(&self, items: &[Expr]) -> String {
        let items: Vec<String> = items.iter().map(|e| self.expr(e, 0)).collect();
        items.join(", ")
    }

    /// `body for k, v in iter if cond`, without brackets.
    fn comprehension(&self, c: &crate::syntax::ast::Comprehension) -> String {
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
            "{} for {vars} in {}{cond}",
            self.expr(&c.body, 0),
            self.expr(&c.iter, 0)
        )
    }
}

// Precedence levels, lowest first (spec §4). `within` sits between `not` and
// the comparisons, as the grammar has it.
// Precedence levels as numbers, from the lexicon's one table.
const NOT: u8 = Level::Not as u8;
const WITHIN: u8 = Level::Within as u8;
const COMPARE: u8 = Level::Compare as u8;
const COALESCE: u8 = Level::Coalesce as u8;
const NEG: u8 = Level::Neg as u8;
const POSTFIX: u8 = Level::Postfix as u8;

/// The least precedence a side of a comparison is printed bare at. One above
/// `??`, which precedence alone would allow: `(a ?? 0) == b` keeps its
/// parentheses, since in other languages `??` binds more loosely than `==`.
const COMPARE_SIDE: u8 = COALESCE + 1;

fn binary_level(op: BinaryOp) -> u8 {
    lexicon::binary_level(op) as u8
}

/// Rules stand apart, and imports from definitions. Consecutive imports, or
/// consecutive `let`s and `fn`s, keep an empty line between them only where
/// the author left one.
fn apart(previous: &Item, item: &Item) -> bool {
    let group = |item: &Item| match item {
        Item::Import(_) | Item::Schema(_) => 0,
        Item::Let(_) | Item::Fn(_) | Item::Param(_) | Item::Input(_) => 1,
        Item::Rule(_) => 2,
    };
    matches!(item, Item::Rule(_)) || group(previous) != group(item)
}

fn item_end(item: &Item) -> usize {
    let span = match item {
        Item::Import(i) => i.span,
        Item::Schema(s) => s.span,
        Item::Let(l) => l.value.span,
        Item::Fn(f) => f.body.span,
        Item::Param(p) => p.value.span,
        Item::Input(i) => i.span,
        Item::Rule(r) => r.span,
    };
    span.end as usize
}

/// Metadata is printed title, severity, cite, tags.
fn meta_order(kind: &MetaKind) -> u8 {
    match kind {
        MetaKind::Title(_) => 0,
        MetaKind::Severity(_) => 1,
        MetaKind::Cite(_) => 2,
        MetaKind::Tags(_) => 3,
    }
}

/// The length of the number literal `text` starts with, as the grammar reads
/// it: digits, then `.` and digits, then `%`. A `.` not followed by a digit
/// is not the number's: `6.unit` is the field `unit` of `6`.
fn number_len(text: &str) -> usize {
    let digits = |from: usize| text[from..].bytes().take_while(u8::is_ascii_digit).count();
    let mut len = digits(0);
    if text[len..].starts_with('.') && digits(len + 1) > 0 {
        len += 1 + digits(len + 1);
    }
    if text[len..].starts_with('%') {
        len += 1;
    }
    len
}
