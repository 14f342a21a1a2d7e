//! The `score_sheet` table.

use crate::domain::kinds::ScoreSheetStatus;
use sea_orm::entity::prelude::*;

/// One evaluator's score sheet for one entry: a draft, or submitted and locked.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "score_sheet")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    pub entry_id: i64,
    pub assignment_id: i64,
    /// The evaluator's account.
    pub account_id: i64,
    /// 1 for the first sheet of the assignment, then one more for each correction.
    pub number: i32,
    pub status: ScoreSheetStatus,
    /// The submitted sheet this one corrects.
    pub corrects_id: Option<i64>,
    /// Why the correction was made.
    pub correction_reason: Option<String>,
    /// The sum of its lines' points.
    pub total: i32,
    pub created_at: DateTimeUtc,
    pub saved_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
