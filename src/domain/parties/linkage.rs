//! Three-party linkage facts of a compound: who holds what today, and
//! cross-appointment (交叉任职) — party-branch members, and members of the
//! community's two committees (社区"两委"), sitting on the owners' committee,
//! and whether the branch secretary chairs it — and two-way appointment
//! (双向任职): the property company's head on the community party committee,
//! and community party committee members holding posts in the company.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::kinds::{
    BranchRole, CommitteeRole, CommunityCommitteeKind, CompanyPostKind, ContractStatus,
};
use crate::domain::parties::community::member_serves;
use crate::domain::parties::company::serves;
use crate::domain::values::Term;
use crate::entity::{
    committee_member, community_committee, community_committee_member, company_party_member,
    company_post, owners_committee, party_branch, party_branch_member, property_contract,
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

/// The compound's owners' committee serving on `day`, if any.
pub async fn active_committee(
    db: &impl ConnectionTrait,
    compound_id: i64,
    day: NaiveDate,
) -> AppResult<Option<owners_committee::Model>> {
    let all = owners_committee::Entity::find()
        .filter(owners_committee::Column::CompoundId.eq(compound_id))
        .all(db)
        .await?;
    Ok(pick_active_committee(all, day))
}

/// The compound's property contract in force on `day`, if any.
pub async fn active_contract(
    db: &impl ConnectionTrait,
    compound_id: i64,
    day: NaiveDate,
) -> AppResult<Option<property_contract::Model>> {
    let all = property_contract::Entity::find()
        .filter(property_contract::Column::CompoundId.eq(compound_id))
        .all(db)
        .await?;
    Ok(pick_active_contract(all, day))
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
    let committee = active_committee(db, compound_id, day).await?;
    let (Some(branch), Some(committee)) = (branch, committee) else {
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

/// A member of one of the community's two committees who sits on a
/// compound's owners' committee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunitySeat {
    /// The person.
    pub person_id: i64,
    /// Which of the two committees.
    pub kind: CommunityCommitteeKind,
    /// Their seat on it.
    pub community_member: community_committee_member::Model,
    /// Their seat on the owners' committee.
    pub committee_member: committee_member::Model,
}

/// The members of the community's committees serving on `day` who also
/// serve on `committee` that day. `community` pairs each committee (any
/// term) with its members; only those serving on `day` count.
pub fn community_seats_among(
    community: &[(
        community_committee::Model,
        Vec<community_committee_member::Model>,
    )],
    committee: &owners_committee::Model,
    committee_members: &[committee_member::Model],
    day: NaiveDate,
) -> Vec<CommunitySeat> {
    let serving: Vec<&committee_member::Model> = committee_members
        .iter()
        .filter(|m| committee_member_serves(m, committee, day))
        .collect();
    community
        .iter()
        .flat_map(|(c, members)| {
            members
                .iter()
                .filter(move |m| member_serves(m, c, day))
                .map(move |m| (c.kind, m))
        })
        .filter_map(|(kind, m)| {
            serving
                .iter()
                .find(|s| s.person_id == m.person_id)
                .map(|s| CommunitySeat {
                    person_id: m.person_id,
                    kind,
                    community_member: m.clone(),
                    committee_member: (*s).clone(),
                })
        })
        .collect()
}

/// What a person holds in a property company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompanyHolding {
    /// A post (head, project lead, management).
    Post(company_post::Model),
    /// A seat in the company's party organisation.
    PartySeat(company_party_member::Model),
}

/// A community party committee member holding something in the company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitteeInCompany {
    /// Their seat on the community party committee.
    pub community_member: community_committee_member::Model,
    /// What they hold in the company.
    pub holding: CompanyHolding,
}

/// A head of the company (its head, or the compound's project lead) on the
/// community party committee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadOnCommittee {
    /// Their post in the company.
    pub post: company_post::Model,
    /// Their seat on the community party committee.
    pub community_member: community_committee_member::Model,
}

/// Two-way appointment (双向任职) between the community party committee and
/// the company serving a compound, on a day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TwoWay {
    /// The company's heads sitting on the community party committee.
    pub heads_on_party_committee: Vec<HeadOnCommittee>,
    /// Community party committee members holding posts or party seats in the company.
    pub party_committee_in_company: Vec<CommitteeInCompany>,
}

impl TwoWay {
    /// Whether both directions hold.
    pub fn both_ways(&self) -> bool {
        !self.heads_on_party_committee.is_empty() && !self.party_committee_in_company.is_empty()
    }
}

/// The two-way facts of `compound_id` on `day`, given the community party
/// committee serving that day with its members, and the posts and party
/// seats (any date) of the company under contract that day. A company's
/// head counts for every compound it serves; a project lead only for theirs.
pub fn two_way_among(
    party_committee: &community_committee::Model,
    party_members: &[community_committee_member::Model],
    compound_id: i64,
    posts: &[company_post::Model],
    party_seats: &[company_party_member::Model],
    day: NaiveDate,
) -> TwoWay {
    let on_committee: Vec<&community_committee_member::Model> = party_members
        .iter()
        .filter(|m| member_serves(m, party_committee, day))
        .collect();
    let seat_of = |person_id: i64| on_committee.iter().find(|m| m.person_id == person_id);
    let posts_now: Vec<&company_post::Model> = posts
        .iter()
        .filter(|p| serves(p.starts_on, p.ends_on, day))
        .collect();
    let heads_on_party_committee = posts_now
        .iter()
        .filter(|p| match p.post {
            CompanyPostKind::Head => true,
            CompanyPostKind::ProjectLead => p.compound_id == Some(compound_id),
            CompanyPostKind::Management => false,
        })
        .filter_map(|p| {
            seat_of(p.person_id).map(|m| HeadOnCommittee {
                post: (*p).clone(),
                community_member: (*m).clone(),
            })
        })
        .collect();
    let holdings = posts_now
        .iter()
        .map(|p| (p.person_id, CompanyHolding::Post((*p).clone())))
        .chain(
            party_seats
                .iter()
                .filter(|s| serves(s.starts_on, s.ends_on, day))
                .map(|s| (s.person_id, CompanyHolding::PartySeat(s.clone()))),
        );
    let party_committee_in_company = holdings
        .filter_map(|(person_id, holding)| {
            seat_of(person_id).map(|m| CommitteeInCompany {
                community_member: (*m).clone(),
                holding,
            })
        })
        .collect();
    TwoWay {
        heads_on_party_committee,
        party_committee_in_company,
    }
}
