//! Responsibility lists (谁受益、谁担责): for each kind of party in a
//! community — factory, property company, cleaning company, landlord,
//! building chief, tenant, merchant — its duties in public security, fire
//! safety, safety and city management, published to residents.
//!
//! Rules:
//! - A community has one list per kind of party (`lists`). Its content is a
//!   sequence of published versions, each a set of ordered duty items, each
//!   item in one field. A published version is never changed: a change is a
//!   new version, numbered one higher, that supersedes the old one from its
//!   own publication date; the old one stays readable.
//! - A version takes effect on its publication date, which is never before
//!   the day it is recorded (no backdating) nor before the date of the
//!   version it supersedes. The version in force at a date is the highest
//!   numbered one published on or before it, so at most one is in force at
//!   any date; a version published for the same date as its predecessor
//!   replaces it from that date (a same-day correction).
//! - There are no drafts: what is recorded is published, and a version
//!   dated ahead is announced before it takes effect.
//! - A party of the register can be linked to the list of its kind in its
//!   community (`links`): a property company serving a compound of the
//!   community, a landlord's rental building, a shop, a building chief's
//!   appointment; kinds the register has no table for (factories, cleaning
//!   companies, tenants) are linked by name.
//! - Community staff (and those above them) write; everyone reads.

pub mod links;
pub mod lists;

use chrono::NaiveDate;

use crate::entity::responsibility_list_version as version;

/// The version in force on `day` among one list's versions: the highest
/// numbered one published on or before it.
pub fn in_force(versions: &[version::Model], day: NaiveDate) -> Option<&version::Model> {
    versions
        .iter()
        .filter(|v| v.published_on <= day)
        .max_by_key(|v| v.number)
}

/// The day `v` stops being in force: the publication date of the version
/// that follows it, if one is published (it may lie ahead).
pub fn superseded_on(versions: &[version::Model], v: &version::Model) -> Option<NaiveDate> {
    versions
        .iter()
        .filter(|o| o.number > v.number)
        .map(|o| o.published_on)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(number: i32, on: &str) -> version::Model {
        version::Model {
            id: i64::from(number),
            list_id: 1,
            number,
            title: "t".into(),
            note: None,
            published_on: on.parse().unwrap(),
            published_by: 1,
            created_at: chrono::Utc::now(),
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn one_version_is_in_force_at_a_date() {
        let all = [v(1, "2026-01-01"), v(2, "2026-03-01"), v(3, "2026-03-01")];
        assert_eq!(in_force(&all, d("2025-12-31")), None);
        assert_eq!(in_force(&all, d("2026-01-01")).map(|v| v.number), Some(1));
        assert_eq!(in_force(&all, d("2026-02-28")).map(|v| v.number), Some(1));
        // A same-day correction replaces its predecessor from that day.
        assert_eq!(in_force(&all, d("2026-03-01")).map(|v| v.number), Some(3));
        assert_eq!(superseded_on(&all, &all[0]), Some(d("2026-03-01")));
        assert_eq!(superseded_on(&all, &all[1]), Some(d("2026-03-01")));
        assert_eq!(superseded_on(&all, &all[2]), None);
    }
}
