//! Where the time goes: loading rules (once), loading YAML (per document),
//! evaluating the rules (per document). Evaluation should cost far less than
//! the YAML parse that feeds it.
//!
//! `cargo bench --bench pipeline` (JSON loading alone: `cargo bench --bench pipeline -- json`;
//! the peer benchmark's fifteen checks alone: `cargo bench --bench pipeline -- fifteen`)

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// The allocator the `tally` binary uses, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `tables_times(n)`: the example with its tables repeated (shared with tests/differential.rs).
mod tables {
    include!("tables.rs");
}
use tables::{named_tables_times, tables_times};

/// `text` (YAML) written as compact JSON, numbers as their literal text.
fn as_json(text: &str) -> String {
    let doc = tally::unstable::input::load_text("bench.yaml", text.to_owned()).expect("loads");
    doc.to_compact_json()
}

fn pipeline(c: &mut Criterion) {
    let example = include_str!("../examples/huailai-2024.yaml").to_owned();
    let times10 = tables_times(10);
    let times100 = tables_times(100);
    let named10 = named_tables_times(10);
    let named100 = named_tables_times(100);
    let program = tally::unstable::load_bundled().expect("the bundled library loads");
    let all: Vec<usize> = (0..program.rules.len()).collect();

    let mut group = c.benchmark_group("rules");
    group.bench_function("load bundled library", |b| {
        b.iter(|| tally::unstable::load_bundled().expect("loads"))
    });
    group.finish();

    fifteen(c, &example);

    // The reference evaluation scans every filter: over the name-joined
    // tables ×100 that is every row against every project, too slow to repeat.
    for (name, text, reference) in [
        ("example", &example, true),
        ("tables x10", &times10, true),
        ("tables x100", &times100, true),
        ("named tables x10", &named10, true),
        ("named tables x100", &named100, false),
    ] {
        let mut group = c.benchmark_group(name);
        if text.len() > 500_000 {
            group.sample_size(10);
        }
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("load yaml", |b| {
            b.iter(|| tally::unstable::input::load_text("bench.yaml", text.clone()).expect("loads"))
        });
        // JSON: the JSON reader against the YAML parser it replaces.
        let json = as_json(text);
        group.bench_function("load json", |b| {
            b.iter(|| tally::unstable::input::load_text("bench.json", json.clone()).expect("loads"))
        });
        group.bench_function("load json through the yaml parser", |b| {
            b.iter(|| {
                let source = tally::unstable::source::SourceFile::new("bench.json", json.clone());
                tally::unstable::data::load_yaml(source, tally::unstable::data::Limits::default()).expect("loads")
            })
        });
        let doc = tally::unstable::input::load_text("bench.yaml", text.clone()).expect("loads");
        group.bench_function("evaluate bundled library", |b| {
            b.iter(|| tally::unstable::eval::check(&program, &doc, &all))
        });
        if !reference {
            group.finish();
            continue;
        }
        // The reference: every filter scans, every assertion is walked in full.
        let none = tally::unstable::eval::Bindings::default();
        group.bench_function("evaluate bundled library, no shortcuts", |b| {
            b.iter(|| {
                tally::unstable::eval::check_configured(
                    &program,
                    &doc,
                    &all,
                    &none,
                    tally::unstable::eval::Shortcuts::NONE,
                )
            })
        });
        group.finish();
    }
}

/// The fifteen exact checks the peer benchmark runs (benches/fifteen.tally)
/// over the example: time per document; divide by 15 for time per assertion.
fn fifteen(c: &mut Criterion, example: &str) {
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/fifteen.tally");
    let program = tally::unstable::load_rules(&[rules.into()]).expect("the fifteen checks load");
    let all: Vec<usize> = (0..program.rules.len()).collect();
    let doc = tally::unstable::input::load_text("bench.yaml", example.to_owned()).expect("loads");
    let result = tally::unstable::eval::check(&program, &doc, &all);
    assert_eq!((result.counts.assertions, result.counts.passed), (15, 15));
    let mut group = c.benchmark_group("fifteen checks");
    group.throughput(Throughput::Elements(15));
    group.bench_function("evaluate 15 assertions", |b| {
        b.iter(|| tally::unstable::eval::check(&program, &doc, &all))
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
