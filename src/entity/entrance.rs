//! The `entrance` table.

use sea_orm::entity::prelude::*;

/// An entrance (单元) of an apartment building.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "entrance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique_key = "uq_entrance_building_id_name")]
    pub building_id: i64,
    #[sea_orm(unique_key = "uq_entrance_building_id_name")]
    pub name: String,
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
    #[sea_orm(has_many = "super::dwelling::Entity")]
    Dwelling,
}

impl Related<super::building::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Building.def()
    }
}

impl Related<super::dwelling::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Dwelling.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
