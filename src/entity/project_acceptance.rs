//! The `project_acceptance` table.

use crate::domain::kinds::AcceptanceOutcome;
use sea_orm::entity::prelude::*;

/// The party branch's acceptance record of a project: accepted, or sent back.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "project_acceptance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub round: i32,
    pub outcome: AcceptanceOutcome,
    pub summary: String,
    pub ratings: i32,
    pub stars_total: i32,
    pub recorded_on: chrono::NaiveDate,
    pub recorded_by: i64,
    pub recorded_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
