//! Cross-appointment (交叉任职): who sits both in the party branch, or in
//! the community's two committees, and on the owners' committee of a
//! compound today; and two-way appointment (双向任职) between the community
//! party committee and the property company serving the compound. The
//! `crossAppointment` of a compound; the facts are computed by
//! `domain::parties::linkage`.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};

use crate::domain::kinds::CommunityCommitteeKind;
use crate::domain::parties::community::committee_term;
use crate::domain::parties::company::org_in_being;
use crate::domain::parties::linkage::{
    self, CommitteeInCompany, CommunitySeat, CompanyHolding, CrossAppointment, CrossSeat,
    HeadOnCommittee, TwoWay,
};
use crate::entity::{compound, person};
use crate::graphql::loaders::{
    BranchesOfCompound, CommitteesOfCommunity, CommitteesOfCompound, ContractsOfCompound,
    MembersOfBranch, MembersOfCommittee, MembersOfCommunityCommittee, MembersOfCompanyOrg,
    PartyOrgsOfCompany, PostsOfCompany, by_id, children,
};
use crate::graphql::types::parties::{
    CommitteeMember, CommunityCommitteeMember, CompanyPartyMember, CompanyPost, PartyBranchMember,
};
use crate::graphql::types::people::Person;
use crate::graphql::{loaders, today};

/// A person holding a seat in both the party branch and the owners' committee.
pub struct CrossSeatView(CrossSeat, chrono::NaiveDate);

/// A person holding a seat in both the party branch and the owners' committee.
#[Object(name = "CrossSeat")]
impl CrossSeatView {
    /// The person.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
    /// Their seat in the party branch.
    async fn branch_seat(&self) -> PartyBranchMember {
        PartyBranchMember(self.0.branch_member.clone())
    }
    /// Their seat on the owners' committee.
    async fn committee_seat(&self) -> CommitteeMember {
        CommitteeMember(self.0.committee_member.clone(), self.1)
    }
}

/// A member of one of the community's two committees who sits on the owners' committee.
pub struct CommunitySeatView(CommunitySeat, chrono::NaiveDate, chrono::NaiveDate);

/// A member of one of the community's two committees (社区"两委") who sits on the owners' committee.
#[Object(name = "CommunityCrossSeat")]
impl CommunitySeatView {
    /// The person.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
    /// Which of the two committees.
    async fn kind(&self) -> CommunityCommitteeKind {
        self.0.kind
    }
    /// Their seat on the community committee.
    async fn community_seat(&self) -> CommunityCommitteeMember {
        CommunityCommitteeMember(self.0.community_member.clone(), self.2)
    }
    /// Their seat on the owners' committee.
    async fn committee_seat(&self) -> CommitteeMember {
        CommitteeMember(self.0.committee_member.clone(), self.1)
    }
}

/// The company's head (or the compound's project lead) on the community party committee.
pub struct HeadOnCommitteeView(HeadOnCommittee, chrono::NaiveDate);

/// The property company's head, or the compound's project lead, sitting on the community party committee.
#[Object(name = "CompanyHeadOnPartyCommittee")]
impl HeadOnCommitteeView {
    /// Their post in the company.
    async fn post(&self) -> CompanyPost {
        CompanyPost(self.0.post.clone())
    }
    /// Their seat on the community party committee.
    async fn party_committee_seat(&self) -> CommunityCommitteeMember {
        CommunityCommitteeMember(self.0.community_member.clone(), self.1)
    }
}

/// A community party committee member holding a post or a party seat in the company.
pub struct CommitteeInCompanyView(CommitteeInCompany, chrono::NaiveDate);

/// A community party committee member holding a post, or a seat in the party organisation, of the property company.
#[Object(name = "PartyCommitteeMemberInCompany")]
impl CommitteeInCompanyView {
    /// Their seat on the community party committee.
    async fn party_committee_seat(&self) -> CommunityCommitteeMember {
        CommunityCommitteeMember(self.0.community_member.clone(), self.1)
    }
    /// The post they hold in the company, if that is what they hold.
    async fn company_post(&self) -> Option<CompanyPost> {
        match &self.0.holding {
            CompanyHolding::Post(p) => Some(CompanyPost(p.clone())),
            CompanyHolding::PartySeat(_) => None,
        }
    }
    /// Their seat in the company's party organisation, if that is what they hold.
    async fn company_party_seat(&self) -> Option<CompanyPartyMember> {
        match &self.0.holding {
            CompanyHolding::PartySeat(m) => Some(CompanyPartyMember(m.clone())),
            CompanyHolding::Post(_) => None,
        }
    }
}

/// Two-way appointment (双向任职) today between the community party committee and the compound's property company.
pub struct TwoWayView(TwoWay, chrono::NaiveDate);

/// Two-way appointment (双向任职) today between the community party
/// committee and the property company under contract with the compound:
/// the company's head on the committee, and committee members holding posts
/// in the company.
#[Object(name = "TwoWayAppointment")]
impl TwoWayView {
    /// Whether the company's head (or the compound's project lead) sits on the community party committee.
    async fn company_head_on_party_committee(&self) -> bool {
        !self.0.heads_on_party_committee.is_empty()
    }
    /// Whether a community party committee member holds a post or party seat in the company.
    async fn party_committee_member_in_company(&self) -> bool {
        !self.0.party_committee_in_company.is_empty()
    }
    /// Whether both directions hold.
    async fn both_ways(&self) -> bool {
        self.0.both_ways()
    }
    /// The company's heads on the community party committee.
    async fn heads_on_party_committee(&self) -> Vec<HeadOnCommitteeView> {
        self.0
            .heads_on_party_committee
            .iter()
            .cloned()
            .map(|h| HeadOnCommitteeView(h, self.1))
            .collect()
    }
    /// Community party committee members holding something in the company.
    async fn party_committee_in_company(&self) -> Vec<CommitteeInCompanyView> {
        self.0
            .party_committee_in_company
            .iter()
            .cloned()
            .map(|m| CommitteeInCompanyView(m, self.1))
            .collect()
    }
}

/// Cross-appointment (交叉任职) in a compound today.
pub struct CrossAppointmentView {
    facts: CrossAppointment,
    community_seats: Vec<CommunitySeat>,
    two_way: TwoWay,
    /// The owners' committee's last day, where its open seats end.
    committee_last: chrono::NaiveDate,
    /// The community party committee's last day, where its open seats end.
    party_committee_last: chrono::NaiveDate,
    /// The residents' committee's last day.
    residents_committee_last: chrono::NaiveDate,
}

/// Cross-appointment (交叉任职) in a compound today: party-branch members,
/// and members of the community's two committees, on the owners' committee;
/// whether the branch secretary chairs it; and two-way appointment with the
/// property company.
#[Object(name = "CrossAppointment")]
impl CrossAppointmentView {
    /// Whether the compound has both an active party branch and a serving owners' committee.
    async fn both_bodies_present(&self) -> bool {
        self.facts.both_bodies_present
    }
    /// Whether any party-branch member sits on the owners' committee.
    async fn branch_members_on_committee(&self) -> bool {
        !self.facts.seats.is_empty()
    }
    /// Whether the branch secretary chairs the owners' committee.
    async fn secretary_chairs_committee(&self) -> bool {
        self.facts.secretary_chairs_committee
    }
    /// The people sitting in both the party branch and the owners' committee.
    async fn seats(&self) -> Vec<CrossSeatView> {
        self.facts
            .seats
            .iter()
            .cloned()
            .map(|s| CrossSeatView(s, self.committee_last))
            .collect()
    }
    /// Whether any member of the community's two committees sits on the owners' committee.
    async fn community_committee_members_on_committee(&self) -> bool {
        !self.community_seats.is_empty()
    }
    /// Members of the community's two committees (社区"两委") on the owners' committee.
    async fn community_seats(&self) -> Vec<CommunitySeatView> {
        self.community_seats
            .iter()
            .cloned()
            .map(|s| {
                let last = match s.kind {
                    CommunityCommitteeKind::PartyCommittee => self.party_committee_last,
                    CommunityCommitteeKind::ResidentsCommittee => self.residents_committee_last,
                };
                CommunitySeatView(s, self.committee_last, last)
            })
            .collect()
    }
    /// Two-way appointment between the community party committee and the property company.
    async fn two_way(&self) -> TwoWayView {
        TwoWayView(self.two_way.clone(), self.party_committee_last)
    }
}

/// Computes a compound's cross-appointment facts for today, through the
/// request's loaders so that a list of compounds costs a few batched queries.
pub async fn cross_appointment_of(
    ctx: &Context<'_>,
    compound: &compound::Model,
) -> Result<CrossAppointmentView> {
    let day = today(ctx)?;
    let l = loaders(ctx)?;
    let branch =
        linkage::pick_active_branch(children::<BranchesOfCompound>(l, compound.id).await?, day);
    let committee = linkage::pick_active_committee(
        children::<CommitteesOfCompound>(l, compound.id).await?,
        day,
    );
    let serving_community: Vec<_> = children::<CommitteesOfCommunity>(l, compound.community_id)
        .await?
        .into_iter()
        .filter(|c| committee_term(c).contains(day))
        .collect();
    let mut community = Vec::new();
    for c in serving_community {
        let members = children::<MembersOfCommunityCommittee>(l, c.id).await?;
        community.push((c, members));
    }
    let last_of = |kind| {
        community
            .iter()
            .find(|(c, _)| c.kind == kind)
            .map_or(day, |(c, _)| c.term_ends_on)
    };
    let party_committee_last = last_of(CommunityCommitteeKind::PartyCommittee);
    let residents_committee_last = last_of(CommunityCommitteeKind::ResidentsCommittee);

    let (facts, community_seats, committee_last) = match committee {
        Some(committee) => {
            let committee_members = children::<MembersOfCommittee>(l, committee.id).await?;
            let facts = match branch {
                Some(branch) => {
                    let branch_members = children::<MembersOfBranch>(l, branch.id).await?;
                    linkage::cross_appointment_among(
                        &branch_members,
                        &committee,
                        &committee_members,
                        day,
                    )
                }
                None => CrossAppointment::default(),
            };
            let seats =
                linkage::community_seats_among(&community, &committee, &committee_members, day);
            let last = linkage::committee_period(&committee)
                .ends_on
                .unwrap_or(committee.term_ends_on);
            (facts, seats, last)
        }
        None => (CrossAppointment::default(), Vec::new(), day),
    };

    let contract =
        linkage::pick_active_contract(children::<ContractsOfCompound>(l, compound.id).await?, day);
    let party_committee = community
        .iter()
        .find(|(c, _)| c.kind == CommunityCommitteeKind::PartyCommittee);
    let two_way = match (contract, party_committee) {
        (Some(contract), Some((pc, pc_members))) => {
            let posts = children::<PostsOfCompany>(l, contract.company_id).await?;
            let org = org_in_being(
                children::<PartyOrgsOfCompany>(l, contract.company_id).await?,
                day,
            );
            let party_seats = match org {
                Some(org) => children::<MembersOfCompanyOrg>(l, org.id).await?,
                None => Vec::new(),
            };
            linkage::two_way_among(pc, pc_members, compound.id, &posts, &party_seats, day)
        }
        _ => TwoWay::default(),
    };
    Ok(CrossAppointmentView {
        facts,
        community_seats,
        two_way,
        committee_last,
        party_committee_last,
        residents_committee_last,
    })
}

/// The cross-appointment field of a compound.
pub struct CompoundLinkage(pub Arc<compound::Model>);

/// The cross-appointment field of a compound.
#[Object]
impl CompoundLinkage {
    /// Cross-appointment facts today: party-branch and community-committee members on the owners' committee, whether the secretary chairs it, and two-way appointment with the property company.
    async fn cross_appointment(&self, ctx: &Context<'_>) -> Result<CrossAppointmentView> {
        cross_appointment_of(ctx, &self.0).await
    }
}
