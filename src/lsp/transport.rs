//! The server's stdio: LSP messages framed by `Content-Length`, read with
//! limits. `lsp_server`'s own stdio transport allocates whatever length a
//! header announces (`Content-Length: 99999999999999` aborted the process)
//! and reads a header line of any length into memory; this one refuses both
//! with a message, and keeps the reason for `tally lsp` to print.

use std::io::{self, BufRead, Read};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use crossbeam_channel::bounded;
use lsp_server::{Connection, Message};

/// The longest message accepted: a rule file is at most 16 MiB, and JSON
/// escaping can make its text up to twice as long.
pub const MAX_MESSAGE: usize = 64 << 20;

/// The longest header line accepted (`Content-Length: …`, `Content-Type: …`).
const MAX_HEADER_LINE: u64 = 1024;

/// The threads behind a [`Connection`] over stdio.
pub struct Transport {
    writer: JoinHandle<io::Result<()>>,
    /// Why the reader stopped early, if it did.
    failure: Arc<Mutex<Option<String>>>,
}

impl Transport {
    /// Why the client's input could not be read, if that ended the session.
    pub fn failure(&self) -> Option<String> {
        self.failure.lock().ok()?.clone()
    }

    /// Waits for the writer to send what is left (it ends when the
    /// connection's sender is dropped). The reader is not waited for: it may
    /// be blocked on a client that never closes its end.
    pub fn finish(self) -> io::Result<()> {
        self.writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")))
    }
}

/// A connection over stdin and stdout.
pub fn stdio() -> (Connection, Transport) {
    let (to_client, outgoing) = bounded::<Message>(0);
    let writer = thread::Builder::new()
        .name("lsp writer".to_owned())
        .spawn(move || {
            let mut stdout = io::stdout().lock();
            outgoing.into_iter().try_for_each(|message| message.write(&mut stdout))
        })
        .expect("spawns the writer thread");
    let (incoming, from_client) = bounded::<Message>(0);
    let failure = Arc::new(Mutex::new(None));
    let reader_failure = failure.clone();
    thread::Builder::new()
        .name("lsp reader".to_owned())
        .spawn(move || {
            let mut stdin = io::stdin().lock();
            loop {
                match read_message(&mut stdin) {
                    Ok(Some(message)) => {
                        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                        if incoming.send(message).is_err() || exit {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(e) => {
                        if let Ok(mut slot) = reader_failure.lock() {
                            *slot = Some(e.to_string());
                        }
                        return;
                    }
                }
            }
        })
        .expect("spawns the reader thread");
    let connection = Connection {
        sender: to_client,
        receiver: from_client,
    };
    (connection, Transport { writer, failure })
}

/// One message; `None` at the end of the input.
pub fn read_message(input: &mut impl BufRead) -> io::Result<Option<Message>> {
    let mut length = None;
    let mut line = Vec::new();
    for first in std::iter::once(true).chain(std::iter::repeat(false)) {
        line.clear();
        let n = input.by_ref().take(MAX_HEADER_LINE).read_until(b'\n', &mut line)?;
        if n == 0 && first {
            return Ok(None);
        }
        let Some(header) = line.strip_suffix(b"\r\n") else {
            return Err(invalid(if n as u64 == MAX_HEADER_LINE {
                format!("a header line longer than {MAX_HEADER_LINE} bytes")
            } else {
                "a header line that does not end in CR LF".to_owned()
            }));
        };
        if header.is_empty() {
            break;
        }
        let header = std::str::from_utf8(header).map_err(|_| invalid("a header that is not UTF-8".to_owned()))?;
        let Some((name, value)) = header.split_once(": ") else {
            return Err(invalid(format!("a malformed header {header:?}")));
        };
        if name.eq_ignore_ascii_case("Content-Length") {
            let n: usize = value
                .trim()
                .parse()
                .map_err(|_| invalid(format!("a Content-Length that is not a length: {value:?}")))?;
            if n > MAX_MESSAGE {
                return Err(invalid(format!(
                    "a message of {n} bytes; at most {MAX_MESSAGE} bytes (64 MiB) are accepted"
                )));
            }
            length = Some(n);
        }
    }
    let length = length.ok_or_else(|| invalid("a message without Content-Length".to_owned()))?;
    // Read before allocating: a client that announces more than it sends
    // costs only what it sent.
    let mut body = Vec::new();
    input.by_ref().take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Err(invalid(format!(
            "a message cut short: {} of {length} bytes",
            body.len()
        )));
    }
    serde_json::from_slice(&body)
        .map(Some)
        .map_err(|e| invalid(format!("a message that is not JSON-RPC: {e}")))
}

fn invalid(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("the client sent {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Option<Message>, String> {
        read_message(&mut io::Cursor::new(bytes)).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_a_framed_message() {
        let body = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let frame = format!("Content-Length: {}\r\nContent-Type: x\r\n\r\n{body}", body.len());
        let message = read(frame.as_bytes()).unwrap().unwrap();
        assert!(matches!(message, Message::Notification(n) if n.method == "exit"));
        assert_eq!(read(b"").unwrap().map(|_| ()), None);
    }

    #[test]
    fn refuses_what_it_cannot_hold() {
        assert_eq!(
            read(b"Content-Length: 99999999999999\r\n\r\n{}").unwrap_err(),
            "the client sent a message of 99999999999999 bytes; at most 67108864 bytes (64 MiB) are accepted"
        );
        let long_line = vec![b'x'; 5000];
        assert_eq!(
            read(&long_line).unwrap_err(),
            "the client sent a header line longer than 1024 bytes"
        );
        assert_eq!(
            read(b"Content-Length: 10\r\n\r\n{}").unwrap_err(),
            "the client sent a message cut short: 2 of 10 bytes"
        );
        assert_eq!(
            read(b"Content-Length: -1\r\n\r\n").unwrap_err(),
            "the client sent a Content-Length that is not a length: \"-1\""
        );
        assert_eq!(
            read(b"X: y\r\n\r\n").unwrap_err(),
            "the client sent a message without Content-Length"
        );
        assert!(read(b"Content-Length: 2\r\n\r\n[]")
            .unwrap_err()
            .starts_with("the client sent a message that is not JSON-RPC"));
    }
}
