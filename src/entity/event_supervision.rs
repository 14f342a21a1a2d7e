//! The `event_supervision` table.

use sea_orm::entity::prelude::*;

/// Supervision (督办) of a grid event escalated at its fourth failed check: a deadline, and a mark on the handler's record.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "event_supervision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub handler_id: i64,
    pub subdistrict_id: i64,
    pub community_id: i64,
    pub opened_at: DateTimeUtc,
    pub deadline: chrono::NaiveDate,
    pub closed_at: Option<DateTimeUtc>,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
