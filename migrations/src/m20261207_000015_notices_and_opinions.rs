//! Two simple loops a resident portal shows beside the compound's projects:
//! notices (公告) the compound's owners' committee, party branch or
//! property company publish to its residents, and residents' opinions
//! (社情民意) with the answers they get.
//!
//! A notice is published once and never edited; pinning it or taking the
//! pin off is the one change it takes (audited). It may expire: from its
//! `expires_on` on it is no longer shown by default. An opinion is
//! recorded by the resident, or for them by a chief or grid worker, and
//! answered any number of times: each answer is a row, the newest stands,
//! and the earlier ones stay readable.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, date_null, string, text, timestamp_with_time_zone,
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
        TableDef::new("notice")
            .col(big_integer("compound_id"))
            .col(kind("publisher"))
            .col(string("title"))
            .col(text("body"))
            .col(flag("pinned"))
            .col(date_null("expires_on"))
            .col(big_integer("published_by"))
            .col(timestamp_with_time_zone("published_at"))
            .fk("compound_id", "compound")
            .fk("published_by", "account"),
        TableDef::new("opinion")
            .col(big_integer("compound_id"))
            .col(big_integer_null("building_id"))
            .col(big_integer_null("person_id"))
            .col(text("text"))
            .col(kind("status"))
            .col(big_integer("recorded_by"))
            .col(timestamp_with_time_zone("recorded_at"))
            .fk("compound_id", "compound")
            .fk("building_id", "building")
            .fk("person_id", "person")
            .fk("recorded_by", "account"),
        TableDef::new("opinion_answer")
            .col(big_integer("opinion_id"))
            .col(text("text"))
            .col(big_integer("answered_by"))
            .col(timestamp_with_time_zone("answered_at"))
            .fk("opinion_id", "opinion")
            .fk("answered_by", "account"),
    ]
}
