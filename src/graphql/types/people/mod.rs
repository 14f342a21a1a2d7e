//! People, residencies and ownerships, with the mutations that register
//! people and record where they live and what they own. Phone and ID
//! numbers are masked for callers not entitled to them (see
//! `Caller::may_read_personal_data`).
//!
//! Seats people hold are their areas' (`parties`, `chiefs`); dwellings are
//! the register's, which asks here for a dwelling's residents and owners.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};

use crate::domain::kinds::ResidencyKind;
use crate::domain::people::{self, PersonFields};
use crate::domain::values::{IdNumber, Name, Phone, Term, mask_id_number, mask_phone};
use crate::entity::{community, dwelling, ownership, person, residency};
use crate::error::AppResult;
use crate::graphql::id::{NodeKind, encode, input_id};
use crate::graphql::loaders::{
    OwnershipsOfDwelling, OwnershipsOfPerson, ResidenciesOfDwelling, ResidenciesOfPerson, by_id,
    children, person_compounds,
};
use crate::graphql::scalars::Date;
use crate::graphql::types::register::{Community, Dwelling};
use crate::graphql::types::{name_opt, patch};
use crate::graphql::{caller, loaders, mutate, payload};

/// A person: a resident, owner, party member, committee member or chief.
pub struct Person(pub person::Model);

impl Person {
    async fn entitled(&self, ctx: &Context<'_>) -> Result<bool> {
        let ties: Vec<(i64, i64)> = person_compounds(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(|t| (t.compound_id, t.community_id))
            .collect();
        Ok(caller(ctx).may_read_personal_data(self.0.id, self.0.community_id, &ties))
    }
}

/// A person: a resident, owner, party member, committee member or chief.
#[Object]
impl Person {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Person, self.0.id)
    }
    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Phone number; masked (138****5678) unless the caller is entitled to it.
    async fn phone(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let Some(p) = &self.0.phone else {
            return Ok(None);
        };
        Ok(Some(if self.entitled(ctx).await? {
            p.clone()
        } else {
            mask_phone(p)
        }))
    }
    /// Identity number; masked unless the caller is entitled to it.
    async fn id_number(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let Some(n) = &self.0.id_number else {
            return Ok(None);
        };
        Ok(Some(if self.entitled(ctx).await? {
            n.clone()
        } else {
            mask_id_number(n)
        }))
    }
    /// Whether the phone and identity numbers shown are unmasked for this caller.
    async fn personal_data_visible(&self, ctx: &Context<'_>) -> Result<bool> {
        self.entitled(ctx).await
    }
    /// Whether the person is a party member.
    async fn is_party_member(&self) -> bool {
        self.0.is_party_member
    }
    /// The community where the person is registered.
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        Ok(
            by_id::<community::Entity>(loaders(ctx)?, self.0.community_id)
                .await?
                .map(Community),
        )
    }
    /// Where the person lives or lived. Visible to those entitled to their personal data.
    async fn residencies(&self, ctx: &Context<'_>) -> Result<Vec<Residency>> {
        if !self.entitled(ctx).await? {
            return Ok(Vec::new());
        }
        Ok(children::<ResidenciesOfPerson>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(Residency)
            .collect())
    }
    /// What the person owns or owned. Visible to those entitled to their personal data.
    async fn ownerships(&self, ctx: &Context<'_>) -> Result<Vec<Ownership>> {
        if !self.entitled(ctx).await? {
            return Ok(Vec::new());
        }
        Ok(children::<OwnershipsOfPerson>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(Ownership)
            .collect())
    }
}

/// A person living in a dwelling, as owner, family member or tenant.
pub struct Residency(pub residency::Model);

/// A person living in a dwelling, as owner, family member or tenant.
#[Object]
impl Residency {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Residency, self.0.id)
    }
    /// How the person lives there.
    async fn kind(&self) -> ResidencyKind {
        self.0.kind
    }
    /// Moved in.
    async fn starts_on(&self) -> Date {
        self.0.starts_on.into()
    }
    /// Moved out; null while living there.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
    /// The person.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
    /// The dwelling.
    async fn dwelling(&self, ctx: &Context<'_>) -> Result<Option<Dwelling>> {
        Ok(by_id::<dwelling::Entity>(loaders(ctx)?, self.0.dwelling_id)
            .await?
            .map(Dwelling))
    }
}

/// A person's ownership of a dwelling (co-owners each have one).
pub struct Ownership(pub ownership::Model);

/// A person's ownership of a dwelling (co-owners each have one).
#[Object]
impl Ownership {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Ownership, self.0.id)
    }
    /// Owned from.
    async fn starts_on(&self) -> Date {
        self.0.starts_on.into()
    }
    /// Owned until; null while owned.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
    /// The owner.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
    /// The dwelling.
    async fn dwelling(&self, ctx: &Context<'_>) -> Result<Option<Dwelling>> {
        Ok(by_id::<dwelling::Entity>(loaders(ctx)?, self.0.dwelling_id)
            .await?
            .map(Dwelling))
    }
}

/// The people tied to a dwelling; shown to those entitled to the register of its compound.
pub async fn dwelling_residencies(ctx: &Context<'_>, dwelling_id: i64) -> Result<Vec<Residency>> {
    Ok(
        children::<ResidenciesOfDwelling>(loaders(ctx)?, dwelling_id)
            .await?
            .into_iter()
            .map(Residency)
            .collect(),
    )
}

/// The owners of a dwelling.
pub async fn dwelling_ownerships(ctx: &Context<'_>, dwelling_id: i64) -> Result<Vec<Ownership>> {
    Ok(children::<OwnershipsOfDwelling>(loaders(ctx)?, dwelling_id)
        .await?
        .into_iter()
        .map(Ownership)
        .collect())
}

fn phone_opt(raw: Option<&str>, field: &str) -> AppResult<Option<Phone>> {
    raw.map(|s| Phone::parse(s, field)).transpose()
}

fn id_number_opt(raw: Option<&str>, field: &str) -> AppResult<Option<IdNumber>> {
    raw.map(|s| IdNumber::parse(s, field)).transpose()
}

/// Input of `createPerson`.
#[derive(InputObject)]
pub struct CreatePersonInput {
    /// The community where the person is registered.
    pub community_id: ID,
    /// Full name (at most 100 characters).
    pub name: String,
    /// Phone number (personal data; at most 20 characters).
    pub phone: Option<String>,
    /// 18-character identity number (personal data; at most 18 characters).
    pub id_number: Option<String>,
    /// Whether the person is a party member (default false).
    pub is_party_member: Option<bool>,
}

/// Input of `updatePerson`; omitted fields stay as they are. A person may change their own phone.
#[derive(InputObject)]
pub struct UpdatePersonInput {
    /// The person.
    pub id: ID,
    /// New name (at most 100 characters).
    pub name: Option<String>,
    /// New phone (at most 20 characters); null clears it.
    pub phone: MaybeUndefined<String>,
    /// New identity number (at most 18 characters); null clears it.
    pub id_number: MaybeUndefined<String>,
    /// Whether the person is a party member.
    pub is_party_member: Option<bool>,
}

/// Input of `addResidency`.
#[derive(InputObject)]
pub struct AddResidencyInput {
    /// The person.
    pub person_id: ID,
    /// The dwelling.
    pub dwelling_id: ID,
    /// How they live there.
    pub kind: ResidencyKind,
    /// Moved in.
    pub starts_on: Date,
    /// Moved out, if known.
    pub ends_on: Option<Date>,
}

/// Input of `addOwnership`.
#[derive(InputObject)]
pub struct AddOwnershipInput {
    /// The owner.
    pub person_id: ID,
    /// The dwelling.
    pub dwelling_id: ID,
    /// Owned from.
    pub starts_on: Date,
    /// Owned until, if known.
    pub ends_on: Option<Date>,
}

/// Input of `endResidency` and `endOwnership`.
#[derive(InputObject)]
pub struct EndTieInput {
    /// The residency or ownership.
    pub id: ID,
    /// Its last day.
    pub ends_on: Date,
}

payload!(
    /// Result of creating or changing a person.
    PersonPayload {
        /// The person as saved.
        person: Person
    }
);
payload!(
    /// Result of adding or ending a residency.
    ResidencyPayload {
        /// The residency as saved.
        residency: Residency
    }
);
payload!(
    /// Result of adding or ending an ownership.
    OwnershipPayload {
        /// The ownership as saved.
        ownership: Ownership
    }
);

/// Mutations of people and their ties to dwellings.
#[derive(Default)]
pub struct PeopleMutation;

/// Mutations of people and their ties to dwellings.
#[Object]
impl PeopleMutation {
    /// Registers a person in a community.
    async fn create_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreatePersonInput,
    ) -> Result<PersonPayload> {
        let outcome = mutate(ctx, async |uow| {
            let community = input_id(&input.community_id, NodeKind::Community, "community_id")?;
            let fields = PersonFields {
                name: Some(Name::parse(&input.name, "name")?),
                phone: Some(phone_opt(input.phone.as_deref(), "phone")?),
                id_number: Some(id_number_opt(input.id_number.as_deref(), "id_number")?),
                is_party_member: input.is_party_member,
            };
            people::create_person(uow, community, fields).await
        })
        .await?;
        Ok(outcome.map(Person).into())
    }

    /// Changes a person's record.
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdatePersonInput,
    ) -> Result<PersonPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::Person, "id")?;
            let fields = PersonFields {
                name: name_opt(input.name.as_deref(), "name")?,
                phone: patch(input.phone)
                    .map(|p| phone_opt(p.as_deref(), "phone"))
                    .transpose()?,
                id_number: patch(input.id_number)
                    .map(|n| id_number_opt(n.as_deref(), "id_number"))
                    .transpose()?,
                is_party_member: input.is_party_member,
            };
            people::update_person(uow, id, fields).await
        })
        .await?;
        Ok(outcome.map(Person).into())
    }

    /// Records that a person lives in a dwelling.
    async fn add_residency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AddResidencyInput,
    ) -> Result<ResidencyPayload> {
        let outcome = mutate(ctx, async |uow| {
            let p = input_id(&input.person_id, NodeKind::Person, "person_id")?;
            let d = input_id(&input.dwelling_id, NodeKind::Dwelling, "dwelling_id")?;
            let term = Term::parse(input.starts_on.0, input.ends_on.map(|d| d.0), "ends_on")?;
            people::add_residency(uow, p, d, input.kind, term).await
        })
        .await?;
        Ok(outcome.map(Residency).into())
    }

    /// Ends a residency (moving out).
    async fn end_residency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: EndTieInput,
    ) -> Result<ResidencyPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::Residency, "id")?;
            people::end_residency(uow, id, input.ends_on.0).await
        })
        .await?;
        Ok(outcome.map(Residency).into())
    }

    /// Records that a person owns a dwelling.
    async fn add_ownership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AddOwnershipInput,
    ) -> Result<OwnershipPayload> {
        let outcome = mutate(ctx, async |uow| {
            let p = input_id(&input.person_id, NodeKind::Person, "person_id")?;
            let d = input_id(&input.dwelling_id, NodeKind::Dwelling, "dwelling_id")?;
            let term = Term::parse(input.starts_on.0, input.ends_on.map(|d| d.0), "ends_on")?;
            people::add_ownership(uow, p, d, term).await
        })
        .await?;
        Ok(outcome.map(Ownership).into())
    }

    /// Ends an ownership (sale or transfer).
    async fn end_ownership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: EndTieInput,
    ) -> Result<OwnershipPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::Ownership, "id")?;
            people::end_ownership(uow, id, input.ends_on.0).await
        })
        .await?;
        Ok(outcome.map(Ownership).into())
    }
}
