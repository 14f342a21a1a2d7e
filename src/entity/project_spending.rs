//! The `project_spending` table.

use sea_orm::entity::prelude::*;

/// One spending entry of a project, in fen.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "project_spending")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub amount_fen: i64,
    pub spent_on: chrono::NaiveDate,
    pub description: String,
    pub recorded_by: i64,
    pub recorded_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
