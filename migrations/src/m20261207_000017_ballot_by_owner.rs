//! A ballot's owner and its place among the owner's ballots in one index.
//!
//! Writing a ballot reads its owner's standing one, the owner's last by
//! id. With `ballot(voter_id)` alone, PostgreSQL finds an owner's ballots
//! and sorts them (or walks the primary key backwards): an owner who
//! changed their ballot often costs more on every later ballot. With
//! `(voter_id, id)` the last is the first entry of a backward index scan.
//! The new index serves every lookup by owner the old one did, so the old
//! one goes. (SQLite's index on `voter_id` already ends in the rowid, which
//! is `id`; the same change there keeps both backends alike.)

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_ballot_voter_id_id")
                    .table("ballot")
                    .col("voter_id")
                    .col("id")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_ballot_voter_id")
                    .table("ballot")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_ballot_voter_id")
                    .table("ballot")
                    .col("voter_id")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_ballot_voter_id_id")
                    .table("ballot")
                    .to_owned(),
            )
            .await
    }
}
