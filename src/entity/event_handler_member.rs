//! The `event_handler_member` table.

use sea_orm::entity::prelude::*;

/// An account acting for an event handler, from when it was added until removed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "event_handler_member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub handler_id: i64,
    pub account_id: i64,
    pub added_by: i64,
    pub added_at: DateTimeUtc,
    pub removed_at: Option<DateTimeUtc>,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
