//! Profiling aid: evaluates the bundled library over the example many times.
//! `cargo run --release --example profile_eval [per-rule] [tables N]`: with
//! `tables N`, over the example with its tables repeated N times.
//! `cargo run --release --example profile_eval write N FILE` writes that
//! document to FILE instead (to time the whole `tally check` command on it);
//! `write-named N FILE` the unit whose tables join by name, repeated N times.
//! `rules PATH` evaluates those rules instead of the bundled library;
//! `rounds N` sets the number of evaluations; `rule ID` evaluates that rule
//! alone (for a profiler: `valgrind --tool=callgrind ... rounds 20 rule ID`).

/// The allocator the `tally` binary uses, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod tables {
    include!("../benches/tables.rs");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, write, n, file] = args.as_slice() {
        let n = || n.parse::<usize>().expect("a number of copies");
        let text = match write.as_str() {
            "write" => Some(tables::tables_times(n())),
            "write-named" => Some(tables::named_tables_times(n())),
            _ => None,
        };
        if let Some(text) = text {
            std::fs::write(file, text).expect("writes the document");
            return;
        }
    }
    let times = flag(&args, "tables").map(|n| n as usize);
    let text = match times {
        Some(n) => tables::tables_times(n),
        None => std::fs::read_to_string("examples/huailai-2024.yaml").expect("example"),
    };
    let rounds: u128 = flag(&args, "rounds").unwrap_or(if times.is_some_and(|n| n >= 10) { 20 } else { 2000 });
    let program = match args.iter().position(|a| a == "rules") {
        Some(i) => tally::unstable::load_rules(&args[i + 1..i + 2]).expect("the rule files load"),
        None => tally::unstable::load_bundled().expect("bundled library"),
    };
    let doc = tally::unstable::input::load_text("x.yaml", text.clone()).expect("loads");
    let all: Vec<usize> = match args.iter().position(|a| a == "rule") {
        Some(i) => program.select(&args[i + 1..i + 2], &[]).expect("a rule ID"),
        None => (0..program.rules.len()).collect(),
    };
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(tally::unstable::eval::check(&program, &doc, &all));
    }
    println!("all rules: {} µs per document", start.elapsed().as_micros() / rounds);
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(tally::unstable::input::load_text("x.yaml", text.clone()).expect("loads"));
    }
    println!(
        "reading and loading the YAML: {} µs per document",
        start.elapsed().as_micros() / rounds
    );
    // A chosen rule or rule file is profiled alone: the tags are the library's.
    let tags = if args.iter().any(|a| a == "rules" || a == "rule") {
        &[][..]
    } else {
        &["totals", "sangong", "procurement", "performance", "completeness"][..]
    };
    for tag in tags {
        let selected = program.select(&[], &[(*tag).to_owned()]).expect("tag");
        let start = std::time::Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(tally::unstable::eval::check(&program, &doc, &selected));
        }
        println!(
            "  tag {tag:<12} {:>3} rules: {} µs",
            selected.len(),
            start.elapsed().as_micros() / rounds
        );
    }
    if std::env::args().any(|a| a == "per-rule") {
        let mut times: Vec<(u128, &str)> = (0..program.rules.len())
            .map(|r| {
                let start = std::time::Instant::now();
                for _ in 0..rounds / 10 {
                    std::hint::black_box(tally::unstable::eval::check(&program, &doc, &[r]));
                }
                (start.elapsed().as_nanos() / (rounds / 10), &*program.rules[r].id)
            })
            .collect();
        times.sort_by(|a, b| b.cmp(a));
        for (t, id) in times.iter().take(12) {
            println!("{t:>8} ns  {id}");
        }
    }
}

/// The number after `name` on the command line.
fn flag(args: &[String], name: &str) -> Option<u128> {
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1)?.parse().ok()
}
