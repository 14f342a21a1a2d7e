//! Cross-appointment (交叉任职): who sits both in the party branch and on
//! the owners' committee of a compound today, and the `crossAppointment` of
//! a compound. The facts are computed by `domain::parties::linkage`.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};

use crate::domain::parties::linkage::{self, CrossAppointment, CrossSeat};
use crate::entity::{compound, person};
use crate::graphql::loaders::{
    BranchesOfCompound, CommitteesOfCompound, MembersOfBranch, MembersOfCommittee, by_id, children,
};
use crate::graphql::types::parties::{CommitteeMember, PartyBranchMember};
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

/// Cross-appointment (交叉任职) in a compound today: party-branch members on the owners' committee.
pub struct CrossAppointmentView(pub CrossAppointment, pub chrono::NaiveDate);

/// Cross-appointment (交叉任职) in a compound today: party-branch members on the owners' committee.
#[Object(name = "CrossAppointment")]
impl CrossAppointmentView {
    /// Whether the compound has both an active party branch and a serving owners' committee.
    async fn both_bodies_present(&self) -> bool {
        self.0.both_bodies_present
    }
    /// Whether any party-branch member sits on the owners' committee.
    async fn branch_members_on_committee(&self) -> bool {
        !self.0.seats.is_empty()
    }
    /// Whether the branch secretary chairs the owners' committee.
    async fn secretary_chairs_committee(&self) -> bool {
        self.0.secretary_chairs_committee
    }
    /// The people sitting in both.
    async fn seats(&self) -> Vec<CrossSeatView> {
        self.0
            .seats
            .iter()
            .cloned()
            .map(|s| CrossSeatView(s, self.1))
            .collect()
    }
}

/// Computes a compound's cross-appointment facts for today, through the
/// request's loaders so that a list of compounds costs a few batched queries.
pub async fn cross_appointment_of(
    ctx: &Context<'_>,
    compound_id: i64,
) -> Result<CrossAppointmentView> {
    let day = today(ctx)?;
    let l = loaders(ctx)?;
    let branch =
        linkage::pick_active_branch(children::<BranchesOfCompound>(l, compound_id).await?, day);
    let committee = linkage::pick_active_committee(
        children::<CommitteesOfCompound>(l, compound_id).await?,
        day,
    );
    let (Some(branch), Some(committee)) = (branch, committee) else {
        return Ok(CrossAppointmentView(CrossAppointment::default(), day));
    };
    let branch_members = children::<MembersOfBranch>(l, branch.id).await?;
    let committee_members = children::<MembersOfCommittee>(l, committee.id).await?;
    let facts =
        linkage::cross_appointment_among(&branch_members, &committee, &committee_members, day);
    let last = linkage::committee_period(&committee)
        .ends_on
        .unwrap_or(committee.term_ends_on);
    Ok(CrossAppointmentView(facts, last))
}

/// The cross-appointment field of a compound.
pub struct CompoundLinkage(pub Arc<compound::Model>);

/// The cross-appointment field of a compound.
#[Object]
impl CompoundLinkage {
    /// Cross-appointment facts today: party-branch members on the owners' committee, and whether the secretary chairs it.
    async fn cross_appointment(&self, ctx: &Context<'_>) -> Result<CrossAppointmentView> {
        cross_appointment_of(ctx, self.0.id).await
    }
}
