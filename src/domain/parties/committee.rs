//! The owners' committee (业主委员会): elected by the owners' assembly (a
//! Civil Code art. 278 matter, item 3), with a chair, vice-chairs and
//! members serving terms.
//!
//! Rules: a compound has at most one active committee; a committee's term
//! is at most five years (指导规则: 每届任期不超过五年); members are owners
//! of a dwelling in the compound; a committee has at most one chair at any
//! date; a person's terms on one committee never overlap; a replacement
//! ends the replaced member's term the day before and points back at it.

use chrono::{Months, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect, sea_query::Expr,
};

use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::decisions::assembly::check_citation;
use crate::domain::kinds::{ArticleMatter, CommitteeRole};
use crate::domain::operation::Operation;
use crate::domain::parties::linkage::committee_period;
use crate::domain::people::check_end;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, Term};
use crate::entity::{
    building, committee_member, compound, dwelling, owners_committee, ownership, person,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// Longest term of a committee, in months.
pub const MAX_TERM_MONTHS: u32 = 60;

/// A newly elected committee.
pub struct NewCommittee {
    /// The compound.
    pub compound_id: i64,
    /// Name, e.g. "第三届业主委员会".
    pub name: Name,
    /// The date of the owners' assembly that elected it.
    pub elected_on: NaiveDate,
    /// First day of its term.
    pub term_starts_on: NaiveDate,
    /// Last day of its term.
    pub term_ends_on: NaiveDate,
    /// The adopted assembly vote (art. 278 item 3) that elected it, if cited.
    pub vote_id: Option<i64>,
}

/// Records an elected owners' committee.
pub async fn create_committee(
    uow: &UnitOfWork<'_>,
    new: NewCommittee,
) -> AppResult<owners_committee::Model> {
    let db = uow.db();
    uow.target::<compound::Entity>(
        Permission::ManageCommittee,
        new.compound_id,
        "compound_id",
        "compound",
    )
    .await?;
    let scope = Scope::of_compound(db, new.compound_id).await?;
    let permit = uow.permit(Permission::ManageCommittee, &scope)?;
    if new.term_ends_on <= new.term_starts_on {
        return Err(AppError::invalid(
            "term_ends_on",
            UserErrorCode::OutOfRange,
            "the term ends before it starts",
        ));
    }
    let longest = new
        .term_starts_on
        .checked_add_months(Months::new(MAX_TERM_MONTHS))
        .unwrap_or(NaiveDate::MAX);
    if new.term_ends_on >= longest {
        return Err(AppError::invalid(
            "term_ends_on",
            UserErrorCode::OutOfRange,
            "a committee's term is at most five years",
        ));
    }
    if new.elected_on > new.term_starts_on {
        return Err(AppError::invalid(
            "elected_on",
            UserErrorCode::OutOfRange,
            "the term cannot start before the election",
        ));
    }
    if let Some(vote_id) = new.vote_id {
        check_citation(
            db,
            vote_id,
            new.compound_id,
            ArticleMatter::CommitteeElection,
            new.elected_on,
            "vote_id",
        )
        .await?;
    }
    let existing = owners_committee::Entity::find()
        .filter(owners_committee::Column::CompoundId.eq(new.compound_id))
        .all(db)
        .await?;
    let new_term = Term {
        starts_on: new.term_starts_on,
        ends_on: Some(new.term_ends_on),
    };
    if existing
        .iter()
        .any(|c| committee_period(c).overlaps(&new_term))
    {
        return Err(AppError::invalid(
            "term_starts_on",
            UserErrorCode::Conflict,
            "another committee of this compound serves during this term; record its dissolution first",
        ));
    }
    let m = owners_committee::ActiveModel {
        compound_id: Set(new.compound_id),
        name: Set(new.name.into_inner()),
        elected_on: Set(new.elected_on),
        term_starts_on: Set(new.term_starts_on),
        term_ends_on: Set(new.term_ends_on),
        dissolved_on: Set(None),
        created_at: Set(uow.now()),
        vote_id: Set(new.vote_id),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::CreateOwnersCommittee,
            "OwnersCommittee",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// Dissolves a committee early (or records its end); open member terms end with it.
pub async fn dissolve_committee(
    uow: &UnitOfWork<'_>,
    id: i64,
    on: NaiveDate,
) -> AppResult<owners_committee::Model> {
    let db = uow.db();
    let before = uow
        .target::<owners_committee::Entity>(
            Permission::ManageCommittee,
            id,
            "id",
            "owners' committee",
        )
        .await?;
    let scope = Scope::of_compound(db, before.compound_id).await?;
    let permit = uow.permit(Permission::ManageCommittee, &scope)?;
    if before.dissolved_on.is_some() {
        return Err(AppError::invalid(
            "id",
            UserErrorCode::InvalidState,
            "the committee is already dissolved",
        ));
    }
    if on < before.term_starts_on || on > before.term_ends_on {
        return Err(AppError::invalid(
            "dissolved_on",
            UserErrorCode::OutOfRange,
            "a committee is dissolved within its term",
        ));
    }
    let mut am: owners_committee::ActiveModel = before.clone().into();
    am.dissolved_on = Set(Some(on));
    let after = am.update(db).await?;
    committee_member::Entity::update_many()
        .col_expr(committee_member::Column::EndsOn, Expr::value(Some(on)))
        .col_expr(
            committee_member::Column::EndReason,
            Expr::value(Some("committee dissolved".to_owned())),
        )
        .filter(committee_member::Column::CommitteeId.eq(id))
        .filter(
            sea_orm::Condition::any()
                .add(committee_member::Column::EndsOn.is_null())
                .add(committee_member::Column::EndsOn.gt(on)),
        )
        .exec(db)
        .await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::DissolveOwnersCommittee,
            "OwnersCommittee",
            id,
            &scope,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

fn member_term(m: &committee_member::Model) -> Term {
    Term {
        starts_on: m.starts_on,
        ends_on: m.ends_on,
    }
}

/// Whether `person_id` owns a dwelling of `compound_id` on `day`.
pub async fn owns_in_compound(
    db: &impl ConnectionTrait,
    person_id: i64,
    compound_id: i64,
    day: NaiveDate,
) -> AppResult<bool> {
    let owned: Vec<(i64, Option<NaiveDate>, NaiveDate)> = ownership::Entity::find()
        .select_only()
        .column(ownership::Column::DwellingId)
        .column(ownership::Column::EndsOn)
        .column(ownership::Column::StartsOn)
        .filter(ownership::Column::PersonId.eq(person_id))
        .into_tuple()
        .all(db)
        .await?;
    let current: Vec<i64> = owned
        .into_iter()
        .filter(|(_, ends, starts)| {
            Term {
                starts_on: *starts,
                ends_on: *ends,
            }
            .contains(day)
        })
        .map(|(d, _, _)| d)
        .collect();
    if current.is_empty() {
        return Ok(false);
    }
    let found = dwelling::Entity::find()
        .filter(dwelling::Column::Id.is_in(current))
        .find_also_related(building::Entity)
        .all(db)
        .await?;
    Ok(found
        .iter()
        .any(|(_, b)| b.as_ref().is_some_and(|b| b.compound_id == compound_id)))
}

/// One member to elect.
pub struct Election {
    /// The committee.
    pub committee_id: i64,
    /// The elected owner.
    pub person_id: i64,
    /// Role.
    pub role: CommitteeRole,
    /// First day; defaults to the committee's term start.
    pub starts_on: Option<NaiveDate>,
    /// The member replaced, if this is a by-election.
    pub replaces_id: Option<i64>,
    /// The adopted assembly vote (art. 278 item 3) that elected the member, if cited.
    pub vote_id: Option<i64>,
}

async fn insert_member(
    db: &impl ConnectionTrait,
    committee: &owners_committee::Model,
    e: &Election,
) -> AppResult<committee_member::Model> {
    let p = must_exist::<person::Entity>(db, e.person_id, "person_id", "person").await?;
    let starts_on = e.starts_on.unwrap_or(committee.term_starts_on);
    if let Some(last) = committee.dissolved_on
        && starts_on > last
    {
        return Err(AppError::invalid(
            "starts_on",
            UserErrorCode::InvalidState,
            format!("the committee is dissolved on {last}"),
        ));
    }
    let period_end = committee_period(committee)
        .ends_on
        .unwrap_or(committee.term_ends_on);
    let term = Term {
        starts_on,
        ends_on: Some(period_end),
    };
    if starts_on < committee.term_starts_on || starts_on > period_end {
        return Err(AppError::invalid(
            "starts_on",
            UserErrorCode::OutOfRange,
            "a member's term lies within the committee's term",
        ));
    }
    if !owns_in_compound(db, p.id, committee.compound_id, starts_on).await? {
        return Err(AppError::invalid(
            "person_id",
            UserErrorCode::Invalid,
            "committee members must be owners of a dwelling in the compound",
        ));
    }
    if let Some(vote_id) = e.vote_id {
        check_citation(
            db,
            vote_id,
            committee.compound_id,
            ArticleMatter::CommitteeElection,
            starts_on,
            "vote_id",
        )
        .await?;
    }
    let members = committee_member::Entity::find()
        .filter(committee_member::Column::CommitteeId.eq(committee.id))
        .all(db)
        .await?;
    if members
        .iter()
        .any(|m| m.person_id == p.id && member_term(m).overlaps(&term))
    {
        return Err(AppError::invalid(
            "person_id",
            UserErrorCode::Conflict,
            "the person already sits on this committee during this term",
        ));
    }
    if e.role == CommitteeRole::Chair
        && members
            .iter()
            .any(|m| m.role == CommitteeRole::Chair && member_term(m).overlaps(&term))
    {
        return Err(AppError::invalid(
            "role",
            UserErrorCode::Conflict,
            "the committee already has a chair during this term",
        ));
    }
    Ok(committee_member::ActiveModel {
        committee_id: Set(committee.id),
        person_id: Set(p.id),
        role: Set(e.role),
        starts_on: Set(starts_on),
        ends_on: Set(None),
        end_reason: Set(None),
        replaces_id: Set(e.replaces_id),
        vote_id: Set(e.vote_id),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Records the election of a member.
pub async fn elect_member(
    uow: &UnitOfWork<'_>,
    election: Election,
) -> AppResult<committee_member::Model> {
    let db = uow.db();
    let committee = uow
        .target::<owners_committee::Entity>(
            Permission::ManageCommittee,
            election.committee_id,
            "committee_id",
            "owners' committee",
        )
        .await?;
    let scope = Scope::of_compound(db, committee.compound_id).await?;
    let permit = uow.permit(Permission::ManageCommittee, &scope)?;
    let m = insert_member(
        db,
        &committee,
        &Election {
            replaces_id: None,
            ..election
        },
    )
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::ElectCommitteeMember,
            "CommitteeMember",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// A replacement of a committee member.
pub struct Replacement {
    /// The member replaced.
    pub member_id: i64,
    /// The owner who replaces them.
    pub person_id: i64,
    /// The new member's role; defaults to the replaced member's.
    pub role: Option<CommitteeRole>,
    /// The first day of the new member.
    pub on: NaiveDate,
    /// Why the old term ends.
    pub reason: String,
    /// The adopted assembly vote (art. 278 item 3) that decided it, if cited.
    pub vote_id: Option<i64>,
}

/// Replaces a member from `on`: the old term ends the day before, the new
/// member serves the rest of the committee's term and points at the old.
pub async fn replace_member(
    uow: &UnitOfWork<'_>,
    replacement: Replacement,
) -> AppResult<committee_member::Model> {
    let Replacement {
        member_id,
        person_id,
        role,
        on,
        reason,
        vote_id,
    } = replacement;
    let db = uow.db();
    let old = uow
        .target::<committee_member::Entity>(
            Permission::ManageCommittee,
            member_id,
            "member_id",
            "committee member",
        )
        .await?;
    let committee = must_exist::<owners_committee::Entity>(
        db,
        old.committee_id,
        "member_id",
        "owners' committee",
    )
    .await?;
    let scope = Scope::of_compound(db, committee.compound_id).await?;
    let permit = uow.permit(Permission::ManageCommittee, &scope)?;
    let last_day = on.pred_opt().unwrap_or(on);
    if old.ends_on.is_some() {
        return Err(AppError::invalid(
            "member_id",
            UserErrorCode::InvalidState,
            "this member's term has ended",
        ));
    }
    if on <= old.starts_on {
        return Err(AppError::invalid(
            "on",
            UserErrorCode::OutOfRange,
            "the replacement must start after the replaced member's term began",
        ));
    }
    let mut am: committee_member::ActiveModel = old.clone().into();
    am.ends_on = Set(Some(last_day));
    am.end_reason = Set(Some(reason));
    let ended = am.update(db).await?;
    let new = insert_member(
        db,
        &committee,
        &Election {
            committee_id: committee.id,
            person_id,
            role: role.unwrap_or(old.role),
            starts_on: Some(on),
            replaces_id: Some(old.id),
            vote_id,
        },
    )
    .await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::ReplaceCommitteeMember,
            "CommitteeMember",
            old.id,
            &scope,
        ),
        &old,
        &ended,
    )
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::ReplaceCommitteeMember,
            "CommitteeMember",
            new.id,
            &scope,
        ),
        &new,
    )
    .await?;
    Ok(new)
}

/// Ends a member's term early (resignation, removal, loss of ownership).
pub async fn end_member(
    uow: &UnitOfWork<'_>,
    id: i64,
    ends_on: NaiveDate,
    reason: String,
) -> AppResult<committee_member::Model> {
    let db = uow.db();
    let before = uow
        .target::<committee_member::Entity>(
            Permission::ManageCommittee,
            id,
            "id",
            "committee member",
        )
        .await?;
    let committee =
        must_exist::<owners_committee::Entity>(db, before.committee_id, "id", "owners' committee")
            .await?;
    let scope = Scope::of_compound(db, committee.compound_id).await?;
    let permit = uow.permit(Permission::ManageCommittee, &scope)?;
    check_end(before.starts_on, before.ends_on, ends_on)?;
    let mut am: committee_member::ActiveModel = before.clone().into();
    am.ends_on = Set(Some(ends_on));
    am.end_reason = Set(Some(reason));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::EndCommitteeMember, "CommitteeMember", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}
