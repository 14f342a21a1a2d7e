//! Conflicts of interest: the ties that keep an evaluator from an entry
//! (DOMAIN.md: "an evaluator may not score a compound they are tied to").
//!
//! A person is tied to a compound, on a day, when then they
//! - live there or own a dwelling there (a residency or an ownership);
//! - hold a position there: a seat on its party branch or owners'
//!   committee, a chief's appointment within it, or a role granted over it
//!   or any unit within it;
//! - work for its property company: a post in a company under a contract
//!   with it, or a seat in that company's party organisation.
//!
//! A person is tied to a community when they are tied to any of its
//! compounds, sit on one of its two committees (社区"两委"), hold a chief's
//! appointment in it or a role granted over it.
//!
//! Every tie counts from its first day to its last, inclusive; an open
//! one (no end) counts for good.

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Select};

use crate::entity::{
    building, chief_appointment, committee_member, community_committee, community_committee_member,
    company_party_member, company_party_org, company_post, compound, dwelling, owners_committee,
    ownership, party_branch, party_branch_member, property_contract, residency, role_grant,
};
use crate::error::AppResult;

/// Why a person is tied to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tie {
    /// Lives or owns a dwelling there.
    LivesThere,
    /// Holds a position there.
    HoldsPosition,
    /// Works for its property company.
    WorksForItsCompany,
}

impl Tie {
    /// Says it in words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::LivesThere => "lives or owns a dwelling there",
            Self::HoldsPosition => "holds a position there",
            Self::WorksForItsCompany => "works for its property company",
        }
    }
}

/// Whether `select` finds a row whose term (`starts`..=`ends`, an empty
/// end open) covers `day`.
async fn current<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    starts: E::Column,
    ends: E::Column,
    day: NaiveDate,
) -> AppResult<bool> {
    Ok(select
        .filter(starts.lte(day))
        .filter(Condition::any().add(ends.is_null()).add(ends.gte(day)))
        .one(db)
        .await?
        .is_some())
}

/// The first tie of `person_id` (signing in as `account_id`) to the
/// compounds `compounds` and, for a community's entry, to `community_id`,
/// on `day`; `None` if there is none.
pub async fn first_tie(
    db: &impl ConnectionTrait,
    person_id: i64,
    account_id: i64,
    compounds: &[i64],
    community_id: Option<i64>,
    day: NaiveDate,
) -> AppResult<Option<Tie>> {
    let ids = compounds.to_vec();
    let buildings = Query::select()
        .column(building::Column::Id)
        .from(building::Entity)
        .and_where(Expr::col(building::Column::CompoundId).is_in(ids.clone()))
        .to_owned();
    let dwellings = Query::select()
        .column(dwelling::Column::Id)
        .from(dwelling::Entity)
        .and_where(Expr::col(dwelling::Column::BuildingId).in_subquery(buildings.clone()))
        .to_owned();
    // Lives there.
    let lives = current(
        db,
        residency::Entity::find()
            .filter(residency::Column::PersonId.eq(person_id))
            .filter(residency::Column::DwellingId.in_subquery(dwellings.clone())),
        residency::Column::StartsOn,
        residency::Column::EndsOn,
        day,
    )
    .await?
        || current(
            db,
            ownership::Entity::find()
                .filter(ownership::Column::PersonId.eq(person_id))
                .filter(ownership::Column::DwellingId.in_subquery(dwellings.clone())),
            ownership::Column::StartsOn,
            ownership::Column::EndsOn,
            day,
        )
        .await?;
    if lives {
        return Ok(Some(Tie::LivesThere));
    }
    // Holds a position there.
    let branches = Query::select()
        .column(party_branch::Column::Id)
        .from(party_branch::Entity)
        .and_where(Expr::col(party_branch::Column::CompoundId).is_in(ids.clone()))
        .to_owned();
    let committees = Query::select()
        .column(owners_committee::Column::Id)
        .from(owners_committee::Entity)
        .and_where(Expr::col(owners_committee::Column::CompoundId).is_in(ids.clone()))
        .to_owned();
    let mut chiefs = Condition::any()
        .add(chief_appointment::Column::CompoundId.is_in(ids.clone()))
        .add(chief_appointment::Column::BuildingId.in_subquery(buildings.clone()));
    let mut grants = Condition::any()
        .add(role_grant::Column::CompoundId.is_in(ids.clone()))
        .add(role_grant::Column::BuildingId.in_subquery(buildings.clone()))
        .add(role_grant::Column::DwellingId.in_subquery(dwellings.clone()));
    if let Some(c) = community_id {
        chiefs = chiefs.add(chief_appointment::Column::CommunityId.eq(c));
        grants = grants.add(role_grant::Column::CommunityId.eq(c));
    }
    let holds = current(
        db,
        party_branch_member::Entity::find()
            .filter(party_branch_member::Column::PersonId.eq(person_id))
            .filter(party_branch_member::Column::BranchId.in_subquery(branches)),
        party_branch_member::Column::StartsOn,
        party_branch_member::Column::EndsOn,
        day,
    )
    .await?
        || current(
            db,
            committee_member::Entity::find()
                .filter(committee_member::Column::PersonId.eq(person_id))
                .filter(committee_member::Column::CommitteeId.in_subquery(committees)),
            committee_member::Column::StartsOn,
            committee_member::Column::EndsOn,
            day,
        )
        .await?
        || current(
            db,
            chief_appointment::Entity::find()
                .filter(chief_appointment::Column::PersonId.eq(person_id))
                .filter(chiefs),
            chief_appointment::Column::StartsOn,
            chief_appointment::Column::EndsOn,
            day,
        )
        .await?
        || role_grant::Entity::find()
            .filter(role_grant::Column::AccountId.eq(account_id))
            .filter(role_grant::Column::RevokedAt.is_null())
            .filter(grants)
            .one(db)
            .await?
            .is_some();
    let holds = holds
        || match community_id {
            Some(c) => {
                let two = Query::select()
                    .column(community_committee::Column::Id)
                    .from(community_committee::Entity)
                    .and_where(Expr::col(community_committee::Column::CommunityId).eq(c))
                    .to_owned();
                current(
                    db,
                    community_committee_member::Entity::find()
                        .filter(community_committee_member::Column::PersonId.eq(person_id))
                        .filter(community_committee_member::Column::CommitteeId.in_subquery(two)),
                    community_committee_member::Column::StartsOn,
                    community_committee_member::Column::EndsOn,
                    day,
                )
                .await?
            }
            None => false,
        };
    if holds {
        return Ok(Some(Tie::HoldsPosition));
    }
    // Works for its property company: one under a contract in force today.
    let contracts = property_contract::Entity::find()
        .filter(property_contract::Column::CompoundId.is_in(ids))
        .filter(property_contract::Column::StartsOn.lte(day))
        .filter(
            Condition::any()
                .add(property_contract::Column::EndedOn.is_null())
                .add(property_contract::Column::EndedOn.gte(day)),
        )
        .all(db)
        .await?;
    let companies: Vec<i64> = contracts.iter().map(|c| c.company_id).collect();
    if companies.is_empty() {
        return Ok(None);
    }
    let orgs = Query::select()
        .column(company_party_org::Column::Id)
        .from(company_party_org::Entity)
        .and_where(Expr::col(company_party_org::Column::CompanyId).is_in(companies.clone()))
        .to_owned();
    let works = current(
        db,
        company_post::Entity::find()
            .filter(company_post::Column::PersonId.eq(person_id))
            .filter(company_post::Column::CompanyId.is_in(companies)),
        company_post::Column::StartsOn,
        company_post::Column::EndsOn,
        day,
    )
    .await?
        || current(
            db,
            company_party_member::Entity::find()
                .filter(company_party_member::Column::PersonId.eq(person_id))
                .filter(company_party_member::Column::OrgId.in_subquery(orgs)),
            company_party_member::Column::StartsOn,
            company_party_member::Column::EndsOn,
            day,
        )
        .await?;
    Ok(works.then_some(Tie::WorksForItsCompany))
}

/// The compounds of community `community_id`.
pub async fn compounds_of(db: &impl ConnectionTrait, community_id: i64) -> AppResult<Vec<i64>> {
    Ok(compound::Entity::find()
        .filter(compound::Column::CommunityId.eq(community_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect())
}
