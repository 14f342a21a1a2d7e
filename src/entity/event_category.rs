//! The `event_category` table.

use sea_orm::entity::prelude::*;

/// A category of grid events of a district, on its published list of small events (微小事件) or not.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "event_category")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub name: String,
    pub small: bool,
    pub supervision_days: i32,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
