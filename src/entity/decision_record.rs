//! The `decision_record` table.

use sea_orm::entity::prelude::*;

/// A link of a compound's hash chain over its decision records.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "decision_record")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub seq: i64,
    pub kind: String,
    pub ref_id: i64,
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
