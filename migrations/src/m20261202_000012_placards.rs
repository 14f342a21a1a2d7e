//! The responsibility placard (责任牌 / 亮牌): for a compound, postings that
//! name the three responsible persons (小区责任人, 社区责任人, 小区管理责任人),
//! each with the title and the public contact shown on the placard.
//!
//! A posting is never edited: a new one supersedes it from its own date,
//! so `placard` keeps one row per posting and `(compound_id, posted_on)` is
//! unique (two postings of one day would leave the day's placard
//! ambiguous). `placard_person` holds the three names as posted, one row
//! per post of a posting.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, date, string, timestamp_with_time_zone};

use crate::builder::{TableDef, create_tables, drop_tables, kind};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn tables() -> Vec<TableDef> {
    vec![
        TableDef::new("placard")
            .col(big_integer("compound_id"))
            .col(date("posted_on"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("compound_id", "compound")
            .unique(&["compound_id", "posted_on"]),
        TableDef::new("placard_person")
            .col(big_integer("placard_id"))
            .col(kind("post"))
            .col(big_integer("person_id"))
            .col(string("name"))
            .col(string("title"))
            .col(string("contact_phone"))
            .fk("placard_id", "placard")
            .fk("person_id", "person")
            .unique(&["placard_id", "post"]),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_tables(manager, tables()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, tables()).await
    }
}
