//! Subcommands. Each returns the exit status; output goes to stdout
//! (results) and stderr (problems with the inputs).

pub mod address_space;
mod batch;
mod check;
mod destination;
mod explain;
mod fmt;
mod functions;
mod lint;
mod output;
pub mod panic;
mod progress;
mod replace;
mod rules;
mod schema;
mod source;
mod test;

use std::ffi::OsString;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit statuses (spec §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing at or above `--fail-on`, no indeterminate or error outcome.
    Clean = 0,
    /// Findings that fail the run.
    Findings = 1,
    /// A usage error, an unreadable or unparsable data file, a rule load error.
    Usage = 2,
    /// A bug in Tally (a panic), reported as an internal error.
    Internal = 3,
}

#[derive(Parser, Debug)]
#[command(
    name = "tally",
    version,
    about = "Audit public budget disclosures with rules (预决算公开审核)"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check data files against the rules and report every finding
    Check(check::CheckArgs),
    /// Run annotated regression cases (`# expect: ID`)
    Test(TestArgs),
    /// Report rule-file load errors and warnings, without data
    Lint {
        /// Rule files or folders
        #[arg(required = true)]
        rules: Vec<OsString>,
    },
    /// Rewrite rule files in the canonical layout (comments and literals kept)
    Fmt {
        /// Change nothing; list the files that would change and exit 1 if any
        #[arg(long)]
        check: bool,
        /// Rule files or folders
        #[arg(required = true)]
        rules: Vec<OsString>,
    },
    /// Print the rule catalogue: ID, severity, title, cite, tags, where defined
    Rules {
        /// Rule files or folders (default: the bundled library)
        #[arg(long = "rules", value_name = "PATH")]
        rules: Vec<OsString>,
        #[arg(long, value_enum, default_value_t = CatalogueFormat::Human)]
        format: CatalogueFormat,
        /// Print the source of a rule (by ID), of a rule file
        /// (`@cn-budget/yoy.tally`), or of the rule at a place a finding names
        /// (`@cn-budget/yoy.tally:14`)
        #[arg(long, value_name = "ID|FILE[:LINE]")]
        source: Option<String>,
    },
    /// List the built-in functions with their arguments and what they do
    Functions,
    /// Print the JSON Schema of the data that the rules declare (for editors)
    Schema {
        /// Rule files or folders (default: the bundled library)
        #[arg(long = "rules", value_name = "PATH")]
        rules: Vec<OsString>,
    },
    /// Show the value of every sub-expression of one rule over one document
    Explain {
        /// The rule ID
        id: String,
        /// A data file
        data: OsString,
        #[arg(long = "rules", value_name = "PATH")]
        rules: Vec<OsString>,
    },
    /// Serve the language server protocol on stdin/stdout, for editors
    Lsp,
}

#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Annotated data files or folders of them
    #[arg(required = true)]
    cases: Vec<OsString>,
    /// Rule files or folders (default: the bundled library)
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<OsString>,
    /// Cases checked at once (default: one per core; under a memory limit, one per 512 MiB past
    /// the first 256 MiB)
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum CatalogueFormat {
    Human,
    Json,
}

pub fn run(cli: Cli) -> Status {
    let out = output::Output::detect();
    match cli.command {
        Command::Check(args) => check::run(args, &out),
        Command::Test(args) => test::run(args, &out),
        Command::Lint { rules } => lint::run(&rules, &out),
        Command::Fmt { check, rules } => fmt::run(&rules, check, &out),
        Command::Rules {
            rules,
            format,
            source: Some(wanted),
        } => match out.load_rules(&rules) {
            Some(program) => {
                let _ = format;
                source::run(&program, &wanted, &out)
            }
            None => Status::Usage,
        },
        Command::Rules { rules, format, .. } => rules::run(&rules, format, &out),
        Command::Functions => functions::run(&out),
        Command::Schema { rules } => schema::run(&rules, &out),
        Command::Explain { id, data, rules } => explain::run(&id, &data, &rules, &out),
        Command::Lsp => match tally::unstable::lsp::run() {
            Ok(()) => Status::Clean,
            Err(e) => {
                eprintln!("tally lsp: {e}");
                Status::Usage
            }
        },
    }
}
