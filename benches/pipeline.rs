//! Where the time goes: loading rules (once), loading YAML (per document),
//! evaluating the rules (per document). Evaluation should cost far less than
//! the YAML parse that feeds it.
//!
//! `cargo bench --bench pipeline`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// The example disclosure with its procurement table and project list
/// repeated, so a document is large enough to measure (~1 MB).
fn large_document() -> String {
    let example = include_str!("../examples/huailai-2024.yaml");
    let mut text = String::with_capacity(example.len() * 8);
    for line in example.lines() {
        text.push_str(line);
        text.push('\n');
        // Repeat every procurement line and every indicator row 40 times.
        if line.trim_start().starts_with("- {项目:") || line.trim_start().starts_with("- {一级:") {
            for _ in 0..39 {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    text
}

fn pipeline(c: &mut Criterion) {
    let example = include_str!("../examples/huailai-2024.yaml").to_owned();
    let large = large_document();
    let program = tally::load_rules(&[]).expect("the bundled library loads");
    let all: Vec<usize> = (0..program.rules.len()).collect();

    let mut group = c.benchmark_group("rules");
    group.bench_function("load bundled library", |b| {
        b.iter(|| tally::load_rules(&[]).expect("loads"))
    });
    group.finish();

    for (name, text) in [("example", &example), ("large", &large)] {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("load yaml", |b| {
            b.iter(|| tally::input::load_text("bench.yaml", text.clone()).expect("loads"))
        });
        let doc = tally::input::load_text("bench.yaml", text.clone()).expect("loads");
        group.bench_function("evaluate bundled library", |b| {
            b.iter(|| tally::eval::check(&program, &doc, &all))
        });
        group.finish();
    }
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
