//! Buildings, entrances and dwellings: what a compound is built of, with
//! their inputs, payloads and mutations, and the `buildings` field of a
//! compound. Who lives in and owns a dwelling comes from `people`, the
//! chain of chiefs answering for it from `chiefs`.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};

use crate::domain::access::{Caller, Permission};
use crate::domain::kinds::BuildingKind;
use crate::domain::register;
use crate::domain::values::{Area, Name};
use crate::entity::{building, compound, dwelling, entrance, grid};
use crate::graphql::id::{NodeKind, encode, input_id, input_id_opt};
use crate::graphql::loaders::{
    BuildingsOfCompound, DwellingsOfBuilding, EntrancesOfBuilding, by_id, by_id_opt,
};
use crate::graphql::pagination::{
    BuildingConnection, DwellingConnection, EntranceConnection, cost, page_of_children,
};
use crate::graphql::scalars;
use crate::graphql::types::chiefs::{ChiefAppointment, chain_of};
use crate::graphql::types::people::{
    Ownership, Residency, dwelling_ownerships, dwelling_residencies,
};
use crate::graphql::types::register::Grid;
use crate::graphql::types::{Compound, name_opt, page, patch, patch_id};
use crate::graphql::{caller, loaders, mutate, payload};

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
            .map(Compound::new))
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
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
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
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<DwellingConnection> {
        page_of_children::<DwellingsOfBuilding, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Dwelling,
        )
        .await
    }
    /// The landlord's responsibility list (谁受益、谁担责) this rental building is linked to.
    async fn responsibility_list(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::types::duties::ResponsibilityList>> {
        crate::graphql::types::duties::linked_list::<
            crate::graphql::loaders::ResponsibilityLinksOfBuilding,
        >(ctx, self.0.id)
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
    /// The merchants' responsibility list (谁受益、谁担责) this shop is linked to.
    async fn responsibility_list(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::types::duties::ResponsibilityList>> {
        crate::graphql::types::duties::linked_list::<
            crate::graphql::loaders::ResponsibilityLinksOfDwelling,
        >(ctx, self.0.id)
        .await
    }
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

/// The buildings of a compound.
pub struct CompoundBuildings(pub Arc<compound::Model>);

/// The buildings of a compound.
#[Object]
impl CompoundBuildings {
    /// Its buildings (or courtyards, or shop blocks).
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
        page_of_children::<BuildingsOfCompound, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Building,
        )
        .await
    }
}

/// Input of `createBuilding`.
#[derive(InputObject)]
pub struct CreateBuildingInput {
    /// The compound it belongs to.
    pub compound_id: ID,
    /// Name or number, unique in the compound (at most 100 characters).
    pub name: String,
    /// Kind of unit (default APARTMENT).
    pub kind: Option<BuildingKind>,
    /// The grid that covers it, of the compound's community.
    pub grid_id: Option<ID>,
    /// Floors above ground (1–200).
    pub floors: Option<i32>,
    /// The alley it stands on (bungalow areas), at most 100 characters.
    pub alley: Option<String>,
    /// Whether it is a rental building.
    pub is_rental: Option<bool>,
}

/// Input of `updateBuilding`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateBuildingInput {
    /// The building.
    pub id: ID,
    /// New name (at most 100 characters).
    pub name: Option<String>,
    /// New kind.
    pub kind: Option<BuildingKind>,
    /// New grid; null detaches it.
    pub grid_id: MaybeUndefined<ID>,
    /// New number of floors; null clears it.
    pub floors: MaybeUndefined<i32>,
    /// New alley (at most 100 characters); null clears it.
    pub alley: MaybeUndefined<String>,
    /// Whether it is a rental building.
    pub is_rental: Option<bool>,
}

/// Input of `createEntrance`.
#[derive(InputObject)]
pub struct CreateEntranceInput {
    /// The building.
    pub building_id: ID,
    /// Name, unique in the building (e.g. "2单元"), at most 100 characters.
    pub name: String,
}

/// Input of `updateEntrance`.
#[derive(InputObject)]
pub struct UpdateEntranceInput {
    /// The entrance.
    pub id: ID,
    /// New name (at most 100 characters).
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
    /// Number, unique in the building (at most 100 characters).
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
    /// New number (at most 100 characters).
    pub number: Option<String>,
    /// Corrected exclusive area.
    pub exclusive_area: Option<scalars::Area>,
    /// Whether it is still the developer's.
    pub developer_held: Option<bool>,
}

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

/// Mutations of buildings, entrances and dwellings.
#[derive(Default)]
pub struct BuildingsMutation;

/// Mutations of buildings, entrances and dwellings.
#[Object]
impl BuildingsMutation {
    /// Adds a building (or courtyard, or shop block) to a compound.
    async fn create_building(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateBuildingInput,
    ) -> Result<BuildingPayload> {
        let outcome = mutate(ctx, async |uow| {
            let compound = input_id(&input.compound_id, NodeKind::Compound, "compound_id")?;
            let fields = register::BuildingFields {
                name: Some(Name::parse(&input.name, "name")?),
                kind: input.kind,
                grid_id: Some(input_id_opt(
                    input.grid_id.as_ref(),
                    NodeKind::Grid,
                    "grid_id",
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
            let grid_id = patch_id(input.grid_id, NodeKind::Grid, "grid_id")?;
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
            let b = input_id(&input.building_id, NodeKind::Building, "building_id")?;
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
            let b = input_id(&input.building_id, NodeKind::Building, "building_id")?;
            let fields = register::DwellingFields {
                entrance_id: Some(input_id_opt(
                    input.entrance_id.as_ref(),
                    NodeKind::Entrance,
                    "entrance_id",
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
            let entrance_id = patch_id(input.entrance_id, NodeKind::Entrance, "entrance_id")?;
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
