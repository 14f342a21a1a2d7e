//! The migrations apply, roll back completely and apply again, on SQLite and,
//! when `TEST_DATABASE_URL` names a PostgreSQL server, on PostgreSQL.

use migration::{Migrator, MigratorTrait, SchemaManager};
use sea_orm_migration::sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};
use std::time::{SystemTime, UNIX_EPOCH};

/// Every table of `docs/DATA_MODEL.md`.
const TABLES: [&str; 35] = [
    "district",
    "subdistrict",
    "community",
    "grid",
    "compound",
    "building",
    "entrance",
    "dwelling",
    "person",
    "residency",
    "ownership",
    "party_branch",
    "party_branch_member",
    "owners_committee",
    "committee_member",
    "property_company",
    "property_contract",
    "joint_meeting",
    "joint_meeting_attendee",
    "joint_meeting_resolution",
    "chief_appointment",
    "community_committee",
    "community_committee_member",
    "company_post",
    "company_party_org",
    "company_party_member",
    "chief_association",
    "chief_association_member",
    "chief_conduct_record",
    "account",
    "auth_token",
    "role_grant",
    "audit_record",
    "placard",
    "placard_person",
];

async fn tables_present(db: &DatabaseConnection) -> Vec<&'static str> {
    let manager = SchemaManager::new(db);
    let mut present = Vec::new();
    for table in TABLES {
        if manager.has_table(table).await.expect("has_table") {
            present.push(table);
        }
    }
    present
}

/// Runs `sql`, which must fail (a constraint must reject it).
async fn rejected(db: &DatabaseConnection, sql: &str) {
    assert!(
        db.execute_unprepared(sql).await.is_err(),
        "expected the database to reject: {sql}"
    );
}

/// Runs `sql`, which a foreign key must reject (not a missing column or a
/// syntax error).
async fn rejected_by_key(db: &DatabaseConnection, sql: &str) {
    match db.execute_unprepared(sql).await {
        Ok(_) => panic!("expected a foreign key to reject: {sql}"),
        Err(e) => assert!(
            e.to_string().to_lowercase().contains("foreign key"),
            "expected a foreign-key violation for {sql}, got: {e}"
        ),
    }
}

/// Runs `sql`, which must succeed.
async fn accepted(db: &DatabaseConnection, sql: &str) {
    if let Err(e) = db.execute_unprepared(sql).await {
        panic!("expected the database to accept: {sql}: {e}");
    }
}

/// The keys, checks and uniques of the fresh schema hold.
async fn constraints_hold(db: &DatabaseConnection) {
    accepted(
        db,
        "INSERT INTO subdistrict (name, created_at) VALUES ('S', CURRENT_TIMESTAMP)",
    )
    .await;
    rejected(
        db,
        "INSERT INTO subdistrict (name, created_at) VALUES ('S', CURRENT_TIMESTAMP)",
    )
    .await;
    accepted(
        db,
        "INSERT INTO community (subdistrict_id, name, created_at) \
         SELECT id, 'C', CURRENT_TIMESTAMP FROM subdistrict WHERE name = 'S'",
    )
    .await;
    rejected(
        db,
        "INSERT INTO community (subdistrict_id, name, created_at) VALUES (999999, 'X', CURRENT_TIMESTAMP)",
    )
    .await;
    // ON DELETE RESTRICT.
    rejected(db, "DELETE FROM subdistrict WHERE name = 'S'").await;
    accepted(
        db,
        "INSERT INTO compound (community_id, name, kind, created_at, updated_at) \
         SELECT id, 'P', 'OLD_COMPOUND', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM community",
    )
    .await;
    accepted(
        db,
        "INSERT INTO building (compound_id, name, kind, created_at) \
         SELECT id, 'B1', 'APARTMENT', CURRENT_TIMESTAMP FROM compound",
    )
    .await;
    accepted(
        db,
        "INSERT INTO dwelling (building_id, number, exclusive_area_centi, created_at) \
         SELECT id, '101', 8950, CURRENT_TIMESTAMP FROM building",
    )
    .await;
    rejected(
        db,
        "INSERT INTO dwelling (building_id, number, exclusive_area_centi, created_at) \
         SELECT id, '102', 0, CURRENT_TIMESTAMP FROM building",
    )
    .await;
    // Booleans default to false.
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT developer_held FROM dwelling WHERE number = '101'",
        ))
        .await
        .expect("select dwelling")
        .expect("one dwelling");
    let developer_held: bool = row.try_get("", "developer_held").expect("bool");
    assert!(!developer_held);
    accepted(
        db,
        "INSERT INTO property_company (name, star_rating, created_at) VALUES ('Q', 5, CURRENT_TIMESTAMP)",
    )
    .await;
    accepted(
        db,
        "INSERT INTO property_company (name, created_at) VALUES ('R', CURRENT_TIMESTAMP)",
    )
    .await;
    rejected(
        db,
        "INSERT INTO property_company (name, star_rating, created_at) VALUES ('T', 6, CURRENT_TIMESTAMP)",
    )
    .await;
    rejected(
        db,
        "INSERT INTO property_company (name, star_rating, created_at) VALUES ('T', 0, CURRENT_TIMESTAMP)",
    )
    .await;
    // Scope columns are foreign keys too, the grid and building levels included.
    accepted(
        db,
        "INSERT INTO account (username, password_hash, display_name, disabled, created_at) \
         VALUES ('u', 'h', 'U', false, CURRENT_TIMESTAMP)",
    )
    .await;
    accepted(
        db,
        "INSERT INTO role_grant (account_id, role, compound_id, granted_at) \
         SELECT a.id, 'BRANCH_SECRETARY', c.id, CURRENT_TIMESTAMP FROM account a, compound c",
    )
    .await;
    for column in [
        "subdistrict_id",
        "community_id",
        "grid_id",
        "compound_id",
        "building_id",
        "dwelling_id",
    ] {
        rejected_by_key(
            db,
            &format!(
                "INSERT INTO role_grant (account_id, role, {column}, granted_at) \
                 SELECT id, 'RESIDENT', 999999, CURRENT_TIMESTAMP FROM account"
            ),
        )
        .await;
    }
    accepted(
        db,
        "INSERT INTO person (community_id, name, is_party_member, created_at, updated_at) \
         SELECT id, 'P', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM community",
    )
    .await;
    for column in ["grid_id", "compound_id", "building_id"] {
        rejected_by_key(
            db,
            &format!(
                "INSERT INTO chief_appointment (level, person_id, community_id, {column}, contact_phone, duties, starts_on, created_at) \
                 SELECT 'BUILDING_CHIEF', p.id, p.community_id, 999999, '1', 0, '2026-01-01', CURRENT_TIMESTAMP FROM person p"
            ),
        )
        .await;
    }
    // Placards: one posting a compound a day, one person a post of a posting.
    let placard = "INSERT INTO placard (compound_id, posted_on, created_at) \
         SELECT id, '2026-01-01', CURRENT_TIMESTAMP FROM compound";
    accepted(db, placard).await;
    rejected(db, placard).await;
    rejected_by_key(
        db,
        "INSERT INTO placard (compound_id, posted_on, created_at) \
         VALUES (999999, '2026-01-02', CURRENT_TIMESTAMP)",
    )
    .await;
    let named = "INSERT INTO placard_person (placard_id, post, person_id, name, title, contact_phone) \
         SELECT pl.id, 'COMPOUND_RESPONSIBLE', p.id, 'P', '书记', '027-87654321' FROM placard pl, person p";
    accepted(db, named).await;
    rejected(db, named).await;
    rejected_by_key(
        db,
        "INSERT INTO placard_person (placard_id, post, person_id, name, title, contact_phone) \
         SELECT id, 'COMMUNITY_RESPONSIBLE', 999999, 'P', '委员', '027-87654321' FROM placard",
    )
    .await;
}

/// Up, down (all), up again.
async fn up_down_up(db: &DatabaseConnection) {
    Migrator::up(db, None).await.expect("first up");
    assert_eq!(tables_present(db).await, TABLES.to_vec());
    constraints_hold(db).await;

    Migrator::down(db, None).await.expect("down");
    assert_eq!(tables_present(db).await, Vec::<&str>::new());
    assert!(
        Migrator::get_applied_migrations(db)
            .await
            .expect("applied")
            .is_empty()
    );

    Migrator::up(db, None).await.expect("second up");
    assert_eq!(tables_present(db).await, TABLES.to_vec());
    constraints_hold(db).await;
}

/// A company's party organisation name, from before organisations were
/// bodies, becomes an organisation of that name established on the day the
/// company was registered; rolling back puts the name back. Starts from an
/// empty database.
async fn party_org_names_carry_over(db: &DatabaseConnection) {
    Migrator::up(db, Some(6)).await.expect("up to districts");
    accepted(
        db,
        "INSERT INTO property_company (name, party_org_name, created_at) VALUES \
         ('红物业', '红物业党支部', '2025-03-04 08:00:00+00:00'), ('白物业', NULL, '2025-03-04 08:00:00+00:00')",
    )
    .await;
    Migrator::up(db, None).await.expect("the rest");
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT c.name AS company, o.name AS org, CAST(o.established_on AS text) AS since \
             FROM company_party_org o JOIN property_company c ON c.id = o.company_id",
        ))
        .await
        .expect("organisations");
    let found: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get("", "company").unwrap(),
                r.try_get("", "org").unwrap(),
                r.try_get("", "since").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [(
            "红物业".to_owned(),
            "红物业党支部".to_owned(),
            "2025-03-04".to_owned()
        )]
    );
    Migrator::down(db, Some(Migrator::migrations().len() as u32 - 6))
        .await
        .expect("back to districts");
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT party_org_name FROM property_company WHERE name = '红物业'",
        ))
        .await
        .expect("read")
        .expect("the company");
    let name: Option<String> = row.try_get("", "party_org_name").unwrap();
    assert_eq!(name.as_deref(), Some("红物业党支部"));
    Migrator::down(db, None).await.expect("down");
}

/// The ballots cast before `standing_ballot` existed get their rows when it
/// is created: each owner's one that no later ballot supersedes. Starts
/// from an empty database and leaves it empty.
async fn standing_ballots_carry_over(db: &DatabaseConnection) {
    let creating = Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261207_000018_standing_ballots")
        .expect("the migration creating standing_ballot") as u32;
    Migrator::up(db, Some(creating))
        .await
        .expect("up to the one before");
    for sql in [
        "INSERT INTO subdistrict (name, created_at) VALUES ('S', CURRENT_TIMESTAMP)",
        "INSERT INTO community (subdistrict_id, name, created_at) SELECT id, 'C', CURRENT_TIMESTAMP FROM subdistrict",
        "INSERT INTO compound (community_id, name, kind, created_at, updated_at) \
         SELECT id, 'X', 'COMMODITY_HOUSING', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM community",
        "INSERT INTO account (username, password_hash, display_name, disabled, created_at) \
         VALUES ('u', 'h', 'U', false, CURRENT_TIMESTAMP)",
        "INSERT INTO assembly_vote (compound_id, matter, title, description, status, total_area_centi, total_heads, opened_at, opened_by) \
         SELECT c.id, 'OTHER_MAJOR_MATTER', 'V', '', 'OPEN', 30000, 3, CURRENT_TIMESTAMP, a.id FROM compound c, account a",
        "INSERT INTO vote_voter (vote_id, unit_key, area_centi, is_developer) \
         SELECT id, 'owners:1', 10000, false FROM assembly_vote",
        "INSERT INTO vote_voter (vote_id, unit_key, area_centi, is_developer) \
         SELECT id, 'owners:2', 10000, false FROM assembly_vote",
        "INSERT INTO vote_voter (vote_id, unit_key, area_centi, is_developer) \
         SELECT id, 'owners:3', 10000, false FROM assembly_vote",
    ] {
        accepted(db, sql).await;
    }
    // Owner 1 changes twice (agree, disagree, abstain), owner 2 casts once,
    // owner 3 never.
    let ballot = |unit: &str, choice: &str, supersedes: &str| {
        format!(
            "INSERT INTO ballot (vote_id, voter_id, choice, recorded_by, paper, supersedes_id, cast_at) \
             SELECT v.vote_id, v.id, '{choice}', a.id, true, {supersedes}, CURRENT_TIMESTAMP \
             FROM vote_voter v, account a WHERE v.unit_key = '{unit}'"
        )
    };
    let last = "(SELECT MAX(id) FROM ballot)";
    accepted(db, &ballot("owners:1", "AGREE", "NULL")).await;
    accepted(db, &ballot("owners:2", "AGREE", "NULL")).await;
    accepted(
        db,
        &ballot("owners:1", "DISAGREE", "(SELECT MIN(id) FROM ballot)"),
    )
    .await;
    accepted(db, &ballot("owners:1", "ABSTAIN", last)).await;
    Migrator::up(db, None).await.expect("the rest");
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT v.unit_key, s.choice FROM standing_ballot s \
             JOIN vote_voter v ON v.id = s.voter_id JOIN ballot b ON b.id = s.ballot_id \
             WHERE s.vote_id = b.vote_id AND s.choice = b.choice AND s.area_centi = v.area_centi \
             ORDER BY v.unit_key",
        ))
        .await
        .expect("standing ballots");
    let found: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get("", "unit_key").unwrap(),
                r.try_get("", "choice").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("owners:1".to_owned(), "ABSTAIN".to_owned()),
            ("owners:2".to_owned(), "AGREE".to_owned())
        ]
    );
    // One standing row per owner, and one owner per standing ballot.
    rejected(
        db,
        "INSERT INTO standing_ballot (voter_id, vote_id, ballot_id, choice, area_centi) \
         SELECT voter_id, vote_id, ballot_id, choice, area_centi FROM standing_ballot",
    )
    .await;
    accepted(db, "DELETE FROM standing_ballot").await;
    // Newest first: each ballot is referenced by the one superseding it.
    for _ in 0..4 {
        accepted(
            db,
            "DELETE FROM ballot WHERE id = (SELECT MAX(id) FROM ballot)",
        )
        .await;
    }
    for table in [
        "vote_voter",
        "assembly_vote",
        "account",
        "compound",
        "community",
        "subdistrict",
    ] {
        accepted(db, &format!("DELETE FROM {table}")).await;
    }
    Migrator::down(db, None).await.expect("down");
}

#[tokio::test]
async fn sqlite_party_org_names_carry_over() {
    let db = Database::connect("sqlite::memory:")
        .await
        .expect("connect to SQLite");
    party_org_names_carry_over(&db).await;
}

#[tokio::test]
async fn sqlite_standing_ballots_carry_over() {
    let db = Database::connect("sqlite::memory:")
        .await
        .expect("connect to SQLite");
    standing_ballots_carry_over(&db).await;
}

#[tokio::test]
async fn sqlite_up_down_up() {
    let db = Database::connect("sqlite::memory:")
        .await
        .expect("connect to SQLite");
    up_down_up(&db).await;

    // The 64-bit key is SQLite's rowid alias, never reused.
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'dwelling'",
        ))
        .await
        .expect("read sqlite_master")
        .expect("dwelling table");
    let sql: String = row.try_get("", "sql").expect("sql");
    assert!(
        sql.contains(r#""id" integer NOT NULL PRIMARY KEY AUTOINCREMENT"#),
        "{sql}"
    );
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority_start..].find('/') {
        Some(i) => &base[..authority_start + i],
        None => base,
    };
    format!("{server}/{name}{query}")
}

#[tokio::test]
async fn postgres_up_down_up() {
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL is not set; skipping the PostgreSQL run");
        return;
    };
    let admin = Database::connect(&url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    assert_eq!(admin.get_database_backend(), DbBackend::Postgres);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_nanos();
    let name = format!("migration_test_{}_{nanos}", std::process::id());
    admin
        .execute_unprepared(&format!(r#"CREATE DATABASE "{name}""#))
        .await
        .expect("create the test database");

    let test_url = with_database(&url, &name);
    let outcome = tokio::spawn(async move {
        let db = Database::connect(&test_url)
            .await
            .expect("connect to the test database");
        up_down_up(&db).await;
        Migrator::down(&db, None).await.expect("down");
        party_org_names_carry_over(&db).await;
        standing_ballots_carry_over(&db).await;
        db.close().await.expect("close");
    })
    .await;

    admin
        .execute_unprepared(&format!(r#"DROP DATABASE "{name}" WITH (FORCE)"#))
        .await
        .expect("drop the test database");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[test]
fn database_name_is_replaced() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "t"),
        "postgres://postgres@127.0.0.1:5432/t"
    );
    assert_eq!(
        with_database("postgres://u:p@h/db?sslmode=disable", "t"),
        "postgres://u:p@h/t?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://h:5432", "t"),
        "postgres://h:5432/t"
    );
}
