//! What a property company is made of beyond its registration: its own
//! party organisation (红色物业, "党建进物管") with members, a secretary and
//! dates, like a branch; and the posts people hold in it (its head, a
//! compound's project lead, its management), which cross-appointment both
//! ways (双向任职) is measured by. A company is "red" while its party
//! organisation is in being.
//!
//! Rules: at most one organisation in being per company; only party members
//! join it, within its days, one secretary at a date; a company has one head
//! at a date and one project lead per compound at a date; a person's terms
//! in one organisation, or in one post, never overlap.
//!
//! Companies are registered above communities, so all of this needs
//! `ManagePropertyCompanies`, as registering the company does.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::kinds::{BranchRole, CompanyPostKind};
use crate::domain::operation::Operation;
use crate::domain::parties::seats::{Seat, check_new_seat, check_within};
use crate::domain::people::check_end;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, Term};
use crate::entity::{
    company_party_member, company_party_org, company_post, compound, person, property_company,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// The days an organisation is in being.
pub fn org_period(o: &company_party_org::Model) -> Term {
    Term {
        starts_on: o.established_on,
        ends_on: o.dissolved_on,
    }
}

/// The organisation in being on `day` among a company's organisations.
pub fn org_in_being(
    orgs: impl IntoIterator<Item = company_party_org::Model>,
    day: NaiveDate,
) -> Option<company_party_org::Model> {
    orgs.into_iter().find(|o| org_period(o).contains(day))
}

/// Whether a seat or post runs on `day`.
pub fn serves(starts_on: NaiveDate, ends_on: Option<NaiveDate>, day: NaiveDate) -> bool {
    Term { starts_on, ends_on }.contains(day)
}

const WHERE: Scope = Scope::GLOBAL;

/// Founds a company's party organisation.
pub async fn create_org(
    uow: &UnitOfWork<'_>,
    company_id: i64,
    name: Name,
    established_on: NaiveDate,
) -> AppResult<company_party_org::Model> {
    let db = uow.db();
    uow.target::<property_company::Entity>(
        Permission::ManagePropertyCompanies,
        company_id,
        "company_id",
        "property company",
    )
    .await?;
    let permit = uow.permit(Permission::ManagePropertyCompanies, &WHERE)?;
    let existing = company_party_org::Entity::find()
        .filter(company_party_org::Column::CompanyId.eq(company_id))
        .all(db)
        .await?;
    let period = Term {
        starts_on: established_on,
        ends_on: None,
    };
    if existing.iter().any(|o| org_period(o).overlaps(&period)) {
        return Err(AppError::invalid(
            "company_id",
            UserErrorCode::Conflict,
            "the company has a party organisation on or after this date; a new one starts after the old one's last day",
        ));
    }
    let m = company_party_org::ActiveModel {
        company_id: Set(company_id),
        name: Set(name.into_inner()),
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
        Subject::new(
            Operation::CreateCompanyPartyOrg,
            "CompanyPartyOrganisation",
            m.id,
            &WHERE,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// Records the dissolution of a company's party organisation; its last day
/// ends every seat still running.
pub async fn dissolve_org(
    uow: &UnitOfWork<'_>,
    id: i64,
    dissolved_on: NaiveDate,
) -> AppResult<company_party_org::Model> {
    let db = uow.db();
    let before = uow
        .target::<company_party_org::Entity>(
            Permission::ManagePropertyCompanies,
            id,
            "id",
            "party organisation",
        )
        .await?;
    let permit = uow.permit(Permission::ManagePropertyCompanies, &WHERE)?;
    check_end(before.established_on, before.dissolved_on, dissolved_on)
        .map_err(|e| e.at_field("ends_on", "dissolved_on"))?;
    let mut am: company_party_org::ActiveModel = before.clone().into();
    am.dissolved_on = Set(Some(dissolved_on));
    let after = am.update(db).await?;
    company_party_member::Entity::update_many()
        .col_expr(
            company_party_member::Column::EndsOn,
            sea_orm::sea_query::Expr::value(Some(dissolved_on)),
        )
        .filter(company_party_member::Column::OrgId.eq(id))
        .filter(
            sea_orm::Condition::any()
                .add(company_party_member::Column::EndsOn.is_null())
                .add(company_party_member::Column::EndsOn.gt(dissolved_on)),
        )
        .exec(db)
        .await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::DissolveCompanyPartyOrg,
            "CompanyPartyOrganisation",
            id,
            &WHERE,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// Seats a party member in a company's party organisation.
pub async fn add_member(
    uow: &UnitOfWork<'_>,
    org_id: i64,
    person_id: i64,
    role: BranchRole,
    term: Term,
) -> AppResult<company_party_member::Model> {
    let db = uow.db();
    let org = uow
        .target::<company_party_org::Entity>(
            Permission::ManagePropertyCompanies,
            org_id,
            "organisation_id",
            "party organisation",
        )
        .await?;
    let permit = uow.permit(Permission::ManagePropertyCompanies, &WHERE)?;
    let p = must_exist::<person::Entity>(db, person_id, "person_id", "person").await?;
    if !p.is_party_member {
        return Err(AppError::invalid(
            "person_id",
            UserErrorCode::Invalid,
            "only party members join a party organisation",
        ));
    }
    check_within(&term, org.established_on, org.dissolved_on)?;
    let existing: Vec<Seat> = company_party_member::Entity::find()
        .filter(company_party_member::Column::OrgId.eq(org_id))
        .all(db)
        .await?
        .iter()
        .map(|m| Seat {
            person_id: m.person_id,
            heads: m.role == BranchRole::Secretary,
            term: Term {
                starts_on: m.starts_on,
                ends_on: m.ends_on,
            },
        })
        .collect();
    let new = Seat {
        person_id,
        heads: role == BranchRole::Secretary,
        term,
    };
    check_new_seat(&existing, &new, "this organisation", "a secretary")?;
    let m = company_party_member::ActiveModel {
        org_id: Set(org_id),
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
            Operation::AddCompanyPartyMember,
            "CompanyPartyMember",
            m.id,
            &WHERE,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// Ends a member's seat.
pub async fn end_member(
    uow: &UnitOfWork<'_>,
    id: i64,
    ends_on: NaiveDate,
) -> AppResult<company_party_member::Model> {
    let db = uow.db();
    let before = uow
        .target::<company_party_member::Entity>(
            Permission::ManagePropertyCompanies,
            id,
            "id",
            "party organisation member",
        )
        .await?;
    let permit = uow.permit(Permission::ManagePropertyCompanies, &WHERE)?;
    check_end(before.starts_on, before.ends_on, ends_on)?;
    let mut am: company_party_member::ActiveModel = before.clone().into();
    am.ends_on = Set(Some(ends_on));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::EndCompanyPartyMember,
            "CompanyPartyMember",
            id,
            &WHERE,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// A post to record.
pub struct NewPost {
    /// The company.
    pub company_id: i64,
    /// Who holds it.
    pub person_id: i64,
    /// Which post.
    pub post: CompanyPostKind,
    /// The compound a project lead answers for (required for them, refused for others).
    pub compound_id: Option<i64>,
    /// The title as the company gives it (董事长, 总经理, 项目经理 …).
    pub title: Option<Name>,
    /// When.
    pub term: Term,
}

/// Records a post held in a company.
pub async fn add_post(uow: &UnitOfWork<'_>, new: NewPost) -> AppResult<company_post::Model> {
    let db = uow.db();
    uow.target::<property_company::Entity>(
        Permission::ManagePropertyCompanies,
        new.company_id,
        "company_id",
        "property company",
    )
    .await?;
    let permit = uow.permit(Permission::ManagePropertyCompanies, &WHERE)?;
    must_exist::<person::Entity>(db, new.person_id, "person_id", "person").await?;
    match (new.post, new.compound_id) {
        (CompanyPostKind::ProjectLead, None) => {
            return Err(AppError::invalid(
                "compound_id",
                UserErrorCode::Required,
                "a project lead answers for a compound: give it",
            ));
        }
        (CompanyPostKind::ProjectLead, Some(c)) => {
            must_exist::<compound::Entity>(db, c, "compound_id", "compound").await?;
        }
        (_, Some(_)) => {
            return Err(AppError::invalid(
                "compound_id",
                UserErrorCode::Invalid,
                "only a project lead answers for one compound",
            ));
        }
        (_, None) => {}
    }
    // One head of the company, one lead per compound: the post's own unit.
    let same_post: Vec<Seat> = company_post::Entity::find()
        .filter(company_post::Column::CompanyId.eq(new.company_id))
        .filter(company_post::Column::Post.eq(new.post))
        .all(db)
        .await?
        .iter()
        .filter(|p| p.compound_id == new.compound_id)
        .map(|p| Seat {
            person_id: p.person_id,
            heads: p.post != CompanyPostKind::Management,
            term: Term {
                starts_on: p.starts_on,
                ends_on: p.ends_on,
            },
        })
        .collect();
    let seat = Seat {
        person_id: new.person_id,
        heads: new.post != CompanyPostKind::Management,
        term: new.term,
    };
    check_new_seat(&same_post, &seat, "this post", "a holder")
        .map_err(|e| e.at_field("role", "post"))?;
    let m = company_post::ActiveModel {
        company_id: Set(new.company_id),
        person_id: Set(new.person_id),
        post: Set(new.post),
        compound_id: Set(new.compound_id),
        title: Set(new.title.map(Name::into_inner)),
        starts_on: Set(new.term.starts_on),
        ends_on: Set(new.term.ends_on),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::AddCompanyPost, "CompanyPost", m.id, &WHERE),
        &m,
    )
    .await?;
    Ok(m)
}

/// Ends a post.
pub async fn end_post(
    uow: &UnitOfWork<'_>,
    id: i64,
    ends_on: NaiveDate,
) -> AppResult<company_post::Model> {
    let db = uow.db();
    let before = uow
        .target::<company_post::Entity>(Permission::ManagePropertyCompanies, id, "id", "post")
        .await?;
    let permit = uow.permit(Permission::ManagePropertyCompanies, &WHERE)?;
    check_end(before.starts_on, before.ends_on, ends_on)?;
    let mut am: company_post::ActiveModel = before.clone().into();
    am.ends_on = Set(Some(ends_on));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::EndCompanyPost, "CompanyPost", id, &WHERE),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}
