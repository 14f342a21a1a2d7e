//! Each standing ballot's choice and its owner's area, beside the ballot
//! it points at.
//!
//! With `standing_ballot` only pointing at the standing ballots, the tally
//! joined `ballot` for their choices, and that join was measured reading
//! every ballot of the database (docs/BENCHMARKS.md, "The tally from each
//! owner's standing ballot"). With the choice and the owner's area on the
//! register (fixed when the vote opened) kept on the row, the tally is a
//! sum over the vote's rows alone; the ballot writer sets both in the
//! statement that replaces the ballot.
//!
//! The columns are added with defaults (`''`, `0`) so that both databases
//! accept them on a table that has rows, then filled from the ballots and
//! the register; every later write sets them. A database whose
//! `standing_ballot` was created with them (an unreleased form of
//! migration 18) is left as it is.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StandingBallot {
    Table,
    Choice,
    AreaCenti,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.has_column("standing_ballot", "choice").await? {
            return Ok(());
        }
        // One column per statement: SQLite alters a table one change at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(StandingBallot::Table)
                    .add_column(
                        ColumnDef::new(StandingBallot::Choice)
                            .string_len(32)
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(StandingBallot::Table)
                    .add_column(
                        ColumnDef::new(StandingBallot::AreaCenti)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE standing_ballot SET \
                 choice = (SELECT b.choice FROM ballot b WHERE b.id = standing_ballot.ballot_id), \
                 area_centi = (SELECT v.area_centi FROM vote_voter v WHERE v.id = standing_ballot.voter_id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [StandingBallot::AreaCenti, StandingBallot::Choice] {
            manager
                .alter_table(
                    Table::alter()
                        .table(StandingBallot::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
