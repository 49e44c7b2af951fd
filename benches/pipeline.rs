//! Where the time goes: loading rules (once), loading YAML (per document),
//! evaluating the rules (per document). Evaluation should cost far less than
//! the YAML parse that feeds it.
//!
//! `cargo bench --bench pipeline`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// `tables_times(n)`: the example with its tables repeated (shared with tests/differential.rs).
mod tables {
    include!("tables.rs");
}
use tables::tables_times;

fn pipeline(c: &mut Criterion) {
    let example = include_str!("../examples/huailai-2024.yaml").to_owned();
    let times10 = tables_times(10);
    let times100 = tables_times(100);
    let program = tally::load_rules(&[]).expect("the bundled library loads");
    let all: Vec<usize> = (0..program.rules.len()).collect();

    let mut group = c.benchmark_group("rules");
    group.bench_function("load bundled library", |b| {
        b.iter(|| tally::load_rules(&[]).expect("loads"))
    });
    group.finish();

    for (name, text) in [
        ("example", &example),
        ("tables x10", &times10),
        ("tables x100", &times100),
    ] {
        let mut group = c.benchmark_group(name);
        if text.len() > 500_000 {
            group.sample_size(10);
        }
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("load yaml", |b| {
            b.iter(|| tally::input::load_text("bench.yaml", text.clone()).expect("loads"))
        });
        let doc = tally::input::load_text("bench.yaml", text.clone()).expect("loads");
        group.bench_function("evaluate bundled library", |b| {
            b.iter(|| tally::eval::check(&program, &doc, &all))
        });
        // The reference: every filter scans (what evaluation cost before indexes).
        let none = tally::eval::Bindings::default();
        group.bench_function("evaluate bundled library, no index", |b| {
            b.iter(|| tally::eval::check_configured(&program, &doc, &all, &none, false))
        });
        group.finish();
    }
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
