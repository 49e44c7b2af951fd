//! The `tally` command line: arguments, files, output format, exit status.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// Evaluation builds many small, short-lived values (lists of a
/// comprehension, call arguments, message text); mimalloc serves them with
/// 13% fewer instructions per document than the system allocator (callgrind,
/// bundled library over the example; YAML loading 3% fewer).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Deeply nested input is refused by the parsers long before this runs out;
/// evaluation grows its stack where it steps through names (`stack::deeper`).
const STACK_BYTES: usize = tally::unstable::stack::THREAD_BYTES;

fn main() -> ExitCode {
    cli::address_space::economise();
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        // `--help` and `--version` as clap prints them.
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            // A usage error quotes what was typed: hidden characters escaped
            // (spec §15), without colour.
            let text = e.render().to_string();
            eprint!("{}", tally::unstable::text::escape(&text));
            return ExitCode::from(cli::Status::Usage as u8);
        }
    };
    cli::panic::install_hook();
    let worker = std::thread::Builder::new()
        .name("tally".into())
        .stack_size(STACK_BYTES)
        .spawn(move || tally::unstable::panic_place::carrying(|| cli::run(args)))
        .expect("spawn the worker thread");
    match worker.join() {
        Ok(status) => ExitCode::from(status as u8),
        Err(payload) => {
            eprintln!(
                "internal error: {}; please report this (内部错误，请报告)",
                cli::panic::describe(&*payload)
            );
            ExitCode::from(cli::Status::Internal as u8)
        }
    }
}
