//! The `vote_result` table.

use crate::domain::kinds::VoteRule;
use sea_orm::entity::prelude::*;

/// The result of a closed vote and the basis it was computed on.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "vote_result")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vote_id: i64,
    pub total_area_centi: i64,
    pub total_heads: i32,
    pub participating_area_centi: i64,
    pub participating_heads: i32,
    pub agree_area_centi: i64,
    pub agree_heads: i32,
    pub disagree_area_centi: i64,
    pub disagree_heads: i32,
    pub abstain_area_centi: i64,
    pub abstain_heads: i32,
    pub quorum_met: bool,
    pub adopted: bool,
    pub rule: VoteRule,
    pub closed_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
