//! cel: the checks as one CEL expression. The document is bound as `doc`
//! with CEL's JSON mapping (every JSON number a `double`: CEL has no
//! arithmetic between `int` and `double`). CEL has no `sum`: it is a host
//! function, a left fold in `double` as any CEL deployment would add.

use std::collections::HashMap;
use std::sync::Arc;

use cel::objects::{Key, Map};
use cel::{Context, Env, ExecutionError, Program, Value};

use crate::checks::{per_check, Check, Expr, Output, Sides, Verdict};
use crate::Peer;

/// The expression: a list with one item per rule.
pub fn policy(checks: &[Check], output: Output) -> String {
    let items: Vec<String> = checks
        .iter()
        .map(|check| match (check, output) {
            (Check::Once { lhs, rhs }, Output::Verdicts) => format!("{} == {}", expr(lhs), expr(rhs)),
            (Check::Once { lhs, rhs }, Output::Sides) => format!("[{}, {}]", expr(lhs), expr(rhs)),
            (Check::Each { list, lhs, rhs }, Output::Verdicts) => {
                format!("{}.map(r, {} == {})", path(list), expr(lhs), expr(rhs))
            }
            (Check::Each { list, lhs, rhs }, Output::Sides) => {
                format!("{}.map(r, [{}, {}])", path(list), expr(lhs), expr(rhs))
            }
        })
        .collect();
    format!("[\n  {},\n]", items.join(",\n  "))
}

fn path(dotted: &str) -> String {
    let mut out = "doc".to_owned();
    for key in dotted.split('.') {
        out.push_str(&format!("[{key:?}]"));
    }
    out
}

fn expr(e: &Expr) -> String {
    match e {
        Expr::Path(p) => path(p),
        Expr::Field(f) => format!("r[{f:?}]"),
        Expr::Add(terms) => format!("({})", terms.iter().map(expr).collect::<Vec<_>>().join(" + ")),
        Expr::Mul(a, b) => format!("({} * {})", expr(a), expr(b)),
        Expr::Sum { list, field } => format!("sum({}.map(x, x[{field:?}]))", path(list)),
    }
}

fn sum(list: Arc<Vec<Value>>) -> Result<f64, ExecutionError> {
    list.iter().try_fold(0.0, |total, item| match item {
        Value::Float(x) => Ok(total + x),
        other => Err(ExecutionError::function_error(
            "sum",
            format!("not a number: {other:?}"),
        )),
    })
}

/// JSON as CEL sees it: objects are maps, numbers are doubles.
fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().expect("a finite number")),
        serde_json::Value::String(s) => Value::String(Arc::new(s.clone())),
        serde_json::Value::Array(items) => Value::List(Arc::new(items.iter().map(from_json).collect())),
        serde_json::Value::Object(entries) => {
            let map: HashMap<Key, Value> = entries
                .iter()
                .map(|(k, v)| (Key::String(Arc::new(k.clone())), from_json(v)))
                .collect();
            Value::Map(Map { map: Arc::new(map) })
        }
    }
}

/// A context with `sum` and the document bound as `doc`.
fn context(env: &Arc<Env>, doc: Value) -> Context<'static, 'static> {
    let mut context = Context::with_env(Arc::clone(env));
    context.add_function("sum", sum).expect("`sum` is free");
    context.add_variable_from_value("doc", doc);
    context
}

pub struct Cel {
    checks: Vec<Check>,
    text: String,
    /// The standard environment, built once with the program.
    env: Arc<Env>,
    program: Option<Program>,
    context: Option<Context<'static, 'static>>,
}

impl Cel {
    pub fn new(checks: Vec<Check>) -> Self {
        let text = policy(&checks, Output::Verdicts);
        Cel {
            checks,
            text,
            env: Arc::new(Env::stdlib()),
            program: None,
            context: None,
        }
    }

    fn run(program: &Program, context: &Context) -> Value {
        program.execute(context).expect("the CEL expression runs")
    }

    fn items(result: &Value) -> &[Value] {
        match result {
            Value::List(items) => items,
            other => panic!("cel: the result is a list, not {other:?}"),
        }
    }

    fn list(value: &Value) -> Option<&[Value]> {
        match value {
            Value::List(items) => Some(items),
            _ => None,
        }
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::Float(x) => x.to_string(),
        other => format!("{other:?}"),
    }
}

impl Peer for Cel {
    fn name(&self) -> String {
        "cel 0.15".into()
    }

    fn compile(&mut self) {
        self.env = Arc::new(Env::stdlib());
        self.program = Some(self.env.compile(&self.text).expect("the CEL expression parses"));
    }

    /// Parsing the JSON, converting it to CEL values and binding them.
    fn load(&mut self, json: &str) {
        let value: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        self.context = Some(context(&self.env, from_json(&value)));
    }

    fn evaluate(&mut self) -> Vec<Verdict> {
        let program = self.program.as_ref().expect("compiled first");
        let result = Self::run(program, self.context.as_ref().expect("loaded first"));
        per_check("cel", &self.checks, Self::items(&result), Self::list, |v| match v {
            Value::Bool(b) => Some(*b),
            _ => None,
        })
    }

    fn sides(&mut self) -> Vec<Sides> {
        let program = self.env.compile(&policy(&self.checks, Output::Sides)).expect("parses");
        let result = Self::run(&program, self.context.as_ref().expect("loaded first"));
        per_check("cel", &self.checks, Self::items(&result), Self::list, |pair| {
            let pair = Self::list(pair).expect("two sides");
            (show(&pair[0]), show(&pair[1]))
        })
    }

    fn policy(&self) -> String {
        self.text.clone()
    }
}
