//! The bodies cross-appointment is measured between (交叉任职、双向任职):
//! the community's two committees (社区"两委": the community party committee
//! and the residents' committee) with members and terms; the posts people
//! hold in a property company (its head, a compound's project lead, its
//! management); and the property company's own party organisation (红色物业)
//! as a body with members, instead of the `property_company.party_org_name`
//! field.
//!
//! Each company that had a party organisation name gets an organisation of
//! that name, established on the day the company was registered (the
//! earliest day the register knows it existed), with no members yet; then
//! the name column goes. `down` puts the column back, filled from each
//! company's organisation still in being.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, date, date_null, string, string_null, timestamp_with_time_zone,
};
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::builder::{TableDef, create_tables, drop_tables, kind};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn tables() -> Vec<TableDef> {
    vec![
        TableDef::new("community_committee")
            .col(big_integer("community_id"))
            .col(kind("kind"))
            .col(string("name"))
            .col(date("term_starts_on"))
            .col(date("term_ends_on"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("community_id", "community")
            .index(&["community_id", "kind"])
            .check(
                "term_order",
                Expr::col("term_ends_on").gte(Expr::col("term_starts_on")),
            ),
        TableDef::new("community_committee_member")
            .col(big_integer("committee_id"))
            .col(big_integer("person_id"))
            .col(kind("role"))
            .col(date("starts_on"))
            .col(date_null("ends_on"))
            .fk("committee_id", "community_committee")
            .fk("person_id", "person"),
        TableDef::new("company_post")
            .col(big_integer("company_id"))
            .col(big_integer("person_id"))
            .col(kind("post"))
            .col(big_integer_null("compound_id"))
            .col(string_null("title"))
            .col(date("starts_on"))
            .col(date_null("ends_on"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("company_id", "property_company")
            .fk("person_id", "person")
            .fk("compound_id", "compound"),
        TableDef::new("company_party_org")
            .col(big_integer("company_id"))
            .col(string("name"))
            .col(date("established_on"))
            .col(date_null("dissolved_on"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("company_id", "property_company"),
        TableDef::new("company_party_member")
            .col(big_integer("org_id"))
            .col(big_integer("person_id"))
            .col(kind("role"))
            .col(date("starts_on"))
            .col(date_null("ends_on"))
            .fk("org_id", "company_party_org")
            .fk("person_id", "person"),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_tables(manager, tables()).await?;
        let db = manager.get_connection();
        // Timestamps are text in SQLite ("YYYY-MM-DD …") and timestamptz in PostgreSQL.
        let day = match manager.get_database_backend() {
            DbBackend::Postgres => "CAST(created_at AS date)",
            _ => "substr(created_at, 1, 10)",
        };
        db.execute_unprepared(&format!(
            "INSERT INTO company_party_org (company_id, name, established_on, dissolved_on, created_at) \
             SELECT id, party_org_name, {day}, NULL, created_at FROM property_company \
             WHERE party_org_name IS NOT NULL ORDER BY id"
        ))
        .await?;
        db.execute_unprepared("ALTER TABLE property_company DROP COLUMN party_org_name")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "ALTER TABLE property_company ADD COLUMN party_org_name varchar NULL",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE property_company SET party_org_name = (SELECT o.name FROM company_party_org o \
             WHERE o.company_id = property_company.id AND o.dissolved_on IS NULL \
             ORDER BY o.id DESC LIMIT 1)",
        )
        .await?;
        drop_tables(manager, tables()).await
    }
}
