//! Where `tally check` writes its report: standard output, or the file named
//! by `--output`. Buffered either way; on a terminal each file's text is
//! flushed as soon as it is printed, so a long batch shows as it goes.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

pub struct Destination {
    writer: BufWriter<Box<dyn Write>>,
    /// The `--output` file, if any.
    file: Option<OutputFile>,
    /// Standard output is a terminal: flush after every print.
    interactive: bool,
    /// The first write that failed; reported once, at the end, for a file
    /// (a closed pipe on standard output only stops the writing).
    failed: Option<std::io::Error>,
}

struct OutputFile {
    path: String,
    /// The file as the system names it, to keep it out of the data files.
    canonical: Option<PathBuf>,
}

impl Destination {
    /// Standard output, or `path` created (or emptied) now, so that an
    /// unwritable path is a usage error before any checking.
    pub fn open(path: Option<&str>) -> Result<Self, String> {
        let (writer, file, interactive): (Box<dyn Write>, _, _) = match path {
            None => (Box::new(std::io::stdout()), None, std::io::stdout().is_terminal()),
            Some(path) => {
                let created = File::create(path).map_err(|e| format!("--output {path}: {e}"))?;
                let file = OutputFile {
                    path: path.to_owned(),
                    canonical: std::fs::canonicalize(path).ok(),
                };
                (Box::new(created), Some(file), false)
            }
        };
        Ok(Destination {
            writer: BufWriter::with_capacity(64 * 1024, writer),
            file,
            interactive,
            failed: None,
        })
    }

    pub fn is_file(&self) -> bool {
        self.file.is_some()
    }

    /// Whether `data` is the output file itself (found again in a data folder).
    pub fn is_output(&self, data: &str) -> bool {
        let Some(OutputFile {
            canonical: Some(output),
            ..
        }) = &self.file
        else {
            return false;
        };
        std::fs::canonicalize(Path::new(data)).is_ok_and(|d| &d == output)
    }

    /// `text`, ending with a line break.
    pub fn print(&mut self, text: &str) {
        self.write(text.as_bytes());
        if !text.ends_with('\n') {
            self.write(b"\n");
        }
        if self.interactive {
            self.flush();
        }
    }

    /// `text` exactly as it is (for pieces of a table that end their own lines).
    pub fn print_raw(&mut self, text: &str) {
        self.write(text.as_bytes());
        if self.interactive {
            self.flush();
        }
    }

    pub fn write_bytes(&mut self, bytes: &[u8]) {
        self.write(bytes);
    }

    /// Output written piece by piece (a large SARIF log is never held whole),
    /// ending with a line break.
    pub fn stream(&mut self, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
        if self.failed.is_none() {
            let written = write(&mut self.writer).and_then(|()| self.writer.write_all(b"\n"));
            if let Err(e) = written {
                self.failed = Some(e);
            }
        }
    }

    /// Sends what is buffered on (before something else shares the terminal).
    pub fn flush(&mut self) {
        if self.failed.is_none() {
            if let Err(e) = self.writer.flush() {
                self.failed = Some(e);
            }
        }
    }

    /// Flushes; an error writing the file names it.
    pub fn finish(mut self) -> Result<(), String> {
        self.flush();
        match (self.file, self.failed) {
            (Some(file), Some(e)) => Err(format!("--output {}: {e}", file.path)),
            _ => Ok(()),
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.failed.is_none() {
            if let Err(e) = self.writer.write_all(bytes) {
                self.failed = Some(e);
            }
        }
    }
}
