//! Property companies (物业服务企业) and their contracts with compounds.
//!
//! Rules: a compound has at most one ACTIVE contract; a contract ends on or
//! after it starts; star ratings are 1–5. Hiring or dismissing a company is
//! an owners' assembly matter (art. 278 item 4); the contract records the
//! outcome.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::decisions::assembly::check_citation;
use crate::domain::kinds::{ArticleMatter, ContractStatus};
use crate::domain::operation::Operation;
use crate::domain::parties::linkage::contract_period;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, Phone, Term};
use crate::entity::{compound, property_company, property_contract};
use crate::error::{AppError, AppResult, UserErrorCode};

/// A property company's fields; on update `None` leaves a field as it is.
#[derive(Default)]
pub struct CompanyFields {
    /// Registered name.
    pub name: Option<Name>,
    /// Unified social credit code (18 characters).
    pub credit_code: Option<Option<String>>,
    /// Public service phone.
    pub phone: Option<Option<Phone>>,
    /// Star rating, 1–5.
    pub star_rating: Option<Option<i32>>,
}

fn check_company(fields: &CompanyFields) -> AppResult<()> {
    if let Some(Some(stars)) = fields.star_rating
        && !(1..=5).contains(&stars)
    {
        return Err(AppError::invalid(
            "star_rating",
            UserErrorCode::OutOfRange,
            "a star rating is 1 to 5",
        ));
    }
    if let Some(Some(code)) = &fields.credit_code
        && (code.len() != 18 || !code.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(AppError::invalid(
            "credit_code",
            UserErrorCode::Invalid,
            "a unified social credit code has 18 letters and digits",
        ));
    }
    Ok(())
}

/// Registers a property company.
pub async fn create_company(
    uow: &UnitOfWork<'_>,
    fields: CompanyFields,
) -> AppResult<property_company::Model> {
    let db = uow.db();
    let permit = uow.permit(Permission::ManagePropertyCompanies, &Scope::GLOBAL)?;
    let Some(name) = fields.name.clone() else {
        return Err(AppError::invalid(
            "name",
            UserErrorCode::Required,
            "a company needs a name",
        ));
    };
    check_company(&fields)?;
    let m = property_company::ActiveModel {
        name: Set(name.into_inner()),
        credit_code: Set(fields.credit_code.flatten()),
        phone: Set(fields.phone.flatten().map(Phone::into_inner)),
        star_rating: Set(fields.star_rating.flatten()),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::CreatePropertyCompany,
            "PropertyCompany",
            m.id,
            &Scope::GLOBAL,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// Changes a property company (its name, code, phone or rating).
pub async fn update_company(
    uow: &UnitOfWork<'_>,
    id: i64,
    fields: CompanyFields,
) -> AppResult<property_company::Model> {
    let db = uow.db();
    let permit = uow.permit(Permission::ManagePropertyCompanies, &Scope::GLOBAL)?;
    let before = must_exist::<property_company::Entity>(db, id, "id", "property company").await?;
    check_company(&fields)?;
    let mut am: property_company::ActiveModel = before.clone().into();
    if let Some(name) = fields.name {
        am.name = Set(name.into_inner());
    }
    if let Some(code) = fields.credit_code {
        am.credit_code = Set(code);
    }
    if let Some(phone) = fields.phone {
        am.phone = Set(phone.map(Phone::into_inner));
    }
    if let Some(stars) = fields.star_rating {
        am.star_rating = Set(stars);
    }
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::UpdatePropertyCompany,
            "PropertyCompany",
            id,
            &Scope::GLOBAL,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// A contract to sign.
pub struct NewContract {
    /// The compound served.
    pub compound_id: i64,
    /// The company hired.
    pub company_id: i64,
    /// First day of service.
    pub starts_on: NaiveDate,
    /// Last day of service.
    pub ends_on: NaiveDate,
    /// The adopted assembly vote (art. 278 item 4) that hired the company, if cited.
    pub vote_id: Option<i64>,
}

/// Signs a contract between a compound and a company.
pub async fn sign_contract(
    uow: &UnitOfWork<'_>,
    new: NewContract,
) -> AppResult<property_contract::Model> {
    let NewContract {
        compound_id,
        company_id,
        starts_on,
        ends_on,
        vote_id,
    } = new;
    let db = uow.db();
    uow.target::<compound::Entity>(
        Permission::ManageContracts,
        compound_id,
        "compound_id",
        "compound",
    )
    .await?;
    let scope = Scope::of_compound(db, compound_id).await?;
    let permit = uow.permit(Permission::ManageContracts, &scope)?;
    must_exist::<property_company::Entity>(db, company_id, "company_id", "property company")
        .await?;
    if ends_on < starts_on {
        return Err(AppError::invalid(
            "ends_on",
            UserErrorCode::OutOfRange,
            "the contract ends before it starts",
        ));
    }
    if let Some(vote_id) = vote_id {
        check_citation(
            db,
            vote_id,
            compound_id,
            ArticleMatter::PropertyManager,
            starts_on,
            "vote_id",
        )
        .await?;
    }
    let existing = property_contract::Entity::find()
        .filter(property_contract::Column::CompoundId.eq(compound_id))
        .all(db)
        .await?;
    let new_period = Term {
        starts_on,
        ends_on: None,
    };
    if existing
        .iter()
        .any(|c| contract_period(c).overlaps(&new_period))
    {
        return Err(AppError::invalid(
            "compound_id",
            UserErrorCode::Conflict,
            "the compound has a contract in force on or after this date; a new one starts after the old one ends",
        ));
    }
    let m = property_contract::ActiveModel {
        compound_id: Set(compound_id),
        company_id: Set(company_id),
        starts_on: Set(starts_on),
        ends_on: Set(ends_on),
        status: Set(ContractStatus::Active),
        ended_on: Set(None),
        end_reason: Set(None),
        created_at: Set(uow.now()),
        vote_id: Set(vote_id),
        end_vote_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::SignPropertyContract,
            "PropertyContract",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// Ends an active contract (expiry, dismissal, agreement). A dismissal
/// may cite the adopted assembly vote (art. 278 item 4) that decided it.
pub async fn end_contract(
    uow: &UnitOfWork<'_>,
    id: i64,
    ended_on: NaiveDate,
    reason: String,
    vote_id: Option<i64>,
) -> AppResult<property_contract::Model> {
    let db = uow.db();
    let before = uow
        .target::<property_contract::Entity>(
            Permission::ManageContracts,
            id,
            "id",
            "property contract",
        )
        .await?;
    let scope = Scope::of_compound(db, before.compound_id).await?;
    let permit = uow.permit(Permission::ManageContracts, &scope)?;
    if before.status != ContractStatus::Active {
        return Err(AppError::invalid(
            "id",
            UserErrorCode::InvalidState,
            "the contract has already ended",
        ));
    }
    if ended_on < before.starts_on {
        return Err(AppError::invalid(
            "ended_on",
            UserErrorCode::OutOfRange,
            "a contract cannot end before it starts",
        ));
    }
    if let Some(vote_id) = vote_id {
        check_citation(
            db,
            vote_id,
            before.compound_id,
            ArticleMatter::PropertyManager,
            ended_on,
            "vote_id",
        )
        .await?;
    }
    let mut am: property_contract::ActiveModel = before.clone().into();
    am.status = Set(ContractStatus::Ended);
    am.end_vote_id = Set(vote_id);
    am.ended_on = Set(Some(ended_on));
    am.end_reason = Set(Some(reason));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::EndPropertyContract,
            "PropertyContract",
            id,
            &scope,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}
