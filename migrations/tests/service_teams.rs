//! The service-team tables of `m20261202_000010_service_teams` keep their
//! rules in the database too: a team belongs to exactly one compound or one
//! community, its name is unique within that unit only, dates run forward,
//! counts are not negative, and the tables go with a full rollback. On
//! SQLite, and on PostgreSQL when `TEST_DATABASE_URL` names a server.

use migration::{Migrator, MigratorTrait, SchemaManager};
use sea_orm_migration::sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use std::time::{SystemTime, UNIX_EPOCH};

const TABLES: [&str; 4] = [
    "service_team",
    "service_team_member",
    "service_activity",
    "service_activity_participant",
];

async fn run(db: &DatabaseConnection, sql: &str) -> Result<(), String> {
    db.execute_unprepared(sql)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

async fn accepted(db: &DatabaseConnection, sql: &str) {
    if let Err(e) = run(db, sql).await {
        panic!("expected the database to accept: {sql}: {e}");
    }
}

async fn rejected(db: &DatabaseConnection, sql: &str) {
    assert!(
        run(db, sql).await.is_err(),
        "expected the database to reject: {sql}"
    );
}

fn team(unit: &str, name: &str, dates: &str) -> String {
    format!(
        "INSERT INTO service_team (compound_id, community_id, name, kind, description, founded_on, disbanded_on, created_at) \
         SELECT {unit}, '{name}', 'SERVICE', '', {dates}, CURRENT_TIMESTAMP FROM compound"
    )
}

async fn rules_hold(db: &DatabaseConnection) {
    Migrator::up(db, None).await.expect("up");
    let manager = SchemaManager::new(db);
    for t in TABLES {
        assert!(manager.has_table(t).await.expect("has_table"), "{t}");
    }
    accepted(
        db,
        "INSERT INTO subdistrict (name, created_at) VALUES ('S', CURRENT_TIMESTAMP)",
    )
    .await;
    accepted(
        db,
        "INSERT INTO community (subdistrict_id, name, created_at) SELECT id, 'C', CURRENT_TIMESTAMP FROM subdistrict",
    )
    .await;
    accepted(
        db,
        "INSERT INTO compound (community_id, name, kind, created_at, updated_at) \
         SELECT id, 'P', 'OLD_COMPOUND', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM community",
    )
    .await;
    let dates = "'2024-01-01', NULL";
    // Exactly one unit.
    accepted(db, &team("id, NULL", "A", dates)).await;
    accepted(db, &team("NULL, community_id", "A", dates)).await;
    rejected(db, &team("id, community_id", "B", dates)).await;
    rejected(db, &team("NULL, NULL", "B", dates)).await;
    // Names are unique within the unit.
    rejected(db, &team("id, NULL", "A", dates)).await;
    rejected(db, &team("NULL, community_id", "A", dates)).await;
    // Disbanded on or after the founding.
    accepted(db, &team("id, NULL", "C", "'2024-01-01', '2024-01-01'")).await;
    rejected(db, &team("id, NULL", "D", "'2024-01-02', '2024-01-01'")).await;
    accepted(
        db,
        "INSERT INTO person (community_id, name, is_party_member, created_at, updated_at) \
         SELECT id, 'P', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM community",
    )
    .await;
    let member = |left: &str| {
        format!(
            "INSERT INTO service_team_member (team_id, person_id, role, joined_on, left_on, created_at) \
             SELECT t.id, p.id, 'MEMBER', '2024-02-01', {left}, CURRENT_TIMESTAMP \
             FROM service_team t, person p WHERE t.name = 'A' AND t.compound_id IS NOT NULL"
        )
    };
    accepted(db, &member("NULL")).await;
    rejected(db, &member("'2024-01-31'")).await;
    accepted(
        db,
        "INSERT INTO account (username, password_hash, display_name, disabled, created_at) \
         VALUES ('u', 'h', 'U', false, CURRENT_TIMESTAMP)",
    )
    .await;
    let activity = |count: i32, minutes: &str| {
        format!(
            "INSERT INTO service_activity (team_id, held_on, title, description, participant_count, service_minutes, withdrawn, recorded_by, created_at) \
             SELECT t.id, '2024-03-01', 'x', '', {count}, {minutes}, false, a.id, CURRENT_TIMESTAMP \
             FROM service_team t, account a WHERE t.name = 'A' AND t.compound_id IS NOT NULL"
        )
    };
    accepted(db, &activity(3, "NULL")).await;
    rejected(db, &activity(-1, "NULL")).await;
    rejected(db, &activity(3, "0")).await;
    let participant = "INSERT INTO service_activity_participant (activity_id, member_id) \
                       SELECT a.id, m.id FROM service_activity a, service_team_member m";
    accepted(db, participant).await;
    rejected(db, participant).await;

    Migrator::down(db, None).await.expect("down");
    for t in TABLES {
        assert!(!manager.has_table(t).await.expect("has_table"), "{t}");
    }
}

#[tokio::test]
async fn sqlite_service_team_rules() {
    let db = Database::connect("sqlite::memory:").await.expect("connect");
    rules_hold(&db).await;
}

#[tokio::test]
async fn postgres_service_team_rules() {
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL is not set; skipping the PostgreSQL run");
        return;
    };
    let admin = Database::connect(&url).await.expect("connect");
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_nanos();
    let name = format!("teams_migration_{}_{nanos}", std::process::id());
    admin
        .execute_unprepared(&format!(r#"CREATE DATABASE "{name}""#))
        .await
        .expect("create");
    let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&url);
    let test_url = format!("{base}/{name}");
    let outcome = tokio::spawn(async move {
        let db = Database::connect(&test_url).await.expect("connect");
        rules_hold(&db).await;
        db.close().await.expect("close");
    })
    .await;
    admin
        .execute_unprepared(&format!(r#"DROP DATABASE "{name}" WITH (FORCE)"#))
        .await
        .expect("drop");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
