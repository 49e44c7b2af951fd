//! Language conformance fixtures: each folder under `tests/fixtures/lang/`
//! holds rule files and data cases whose expectations are written in their own
//! comments (`# expect: ID`, `# expect-none`); `tally test` must pass them all.

use std::process::Command;

#[test]
fn every_language_fixture_passes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lang");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("fixture folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 4, "fixtures found: {dirs:?}");
    let mut failures = Vec::new();
    for dir in &dirs {
        let dir = dir.to_string_lossy();
        let output = Command::new(env!("CARGO_BIN_EXE_tally"))
            .args(["test", "--rules", &dir, &dir])
            .env("NO_COLOR", "1")
            .output()
            .expect("tally runs");
        if !output.status.success() {
            failures.push(format!(
                "{dir}:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
