//! The `evaluation_campaign` table.

use crate::domain::kinds::{
    AggregationRule, CampaignPhase, EligibilityRule, EvaluationKind, EvaluationLevel,
};
use sea_orm::entity::prelude::*;

/// An evaluation campaign (评选): one kind of title, at one level, for one year.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "evaluation_campaign")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub kind: EvaluationKind,
    pub level: EvaluationLevel,
    pub year: i32,
    /// The district of a county-level campaign; empty for city and province ones.
    pub district_id: Option<i64>,
    /// The published rubric version it pins.
    pub rubric_version_id: i64,
    /// How many entries it selects (e.g. 100).
    pub quota: i32,
    /// How many of the selected it singles out (the top N), at most the quota.
    pub single_out: i32,
    pub aggregation: AggregationRule,
    pub eligibility: EligibilityRule,
    pub phase: CampaignPhase,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub phase_changed_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
