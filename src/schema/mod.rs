//! Schemas (spec §10): a rule library's `schema "schema.json"` (JSON Schema,
//! draft 2020-12). At load, every data path of the rules is checked against
//! it ([`paths`]); before the rules run, every document is validated against
//! it ([`validate`]), each breach a finding of the built-in rule `schema`.

mod instance;
mod paths;
pub mod shape;
mod validate;

use std::sync::Arc;

use serde_json::Value;

use crate::resolve::program::{Program, RuleDef, Severity};
use crate::resolve::{ResolveError, ResolveErrorKind};
use crate::source::Span;

pub use validate::validate;

/// The ID of the built-in rule whose findings are schema breaches.
pub const RULE_ID: &str = "schema";

/// The loaded schema of a program.
#[derive(Debug)]
pub struct Schema {
    /// The file as named, e.g. `rules/cn-budget/schema.json`.
    pub file: String,
    /// The text as written (what `tally schema` prints).
    pub text: String,
    pub document: Value,
    /// Validates documents in place ([`instance`]).
    validator: Validator,
    /// The string of the `schema "…"` item that declared it.
    pub declared: Span,
    /// Index of the built-in `schema` rule in [`Program::rules`].
    pub rule: usize,
}

/// A `schema "…"` item with its file read.
#[derive(Clone, Debug)]
pub struct Declared {
    /// The whole `schema "…"` item.
    pub span: Span,
    /// The file's path, relative paths resolved against the rule file.
    pub file: String,
    /// What makes two declarations the same file.
    pub identity: String,
    pub text: String,
}

/// A schema parsed and its validator built, or why not.
pub type Built = Result<(Value, Validator), Box<ResolveError>>;

type Validator = jsonschema::Validator<instance::DataJson>;

/// Parses the declared schema and builds its validator: the part of
/// [`attach`] that needs no program, so it can run while the rules are
/// resolved. `None` without a schema or with two different ones (which
/// `attach` reports: the message needs the program's sources).
pub fn prepare(declared: &[Declared]) -> Option<Built> {
    declared
        .first()
        .filter(|first| declared.iter().all(|d| d.identity == first.identity))
        .map(build)
}

fn build(first: &Declared) -> Built {
    let document: Value = serde_json::from_str(&first.text).map_err(|e| {
        Box::new(ResolveError::new(
            first.span,
            ResolveErrorKind::SchemaNotJson {
                file: first.file.clone(),
                reason: e.to_string(),
            },
        ))
    })?;
    let validator = instance::validator(&document).map_err(|e| {
        Box::new(ResolveError::new(
            first.span,
            ResolveErrorKind::SchemaUnusable {
                file: first.file.clone(),
                reason: e.to_string(),
            },
        ))
    })?;
    Ok((document, validator))
}

/// Gives `program` the schema declared by its rule files (at most one file),
/// adds the built-in `schema` rule and checks every data path of the rules.
/// `built` is [`prepare`]'s answer for `declared`, if it was asked.
pub fn attach(program: &mut Program, declared: Vec<Declared>, built: Option<Built>) -> Result<(), Vec<ResolveError>> {
    let Some(first) = declared.first() else {
        return Ok(());
    };
    if let Some(other) = declared.iter().find(|d| d.identity != first.identity) {
        let at = program.source(first.span);
        let location = at.location(first.span.start as usize);
        return Err(vec![ResolveError::new(other.span, ResolveErrorKind::TwoSchemas)
            .with_help(format!(
                "`{}` is declared at {}:{}:{}; a set of rule files has at most one schema",
                first.file,
                at.name(),
                location.line,
                location.column
            ))]);
    }
    let (document, validator) = match built {
        Some(built) => built.map_err(|e| vec![*e])?,
        None => build(first).map_err(|e| vec![*e])?,
    };
    if let Some(rule) = program.rule(RULE_ID) {
        return Err(vec![ResolveError::new(rule.span, ResolveErrorKind::SchemaRuleTaken)
            .with_help("with a schema loaded, rename this rule")]);
    }
    let errors = paths::check(program, &document, &first.file);
    if !errors.is_empty() {
        return Err(errors);
    }
    program.rules.push(RuleDef {
        id: Arc::from(RULE_ID),
        title: Arc::from("数据符合 schema：类型、必填项、允许的键 (the data matches the schema)"),
        severity: Severity::Error,
        cite: Some(Arc::from(first.file.as_str())),
        tags: Vec::new(),
        span: first.span,
        body: Vec::new(),
        frame_size: 0,
    });
    program.schema = Some(Schema {
        file: first.file.clone(),
        text: first.text.clone(),
        document,
        validator,
        declared: first.span,
        rule: program.rules.len() - 1,
    });
    Ok(())
}
