//! The register: subdistricts, communities, grids, compounds, buildings,
//! entrances and dwellings. Relations of a compound to the three parties and
//! chiefs are resolved by their own areas' functions.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};

use crate::domain::access::{Caller, Permission, Scope};
use crate::domain::register;
use crate::domain::kinds::ChiefLevel;
use crate::domain::kinds::{BuildingKind, ChainVariant, CompoundKind};
use crate::domain::parties::linkage;
use crate::domain::values::Term;
use crate::domain::values::{Area, Name};
use crate::entity::property_company;
use crate::entity::{building, community, compound, dwelling, entrance, grid, subdistrict};
use crate::error::AppResult;
use crate::graphql::id::{NodeKind, arg_id, encode, input_id, input_id_opt};
use crate::graphql::loaders::{
    AuditOfCompound, BranchesOfCompound, BuildingsOfCompound, BuildingsOfGrid, ChiefsOfCompound,
    CommitteesOfCompound, CommunitiesOfSubdistrict, CompoundsOfCommunity, ContractsOfCompound,
    CouncilOfCompound, DwellingsOfBuilding, EntrancesOfBuilding, GridsOfCommunity,
    MeetingsOfCompound, by_id, by_id_opt, children,
};
use crate::graphql::pagination::{
    AssemblyVoteConnection, AuditRecordConnection, BuildingConnection, ChiefAppointmentConnection,
    CommunityConnection, CompoundConnection, DwellingConnection, EntranceConnection,
    GridConnection, JointMeetingConnection, PageArgs, PublicationConnection, SubdistrictConnection,
    cost, page_of_children, paginate, paginate_loaded,
};
use crate::graphql::scalars;
use crate::graphql::types::audit::AuditRecord;
use crate::graphql::types::chiefs::{ChiefAppointment, chain_of};
use crate::graphql::types::decisions::{
    ChainVerification, ResidentsCouncil, publications_of, verify_chain, votes_of,
};
use crate::graphql::types::parties::{
    CrossAppointmentView, JointMeeting, OwnersCommittee, PartyBranch, PropertyCompany,
    PropertyContract, cross_appointment_of,
};
use crate::graphql::types::people::{
    Ownership, Residency, dwelling_ownerships, dwelling_residencies,
};
use crate::graphql::{caller, db, loaders, mutate, payload, today};

/// Turns `MaybeUndefined` into the domain's "unchanged / cleared / set".
pub fn patch<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

/// Decodes a nullable ID of an update input: unchanged, cleared or set.
pub fn patch_id(
    value: MaybeUndefined<ID>,
    kind: NodeKind,
    field: &str,
) -> AppResult<Option<Option<i64>>> {
    patch(value)
        .map(|v| v.map(|id| input_id(&id, kind, field)).transpose())
        .transpose()
}

/// Parses an optional name at `field`.
pub fn name_opt(raw: Option<&str>, field: &str) -> AppResult<Option<Name>> {
    raw.map(|s| Name::parse(s, field)).transpose()
}

fn page(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> PageArgs {
    PageArgs {
        after,
        before,
        first,
        last,
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
    /// The communities of this subdistrict.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn communities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
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
    /// The grids of this community.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn grids(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
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
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<CompoundConnection> {
        page_of_children::<CompoundsOfCommunity, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Compound,
        )
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
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
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

/// A residential compound (小区).
pub struct Compound(pub compound::Model);

/// A residential compound (小区).
#[Object]
impl Compound {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Compound, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Kind of compound.
    async fn kind(&self) -> CompoundKind {
        self.0.kind
    }
    /// Which variant of the chain of chiefs serves it.
    async fn chain_variant(&self) -> ChainVariant {
        self.0.kind.chain_variant()
    }
    /// Street address.
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }
    /// The community it lies in.
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        Ok(
            by_id::<community::Entity>(loaders(ctx)?, self.0.community_id)
                .await?
                .map(Community),
        )
    }
    /// The active party branch, if any.
    async fn party_branch(&self, ctx: &Context<'_>) -> Result<Option<PartyBranch>> {
        let all = children::<BranchesOfCompound>(loaders(ctx)?, self.0.id).await?;
        Ok(linkage::pick_active_branch(all, today(ctx)?).map(PartyBranch))
    }
    /// The owners' committee serving today, if any.
    async fn owners_committee(&self, ctx: &Context<'_>) -> Result<Option<OwnersCommittee>> {
        let all = children::<CommitteesOfCompound>(loaders(ctx)?, self.0.id).await?;
        Ok(linkage::pick_active_committee(all, today(ctx)?).map(OwnersCommittee))
    }
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
    /// All property contracts, current and past.
    async fn property_contracts(&self, ctx: &Context<'_>) -> Result<Vec<PropertyContract>> {
        Ok(children::<ContractsOfCompound>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(PropertyContract)
            .collect())
    }
    /// Cross-appointment facts today: party-branch members on the owners' committee, and whether the secretary chairs it.
    async fn cross_appointment(&self, ctx: &Context<'_>) -> Result<CrossAppointmentView> {
        cross_appointment_of(ctx, self.0.id).await
    }
    /// Chiefs over the compound or anything in it (market supervisors, alley, building, floor, courtyard and shop chiefs).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn chiefs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which appointments to list; by default those serving today.")]
        filter: Option<ChiefFilter>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<ChiefAppointmentConnection> {
        let day = today(ctx)?;
        let filter = filter.unwrap_or_default();
        let rows: Vec<_> = children::<ChiefsOfCompound>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .filter(|m| {
                filter.include_past
                    || Term {
                        starts_on: m.starts_on,
                        ends_on: m.ends_on,
                    }
                    .contains(day)
            })
            .filter(|m| filter.level.is_none_or(|l| m.level == l))
            .collect();
        paginate_loaded(
            rows,
            page(first, after, last, before),
            |m| m.id,
            ChiefAppointment,
        )
        .await
    }
    /// Joint meetings of the three parties, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn joint_meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<JointMeetingConnection> {
        page_of_children::<MeetingsOfCompound, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            JointMeeting,
        )
        .await
    }
    /// The audit history of the compound and everything in it, oldest first. Only for
    /// staff over it and its secretary, committee members and property manager.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<AuditRecordConnection> {
        let l = loaders(ctx)?;
        let scope = compound_scope(ctx, &self.0).await?;
        caller(ctx).may_read(Permission::ReadAudit, &scope)?;
        page_of_children::<AuditOfCompound, _, _>(
            l,
            self.0.id,
            page(first, after, last, before),
            AuditRecord,
        )
        .await
    }
    /// Its residents' council, if set up.
    async fn residents_council(&self, ctx: &Context<'_>) -> Result<Option<ResidentsCouncil>> {
        Ok(children::<CouncilOfCompound>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .next()
            .map(ResidentsCouncil))
    }
    /// Publications (公示) to its residents, newest first: resolutions, implementation results, vote results.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn publications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<PublicationConnection> {
        publications_of(ctx, self.0.id, page(first, after, last, before)).await
    }
    /// Owners' assembly votes, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn assembly_votes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<AssemblyVoteConnection> {
        votes_of(ctx, self.0.id, page(first, after, last, before)).await
    }
    /// Recomputes the hash chain of the compound's decision records: whether every record
    /// is intact and, if not, the first one that is not.
    async fn decision_chain(&self, ctx: &Context<'_>) -> Result<ChainVerification> {
        verify_chain(ctx, self.0.id).await
    }
    /// Its buildings (or courtyards, or shop blocks).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn buildings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<BuildingConnection> {
        page_of_children::<BuildingsOfCompound, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Building,
        )
        .await
    }
}

/// A building (楼栋); in bungalow areas a courtyard, on commercial streets a block of shops.
pub struct Building(pub building::Model);

/// A building (楼栋); in bungalow areas a courtyard, on commercial streets a block of shops.
#[Object]
impl Building {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Building, self.0.id)
    }
    /// Name or number, unique in the compound.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Kind of building-level unit.
    async fn kind(&self) -> BuildingKind {
        self.0.kind
    }
    /// Number of floors above ground, if recorded.
    async fn floors(&self) -> Option<i32> {
        self.0.floors
    }
    /// The alley it stands on (bungalow areas).
    async fn alley(&self) -> Option<&str> {
        self.0.alley.as_deref()
    }
    /// Whether it is a rental building, whose landlord must provide a building chief.
    async fn is_rental(&self) -> bool {
        self.0.is_rental
    }
    /// The compound it belongs to.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound))
    }
    /// The grid that covers it.
    async fn grid(&self, ctx: &Context<'_>) -> Result<Option<Grid>> {
        Ok(by_id_opt::<grid::Entity>(loaders(ctx)?, self.0.grid_id)
            .await?
            .map(Grid))
    }
    /// Its entrances (unit stairwells).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn entrances(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<EntranceConnection> {
        page_of_children::<EntrancesOfBuilding, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Entrance,
        )
        .await
    }
    /// Its dwellings.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn dwellings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<DwellingConnection> {
        page_of_children::<DwellingsOfBuilding, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Dwelling,
        )
        .await
    }
}

/// An entrance (单元): a stairwell of a building.
pub struct Entrance(pub entrance::Model);

/// An entrance (单元): a stairwell of a building.
#[Object]
impl Entrance {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Entrance, self.0.id)
    }
    /// Name, unique in the building.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The building it belongs to.
    async fn building(&self, ctx: &Context<'_>) -> Result<Option<Building>> {
        Ok(by_id::<building::Entity>(loaders(ctx)?, self.0.building_id)
            .await?
            .map(Building))
    }
}

/// A dwelling (房屋): an exclusive part (专有部分) with a registered floor area.
pub struct Dwelling(pub dwelling::Model);

/// A dwelling (房屋): an exclusive part (专有部分) with a registered floor area.
#[Object]
impl Dwelling {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Dwelling, self.0.id)
    }
    /// Number, unique in the building (e.g. "2-1201").
    async fn number(&self) -> &str {
        &self.0.number
    }
    /// Floor, if recorded; negative for basements.
    async fn floor(&self) -> Option<i32> {
        self.0.floor
    }
    /// Registered exclusive area; an owner's vote weight.
    async fn exclusive_area(&self) -> scalars::Area {
        scalars::Area(Area::from_centi(self.0.exclusive_area_centi))
    }
    /// Whether it is still the developer's, unsold or undelivered.
    async fn developer_held(&self) -> bool {
        self.0.developer_held
    }
    /// The building it is in.
    async fn building(&self, ctx: &Context<'_>) -> Result<Option<Building>> {
        Ok(by_id::<building::Entity>(loaders(ctx)?, self.0.building_id)
            .await?
            .map(Building))
    }
    /// Who answers for this home (the responsibility placard): the chain of chiefs serving
    /// today, from the chief nearest the household up to the area chief, with public contacts.
    async fn responsible_chain(&self, ctx: &Context<'_>) -> Result<Vec<ChiefAppointment>> {
        chain_of(ctx, self.0.id).await
    }
    /// Who lives here, current and past. Only for those entitled to the compound's register
    /// and for the dwelling's own residents; empty for others.
    async fn residencies(&self, ctx: &Context<'_>) -> Result<Vec<Residency>> {
        if !may_read_dwelling_register(ctx, &self.0).await? {
            return Ok(Vec::new());
        }
        dwelling_residencies(ctx, self.0.id).await
    }
    /// Who owns it, current and past. Only for those entitled to the compound's register
    /// and for the dwelling's own residents; empty for others.
    async fn ownerships(&self, ctx: &Context<'_>) -> Result<Vec<Ownership>> {
        if !may_read_dwelling_register(ctx, &self.0).await? {
            return Ok(Vec::new());
        }
        dwelling_ownerships(ctx, self.0.id).await
    }
    /// The entrance it opens on.
    async fn entrance(&self, ctx: &Context<'_>) -> Result<Option<Entrance>> {
        Ok(
            by_id_opt::<entrance::Entity>(loaders(ctx)?, self.0.entrance_id)
                .await?
                .map(Entrance),
        )
    }
}

/// The access scope of a compound, through the request's loaders (the
/// batched counterpart of `Scope::of_compound`).
pub async fn compound_scope(ctx: &Context<'_>, c: &compound::Model) -> Result<Scope> {
    let community = by_id::<community::Entity>(loaders(ctx)?, c.community_id).await?;
    Ok(Scope {
        subdistrict_id: community.map(|c| c.subdistrict_id),
        community_id: Some(c.community_id),
        compound_id: Some(c.id),
        ..Scope::GLOBAL
    })
}

/// Whether the caller may see who lives in and owns `d`: platform admins,
/// staff over its community, holders of a compound role with the right to
/// read personal data there, and residents granted this dwelling.
async fn may_read_dwelling_register(ctx: &Context<'_>, d: &dwelling::Model) -> Result<bool> {
    let Caller::Account(actor) = caller(ctx) else {
        return Ok(false);
    };
    if actor.is_admin()
        || actor
            .grants
            .iter()
            .any(|g| g.scope.dwelling_id == Some(d.id))
    {
        return Ok(true);
    }
    let l = loaders(ctx)?;
    let Some(b) = by_id::<building::Entity>(l, d.building_id).await? else {
        return Ok(false);
    };
    let Some(c) = by_id::<compound::Entity>(l, b.compound_id).await? else {
        return Ok(false);
    };
    Ok(actor.staff_communities.contains(&c.community_id)
        || actor
            .compounds_with(Permission::ReadPersonalData)
            .any(|id| id == c.id))
}

/// Narrows a list of chiefs.
#[derive(InputObject, Default)]
pub struct ChiefFilter {
    /// Include appointments that have ended or not begun (default false).
    #[graphql(default)]
    pub include_past: bool,
    /// Only this position.
    pub level: Option<ChiefLevel>,
}

/// Narrows the list of compounds.
#[derive(InputObject, Default)]
pub struct CompoundFilter {
    /// Only compounds of this community.
    pub community_id: Option<ID>,
    /// Only compounds of this kind.
    pub kind: Option<CompoundKind>,
    /// Only compounds whose name contains this text.
    pub name_contains: Option<String>,
}

/// Queries of the register.
#[derive(Default)]
pub struct RegisterQuery;

/// Queries of the register.
#[Object]
impl RegisterQuery {
    /// All subdistricts.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn subdistricts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<SubdistrictConnection> {
        paginate(
            db(ctx)?,
            subdistrict::Entity::find(),
            page(first, after, last, before),
            Subdistrict,
        )
        .await
    }

    /// Compounds, optionally filtered by community, kind and name.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn compounds(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which compounds to list.")] filter: Option<CompoundFilter>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<CompoundConnection> {
        let filter = filter.unwrap_or_default();
        let mut select = compound::Entity::find();
        if let Some(c) = &filter.community_id {
            select =
                select.filter(compound::Column::CommunityId.eq(arg_id(c, NodeKind::Community)?));
        }
        if let Some(kind) = filter.kind {
            select = select.filter(compound::Column::Kind.eq(kind));
        }
        if let Some(text) = filter
            .name_contains
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            // Case-insensitive on both databases (SQLite's LIKE already is, PostgreSQL's is not).
            let pattern = crate::domain::values::contains_pattern(&text.to_lowercase());
            select = select.filter(
                Expr::expr(Func::lower(Expr::col((
                    compound::Entity,
                    compound::Column::Name,
                ))))
                .like(LikeExpr::new(pattern).escape('\\')),
            );
        }
        paginate(db(ctx)?, select, page(first, after, last, before), Compound).await
    }
}

/// Input of `createSubdistrict`.
#[derive(InputObject)]
pub struct CreateSubdistrictInput {
    /// Name, unique.
    pub name: String,
    /// Administrative division code.
    pub code: Option<String>,
}

/// Input of `updateSubdistrict`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateSubdistrictInput {
    /// The subdistrict.
    pub id: ID,
    /// New name.
    pub name: Option<String>,
    /// New code; null clears it.
    pub code: MaybeUndefined<String>,
}

/// Input of `createCommunity`.
#[derive(InputObject)]
pub struct CreateCommunityInput {
    /// The subdistrict it belongs to.
    pub subdistrict_id: ID,
    /// Name, unique in the subdistrict.
    pub name: String,
}

/// Input of `updateCommunity`.
#[derive(InputObject)]
pub struct UpdateCommunityInput {
    /// The community.
    pub id: ID,
    /// New name.
    pub name: String,
}

/// Input of `createGrid`.
#[derive(InputObject)]
pub struct CreateGridInput {
    /// The community it belongs to.
    pub community_id: ID,
    /// Name, unique in the community.
    pub name: String,
    /// Grid code.
    pub code: Option<String>,
}

/// Input of `updateGrid`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateGridInput {
    /// The grid.
    pub id: ID,
    /// New name.
    pub name: Option<String>,
    /// New code; null clears it.
    pub code: MaybeUndefined<String>,
}

/// Input of `createCompound`.
#[derive(InputObject)]
pub struct CreateCompoundInput {
    /// The community it lies in.
    pub community_id: ID,
    /// Name, unique in the community.
    pub name: String,
    /// Kind of compound.
    pub kind: CompoundKind,
    /// Street address.
    pub address: Option<String>,
}

/// Input of `updateCompound`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateCompoundInput {
    /// The compound.
    pub id: ID,
    /// New name.
    pub name: Option<String>,
    /// New kind.
    pub kind: Option<CompoundKind>,
    /// New address; null clears it.
    pub address: MaybeUndefined<String>,
}

/// Input of `createBuilding`.
#[derive(InputObject)]
pub struct CreateBuildingInput {
    /// The compound it belongs to.
    pub compound_id: ID,
    /// Name or number, unique in the compound.
    pub name: String,
    /// Kind of unit (default APARTMENT).
    pub kind: Option<BuildingKind>,
    /// The grid that covers it, of the compound's community.
    pub grid_id: Option<ID>,
    /// Floors above ground (1–200).
    pub floors: Option<i32>,
    /// The alley it stands on (bungalow areas).
    pub alley: Option<String>,
    /// Whether it is a rental building.
    pub is_rental: Option<bool>,
}

/// Input of `updateBuilding`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateBuildingInput {
    /// The building.
    pub id: ID,
    /// New name.
    pub name: Option<String>,
    /// New kind.
    pub kind: Option<BuildingKind>,
    /// New grid; null detaches it.
    pub grid_id: MaybeUndefined<ID>,
    /// New number of floors; null clears it.
    pub floors: MaybeUndefined<i32>,
    /// New alley; null clears it.
    pub alley: MaybeUndefined<String>,
    /// Whether it is a rental building.
    pub is_rental: Option<bool>,
}

/// Input of `createEntrance`.
#[derive(InputObject)]
pub struct CreateEntranceInput {
    /// The building.
    pub building_id: ID,
    /// Name, unique in the building (e.g. "2单元").
    pub name: String,
}

/// Input of `updateEntrance`.
#[derive(InputObject)]
pub struct UpdateEntranceInput {
    /// The entrance.
    pub id: ID,
    /// New name.
    pub name: String,
}

/// Input of `createDwelling`.
#[derive(InputObject)]
pub struct CreateDwellingInput {
    /// The building.
    pub building_id: ID,
    /// The entrance, of the same building.
    pub entrance_id: Option<ID>,
    /// Floor; negative for basements.
    pub floor: Option<i32>,
    /// Number, unique in the building.
    pub number: String,
    /// Registered exclusive area.
    pub exclusive_area: scalars::Area,
    /// Whether it is still the developer's (unsold or undelivered); default false.
    pub developer_held: Option<bool>,
}

/// Input of `updateDwelling`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateDwellingInput {
    /// The dwelling.
    pub id: ID,
    /// New entrance; null clears it.
    pub entrance_id: MaybeUndefined<ID>,
    /// New floor; null clears it.
    pub floor: MaybeUndefined<i32>,
    /// New number.
    pub number: Option<String>,
    /// Corrected exclusive area.
    pub exclusive_area: Option<scalars::Area>,
    /// Whether it is still the developer's.
    pub developer_held: Option<bool>,
}

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
payload!(
    /// Result of creating or changing a compound.
    CompoundPayload {
        /// The compound as saved.
        compound: Compound
    }
);
payload!(
    /// Result of creating or changing a building.
    BuildingPayload {
        /// The building as saved.
        building: Building
    }
);
payload!(
    /// Result of creating or changing an entrance.
    EntrancePayload {
        /// The entrance as saved.
        entrance: Entrance
    }
);
payload!(
    /// Result of creating or changing a dwelling.
    DwellingPayload {
        /// The dwelling as saved.
        dwelling: Dwelling
    }
);

/// Mutations of the register.
#[derive(Default)]
pub struct RegisterMutation;

/// Mutations of the register.
#[Object]
impl RegisterMutation {
    /// Registers a subdistrict. Platform admins only.
    async fn create_subdistrict(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateSubdistrictInput,
    ) -> Result<SubdistrictPayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = register::NewSubdistrict {
                name: Name::parse(&input.name, "name")?,
                code: input.code,
            };
            register::create_subdistrict(uow, new).await
        })
        .await?;
        Ok(outcome.map(Subdistrict).into())
    }

    /// Renames a subdistrict or changes its code.
    async fn update_subdistrict(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateSubdistrictInput,
    ) -> Result<SubdistrictPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::Subdistrict, "id")?;
            let name = name_opt(input.name.as_deref(), "name")?;
            register::update_subdistrict(uow, id, name, patch(input.code)).await
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
                "subdistrictId",
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
            let community = input_id(&input.community_id, NodeKind::Community, "communityId")?;
            let name = Name::parse(&input.name, "name")?;
            register::create_grid(uow, community, name, input.code).await
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
            register::update_grid(uow, id, name, patch(input.code)).await
        })
        .await?;
        Ok(outcome.map(Grid).into())
    }

    /// Registers a compound in a community.
    async fn create_compound(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateCompoundInput,
    ) -> Result<CompoundPayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = register::NewCompound {
                community_id: input_id(&input.community_id, NodeKind::Community, "communityId")?,
                name: Name::parse(&input.name, "name")?,
                kind: input.kind,
                address: input
                    .address
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty()),
            };
            register::create_compound(uow, new).await
        })
        .await?;
        Ok(outcome.map(Compound).into())
    }

    /// Changes a compound's name, kind or address.
    async fn update_compound(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateCompoundInput,
    ) -> Result<CompoundPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::Compound, "id")?;
            let changes = register::CompoundChanges {
                name: name_opt(input.name.as_deref(), "name")?,
                kind: input.kind,
                address: patch(input.address),
            };
            register::update_compound(uow, id, changes).await
        })
        .await?;
        Ok(outcome.map(Compound).into())
    }

    /// Adds a building (or courtyard, or shop block) to a compound.
    async fn create_building(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateBuildingInput,
    ) -> Result<BuildingPayload> {
        let outcome = mutate(ctx, async |uow| {
            let compound = input_id(&input.compound_id, NodeKind::Compound, "compoundId")?;
            let fields = register::BuildingFields {
                name: Some(Name::parse(&input.name, "name")?),
                kind: input.kind,
                grid_id: Some(input_id_opt(
                    input.grid_id.as_ref(),
                    NodeKind::Grid,
                    "gridId",
                )?),
                floors: Some(input.floors),
                alley: Some(name_opt(input.alley.as_deref(), "alley")?.map(Name::into_inner)),
                is_rental: input.is_rental,
            };
            register::create_building(uow, compound, fields).await
        })
        .await?;
        Ok(outcome.map(Building).into())
    }

    /// Changes a building.
    async fn update_building(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateBuildingInput,
    ) -> Result<BuildingPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::Building, "id")?;
            let grid_id = patch_id(input.grid_id, NodeKind::Grid, "gridId")?;
            let fields = register::BuildingFields {
                name: name_opt(input.name.as_deref(), "name")?,
                kind: input.kind,
                grid_id,
                floors: patch(input.floors),
                alley: patch(input.alley)
                    .map(|a| name_opt(a.as_deref(), "alley").map(|n| n.map(Name::into_inner)))
                    .transpose()?,
                is_rental: input.is_rental,
            };
            register::update_building(uow, id, fields).await
        })
        .await?;
        Ok(outcome.map(Building).into())
    }

    /// Adds an entrance to a building.
    async fn create_entrance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateEntranceInput,
    ) -> Result<EntrancePayload> {
        let outcome = mutate(ctx, async |uow| {
            let b = input_id(&input.building_id, NodeKind::Building, "buildingId")?;
            let name = Name::parse(&input.name, "name")?;
            register::save_entrance(uow, Some(b), None, name).await
        })
        .await?;
        Ok(outcome.map(Entrance).into())
    }

    /// Renames an entrance.
    async fn update_entrance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateEntranceInput,
    ) -> Result<EntrancePayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::Entrance, "id")?;
            let name = Name::parse(&input.name, "name")?;
            register::save_entrance(uow, None, Some(id), name).await
        })
        .await?;
        Ok(outcome.map(Entrance).into())
    }

    /// Registers a dwelling with its exclusive area.
    async fn create_dwelling(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateDwellingInput,
    ) -> Result<DwellingPayload> {
        let outcome = mutate(ctx, async |uow| {
            let b = input_id(&input.building_id, NodeKind::Building, "buildingId")?;
            let fields = register::DwellingFields {
                entrance_id: Some(input_id_opt(
                    input.entrance_id.as_ref(),
                    NodeKind::Entrance,
                    "entranceId",
                )?),
                floor: Some(input.floor),
                number: Some(Name::parse(&input.number, "number")?),
                exclusive_area: Some(input.exclusive_area.0),
                developer_held: input.developer_held,
            };
            register::create_dwelling(uow, b, fields).await
        })
        .await?;
        Ok(outcome.map(Dwelling).into())
    }

    /// Changes a dwelling; a corrected area is audited like every change.
    async fn update_dwelling(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateDwellingInput,
    ) -> Result<DwellingPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::Dwelling, "id")?;
            let entrance_id = patch_id(input.entrance_id, NodeKind::Entrance, "entranceId")?;
            let fields = register::DwellingFields {
                entrance_id,
                floor: patch(input.floor),
                number: name_opt(input.number.as_deref(), "number")?,
                exclusive_area: input.exclusive_area.map(|a| a.0),
                developer_held: input.developer_held,
            };
            register::update_dwelling(uow, id, fields).await
        })
        .await?;
        Ok(outcome.map(Dwelling).into())
    }
}
