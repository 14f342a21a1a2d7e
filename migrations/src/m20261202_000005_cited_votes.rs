//! Elections and hiring rest on the owners' votes (Civil Code art. 278
//! items 3 and 4): an owners' committee, a committee member (elected or
//! replaced) and a property contract (hired, and dismissed) can cite the
//! adopted assembly vote that decided them.
//!
//! Each citation is a nullable column and a foreign key to
//! `assembly_vote`, with its index. `ALTER TABLE … ADD COLUMN … CONSTRAINT
//! … REFERENCES` is one statement both SQLite (for a column whose default
//! is NULL) and PostgreSQL accept, so no table is rebuilt.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The citing columns: (table, column).
const CITATIONS: [(&str, &str); 4] = [
    ("owners_committee", "vote_id"),
    ("committee_member", "vote_id"),
    ("property_contract", "vote_id"),
    ("property_contract", "end_vote_id"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (table, column) in CITATIONS {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ADD COLUMN {column} bigint NULL \
                 CONSTRAINT fk_{table}_{column} REFERENCES assembly_vote (id) ON DELETE RESTRICT"
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
        for (table, column) in CITATIONS.iter().rev() {
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
        Ok(())
    }
}
