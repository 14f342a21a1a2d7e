//! The `district` table.

use sea_orm::entity::prelude::*;

/// A district (区), the administrative unit above subdistricts.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "district")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    pub code: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::subdistrict::Entity")]
    Subdistrict,
}

impl Related<super::subdistrict::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subdistrict.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
