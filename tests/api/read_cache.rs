//! The read cache: a kept answer ends with any change through the API, with
//! the time-to-live on the service's clock and with the caller's token, and
//! one caller's answer is never served to another.

use std::time::Duration;

use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::{TestApp, fixture, person, spawn_app, spawn_app_with};

const COMPOUND: &str = "query($id: ID!) { node(id: $id) { ... on Compound { name buildings(first: 10) { edges { node { name } } } } } }";
const CREATE_BUILDING: &str = "mutation($input: CreateBuildingInput!) { createBuilding(input: $input) { building { id } userErrors { field message code } } }";
const PERSON_DATA: &str =
    "query($id: ID!) { node(id: $id) { ... on Person { name phone personalDataVisible } } }";

/// Renames every compound behind the service's back, as a writer that does
/// not go through the API (another tool on the same database) would.
async fn rename_under_the_api(app: &TestApp, name: &str) {
    app.db
        .execute_unprepared(&format!("UPDATE compound SET name = '{name}'"))
        .await
        .expect("update");
}

async fn compound_name(app: &TestApp, url: &str, id: &str) -> serde_json::Value {
    let body: serde_json::Value = app
        .client
        .post(url)
        .bearer_auth(&app.admin_token)
        .json(&json!({ "query": COMPOUND, "variables": { "id": id } }))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    body["data"]["node"]["name"].clone()
}

#[tokio::test]
async fn a_read_after_a_change_through_the_api_sees_the_change() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let read = || {
        app.ok(
            Some(&app.admin_token),
            COMPOUND,
            json!({ "id": f.compound }),
        )
    };
    let before = read().await;
    assert_eq!(read().await, before);
    app.mutate(
        &app.admin_token,
        "createBuilding",
        CREATE_BUILDING,
        json!({ "compoundId": f.compound, "name": "2号楼" }),
    )
    .await;
    let after = read().await;
    let names: Vec<&str> = after["node"]["buildings"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter_map(|e| e["node"]["name"].as_str())
        .collect();
    assert_eq!(names, ["1号楼", "2号楼"], "{after:#}");
}

/// What the cache keeps is bounded by its time-to-live, on the service's
/// clock: a change the service was not told of (a writer outside the API)
/// is served from the cache until then, and not after.
#[tokio::test]
async fn a_kept_answer_lives_at_most_the_time_to_live() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let url = app.graphql_url();
    assert_eq!(compound_name(&app, &url, &f.compound).await, "翠苑一区");
    rename_under_the_api(&app, "改名小区").await;
    assert_eq!(
        compound_name(&app, &url, &f.compound).await,
        "翠苑一区",
        "kept for the time-to-live"
    );
    app.clock
        .advance(chrono::Duration::from_std(app.config.read_cache_ttl).unwrap())
        .unwrap();
    assert_eq!(compound_name(&app, &url, &f.compound).await, "改名小区");
}

/// With the cache off nothing is kept: the outside change shows at once.
#[tokio::test]
async fn a_cache_of_no_size_keeps_nothing() {
    let app = spawn_app_with(|c| c.read_cache_bytes = 0).await;
    let f = fixture(&app).await;
    let url = app.graphql_url();
    assert_eq!(compound_name(&app, &url, &f.compound).await, "翠苑一区");
    rename_under_the_api(&app, "改名小区").await;
    assert_eq!(compound_name(&app, &url, &f.compound).await, "改名小区");
}

#[tokio::test]
async fn one_callers_answer_is_never_served_to_another() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let p = person(&app, &f, "张三", false).await;
    let read = |token: Option<String>| {
        let (app, p) = (&app, p.clone());
        async move {
            app.ok(token.as_deref(), PERSON_DATA, json!({ "id": p }))
                .await["node"]
                .clone()
        }
    };
    let admin = read(Some(app.admin_token.clone())).await;
    assert_eq!(admin["phone"], "13812345678");
    assert_eq!(read(Some(app.admin_token.clone())).await, admin);
    let resident = app
        .user_with_role("cache-resident", "RESIDENT", Some(&f.dwellings[0]))
        .await;
    for (who, token) in [
        ("anonymous", None),
        ("a resident", Some(resident)),
        ("an unknown token", Some("cg_not-a-token".to_owned())),
    ] {
        let seen = read(token).await;
        assert_eq!(seen["phone"], "138****5678", "{who}: {seen:#}");
        assert_eq!(seen["personalDataVisible"], false, "{who}: {seen:#}");
    }
}

/// An answer kept for a token ends when the token does, however long the
/// cache would keep it otherwise.
#[tokio::test]
async fn a_kept_answer_ends_with_its_token() {
    let app = spawn_app_with(|c| c.read_cache_ttl = Duration::from_secs(7 * 24 * 3600)).await;
    let f = fixture(&app).await;
    let p = person(&app, &f, "张三", false).await;
    let read = || app.ok(Some(&app.admin_token), PERSON_DATA, json!({ "id": p }));
    assert_eq!(read().await["node"]["phone"], "13812345678");
    app.clock
        .advance(chrono::Duration::from_std(app.config.token_ttl).unwrap())
        .unwrap();
    let seen = read().await;
    assert_eq!(seen["node"]["phone"], "138****5678", "{seen:#}");
}

/// Several instances over one PostgreSQL: a change through one ends what
/// the others kept, through the change notification, well before the
/// time-to-live (the clock does not move here). SQLite serves one instance
/// per file, so the test runs on PostgreSQL only.
#[tokio::test]
async fn a_change_through_another_instance_ends_what_this_one_kept() {
    if std::env::var("TEST_DATABASE_URL").map_or(true, |v| v.is_empty()) {
        return;
    }
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let here = app.graphql_url();
    let there = format!("{}/graphql", app.second_instance().await);
    assert_eq!(compound_name(&app, &here, &f.compound).await, "翠苑一区");
    let renamed = app
        .client
        .post(&there)
        .bearer_auth(&app.admin_token)
        .json(&json!({
            "query": "mutation($input: UpdateCompoundInput!) { updateCompound(input: $input) { compound { name } userErrors { message } } }",
            "variables": { "input": { "id": f.compound, "name": "改名小区" } }
        }))
        .send()
        .await
        .expect("send")
        .json::<serde_json::Value>()
        .await
        .expect("json");
    assert_eq!(
        renamed["data"]["updateCompound"]["compound"]["name"], "改名小区",
        "{renamed:#}"
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        if compound_name(&app, &here, &f.compound).await == "改名小区" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the other instance's change never reached this one"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
