//! The `self_inspection_finding` table.

use sea_orm::entity::prelude::*;

/// One finding of a self-inspection, and when it was fixed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "self_inspection_finding")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub position: i32,
    /// The indicator it concerns, for an inspection against a rubric.
    pub indicator_id: Option<i64>,
    pub finding: String,
    pub fixed_on: Option<chrono::NaiveDate>,
    pub fix_note: Option<String>,
    pub fixed_by: Option<i64>,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
