//! The `self_inspection` table.

use sea_orm::entity::prelude::*;

/// A compound's self-inspection (自查自纠) against a rubric version or a free checklist.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "self_inspection")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    /// The rubric version checked against; empty for a free checklist.
    pub rubric_version_id: Option<i64>,
    pub title: String,
    pub inspected_on: chrono::NaiveDate,
    pub recorded_by: i64,
    pub recorded_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
