//! The injected clock: every "now" and "today" of the service comes from
//! here, so tests move time forward instead of rewriting rows.
//!
//! The system clock follows real time. A test clock follows real time too
//! (instants keep moving, so "the last ballot counts" stays well ordered)
//! but can be moved forward by any amount with [`Clock::advance`].

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, NaiveDate, SubsecRound, Utc};

/// Where the service reads the time.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// How far a test has moved this clock ahead of real time, in microseconds.
    /// `None` for the system clock, which cannot be moved.
    shift_us: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// Real time.
    pub fn system() -> Self {
        Self::default()
    }

    /// Real time that a test can move forward with [`Clock::advance`].
    pub fn adjustable() -> Self {
        Self {
            shift_us: Some(Arc::new(AtomicI64::new(0))),
        }
    }

    /// Moves an adjustable clock (and every copy of it) forward by `by`.
    /// The system clock refuses: production time is never moved.
    pub fn advance(&self, by: Duration) -> Result<(), &'static str> {
        let shift = self
            .shift_us
            .as_ref()
            .ok_or("the system clock cannot be moved")?;
        let us = by.num_microseconds().ok_or("duration too large")?;
        shift.fetch_add(us, Ordering::SeqCst);
        Ok(())
    }

    /// The current instant, to the microsecond: the precision both databases
    /// keep, so a record read back serialises exactly as it was written.
    pub fn now(&self) -> DateTime<Utc> {
        let real = Utc::now().trunc_subsecs(6);
        match &self.shift_us {
            None => real,
            Some(shift) => real + Duration::microseconds(shift.load(Ordering::SeqCst)),
        }
    }

    /// Today, in China Standard Time (UTC+8), the calendar the rules are written in.
    pub fn today(&self) -> NaiveDate {
        china_date(self.now())
    }
}

/// The calendar day (China Standard Time, UTC+8) of an instant.
pub fn china_date(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(8)).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjustable_clock_moves_for_every_copy_and_the_system_clock_does_not() {
        let clock = Clock::adjustable();
        let copy = clock.clone();
        let before = copy.today();
        clock.advance(Duration::days(8)).unwrap();
        assert_eq!(copy.today(), before + Duration::days(8));
        assert!(Clock::system().advance(Duration::days(1)).is_err());
    }
}
