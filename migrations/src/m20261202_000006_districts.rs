//! The district (区) above the subdistrict: a `district` table, each
//! subdistrict's `district_id`, and role grants over a district (district
//! staff).
//!
//! `subdistrict.district_id` is nullable in the table because subdistricts
//! registered before this migration belong to no district until someone
//! places them; the service requires a district for every new one. The
//! columns are added with `ALTER TABLE … ADD COLUMN … CONSTRAINT …
//! REFERENCES`, which SQLite and PostgreSQL both accept, so no table is
//! rebuilt.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string, string_null, timestamp_with_time_zone};
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::builder::{TableDef, create_tables, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn tables() -> Vec<TableDef> {
    vec![
        TableDef::new("district")
            .col(string("name"))
            .col(string_null("code"))
            .col(timestamp_with_time_zone("created_at"))
            .unique(&["name"]),
    ]
}

/// The columns pointing at a district: (table, column).
const DISTRICT_KEYS: [(&str, &str); 2] = [
    ("subdistrict", "district_id"),
    ("role_grant", "district_id"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_tables(manager, tables()).await?;
        let db = manager.get_connection();
        for (table, column) in DISTRICT_KEYS {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ADD COLUMN {column} bigint NULL \
                 CONSTRAINT fk_{table}_{column} REFERENCES district (id) ON DELETE RESTRICT"
            ))
            .await?;
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_{table}_{column}"))
                        .table(table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (table, column) in DISTRICT_KEYS.iter().rev() {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("idx_{table}_{column}"))
                        .table(*table)
                        .to_owned(),
                )
                .await?;
            if manager.get_database_backend() == DbBackend::Postgres {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} DROP CONSTRAINT fk_{table}_{column}"
                ))
                .await?;
            }
            db.execute_unprepared(&format!("ALTER TABLE {table} DROP COLUMN {column}"))
                .await?;
        }
        drop_tables(manager, tables()).await
    }
}
