//! The responsibility placard (责任牌 / 亮牌) of a compound, exactly as
//! posted: the three responsible persons with their titles and public
//! contacts, every dwelling with the chain of chiefs answering for it, and
//! the history of postings; `responsibilityPlacard(compoundId:)`, the
//! `placard` of a compound, and `postPlacard`.
//!
//! Public by design: anyone reads it, and it shows only names, titles and
//! the contacts given for the placard — it has no path to a person's record,
//! so no private phone or identity number can be reached through it. Which
//! posting is in force and who may post are rules of `domain::placards`;
//! the chains are `domain::chiefs`'.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::NaiveDate;

use crate::domain::kinds::{ChiefLevel, Duty, PlacardPost};
use crate::domain::placards::{self, Listing, NewPlacard};
use crate::domain::values::{Name, Phone};
use crate::entity::{chief_appointment, compound, dwelling, person, placard, placard_person};
use crate::error::{AppError, AppResult};
use crate::graphql::id::{NodeKind, arg_id, encode, input_id};
use crate::graphql::loaders::{
    ChainOn, DwellingsOfCompoundPage, PersonsOfPlacard, PlacardsOfCompound, by_id, children,
};
use crate::graphql::pagination::{
    PlacardDwellingConnection, ResponsibilityPlacardConnection, cost, paginate_loaded, window,
};
use crate::graphql::scalars::Date;
use crate::graphql::types::register::Dwelling;
use crate::graphql::types::{Compound, page};
use crate::graphql::{loaders, mutate, payload, today};

/// A posting of a compound's responsibility placard (责任牌 / 亮牌): who answers for the
/// compound, as posted, in force from its date until the next posting.
pub struct ResponsibilityPlacard(pub placard::Model);

impl ResponsibilityPlacard {
    /// Every posting of the same compound.
    async fn postings(&self, ctx: &Context<'_>) -> Result<Vec<placard::Model>> {
        children::<PlacardsOfCompound>(loaders(ctx)?, self.0.compound_id).await
    }

    /// The person named for `post`.
    async fn named(&self, ctx: &Context<'_>, post: PlacardPost) -> Result<PlacardPerson> {
        children::<PersonsOfPlacard>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .find(|p| p.post == post)
            .map(PlacardPerson)
            .ok_or_else(|| {
                AppError::Internal(format!("placard {} names no {}", self.0.id, post.as_str()))
                    .into()
            })
    }
}

/// A posting of a compound's responsibility placard (责任牌 / 亮牌): who answers for the
/// compound, as posted, in force from its date until the next posting.
#[Object]
impl ResponsibilityPlacard {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ResponsibilityPlacard, self.0.id)
    }
    /// The compound the placard answers for.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound::new))
    }
    /// The day it was posted, from which it is in force.
    async fn posted_on(&self) -> Date {
        self.0.posted_on.into()
    }
    /// Whether it is the compound's placard in force today.
    async fn in_force(&self, ctx: &Context<'_>) -> Result<bool> {
        let postings = self.postings(ctx).await?;
        Ok(placards::in_force(&postings, today(ctx)?).is_some_and(|p| p.id == self.0.id))
    }
    /// The date of the next posting, which superseded (or will supersede) this one; null
    /// while none follows.
    async fn superseded_on(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        let postings = self.postings(ctx).await?;
        Ok(placards::superseded_on(&postings, &self.0).map(Date))
    }
    /// The compound's responsible person (小区责任人).
    async fn compound_responsible(&self, ctx: &Context<'_>) -> Result<PlacardPerson> {
        self.named(ctx, PlacardPost::CompoundResponsible).await
    }
    /// The community's responsible person (社区责任人).
    async fn community_responsible(&self, ctx: &Context<'_>) -> Result<PlacardPerson> {
        self.named(ctx, PlacardPost::CommunityResponsible).await
    }
    /// The compound's management responsible person (小区管理责任人).
    async fn management_responsible(&self, ctx: &Context<'_>) -> Result<PlacardPerson> {
        self.named(ctx, PlacardPost::ManagementResponsible).await
    }
    /// The three responsible persons in the order the placard lists them.
    async fn persons(&self, ctx: &Context<'_>) -> Result<Vec<PlacardPerson>> {
        let mut rows = children::<PersonsOfPlacard>(loaders(ctx)?, self.0.id).await?;
        rows.sort_by_key(|p| PlacardPost::ALL.iter().position(|q| *q == p.post));
        Ok(rows.into_iter().map(PlacardPerson).collect())
    }
    /// The day whose chain of chiefs `dwellings` shows: today while the placard is in force,
    /// its last day once superseded, its first day while it is still to come.
    async fn chain_on(&self, ctx: &Context<'_>) -> Result<Date> {
        let postings = self.postings(ctx).await?;
        Ok(placards::chain_day(&postings, &self.0, today(ctx)?).into())
    }
    /// Every dwelling of the compound with the chain of chiefs answering for it on `chainOn`
    /// ("who answers for my home?"), in register order.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn dwellings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<PlacardDwellingConnection> {
        let postings = self.postings(ctx).await?;
        let day = placards::chain_day(&postings, &self.0, today(ctx)?);
        let args = page(first, after, last, before);
        let w = window(&args)?;
        let rows = loaders(ctx)?
            .load_one(DwellingsOfCompoundPage(self.0.compound_id, w))
            .await
            .map_err(|e| AppError::Internal(format!("placard dwellings: {e:?}")))?
            .unwrap_or_default();
        paginate_loaded(
            rows,
            args,
            |d| d.id,
            |dwelling| PlacardDwelling { dwelling, day },
        )
        .await
    }
    /// Every posting of the compound's placard, this one included, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<ResponsibilityPlacardConnection> {
        let postings = self.postings(ctx).await?;
        // A compound's postings are numbered in date order (see
        // `domain::placards`), so keying by minus the id lists the newest first.
        paginate_loaded(
            postings,
            page(first, after, last, before),
            |p| -p.id,
            ResponsibilityPlacard,
        )
        .await
    }
}

/// A responsible person as the placard names them: name, title and public contact only.
pub struct PlacardPerson(pub placard_person::Model);

/// A responsible person as the placard names them: name, title and public contact only.
#[Object]
impl PlacardPerson {
    /// Which of the three posts.
    async fn post(&self) -> PlacardPost {
        self.0.post
    }
    /// The name, as posted.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The title shown on the placard, e.g. "小区党支部书记".
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The public contact given for the placard.
    async fn contact_phone(&self) -> &str {
        &self.0.contact_phone
    }
}

/// A dwelling on the placard, with the chain of chiefs answering for it.
pub struct PlacardDwelling {
    dwelling: dwelling::Model,
    day: NaiveDate,
}

/// A dwelling on the placard, with the chain of chiefs answering for it.
#[Object]
impl PlacardDwelling {
    /// The dwelling.
    async fn dwelling(&self) -> Dwelling {
        Dwelling(self.dwelling.clone())
    }
    /// Who answers for this home on the placard's `chainOn` day, from the chief nearest the
    /// household up to the area chief: the same chain as the dwelling's `responsibleChain`.
    async fn chain(&self, ctx: &Context<'_>) -> Result<Vec<PlacardChainLink>> {
        Ok(loaders(ctx)?
            .load_one(ChainOn(self.dwelling.id, self.day))
            .await
            .map_err(|e| AppError::Internal(format!("placard chain: {e:?}")))?
            .unwrap_or_default()
            .into_iter()
            .map(PlacardChainLink)
            .collect())
    }
}

/// One link of a dwelling's chain on the placard: a chief's position, name and public contact.
pub struct PlacardChainLink(pub chief_appointment::Model);

/// One link of a dwelling's chain on the placard: a chief's position, name and public contact.
#[Object]
impl PlacardChainLink {
    /// The chief's appointment (a `ChiefAppointment`).
    async fn appointment_id(&self) -> ID {
        encode(NodeKind::ChiefAppointment, self.0.id)
    }
    /// The position.
    async fn level(&self) -> ChiefLevel {
        self.0.level
    }
    /// The rung of the chain: 1 (area chief) to 5 (the chief covering households).
    async fn rank(&self) -> i32 {
        self.0.level.rank()
    }
    /// The chief's name.
    async fn name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(|p| p.name))
    }
    /// The public contact number of the appointment.
    async fn contact_phone(&self) -> &str {
        &self.0.contact_phone
    }
    /// The duties carried (六员).
    async fn duties(&self) -> Vec<Duty> {
        Duty::from_bits(self.0.duties)
    }
}

/// The placard of a compound.
pub struct CompoundPlacard(pub Arc<compound::Model>);

/// The placard of a compound.
#[Object]
impl CompoundPlacard {
    /// The responsibility placard in force today (责任牌 / 亮牌); null before the first posting.
    async fn placard(&self, ctx: &Context<'_>) -> Result<Option<ResponsibilityPlacard>> {
        placard_in_force(ctx, self.0.id).await
    }
}

async fn placard_in_force(
    ctx: &Context<'_>,
    compound_id: i64,
) -> Result<Option<ResponsibilityPlacard>> {
    let postings = children::<PlacardsOfCompound>(loaders(ctx)?, compound_id).await?;
    Ok(placards::in_force(&postings, today(ctx)?)
        .cloned()
        .map(ResponsibilityPlacard))
}

/// Queries of the responsibility placard.
#[derive(Default)]
pub struct PlacardsQuery;

/// Queries of the responsibility placard.
#[Object]
impl PlacardsQuery {
    /// The responsibility placard of a compound in force today, exactly as posted: its three
    /// responsible persons, every dwelling's chain and the history of postings. Public; null
    /// when the compound has posted none yet (or does not exist).
    async fn responsibility_placard(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The compound.")] compound_id: ID,
    ) -> Result<Option<ResponsibilityPlacard>> {
        let id = arg_id(&compound_id, NodeKind::Compound)?;
        placard_in_force(ctx, id).await
    }
}

/// One responsible person of a placard to post.
#[derive(InputObject)]
pub struct PlacardListingInput {
    /// The person of the register.
    pub person_id: ID,
    /// The title shown on the placard (at most 100 characters), e.g. "小区党支部书记", "社区党委委员",
    /// "物业项目经理".
    pub title: String,
    /// The public contact to publish (at most 20 characters): a phone given for the placard, not
    /// the register's.
    pub contact_phone: String,
}

/// Input of `postPlacard`.
#[derive(InputObject)]
pub struct PostPlacardInput {
    /// The compound.
    pub compound_id: ID,
    /// The day it is posted, from which it supersedes the placard in force: no earlier than
    /// the compound's latest posting, at most 90 days ahead.
    pub posted_on: Date,
    /// The compound's responsible person (小区责任人).
    pub compound_responsible: PlacardListingInput,
    /// The community's responsible person (社区责任人).
    pub community_responsible: PlacardListingInput,
    /// The compound's management responsible person (小区管理责任人).
    pub management_responsible: PlacardListingInput,
}

fn listing(input: &PlacardListingInput, field: &str) -> AppResult<Listing> {
    Ok(Listing {
        person_id: input_id(
            &input.person_id,
            NodeKind::Person,
            &format!("{field}.person_id"),
        )?,
        title: Name::parse(&input.title, &format!("{field}.title"))?,
        contact_phone: Phone::parse(&input.contact_phone, &format!("{field}.contact_phone"))?,
    })
}

payload!(
    /// Result of posting a responsibility placard.
    PlacardPayload {
        /// The posting as saved.
        placard: ResponsibilityPlacard
    }
);

/// Mutations of the responsibility placard.
#[derive(Default)]
pub struct PlacardsMutation;

/// Mutations of the responsibility placard.
#[Object]
impl PlacardsMutation {
    /// Posts a compound's responsibility placard; it supersedes the one in force from its date.
    /// Postings are never edited: a correction is a new posting.
    async fn post_placard(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: PostPlacardInput,
    ) -> Result<PlacardPayload> {
        let outcome = mutate(ctx, async |uow| {
            let p = NewPlacard {
                compound_id: input_id(&input.compound_id, NodeKind::Compound, "compound_id")?,
                posted_on: input.posted_on.0,
                compound_responsible: listing(&input.compound_responsible, "compound_responsible")?,
                community_responsible: listing(
                    &input.community_responsible,
                    "community_responsible",
                )?,
                management_responsible: listing(
                    &input.management_responsible,
                    "management_responsible",
                )?,
            };
            placards::post_placard(uow, p).await
        })
        .await?;
        Ok(outcome.map(|p| ResponsibilityPlacard(p.placard)).into())
    }
}
