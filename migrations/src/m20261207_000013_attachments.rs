//! Attachments: photos and documents uploaded once and referenced by the
//! records that need them (a project's progress photos first, evaluation
//! evidence and grid-event photos later).
//!
//! A row describes one upload: who uploaded it, when, what it claims to be
//! and what its bytes were found to be (the content type read from the
//! magic bytes, the size and the SHA-256). The bytes live in the object
//! store under a key made of the digest, so they can never be replaced by
//! other bytes under the same row; the table has no column that says where
//! else they could be. Each upload belongs to a community, and to a
//! compound when it concerns one: that is the scope its readers are
//! decided by.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, string, string_len, timestamp_with_time_zone,
};

use crate::builder::{TableDef, create_tables, drop_tables, kind};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_tables(manager, tables()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, tables()).await
    }
}

fn tables() -> Vec<TableDef> {
    vec![
        TableDef::new("attachment")
            .col(big_integer("community_id"))
            .col(big_integer_null("compound_id"))
            .col(kind("purpose"))
            .col(string("file_name"))
            .col(string_len("content_type", 100))
            .col(big_integer("size_bytes"))
            .col(string_len("sha256", 64))
            .col(string("storage_key"))
            .col(big_integer("uploaded_by"))
            .col(timestamp_with_time_zone("uploaded_at"))
            .fk("community_id", "community")
            .fk("compound_id", "compound")
            .fk("uploaded_by", "account")
            .index(&["sha256"])
            .check("size", Expr::col("size_bytes").gt(0)),
    ]
}
