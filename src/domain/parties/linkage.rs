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

/// The days a branch exists: from its establishment to its dissolution
/// (the last day, inclusive), open while not dissolved.
pub fn branch_period(b: &party_branch::Model) -> Term {
    Term {
        starts_on: b.established_on,
        ends_on: b.dissolved_on,
    }
}

/// The days a committee serves: its term, cut short by a dissolution (the
/// last day, inclusive).
pub fn committee_period(c: &owners_committee::Model) -> Term {
    Term {
        starts_on: c.term_starts_on,
        ends_on: Some(
            c.dissolved_on
                .map_or(c.term_ends_on, |d| d.min(c.term_ends_on)),
        ),
    }
}

/// The days a contract is in force: from its start until the day it was
/// ended; a contract never ended stays in force after its agreed end, as
/// service continues under an indefinite term (Civil Code art. 948).
pub fn contract_period(c: &property_contract::Model) -> Term {
    Term {
        starts_on: c.starts_on,
        ends_on: match c.status {
            ContractStatus::Active => None,
            ContractStatus::Ended => c.ended_on,
        },
    }
}

/// The compound's party branch on `day`, if any.
pub async fn active_branch(
    db: &impl ConnectionTrait,
    compound_id: i64,
    day: NaiveDate,
) -> AppResult<Option<party_branch::Model>> {
    let all = party_branch::Entity::find()
        .filter(party_branch::Column::CompoundId.eq(compound_id))
        .all(db)
        .await?;
    Ok(pick_active_branch(all, day))
}

/// Picks the branch existing on `day` among a compound's branches.
pub fn pick_active_branch(
    branches: Vec<party_branch::Model>,
    day: NaiveDate,
) -> Option<party_branch::Model> {
    branches
        .into_iter()
        .find(|b| branch_period(b).contains(day))
}

/// Picks the committee serving on `day` among a compound's committees.
pub fn pick_active_committee(
    committees: Vec<owners_committee::Model>,
    day: NaiveDate,
) -> Option<owners_committee::Model> {
    committees
        .into_iter()
        .find(|c| committee_period(c).contains(day))
}

/// Picks the contract in force on `day` among a compound's contracts.
pub fn pick_active_contract(
    contracts: Vec<property_contract::Model>,
    day: NaiveDate,
) -> Option<property_contract::Model> {
    contracts
        .into_iter()
        .find(|c| contract_period(c).contains(day))
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
    let committee_end = committee_period(committee)
        .ends_on
        .unwrap_or(committee.term_ends_on);
    Term {
        starts_on: m.starts_on,
        ends_on: Some(m.ends_on.map_or(committee_end, |e| e.min(committee_end))),
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
    let branch = active_branch(db, compound_id, day).await?;
    let committees = owners_committee::Entity::find()
        .filter(owners_committee::Column::CompoundId.eq(compound_id))
        .all(db)
        .await?;
    let (Some(branch), Some(committee)) = (branch, pick_active_committee(committees, day)) else {
        return Ok(CrossAppointment::default());
    };
    let branch_members = party_branch_member::Entity::find()
        .filter(party_branch_member::Column::BranchId.eq(branch.id))
        .all(db)
        .await?;
    let committee_members = committee_member::Entity::find()
        .filter(committee_member::Column::CommitteeId.eq(committee.id))
        .all(db)
        .await?;
    Ok(cross_appointment_among(
        &branch_members,
        &committee,
        &committee_members,
        day,
    ))
}

/// The cross-appointment facts given an active branch's members and a
/// serving committee with its members (current and past; only those
/// serving on `day` count).
pub fn cross_appointment_among(
    branch_members: &[party_branch_member::Model],
    committee: &owners_committee::Model,
    committee_members: &[committee_member::Model],
    day: NaiveDate,
) -> CrossAppointment {
    let serving: Vec<&committee_member::Model> = committee_members
        .iter()
        .filter(|m| committee_member_serves(m, committee, day))
        .collect();
    let seats: Vec<CrossSeat> = branch_members
        .iter()
        .filter(|m| branch_member_serves(m, day))
        .filter_map(|b| {
            serving
                .iter()
                .find(|c| c.person_id == b.person_id)
                .map(|c| CrossSeat {
                    person_id: b.person_id,
                    branch_member: b.clone(),
                    committee_member: (*c).clone(),
                })
        })
        .collect();
    let secretary_chairs_committee = seats.iter().any(|s| {
        s.branch_member.role == BranchRole::Secretary
            && s.committee_member.role == CommitteeRole::Chair
    });
    CrossAppointment {
        both_bodies_present: true,
        seats,
        secretary_chairs_committee,
    }
}
