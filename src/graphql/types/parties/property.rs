//! Property companies and their contracts with compounds, with the
//! `propertyCompanies` query, the mutations that register companies and
//! sign and end contracts, and the property fields of a compound.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};

use crate::domain::kinds::ContractStatus;
use crate::domain::parties::property::{self, CompanyFields};
use crate::domain::parties::{company, linkage};
use crate::domain::values::{Name, Phone};
use crate::entity::company_party_org;
use crate::entity::{compound, property_company, property_contract};
use crate::graphql::id::{NodeKind, encode, input_id, input_id_opt};
use crate::graphql::loaders::{
    ContractsOfCompany, ContractsOfCompound, PartyOrgsOfCompany, PostsOfCompany, by_id, children,
};
use crate::graphql::pagination::{
    PageArgs, PropertyCompanyConnection, PropertyContractConnection, cost, page_of_children,
    paginate,
};
use crate::graphql::scalars::Date;
use crate::graphql::types::decisions::{AssemblyVote, cited_vote};
use crate::graphql::types::parties::company::{CompanyPartyOrganisation, CompanyPost};
use crate::graphql::types::parties::required_text;
use crate::graphql::types::{Compound, name_opt, page, patch};
use crate::graphql::{db, loaders, mutate, payload, today};

/// A property-service company (物业服务企业).
pub struct PropertyCompany(pub property_company::Model);

impl PropertyCompany {
    async fn party_organisation_today(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<company_party_org::Model>> {
        let orgs = children::<PartyOrgsOfCompany>(loaders(ctx)?, self.0.id).await?;
        Ok(company::org_in_being(orgs, today(ctx)?))
    }
}

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
    /// Whether it is a "red property" company (红色物业) today: derived from
    /// its own party organisation being in being.
    async fn is_red(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(self.party_organisation_today(ctx).await?.is_some())
    }
    /// Whether it has its own party organisation today.
    #[graphql(deprecation = "use isRed, derived from partyOrganisation")]
    async fn has_party_organisation(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(self.party_organisation_today(ctx).await?.is_some())
    }
    /// Name of its party organisation in being today.
    #[graphql(deprecation = "use partyOrganisation { name }")]
    async fn party_organisation_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(self.party_organisation_today(ctx).await?.map(|o| o.name))
    }
    /// Its party organisation (物业企业党组织) in being today, with members and secretary.
    async fn party_organisation(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<CompanyPartyOrganisation>> {
        Ok(self
            .party_organisation_today(ctx)
            .await?
            .map(CompanyPartyOrganisation))
    }
    /// Every party organisation it has had, oldest first.
    async fn party_organisations(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<CompanyPartyOrganisation>> {
        Ok(children::<PartyOrgsOfCompany>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(CompanyPartyOrganisation)
            .collect())
    }
    /// Posts held in the company (its head, project leads, management); by default only today's.
    async fn posts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Include posts that have ended or not begun.", default = false)]
        include_past: bool,
    ) -> Result<Vec<CompanyPost>> {
        let day = today(ctx)?;
        Ok(children::<PostsOfCompany>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .filter(|p| include_past || company::serves(p.starts_on, p.ends_on, day))
            .map(CompanyPost)
            .collect())
    }
    /// Its contracts with compounds, current and past, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn contracts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<PropertyContractConnection> {
        page_of_children::<ContractsOfCompany, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            PropertyContract,
        )
        .await
    }
    /// Its links to the property companies' responsibility lists (谁受益、谁担责), one in each
    /// community it is linked in; each link's list holds its duties there.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn responsibility_links(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<crate::graphql::pagination::ResponsibilityLinkConnection> {
        crate::graphql::types::duties::links_page::<
            crate::graphql::loaders::ResponsibilityLinksOfCompany,
        >(ctx, self.0.id, page(first, after, last, before))
        .await
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
    /// The adopted owners' assembly vote (art. 278 item 4) that hired the company, when cited.
    async fn vote(&self, ctx: &Context<'_>) -> Result<Option<AssemblyVote>> {
        cited_vote(ctx, self.0.vote_id).await
    }
    /// The adopted owners' assembly vote (art. 278 item 4) that dismissed the company, when cited.
    async fn end_vote(&self, ctx: &Context<'_>) -> Result<Option<AssemblyVote>> {
        cited_vote(ctx, self.0.end_vote_id).await
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
            .map(Compound::new))
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

/// The property fields of a compound: its contracts and the company serving it.
pub struct CompoundProperty(pub Arc<compound::Model>);

/// The property fields of a compound: its contracts and the company serving it.
#[Object]
impl CompoundProperty {
    /// The property contract in force, if any (old compounds often have none).
    async fn property_contract(&self, ctx: &Context<'_>) -> Result<Option<PropertyContract>> {
        let all = children::<ContractsOfCompound>(loaders(ctx)?, self.0.id).await?;
        Ok(linkage::pick_active_contract(all, today(ctx)?).map(PropertyContract))
    }
    /// The property company serving under the contract in force.
    async fn property_company(&self, ctx: &Context<'_>) -> Result<Option<PropertyCompany>> {
        let all = children::<ContractsOfCompound>(loaders(ctx)?, self.0.id).await?;
        match linkage::pick_active_contract(all, today(ctx)?) {
            Some(c) => Ok(
                by_id::<property_company::Entity>(loaders(ctx)?, c.company_id)
                    .await?
                    .map(PropertyCompany),
            ),
            None => Ok(None),
        }
    }
    /// All property contracts, current and past, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn property_contracts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<PropertyContractConnection> {
        page_of_children::<ContractsOfCompound, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            PropertyContract,
        )
        .await
    }
}

/// Queries of property companies.
#[derive(Default)]
pub struct PropertyQuery;

/// Queries of property companies.
#[Object]
impl PropertyQuery {
    /// Registered property companies, optionally only those with a party organisation.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn property_companies(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only companies whose own party organisation is in being today (红色物业)."
        )]
        red_only: Option<bool>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<PropertyCompanyConnection> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let mut select = property_company::Entity::find();
        if red_only == Some(true) {
            use crate::entity::company_party_org::{Column as Org, Entity as Orgs};
            let day = today(ctx)?;
            let in_being = sea_orm::sea_query::Query::select()
                .column(Org::CompanyId)
                .from(Orgs)
                .and_where(Org::EstablishedOn.lte(day))
                .cond_where(
                    sea_orm::Condition::any()
                        .add(Org::DissolvedOn.is_null())
                        .add(Org::DissolvedOn.gte(day)),
                )
                .to_owned();
            select = select.filter(property_company::Column::Id.in_subquery(in_being));
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

/// Input of `createPropertyCompany`.
#[derive(InputObject)]
pub struct CreatePropertyCompanyInput {
    /// Registered name (at most 100 characters).
    pub name: String,
    /// Unified social credit code (at most 18 characters).
    pub credit_code: Option<String>,
    /// Public service phone (at most 20 characters).
    pub phone: Option<String>,
    /// Star rating, 1–5.
    pub star_rating: Option<i32>,
}

/// Input of `updatePropertyCompany`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdatePropertyCompanyInput {
    /// The company.
    pub id: ID,
    /// New name (at most 100 characters).
    pub name: Option<String>,
    /// New credit code (at most 18 characters); null clears it.
    pub credit_code: MaybeUndefined<String>,
    /// New phone (at most 20 characters); null clears it.
    pub phone: MaybeUndefined<String>,
    /// New star rating; null clears it.
    pub star_rating: MaybeUndefined<i32>,
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
    /// The adopted owners' assembly vote (art. 278 item 4) that hired the company, if cited.
    pub vote_id: Option<ID>,
}

/// Input of `endPropertyContract`.
#[derive(InputObject)]
pub struct EndPropertyContractInput {
    /// The contract.
    pub contract_id: ID,
    /// The day it ends.
    pub ended_on: Date,
    /// Why (expiry, dismissal by the owners' assembly, agreement), at most 20,000 characters.
    pub reason: String,
    /// The adopted owners' assembly vote (art. 278 item 4) that dismissed the company, if cited.
    pub vote_id: Option<ID>,
}

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

/// Mutations of property companies and contracts.
#[derive(Default)]
pub struct PropertyMutation;

/// Mutations of property companies and contracts.
#[Object]
impl PropertyMutation {
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
            };
            property::create_company(uow, fields).await
        })
        .await?;
        Ok(outcome.map(PropertyCompany).into())
    }

    /// Changes a property company: its name, code, rating, contacts. Its
    /// party organisation is a body of its own (`createCompanyPartyOrganisation`).
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
            let compound = input_id(&input.compound_id, NodeKind::Compound, "compound_id")?;
            let company = input_id(&input.company_id, NodeKind::PropertyCompany, "company_id")?;
            let new = property::NewContract {
                compound_id: compound,
                company_id: company,
                starts_on: input.starts_on.0,
                ends_on: input.ends_on.0,
                vote_id: input_id_opt(input.vote_id.as_ref(), NodeKind::AssemblyVote, "vote_id")?,
            };
            property::sign_contract(uow, new).await
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
            let id = input_id(
                &input.contract_id,
                NodeKind::PropertyContract,
                "contract_id",
            )?;
            let reason = required_text(&input.reason, "reason")?;
            let vote = input_id_opt(input.vote_id.as_ref(), NodeKind::AssemblyVote, "vote_id")?;
            property::end_contract(uow, id, input.ended_on.0, reason, vote).await
        })
        .await?;
        Ok(outcome.map(PropertyContract).into())
    }
}
