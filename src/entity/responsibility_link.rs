//! The `responsibility_link` table.

use sea_orm::entity::prelude::*;

/// A party linked to the responsibility list of its kind: exactly one of a property company, a rental building, a shop, a building chief's appointment or a named party.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "responsibility_link")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub list_id: i64,
    pub property_company_id: Option<i64>,
    pub building_id: Option<i64>,
    pub dwelling_id: Option<i64>,
    pub chief_appointment_id: Option<i64>,
    pub party_name: Option<String>,
    pub linked_by: i64,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
