//! The `joint_action` table.

use sea_orm::entity::prelude::*;

/// A joint rectification action (联合整治行动) grouping grid events of a subdistrict.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "joint_action")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub subdistrict_id: i64,
    pub title: String,
    pub description: String,
    pub lead_handler_id: Option<i64>,
    pub starts_on: chrono::NaiveDate,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
