//! What a name in a rule file refers to: the words at the cursor, the
//! definitions of a file and its imports, and the local bindings in scope.

use crate::resolve::{load_files, LoadedFiles, RuleStore};
use crate::source::Span;
use crate::syntax::ast::{Expr, ExprKind, Item, MessagePart, Stmt, StmtKind, Within};

/// A rule file with everything it imports, parsed as far as it goes. The
/// file itself is file 0.
pub struct Analysis {
    pub files: LoadedFiles,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefKind {
    Let,
    Fn,
    Param,
    Input,
    Rule,
    /// A `let`, `for` or comprehension variable, or a function's parameter.
    Local,
}

impl DefKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DefKind::Let => "let",
            DefKind::Fn => "fn",
            DefKind::Param => "param",
            DefKind::Input => "input",
            DefKind::Rule => "rule",
            DefKind::Local => "local",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Def {
    pub name: String,
    pub kind: DefKind,
    /// The name where it is defined.
    pub span: Span,
    /// Where it can be used (locals only): offsets in file 0.
    pub scope: Option<(usize, usize)>,
}

impl Analysis {
    pub fn load(store: &dyn RuleStore, path: &str) -> Self {
        let (files, _) = load_files(store, &[path.to_owned()]);
        Analysis { files }
    }

    /// The JSON Schema the loaded rule files declare (`schema "…"`), if it parses.
    pub fn schema(&self) -> Option<serde_json::Value> {
        let declared = self.files.schemas.first()?;
        serde_json::from_str(&declared.text).ok()
    }

    /// File-level definitions of every loaded file, and the rules.
    pub fn globals(&self) -> Vec<Def> {
        let mut defs = Vec::new();
        for ast in &self.files.asts {
            for item in &ast.items {
                let (name, kind) = match item {
                    Item::Let(l) => (&l.name, DefKind::Let),
                    Item::Fn(f) => (&f.name, DefKind::Fn),
                    Item::Param(p) => (&p.name, DefKind::Param),
                    Item::Input(i) => (&i.name, DefKind::Input),
                    Item::Rule(r) => (&r.id, DefKind::Rule),
                    Item::Import(_) | Item::Schema(_) => continue,
                };
                defs.push(Def {
                    name: name.name.to_string(),
                    kind,
                    span: name.span,
                    scope: None,
                });
            }
        }
        defs
    }

    /// The local bindings of file 0 visible at `offset`, innermost last.
    pub fn locals_at(&self, offset: usize) -> Vec<Def> {
        let mut all = Vec::new();
        let Some(ast) = self.files.asts.first() else {
            return all;
        };
        for item in &ast.items {
            match item {
                Item::Rule(rule) => stmts(&rule.body, rule.span.end as usize, &mut all),
                Item::Fn(f) => {
                    let scope = (f.name.span.start as usize, f.body.span.end as usize);
                    all.extend(f.params.iter().map(|p| local(p.name.as_ref(), p.span, scope)));
                    expr(&f.body, &mut all);
                }
                Item::Let(l) => expr(&l.value, &mut all),
                Item::Param(p) => expr(&p.value, &mut all),
                Item::Import(_) | Item::Input(_) | Item::Schema(_) => {}
            }
        }
        all.retain(|d| d.scope.is_some_and(|(s, e)| s <= offset && offset <= e));
        all.sort_by_key(|d| d.span.start);
        all
    }

    /// What `name` at `offset` in file 0 refers to: the innermost local, else
    /// a file-level definition.
    pub fn resolve(&self, name: &str, offset: usize) -> Option<Def> {
        let locals = self.locals_at(offset);
        if let Some(def) = locals.into_iter().rev().find(|d| d.name == name) {
            return Some(def);
        }
        self.globals().into_iter().find(|d| d.name == name)
    }

    /// The import of file 0 whose string is at `offset`, as the loader path
    /// of the file it names.
    pub fn import_at(&self, offset: usize) -> Option<String> {
        let ast = self.files.asts.first()?;
        let file_index = ast.items.iter().filter(|i| matches!(i, Item::Import(_))).position(
            |i| matches!(i, Item::Import(imp) if imp.span.start as usize <= offset && offset <= imp.span.end as usize),
        )?;
        let (target, _) = self.files.imports.first()?.get(file_index)?;
        Some(self.files.sources[*target as usize].name().to_owned())
    }
}

fn local(name: &str, span: Span, scope: (usize, usize)) -> Def {
    Def {
        name: name.to_owned(),
        kind: DefKind::Local,
        span,
        scope: Some(scope),
    }
}

/// Bindings in a block that ends at `end`: a `let` is visible from itself to
/// the end of its block, a `for` variable in the loop.
fn stmts(body: &[Stmt], end: usize, out: &mut Vec<Def>) {
    for stmt in body {
        match &stmt.kind {
            StmtKind::Let { name, value } => {
                out.push(local(&name.name, name.span, (name.span.start as usize, end)));
                expr(value, out);
            }
            StmtKind::For { key, value, iter, body } => {
                let scope = (stmt.span.start as usize, stmt.span.end as usize);
                out.extend(key.iter().map(|k| local(&k.name, k.span, scope)));
                out.push(local(&value.name, value.span, scope));
                expr(iter, out);
                stmts(body, stmt.span.end as usize, out);
            }
            StmtKind::When { cond, body } => {
                expr(cond, out);
                stmts(body, stmt.span.end as usize, out);
            }
            StmtKind::Assert(a) => {
                expr(&a.cond, out);
                if let Some(at) = &a.at {
                    expr(at, out);
                }
                if let Some(m) = &a.message {
                    for part in &m.parts {
                        if let MessagePart::Expr(e) = part {
                            expr(e, out);
                        }
                    }
                }
            }
        }
    }
}

/// Comprehension variables, visible in their comprehension.
fn expr(e: &Expr, out: &mut Vec<Def>) {
    match &e.kind {
        ExprKind::Comprehension(c) => {
            let scope = (e.span.start as usize, e.span.end as usize);
            out.extend(c.key.iter().map(|k| local(&k.name, k.span, scope)));
            out.push(local(&c.var.name, c.var.span, scope));
            expr(&c.body, out);
            expr(&c.iter, out);
            if let Some(cond) = &c.cond {
                expr(cond, out);
            }
        }
        ExprKind::List(items) => items.iter().for_each(|i| expr(i, out)),
        ExprKind::Field { base, .. } | ExprKind::Wildcard(base) => expr(base, out),
        ExprKind::Index { base, index } => {
            expr(base, out);
            expr(index, out);
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|a| expr(a, out)),
        ExprKind::Unary { operand, .. } => expr(operand, out),
        ExprKind::Binary { lhs, rhs, .. } => {
            expr(lhs, out);
            expr(rhs, out);
        }
        ExprKind::Compare { lhs, rhs, within, .. } => {
            expr(lhs, out);
            expr(rhs, out);
            if let Some(Within::Tolerance(t)) = within {
                expr(t, out);
            }
        }
        ExprKind::Number(_)
        | ExprKind::String(_)
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::Name(_)
        | ExprKind::Root => {}
    }
}

use crate::syntax::lexicon::is_word_char;

/// The word (identifier) around `offset`: its start and end.
pub fn word_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then_some((start, end))
}

/// The data path written before a word that starts at `start`: for
/// `收入?.合计` with `start` at `合计`, `["收入"]`. Empty when the word does
/// not follow a dot.
pub fn path_before(text: &str, start: usize) -> Vec<String> {
    let mut path = Vec::new();
    let mut at = start;
    loop {
        let before = &text[..at];
        let before = before.strip_suffix('.').map(|b| b.strip_suffix('?').unwrap_or(b));
        let Some(before) = before else { break };
        match word_at(before, before.len()) {
            Some((s, e)) if e == before.len() => {
                path.push(before[s..e].to_owned());
                at = s;
            }
            _ => break,
        }
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_paths() {
        let text = "assert 收入?.合计 == 支出.合计";
        let at = text.find("合计").unwrap() + "合".len();
        let (s, e) = word_at(text, at).unwrap();
        assert_eq!(&text[s..e], "合计");
        assert_eq!(path_before(text, s), ["收入"]);
        assert!(path_before(text, text.find("收入").unwrap()).is_empty());
    }
}
