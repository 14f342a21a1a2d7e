//! The `grid_event` table.

use crate::domain::kinds::{EventProcedure, EventUrgency, GridEventStatus};
use sea_orm::entity::prelude::*;

/// A grid event (微小事件) as it stands: reported in a grid, dispatched, handled, checked.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "grid_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub grid_id: i64,
    pub community_id: i64,
    pub subdistrict_id: i64,
    pub compound_id: Option<i64>,
    pub building_id: Option<i64>,
    pub dwelling_id: Option<i64>,
    pub place: Option<String>,
    pub category_id: i64,
    pub patrol_item_id: Option<i64>,
    pub procedure: EventProcedure,
    pub urgency: EventUrgency,
    pub description: String,
    pub status: GridEventStatus,
    pub handler_id: Option<i64>,
    pub responsible_party: Option<String>,
    pub fast_report_handler_id: Option<i64>,
    pub failed_checks: i32,
    pub reported_by: i64,
    pub reported_at: DateTimeUtc,
    pub dispatched_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub status_changed_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
