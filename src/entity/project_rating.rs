//! The `project_rating` table.

use sea_orm::entity::prelude::*;

/// A resident's rating of a delivered project in one round of acceptance,
/// once per person and round.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "project_rating")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub person_id: i64,
    pub round: i32,
    pub account_id: i64,
    pub stars: i32,
    pub comment: String,
    pub rated_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
