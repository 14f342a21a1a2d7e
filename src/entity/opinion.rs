//! The `opinion` table.

use crate::domain::kinds::OpinionStatus;
use sea_orm::entity::prelude::*;

/// A resident's opinion (社情民意) about their compound, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "opinion")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub building_id: Option<i64>,
    pub person_id: Option<i64>,
    pub text: String,
    pub status: OpinionStatus,
    pub recorded_by: i64,
    pub recorded_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
