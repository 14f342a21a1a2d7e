//! The `responsibility_list_version` table.

use sea_orm::entity::prelude::*;

/// One published version of a responsibility list, in force from `published_on` until the next version's date; never updated.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "responsibility_list_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique_key = "uq_responsibility_list_version_list_id_number")]
    pub list_id: i64,
    #[sea_orm(unique_key = "uq_responsibility_list_version_list_id_number")]
    pub number: i32,
    pub title: String,
    pub note: Option<String>,
    pub published_on: chrono::NaiveDate,
    pub published_by: i64,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
