//! Finding and reading data files: folders searched recursively, `-` for
//! standard input, and every failure a diagnostic that loses no other file.

use std::borrow::Cow;
use std::path::Path;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::data::{self, DataError, Document, Limits};
use crate::read::{self, ReadError};
use crate::source::{DiagnosticSource, SourceFile};

/// The largest data file read, far beyond any real disclosure.
pub const MAX_DATA_BYTES: u64 = 256 * 1024 * 1024;

/// A data file that could not be checked.
#[derive(Debug, Error, Diagnostic)]
pub enum DataFailure {
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(tally::data::io))]
    Unreadable { path: String, reason: String },
    #[error("`{path}` is {size} bytes, more than the {limit} bytes a data file may have")]
    #[diagnostic(
        code(tally::data::size),
        help("split the file, or check that it is the file you meant")
    )]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("`{path}` is not UTF-8 text: invalid byte at offset {offset}")]
    #[diagnostic(
        code(tally::data::encoding),
        help("save the file as UTF-8 (GBK and other encodings are not read)")
    )]
    NotUtf8 {
        path: String,
        offset: usize,
        /// The file as far as it could be decoded, to show the place.
        #[source_code]
        text: DiagnosticSource,
        #[label("not UTF-8")]
        at: SourceSpan,
    },
    #[error("the name of `{path}` is not UTF-8, so it cannot be named in a report")]
    #[diagnostic(
        code(tally::data::name),
        help("give the file a UTF-8 name (names from a GBK archive: `convmv -f gbk -t utf8 --notest FILE`)")
    )]
    NameNotUtf8 { path: String },
    #[error("no data files (`*.yaml`, `*.yml`, `*.json`) in `{path}`")]
    #[diagnostic(code(tally::data::empty))]
    EmptyFolder { path: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Parse(Box<DataError>),
    /// A bug in Tally met while checking this file.
    #[error("internal error while checking `{path}`: {message}")]
    #[diagnostic(
        code(tally::internal),
        help("this is a bug in Tally, not in your file; please report it (内部错误，请报告)")
    )]
    Internal { path: String, message: String },
}

impl DataFailure {
    /// The data file that failed.
    pub fn path(&self) -> &str {
        match self {
            DataFailure::Unreadable { path, .. }
            | DataFailure::TooLarge { path, .. }
            | DataFailure::NotUtf8 { path, .. }
            | DataFailure::EmptyFolder { path }
            | DataFailure::NameNotUtf8 { path }
            | DataFailure::Internal { path, .. } => path,
            DataFailure::Parse(e) => e.file_name(),
        }
    }

    /// The 1-based line and character column the failure points at, if any.
    pub fn location(&self) -> Option<(usize, usize)> {
        let label = self.labels()?.next()?;
        let contents = self.source_code()?.read_span(label.inner(), 0, 0).ok()?;
        Some((contents.line() + 1, contents.column() + 1))
    }
}

/// The data files named by `args`, in order, each file once even when named
/// twice or reached both through a folder and by name. An argument that is
/// not UTF-8 is a failure of its own, as such a name found in a folder is.
pub fn expand(args: &[std::ffi::OsString]) -> Vec<Result<String, DataFailure>> {
    let mut seen = std::collections::HashSet::new();
    let mut inputs = Vec::new();
    for arg in args {
        let Some(arg) = arg.to_str() else {
            inputs.push(utf8_name(Path::new(arg)));
            continue;
        };
        match data_files(arg) {
            Ok(files) => inputs.extend(files.into_iter().filter(|file| match file {
                Ok(f) => seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.into())),
                Err(_) => true,
            })),
            Err(failure) => inputs.push(Err(failure)),
        }
    }
    inputs
}

/// The data files named by `arg`: the file itself, every data file under a
/// folder (sorted), or `-` for standard input. A file found whose name is not
/// UTF-8 is a failure of its own: the others are still checked.
pub fn data_files(arg: &str) -> Result<Vec<Result<String, DataFailure>>, DataFailure> {
    let path = Path::new(arg);
    if arg == "-" || !path.is_dir() {
        return Ok(vec![Ok(arg.to_owned())]);
    }
    let mut found = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| DataFailure::Unreadable {
            path: dir.display().to_string(),
            reason: e.to_string(),
        })?;
        for entry in entries.flatten() {
            let p = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                pending.push(p);
            } else if is_data_file(&p) {
                found.push(utf8_name(&p));
            }
        }
    }
    if found.is_empty() {
        return Err(DataFailure::EmptyFolder { path: arg.to_owned() });
    }
    found.sort_by(|a, b| name_of(a).cmp(name_of(b)));
    Ok(found)
}

/// A path found on disk, as Tally names files: by UTF-8 text.
pub fn utf8_name(path: &Path) -> Result<String, DataFailure> {
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| DataFailure::NameNotUtf8 {
            path: path.to_string_lossy().into_owned(),
        })
}

/// How a found file is sorted: by its name, or the failure's.
pub fn name_of(file: &Result<String, DataFailure>) -> &str {
    match file {
        Ok(name) => name,
        Err(failure) => failure.path(),
    }
}

/// How a data file is named in reports: standard input is `<stdin>`, and a
/// name is escaped as names are ([`crate::text::escape_name`]: line breaks
/// too, which a name could use to forge a line of the report).
pub fn display_name(path: &str) -> Cow<'_, str> {
    if path == "-" {
        return Cow::Borrowed("<stdin>");
    }
    crate::text::escape_name(path)
}

pub fn is_data_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
}

/// Reads and loads one data file (`-`: standard input).
pub fn read_document(path: &str) -> Result<Document, DataFailure> {
    let text = read_text(path)?;
    load_text(&display_name(path), text)
}

/// Loads data already in memory, named `name` in diagnostics.
pub fn load_text(name: &str, text: String) -> Result<Document, DataFailure> {
    data::load(SourceFile::new(name, text), Limits::default()).map_err(|e| DataFailure::Parse(Box::new(e)))
}

/// The file's bytes as UTF-8 text, within [`MAX_DATA_BYTES`].
pub fn read_text(path: &str) -> Result<String, DataFailure> {
    read_text_within(path, MAX_DATA_BYTES)
}

fn read_text_within(path: &str, limit: u64) -> Result<String, DataFailure> {
    let bytes = if path == "-" {
        read::bounded(std::io::stdin().lock(), limit)
    } else {
        read::regular_file(Path::new(path), limit)
    };
    let bytes = bytes.map_err(|e| match e {
        ReadError::TooLarge { size, limit } => DataFailure::TooLarge {
            path: display_name(path).into_owned(),
            size,
            limit,
        },
        other => DataFailure::Unreadable {
            path: display_name(path).into_owned(),
            reason: other.to_string(),
        },
    })?;
    let path = &*display_name(path);
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        // Each invalid byte became one 3-byte replacement character.
        let at = String::from_utf8_lossy(&e.as_bytes()[..offset]).len();
        DataFailure::NotUtf8 {
            path: path.to_owned(),
            offset,
            text: SourceFile::new(path, lossy).named_source(),
            at: (at, '\u{FFFD}'.len_utf8()).into(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let path = std::env::temp_dir().join("tally-too-large.yaml");
        std::fs::write(&path, "a: 1\n".repeat(100)).unwrap();
        let err = read_text_within(&path.to_string_lossy(), 64).unwrap_err();
        assert!(
            matches!(
                err,
                DataFailure::TooLarge {
                    size: 500,
                    limit: 64,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("more than the 64 bytes"), "{err}");
    }
}
