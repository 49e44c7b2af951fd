//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the
//! same functions the fuzz targets run, so an input that once found a bug,
//! or reached new code, fails CI on stable if it panics again.

use std::path::{Path, PathBuf};

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `harness` over every input of `target`'s corpus; names each input
/// that panics, and fails if any did.
fn replay(target: &str, minimum: usize, harness: fn(&[u8])) {
    let files = corpus(target);
    assert!(files.len() >= minimum, "{target}: only {} inputs", files.len());
    let mut failed = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).expect("readable");
        if std::panic::catch_unwind(|| harness(&bytes)).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(failed.is_empty(), "{target}: inputs that panic:\n{}", failed.join("\n"));
}

#[test]
fn rules_round_trip_corpus() {
    replay("rules_round_trip", 50, tally::unstable::fuzzing::rules_round_trip);
}

#[test]
fn data_load_corpus() {
    replay("data_load", 50, tally::unstable::fuzzing::data_load);
}

#[test]
fn generated_eval_corpus() {
    replay("generated_eval", 50, tally::unstable::fuzzing::generated_eval);
}

/// The generator makes rule files that load: otherwise the evaluation
/// target would only exercise the parser. (Some do not, on purpose or not:
/// a literal of more than 28 digits, a `let` or `fn` that names itself.)
#[test]
fn generated_rules_mostly_load() {
    let files = corpus("generated_eval");
    let loaded = files
        .iter()
        .filter(|file| {
            let (rules, _) = tally::unstable::fuzzing::generate(&std::fs::read(file).expect("readable"));
            let store = tally::unstable::resolve::MemoryStore(vec![("g.tally".into(), rules)]);
            tally::unstable::resolve::load_program(&store, &["g.tally".into()]).is_ok()
        })
        .count();
    assert!(
        loaded * 10 >= files.len() * 8,
        "{loaded} of {} generated rule files load",
        files.len()
    );
}
