//! The `standing_ballot` table.

use crate::domain::kinds::BallotChoice;
use sea_orm::entity::prelude::*;

/// A counted owner's standing ballot: one row per owner who has cast one,
/// replaced, with the ballot that supersedes it, in the same transaction;
/// with the ballot's choice and the owner's area, which the tally sums.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "standing_ballot")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub voter_id: i64,
    pub vote_id: i64,
    pub ballot_id: i64,
    pub choice: BallotChoice,
    pub area_centi: i64,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
