//! Three-party linkage facts of a compound: who holds what today, and
//! cross-appointment (交叉任职) — party-branch members sitting on the
//! owners' committee, and whether the branch secretary chairs it.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::kinds::{BranchRole, CommitteeRole, ContractStatus};
use crate::domain::values::Term;
use crate::entity::{
    committee_member, owners_committee, party_branch, party_branch_member, property_contract,
};
use crate::error::AppResult;

/// The compound's active party branch, if any.
pub async fn active_branch(
    db: &impl ConnectionTrait,
    compound_id: i64,
) -> AppResult<Option<party_branch::Model>> {
    Ok(party_branch::Entity::find()
        .filter(party_branch::Column::CompoundId.eq(compound_id))
        .filter(party_branch::Column::DissolvedOn.is_null())
        .one(db)
        .await?)
}

/// Picks the active branch among a compound's branches.
pub fn pick_active_branch(branches: Vec<party_branch::Model>) -> Option<party_branch::Model> {
    branches.into_iter().find(|b| b.dissolved_on.is_none())
}

/// Picks the committee serving on `day` among a compound's committees.
pub fn pick_active_committee(
    committees: Vec<owners_committee::Model>,
    day: NaiveDate,
) -> Option<owners_committee::Model> {
    committees.into_iter().find(|c| {
        c.dissolved_on.is_none()
            && Term {
                starts_on: c.term_starts_on,
                ends_on: Some(c.term_ends_on),
            }
            .contains(day)
    })
}

/// Picks the active contract among a compound's contracts.
pub fn pick_active_contract(
    contracts: Vec<property_contract::Model>,
) -> Option<property_contract::Model> {
    contracts
        .into_iter()
        .find(|c| c.status == ContractStatus::Active)
}

/// Whether a branch member serves on `day`.
pub fn branch_member_serves(m: &party_branch_member::Model, day: NaiveDate) -> bool {
    Term {
        starts_on: m.starts_on,
        ends_on: m.ends_on,
    }
    .contains(day)
}

/// Whether a committee member serves on `day` (an open term runs to the committee's end).
pub fn committee_member_serves(
    m: &committee_member::Model,
    committee: &owners_committee::Model,
    day: NaiveDate,
) -> bool {
    Term {
        starts_on: m.starts_on,
        ends_on: Some(m.ends_on.unwrap_or(committee.term_ends_on)),
    }
    .contains(day)
}

/// One person holding seats in both bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossSeat {
    /// The person.
    pub person_id: i64,
    /// Their branch seat.
    pub branch_member: party_branch_member::Model,
    /// Their committee seat.
    pub committee_member: committee_member::Model,
}

/// The cross-appointment facts of a compound on a day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrossAppointment {
    /// Whether the compound has both an active branch and a serving committee.
    pub both_bodies_present: bool,
    /// People sitting in both.
    pub seats: Vec<CrossSeat>,
    /// Whether the branch secretary chairs the committee.
    pub secretary_chairs_committee: bool,
}

/// Computes the cross-appointment facts of `compound_id` on `day`.
pub async fn cross_appointment(
    db: &impl ConnectionTrait,
    compound_id: i64,
    day: NaiveDate,
) -> AppResult<CrossAppointment> {
    let branch = active_branch(db, compound_id).await?;
    let committees = owners_committee::Entity::find()
        .filter(owners_committee::Column::CompoundId.eq(compound_id))
        .all(db)
        .await?;
    let (Some(branch), Some(committee)) = (branch, pick_active_committee(committees, day)) else {
        return Ok(CrossAppointment::default());
    };
    let branch_members: Vec<party_branch_member::Model> = party_branch_member::Entity::find()
        .filter(party_branch_member::Column::BranchId.eq(branch.id))
        .all(db)
        .await?
        .into_iter()
        .filter(|m| branch_member_serves(m, day))
        .collect();
    let committee_members: Vec<committee_member::Model> = committee_member::Entity::find()
        .filter(committee_member::Column::CommitteeId.eq(committee.id))
        .all(db)
        .await?
        .into_iter()
        .filter(|m| committee_member_serves(m, &committee, day))
        .collect();
    let seats: Vec<CrossSeat> = branch_members
        .iter()
        .filter_map(|b| {
            committee_members
                .iter()
                .find(|c| c.person_id == b.person_id)
                .map(|c| CrossSeat {
                    person_id: b.person_id,
                    branch_member: b.clone(),
                    committee_member: c.clone(),
                })
        })
        .collect();
    let secretary_chairs_committee = seats.iter().any(|s| {
        s.branch_member.role == BranchRole::Secretary
            && s.committee_member.role == CommitteeRole::Chair
    });
    Ok(CrossAppointment {
        both_bodies_present: true,
        seats,
        secretary_chairs_committee,
    })
}
