//! Dynamic management of titles (动态管理), self-inspection (自查自纠) and
//! the quarterly star rating of commodity-housing compounds (星级评定).
//!
//! - A revoked title opens one rectification (整改): the reason and
//!   deadline set by the revoker, the plan the holder submits, and the
//!   re-evaluation that closes it (restored or not; a restored title is a
//!   new title row).
//! - A self-inspection is a compound checking itself against a rubric
//!   version or a free checklist: findings, each fixed on a day or not yet.
//! - A star-rating round is one subdistrict's quarter: its scale (the
//!   configured number of stars when it opened), how many at the bottom
//!   the notice names, and one rating per commodity-housing compound under
//!   a property contract when it opened, with that company.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, date, date_null, integer, integer_null, string_len_null, text,
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
        TableDef::new("rectification")
            .col(big_integer("title_id"))
            .col(big_integer_null("compound_id"))
            .col(big_integer("community_id"))
            .col(text("reason"))
            .col(date("deadline"))
            .col(kind("status"))
            .col(text_null("plan"))
            .col(big_integer_null("plan_by"))
            .col(timestamp_with_time_zone_null("plan_at"))
            .col(string_len_null("outcome", 32))
            .col(text_null("findings"))
            .col(integer_null("score"))
            .col(big_integer_null("restored_title_id"))
            .col(big_integer_null("reevaluated_by"))
            .col(timestamp_with_time_zone_null("reevaluated_at"))
            .col(big_integer("opened_by"))
            .col(timestamp_with_time_zone("opened_at"))
            .fk("title_id", "evaluation_title")
            .fk("compound_id", "compound")
            .fk("community_id", "community")
            .fk("plan_by", "account")
            .fk("restored_title_id", "evaluation_title")
            .fk("reevaluated_by", "account")
            .fk("opened_by", "account")
            .unique(&["title_id"]),
        TableDef::new("self_inspection")
            .col(big_integer("compound_id"))
            .col(big_integer_null("rubric_version_id"))
            .col(text("title"))
            .col(date("inspected_on"))
            .col(big_integer("recorded_by"))
            .col(timestamp_with_time_zone("recorded_at"))
            .fk("compound_id", "compound")
            .fk("rubric_version_id", "rubric_version")
            .fk("recorded_by", "account"),
        TableDef::new("self_inspection_finding")
            .col(big_integer("inspection_id"))
            .col(integer("position"))
            .col(big_integer_null("indicator_id"))
            .col(text("finding"))
            .col(date_null("fixed_on"))
            .col(text_null("fix_note"))
            .col(big_integer_null("fixed_by"))
            .fk("inspection_id", "self_inspection")
            .fk("indicator_id", "rubric_indicator")
            .fk("fixed_by", "account")
            .unique(&["inspection_id", "position"]),
        TableDef::new("star_rating_round")
            .col(big_integer("subdistrict_id"))
            .col(integer("year"))
            .col(integer("quarter"))
            .col(integer("scale"))
            .col(integer("bottom_count"))
            .col(kind("status"))
            .col(big_integer("opened_by"))
            .col(timestamp_with_time_zone("opened_at"))
            .col(big_integer_null("published_by"))
            .col(timestamp_with_time_zone_null("published_at"))
            .fk("subdistrict_id", "subdistrict")
            .fk("opened_by", "account")
            .fk("published_by", "account")
            .unique(&["subdistrict_id", "year", "quarter"])
            .check(
                "quarter_of_year",
                Expr::col("quarter").gte(1).and(Expr::col("quarter").lte(4)),
            )
            .check("scale_positive", Expr::col("scale").gt(0))
            .check("bottom_not_negative", Expr::col("bottom_count").gte(0)),
        TableDef::new("star_rating")
            .col(big_integer("round_id"))
            .col(big_integer("compound_id"))
            .col(big_integer("company_id"))
            .col(integer_null("score"))
            .col(integer_null("stars"))
            .col(text("note"))
            .col(integer_null("rank"))
            .col(flag("named_in_notice"))
            .col(big_integer_null("rated_by"))
            .col(timestamp_with_time_zone_null("rated_at"))
            .fk("round_id", "star_rating_round")
            .fk("compound_id", "compound")
            .fk("company_id", "property_company")
            .fk("rated_by", "account")
            .unique(&["round_id", "compound_id"])
            .index(&["company_id", "round_id"]),
    ]
}
