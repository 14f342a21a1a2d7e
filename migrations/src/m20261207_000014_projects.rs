//! People's small things (民生微实事): projects residents propose and the
//! party organisation delivers ("群众点菜、党委实施").
//!
//! `project` holds what a project is and its current status; every move
//! between statuses is a row of `project_transition` (who, when, why), so
//! who deliberated, decided and delivered stays readable. Everything else
//! is append-only: supports (one per person and project) and ratings (one
//! per person in each round of acceptance: a project sent back is rated
//! again), both kept by unique indexes, budget decisions (the newest stands; the first is the
//! approval), progress updates with their photos, spending entries and the
//! acceptance record. Money is in fen (分), as integers.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, date, date_null, integer, string, string_null, text, text_null,
    timestamp_with_time_zone,
};

use crate::builder::{TableDef, create_tables, drop_tables, kind};

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
        TableDef::new("project")
            .col(big_integer("compound_id"))
            .col(big_integer("community_id"))
            .col(integer("year"))
            .col(string("title"))
            .col(text("description"))
            .col(big_integer("estimated_cost_fen"))
            .col(kind("status"))
            .col(big_integer("proposed_by_person_id"))
            .col(big_integer("proposed_by"))
            .col(timestamp_with_time_zone("proposed_at"))
            .col(big_integer_null("council_matter_id"))
            .col(date_null("decided_on"))
            .col(text_null("rejection_reason"))
            .col(string_null("implementer"))
            .col(string_null("contractor"))
            .col(timestamp_with_time_zone("status_changed_at"))
            .fk("compound_id", "compound")
            .fk("community_id", "community")
            .fk("proposed_by_person_id", "person")
            .fk("proposed_by", "account")
            .fk("council_matter_id", "council_matter")
            .index(&["community_id", "year"])
            .check("estimate", Expr::col("estimated_cost_fen").gte(0)),
        TableDef::new("project_transition")
            .col(big_integer("project_id"))
            .col(kind("from_status"))
            .col(kind("to_status"))
            .col(text("note"))
            .col(big_integer("recorded_by"))
            .col(timestamp_with_time_zone("recorded_at"))
            .fk("project_id", "project")
            .fk("recorded_by", "account"),
        TableDef::new("project_support")
            .col(big_integer("project_id"))
            .col(big_integer("person_id"))
            .col(big_integer("account_id"))
            .col(timestamp_with_time_zone("supported_at"))
            .fk("project_id", "project")
            .fk("person_id", "person")
            .fk("account_id", "account")
            .unique(&["project_id", "person_id"]),
        TableDef::new("project_budget")
            .col(big_integer("project_id"))
            .col(big_integer("amount_fen"))
            .col(text("reason"))
            .col(big_integer_null("council_matter_id"))
            .col(date("decided_on"))
            .col(big_integer("recorded_by"))
            .col(timestamp_with_time_zone("recorded_at"))
            .fk("project_id", "project")
            .fk("council_matter_id", "council_matter")
            .fk("recorded_by", "account")
            .check("amount", Expr::col("amount_fen").gt(0)),
        TableDef::new("project_update")
            .col(big_integer("project_id"))
            .col(date("happened_on"))
            .col(text("text"))
            .col(big_integer("recorded_by"))
            .col(timestamp_with_time_zone("recorded_at"))
            .fk("project_id", "project")
            .fk("recorded_by", "account"),
        TableDef::new("project_update_photo")
            .col(big_integer("update_id"))
            .col(big_integer("attachment_id"))
            .fk("update_id", "project_update")
            .fk("attachment_id", "attachment")
            .unique(&["update_id", "attachment_id"]),
        TableDef::new("project_spending")
            .col(big_integer("project_id"))
            .col(big_integer("amount_fen"))
            .col(date("spent_on"))
            .col(text("description"))
            .col(big_integer("recorded_by"))
            .col(timestamp_with_time_zone("recorded_at"))
            .fk("project_id", "project")
            .fk("recorded_by", "account")
            .check("amount", Expr::col("amount_fen").gt(0)),
        TableDef::new("project_rating")
            .col(big_integer("project_id"))
            .col(big_integer("person_id"))
            .col(big_integer("account_id"))
            .col(integer("round"))
            .col(integer("stars"))
            .col(text("comment"))
            .col(timestamp_with_time_zone("rated_at"))
            .fk("project_id", "project")
            .fk("person_id", "person")
            .fk("account_id", "account")
            .unique(&["project_id", "round", "person_id"])
            .check(
                "stars",
                Expr::col("stars").gte(1).and(Expr::col("stars").lte(5)),
            ),
        TableDef::new("project_acceptance")
            .col(big_integer("project_id"))
            .col(integer("round"))
            .col(kind("outcome"))
            .col(text("summary"))
            .col(integer("ratings"))
            .col(integer("stars_total"))
            .col(date("recorded_on"))
            .col(big_integer("recorded_by"))
            .col(timestamp_with_time_zone("recorded_at"))
            .fk("project_id", "project")
            .fk("recorded_by", "account"),
    ]
}
