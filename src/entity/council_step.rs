//! The `council_step` table.

use crate::domain::kinds::{CouncilRule, CouncilStepKind, StepOutcome};
use sea_orm::entity::prelude::*;

/// One recorded step of a council matter; a correction points at the step it corrects.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "council_step")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub matter_id: i64,
    pub compound_id: i64,
    pub step: CouncilStepKind,
    pub held_on: chrono::NaiveDate,
    pub body: String,
    pub attendance: String,
    pub present: Option<i32>,
    pub minutes: Option<String>,
    pub outcome: StepOutcome,
    pub representatives: Option<i32>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub votes_abstain: Option<i32>,
    pub rule: Option<CouncilRule>,
    pub corrects_id: Option<i64>,
    pub recorded_by: i64,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
