//! The `rubric_version` table.

use crate::domain::kinds::RubricStatus;
use sea_orm::entity::prelude::*;

/// One version of a rubric: a draft, or published and never changed again.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "rubric_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub rubric_id: i64,
    pub number: i32,
    pub name: String,
    pub note: Option<String>,
    pub example: bool,
    pub status: RubricStatus,
    /// The sum of its indicators' maximum scores.
    pub max_total: i32,
    /// Empty for the rubrics the product ships.
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub published_by: Option<i64>,
    pub published_at: Option<DateTimeUtc>,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
