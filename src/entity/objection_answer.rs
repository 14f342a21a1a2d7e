//! The `objection_answer` table.

use sea_orm::entity::prelude::*;

/// An answer to an objection; a later answer supersedes an earlier one.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "objection_answer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub objection_id: i64,
    pub text: String,
    pub answered_by: i64,
    pub answered_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
