//! Responsibility lists (谁受益、谁担责): the lists of a community, their
//! published versions and duty items, the parties linked to them, the
//! `responsibilityList` query, the mutations that publish a version and
//! link a party, and the fields through which a community, a property
//! company, a building, a shop and a chief's appointment reach their lists.
//!
//! Everything here is public: the lists are published to residents, so
//! reading needs no account. No rule lives here: which version is in force
//! and which party may be linked are `domain::duties`'.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};

use crate::domain::duties::{self, links, lists};
use crate::domain::kinds::{DutyField, ResponsiblePartyKind};
use crate::entity::{
    building, chief_appointment, community, dwelling, property_company, responsibility_item,
    responsibility_link, responsibility_list, responsibility_list_version,
};
use crate::graphql::id::{NodeKind, arg_id, encode, input_id, input_id_opt};
use crate::graphql::loaders::{
    ChildRelation, ItemsOfResponsibilityVersion, LinksOfResponsibilityList,
    VersionsOfResponsibilityList, by_id, by_id_opt, children,
};
use crate::graphql::pagination::{
    PageArgs, ResponsibilityLinkConnection, ResponsibilityListConnection,
    ResponsibilityListVersionConnection, page_of_children,
};
use crate::graphql::scalars::Date;
use crate::graphql::types::chiefs::ChiefAppointment;
use crate::graphql::types::parties::PropertyCompany;
use crate::graphql::types::register::{Building, Community, Dwelling};
use crate::graphql::{db, loaders, mutate, payload, today};

/// A community's responsibility list (谁受益、谁担责) for one kind of party: its duties in
/// public security, fire safety, safety and city management, published to residents in versions.
pub struct ResponsibilityList(pub responsibility_list::Model);

/// A community's responsibility list (谁受益、谁担责) for one kind of party: its duties in
/// public security, fire safety, safety and city management, published to residents in versions.
#[Object]
impl ResponsibilityList {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ResponsibilityList, self.0.id)
    }
    /// The kind of party whose duties it lists.
    async fn party_kind(&self) -> ResponsiblePartyKind {
        self.0.party_kind
    }
    /// The community that keeps it.
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        Ok(
            by_id::<community::Entity>(loaders(ctx)?, self.0.community_id)
                .await?
                .map(Community),
        )
    }
    /// The version in force today; null before the first version takes effect.
    async fn current(&self, ctx: &Context<'_>) -> Result<Option<ResponsibilityListVersion>> {
        let day = today(ctx)?;
        self.version_on(ctx, day).await
    }
    /// The version in force on a given day; null if none had taken effect by then.
    async fn in_force_on(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day.")] on: Date,
    ) -> Result<Option<ResponsibilityListVersion>> {
        self.version_on(ctx, on.0).await
    }
    /// Every published version, oldest first: the list's whole history, superseded versions
    /// and versions announced ahead of their date included.
    #[graphql(complexity = "crate::graphql::pagination::cost(first, last, child_complexity)")]
    async fn versions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<ResponsibilityListVersionConnection> {
        page_of_children::<VersionsOfResponsibilityList, _, _>(
            loaders(ctx)?,
            self.0.id,
            PageArgs {
                after,
                before,
                first,
                last,
            },
            ResponsibilityListVersion,
        )
        .await
    }
    /// The parties linked to the list, in the order they were linked.
    #[graphql(complexity = "crate::graphql::pagination::cost(first, last, child_complexity)")]
    async fn links(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<ResponsibilityLinkConnection> {
        page_of_children::<LinksOfResponsibilityList, _, _>(
            loaders(ctx)?,
            self.0.id,
            PageArgs {
                after,
                before,
                first,
                last,
            },
            ResponsibilityLink,
        )
        .await
    }
}

impl ResponsibilityList {
    async fn version_on(
        &self,
        ctx: &Context<'_>,
        day: chrono::NaiveDate,
    ) -> Result<Option<ResponsibilityListVersion>> {
        let all = children::<VersionsOfResponsibilityList>(loaders(ctx)?, self.0.id).await?;
        Ok(duties::in_force(&all, day)
            .cloned()
            .map(ResponsibilityListVersion))
    }
}

/// One published version of a responsibility list. Never changed once published: a change
/// is a new version that supersedes this one from its own date.
pub struct ResponsibilityListVersion(pub responsibility_list_version::Model);

/// One published version of a responsibility list. Never changed once published: a change
/// is a new version that supersedes this one from its own date.
#[Object]
impl ResponsibilityListVersion {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ResponsibilityListVersion, self.0.id)
    }
    /// Its number in the list's history, from 1.
    async fn number(&self) -> i32 {
        self.0.number
    }
    /// The title shown above the duties.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What changed from the version before, as the publisher said.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// The publication date: the day it takes effect.
    async fn published_on(&self) -> Date {
        self.0.published_on.into()
    }
    /// The day the next version takes effect, when one is published; null while none is.
    async fn superseded_on(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        let all = children::<VersionsOfResponsibilityList>(loaders(ctx)?, self.0.list_id).await?;
        Ok(duties::superseded_on(&all, &self.0).map(Date))
    }
    /// Whether it is the version in force today.
    async fn in_force(&self, ctx: &Context<'_>) -> Result<bool> {
        let all = children::<VersionsOfResponsibilityList>(loaders(ctx)?, self.0.list_id).await?;
        Ok(duties::in_force(&all, today(ctx)?).is_some_and(|v| v.id == self.0.id))
    }
    /// When it was recorded.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The duties, in order (at most 100).
    async fn items(&self, ctx: &Context<'_>) -> Result<Vec<ResponsibilityItem>> {
        let mut rows = children::<ItemsOfResponsibilityVersion>(loaders(ctx)?, self.0.id).await?;
        rows.sort_by_key(|r| r.position);
        Ok(rows.into_iter().map(ResponsibilityItem).collect())
    }
    /// The list it is a version of.
    async fn list(&self, ctx: &Context<'_>) -> Result<Option<ResponsibilityList>> {
        Ok(
            by_id::<responsibility_list::Entity>(loaders(ctx)?, self.0.list_id)
                .await?
                .map(ResponsibilityList),
        )
    }
}

/// One duty of a responsibility list, in its field.
pub struct ResponsibilityItem(pub responsibility_item::Model);

/// One duty of a responsibility list, in its field.
#[Object]
impl ResponsibilityItem {
    /// Its place in the list, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// The field it belongs to.
    async fn field(&self) -> DutyField {
        self.0.field
    }
    /// What the party must do.
    async fn text(&self) -> &str {
        &self.0.text
    }
}

/// A party linked to the responsibility list of its kind in its community: exactly one of
/// `propertyCompany`, `building`, `shop`, `chiefAppointment` and `partyName` is set.
pub struct ResponsibilityLink(pub responsibility_link::Model);

/// A party linked to the responsibility list of its kind in its community: exactly one of
/// `propertyCompany`, `building`, `shop`, `chiefAppointment` and `partyName` is set.
#[Object]
impl ResponsibilityLink {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ResponsibilityLink, self.0.id)
    }
    /// The list.
    async fn list(&self, ctx: &Context<'_>) -> Result<Option<ResponsibilityList>> {
        Ok(
            by_id::<responsibility_list::Entity>(loaders(ctx)?, self.0.list_id)
                .await?
                .map(ResponsibilityList),
        )
    }
    /// The property company (PROPERTY_COMPANY lists).
    async fn property_company(&self, ctx: &Context<'_>) -> Result<Option<PropertyCompany>> {
        Ok(
            by_id_opt::<property_company::Entity>(loaders(ctx)?, self.0.property_company_id)
                .await?
                .map(PropertyCompany),
        )
    }
    /// The landlord's rental building (LANDLORD lists).
    async fn building(&self, ctx: &Context<'_>) -> Result<Option<Building>> {
        Ok(
            by_id_opt::<building::Entity>(loaders(ctx)?, self.0.building_id)
                .await?
                .map(Building),
        )
    }
    /// The shop (MERCHANT lists).
    async fn shop(&self, ctx: &Context<'_>) -> Result<Option<Dwelling>> {
        Ok(
            by_id_opt::<dwelling::Entity>(loaders(ctx)?, self.0.dwelling_id)
                .await?
                .map(Dwelling),
        )
    }
    /// The building chief's appointment (BUILDING_CHIEF lists).
    async fn chief_appointment(&self, ctx: &Context<'_>) -> Result<Option<ChiefAppointment>> {
        Ok(
            by_id_opt::<chief_appointment::Entity>(loaders(ctx)?, self.0.chief_appointment_id)
                .await?
                .map(ChiefAppointment),
        )
    }
    /// The party's public name, for kinds the register has no table for (FACTORY,
    /// CLEANING_COMPANY and TENANT lists).
    async fn party_name(&self) -> Option<&str> {
        self.0.party_name.as_deref()
    }
    /// When the link was recorded.
    async fn linked_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// The list a party is linked to through relation `R` (a building, a shop
/// or an appointment is linked to at most one: the list of its kind in its
/// community).
pub async fn linked_list<R>(ctx: &Context<'_>, party: i64) -> Result<Option<ResponsibilityList>>
where
    R: ChildRelation<Child = responsibility_link::Entity>,
{
    let l = loaders(ctx)?;
    match children::<R>(l, party).await?.first() {
        Some(link) => Ok(by_id::<responsibility_list::Entity>(l, link.list_id)
            .await?
            .map(ResponsibilityList)),
        None => Ok(None),
    }
}

/// One page of the links of a party through relation `R` (a property
/// company is linked once in each community it serves).
pub async fn links_page<R>(
    ctx: &Context<'_>,
    party: i64,
    args: PageArgs,
) -> Result<ResponsibilityLinkConnection>
where
    R: ChildRelation<Child = responsibility_link::Entity>,
{
    page_of_children::<R, _, _>(loaders(ctx)?, party, args, ResponsibilityLink).await
}

/// One page of a community's lists, one per kind of party published.
pub async fn lists_page(
    ctx: &Context<'_>,
    community_id: i64,
    args: PageArgs,
) -> Result<ResponsibilityListConnection> {
    page_of_children::<crate::graphql::loaders::ResponsibilityListsOfCommunity, _, _>(
        loaders(ctx)?,
        community_id,
        args,
        ResponsibilityList,
    )
    .await
}

/// Queries of responsibility lists.
#[derive(Default)]
pub struct DutiesQuery;

/// Queries of responsibility lists.
#[Object]
impl DutiesQuery {
    /// A community's responsibility list for a kind of party; null if none was ever published.
    /// Public: no account is needed.
    async fn responsibility_list(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The community.")] community_id: ID,
        #[graphql(desc = "The kind of party.")] party_kind: ResponsiblePartyKind,
    ) -> Result<Option<ResponsibilityList>> {
        let community = arg_id(&community_id, NodeKind::Community)?;
        Ok(lists::find_list(db(ctx)?, community, party_kind)
            .await?
            .map(ResponsibilityList))
    }
}

/// One duty of a version to publish.
#[derive(InputObject)]
pub struct ResponsibilityItemInput {
    /// The field it belongs to.
    pub field: DutyField,
    /// What the party must do (at most 1,000 characters).
    pub text: String,
}

/// Input of `publishResponsibilityList`.
#[derive(InputObject)]
pub struct PublishResponsibilityListInput {
    /// The community.
    pub community_id: ID,
    /// The kind of party the list is for; the community's list of this kind is begun by its
    /// first version.
    pub party_kind: ResponsiblePartyKind,
    /// The title shown above the duties (at most 100 characters).
    pub title: String,
    /// What changed from the version before (at most 20,000 characters).
    pub note: Option<String>,
    /// The day it takes effect: today when omitted, never earlier than today nor than the
    /// date of the version it supersedes.
    pub published_on: Option<Date>,
    /// The duties, in order: at least one, at most 100.
    pub items: Vec<ResponsibilityItemInput>,
}

/// Input of `linkResponsibleParty`: the list and exactly one party.
#[derive(InputObject)]
pub struct LinkResponsiblePartyInput {
    /// The list.
    pub responsibility_list_id: ID,
    /// A property company serving a compound of the list's community (PROPERTY_COMPANY lists).
    pub property_company_id: Option<ID>,
    /// A rental building of the list's community (LANDLORD lists).
    pub building_id: Option<ID>,
    /// A shop of the list's community: a dwelling of a shop block or of a commercial street
    /// (MERCHANT lists).
    pub dwelling_id: Option<ID>,
    /// A building chief's appointment in the list's community (BUILDING_CHIEF lists).
    pub chief_appointment_id: Option<ID>,
    /// The public name of a party the register has no table for (FACTORY, CLEANING_COMPANY and
    /// TENANT lists), at most 100 characters. It is shown to everyone: name a business or a group,
    /// not a private person.
    pub party_name: Option<String>,
}

payload!(
    /// Result of publishing a version of a responsibility list.
    PublishResponsibilityListPayload {
        /// The version as published; its `list` is the community's list of the kind.
        version: ResponsibilityListVersion
    }
);
payload!(
    /// Result of linking a party to a responsibility list.
    LinkResponsiblePartyPayload {
        /// The link as recorded.
        link: ResponsibilityLink
    }
);

/// Mutations of responsibility lists.
#[derive(Default)]
pub struct DutiesMutation;

/// Mutations of responsibility lists.
#[Object]
impl DutiesMutation {
    /// Publishes a version of a community's responsibility list for a kind of party. A
    /// published version is never edited: publishing again makes a new version that
    /// supersedes it from its own date, and the old one stays readable.
    async fn publish_responsibility_list(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: PublishResponsibilityListInput,
    ) -> Result<PublishResponsibilityListPayload> {
        let outcome = mutate(ctx, async |uow| {
            let community = input_id(&input.community_id, NodeKind::Community, "community_id")?;
            let new = lists::NewVersion {
                community_id: community,
                party_kind: input.party_kind,
                title: input.title,
                note: input.note,
                published_on: input.published_on.map(|d| d.0),
                items: input
                    .items
                    .into_iter()
                    .map(|i| lists::NewItem {
                        field: i.field,
                        text: i.text,
                    })
                    .collect(),
            };
            lists::publish(uow, new).await
        })
        .await?;
        Ok(outcome.map(|p| ResponsibilityListVersion(p.version)).into())
    }

    /// Links a party to the responsibility list of its kind in its community.
    async fn link_responsible_party(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: LinkResponsiblePartyInput,
    ) -> Result<LinkResponsiblePartyPayload> {
        let outcome = mutate(ctx, async |uow| {
            let list = input_id(
                &input.responsibility_list_id,
                NodeKind::ResponsibilityList,
                "responsibility_list_id",
            )?;
            let party = links::PartyInput {
                property_company_id: input_id_opt(
                    input.property_company_id.as_ref(),
                    NodeKind::PropertyCompany,
                    "property_company_id",
                )?,
                building_id: input_id_opt(
                    input.building_id.as_ref(),
                    NodeKind::Building,
                    "building_id",
                )?,
                dwelling_id: input_id_opt(
                    input.dwelling_id.as_ref(),
                    NodeKind::Dwelling,
                    "dwelling_id",
                )?,
                chief_appointment_id: input_id_opt(
                    input.chief_appointment_id.as_ref(),
                    NodeKind::ChiefAppointment,
                    "chief_appointment_id",
                )?,
                party_name: input.party_name,
            };
            links::link(uow, list, party).await
        })
        .await?;
        Ok(outcome.map(ResponsibilityLink).into())
    }
}
