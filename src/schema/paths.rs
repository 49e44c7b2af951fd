//! Checking, at load, every data path the rules read against the schema: a
//! key the schema does not allow where it is read is a load error with a
//! "did you mean" drawn from the keys allowed there (spec §10).
//!
//! Each expression gets a [`Shape`]: the subschema its value is described by,
//! if known. Locals (`let`, loop variables, comprehension variables) carry the
//! shape of what they are bound to; `fn` parameters carry the shape of their
//! arguments when every call gives one.

use std::collections::HashSet;

use serde_json::Value;

use super::shape::{self, Lookup};
use crate::resolve::program::{Expr, ExprKind, Literal, MessagePart, Program, Stmt};
use crate::resolve::{suggest, ResolveError, ResolveErrorKind};
use crate::source::Span;

/// What is known of a value's shape.
#[derive(Clone, Copy, Debug)]
enum Shape<'s> {
    /// Not described (a computed value, or below a place that allows anything).
    Unknown,
    /// A value the subschema describes.
    One(&'s Value),
    /// A list, from `[*]`, each of whose elements the subschema describes.
    Each(&'s Value),
}

impl Shape<'_> {
    fn is_known(self) -> bool {
        !matches!(self, Shape::Unknown)
    }

    /// Identity of the subschema, to tell calls with the same shapes apart.
    fn id(self) -> (u8, usize) {
        match self {
            Shape::Unknown => (0, 0),
            Shape::One(v) => (1, v as *const Value as usize),
            Shape::Each(v) => (2, v as *const Value as usize),
        }
    }
}

/// Every path of `program` that names a key `schema` does not allow.
pub fn check(program: &Program, schema: &Value, file: &str) -> Vec<ResolveError> {
    let mut checker = Checker {
        program,
        root: schema,
        file,
        locals: Vec::new(),
        globals: vec![None; program.globals.len()],
        calls: vec![Vec::new(); program.functions.len()],
        errors: Vec::new(),
        reported: HashSet::new(),
    };
    for rule in &program.rules {
        checker.locals = vec![Shape::Unknown; rule.frame_size];
        checker.stmts(&rule.body);
    }
    for index in 0..program.globals.len() {
        checker.global(index);
    }
    // Each function once with its parameters unknown: paths that do not start
    // at a parameter are checked, and the calls it makes are recorded.
    for function in &program.functions {
        checker.locals = vec![Shape::Unknown; function.frame_size];
        checker.expr(&function.body);
    }
    // Then once for each set of argument shapes its calls give, for the
    // parameters whose argument shape every call knows.
    for (index, function) in program.functions.iter().enumerate() {
        let calls = std::mem::take(&mut checker.calls[index]);
        let known: Vec<bool> = (0..function.arity)
            .map(|p| !calls.is_empty() && calls.iter().all(|args| args.get(p).is_some_and(|s| s.is_known())))
            .collect();
        if !known.contains(&true) {
            continue;
        }
        let mut seen = HashSet::new();
        for args in &calls {
            let params: Vec<Shape> = (0..function.arity)
                .map(|p| if known[p] { args[p] } else { Shape::Unknown })
                .collect();
            if !seen.insert(params.iter().map(|s| s.id()).collect::<Vec<_>>()) {
                continue;
            }
            checker.locals = vec![Shape::Unknown; function.frame_size];
            checker.locals[..function.arity].copy_from_slice(&params);
            checker.expr(&function.body);
        }
    }
    checker.errors
}

struct Checker<'p, 's> {
    program: &'p Program,
    root: &'s Value,
    /// The schema's file name, for the error's help.
    file: &'p str,
    locals: Vec<Shape<'s>>,
    /// Shapes of file-level lets, once worked out.
    globals: Vec<Option<Shape<'s>>>,
    /// For each function, the shapes of the arguments of each call seen.
    calls: Vec<Vec<Vec<Shape<'s>>>>,
    errors: Vec<ResolveError>,
    /// (span start, span end) of keys already reported.
    reported: HashSet<(u32, u32, u32)>,
}

impl<'p, 's> Checker<'p, 's> {
    fn stmts(&mut self, stmts: &[Stmt]) {
        for stmt in stmts {
            match stmt {
                Stmt::Let { slot, value, .. } => {
                    let shape = self.expr(value);
                    self.bind(*slot, shape);
                }
                Stmt::Assert(assertion) => {
                    self.expr(&assertion.cond);
                    for part in assertion.message.iter().flatten() {
                        if let MessagePart::Expr(e) = part {
                            self.expr(e);
                        }
                    }
                    if let Some(at) = &assertion.at {
                        self.expr(at);
                    }
                }
                Stmt::For {
                    key_slot,
                    value_slot,
                    iter,
                    body,
                    ..
                } => {
                    let over = self.expr(iter);
                    if let Some(slot) = key_slot {
                        self.bind(*slot, Shape::Unknown);
                    }
                    let element = self.element_of(over);
                    self.bind(*value_slot, element);
                    self.stmts(body);
                }
                Stmt::When { cond, body, .. } => {
                    self.expr(cond);
                    self.stmts(body);
                }
            }
        }
    }

    fn bind(&mut self, slot: usize, shape: Shape<'s>) {
        if let Some(local) = self.locals.get_mut(slot) {
            *local = shape;
        }
    }

    /// The shape of one element when iterating over a value of shape `over`.
    fn element_of(&self, over: Shape<'s>) -> Shape<'s> {
        match over {
            Shape::One(schema) => shape::elements(self.root, schema).map_or(Shape::Unknown, Shape::One),
            Shape::Each(schema) => Shape::One(schema),
            Shape::Unknown => Shape::Unknown,
        }
    }

    fn global(&mut self, index: usize) -> Shape<'s> {
        if let Some(shape) = self.globals[index] {
            return shape;
        }
        // Cycles are refused by the resolver; mark it while it is worked out.
        self.globals[index] = Some(Shape::Unknown);
        let global = &self.program.globals[index];
        let saved = std::mem::replace(&mut self.locals, vec![Shape::Unknown; global.frame_size]);
        let shape = self.expr(&global.value);
        self.locals = saved;
        self.globals[index] = Some(shape);
        shape
    }

    fn expr(&mut self, expr: &Expr) -> Shape<'s> {
        match &expr.kind {
            ExprKind::Root => Shape::One(self.root),
            // Another document of the same shape; a list of them is not checked.
            ExprKind::Input(i) if !self.program.inputs[*i].list => Shape::One(self.root),
            ExprKind::Input(_) => Shape::Unknown,
            ExprKind::DataKey(key) => self.key(Shape::One(self.root), key, expr.span, None),
            ExprKind::Local(slot) => self.locals.get(*slot).copied().unwrap_or(Shape::Unknown),
            ExprKind::Global(index) => self.global(*index),
            ExprKind::Field { base, key, .. } => {
                let over = self.expr(base);
                self.key(over, key, key_span(self.program, expr.span, key), Some(base))
            }
            ExprKind::Index { base, index, .. } => {
                let over = self.expr(base);
                self.expr(index);
                match &index.kind {
                    ExprKind::Literal(Literal::Str(key)) => self.key(over, key, index.span, Some(base)),
                    ExprKind::Literal(Literal::Num(n)) => {
                        let at = i64::try_from(*n).ok();
                        self.map_each(over, |root, schema| shape::element(root, schema, at))
                    }
                    _ => self.map_each(over, |root, schema| shape::elements(root, schema)),
                }
            }
            ExprKind::Wildcard { base, .. } => match self.expr(base) {
                Shape::One(schema) => shape::elements(self.root, schema).map_or(Shape::Unknown, Shape::Each),
                Shape::Each(schema) => shape::elements(self.root, schema).map_or(Shape::Unknown, Shape::Each),
                Shape::Unknown => Shape::Unknown,
            },
            ExprKind::Exists(inner) => {
                self.expr(inner);
                Shape::Unknown
            }
            ExprKind::Call { function, args } => {
                let shapes: Vec<Shape<'s>> = args.iter().map(|a| self.expr(a)).collect();
                self.calls[*function].push(shapes);
                Shape::Unknown
            }
            ExprKind::Comprehension(c) => {
                let over = self.expr(&c.iter);
                if let Some(slot) = c.key_slot {
                    self.bind(slot, Shape::Unknown);
                }
                let element = self.element_of(over);
                self.bind(c.var_slot, element);
                if let Some(cond) = &c.cond {
                    self.expr(cond);
                }
                self.expr(&c.body);
                Shape::Unknown
            }
            ExprKind::List(items) | ExprKind::Builtin { args: items, .. } => {
                for item in items {
                    self.expr(item);
                }
                Shape::Unknown
            }
            ExprKind::Unary { operand, .. } => {
                self.expr(operand);
                Shape::Unknown
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
                Shape::Unknown
            }
            ExprKind::Compare { lhs, rhs, within, .. } => {
                self.expr(lhs);
                self.expr(rhs);
                if let Some(crate::resolve::program::Within::Tolerance(t)) = within {
                    self.expr(t);
                }
                Shape::Unknown
            }
            ExprKind::Literal(_) => Shape::Unknown,
        }
    }

    /// `f` applied to the subschema of `over`, keeping `[*]` mapping.
    fn map_each(&self, over: Shape<'s>, f: impl Fn(&'s Value, &'s Value) -> Option<&'s Value>) -> Shape<'s> {
        match over {
            Shape::One(schema) => f(self.root, schema).map_or(Shape::Unknown, Shape::One),
            Shape::Each(schema) => f(self.root, schema).map_or(Shape::Unknown, Shape::Each),
            Shape::Unknown => Shape::Unknown,
        }
    }

    /// Reading `key` of a value of shape `over`; `span` is the key in the rule.
    fn key(&mut self, over: Shape<'s>, key: &str, span: Span, base: Option<&Expr>) -> Shape<'s> {
        let (schema, each) = match over {
            Shape::One(schema) => (schema, false),
            Shape::Each(schema) => (schema, true),
            Shape::Unknown => return Shape::Unknown,
        };
        match shape::key(self.root, schema, key) {
            Lookup::Known(found) if each => Shape::Each(found),
            Lookup::Known(found) => Shape::One(found),
            Lookup::Any => Shape::Unknown,
            Lookup::NotAllowed(allowed) => {
                self.unknown_key(key, span, base, &allowed);
                Shape::Unknown
            }
        }
    }

    fn unknown_key(&mut self, key: &str, span: Span, base: Option<&Expr>, allowed: &[&str]) {
        if !self.reported.insert((span.file, span.start, span.end)) {
            return;
        }
        let place = match base {
            Some(base) => format!("under `{}`", self.program.text(base.span)),
            None => "at the top of the document".to_owned(),
        };
        let mut help = match suggest(key, allowed.iter().copied()) {
            Some(hint) => format!("{hint} "),
            None => String::new(),
        };
        help.push_str(&match allowed.len() {
            0 => format!("(the schema `{}` allows no key here)", self.file),
            n if n <= 12 => format!(
                "(keys the schema `{}` allows here: {})",
                self.file,
                allowed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
            n => format!("(the schema `{}` allows {n} keys here)", self.file),
        });
        self.errors.push(
            ResolveError::new(
                span,
                ResolveErrorKind::UnknownSchemaKey {
                    key: key.to_owned(),
                    place: place.to_string(),
                },
            )
            .with_help(help),
        );
    }
}

/// The span of `key` at the end of a `.key`/`?.key` expression.
fn key_span(program: &Program, span: Span, key: &str) -> Span {
    let text = program.text(span);
    if text.ends_with(key) {
        Span {
            start: span.end - key.len() as u32,
            ..span
        }
    } else {
        span
    }
}
