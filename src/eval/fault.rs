//! Why an expression could not produce a value. The evaluator attaches the
//! span here, in one place; builtins return span-free errors.

use crate::builtins::BuiltinError;
use crate::data::NodeId;
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
}

impl Fault {
    pub fn missing(span: Span, near: Option<NodeId>, message: impl Into<String>) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Missing,
            message: message.into(),
            span,
            near,
        })
    }

    pub fn type_error(span: Span, message: impl Into<String>) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Type,
            message: message.into(),
            span,
            near: None,
        })
    }

    pub fn arithmetic(span: Span, message: impl Into<String>) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Arithmetic,
            message: message.into(),
            span,
            near: None,
        })
    }

    /// An assertion that reads an absent optional input: skipped.
    pub fn skipped(span: Span, message: impl Into<String>) -> Box<Self> {
        Box::new(Fault {
            kind: FindingKind::Skipped,
            message: message.into(),
            span,
            near: None,
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
        })
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
