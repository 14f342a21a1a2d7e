//! Failed logins, counted per account and per client address, so that
//! repeated failures lock further attempts out for a while (OWASP's
//! Authentication cheat sheet). The rows live in the database, so every
//! instance over one PostgreSQL sees the same counts.
//!
//! `key` is `account:<username>` or `address:<ip>`; `failures` counts the
//! failures since the last success (or since an hour without failure);
//! `locked_until` is when the next attempt is heard again.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    integer, string_len, timestamp_with_time_zone, timestamp_with_time_zone_null,
};

use crate::builder::{TableDef, create_tables, drop_tables};

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
        TableDef::new("login_throttle")
            .col(string_len("key", 200))
            .col(integer("failures"))
            .col(timestamp_with_time_zone("last_failure_at"))
            .col(timestamp_with_time_zone_null("locked_until"))
            .unique(&["key"]),
    ]
}
