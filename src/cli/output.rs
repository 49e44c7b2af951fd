//! Where text goes, and whether it is coloured.

use std::ffi::{OsStr, OsString};
use std::io::{IsTerminal, Write};

use tally::unstable::report::human::{Renderer, WithSource};
use tally::unstable::resolve::{LoadError, LoadFailure, Program};

pub struct Output {
    pub renderer: Renderer,
    /// Whether the renderer writes colour codes.
    color: bool,
}

impl Output {
    /// Colour only for a terminal that can show it, and never under `NO_COLOR`.
    pub fn detect() -> Self {
        let color = color_wanted(
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var_os("TERM").as_deref(),
        );
        Output {
            renderer: Renderer::new(color),
            color,
        }
    }

    pub fn print(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        if !text.ends_with('\n') {
            let _ = stdout.write_all(b"\n");
        }
    }

    /// A problem, on standard error. Whatever a message quotes (a file
    /// name, an error from the system), a hidden character never reaches the
    /// terminal raw: only the renderer's own colour codes pass (spec §15).
    pub fn problem(&self, text: &str) {
        let text = if self.color {
            tally::unstable::text::escape_except_colour(text)
        } else {
            tally::unstable::text::escape(text)
        };
        let mut stderr = std::io::stderr().lock();
        let _ = stderr.write_all(text.as_bytes());
        if !text.ends_with('\n') {
            let _ = stderr.write_all(b"\n");
        }
    }

    /// The rules at `paths` (the bundled library when none is given: the
    /// command line's default), or `None` after reporting every load error.
    pub fn load_rules(&self, paths: &[OsString]) -> Option<Program> {
        self.load_rules_on(paths, usize::MAX)
    }

    /// [`Self::load_rules`] on at most `threads` threads (`check --jobs`).
    pub fn load_rules_on(&self, paths: &[OsString], threads: usize) -> Option<Program> {
        let paths = match utf8_paths(paths) {
            Ok(paths) if paths.is_empty() => vec![tally::unstable::resolve::BundledStore::ROOT.to_owned()],
            Ok(paths) => paths,
            Err(misnamed) => {
                // Tally names rule files by UTF-8 text; one it cannot name is
                // a load error, as such a file found in a folder is.
                self.load_failure(&LoadFailure {
                    errors: misnamed
                        .into_iter()
                        .map(|path| LoadError::NameNotUtf8 { path })
                        .collect(),
                    sources: Vec::new(),
                });
                return None;
            }
        };
        match tally::unstable::load_rules_on(&paths, threads) {
            Ok(program) => Some(program),
            Err(failure) => {
                self.load_failure(&failure);
                None
            }
        }
    }

    /// Every load error, each with the rule file it points into.
    pub fn load_failure(&self, failure: &LoadFailure) {
        for error in &failure.errors {
            let text = match error.file() {
                Some(file) => self.renderer.render(&WithSource {
                    inner: error,
                    source: failure.sources[file as usize].named_source(),
                }),
                None => self.renderer.render(error),
            };
            self.problem(&text);
        }
        self.problem(&format!(
            "{} load error{} in the rules; no data was checked",
            failure.errors.len(),
            if failure.errors.len() == 1 { "" } else { "s" }
        ));
    }
}

/// Whether to colour: on a terminal, unless `NO_COLOR` is set (to anything,
/// as no-color.org asks) or `TERM=dumb` says the terminal cannot show it.
fn color_wanted(terminal: bool, no_color: Option<&OsStr>, term: Option<&OsStr>) -> bool {
    terminal && no_color.is_none() && term.is_none_or(|t| t != "dumb")
}

/// The paths as text, or (lossily, to be shown) every one that is not UTF-8.
fn utf8_paths(paths: &[OsString]) -> Result<Vec<String>, Vec<String>> {
    let misnamed: Vec<String> = paths
        .iter()
        .filter(|p| p.to_str().is_none())
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if !misnamed.is_empty() {
        return Err(misnamed);
    }
    Ok(paths.iter().filter_map(|p| p.to_str().map(str::to_owned)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_where_it_can_be_shown() {
        let s = |t: &'static str| Some(OsStr::new(t));
        assert!(color_wanted(true, None, s("xterm-256color")));
        assert!(color_wanted(true, None, None));
        assert!(!color_wanted(false, None, s("xterm")));
        assert!(!color_wanted(true, s("1"), s("xterm")));
        assert!(!color_wanted(true, None, s("dumb")));
    }
}
