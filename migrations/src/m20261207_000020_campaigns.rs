//! Evaluation campaigns (评选): titles, entries, evaluators, score sheets
//! and the ranking a campaign freezes.
//!
//! - A campaign has a kind, a level, a year, the rubric version it pins, a
//!   quota, the number it singles out, its aggregation and eligibility
//!   rules and a phase moved forward in order. A county-level campaign
//!   belongs to a district; city and province ones to the platform.
//! - A title (称号) is held by a compound or by a community (the community
//!   is always named, the compound only for a compound's title). Titles
//!   come from a published campaign or, for a community's demonstration
//!   title awarded elsewhere, are recorded. `entry_id` names the entry
//!   that won it; it carries no foreign key because entries may in turn
//!   name the title they were drawn from (`source_title_id`).
//! - An entry is a compound (or a community) in a campaign, entered by the
//!   route its kind allows. Evaluators are assigned to entries; each keeps
//!   numbered score sheets per assignment, one line per indicator, with
//!   evidence. A correction is a new sheet naming the one it corrects.
//! - An epidemic-free title a district assessed waits for the city's
//!   filing (备案); `filed_by`/`filed_at` record it. A title restored
//!   after rectification is a new title naming the revoked one
//!   (`restores_id`).
//! - The result of each entry is written once, when the campaign leaves
//!   evaluation, and never changed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, integer, integer_null, string, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null,
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
        TableDef::new("evaluation_campaign")
            .col(string("name"))
            .col(kind("kind"))
            .col(kind("level"))
            .col(integer("year"))
            .col(big_integer_null("district_id"))
            .col(big_integer("rubric_version_id"))
            .col(integer("quota"))
            .col(integer("single_out"))
            .col(kind("aggregation"))
            .col(kind("eligibility"))
            .col(kind("phase"))
            .col(big_integer("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("phase_changed_at"))
            .fk("district_id", "district")
            .fk("rubric_version_id", "rubric_version")
            .fk("created_by", "account")
            .index(&["year"])
            .check("quota_positive", Expr::col("quota").gt(0))
            .check(
                "single_out_within_quota",
                Expr::col("single_out")
                    .gte(0)
                    .and(Expr::col("single_out").lte(Expr::col("quota"))),
            ),
        TableDef::new("evaluation_title")
            .col(kind("kind"))
            .col(kind("level"))
            .col(integer("year"))
            .col(big_integer_null("compound_id"))
            .col(big_integer("community_id"))
            .col(big_integer_null("campaign_id"))
            .col(big_integer_null("entry_id"))
            .col(kind("status"))
            .col(text_null("note"))
            .col(big_integer("awarded_by"))
            .col(timestamp_with_time_zone("awarded_at"))
            .col(big_integer_null("revoked_by"))
            .col(timestamp_with_time_zone_null("revoked_at"))
            .col(text_null("revocation_reason"))
            .col(big_integer_null("filed_by"))
            .col(timestamp_with_time_zone_null("filed_at"))
            .col(big_integer_null("restores_id"))
            .fk("compound_id", "compound")
            .fk("community_id", "community")
            .fk("campaign_id", "evaluation_campaign")
            .fk("awarded_by", "account")
            .fk("revoked_by", "account")
            .fk("filed_by", "account")
            .fk("restores_id", "evaluation_title")
            .index(&["kind", "level", "year"]),
        TableDef::new("campaign_entry")
            .col(big_integer("campaign_id"))
            .col(big_integer_null("compound_id"))
            .col(big_integer("community_id"))
            .col(kind("route"))
            .col(big_integer_null("source_title_id"))
            .col(text("note"))
            .col(big_integer("entered_by"))
            .col(timestamp_with_time_zone("entered_at"))
            .fk("campaign_id", "evaluation_campaign")
            .fk("compound_id", "compound")
            .fk("community_id", "community")
            .fk("source_title_id", "evaluation_title")
            .fk("entered_by", "account")
            .unique(&["campaign_id", "compound_id"]),
        TableDef::new("evaluator_assignment")
            .col(big_integer("campaign_id"))
            .col(big_integer("entry_id"))
            .col(big_integer("account_id"))
            .col(big_integer("person_id"))
            .col(big_integer("assigned_by"))
            .col(timestamp_with_time_zone("assigned_at"))
            .fk("campaign_id", "evaluation_campaign")
            .fk("entry_id", "campaign_entry")
            .fk("account_id", "account")
            .fk("person_id", "person")
            .fk("assigned_by", "account")
            .unique(&["entry_id", "account_id"]),
        TableDef::new("score_sheet")
            .col(big_integer("campaign_id"))
            .col(big_integer("entry_id"))
            .col(big_integer("assignment_id"))
            .col(big_integer("account_id"))
            .col(integer("number"))
            .col(kind("status"))
            .col(big_integer_null("corrects_id"))
            .col(text_null("correction_reason"))
            .col(integer("total"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("saved_at"))
            .col(timestamp_with_time_zone_null("submitted_at"))
            .fk("campaign_id", "evaluation_campaign")
            .fk("entry_id", "campaign_entry")
            .fk("assignment_id", "evaluator_assignment")
            .fk("account_id", "account")
            .fk("corrects_id", "score_sheet")
            .unique(&["assignment_id", "number"])
            .check("number_positive", Expr::col("number").gt(0))
            .check("total_not_negative", Expr::col("total").gte(0)),
        TableDef::new("score_line")
            .col(big_integer("sheet_id"))
            .col(big_integer("indicator_id"))
            .col(integer("points"))
            .col(text("comment"))
            .fk("sheet_id", "score_sheet")
            .fk("indicator_id", "rubric_indicator")
            .unique(&["sheet_id", "indicator_id"])
            .check("points_not_negative", Expr::col("points").gte(0)),
        TableDef::new("score_evidence")
            .col(big_integer("line_id"))
            .col(big_integer("attachment_id"))
            .fk("line_id", "score_line")
            .fk("attachment_id", "attachment")
            .unique(&["line_id", "attachment_id"]),
        TableDef::new("campaign_result")
            .col(big_integer("campaign_id"))
            .col(big_integer("entry_id"))
            .col(integer_null("rank"))
            .col(integer("sheets"))
            .col(integer("counted"))
            .col(big_integer("counted_points"))
            .col(integer_null("score_centi"))
            .col(integer_null("lowest_total"))
            .col(integer_null("highest_total"))
            .col(flag("selected"))
            .col(flag("singled_out"))
            .fk("campaign_id", "evaluation_campaign")
            .fk("entry_id", "campaign_entry")
            .unique(&["entry_id"])
            .index(&["campaign_id", "rank"]),
    ]
}
