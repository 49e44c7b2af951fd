//! Compiles the bundled rule library (`rules/**.tally`, and the JSON schemas
//! the rules declare, `rules/**.json`) into the binary, so
//! `tally check` works from any folder without `--rules`.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();
    let mut out = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        let name = file.to_string_lossy().replace('\\', "/");
        let absolute = fs::canonicalize(file).expect("bundled rule file");
        println!("cargo:rerun-if-changed={}", file.display());
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            absolute.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("bundled_rules.rs");
    fs::write(dest, out).expect("write bundled_rules.rs");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "tally" || e == "json") {
            files.push(path);
        }
    }
}
