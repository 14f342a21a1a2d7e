//! The owners' committee and its members' seats, with the mutations that
//! record elections, replacements and ends, and the `ownersCommittee` of a
//! compound.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, Result};

use crate::domain::kinds::CommitteeRole;
use crate::domain::parties::committee::{self, Election, NewCommittee};
use crate::domain::parties::linkage;
use crate::domain::values::Name;
use crate::entity::{committee_member, compound, owners_committee, person};
use crate::error::AppResult;
use crate::graphql::id::{NodeKind, encode, input_id, input_id_opt};
use crate::graphql::loaders::{
    CommitteesOfCompound, MembersOfCommittee, by_id, by_id_opt, children,
};
use crate::graphql::scalars::Date;
use crate::graphql::types::Compound;
use crate::graphql::types::decisions::{AssemblyVote, cited_vote};
use crate::graphql::types::parties::required_text;
use crate::graphql::types::people::Person;
use crate::graphql::{loaders, mutate, payload, today};

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
    /// The adopted owners' assembly vote (art. 278 item 3) that elected it, when cited.
    async fn vote(&self, ctx: &Context<'_>) -> Result<Option<AssemblyVote>> {
        cited_vote(ctx, self.0.vote_id).await
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
            .map(Compound::new))
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
    /// The adopted owners' assembly vote (art. 278 item 3) that elected or replaced the member, when cited.
    async fn vote(&self, ctx: &Context<'_>) -> Result<Option<AssemblyVote>> {
        cited_vote(ctx, self.0.vote_id).await
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

/// The owners' committee's field of a compound.
pub struct CompoundCommittee(pub Arc<compound::Model>);

/// The owners' committee's field of a compound.
#[Object]
impl CompoundCommittee {
    /// The owners' committee serving today, if any.
    async fn owners_committee(&self, ctx: &Context<'_>) -> Result<Option<OwnersCommittee>> {
        let all = children::<CommitteesOfCompound>(loaders(ctx)?, self.0.id).await?;
        Ok(linkage::pick_active_committee(all, today(ctx)?).map(OwnersCommittee))
    }
}

/// Input of `createOwnersCommittee`.
#[derive(InputObject)]
pub struct CreateOwnersCommitteeInput {
    /// The compound.
    pub compound_id: ID,
    /// Name, e.g. "第三届业主委员会" (at most 100 characters).
    pub name: String,
    /// Date of the electing owners' assembly.
    pub elected_on: Date,
    /// First day of the term.
    pub term_starts_on: Date,
    /// Last day of the term (at most five years on).
    pub term_ends_on: Date,
    /// The adopted owners' assembly vote on the election (art. 278 item 3) this rests on, if cited.
    pub vote_id: Option<ID>,
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
    /// The adopted owners' assembly vote on the election (art. 278 item 3) this rests on, if cited.
    pub vote_id: Option<ID>,
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
    /// Why (resignation, recall, …), at most 20,000 characters.
    pub reason: String,
    /// The adopted owners' assembly vote on the election (art. 278 item 3) this rests on, if cited.
    pub vote_id: Option<ID>,
}

/// Input of `endCommitteeMember`.
#[derive(InputObject)]
pub struct EndCommitteeMemberInput {
    /// The seat.
    pub member_id: ID,
    /// Its last day.
    pub ends_on: Date,
    /// Why (at most 20,000 characters).
    pub reason: String,
}

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

/// Mutations of the owners' committee.
#[derive(Default)]
pub struct CommitteeMutation;

/// Mutations of the owners' committee.
#[Object]
impl CommitteeMutation {
    /// Records an owners' committee elected by the owners' assembly.
    async fn create_owners_committee(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateOwnersCommitteeInput,
    ) -> Result<OwnersCommitteePayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = NewCommittee {
                compound_id: input_id(&input.compound_id, NodeKind::Compound, "compound_id")?,
                name: Name::parse(&input.name, "name")?,
                elected_on: input.elected_on.0,
                term_starts_on: input.term_starts_on.0,
                term_ends_on: input.term_ends_on.0,
                vote_id: input_id_opt(input.vote_id.as_ref(), NodeKind::AssemblyVote, "vote_id")?,
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
                "committee_id",
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
                    "committee_id",
                )?,
                person_id: input_id(&input.person_id, NodeKind::Person, "person_id")?,
                role: input.role,
                starts_on: input.starts_on.map(|d| d.0),
                replaces_id: None,
                vote_id: input_id_opt(input.vote_id.as_ref(), NodeKind::AssemblyVote, "vote_id")?,
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
            let member = input_id(&input.member_id, NodeKind::CommitteeMember, "member_id")?;
            let person = input_id(&input.person_id, NodeKind::Person, "person_id")?;
            let reason = required_text(&input.reason, "reason")?;
            let replacement = committee::Replacement {
                member_id: member,
                person_id: person,
                role: input.role,
                on: input.on.0,
                reason,
                vote_id: input_id_opt(input.vote_id.as_ref(), NodeKind::AssemblyVote, "vote_id")?,
            };
            let m = committee::replace_member(uow, replacement).await?;
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
            let id = input_id(&input.member_id, NodeKind::CommitteeMember, "member_id")?;
            let reason = required_text(&input.reason, "reason")?;
            let m = committee::end_member(uow, id, input.ends_on.0, reason).await?;
            committee_member_view(uow.db(), m).await
        })
        .await?;
        Ok(outcome.into())
    }
}
