//! The compound's party branch (小区党支部, possibly temporary) and its
//! members: the secretary, deputies, members and pioneer posts.
//!
//! Rules: a compound has at most one active branch; only party members join
//! a branch; a branch has at most one secretary at any date; a person's
//! terms in one branch never overlap.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::kinds::{BranchRole, PartyBranchKind};
use crate::domain::operation::Operation;
use crate::domain::parties::linkage::branch_period;
use crate::domain::people::check_end;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, Term};
use crate::entity::{compound, party_branch, party_branch_member, person};
use crate::error::{AppError, AppResult, UserErrorCode};

/// Sets up a party branch in a compound.
pub async fn create_branch(
    uow: &UnitOfWork<'_>,
    compound_id: i64,
    name: Name,
    kind: PartyBranchKind,
    established_on: NaiveDate,
) -> AppResult<party_branch::Model> {
    let db = uow.db();
    uow.target::<compound::Entity>(
        Permission::ManagePartyBranch,
        compound_id,
        "compound_id",
        "compound",
    )
    .await?;
    let scope = Scope::of_compound(db, compound_id).await?;
    let permit = uow.permit(Permission::ManagePartyBranch, &scope)?;
    let existing = party_branch::Entity::find()
        .filter(party_branch::Column::CompoundId.eq(compound_id))
        .all(db)
        .await?;
    let new_period = Term {
        starts_on: established_on,
        ends_on: None,
    };
    if existing
        .iter()
        .any(|b| branch_period(b).overlaps(&new_period))
    {
        return Err(AppError::invalid(
            "compound_id",
            UserErrorCode::Conflict,
            "the compound has a party branch on or after this date; a new branch starts after the old one's last day",
        ));
    }
    let m = party_branch::ActiveModel {
        compound_id: Set(compound_id),
        name: Set(name.into_inner()),
        kind: Set(kind),
        established_on: Set(established_on),
        dissolved_on: Set(None),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreatePartyBranch, "PartyBranch", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// Renames a branch, changes its kind (a temporary branch made standing),
/// or dissolves it.
pub async fn update_branch(
    uow: &UnitOfWork<'_>,
    id: i64,
    name: Option<Name>,
    kind: Option<PartyBranchKind>,
    dissolved_on: Option<NaiveDate>,
) -> AppResult<party_branch::Model> {
    let db = uow.db();
    let before = uow
        .target::<party_branch::Entity>(Permission::ManagePartyBranch, id, "id", "party branch")
        .await?;
    let scope = Scope::of_compound(db, before.compound_id).await?;
    let permit = uow.permit(Permission::ManagePartyBranch, &scope)?;
    if before.dissolved_on.is_some() {
        return Err(AppError::invalid(
            "id",
            UserErrorCode::InvalidState,
            "the branch is dissolved",
        ));
    }
    let mut am: party_branch::ActiveModel = before.clone().into();
    if let Some(name) = name {
        am.name = Set(name.into_inner());
    }
    if let Some(kind) = kind {
        am.kind = Set(kind);
    }
    if let Some(on) = dissolved_on {
        if on < before.established_on {
            return Err(AppError::invalid(
                "dissolved_on",
                UserErrorCode::OutOfRange,
                "a branch cannot be dissolved before it was established",
            ));
        }
        am.dissolved_on = Set(Some(on));
    }
    let after = am.update(db).await?;
    if let Some(on) = dissolved_on {
        // Every term still running after the last day ends with the branch.
        party_branch_member::Entity::update_many()
            .col_expr(
                party_branch_member::Column::EndsOn,
                sea_orm::sea_query::Expr::value(Some(on)),
            )
            .filter(party_branch_member::Column::BranchId.eq(id))
            .filter(
                sea_orm::Condition::any()
                    .add(party_branch_member::Column::EndsOn.is_null())
                    .add(party_branch_member::Column::EndsOn.gt(on)),
            )
            .exec(db)
            .await?;
    }
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::UpdatePartyBranch, "PartyBranch", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

fn term_of(m: &party_branch_member::Model) -> Term {
    Term {
        starts_on: m.starts_on,
        ends_on: m.ends_on,
    }
}

/// Adds a party member to a branch in a role, for a term.
pub async fn add_member(
    uow: &UnitOfWork<'_>,
    branch_id: i64,
    person_id: i64,
    role: BranchRole,
    pioneer_post: Option<String>,
    term: Term,
) -> AppResult<party_branch_member::Model> {
    let db = uow.db();
    let branch = uow
        .target::<party_branch::Entity>(
            Permission::ManagePartyBranch,
            branch_id,
            "branch_id",
            "party branch",
        )
        .await?;
    let p = must_exist::<person::Entity>(db, person_id, "person_id", "person").await?;
    let scope = Scope::of_compound(db, branch.compound_id).await?;
    let permit = uow.permit(Permission::ManagePartyBranch, &scope)?;
    if branch.dissolved_on.is_some() {
        return Err(AppError::invalid(
            "branch_id",
            UserErrorCode::InvalidState,
            "the branch is dissolved",
        ));
    }
    if !p.is_party_member {
        return Err(AppError::invalid(
            "person_id",
            UserErrorCode::Invalid,
            "only party members can join a party branch",
        ));
    }
    if term.starts_on < branch.established_on {
        return Err(AppError::invalid(
            "starts_on",
            UserErrorCode::OutOfRange,
            "the term starts before the branch was established",
        ));
    }
    let members = party_branch_member::Entity::find()
        .filter(party_branch_member::Column::BranchId.eq(branch_id))
        .all(db)
        .await?;
    if members
        .iter()
        .any(|m| m.person_id == person_id && term_of(m).overlaps(&term))
    {
        return Err(AppError::invalid(
            "starts_on",
            UserErrorCode::Conflict,
            "the person is already a member of this branch during this term",
        ));
    }
    if role == BranchRole::Secretary
        && members
            .iter()
            .any(|m| m.role == BranchRole::Secretary && term_of(m).overlaps(&term))
    {
        return Err(AppError::invalid(
            "role",
            UserErrorCode::Conflict,
            "the branch already has a secretary during this term",
        ));
    }
    let m = party_branch_member::ActiveModel {
        branch_id: Set(branch_id),
        person_id: Set(person_id),
        role: Set(role),
        pioneer_post: Set(pioneer_post),
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
            Operation::AddBranchMember,
            "PartyBranchMember",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// Sets or clears a member's pioneer post (党员先锋岗).
pub async fn set_pioneer_post(
    uow: &UnitOfWork<'_>,
    id: i64,
    pioneer_post: Option<String>,
) -> AppResult<party_branch_member::Model> {
    let db = uow.db();
    let before = uow
        .target::<party_branch_member::Entity>(
            Permission::ManagePartyBranch,
            id,
            "id",
            "branch member",
        )
        .await?;
    let branch =
        must_exist::<party_branch::Entity>(db, before.branch_id, "id", "party branch").await?;
    let scope = Scope::of_compound(db, branch.compound_id).await?;
    let permit = uow.permit(Permission::ManagePartyBranch, &scope)?;
    let mut am: party_branch_member::ActiveModel = before.clone().into();
    am.pioneer_post = Set(pioneer_post);
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::SetPioneerPost, "PartyBranchMember", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// Ends a member's term.
pub async fn end_member(
    uow: &UnitOfWork<'_>,
    id: i64,
    ends_on: NaiveDate,
) -> AppResult<party_branch_member::Model> {
    let db = uow.db();
    let before = uow
        .target::<party_branch_member::Entity>(
            Permission::ManagePartyBranch,
            id,
            "id",
            "branch member",
        )
        .await?;
    let branch =
        must_exist::<party_branch::Entity>(db, before.branch_id, "id", "party branch").await?;
    let scope = Scope::of_compound(db, branch.compound_id).await?;
    let permit = uow.permit(Permission::ManagePartyBranch, &scope)?;
    check_end(before.starts_on, before.ends_on, ends_on)?;
    let mut am: party_branch_member::ActiveModel = before.clone().into();
    am.ends_on = Set(Some(ends_on));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::EndBranchMember, "PartyBranchMember", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}
