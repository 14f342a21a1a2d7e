//! The `objection` table.

use sea_orm::entity::prelude::*;

/// A resident's objection to a publication during its publicity period.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "objection")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub publication_id: i64,
    pub compound_id: i64,
    pub person_id: i64,
    pub account_id: i64,
    pub text: String,
    pub lodged_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
