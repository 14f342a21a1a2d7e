//! The `evaluator_assignment` table.

use sea_orm::entity::prelude::*;

/// An evaluator assigned to score one entry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "evaluator_assignment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    pub entry_id: i64,
    /// The evaluator's account.
    pub account_id: i64,
    /// The evaluator's person, whose ties were checked.
    pub person_id: i64,
    pub assigned_by: i64,
    pub assigned_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
