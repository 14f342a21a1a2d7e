//! The building chiefs' association (楼栋长协会) of a community, with its
//! code of conduct and members, and the record of commendations and
//! penalties (奖惩) against that code.
//!
//! Rules: one association per community; its members are chiefs, holding
//! an appointment in the community on the day they join; one president at a
//! date; a person's memberships never overlap. A commendation or penalty
//! concerns one appointment, is dated within its term and not in the future,
//! names who decided and why, and is never edited: a correction is another
//! record.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait,
    QueryFilter,
};

use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::kinds::{AssociationRole, ConductKind};
use crate::domain::operation::Operation;
use crate::domain::parties::seats::{Seat, check_new_seat};
use crate::domain::people::check_end;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, Term, parse_text};
use crate::entity::{
    chief_appointment, chief_association, chief_association_member, chief_conduct_record,
    community, person,
};
use crate::error::{AppError, AppResult, UserErrorCode};

fn required_text(raw: &str, field: &str) -> AppResult<String> {
    let text = parse_text(raw, field)?;
    if text.is_empty() {
        return Err(AppError::invalid(
            field,
            UserErrorCode::Required,
            "must not be blank",
        ));
    }
    Ok(text)
}

/// Founds a community's association of chiefs, with its code of conduct.
pub async fn create_association(
    uow: &UnitOfWork<'_>,
    community_id: i64,
    name: Name,
    founded_on: NaiveDate,
    code_of_conduct: &str,
) -> AppResult<chief_association::Model> {
    let db = uow.db();
    uow.target::<community::Entity>(
        Permission::ManageChiefs,
        community_id,
        "community_id",
        "community",
    )
    .await?;
    let scope = Scope::of_community(db, community_id).await?;
    let permit = uow.permit(Permission::ManageChiefs, &scope)?;
    let m = chief_association::ActiveModel {
        community_id: Set(community_id),
        name: Set(name.into_inner()),
        founded_on: Set(founded_on),
        code_of_conduct: Set(required_text(code_of_conduct, "code_of_conduct")?),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::CreateChiefAssociation,
            "ChiefAssociation",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// Admits a chief to the association.
pub async fn add_member(
    uow: &UnitOfWork<'_>,
    association_id: i64,
    person_id: i64,
    role: AssociationRole,
    term: Term,
) -> AppResult<chief_association_member::Model> {
    let db = uow.db();
    let a = uow
        .target::<chief_association::Entity>(
            Permission::ManageChiefs,
            association_id,
            "association_id",
            "association",
        )
        .await?;
    let scope = Scope::of_community(db, a.community_id).await?;
    let permit = uow.permit(Permission::ManageChiefs, &scope)?;
    must_exist::<person::Entity>(db, person_id, "person_id", "person").await?;
    if term.starts_on < a.founded_on {
        return Err(AppError::invalid(
            "starts_on",
            UserErrorCode::OutOfRange,
            "the association was founded later",
        ));
    }
    let day = term.starts_on;
    let is_chief = chief_appointment::Entity::find()
        .filter(chief_appointment::Column::PersonId.eq(person_id))
        .filter(chief_appointment::Column::CommunityId.eq(a.community_id))
        .filter(chief_appointment::Column::StartsOn.lte(day))
        .filter(
            Condition::any()
                .add(chief_appointment::Column::EndsOn.is_null())
                .add(chief_appointment::Column::EndsOn.gte(day)),
        )
        .count(db)
        .await?
        > 0;
    if !is_chief {
        return Err(AppError::invalid(
            "person_id",
            UserErrorCode::Invalid,
            "only a chief of this community on the day they join is a member",
        ));
    }
    let existing: Vec<Seat> = chief_association_member::Entity::find()
        .filter(chief_association_member::Column::AssociationId.eq(association_id))
        .all(db)
        .await?
        .iter()
        .map(|m| Seat {
            person_id: m.person_id,
            heads: m.role == AssociationRole::President,
            term: Term {
                starts_on: m.joined_on,
                ends_on: m.left_on,
            },
        })
        .collect();
    let new = Seat {
        person_id,
        heads: role == AssociationRole::President,
        term,
    };
    check_new_seat(&existing, &new, "the association", "a president")?;
    let m = chief_association_member::ActiveModel {
        association_id: Set(association_id),
        person_id: Set(person_id),
        role: Set(role),
        joined_on: Set(term.starts_on),
        left_on: Set(term.ends_on),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::AddChiefAssociationMember,
            "ChiefAssociationMember",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// Records that a member left the association.
pub async fn end_member(
    uow: &UnitOfWork<'_>,
    id: i64,
    left_on: NaiveDate,
) -> AppResult<chief_association_member::Model> {
    let db = uow.db();
    let before = uow
        .target::<chief_association_member::Entity>(
            Permission::ManageChiefs,
            id,
            "id",
            "association member",
        )
        .await?;
    let a = must_exist::<chief_association::Entity>(db, before.association_id, "id", "association")
        .await?;
    let scope = Scope::of_community(db, a.community_id).await?;
    let permit = uow.permit(Permission::ManageChiefs, &scope)?;
    check_end(before.joined_on, before.left_on, left_on)
        .map_err(|e| e.at_field("ends_on", "left_on"))?;
    let mut am: chief_association_member::ActiveModel = before.clone().into();
    am.left_on = Set(Some(left_on));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::EndChiefAssociationMember,
            "ChiefAssociationMember",
            id,
            &scope,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// A commendation or penalty to record.
pub struct NewConduct<'a> {
    /// The appointment it concerns.
    pub appointment_id: i64,
    /// Commendation or penalty.
    pub kind: ConductKind,
    /// The day it was decided.
    pub decided_on: NaiveDate,
    /// Why.
    pub reason: &'a str,
    /// The article of the code of conduct it rests on, if any.
    pub code_article: Option<&'a str>,
    /// Who decided (the association's council, the community, the subdistrict …).
    pub decided_by: &'a str,
}

/// Records a commendation or penalty of a chief.
pub async fn record_conduct(
    uow: &UnitOfWork<'_>,
    new: NewConduct<'_>,
) -> AppResult<chief_conduct_record::Model> {
    let db = uow.db();
    let a = uow
        .target::<chief_appointment::Entity>(
            Permission::ManageChiefs,
            new.appointment_id,
            "appointment_id",
            "appointment",
        )
        .await?;
    let scope = match a.compound_id {
        Some(c) => Scope::of_compound(db, c).await?,
        None => Scope::of_community(db, a.community_id).await?,
    };
    let permit = uow.permit(Permission::ManageChiefs, &scope)?;
    let term = Term {
        starts_on: a.starts_on,
        ends_on: a.ends_on,
    };
    if !term.contains(new.decided_on) {
        return Err(AppError::invalid(
            "decided_on",
            UserErrorCode::OutOfRange,
            "the day falls outside the appointment's term",
        ));
    }
    if new.decided_on > uow.today() {
        return Err(AppError::invalid(
            "decided_on",
            UserErrorCode::OutOfRange,
            "a decision cannot be recorded before it is taken",
        ));
    }
    let code_article = new
        .code_article
        .map(|c| parse_text(c, "code_article"))
        .transpose()?
        .filter(|c| !c.is_empty());
    let m = chief_conduct_record::ActiveModel {
        appointment_id: Set(new.appointment_id),
        kind: Set(new.kind),
        decided_on: Set(new.decided_on),
        reason: Set(required_text(new.reason, "reason")?),
        code_article: Set(code_article),
        decided_by: Set(Name::parse(new.decided_by, "decided_by")?.into_inner()),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::RecordChiefConduct,
            "ChiefConductRecord",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}
