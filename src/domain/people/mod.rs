//! People and their ties to dwellings: residency (owner, family member,
//! tenant) and ownership. Phone and ID numbers are personal data: stored
//! as given, shown only to those entitled (see `access::Caller::may_read_personal_data`).
//!
//! Batch writes for loading a register (`register_people`, `add_residencies`,
//! `add_ownerships`) live in `batch`, on the same rules.

mod batch;

pub use batch::{NewTie, add_ownerships, add_residencies, register_people};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::access::{Permission, Scope, SelfService};
use crate::domain::audit::{self, Subject};
use crate::domain::kinds::ResidencyKind;
use crate::domain::operation::Operation;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{IdNumber, Name, Phone, Term, mask_id_number, mask_phone};
use crate::entity::{community, dwelling, ownership, person, residency};
use crate::error::{AppError, AppResult, UserErrorCode};

/// A person's fields; on update `None` leaves a field as it is.
#[derive(Default)]
pub struct PersonFields {
    /// Full name.
    pub name: Option<Name>,
    /// Phone (`Some(None)` clears it).
    pub phone: Option<Option<Phone>>,
    /// Identity number (`Some(None)` clears it).
    pub id_number: Option<Option<IdNumber>>,
    /// Whether the person is a party member.
    pub is_party_member: Option<bool>,
}

/// Registers a person in a community.
pub async fn create_person(
    uow: &UnitOfWork<'_>,
    community_id: i64,
    fields: PersonFields,
) -> AppResult<person::Model> {
    let db = uow.db();
    uow.target::<community::Entity>(PEOPLE, community_id, "community_id", "community")
        .await?;
    let scope = Scope::of_community(db, community_id).await?;
    let permit = uow.permit(PEOPLE, &scope)?;
    let m = new_person_row(community_id, fields, uow.now())?
        .insert(db)
        .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreatePerson, "Person", m.id, &scope),
        &masked(&m),
    )
    .await?;
    Ok(m)
}

/// The row of a new person registered in `community_id`, its fields checked.
fn new_person_row(
    community_id: i64,
    fields: PersonFields,
    now: DateTime<Utc>,
) -> AppResult<person::ActiveModel> {
    let Some(name) = fields.name else {
        return Err(AppError::invalid(
            "name",
            UserErrorCode::Required,
            "a person needs a name",
        ));
    };
    Ok(person::ActiveModel {
        community_id: Set(community_id),
        name: Set(name.into_inner()),
        phone: Set(fields.phone.flatten().map(Phone::into_inner)),
        id_number: Set(fields.id_number.flatten().map(IdNumber::into_inner)),
        is_party_member: Set(fields.is_party_member.unwrap_or(false)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
}

/// The audit trail keeps personal data masked: history readers need to see
/// that a number changed, not the number.
fn masked(m: &person::Model) -> person::Model {
    person::Model {
        phone: m.phone.as_deref().map(mask_phone),
        id_number: m.id_number.as_deref().map(mask_id_number),
        ..m.clone()
    }
}

/// Community-level staff register people; compound roles that keep a
/// register (property managers) do so through residencies in their compound.
const PEOPLE: Permission = Permission::ManageRegister;

/// Changes a person's record. The person may correct their own phone.
pub async fn update_person(
    uow: &UnitOfWork<'_>,
    id: i64,
    fields: PersonFields,
) -> AppResult<person::Model> {
    let db = uow.db();
    let actor = uow.caller().actor()?;
    let is_self_phone_only = actor.person_id == Some(id)
        && fields.name.is_none()
        && fields.id_number.is_none()
        && fields.is_party_member.is_none();
    let (before, scope, permit) = if is_self_phone_only {
        let before = must_exist::<person::Entity>(db, id, "id", "person").await?;
        let scope = Scope::of_community(db, before.community_id).await?;
        let permit = uow.self_service(SelfService::CorrectOwnPhone, &scope)?;
        (before, scope, permit)
    } else {
        let before = uow
            .target::<person::Entity>(PEOPLE, id, "id", "person")
            .await?;
        let scope = Scope::of_community(db, before.community_id).await?;
        let permit = uow.permit(PEOPLE, &scope)?;
        (before, scope, permit)
    };
    let mut am: person::ActiveModel = before.clone().into();
    if let Some(name) = fields.name {
        am.name = Set(name.into_inner());
    }
    if let Some(phone) = fields.phone {
        am.phone = Set(phone.map(Phone::into_inner));
    }
    if let Some(idn) = fields.id_number {
        am.id_number = Set(idn.map(IdNumber::into_inner));
    }
    if let Some(p) = fields.is_party_member {
        am.is_party_member = Set(p);
    }
    am.updated_at = Set(uow.now());
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::UpdatePerson, "Person", id, &scope),
        &masked(&before),
        &masked(&after),
    )
    .await?;
    Ok(after)
}

/// Why a second residency of the same person and dwelling is refused.
const LIVES_THERE: &str = "the person already lives in this dwelling during this period";
/// Why a second ownership of the same person and dwelling is refused.
const OWNS_IT: &str = "the person already owns this dwelling during this period";

/// Refuses `term` when one of the `existing` terms of the same person and
/// dwelling overlaps it.
fn check_no_overlap(
    mut existing: impl Iterator<Item = Term>,
    term: &Term,
    message: &str,
) -> AppResult<()> {
    if existing.any(|t| term.overlaps(&t)) {
        return Err(AppError::invalid(
            "starts_on",
            UserErrorCode::Conflict,
            message,
        ));
    }
    Ok(())
}

fn new_residency_row(
    person_id: i64,
    dwelling_id: i64,
    kind: ResidencyKind,
    term: Term,
) -> residency::ActiveModel {
    residency::ActiveModel {
        person_id: Set(person_id),
        dwelling_id: Set(dwelling_id),
        kind: Set(kind),
        starts_on: Set(term.starts_on),
        ends_on: Set(term.ends_on),
        ..Default::default()
    }
}

fn new_ownership_row(person_id: i64, dwelling_id: i64, term: Term) -> ownership::ActiveModel {
    ownership::ActiveModel {
        person_id: Set(person_id),
        dwelling_id: Set(dwelling_id),
        starts_on: Set(term.starts_on),
        ends_on: Set(term.ends_on),
        ..Default::default()
    }
}

/// Records that a person lives in a dwelling. A person has at most one
/// residency of a dwelling at a time.
pub async fn add_residency(
    uow: &UnitOfWork<'_>,
    person_id: i64,
    dwelling_id: i64,
    kind: ResidencyKind,
    term: Term,
) -> AppResult<residency::Model> {
    let db = uow.db();
    uow.target::<dwelling::Entity>(
        Permission::ManageRegister,
        dwelling_id,
        "dwelling_id",
        "dwelling",
    )
    .await?;
    let scope = Scope::of_dwelling(db, dwelling_id).await?;
    let permit = uow.permit(Permission::ManageRegister, &scope)?;
    must_exist::<person::Entity>(db, person_id, "person_id", "person").await?;
    let existing = residency::Entity::find()
        .filter(residency::Column::PersonId.eq(person_id))
        .filter(residency::Column::DwellingId.eq(dwelling_id))
        .all(db)
        .await?;
    check_no_overlap(
        existing.iter().map(|r| Term {
            starts_on: r.starts_on,
            ends_on: r.ends_on,
        }),
        &term,
        LIVES_THERE,
    )?;
    let m = new_residency_row(person_id, dwelling_id, kind, term)
        .insert(db)
        .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::AddResidency, "Residency", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// Ends a residency on `ends_on` (moving out).
pub async fn end_residency(
    uow: &UnitOfWork<'_>,
    id: i64,
    ends_on: NaiveDate,
) -> AppResult<residency::Model> {
    let db = uow.db();
    let before = uow
        .target::<residency::Entity>(Permission::ManageRegister, id, "id", "residency")
        .await?;
    let scope = Scope::of_dwelling(db, before.dwelling_id).await?;
    let permit = uow.permit(Permission::ManageRegister, &scope)?;
    check_end(before.starts_on, before.ends_on, ends_on)?;
    let mut am: residency::ActiveModel = before.clone().into();
    am.ends_on = Set(Some(ends_on));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::EndResidency, "Residency", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// Checks that an open term may end on `ends_on`.
pub fn check_end(
    starts_on: NaiveDate,
    current_end: Option<NaiveDate>,
    ends_on: NaiveDate,
) -> AppResult<()> {
    if current_end.is_some() {
        return Err(AppError::invalid(
            "id",
            UserErrorCode::InvalidState,
            "this has already ended",
        ));
    }
    if ends_on < starts_on {
        return Err(AppError::invalid(
            "ends_on",
            UserErrorCode::OutOfRange,
            "the end date is before the start date",
        ));
    }
    Ok(())
}

/// Records that a person owns a dwelling (co-owners each get a row).
pub async fn add_ownership(
    uow: &UnitOfWork<'_>,
    person_id: i64,
    dwelling_id: i64,
    term: Term,
) -> AppResult<ownership::Model> {
    let db = uow.db();
    uow.target::<dwelling::Entity>(
        Permission::ManageRegister,
        dwelling_id,
        "dwelling_id",
        "dwelling",
    )
    .await?;
    let scope = Scope::of_dwelling(db, dwelling_id).await?;
    let permit = uow.permit(Permission::ManageRegister, &scope)?;
    must_exist::<person::Entity>(db, person_id, "person_id", "person").await?;
    let existing = ownership::Entity::find()
        .filter(ownership::Column::PersonId.eq(person_id))
        .filter(ownership::Column::DwellingId.eq(dwelling_id))
        .all(db)
        .await?;
    check_no_overlap(
        existing.iter().map(|o| Term {
            starts_on: o.starts_on,
            ends_on: o.ends_on,
        }),
        &term,
        OWNS_IT,
    )?;
    let m = new_ownership_row(person_id, dwelling_id, term)
        .insert(db)
        .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::AddOwnership, "Ownership", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// Ends an ownership on `ends_on` (a sale or transfer).
pub async fn end_ownership(
    uow: &UnitOfWork<'_>,
    id: i64,
    ends_on: NaiveDate,
) -> AppResult<ownership::Model> {
    let db = uow.db();
    let before = uow
        .target::<ownership::Entity>(Permission::ManageRegister, id, "id", "ownership")
        .await?;
    let scope = Scope::of_dwelling(db, before.dwelling_id).await?;
    let permit = uow.permit(Permission::ManageRegister, &scope)?;
    check_end(before.starts_on, before.ends_on, ends_on)?;
    let mut am: ownership::ActiveModel = before.clone().into();
    am.ends_on = Set(Some(ends_on));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::EndOwnership, "Ownership", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}
