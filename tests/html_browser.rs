//! The HTML report in a real headless Chromium, with the network off: the
//! rendered page shows every finding, and the filters (driven by the URL
//! hash) hide exactly the others. Also takes the screenshot the README shows:
//! `TALLY_UPDATE_SCREENSHOT=1 cargo test --test html_browser` rewrites
//! `docs/report.png`.
//!
//! Without Chromium the test fails under CI (`CI=true`; `.ci/run` installs
//! it) and is skipped with a note elsewhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use regex::Regex;
use serde_json::Value;

const EXAMPLE: &str = "examples/huailai-2024.yaml";
const BROWSER: &str = "chromium";

fn tally(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("tally runs")
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

fn browser_present() -> bool {
    Command::new(BROWSER)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Chromium headless, with every way it might reach the network turned off.
fn chromium(profile: &Path, extra: &[String]) -> Output {
    let mut command = Command::new(BROWSER);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("chromium starts");
    // A browser that hangs must not hang the suite.
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().expect("chromium status").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("chromium output")
}

/// `file://` URL of `path`, with `hash` percent-encoded after `#`.
fn file_url(path: &Path, hash: &str) -> String {
    let mut url = format!("file://{}", path.display());
    if !hash.is_empty() {
        url.push('#');
        for byte in hash.bytes() {
            if byte.is_ascii_alphanumeric() || b"=&,-_.".contains(&byte) {
                url.push(byte as char);
            } else {
                url.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    url
}

/// One finding element of the rendered DOM.
#[derive(Debug)]
struct Shown {
    severity: String,
    rule: String,
    tags: Vec<String>,
    hidden: bool,
}

fn findings_in(dom: &str) -> Vec<Shown> {
    let element = Regex::new(r#"<article class="finding"([^>]*)>"#).unwrap();
    let attribute = |attrs: &str, name: &str| {
        Regex::new(&format!(r#"\b{name}="([^"]*)""#))
            .unwrap()
            .captures(attrs)
            .map(|c| c[1].to_owned())
    };
    element
        .captures_iter(dom)
        .map(|c| {
            let attrs = &c[1];
            Shown {
                severity: attribute(attrs, "data-severity").expect("data-severity"),
                rule: attribute(attrs, "data-rule").expect("data-rule"),
                tags: attribute(attrs, "data-tags")
                    .expect("data-tags")
                    .split(' ')
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
                hidden: Regex::new(r"\bhidden\b").unwrap().is_match(attrs),
            }
        })
        .collect()
}

/// Which findings a filter should leave visible.
type Wanted = dyn Fn(&Shown) -> bool;

/// The text of the note saying the view is filtered.
fn filter_note(dom: &str) -> String {
    let note = Regex::new(r#"<p id="filter-note"[^>]*>([^<]*)</p>"#).unwrap();
    note.captures(dom).expect("the filter note element")[1].to_owned()
}

#[test]
fn the_html_report_renders_and_filters_in_chromium() {
    if !browser_present() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{BROWSER} is not installed; .ci/run installs it (apt-get install chromium)");
        }
        eprintln!("skipped: {BROWSER} is not installed (install it to run this test; CI must have it)");
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html_browser");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let page = dir.join("report.html");
    let written = tally(&["check", "--format", "html", "--output", page.to_str().unwrap(), EXAMPLE]);
    assert_eq!(written.status.code(), Some(1), "the example has errors");

    // What the page must show: the JSON report's findings, and each rule's tags.
    let findings: Vec<(String, String)> = json_lines(&tally(&["check", "--format", "json", EXAMPLE]))
        .into_iter()
        .filter(|l| l["type"] == "finding")
        .map(|l| {
            (
                l["rule"].as_str().unwrap().to_owned(),
                l["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(findings.len(), 8);
    let tags: BTreeMap<String, Vec<String>> = json_lines(&tally(&["rules", "--format", "json"]))
        .into_iter()
        .filter(|line| line.get("id").is_some())
        .map(|r| {
            let tags = r["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_owned());
            (r["id"].as_str().unwrap().to_owned(), tags.collect())
        })
        .collect();

    let profile = dir.join("profile");
    let render = |hash: &str| {
        let output = chromium(&profile, &["--dump-dom".to_owned(), file_url(&page, hash)]);
        assert!(
            output.status.success(),
            "chromium failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 DOM")
    };

    // Unfiltered: every finding, none hidden, in the JSON report's order
    // within each severity group.
    let dom = render("");
    let shown = findings_in(&dom);
    assert_eq!(shown.len(), findings.len(), "every finding is in the DOM");
    assert!(shown.iter().all(|s| !s.hidden), "nothing hidden: {shown:?}");
    let by_rule = |list: Vec<(String, String)>| list.into_iter().collect::<BTreeSet<_>>();
    assert_eq!(
        by_rule(shown.iter().map(|s| (s.rule.clone(), s.severity.clone())).collect()),
        by_rule(findings.clone())
    );
    for shown in &shown {
        assert_eq!(&shown.tags, &tags[&shown.rule], "{}: the rule's tags", shown.rule);
    }
    assert!(dom.contains(r#"<output id="shown">8</output>"#));
    assert_eq!(filter_note(&dom), "", "no filter note while nothing is filtered");

    // Each filter, and two at once: exactly the matching findings stay visible.
    let a_tag = tags[&findings[0].0][0].clone();
    let a_rule = findings.last().unwrap().0.clone();
    let has_tag = {
        let a_tag = a_tag.clone();
        move |s: &Shown| s.tags.contains(&a_tag)
    };
    let cases: [(String, Box<Wanted>); 4] = [
        ("severity=warning".into(), Box::new(|s: &Shown| s.severity == "warning")),
        (format!("tag={a_tag}"), Box::new(has_tag.clone())),
        (format!("rule={a_rule}"), Box::new(move |s: &Shown| s.rule == a_rule)),
        (
            format!("severity=error,info&tag={a_tag}"),
            Box::new(move |s: &Shown| s.severity != "warning" && has_tag(s)),
        ),
    ];
    for (hash, wanted) in &cases {
        let dom = render(hash);
        let shown = findings_in(&dom);
        assert_eq!(shown.len(), findings.len(), "#{hash}: still in the DOM");
        let visible = shown.iter().filter(|s| !s.hidden).count();
        assert!(
            visible > 0 && visible < findings.len(),
            "#{hash} selects some: {visible}"
        );
        for s in &shown {
            assert_eq!(s.hidden, !wanted(s), "#{hash}: {s:?}");
        }
        assert!(
            dom.contains(&format!(r#"<output id="shown">{visible}</output>"#)),
            "#{hash}: the count shown"
        );
        assert!(
            filter_note(&dom).ends_with(&format!("Filtered: showing {visible} of {} findings", findings.len())),
            "#{hash}: the note a printout keeps: {}",
            filter_note(&dom)
        );
    }

    // The screenshot the README shows.
    let shot = dir.join("report.png");
    let _ = std::fs::remove_file(&shot);
    let output = chromium(
        &profile,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".to_owned(),
            file_url(&page, ""),
        ],
    );
    assert!(
        output.status.success(),
        "screenshot: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let png = std::fs::read(&shot).expect("the screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 50_000,
        "a real picture"
    );
    if std::env::var_os("TALLY_UPDATE_SCREENSHOT").is_some() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.png");
        std::fs::write(&docs, &png).expect("write docs/report.png");
    }
}
