//! The `project_update_photo` table.

use sea_orm::entity::prelude::*;

/// A photo of a progress update.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "project_update_photo")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub update_id: i64,
    pub attachment_id: i64,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
