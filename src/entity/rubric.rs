//! The `rubric` table.

use crate::domain::kinds::EvaluationKind;
use sea_orm::entity::prelude::*;

/// An evaluation rubric (评价标准), named by a stable code; its content is in its versions.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "rubric")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub kind: EvaluationKind,
    /// Empty for the rubrics the product ships.
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
