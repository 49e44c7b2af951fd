//! The repository's own documentation: the language reference names every
//! built-in, and no link leaves the repository or points at nothing.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_builtin_is_in_the_language_reference() {
    let reference = std::fs::read_to_string(root().join("docs/language.md")).expect("docs/language.md");
    let missing: Vec<String> = tally::unstable::builtins::BUILTINS
        .iter()
        .map(|b| b.signature())
        .filter(|signature| !reference.contains(&format!("| `{signature}` |")))
        .collect();
    assert!(missing.is_empty(), "docs/language.md has no table row for {missing:?}");
}

/// The README and every page under `docs/`.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    for entry in std::fs::read_dir(root().join("docs")).expect("docs/").flatten() {
        if entry.path().extension().is_some_and(|e| e == "md") {
            pages.push(entry.path());
        }
    }
    pages.sort();
    pages
}

/// The targets of `[text](target)` links, outside code.
fn links(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            found.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    found
}

#[test]
fn links_stay_inside_the_repository_and_resolve() {
    let repo = root().canonicalize().expect("repository root");
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("readable");
        assert!(
            !text.contains("../shared"),
            "{} refers outside the repository",
            page.display()
        );
        for link in links(&text) {
            let target = link.split('#').next().unwrap_or_default();
            if link.starts_with('#') || link.starts_with("http://") || link.starts_with("https://") {
                continue;
            }
            let path = page.parent().unwrap_or(Path::new(".")).join(target);
            let resolved = path
                .canonicalize()
                .unwrap_or_else(|_| panic!("{}: link `{link}` points at nothing", page.display()));
            assert!(
                resolved.starts_with(&repo),
                "{}: link `{link}` leaves the repository",
                page.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} links checked");
}

#[test]
fn the_readme_links_the_language_reference() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    assert!(readme.contains("](docs/language.md)"));
}
