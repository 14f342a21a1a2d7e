//! Decisions: the residents' council and its matters through 四议两公开,
//! publications with objections, owners' assembly votes under Civil Code
//! art. 278 with their register snapshot, ballots and results, and the
//! per-compound hash chain over every decision record.
//!
//! Every table here is append-only by design: a correction is a new row
//! pointing at the row it corrects (`corrects_id`, `supersedes_id`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, date, integer, integer_null, string, string_null, text,
    text_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
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
        TableDef::new("residents_council")
            .col(big_integer("compound_id"))
            .col(string("name"))
            .col(kind("rule"))
            .col(integer("representatives"))
            .col(integer("publicity_days"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("compound_id", "compound")
            .unique(&["compound_id"])
            .check(
                "representatives_positive",
                Expr::col("representatives").gt(0),
            )
            .check("publicity_days_positive", Expr::col("publicity_days").gt(0)),
        TableDef::new("council_matter")
            .col(big_integer("council_id"))
            .col(big_integer("compound_id"))
            .col(string("title"))
            .col(text("description"))
            .col(big_integer("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("council_id", "residents_council")
            .fk("compound_id", "compound")
            .fk("created_by", "account"),
        TableDef::new("council_step")
            .col(big_integer("matter_id"))
            .col(big_integer("compound_id"))
            .col(kind("step"))
            .col(date("held_on"))
            .col(string("body"))
            .col(text("attendance"))
            .col(integer_null("present"))
            .col(text_null("minutes"))
            .col(kind("outcome"))
            .col(integer_null("representatives"))
            .col(integer_null("votes_for"))
            .col(integer_null("votes_against"))
            .col(integer_null("votes_abstain"))
            .col(string_null("rule"))
            .col(big_integer_null("corrects_id"))
            .col(big_integer("recorded_by"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("matter_id", "council_matter")
            .fk("compound_id", "compound")
            .fk("corrects_id", "council_step")
            .fk("recorded_by", "account"),
        TableDef::new("assembly_vote")
            .col(big_integer("compound_id"))
            .col(kind("matter"))
            .col(string("title"))
            .col(text("description"))
            .col(kind("status"))
            .col(big_integer("total_area_centi"))
            .col(integer("total_heads"))
            .col(timestamp_with_time_zone("opened_at"))
            .col(big_integer("opened_by"))
            .col(timestamp_with_time_zone_null("closes_at"))
            .col(timestamp_with_time_zone_null("closed_at"))
            .col(big_integer_null("closed_by"))
            .fk("compound_id", "compound")
            .fk("opened_by", "account")
            .fk("closed_by", "account"),
        TableDef::new("vote_voter")
            .col(big_integer("vote_id"))
            .col(string("unit_key"))
            .col(big_integer("area_centi"))
            .col(flag("is_developer"))
            .fk("vote_id", "assembly_vote")
            .unique(&["vote_id", "unit_key"]),
        TableDef::new("vote_voter_owner")
            .col(big_integer("vote_id"))
            .col(big_integer("voter_id"))
            .col(big_integer("person_id"))
            .fk("vote_id", "assembly_vote")
            .fk("voter_id", "vote_voter")
            .fk("person_id", "person")
            .unique(&["vote_id", "person_id"]),
        TableDef::new("ballot")
            .col(big_integer("vote_id"))
            .col(big_integer("voter_id"))
            .col(kind("choice"))
            .col(big_integer_null("cast_by_person_id"))
            .col(big_integer("recorded_by"))
            .col(flag("paper"))
            .col(big_integer_null("supersedes_id"))
            .col(timestamp_with_time_zone("cast_at"))
            .fk("vote_id", "assembly_vote")
            .fk("voter_id", "vote_voter")
            .fk("cast_by_person_id", "person")
            .fk("recorded_by", "account")
            .fk("supersedes_id", "ballot")
            .unique(&["supersedes_id"]),
        TableDef::new("vote_result")
            .col(big_integer("vote_id"))
            .col(big_integer("total_area_centi"))
            .col(integer("total_heads"))
            .col(big_integer("participating_area_centi"))
            .col(integer("participating_heads"))
            .col(big_integer("agree_area_centi"))
            .col(integer("agree_heads"))
            .col(big_integer("disagree_area_centi"))
            .col(integer("disagree_heads"))
            .col(big_integer("abstain_area_centi"))
            .col(integer("abstain_heads"))
            .col(flag("quorum_met"))
            .col(flag("adopted"))
            .col(kind("rule"))
            .col(timestamp_with_time_zone("closed_at"))
            .fk("vote_id", "assembly_vote")
            .unique(&["vote_id"]),
        TableDef::new("publication")
            .col(big_integer("compound_id"))
            .col(big_integer_null("matter_id"))
            .col(big_integer_null("vote_id"))
            .col(kind("kind"))
            .col(string("title"))
            .col(text("body"))
            .col(date("published_on"))
            .col(date("publicity_ends_on"))
            .col(big_integer_null("corrects_id"))
            .col(big_integer("published_by"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("compound_id", "compound")
            .fk("matter_id", "council_matter")
            .fk("vote_id", "assembly_vote")
            .fk("corrects_id", "publication")
            .fk("published_by", "account"),
        TableDef::new("objection")
            .col(big_integer("publication_id"))
            .col(big_integer("compound_id"))
            .col(big_integer("person_id"))
            .col(big_integer("account_id"))
            .col(text("text"))
            .col(timestamp_with_time_zone("lodged_at"))
            .fk("publication_id", "publication")
            .fk("compound_id", "compound")
            .fk("person_id", "person")
            .fk("account_id", "account"),
        TableDef::new("objection_answer")
            .col(big_integer("objection_id"))
            .col(text("text"))
            .col(big_integer("answered_by"))
            .col(timestamp_with_time_zone("answered_at"))
            .fk("objection_id", "objection")
            .fk("answered_by", "account"),
        TableDef::new("decision_record")
            .col(big_integer("compound_id"))
            .col(big_integer("seq"))
            .col(string("kind"))
            .col(big_integer("ref_id"))
            .col(text("payload"))
            .col(string("prev_hash"))
            .col(string("hash"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("compound_id", "compound")
            .unique(&["compound_id", "seq"])
            .index(&["kind", "ref_id"]),
    ]
}
