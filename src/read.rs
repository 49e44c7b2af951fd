//! Reading a user's file without trusting it: only regular files are opened
//! (a FIFO would block forever, a device never ends), and never more than a
//! limit is read into memory, whatever the file claims its size is.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// A FIFO, a device, a socket…: the words name what it is.
    NotRegular(&'static str),
    /// More than `limit` bytes (`size` is what was seen, at least `limit + 1`).
    TooLarge {
        size: u64,
        limit: u64,
    },
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge { size, limit } => {
                write!(f, "it is {size} bytes, more than the {limit} bytes allowed")
            }
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// The bytes of the regular file at `path`, at most `limit` of them.
pub fn regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    // Look before opening: opening a FIFO blocks until someone writes to it.
    let kind = std::fs::metadata(path).map_err(ReadError::Io)?.file_type();
    if !kind.is_file() {
        return Err(ReadError::NotRegular(describe(&kind)));
    }
    let file = File::open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    // The path may have been swapped for something else in between.
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(describe(&meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    within(file, limit, meta.len())
}

/// Everything `reader` gives, refused as soon as it passes `limit` bytes.
pub fn bounded(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    within(reader, limit, 0)
}

/// What `bounded` reads, into a buffer that starts at `expected + 1` bytes
/// (a file's size, then one byte to see its end) and doubles, but never
/// beyond `limit + 1`. `read_to_end` alone doubles past it: standard input
/// cut at the 256 MiB data limit peaked at 794,560 KiB; now 606,244 KiB (the
/// smaller buffers it outgrew stay with the allocator for a while).
fn within(reader: impl Read, limit: u64, expected: u64) -> Result<Vec<u8>, ReadError> {
    let most = usize::try_from(limit).unwrap_or(usize::MAX).saturating_add(1);
    let first = usize::try_from(expected).unwrap_or(usize::MAX).saturating_add(1);
    let mut reader = reader.take(limit + 1);
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let stage = if bytes.capacity() == 0 {
            first.max(8 * 1024)
        } else {
            bytes.capacity().saturating_mul(2)
        };
        bytes.reserve_exact(stage.min(most).saturating_sub(bytes.len()));
        let room = (bytes.capacity() - bytes.len()) as u64;
        // Exactly the room: `read_to_end` then has no reason to grow.
        let got = (&mut reader)
            .take(room)
            .read_to_end(&mut bytes)
            .map_err(ReadError::Io)?;
        if (got as u64) < room || bytes.len() >= most {
            break;
        }
    }
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "something other than a file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_is_cut_at_the_limit() {
        let err = bounded(std::io::repeat(b'a'), 10).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { size: 11, limit: 10 }), "{err:?}");
        assert_eq!(bounded(&b"abc"[..], 3).unwrap(), b"abc");
    }

    #[test]
    fn the_buffer_never_grows_past_the_limit() {
        // Doubling from 8 KiB would reach 128 KiB for 100,000 bytes.
        let text = vec![b'a'; 100_000];
        let read = bounded(&text[..], 100_000).unwrap();
        assert_eq!(read, text);
        assert!(read.capacity() <= 100_001, "{}", read.capacity());
        let err = bounded(std::io::repeat(b'a'), 100_000).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { size: 100_001, .. }), "{err:?}");
        // A file's expected size is read in one buffer.
        let read = within(&text[..], 1 << 20, 100_000).unwrap();
        assert_eq!((read.len(), read.capacity()), (100_000, 100_001));
        // Shorter or longer than expected still reads all of it.
        assert_eq!(within(&text[..], 1 << 20, 10).unwrap(), text);
        assert_eq!(within(&text[..10], 1 << 20, 100_000).unwrap(), &text[..10]);
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_not_read() {
        let err = regular_file(Path::new("/dev/zero"), 10).unwrap_err();
        assert_eq!(err.to_string(), "it is a character device, not a regular file");
    }
}
