//! The `rectification` table.

use crate::domain::kinds::{RectificationOutcome, RectificationStatus};
use sea_orm::entity::prelude::*;

/// The rectification (整改) a revocation opens, closed by re-evaluation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "rectification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The revoked title.
    pub title_id: i64,
    pub compound_id: Option<i64>,
    pub community_id: i64,
    /// Why the title was revoked: what is below the standard.
    pub reason: String,
    /// The day the plan is due by.
    pub deadline: chrono::NaiveDate,
    pub status: RectificationStatus,
    /// The holder's rectification plan.
    pub plan: Option<String>,
    pub plan_by: Option<i64>,
    pub plan_at: Option<DateTimeUtc>,
    pub outcome: Option<RectificationOutcome>,
    /// What the re-evaluation found.
    pub findings: Option<String>,
    /// The re-evaluation's total against the title's rubric, if scored.
    pub score: Option<i32>,
    /// The title restored by the re-evaluation.
    pub restored_title_id: Option<i64>,
    pub reevaluated_by: Option<i64>,
    pub reevaluated_at: Option<DateTimeUtc>,
    pub opened_by: i64,
    pub opened_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
