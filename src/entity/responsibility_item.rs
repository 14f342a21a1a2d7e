//! The `responsibility_item` table.

use crate::domain::kinds::DutyField;
use sea_orm::entity::prelude::*;

/// One duty of a version of a responsibility list, in its field, at its position (from 1).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "responsibility_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique_key = "uq_responsibility_item_version_id_position")]
    pub version_id: i64,
    #[sea_orm(unique_key = "uq_responsibility_item_version_id_position")]
    pub position: i32,
    pub field: DutyField,
    pub text: String,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
