//! Volunteer and service teams (服务性、公益性、互助性服务队伍): an indicator
//! of the services aspect of demonstration-compound evaluation.
//!
//! A team belongs to exactly one compound or one community (a CHECK keeps
//! exactly one of the two keys set), and its name is unique within that
//! unit: two plain unique indexes suffice, since each leaves the rows whose
//! key is null (teams of the other level) alone on both databases.
//!
//! The activity log is append-only: a correction is a new row pointing at
//! the original entry it corrects (`corrects_id`), which stays readable; the
//! newest row of an entry is the one that stands.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, date, date_null, integer, integer_null, string, text, text_null,
    timestamp_with_time_zone,
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
        TableDef::new("service_team")
            .col(big_integer_null("compound_id"))
            .col(big_integer_null("community_id"))
            .col(string("name"))
            .col(kind("kind"))
            .col(text("description"))
            .col(date("founded_on"))
            .col(date_null("disbanded_on"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("compound_id", "compound")
            .fk("community_id", "community")
            .unique(&["compound_id", "name"])
            .unique(&["community_id", "name"])
            .check(
                "one_unit",
                Expr::col("compound_id")
                    .is_null()
                    .and(Expr::col("community_id").is_not_null())
                    .or(Expr::col("compound_id")
                        .is_not_null()
                        .and(Expr::col("community_id").is_null())),
            )
            .check(
                "disbanded_after_founding",
                Expr::col("disbanded_on")
                    .is_null()
                    .or(Expr::col("disbanded_on").gte(Expr::col("founded_on"))),
            ),
        TableDef::new("service_team_member")
            .col(big_integer("team_id"))
            .col(big_integer("person_id"))
            .col(kind("role"))
            .col(date("joined_on"))
            .col(date_null("left_on"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("team_id", "service_team")
            .fk("person_id", "person")
            .check(
                "left_after_joining",
                Expr::col("left_on")
                    .is_null()
                    .or(Expr::col("left_on").gte(Expr::col("joined_on"))),
            ),
        TableDef::new("service_activity")
            .col(big_integer("team_id"))
            .col(date("held_on"))
            .col(string("title"))
            .col(text("description"))
            .col(integer("participant_count"))
            .col(integer_null("service_minutes"))
            .col(flag("withdrawn"))
            .col(big_integer_null("corrects_id"))
            .col(text_null("correction_reason"))
            .col(big_integer("recorded_by"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("team_id", "service_team")
            .fk("corrects_id", "service_activity")
            .fk("recorded_by", "account")
            .index(&["team_id", "held_on"])
            .check(
                "participant_count_not_negative",
                Expr::col("participant_count").gte(0),
            )
            .check(
                "service_minutes_positive",
                Expr::col("service_minutes")
                    .is_null()
                    .or(Expr::col("service_minutes").gt(0)),
            ),
        TableDef::new("service_activity_participant")
            .col(big_integer("activity_id"))
            .col(big_integer("member_id"))
            .fk("activity_id", "service_activity")
            .fk("member_id", "service_team_member")
            .unique(&["activity_id", "member_id"]),
    ]
}
