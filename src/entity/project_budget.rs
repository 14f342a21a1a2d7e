//! The `project_budget` table.

use sea_orm::entity::prelude::*;

/// A recorded decision on a project's budget; the newest stands.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "project_budget")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub amount_fen: i64,
    pub reason: String,
    pub council_matter_id: Option<i64>,
    pub decided_on: chrono::NaiveDate,
    pub recorded_by: i64,
    pub recorded_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
