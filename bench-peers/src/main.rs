//! The fifteen exact checks of `benches/fifteen.tally` on Tally and on three
//! peers (regorus, cel, datalogic-rs) over `examples/huailai-2024.yaml`:
//! rule compile, data load, evaluation, and whether each verdict is right
//! (judged against exact decimal arithmetic, never hard-coded).
//!
//! `cargo run --release --manifest-path bench-peers/Cargo.toml`
//! (`-- --policies` prints the peer policies it runs).
//!
//! Every engine is timed in the same process, round after round, in an order
//! that rotates each round; figures are medians over the rounds.

mod cel;
mod checks;
mod exact;
mod jsonlogic;
mod rego;
mod tally_engine;

/// The `tally` binary's allocator, for every engine alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::time::{Duration, Instant};

use checks::{Sides, Verdict};
use tally_engine::Tally;

/// A peer engine: it keeps what it compiled and loaded last.
pub trait Peer {
    fn name(&self) -> String;
    fn compile(&mut self);
    /// Reads the document from JSON text into the engine's own values.
    fn load(&mut self, json: &str);
    /// Runs the compiled policy over the loaded document: one verdict per check.
    fn evaluate(&mut self) -> Vec<Verdict>;
    /// Per check, the two sides the engine compared (not timed).
    fn sides(&mut self) -> Vec<Sides>;
    fn policy(&self) -> String;
}

const ROUNDS: usize = 301;
/// Evaluations per sample: one evaluation is a few microseconds.
const EVALS: u32 = 20;
const YAML: &str = include_str!("../../examples/huailai-2024.yaml");
const YAML_NAME: &str = "huailai-2024.yaml";
const JSON_NAME: &str = "huailai-2024.json";

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn show(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1000.0 {
        format!("{:.2} ms", us / 1000.0)
    } else if us >= 100.0 {
        format!("{us:.0} µs")
    } else if us >= 10.0 {
        format!("{us:.1} µs")
    } else {
        format!("{us:.2} µs")
    }
}

/// The samples of one engine.
#[derive(Default)]
struct Samples {
    compile: Vec<Duration>,
    /// One list per data format.
    load: Vec<(&'static str, Vec<Duration>)>,
    eval: Vec<Duration>,
    verdicts: Vec<Verdict>,
}

impl Samples {
    fn load(&mut self, format: &'static str, took: Duration) {
        match self.load.iter_mut().find(|(f, _)| *f == format) {
            Some((_, list)) => list.push(took),
            None => self.load.push((format, vec![took])),
        }
    }

    /// Times `EVALS` evaluations; every one must give the same verdicts.
    fn eval(&mut self, mut evaluate: impl FnMut() -> Vec<Verdict>) {
        let mut last = Vec::new();
        let took = time(|| {
            for _ in 0..EVALS {
                last = black_box(evaluate());
            }
        });
        self.eval.push(took / EVALS);
        if self.verdicts.is_empty() {
            self.verdicts = last;
        } else {
            assert_eq!(self.verdicts, last, "an engine changed its verdicts between runs");
        }
    }
}

fn main() {
    let show_policies = std::env::args().any(|a| a == "--policies");
    let fifteen = checks::fifteen;

    // The one YAML → JSON conversion, through Tally's loader.
    let mut tally = Tally::new();
    tally.compile();
    tally.load(YAML_NAME, YAML);
    let json = tally_engine::as_json(tally.doc());
    let rows = tally.rows();
    let names = tally.check_names(rows);
    let answer = exact::evaluate(&fifteen(), &serde_json::from_str(&json).expect("valid JSON"));
    assert_eq!(answer.len(), names.len(), "the answer key has one entry per check");

    let mut peers: Vec<Box<dyn Peer>> = vec![
        Box::new(jsonlogic::Datalogic::new(fifteen())),
        Box::new(rego::Regorus::new(fifteen())),
        Box::new(cel::Cel::new(fifteen())),
    ];
    if show_policies {
        for peer in &peers {
            println!("## {}\n\n{}\n", peer.name(), peer.policy());
        }
    }

    let mut tally_samples = Samples::default();
    let mut through_yaml = Vec::new();
    let mut peer_samples: Vec<Samples> = peers.iter().map(|_| Samples::default()).collect();
    for round in 0..ROUNDS {
        // Engine 0 is Tally; the order rotates so that none always runs first.
        for turn in 0..=peers.len() {
            let engine = (round + turn) % (peers.len() + 1);
            if engine == 0 {
                let s = &mut tally_samples;
                s.compile.push(time(|| tally.compile()));
                s.load("JSON", time(|| tally.load(JSON_NAME, &json)));
                through_yaml.push(time(|| {
                    black_box(tally_engine::load_json_through_yaml(&json));
                }));
                s.load("YAML", time(|| tally.load(YAML_NAME, YAML)));
                s.eval(|| tally.verdicts(&tally.check(), rows));
            } else {
                let (peer, s) = (&mut peers[engine - 1], &mut peer_samples[engine - 1]);
                s.compile.push(time(|| peer.compile()));
                s.load("JSON", time(|| peer.load(&json)));
                s.eval(|| peer.evaluate());
            }
        }
    }

    println!(
        "{} checks over examples/huailai-2024.yaml ({} KB YAML, {} KB as JSON); release build; \
         medians of {ROUNDS} rounds in one process, engines interleaved (order rotating each \
         round), one evaluation sample = mean of {EVALS} runs. On a shared, noisy 2-core machine.\n",
        names.len(),
        YAML.len() / 1024,
        json.len() / 1024,
    );
    println!("| engine | rule compile | data load | eval / document | eval / assertion | verdicts right |");
    println!("|---|---|---|---|---|---|");
    let mut per_assertion = Vec::new();
    let all = std::iter::once(("Tally".to_owned(), &mut tally_samples))
        .chain(peers.iter().map(|p| p.name()).zip(peer_samples.iter_mut()));
    for (name, s) in all {
        let loads: Vec<String> = s
            .load
            .iter_mut()
            .rev()
            .map(|(format, list)| format!("{} {format}", show(median(list))))
            .collect();
        let eval = median(&mut s.eval);
        let right = s
            .verdicts
            .iter()
            .zip(&answer)
            .filter(|(v, exact)| **v == Some(exact.holds))
            .count();
        println!(
            "| {name} | {} | {} | {} | {} | {right}/{} |",
            show(median(&mut s.compile)),
            loads.join(", "),
            show(eval),
            show(eval / names.len() as u32),
            names.len(),
        );
        per_assertion.push((name, eval / names.len() as u32));
    }

    let reader = median(
        &mut tally_samples
            .load
            .iter_mut()
            .find(|(f, _)| *f == "JSON")
            .expect("JSON")
            .1,
    );
    let via_yaml = median(&mut through_yaml);
    println!(
        "\nTally's JSON load: {} with its JSON reader, {} for the same JSON through the YAML \
         parser (the path JSON took before the reader): {:.1}× faster.",
        show(reader),
        show(via_yaml),
        via_yaml.as_secs_f64() / reader.as_secs_f64(),
    );
    let tally_each = per_assertion[0].1.as_secs_f64();
    let ratios: Vec<String> = per_assertion[1..]
        .iter()
        .map(|(name, each)| format!("{:.2}× {name}'s", tally_each / each.as_secs_f64()))
        .collect();
    println!("Tally's time per assertion: {}.", ratios.join(", "));

    println!("\nWrong verdicts (each of these checks holds in exact arithmetic):");
    let tally_wrong = (0..names.len())
        .filter(|&i| tally_samples.verdicts[i] != Some(answer[i].holds))
        .count();
    println!("- Tally: {tally_wrong} of {}", names.len());
    for (peer, s) in peers.iter_mut().zip(&peer_samples) {
        let sides = peer.sides();
        let wrong: Vec<usize> = (0..names.len())
            .filter(|&i| s.verdicts[i] != Some(answer[i].holds))
            .collect();
        println!("- {}: {} of {}", peer.name(), wrong.len(), names.len());
        for i in wrong {
            let exact = &answer[i];
            let verdict = match (s.verdicts[i], exact.holds) {
                (Some(false), true) => "a false violation",
                (Some(true), false) => "a missed violation",
                (Some(_), _) => "wrong",
                (None, _) => "no verdict",
            };
            let (lhs, rhs) = &sides[i];
            let relation = if lhs == rhs { "=" } else { "≠" };
            println!(
                "    {}: {} computed as {lhs} {relation} {rhs}: {verdict} (exact: {} {} {})",
                names[i],
                exact.operands,
                exact.lhs,
                if exact.holds { "=" } else { "≠" },
                exact.rhs,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example with its first `from` replaced by `to`.
    fn example_with(from: &str, to: &str) -> String {
        assert!(YAML.contains(from), "the example has {from}");
        YAML.replacen(from, to, 1)
    }

    fn tally_over(yaml: &str) -> (Tally, Vec<Verdict>, String) {
        let mut tally = Tally::new();
        tally.compile();
        tally.load(YAML_NAME, yaml);
        let verdicts = tally.verdicts(&tally.check(), tally.rows());
        let json = tally_engine::as_json(tally.doc());
        (tally, verdicts, json)
    }

    fn exact_over(json: &str) -> Vec<bool> {
        let doc = serde_json::from_str(json).expect("valid JSON");
        exact::evaluate(&checks::fifteen(), &doc)
            .iter()
            .map(|e| e.holds)
            .collect()
    }

    fn failing(verdicts: &[Verdict]) -> Vec<usize> {
        (0..verdicts.len()).filter(|&i| verdicts[i] != Some(true)).collect()
    }

    fn peers() -> Vec<Box<dyn Peer>> {
        vec![
            Box::new(jsonlogic::Datalogic::new(checks::fifteen())),
            Box::new(rego::Regorus::new(checks::fifteen())),
            Box::new(cel::Cel::new(checks::fifteen())),
        ]
    }

    fn peer_over(peer: &mut dyn Peer, json: &str) -> Vec<Verdict> {
        peer.compile();
        peer.load(json);
        peer.evaluate()
    }

    #[test]
    fn all_fifteen_hold_exactly_on_the_example_and_tally_agrees() {
        let (tally, verdicts, json) = tally_over(YAML);
        assert_eq!(tally.check_names(tally.rows()).len(), 15);
        assert_eq!(exact_over(&json), vec![true; 15]);
        assert_eq!(verdicts, vec![Some(true); 15]);
    }

    #[test]
    fn a_wrong_amount_fails_its_row_and_the_total_in_tally_and_the_answer_key() {
        // Row 3 (轻金属床类): 3 × 0.10 is 0.30, not 0.31; the total is then 24.51.
        let (_, verdicts, json) = tally_over(&example_with("采购金额: 0.30", "采购金额: 0.31"));
        assert_eq!(failing(&verdicts), vec![4 + 3, 14]);
        let key: Vec<Verdict> = exact_over(&json).into_iter().map(Some).collect();
        assert_eq!(key, verdicts);
    }

    #[test]
    fn every_peer_finds_a_real_violation() {
        let (_, _, json) = tally_over(&example_with("采购金额: 12.00", "采购金额: 13.00"));
        for mut peer in peers() {
            let verdicts = peer_over(&mut *peer, &json);
            assert_eq!(verdicts.len(), 15, "{}", peer.name());
            assert!(
                failing(&verdicts).contains(&(4 + 8)),
                "{}: row 8 (文件柜) fails",
                peer.name()
            );
            assert!(failing(&verdicts).contains(&14), "{}: the total fails", peer.name());
        }
    }

    #[test]
    fn every_peer_reports_the_same_four_false_violations_on_the_clean_example() {
        let (_, _, json) = tally_over(YAML);
        for mut peer in peers() {
            // Rows 0, 3, 4 and 7: 6 × 0.60, 3 × 0.10, 3 × 0.20 and 6 × 0.15 in binary floating point.
            assert_eq!(
                failing(&peer_over(&mut *peer, &json)),
                vec![4, 7, 8, 11],
                "{}",
                peer.name()
            );
            let sides = peer.sides();
            assert_eq!(
                sides[4],
                ("3.5999999999999996".to_owned(), "3.6".to_owned()),
                "{}",
                peer.name()
            );
        }
    }
}
