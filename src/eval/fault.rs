//! Why an expression could not produce a value. The evaluator attaches the
//! span here, in one place; builtins return span-free errors.

use crate::builtins::BuiltinError;
use std::sync::Arc;

use crate::data::{Document, NodeId, NodeValue};
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
}

impl Fault {
    pub fn missing(span: Span, near: Option<NodeId>, message: impl Into<String>) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Missing,
            message: message.into(),
            span,
            near,
            hint: None,
        })
    }

    pub fn type_error(span: Span, message: impl Into<String>) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Type,
            message: message.into(),
            span,
            near: None,
            hint: None,
        })
    }

    pub fn arithmetic(span: Span, message: impl Into<String>) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Arithmetic,
            message: message.into(),
            span,
            near: None,
            hint: None,
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
        })
    }

    /// Too many evaluation steps: `at` is where it stopped (the statement
    /// replaces it with the assertion).
    pub fn limit(span: Span) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Limit,
            message: format!(
                "evaluation limit: more than {} steps (or list elements built) for one assertion over one document",
                super::STEP_LIMIT
            ),
            span,
            near: None,
            hint: None,
        })
    }

    /// The fault with its message complete: a pending hint appended.
    pub fn settle(&mut self, doc: &Document) -> &mut Self {
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
