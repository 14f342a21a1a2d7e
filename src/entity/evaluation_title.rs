//! The `evaluation_title` table.

use crate::domain::kinds::{EvaluationLevel, TitleKind, TitleStatus};
use sea_orm::entity::prelude::*;

/// A title (称号) held, or once held, by a compound or a community.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "evaluation_title")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: TitleKind,
    pub level: EvaluationLevel,
    pub year: i32,
    /// The compound holding it; empty for a community's title.
    pub compound_id: Option<i64>,
    /// The community holding it, or the holding compound's community.
    pub community_id: i64,
    /// The campaign that awarded it; empty for a recorded community title.
    pub campaign_id: Option<i64>,
    /// The entry that won it.
    pub entry_id: Option<i64>,
    pub status: TitleStatus,
    pub note: Option<String>,
    pub awarded_by: i64,
    pub awarded_at: DateTimeUtc,
    pub revoked_by: Option<i64>,
    pub revoked_at: Option<DateTimeUtc>,
    pub revocation_reason: Option<String>,
    /// Who filed it at city level (备案), for a district-assessed epidemic-free title.
    pub filed_by: Option<i64>,
    pub filed_at: Option<DateTimeUtc>,
    /// The revoked title this one restores after rectification.
    pub restores_id: Option<i64>,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
