//! The reports for the audit file: `--format csv`, `xlsx` and `html`, and
//! `--output`. Each is checked against `--format json` of the same run.

use std::path::PathBuf;
use std::process::Output;

use calamine::{Data, Reader, Xlsx};
use serde_json::Value;

mod support;
use support::{exit_code, run, tmp, without_tmp};

const EXAMPLE: &str = "examples/huailai-2024.yaml";
const COLUMNS: [&str; 12] = [
    "file",
    "line",
    "column",
    "severity",
    "kind",
    "rule",
    "title",
    "message",
    "path",
    "value",
    "cite",
    "value_file",
];

/// `exit: N` and standard error, for a snapshot.
fn status_and_stderr(output: &Output) -> String {
    format!(
        "exit: {}\n--- stderr\n{}",
        exit_code(output),
        without_tmp(&output.stderr)
    )
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = tmp().join("reports").join(name);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn path_str(path: &std::path::Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// The finding lines of `--format json` over the same arguments.
fn json_findings(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = run(&all);
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("a JSON line"))
        .filter(|line| line["type"] == "finding")
        .collect()
}

/// The JSON summary line of the same run.
fn json_summary(args: &[&str]) -> Value {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = run(&all);
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("a JSON line"))
        .find(|line| line["type"] == "summary")
        .expect("a summary line")
}

fn primary(finding: &Value) -> Option<&Value> {
    finding["primary"].as_u64().map(|i| &finding["data"][i as usize])
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let body = text.strip_prefix('\u{feff}').expect("a byte-order mark first");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn csv_has_one_row_per_finding_of_the_json_report() {
    let output = run(&["check", "--format", "csv", EXAMPLE]);
    assert_eq!(output.status.code(), Some(1), "the example has errors");
    let rows = csv_rows(&String::from_utf8(output.stdout).expect("UTF-8"));
    let findings = json_findings(&[EXAMPLE]);
    assert_eq!(rows[0], COLUMNS);
    assert_eq!(rows.len() - 1, findings.len());
    assert_eq!(findings.len(), 8, "the README's eight findings");
    for (row, finding) in rows[1..].iter().zip(&findings) {
        let value = primary(finding).expect("every example finding has a primary value");
        let expected = [
            finding["file"].as_str().unwrap().to_owned(),
            value["line"].to_string(),
            value["column"].to_string(),
            finding["severity"].as_str().unwrap().to_owned(),
            finding["kind"].as_str().unwrap().to_owned(),
            finding["rule"].as_str().unwrap().to_owned(),
            finding["title"].as_str().unwrap().to_owned(),
            finding["message"].as_str().unwrap().to_owned(),
            value["path"].as_str().unwrap().to_owned(),
            value["value"].as_str().unwrap().to_owned(),
            finding["cite"].as_str().unwrap_or("").to_owned(),
            String::new(),
        ];
        assert_eq!(row, &expected);
    }
}

#[test]
fn csv_names_the_other_file_a_primary_value_is_in() {
    let output = run(&[
        "check",
        "--rules",
        "tests/fixtures/inputs/rules.tally",
        "--input",
        "上年=tests/fixtures/inputs/2023/unit.yaml",
        "--format",
        "csv",
        "tests/fixtures/inputs/2024/unit.yaml",
    ]);
    insta::assert_snapshot!(String::from_utf8(output.stdout).expect("UTF-8"));
}

/// A rule file and a data file whose values try to be markup, a formula and
/// an invisible character.
fn hostile_fixture() -> (String, String) {
    let dir = scratch_dir("hostile");
    let rules = dir.join("rules.tally");
    std::fs::write(
        &rules,
        "rule 名称 {\n  title \"单位名称\"\n  severity warning\n  tags [名称, 单位]\n  \
         assert 单位.名称 == \"怀来县\"\n}\n\
         rule 备注 {\n  title \"备注为空\"\n  severity info\n  cite \"<b>不是标记</b>\"\n  \
         assert 单位.备注 == \"\"\n}\n\
         rule 代码 {\n  title \"代码\"\n  assert 单位.代码 == \"001\"\n}\n",
    )
    .expect("write rules");
    let data = dir.join("data.yaml");
    std::fs::write(
        &data,
        "单位:\n  名称: 怀来\u{200b}县\n  备注: <script>alert(\"x\")</script>\n  代码: =HYPERLINK(\"http://x\")\n",
    )
    .expect("write data");
    (path_str(&rules).to_owned(), path_str(&data).to_owned())
}

#[test]
fn csv_defuses_formulas_and_shows_invisible_characters() {
    let (rules, data) = hostile_fixture();
    let output = run(&["check", "--rules", &rules, "--format", "csv", &data]);
    let rows = csv_rows(&String::from_utf8(output.stdout).expect("UTF-8"));
    let value = |rule: &str| {
        rows.iter()
            .find(|r| r[5] == rule)
            .map(|r| r[9].clone())
            .expect("the rule's row")
    };
    assert_eq!(value("代码"), "'=HYPERLINK(\"http://x\")");
    assert_eq!(value("名称"), "怀来\\u{200B}县");
    assert_eq!(value("备注"), "<script>alert(\"x\")</script>");
}

#[test]
fn html_escapes_everything_the_data_and_rules_say() {
    let (rules, data) = hostile_fixture();
    let out = scratch_dir("hostile").join("report.html");
    let output = run(&[
        "check",
        "--rules",
        &rules,
        "--format",
        "html",
        "--output",
        path_str(&out),
        &data,
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", status_and_stderr(&output));
    let page = std::fs::read_to_string(&out).expect("the page");
    assert!(!page.contains("<script>alert"), "markup from the data is escaped");
    assert!(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    assert!(!page.contains("<b>不是标记"), "markup from a rule's cite is escaped");
    assert!(page.contains("依据 cite: &lt;b&gt;不是标记&lt;/b&gt;"));
    assert!(page.contains("data-tags=\"名称 单位\""));
    assert!(
        page.contains("<mark>怀来\\u{200B}县</mark>"),
        "an invisible character is shown"
    );
    // One <script> element only: the page's own.
    assert_eq!(page.matches("<script").count(), 1);
}

#[test]
fn html_has_every_finding_and_no_address_to_fetch() {
    let out = scratch_dir("example").join("report.html");
    let output = run(&["check", "--format", "html", "--output", path_str(&out), EXAMPLE]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "the report goes to the file only");
    let page = std::fs::read_to_string(&out).expect("the page");
    let findings = json_findings(&[EXAMPLE]);
    assert_eq!(page.matches("<article class=\"finding\"").count(), findings.len());
    for finding in &findings {
        let rule = finding["rule"].as_str().unwrap();
        let severity = finding["severity"].as_str().unwrap();
        assert!(
            page.contains(&format!("data-severity=\"{severity}\" data-rule=\"{rule}\"")),
            "{rule}"
        );
        let value = primary(finding).unwrap()["value"].as_str().unwrap();
        let escaped = value
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        assert!(page.contains(&format!("<mark>{escaped}</mark>")), "{rule}: {value}");
    }
    let assertions = json_summary(&[EXAMPLE])["assertions"].to_string();
    assert!(page.contains(&format!("<dd>{assertions}</dd>")), "the assertions total");
    // Nothing that a browser would fetch: no address, no external resource.
    for fetches in [
        "http:", "https:", "src=", "href=", "url(", "@import", "//cdn", "<link", "<iframe",
    ] {
        assert!(!page.contains(fetches), "the page contains {fetches}");
    }
}

#[test]
fn html_lists_files_that_could_not_be_checked() {
    let dir = scratch_dir("broken");
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, "单位: [1, 2\n").expect("write");
    let out = dir.join("report.html");
    let output = run(&[
        "check",
        "--format",
        "html",
        "--output",
        path_str(&out),
        EXAMPLE,
        path_str(&broken),
    ]);
    assert_eq!(output.status.code(), Some(2), "an unparsable file is exit 2");
    let page = std::fs::read_to_string(&out).expect("the page is still written");
    assert!(page.contains("未能检查的文件 Files that could not be checked"));
    assert!(page.contains(&format!("<li><code>{}</code>:", path_str(&broken))));
    assert_eq!(page.matches("<article class=\"finding\"").count(), 8);
}

#[test]
fn xlsx_opens_and_has_one_row_per_finding() {
    let out = scratch_dir("example").join("report.xlsx");
    let output = run(&["check", "--format", "xlsx", "--output", path_str(&out), EXAMPLE]);
    assert_eq!(output.status.code(), Some(1), "{}", status_and_stderr(&output));
    let mut book: Xlsx<_> = calamine::open_workbook(&out).expect("the workbook opens");
    assert_eq!(book.sheet_names(), ["findings", "summary"]);
    let sheet = book.worksheet_range("findings").expect("the findings sheet");
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, COLUMNS);
    let findings = json_findings(&[EXAMPLE]);
    assert_eq!(rows.len() - 1, findings.len());
    for (row, finding) in rows[1..].iter().zip(&findings) {
        assert_eq!(row[5].to_string(), finding["rule"].as_str().unwrap());
        assert_eq!(row[3].to_string(), finding["severity"].as_str().unwrap());
        assert_eq!(row[7].to_string(), finding["message"].as_str().unwrap());
        let line = primary(finding).unwrap()["line"].as_f64().unwrap();
        assert_eq!(row[1], Data::Float(line), "line is a number");
    }

    let summary = book.worksheet_range("summary").expect("the summary sheet");
    let cells: Vec<Vec<String>> = summary
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let row_of = |first: &str| {
        cells
            .iter()
            .find(|r| r[0] == first)
            .unwrap_or_else(|| panic!("a row {first}: {cells:?}"))
    };
    let totals = json_summary(&[EXAMPLE]);
    assert_eq!(row_of("assertions 断言")[1], totals["assertions"].to_string());
    assert_eq!(row_of("skipped 跳过")[1], totals["skipped"].to_string());
    // Per file: status, assertions, passed, findings, error, warning, info, skipped, accepted.
    let count = |key: &str| totals[key].to_string();
    let by_severity = |key: &str| totals["by_severity"][key].to_string();
    assert_eq!(
        row_of(EXAMPLE)[1..10],
        [
            "checked 已检查".to_owned(),
            count("assertions"),
            count("passed"),
            count("violations"),
            by_severity("error"),
            by_severity("warning"),
            by_severity("info"),
            count("skipped"),
            count("accepted"),
        ]
    );
    // Per rule: title, severity, findings, violations, files.
    assert_eq!(
        row_of("固定资产文字与表")[1..6],
        [
            "文中所述上年末固定资产金额等于固定资产占用情况表资产总额",
            "error",
            "1",
            "1",
            "1"
        ]
    );
}

#[test]
fn xlsx_writes_a_formula_from_the_data_as_text() {
    let (rules, data) = hostile_fixture();
    let out = scratch_dir("hostile").join("report.xlsx");
    let output = run(&[
        "check",
        "--rules",
        &rules,
        "--format",
        "xlsx",
        "--output",
        path_str(&out),
        &data,
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", status_and_stderr(&output));
    let mut book: Xlsx<_> = calamine::open_workbook(&out).expect("the workbook opens");
    for sheet in ["findings", "summary"] {
        let formulas = book.worksheet_formula(sheet).expect("the sheet");
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "a formula in {sheet}: {formulas:?}"
        );
    }
    let sheet = book.worksheet_range("findings").expect("the findings sheet");
    let value = sheet
        .rows()
        .find(|r| r[5] == "代码")
        .map(|r| r[9].clone())
        .expect("the rule's row");
    assert_eq!(
        value,
        Data::String("=HYPERLINK(\"http://x\")".into()),
        "a string cell, as written"
    );
}

#[test]
fn xlsx_and_html_need_an_output_file() {
    let mut both = String::new();
    for format in ["xlsx", "html"] {
        let output = run(&["check", "--format", format, EXAMPLE]);
        assert!(output.stdout.is_empty());
        both.push_str(&status_and_stderr(&output));
    }
    insta::assert_snapshot!(both);
}

#[test]
fn output_writes_any_format_to_the_file() {
    let dir = scratch_dir("output");
    for format in ["json", "human", "sarif", "csv"] {
        let file = dir.join(format!("report.{format}"));
        let to_file = run(&["check", "--format", format, "--output", path_str(&file), EXAMPLE]);
        let to_stdout = run(&["check", "--format", format, EXAMPLE]);
        assert_eq!(to_file.status.code(), to_stdout.status.code());
        assert!(to_file.stdout.is_empty(), "{format}: nothing on standard output");
        assert_eq!(
            std::fs::read(&file).expect("the report file"),
            to_stdout.stdout,
            "{format}: the file holds what standard output would"
        );
    }
}

#[test]
fn an_output_file_found_in_a_data_folder_is_not_data() {
    let dir = scratch_dir("folder");
    std::fs::copy(EXAMPLE, dir.join("huailai-2024.yaml")).expect("copy the example");
    let report = dir.join("report.json");
    for _ in 0..2 {
        let output = run(&[
            "check",
            "--format",
            "json",
            "--output",
            path_str(&report),
            path_str(&dir),
        ]);
        assert_eq!(output.status.code(), Some(1), "{}", status_and_stderr(&output));
    }
    let text = std::fs::read_to_string(&report).expect("the report");
    assert!(text.contains("\"files\":1,"), "{text}");
}

#[test]
fn an_unwritable_output_is_a_usage_error_before_checking() {
    let missing = scratch_dir("unwritable").join("no-such-folder").join("report.html");
    let output = run(&["check", "--format", "html", "--output", path_str(&missing), EXAMPLE]);
    insta::assert_snapshot!(status_and_stderr(&output));
}

#[test]
fn html_shows_a_value_from_another_file_in_that_file() {
    let out = scratch_dir("inputs").join("report.html");
    let output = run(&[
        "check",
        "--rules",
        "tests/fixtures/inputs/rules.tally",
        "--input",
        "上年=tests/fixtures/inputs/2023/unit.yaml",
        "--format",
        "html",
        "--output",
        path_str(&out),
        "tests/fixtures/inputs/2024/unit.yaml",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", status_and_stderr(&output));
    let page = std::fs::read_to_string(&out).expect("the page");
    let last_year = std::fs::read_to_string("tests/fixtures/inputs/2023/unit.yaml").expect("last year");
    let line = last_year.lines().nth(2).expect("line 3");
    let (key, value) = line.split_once(": ").expect("a key and a value");
    assert_eq!(value.trim(), "1000");
    assert!(page.contains("<span class=\"at\">tests/fixtures/inputs/2023/unit.yaml:3:7</span>"));
    assert!(page.contains(&format!(
        "<span class=\"line hit\"><span class=\"ln\">3</span>{key}: <mark>1000</mark>"
    )));
}
