//! The community's two committees (社区"两委") as objects, their fields of a
//! community, and the mutations that record them. Rules are in
//! `domain::parties::community`.

use async_graphql::{Context, ID, InputObject, Object, Result};

use crate::domain::kinds::{CommunityCommitteeKind, CommunityCommitteeRole};
use crate::domain::parties::community;
use crate::domain::values::{Name, Term};
use crate::entity::{community as community_table, community_committee, person};
use crate::graphql::id::{NodeKind, encode, input_id};
use crate::graphql::loaders::{
    CommitteesOfCommunity, MembersOfCommunityCommittee, by_id, children,
};
use crate::graphql::scalars::Date;
use crate::graphql::types::people::Person;
use crate::graphql::types::register::Community;
use crate::graphql::{loaders, mutate, payload, today};

/// One term (届) of a community committee: the community party committee
/// (社区党委) or the residents' committee (居民委员会).
pub struct CommunityCommittee(pub community_committee::Model);

/// One term (届) of a community committee: the community party committee
/// (社区党委) or the residents' committee (居民委员会).
#[Object]
impl CommunityCommittee {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::CommunityCommittee, self.0.id)
    }
    /// Which of the two committees.
    async fn kind(&self) -> CommunityCommitteeKind {
        self.0.kind
    }
    /// Name, such as 第十一届社区居民委员会.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// First day of the term.
    async fn term_starts_on(&self) -> Date {
        self.0.term_starts_on.into()
    }
    /// Last day of the term.
    async fn term_ends_on(&self) -> Date {
        self.0.term_ends_on.into()
    }
    /// Whether the term runs today.
    async fn serving(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(community::committee_term(&self.0).contains(today(ctx)?))
    }
    /// The community.
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        Ok(
            by_id::<community_table::Entity>(loaders(ctx)?, self.0.community_id)
                .await?
                .map(Community),
        )
    }
    /// Members; by default only those serving today.
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Include members whose seats have ended or not begun.",
            default = false
        )]
        include_past: bool,
    ) -> Result<Vec<CommunityCommitteeMember>> {
        let day = today(ctx)?;
        Ok(
            children::<MembersOfCommunityCommittee>(loaders(ctx)?, self.0.id)
                .await?
                .into_iter()
                .filter(|m| include_past || community::member_serves(m, &self.0, day))
                .map(|m| CommunityCommitteeMember(m, self.0.term_ends_on))
                .collect(),
        )
    }
    /// The head (secretary or director) serving today.
    async fn head(&self, ctx: &Context<'_>) -> Result<Option<CommunityCommitteeMember>> {
        let day = today(ctx)?;
        Ok(
            children::<MembersOfCommunityCommittee>(loaders(ctx)?, self.0.id)
                .await?
                .into_iter()
                .find(|m| {
                    m.role == CommunityCommitteeRole::Head
                        && community::member_serves(m, &self.0, day)
                })
                .map(|m| CommunityCommitteeMember(m, self.0.term_ends_on)),
        )
    }
}

/// A seat on a community committee, for a term within the committee's; the
/// second field is the committee's last day, where an open seat ends.
pub struct CommunityCommitteeMember(
    pub crate::entity::community_committee_member::Model,
    pub chrono::NaiveDate,
);

/// A seat on a community committee, for a term within the committee's.
#[Object]
impl CommunityCommitteeMember {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::CommunityCommitteeMember, self.0.id)
    }
    /// Role on the committee.
    async fn role(&self) -> CommunityCommitteeRole {
        self.0.role
    }
    /// First day of the seat.
    async fn starts_on(&self) -> Date {
        self.0.starts_on.into()
    }
    /// Last day of the seat: the day it was ended, else the committee's last day.
    async fn ends_on(&self) -> Date {
        self.0.ends_on.unwrap_or(self.1).min(self.1).into()
    }
    /// The member.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
    /// The committee.
    async fn committee(&self, ctx: &Context<'_>) -> Result<Option<CommunityCommittee>> {
        Ok(
            by_id::<community_committee::Entity>(loaders(ctx)?, self.0.committee_id)
                .await?
                .map(CommunityCommittee),
        )
    }
}

/// The community committee of `kind` serving today in `community_id`.
pub async fn serving_committee(
    ctx: &Context<'_>,
    community_id: i64,
    kind: CommunityCommitteeKind,
) -> Result<Option<CommunityCommittee>> {
    let day = today(ctx)?;
    Ok(
        children::<CommitteesOfCommunity>(loaders(ctx)?, community_id)
            .await?
            .into_iter()
            .find(|c| c.kind == kind && community::committee_term(c).contains(day))
            .map(CommunityCommittee),
    )
}

/// Every term of the community's committees, oldest first.
pub async fn all_committees(
    ctx: &Context<'_>,
    community_id: i64,
) -> Result<Vec<CommunityCommittee>> {
    Ok(
        children::<CommitteesOfCommunity>(loaders(ctx)?, community_id)
            .await?
            .into_iter()
            .map(CommunityCommittee)
            .collect(),
    )
}

/// Input of `createCommunityCommittee`.
#[derive(InputObject)]
pub struct CreateCommunityCommitteeInput {
    /// The community.
    pub community_id: ID,
    /// Which of the two committees.
    pub kind: CommunityCommitteeKind,
    /// Name of the term, such as 第十一届社区居民委员会 (at most 100 characters).
    pub name: String,
    /// First day of the term.
    pub term_starts_on: Date,
    /// Last day of the term.
    pub term_ends_on: Date,
}

/// Input of `addCommunityCommitteeMember`.
#[derive(InputObject)]
pub struct AddCommunityCommitteeMemberInput {
    /// The committee term.
    pub committee_id: ID,
    /// The person (a party member, for the party committee).
    pub person_id: ID,
    /// Role.
    pub role: CommunityCommitteeRole,
    /// First day, within the committee's term.
    pub starts_on: Date,
    /// Last day, if earlier than the committee's.
    pub ends_on: Option<Date>,
}

/// Input of `endCommunityCommitteeMember`.
#[derive(InputObject)]
pub struct EndCommunityCommitteeMemberInput {
    /// The seat.
    pub member_id: ID,
    /// Its last day.
    pub ends_on: Date,
}

payload!(
    /// Result of recording a community committee term.
    CommunityCommitteePayload {
        /// The committee as saved.
        committee: CommunityCommittee
    }
);
payload!(
    /// Result of changing a community committee seat.
    CommunityCommitteeMemberPayload {
        /// The seat as saved.
        member: CommunityCommitteeMember
    }
);

/// Mutations of the community's two committees.
#[derive(Default)]
pub struct CommunityCommitteeMutation;

/// Mutations of the community's two committees.
#[Object]
impl CommunityCommitteeMutation {
    /// Records a term of the community party committee or the residents'
    /// committee; one of each kind serves at a time. Community staff and those above.
    async fn create_community_committee(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateCommunityCommitteeInput,
    ) -> Result<CommunityCommitteePayload> {
        let outcome = mutate(ctx, async |uow| {
            let c = input_id(&input.community_id, NodeKind::Community, "community_id")?;
            let name = Name::parse(&input.name, "name")?;
            community::create_committee(
                uow,
                c,
                input.kind,
                name,
                input.term_starts_on.0,
                input.term_ends_on.0,
            )
            .await
        })
        .await?;
        Ok(outcome.map(CommunityCommittee).into())
    }

    /// Seats a person on a community committee; one head at a time.
    async fn add_community_committee_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")]
        input: AddCommunityCommitteeMemberInput,
    ) -> Result<CommunityCommitteeMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let committee = input_id(
                &input.committee_id,
                NodeKind::CommunityCommittee,
                "committee_id",
            )?;
            let person = input_id(&input.person_id, NodeKind::Person, "person_id")?;
            let term = Term::parse(input.starts_on.0, input.ends_on.map(|d| d.0), "ends_on")?;
            let m = community::add_member(uow, committee, person, input.role, term).await?;
            let c = crate::domain::store::find::<community_committee::Entity>(
                uow.db(),
                committee,
                "community committee",
            )
            .await?;
            Ok(CommunityCommitteeMember(m, c.term_ends_on))
        })
        .await?;
        Ok(outcome.into())
    }

    /// Ends a community committee seat before the committee's term ends.
    async fn end_community_committee_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")]
        input: EndCommunityCommitteeMemberInput,
    ) -> Result<CommunityCommitteeMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(
                &input.member_id,
                NodeKind::CommunityCommitteeMember,
                "member_id",
            )?;
            let m = community::end_member(uow, id, input.ends_on.0)
                .await
                .map_err(|e| e.at_field("id", "member_id"))?;
            let c = crate::domain::store::find::<community_committee::Entity>(
                uow.db(),
                m.committee_id,
                "community committee",
            )
            .await?;
            Ok(CommunityCommitteeMember(m, c.term_ends_on))
        })
        .await?;
        Ok(outcome.into())
    }
}
