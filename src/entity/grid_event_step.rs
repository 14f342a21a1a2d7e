//! The `grid_event_step` table.

use crate::domain::kinds::{GridEventAction, GridEventStatus};
use sea_orm::entity::prelude::*;

/// One move of a grid event, with the handler it was with.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "grid_event_step")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub action: GridEventAction,
    pub from_status: GridEventStatus,
    pub to_status: GridEventStatus,
    pub handler_id: Option<i64>,
    pub note: String,
    pub recorded_by: i64,
    pub recorded_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
