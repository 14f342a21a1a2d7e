//! The compound's party branch and its members' seats, with the mutations
//! that set them up and change them, and the `partyBranch` of a compound.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, Result};

use crate::domain::kinds::{BranchRole, PartyBranchKind};
use crate::domain::parties::linkage;
use crate::domain::parties::party;
use crate::domain::values::{Name, Term};
use crate::entity::{compound, party_branch, party_branch_member, person};
use crate::error::AppResult;
use crate::graphql::id::{NodeKind, encode, input_id};
use crate::graphql::loaders::{BranchesOfCompound, MembersOfBranch, by_id, children};
use crate::graphql::scalars::Date;
use crate::graphql::types::people::Person;
use crate::graphql::types::{Compound, name_opt};
use crate::graphql::{loaders, mutate, payload, today};

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

/// The party branch's field of a compound.
pub struct CompoundParty(pub Arc<compound::Model>);

/// The party branch's field of a compound.
#[Object]
impl CompoundParty {
    /// The active party branch, if any.
    async fn party_branch(&self, ctx: &Context<'_>) -> Result<Option<PartyBranch>> {
        let all = children::<BranchesOfCompound>(loaders(ctx)?, self.0.id).await?;
        Ok(linkage::pick_active_branch(all, today(ctx)?).map(PartyBranch))
    }
}

/// A pioneer post as given: a name of at most 100 characters, or none when blank.
fn pioneer_post(raw: Option<&str>) -> AppResult<Option<String>> {
    raw.filter(|p| !p.trim().is_empty())
        .map(|p| Name::parse(p, "pioneer_post").map(Name::into_inner))
        .transpose()
}

/// Input of `createPartyBranch`.
#[derive(InputObject)]
pub struct CreatePartyBranchInput {
    /// The compound.
    pub compound_id: ID,
    /// Name (at most 100 characters).
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
    /// New name (at most 100 characters).
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
    /// Pioneer post held (党员先锋岗), at most 100 characters.
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
    /// The post (at most 100 characters); null clears it.
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

/// Mutations of the party branch.
#[derive(Default)]
pub struct PartyMutation;

/// Mutations of the party branch.
#[Object]
impl PartyMutation {
    /// Sets up the compound's party branch; a compound has at most one active branch.
    async fn create_party_branch(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreatePartyBranchInput,
    ) -> Result<PartyBranchPayload> {
        let outcome = mutate(ctx, async |uow| {
            let compound = input_id(&input.compound_id, NodeKind::Compound, "compound_id")?;
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
            let branch = input_id(&input.branch_id, NodeKind::PartyBranch, "branch_id")?;
            let person = input_id(&input.person_id, NodeKind::Person, "person_id")?;
            let term = Term::parse(input.starts_on.0, input.ends_on.map(|d| d.0), "ends_on")?;
            let post = pioneer_post(input.pioneer_post.as_deref())?;
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
            let id = input_id(&input.member_id, NodeKind::PartyBranchMember, "member_id")?;
            let post = pioneer_post(input.pioneer_post.as_deref())?;
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
            let id = input_id(&input.member_id, NodeKind::PartyBranchMember, "member_id")?;
            party::end_member(uow, id, input.ends_on.0).await
        })
        .await?;
        Ok(outcome.map(PartyBranchMember).into())
    }
}
