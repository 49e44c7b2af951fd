// Checks a budget disclosure from a Rust program: `cargo run --example embed`.

use tally::{Document, Report, Rules};

/// The bundled Chinese budget rules over one of the example disclosures.
/// Errors are `miette::Diagnostic`s: `?` keeps their source text and spans.
pub fn check_example() -> miette::Result<Report> {
    let rules = Rules::bundled("cn-budget")?;
    let doc = Document::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/huailai-2024.yaml"))?;
    Ok(rules.check(&doc))
}

fn main() -> miette::Result<()> {
    let report = check_example()?;
    for finding in &report.findings {
        let line = finding.primary.map_or(0, |i| finding.data[i].line);
        println!(
            "{}:{line} [{}] {}: {}",
            report.document,
            finding.severity.as_str(),
            finding.rule,
            finding.message
        );
    }
    println!("{}", serde_json::to_string(&report.counts).expect("counts serialize"));
    Ok(())
}
