//! Chiefs as people the community manages: who provides each chief
//! (the community, the property company, a rental building's landlord, an
//! industrial zone's operator, the market regulator) and whether full- or
//! part-time; the building chiefs' association (楼栋长协会) with its members;
//! and commendations and penalties (奖惩) against its code of conduct.
//!
//! The new appointment columns are nullable: appointments made before this
//! migration did not record them, and the service says so instead of
//! guessing. They are added with `ALTER TABLE … ADD COLUMN`, which SQLite
//! and PostgreSQL both accept, so no table is rebuilt.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, date, date_null, string, text, text_null, timestamp_with_time_zone,
};
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::builder::{TableDef, create_tables, drop_tables, kind};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn tables() -> Vec<TableDef> {
    vec![
        TableDef::new("chief_association")
            .col(big_integer("community_id"))
            .col(string("name"))
            .col(date("founded_on"))
            .col(text("code_of_conduct"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("community_id", "community")
            .unique(&["community_id"]),
        TableDef::new("chief_association_member")
            .col(big_integer("association_id"))
            .col(big_integer("person_id"))
            .col(kind("role"))
            .col(date("joined_on"))
            .col(date_null("left_on"))
            .fk("association_id", "chief_association")
            .fk("person_id", "person"),
        TableDef::new("chief_conduct_record")
            .col(big_integer("appointment_id"))
            .col(kind("kind"))
            .col(date("decided_on"))
            .col(text("reason"))
            .col(text_null("code_article"))
            .col(string("decided_by"))
            .col(timestamp_with_time_zone("created_at"))
            .fk("appointment_id", "chief_appointment"),
    ]
}

/// The appointment columns added: (column, type, foreign key to).
const COLUMNS: [(&str, &str, Option<&str>); 4] = [
    ("employment", "varchar(32)", None),
    ("provider_kind", "varchar(32)", None),
    ("provider_company_id", "bigint", Some("property_company")),
    ("provider_name", "varchar", None),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (column, ty, parent) in COLUMNS {
            let reference = parent.map_or(String::new(), |p| {
                format!(
                    " CONSTRAINT fk_chief_appointment_{column} REFERENCES {p} (id) ON DELETE RESTRICT"
                )
            });
            db.execute_unprepared(&format!(
                "ALTER TABLE chief_appointment ADD COLUMN {column} {ty} NULL{reference}"
            ))
            .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_chief_appointment_provider_company_id")
                    .table("chief_appointment")
                    .col("provider_company_id")
                    .to_owned(),
            )
            .await?;
        create_tables(manager, tables()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, tables()).await?;
        let db = manager.get_connection();
        manager
            .drop_index(
                Index::drop()
                    .name("idx_chief_appointment_provider_company_id")
                    .table("chief_appointment")
                    .to_owned(),
            )
            .await?;
        for (column, _, parent) in COLUMNS.iter().rev() {
            if parent.is_some() && manager.get_database_backend() == DbBackend::Postgres {
                db.execute_unprepared(&format!(
                    "ALTER TABLE chief_appointment DROP CONSTRAINT fk_chief_appointment_{column}"
                ))
                .await?;
            }
            db.execute_unprepared(&format!(
                "ALTER TABLE chief_appointment DROP COLUMN {column}"
            ))
            .await?;
        }
        Ok(())
    }
}
