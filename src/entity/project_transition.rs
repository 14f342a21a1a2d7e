//! The `project_transition` table.

use crate::domain::kinds::ProjectStatus;
use sea_orm::entity::prelude::*;

/// One move of a project from one status to the next: who, when, why.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "project_transition")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub from_status: ProjectStatus,
    pub to_status: ProjectStatus,
    pub note: String,
    pub recorded_by: i64,
    pub recorded_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
