//! Stack for recursion through names.
//!
//! Within one definition, recursion is bounded by the parser's nesting limit
//! (256 levels). Through names it goes further: a `fn` calling a `fn` (or a
//! file-level `let` reading one) up to 256 deep, each link an expression up
//! to 256 levels deep. Evaluating such a chain needed 57 MB of stack (release
//! build; a failing assertion through 256 `fn`s whose bodies are 254 `+`s deep),
//! and a thread's stack is address space reserved whether used or not. So
//! threads start with [`THREAD_BYTES`], and every step through a name goes
//! through [`deeper`], which continues on a newly allocated stack segment
//! when little is left: deep programs pay for the stack they use, and every
//! other run reserves an eighth of what it did (32 MB instead of 256 MB).
//! Recursions over values a rule built, which may nest as deep as such a
//! chain (comparing two lists), go through it too.

/// The stack each of Tally's threads starts with: parsing, loading data and
/// rendering are capped in depth long before this.
pub const THREAD_BYTES: usize = 32 * 1024 * 1024;

/// Room a definition's own body may need between two steps through names:
/// 256 levels of evaluation (under 1 KiB each in a release build; unoptimised
/// frames are many times larger).
const RED_ZONE: usize = if cfg!(debug_assertions) { 8 << 20 } else { 1 << 20 };

/// The size of a new segment when one is needed.
const SEGMENT: usize = 16 * 1024 * 1024;

/// Runs `f`, on a new stack segment if fewer than [`RED_ZONE`] bytes are left.
/// Called where evaluation (or an analysis) steps through a name into another
/// definition's body, and at each level of a recursion over built values.
#[inline]
pub fn deeper<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}
