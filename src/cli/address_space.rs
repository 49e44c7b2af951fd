//! Address space the allocators reserve without using.
//!
//! Under an address-space limit (`ulimit -v`, `prlimit --as`) what counts is
//! what is reserved, not what is touched, and both allocators in the process
//! reserve far more than Tally uses:
//! - glibc's `malloc`, which Rust code does not call but C code inside the
//!   standard library does (reading a thread's stack bounds, once per thread),
//!   gives each new thread an arena of 64 MiB of address space;
//! - mimalloc, the global allocator, reserves arenas of 1 GiB and more and
//!   keeps what it freed reserved in them.
//!
//! With both, a batch of eight small files on eight workers aborted under a
//! 1 GiB limit with 23 MB in use, and two documents of a million numbers each
//! with `--jobs 2` at 576 MB (docs/decisions.md, "Address space").

/// Mimalloc's `mi_option_arena_reserve` (the same index in its v2 and v3
/// option enums; `libmimalloc-sys` has no constant for it).
const MI_OPTION_ARENA_RESERVE: libmimalloc_sys::mi_option_t = 23;

/// One glibc arena for the whole process, and no mimalloc arenas reserved
/// ahead as it grows; under an address-space limit, one arena of half the
/// limit at most (see [`ARENA_UNDER_LIMIT`]). Called first thing in `main`,
/// before any thread starts.
pub fn economise() {
    // SAFETY: the calls set options and reserve address space; no other
    // thread exists yet, as `mi_option_set` requires.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_RESERVE, 0);
        if let Some(limit) = address_space_limit() {
            // Refused, mimalloc maps each large block from the system as before.
            libmimalloc_sys::mi_reserve_os_memory_ex(arena_under(limit), false, false, false, std::ptr::null_mut());
        }
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// The most address space reserved for mimalloc under a limit. Its first
/// arena (1 GiB, reserved as the process starts) does not fit under a limit
/// of 1 GiB, and without an arena every large block was mapped from the
/// system and unmapped when freed: a rule that read a table of 10,000 rows
/// for each of its 1,000 listed findings spent as long in the kernel as in
/// Tally. Half the limit: a quarter left a run on two threads mapping
/// blocks all the same (docs/decisions.md, "A finding that reads a long
/// table"). Memory in use in the arena is memory the run needs anyway; what
/// it leaves unused is the cost.
const ARENA_UNDER_LIMIT: u64 = 512 * 1024 * 1024;

/// The arena reserved under an address-space limit of `limit` bytes.
fn arena_under(limit: u64) -> usize {
    usize::try_from((limit / 2).min(ARENA_UNDER_LIMIT)).unwrap_or(usize::MAX)
}

/// Memory one thread checking files may need under a limit: a document and
/// what its rule `let`s and one statement may hold (each up to the step
/// budget's worth of values). Two documents of a million numbers under 200
/// list-copying `let`s reserved 705 MB of address space on one thread and
/// 920 to 1,040 MB on two: under a 1 GiB limit, two threads aborted now and
/// then ("memory allocation of 24000000 bytes failed").
const PER_THREAD: u64 = 512 * 1024 * 1024;

/// Address space the process reserves whatever its threads do: the program,
/// the main thread's stack and the allocators' slack.
const PROCESS_BASE: u64 = 256 * 1024 * 1024;

/// The most threads that may check files at once: under a memory limit (the
/// process's address-space limit, or its cgroup's memory limit), one per
/// [`PER_THREAD`] of what is left past [`PROCESS_BASE`], at least one (one
/// under 1 GiB, two under 1.5 GiB); no bound when neither is set.
pub fn thread_cap() -> usize {
    memory_limit().map_or(usize::MAX, threads_within)
}

/// The threads a memory limit of `limit` bytes leaves room for.
fn threads_within(limit: u64) -> usize {
    usize::try_from(limit.saturating_sub(PROCESS_BASE) / PER_THREAD)
        .unwrap_or(usize::MAX)
        .max(1)
}

/// The smaller of the address-space limit and the cgroup's memory limit.
fn memory_limit() -> Option<u64> {
    [address_space_limit(), cgroup_memory_limit()]
        .into_iter()
        .flatten()
        .min()
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn address_space_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` writes the limit into `limit`, which it may.
    let read = unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut limit) };
    (read == 0 && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn address_space_limit() -> Option<u64> {
    None
}

/// The memory limit of the cgroup a container sees as its own: cgroup v2's
/// `memory.max` (`max` when unlimited) or v1's `memory.limit_in_bytes`.
fn cgroup_memory_limit() -> Option<u64> {
    [
        "/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    ]
    .into_iter()
    .find_map(|path| std::fs::read_to_string(path).ok()?.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::{arena_under, threads_within, MI_OPTION_ARENA_RESERVE};

    #[test]
    fn the_arena_under_a_limit_is_half_of_it_at_most_512_mib() {
        const MIB: u64 = 1024 * 1024;
        assert_eq!(arena_under(256 * MIB), 128 << 20);
        assert_eq!(arena_under(1024 * MIB), 512 << 20);
        assert_eq!(arena_under(64 * 1024 * MIB), 512 << 20);
    }

    #[test]
    fn one_thread_per_512_mib_past_the_first_256() {
        const MIB: u64 = 1024 * 1024;
        assert_eq!(threads_within(100 * MIB), 1);
        assert_eq!(threads_within(1024 * MIB), 1);
        assert_eq!(threads_within(1280 * MIB), 2);
        assert_eq!(threads_within(1536 * MIB), 2);
        assert_eq!(threads_within(2304 * MIB), 4);
    }

    /// The index names mimalloc's arena reservation: its default is 1 GiB,
    /// in KiB. Fails if an upgrade of mimalloc moves the option.
    #[test]
    fn the_option_index_is_the_arena_reservation() {
        // SAFETY: reading an option.
        let reserve = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_ARENA_RESERVE) };
        assert_eq!(reserve, 1024 * 1024);
    }
}
