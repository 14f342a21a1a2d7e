//! The `publication` table.

use crate::domain::kinds::PublicationKind;
use sea_orm::entity::prelude::*;

/// A publication (公示) to a compound's residents; a correction points at what it corrects.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "publication")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub matter_id: Option<i64>,
    pub vote_id: Option<i64>,
    pub kind: PublicationKind,
    pub title: String,
    pub body: String,
    pub published_on: chrono::NaiveDate,
    pub publicity_ends_on: chrono::NaiveDate,
    pub corrects_id: Option<i64>,
    pub published_by: i64,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
