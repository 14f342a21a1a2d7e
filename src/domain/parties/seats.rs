//! The rules every body with seats keeps — a community committee, a
//! company's party organisation, a company's posts: one person's terms in
//! one body never overlap, and the body has at most one head at a date.
//! What a seat is and who heads a body is each area's; the checks are here.

use crate::domain::values::Term;
use crate::error::{AppError, AppResult, UserErrorCode};

/// A seat as the rules see it.
#[derive(Debug, Clone, Copy)]
pub struct Seat {
    /// Who sits.
    pub person_id: i64,
    /// Whether the seat heads the body (secretary, director, the company's head).
    pub heads: bool,
    /// When.
    pub term: Term,
}

/// Checks that `new` may join `existing` seats of one body: `body` and
/// `head` name them in the refusals ("this committee", "a head").
pub fn check_new_seat(existing: &[Seat], new: &Seat, body: &str, head: &str) -> AppResult<()> {
    if existing
        .iter()
        .any(|s| s.person_id == new.person_id && s.term.overlaps(&new.term))
    {
        return Err(AppError::invalid(
            "starts_on",
            UserErrorCode::Conflict,
            format!("the person already holds a seat in {body} during this term"),
        ));
    }
    if new.heads
        && existing
            .iter()
            .any(|s| s.heads && s.term.overlaps(&new.term))
    {
        return Err(AppError::invalid(
            "role",
            UserErrorCode::Conflict,
            format!("{body} already has {head} during this term"),
        ));
    }
    Ok(())
}

/// Checks that a seat's term lies within its body's days (`first`..`last`).
pub fn check_within(
    term: &Term,
    first: chrono::NaiveDate,
    last: Option<chrono::NaiveDate>,
) -> AppResult<()> {
    if term.starts_on < first {
        return Err(AppError::invalid(
            "starts_on",
            UserErrorCode::OutOfRange,
            "the term starts before the body's first day",
        ));
    }
    if let Some(last) = last
        && (term.starts_on > last || term.ends_on.is_some_and(|e| e > last))
    {
        return Err(AppError::invalid(
            "ends_on",
            UserErrorCode::OutOfRange,
            "the term runs past the body's last day",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn seat(person_id: i64, heads: bool, from: NaiveDate, to: Option<NaiveDate>) -> Seat {
        Seat {
            person_id,
            heads,
            term: Term {
                starts_on: from,
                ends_on: to,
            },
        }
    }

    #[test]
    fn a_second_head_waits_for_the_first_heads_last_day() {
        let existing = [seat(1, true, day(1, 1), Some(day(6, 30)))];
        let err = check_new_seat(&existing, &seat(2, true, day(6, 30), None), "b", "h");
        assert!(err.is_err());
        assert!(check_new_seat(&existing, &seat(2, true, day(7, 1), None), "b", "h").is_ok());
        assert!(check_new_seat(&existing, &seat(2, false, day(3, 1), None), "b", "h").is_ok());
        assert!(check_new_seat(&existing, &seat(1, false, day(3, 1), None), "b", "h").is_err());
    }

    #[test]
    fn a_seat_stays_within_its_body() {
        let t = |a, b| Term {
            starts_on: a,
            ends_on: b,
        };
        assert!(check_within(&t(day(1, 1), None), day(1, 1), Some(day(12, 31))).is_ok());
        assert!(
            check_within(
                &t(day(1, 1), Some(day(12, 31))),
                day(1, 1),
                Some(day(12, 31))
            )
            .is_ok()
        );
        assert!(check_within(&t(day(1, 1), None), day(1, 2), None).is_err());
        assert!(
            check_within(
                &t(day(1, 1), Some(day(12, 31))),
                day(1, 1),
                Some(day(12, 30))
            )
            .is_err()
        );
    }
}
