//! How far the quick evaluator may go on each statement before it leaves the
//! statement to the full evaluation.
//!
//! It starts every statement at a sixteenth of the step budget, so that a
//! statement which runs out of steps loses little to the quick attempt before
//! it. A statement that legitimately takes more (a scan of 5,000 projects
//! for each of a few project names) then paid for both evaluations every
//! time: the quick one up to its limit, and the full one. So when the quick
//! evaluator stops at its limit and the full evaluation then finishes within
//! a quarter of the budget, that statement's limit is raised for the rest of
//! the document, once: to four times what the full evaluation took (the
//! quick count is from above), at most half the budget. A statement that
//! stops at its raised limit too, or whose full evaluation runs out of steps
//! or takes more than a quarter of the budget, stays at the first limit for
//! good: no statement pays for a long quick attempt more than once.
//!
//! Only speed depends on this. The quick evaluator counts steps from above
//! and every limit stays below the budget, so what it decides is never what
//! the full evaluation would stop as out of steps; where it is not sure, the
//! full evaluation decides as always.

use rustc_hash::FxHashMap;

use super::STEP_LIMIT;

/// Where every statement starts.
const FIRST_LIMIT: u64 = STEP_LIMIT / 16;
/// The most a statement's limit is raised to: below the budget, so that what
/// the quick evaluator finishes the full evaluation would finish too.
const MOST: u64 = STEP_LIMIT / 2;

/// One document's quick limits: the statements whose limit is not simply
/// the first, by the address of the statement's expression.
#[derive(Debug)]
pub(super) struct QuickBudget {
    /// Where every statement starts ([`FIRST_LIMIT`]; less in tests).
    pub first: u64,
    limits: FxHashMap<usize, Limit>,
    /// The statement whose quick attempt just stopped at its limit.
    stopped: Option<usize>,
}

impl Default for QuickBudget {
    fn default() -> Self {
        QuickBudget {
            first: FIRST_LIMIT,
            limits: FxHashMap::default(),
            stopped: None,
        }
    }
}

impl QuickBudget {
    /// The limit for the statement at `address`.
    pub fn limit(&self, address: usize) -> u64 {
        // Most documents raise none: no lookup.
        if self.limits.is_empty() {
            return self.first;
        }
        match self.limits.get(&address) {
            Some(Limit::Raised(limit)) => *limit,
            Some(Limit::Settled) | None => self.first,
        }
    }

    /// The quick attempt at `address` stopped at its limit: its full
    /// evaluation comes next.
    pub fn stopped_at(&mut self, address: usize) {
        self.stopped = Some(address);
    }

    /// A new statement starts.
    pub fn start_statement(&mut self) {
        self.stopped = None;
    }

    /// The statement's full evaluation took `steps`, or ran out of steps.
    /// After a quick attempt that stopped at its limit: raises the limit the
    /// first time, when the statement fits a quarter of the budget; settles
    /// it at the first limit otherwise.
    pub fn learn(&mut self, steps: u64, ran_out: bool) {
        let Some(address) = self.stopped.take() else {
            return;
        };
        let limit = match self.limits.get(&address) {
            // Raised once already: the quick count overshoots.
            Some(_) => Limit::Settled,
            None if ran_out || steps > MOST / 2 => Limit::Settled,
            None => Limit::Raised(steps.saturating_mul(4).clamp(self.first, MOST)),
        };
        self.limits.insert(address, limit);
    }
}

#[derive(Clone, Copy, Debug)]
enum Limit {
    Raised(u64),
    /// Back at the first limit, never raised again.
    Settled,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_that_fits_the_budget_is_raised_once_and_others_stay_at_the_first_limit() {
        let mut budget = QuickBudget::default();
        assert_eq!(budget.limit(1), FIRST_LIMIT);
        // No quick attempt stopped: nothing to learn.
        budget.learn(10, false);
        assert_eq!(budget.limit(1), FIRST_LIMIT);

        budget.stopped_at(1);
        budget.learn(FIRST_LIMIT + 10, false);
        assert_eq!(budget.limit(1), 4 * (FIRST_LIMIT + 10));
        assert_eq!(budget.limit(2), FIRST_LIMIT, "only that statement");
        // Stopped at its raised limit too: settled, never raised again.
        budget.stopped_at(1);
        budget.learn(FIRST_LIMIT + 10, false);
        assert_eq!(budget.limit(1), FIRST_LIMIT);
        budget.stopped_at(1);
        budget.learn(FIRST_LIMIT + 10, false);
        assert_eq!(budget.limit(1), FIRST_LIMIT);

        // Never past half the budget, and not raised for a statement that
        // would need more than half of that.
        budget.stopped_at(2);
        budget.learn(MOST / 2 - 1, false);
        assert_eq!(budget.limit(2), MOST);
        budget.stopped_at(3);
        budget.learn(MOST / 2 + 1, false);
        assert_eq!(budget.limit(3), FIRST_LIMIT);

        // Out of steps: not raised.
        budget.stopped_at(4);
        budget.learn(STEP_LIMIT, true);
        assert_eq!(budget.limit(4), FIRST_LIMIT);

        // A new statement forgets a stop its full evaluation did not follow.
        budget.stopped_at(5);
        budget.start_statement();
        budget.learn(FIRST_LIMIT, false);
        assert_eq!(budget.limit(5), FIRST_LIMIT);
    }
}
