//! The shared state of the API's rate limits (src/http/rate_limit.rs): one
//! row per client address or token seen in the last hour, holding its
//! theoretical arrival time in microseconds. On PostgreSQL the table is
//! unlogged: it is written on every request, and losing it in a crash only
//! forgives the callers' recent requests. SQLite keeps the limits in
//! process and leaves the table empty.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, string_len};

use crate::builder::{TableDef, create_tables, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_tables(manager, tables()).await?;
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("ALTER TABLE rate_limit SET UNLOGGED")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, tables()).await
    }
}

fn tables() -> Vec<TableDef> {
    vec![
        TableDef::new("rate_limit")
            .col(string_len("key", 100))
            .col(big_integer("tat"))
            .unique(&["key"]),
    ]
}
