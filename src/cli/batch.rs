//! Many files on worker threads, handed back in input order: each worker
//! does all of one file's work (read, check, render) and returns only what
//! the run prints or counts; the caller consumes those as they arrive. At
//! most a few files per worker are in flight or waiting for their turn, so
//! memory depends on `--jobs`, not on the number of files.

use std::collections::BTreeMap;
use std::sync::{mpsc, Mutex};

/// Files in flight or done but waiting for their turn, per worker.
const WINDOW_PER_JOB: usize = 4;

/// Runs `work(i)` for every `i` in `0..count`, `jobs` at a time, and gives
/// `consume` the results in order of `i`. `work` must not panic (a worker
/// catches what goes wrong in a file and returns it as that file's result).
pub fn in_order<R: Send>(
    count: usize,
    jobs: usize,
    work: impl Fn(usize) -> R + Sync,
    consume: impl FnOnce(&mut dyn Iterator<Item = R>),
) {
    let jobs = jobs.clamp(1, count.max(1));
    if jobs == 1 {
        // One at a time: here, on the caller's thread, which has the stack
        // a worker would have. A worker's stack is address space, and under
        // a memory limit a second one for a single file is what ran out.
        consume(&mut (0..count).map(&work));
        return;
    }
    let (job_tx, job_rx) = mpsc::channel::<usize>();
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        let mut started = 0;
        for _ in 0..jobs {
            let done_tx = done_tx.clone();
            let (job_rx, work) = (&job_rx, &work);
            // Workers evaluate and render as the main thread would: same stack.
            let worker = std::thread::Builder::new().stack_size(crate::STACK_BYTES);
            let spawned = worker.spawn_scoped(scope, move || loop {
                let next = job_rx.lock().expect("job queue").recv();
                let Ok(i) = next else { break };
                if done_tx.send((i, work(i))).is_err() {
                    break;
                }
            });
            // The system may refuse more threads (or their stacks' address
            // space, under a memory limit): the ones started do the work.
            if spawned.is_err() {
                break;
            }
            started += 1;
        }
        drop(done_tx);
        if started == 0 {
            // Not even one: the files are checked here, one after another.
            consume(&mut (0..count).map(&work));
            return;
        }
        let mut ordered = Ordered {
            count,
            sent: 0,
            emitted: 0,
            jobs: job_tx,
            done: done_rx,
            waiting: BTreeMap::new(),
        };
        for _ in 0..count.min(jobs * WINDOW_PER_JOB) {
            ordered.send_next();
        }
        consume(&mut ordered);
        // Dropping the queue (and the results not taken) lets the workers end.
        drop(ordered);
    });
}

/// The results in input order; one more file is handed out as each is taken.
struct Ordered<R> {
    count: usize,
    sent: usize,
    emitted: usize,
    jobs: mpsc::Sender<usize>,
    done: mpsc::Receiver<(usize, R)>,
    /// Results that arrived before their turn, by index.
    waiting: BTreeMap<usize, R>,
}

impl<R> Ordered<R> {
    fn send_next(&mut self) {
        if self.sent < self.count && self.jobs.send(self.sent).is_ok() {
            self.sent += 1;
        }
    }
}

impl<R> Iterator for Ordered<R> {
    type Item = R;

    fn next(&mut self) -> Option<R> {
        if self.emitted >= self.count {
            return None;
        }
        loop {
            if let Some(result) = self.waiting.remove(&self.emitted) {
                self.emitted += 1;
                self.send_next();
                return Some(result);
            }
            let (i, result) = self.done.recv().ok()?;
            self.waiting.insert(i, result);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_whatever_finishes_first() {
        for jobs in [1, 3, 8] {
            let mut seen = Vec::new();
            in_order(
                50,
                jobs,
                |i| {
                    // Early files take longest, so later ones finish first.
                    std::thread::sleep(std::time::Duration::from_micros(((50 - i) * 20) as u64));
                    i * 10
                },
                |results| seen.extend(results),
            );
            assert_eq!(seen, (0..50).map(|i| i * 10).collect::<Vec<_>>(), "jobs {jobs}");
        }
    }

    #[test]
    fn a_consumer_that_stops_early_does_not_hang_the_workers() {
        let mut first = Vec::new();
        in_order(100, 2, |i| i, |results| first.extend(results.take(3)));
        assert_eq!(first, [0, 1, 2]);
    }

    #[test]
    fn no_files() {
        let mut seen: Vec<usize> = Vec::new();
        in_order(0, 4, |i| i, |results| seen.extend(results));
        assert!(seen.is_empty());
    }
}
