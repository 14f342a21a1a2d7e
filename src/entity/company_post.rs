//! The `company_post` table.

use crate::domain::kinds::CompanyPostKind;
use sea_orm::entity::prelude::*;

/// A post a person holds in a property company over an inclusive term: its head, a compound's project lead (`compound_id` set), or its management.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "company_post")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub person_id: i64,
    pub post: CompanyPostKind,
    pub compound_id: Option<i64>,
    pub title: Option<String>,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: Option<chrono::NaiveDate>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::property_company::Entity",
        from = "Column::CompanyId",
        to = "super::property_company::Column::Id",
        on_delete = "Restrict"
    )]
    PropertyCompany,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id",
        on_delete = "Restrict"
    )]
    Person,
    #[sea_orm(
        belongs_to = "super::compound::Entity",
        from = "Column::CompoundId",
        to = "super::compound::Column::Id",
        on_delete = "Restrict"
    )]
    Compound,
}

impl Related<super::property_company::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PropertyCompany.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl Related<super::compound::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Compound.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
