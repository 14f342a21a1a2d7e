//! The three parties of a compound: party branch, owners' committee and
//! property company with its contract; joint meetings; cross-appointment.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};

use crate::domain::parties::committee::{self, Election, NewCommittee};
use crate::domain::kinds::{
    BranchRole, CommitteeRole, ContractStatus, MeetingParty, PartyBranchKind,
};
use crate::domain::parties::linkage::{self, CrossAppointment, CrossSeat};
use crate::domain::parties::meetings::{self, NewMeeting};
use crate::domain::parties::property::{self, CompanyFields};
use crate::domain::values::{Name, Phone, Term};
use crate::domain::parties::party;
use crate::domain::values;
use crate::entity::{
    committee_member, compound, joint_meeting, joint_meeting_attendee, joint_meeting_resolution,
    owners_committee, party_branch, party_branch_member, person, property_company,
    property_contract,
};
use crate::error::AppResult;
use crate::graphql::id::{NodeKind, encode, input_id};
use crate::graphql::loaders::{
    AttendeesOfMeeting, BranchesOfCompound, CommitteesOfCompound, ContractsOfCompany,
    MembersOfBranch, MembersOfCommittee, ResolutionsOfMeeting, by_id, by_id_opt, children,
};
use crate::graphql::pagination::{PageArgs, PropertyCompanyConnection, cost, paginate};
use crate::graphql::scalars::Date;
use crate::graphql::types::compound::{Compound, name_opt, patch};
use crate::graphql::types::people::Person;
use crate::graphql::{db, loaders, mutate, payload, today};

/// The compound's party branch (小区党支部), standing or temporary.
pub struct PartyBranch(pub party_branch::Model);

/// The compound's party branch (小区党支部), standing or temporary.
#[Object]
impl PartyBranch {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::PartyBranch, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Standing or temporary.
    async fn kind(&self) -> PartyBranchKind {
        self.0.kind
    }
    /// Established on.
    async fn established_on(&self) -> Date {
        self.0.established_on.into()
    }
    /// Its last day, when its dissolution is recorded; null while it goes on.
    async fn dissolved_on(&self) -> Option<Date> {
        self.0.dissolved_on.map(Date)
    }
    /// Whether the branch exists today.
    async fn active(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(linkage::branch_period(&self.0).contains(today(ctx)?))
    }
    /// The compound.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound))
    }
    /// Members; by default only those serving today.
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Include members whose terms have ended or not begun.",
            default = false
        )]
        include_past: bool,
    ) -> Result<Vec<PartyBranchMember>> {
        let day = today(ctx)?;
        Ok(children::<MembersOfBranch>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .filter(|m| include_past || linkage::branch_member_serves(m, day))
            .map(PartyBranchMember)
            .collect())
    }
    /// The secretary serving today.
    async fn secretary(&self, ctx: &Context<'_>) -> Result<Option<PartyBranchMember>> {
        let day = today(ctx)?;
        Ok(children::<MembersOfBranch>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .find(|m| m.role == BranchRole::Secretary && linkage::branch_member_serves(m, day))
            .map(PartyBranchMember))
    }
}

/// A seat in a party branch, for a term.
pub struct PartyBranchMember(pub party_branch_member::Model);

/// A seat in a party branch, for a term.
#[Object]
impl PartyBranchMember {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::PartyBranchMember, self.0.id)
    }
    /// Role in the branch.
    async fn role(&self) -> BranchRole {
        self.0.role
    }
    /// The pioneer post held (党员先锋岗), if any.
    async fn pioneer_post(&self) -> Option<&str> {
        self.0.pioneer_post.as_deref()
    }
    /// First day of the term.
    async fn starts_on(&self) -> Date {
        self.0.starts_on.into()
    }
    /// Last day of the term; null while open.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
    /// The member.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
    /// The branch.
    async fn branch(&self, ctx: &Context<'_>) -> Result<Option<PartyBranch>> {
        Ok(
            by_id::<party_branch::Entity>(loaders(ctx)?, self.0.branch_id)
                .await?
                .map(PartyBranch),
        )
    }
}

/// The owners' committee (业主委员会), elected by the owners' assembly for a term of at most five years.
pub struct OwnersCommittee(pub owners_committee::Model);

/// The owners' committee (业主委员会), elected by the owners' assembly for a term of at most five years.
#[Object]
impl OwnersCommittee {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::OwnersCommittee, self.0.id)
    }
    /// Name, e.g. "第三届业主委员会".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Date of the electing owners' assembly.
    async fn elected_on(&self) -> Date {
        self.0.elected_on.into()
    }
    /// First day of the term.
    async fn term_starts_on(&self) -> Date {
        self.0.term_starts_on.into()
    }
    /// Last day of the term.
    async fn term_ends_on(&self) -> Date {
        self.0.term_ends_on.into()
    }
    /// Its last day, when a dissolution before the term's end is recorded.
    async fn dissolved_on(&self) -> Option<Date> {
        self.0.dissolved_on.map(Date)
    }
    /// Whether the committee serves today.
    async fn serving(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(linkage::committee_period(&self.0).contains(today(ctx)?))
    }
    /// The compound.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound))
    }
    /// Members; by default only those serving today.
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Include members whose terms have ended or not begun.",
            default = false
        )]
        include_past: bool,
    ) -> Result<Vec<CommitteeMember>> {
        let day = today(ctx)?;
        Ok(children::<MembersOfCommittee>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .filter(|m| include_past || linkage::committee_member_serves(m, &self.0, day))
            .map(|m| CommitteeMember::of(m, &self.0))
            .collect())
    }
    /// The chair serving today.
    async fn chair(&self, ctx: &Context<'_>) -> Result<Option<CommitteeMember>> {
        let day = today(ctx)?;
        Ok(children::<MembersOfCommittee>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .find(|m| {
                m.role == CommitteeRole::Chair && linkage::committee_member_serves(m, &self.0, day)
            })
            .map(|m| CommitteeMember::of(m, &self.0)))
    }
}

/// A seat on the owners' committee, for a term.
pub struct CommitteeMember(pub committee_member::Model, pub chrono::NaiveDate);

impl CommitteeMember {
    /// A seat of `committee`, whose open terms run to the committee's last day.
    pub fn of(m: committee_member::Model, committee: &owners_committee::Model) -> Self {
        let last = linkage::committee_period(committee)
            .ends_on
            .unwrap_or(committee.term_ends_on);
        Self(m, last)
    }
}

/// A seat on the owners' committee, for a term.
#[Object]
impl CommitteeMember {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::CommitteeMember, self.0.id)
    }
    /// Role on the committee.
    async fn role(&self) -> CommitteeRole {
        self.0.role
    }
    /// First day of the term.
    async fn starts_on(&self) -> Date {
        self.0.starts_on.into()
    }
    /// Last day of the term: the day it was ended, or else the committee's last day.
    async fn ends_on(&self) -> Date {
        self.0.ends_on.map_or(self.1, |e| e.min(self.1)).into()
    }
    /// Whether the term was ended early.
    async fn ended_early(&self) -> bool {
        self.0.ends_on.is_some()
    }
    /// Why it ended early (resignation, replacement, …).
    async fn end_reason(&self) -> Option<&str> {
        self.0.end_reason.as_deref()
    }
    /// The member.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
    /// The member this one replaced, if elected in a by-election.
    async fn replaces(&self, ctx: &Context<'_>) -> Result<Option<CommitteeMember>> {
        Ok(
            by_id_opt::<committee_member::Entity>(loaders(ctx)?, self.0.replaces_id)
                .await?
                .map(|m| CommitteeMember(m, self.1)),
        )
    }
    /// The committee.
    async fn committee(&self, ctx: &Context<'_>) -> Result<Option<OwnersCommittee>> {
        Ok(
            by_id::<owners_committee::Entity>(loaders(ctx)?, self.0.committee_id)
                .await?
                .map(OwnersCommittee),
        )
    }
}

/// A property-service company (物业服务企业).
pub struct PropertyCompany(pub property_company::Model);

/// A property-service company (物业服务企业).
#[Object]
impl PropertyCompany {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::PropertyCompany, self.0.id)
    }
    /// Registered name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Unified social credit code.
    async fn credit_code(&self) -> Option<&str> {
        self.0.credit_code.as_deref()
    }
    /// Public service phone (public by design).
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// Star rating (星级评定), 1–5.
    async fn star_rating(&self) -> Option<i32> {
        self.0.star_rating
    }
    /// Whether it has its own party organisation ("red property", 红色物业).
    async fn has_party_organisation(&self) -> bool {
        self.0.party_org_name.is_some()
    }
    /// Name of its party organisation.
    async fn party_organisation_name(&self) -> Option<&str> {
        self.0.party_org_name.as_deref()
    }
    /// Its contracts with compounds, current and past.
    async fn contracts(&self, ctx: &Context<'_>) -> Result<Vec<PropertyContract>> {
        Ok(children::<ContractsOfCompany>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(PropertyContract)
            .collect())
    }
}

/// A property-service contract between a compound and a company.
pub struct PropertyContract(pub property_contract::Model);

/// A property-service contract between a compound and a company.
#[Object]
impl PropertyContract {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::PropertyContract, self.0.id)
    }
    /// First day of service.
    async fn starts_on(&self) -> Date {
        self.0.starts_on.into()
    }
    /// Agreed last day.
    async fn ends_on(&self) -> Date {
        self.0.ends_on.into()
    }
    /// Whether its end has been recorded.
    async fn status(&self) -> ContractStatus {
        self.0.status
    }
    /// Whether it is in force today.
    async fn in_force(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(linkage::contract_period(&self.0).contains(today(ctx)?))
    }
    /// The day it actually ended.
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Date)
    }
    /// Why it ended.
    async fn end_reason(&self) -> Option<&str> {
        self.0.end_reason.as_deref()
    }
    /// The compound served.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound))
    }
    /// The company.
    async fn company(&self, ctx: &Context<'_>) -> Result<Option<PropertyCompany>> {
        Ok(
            by_id::<property_company::Entity>(loaders(ctx)?, self.0.company_id)
                .await?
                .map(PropertyCompany),
        )
    }
}

/// A joint meeting of the three parties (三方联席会议).
pub struct JointMeeting(pub joint_meeting::Model);

/// A joint meeting of the three parties (三方联席会议).
#[Object]
impl JointMeeting {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::JointMeeting, self.0.id)
    }
    /// The day it was held.
    async fn held_on(&self) -> Date {
        self.0.held_on.into()
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Agenda.
    async fn agenda(&self) -> &str {
        &self.0.agenda
    }
    /// Minutes.
    async fn minutes(&self) -> Option<&str> {
        self.0.minutes.as_deref()
    }
    /// Who attended, for which party.
    async fn attendees(&self, ctx: &Context<'_>) -> Result<Vec<MeetingAttendee>> {
        Ok(children::<AttendeesOfMeeting>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(MeetingAttendee)
            .collect())
    }
    /// The resolutions adopted, in order.
    async fn resolutions(&self, ctx: &Context<'_>) -> Result<Vec<MeetingResolution>> {
        let mut rows = children::<ResolutionsOfMeeting>(loaders(ctx)?, self.0.id).await?;
        rows.sort_by_key(|r| r.position);
        Ok(rows.into_iter().map(MeetingResolution).collect())
    }
    /// The compound.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound))
    }
}

/// One attendee of a joint meeting.
pub struct MeetingAttendee(pub joint_meeting_attendee::Model);

/// One attendee of a joint meeting.
#[Object]
impl MeetingAttendee {
    /// The party the attendee represented.
    async fn party(&self) -> MeetingParty {
        self.0.party
    }
    /// The attendee.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
}

/// One resolution of a joint meeting.
pub struct MeetingResolution(pub joint_meeting_resolution::Model);

/// One resolution of a joint meeting.
#[Object]
impl MeetingResolution {
    /// Its number within the meeting, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// What was resolved.
    async fn text(&self) -> &str {
        &self.0.text
    }
}

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

/// Queries of property companies.
#[derive(Default)]
pub struct PartiesQuery;

/// Queries of property companies.
#[Object]
impl PartiesQuery {
    /// Registered property companies, optionally only those with a party organisation.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn property_companies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only companies with their own party organisation (红色物业).")] red_only: Option<bool>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<PropertyCompanyConnection> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let mut select = property_company::Entity::find();
        if red_only == Some(true) {
            select = select.filter(property_company::Column::PartyOrgName.is_not_null());
        }
        paginate(
            db(ctx)?,
            select,
            PageArgs {
                after,
                before,
                first,
                last,
            },
            PropertyCompany,
        )
        .await
    }
}

fn required_text(raw: &str, field: &str) -> AppResult<String> {
    let text = values::parse_text(raw, field)?;
    if text.is_empty() {
        return Err(crate::error::AppError::invalid(
            field,
            crate::error::UserErrorCode::Required,
            "must not be blank",
        ));
    }
    Ok(text)
}

/// Input of `createPartyBranch`.
#[derive(InputObject)]
pub struct CreatePartyBranchInput {
    /// The compound.
    pub compound_id: ID,
    /// Name.
    pub name: String,
    /// Standing or temporary.
    pub kind: PartyBranchKind,
    /// Established on.
    pub established_on: Date,
}

/// Input of `updatePartyBranch`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdatePartyBranchInput {
    /// The branch.
    pub id: ID,
    /// New name.
    pub name: Option<String>,
    /// New kind (a temporary branch made standing).
    pub kind: Option<PartyBranchKind>,
    /// Dissolves the branch on this day; members' open terms end with it.
    pub dissolved_on: Option<Date>,
}

/// Input of `addBranchMember`.
#[derive(InputObject)]
pub struct AddBranchMemberInput {
    /// The branch.
    pub branch_id: ID,
    /// A party member.
    pub person_id: ID,
    /// Role.
    pub role: BranchRole,
    /// Pioneer post held (党员先锋岗).
    pub pioneer_post: Option<String>,
    /// First day.
    pub starts_on: Date,
    /// Last day, if fixed.
    pub ends_on: Option<Date>,
}

/// Input of `setPioneerPost`.
#[derive(InputObject)]
pub struct SetPioneerPostInput {
    /// The branch seat.
    pub member_id: ID,
    /// The post; null clears it.
    pub pioneer_post: Option<String>,
}

/// Input of `endBranchMember`.
#[derive(InputObject)]
pub struct EndBranchMemberInput {
    /// The branch seat.
    pub member_id: ID,
    /// Its last day.
    pub ends_on: Date,
}

/// Input of `createOwnersCommittee`.
#[derive(InputObject)]
pub struct CreateOwnersCommitteeInput {
    /// The compound.
    pub compound_id: ID,
    /// Name, e.g. "第三届业主委员会".
    pub name: String,
    /// Date of the electing owners' assembly.
    pub elected_on: Date,
    /// First day of the term.
    pub term_starts_on: Date,
    /// Last day of the term (at most five years on).
    pub term_ends_on: Date,
}

/// Input of `dissolveOwnersCommittee`.
#[derive(InputObject)]
pub struct DissolveOwnersCommitteeInput {
    /// The committee.
    pub committee_id: ID,
    /// Its last day.
    pub dissolved_on: Date,
}

/// Input of `electCommitteeMember`.
#[derive(InputObject)]
pub struct ElectCommitteeMemberInput {
    /// The committee.
    pub committee_id: ID,
    /// The elected owner.
    pub person_id: ID,
    /// Role.
    pub role: CommitteeRole,
    /// First day; default the committee's first day.
    pub starts_on: Option<Date>,
}

/// Input of `replaceCommitteeMember`.
#[derive(InputObject)]
pub struct ReplaceCommitteeMemberInput {
    /// The seat being replaced.
    pub member_id: ID,
    /// The owner elected in their place.
    pub person_id: ID,
    /// Role of the new member; default the replaced member's role.
    pub role: Option<CommitteeRole>,
    /// The new member's first day; the replaced term ends the day before.
    pub on: Date,
    /// Why (resignation, recall, …).
    pub reason: String,
}

/// Input of `endCommitteeMember`.
#[derive(InputObject)]
pub struct EndCommitteeMemberInput {
    /// The seat.
    pub member_id: ID,
    /// Its last day.
    pub ends_on: Date,
    /// Why.
    pub reason: String,
}

/// Input of `createPropertyCompany`.
#[derive(InputObject)]
pub struct CreatePropertyCompanyInput {
    /// Registered name.
    pub name: String,
    /// Unified social credit code.
    pub credit_code: Option<String>,
    /// Public service phone.
    pub phone: Option<String>,
    /// Star rating, 1–5.
    pub star_rating: Option<i32>,
    /// Name of its own party organisation, if any.
    pub party_organisation_name: Option<String>,
}

/// Input of `updatePropertyCompany`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdatePropertyCompanyInput {
    /// The company.
    pub id: ID,
    /// New name.
    pub name: Option<String>,
    /// New credit code; null clears it.
    pub credit_code: MaybeUndefined<String>,
    /// New phone; null clears it.
    pub phone: MaybeUndefined<String>,
    /// New star rating; null clears it.
    pub star_rating: MaybeUndefined<i32>,
    /// New party organisation; null records it has none.
    pub party_organisation_name: MaybeUndefined<String>,
}

/// Input of `signPropertyContract`.
#[derive(InputObject)]
pub struct SignPropertyContractInput {
    /// The compound.
    pub compound_id: ID,
    /// The company.
    pub company_id: ID,
    /// First day of service.
    pub starts_on: Date,
    /// Agreed last day.
    pub ends_on: Date,
}

/// Input of `endPropertyContract`.
#[derive(InputObject)]
pub struct EndPropertyContractInput {
    /// The contract.
    pub contract_id: ID,
    /// The day it ends.
    pub ended_on: Date,
    /// Why (expiry, dismissal by the owners' assembly, agreement).
    pub reason: String,
}

/// One attendee of a joint meeting to record.
#[derive(InputObject)]
pub struct MeetingAttendeeInput {
    /// The person.
    pub person_id: ID,
    /// The party they represent.
    pub party: MeetingParty,
}

/// Input of `recordJointMeeting`.
#[derive(InputObject)]
pub struct RecordJointMeetingInput {
    /// The compound.
    pub compound_id: ID,
    /// The day it was held (not in the future).
    pub held_on: Date,
    /// Title.
    pub title: String,
    /// Agenda.
    pub agenda: String,
    /// Minutes.
    pub minutes: Option<String>,
    /// Who attended; the party branch and at least one other party must be present.
    pub attendees: Vec<MeetingAttendeeInput>,
    /// The resolutions adopted, in order.
    pub resolutions: Vec<String>,
}

/// Input of `updateJointMeeting`; resolutions cannot be changed.
#[derive(InputObject)]
pub struct UpdateJointMeetingInput {
    /// The meeting.
    pub id: ID,
    /// Corrected title.
    pub title: Option<String>,
    /// Corrected agenda.
    pub agenda: Option<String>,
    /// Corrected minutes; null clears them.
    pub minutes: MaybeUndefined<String>,
}

payload!(
    /// Result of changing a party branch.
    PartyBranchPayload {
        /// The branch as saved.
        party_branch: PartyBranch
    }
);
payload!(
    /// Result of changing a branch seat.
    PartyBranchMemberPayload {
        /// The seat as saved.
        member: PartyBranchMember
    }
);
payload!(
    /// Result of changing an owners' committee.
    OwnersCommitteePayload {
        /// The committee as saved.
        owners_committee: OwnersCommittee
    }
);
payload!(
    /// Result of changing a committee seat.
    CommitteeMemberPayload {
        /// The seat as saved (for a replacement: the new seat).
        member: CommitteeMember
    }
);
payload!(
    /// Result of changing a property company.
    PropertyCompanyPayload {
        /// The company as saved.
        property_company: PropertyCompany
    }
);
payload!(
    /// Result of changing a property contract.
    PropertyContractPayload {
        /// The contract as saved.
        contract: PropertyContract
    }
);
payload!(
    /// Result of recording a joint meeting.
    JointMeetingPayload {
        /// The meeting as saved.
        joint_meeting: JointMeeting
    }
);

async fn committee_member_view(
    db: &impl sea_orm::ConnectionTrait,
    m: committee_member::Model,
) -> AppResult<CommitteeMember> {
    let c = crate::domain::store::find::<owners_committee::Entity>(
        db,
        m.committee_id,
        "owners' committee",
    )
    .await?;
    Ok(CommitteeMember::of(m, &c))
}

/// Mutations of the three parties.
#[derive(Default)]
pub struct PartiesMutation;

/// Mutations of the three parties.
#[Object]
impl PartiesMutation {
    /// Sets up the compound's party branch; a compound has at most one active branch.
    async fn create_party_branch(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreatePartyBranchInput,
    ) -> Result<PartyBranchPayload> {
        let outcome = mutate(ctx, async |uow| {
            let compound = input_id(&input.compound_id, NodeKind::Compound, "compoundId")?;
            let name = Name::parse(&input.name, "name")?;
            party::create_branch(uow, compound, name, input.kind, input.established_on.0).await
        })
        .await?;
        Ok(outcome.map(PartyBranch).into())
    }

    /// Renames a branch, changes its kind, or dissolves it.
    async fn update_party_branch(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdatePartyBranchInput,
    ) -> Result<PartyBranchPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::PartyBranch, "id")?;
            let name = name_opt(input.name.as_deref(), "name")?;
            party::update_branch(uow, id, name, input.kind, input.dissolved_on.map(|d| d.0)).await
        })
        .await?;
        Ok(outcome.map(PartyBranch).into())
    }

    /// Adds a party member to the branch; a branch has one secretary at a time.
    async fn add_branch_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AddBranchMemberInput,
    ) -> Result<PartyBranchMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let branch = input_id(&input.branch_id, NodeKind::PartyBranch, "branchId")?;
            let person = input_id(&input.person_id, NodeKind::Person, "personId")?;
            let term = Term::parse(input.starts_on.0, input.ends_on.map(|d| d.0), "endsOn")?;
            let post = input
                .pioneer_post
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty());
            party::add_member(uow, branch, person, input.role, post, term).await
        })
        .await?;
        Ok(outcome.map(PartyBranchMember).into())
    }

    /// Sets or clears a branch member's pioneer post.
    async fn set_pioneer_post(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: SetPioneerPostInput,
    ) -> Result<PartyBranchMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.member_id, NodeKind::PartyBranchMember, "memberId")?;
            let post = input
                .pioneer_post
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty());
            party::set_pioneer_post(uow, id, post).await
        })
        .await?;
        Ok(outcome.map(PartyBranchMember).into())
    }

    /// Ends a branch member's term.
    async fn end_branch_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: EndBranchMemberInput,
    ) -> Result<PartyBranchMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.member_id, NodeKind::PartyBranchMember, "memberId")?;
            party::end_member(uow, id, input.ends_on.0).await
        })
        .await?;
        Ok(outcome.map(PartyBranchMember).into())
    }

    /// Records an owners' committee elected by the owners' assembly.
    async fn create_owners_committee(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateOwnersCommitteeInput,
    ) -> Result<OwnersCommitteePayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = NewCommittee {
                compound_id: input_id(&input.compound_id, NodeKind::Compound, "compoundId")?,
                name: Name::parse(&input.name, "name")?,
                elected_on: input.elected_on.0,
                term_starts_on: input.term_starts_on.0,
                term_ends_on: input.term_ends_on.0,
            };
            committee::create_committee(uow, new).await
        })
        .await?;
        Ok(outcome.map(OwnersCommittee).into())
    }

    /// Records the end of a committee; open seats end with it.
    async fn dissolve_owners_committee(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: DissolveOwnersCommitteeInput,
    ) -> Result<OwnersCommitteePayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(
                &input.committee_id,
                NodeKind::OwnersCommittee,
                "committeeId",
            )?;
            committee::dissolve_committee(uow, id, input.dissolved_on.0).await
        })
        .await?;
        Ok(outcome.map(OwnersCommittee).into())
    }

    /// Records the election of an owner to the committee.
    async fn elect_committee_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: ElectCommitteeMemberInput,
    ) -> Result<CommitteeMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let election = Election {
                committee_id: input_id(
                    &input.committee_id,
                    NodeKind::OwnersCommittee,
                    "committeeId",
                )?,
                person_id: input_id(&input.person_id, NodeKind::Person, "personId")?,
                role: input.role,
                starts_on: input.starts_on.map(|d| d.0),
                replaces_id: None,
            };
            let m = committee::elect_member(uow, election).await?;
            committee_member_view(uow.db(), m).await
        })
        .await?;
        Ok(outcome.into())
    }

    /// Replaces a committee member; both seats stay on record, linked.
    async fn replace_committee_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: ReplaceCommitteeMemberInput,
    ) -> Result<CommitteeMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let member = input_id(&input.member_id, NodeKind::CommitteeMember, "memberId")?;
            let person = input_id(&input.person_id, NodeKind::Person, "personId")?;
            let reason = required_text(&input.reason, "reason")?;
            let m = committee::replace_member(uow, member, person, input.role, input.on.0, reason)
                .await?;
            committee_member_view(uow.db(), m).await
        })
        .await?;
        Ok(outcome.into())
    }

    /// Ends a committee member's term early.
    async fn end_committee_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: EndCommitteeMemberInput,
    ) -> Result<CommitteeMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.member_id, NodeKind::CommitteeMember, "memberId")?;
            let reason = required_text(&input.reason, "reason")?;
            let m = committee::end_member(uow, id, input.ends_on.0, reason).await?;
            committee_member_view(uow.db(), m).await
        })
        .await?;
        Ok(outcome.into())
    }

    /// Registers a property company.
    async fn create_property_company(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreatePropertyCompanyInput,
    ) -> Result<PropertyCompanyPayload> {
        let outcome = mutate(ctx, async |uow| {
            let fields = CompanyFields {
                name: Some(Name::parse(&input.name, "name")?),
                credit_code: Some(input.credit_code.map(|c| c.trim().to_ascii_uppercase())),
                phone: Some(
                    input
                        .phone
                        .as_deref()
                        .map(|p| Phone::parse(p, "phone"))
                        .transpose()?,
                ),
                star_rating: Some(input.star_rating),
                party_org_name: Some(
                    input
                        .party_organisation_name
                        .as_deref()
                        .map(|n| Name::parse(n, "partyOrganisationName"))
                        .transpose()?
                        .map(Name::into_inner),
                ),
            };
            property::create_company(uow, fields).await
        })
        .await?;
        Ok(outcome.map(PropertyCompany).into())
    }

    /// Changes a property company: its rating, party organisation, contacts.
    async fn update_property_company(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdatePropertyCompanyInput,
    ) -> Result<PropertyCompanyPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::PropertyCompany, "id")?;
            let fields = CompanyFields {
                name: name_opt(input.name.as_deref(), "name")?,
                credit_code: patch(input.credit_code)
                    .map(|c| c.map(|c| c.trim().to_ascii_uppercase())),
                phone: patch(input.phone)
                    .map(|p| p.as_deref().map(|p| Phone::parse(p, "phone")).transpose())
                    .transpose()?,
                star_rating: patch(input.star_rating),
                party_org_name: patch(input.party_organisation_name)
                    .map(|n| {
                        n.as_deref()
                            .map(|n| Name::parse(n, "partyOrganisationName").map(Name::into_inner))
                            .transpose()
                    })
                    .transpose()?,
            };
            property::update_company(uow, id, fields).await
        })
        .await?;
        Ok(outcome.map(PropertyCompany).into())
    }

    /// Signs a property contract; a compound has at most one active contract.
    async fn sign_property_contract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: SignPropertyContractInput,
    ) -> Result<PropertyContractPayload> {
        let outcome = mutate(ctx, async |uow| {
            let compound = input_id(&input.compound_id, NodeKind::Compound, "compoundId")?;
            let company = input_id(&input.company_id, NodeKind::PropertyCompany, "companyId")?;
            property::sign_contract(uow, compound, company, input.starts_on.0, input.ends_on.0)
                .await
        })
        .await?;
        Ok(outcome.map(PropertyContract).into())
    }

    /// Ends an active property contract.
    async fn end_property_contract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: EndPropertyContractInput,
    ) -> Result<PropertyContractPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.contract_id, NodeKind::PropertyContract, "contractId")?;
            let reason = required_text(&input.reason, "reason")?;
            property::end_contract(uow, id, input.ended_on.0, reason).await
        })
        .await?;
        Ok(outcome.map(PropertyContract).into())
    }

    /// Records a joint meeting of the three parties.
    async fn record_joint_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RecordJointMeetingInput,
    ) -> Result<JointMeetingPayload> {
        let outcome = mutate(ctx, async |uow| {
            let mut attendees = Vec::with_capacity(input.attendees.len());
            for (i, a) in input.attendees.iter().enumerate() {
                attendees.push((
                    input_id(
                        &a.person_id,
                        NodeKind::Person,
                        &format!("attendees.{i}.personId"),
                    )?,
                    a.party,
                ));
            }
            let new = NewMeeting {
                compound_id: input_id(&input.compound_id, NodeKind::Compound, "compoundId")?,
                held_on: input.held_on.0,
                title: Name::parse(&input.title, "title")?,
                agenda: input.agenda,
                minutes: input.minutes,
                attendees,
                resolutions: input.resolutions,
            };
            meetings::record_meeting(uow, new).await
        })
        .await?;
        Ok(outcome.map(JointMeeting).into())
    }

    /// Corrects a joint meeting's title, agenda or minutes (audited); resolutions stay as recorded.
    async fn update_joint_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateJointMeetingInput,
    ) -> Result<JointMeetingPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::JointMeeting, "id")?;
            let title = name_opt(input.title.as_deref(), "title")?;
            meetings::update_meeting(uow, id, title, input.agenda, patch(input.minutes)).await
        })
        .await?;
        Ok(outcome.map(JointMeeting).into())
    }
}
