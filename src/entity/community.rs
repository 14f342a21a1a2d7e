//! The `community` table.

use sea_orm::entity::prelude::*;

/// A community (社区) of a subdistrict.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "community")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique_key = "uq_community_subdistrict_id_name")]
    pub subdistrict_id: i64,
    #[sea_orm(unique_key = "uq_community_subdistrict_id_name")]
    pub name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::subdistrict::Entity",
        from = "Column::SubdistrictId",
        to = "super::subdistrict::Column::Id",
        on_delete = "Restrict"
    )]
    Subdistrict,
    #[sea_orm(has_many = "super::grid::Entity")]
    Grid,
    #[sea_orm(has_many = "super::compound::Entity")]
    Compound,
    #[sea_orm(has_many = "super::person::Entity")]
    Person,
    #[sea_orm(has_many = "super::chief_appointment::Entity")]
    ChiefAppointment,
}

impl Related<super::subdistrict::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subdistrict.def()
    }
}

impl Related<super::grid::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Grid.def()
    }
}

impl Related<super::compound::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Compound.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl Related<super::chief_appointment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChiefAppointment.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
