//! The JSON reader builds the very tree the YAML path builds for the same text.
use super::*;
use crate::data::{load, load_yaml, Document};

fn source(text: &str) -> SourceFile {
    SourceFile::new("t.json", text)
}

/// Every node written out: value (decimals with their scale), span and parent.
fn nodes(doc: &Document) -> Vec<String> {
    doc.nodes.iter().map(|n| format!("{n:?}")).collect()
}

/// `text` is strict JSON: the JSON reader takes it, and its tree is the YAML path's.
fn same_as_yaml(name: &str, text: &str) {
    let limits = Limits::default();
    let json = match read(&source(text), limits) {
        Ok(Read::Loaded { nodes, root }) => Document {
            source: source(text),
            nodes,
            root,
            attached: Vec::new(),
        },
        Ok(Read::NotJson) => panic!("{name}: the JSON reader did not take it"),
        Err(e) => panic!("{name}: {e}"),
    };
    let yaml = load_yaml(source(text), limits).unwrap_or_else(|e| panic!("{name}: YAML: {e}"));
    assert_eq!(json.root, yaml.root, "{name}");
    let (a, b) = (nodes(&json), nodes(&yaml));
    assert_eq!(a.len(), b.len(), "{name}: node count");
    for (i, (a, b)) in a.iter().zip(&b).enumerate() {
        assert_eq!(a, b, "{name}: node {i}");
    }
}

/// `doc` written as JSON: numbers as their literal text when that is JSON.
fn to_json(doc: &Document, id: NodeId, pretty: bool, depth: usize, out: &mut String) {
    let indent = |out: &mut String, d: usize| {
        if pretty {
            out.push('\n');
            out.push_str(&"  ".repeat(d));
        }
    };
    match doc.value(id) {
        NodeValue::Null => out.push_str("null"),
        NodeValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeValue::Number(d) => {
            let raw = doc.raw(id);
            let json_number = raw.trim_start_matches('-').starts_with(|c: char| c.is_ascii_digit())
                && !raw.trim_start_matches('-').starts_with("0")
                && !raw.ends_with('.')
                && !raw.contains(".e")
                && !raw.starts_with('+');
            out.push_str(&if json_number { raw.to_owned() } else { d.to_string() });
        }
        NodeValue::InvalidNumber(_) => out.push_str(doc.raw(id)),
        NodeValue::String(s) => out.push_str(&serde_json::to_string(&**s).unwrap()),
        NodeValue::List(items) => {
            out.push('[');
            for (i, &item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                to_json(doc, item, pretty, depth + 1, out);
            }
            if !items.is_empty() {
                indent(out, depth);
            }
            out.push(']');
        }
        NodeValue::Map(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                out.push_str(&serde_json::to_string(&**key).unwrap());
                out.push_str(if pretty { ": " } else { ":" });
                to_json(doc, *value, pretty, depth + 1, out);
            }
            if !entries.is_empty() {
                indent(out, depth);
            }
            out.push('}');
        }
    }
}

fn files(dir: &std::path::Path, ext: &[&str], found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, ext, found);
        } else if path.extension().is_some_and(|e| ext.iter().any(|x| e == *x)) {
            found.push(path);
        }
    }
}

#[test]
fn every_json_fixture_gives_the_yaml_tree() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in ["tests", "examples"] {
        files(&root.join(dir), &["json"], &mut found);
    }
    assert!(found.len() >= 2, "{found:?}");
    for path in found {
        let text = std::fs::read_to_string(&path).unwrap();
        same_as_yaml(&path.display().to_string(), &text);
    }
}

#[test]
fn every_yaml_fixture_written_as_json_gives_the_yaml_tree() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in ["tests/cases", "examples"] {
        files(&root.join(dir), &["yaml", "yml"], &mut found);
    }
    assert!(found.len() > 50, "{}", found.len());
    let mut converted = 0;
    for path in found {
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(doc) = load_yaml(SourceFile::new("t.yaml", text), Limits::default()) else {
            continue;
        };
        for pretty in [false, true] {
            let mut json = String::new();
            to_json(&doc, doc.root, pretty, 0, &mut json);
            same_as_yaml(&format!("{} (pretty: {pretty})", path.display()), &json);
        }
        converted += 1;
    }
    assert!(converted > 50, "{converted}");
}

#[test]
fn scalars_escapes_and_blanks() {
    for text in [
        r#"{"a": 1, "b": -0, "c": 1.50, "d": 1e3, "e": 2.5E-2, "f": -0.0, "g": 10E+2}"#,
        r#"{"big": 12345678901234567890123456789, "tiny": 1e-40, "huge": 1e40}"#,
        r#"{"t": true, "f": false, "n": null, "s": "", "u": "\u00e9\u4e2d", "pair": "\ud83d\ude00"}"#,
        r#"{"esc": "a\"b\\c\/d\be\ff\ng\rh\ti", "键": "值", "": "empty key"}"#,
        r#"{"s": "1.5", "date": "2023-12-31", "pct": "25%", "null": "null"}"#,
        "[]",
        "{}",
        "[[], {}, [[]], [{}], {\"a\": []}]",
        "\n\t [1,2 ,3\r\n, 4 ]\n\n",
        " {\"a\" :1 , \"b\":[ 1 , {\"c\" : \"d\"} ] } ",
        r#"[1, "two", 3.0, null, true, {"x": [false]}]"#,
        r#"{"a": {"b": {"c": {"d": [1, [2, [3, [4]]]]}}}}"#,
    ] {
        same_as_yaml(text, text);
    }
}

#[test]
fn what_is_not_strict_json_goes_to_yaml() {
    for text in [
        "{a: 1}",
        "[1, 2,]",
        "{\"a\": 1} # comment",
        "{\"a\": 01}",
        "{\"a\": .5}",
        "{\"a\": 1.}",
        "{\"a\": +1}",
        "{\"a\": \"\\ud800\"}",
        "{\"a\": \"\\x41\"}",
        "{\"a\": 'single'}",
        "{\"a\": 1 2}",
        "{\"a\": nul}",
        "{\"a\": 1}\n---\n{\"b\": 2}",
        "[1]\n[2]",
        "{\"a\": \"tab\there\"}",
        "{\"a\" 1}",
        "{\"a\": 1",
        "[",
        "{\"a\": [1, 2}",
    ] {
        let read = read(&source(text), Limits::default()).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(matches!(read, Read::NotJson), "{text}");
        // `load` then gives exactly what the YAML path gives.
        let loaded = load(source(text), Limits::default());
        let yaml = load_yaml(source(text), Limits::default());
        match (loaded, yaml) {
            (Ok(a), Ok(b)) => assert_eq!(nodes(&a), nodes(&b), "{text}"),
            (Err(a), Err(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text}"),
            (a, b) => panic!("{text}: {a:?} vs {b:?}"),
        }
    }
}

/// The error from `load` and from the YAML path, as the user reads them.
fn both_errors(text: &str, limits: Limits) -> (String, String) {
    let show = |r: Result<Document, DataError>| {
        let e = r.expect_err("an error");
        let span = e.span();
        format!(
            "{} | {} | {}..{}",
            e.message(),
            e.label(),
            span.offset(),
            span.offset() + span.len()
        )
    };
    (show(load(source(text), limits)), show(load_yaml(source(text), limits)))
}

#[test]
fn duplicate_keys_are_the_yaml_error() {
    let many: String = (0..40).map(|i| format!("\"k{i}\": {i}, ")).collect();
    for text in [
        "{\"a\": 1, \"b\": 2, \"a\": 3}".to_owned(),
        "{\n  \"x\": {\"a\": 1},\n  \"x\": 2\n}".to_owned(),
        format!("{{{many}\"k7\": 0}}"),
    ] {
        let (json, yaml) = both_errors(&text, Limits::default());
        assert!(json.starts_with("duplicate key"), "{json}");
        assert_eq!(json, yaml, "{text}");
    }
}

#[test]
fn depth_and_size_limits_are_the_yaml_errors() {
    let deep = format!("{}{}", "[".repeat(257), "]".repeat(257));
    let (json, yaml) = both_errors(&deep, Limits::default());
    assert!(json.starts_with("the data nests deeper than 256 levels"), "{json}");
    assert_eq!(json, yaml);
    // 256 levels load.
    same_as_yaml("256 levels", &format!("{}{}", "[".repeat(256), "]".repeat(256)));
    // Ten thousand levels stop at the limit, without recursion.
    let very_deep = format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let (json, _) = both_errors(&very_deep, Limits::default());
    assert!(json.contains("level 257 starts here"), "{json}");

    let limits = Limits {
        max_nodes: 5,
        ..Limits::default()
    };
    let (json, yaml) = both_errors("[1, 2, 3, 4, 5]", limits);
    assert_eq!(
        json,
        "the data holds more than 5 values | the limit is reached here | 13..14"
    );
    assert_eq!(json, yaml);
}

/// Every one-character deletion, and every duplication, of a JSON file: what
/// the JSON reader takes is the YAML tree, and what it refuses as an error the
/// YAML path refuses with the same words and place.
#[test]
fn one_character_edits_agree_with_yaml() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/fixtures/data/clean.json")).unwrap();
    let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let mut taken = 0;
    for (k, &at) in cuts.iter().enumerate() {
        let next = cuts.get(k + 1).copied().unwrap_or(text.len());
        let deleted = format!("{}{}", &text[..at], &text[next..]);
        let doubled = format!("{}{}", &text[..next], &text[at..]);
        for edited in [deleted, doubled] {
            match read(&source(&edited), Limits::default()) {
                Ok(Read::Loaded { .. }) => {
                    same_as_yaml(&edited, &edited);
                    taken += 1;
                }
                Ok(Read::NotJson) => {}
                Err(e) => {
                    let yaml = load_yaml(source(&edited), Limits::default()).expect_err(&edited);
                    assert_eq!((e.message(), e.span()), (yaml.message(), yaml.span()), "{edited}");
                }
            }
        }
    }
    assert!(taken > 100, "{taken}");
}
