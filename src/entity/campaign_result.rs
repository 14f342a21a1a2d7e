//! The `campaign_result` table.

use sea_orm::entity::prelude::*;

/// An entry's result, written once when its campaign leaves evaluation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "campaign_result")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    pub entry_id: i64,
    /// Its place in the ranking; empty for an entry no evaluator scored.
    pub rank: Option<i32>,
    /// Evaluators whose submitted sheet stands.
    pub sheets: i32,
    /// Of those, the totals the aggregation rule counts.
    pub counted: i32,
    /// The sum of the counted totals.
    pub counted_points: i64,
    /// The score, in hundredths of a point (rounded half up).
    pub score_centi: Option<i32>,
    pub lowest_total: Option<i32>,
    pub highest_total: Option<i32>,
    pub selected: bool,
    pub singled_out: bool,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
