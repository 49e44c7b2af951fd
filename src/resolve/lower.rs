//! AST → program: binds every name, checks every call, compiles every regex
//! literal. Collects all errors rather than stopping at the first.

use std::collections::HashMap;
use std::sync::Arc;

use super::error::{suggest, ResolveError, ResolveErrorKind};
use super::files::LoadedFiles;
use super::program::{self as p, Literal, Program, Severity};
use super::regexes;
use crate::builtins::{self, BUILTINS};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, BinaryOp, ExprKind, MetaKind, StmtKind};

mod scope;

use scope::Scopes;

/// A file-level definition a name can refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Def {
    Global(usize),
    Function(usize),
    Input(usize),
}

struct Definition<'a> {
    name: &'a ast::Ident,
    file: FileId,
    def: Def,
    /// Parameters, for functions.
    arity: usize,
}

pub fn lower(files: LoadedFiles, threads: usize) -> Result<Program, Vec<ResolveError>> {
    let mut errors = Vec::new();
    let inputs = super::params::collect_inputs(&files, &mut errors);
    let definitions = collect_definitions(&files, &inputs, &mut errors);
    let scopes = Scopes::new(&files, &definitions);
    scopes.clashes(&mut errors);

    let mut globals = Vec::new();
    let mut functions = Vec::new();
    let mut params = Vec::new();
    let mut rules: Vec<p::RuleDef> = Vec::new();
    let mut first_rule: HashMap<Arc<str>, Span> = HashMap::new();
    let mut regexes = Vec::new();
    for (f, ast) in files.asts.iter().enumerate() {
        for item in &ast.items {
            let mut lowerer = Lowerer::new(&scopes, f as FileId, &mut errors, &mut regexes);
            match item {
                ast::Item::Import(_) | ast::Item::Input(_) | ast::Item::Schema(_) => {}
                ast::Item::Param(item) => {
                    let value = lowerer.expr(&item.value);
                    let frame_size = lowerer.frame_size;
                    if let Some(param) = super::params::param(item, &value, globals.len(), &files, lowerer.errors) {
                        params.push(param);
                    }
                    globals.push(p::Global {
                        name: item.name.name.clone(),
                        value,
                        frame_size,
                    });
                }
                ast::Item::Let(item) => {
                    let value = lowerer.expr(&item.value);
                    let frame_size = lowerer.frame_size;
                    globals.push(p::Global {
                        name: item.name.name.clone(),
                        value,
                        frame_size,
                    });
                }
                ast::Item::Fn(item) => functions.push(lowerer.function(item)),
                ast::Item::Rule(rule) => {
                    let lowered = lowerer.rule(rule);
                    match first_rule.get(&rule.id.name) {
                        Some(&first) => lowerer.errors.push(duplicate_rule(&files, &rule.id, first)),
                        None => {
                            first_rule.insert(rule.id.name.clone(), rule.id.span);
                            rules.push(lowered);
                        }
                    }
                }
            }
        }
    }
    regexes::compile(regexes, threads, &mut errors);
    let recursive = cycles(&globals, &functions, &definitions);
    if recursive.is_empty() {
        errors.extend(too_deep(&globals, &functions, &definitions));
    }
    errors.extend(recursive);
    if errors.is_empty() {
        super::quick_values::mark(&mut rules, &functions);
        Ok(Program {
            sources: files.sources,
            rules,
            globals,
            functions,
            params,
            inputs,
            schema: None,
        })
    } else {
        Err(errors)
    }
}

/// A rule ID already defined at `first`: shown beside it in the same file,
/// named in the help from another.
fn duplicate_rule(files: &LoadedFiles, id: &ast::Ident, first: Span) -> ResolveError {
    let err = ResolveError::new(
        id.span,
        ResolveErrorKind::RuleDefinedTwice {
            id: id.name.to_string(),
        },
    );
    if first.file == id.span.file {
        return err.also(first, "first defined here");
    }
    let source = &files.sources[first.file as usize];
    let at = source.location(first.start as usize);
    err.with_help(format!(
        "first defined at {}:{}:{}; rule IDs are unique across all loaded files",
        source.name(),
        at.line,
        at.column
    ))
}

/// Numbers every file-level `let` and `fn` in the order the lowering loop
/// meets them, and refuses a name defined twice in one file.
fn collect_definitions<'a>(
    files: &'a LoadedFiles,
    inputs: &[p::Input],
    errors: &mut Vec<ResolveError>,
) -> Vec<Definition<'a>> {
    let mut defs = Vec::new();
    let (mut globals, mut functions) = (0, 0);
    for (f, ast) in files.asts.iter().enumerate() {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for item in &ast.items {
            let (name, def, arity) = match item {
                ast::Item::Let(ast::LetItem { name, .. }) | ast::Item::Param(ast::ParamItem { name, .. }) => {
                    globals += 1;
                    (name, Def::Global(globals - 1), 0)
                }
                ast::Item::Input(item) => {
                    let index = inputs.iter().position(|i| i.name == item.name.name);
                    (&item.name, Def::Input(index.unwrap_or(0)), 0)
                }
                ast::Item::Fn(item) => {
                    functions += 1;
                    if builtins::lookup(&item.name.name).is_some() {
                        errors.push(ResolveError::new(
                            item.name.span,
                            ResolveErrorKind::BuiltinRedefined {
                                name: item.name.name.to_string(),
                            },
                        ));
                    }
                    (&item.name, Def::Function(functions - 1), item.params.len())
                }
                _ => continue,
            };
            // An input declared again is one input (collect_inputs checks the shape).
            if matches!(item, ast::Item::Input(_)) && seen.contains_key(&*name.name) {
                continue;
            }
            if let Some(&first) = seen.get(&*name.name) {
                errors.push(
                    ResolveError::new(
                        name.span,
                        ResolveErrorKind::DefinedTwice {
                            name: name.name.to_string(),
                        },
                    )
                    .also(first, "first defined here"),
                );
            }
            seen.insert(&name.name, name.span);
            defs.push(Definition {
                name,
                file: f as FileId,
                def,
                arity,
            });
        }
    }
    defs
}

/// Refuses a `let` or `fn` that depends on itself, directly or not: the
/// evaluator must never loop.
fn cycles(globals: &[p::Global], functions: &[p::Function], definitions: &[Definition]) -> Vec<ResolveError> {
    let node = |d: Def| match d {
        Def::Global(i) => i,
        Def::Function(i) => globals.len() + i,
        // Inputs depend on nothing: never part of a cycle.
        Def::Input(_) => usize::MAX,
    };
    let total = globals.len() + functions.len();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); total];
    for (i, g) in globals.iter().enumerate() {
        references(&g.value, &mut |d| edges[i].push(node(d)));
    }
    for (i, f) in functions.iter().enumerate() {
        references(&f.body, &mut |d| edges[globals.len() + i].push(node(d)));
    }
    let span_of = |n: usize| {
        definitions
            .iter()
            .find(|d| node(d.def) == n)
            .map(|d| (d.name.span, d.name.name.clone()))
    };
    let mut errors = Vec::new();
    let mut state = vec![0u8; total]; // 0 new, 1 open, 2 done
    for start in 0..total {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some(&mut (n, ref mut next)) = stack.last_mut() {
            if let Some(&target) = edges[n].get(*next) {
                *next += 1;
                match state[target] {
                    0 => {
                        state[target] = 1;
                        stack.push((target, 0));
                    }
                    1 => {
                        if let Some((span, name)) = span_of(target) {
                            let kind = ResolveErrorKind::Recursive {
                                name: name.to_string(),
                                function: target >= globals.len(),
                            };
                            errors.push(ResolveError::new(span, kind).with_help(
                                "functions and file-level lets cannot be recursive: every rule must finish",
                            ));
                        }
                    }
                    _ => {}
                }
            } else {
                state[n] = 2;
                stack.pop();
            }
        }
    }
    errors
}

/// The longest chain of `fn`s and `let`s calling one another that a load accepts
/// (spec §15): evaluation recurses along such a chain.
pub const MAX_CHAIN: usize = 256;

/// Refuses definitions that call one another more than [`MAX_CHAIN`] deep.
/// The definitions form no cycle (checked first). Reports the deepest one.
fn too_deep(globals: &[p::Global], functions: &[p::Function], definitions: &[Definition]) -> Option<ResolveError> {
    let node = |d: Def| match d {
        Def::Global(i) => i,
        Def::Function(i) => globals.len() + i,
        // Inputs call nothing: a chain ends at them.
        Def::Input(_) => usize::MAX,
    };
    let total = globals.len() + functions.len();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); total];
    for (i, g) in globals.iter().enumerate() {
        references(&g.value, &mut |d| edges[i].push(node(d)));
    }
    for (i, f) in functions.iter().enumerate() {
        references(&f.body, &mut |d| edges[globals.len() + i].push(node(d)));
    }
    // Depth of each definition, 1 for one that calls nothing; 0 = not yet known.
    let mut depth = vec![0usize; total];
    for start in 0..total {
        let mut stack = vec![start];
        while let Some(&n) = stack.last() {
            if depth[n] != 0 {
                stack.pop();
                continue;
            }
            let pending: Vec<usize> = edges[n].iter().copied().filter(|&t| depth[t] == 0).collect();
            if pending.is_empty() {
                depth[n] = 1 + edges[n].iter().map(|&t| depth[t]).max().unwrap_or(0);
                stack.pop();
            } else {
                stack.extend(pending);
            }
        }
    }
    let (deepest, &most) = depth.iter().enumerate().max_by_key(|&(_, d)| *d)?;
    if most <= MAX_CHAIN {
        return None;
    }
    let name = definitions.iter().find(|d| node(d.def) == deepest)?;
    Some(
        ResolveError::new(
            name.name.span,
            ResolveErrorKind::ChainTooDeep {
                name: name.name.name.to_string(),
                depth: most,
                limit: MAX_CHAIN,
            },
        )
        .with_help(format!(
            "a chain of `fn`s and file-level `let`s may be at most {MAX_CHAIN} deep: \
             every rule must finish within bounded memory"
        )),
    )
}

/// The number a literal (or a negated literal) stands for.
fn literal_number(expr: &p::Expr) -> Option<rust_decimal::Decimal> {
    match &expr.kind {
        p::ExprKind::Literal(Literal::Num(n)) => Some(*n),
        p::ExprKind::Unary {
            op: ast::UnaryOp::Neg,
            operand,
        } => literal_number(operand).map(|n| -n),
        _ => None,
    }
}

fn literal_text(expr: &p::Expr) -> String {
    literal_number(expr).map_or_else(String::new, |n| n.to_string())
}

/// Calls `f` for every global or function an expression refers to.
fn references(expr: &p::Expr, f: &mut dyn FnMut(Def)) {
    expr.for_each(&mut |e| match &e.kind {
        p::ExprKind::Global(i) => f(Def::Global(*i)),
        p::ExprKind::Call { function, .. } => f(Def::Function(*function)),
        _ => {}
    });
}

/// Lowers one item: a scope of locals over the file's scope.
struct Lowerer<'s, 'e> {
    scopes: &'s Scopes<'s>,
    file: FileId,
    errors: &'e mut Vec<ResolveError>,
    regexes: &'e mut Vec<regexes::Pending>,
    locals: Vec<(Arc<str>, usize)>,
    next_slot: usize,
    frame_size: usize,
}

impl<'s, 'e> Lowerer<'s, 'e> {
    fn new(
        scopes: &'s Scopes<'s>,
        file: FileId,
        errors: &'e mut Vec<ResolveError>,
        regexes: &'e mut Vec<regexes::Pending>,
    ) -> Self {
        Lowerer {
            scopes,
            file,
            errors,
            regexes,
            locals: Vec::new(),
            next_slot: 0,
            frame_size: 0,
        }
    }

    /// A new local slot for `name`, visible until the enclosing scope ends.
    fn bind(&mut self, name: &ast::Ident) -> usize {
        let slot = self.next_slot;
        self.next_slot += 1;
        self.frame_size = self.frame_size.max(self.next_slot);
        self.locals.push((name.name.clone(), slot));
        slot
    }

    fn scoped<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let mark = self.locals.len();
        let result = f(self);
        self.locals.truncate(mark);
        result
    }

    fn rule(&mut self, rule: &ast::Rule) -> p::RuleDef {
        let mut title = None;
        let mut severity = None;
        let mut cite = None;
        let mut tags = Vec::new();
        let mut seen: HashMap<&'static str, Span> = HashMap::new();
        for meta in &rule.meta {
            let key = match &meta.kind {
                MetaKind::Title(t) => {
                    title = Some(Arc::from(t.as_str()));
                    "title"
                }
                MetaKind::Severity(word) => {
                    match Severity::parse(&word.name) {
                        Some(s) => severity = Some(s),
                        None => self.errors.push(
                            ResolveError::new(
                                word.span,
                                ResolveErrorKind::UnknownSeverity {
                                    word: word.name.to_string(),
                                },
                            )
                            .with_help(
                                suggest(&word.name, ["error", "warning", "info"])
                                    .unwrap_or_else(|| "a severity is `error`, `warning` or `info`".into()),
                            ),
                        ),
                    }
                    "severity"
                }
                MetaKind::Cite(c) => {
                    cite = Some(Arc::from(c.as_str()));
                    "cite"
                }
                MetaKind::Tags(list) => {
                    tags.extend(list.iter().map(|t| t.name.clone()));
                    "tags"
                }
            };
            if let Some(&first) = seen.get(key) {
                self.errors.push(
                    ResolveError::new(meta.span, ResolveErrorKind::MetaTwice { key: key.to_owned() })
                        .also(first, "first one"),
                );
            }
            seen.insert(key, meta.span);
        }
        let body = self.block(&rule.body);
        p::RuleDef {
            id: rule.id.name.clone(),
            title: title.unwrap_or_else(|| rule.id.name.clone()),
            severity: severity.unwrap_or(Severity::Error),
            cite,
            tags,
            span: rule.id.span,
            body,
            frame_size: self.frame_size,
        }
    }

    fn block(&mut self, stmts: &[ast::Stmt]) -> Vec<p::Stmt> {
        self.scoped(|this| stmts.iter().map(|s| this.stmt(s)).collect())
    }

    fn stmt(&mut self, stmt: &ast::Stmt) -> p::Stmt {
        match &stmt.kind {
            StmtKind::Let { name, value } => {
                let value = self.expr(value);
                let slot = self.bind(name);
                p::Stmt::Let {
                    slot,
                    value,
                    quick: false,
                }
            }
            StmtKind::Assert(a) => {
                let cond = self.expr(&a.cond);
                let message = a.message.as_ref().map(|m| {
                    m.parts
                        .iter()
                        .map(|part| match part {
                            ast::MessagePart::Text(t) => p::MessagePart::Text(Arc::from(t.as_str())),
                            ast::MessagePart::Expr(e) => p::MessagePart::Expr(self.expr(e)),
                        })
                        .collect()
                });
                let at = a.at.as_ref().map(|e| self.expr(e));
                p::Stmt::Assert(Box::new(p::Assertion {
                    quick: super::quick::compile(&cond),
                    cond,
                    message,
                    at,
                    span: stmt.span,
                    runs_quickly: false,
                }))
            }
            StmtKind::For { key, value, iter, body } => {
                let iter = self.expr(iter);
                self.scoped(|this| {
                    let key_slot = key.as_ref().map(|k| this.bind(k));
                    let value_slot = this.bind(value);
                    let body = this.block(body);
                    p::Stmt::For {
                        key_slot,
                        value_slot,
                        iter,
                        body,
                        quick: false,
                    }
                })
            }
            StmtKind::When { cond, body } => p::Stmt::When {
                cond: self.expr(cond),
                body: self.block(body),
                // Worked out once every function is lowered.
                quick: false,
            },
        }
    }

    fn expr(&mut self, expr: &ast::Expr) -> p::Expr {
        let kind = match &expr.kind {
            ExprKind::Number(n) => p::ExprKind::Literal(Literal::Num(*n)),
            ExprKind::String(s) => p::ExprKind::Literal(Literal::Str(s.clone())),
            ExprKind::Bool(b) => p::ExprKind::Literal(Literal::Bool(*b)),
            ExprKind::Null => p::ExprKind::Literal(Literal::Null),
            ExprKind::List(items) => p::ExprKind::List(items.iter().map(|e| self.expr(e)).collect()),
            ExprKind::Root => p::ExprKind::Root,
            ExprKind::Name(name) => self.name(name, expr.span),
            ExprKind::Field { base, key, optional } => {
                let base = self.expr(base);
                p::ExprKind::Field {
                    mapped: is_mapped(&base),
                    base: Box::new(base),
                    key: key.name.clone(),
                    optional: *optional,
                }
            }
            ExprKind::Index { base, index } => {
                let base = self.expr(base);
                p::ExprKind::Index {
                    mapped: is_mapped(&base),
                    base: Box::new(base),
                    index: Box::new(self.expr(index)),
                }
            }
            ExprKind::Wildcard(base) => {
                let base = self.expr(base);
                p::ExprKind::Wildcard {
                    mapped: is_mapped(&base),
                    base: Box::new(base),
                }
            }
            ExprKind::Call { callee, args } => self.call(callee, args, expr.span),
            ExprKind::Comprehension(c) => self.comprehension(c),
            ExprKind::Unary { op, operand } => p::ExprKind::Unary {
                op: *op,
                operand: Box::new(self.expr(operand)),
            },
            ExprKind::Binary { op, lhs, rhs } => {
                let lhs = self.expr(lhs);
                let rhs = if *op == BinaryOp::Matches {
                    self.regex_or_expr(rhs)
                } else {
                    self.expr(rhs)
                };
                p::ExprKind::Binary {
                    op: *op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                }
            }
            ExprKind::Compare { op, lhs, rhs, within } => p::ExprKind::Compare {
                op: *op,
                lhs: Box::new(self.expr(lhs)),
                rhs: Box::new(self.expr(rhs)),
                within: within.as_ref().map(|w| self.within(w)),
            },
        };
        p::Expr { kind, span: expr.span }
    }

    /// A file-level `fn`: its parameters are its first local slots.
    fn function(mut self, item: &ast::FnItem) -> p::Function {
        for param in &item.params {
            self.bind(param);
        }
        let body = self.expr(&item.body);
        p::Function {
            name: item.name.name.clone(),
            arity: item.params.len(),
            body,
            frame_size: self.frame_size,
        }
    }

    fn comprehension(&mut self, c: &ast::Comprehension) -> p::ExprKind {
        let iter = self.expr(&c.iter);
        self.scoped(|this| {
            let key_slot = c.key.as_ref().map(|k| this.bind(k));
            let var_slot = this.bind(&c.var);
            let cond = c.cond.as_ref().map(|e| this.expr(e));
            let body = this.expr(&c.body);
            p::ExprKind::Comprehension(Box::new(p::Comprehension {
                body,
                key_slot,
                var_slot,
                iter,
                cond,
            }))
        })
    }

    /// `within t` (a literal `t` may not be negative) or `within rounding`.
    fn within(&mut self, within: &ast::Within) -> p::Within {
        match within {
            ast::Within::Tolerance(t) => {
                let tolerance = self.expr(t);
                if literal_number(&tolerance).is_some_and(|n| n.is_sign_negative() && !n.is_zero()) {
                    self.errors.push(
                        ResolveError::new(
                            t.span,
                            ResolveErrorKind::NegativeTolerance {
                                tolerance: literal_text(&tolerance).to_string(),
                            },
                        )
                        .with_help("`a == b within t` means abs(a - b) <= t: t must be 0 or more"),
                    );
                }
                p::Within::Tolerance(Box::new(tolerance))
            }
            ast::Within::Rounding(_) => p::Within::Rounding,
        }
    }

    fn name(&mut self, name: &Arc<str>, span: Span) -> p::ExprKind {
        if let Some((_, slot)) = self.locals.iter().rev().find(|(n, _)| n == name) {
            return p::ExprKind::Local(*slot);
        }
        match self.scopes.get(self.file, name) {
            Some(Def::Global(i)) => p::ExprKind::Global(i),
            Some(Def::Input(i)) => p::ExprKind::Input(i),
            Some(Def::Function(_)) => {
                self.errors.push(
                    ResolveError::new(span, ResolveErrorKind::FunctionAsValue { name: name.to_string() })
                        .with_help(format!("call it: `{name}(…)`")),
                );
                p::ExprKind::Literal(Literal::Null)
            }
            None => p::ExprKind::DataKey(name.clone()),
        }
    }

    fn call(&mut self, callee: &ast::Ident, args: &[ast::Expr], span: Span) -> p::ExprKind {
        let name = &callee.name;
        if self.locals.iter().any(|(n, _)| n == name) {
            self.errors.push(ResolveError::new(
                callee.span,
                ResolveErrorKind::ValueCalled { name: name.to_string() },
            ));
        }
        if let Some(Def::Function(index)) = self.scopes.get(self.file, name) {
            let arity = self.scopes.arity(Def::Function(index));
            if args.len() != arity {
                self.errors.push(ResolveError::new(
                    span,
                    ResolveErrorKind::WrongArity {
                        name: name.to_string(),
                        wanted: arity.to_string(),
                        most: arity,
                        found: args.len(),
                    },
                ));
            }
            let args: Vec<p::Expr> = args.iter().map(|a| self.expr(a)).collect();
            return p::ExprKind::Call { function: index, args };
        }
        let Some(builtin) = builtins::lookup(name) else {
            self.unknown_function(callee);
            return p::ExprKind::Literal(Literal::Null);
        };
        self.builtin_arity(builtin, args.len(), span);
        if builtin.kind == builtins::Kind::Exists {
            return match args.first() {
                Some(arg) => p::ExprKind::Exists(Box::new(self.expr(arg))),
                None => p::ExprKind::Literal(Literal::Bool(false)),
            };
        }
        let args = args
            .iter()
            .enumerate()
            .map(|(i, a)| {
                if builtin.regex_arg == Some(i) {
                    self.regex_or_expr(a)
                } else {
                    self.expr(a)
                }
            })
            .collect();
        p::ExprKind::Builtin {
            builtin: p::BuiltinRef(builtin),
            args,
        }
    }

    fn unknown_function(&mut self, callee: &ast::Ident) {
        let name = &callee.name;
        let candidates = BUILTINS
            .iter()
            .map(|b| b.name)
            .chain(self.scopes.function_names(self.file));
        let mut err = ResolveError::new(
            callee.span,
            ResolveErrorKind::UnknownFunction { name: name.to_string() },
        );
        if let Some(hint) = suggest(name, candidates) {
            err = err.with_help(hint);
        }
        self.errors.push(err);
    }

    fn builtin_arity(&mut self, builtin: &'static builtins::Builtin, found: usize, span: Span) {
        let (name, (min, max)) = (builtin.name, builtin.arity);
        if found < min || found > max {
            let wanted = if min == max {
                format!("{min}")
            } else {
                format!("{min} to {max}")
            };
            self.errors.push(
                ResolveError::new(
                    span,
                    ResolveErrorKind::WrongArity {
                        name: name.to_string(),
                        wanted,
                        most: max,
                        found,
                    },
                )
                .with_help(format!("{name}: {}", builtin.doc)),
            );
        }
    }

    /// A string literal in a regex position is compiled now, so a bad pattern
    /// is a load error; any other expression is compiled when evaluated.
    fn regex_or_expr(&mut self, expr: &ast::Expr) -> p::Expr {
        if let ExprKind::String(pattern) = &expr.kind {
            // Compiled with every other literal once all files are lowered.
            let cell = Arc::new(p::RegexCell::new());
            self.regexes.push(regexes::Pending {
                span: expr.span,
                pattern: pattern.clone(),
                cell: cell.clone(),
            });
            return p::Expr {
                kind: p::ExprKind::Literal(Literal::Regex(cell)),
                span: expr.span,
            };
        }
        self.expr(expr)
    }
}

/// Whether a path runs through `[*]`, so later steps map over its elements.
fn is_mapped(expr: &p::Expr) -> bool {
    match &expr.kind {
        p::ExprKind::Wildcard { .. } => true,
        p::ExprKind::Field { mapped, .. } | p::ExprKind::Index { mapped, .. } => *mapped,
        _ => false,
    }
}
