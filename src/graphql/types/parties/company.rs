//! A property company's party organisation (红色物业) and the posts people
//! hold in it, as objects, with the mutations that record them. Rules are
//! in `domain::parties::company`; the company itself is `property`'s.

use async_graphql::{Context, ID, InputObject, Object, Result};

use crate::domain::kinds::{BranchRole, CompanyPostKind};
use crate::domain::parties::company::{self, NewPost};
use crate::domain::values::{Name, Term};
use crate::entity::property_company;
use crate::entity::{company_party_member, company_party_org, company_post, compound, person};
use crate::graphql::id::{NodeKind, encode, input_id};
use crate::graphql::loaders::{MembersOfCompanyOrg, by_id, children};
use crate::graphql::scalars::Date;
use crate::graphql::types::Compound;
use crate::graphql::types::parties::PropertyCompany;
use crate::graphql::types::people::Person;
use crate::graphql::{loaders, mutate, payload, today};

/// A property company's own party organisation (物业企业党组织, "red
/// property"): a body with members and a secretary, in being between its
/// establishment and its dissolution.
pub struct CompanyPartyOrganisation(pub company_party_org::Model);

/// A property company's own party organisation (物业企业党组织, "red
/// property"): a body with members and a secretary, in being between its
/// establishment and its dissolution.
#[Object]
impl CompanyPartyOrganisation {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::CompanyPartyOrganisation, self.0.id)
    }
    /// Name, such as 某某物业党支部.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Established on.
    async fn established_on(&self) -> Date {
        self.0.established_on.into()
    }
    /// Its last day, when its dissolution is recorded; null while it goes on.
    async fn dissolved_on(&self) -> Option<Date> {
        self.0.dissolved_on.map(Date)
    }
    /// Whether it is in being today.
    async fn active(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(company::org_period(&self.0).contains(today(ctx)?))
    }
    /// The company.
    async fn company(&self, ctx: &Context<'_>) -> Result<Option<PropertyCompany>> {
        Ok(
            by_id::<property_company::Entity>(loaders(ctx)?, self.0.company_id)
                .await?
                .map(PropertyCompany),
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
    ) -> Result<Vec<CompanyPartyMember>> {
        let day = today(ctx)?;
        Ok(children::<MembersOfCompanyOrg>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .filter(|m| include_past || company::serves(m.starts_on, m.ends_on, day))
            .map(CompanyPartyMember)
            .collect())
    }
    /// The secretary serving today.
    async fn secretary(&self, ctx: &Context<'_>) -> Result<Option<CompanyPartyMember>> {
        let day = today(ctx)?;
        Ok(children::<MembersOfCompanyOrg>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .find(|m| {
                m.role == BranchRole::Secretary && company::serves(m.starts_on, m.ends_on, day)
            })
            .map(CompanyPartyMember))
    }
}

/// A seat in a company's party organisation, for a term.
pub struct CompanyPartyMember(pub company_party_member::Model);

/// A seat in a company's party organisation, for a term.
#[Object]
impl CompanyPartyMember {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::CompanyPartyMember, self.0.id)
    }
    /// Role in the organisation.
    async fn role(&self) -> BranchRole {
        self.0.role
    }
    /// First day of the seat.
    async fn starts_on(&self) -> Date {
        self.0.starts_on.into()
    }
    /// Last day of the seat; null while open.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
    /// The member.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
    /// The organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<CompanyPartyOrganisation>> {
        Ok(
            by_id::<company_party_org::Entity>(loaders(ctx)?, self.0.org_id)
                .await?
                .map(CompanyPartyOrganisation),
        )
    }
}

/// A post a person holds in a property company, for a term.
pub struct CompanyPost(pub company_post::Model);

/// A post a person holds in a property company, for a term.
#[Object]
impl CompanyPost {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::CompanyPost, self.0.id)
    }
    /// Which post.
    async fn post(&self) -> CompanyPostKind {
        self.0.post
    }
    /// The title as the company gives it (董事长, 总经理, 项目经理 …).
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    /// The compound a project lead answers for.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        let Some(id) = self.0.compound_id else {
            return Ok(None);
        };
        Ok(by_id::<compound::Entity>(loaders(ctx)?, id)
            .await?
            .map(Compound::new))
    }
    /// First day.
    async fn starts_on(&self) -> Date {
        self.0.starts_on.into()
    }
    /// Last day; null while open.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
    /// Who holds it.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
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

/// Input of `createCompanyPartyOrganisation`.
#[derive(InputObject)]
pub struct CreateCompanyPartyOrganisationInput {
    /// The property company.
    pub company_id: ID,
    /// Name (at most 100 characters).
    pub name: String,
    /// Established on.
    pub established_on: Date,
}

/// Input of `dissolveCompanyPartyOrganisation`.
#[derive(InputObject)]
pub struct DissolveCompanyPartyOrganisationInput {
    /// The organisation.
    pub id: ID,
    /// Its last day; members' open seats end with it.
    pub dissolved_on: Date,
}

/// Input of `addCompanyPartyMember`.
#[derive(InputObject)]
pub struct AddCompanyPartyMemberInput {
    /// The organisation.
    pub organisation_id: ID,
    /// A party member.
    pub person_id: ID,
    /// Role.
    pub role: BranchRole,
    /// First day.
    pub starts_on: Date,
    /// Last day, if fixed.
    pub ends_on: Option<Date>,
}

/// Input of `endCompanyPartyMember`.
#[derive(InputObject)]
pub struct EndCompanyPartyMemberInput {
    /// The seat.
    pub member_id: ID,
    /// Its last day.
    pub ends_on: Date,
}

/// Input of `addCompanyPost`.
#[derive(InputObject)]
pub struct AddCompanyPostInput {
    /// The property company.
    pub company_id: ID,
    /// Who holds it.
    pub person_id: ID,
    /// Which post.
    pub post: CompanyPostKind,
    /// The compound, for a project lead only.
    pub compound_id: Option<ID>,
    /// The title as the company gives it (at most 100 characters).
    pub title: Option<String>,
    /// First day.
    pub starts_on: Date,
    /// Last day, if fixed.
    pub ends_on: Option<Date>,
}

/// Input of `endCompanyPost`.
#[derive(InputObject)]
pub struct EndCompanyPostInput {
    /// The post.
    pub post_id: ID,
    /// Its last day.
    pub ends_on: Date,
}

payload!(
    /// Result of changing a company's party organisation.
    CompanyPartyOrganisationPayload {
        /// The organisation as saved.
        organisation: CompanyPartyOrganisation
    }
);
payload!(
    /// Result of changing a seat in a company's party organisation.
    CompanyPartyMemberPayload {
        /// The seat as saved.
        member: CompanyPartyMember
    }
);
payload!(
    /// Result of changing a post in a company.
    CompanyPostPayload {
        /// The post as saved.
        post: CompanyPost
    }
);

/// Mutations of companies' party organisations and posts.
#[derive(Default)]
pub struct CompanyMutation;

/// Mutations of companies' party organisations and posts. Those who
/// register property companies (platform admins, district and subdistrict
/// staff) record them.
#[Object]
impl CompanyMutation {
    /// Founds a company's party organisation; a company has one at a time.
    async fn create_company_party_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")]
        input: CreateCompanyPartyOrganisationInput,
    ) -> Result<CompanyPartyOrganisationPayload> {
        let outcome = mutate(ctx, async |uow| {
            let c = input_id(&input.company_id, NodeKind::PropertyCompany, "company_id")?;
            let name = Name::parse(&input.name, "name")?;
            company::create_org(uow, c, name, input.established_on.0).await
        })
        .await?;
        Ok(outcome.map(CompanyPartyOrganisation).into())
    }

    /// Records the dissolution of a company's party organisation.
    async fn dissolve_company_party_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")]
        input: DissolveCompanyPartyOrganisationInput,
    ) -> Result<CompanyPartyOrganisationPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::CompanyPartyOrganisation, "id")?;
            company::dissolve_org(uow, id, input.dissolved_on.0).await
        })
        .await?;
        Ok(outcome.map(CompanyPartyOrganisation).into())
    }

    /// Seats a party member in a company's party organisation; one secretary at a time.
    async fn add_company_party_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AddCompanyPartyMemberInput,
    ) -> Result<CompanyPartyMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let org = input_id(
                &input.organisation_id,
                NodeKind::CompanyPartyOrganisation,
                "organisation_id",
            )?;
            let person = input_id(&input.person_id, NodeKind::Person, "person_id")?;
            let term = Term::parse(input.starts_on.0, input.ends_on.map(|d| d.0), "ends_on")?;
            company::add_member(uow, org, person, input.role, term).await
        })
        .await?;
        Ok(outcome.map(CompanyPartyMember).into())
    }

    /// Ends a seat in a company's party organisation.
    async fn end_company_party_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: EndCompanyPartyMemberInput,
    ) -> Result<CompanyPartyMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.member_id, NodeKind::CompanyPartyMember, "member_id")?;
            company::end_member(uow, id, input.ends_on.0)
                .await
                .map_err(|e| e.at_field("id", "member_id"))
        })
        .await?;
        Ok(outcome.map(CompanyPartyMember).into())
    }

    /// Records a post held in a company: one head at a time, one project lead per compound.
    async fn add_company_post(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AddCompanyPostInput,
    ) -> Result<CompanyPostPayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = NewPost {
                company_id: input_id(&input.company_id, NodeKind::PropertyCompany, "company_id")?,
                person_id: input_id(&input.person_id, NodeKind::Person, "person_id")?,
                post: input.post,
                compound_id: input
                    .compound_id
                    .as_ref()
                    .map(|c| input_id(c, NodeKind::Compound, "compound_id"))
                    .transpose()?,
                title: input
                    .title
                    .as_deref()
                    .map(|t| Name::parse(t, "title"))
                    .transpose()?,
                term: Term::parse(input.starts_on.0, input.ends_on.map(|d| d.0), "ends_on")?,
            };
            company::add_post(uow, new).await
        })
        .await?;
        Ok(outcome.map(CompanyPost).into())
    }

    /// Ends a post held in a company.
    async fn end_company_post(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: EndCompanyPostInput,
    ) -> Result<CompanyPostPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.post_id, NodeKind::CompanyPost, "post_id")?;
            company::end_post(uow, id, input.ends_on.0)
                .await
                .map_err(|e| e.at_field("id", "post_id"))
        })
        .await?;
        Ok(outcome.map(CompanyPost).into())
    }
}
