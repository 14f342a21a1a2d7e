//! The `patrol_item` table.

use crate::domain::kinds::PatrolKind;
use sea_orm::entity::prelude::*;

/// An item of the patrol catalogue (综合巡查 or 定点巡查) of a district.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "patrol_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub kind: PatrolKind,
    pub name: String,
    pub guidance: String,
    pub fixed_place: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
