//! Where a panic happened, for the "internal error, please report" message.
//!
//! The binary's panic hook records the place on the panicking thread
//! ([`record`]); the thread that catches the panic reads it back ([`take`]).
//! A panic on a helper thread is caught there and goes on, on the thread
//! that joins it, as a message that carries its place ([`carrying`]): the
//! joining thread's own record has none.

use std::any::Any;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    /// Where the last panic on this thread happened.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Records where a panic on this thread happened (from the panic hook).
pub fn record(place: Option<String>) {
    LAST.with(|last| *last.borrow_mut() = place);
}

/// Where the last panic on this thread happened, once.
pub fn take() -> Option<String> {
    LAST.with(|last| last.borrow_mut().take())
}

/// What a panic said, from its payload.
pub fn message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Runs `f`, the body of a helper thread: a panic goes on with its message
/// and, when the hook recorded it, its place (`… (at file:line)`).
pub fn carrying<T>(f: impl FnOnce() -> T) -> T {
    panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| panic::resume_unwind(carried(payload)))
}

/// `payload` with this thread's recorded place in its message.
pub fn carried(payload: Box<dyn Any + Send>) -> Box<dyn Any + Send> {
    match take() {
        Some(place) => Box::new(format!("{} (at {place})", message(&*payload))),
        None => payload,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records places as the binary's hook does, then hands on to the hook
    /// that was there (the test harness's), which prints as usual.
    fn install_recording_hook() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let previous = panic::take_hook();
            panic::set_hook(Box::new(move |info| {
                record(info.location().map(|l| format!("{}:{}", l.file(), l.line())));
                previous(info);
            }));
        });
    }

    #[test]
    fn a_helper_threads_panic_goes_on_with_its_place() {
        install_recording_hook();
        let payload = std::thread::spawn(|| carrying(|| panic!("boom")))
            .join()
            .expect_err("the helper panicked");
        let said = message(&*payload);
        assert!(said.starts_with("boom (at src/panic_place.rs:"), "{said}");
        assert_eq!(take(), None, "nothing recorded on the joining thread");
    }
}
