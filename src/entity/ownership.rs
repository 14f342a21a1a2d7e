//! The `ownership` table.

use sea_orm::entity::prelude::*;

/// A person owning a dwelling over the inclusive term `starts_on ..= ends_on`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "ownership")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub dwelling_id: i64,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: Option<chrono::NaiveDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id",
        on_delete = "Restrict"
    )]
    Person,
    #[sea_orm(
        belongs_to = "super::dwelling::Entity",
        from = "Column::DwellingId",
        to = "super::dwelling::Column::Id",
        on_delete = "Restrict"
    )]
    Dwelling,
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl Related<super::dwelling::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Dwelling.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
