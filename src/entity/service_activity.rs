//! The `service_activity` table.

use sea_orm::entity::prelude::*;

/// One record of a service team's activity log. A correction is a new row
/// whose `corrects_id` names the original entry; the newest row of an entry
/// stands, and a withdrawn one takes the entry out of the figures.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "service_activity")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub team_id: i64,
    pub held_on: chrono::NaiveDate,
    pub title: String,
    pub description: String,
    pub participant_count: i32,
    pub service_minutes: Option<i32>,
    pub withdrawn: bool,
    pub corrects_id: Option<i64>,
    pub correction_reason: Option<String>,
    pub recorded_by: i64,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
