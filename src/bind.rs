//! What a run binds beyond the rules and each data file (spec §11, §12):
//! `--param`, `--params FILE` and `--input NAME=PATH` with its templates.

use std::path::Path;

use crate::data::{Document, NodeId, NodeValue};
use crate::eval::Bindings;
use crate::input::{self, DataFailure};
use crate::resolve::program::{Expr, ExprKind, Literal};
use crate::resolve::{suggest, ParamKind, Program};
use crate::syntax::ast;

/// Sets parameters from `--param NAME=VALUE` arguments: each VALUE is a
/// literal of the rule language of the parameter's kind. An error is a usage error.
pub fn apply_params(program: &mut Program, args: &[String]) -> Result<(), String> {
    for arg in args {
        let (name, text) = arg
            .split_once('=')
            .ok_or_else(|| format!("--param `{arg}`: write NAME=VALUE"))?;
        let name = name.trim();
        let indexes = param_indexes(program, name)?;
        for i in indexes {
            let (value, kind) = literal(text.trim()).map_err(|why| format!("--param {name}: `{text}` {why}"))?;
            let param = &program.params[i];
            if kind != param.kind {
                return Err(format!(
                    "--param {name}: `{text}` is not a {}, as the default `{}` is",
                    param.kind.as_str(),
                    param.default_text
                ));
            }
            let global = param.global;
            let span = program.globals[global].value.span;
            program.globals[global].value = Expr { kind: value, span };
        }
    }
    Ok(())
}

/// The params of `program` named `name`; unknown names get a did-you-mean.
fn param_indexes(program: &Program, name: &str) -> Result<Vec<usize>, String> {
    let found: Vec<usize> = (0..program.params.len())
        .filter(|&i| &*program.params[i].name == name)
        .collect();
    if found.is_empty() {
        let hint = suggest(name, program.params.iter().map(|p| &*p.name))
            .map(|h| format!("; {h}"))
            .unwrap_or_else(|| {
                if program.params.is_empty() {
                    "; the rules declare no parameters".into()
                } else {
                    "; `tally rules` lists the parameters".into()
                }
            });
        return Err(format!(
            "no parameter is named `{}`{hint}",
            crate::text::escape_name(name)
        ));
    }
    Ok(found)
}

/// A literal of the rule language: a number or percent (`-0.5`, `30%`), a
/// string, `true`/`false`, or a list of them.
fn literal(text: &str) -> Result<(ExprKind, ParamKind), String> {
    let file = crate::syntax::parse(0, &format!("let x = {text}")).map_err(|_| "is not a literal".to_owned())?;
    let Some(ast::Item::Let(item)) = file.items.first() else {
        return Err("is not a literal".into());
    };
    let kind = match &item.value.kind {
        ast::ExprKind::Number(_) | ast::ExprKind::Unary { .. } => ParamKind::Number,
        ast::ExprKind::String(_) => ParamKind::String,
        ast::ExprKind::Bool(_) => ParamKind::Bool,
        _ => ParamKind::List,
    };
    lower_literal(&item.value)
        .map(|value| (value, kind))
        .ok_or_else(|| "is not a literal (a number, a string, true/false or a list)".into())
}

fn lower_literal(expr: &ast::Expr) -> Option<ExprKind> {
    Some(match &expr.kind {
        ast::ExprKind::Number(n) => ExprKind::Literal(Literal::Num(*n)),
        ast::ExprKind::String(s) => ExprKind::Literal(Literal::Str(s.clone())),
        ast::ExprKind::Bool(b) => ExprKind::Literal(Literal::Bool(*b)),
        ast::ExprKind::Unary {
            op: ast::UnaryOp::Neg,
            operand,
        } => match &operand.kind {
            ast::ExprKind::Number(n) => ExprKind::Literal(Literal::Num(-*n)),
            _ => return None,
        },
        ast::ExprKind::List(items) => ExprKind::List(
            items
                .iter()
                .map(|i| lower_literal(i).map(|kind| Expr { kind, span: expr.span }))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

/// A params file (`--params FILE`): a map of parameter names to values,
/// checked once against the program, then attached to each data document.
pub struct ParamsFile {
    name: String,
    text: String,
}

impl ParamsFile {
    /// Reads and checks the file; an unknown name or a value of the wrong kind
    /// is a usage error naming its place in the file.
    pub fn read(program: &Program, path: &str) -> Result<ParamsFile, String> {
        let text = input::read_text(path).map_err(|e| e.to_string())?;
        let file = ParamsFile {
            name: path.to_owned(),
            text,
        };
        let doc = file.load().map_err(|e| e.to_string())?;
        file.entries(program, &doc)?;
        Ok(file)
    }

    fn load(&self) -> Result<Document, DataFailure> {
        input::load_text(&self.name, self.text.clone())
    }

    /// `(global, node)` for every entry of the file.
    fn entries(&self, program: &Program, doc: &Document) -> Result<Vec<(usize, NodeId)>, String> {
        let NodeValue::Map(entries) = doc.value(doc.root()) else {
            return Err(format!(
                "{}: a params file is a map of parameter names to values",
                self.name
            ));
        };
        let mut out = Vec::new();
        for (key, node) in entries.iter() {
            let at = doc.location(*node);
            let place = format!("{}:{}:{}", self.name, at.line, at.column);
            for i in param_indexes(program, key).map_err(|e| format!("{place}: {e}"))? {
                let param = &program.params[i];
                let kind = match doc.value(*node) {
                    NodeValue::Number(_) => Some(ParamKind::Number),
                    NodeValue::String(_) => Some(ParamKind::String),
                    NodeValue::Bool(_) => Some(ParamKind::Bool),
                    NodeValue::List(_) => Some(ParamKind::List),
                    _ => None,
                };
                if kind != Some(param.kind) {
                    return Err(format!(
                        "{place}: `{key}` is `{}`, not a {} as the default `{}` is",
                        doc.raw(*node),
                        param.kind.as_str(),
                        param.default_text
                    ));
                }
                out.push((param.global, *node));
            }
        }
        Ok(out)
    }
}

/// `--input NAME=PATH`, checked against the program's inputs.
#[derive(Clone, Debug)]
pub struct InputArg {
    /// Index into `program.inputs`.
    pub input: usize,
    pub path: String,
}

/// Parses the `--input` arguments; an unknown input, a bad template or a
/// second path for a single input is a usage error.
pub fn input_args(program: &Program, args: &[String]) -> Result<Vec<InputArg>, String> {
    let mut out: Vec<InputArg> = Vec::new();
    for arg in args {
        let (name, path) = arg
            .split_once('=')
            .ok_or_else(|| format!("--input `{arg}`: write NAME=PATH"))?;
        let name = name.trim();
        let Some(input) = program.inputs.iter().position(|i| &*i.name == name) else {
            let hint = suggest(name, program.inputs.iter().map(|i| &*i.name))
                .map(|h| format!("; {h}"))
                .unwrap_or_else(|| "; the rules declare no input of that name".into());
            return Err(format!("no input is named `{name}`{hint}"));
        };
        check_template(path).map_err(|e| format!("--input {name}={path}: {e}"))?;
        if !program.inputs[input].list && out.iter().any(|a| a.input == input) {
            return Err(format!(
                "--input {name} is given twice, but `{name}` is one document (declare `input {name}[]` for a list)"
            ));
        }
        out.push(InputArg {
            input,
            path: path.to_owned(),
        });
    }
    Ok(out)
}

const PLACEHOLDERS: &[&str] = &["{dir}", "{name}", "{stem}", "{year}", "{year-1}", "{path:year-1}"];

fn check_template(path: &str) -> Result<(), String> {
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open..];
        match PLACEHOLDERS.iter().find(|p| after.starts_with(*p)) {
            Some(p) => rest = &after[p.len()..],
            None => {
                let word = after.split_inclusive('}').next().unwrap_or(after);
                return Err(format!(
                    "unknown template `{word}`; templates are {}",
                    PLACEHOLDERS.join(", ")
                ));
            }
        }
    }
    Ok(())
}

/// Whether `path` is a template (holds a placeholder).
pub fn is_template(path: &str) -> bool {
    PLACEHOLDERS.iter().any(|p| path.contains(p))
}

/// The last four-digit year 19xx/20xx in `path` that is not part of a longer
/// number: its byte range and value.
fn last_year(path: &str) -> Option<(std::ops::Range<usize>, u32)> {
    let bytes = path.as_bytes();
    let mut found = None;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let run = &path[start..i];
        if run.len() == 4 && (run.starts_with("19") || run.starts_with("20")) {
            found = Some((start..i, run.parse().ok()?));
        }
    }
    found
}

/// `template` with the placeholders filled in for the data file `data`;
/// `None` when it needs a year and `data`'s path has none.
pub fn expand(template: &str, data: &str) -> Option<String> {
    let path = Path::new(data);
    let dir = match path.parent().map(|p| p.to_string_lossy().into_owned()) {
        Some(d) if !d.is_empty() => d,
        _ => ".".to_owned(),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let year = last_year(data);
    let needs_year = template.contains("{year") || template.contains("{path:year-1}");
    if needs_year && year.is_none() {
        return None;
    }
    let mut out = template
        .replace("{dir}", &dir)
        .replace("{name}", &name)
        .replace("{stem}", &stem);
    if let Some((range, y)) = year {
        let lowered = format!("{}{}{}", &data[..range.start], y - 1, &data[range.end..]);
        out = out
            .replace("{path:year-1}", &lowered)
            .replace("{year-1}", &(y - 1).to_string())
            .replace("{year}", &y.to_string());
    }
    Some(out)
}

/// The files a list input's PATH names: a folder's data files, a glob's
/// matches (wildcards `*` and `?` in the file name), or the file itself.
fn list_files(path: &str) -> Vec<Result<String, DataFailure>> {
    let p = Path::new(path);
    if p.is_dir() {
        return input::data_files(path).unwrap_or_default();
    }
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !name.contains(['*', '?']) {
        return if p.is_file() {
            vec![Ok(path.to_owned())]
        } else {
            Vec::new()
        };
    }
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut found: Vec<Result<String, DataFailure>> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| glob_match(&name, &e.file_name().to_string_lossy()))
        .map(|e| {
            let joined = if p.parent().is_some_and(|d| !d.as_os_str().is_empty()) {
                dir.join(e.file_name())
            } else {
                e.file_name().into()
            };
            joined
        })
        .filter(|f| input::is_data_file(f))
        .map(|f| input::utf8_name(&f))
        .collect();
    found.sort_by(|a, b| input::name_of(a).cmp(input::name_of(b)));
    found
}

/// `*` any run of characters, `?` one character; no other special character.
fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Classic two-pointer wildcard match, linear in practice.
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Everything bound for one data file.
pub struct Bound {
    pub bindings: Bindings,
    /// Files named by a template that do not exist (spec §12 `inputs_missing`).
    pub missing: Vec<String>,
}

/// Attaches the params file and the inputs of `data` to `doc` and binds them.
/// A required input that is absent, or an input file that does not load, is
/// a failure of this data file.
pub fn bind(
    program: &Program,
    doc: &mut Document,
    data: &str,
    params: Option<&ParamsFile>,
    inputs: &[InputArg],
) -> Result<Bound, DataFailure> {
    let mut bindings = Bindings {
        params: Vec::new(),
        inputs: vec![None; program.inputs.len()],
    };
    if let Some(params) = params {
        let file = params.load()?;
        let entries = params
            .entries(program, &file)
            .map_err(|reason| unreadable(&params.name, reason))?;
        let old_root = file.root().0;
        // Attaching moves every node by the same amount.
        let shift = doc.attach(file).0 - old_root;
        bindings.params = entries
            .into_iter()
            .map(|(global, node)| (global, NodeId(node.0 + shift)))
            .collect();
    }
    let mut missing = Vec::new();
    for arg in inputs {
        let declared = &program.inputs[arg.input];
        let Some(path) = expand(&arg.path, data) else {
            missing.push(format!("{} (no year in `{data}`)", arg.path));
            continue;
        };
        let files = if declared.list {
            list_files(&path)
        } else if Path::new(&path).is_file() {
            vec![Ok(path.clone())]
        } else {
            Vec::new()
        };
        if files.is_empty() {
            if !is_template(&arg.path) && !declared.list {
                return Err(unreadable(
                    &path,
                    format!("the file of input `{}` does not exist", declared.name),
                ));
            }
            missing.push(path);
            continue;
        }
        let roots = bindings.inputs[arg.input].get_or_insert_with(Vec::new);
        for file in files {
            let loaded = input::read_document(&file?)?;
            roots.push(doc.attach(loaded));
        }
    }
    for (i, declared) in program.inputs.iter().enumerate() {
        if declared.required && bindings.inputs[i].is_none() {
            return Err(unreadable(
                data,
                format!(
                    "the required input `{}` is absent (give it with --input {}=PATH)",
                    declared.name, declared.name
                ),
            ));
        }
    }
    Ok(Bound { bindings, missing })
}

fn unreadable(path: &str, reason: String) -> DataFailure {
    DataFailure::Unreadable {
        path: path.to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_form() {
        let data = "reports/2024/怀来.yaml";
        let cases = [
            ("{dir}/上年.yaml", "reports/2024/上年.yaml"),
            ("{dir}/{name}", "reports/2024/怀来.yaml"),
            ("archive/{stem}.json", "archive/怀来.json"),
            ("{year}/x.yaml", "2024/x.yaml"),
            ("reports/{year-1}/{name}", "reports/2023/怀来.yaml"),
            ("{path:year-1}", "reports/2023/怀来.yaml"),
            ("fixed.yaml", "fixed.yaml"),
        ];
        for (template, want) in cases {
            assert_eq!(expand(template, data).as_deref(), Some(want), "{template}");
        }
    }

    #[test]
    fn the_last_year_in_the_path_is_used_and_longer_numbers_are_not_years() {
        assert_eq!(
            expand("{path:year-1}", "2019/预算2024.yaml").as_deref(),
            Some("2019/预算2023.yaml")
        );
        assert_eq!(expand("{year}", "2024/单位12024.yaml").as_deref(), Some("2024"));
        assert_eq!(expand("{year}", "a/1899.yaml"), None);
        assert_eq!(expand("{year-1}.yaml", "a/b.yaml"), None);
        assert_eq!(expand("{dir}/x", "b.yaml").as_deref(), Some("./x"));
    }

    #[test]
    fn unknown_placeholders_are_refused() {
        assert!(check_template("{dir}/{stem}.yaml").is_ok());
        let err = check_template("{year+1}.yaml").unwrap_err();
        assert!(err.contains("unknown template `{year+1}`"), "{err}");
    }

    #[test]
    fn globs_match_star_and_question_mark() {
        assert!(glob_match("*.yaml", "a.yaml"));
        assert!(glob_match("单位?.yaml", "单位1.yaml"));
        assert!(!glob_match("单位?.yaml", "单位12.yaml"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("*.json", "a.yaml"));
    }

    #[test]
    fn param_literals_and_their_kinds() {
        let kind = |t: &str| literal(t).map(|(_, k)| k);
        assert_eq!(kind("30%"), Ok(ParamKind::Number));
        assert_eq!(kind("-0.5"), Ok(ParamKind::Number));
        assert_eq!(kind("\"河北\""), Ok(ParamKind::String));
        assert_eq!(kind("true"), Ok(ParamKind::Bool));
        assert_eq!(kind("[1, 2]"), Ok(ParamKind::List));
        assert!(kind("a + 1").is_err());
        assert!(kind("河北").is_err());
    }
}
