//! The `project` table.

use crate::domain::kinds::ProjectStatus;
use sea_orm::entity::prelude::*;

/// A people's-small-things project (民生微实事) of one compound, in its current status.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "project")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub community_id: i64,
    pub year: i32,
    pub title: String,
    pub description: String,
    pub estimated_cost_fen: i64,
    pub status: ProjectStatus,
    pub proposed_by_person_id: i64,
    pub proposed_by: i64,
    pub proposed_at: DateTimeUtc,
    pub council_matter_id: Option<i64>,
    pub decided_on: Option<chrono::NaiveDate>,
    pub rejection_reason: Option<String>,
    pub implementer: Option<String>,
    pub contractor: Option<String>,
    pub status_changed_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
