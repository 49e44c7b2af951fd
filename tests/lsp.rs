//! `tally lsp` at the protocol level: JSON-RPC over the server's stdio, with
//! `Content-Length` framing, as an editor speaks it.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(20);

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications that arrived while waiting for something else.
    pending: Vec<Value>,
    dir: PathBuf,
}

impl Server {
    /// Starts `tally lsp` in a fresh folder holding `files`, and initializes it.
    fn start(name: &str, files: &[(&str, &str)], options: Value) -> Server {
        let dir = std::env::temp_dir().join(format!("tally-lsp-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        std::fs::create_dir_all(&dir).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_tally"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tally lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            stdin,
            messages,
            next_id: 0,
            pending: Vec::new(),
            dir,
        };
        let root = server.uri("");
        let init = server.request(
            "initialize",
            json!({ "processId": null, "rootUri": root, "capabilities": {}, "initializationOptions": options }),
        );
        let caps = &init["capabilities"];
        assert_eq!(caps["hoverProvider"], true, "{init}");
        assert_eq!(caps["definitionProvider"], true);
        assert_eq!(caps["documentFormattingProvider"], true);
        assert_eq!(caps["completionProvider"]["triggerCharacters"], json!(["."]));
        server.notify("initialized", json!({}));
        server
    }

    fn uri(&self, path: &str) -> String {
        let full = self.dir.join(path);
        format!("file://{}", full.to_string_lossy().trim_end_matches('/'))
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its result (panics on an error response).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.messages.recv_timeout(WAIT).expect("a response in time");
            if message["id"] == id && message.get("method").is_none() {
                assert!(message.get("error").is_none(), "{method} failed: {message}");
                return message["result"].clone();
            }
            self.pending.push(message);
        }
    }

    /// The next diagnostics published for `path`.
    fn diagnostics(&mut self, path: &str) -> Value {
        let uri = self.uri(path);
        let is_it = |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri;
        if let Some(i) = self.pending.iter().position(is_it) {
            return self.pending.remove(i)["params"]["diagnostics"].clone();
        }
        loop {
            let message = self.messages.recv_timeout(WAIT).expect("diagnostics in time");
            if is_it(&message) {
                return message["params"]["diagnostics"].clone();
            }
            self.pending.push(message);
        }
    }

    fn open(&mut self, path: &str, text: &str) {
        let language = if path.ends_with(".tally") { "tally" } else { "yaml" };
        let uri = self.uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, path: &str, version: i32, text: &str) {
        let uri = self.uri(path);
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    /// A request at the position of the `n`th character of `marker` in `text`.
    fn at(&mut self, method: &str, path: &str, text: &str, marker: &str, n: usize) -> Value {
        let uri = self.uri(path);
        self.request(
            method,
            json!({ "textDocument": { "uri": uri }, "position": position(text, marker, n) }),
        )
    }

    /// Shows a response with the test's folder as `[dir]`.
    fn show(&self, value: &Value) -> String {
        serde_json::to_string_pretty(value)
            .unwrap()
            .replace(&self.dir.to_string_lossy().into_owned(), "[dir]")
    }

    /// Shuts down as an editor does; the server must exit 0.
    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "tally lsp exited with {status}");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The LSP position (UTF-16) of character `n` of the first `marker` in `text`.
fn position(text: &str, marker: &str, n: usize) -> Value {
    let start = text.find(marker).unwrap_or_else(|| panic!("{marker} not in the text"));
    let offset = start + marker.char_indices().nth(n).map_or(marker.len(), |(i, _)| i);
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let column: usize = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .map(char::len_utf16)
        .sum();
    json!({ "line": line, "character": column })
}

fn labels(completion: &Value) -> Vec<String> {
    completion
        .as_array()
        .expect("a list of items")
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_owned())
        .collect()
}

const DATA: &str = "收入:\n  合计: 100\n  财政拨款: 60\n  事业收入: 30\n支出:\n  合计: 90\n";

const RULES: &str = r#"# 收入
let 上限 = 100

rule 收入合计 {
  title    "收入合计等于各来源之和"
  severity error
  cite     "预算法"

  let 来源 = [v for k, v in 收入 if k != "合计"]
  assert sum(来源) == 收入.合计 and 收入.合计 <= 上限
    message "收入合计 {收入.合计}，来源之和 {sum(来源)}"
}
"#;

#[test]
fn diagnostics_follow_the_unsaved_text() {
    let mut server = Server::start("diagnostics", &[], json!({}));
    server.open(
        "a.tally",
        "rule 甲 {\n  title \"t\"\n  cite \"c\"\n  assert 收入.合计 ==\n}\n",
    );
    let syntax = server.diagnostics("a.tally");
    server.change(
        "a.tally",
        2,
        "rule 甲 {\n  title \"t\"\n  cite \"c\"\n  assert sun(收入) > 0\n}\n",
    );
    let unknown = server.diagnostics("a.tally");
    server.change(
        "a.tally",
        3,
        "rule 甲 {\n  title \"t\"\n  let 没用 = 1\n  assert 收入 > 0\n}\n",
    );
    let lint = server.diagnostics("a.tally");
    server.change("a.tally", 4, RULES);
    let clean = server.diagnostics("a.tally");
    assert_eq!(clean, json!([]), "a correct file has no diagnostics");
    insta::assert_snapshot!(
        "diagnostics",
        format!(
            "syntax error:\n{}\n\nunknown function:\n{}\n\nlint:\n{}",
            server.show(&syntax),
            server.show(&unknown),
            server.show(&lint)
        )
    );
    server.shutdown();
}

#[test]
fn an_unsaved_import_is_read_from_the_editor() {
    // On disk `lib.tally` defines nothing; the editor's buffer defines `上限`.
    let mut server = Server::start("overlay", &[("lib.tally", "# empty\n")], json!({}));
    let main = "import \"lib.tally\"\nrule 甲 {\n  title \"t\"\n  cite \"c\"\n  assert 上限 > 0\n}\n";
    server.open("lib.tally", "let 上限 = 100\n");
    let _ = server.diagnostics("lib.tally");
    server.open("main.tally", main);
    assert_eq!(server.diagnostics("main.tally"), json!([]));
    let definition = server.at("textDocument/definition", "main.tally", main, "上限 >", 0);
    assert_eq!(definition["uri"], server.uri("lib.tally"));
    assert_eq!(definition["range"]["start"], json!({ "line": 0, "character": 4 }));
    server.shutdown();
}

#[test]
fn hover_shows_builtins_definitions_and_data_keys() {
    let mut server = Server::start("hover", &[], json!({}));
    server.open("data.yaml", DATA);
    server.open("r.tally", RULES);
    let builtin = server.at("textDocument/hover", "r.tally", RULES, "sum(来源)", 1);
    let local = server.at("textDocument/hover", "r.tally", RULES, "来源)", 0);
    let global = server.at("textDocument/hover", "r.tally", RULES, "上限\n", 0);
    let data_key = server.at("textDocument/hover", "r.tally", RULES, "合计 and", 0);
    let nothing = server.at("textDocument/hover", "r.tally", RULES, "title", 1);
    assert_eq!(nothing, Value::Null, "a keyword has no hover");
    insta::assert_snapshot!(
        "hover",
        [builtin, local, global, data_key]
            .iter()
            .map(|h| h["contents"]["value"].as_str().expect("markdown").to_owned())
            .collect::<Vec<_>>()
            .join("\n\n-----\n\n")
            .replace(&server.dir.to_string_lossy().into_owned(), "[dir]")
    );
    server.shutdown();
}

#[test]
fn definition_of_names_rules_and_imports() {
    let text = "import \"@cn-budget/common.tally\"\nrule 甲 {\n  title \"t\"\n  cite \"c\"\n  for x in 政府采购.表.明细\n  {\n    assert 同一文号(x, x)\n  }\n}\n";
    let text = text.replace("  for x in 政府采购.表.明细\n  {\n", "  for x in 政府采购.表.明细 {\n");
    let mut server = Server::start("definition", &[], json!({}));
    server.open("d.tally", &text);
    assert_eq!(server.diagnostics("d.tally"), json!([]));
    // An import of a bundled file: a copy the editor can open.
    let import = server.at("textDocument/definition", "d.tally", &text, "@cn-budget", 3);
    let uri = import["uri"].as_str().unwrap();
    assert!(
        uri.ends_with("/%40cn-budget/common.tally") || uri.ends_with("/@cn-budget/common.tally"),
        "{uri}"
    );
    let copy = uri.strip_prefix("file://").unwrap().replace("%40", "@");
    let bundled =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/cn-budget/common.tally")).unwrap();
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), bundled);
    // A function defined in that bundled file.
    let function = server.at("textDocument/definition", "d.tally", &text, "同一文号", 1);
    assert_eq!(function["uri"], import["uri"]);
    let line = bundled.lines().position(|l| l.starts_with("fn 同一文号")).unwrap();
    assert_eq!(function["range"]["start"], json!({ "line": line, "character": 3 }));
    // A loop variable, and a rule ID.
    let local = server.at("textDocument/definition", "d.tally", &text, "x, x", 0);
    assert_eq!(
        local["range"],
        json!({ "start": position(&text, "x in", 0), "end": position(&text, "x in", 1) })
    );
    let rule = server.at("textDocument/definition", "d.tally", &text, "甲", 0);
    assert_eq!(rule["range"]["start"], position(&text, "甲", 0));
    server.shutdown();
}

#[test]
fn completion_offers_keywords_builtins_names_and_data_keys() {
    let mut server = Server::start("completion", &[], json!({}));
    server.open("data.yaml", DATA);
    let text = RULES.replace("  assert sum", "  assert 收入.\n  assert sum");
    server.open("c.tally", &text);
    let keys = server.at("textDocument/completion", "c.tally", &text, "收入.\n", 3);
    assert_eq!(labels(&keys), ["合计", "财政拨款", "事业收入"]);
    assert_eq!(
        keys[0]["detail"],
        format!("data key (seen in {}/data.yaml)", server.dir.display())
    );
    // The rest with the file complete again.
    server.change("c.tally", 2, RULES);
    let text = RULES;
    let anywhere = labels(&server.at("textDocument/completion", "c.tally", text, "  assert sum", 2));
    for wanted in [
        "assert", "when", "within", "sum", "round", "来源", "上限", "收入", "支出",
    ] {
        assert!(
            anywhere.contains(&wanted.to_owned()),
            "{wanted} missing from {anywhere:?}"
        );
    }
    // `来源` is not in scope before the rule that binds it.
    let top = labels(&server.at("textDocument/completion", "c.tally", text, "let 上限", 0));
    assert!(
        !top.contains(&"来源".to_owned()) && !top.contains(&"k".to_owned()),
        "{top:?}"
    );
    server.shutdown();
}

#[test]
fn formatting_is_tally_fmt() {
    let mut server = Server::start("formatting", &[], json!({}));
    let messy = "rule 甲{title \"t\" severity warning cite \"c\"\nassert 收入.合计>0}";
    server.open("f.tally", messy);
    let uri = server.uri("f.tally");
    let edits = server.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    insta::assert_snapshot!("formatting", server.show(&edits));
    let formatted = edits[0]["newText"].as_str().unwrap().to_owned();
    server.change("f.tally", 2, &formatted);
    let again = server.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(again, json!([]), "formatted text needs no edits");
    server.shutdown();
}

#[test]
fn data_files_show_the_workspace_rules_findings() {
    let mut server = Server::start("data", &[("rules/r.tally", RULES)], json!({ "rules": ["rules"] }));
    // 60 + 30 != 100: a violation at 收入.合计.
    server.open("bad.yaml", DATA);
    let findings = server.diagnostics("bad.yaml");
    // Fixing the rule's bound in the editor (unsaved) re-checks the open data file.
    server.open("rules/r.tally", &RULES.replace("sum(来源) == 收入.合计 and ", ""));
    let _ = server.diagnostics("rules/r.tally");
    let after = server.diagnostics("bad.yaml");
    assert_eq!(after, json!([]), "the edited rule passes");
    server.change("rules/r.tally", 2, "rule 甲 {\n  assert nope(1)\n}\n");
    let _ = server.diagnostics("rules/r.tally");
    let broken = server.diagnostics("bad.yaml");
    insta::assert_snapshot!(
        "data_findings",
        format!(
            "findings:\n{}\n\nrules that do not load:\n{}",
            server.show(&findings),
            server.show(&broken)
        )
    );
    server.shutdown();
}

#[test]
fn a_declared_schema_completes_and_describes_data_keys() {
    let schema = r#"{
  "type": "object",
  "properties": {
    "支出": {
      "type": "object",
      "description": "支出表",
      "properties": {
        "合计": { "type": "number", "description": "支出合计（万元）" },
        "明细": { "type": "array", "items": { "type": "object", "properties": { "金额": { "type": "number", "description": "一行的金额" } } } }
      }
    }
  }
}"#;
    let mut server = Server::start("schema", &[("schema.json", schema)], json!({}));
    let text = "schema \"schema.json\"\nrule 甲 {\n  title \"t\"\n  cite \"c\"\n  assert 支出.合计 == sum(支出.明细[*].金额)\n}\n";
    server.open("s.tally", text);
    // No data file is open: the keys come from the schema alone.
    let top = labels(&server.at("textDocument/completion", "s.tally", text, "支出.合计", 0));
    assert!(top.contains(&"支出".to_owned()), "{top:?}");
    let after_dot = labels(&server.at("textDocument/completion", "s.tally", text, "合计 ==", 0));
    assert_eq!(after_dot, ["合计", "明细"]);
    let hover = server.at("textDocument/hover", "s.tally", text, "合计 ==", 0);
    assert_eq!(hover["contents"]["value"], "data `支出.合计`\n\n支出合计（万元）");
    server.shutdown();
}

#[test]
fn hover_and_definition_of_functions_parameters_and_inputs() {
    let text = "param 上限 = 40%\ninput 上年 required\n\n# 某项的金额，缺则为 0\nfn 金额(x) = x?.金额 ?? 0\n\nrule 甲 {\n  title \"t\"\n  cite \"c\"\n  assert 金额(收入) <= 上限 * 金额(上年.收入)\n}\n";
    let mut server = Server::start("functions", &[], json!({}));
    server.open("p.tally", text);
    assert_eq!(server.diagnostics("p.tally"), json!([]));
    let hovers: Vec<String> = [("金额(收入)", 0), ("上限 *", 0), ("上年.收入", 0), ("x?.", 0)]
        .iter()
        .map(|&(marker, n)| {
            let hover = server.at("textDocument/hover", "p.tally", text, marker, n);
            hover["contents"]["value"].as_str().unwrap_or("(no hover)").to_owned()
        })
        .collect();
    insta::assert_snapshot!(
        "hover_fn_param_input",
        hovers
            .join("\n\n-----\n\n")
            .replace(&server.dir.to_string_lossy().into_owned(), "[dir]")
    );
    for (use_at, defined_at) in [
        ("金额(收入)", "金额(x)"),
        ("上限 *", "上限 ="),
        ("上年.收入", "上年 required"),
    ] {
        let definition = server.at("textDocument/definition", "p.tally", text, use_at, 0);
        assert_eq!(definition["uri"], server.uri("p.tally"), "{use_at}");
        assert_eq!(definition["range"]["start"], position(text, defined_at, 0), "{use_at}");
    }
    server.shutdown();
}

/// Frames no client should send end the session with exit 2 and the reason,
/// never an abort: `Content-Length: 99999999999999` used to make the server
/// allocate that much and abort (exit 134).
#[test]
fn hostile_frames_end_the_session_with_a_reason() {
    let cases: [(&str, Vec<u8>); 4] = [
        ("huge length", b"Content-Length: 99999999999999\r\n\r\n{}".to_vec()),
        ("endless header line", vec![b'x'; 4 << 20]),
        ("announced more than sent", b"Content-Length: 100\r\n\r\n{}".to_vec()),
        ("not JSON-RPC", b"Content-Length: 3\r\n\r\n[1]".to_vec()),
    ];
    let mut report = String::new();
    for (name, input) in cases {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tally"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tally lsp starts");
        let mut stdin = child.stdin.take().unwrap();
        // The server may stop reading before the end: a broken pipe is fine.
        let _ = stdin.write_all(&input);
        drop(stdin);
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        report.push_str(&format!("{name}: exit {:?}\n{stderr}", output.status.code()));
    }
    insta::assert_snapshot!(report);
}

/// An open rule document has the limit a rule file on disk has (16 MiB): over
/// it, one diagnostic says so, as `tally check` would, instead of a parse that
/// took 30 s and 1.4 GB for 20 MB of rules.
#[test]
fn an_open_rule_document_over_16_mib_is_refused_like_a_file() {
    let rule = "rule R {\n  cite \"c\"\n  assert a.b == 1\n}\n";
    let text = rule.repeat((16 << 20) / rule.len() + 1);
    let mut server = Server::start("too-large", &[], json!({}));
    server.open("big.tally", &text);
    let diagnostics = server.diagnostics("big.tally");
    let messages: Vec<&str> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 1, "{diagnostics}");
    assert!(
        messages[0].ends_with(&format!(
            "big.tally`: it is {} bytes, more than the 16777216 bytes allowed",
            text.len()
        )),
        "{}",
        messages[0]
    );
    server.shutdown();
}
