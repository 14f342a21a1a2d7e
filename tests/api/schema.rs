//! The committed `schema.graphql` equals the served schema, and every part
//! of the schema is documented.

/// Fails with a diff when `schema.graphql` drifts from the code; rewrites
/// it when run with `UPDATE_SCHEMA=1`.
#[test]
fn schema_graphql_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let sdl = compound_api::graphql::sdl();
    if std::env::var("UPDATE_SCHEMA").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &sdl).expect("write schema.graphql");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != sdl {
        let old: Vec<&str> = committed.lines().collect();
        let new: Vec<&str> = sdl.lines().collect();
        let first = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
        let window = |lines: &[&str]| {
            lines
                .iter()
                .skip(first.saturating_sub(2))
                .take(8)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "schema.graphql is out of date: the first difference is at line {}.\n--- committed\n{}\n+++ generated\n{}\nRun `UPDATE_SCHEMA=1 cargo test --test api schema_graphql` to update it.",
            first + 1,
            window(&old),
            window(&new),
        );
    }
}

/// Every type, field, argument, input field and enum value of our own has a description.
#[tokio::test]
async fn every_part_of_the_schema_is_documented() {
    // The served schema, subscriptions included.
    let schema = compound_api::graphql::bare_schema();
    let resp = schema
        .execute(
            r#"{ __schema { types { name kind description
                 fields(includeDeprecated: true) { name description args { name description } }
                 inputFields { name description }
                 enumValues(includeDeprecated: true) { name description } } } }"#,
        )
        .await;
    assert!(resp.errors.is_empty(), "{:?}", resp.errors);
    let data = resp.data.into_json().unwrap();
    let mut missing = Vec::new();
    let blank = |v: &serde_json::Value| v.as_str().is_none_or(|s| s.trim().is_empty());
    for t in data["__schema"]["types"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if blank(&t["description"]) {
            missing.push(name.to_owned());
        }
        for f in t["fields"].as_array().into_iter().flatten() {
            if blank(&f["description"]) {
                missing.push(format!("{name}.{}", f["name"]));
            }
            for a in f["args"].as_array().into_iter().flatten() {
                if blank(&a["description"]) {
                    missing.push(format!("{name}.{}({})", f["name"], a["name"]));
                }
            }
        }
        for f in t["inputFields"].as_array().into_iter().flatten() {
            if blank(&f["description"]) {
                missing.push(format!("{name}.{}", f["name"]));
            }
        }
        for v in t["enumValues"].as_array().into_iter().flatten() {
            if blank(&v["description"]) {
                missing.push(format!("{name}.{}", v["name"]));
            }
        }
    }
    assert!(missing.is_empty(), "undocumented: {missing:#?}");
}

/// Every unique index of the migrated database is classified in
/// `domain::constraints`: answered at an input field, or known to be
/// unreachable from input. A new unique constraint without a line there
/// fails here instead of surfacing as an internal error.
#[tokio::test]
async fn every_unique_constraint_answers_somewhere() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let app = crate::helpers::spawn_app().await;
    let backend = app.db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() \
             AND indexdef LIKE 'CREATE UNIQUE INDEX uq_%'"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'uq\\_%' ESCAPE '\\'"
        }
    };
    let rows = app
        .db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .expect("list unique indexes");
    let mut in_schema: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String>("", "name").expect("name"))
        .collect();
    in_schema.sort();
    let mut known: Vec<String> = compound_api::domain::constraints::known()
        .map(str::to_owned)
        .collect();
    known.sort();
    assert!(!in_schema.is_empty());
    assert_eq!(in_schema, known);
}
