//! Where `tally check` writes its report: standard output, or the file named
//! by `--output`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::output::Output;

pub struct Destination<'o> {
    out: &'o Output,
    file: Option<OutputFile>,
}

struct OutputFile {
    path: String,
    /// The file as the system names it, to keep it out of the data files.
    canonical: Option<PathBuf>,
    writer: BufWriter<File>,
    /// The first write that failed; reported once, at the end.
    failed: Option<std::io::Error>,
}

impl<'o> Destination<'o> {
    /// Standard output, or `path` created (or emptied) now, so that an
    /// unwritable path is a usage error before any checking.
    pub fn open(out: &'o Output, path: Option<&str>) -> Result<Self, String> {
        let file = match path {
            None => None,
            Some(path) => {
                let created = File::create(path).map_err(|e| format!("--output {path}: {e}"))?;
                Some(OutputFile {
                    path: path.to_owned(),
                    canonical: std::fs::canonicalize(path).ok(),
                    writer: BufWriter::new(created),
                    failed: None,
                })
            }
        };
        Ok(Destination { out, file })
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
        match &mut self.file {
            None => self.out.print(text),
            Some(file) => {
                file.write(text.as_bytes());
                if !text.ends_with('\n') {
                    file.write(b"\n");
                }
            }
        }
    }

    pub fn write_bytes(&mut self, bytes: &[u8]) {
        match &mut self.file {
            None => {
                let mut stdout = std::io::stdout().lock();
                let _ = stdout.write_all(bytes).and_then(|()| stdout.flush());
            }
            Some(file) => file.write(bytes),
        }
    }

    /// Output written piece by piece (a large SARIF log is never held whole),
    /// ending with a line break.
    pub fn stream(&mut self, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
        match &mut self.file {
            None => self.out.stream(write),
            Some(file) => {
                if file.failed.is_none() {
                    let written = write(&mut file.writer).and_then(|()| file.writer.write_all(b"\n"));
                    if let Err(e) = written {
                        file.failed = Some(e);
                    }
                }
            }
        }
    }

    /// Flushes the file; an error names it.
    pub fn finish(self) -> Result<(), String> {
        let Some(mut file) = self.file else {
            return Ok(());
        };
        let flushed = file.writer.flush();
        match file.failed.map_or(flushed, Err) {
            Ok(()) => Ok(()),
            Err(e) => Err(format!("--output {}: {e}", file.path)),
        }
    }
}

impl OutputFile {
    fn write(&mut self, bytes: &[u8]) {
        if self.failed.is_none() {
            if let Err(e) = self.writer.write_all(bytes) {
                self.failed = Some(e);
            }
        }
    }
}
