//! Heads counted by buyer unit (买受人): the persons who together hold a
//! dwelling are one owner for it, and one person may belong to several
//! owners (A and B co-own one dwelling, B alone owns another). So a person
//! may now sit on several counted owners of one vote's register: the
//! uniqueness of (vote, person) becomes uniqueness of (voter, person).
//! The register also keeps each counted owner's dwellings, fixed on the
//! day the vote opened, so it can show them.
//!
//! Registers fixed before this migration keep their rows as they were
//! counted; they simply have no dwelling rows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::big_integer;

use crate::builder::{TableDef, create_tables, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn parts() -> Vec<TableDef> {
    vec![
        TableDef::new("vote_voter_part")
            .col(big_integer("vote_id"))
            .col(big_integer("voter_id"))
            .col(big_integer("dwelling_id"))
            .col(big_integer("area_centi"))
            .fk("vote_id", "assembly_vote")
            .fk("voter_id", "vote_voter")
            .fk("dwelling_id", "dwelling")
            .unique(&["vote_id", "dwelling_id"]),
    ]
}

fn index(name: &str, columns: [&'static str; 2], unique: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table("vote_voter_owner");
    for c in columns {
        index.col(c);
    }
    if unique {
        index.unique();
    }
    index.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_vote_voter_owner_vote_id_person_id")
                    .table("vote_voter_owner")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_vote_voter_owner_voter_id_person_id",
                ["voter_id", "person_id"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_vote_voter_owner_vote_id_person_id",
                ["vote_id", "person_id"],
                false,
            ))
            .await?;
        create_tables(manager, parts()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, parts()).await?;
        for name in [
            "idx_vote_voter_owner_vote_id_person_id",
            "uq_vote_voter_owner_voter_id_person_id",
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table("vote_voter_owner")
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(index(
                "uq_vote_voter_owner_vote_id_person_id",
                ["vote_id", "person_id"],
                true,
            ))
            .await
    }
}
