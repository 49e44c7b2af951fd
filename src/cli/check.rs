//! `tally check`: every selected rule over every data file.

use std::sync::{mpsc, Mutex};

use std::collections::HashSet;

use clap::ValueEnum;
use tally::accept::{self, BaselineKey};
use tally::bind::{self, InputArg, ParamsFile};
use tally::input::{self, DataFailure};
use tally::report::hints::OptionalKeys;
use tally::report::{self, human, json, sarif, CheckedFile, Summary};
use tally::resolve::{Program, Severity};

use super::output::Output;
use super::panic;
use super::progress::Progress;
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
    let inputs = input::expand(&args.data);
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    // The built-in rule `allow` has the next SARIF rule index when it is not selected.
    let mut sarif_rules = selected.clone();
    if !sarif_rules.contains(&context.allow_rule) {
        sarif_rules.push(context.allow_rule);
    }
    let report = |outcome| report_file(&program, &args, (&sarif_rules, context.allow_rule), out, outcome);
    let mut totals = Totals::default();
    totals.summary.rules = selected.len();
    let mut baseline_lines = String::new();
    let mut sarif_results = Vec::new();
    let mut progress = Progress::new(inputs.len(), args.format == Format::Human);
    // Files are read, checked and rendered on the workers, then dropped; this
    // thread prints each file's output in input order as it arrives.
    check_all(&program, &selected, inputs, jobs, &context, report, |file| {
        progress.advance();
        if !file.stdout.is_empty() || file.problem.is_some() {
            progress.suspend(file.problem.is_some(), || {
                for line in &file.stdout {
                    out.print(line);
                }
                if let Some(problem) = &file.problem {
                    out.problem(problem);
                }
            });
        }
        baseline_lines.push_str(&file.baseline);
        sarif_results.extend(file.sarif);
        totals.add(file.tally);
    });
    progress.finish();
    let Totals {
        summary,
        hints,
        inputs_missing,
        failed,
        internal,
        allow_found,
    } = totals;
    if let Some(path) = &args.write_baseline {
        if let Err(e) = std::fs::write(path, &baseline_lines) {
            out.problem(&format!("error: --write-baseline {path}: {e}"));
            return Status::Usage;
        }
    }
    match args.format {
        Format::Human => {
            for hint in hints.hints(&program) {
                out.print(&hint);
            }
            out.print(&human::summary_line(&summary));
            for missing in &inputs_missing {
                out.print(&format!("input file not found 输入文件不存在: {missing}"));
            }
            if failed > 0 {
                out.print(&format!(
                    "{failed} data file{} could not be checked",
                    if failed == 1 { "" } else { "s" }
                ));
            }
        }
        Format::Json => out.print(&json::summary_with(&summary, &inputs_missing)),
        Format::Sarif => {
            // The built-in rule `allow` is listed when it has findings.
            let rules = if allow_found { &sarif_rules } else { &selected };
            out.print(&sarif::log_of(&program, rules, &sarif_results))
        }
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

/// What the run keeps of one file once its document is dropped.
struct FileReport {
    /// Lines for standard output: the rendered findings (human or JSON).
    stdout: Vec<String>,
    /// The rendered failure, for standard error.
    problem: Option<String>,
    /// Its findings as baseline lines (JSON Lines), accepted ones included.
    baseline: String,
    /// Its SARIF results (`--format sarif` only).
    sarif: Vec<String>,
    tally: FileTally,
}

/// The whole-run counts one file adds.
enum FileTally {
    Checked {
        summary: Summary,
        hints: OptionalKeys,
        inputs_missing: Vec<String>,
        allow_found: bool,
    },
    Failed {
        internal: bool,
    },
}

/// Whole-run counts, accumulated file by file.
#[derive(Default)]
struct Totals {
    summary: Summary,
    hints: OptionalKeys,
    /// Each missing input file once, in the order first met.
    inputs_missing: Vec<String>,
    failed: usize,
    internal: bool,
    allow_found: bool,
}

impl Totals {
    fn add(&mut self, tally: FileTally) {
        match tally {
            FileTally::Checked {
                summary,
                hints,
                inputs_missing,
                allow_found,
            } => {
                self.summary.files += summary.files;
                self.summary.counts.add(summary.counts);
                for (total, n) in self.summary.by_severity.iter_mut().zip(summary.by_severity) {
                    *total += n;
                }
                self.hints.merge(hints);
                for missing in inputs_missing {
                    if !self.inputs_missing.contains(&missing) {
                        self.inputs_missing.push(missing);
                    }
                }
                self.allow_found |= allow_found;
            }
            FileTally::Failed { internal } => {
                self.failed += 1;
                self.internal |= internal;
            }
        }
    }
}

/// Renders one checked (or failed) file on the worker that checked it.
fn report_file(
    program: &Program,
    args: &CheckArgs,
    (sarif_rules, allow_rule): (&[usize], usize),
    out: &Output,
    outcome: Result<CheckedFile, DataFailure>,
) -> FileReport {
    let mut file = match outcome {
        Ok(file) => file,
        Err(failure) => {
            let stdout = if args.format == Format::Json {
                vec![json_error(&failure)]
            } else {
                Vec::new()
            };
            return FileReport {
                stdout,
                problem: Some(out.renderer.render(&failure)),
                baseline: String::new(),
                sarif: Vec::new(),
                tally: FileTally::Failed {
                    internal: matches!(failure, DataFailure::Internal { .. }),
                },
            };
        }
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
    let stdout = match args.format {
        Format::Human => findings
            .iter()
            .map(|f| out.renderer.finding(program, &file.doc, f))
            .collect(),
        Format::Json => findings.iter().map(|f| json::finding(program, &file.doc, f)).collect(),
        Format::Sarif => Vec::new(),
    };
    let sarif = if args.format == Format::Sarif {
        sarif::results(program, sarif_rules, &file)
    } else {
        Vec::new()
    };
    let mut summary = Summary::default();
    summary.add(program, &file);
    let mut hints = OptionalKeys::default();
    hints.add(&file);
    FileReport {
        stdout,
        problem: None,
        baseline,
        sarif,
        tally: FileTally::Checked {
            summary,
            hints,
            allow_found: findings.iter().any(|f| f.rule == allow_rule),
            inputs_missing: file.inputs_missing,
        },
    }
}

/// Loads, checks and reports every file, `jobs` at a time, on worker threads;
/// `emit` gets the reports on this thread in input order. At most a few
/// reports per worker wait for their turn, so memory does not grow with the
/// number of files.
fn check_all<R: Send>(
    program: &Program,
    selected: &[usize],
    inputs: Vec<Result<String, DataFailure>>,
    jobs: usize,
    context: &RunContext,
    report: impl Fn(Result<CheckedFile, DataFailure>) -> R + Sync,
    mut emit: impl FnMut(R),
) {
    let count = inputs.len();
    let window = jobs.saturating_mul(4).max(1);
    let inputs: Vec<Mutex<Option<Result<String, DataFailure>>>> =
        inputs.into_iter().map(|i| Mutex::new(Some(i))).collect();
    let (job_tx, job_rx) = mpsc::channel::<usize>();
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(count) {
            let done_tx = done_tx.clone();
            let (job_rx, inputs, report) = (&job_rx, &inputs, &report);
            // Workers evaluate and render as the main thread used to: same stack.
            let worker = std::thread::Builder::new().stack_size(crate::STACK_BYTES);
            let spawned = worker.spawn_scoped(scope, move || loop {
                let next = job_rx.lock().expect("job queue").recv();
                let Ok(i) = next else { break };
                let input = inputs[i].lock().expect("input slot").take().expect("taken once");
                let result = input.and_then(|path| {
                    panic::catch(|| check_file(program, selected, &path, context)).unwrap_or_else(|message| {
                        Err(DataFailure::Internal {
                            path: input::display_name(&path).to_owned(),
                            message,
                        })
                    })
                });
                let rendered = report(result);
                if done_tx.send((i, rendered)).is_err() {
                    break;
                }
            });
            spawned.expect("spawn a checking thread");
        }
        drop(done_tx);
        let mut sent = 0;
        while sent < count.min(window) {
            job_tx.send(sent).expect("workers wait for jobs");
            sent += 1;
        }
        // Reports that arrived before their turn, by index.
        let mut waiting = std::collections::BTreeMap::new();
        let mut emitted = 0;
        while emitted < count {
            let Ok((i, rendered)) = done_rx.recv() else { break };
            waiting.insert(i, rendered);
            while let Some(rendered) = waiting.remove(&emitted) {
                emit(rendered);
                emitted += 1;
                if sent < count {
                    job_tx.send(sent).expect("workers wait for jobs");
                    sent += 1;
                }
            }
        }
        drop(job_tx);
    });
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

fn json_error(failure: &DataFailure) -> String {
    json::error(failure.path(), &failure.to_string(), failure.location())
}
