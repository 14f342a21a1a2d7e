//! The `building` table.

use crate::domain::kinds::BuildingKind;
use sea_orm::entity::prelude::*;

/// A building-level unit of a compound: an apartment building, a courtyard or a block of shops.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "building")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique_key = "uq_building_compound_id_name")]
    pub compound_id: i64,
    pub grid_id: Option<i64>,
    #[sea_orm(unique_key = "uq_building_compound_id_name")]
    pub name: String,
    pub kind: BuildingKind,
    pub floors: Option<i32>,
    pub alley: Option<String>,
    pub is_rental: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::compound::Entity",
        from = "Column::CompoundId",
        to = "super::compound::Column::Id",
        on_delete = "Restrict"
    )]
    Compound,
    #[sea_orm(
        belongs_to = "super::grid::Entity",
        from = "Column::GridId",
        to = "super::grid::Column::Id",
        on_delete = "Restrict"
    )]
    Grid,
    #[sea_orm(has_many = "super::entrance::Entity")]
    Entrance,
    #[sea_orm(has_many = "super::dwelling::Entity")]
    Dwelling,
}

impl Related<super::compound::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Compound.def()
    }
}

impl Related<super::grid::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Grid.def()
    }
}

impl Related<super::entrance::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Entrance.def()
    }
}

impl Related<super::dwelling::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Dwelling.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
