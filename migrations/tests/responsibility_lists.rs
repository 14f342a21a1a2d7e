//! The responsibility-list migration on SQLite: its tables come and go with
//! up and down, and a link names exactly one party.

use migration::{Migrator, MigratorTrait, SchemaManager};
use sea_orm_migration::sea_orm::{ConnectionTrait, Database};

const TABLES: [&str; 4] = [
    "responsibility_list",
    "responsibility_list_version",
    "responsibility_item",
    "responsibility_link",
];

#[tokio::test]
async fn tables_come_and_go_and_a_link_names_one_party() {
    let db = Database::connect("sqlite::memory:")
        .await
        .expect("connect to SQLite");
    Migrator::up(&db, None).await.expect("up");
    let manager = SchemaManager::new(&db);
    for t in TABLES {
        assert!(manager.has_table(t).await.expect("has_table"), "{t}");
    }
    for sql in [
        "INSERT INTO subdistrict (name, created_at) VALUES ('S', CURRENT_TIMESTAMP)",
        "INSERT INTO community (subdistrict_id, name, created_at) SELECT id, 'C', CURRENT_TIMESTAMP FROM subdistrict",
        "INSERT INTO account (username, password_hash, display_name, disabled, created_at) \
         VALUES ('u', 'h', 'U', false, CURRENT_TIMESTAMP)",
        "INSERT INTO property_company (name, created_at) VALUES ('Q', CURRENT_TIMESTAMP)",
        "INSERT INTO responsibility_list (community_id, party_kind, created_at) \
         SELECT id, 'FACTORY', CURRENT_TIMESTAMP FROM community",
        "INSERT INTO responsibility_link (list_id, party_name, linked_by, created_at) \
         SELECT l.id, 'F', a.id, CURRENT_TIMESTAMP FROM responsibility_list l, account a",
    ] {
        db.execute_unprepared(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    for bad in [
        // No party.
        "INSERT INTO responsibility_link (list_id, linked_by, created_at) \
         SELECT l.id, a.id, CURRENT_TIMESTAMP FROM responsibility_list l, account a",
        // Two parties.
        "INSERT INTO responsibility_link (list_id, party_name, property_company_id, linked_by, created_at) \
         SELECT l.id, 'G', q.id, a.id, CURRENT_TIMESTAMP FROM responsibility_list l, account a, property_company q",
        // One list per kind of party in a community.
        "INSERT INTO responsibility_list (community_id, party_kind, created_at) \
         SELECT id, 'FACTORY', CURRENT_TIMESTAMP FROM community",
        // Version numbers start at 1.
        "INSERT INTO responsibility_list_version (list_id, number, title, published_on, published_by, created_at) \
         SELECT l.id, 0, 't', '2026-01-01', a.id, CURRENT_TIMESTAMP FROM responsibility_list l, account a",
    ] {
        assert!(db.execute_unprepared(bad).await.is_err(), "accepted: {bad}");
    }
    // Roll back to just before this migration, whatever came after it.
    let back = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| {
            sea_orm_migration::MigrationName::name(m.as_ref()).contains("responsibility_lists")
        })
        .expect("the migration is listed")
        + 1;
    Migrator::down(&db, Some(back as u32))
        .await
        .expect("down to before it");
    for t in TABLES {
        assert!(!manager.has_table(t).await.expect("has_table"), "{t}");
    }
    Migrator::up(&db, None).await.expect("up again");
}
