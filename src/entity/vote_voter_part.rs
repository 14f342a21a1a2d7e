//! The `vote_voter_part` table.

use sea_orm::entity::prelude::*;

/// A dwelling of a counted owner on a vote's register, with its exclusive area on the day the vote opened.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "vote_voter_part")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vote_id: i64,
    pub voter_id: i64,
    pub dwelling_id: i64,
    pub area_centi: i64,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
