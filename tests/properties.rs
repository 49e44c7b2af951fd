//! Property tests of decimal arithmetic and of `within rounding` intervals
//! against an exact big-integer reference: a result is exact where it can be
//! held, overflow is an error outcome, and nothing panics.

use std::panic::{catch_unwind, AssertUnwindSafe};

use num_bigint::BigInt;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Data numbers of `within rounding` have at most MAX_DATA_SCALE decimals,
/// and cases whose comparison `|lhs - rhs|` overflows are skipped unless
/// COMPARISON_OVERFLOW_CHECKED. Both once narrowed the range while two panics
/// were fixed: a 28-decimal data number made a radius of scale 29
/// (src/eval/interval.rs), and `x - y` of the comparison was unchecked
/// (src/eval/expr.rs, `Within::Rounding`). Both now end in an `arithmetic`
/// error, never a panic, and the full range is generated.
const MAX_DATA_SCALE: u32 = 28;
const COMPARISON_OVERFLOW_CHECKED: bool = true;

/// The largest mantissa a decimal holds: 2^96 - 1.
fn max_mantissa() -> BigInt {
    (BigInt::from(1) << 96u32) - 1
}

/// An exact decimal: `mantissa` · 10^-`scale`.
#[derive(Clone, Debug)]
struct Exact {
    mantissa: BigInt,
    scale: u32,
}

impl Exact {
    fn new(mantissa: impl Into<BigInt>, scale: u32) -> Self {
        Exact {
            mantissa: mantissa.into(),
            scale,
        }
    }

    /// At `scale` decimals (never fewer than it has).
    fn scaled_to(&self, scale: u32) -> BigInt {
        &self.mantissa * BigInt::from(10).pow(scale - self.scale)
    }

    fn add(&self, other: &Exact) -> Exact {
        let s = self.scale.max(other.scale);
        Exact::new(self.scaled_to(s) + other.scaled_to(s), s)
    }

    fn neg(&self) -> Exact {
        Exact::new(-&self.mantissa, self.scale)
    }

    fn mul(&self, other: &Exact) -> Exact {
        Exact::new(&self.mantissa * &other.mantissa, self.scale + other.scale)
    }

    fn abs(&self) -> Exact {
        Exact::new(self.mantissa.magnitude().clone(), self.scale)
    }

    /// Without trailing zeros after the point.
    fn normal(&self) -> Exact {
        let (mut m, mut s) = (self.mantissa.clone(), self.scale);
        let ten = BigInt::from(10);
        while s > 0 && (&m % &ten) == BigInt::from(0) {
            m /= &ten;
            s -= 1;
        }
        Exact::new(m, s)
    }

    /// A 128-bit decimal holds it exactly.
    fn representable(&self) -> bool {
        let n = self.normal();
        n.scale <= 28 && n.mantissa.magnitude() <= max_mantissa().magnitude()
    }

    /// A rule may write it: at most 28 significant digits.
    fn writable(&self) -> bool {
        let n = self.normal();
        n.scale <= 28 && n.mantissa.magnitude() < BigInt::from(10).pow(28).magnitude()
    }

    fn cmp(&self, other: &Exact) -> std::cmp::Ordering {
        let s = self.scale.max(other.scale);
        self.scaled_to(s).cmp(&other.scaled_to(s))
    }

    /// As a rule literal or data number: all `scale` decimals written.
    fn text(&self) -> String {
        let digits = self.mantissa.magnitude().to_string();
        let digits = format!("{digits:0>width$}", width = self.scale as usize + 1);
        let (int, frac) = digits.split_at(digits.len() - self.scale as usize);
        let sign = if self.mantissa < BigInt::from(0) { "-" } else { "" };
        if frac.is_empty() {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac}")
        }
    }

    /// Reads a number as `show` prints it.
    fn parse(text: &str) -> Option<Exact> {
        let (sign, body) = text.strip_prefix('-').map_or((1, text), |rest| (-1, rest));
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let mantissa: BigInt = format!("{int}{frac}").parse().ok()?;
        Some(Exact::new(mantissa * sign, frac.len() as u32))
    }
}

/// A number as rules and data may write it: at most 28 significant digits
/// (the language's limit), at most `max_scale` of them decimals; small ones
/// as likely as large ones.
fn decimal(max_scale: u32) -> impl Strategy<Value = Exact> {
    let limit = 10i128.pow(28) - 1;
    let mantissa = prop_oneof![-1000i128..1000, -limit..=limit, (-limit..=limit).prop_map(|m| m >> 48)];
    (mantissa, 0..=max_scale).prop_map(|(m, s)| Exact::new(m, s))
}

fn document() -> tally::unstable::data::Document {
    tally::unstable::input::load_text("p.yaml", "x: 1\n".to_owned()).expect("loads")
}

/// `a op b` in a rule, against the exact result.
fn check_arithmetic(op: &str, a: &Exact, b: &Exact, exact: &Exact) -> Result<(), TestCaseError> {
    let expr = format!("({}) {op} ({})", a.text(), b.text());
    let outcome = catch_unwind(|| tally::unstable::eval_expr(&expr, &document()));
    let Ok(outcome) = outcome else {
        return Err(TestCaseError::fail(format!("panicked: {expr}")));
    };
    match outcome {
        Ok(shown) => {
            let got = Exact::parse(&shown).ok_or_else(|| TestCaseError::fail(format!("{expr} shows {shown}")))?;
            if exact.representable() {
                prop_assert_eq!(
                    got.cmp(exact),
                    std::cmp::Ordering::Equal,
                    "{} = {}, not {}",
                    expr,
                    exact.text(),
                    shown
                );
            } else {
                // Rounded to the digits a decimal holds: off by less than one
                // unit in its last place, never a wrong value.
                let diff = got.add(&exact.neg()).abs();
                prop_assert!(
                    diff.cmp(&Exact::new(1, got.scale)).is_lt(),
                    "{} = {}, shown as {}",
                    expr,
                    exact.text(),
                    shown
                );
            }
        }
        Err(error) => {
            prop_assert!(
                !exact.representable(),
                "{} = {} fits, but failed: {}",
                expr,
                exact.text(),
                error
            );
            prop_assert!(error.starts_with("arithmetic"), "{}: {}", expr, error);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn addition_is_exact_or_an_error(a in decimal(28), b in decimal(28)) {
        check_arithmetic("+", &a, &b, &a.add(&b))?;
    }

    #[test]
    fn subtraction_is_exact_or_an_error(a in decimal(28), b in decimal(28)) {
        check_arithmetic("-", &a, &b, &a.add(&b.neg()))?;
    }

    #[test]
    fn multiplication_is_exact_or_an_error(a in decimal(28), b in decimal(28)) {
        check_arithmetic("*", &a, &b, &a.mul(&b))?;
    }
}

/// ½·10⁻ⁿ for a data number written with n decimals (0 for an integer). With
/// 28 decimals ½·10⁻²⁸ cannot be held, and Tally allows 10⁻²⁸ instead
/// (docs/decisions.md, "Evaluation you can trust"); the reference does the same.
fn radius(x: &Exact) -> Exact {
    match x.scale {
        0 => Exact::new(0, 0),
        28 => Exact::new(1, 28),
        n => Exact::new(5, n + 1),
    }
}

/// What `assert x op y == z within rounding` ends in over data `x`, `y`:
/// `passed`, or a finding kind; `Err` when evaluation panicked.
fn within_rounding(x: &Exact, op: &str, y: &Exact, z: &Exact) -> Result<String, String> {
    let rules = format!("rule r {{\n  assert x {op} y == {} within rounding\n}}\n", z.text());
    let data = format!("x: {}\ny: {}\n", x.text(), y.text());
    catch_unwind(AssertUnwindSafe(|| {
        let store = tally::unstable::resolve::MemoryStore(vec![("p.tally".into(), rules.clone())]);
        let program = tally::unstable::resolve::load_program(&store, &["p.tally".into()]).expect("rule loads");
        let doc = tally::unstable::input::load_text("p.yaml", data.clone()).expect("data loads");
        let result = tally::unstable::eval::check(&program, &doc, &[0]);
        match result.findings.first() {
            None => "passed".to_owned(),
            Some(finding) => finding.kind.as_str().to_owned(),
        }
    }))
    .map_err(|_| format!("panicked:\n{rules}{data}"))
}

/// The reference: the exact value of `x op y`, and its interval's radius.
fn reference(x: &Exact, op: &str, y: &Exact) -> (Exact, Exact) {
    let (rx, ry) = (radius(x), radius(y));
    match op {
        "+" => (x.add(y), rx.add(&ry)),
        "-" => (x.add(&y.neg()), rx.add(&ry)),
        _ => (x.mul(y), x.abs().mul(&ry).add(&y.abs().mul(&rx)).add(&rx.mul(&ry))),
    }
}

/// A literal near `value` (within a few radii), or anywhere.
fn target(value: &Exact, radius: &Exact, steps: i64, far: Option<Exact>) -> Exact {
    if let Some(far) = far {
        return far;
    }
    // Steps of a quarter radius, rounded to 28 decimals at most.
    let step = Exact::new(radius.mantissa.clone(), radius.scale + 2).mul(&Exact::new(25 * steps, 0));
    let near = value.add(&step);
    if near.scale <= 28 {
        near
    } else {
        let cut = BigInt::from(10).pow(near.scale - 28);
        Exact::new(&near.mantissa / cut, 28)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn within_rounding_matches_the_reference(
        x in decimal(MAX_DATA_SCALE),
        y in decimal(MAX_DATA_SCALE),
        op in prop_oneof![Just("+"), Just("-"), Just("*")],
        steps in -12i64..12,
        far in proptest::option::weighted(0.2, decimal(28)),
    ) {
        let (value, allowed) = reference(&x, op, &y);
        let z = target(&value, &allowed, steps, far).normal();
        prop_assume!(z.writable());
        let distance = value.add(&z.neg()).abs();
        let comparison_overflows = distance.cmp(&Exact::new(max_mantissa(), 0)).is_gt();
        if comparison_overflows {
            prop_assume!(COMPARISON_OVERFLOW_CHECKED);
        }
        let got = within_rounding(&x, op, &y, &z).map_err(TestCaseError::fail)?;
        if !value.representable() {
            // The operation does not fit (or would round): only overflow is
            // an error; a rounded value may compare either way.
            let too_large = value.abs().cmp(&Exact::new(max_mantissa(), 0)).is_gt();
            if too_large {
                prop_assert_eq!(got, "arithmetic", "{} {} {}", x.text(), op, y.text());
            }
            return Ok(());
        }
        if comparison_overflows {
            prop_assert_eq!(got, "arithmetic", "{} - {} overflows", value.text(), z.text());
            return Ok(());
        }
        // The radius and the distance are held in 28 significant digits:
        // skip the hair's breadth where their rounding may decide.
        let margin = allowed.add(&distance).mul(&Exact::new(1, 25)).add(&Exact::new(1, 26));
        let clearly_inside = distance.add(&margin).cmp(&allowed).is_le();
        let clearly_outside = distance.cmp(&allowed.add(&margin)).is_gt();
        if clearly_inside {
            prop_assert_eq!(got, "passed", "|{} - {}| <= {}", value.text(), z.text(), allowed.text());
        } else if clearly_outside {
            prop_assert!(
                got == "violation" || got == "arithmetic",
                "|{} - {}| > {}: {}", value.text(), z.text(), allowed.text(), got
            );
        }
    }
}
