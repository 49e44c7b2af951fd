#[test]
fn repro() {
    let dir = std::env::var("REPRO_DIR").unwrap();
    let target = std::env::var("REPRO_TARGET").unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        eprintln!("== {}", path.display());
        let bytes = std::fs::read(&path).unwrap();
        let r = std::panic::catch_unwind(|| match target.as_str() {
            "rules_round_trip" => tally::fuzzing::rules_round_trip(&bytes),
            "data_load" => tally::fuzzing::data_load(&bytes),
            _ => tally::fuzzing::generated_eval(&bytes),
        });
        eprintln!("-> {}", if r.is_ok() { "ok" } else { "PANIC" });
    }
}
