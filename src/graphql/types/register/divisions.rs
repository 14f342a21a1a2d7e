//! Districts, subdistricts, communities and grids: the administrative divisions that
//! compounds lie in, with their inputs, payloads, queries and mutations.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use sea_orm::EntityTrait;

use crate::domain::kinds::CommunityCommitteeKind;
use crate::domain::register;
use crate::domain::values::{Name, parse_code};
use crate::entity::{community, district, grid, subdistrict};
use crate::error::AppResult;
use crate::graphql::id::{NodeKind, encode, input_id};
use crate::graphql::loaders::{
    BuildingsOfGrid, CommunitiesOfSubdistrict, CompoundsOfCommunity, GridsOfCommunity,
    SubdistrictsOfDistrict, by_id,
};
use crate::graphql::pagination::{
    BuildingConnection, CommunityConnection, CompoundConnection, DistrictConnection,
    GridConnection, SubdistrictConnection, cost, page_of_children, paginate,
};
use crate::graphql::scalars::Date;
use crate::graphql::types::chiefs::{
    ChiefAssociation, buildings_missing_full_time_chief, chiefs_association,
};
use crate::graphql::types::parties::{CommunityCommittee, all_committees, serving_committee};
use crate::graphql::types::register::Building;
use crate::graphql::types::{Compound, name_opt, page, patch};
use crate::graphql::{db, loaders, mutate, payload};

/// A district (区), the administrative level above subdistricts.
pub struct District(pub district::Model);

/// A district (区), the administrative level above subdistricts.
#[Object]
impl District {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::District, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Administrative division code, if recorded.
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    /// The subdistricts of this district.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn subdistricts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<SubdistrictConnection> {
        page_of_children::<SubdistrictsOfDistrict, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Subdistrict,
        )
        .await
    }
}

/// A subdistrict (街道), the administrative level above communities.
pub struct Subdistrict(pub subdistrict::Model);

/// A subdistrict (街道), the administrative level above communities.
#[Object]
impl Subdistrict {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Subdistrict, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Administrative division code, if recorded.
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    /// The district it lies in; null only for a subdistrict registered
    /// before districts were and not yet placed in one.
    async fn district(&self, ctx: &Context<'_>) -> Result<Option<District>> {
        let Some(id) = self.0.district_id else {
            return Ok(None);
        };
        Ok(by_id::<district::Entity>(loaders(ctx)?, id)
            .await?
            .map(District))
    }
    /// The communities of this subdistrict.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn communities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<CommunityConnection> {
        page_of_children::<CommunitiesOfSubdistrict, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Community,
        )
        .await
    }
}

/// A community (社区), with its residents' committee and party committee; it holds grids and compounds.
pub struct Community(pub community::Model);

/// A community (社区), with its residents' committee and party committee; it holds grids and compounds.
#[Object]
impl Community {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Community, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The subdistrict it belongs to.
    async fn subdistrict(&self, ctx: &Context<'_>) -> Result<Option<Subdistrict>> {
        Ok(
            by_id::<subdistrict::Entity>(loaders(ctx)?, self.0.subdistrict_id)
                .await?
                .map(Subdistrict),
        )
    }
    /// The community party committee (社区党委) serving today.
    async fn party_committee(&self, ctx: &Context<'_>) -> Result<Option<CommunityCommittee>> {
        serving_committee(ctx, self.0.id, CommunityCommitteeKind::PartyCommittee).await
    }
    /// The residents' committee (居民委员会) serving today.
    async fn residents_committee(&self, ctx: &Context<'_>) -> Result<Option<CommunityCommittee>> {
        serving_committee(ctx, self.0.id, CommunityCommitteeKind::ResidentsCommittee).await
    }
    /// Every recorded term of the two committees (社区"两委"), oldest first.
    async fn committees(&self, ctx: &Context<'_>) -> Result<Vec<CommunityCommittee>> {
        all_committees(ctx, self.0.id).await
    }
    /// The association of chiefs (楼栋长协会), if founded.
    async fn chiefs_association(&self, ctx: &Context<'_>) -> Result<Option<ChiefAssociation>> {
        chiefs_association(ctx, self.0.id).await
    }
    /// Rental buildings (出租屋) and industrial-zone buildings of the community
    /// with no full-time building chief in force: their landlord or operator
    /// must provide one.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn buildings_missing_full_time_chief(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to look at; today when omitted.")] on: Option<Date>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<BuildingConnection> {
        buildings_missing_full_time_chief(ctx, self.0.id, on, page(first, after, last, before))
            .await
    }
    /// The grids of this community.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn grids(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<GridConnection> {
        page_of_children::<GridsOfCommunity, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Grid,
        )
        .await
    }
    /// The compounds of this community.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn compounds(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<CompoundConnection> {
        page_of_children::<CompoundsOfCommunity, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Compound::new,
        )
        .await
    }
    /// The community's responsibility lists (谁受益、谁担责), one per kind of party published.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn responsibility_lists(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<crate::graphql::pagination::ResponsibilityListConnection> {
        crate::graphql::types::duties::lists_page(ctx, self.0.id, page(first, after, last, before))
            .await
    }
}

/// A grid (网格): a management cell of a community covering a set of buildings.
pub struct Grid(pub grid::Model);

/// A grid (网格): a management cell of a community covering a set of buildings.
#[Object]
impl Grid {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Grid, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Grid code, if recorded.
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    /// The community it belongs to.
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        Ok(
            by_id::<community::Entity>(loaders(ctx)?, self.0.community_id)
                .await?
                .map(Community),
        )
    }
    /// The buildings this grid covers.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn buildings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<BuildingConnection> {
        page_of_children::<BuildingsOfGrid, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Building,
        )
        .await
    }
}

/// Queries of the administrative divisions.
#[derive(Default)]
pub struct DivisionsQuery;

/// Queries of the administrative divisions.
#[Object]
impl DivisionsQuery {
    /// All districts.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn districts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<DistrictConnection> {
        paginate(
            db(ctx)?,
            district::Entity::find(),
            page(first, after, last, before),
            District,
        )
        .await
    }

    /// All subdistricts.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn subdistricts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<SubdistrictConnection> {
        paginate(
            db(ctx)?,
            subdistrict::Entity::find(),
            page(first, after, last, before),
            Subdistrict,
        )
        .await
    }
}

/// An optional code at `code`.
fn code_opt(raw: Option<&str>) -> AppResult<Option<String>> {
    raw.map(|c| parse_code(c, "code")).transpose()
}

/// A change of code at `code`: none (unchanged), null (cleared) or the new code.
fn code_patch(raw: MaybeUndefined<String>) -> AppResult<Option<Option<String>>> {
    patch(raw).map(|c| code_opt(c.as_deref())).transpose()
}

/// Input of `createDistrict`.
#[derive(InputObject)]
pub struct CreateDistrictInput {
    /// Name, unique (at most 100 characters).
    pub name: String,
    /// Administrative division code (at most 32 characters).
    pub code: Option<String>,
}

/// Input of `updateDistrict`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateDistrictInput {
    /// The district.
    pub id: ID,
    /// New name (at most 100 characters).
    pub name: Option<String>,
    /// New code (at most 32 characters); null clears it.
    pub code: MaybeUndefined<String>,
}

/// Input of `createSubdistrict`.
#[derive(InputObject)]
pub struct CreateSubdistrictInput {
    /// The district it lies in.
    pub district_id: ID,
    /// Name, unique (at most 100 characters).
    pub name: String,
    /// Administrative division code (at most 32 characters).
    pub code: Option<String>,
}

/// Input of `updateSubdistrict`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateSubdistrictInput {
    /// The subdistrict.
    pub id: ID,
    /// New name (at most 100 characters).
    pub name: Option<String>,
    /// New code (at most 32 characters); null clears it.
    pub code: MaybeUndefined<String>,
    /// The district it moves to, or (registered before districts were) is
    /// placed in; needs the right over that district too.
    pub district_id: Option<ID>,
}

/// Input of `createCommunity`.
#[derive(InputObject)]
pub struct CreateCommunityInput {
    /// The subdistrict it belongs to.
    pub subdistrict_id: ID,
    /// Name, unique in the subdistrict (at most 100 characters).
    pub name: String,
}

/// Input of `updateCommunity`.
#[derive(InputObject)]
pub struct UpdateCommunityInput {
    /// The community.
    pub id: ID,
    /// New name (at most 100 characters).
    pub name: String,
}

/// Input of `createGrid`.
#[derive(InputObject)]
pub struct CreateGridInput {
    /// The community it belongs to.
    pub community_id: ID,
    /// Name, unique in the community (at most 100 characters).
    pub name: String,
    /// Grid code (at most 32 characters).
    pub code: Option<String>,
}

/// Input of `updateGrid`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateGridInput {
    /// The grid.
    pub id: ID,
    /// New name (at most 100 characters).
    pub name: Option<String>,
    /// New code (at most 32 characters); null clears it.
    pub code: MaybeUndefined<String>,
}

payload!(
    /// Result of creating or changing a district.
    DistrictPayload {
        /// The district as saved.
        district: District
    }
);
payload!(
    /// Result of creating or changing a subdistrict.
    SubdistrictPayload {
        /// The subdistrict as saved.
        subdistrict: Subdistrict
    }
);
payload!(
    /// Result of creating or changing a community.
    CommunityPayload {
        /// The community as saved.
        community: Community
    }
);
payload!(
    /// Result of creating or changing a grid.
    GridPayload {
        /// The grid as saved.
        grid: Grid
    }
);

/// Mutations of the administrative divisions.
#[derive(Default)]
pub struct DivisionsMutation;

/// Mutations of the administrative divisions.
#[Object]
impl DivisionsMutation {
    /// Registers a district. Platform admins only.
    async fn create_district(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateDistrictInput,
    ) -> Result<DistrictPayload> {
        let outcome = mutate(ctx, async |uow| {
            let name = Name::parse(&input.name, "name")?;
            register::create_district(uow, name, code_opt(input.code.as_deref())?).await
        })
        .await?;
        Ok(outcome.map(District).into())
    }

    /// Renames a district or changes its code.
    async fn update_district(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateDistrictInput,
    ) -> Result<DistrictPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::District, "id")?;
            let name = name_opt(input.name.as_deref(), "name")?;
            register::update_district(uow, id, name, code_patch(input.code)?).await
        })
        .await?;
        Ok(outcome.map(District).into())
    }

    /// Registers a subdistrict in a district: platform admins and the
    /// district's staff.
    async fn create_subdistrict(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateSubdistrictInput,
    ) -> Result<SubdistrictPayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = register::NewSubdistrict {
                district_id: input_id(&input.district_id, NodeKind::District, "district_id")?,
                name: Name::parse(&input.name, "name")?,
                code: code_opt(input.code.as_deref())?,
            };
            register::create_subdistrict(uow, new).await
        })
        .await?;
        Ok(outcome.map(Subdistrict).into())
    }

    /// Renames a subdistrict, changes its code or places it in a district.
    async fn update_subdistrict(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateSubdistrictInput,
    ) -> Result<SubdistrictPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::Subdistrict, "id")?;
            let change = register::SubdistrictChange {
                name: name_opt(input.name.as_deref(), "name")?,
                code: code_patch(input.code)?,
                district_id: input
                    .district_id
                    .as_ref()
                    .map(|d| input_id(d, NodeKind::District, "district_id"))
                    .transpose()?,
            };
            register::update_subdistrict(uow, id, change).await
        })
        .await?;
        Ok(outcome.map(Subdistrict).into())
    }

    /// Registers a community in a subdistrict.
    async fn create_community(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateCommunityInput,
    ) -> Result<CommunityPayload> {
        let outcome = mutate(ctx, async |uow| {
            let sd = input_id(
                &input.subdistrict_id,
                NodeKind::Subdistrict,
                "subdistrict_id",
            )?;
            let name = Name::parse(&input.name, "name")?;
            register::create_community(uow, sd, name).await
        })
        .await?;
        Ok(outcome.map(Community).into())
    }

    /// Renames a community.
    async fn update_community(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateCommunityInput,
    ) -> Result<CommunityPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::Community, "id")?;
            let name = Name::parse(&input.name, "name")?;
            register::update_community(uow, id, name).await
        })
        .await?;
        Ok(outcome.map(Community).into())
    }

    /// Draws a grid in a community.
    async fn create_grid(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateGridInput,
    ) -> Result<GridPayload> {
        let outcome = mutate(ctx, async |uow| {
            let community = input_id(&input.community_id, NodeKind::Community, "community_id")?;
            let name = Name::parse(&input.name, "name")?;
            register::create_grid(uow, community, name, code_opt(input.code.as_deref())?).await
        })
        .await?;
        Ok(outcome.map(Grid).into())
    }

    /// Renames a grid or changes its code.
    async fn update_grid(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateGridInput,
    ) -> Result<GridPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::Grid, "id")?;
            let name = name_opt(input.name.as_deref(), "name")?;
            register::update_grid(uow, id, name, code_patch(input.code)?).await
        })
        .await?;
        Ok(outcome.map(Grid).into())
    }
}
