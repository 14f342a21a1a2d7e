//! Grid events (巡、拨、办、督): the patrol catalogue, event categories with
//! the district's published list of small events (微小事件), the handlers
//! events are dispatched to, the events with their every step and photo,
//! supervision (督办) at the fourth failed check, and joint rectification
//! actions (联合整治行动).
//!
//! - A patrol item's frequency is a row per season; the newest row for a
//!   season stands and the earlier ones stay readable.
//! - An event keeps its current status, handler and count of failed
//!   checks; `grid_event_step` keeps every move, with the handler it was
//!   with, so a handler's performance is counted from the steps.
//! - An event escalates once: `event_supervision` is unique per event.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, date, integer, string, string_null, text,
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
        TableDef::new("patrol_item")
            .col(big_integer("district_id"))
            .col(kind("kind"))
            .col(string("name"))
            .col(text("guidance"))
            .col(string_null("fixed_place"))
            .col(big_integer("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("district_id", "district")
            .fk("created_by", "account")
            .unique(&["district_id", "name"]),
        TableDef::new("patrol_frequency")
            .col(big_integer("patrol_item_id"))
            .col(kind("season"))
            .col(integer("times"))
            .col(kind("period"))
            .col(big_integer("set_by"))
            .col(timestamp_with_time_zone("set_at"))
            .fk("patrol_item_id", "patrol_item")
            .fk("set_by", "account")
            .check("times", Expr::col("times").gte(1)),
        TableDef::new("event_category")
            .col(big_integer("district_id"))
            .col(string("name"))
            .col(flag("small"))
            .col(integer("supervision_days"))
            .col(big_integer("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("district_id", "district")
            .fk("created_by", "account")
            .unique(&["district_id", "name"])
            .check("days", Expr::col("supervision_days").gte(1)),
        TableDef::new("event_handler")
            .col(big_integer("subdistrict_id"))
            .col(string("name"))
            .col(kind("kind"))
            .col(big_integer("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("subdistrict_id", "subdistrict")
            .fk("created_by", "account")
            .unique(&["subdistrict_id", "name"]),
        TableDef::new("event_handler_member")
            .col(big_integer("handler_id"))
            .col(big_integer("account_id"))
            .col(big_integer("added_by"))
            .col(timestamp_with_time_zone("added_at"))
            .col(timestamp_with_time_zone_null("removed_at"))
            .fk("handler_id", "event_handler")
            .fk("account_id", "account")
            .fk("added_by", "account"),
        TableDef::new("grid_event")
            .col(big_integer("grid_id"))
            .col(big_integer("community_id"))
            .col(big_integer("subdistrict_id"))
            .col(big_integer_null("compound_id"))
            .col(big_integer_null("building_id"))
            .col(big_integer_null("dwelling_id"))
            .col(string_null("place"))
            .col(big_integer("category_id"))
            .col(big_integer_null("patrol_item_id"))
            .col(kind("procedure"))
            .col(kind("urgency"))
            .col(text("description"))
            .col(kind("status"))
            .col(big_integer_null("handler_id"))
            .col(string_null("responsible_party"))
            .col(big_integer_null("fast_report_handler_id"))
            .col(integer("failed_checks"))
            .col(big_integer("reported_by"))
            .col(timestamp_with_time_zone("reported_at"))
            .col(timestamp_with_time_zone_null("dispatched_at"))
            .col(timestamp_with_time_zone_null("closed_at"))
            .col(timestamp_with_time_zone("status_changed_at"))
            .fk("grid_id", "grid")
            .fk("community_id", "community")
            .fk("subdistrict_id", "subdistrict")
            .fk("compound_id", "compound")
            .fk("building_id", "building")
            .fk("dwelling_id", "dwelling")
            .fk("category_id", "event_category")
            .fk("patrol_item_id", "patrol_item")
            .fk("handler_id", "event_handler")
            .fk("fast_report_handler_id", "event_handler")
            .fk("reported_by", "account")
            .index(&["grid_id", "status"])
            .index(&["handler_id", "status"])
            .check("failed", Expr::col("failed_checks").gte(0)),
        TableDef::new("grid_event_step")
            .col(big_integer("event_id"))
            .col(kind("action"))
            .col(kind("from_status"))
            .col(kind("to_status"))
            .col(big_integer_null("handler_id"))
            .col(text("note"))
            .col(big_integer("recorded_by"))
            .col(timestamp_with_time_zone("recorded_at"))
            .fk("event_id", "grid_event")
            .fk("handler_id", "event_handler")
            .fk("recorded_by", "account")
            .index(&["handler_id", "action"]),
        TableDef::new("grid_event_photo")
            .col(big_integer("event_id"))
            .col(big_integer("step_id"))
            .col(big_integer("attachment_id"))
            .fk("event_id", "grid_event")
            .fk("step_id", "grid_event_step")
            .fk("attachment_id", "attachment"),
        TableDef::new("event_supervision")
            .col(big_integer("event_id"))
            .col(big_integer("handler_id"))
            .col(big_integer("subdistrict_id"))
            .col(big_integer("community_id"))
            .col(timestamp_with_time_zone("opened_at"))
            .col(date("deadline"))
            .col(timestamp_with_time_zone_null("closed_at"))
            .fk("event_id", "grid_event")
            .fk("handler_id", "event_handler")
            .fk("subdistrict_id", "subdistrict")
            .fk("community_id", "community")
            .unique(&["event_id"])
            .index(&["subdistrict_id", "deadline"])
            .index(&["community_id", "deadline"]),
        TableDef::new("joint_action")
            .col(big_integer("subdistrict_id"))
            .col(string("title"))
            .col(text("description"))
            .col(big_integer_null("lead_handler_id"))
            .col(date("starts_on"))
            .col(big_integer("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("subdistrict_id", "subdistrict")
            .fk("lead_handler_id", "event_handler")
            .fk("created_by", "account"),
        TableDef::new("joint_action_event")
            .col(big_integer("action_id"))
            .col(big_integer("event_id"))
            .col(big_integer("added_by"))
            .col(timestamp_with_time_zone("added_at"))
            .fk("action_id", "joint_action")
            .fk("event_id", "grid_event")
            .fk("added_by", "account")
            .unique(&["action_id", "event_id"]),
    ]
}
