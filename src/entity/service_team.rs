//! The `service_team` table.

use crate::domain::kinds::ServiceTeamKind;
use sea_orm::entity::prelude::*;

/// A volunteer or service team (服务队伍) of exactly one compound or one
/// community, existing from `founded_on` to `disbanded_on` (inclusive).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "service_team")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: Option<i64>,
    pub community_id: Option<i64>,
    pub name: String,
    pub kind: ServiceTeamKind,
    pub description: String,
    pub founded_on: chrono::NaiveDate,
    pub disbanded_on: Option<chrono::NaiveDate>,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
