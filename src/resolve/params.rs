//! `param` and `input` items (spec §11, §12): what the user may bind from the
//! command line, checked when the rules load.

use super::error::{ResolveError, ResolveErrorKind};
use super::files::LoadedFiles;
use super::program::{self as p, Literal, ParamKind};
use crate::syntax::ast;

/// Every `input` item, one entry per name. The same name declared in two
/// files is one input, so long as both say the same thing.
pub fn collect_inputs(files: &LoadedFiles, errors: &mut Vec<ResolveError>) -> Vec<p::Input> {
    let mut inputs: Vec<p::Input> = Vec::new();
    for item in files.asts.iter().flat_map(|ast| &ast.items) {
        let ast::Item::Input(input) = item else { continue };
        match inputs.iter().find(|i| i.name == input.name.name) {
            Some(first) if first.list != input.list => errors.push(
                ResolveError::new(
                    input.name.span,
                    ResolveErrorKind::InputShapes {
                        name: input.name.name.to_string(),
                    },
                )
                .also(first.span, "first declared here"),
            ),
            Some(_) => {}
            None => inputs.push(p::Input {
                name: input.name.name.clone(),
                list: input.list,
                required: input.required,
                span: input.name.span,
            }),
        }
    }
    // `required` anywhere makes the input required.
    for item in files.asts.iter().flat_map(|ast| &ast.items) {
        if let ast::Item::Input(input) = item {
            if let Some(i) = inputs.iter_mut().find(|i| i.name == input.name.name) {
                i.required |= input.required;
            }
        }
    }
    inputs
}

/// A `param` whose default is a constant; any other default is a load error,
/// since an override must have a kind to match.
pub fn param(
    item: &ast::ParamItem,
    value: &p::Expr,
    global: usize,
    files: &LoadedFiles,
    errors: &mut Vec<ResolveError>,
) -> Option<p::Param> {
    let Some(kind) = constant_kind(value) else {
        errors.push(
            ResolveError::new(item.value.span, ResolveErrorKind::ParamNotConstant)
                .with_help("write a number (`0.5`, `40%`), a string, `true`/`false` or a list of them"),
        );
        return None;
    };
    let source = &files.sources[item.value.span.file as usize];
    Some(p::Param {
        name: item.name.name.clone(),
        global,
        default_text: source.text()[item.value.span.range()].into(),
        kind,
        span: item.name.span,
    })
}

/// The kind of a constant expression, `None` if it is not one.
pub fn constant_kind(expr: &p::Expr) -> Option<ParamKind> {
    match &expr.kind {
        p::ExprKind::Literal(Literal::Num(_)) => Some(ParamKind::Number),
        p::ExprKind::Literal(Literal::Str(_)) => Some(ParamKind::String),
        p::ExprKind::Literal(Literal::Bool(_)) => Some(ParamKind::Bool),
        p::ExprKind::Unary {
            op: crate::syntax::ast::UnaryOp::Neg,
            operand,
        } if constant_kind(operand) == Some(ParamKind::Number) => Some(ParamKind::Number),
        p::ExprKind::List(items) if items.iter().all(|i| constant_kind(i).is_some()) => Some(ParamKind::List),
        _ => None,
    }
}
