//! The `assembly_vote` table.

use crate::domain::kinds::{ArticleMatter, VoteStatus};
use sea_orm::entity::prelude::*;

/// An owners' assembly vote on one matter of Civil Code art. 278, with its fixed register totals.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "assembly_vote")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub matter: ArticleMatter,
    pub title: String,
    pub description: String,
    pub status: VoteStatus,
    pub total_area_centi: i64,
    pub total_heads: i32,
    pub opened_at: DateTimeUtc,
    pub opened_by: i64,
    pub closes_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub closed_by: Option<i64>,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
