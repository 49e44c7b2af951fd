//! regorus: the checks as a Rego policy, compiled to its virtual machine (RVM).

use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::vm::RegoVM;
use regorus::{Engine, Value};

use crate::checks::{per_check, Check, Expr, Output, Sides, Verdict};
use crate::Peer;

const RULE: &str = "data.fifteen.result";

/// The policy: `result` is a list with one item per rule.
pub fn policy(checks: &[Check], output: Output) -> String {
    let items: Vec<String> = checks
        .iter()
        .map(|check| match (check, output) {
            (Check::Once { lhs, rhs }, Output::Verdicts) => format!("{} == {}", expr(lhs), expr(rhs)),
            (Check::Once { lhs, rhs }, Output::Sides) => format!("[{}, {}]", expr(lhs), expr(rhs)),
            (Check::Each { list, lhs, rhs }, Output::Verdicts) => {
                // Parenthesised: `|` is also Rego's set union.
                format!("[({} == {}) | some r in {}]", expr(lhs), expr(rhs), path(list))
            }
            (Check::Each { list, lhs, rhs }, Output::Sides) => {
                format!("[[{}, {}] | some r in {}]", expr(lhs), expr(rhs), path(list))
            }
        })
        .collect();
    format!(
        "package fifteen\n\nimport rego.v1\n\nresult := [\n  {},\n]\n",
        items.join(",\n  ")
    )
}

fn path(dotted: &str) -> String {
    let mut out = "input".to_owned();
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
        Expr::Sum { list, field } => format!("sum([x[{field:?}] | some x in {}])", path(list)),
    }
}

fn compile(text: &str) -> RegoVM {
    let mut engine = Engine::new();
    engine
        .add_policy("fifteen.rego".into(), text.to_owned())
        .expect("the Rego policy parses");
    let compiled = engine
        .compile_with_entrypoint(&RULE.into())
        .expect("the Rego policy compiles");
    let program = Compiler::compile_from_policy(&compiled, &[RULE]).expect("compiles to RVM");
    let mut vm = RegoVM::new_with_policy(compiled);
    vm.load_program(program);
    vm
}

pub struct Regorus {
    checks: Vec<Check>,
    text: String,
    vm: Option<RegoVM>,
    input: Value,
}

impl Regorus {
    pub fn new(checks: Vec<Check>) -> Self {
        let text = policy(&checks, Output::Verdicts);
        Regorus {
            checks,
            text,
            vm: None,
            input: Value::Undefined,
        }
    }

    fn run(vm: &mut RegoVM, input: &Value) -> Value {
        vm.set_input(input.clone());
        vm.execute_entry_point_by_name(RULE).expect("the Rego policy runs")
    }

    fn items(result: &Value) -> &[Value] {
        result.as_array().expect("regorus: the result is a list").as_slice()
    }
}

impl Peer for Regorus {
    fn name(&self) -> String {
        "regorus 0.14 RVM".into()
    }

    fn compile(&mut self) {
        self.vm = Some(compile(&self.text));
    }

    fn load(&mut self, json: &str) {
        self.input = Value::from_json_str(json).expect("regorus reads the JSON");
    }

    fn evaluate(&mut self) -> Vec<Verdict> {
        let vm = self.vm.as_mut().expect("compiled first");
        let result = Self::run(vm, &self.input);
        per_check(
            "regorus",
            &self.checks,
            Self::items(&result),
            |v| v.as_array().ok().map(|a| a.as_slice()),
            |v| v.as_bool().ok().copied(),
        )
    }

    fn sides(&mut self) -> Vec<Sides> {
        let mut vm = compile(&policy(&self.checks, Output::Sides));
        let result = Self::run(&mut vm, &self.input);
        let show = |v: &Value| v.to_json_str().unwrap_or_else(|_| format!("{v:?}"));
        per_check(
            "regorus",
            &self.checks,
            Self::items(&result),
            |v| v.as_array().ok().map(|a| a.as_slice()),
            |pair| {
                let pair = pair.as_array().expect("two sides");
                (show(&pair[0]), show(&pair[1]))
            },
        )
    }

    fn policy(&self) -> String {
        self.text.clone()
    }
}
