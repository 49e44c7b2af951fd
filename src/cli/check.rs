//! `tally check`: every selected rule over every data file.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use clap::ValueEnum;
use tally::input::{self, DataFailure};
use tally::report::{self, human, json, sarif, CheckedFile, Summary};
use tally::resolve::{Program, Severity};

use super::output::Output;
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
    let Some(program) = out.load_rules(&args.rules) else {
        return Status::Usage;
    };
    let selected = match program.select(&args.ids, &args.tags) {
        Ok(selected) => selected,
        Err(message) => {
            out.problem(&format!("error: {message}"));
            return Status::Usage;
        }
    };
    // Each argument in order; a folder expands to its files, sorted.
    let mut inputs: Vec<Result<String, DataFailure>> = Vec::new();
    for arg in &args.data {
        match input::data_files(arg) {
            Ok(files) => inputs.extend(files.into_iter().map(Ok)),
            Err(failure) => inputs.push(Err(failure)),
        }
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let outcomes = check_all(&program, &selected, inputs, jobs);

    let mut checked = Vec::new();
    let mut failed = 0;
    for outcome in outcomes {
        match outcome {
            Ok(file) => {
                if args.format == Format::Human {
                    for finding in &file.result.findings {
                        out.print(&out.renderer.finding(&program, &file.doc, finding));
                    }
                } else if args.format == Format::Json {
                    for finding in &file.result.findings {
                        out.print(&json::finding(&program, &file.doc, finding));
                    }
                }
                checked.push(file);
            }
            Err(failure) => {
                failed += 1;
                if args.format == Format::Json {
                    out.print(&json_error(&failure));
                }
                out.problem(&out.renderer.render(&failure));
            }
        }
    }
    let summary = Summary::new(&program, selected.len(), &checked);
    match args.format {
        Format::Human => {
            out.print(&human::summary_line(&summary));
            if failed > 0 {
                out.print(&format!(
                    "{failed} data file{} could not be checked",
                    if failed == 1 { "" } else { "s" }
                ));
            }
        }
        Format::Json => out.print(&json::summary(&summary)),
        Format::Sarif => out.stream(|w| sarif::write_log(w, &program, &selected, &checked)),
    }
    if failed > 0 {
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
) -> Vec<Result<CheckedFile, DataFailure>> {
    let count = inputs.len();
    let inputs: Vec<Mutex<Option<Result<String, DataFailure>>>> =
        inputs.into_iter().map(|i| Mutex::new(Some(i))).collect();
    let results: Vec<Mutex<Option<Result<CheckedFile, DataFailure>>>> = (0..count).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(count) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    break;
                }
                let input = inputs[i].lock().expect("input slot").take().expect("taken once");
                let result = input.and_then(|path| check_file(program, selected, &path));
                *results[i].lock().expect("result slot") = Some(result);
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().expect("result slot").expect("every file checked"))
        .collect()
}

pub fn check_file(program: &Program, selected: &[usize], path: &str) -> Result<CheckedFile, DataFailure> {
    let doc = input::read_document(path)?;
    let mut result = tally::eval::check(program, &doc, selected);
    report::sort_findings(program, &doc, &mut result.findings);
    Ok(CheckedFile { doc, result })
}

fn json_error(failure: &DataFailure) -> String {
    json::error(failure.path(), &failure.to_string(), failure.location())
}
