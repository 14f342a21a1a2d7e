//! The community's two committees (社区"两委"): the community party committee
//! and the residents' committee, each recorded term by term (届) with its
//! members.
//!
//! Rules: a community has at most one committee of each kind serving at a
//! date; a member's term lies within the committee's; one head (secretary or
//! director) at a date; a person's terms on one committee never overlap;
//! only party members sit on the party committee.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::kinds::{CommunityCommitteeKind, CommunityCommitteeRole};
use crate::domain::operation::Operation;
use crate::domain::parties::seats::{Seat, check_new_seat, check_within};
use crate::domain::people::check_end;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, Term};
use crate::entity::{community, community_committee, community_committee_member, person};
use crate::error::{AppError, AppResult, UserErrorCode};

/// The days a community committee serves: its term.
pub fn committee_term(c: &community_committee::Model) -> Term {
    Term {
        starts_on: c.term_starts_on,
        ends_on: Some(c.term_ends_on),
    }
}

/// Whether a member serves on `day` (an open term runs to the committee's end).
pub fn member_serves(
    m: &community_committee_member::Model,
    committee: &community_committee::Model,
    day: NaiveDate,
) -> bool {
    Term {
        starts_on: m.starts_on,
        ends_on: Some(
            m.ends_on
                .map_or(committee.term_ends_on, |e| e.min(committee.term_ends_on)),
        ),
    }
    .contains(day)
}

/// Records a term of one of a community's two committees.
pub async fn create_committee(
    uow: &UnitOfWork<'_>,
    community_id: i64,
    kind: CommunityCommitteeKind,
    name: Name,
    term_starts_on: NaiveDate,
    term_ends_on: NaiveDate,
) -> AppResult<community_committee::Model> {
    let db = uow.db();
    uow.target::<community::Entity>(
        Permission::ManageCommunityCommittees,
        community_id,
        "community_id",
        "community",
    )
    .await?;
    let scope = Scope::of_community(db, community_id).await?;
    let permit = uow.permit(Permission::ManageCommunityCommittees, &scope)?;
    let term = Term::parse(term_starts_on, Some(term_ends_on), "term_ends_on")?;
    let same_kind = community_committee::Entity::find()
        .filter(community_committee::Column::CommunityId.eq(community_id))
        .filter(community_committee::Column::Kind.eq(kind))
        .all(db)
        .await?;
    if same_kind.iter().any(|c| committee_term(c).overlaps(&term)) {
        return Err(AppError::invalid(
            "term_starts_on",
            UserErrorCode::Conflict,
            "the community has a committee of this kind serving during this term",
        ));
    }
    let m = community_committee::ActiveModel {
        community_id: Set(community_id),
        kind: Set(kind),
        name: Set(name.into_inner()),
        term_starts_on: Set(term_starts_on),
        term_ends_on: Set(term_ends_on),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::CreateCommunityCommittee,
            "CommunityCommittee",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

fn seat_of(m: &community_committee_member::Model) -> Seat {
    Seat {
        person_id: m.person_id,
        heads: m.role == CommunityCommitteeRole::Head,
        term: Term {
            starts_on: m.starts_on,
            ends_on: m.ends_on,
        },
    }
}

/// Seats a person on a community committee.
pub async fn add_member(
    uow: &UnitOfWork<'_>,
    committee_id: i64,
    person_id: i64,
    role: CommunityCommitteeRole,
    term: Term,
) -> AppResult<community_committee_member::Model> {
    let db = uow.db();
    let committee = uow
        .target::<community_committee::Entity>(
            Permission::ManageCommunityCommittees,
            committee_id,
            "committee_id",
            "community committee",
        )
        .await?;
    let scope = Scope::of_community(db, committee.community_id).await?;
    let permit = uow.permit(Permission::ManageCommunityCommittees, &scope)?;
    let p = must_exist::<person::Entity>(db, person_id, "person_id", "person").await?;
    if committee.kind == CommunityCommitteeKind::PartyCommittee && !p.is_party_member {
        return Err(AppError::invalid(
            "person_id",
            UserErrorCode::Invalid,
            "only party members sit on the community party committee",
        ));
    }
    check_within(
        &term,
        committee.term_starts_on,
        Some(committee.term_ends_on),
    )?;
    let existing: Vec<Seat> = community_committee_member::Entity::find()
        .filter(community_committee_member::Column::CommitteeId.eq(committee_id))
        .all(db)
        .await?
        .iter()
        .map(seat_of)
        .collect();
    let new = Seat {
        person_id,
        heads: role == CommunityCommitteeRole::Head,
        term,
    };
    check_new_seat(&existing, &new, "this committee", "a head")?;
    let m = community_committee_member::ActiveModel {
        committee_id: Set(committee_id),
        person_id: Set(person_id),
        role: Set(role),
        starts_on: Set(term.starts_on),
        ends_on: Set(term.ends_on),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::AddCommunityCommitteeMember,
            "CommunityCommitteeMember",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// Ends a member's seat early.
pub async fn end_member(
    uow: &UnitOfWork<'_>,
    id: i64,
    ends_on: NaiveDate,
) -> AppResult<community_committee_member::Model> {
    let db = uow.db();
    let before = uow
        .target::<community_committee_member::Entity>(
            Permission::ManageCommunityCommittees,
            id,
            "id",
            "community committee member",
        )
        .await?;
    let committee = must_exist::<community_committee::Entity>(
        db,
        before.committee_id,
        "id",
        "community committee",
    )
    .await?;
    let scope = Scope::of_community(db, committee.community_id).await?;
    let permit = uow.permit(Permission::ManageCommunityCommittees, &scope)?;
    check_end(before.starts_on, before.ends_on, ends_on)?;
    let mut am: community_committee_member::ActiveModel = before.clone().into();
    am.ends_on = Set(Some(ends_on));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::EndCommunityCommitteeMember,
            "CommunityCommitteeMember",
            id,
            &scope,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}
