//! Load-time work spread over a few threads: parsing the root rule files,
//! compiling regex literals. Each item is independent and costs a little
//! (a file, a pattern); results come back in item order, so a load is the
//! same whatever the number of threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Parsing, regex compilation and building a schema's validator need little
/// stack: nesting is capped first.
const STACK_BYTES: usize = 8 * 1024 * 1024;

/// More threads than this would only wait: a library is a dozen files.
const MAX_THREADS: usize = 8;

/// How many threads load-time work may use: the machine's, at most
/// [`MAX_THREADS`]. They live only while the rules load.
pub fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
}

/// `f` of every item, in item order, computed on up to `threads` threads
/// (costliest first, by `cost`). On the calling thread when one would do or
/// when the system refuses threads.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    cost: impl Fn(&T) -> usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.min(items.len()).min(MAX_THREADS);
    if threads < 2 {
        return items.iter().map(f).collect();
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cost(&items[i])));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new(items.iter().map(|_| None).collect());
    let work = || {
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            let result = f(&items[i]);
            results.lock().expect("results")[i] = Some(result);
        }
    };
    // A worker's panic goes on here with its own message and place (left to
    // the scope, it would become "a scoped thread panicked").
    let panicked = std::thread::scope(|scope| {
        let mut workers = Vec::new();
        for _ in 0..threads {
            let spawned = std::thread::Builder::new()
                .stack_size(STACK_BYTES)
                .spawn_scoped(scope, || crate::panic_place::carrying(work));
            match spawned {
                Ok(worker) => workers.push(worker),
                Err(_) => break,
            }
        }
        if workers.is_empty() {
            work();
        }
        let panics: Vec<_> = workers.into_iter().filter_map(|w| w.join().err()).collect();
        panics.into_iter().next()
    });
    if let Some(payload) = panicked {
        std::panic::resume_unwind(payload);
    }
    let results = results.into_inner().expect("results");
    results.into_iter().map(|r| r.expect("every item is done")).collect()
}

/// `first()` here and `second()` on another thread at the same time (both
/// here, one after the other, when the system refuses the thread). A panic
/// in `second` goes on here, as if it had run here.
pub fn beside<A, B: Send>(first: impl FnOnce() -> A, second: impl FnOnce() -> B + Send) -> (A, B) {
    let second = Mutex::new(Some(second));
    let take = || second.lock().expect("second").take();
    std::thread::scope(|scope| {
        let run_second = || crate::panic_place::carrying(|| take().map(|f| f()));
        let other = std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, run_second);
        let a = first();
        let b = match other {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => None,
        };
        let b = b.or_else(|| take().map(|f| f()));
        (a, b.expect("`second` ran once"))
    })
}

#[cfg(test)]
mod tests {
    use super::{beside, map};

    #[test]
    fn a_panic_in_map_goes_on_with_its_own_message() {
        let items: Vec<usize> = (0..8).collect();
        let payload =
            std::panic::catch_unwind(|| map(&items, 2, |&i| i, |&i| if i == 5 { panic!("item five") } else { i }))
                .expect_err("an item panicked");
        assert!(crate::panic_place::message(&*payload).starts_with("item five"));
    }

    #[test]
    fn map_keeps_item_order_whatever_the_threads() {
        let items: Vec<usize> = (0..50).collect();
        for threads in [1, 2, 8] {
            // Costliest first: the last items are taken first.
            let squares = map(&items, threads, |&i| i, |&i| i * i);
            assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        }
    }

    #[test]
    fn beside_runs_both_and_passes_on_a_panic() {
        assert_eq!(beside(|| 1, || "two"), (1, "two"));
        let panicked = std::panic::catch_unwind(|| beside(|| 1, || -> u8 { panic!("in second") }));
        assert!(panicked.is_err());
    }
}
