//! Hostile names and text (spec §15): a file name or file content holding
//! ESC, BEL, a zero-width space or a right-to-left override never reaches
//! the terminal raw, whatever the command and whichever message quotes it.

use std::path::{Path, PathBuf};
use std::process::Output;

mod support;
use support::{fresh_dir, run, tmp};

/// The characters that must never be printed raw.
const HIDDEN: [char; 4] = ['\u{1b}', '\u{7}', '\u{200B}', '\u{202E}'];

/// A folder whose name holds every one of [`HIDDEN`].
fn hostile_dir() -> PathBuf {
    fresh_dir(tmp().join("hostile").join("bad\u{1b}[31m\u{7}\u{200B}\u{202E}X"))
}

fn write(path: &Path, text: &str) -> String {
    std::fs::write(path, text).expect("write scratch file");
    path.to_str().expect("UTF-8 path").to_owned()
}

/// Every raw hidden character in what the run printed.
fn raw_hidden(output: &Output) -> Vec<char> {
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    text.chars().filter(|c| HIDDEN.contains(c)).collect()
}

fn both(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn hostile_file_names_and_text_are_escaped_by_every_command() {
    let dir = hostile_dir();
    let good = write(
        &dir.join("r\u{200B}.tally"),
        "rule R {\n  title \"t\u{200B}\u{1b}[1m\u{7}\u{202E}\"\n  cite \"c\u{202E}\"\n  tags [a]\n  \
         assert a.b == 1\n}\n",
    );
    // Not formatted as `tally fmt` would, so `fmt --check` names it.
    let ugly = write(&dir.join("ugly.tally"), "rule   U {\n assert a.b==1 }\n");
    let broken = write(&dir.join("broken.tally"), "rule B {\n  assert a.b == \u{1b}[1m\n}\n");
    let data = write(
        &dir.join("d\u{7}.yaml"),
        "a:\n  b: \"2\\e[2J\\a\u{202E}\u{200B}\" # expect: R\n",
    );
    let bad_yaml = write(&dir.join("bad.yaml"), "a: [\u{1b}\n");
    let missing = dir.join("missing\u{202E}.yaml");
    let missing = missing.to_str().unwrap();
    let dir_name = dir.to_str().unwrap();
    let input = format!("prev={dir_name}/none\u{200B}.yaml");
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", "--rules", &good, &data],
        vec!["check", "--rules", &good, &data, &bad_yaml, missing],
        vec!["check", "--format", "json", "--rules", &good, &data, &bad_yaml, missing],
        vec!["check", "--format", "sarif", "--rules", &good, &data],
        vec!["check", "--format", "csv", "--rules", &good, &data],
        vec!["check", "--rules", &broken, &data],
        vec!["check", "--format", "json", "--rules", &broken, &data],
        vec!["check", "--rules", &good, "--rule", "X\u{1b}[1m", &data],
        vec!["check", "--rules", &good, "--tag", "X\u{202E}", &data],
        vec!["check", "--rules", &good, "--params", missing, &data],
        vec!["check", "--rules", &good, "--params", &bad_yaml, &data],
        vec!["check", "--rules", &good, "--baseline", missing, &data],
        vec!["check", "--rules", &good, "--baseline", &bad_yaml, &data],
        vec!["check", "--rules", &good, "--input", &input, &data],
        vec!["check", "--rules", missing, &data],
        vec!["check", "--rules", dir_name, &data],
        vec!["lint", &good],
        vec!["lint", &broken],
        vec!["lint", missing],
        vec!["fmt", "--check", &good, &ugly],
        vec!["fmt", "--check", &broken],
        vec!["fmt", "--check", missing],
        vec!["test", &data, "--rules", &good],
        vec!["test", &bad_yaml, missing, "--rules", &good],
        vec!["explain", "R", &data, "--rules", &good],
        vec!["explain", "R\u{7}", &data, "--rules", &good],
        vec!["explain", "R", missing, "--rules", &good],
        vec!["schema", "--rules", &good],
        vec!["rules", "--rules", &good],
        vec!["rules", "--format", "json", "--rules", &good],
        vec!["rules", "--source", "R", "--rules", &good],
        vec!["rules", "--source", &good],
        vec!["rules", "--source", "nothing\u{202E}", "--rules", &good],
        vec!["check", "--no-such-flag\u{200B}\u{1b}[1m"],
        vec!["fmt", &ugly],
    ];
    for args in &runs {
        let output = run(args);
        let raw = raw_hidden(&output);
        assert!(
            raw.is_empty(),
            "raw {raw:?} from `tally {}`:\n{}",
            args.join(" "),
            both(&output)
        );
        let code = output.status.code();
        assert!(
            matches!(code, Some(0..=2)),
            "`tally {}` exited {code:?}",
            args.join(" ")
        );
    }
    // The names are there, escaped.
    let missing_data = both(&run(&["check", "--rules", &good, missing]));
    assert!(
        missing_data.contains("bad\\u{1B}[31m\\u{7}\\u{200B}\\u{202E}X"),
        "{missing_data}"
    );
    let fmt = both(&run(&["fmt", "--check", &good]));
    assert!(
        fmt.contains("\\u{1B}[31m\\u{7}\\u{200B}\\u{202E}X/r\\u{200B}.tally"),
        "{fmt}"
    );
    let catalogue = String::from_utf8(run(&["rules", "--format", "json", "--rules", &good]).stdout).unwrap();
    let entry: serde_json::Value = serde_json::from_str(catalogue.lines().next().unwrap()).unwrap();
    assert_eq!(entry["title"], "t\\u{200B}\\u{1B}[1m\\u{7}\\u{202E}");
    assert_eq!(entry["cite"], "c\\u{202E}");
    assert!(
        entry["file"].as_str().unwrap().ends_with("\\u{202E}X/r\\u{200B}.tally"),
        "{entry}"
    );
    let usage = both(&run(&["check", "--no-such-flag\u{200B}"]));
    assert!(usage.contains("--no-such-flag\\u{200B}"), "{usage}");
}

#[test]
fn a_schema_with_hidden_characters_is_printed_with_json_escapes() {
    let dir = fresh_dir(tmp().join("hostile-schema"));
    write(
        &dir.join("s.json"),
        "{\"type\": \"object\", \"description\": \"说\u{200B}明\u{202E}\", \"properties\": {}}\n",
    );
    let rules = write(
        &dir.join("r.tally"),
        "schema \"s.json\"\nrule R {\n  assert 1 == 1\n}\n",
    );
    let output = run(&["schema", "--rules", &rules]);
    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    assert!(raw_hidden(&output).is_empty(), "{}", both(&output));
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("still JSON");
    assert_eq!(printed["description"], "说\u{200B}明\u{202E}", "the same schema");
}

/// The `file:line:column` of the first `╭─[…]` header and the line number
/// of the first gutter line under it that carries a label.
fn header_and_gutter(human: &str) -> (usize, usize) {
    let header = human.lines().find_map(|l| l.split("╭─[").nth(1)).expect("a header");
    let mut parts = header.trim_end_matches(']').rsplit(':');
    let _column = parts.next();
    let line: usize = parts.next().unwrap().parse().unwrap();
    let lines: Vec<&str> = human.lines().collect();
    let label = lines
        .iter()
        .position(|l| l.trim_start().starts_with('·'))
        .expect("a label");
    let gutter = lines[label - 1].split('│').next().unwrap().trim().parse().unwrap();
    (line, gutter)
}

#[test]
fn cr_only_rule_files_with_comments_parse_and_lines_agree() {
    let dir = fresh_dir(tmp().join("hostile-cr"));
    // Comments (one holding a quote) and a string, all with lone CR line ends.
    let rules = write(
        &dir.join("cr.tally"),
        "# a comment with a \" quote\rrule 甲 { # trailing\r  title \"t # not a comment\"\r  cite \"c\"\r  assert a.b == 2 # why\r}\r",
    );
    let data = write(&dir.join("cr.yaml"), "z: 0\ra:\r  b: 1\r");
    let lint = run(&["lint", &rules]);
    assert_eq!(lint.status.code(), Some(0), "{}", both(&lint));
    let human = String::from_utf8(run(&["check", "--rules", &rules, &data]).stdout).unwrap();
    assert_eq!(header_and_gutter(&human), (3, 3), "{human}");
    assert!(human.contains("cr.tally:5 甲"), "the rule's line: {human}");
    let json = String::from_utf8(run(&["check", "--format", "json", "--rules", &rules, &data]).stdout).unwrap();
    let finding: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(finding["data"][0]["line"], 3, "{json}");
    assert_eq!(finding["rule_line"], 5, "{json}");
    // `fmt` keeps every comment and its output parses again.
    let output = run(&["fmt", &rules]);
    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let formatted = std::fs::read_to_string(&rules).unwrap();
    for comment in ["# a comment with a \" quote", "# trailing", "# why"] {
        assert!(formatted.contains(comment), "{comment} lost:\n{formatted}");
    }
    assert_eq!(run(&["lint", &rules]).status.code(), Some(0));
}

#[test]
fn a_cr_only_rule_file_error_points_at_its_line() {
    let dir = fresh_dir(tmp().join("hostile-cr-error"));
    let rules = write(
        &dir.join("cr.tally"),
        "# c\rrule A {\r  title \"x\r  assert 1 == 1\r}\r",
    );
    let output = run(&["lint", &rules]);
    assert_eq!(output.status.code(), Some(2), "{}", both(&output));
    let text = both(&output);
    assert!(text.contains("unterminated string"), "{text}");
    assert_eq!(header_and_gutter(&text), (3, 3), "{text}");
    assert!(text.contains("cr.tally:3:9]"), "{text}");
}

/// Runs `tally ARGS`, killed after `seconds`: a hang fails the test.
fn run_within(args: &[&str], seconds: u64) -> Output {
    let child = support::command(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("tally runs");
    let pid = child.id().to_string();
    let (send, receive) = std::sync::mpsc::channel();
    // Reads both pipes as the child writes, so a long output never blocks it.
    std::thread::spawn(move || send.send(child.wait_with_output()));
    match receive.recv_timeout(std::time::Duration::from_secs(seconds)) {
        Ok(output) => output.expect("output"),
        Err(_) => {
            let _ = std::process::Command::new("kill").args(["-9", &pid]).status();
            panic!("`tally {}` still runs after {seconds} s", args.join(" "));
        }
    }
}

#[cfg(unix)]
#[test]
fn tally_test_never_opens_a_fifo_or_reads_a_device() {
    let dir = fresh_dir(tmp().join("hostile-test-fifo"));
    let rules = write(&dir.join("r.tally"), "rule R {\n  cite \"c\"\n  assert a.b == 1\n}\n");
    let good = write(&dir.join("good.yaml"), "a:\n  b: 1\n");
    let fifo = dir.join("case.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let fifo = fifo.to_str().unwrap();
    for case in [fifo, "/dev/urandom", "/dev/zero"] {
        let output = run_within(&["test", case, &good, "--rules", &rules], 10);
        let text = both(&output);
        assert_eq!(output.status.code(), Some(2), "{case}: {text}");
        assert!(text.contains("not a regular file"), "{case}: {text}");
        assert!(text.contains("1 passed, 1 failed"), "the good case still runs: {text}");
    }
}

/// `--jobs 64` under a 1 GiB address-space limit: the run uses the threads
/// the limit leaves room for (and would go on with those the system gave it
/// if it refused some), and every file is checked.
#[cfg(target_os = "linux")]
#[test]
fn threads_the_system_refuses_are_not_an_internal_error() {
    let dir = fresh_dir(tmp().join("hostile-jobs"));
    let rules = write(&dir.join("r.tally"), "rule R {\n  cite \"c\"\n  assert a.b == 1\n}\n");
    for i in 0..70 {
        write(&dir.join(format!("d{i}.yaml")), &format!("a:\n  b: {}\n", i % 2));
    }
    let script = format!(
        "ulimit -v 1048576 && exec \"$0\" check --format json --jobs 64 --rules '{rules}' '{}'",
        dir.to_str().unwrap()
    );
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_tally"))
        .output()
        .expect("sh runs");
    let text = both(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(!text.contains("internal error"), "{text}");
    assert_eq!(text.matches(r#""type":"finding""#).count(), 35, "{text}");
}

/// Runs `tally` with `args` under a 1 GiB address-space limit.
#[cfg(target_os = "linux")]
fn run_in_one_gib(args: &[&str]) -> Output {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!("ulimit -v 1048576 && exec \"$0\" {}", quoted.join(" "));
    std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_tally"))
        .output()
        .expect("sh runs")
}

/// Eight files whose rules each build lists of a million elements, on
/// sixteen threads asked for, under a 1 GiB address-space limit. Each
/// thread's allocators reserved address space of their own (a glibc arena
/// of 64 MiB, mimalloc's segments) and eight workers, each with a helper,
/// aborted ("memory allocation of 33554432 bytes failed"; at `--jobs 8`,
/// with less than 30 MB in use). Now the allocators reserve little and the
/// limit bounds the threads.
#[cfg(target_os = "linux")]
#[test]
fn many_threads_asked_for_fit_in_a_one_gib_address_space() {
    let dir = fresh_dir(tmp().join("hostile-address-space"));
    let rules = write(
        &dir.join("r.tally"),
        "rule R1 {\n  cite \"c\"\n  assert count([x for x in 表 if count([y for y in 表 if y > x]) >= 0]) > 0\n}\n\
         rule R2 {\n  cite \"c\"\n  assert count([x for x in 表 if count([y for y in 表 if y < x]) >= 0]) > 0\n}\n",
    );
    let rows: String = (0..1500).map(|i| format!("  - {i}\n")).collect();
    let data = fresh_dir(dir.join("data"));
    for i in 0..8 {
        write(&data.join(format!("d{i}.yaml")), &format!("表:\n{rows}"));
    }
    let data = data.to_str().unwrap();
    let output = run_in_one_gib(&["check", "--format", "json", "--jobs", "16", "--rules", &rules, data]);
    let text = both(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains(r#""files":8,"rules":2,"assertions":16,"passed":16"#),
        "{text}"
    );
}

/// Two documents of a million numbers, each copied by every `let` of a rule
/// until the rule holds all it may, with `--jobs 2`: 600 MB in use, and
/// aborted under a 1 GiB address-space limit while mimalloc reserved arenas.
/// Later, on two threads, they reserved 920 to 1,040 MB and aborted now and
/// then; under 1 GiB the run now checks one file at a time.
#[cfg(target_os = "linux")]
#[test]
fn two_large_documents_with_two_jobs_fit_in_a_one_gib_address_space() {
    let dir = fresh_dir(tmp().join("hostile-two-large"));
    let lets: String = (0..200).map(|i| format!("  let l{i} = [x for x in l]\n")).collect();
    let rules = write(
        &dir.join("r.tally"),
        &format!("rule R {{\n  cite \"c\"\n{lets}  assert len(l199) > 0\n}}\n"),
    );
    let numbers = format!("l: [{}]\n", vec!["1"; 1_000_000].join(","));
    let first = write(&dir.join("a.yaml"), &numbers);
    let second = write(&dir.join("b.yaml"), &numbers);
    let output = run_in_one_gib(&[
        "check", "--format", "json", "--jobs", "2", "--rules", &rules, &first, &second,
    ]);
    let text = both(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert_eq!(text.matches(r#""kind":"limit""#).count(), 2, "{text}");
}

/// Each own-line annotation looked for its target line through all the
/// comment lines after it: 20,000 of them took about a minute.
#[test]
fn many_own_line_annotations_cost_their_length() {
    let dir = fresh_dir(tmp().join("hostile-annotations"));
    let rules = write(&dir.join("r.tally"), "rule R {\n  cite \"c\"\n  assert a.b == 1\n}\n");
    let mut allow = String::new();
    let mut expect = String::new();
    for i in 0..30_000 {
        allow.push_str(&format!("# tally-allow: X{i} — a reason\n"));
        expect.push_str(&format!("# expect: X{i}\n"));
    }
    let allow = write(
        &dir.join("allow.yaml"),
        &format!("{allow}a:\n  b: 2 # tally-allow: R — known\n"),
    );
    let expect = write(&dir.join("expect.yaml"), &format!("{expect}a:\n  b: 2 # expect: R\n"));
    let start = std::time::Instant::now();
    let output = run_within(&["check", "--format", "json", "--rules", &rules, &allow], 60);
    let text = both(&output);
    assert!(
        text.contains(r#""accepted":1"#),
        "{}",
        &text[text.len().saturating_sub(400)..]
    );
    assert_eq!(text.matches(r#""rule":"allow""#).count(), 30_000);
    let output = run_within(&["test", &expect, "--rules", &rules], 60);
    assert_eq!(output.status.code(), Some(1));
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
}

#[test]
fn annotations_in_a_cr_only_data_file_point_at_its_lines() {
    let dir = fresh_dir(tmp().join("hostile-cr-annotations"));
    let rules = write(
        &dir.join("r.tally"),
        "rule R {\n  cite \"c\"\n  assert a.b == 1\n}\nrule S {\n  cite \"c\"\n  assert a.c == 1\n}\n",
    );
    let case = write(
        &dir.join("case.yaml"),
        "# a case with old Mac line breaks\ra:\r  # expect: R\r  b: 2\r  c: 2 # tally-allow: S — known\r",
    );
    let output = run(&["test", &case, "--rules", &rules]);
    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let json = String::from_utf8(run(&["check", "--format", "json", "--rules", &rules, &case]).stdout).unwrap();
    assert!(json.contains(r#""accepted":1"#), "{json}");
    assert!(json.contains(r#""line":4"#), "{json}");
}

/// A 1.5 MB regex literal took 8 s and 390 MB to be refused by the regex
/// compiler; a pattern from the data was compiled again for every evaluation.
#[test]
fn long_regex_patterns_are_refused_before_compiling() {
    let dir = fresh_dir(tmp().join("hostile-regex"));
    let literal = write(
        &dir.join("literal.tally"),
        &format!(
            "rule R {{\n  cite \"c\"\n  assert \"x\" matches \"{}\"\n}}\n",
            "a?".repeat(750_000)
        ),
    );
    let output = run_within(&["lint", &literal], 10);
    assert_eq!(output.status.code(), Some(2));
    assert!(both(&output).contains("the pattern has 1500000 characters, more than the 10000 a regex may have"));
    let computed = write(
        &dir.join("computed.tally"),
        "rule R {\n  cite \"c\"\n  assert x matches p\n}\nrule S {\n  cite \"c\"\n  assert matches(x, p)\n}\n",
    );
    let data = write(&dir.join("d.yaml"), &format!("x: a\np: \"{}\"\n", "a?".repeat(20_000)));
    let output = run_within(&["check", "--format", "json", "--rules", &computed, &data], 10);
    let text = both(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert_eq!(
        text.matches("more than the 10000 a regex may have").count(),
        2,
        "{text}"
    );
    assert!(text.len() < 10_000, "the pattern is not repeated: {} bytes", text.len());
}

/// Names that cannot be shown as they are (spec §15: a report keeps every
/// other file). A data or rule file whose name is not UTF-8 (a GBK name from
/// a Windows archive) is named as such, not "No such file", and the other
/// files are checked (whether it was found in a folder or named on the
/// command line); a line break in a name could forge a line of the
/// report, so it is escaped like the other controls.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_or_hold_line_breaks_are_reported_and_nothing_else_is_lost() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let dir = fresh_dir(tmp().join("hostile-names"));
    let rule = "rule R {\n  cite \"c\"\n  assert a.b == 1\n}\n";
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(dir.join("rules/ok.tally"), rule).unwrap();
    std::fs::write(
        dir.join("rules").join(OsStr::from_bytes(b"\xb9\xe6\xd4\xf2.tally")),
        rule,
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("data")).unwrap();
    for name in [&b"good.yaml"[..], b"\xd4\xa4\xcb\xe3.yaml", b"two\nlines.yaml"] {
        std::fs::write(dir.join("data").join(OsStr::from_bytes(name)), "a:\n  b: 2\n").unwrap();
    }
    let tally = |args: &[&str]| {
        let output = support::command(args).current_dir(&dir).output().unwrap();
        format!("exit {:?}\n{}", output.status.code(), both(&output))
    };
    let data = tally(&["check", "--rules", "rules/ok.tally", "data"]);
    let rules = tally(&["check", "--rules", "rules", "data/good.yaml"]);
    let cases = tally(&["test", "--rules", "rules/ok.tally", "data"]);
    // The name given on the command line, beside a good one.
    let named = support::command(&["check", "--rules", "rules/ok.tally"])
        .arg(OsStr::from_bytes(b"data/\xd4\xa4\xcb\xe3.yaml"))
        .arg("data/good.yaml")
        .current_dir(&dir)
        .output()
        .unwrap();
    let named = format!("exit {:?}\n{}", named.status.code(), both(&named));
    // Each of the other commands, given such a name on the command line.
    let gbk = |before: &[&str], name: &[u8], after: &[&str]| {
        let output = support::command(before)
            .arg(OsStr::from_bytes(name))
            .args(after)
            .current_dir(&dir)
            .output()
            .unwrap();
        format!("exit {:?}\n{}", output.status.code(), both(&output))
    };
    let case_named = gbk(
        &["test", "--rules", "rules/ok.tally"],
        b"data/\xd4\xa4\xcb\xe3.yaml",
        &["data/good.yaml"],
    );
    let rules_named = gbk(
        &["check", "--rules"],
        b"rules/\xb9\xe6\xd4\xf2.tally",
        &["data/good.yaml"],
    );
    let lint_named = gbk(&["lint"], b"rules/\xb9\xe6\xd4\xf2.tally", &[]);
    let explain_named = gbk(
        &["explain", "R", "--rules", "rules/ok.tally"],
        b"data/\xd4\xa4\xcb\xe3.yaml",
        &[],
    );
    let params_named = gbk(
        &["check", "--rules", "rules/ok.tally", "--params"],
        b"data/\xd4\xa4\xcb\xe3.yaml",
        &["data/good.yaml"],
    );
    let input_named = gbk(
        &["check", "--rules", "rules/ok.tally", "--input"],
        b"x=data/\xd4\xa4\xcb\xe3.yaml",
        &["data/good.yaml"],
    );
    let fmt_folder = tally(&["fmt", "--check", "rules"]);
    insta::assert_snapshot!(format!(
        "## check of the data folder\n{data}\n## check with the rules folder\n{rules}\n## test of the data folder\n{cases}\n## check of a file named on the command line\n{named}\n## test of a case named on the command line\n{case_named}\n## check with a rule file named on the command line\n{rules_named}\n## lint of a rule file named on the command line\n{lint_named}\n## explain of a data file named on the command line\n{explain_named}\n## check with a params file named on the command line\n{params_named}\n## check with an input named on the command line\n{input_named}\n## fmt --check of the rules folder\n{fmt_folder}"
    ));
}

/// A key of a params file is quoted with its line breaks escaped: a name
/// must not start a line of its own in a message.
#[test]
fn a_params_key_with_a_line_break_is_quoted_on_one_line() {
    let dir = fresh_dir(tmp().join("params-key"));
    let rules = write(
        &dir.join("p.tally"),
        "param 上限 = 40%\nrule R {\n  cite \"c\"\n  assert 1 < 上限\n}\n",
    );
    let params = write(&dir.join("params.yaml"), "\"x\\ny\": 1\n");
    let data = write(&dir.join("d.yaml"), "a: 1\n");
    let out = both(&run(&["check", "--rules", &rules, "--params", &params, &data]));
    assert!(out.contains("no parameter is named `x\\u{A}y`"), "{out}");
}

/// A rule that fails for every one of 1,500 values: a finding each for the
/// first 1,000 (in evaluation order), every one counted, and each format
/// says how many of which rule were not listed. Without the cap, 4.9 million
/// findings in one file aborted under 1 GiB: every finding and its rendered
/// text were held until the file was done.
#[test]
fn findings_past_a_thousand_of_a_rule_are_counted_and_said_in_every_format() {
    let dir = fresh_dir(tmp().join("hostile-many-findings"));
    let rules = write(
        &dir.join("r.tally"),
        "rule 逐项 {\n  cite \"c\"\n  for x in l {\n    assert x == 2\n  }\n}\n\
         rule 合计 {\n  severity warning\n  cite \"c\"\n  assert count(l) == 0\n}\n",
    );
    let numbers = vec!["1"; 1500].join(", ");
    let data = write(&dir.join("d.yaml"), &format!("l: [{numbers}]\n"));
    let check = |format: &str| run(&["check", "--format", format, "--rules", &rules, &data]);

    let json = check("json");
    assert_eq!(json.status.code(), Some(1));
    let json = String::from_utf8(json.stdout).unwrap();
    let lines: Vec<&str> = json.lines().collect();
    assert_eq!(lines.len(), 1_003, "1,001 findings, the notice, the summary");
    assert_eq!(json.matches(r#""rule":"逐项","severity":"error""#).count(), 1_000);
    assert!(json.contains(r#""path":"l[999]""#) && !json.contains(r#""path":"l[1000]""#));
    let tail = lines[1_001..].join("\n").replace(&data, "d.yaml");
    insta::assert_snapshot!(tail, @r#"
    {"type":"omitted","file":"d.yaml","rule":"逐项","kind":"violation","count":500,"listed":1000}
    {"type":"summary","files":1,"rules":2,"assertions":1501,"passed":0,"violations":1501,"indeterminate":0,"errors":0,"skipped":0,"accepted":0,"by_severity":{"error":1500,"warning":1,"info":0},"omitted":500}
    "#);

    let human = String::from_utf8(check("human").stdout)
        .unwrap()
        .replace(&data, "d.yaml");
    let end = human.rfind("依据 c").expect("a finding");
    insta::assert_snapshot!(human[end..].trim_end(), @r"
    依据 c

    d.yaml：规则 逐项 另有 500 个违规结果未列出（每个文件每条规则
    最多列出 1000 个，均已计入合计）
    共 1 个文件，2 条规则，1501 个断言：通过 0，违规 1501（错误 1500，警告 1，提示 0），无法判定 0，
    无法计算 0
    ");

    let sarif: serde_json::Value = serde_json::from_slice(&check("sarif").stdout).unwrap();
    let run_log = &sarif["runs"][0];
    assert_eq!(run_log["results"].as_array().unwrap().len(), 1_001);
    let notification = &run_log["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(notification["associatedRule"]["id"], "逐项");
    assert_eq!(notification["properties"]["count"], 500);

    let csv = check("csv");
    assert_eq!(
        String::from_utf8(csv.stdout).unwrap().lines().count(),
        1_002,
        "header and 1,001 rows"
    );
    assert!(String::from_utf8(csv.stderr)
        .unwrap()
        .contains("规则 逐项 另有 500 个违规结果未列出"));

    let html = html_report(&dir, &rules, &data);
    assert!(html.contains("Findings not listed") && html.contains("has 500 more violation findings not listed"));
}

/// A finding lists at most 200 of the values its assertion read, the
/// primary one always among them, and counts the rest in every format: a
/// rule failing for each row of a table it scans must not list rows × rows.
#[test]
fn a_finding_lists_two_hundred_values_and_counts_the_rest_in_every_format() {
    let dir = fresh_dir(tmp().join("hostile-many-values"));
    let rules = write(
        &dir.join("r.tally"),
        "rule 合计 {\n  cite \"c\"\n  assert sum([x for x in l]) == 0\n    at l[400]\n}\n",
    );
    let numbers = vec!["1"; 500].join(", ");
    let data = write(&dir.join("d.yaml"), &format!("l: [{numbers}]\n"));
    let check = |format: &str| run(&["check", "--format", format, "--rules", &rules, &data]);

    let json = String::from_utf8(check("json").stdout).unwrap();
    let finding: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    let data_values = finding["data"].as_array().unwrap();
    assert_eq!(data_values.len(), tally::VALUES_LISTED);
    assert_eq!(data_values[0]["path"], "l");
    assert_eq!(data_values[198]["path"], "l[197]");
    assert_eq!(data_values[199]["path"], "l[400]", "the primary value, listed last");
    assert_eq!(finding["primary"], 199);
    assert_eq!(finding["values_not_listed"], 301, "501 values read, 200 listed");

    let human = String::from_utf8(check("human").stdout).unwrap();
    let more = human
        .lines()
        .find(|l| l.contains("另有"))
        .expect("the count of values not shown");
    insta::assert_snapshot!(more, @"  另有 495 个数据值；--format json 列出其中 194 个（每个结果最多列出 200 个）");

    let sarif: serde_json::Value = serde_json::from_slice(&check("sarif").stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["relatedLocations"].as_array().unwrap().len(),
        200,
        "the assertion and 199 values"
    );
    assert_eq!(result["properties"]["valuesNotListed"], 301);

    let html = html_report(&dir, &rules, &data);
    assert!(html.contains("301 more values not listed (at most 200 per finding)"));
}

/// The HTML page `check` writes for `data` under `rules` (which fail: exit 1).
fn html_report(dir: &std::path::Path, rules: &str, data: &str) -> String {
    let page = dir.join("report.html");
    let html = run(&[
        "check",
        "--format",
        "html",
        "--output",
        page.to_str().unwrap(),
        "--rules",
        rules,
        data,
    ]);
    assert_eq!(html.status.code(), Some(1));
    std::fs::read_to_string(&page).unwrap()
}

/// A case whose rule fires more than a thousand times fails, saying why,
/// even when its annotation meets a listed finding.
#[test]
fn a_case_with_findings_past_a_thousand_fails_saying_so() {
    let dir = fresh_dir(tmp().join("hostile-many-findings-case"));
    let rules = write(
        &dir.join("r.tally"),
        "rule 逐项 {\n  cite \"c\"\n  for x in l {\n    assert x == 2\n  }\n}\n",
    );
    let numbers = vec!["1"; 1200].join(", ");
    let case = write(&dir.join("case.yaml"), &format!("l: [{numbers}]  # expect: 逐项\n"));
    let output = run(&["test", "--rules", &rules, &case]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap().replace(&case, "case.yaml");
    insta::assert_snapshot!(stdout, @r"
    FAIL case.yaml
      逐项: 200 more findings not listed (at most 1000 of a rule per file): a case cannot check them
    0 passed, 1 failed
    ");
}
