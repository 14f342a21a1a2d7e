//! The `opinion_answer` table.

use sea_orm::entity::prelude::*;

/// An answer to an opinion; the newest stands.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "opinion_answer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub opinion_id: i64,
    pub text: String,
    pub answered_by: i64,
    pub answered_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
