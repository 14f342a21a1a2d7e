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

    /// An adjustable clock that reads `at` now and runs on from there with
    /// real time: for writing a past that really happened (a loader's two
    /// years of votes and council matters), moved forward through it with
    /// [`Clock::advance`]. Like every adjustable clock, never moved back.
    pub fn starting_at(at: DateTime<Utc>) -> Self {
        let shift = (at - Utc::now().trunc_subsecs(6))
            .num_microseconds()
            .unwrap_or(0);
        Self {
            shift_us: Some(Arc::new(AtomicI64::new(shift))),
        }
    }

    /// Moves an adjustable clock (and every copy of it) forward by `by`.
    /// The system clock refuses: production time is never moved. So does a
    /// move back (a negative `by`): a record must never be stamped before
    /// one written earlier (a ballot before the one it supersedes, a step
    /// before its matter's last), which the rules' deadlines count on.
    pub fn advance(&self, by: Duration) -> Result<(), &'static str> {
        let shift = self
            .shift_us
            .as_ref()
            .ok_or("the system clock cannot be moved")?;
        if by < Duration::zero() {
            return Err("a clock is never moved back");
        }
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

/// The first instant of calendar day `day` in China Standard Time.
pub fn china_midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc() - Duration::hours(8)
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

    #[test]
    fn an_adjustable_clock_is_never_moved_back() {
        let clock = Clock::adjustable();
        clock.advance(Duration::days(2)).unwrap();
        let day = clock.today();
        assert_eq!(
            clock.advance(Duration::days(-1)),
            Err("a clock is never moved back")
        );
        assert_eq!(clock.today(), day);
        assert!(clock.advance(Duration::zero()).is_ok());
    }

    #[test]
    fn a_clock_started_in_the_past_reads_that_day_and_runs_forward_from_it() {
        let two_years_ago = Utc::now() - Duration::days(730);
        let clock = Clock::starting_at(two_years_ago);
        assert_eq!(clock.today(), china_date(two_years_ago));
        let first = clock.now();
        assert!(first >= two_years_ago && first < two_years_ago + Duration::seconds(60));
        clock.advance(Duration::days(30)).unwrap();
        assert_eq!(
            clock.today(),
            china_date(two_years_ago + Duration::days(30))
        );
        assert!(clock.now() > first);
    }
}
