//! `tally check`: every selected rule over every data file.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use std::collections::HashSet;

use clap::ValueEnum;
use tally::accept::{self, BaselineKey};
use tally::bind::{self, InputArg, ParamsFile};
use tally::input::{self, DataFailure};
use tally::report::rows::Run;
use tally::report::{self, csv, html, human, json, sarif, xlsx, CheckedFile, Summary};
use tally::resolve::{Program, Severity};

use super::destination::Destination;
use super::output::Output;
use super::panic;
use super::Status;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Data files (.yaml, .yml, .json) or folders searched for them; `-` reads standard input
    #[arg(required = true, value_name = "DATA")]
    data: Vec<String>,
    /// Rule files or folders (default: the bundled library)
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to FILE instead of standard output (required for xlsx and html)
    #[arg(long, value_name = "FILE")]
    output: Option<String>,
    /// The lowest violation severity that makes the exit status 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Only rules with this tag (repeatable)
    #[arg(long = "tag", value_name = "T")]
    tags: Vec<String>,
    /// Only the rule with this ID (repeatable)
    #[arg(long = "rule", value_name = "ID")]
    ids: Vec<String>,
    /// Files checked at once (default: one per core)
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    #[command(flatten)]
    run: RunArgs,
    /// Accept every finding recorded in FILE (JSON Lines, as --format json prints)
    #[arg(long, value_name = "FILE")]
    baseline: Option<String>,
    /// Write this run's findings to FILE as a baseline
    #[arg(long = "write-baseline", value_name = "FILE")]
    write_baseline: Option<String>,
    /// Also print accepted findings
    #[arg(long)]
    show_accepted: bool,
    #[command(flatten)]
    view: ViewArgs,
}

/// How the human report is laid out (other formats list every finding).
#[derive(clap::Args, Debug)]
pub struct ViewArgs {
    /// Also show each finding's assertion in its rule file
    #[arg(long, short = 'v')]
    verbose: bool,
    /// The report's labels: zh or en (default: the language of the rules' titles)
    #[arg(long, value_enum, value_name = "LANG")]
    lang: Option<LangArg>,
    /// Print only findings at least this severe (the exit status still follows --fail-on)
    #[arg(long, value_enum, default_value_t = FailOn::Info, value_name = "LEVEL")]
    min_severity: FailOn,
    /// Order each file's findings: file (as in the file), rule or severity
    #[arg(long, value_enum, default_value_t = GroupArg::File, value_name = "BY")]
    group_by: GroupArg,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    Zh,
    En,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum GroupArg {
    File,
    Rule,
    Severity,
}

impl ViewArgs {
    fn layout(&self, program: &Program) -> human::Layout {
        human::Layout {
            width: human::terminal_width(),
            lang: match self.lang {
                Some(LangArg::Zh) => human::Lang::Zh,
                Some(LangArg::En) => human::Lang::En,
                None => human::Lang::of_program(program),
            },
            verbose: self.verbose,
        }
    }

    fn group(&self) -> human::GroupBy {
        match self.group_by {
            GroupArg::File => human::GroupBy::File,
            GroupArg::Rule => human::GroupBy::Rule,
            GroupArg::Severity => human::GroupBy::Severity,
        }
    }
}

/// Parameters and inputs (spec §11, §12), shared by `check` and `test`.
#[derive(clap::Args, Debug, Default)]
pub struct RunArgs {
    /// Set a parameter: NAME=VALUE, VALUE a literal (`30%`, `0.5`, `"河北"`, `true`)
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// Set parameters from a YAML or JSON map of names to values
    #[arg(long = "params", value_name = "FILE")]
    params_file: Option<String>,
    /// Give an input: NAME=PATH; PATH may use {dir} {name} {stem} {year} {year-1} {path:year-1}
    #[arg(long = "input", value_name = "NAME=PATH")]
    inputs: Vec<String>,
}

/// What every data file of a run is checked with, beyond the rules.
#[derive(Default)]
pub struct RunContext {
    params: Option<ParamsFile>,
    inputs: Vec<InputArg>,
    baseline: HashSet<BaselineKey>,
    /// Index of the built-in rule `allow`.
    allow_rule: usize,
}

impl RunContext {
    /// Applies `--param` to `program` and checks `--params` and `--input`;
    /// an error is a usage error.
    pub fn new(program: &mut Program, args: &RunArgs) -> Result<RunContext, String> {
        bind::apply_params(program, &args.params)?;
        let params = match &args.params_file {
            Some(path) => Some(ParamsFile::read(program, path)?),
            None => None,
        };
        let inputs = bind::input_args(program, &args.inputs)?;
        Ok(RunContext {
            params,
            inputs,
            baseline: HashSet::new(),
            allow_rule: accept::allow_rule(program),
        })
    }

    /// The context of one `tally test` case: its `# input:` lines, paths
    /// relative to the case.
    pub fn for_case(&self, program: &Program, case: &str, lines: &[String]) -> Result<RunContext, String> {
        let dir = std::path::Path::new(case).parent().unwrap_or(std::path::Path::new(""));
        let args: Vec<String> = lines
            .iter()
            .map(|line| match line.split_once('=') {
                Some((name, path)) => format!("{}={}", name.trim(), dir.join(path.trim()).to_string_lossy()),
                None => line.clone(),
            })
            .collect();
        Ok(RunContext {
            params: None,
            inputs: bind::input_args(program, &args)?,
            baseline: HashSet::new(),
            allow_rule: self.allow_rule,
        })
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    /// One row per finding, UTF-8 with a byte-order mark (for Excel)
    Csv,
    /// A workbook: findings (filters, frozen header) and a summary sheet; needs --output
    Xlsx,
    /// One self-contained page for the audit file; needs --output
    Html,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl From<FailOn> for Severity {
    fn from(level: FailOn) -> Severity {
        match level {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

pub fn run(args: CheckArgs, out: &Output) -> Status {
    if matches!(args.format, Format::Xlsx | Format::Html) && args.output.is_none() {
        // A workbook is binary and a page is long: neither belongs on a terminal.
        let format = args.format.to_possible_value().expect("a format has a name");
        out.problem(&format!(
            "error: --format {0} writes a file: give --output FILE 请用 --output 指定输出文件",
            format.get_name()
        ));
        return Status::Usage;
    }
    let Some(mut program) = out.load_rules(&args.rules) else {
        return Status::Usage;
    };
    let selected = match program.select(&args.ids, &args.tags) {
        Ok(selected) => selected,
        Err(message) => {
            out.problem(&format!("error: {message}"));
            return Status::Usage;
        }
    };
    let mut context = match RunContext::new(&mut program, &args.run) {
        Ok(context) => context,
        Err(message) => {
            out.problem(&format!("error: {message}"));
            return Status::Usage;
        }
    };
    if let Some(path) = &args.baseline {
        match input::read_text(path)
            .map_err(|e| e.to_string())
            .and_then(|t| accept::read_baseline(&t, path))
        {
            Ok(keys) => context.baseline = keys,
            Err(message) => {
                out.problem(&format!("error: --baseline: {message}"));
                return Status::Usage;
            }
        }
    }
    let program = program;
    // Each argument in order; a folder expands to its files, sorted; each file once.
    let mut inputs = input::expand(&args.data);
    let mut report = match Destination::open(out, args.output.as_deref()) {
        Ok(report) => report,
        Err(message) => {
            out.problem(&format!("error: {message}"));
            return Status::Usage;
        }
    };
    // A report written into a data folder by an earlier run is not data.
    inputs.retain(|input| !input.as_ref().is_ok_and(|path| report.is_output(path)));
    // Colour is for a terminal only.
    let layout = args.view.layout(&program);
    let plain = human::Renderer::with_layout(false, layout);
    let coloured = out.renderer.relaid(layout);
    let renderer = if report.is_file() { &plain } else { &coloured };
    // A batch gets a heading and a subtotal per file.
    let batch = inputs.len() > 1;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let outcomes = check_all(&program, &selected, inputs, jobs, &context);
    let mut baseline_lines = String::new();

    let mut checked = Vec::new();
    let mut failures: Vec<(String, String)> = Vec::new();
    let mut internal = false;
    for outcome in outcomes {
        match outcome {
            Ok(mut file) => {
                for finding in file.result.findings.iter().chain(file.accepted.iter().map(|a| &a.0)) {
                    baseline_lines.push_str(&json::finding(&program, &file.doc, finding));
                    baseline_lines.push('\n');
                }
                if args.show_accepted {
                    // Shown, marked; still not counted against the exit status.
                    for (finding, reason) in std::mem::take(&mut file.accepted) {
                        let mut finding = finding;
                        finding.message = format!("{} [accepted 已接受: {reason}]", finding.message);
                        file.result.findings.push(finding);
                    }
                    report::sort_findings(&program, &file.doc, &mut file.result.findings);
                }
                if args.format == Format::Human {
                    let text = human_file(&program, &file, renderer, &args.view, batch);
                    if !text.is_empty() {
                        report.print(&text);
                    }
                } else if args.format == Format::Json {
                    for finding in &file.result.findings {
                        report.print(&json::finding(&program, &file.doc, finding));
                    }
                }
                checked.push(file);
            }
            Err(failure) => {
                internal |= matches!(failure, DataFailure::Internal { .. });
                if args.format == Format::Json {
                    report.print(&json_error(&failure));
                }
                out.problem(&out.renderer.render(&failure));
                failures.push((failure.path().to_owned(), failure.to_string()));
            }
        }
    }
    if let Some(path) = &args.write_baseline {
        if let Err(e) = std::fs::write(path, &baseline_lines) {
            out.problem(&format!("error: --write-baseline {path}: {e}"));
            return Status::Usage;
        }
    }
    let summary = Summary::new(&program, selected.len(), &checked);
    // Each missing file once, in the order first met.
    let mut inputs_missing: Vec<String> = Vec::new();
    for missing in checked.iter().flat_map(|f| &f.inputs_missing) {
        if !inputs_missing.contains(missing) {
            inputs_missing.push(missing.clone());
        }
    }
    let failed = failures.len();
    match args.format {
        Format::Human => {
            for hint in report::hints::optional_keys(&program, &checked) {
                report.print(&human::wrap(&hint, layout.width, "").join("\n"));
            }
            report.print(&human::wrap(&human::summary_line(&summary), layout.width, "").join("\n"));
            for missing in &inputs_missing {
                report.print(&format!(
                    "input file not found 输入文件不存在: {}",
                    report::text::escape(missing)
                ));
            }
            if failed > 0 {
                report.print(&format!(
                    "{failed} data file{} could not be checked",
                    if failed == 1 { "" } else { "s" }
                ));
            }
        }
        Format::Json => report.print(&json::summary_with(&summary, &inputs_missing)),
        Format::Sarif => {
            // The built-in rule `allow` is listed when it has findings.
            let mut rules = selected.clone();
            if checked
                .iter()
                .flat_map(|f| &f.result.findings)
                .any(|f| f.rule == context.allow_rule)
            {
                rules.push(context.allow_rule);
            }
            report.stream(|w| sarif::write_log(w, &program, &rules, &checked))
        }
        Format::Csv => report.print(&csv::table(&program, &checked)),
        Format::Xlsx | Format::Html => {
            let run = Run {
                program: &program,
                summary: &summary,
                files: &checked,
                failures: &failures,
                inputs_missing: &inputs_missing,
            };
            if args.format == Format::Html {
                report.print(&html::page(&run));
            } else {
                match xlsx::workbook(&run) {
                    Ok(bytes) => report.write_bytes(&bytes),
                    Err(message) => {
                        out.problem(&format!("error: {message}"));
                        return Status::Usage;
                    }
                }
            }
        }
    }
    if let Err(message) = report.finish() {
        out.problem(&format!("error: {message}"));
        return Status::Usage;
    }
    if internal {
        Status::Internal
    } else if failed > 0 {
        Status::Usage
    } else if summary.violations_at_least(args.fail_on.into()) > 0
        || summary.counts.indeterminate > 0
        || summary.counts.errors > 0
    {
        Status::Findings
    } else {
        Status::Clean
    }
}

/// Loads and checks every file, `jobs` at a time; results in input order.
fn check_all(
    program: &Program,
    selected: &[usize],
    inputs: Vec<Result<String, DataFailure>>,
    jobs: usize,
    context: &RunContext,
) -> Vec<Result<CheckedFile, DataFailure>> {
    let count = inputs.len();
    let inputs: Vec<Mutex<Option<Result<String, DataFailure>>>> =
        inputs.into_iter().map(|i| Mutex::new(Some(i))).collect();
    let results: Vec<Mutex<Option<Result<CheckedFile, DataFailure>>>> = (0..count).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= count {
            break;
        }
        let input = inputs[i].lock().expect("input slot").take().expect("taken once");
        let result = input.and_then(|path| {
            panic::catch(|| check_file(program, selected, &path, context)).unwrap_or_else(|message| {
                Err(DataFailure::Internal {
                    path: input::display_name(&path).to_owned(),
                    message,
                })
            })
        });
        *results[i].lock().expect("result slot") = Some(result);
    };
    std::thread::scope(|scope| {
        let mut started = 0;
        for _ in 0..jobs.min(count) {
            // Workers evaluate and render as the main worker does: same stack.
            let worker = std::thread::Builder::new().stack_size(crate::STACK_BYTES);
            // The system may refuse more threads (or their stacks' address
            // space, under a memory limit): the ones started do the work.
            if worker.spawn_scoped(scope, work).is_err() {
                break;
            }
            started += 1;
        }
        if started == 0 {
            work();
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().expect("result slot").expect("every file checked"))
        .collect()
}

pub fn check_file(
    program: &Program,
    selected: &[usize],
    path: &str,
    context: &RunContext,
) -> Result<CheckedFile, DataFailure> {
    panic::test_trigger(path);
    let mut doc = input::read_document(path)?;
    let bound = bind::bind(program, &mut doc, path, context.params.as_ref(), &context.inputs)?;
    let mut result = tally::eval::check_with(program, &doc, selected, &bound.bindings);
    let allows = accept::allows(doc.source().text());
    for finding in accept::allow_findings(program, context.allow_rule, &doc, &allows) {
        result.counts.record(Some(finding.kind));
        result.findings.push(finding);
    }
    // Accepted findings leave the report and move to their own count.
    let mut accepted = Vec::new();
    let mut kept = Vec::new();
    for finding in std::mem::take(&mut result.findings) {
        let reason = accept::allowed_by(&allows, program, &doc, &finding)
            .map(str::to_owned)
            .or_else(|| {
                let key = BaselineKey::of(program, &doc, &finding);
                context.baseline.contains(&key).then(|| "baseline".to_owned())
            });
        match reason {
            Some(reason) => {
                result.counts.accept(finding.kind);
                accepted.push((finding, reason));
            }
            None => kept.push(finding),
        }
    }
    result.findings = kept;
    report::sort_findings(program, &doc, &mut result.findings);
    Ok(CheckedFile {
        doc,
        result,
        accepted,
        inputs_missing: bound.missing,
    })
}

/// One file's part of the human report: in a batch, a heading and a subtotal
/// around its findings.
fn human_file(
    program: &Program,
    file: &CheckedFile,
    renderer: &human::Renderer,
    view: &ViewArgs,
    batch: bool,
) -> String {
    let layout = renderer.layout();
    let findings = human::file_findings(
        program,
        &file.result.findings,
        view.min_severity.into(),
        view.group(),
        layout.lang,
        |finding| renderer.finding(program, &file.doc, finding),
    );
    if !batch {
        return findings;
    }
    format!(
        "{}\n\n{findings}{}\n",
        human::file_heading(file.doc.source().name(), layout.width),
        human::file_summary(program, file, layout.lang, layout.width)
    )
}

fn json_error(failure: &DataFailure) -> String {
    json::error(failure.path(), &failure.to_string(), failure.location())
}
