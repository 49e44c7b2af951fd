//! `tally check`: every selected rule over every data file.

use std::ffi::OsString;
use std::sync::Mutex;

use std::collections::HashSet;

use clap::ValueEnum;
use tally::unstable::accept::{self, BaselineKey};
use tally::unstable::bind::{self, InputArg, ParamsFile};
use tally::unstable::data::Document;
use tally::unstable::eval;
use tally::unstable::input::{self, DataFailure};
use tally::unstable::report::hints::OptionalKeys;
use tally::unstable::report::rows::{self, OwnedRow, Run};
use tally::unstable::report::{
    self, csv, html, human, json, sarif, xlsx, CheckedFile, FileDigest, OmittedNotice, Summary,
};
use tally::unstable::resolve::{Program, Severity};

use super::batch;
use super::destination::Destination;
use super::output::Output;
use super::panic;
use super::progress::Progress;
use super::Status;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Data files (.yaml, .yml, .json) or folders searched for them; `-` reads standard input
    #[arg(required = true, value_name = "DATA")]
    data: Vec<std::ffi::OsString>,
    /// Rule files or folders (default: the bundled library)
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<OsString>,
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
    /// Threads to use: files checked at once, and the rule load (default: one per core; under a
    /// memory limit, one per 512 MiB past the first 256 MiB)
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
    /// Order the findings: file (each file's as in the file), rule or
    /// severity (grouped across the files of a batch)
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
    params_file: Option<OsString>,
    /// Give an input: NAME=PATH; PATH may use {dir} {name} {stem} {year} {year-1} {path:year-1}
    #[arg(long = "input", value_name = "NAME=PATH")]
    inputs: Vec<OsString>,
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
            Some(path) => Some(ParamsFile::read(program, utf8_arg(path)?)?),
            None => None,
        };
        let inputs: Vec<String> = args
            .inputs
            .iter()
            .map(|arg| utf8_input_arg(arg).map(str::to_owned))
            .collect::<Result<_, _>>()?;
        let inputs = bind::input_args(program, &inputs)?;
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

/// A path argument as text: Tally names files by UTF-8 text (as
/// `tally::data::name` says of a data file).
fn utf8_arg(arg: &OsString) -> Result<&str, String> {
    arg.to_str().ok_or_else(|| not_utf8(&arg.to_string_lossy()))
}

/// An `--input NAME=PATH` as text; when it is not, the message quotes the
/// path alone if that is the part that is not UTF-8.
fn utf8_input_arg(arg: &OsString) -> Result<&str, String> {
    arg.to_str().ok_or_else(|| {
        let shown = arg.to_string_lossy();
        match shown.split_once('=') {
            Some((name, path)) if !name.contains(char::REPLACEMENT_CHARACTER) => not_utf8(path),
            _ => not_utf8(&shown),
        }
    })
}

/// The usage error for a path Tally cannot name, shown as `path`.
fn not_utf8(path: &str) -> String {
    format!(
        "the name of `{}` is not UTF-8, so it cannot be named in a report; give the file a UTF-8 name \
             (names from a GBK archive: `convmv -f gbk -t utf8 --notest FILE`)",
        path
    )
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
    let Some((program, selected, context)) = prepare(&args, out) else {
        return Status::Usage;
    };
    // Each argument in order; a folder expands to its files, sorted; each file once.
    let mut inputs = input::expand(&args.data);
    let mut report = match Destination::open(args.output.as_deref()) {
        Ok(report) => report,
        Err(message) => {
            out.problem(&format!("error: {message}"));
            return Status::Usage;
        }
    };
    // A report written into a data folder by an earlier run is not data.
    inputs.retain(|input| !input.as_ref().is_ok_and(|path| report.is_output(path)));
    // Everything prepared once for the run; the workers share it.
    let layout = args.view.layout(&program);
    // Colour is for a terminal only.
    let renderer = if report.is_file() {
        human::Renderer::with_layout(false, layout)
    } else {
        out.renderer.relaid(layout)
    };
    // The built-in rule `allow` is listed last in a SARIF log when it has findings.
    let mut sarif_rules = selected.clone();
    if !sarif_rules.contains(&context.allow_rule) {
        sarif_rules.push(context.allow_rule);
    }
    let setup = FileSetup {
        program: &program,
        selected: &selected,
        context: &context,
        args: &args,
        renderer: &renderer,
        failure_renderer: &out.renderer,
        sarif_rules: &sarif_rules,
        // A batch gets a heading and a subtotal per file.
        batch: inputs.len() > 1,
        threads_per_file: (jobs(&args) / inputs.len().max(1)).clamp(1, MAX_THREADS_PER_FILE),
    };
    let mut run = check_files(&setup, inputs, &mut report, out);
    if let Some(path) = &args.write_baseline {
        if let Err(e) = super::replace::file(path, run.baseline.as_bytes()) {
            out.problem(&format!("error: --write-baseline {path}: {e}"));
            return Status::Usage;
        }
    }
    run.summary.rules = selected.len();
    if let Err(message) = whole_run_report(&setup, &run, &mut report) {
        out.problem(&format!("error: {message}"));
        return Status::Usage;
    }
    if let Err(message) = report.finish() {
        out.problem(&format!("error: {message}"));
        return Status::Usage;
    }
    if args.format == Format::Csv {
        // A table of findings has no place for it: said on standard error.
        for notice in &run.omitted {
            out.problem(&human::omitted_line(notice, setup.renderer.layout().lang));
        }
    }
    exit_status(&run, args.fail_on)
}

/// The rules, the selected rule indexes and the run's context, or `None`
/// after reporting a usage error (checked before any data file is read).
fn prepare(args: &CheckArgs, out: &Output) -> Option<(Program, Vec<usize>, RunContext)> {
    if matches!(args.format, Format::Xlsx | Format::Html) && args.output.is_none() {
        // A workbook is binary and a page is long: neither belongs on a terminal.
        let format = args.format.to_possible_value().expect("a format has a name");
        out.problem(&format!(
            "error: --format {0} writes a file: give --output FILE 请用 --output 指定输出文件",
            format.get_name()
        ));
        return None;
    }
    let mut program = out.load_rules_on(&args.rules, jobs(args))?;
    let selected = match program.select(&args.ids, &args.tags) {
        Ok(selected) => selected,
        Err(message) => {
            out.problem(&format!("error: {message}"));
            return None;
        }
    };
    let mut context = match RunContext::new(&mut program, &args.run) {
        Ok(context) => context,
        Err(message) => {
            out.problem(&format!("error: {message}"));
            return None;
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
                return None;
            }
        }
    }
    Some((program, selected, context))
}

/// Threads one file's rules are shared among at most. Each has an evaluator
/// of its own, which may hold as much as one thread's did, so a file's
/// memory grows with them: two halve a long file's time and at most double
/// its memory.
const MAX_THREADS_PER_FILE: usize = 2;

/// Threads the run may use, loading the rules included: `--jobs`, or one
/// per core; under a memory limit, no more than it leaves room for.
fn jobs(args: &CheckArgs) -> usize {
    threads(args.jobs)
}

/// `--jobs`, or one thread per core; under a memory limit, one per 512 MiB
/// past the first 256 MiB.
pub fn threads(asked: Option<usize>) -> usize {
    asked
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, super::address_space::thread_cap())
}

/// Checks every input on the workers and prints each file's part as it
/// arrives, in input order; returns what the whole-run report needs.
fn check_files(
    setup: &FileSetup,
    inputs: Vec<Result<String, DataFailure>>,
    report: &mut Destination,
    out: &Output,
) -> RunState {
    let args = setup.args;
    let jobs = jobs(args);
    let mut progress = Progress::new(inputs.len(), args.format == Format::Human);
    if args.format == Format::Csv {
        report.print_raw(&csv::header());
    }
    let run = std::cell::RefCell::new(RunState::default());
    let slots: Vec<Mutex<Option<Result<String, DataFailure>>>> =
        inputs.into_iter().map(|i| Mutex::new(Some(i))).collect();
    let work = |i: usize| {
        let input = slots[i].lock().expect("input slot").take().expect("taken once");
        setup.file(input)
    };
    // Files are read, checked and rendered on the workers, then dropped; this
    // thread prints each file's part in input order as it arrives.
    batch::in_order(slots.len(), jobs, work, |files| {
        // What every file adds to the run; returns its SARIF results.
        let account = |file: FileReport, progress: &mut Progress| {
            progress.advance();
            if let Some(problem) = &file.problem {
                progress.suspend(true, || out.problem(problem));
            }
            run.borrow_mut().add(file.kept, file.tally, file.baseline);
            file.sarif
        };
        if args.format == Format::Sarif {
            let ending = || {
                let run = run.borrow();
                sarif::Ending {
                    rules: if run.allow_found {
                        setup.sarif_rules.to_vec()
                    } else {
                        setup.selected.to_vec()
                    },
                    omitted: run.omitted.clone(),
                }
            };
            let results = (&mut *files).flat_map(|file| account(file, &mut progress));
            report.stream(|w| sarif::write_streamed(w, setup.program, results, ending));
        }
        // Every file (after a SARIF log, those a failed write left).
        for mut file in files {
            let text = std::mem::take(&mut file.text);
            if !text.is_empty() {
                progress.suspend(false, || text.iter().for_each(|piece| report.print_raw(piece)));
            }
            if file.problem.is_some() {
                // Standard error after what came before it on standard output.
                report.flush();
            }
            account(file, &mut progress);
        }
    });
    progress.finish();
    run.into_inner()
}

/// What comes after the files: the total and hints, a JSON summary, or the
/// whole workbook or page. An error is a usage error.
fn whole_run_report(setup: &FileSetup, run: &RunState, report: &mut Destination) -> Result<(), String> {
    let summary = &run.summary;
    match setup.args.format {
        Format::Human => human_run_end(setup, run, report),
        Format::Json => report.print(&json::summary_with(summary, &run.inputs_missing)),
        Format::Sarif | Format::Csv => {}
        Format::Xlsx | Format::Html => {
            let whole = Run {
                program: setup.program,
                summary,
                files: &run.digests,
                failures: &run.failures,
                inputs_missing: &run.inputs_missing,
                omitted: &run.omitted,
            };
            if setup.args.format == Format::Html {
                report.print(&html::page(&whole, &run.sections));
            } else {
                report.write_bytes(&xlsx::workbook(&whole, &run.rows)?);
            }
        }
    }
    Ok(())
}

/// The end of the human report: findings grouped across the batch, the
/// run-level hints, the total and what could not be read.
fn human_run_end(setup: &FileSetup, run: &RunState, report: &mut Destination) {
    let layout = setup.renderer.layout();
    let width = layout.width;
    if !run.grouped.is_empty() || !run.subtotals.is_empty() {
        let shown = run
            .grouped
            .iter()
            .map(|(file, f)| (run.names[*file].as_str(), f.clone()));
        report.print_raw(&human::grouped_text(shown.collect(), setup.batch, width));
        for subtotal in &run.subtotals {
            report.print(subtotal);
        }
        if !run.subtotals.is_empty() {
            report.print("");
        }
    }
    for notice in &run.omitted {
        report.print(&human::wrap(&human::omitted_line(notice, layout.lang), width, "").join("\n"));
    }
    for hint in run.hints.hints(setup.program, layout.lang) {
        report.print(&human::wrap(&hint, width, "").join("\n"));
    }
    report.print(&human::wrap_clauses(&human::summary_line(&run.summary, layout.lang), width).join("\n"));
    for missing in &run.inputs_missing {
        report.print(&format!(
            "input file not found 输入文件不存在: {}",
            tally::unstable::text::escape(missing)
        ));
    }
    let failed = run.failures.len();
    if failed > 0 {
        report.print(&human::not_checked_line(failed, layout.lang));
    }
}

/// Internal error, then unreadable files, then findings at `fail_on` or
/// worse (or any that could not be decided) set the exit status.
fn exit_status(run: &RunState, fail_on: FailOn) -> Status {
    let summary = &run.summary;
    if run.internal {
        Status::Internal
    } else if !run.failures.is_empty() {
        Status::Usage
    } else if summary.violations_at_least(fail_on.into()) > 0
        || summary.counts.indeterminate > 0
        || summary.counts.errors > 0
    {
        Status::Findings
    } else {
        Status::Clean
    }
}

/// Everything a worker needs to check and render one file, prepared once
/// per run and shared by every worker.
struct FileSetup<'a> {
    program: &'a Program,
    selected: &'a [usize],
    context: &'a RunContext,
    args: &'a CheckArgs,
    renderer: &'a human::Renderer,
    /// Draws a file that could not be checked, for standard error.
    failure_renderer: &'a human::Renderer,
    /// The rules a SARIF log lists (for each result's `ruleIndex`).
    sarif_rules: &'a [usize],
    batch: bool,
    /// Threads one file's rules may share: `--jobs` beyond one per file, at
    /// most [`MAX_THREADS_PER_FILE`].
    threads_per_file: usize,
}

/// What the run keeps of one file once its document is dropped.
struct FileReport {
    /// Printed now, in input order, piece after piece: the human report's
    /// part for the file, its JSON Lines or its CSV rows.
    text: Vec<String>,
    /// The rendered failure, for standard error.
    problem: Option<String>,
    /// Its findings as baseline lines (JSON Lines, accepted ones included),
    /// only with `--write-baseline`.
    baseline: String,
    /// Its SARIF results (`--format sarif` only), written as they arrive.
    sarif: Vec<Box<serde_json::value::RawValue>>,
    /// Kept to the end of the run (findings or rows, never the document).
    kept: Kept,
    tally: FileTally,
}

/// What a whole-run report needs of a file at the end.
enum Kept {
    Nothing,
    /// Findings printed by group across the batch, and the file's subtotal.
    Grouped(String, Vec<human::ShownFinding>, Option<String>),
    /// Its section of the HTML page.
    Html(String),
    /// Its rows of the workbook.
    Xlsx(Vec<OwnedRow>),
}

/// The whole-run counts one file adds.
enum FileTally {
    Checked {
        summary: Box<Summary>,
        hints: OptionalKeys,
        inputs_missing: Vec<String>,
        omitted: Vec<OmittedNotice>,
        allow_found: bool,
        /// For the XLSX and HTML summaries.
        digest: Option<FileDigest>,
    },
    Failed {
        path: String,
        message: String,
        internal: bool,
    },
}

impl FileSetup<'_> {
    /// Reads, checks and renders one file; a panic anywhere in it is that
    /// file's internal error, and the run goes on.
    fn file(&self, input: Result<String, DataFailure>) -> FileReport {
        let path = input.as_ref().ok().cloned();
        let outcome = panic::catch(|| {
            let checked = input
                .and_then(|path| check_file(self.program, self.selected, &path, self.context, self.threads_per_file));
            self.report(checked)
        });
        let outcome = outcome.map_err(|message| DataFailure::Internal {
            path: input::display_name(path.as_deref().unwrap_or("-")).into_owned(),
            message,
        });
        outcome.unwrap_or_else(|failure| self.failure(failure))
    }

    fn failure(&self, failure: DataFailure) -> FileReport {
        let text = if self.args.format == Format::Json {
            vec![json_error(&failure) + "\n"]
        } else {
            Vec::new()
        };
        FileReport {
            text,
            problem: Some(self.failure_renderer.render(&failure)),
            baseline: String::new(),
            sarif: Vec::new(),
            kept: Kept::Nothing,
            tally: FileTally::Failed {
                path: failure.path().to_owned(),
                message: failure.to_string(),
                internal: matches!(failure, DataFailure::Internal { .. }),
            },
        }
    }

    fn report(&self, checked: Result<CheckedFile, DataFailure>) -> FileReport {
        let (program, args) = (self.program, self.args);
        let mut file = match checked {
            Ok(file) => file,
            Err(failure) => return self.failure(failure),
        };
        // Kept for the whole run only when asked for (it grows with the findings).
        let mut baseline = String::new();
        if args.write_baseline.is_some() {
            for finding in file.result.findings.iter().chain(file.accepted.iter().map(|a| &a.0)) {
                baseline.push_str(&json::finding(program, &file.doc, finding));
                baseline.push('\n');
            }
        }
        if args.show_accepted {
            // Shown, marked; still not counted against the exit status.
            for (finding, reason) in std::mem::take(&mut file.accepted) {
                let mut finding = finding;
                finding.message = format!("{} [accepted 已接受: {reason}]", finding.message);
                file.result.findings.push(finding);
            }
            report::sort_findings(program, &file.doc, &mut file.result.findings);
        }
        let findings = &file.result.findings;
        let omitted = OmittedNotice::of(program, &file);
        let mut text = Vec::new();
        let mut kept = Kept::Nothing;
        let mut sarif = Vec::new();
        match args.format {
            Format::Human if args.view.group_by == GroupArg::File => text.push(self.human_file(&file)),
            Format::Human => kept = self.human_grouped(&file),
            Format::Json => {
                text = json_lines(program, &file.doc, findings);
                text.extend(omitted.iter().map(|notice| json::omitted(notice) + "\n"));
            }
            Format::Csv => text.push(csv::file_rows(program, &file)),
            Format::Sarif => sarif = sarif::results(program, self.sarif_rules, &file),
            Format::Html => kept = Kept::Html(html::file_section(program, &file)),
            Format::Xlsx => kept = Kept::Xlsx(rows::owned_rows(program, &file)),
        }
        let mut summary = Summary::default();
        summary.add(program, &file);
        let mut hints = OptionalKeys::default();
        hints.add(&file);
        let digest = matches!(args.format, Format::Html | Format::Xlsx).then(|| FileDigest::of(&file));
        FileReport {
            text,
            problem: None,
            baseline,
            sarif,
            kept,
            tally: FileTally::Checked {
                summary: Box::new(summary),
                hints,
                allow_found: findings.iter().any(|f| f.rule == self.context.allow_rule),
                inputs_missing: file.inputs_missing,
                omitted,
                digest,
            },
        }
    }

    /// One file's findings drawn now, each with its group (the `--group-by` key).
    fn shown(&self, file: &CheckedFile) -> Vec<human::ShownFinding> {
        let (program, renderer, view) = (self.program, self.renderer, &self.args.view);
        human::shown_findings(
            program,
            &file.result.findings,
            view.min_severity.into(),
            view.group(),
            renderer.layout().lang,
            |finding| renderer.finding(program, &file.doc, finding),
        )
    }

    /// One file's part of the human report in file order: in a batch, a
    /// heading and a subtotal around its findings.
    fn human_file(&self, file: &CheckedFile) -> String {
        let layout = self.renderer.layout();
        let shown = self.shown(file).into_iter().map(|f| ("", f)).collect();
        let findings = human::grouped_text(shown, false, usize::MAX);
        if !self.batch {
            return findings;
        }
        format!(
            "{}\n\n{findings}{}\n\n",
            human::file_heading(file.doc.source().name(), layout.width),
            human::file_summary(self.program, file, layout.lang, layout.width)
        )
    }

    /// One file's findings drawn now, printed by group once every file is checked.
    fn human_grouped(&self, file: &CheckedFile) -> Kept {
        let layout = self.renderer.layout();
        let subtotal = self
            .batch
            .then(|| human::file_summary(self.program, file, layout.lang, layout.width));
        Kept::Grouped(file.doc.source().name().to_owned(), self.shown(file), subtotal)
    }
}

/// Whole-run results, accumulated file by file in input order.
#[derive(Default)]
struct RunState {
    summary: Summary,
    hints: OptionalKeys,
    /// Each missing input file once, in the order first met.
    inputs_missing: Vec<String>,
    /// Files that could not be checked: the file and why.
    failures: Vec<(String, String)>,
    /// Findings counted but not listed, by file and rule.
    omitted: Vec<OmittedNotice>,
    internal: bool,
    allow_found: bool,
    baseline: String,
    /// `--group-by rule|severity`: file names, and each shown finding with its file.
    names: Vec<String>,
    grouped: Vec<(usize, human::ShownFinding)>,
    subtotals: Vec<String>,
    /// `--format html|xlsx`: per file, what the report is made of.
    digests: Vec<FileDigest>,
    sections: Vec<String>,
    rows: Vec<OwnedRow>,
}

impl RunState {
    fn add(&mut self, kept: Kept, tally: FileTally, baseline: String) {
        self.baseline.push_str(&baseline);
        match kept {
            Kept::Nothing => {}
            Kept::Grouped(name, shown, subtotal) => {
                let file = self.names.len();
                self.names.push(name);
                self.grouped.extend(shown.into_iter().map(|f| (file, f)));
                self.subtotals.extend(subtotal);
            }
            Kept::Html(section) => self.sections.push(section),
            Kept::Xlsx(rows) => self.rows.extend(rows),
        }
        match tally {
            FileTally::Checked {
                summary,
                hints,
                inputs_missing,
                omitted,
                allow_found,
                digest,
            } => {
                self.omitted.extend(omitted);
                self.summary.merge(&summary);
                self.hints.merge(hints);
                for missing in inputs_missing {
                    if !self.inputs_missing.contains(&missing) {
                        self.inputs_missing.push(missing);
                    }
                }
                self.allow_found |= allow_found;
                self.digests.extend(digest);
            }
            FileTally::Failed {
                path,
                message,
                internal,
            } => {
                self.failures.push((path, message));
                self.internal |= internal;
            }
        }
    }
}

pub fn check_file(
    program: &Program,
    selected: &[usize],
    path: &str,
    context: &RunContext,
    threads: usize,
) -> Result<CheckedFile, DataFailure> {
    panic::test_trigger(path);
    let mut doc = input::read_document(path)?;
    let bound = bind::bind(program, &mut doc, path, context.params.as_ref(), &context.inputs)?;
    let shortcuts = eval::Shortcuts::ALL;
    let mut result = eval::check_on_threads(
        program,
        &doc,
        selected,
        &bound.bindings,
        shortcuts,
        threads,
        eval::HELP_AFTER,
    );
    // Accepted findings (`# tally-allow:`, the baseline) leave the report
    // and move to their own count.
    let accepted = accept::settle(program, context.allow_rule, &doc, &mut result, |finding| {
        context.baseline.contains(&BaselineKey::of(program, &doc, finding))
    });
    report::sort_findings(program, &doc, &mut result.findings);
    Ok(CheckedFile {
        doc,
        result,
        accepted,
        inputs_missing: bound.missing,
    })
}

/// A file's JSON Lines, in pieces of about a mebibyte: held as one string,
/// a million findings' lines (335 MB) were copied each time it doubled, and
/// the last doubling asked for 656 MB at once.
fn json_lines(program: &Program, doc: &Document, findings: &[eval::Finding]) -> Vec<String> {
    const PIECE: usize = 1 << 20;
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for finding in findings {
        piece.push_str(&json::finding(program, doc, finding));
        piece.push('\n');
        if piece.len() >= PIECE {
            piece.shrink_to_fit();
            pieces.push(std::mem::take(&mut piece));
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}

fn json_error(failure: &DataFailure) -> String {
    json::error(failure.path(), &failure.to_string(), failure.location())
}
