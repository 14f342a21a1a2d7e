//! The `attachment` table.

use crate::domain::kinds::AttachmentPurpose;
use sea_orm::entity::prelude::*;

/// One uploaded file: what it was found to be, its digest, and the key of
/// its bytes in the object store (made of the digest, so never replaced).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "attachment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub community_id: i64,
    pub compound_id: Option<i64>,
    pub purpose: AttachmentPurpose,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: i64,
    pub uploaded_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
