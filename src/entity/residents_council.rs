//! The `residents_council` table.

use crate::domain::kinds::CouncilRule;
use sea_orm::entity::prelude::*;

/// A compound's residents' council (居民议事会) and the voting rule of its resolutions.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "residents_council")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub name: String,
    pub rule: CouncilRule,
    pub representatives: i32,
    pub publicity_days: i32,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
