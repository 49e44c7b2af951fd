//! A progress bar for long `tally check` runs: on standard error, only when it
//! is a terminal and the output is for people, and only once the run has
//! taken over a second (short runs and pipes never see it).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before its bar appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);

pub struct Progress {
    /// `None` when no bar may ever be shown.
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
    /// Whether standard output shares the terminal (then printing moves the bar aside).
    stdout_on_terminal: bool,
}

impl Progress {
    /// A bar over `files` files; `human` is whether the output is the human format.
    pub fn new(files: usize, human: bool) -> Self {
        let wanted = wanted(files, human, std::io::stderr().is_terminal());
        let bar = wanted.then(|| {
            let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::hidden());
            let style = ProgressStyle::with_template("{bar:40} {pos}/{len} files 文件 ({elapsed}, ~{eta} left)")
                .expect("a valid template");
            bar.set_style(style);
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: false,
            stdout_on_terminal: std::io::stdout().is_terminal(),
        }
    }

    /// One more file done.
    pub fn advance(&mut self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if !self.shown && self.started.elapsed() >= SHOW_AFTER {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }

    /// Runs `print` with the bar out of the way when what it prints shares the
    /// bar's terminal (`to_stderr`: it writes to standard error too), so output
    /// never mixes with the bar.
    pub fn suspend(&self, to_stderr: bool, print: impl FnOnce()) {
        match &self.bar {
            Some(bar) if self.shown && (to_stderr || self.stdout_on_terminal) => bar.suspend(print),
            _ => print(),
        }
    }

    /// Removes the bar before the summary.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Whether a run may ever show a bar: a batch, in the human format, with a
/// terminal on standard error (pipes, files and machine formats never).
fn wanted(files: usize, human: bool, stderr_is_terminal: bool) -> bool {
    human && files > 1 && stderr_is_terminal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_human_batch_on_a_terminal_may_show_a_bar() {
        assert!(wanted(2, true, true));
        assert!(!wanted(1, true, true), "one file");
        assert!(!wanted(2000, false, true), "a machine format");
        assert!(!wanted(2000, true, false), "standard error is a pipe or a file");
    }

    #[test]
    fn a_bar_that_may_not_be_shown_never_draws() {
        // In the test harness standard error is not a terminal.
        let mut progress = Progress::new(3, true);
        progress.started -= SHOW_AFTER * 2;
        progress.advance();
        assert!(!progress.shown && progress.bar.is_none());
        let mut printed = false;
        progress.suspend(true, || printed = true);
        assert!(printed, "printing goes on without a bar");
    }
}
