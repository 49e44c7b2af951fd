//! datalogic-rs: the checks as one JSONLogic rule (an array literal, one
//! item per rule), the document parsed once into datalogic's own tree.

use datalogic_rs::bumpalo::Bump;
use datalogic_rs::{Engine, Logic, ParsedData};
use serde_json::{json, Value as Json};

use crate::checks::{per_check, Check, Expr, Output, Sides, Verdict};
use crate::Peer;

/// The rule: an array with one item per rule.
pub fn policy(checks: &[Check], output: Output) -> String {
    let items: Vec<Json> = checks
        .iter()
        .map(|check| match (check, output) {
            (Check::Once { lhs, rhs }, Output::Verdicts) => json!({"==": [expr(lhs), expr(rhs)]}),
            (Check::Once { lhs, rhs }, Output::Sides) => json!([expr(lhs), expr(rhs)]),
            (Check::Each { list, lhs, rhs }, Output::Verdicts) => {
                json!({"map": [{"var": list}, {"==": [expr(lhs), expr(rhs)]}]})
            }
            (Check::Each { list, lhs, rhs }, Output::Sides) => {
                json!({"map": [{"var": list}, [expr(lhs), expr(rhs)]]})
            }
        })
        .collect();
    serde_json::to_string_pretty(&items).expect("JSON")
}

fn expr(e: &Expr) -> Json {
    match e {
        Expr::Path(p) => json!({"var": p}),
        // Inside `map`, `var` reads the current element.
        Expr::Field(f) => json!({"var": f}),
        Expr::Add(terms) => json!({"+": terms.iter().map(expr).collect::<Vec<_>>()}),
        Expr::Mul(a, b) => json!({"*": [expr(a), expr(b)]}),
        Expr::Sum { list, field } => json!({"reduce": [
            {"var": list},
            {"+": [{"var": "accumulator"}, {"var": format!("current.{field}")}]},
            0
        ]}),
    }
}

pub struct Datalogic {
    checks: Vec<Check>,
    text: String,
    engine: Engine,
    logic: Option<Logic>,
    data: Option<ParsedData>,
    arena: Bump,
}

impl Datalogic {
    pub fn new(checks: Vec<Check>) -> Self {
        let text = policy(&checks, Output::Verdicts);
        Datalogic {
            checks,
            text,
            engine: Engine::new(),
            logic: None,
            data: None,
            arena: Bump::new(),
        }
    }
}

impl Peer for Datalogic {
    fn name(&self) -> String {
        "datalogic-rs 5.4".into()
    }

    fn compile(&mut self) {
        self.logic = Some(
            self.engine
                .compile(self.text.as_str())
                .expect("the JSONLogic rule compiles"),
        );
    }

    fn load(&mut self, json: &str) {
        self.data = Some(ParsedData::from_json(json).expect("datalogic reads the JSON"));
    }

    fn evaluate(&mut self) -> Vec<Verdict> {
        self.arena.reset();
        let logic = self.logic.as_ref().expect("compiled first");
        let data = self.data.as_ref().expect("loaded first");
        let result = self.engine.evaluate(logic, data, &self.arena).expect("the rule runs");
        let items = result.as_array().expect("datalogic: the result is a list");
        per_check("datalogic-rs", &self.checks, items, |v| v.as_array(), |v| v.as_bool())
    }

    fn sides(&mut self) -> Vec<Sides> {
        let logic = self
            .engine
            .compile(policy(&self.checks, Output::Sides).as_str())
            .expect("compiles");
        let data = self.data.as_ref().expect("loaded first");
        let arena = Bump::new();
        let result = self.engine.evaluate(&logic, data, &arena).expect("the rule runs");
        let items = result.as_array().expect("datalogic: the result is a list");
        per_check(
            "datalogic-rs",
            &self.checks,
            items,
            |v| v.as_array(),
            |pair| {
                let pair = pair.as_array().expect("two sides");
                (pair[0].to_string(), pair[1].to_string())
            },
        )
    }

    fn policy(&self) -> String {
        self.text.clone()
    }
}
