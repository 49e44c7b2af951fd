//! `tally fmt`: the canonical layout of each fixture under `tests/fmt/`
//! (snapshots), and over every rule file of the project: formatting is
//! idempotent, changes no meaning (the same syntax tree, metadata order
//! aside) and loses no comment.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tally::unstable::syntax::ast::{File, Item, MetaKind};

fn tally_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            tally_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "tally") {
            found.push(path);
        }
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> Vec<PathBuf> {
    let mut found = Vec::new();
    tally_files(&root().join("tests/fmt"), &mut found);
    found.sort();
    found
}

/// Every rule file of the project: the fixtures here, the bundled library,
/// and the loader's fixtures (those that parse).
fn all_rule_files() -> Vec<PathBuf> {
    let mut found = fixtures();
    tally_files(&root().join("rules"), &mut found);
    tally_files(&root().join("tests/fixtures"), &mut found);
    found.sort();
    found
}

fn format(text: &str) -> String {
    tally::unstable::format::format(text).unwrap_or_else(|e| panic!("does not parse: {e:?}\n{text}"))
}

/// The tree with each rule's metadata in the canonical order, the one
/// change of order `fmt` makes (metadata order means nothing).
fn canonical(mut file: File) -> File {
    for item in &mut file.items {
        if let Item::Rule(rule) = item {
            rule.meta.sort_by_key(|m| match m.kind {
                MetaKind::Title(_) => 0,
                MetaKind::Severity(_) => 1,
                MetaKind::Cite(_) => 2,
                MetaKind::Tags(_) => 3,
            });
        }
    }
    file
}

/// The comments of a rule file: from `#` outside a string to the line's end.
fn comments(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for line in text.lines() {
        let (mut quoted, mut escaped) = (false, false);
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                '#' if !quoted => {
                    found.push(line[i..].trim_end());
                    break;
                }
                _ => {}
            }
        }
    }
    found.sort();
    found
}

/// Formatting `text` (from `name`) is stable, keeps the tree and every comment.
fn assert_sound(name: &str, text: &str) -> String {
    let once = format(text);
    let twice = format(&once);
    assert_eq!(once, twice, "not idempotent: {name}");
    let before = tally::unstable::syntax::parse(0, text).expect("parses");
    let after = tally::unstable::syntax::parse(0, &once).expect("formatted text parses");
    assert_eq!(canonical(before), canonical(after), "meaning changed: {name}\n{once}");
    assert_eq!(comments(text), comments(&once), "comments changed: {name}\n{once}");
    once
}

#[test]
fn fixtures_format_to_their_snapshots() {
    let files = fixtures();
    assert!(files.len() >= 5, "fixtures found: {files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let name = file.file_stem().expect("a name").to_string_lossy().into_owned();
        let formatted = assert_sound(&name, &text);
        insta::with_settings!({ input_file => &file, omit_expression => true }, {
            insta::assert_snapshot!(name, formatted);
        });
    }
}

#[test]
fn every_rule_file_formats_soundly() {
    let files = all_rule_files();
    assert!(files.len() >= 10, "rule files found: {files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        if tally::unstable::syntax::parse(0, &text).is_err() {
            continue; // the deliberately broken fixtures
        }
        assert_sound(&file.display().to_string(), &text);
    }
}

/// The `tally` code blocks of the project's own documentation (the README and
/// every page under `docs/`): the reference users read must show rules that
/// parse and format soundly.
#[test]
fn the_documented_examples_are_sound() {
    let mut pages = vec![root().join("README.md")];
    for entry in std::fs::read_dir(root().join("docs")).expect("docs/").flatten() {
        if entry.path().extension().is_some_and(|e| e == "md") {
            pages.push(entry.path());
        }
    }
    pages.sort();
    let mut blocks = 0;
    for page in pages {
        let text = std::fs::read_to_string(&page).expect("readable");
        for (i, block) in text
            .split("```tally\n")
            .skip(1)
            .filter_map(|b| b.split("```").next())
            .enumerate()
        {
            assert_sound(&format!("{} block {i}", page.display()), block);
            blocks += 1;
        }
    }
    assert!(blocks > 0, "the documentation shows no rule");
}

/// The tokens of a rule file, each string and comment whole.
fn tokens(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut rest = text.trim_start_matches('\u{FEFF}');
    while let Some(c) = rest.chars().next() {
        let len = match c {
            _ if c.is_whitespace() => {
                rest = rest.trim_start();
                continue;
            }
            '#' => rest.find('\n').unwrap_or(rest.len()),
            '"' => string_len(rest, tokens.last() == Some(&"message")),
            _ if c.is_ascii_digit() => {
                let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
                let mut len = digits(rest);
                if rest[len..].starts_with('.') && rest[len + 1..].starts_with(|c: char| c.is_ascii_digit()) {
                    len += 1 + digits(&rest[len + 1..]);
                }
                len + usize::from(rest[len..].starts_with('%'))
            }
            _ if c == '_' || unicode_ident::is_xid_continue(c) => rest
                .find(|c: char| !(c == '_' || unicode_ident::is_xid_continue(c)))
                .unwrap_or(rest.len()),
            _ if ["?.", "??", "==", "!=", "<=", ">="]
                .iter()
                .any(|op| rest.starts_with(op)) =>
            {
                2
            }
            _ => c.len_utf8(),
        };
        tokens.push(&rest[..len]);
        rest = &rest[len..];
    }
    tokens
}

/// The length of the string at the start of `rest`; a message's `{…}` may
/// hold strings of its own.
fn string_len(rest: &str, message: bool) -> usize {
    let bytes = rest.as_bytes();
    let (mut i, mut depth) = (1, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'"' if depth == 0 => return i + 1,
            b'"' => i += string_len(&rest[i..], false) - 1,
            b'{' | b'}' if message && depth == 0 && bytes.get(i + 1) == Some(&bytes[i]) => i += 1,
            b'{' if message => depth += 1,
            b'}' if message => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// `text` with the space between its tokens chosen at random (seeded):
/// a blank, a tab, a line break or an empty line; always a line break after
/// a comment.
fn respace(text: &str, seed: u64) -> String {
    let mut state = seed;
    let mut out = String::new();
    for token in tokens(text) {
        out.push_str(token);
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let space = match (state >> 33) % 8 {
            _ if token.starts_with('#') => "\n",
            0..=3 => " ",
            4 => "\t",
            5 | 6 => "\n",
            _ => "\n\n  ",
        };
        out.push_str(space);
    }
    out
}

#[test]
fn rule_files_respaced_at_random_format_soundly() {
    for file in all_rule_files() {
        let text = std::fs::read_to_string(&file).expect("readable");
        if tally::unstable::syntax::parse(0, &text).is_err() {
            continue;
        }
        for seed in 0..4 {
            let messy = respace(&text, seed);
            let name = format!("{} respaced with seed {seed}", file.display());
            let before = tally::unstable::syntax::parse(0, &text).expect("parses");
            let after = tally::unstable::syntax::parse(0, &messy).unwrap_or_else(|e| panic!("{name}: {e:?}\n{messy}"));
            assert_eq!(before, after, "respacing changed {name}");
            assert_sound(&name, &messy);
        }
    }
}

// ------------------------------------------------------------ small cases

#[test]
fn metadata_comes_first_in_canonical_order_then_an_empty_line() {
    let text = "rule 甲 {\n  tags [b, a]\n  cite \"c\"\n  severity info\n  title \"t\"\n  assert true\n}\n";
    assert_eq!(
        format(text),
        "rule 甲 {\n  title    \"t\"\n  severity info\n  cite     \"c\"\n  tags     [b, a]\n\n  assert true\n}\n"
    );
}

#[test]
fn imports_and_definitions_may_stay_grouped_rules_stand_apart() {
    let text = "import \"a.tally\"\nimport \"b.tally\"\nlet a = 1\n\n\n\nlet b = 2\nlet c = 3\nfn f(x) = x\nrule 甲 {}\nrule 乙 {}\n";
    assert_eq!(
        format(text),
        "import \"a.tally\"\nimport \"b.tally\"\n\nlet a = 1\n\nlet b = 2\nlet c = 3\nfn f(x) = x\n\nrule 甲 {}\n\nrule 乙 {}\n"
    );
}

#[test]
fn parentheses_that_carry_meaning_stay() {
    for text in [
        "let a = a - (b - c)\n",
        "let a = a / (b * c)\n",
        "let a = -(5)\n",
        "let a = -(-5)\n",
        "let a = (-5).x\n",
        "let a = (a == b) == c\n",
        "let a = (a in b) == c\n",
        "let a = a ?? (b ?? c)\n",
        "let a = not (a and b)\n",
        "let a = (a or b) and c\n",
        "let a = a == b within (c ?? 1)\n",
        "let a = -(a + b)\n",
    ] {
        assert_eq!(format(text), text);
    }
}

#[test]
fn redundant_parentheses_go() {
    assert_eq!(format("let a = ((a.b)).c\n"), "let a = a.b.c\n");
    assert_eq!(format("let a = (a - b) - (c * d)\n"), "let a = a - b - c * d\n");
    assert_eq!(format("let a = (not a) and (b == c)\n"), "let a = not a and b == c\n");
    assert_eq!(format("let a = -(x)\n"), "let a = -x\n");
    assert_eq!(format("let a = f((x), [(1)])\n"), "let a = f(x, [1])\n");
}

#[test]
fn literals_are_printed_as_written() {
    let text = "let a = [25%, 80.00, -0.1, \"^\\d{6}$\", \"\\u{4E2D}\\\"\"]\n";
    assert_eq!(format(text), text);
    assert_eq!(format("let a = - 5\n"), "let a = -5\n");
    // A field of a number literal: the dot is the field's, not a decimal point
    // (`fmt` once wrote `6..unit`, which does not parse; found by fuzzing).
    assert_eq!(assert_sound("number-field", "let a = 6.unit\n"), "let a = 6.unit\n");
    assert_eq!(
        assert_sound("percent-field", "let a = 6%.unit + 1.5.x\n"),
        "let a = 6%.unit + 1.5.x\n"
    );
}

#[test]
fn a_trailing_comment_after_an_opening_brace_stays() {
    assert_eq!(format("rule 甲 { # 注\n}\n"), "rule 甲 {  # 注\n}\n");
    assert_eq!(format("rule 甲 {}  # 注\n"), "rule 甲 {}  # 注\n");
}

#[test]
fn a_byte_order_mark_is_kept() {
    assert_eq!(format("\u{FEFF}let a  =  1\n"), "\u{FEFF}let a = 1\n");
}

#[test]
fn line_endings_become_line_feeds() {
    let text = "# 注\r\nrule 甲 {\r\n\ttitle \"t\"  # 尾\r\n\r\n\tassert true\r\n}\r\n";
    assert_eq!(
        assert_sound("crlf", text),
        "# 注\nrule 甲 {\n  title    \"t\"  # 尾\n\n  assert true\n}\n"
    );
}

#[test]
fn syntax_errors_are_returned() {
    let errors = tally::unstable::format::format("rule 甲 { assert }").expect_err("does not parse");
    assert!(!errors.is_empty());
}

// ------------------------------------------------------------ the command

fn tally(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("nested")).expect("create");
    dir
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn check_reports_and_fails_without_writing() {
    let dir = scratch("fmt-check");
    let messy = "rule 甲{assert 1==1}\n";
    let tidy = "rule 乙 {\n  assert 1 == 1\n}\n";
    let (a, b) = (dir.join("nested/a.tally"), dir.join("b.tally"));
    std::fs::write(&a, messy).expect("write");
    std::fs::write(&b, tidy).expect("write");
    let dir_arg = dir.to_string_lossy();

    let out = tally(&["fmt", "--check", &dir_arg]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let printed = stdout(&out);
    assert!(printed.contains("a.tally"), "{printed}");
    assert!(!printed.contains("b.tally"), "{printed}");
    assert!(printed.contains("-rule 甲{assert 1==1}"), "{printed}");
    assert!(printed.contains("+rule 甲 {"), "{printed}");
    assert_eq!(
        std::fs::read_to_string(&a).expect("read"),
        messy,
        "--check must not write"
    );

    let out = tally(&["fmt", &dir_arg]);
    assert_eq!(out.status.code(), Some(0));
    let printed = stdout(&out);
    assert!(printed.contains("a.tally") && !printed.contains("b.tally"), "{printed}");
    assert_eq!(
        std::fs::read_to_string(&a).expect("read"),
        "rule 甲 {\n  assert 1 == 1\n}\n"
    );

    let out = tally(&["fmt", "--check", &dir_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_the_others_formatted() {
    let dir = scratch("fmt-broken");
    let (bad, good) = (dir.join("bad.tally"), dir.join("good.tally"));
    std::fs::write(&bad, "rule 甲 { assert }\n").expect("write");
    std::fs::write(&good, "let a=1\n").expect("write");
    let missing = dir.join("missing.tally");

    let out = tally(&[
        "fmt",
        &bad.to_string_lossy(),
        &missing.to_string_lossy(),
        &good.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.tally"), "{stderr}");
    assert!(stderr.contains("missing.tally"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&bad).expect("read"), "rule 甲 { assert }\n");
    assert_eq!(std::fs::read_to_string(&good).expect("read"), "let a = 1\n");
}
