//! The three parties of a compound and their relations, file by file as in
//! `domain::parties`: the party branch (`party`), the owners' committee
//! (`committee`), property companies and their contracts (`property`), joint
//! meetings of the three parties (`meetings`), the community's two
//! committees (`community`), a company's party organisation and posts
//! (`company`) and cross-appointment (`linkage`). Each file holds its object types,
//! inputs and payloads, its part of the query and mutation roots and its
//! fields of a compound; this file merges them.
//!
//! No rule lives here: terms, periods and who serves today are decided in
//! `domain::parties`. The people holding the seats are `people`'s; the
//! compound itself is the register's.

use std::sync::Arc;

use async_graphql::MergedObject;

use crate::domain::values;
use crate::entity::compound;
use crate::error::AppResult;

mod committee;
mod community;
mod company;
mod linkage;
mod meetings;
mod party;
mod property;

pub use committee::{CommitteeMember, OwnersCommittee};
pub use community::{
    CommunityCommittee, CommunityCommitteeMember, all_committees, serving_committee,
};
pub use company::{CompanyPartyMember, CompanyPartyOrganisation, CompanyPost};
pub use meetings::{CompoundMeetings, JointMeeting};
pub use party::{PartyBranch, PartyBranchMember};
pub use property::{PropertyCompany, PropertyContract};

/// Queries of the three parties.
#[derive(MergedObject, Default)]
pub struct PartiesQuery(property::PropertyQuery);

/// Mutations of the three parties.
#[derive(MergedObject, Default)]
pub struct PartiesMutation(
    party::PartyMutation,
    committee::CommitteeMutation,
    property::PropertyMutation,
    meetings::MeetingsMutation,
    community::CommunityCommitteeMutation,
    company::CompanyMutation,
);

/// The three parties' fields of a compound, but for its joint meetings
/// (`CompoundMeetings`), which the schema lists after its chiefs.
#[derive(MergedObject)]
pub struct CompoundParties(
    party::CompoundParty,
    committee::CompoundCommittee,
    property::CompoundProperty,
    linkage::CompoundLinkage,
);

impl CompoundParties {
    /// The parts over one compound.
    pub fn new(m: &Arc<compound::Model>) -> Self {
        Self(
            party::CompoundParty(m.clone()),
            committee::CompoundCommittee(m.clone()),
            property::CompoundProperty(m.clone()),
            linkage::CompoundLinkage(m.clone()),
        )
    }
}

/// Parses a required free text, such as the reason an end is recorded for.
fn required_text(raw: &str, field: &str) -> AppResult<String> {
    values::required_text(raw, field, "must not be blank")
}
