//! Helpers shared by the integration tests: run the `tally` binary as a user
//! runs it, show the run as a snapshot records it, and write scratch files
//! under the target directory. Each test file includes this module with
//! `mod support;`; a folder with `mod.rs` is not a test target of its own.

// Every test target compiles this module and uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The crate root, where every run starts.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Scratch space for integration tests. A fixed path, not the target
/// directory's: the terminal report fits its lines to the width, so a
/// snapshot would otherwise depend on how long the checkout's path is.
pub const TMP: &str = "/tmp/tally-tests";

pub fn tmp() -> PathBuf {
    PathBuf::from(TMP)
}

/// `tally ARGS` in the crate root, without colour and with an empty stdin.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tally"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    command
}

/// Runs `tally ARGS` and returns its exit status and output.
pub fn run(args: &[&str]) -> Output {
    command(args).output().expect("tally runs")
}

/// Runs `tally ARGS` and returns `exit: N`, stdout and stderr.
pub fn tally(args: &[&str]) -> String {
    shown(&run(args))
}

/// Runs `tally ARGS` with `stdin` piped in (none: an empty stdin).
pub fn tally_with_input(args: &[&str], stdin: Option<&str>) -> String {
    let Some(input) = stdin else {
        return tally(args);
    };
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tally runs");
    {
        use std::io::Write;
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(input.as_bytes()).expect("write stdin");
    }
    shown(&child.wait_with_output().expect("tally finishes"))
}

/// `exit: N`, then stdout and stderr, with the scratch folder shown as `[TMP]`.
pub fn shown(output: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        exit_code(output),
        without_tmp(&output.stdout),
        without_tmp(&output.stderr),
    )
}

/// The exit code of a run, or `signal` when it was killed.
pub fn exit_code(output: &Output) -> String {
    output.status.code().map_or("signal".into(), |c| c.to_string())
}

/// Output text with the scratch folder's path replaced by `[TMP]`.
pub fn without_tmp(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace(TMP, "[TMP]")
}

/// The `exit: N` line of a shown run.
pub fn exit_status(run: &str) -> &str {
    run.lines().next().unwrap_or_default()
}

/// Writes a scratch file `name` in the scratch folder `folder` ("" for the
/// scratch space itself) and returns its path.
pub fn scratch_in(folder: &str, name: &str, contents: &str) -> String {
    let dir = tmp().join(folder);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write scratch file");
    path.to_string_lossy().into_owned()
}

/// An empty scratch folder at `dir`: whatever an earlier run left is removed.
pub fn fresh_dir(dir: PathBuf) -> PathBuf {
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// The files directly in `dir` with one of `extensions`, sorted.
pub fn files_in(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .collect();
    files.sort();
    files
}

/// Writes a scratch file `name` straight in the scratch space.
pub fn scratch(name: &str, contents: &str) -> String {
    scratch_in("", name, contents)
}
