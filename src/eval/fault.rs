//! Why an expression could not produce a value. The evaluator attaches the
//! span here, in one place; builtins return span-free errors.

use crate::builtins::BuiltinError;
use std::sync::Arc;

use crate::data::{Document, NodeId, NodeValue};
use crate::resolve::Program;
use crate::source::Span;

use super::outcome::FindingKind;

#[derive(Clone, Debug)]
pub struct Fault {
    pub kind: FindingKind,
    pub message: String,
    /// The expression in the rule that failed.
    pub span: Span,
    /// For missing data: the nearest value that does exist (the map that lacks
    /// the key, the list that is too short). For type errors: the offending
    /// data value, when there is one.
    pub near: Option<NodeId>,
    /// A missing key and the map that lacks it: the "did you mean" hint is
    /// worked out only when the message is shown ([`Fault::settle`]), since
    /// most missing keys are asked by `exists` or a default and never shown.
    pub hint: Option<(NodeId, Arc<str>)>,
    /// A missing value's message, written only when shown: most are asked
    /// by `exists` or a default and never shown, and a path costs more to
    /// write than the rest of the lookup.
    pending: Option<Pending>,
}

/// The parts of a message [`Fault::settle`] writes.
#[derive(Clone, Debug)]
pub enum Pending {
    /// `expr` is missing: the map `map` has no key `key`.
    NoKey { expr: Span, map: NodeId, key: Arc<str> },
    /// `expr` is missing: the data value `node` is null.
    Null { expr: Span, node: NodeId },
    /// `expr` is missing: the list (a data value, or computed) has `len` elements.
    Short {
        expr: Span,
        list: Option<NodeId>,
        len: i128,
    },
}

impl Pending {
    fn write(&self, program: &Program, doc: &Document) -> String {
        match self {
            Pending::NoKey { expr, map, key } => format!(
                "`{}` is missing: `{}` has no key `{key}`",
                program.text(*expr),
                doc.path(*map)
            ),
            Pending::Null { expr, node } => {
                format!("`{}` is missing: `{}` is null", program.text(*expr), doc.path(*node))
            }
            Pending::Short { expr, list, len } => {
                let where_ = list.map_or_else(|| "the list".to_owned(), |id| format!("`{}`", doc.path(id)));
                format!(
                    "`{}` is missing: {where_} has {len} element{}",
                    program.text(*expr),
                    if *len == 1 { "" } else { "s" }
                )
            }
        }
    }
}

impl Fault {
    pub fn missing(span: Span, near: Option<NodeId>, message: impl Into<String>) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Missing,
            message: message.into(),
            span,
            near,
            hint: None,
            pending: None,
        })
    }

    /// A missing value whose message is written when shown.
    pub fn missing_later(span: Span, near: Option<NodeId>, pending: Pending) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Missing,
            message: String::new(),
            span,
            near,
            hint: None,
            pending: Some(pending),
        })
    }

    pub fn type_error(span: Span, message: impl Into<String>) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Type,
            message: message.into(),
            span,
            near: None,
            hint: None,
            pending: None,
        })
    }

    pub fn arithmetic(span: Span, message: impl Into<String>) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Arithmetic,
            message: message.into(),
            span,
            near: None,
            hint: None,
            pending: None,
        })
    }

    /// An assertion that reads an absent optional input: skipped.
    pub fn skipped(span: Span, message: impl Into<String>) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Skipped,
            message: message.into(),
            span,
            near: None,
            hint: None,
            pending: None,
        })
    }

    /// Too many evaluation steps: `at` is where it stopped (the statement
    /// replaces it with the assertion).
    pub fn limit(span: Span) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Limit,
            message: format!(
                "evaluation limit: more than {} steps (list elements built and string bytes joined included) for one assertion over one document",
                super::STEP_LIMIT
            ),
            span,
            near: None,
            hint: None,
            pending: None,
        })
    }

    /// A rule's `let`s would hold more than the evaluation may keep at once.
    pub fn held_limit(span: Span) -> Box<Self> {
        let mut fault = Self::limit(span);
        fault.message = format!(
            "evaluation limit: this rule's `let`s would hold more than {} values at once over one document \
             (list elements, map entries, 16 bytes of a string each)",
            super::held::HELD_LIMIT
        );
        fault
    }

    /// The fault with its message complete: a pending message written, a
    /// pending hint appended.
    pub fn settle(&mut self, program: &Program, doc: &Document) -> &mut Self {
        if let Some(pending) = self.pending.take() {
            self.message = pending.write(program, doc);
        }
        if let Some((map, key)) = self.hint.take() {
            if let NodeValue::Map(entries) = doc.value(map) {
                if let Some(hint) = crate::resolve::suggest(&key, entries.iter().map(|(k, _)| &**k)) {
                    self.message.push_str("; ");
                    self.message.push_str(&hint);
                }
            }
        }
        self
    }

    /// A missing-key fault whose hint looks for keys of `map` close to `key`.
    pub fn hinted(mut self: Box<Self>, map: NodeId, key: &Arc<str>) -> Box<Self> {
        self.hint = Some((map, key.clone()));
        self
    }

    pub fn near(mut self: Box<Self>, node: Option<NodeId>) -> Box<Self> {
        self.near = self.near.or(node);
        self
    }

    pub fn from_builtin(err: BuiltinError, name: &str, span: Span) -> Box<Self> {
        let named = |m: String| if m.starts_with(name) { m } else { format!("{name}: {m}") };
        match err {
            BuiltinError::Type(m) => Fault::type_error(span, named(m)),
            BuiltinError::Arithmetic(m) => Fault::arithmetic(span, named(m)),
        }
    }
}

/// Faults are boxed: the success path moves only a `Value`.
pub type EvalResult<T> = Result<T, Box<Fault>>;
