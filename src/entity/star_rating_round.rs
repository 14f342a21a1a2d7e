//! The `star_rating_round` table.

use crate::domain::kinds::StarRoundStatus;
use sea_orm::entity::prelude::*;

/// One subdistrict's quarterly star rating (星级评定、每季评比).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "star_rating_round")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub subdistrict_id: i64,
    pub year: i32,
    /// 1 to 4.
    pub quarter: i32,
    /// The most stars a compound may get: the configured scale when the round opened.
    pub scale: i32,
    /// How many at the bottom of the ranking the notice names.
    pub bottom_count: i32,
    pub status: StarRoundStatus,
    pub opened_by: i64,
    pub opened_at: DateTimeUtc,
    pub published_by: Option<i64>,
    pub published_at: Option<DateTimeUtc>,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
