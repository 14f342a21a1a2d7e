//! The `rubric_indicator` table.

use sea_orm::entity::prelude::*;

/// An indicator of a rubric aspect (指标): what is scored, up to its maximum.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "rubric_indicator")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub version_id: i64,
    pub aspect_id: i64,
    pub position: i32,
    pub title: String,
    pub guidance: String,
    pub max_score: i32,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
