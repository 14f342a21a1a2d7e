//! The `notice` table.

use crate::domain::kinds::NoticePublisher;
use sea_orm::entity::prelude::*;

/// A notice (公告) published to a compound's residents by one of its three parties.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "notice")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub publisher: NoticePublisher,
    pub title: String,
    pub body: String,
    pub pinned: bool,
    pub expires_on: Option<chrono::NaiveDate>,
    pub published_by: i64,
    pub published_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
