//! The administrative and physical register: subdistricts, communities,
//! grids, compounds, buildings, entrances and dwellings.
//!
//! Each change checks the caller's right over the unit it touches, keeps
//! names unique among siblings and writes its audit record. People and their
//! ties to dwellings are in `people`.

mod batch;

pub use batch::add_dwellings;

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::kinds::{BuildingKind, CompoundKind};
use crate::domain::operation::Operation;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Area, Name};
use crate::entity::{
    building, community, compound, district, dwelling, entrance, grid, subdistrict,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// Registers a district (platform admins only: districts are the top of
/// the register).
pub async fn create_district(
    uow: &UnitOfWork<'_>,
    name: Name,
    code: Option<String>,
) -> AppResult<district::Model> {
    let permit = uow.permit(Permission::ManageAdministrativeUnits, &Scope::GLOBAL)?;
    let m = district::ActiveModel {
        name: Set(name.into_inner()),
        code: Set(code),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    let scope = Scope {
        district_id: Some(m.id),
        ..Scope::GLOBAL
    };
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreateDistrict, "District", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// Renames a district or changes its code.
pub async fn update_district(
    uow: &UnitOfWork<'_>,
    id: i64,
    name: Option<Name>,
    code: Option<Option<String>>,
) -> AppResult<district::Model> {
    let db = uow.db();
    let before = uow
        .target::<district::Entity>(Permission::ManageAdministrativeUnits, id, "id", "district")
        .await?;
    let scope = Scope::of_district(db, id).await?;
    let permit = uow.permit(Permission::ManageAdministrativeUnits, &scope)?;
    let mut am: district::ActiveModel = before.clone().into();
    if let Some(name) = name {
        am.name = Set(name.into_inner());
    }
    if let Some(code) = code {
        am.code = Set(code);
    }
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::UpdateDistrict, "District", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// A new subdistrict.
pub struct NewSubdistrict {
    /// The district it lies in.
    pub district_id: i64,
    /// Its name.
    pub name: Name,
    /// Its administrative code, if any.
    pub code: Option<String>,
}

/// Registers a subdistrict in a district.
pub async fn create_subdistrict(
    uow: &UnitOfWork<'_>,
    new: NewSubdistrict,
) -> AppResult<subdistrict::Model> {
    let db = uow.db();
    uow.target::<district::Entity>(
        Permission::ManageAdministrativeUnits,
        new.district_id,
        "district_id",
        "district",
    )
    .await?;
    let scope = Scope::of_district(db, new.district_id).await?;
    let permit = uow.permit(Permission::ManageAdministrativeUnits, &scope)?;
    let name = new.name.into_inner();
    let m = subdistrict::ActiveModel {
        district_id: Set(Some(new.district_id)),
        name: Set(name),
        code: Set(new.code),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let scope = Scope::within_subdistrict(&m);
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreateSubdistrict, "Subdistrict", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// What may change of a subdistrict; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct SubdistrictChange {
    /// A new name.
    pub name: Option<Name>,
    /// A new code, or none.
    pub code: Option<Option<String>>,
    /// The district it moves to (or, registered before districts were, is
    /// placed in); the caller needs the right over that district too.
    pub district_id: Option<i64>,
}

/// Renames a subdistrict, changes its code or places it in a district.
pub async fn update_subdistrict(
    uow: &UnitOfWork<'_>,
    id: i64,
    change: SubdistrictChange,
) -> AppResult<subdistrict::Model> {
    let SubdistrictChange {
        name,
        code,
        district_id,
    } = change;
    let db = uow.db();
    let before = uow
        .target::<subdistrict::Entity>(
            Permission::ManageAdministrativeUnits,
            id,
            "id",
            "subdistrict",
        )
        .await?;
    let scope = Scope::of_subdistrict(db, id).await?;
    let permit = uow.permit(Permission::ManageAdministrativeUnits, &scope)?;
    let mut am: subdistrict::ActiveModel = before.clone().into();
    if let Some(name) = name {
        let name = name.into_inner();
        am.name = Set(name);
    }
    if let Some(code) = code {
        am.code = Set(code);
    }
    if let Some(to) = district_id.filter(|to| before.district_id != Some(*to)) {
        uow.target::<district::Entity>(
            Permission::ManageAdministrativeUnits,
            to,
            "district_id",
            "district",
        )
        .await?;
        uow.permit(
            Permission::ManageAdministrativeUnits,
            &Scope::of_district(db, to).await?,
        )?;
        am.district_id = Set(Some(to));
    }
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::UpdateSubdistrict, "Subdistrict", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// Registers a community in a subdistrict.
pub async fn create_community(
    uow: &UnitOfWork<'_>,
    subdistrict_id: i64,
    name: Name,
) -> AppResult<community::Model> {
    let db = uow.db();
    uow.target::<subdistrict::Entity>(
        Permission::ManageAdministrativeUnits,
        subdistrict_id,
        "subdistrict_id",
        "subdistrict",
    )
    .await?;
    let scope = Scope::of_subdistrict(db, subdistrict_id).await?;
    let permit = uow.permit(Permission::ManageAdministrativeUnits, &scope)?;
    let name = name.into_inner();
    let m = community::ActiveModel {
        subdistrict_id: Set(subdistrict_id),
        name: Set(name),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let scope = Scope {
        community_id: Some(m.id),
        ..scope
    };
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreateCommunity, "Community", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// Renames a community.
pub async fn update_community(
    uow: &UnitOfWork<'_>,
    id: i64,
    name: Name,
) -> AppResult<community::Model> {
    let db = uow.db();
    let before = uow
        .target::<community::Entity>(Permission::ManageAdministrativeUnits, id, "id", "community")
        .await?;
    let scope = Scope::of_community(db, id).await?;
    let permit = uow.permit(Permission::ManageAdministrativeUnits, &scope)?;
    let name = name.into_inner();
    let mut am: community::ActiveModel = before.clone().into();
    am.name = Set(name);
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::UpdateCommunity, "Community", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// Draws a grid in a community.
pub async fn create_grid(
    uow: &UnitOfWork<'_>,
    community_id: i64,
    name: Name,
    code: Option<String>,
) -> AppResult<grid::Model> {
    let db = uow.db();
    uow.target::<community::Entity>(
        Permission::ManageAdministrativeUnits,
        community_id,
        "community_id",
        "community",
    )
    .await?;
    let scope = Scope::of_community(db, community_id).await?;
    let permit = uow.permit(Permission::ManageAdministrativeUnits, &scope)?;
    let name = name.into_inner();
    let m = grid::ActiveModel {
        community_id: Set(community_id),
        name: Set(name),
        code: Set(code),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreateGrid, "Grid", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// Renames a grid or changes its code.
pub async fn update_grid(
    uow: &UnitOfWork<'_>,
    id: i64,
    name: Option<Name>,
    code: Option<Option<String>>,
) -> AppResult<grid::Model> {
    let db = uow.db();
    let before = uow
        .target::<grid::Entity>(Permission::ManageAdministrativeUnits, id, "id", "grid")
        .await?;
    let scope = Scope::of_community(db, before.community_id).await?;
    let permit = uow.permit(Permission::ManageAdministrativeUnits, &scope)?;
    let mut am: grid::ActiveModel = before.clone().into();
    if let Some(name) = name {
        let name = name.into_inner();
        am.name = Set(name);
    }
    if let Some(code) = code {
        am.code = Set(code);
    }
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::UpdateGrid, "Grid", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// A new compound.
pub struct NewCompound {
    /// The community it lies in.
    pub community_id: i64,
    /// Its name.
    pub name: Name,
    /// Its kind.
    pub kind: CompoundKind,
    /// Its address.
    pub address: Option<String>,
}

/// Registers a compound in a community.
pub async fn create_compound(uow: &UnitOfWork<'_>, new: NewCompound) -> AppResult<compound::Model> {
    let db = uow.db();
    uow.target::<community::Entity>(
        Permission::ManageRegister,
        new.community_id,
        "community_id",
        "community",
    )
    .await?;
    let scope = Scope::of_community(db, new.community_id).await?;
    let permit = uow.permit(Permission::ManageRegister, &scope)?;
    let name = new.name.into_inner();
    let now = uow.now();
    let m = compound::ActiveModel {
        community_id: Set(new.community_id),
        name: Set(name),
        kind: Set(new.kind),
        address: Set(new.address),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let scope = Scope {
        compound_id: Some(m.id),
        ..scope
    };
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreateCompound, "Compound", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// Changes to a compound; `None` leaves a field as it is.
#[derive(Default)]
pub struct CompoundChanges {
    /// A new name.
    pub name: Option<Name>,
    /// A new kind.
    pub kind: Option<CompoundKind>,
    /// A new address (`Some(None)` clears it).
    pub address: Option<Option<String>>,
}

/// Changes a compound.
pub async fn update_compound(
    uow: &UnitOfWork<'_>,
    id: i64,
    changes: CompoundChanges,
) -> AppResult<compound::Model> {
    let db = uow.db();
    let before = uow
        .target::<compound::Entity>(Permission::ManageRegister, id, "id", "compound")
        .await?;
    let scope = Scope::of_compound(db, id).await?;
    let permit = uow.permit(Permission::ManageRegister, &scope)?;
    let mut am: compound::ActiveModel = before.clone().into();
    if let Some(name) = changes.name {
        let name = name.into_inner();
        am.name = Set(name);
    }
    if let Some(kind) = changes.kind {
        am.kind = Set(kind);
    }
    if let Some(address) = changes.address {
        am.address = Set(address);
    }
    am.updated_at = Set(uow.now());
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::UpdateCompound, "Compound", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// A building's fields; on update `None` leaves a field as it is.
#[derive(Default)]
pub struct BuildingFields {
    /// Its name or number.
    pub name: Option<Name>,
    /// Its kind.
    pub kind: Option<BuildingKind>,
    /// The grid that covers it (`Some(None)` detaches it).
    pub grid_id: Option<Option<i64>>,
    /// Its number of floors.
    pub floors: Option<Option<i32>>,
    /// The alley it stands on (bungalow areas).
    pub alley: Option<Option<String>>,
    /// Whether it is a rental building (its landlord must provide a building chief).
    pub is_rental: Option<bool>,
}

async fn check_building_fields(
    db: &impl ConnectionTrait,
    community_id: Option<i64>,
    fields: &BuildingFields,
) -> AppResult<()> {
    if let Some(Some(grid_id)) = fields.grid_id {
        let g = must_exist::<grid::Entity>(db, grid_id, "grid_id", "grid").await?;
        if Some(g.community_id) != community_id {
            return Err(AppError::invalid(
                "grid_id",
                UserErrorCode::Invalid,
                "the grid belongs to another community",
            ));
        }
    }
    if let Some(Some(floors)) = fields.floors
        && !(1..=200).contains(&floors)
    {
        return Err(AppError::invalid(
            "floors",
            UserErrorCode::OutOfRange,
            "a building has 1 to 200 floors",
        ));
    }
    Ok(())
}

/// Adds a building to a compound.
pub async fn create_building(
    uow: &UnitOfWork<'_>,
    compound_id: i64,
    fields: BuildingFields,
) -> AppResult<building::Model> {
    let db = uow.db();
    uow.target::<compound::Entity>(
        Permission::ManageRegister,
        compound_id,
        "compound_id",
        "compound",
    )
    .await?;
    let scope = Scope::of_compound(db, compound_id).await?;
    let permit = uow.permit(Permission::ManageRegister, &scope)?;
    let Some(name) = fields.name.clone() else {
        return Err(AppError::invalid(
            "name",
            UserErrorCode::Required,
            "a building needs a name",
        ));
    };
    check_building_fields(db, scope.community_id, &fields).await?;
    let m = building::ActiveModel {
        compound_id: Set(compound_id),
        grid_id: Set(fields.grid_id.flatten()),
        name: Set(name.into_inner()),
        kind: Set(fields.kind.unwrap_or(BuildingKind::Apartment)),
        floors: Set(fields.floors.flatten()),
        alley: Set(fields.alley.flatten()),
        is_rental: Set(fields.is_rental.unwrap_or(false)),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreateBuilding, "Building", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// Changes a building.
pub async fn update_building(
    uow: &UnitOfWork<'_>,
    id: i64,
    fields: BuildingFields,
) -> AppResult<building::Model> {
    let db = uow.db();
    let before = uow
        .target::<building::Entity>(Permission::ManageRegister, id, "id", "building")
        .await?;
    let scope = Scope::of_compound(db, before.compound_id).await?;
    let permit = uow.permit(Permission::ManageRegister, &scope)?;
    check_building_fields(db, scope.community_id, &fields).await?;
    let mut am: building::ActiveModel = before.clone().into();
    if let Some(name) = fields.name {
        am.name = Set(name.into_inner());
    }
    if let Some(kind) = fields.kind {
        am.kind = Set(kind);
    }
    if let Some(grid_id) = fields.grid_id {
        am.grid_id = Set(grid_id);
    }
    if let Some(floors) = fields.floors {
        am.floors = Set(floors);
    }
    if let Some(alley) = fields.alley {
        am.alley = Set(alley);
    }
    if let Some(is_rental) = fields.is_rental {
        am.is_rental = Set(is_rental);
    }
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::UpdateBuilding, "Building", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// Adds an entrance (unit stairwell) to a building, or renames one when `id` is given.
pub async fn save_entrance(
    uow: &UnitOfWork<'_>,
    building_id: Option<i64>,
    id: Option<i64>,
    name: Name,
) -> AppResult<entrance::Model> {
    let db = uow.db();
    let before = match id {
        Some(id) => Some(
            uow.target::<entrance::Entity>(Permission::ManageRegister, id, "id", "entrance")
                .await?,
        ),
        None => None,
    };
    let building_id = match (&before, building_id) {
        (Some(e), _) => e.building_id,
        (None, Some(b)) => {
            uow.target::<building::Entity>(Permission::ManageRegister, b, "building_id", "building")
                .await?
                .id
        }
        (None, None) => {
            return Err(AppError::invalid(
                "building_id",
                UserErrorCode::Required,
                "give the building",
            ));
        }
    };
    let scope = Scope::of_building(db, building_id).await?;
    let permit = uow.permit(Permission::ManageRegister, &scope)?;
    let name = name.into_inner();
    match before {
        None => {
            let m = entrance::ActiveModel {
                building_id: Set(building_id),
                name: Set(name),
                ..Default::default()
            }
            .insert(db)
            .await?;
            audit::created(
                uow,
                &permit,
                Subject::new(Operation::CreateEntrance, "Entrance", m.id, &scope),
                &m,
            )
            .await?;
            Ok(m)
        }
        Some(before) => {
            let mut am: entrance::ActiveModel = before.clone().into();
            am.name = Set(name);
            let after = am.update(db).await?;
            audit::updated(
                uow,
                &permit,
                Subject::new(Operation::UpdateEntrance, "Entrance", after.id, &scope),
                &before,
                &after,
            )
            .await?;
            Ok(after)
        }
    }
}

/// A dwelling's fields; on update `None` leaves a field as it is.
#[derive(Default)]
pub struct DwellingFields {
    /// The entrance it opens on (`Some(None)` for none).
    pub entrance_id: Option<Option<i64>>,
    /// Its floor.
    pub floor: Option<Option<i32>>,
    /// Its number, unique in the building.
    pub number: Option<Name>,
    /// Its registered exclusive area.
    pub exclusive_area: Option<Area>,
    /// Whether it is still the developer's (unsold or undelivered).
    pub developer_held: Option<bool>,
}

async fn check_dwelling_fields(
    db: &impl ConnectionTrait,
    b: &building::Model,
    fields: &DwellingFields,
) -> AppResult<()> {
    let entrance = match fields.entrance_id {
        Some(Some(entrance_id)) => {
            Some(must_exist::<entrance::Entity>(db, entrance_id, "entrance_id", "entrance").await?)
        }
        _ => None,
    };
    check_dwelling_facts(b, fields, entrance.as_ref())
}

/// The rules of a dwelling's fields in building `b`, given the entrance
/// its `entrance_id` names (already found). Whether its number is taken in
/// the building is the unique index's to say (`constraints`).
fn check_dwelling_facts(
    b: &building::Model,
    fields: &DwellingFields,
    entrance: Option<&entrance::Model>,
) -> AppResult<()> {
    if let Some(e) = entrance
        && e.building_id != b.id
    {
        return Err(AppError::invalid(
            "entrance_id",
            UserErrorCode::Invalid,
            "the entrance belongs to another building",
        ));
    }
    if let (Some(Some(floor)), Some(floors)) = (fields.floor, b.floors)
        && (floor == 0 || floor > floors || floor < -10)
    {
        return Err(AppError::invalid(
            "floor",
            UserErrorCode::OutOfRange,
            format!("the building has floors 1 to {floors} (and basements down to -10)"),
        ));
    }
    Ok(())
}

/// The number and area every new dwelling needs.
fn required_dwelling_fields(fields: &DwellingFields) -> AppResult<(Name, Area)> {
    match (fields.number.clone(), fields.exclusive_area) {
        (Some(number), Some(area)) => Ok((number, area)),
        _ => Err(AppError::Invalid(
            [
                fields.number.is_none().then(|| {
                    crate::error::FieldError::new(
                        "number",
                        UserErrorCode::Required,
                        "a dwelling needs a number",
                    )
                }),
                fields.exclusive_area.is_none().then(|| {
                    crate::error::FieldError::new(
                        "exclusive_area",
                        UserErrorCode::Required,
                        "a dwelling needs its exclusive area",
                    )
                }),
            ]
            .into_iter()
            .flatten()
            .collect(),
        )),
    }
}

/// The row of a new dwelling of `building_id`, its fields checked.
fn new_dwelling_row(
    building_id: i64,
    fields: &DwellingFields,
    number: Name,
    area: Area,
    now: chrono::DateTime<chrono::Utc>,
) -> dwelling::ActiveModel {
    dwelling::ActiveModel {
        building_id: Set(building_id),
        entrance_id: Set(fields.entrance_id.flatten()),
        floor: Set(fields.floor.flatten()),
        number: Set(number.into_inner()),
        exclusive_area_centi: Set(area.centi()),
        developer_held: Set(fields.developer_held.unwrap_or(false)),
        created_at: Set(now),
        ..Default::default()
    }
}

/// Registers a dwelling (an exclusive part) in a building.
pub async fn create_dwelling(
    uow: &UnitOfWork<'_>,
    building_id: i64,
    fields: DwellingFields,
) -> AppResult<dwelling::Model> {
    let db = uow.db();
    let b = uow
        .target::<building::Entity>(
            Permission::ManageRegister,
            building_id,
            "building_id",
            "building",
        )
        .await?;
    let scope = Scope::of_compound(db, b.compound_id).await?;
    let permit = uow.permit(Permission::ManageRegister, &scope)?;
    let (number, area) = required_dwelling_fields(&fields)?;
    check_dwelling_fields(db, &b, &fields).await?;
    let m = new_dwelling_row(building_id, &fields, number, area, uow.now())
        .insert(db)
        .await?;
    let scope = Scope {
        dwelling_id: Some(m.id),
        ..scope
    };
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreateDwelling, "Dwelling", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// Changes a dwelling.
pub async fn update_dwelling(
    uow: &UnitOfWork<'_>,
    id: i64,
    fields: DwellingFields,
) -> AppResult<dwelling::Model> {
    let db = uow.db();
    let before = uow
        .target::<dwelling::Entity>(Permission::ManageRegister, id, "id", "dwelling")
        .await?;
    let scope = Scope::of_dwelling(db, id).await?;
    let permit = uow.permit(Permission::ManageRegister, &scope)?;
    let b = must_exist::<building::Entity>(db, before.building_id, "id", "building").await?;
    check_dwelling_fields(db, &b, &fields).await?;
    let mut am: dwelling::ActiveModel = before.clone().into();
    if let Some(entrance_id) = fields.entrance_id {
        am.entrance_id = Set(entrance_id);
    }
    if let Some(floor) = fields.floor {
        am.floor = Set(floor);
    }
    if let Some(number) = fields.number {
        am.number = Set(number.into_inner());
    }
    if let Some(area) = fields.exclusive_area {
        am.exclusive_area_centi = Set(area.centi());
    }
    if let Some(held) = fields.developer_held {
        am.developer_held = Set(held);
    }
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::UpdateDwelling, "Dwelling", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}
