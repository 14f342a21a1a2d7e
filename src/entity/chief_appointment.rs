//! The `chief_appointment` table.

use crate::domain::kinds::{ChiefEmployment, ChiefLevel, ChiefProvider};
use sea_orm::entity::prelude::*;

/// A person's appointment to a position of the chain of chiefs (五级五长) over a scope; `duties` is a bit set of `Duty`;
/// employment and provider are null for appointments made before they were recorded.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "chief_appointment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub level: ChiefLevel,
    pub person_id: i64,
    pub community_id: i64,
    pub grid_id: Option<i64>,
    pub compound_id: Option<i64>,
    pub building_id: Option<i64>,
    pub floor_from: Option<i32>,
    pub floor_to: Option<i32>,
    pub scope_label: Option<String>,
    pub contact_phone: String,
    pub duties: i32,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: Option<chrono::NaiveDate>,
    pub created_at: DateTimeUtc,
    pub employment: Option<ChiefEmployment>,
    pub provider_kind: Option<ChiefProvider>,
    pub provider_company_id: Option<i64>,
    pub provider_name: Option<String>,
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
        belongs_to = "super::community::Entity",
        from = "Column::CommunityId",
        to = "super::community::Column::Id",
        on_delete = "Restrict"
    )]
    Community,
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl Related<super::community::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Community.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
