//! Responsibility lists (谁受益、谁担责): for each kind of party of a
//! community, the published duties in public security, fire safety, safety
//! and city management, and the parties of the register linked to them.
//!
//! - `responsibility_list`: one per (community, party kind), created with
//!   its first published version; links point at it, so they follow the
//!   list from version to version.
//! - `responsibility_list_version`: append-only. A change is a new version,
//!   numbered one higher, in force from its `published_on`; no version is
//!   ever updated. Which version is in force at a date follows from the
//!   numbers and dates (the application keeps dates non-decreasing with
//!   the number); the unique number per list keeps two concurrent
//!   publishers from both becoming "the next version".
//! - `responsibility_item`: the ordered duty items of one version.
//! - `responsibility_link`: a party linked to a list, exactly one of a
//!   property company, a building (a landlord's rental building), a
//!   dwelling (a shop), a building chief's appointment, or a named party of
//!   a kind the register has no table for. A party is linked to a list once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, date, integer, string, string_null, text, text_null,
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

/// The link's party columns, exactly one of which is set.
const PARTY_COLUMNS: [&str; 5] = [
    "property_company_id",
    "building_id",
    "dwelling_id",
    "chief_appointment_id",
    "party_name",
];

/// `(CASE WHEN a IS NOT NULL THEN 1 ELSE 0 END + …) = 1`, which both
/// databases accept.
fn exactly_one_party() -> Expr {
    let sum = PARTY_COLUMNS
        .iter()
        .map(|c| format!("CASE WHEN {c} IS NOT NULL THEN 1 ELSE 0 END"))
        .collect::<Vec<_>>()
        .join(" + ");
    Expr::cust(format!("({sum}) = 1"))
}

/// Every table, parents before children.
fn tables() -> Vec<TableDef> {
    vec![
        TableDef::new("responsibility_list")
            .col(big_integer("community_id"))
            .col(kind("party_kind"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("community_id", "community")
            .unique(&["community_id", "party_kind"]),
        TableDef::new("responsibility_list_version")
            .col(big_integer("list_id"))
            .col(integer("number"))
            .col(string("title"))
            .col(text_null("note"))
            .col(date("published_on"))
            .col(big_integer("published_by"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("list_id", "responsibility_list")
            .fk("published_by", "account")
            .unique(&["list_id", "number"])
            .check("number_positive", Expr::col("number").gt(0)),
        TableDef::new("responsibility_item")
            .col(big_integer("version_id"))
            .col(integer("position"))
            .col(kind("field"))
            .col(text("text"))
            .fk("version_id", "responsibility_list_version")
            .unique(&["version_id", "position"]),
        TableDef::new("responsibility_link")
            .col(big_integer("list_id"))
            .col(big_integer_null("property_company_id"))
            .col(big_integer_null("building_id"))
            .col(big_integer_null("dwelling_id"))
            .col(big_integer_null("chief_appointment_id"))
            .col(string_null("party_name"))
            .col(big_integer("linked_by"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("list_id", "responsibility_list")
            .fk("property_company_id", "property_company")
            .fk("building_id", "building")
            .fk("dwelling_id", "dwelling")
            .fk("chief_appointment_id", "chief_appointment")
            .fk("linked_by", "account")
            .unique(&["list_id", "property_company_id"])
            .unique(&["list_id", "building_id"])
            .unique(&["list_id", "dwelling_id"])
            .unique(&["list_id", "chief_appointment_id"])
            .unique(&["list_id", "party_name"])
            .check("one_party", exactly_one_party()),
    ]
}
