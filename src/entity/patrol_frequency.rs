//! The `patrol_frequency` table.

use crate::domain::kinds::{PatrolPeriod, Season};
use sea_orm::entity::prelude::*;

/// How often a patrol item is patrolled in a season; the newest row for a season stands.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "patrol_frequency")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub patrol_item_id: i64,
    pub season: Season,
    pub times: i32,
    pub period: PatrolPeriod,
    pub set_by: i64,
    pub set_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
