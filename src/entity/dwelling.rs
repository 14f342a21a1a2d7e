//! The `dwelling` table.

use sea_orm::entity::prelude::*;

/// A dwelling or shop (房屋) of a building; its area is in hundredths of a square metre.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "dwelling")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique_key = "uq_dwelling_building_id_number")]
    pub building_id: i64,
    pub entrance_id: Option<i64>,
    pub floor: Option<i32>,
    #[sea_orm(unique_key = "uq_dwelling_building_id_number")]
    pub number: String,
    pub exclusive_area_centi: i64,
    pub developer_held: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::building::Entity",
        from = "Column::BuildingId",
        to = "super::building::Column::Id",
        on_delete = "Restrict"
    )]
    Building,
    #[sea_orm(
        belongs_to = "super::entrance::Entity",
        from = "Column::EntranceId",
        to = "super::entrance::Column::Id",
        on_delete = "Restrict"
    )]
    Entrance,
    #[sea_orm(has_many = "super::residency::Entity")]
    Residency,
    #[sea_orm(has_many = "super::ownership::Entity")]
    Ownership,
}

impl Related<super::building::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Building.def()
    }
}

impl Related<super::entrance::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Entrance.def()
    }
}

impl Related<super::residency::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Residency.def()
    }
}

impl Related<super::ownership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Ownership.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
