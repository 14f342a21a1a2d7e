//! Each counted owner's standing ballot, kept beside the ballots.
//!
//! A ballot stands while no later ballot of its owner supersedes it. The
//! live tally summed the standing ballots by testing that condition on
//! every ballot of the vote, an anti-join the planner cannot estimate:
//! after long ballot histories it read every ballot ever cast in the vote
//! and hashed the whole city's register to join them (47 ms for a
//! 5,299-owner vote whose 64 voting owners had cast 45,320 ballots, see
//! docs/BENCHMARKS.md). `standing_ballot` holds one row per owner who has
//! cast a ballot, pointing at the standing one; the ballot writer replaces
//! it in the same transaction and under the same compound lock as it
//! writes the ballot. The tally is then this table's rows of the vote,
//! joined to their ballots and register rows by key: its cost follows the
//! owners who voted, not how often they changed their minds.
//!
//! The rows of the ballots already cast are filled in here, from the rule
//! they replace.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::big_integer;

use crate::builder::{TableDef, create_tables, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_tables(manager, tables()).await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO standing_ballot (voter_id, vote_id, ballot_id) \
                 SELECT b.voter_id, b.vote_id, b.id FROM ballot b \
                 WHERE NOT EXISTS (SELECT 1 FROM ballot later WHERE later.supersedes_id = b.id) \
                 ORDER BY b.id",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, tables()).await
    }
}

/// The one table.
fn tables() -> Vec<TableDef> {
    vec![
        TableDef::new("standing_ballot")
            .col(big_integer("voter_id"))
            .col(big_integer("vote_id"))
            .col(big_integer("ballot_id"))
            .fk("voter_id", "vote_voter")
            .fk("vote_id", "assembly_vote")
            .fk("ballot_id", "ballot")
            .unique(&["voter_id"])
            .unique(&["ballot_id"]),
    ]
}
