//! The responsibility placard (责任牌 / 亮牌): the public list of who answers
//! for a compound, as staff post it. A posting names the three responsible
//! persons — the compound's (小区责任人), the community's (社区责任人) and the
//! compound's management responsible person (小区管理责任人) — each a person
//! of the register with the title and the public contact shown on the
//! placard, and the date it was posted.
//!
//! Rules: postings are never edited; a new posting supersedes the one in
//! force from its own date, so the placard in force on a day is the
//! compound's latest posting dated on or before it, and the history stays
//! readable. A posting is dated no earlier than the compound's latest one
//! (backdating before it would rewrite which placard was in force) and at
//! most `MAX_DAYS_AHEAD` days ahead (a placard announced before a handover;
//! a far-off date, once posted, could never be undone). One posting a day:
//! the database's unique index answers for that. The names are kept as
//! posted, and the contact is the one given for the placard, never the
//! register's private phone.
//!
//! What does not live here: the chain of chiefs each dwelling's line of the
//! placard shows (that is `chiefs::responsible_chains`, read for the day the
//! placard speaks for, see [`chain_day`]).

use chrono::{Duration, NaiveDate};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::decisions::ledger::lock_compound;
use crate::domain::kinds::PlacardPost;
use crate::domain::operation::Operation;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, Phone};
use crate::entity::{compound, person, placard, placard_person};
use crate::error::{AppError, AppResult, UserErrorCode};

/// How far ahead of today a posting may be dated.
pub const MAX_DAYS_AHEAD: i64 = 90;

/// One responsible person as the placard is to name them.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The person of the register.
    pub person_id: i64,
    /// The title shown on the placard, e.g. "小区党支部书记".
    pub title: Name,
    /// The public contact given for the placard.
    pub contact_phone: Phone,
}

/// A posting to make.
#[derive(Debug, Clone)]
pub struct NewPlacard {
    /// The compound.
    pub compound_id: i64,
    /// The day it is posted, from which it is in force.
    pub posted_on: NaiveDate,
    /// The compound's responsible person (小区责任人).
    pub compound_responsible: Listing,
    /// The community's responsible person (社区责任人).
    pub community_responsible: Listing,
    /// The compound's management responsible person (小区管理责任人).
    pub management_responsible: Listing,
}

/// A posting with its three names, in placard order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Posted {
    /// The posting.
    pub placard: placard::Model,
    /// Who it names.
    pub persons: Vec<placard_person::Model>,
}

/// The domain field of a post's part of the input, e.g. `community_responsible`.
fn field_of(post: PlacardPost) -> &'static str {
    match post {
        PlacardPost::CompoundResponsible => "compound_responsible",
        PlacardPost::CommunityResponsible => "community_responsible",
        PlacardPost::ManagementResponsible => "management_responsible",
    }
}

/// Posts a compound's responsibility placard.
pub async fn post_placard(uow: &UnitOfWork<'_>, p: NewPlacard) -> AppResult<Posted> {
    let db = uow.db();
    uow.target::<compound::Entity>(
        Permission::PostPlacards,
        p.compound_id,
        "compound_id",
        "compound",
    )
    .await?;
    let scope = Scope::of_compound(db, p.compound_id).await?;
    let permit = uow.permit(Permission::PostPlacards, &scope)?;
    // Postings of one compound queue here, so the check below sees every
    // earlier one and a compound's postings are numbered in date order.
    lock_compound(db, p.compound_id).await?;
    let latest = placard::Entity::find()
        .filter(placard::Column::CompoundId.eq(p.compound_id))
        .filter(placard::Column::PostedOn.gt(p.posted_on))
        .one(db)
        .await?;
    if latest.is_some() {
        return Err(AppError::invalid(
            "posted_on",
            UserErrorCode::OutOfRange,
            "the compound has a later posting; a new placard is dated on or after the latest one",
        ));
    }
    if p.posted_on > uow.today() + Duration::days(MAX_DAYS_AHEAD) {
        return Err(AppError::invalid(
            "posted_on",
            UserErrorCode::OutOfRange,
            format!("a placard is dated at most {MAX_DAYS_AHEAD} days ahead"),
        ));
    }
    let listings = [
        (PlacardPost::CompoundResponsible, p.compound_responsible),
        (PlacardPost::CommunityResponsible, p.community_responsible),
        (PlacardPost::ManagementResponsible, p.management_responsible),
    ];
    let mut named = Vec::with_capacity(listings.len());
    for (post, listing) in listings {
        let field = format!("{}.person_id", field_of(post));
        let who = must_exist::<person::Entity>(db, listing.person_id, &field, "person").await?;
        named.push((post, who, listing));
    }
    let placard = placard::ActiveModel {
        compound_id: Set(p.compound_id),
        posted_on: Set(p.posted_on),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut persons = Vec::with_capacity(named.len());
    for (post, who, listing) in named {
        let row = placard_person::ActiveModel {
            placard_id: Set(placard.id),
            post: Set(post),
            person_id: Set(who.id),
            name: Set(who.name),
            title: Set(listing.title.into_inner()),
            contact_phone: Set(listing.contact_phone.into_inner()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        persons.push(row);
    }
    let posted = Posted { placard, persons };
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::PostPlacard,
            "ResponsibilityPlacard",
            posted.placard.id,
            &scope,
        ),
        &posted,
    )
    .await?;
    Ok(posted)
}

/// The posting in force on `day` among one compound's `postings`: the
/// latest dated on or before it.
pub fn in_force(postings: &[placard::Model], day: NaiveDate) -> Option<&placard::Model> {
    postings
        .iter()
        .filter(|p| p.posted_on <= day)
        .max_by_key(|p| (p.posted_on, p.id))
}

/// The day `p` stopped being in force: the date of the compound's next
/// posting among `postings`, or none while no later one exists.
pub fn superseded_on(postings: &[placard::Model], p: &placard::Model) -> Option<NaiveDate> {
    postings
        .iter()
        .filter(|q| q.compound_id == p.compound_id && q.posted_on > p.posted_on)
        .map(|q| q.posted_on)
        .min()
}

/// The day whose chain of chiefs a placard's dwellings show: today while it
/// is in force, its last day once superseded, its first day while it is
/// still to come. (The chiefs are their own record; a superseded placard
/// shows them as they stood when it was last in force.)
pub fn chain_day(postings: &[placard::Model], p: &placard::Model, today: NaiveDate) -> NaiveDate {
    if p.posted_on > today {
        return p.posted_on;
    }
    match superseded_on(postings, p) {
        Some(next) if next <= today => next - Duration::days(1),
        _ => today,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posting(id: i64, on: &str) -> placard::Model {
        placard::Model {
            id,
            compound_id: 1,
            posted_on: on.parse().unwrap(),
            created_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_posting_supersedes_the_last_one_from_its_own_date() {
        let all = [posting(1, "2026-01-01"), posting(2, "2026-06-01")];
        assert_eq!(in_force(&all, day("2025-12-31")), None);
        assert_eq!(in_force(&all, day("2026-01-01")).map(|p| p.id), Some(1));
        assert_eq!(in_force(&all, day("2026-05-31")).map(|p| p.id), Some(1));
        assert_eq!(in_force(&all, day("2026-06-01")).map(|p| p.id), Some(2));
        assert_eq!(superseded_on(&all, &all[0]), Some(day("2026-06-01")));
        assert_eq!(superseded_on(&all, &all[1]), None);
    }

    #[test]
    fn the_chain_is_read_for_the_day_the_placard_speaks_for() {
        let all = [posting(1, "2026-01-01"), posting(2, "2026-06-01")];
        let today = day("2026-03-15");
        // In force: today. To come: its first day.
        assert_eq!(chain_day(&all, &all[0], today), today);
        assert_eq!(chain_day(&all, &all[1], today), day("2026-06-01"));
        // Superseded: its last day in force.
        let later = day("2026-07-01");
        assert_eq!(chain_day(&all, &all[0], later), day("2026-05-31"));
        assert_eq!(chain_day(&all, &all[1], later), later);
    }
}
