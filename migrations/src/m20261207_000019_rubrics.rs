//! Evaluation rubrics as data (评价标准): a rubric has aspects, each aspect
//! indicators, each indicator a maximum score and guidance for evaluators.
//!
//! A rubric is named by a stable code and keeps every version. A version is
//! saved as a draft, whose content may be replaced, and then published:
//! from then on it never changes, and campaigns pin it. At most one draft
//! is open per rubric; versions are numbered from 1 (unique per rubric).
//! The rubrics the product ships are installed with no account behind
//! them (`created_by` and `published_by` empty); every other version names
//! who saved and published it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, integer, string, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
};

use crate::builder::{TableDef, create_tables, drop_tables, flag, kind};

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

/// Every table, parents before children.
fn tables() -> Vec<TableDef> {
    vec![
        TableDef::new("rubric")
            .col(string("code"))
            .col(kind("kind"))
            .col(big_integer_null("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("created_by", "account")
            .unique(&["code"]),
        TableDef::new("rubric_version")
            .col(big_integer("rubric_id"))
            .col(integer("number"))
            .col(string("name"))
            .col(text_null("note"))
            .col(flag("example"))
            .col(kind("status"))
            .col(integer("max_total"))
            .col(big_integer_null("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .col(big_integer_null("published_by"))
            .col(timestamp_with_time_zone_null("published_at"))
            .fk("rubric_id", "rubric")
            .fk("created_by", "account")
            .fk("published_by", "account")
            .unique(&["rubric_id", "number"])
            .check("number_positive", Expr::col("number").gt(0))
            .check("max_total_positive", Expr::col("max_total").gt(0)),
        TableDef::new("rubric_aspect")
            .col(big_integer("version_id"))
            .col(integer("position"))
            .col(string("title"))
            .col(text("description"))
            .fk("version_id", "rubric_version")
            .unique(&["version_id", "position"]),
        TableDef::new("rubric_indicator")
            .col(big_integer("version_id"))
            .col(big_integer("aspect_id"))
            .col(integer("position"))
            .col(string("title"))
            .col(text("guidance"))
            .col(integer("max_score"))
            .fk("version_id", "rubric_version")
            .fk("aspect_id", "rubric_aspect")
            .unique(&["aspect_id", "position"])
            .check("max_score_positive", Expr::col("max_score").gt(0)),
    ]
}
