//! Integrity for scope columns: the scope columns of chief appointments and
//! role grants become foreign keys, and role grants gain the grid and
//! building levels (for grid workers and building chiefs).
//!
//! PostgreSQL adds the constraints and columns in place. SQLite cannot add
//! a constraint to a table, so there each table is rebuilt: renamed aside,
//! created anew, its rows copied, the old one dropped. No other table
//! refers to these two, so the rebuild touches nothing else.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, date, date_null, integer, integer_null, string, string_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null,
};
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, TransactionTrait};

use crate::builder::{TableDef, kind};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The scope columns that become foreign keys: (table, column, parent).
const SCOPE_KEYS: [(&str, &str, &str); 7] = [
    ("chief_appointment", "grid_id", "grid"),
    ("chief_appointment", "compound_id", "compound"),
    ("chief_appointment", "building_id", "building"),
    ("role_grant", "subdistrict_id", "subdistrict"),
    ("role_grant", "community_id", "community"),
    ("role_grant", "compound_id", "compound"),
    ("role_grant", "dwelling_id", "dwelling"),
];

/// The role-grant columns this migration adds: (column, parent).
const NEW_GRANT_LEVELS: [(&str, &str); 2] = [("grid_id", "grid"), ("building_id", "building")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            rebuild(manager, chief_appointment(true), CHIEF_COLUMNS).await?;
            rebuild(manager, role_grant(true), GRANT_COLUMNS_BEFORE).await?;
            return Ok(());
        }
        for (column, _) in NEW_GRANT_LEVELS {
            manager
                .alter_table(
                    Table::alter()
                        .table("role_grant")
                        .add_column(big_integer_null(column))
                        .to_owned(),
                )
                .await?;
        }
        let new_levels = NEW_GRANT_LEVELS.map(|(c, p)| ("role_grant", c, p));
        for (table, column, parent) in SCOPE_KEYS.iter().chain(&new_levels) {
            manager
                .create_foreign_key(
                    ForeignKey::create()
                        .name(format!("fk_{table}_{column}"))
                        .from(*table, *column)
                        .to(*parent, "id")
                        .on_delete(ForeignKeyAction::Restrict)
                        .to_owned(),
                )
                .await?;
        }
        for (table, column, _) in SCOPE_KEYS.iter().filter(|(t, ..)| *t == "role_grant") {
            manager.create_index(index(table, column)).await?;
        }
        for (column, _) in NEW_GRANT_LEVELS {
            manager.create_index(index("role_grant", column)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            rebuild(manager, chief_appointment(false), CHIEF_COLUMNS).await?;
            rebuild(manager, role_grant(false), GRANT_COLUMNS_BEFORE).await?;
            return Ok(());
        }
        for (table, column, _) in SCOPE_KEYS {
            manager
                .drop_foreign_key(
                    ForeignKey::drop()
                        .name(format!("fk_{table}_{column}"))
                        .table(table)
                        .to_owned(),
                )
                .await?;
            if table == "role_grant" {
                manager
                    .drop_index(
                        Index::drop()
                            .name(format!("idx_{table}_{column}"))
                            .table(table)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        for (column, _) in NEW_GRANT_LEVELS {
            // Dropping the column drops its constraint and index.
            manager
                .alter_table(
                    Table::alter()
                        .table("role_grant")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

fn index(table: &str, column: &str) -> IndexCreateStatement {
    Index::create()
        .name(format!("idx_{table}_{column}"))
        .table(table.to_owned())
        .col(column.to_owned())
        .to_owned()
}

const CHIEF_COLUMNS: &[&str] = &[
    "id",
    "level",
    "person_id",
    "community_id",
    "grid_id",
    "compound_id",
    "building_id",
    "floor_from",
    "floor_to",
    "scope_label",
    "contact_phone",
    "duties",
    "starts_on",
    "ends_on",
    "created_at",
];

/// The role-grant columns before this migration: those both versions of
/// the table have, and so those a rebuild copies.
const GRANT_COLUMNS_BEFORE: &[&str] = &[
    "id",
    "account_id",
    "role",
    "subdistrict_id",
    "community_id",
    "compound_id",
    "dwelling_id",
    "granted_at",
    "revoked_at",
];

/// Chief appointments, with their scope columns as foreign keys or not.
fn chief_appointment(keyed: bool) -> TableDef {
    let t = TableDef::new("chief_appointment")
        .col(kind("level"))
        .col(big_integer("person_id"))
        .col(big_integer("community_id"))
        .col(big_integer_null("grid_id"))
        .col(big_integer_null("compound_id"))
        .col(big_integer_null("building_id"))
        .col(integer_null("floor_from"))
        .col(integer_null("floor_to"))
        .col(string_null("scope_label"))
        .col(string("contact_phone"))
        .col(integer("duties"))
        .col(date("starts_on"))
        .col(date_null("ends_on"))
        .col(timestamp_with_time_zone("created_at"))
        .fk("person_id", "person")
        .fk("community_id", "community");
    if keyed {
        t.fk("grid_id", "grid")
            .fk("compound_id", "compound")
            .fk("building_id", "building")
    } else {
        t.index(&["grid_id"])
            .index(&["compound_id"])
            .index(&["building_id"])
    }
}

/// Role grants: before this migration (no scope keys, four levels) or after.
fn role_grant(after: bool) -> TableDef {
    let t = TableDef::new("role_grant")
        .col(big_integer("account_id"))
        .col(kind("role"))
        .col(big_integer_null("subdistrict_id"))
        .col(big_integer_null("community_id"))
        .col(big_integer_null("compound_id"))
        .col(big_integer_null("dwelling_id"))
        .col(timestamp_with_time_zone("granted_at"))
        .col(timestamp_with_time_zone_null("revoked_at"))
        .fk("account_id", "account");
    if after {
        t.col(big_integer_null("grid_id"))
            .col(big_integer_null("building_id"))
            .fk("subdistrict_id", "subdistrict")
            .fk("community_id", "community")
            .fk("compound_id", "compound")
            .fk("dwelling_id", "dwelling")
            .fk("grid_id", "grid")
            .fk("building_id", "building")
    } else {
        t
    }
}

/// Rebuilds a table on SQLite as `def`, keeping the rows (`columns`, which
/// both the old and the new table have). The steps run in one transaction,
/// on one connection: a pooled connection with an older view of the schema
/// must not see the table half rebuilt.
async fn rebuild(
    manager: &SchemaManager<'_>,
    def: TableDef,
    columns: &[&str],
) -> Result<(), DbErr> {
    let name = def.name;
    let aside = format!("{name}_rebuilt");
    let (create, indexes) = def.build();
    let list = columns.join(", ");
    let mut statements = vec![
        format!("ALTER TABLE {name} RENAME TO {aside}"),
        create.to_string(SqliteQueryBuilder),
        format!("INSERT INTO {name} ({list}) SELECT {list} FROM {aside}"),
        format!("DROP TABLE {aside}"),
    ];
    statements.extend(indexes.iter().map(|i| i.to_string(SqliteQueryBuilder)));
    let txn = manager.get_connection().begin().await?;
    for statement in statements {
        txn.execute_unprepared(&statement).await?;
    }
    txn.commit().await
}
