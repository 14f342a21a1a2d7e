//! The `ballot` table.

use crate::domain::kinds::BallotChoice;
use sea_orm::entity::prelude::*;

/// A ballot; a changed ballot is a new row superseding the previous one.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "ballot")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vote_id: i64,
    pub voter_id: i64,
    pub choice: BallotChoice,
    pub cast_by_person_id: Option<i64>,
    pub recorded_by: i64,
    pub paper: bool,
    pub supersedes_id: Option<i64>,
    pub cast_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
