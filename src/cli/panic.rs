//! A bug must not look like bad input: a panic is caught per data file,
//! reported as an internal error naming the input, and the run goes on; the
//! exit status is then [`super::Status::Internal`].

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};

use tally::unstable::panic_place;

/// Replaces the default hook, which would print a backtrace hint in the
/// middle of the report: the place is kept for the message instead.
pub fn install_hook() {
    panic::set_hook(Box::new(|info| {
        panic_place::record(info.location().map(|l| format!("{}:{}", l.file(), l.line())));
    }));
}

/// Runs `f`; a panic becomes `Err` with what it said and where.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| describe(&*payload))
}

/// The panic's message and place, for an "internal error" report.
pub fn describe(payload: &(dyn Any + Send)) -> String {
    // A panic message may quote the input: never a raw hidden character.
    let message = tally::unstable::text::escape(&panic_place::message(payload)).into_owned();
    match panic_place::take() {
        Some(place) => format!("{message} (at {place})"),
        None => message,
    }
}

/// In debug builds only, `TALLY_PANIC_ON=NAME` makes checking a data file
/// whose path contains NAME panic, so the tests can exercise this path.
pub fn test_trigger(path: &str) {
    if cfg!(debug_assertions) {
        if let Some(name) = std::env::var_os("TALLY_PANIC_ON") {
            if path.contains(&*name.to_string_lossy()) {
                panic!("TALLY_PANIC_ON: a panic asked for by the tests");
            }
        }
    }
}
