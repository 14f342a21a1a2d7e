//! What an operator watches: `/metrics` in Prometheus' text format, and a
//! request id on every response.

use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn metrics_count_requests_refusals_and_login_failures() {
    let app = spawn_app().await;
    app.gql(None, "query Home { __typename }", json!({})).await;
    let bomb = format!(
        "{{ {} }}",
        (0..20)
            .map(|i| format!("a{i}: __typename"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    app.gql(None, &bomb, json!({})).await;
    app.ok(
        None,
        "mutation($input: LoginInput!) { login(input: $input) { token } }",
        json!({ "input": { "username": "admin", "password": "not the password" } }),
    )
    .await;
    let resp = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .expect("metrics");
    assert_eq!(resp.status(), reqwest::StatusCode::OK);
    let text = resp.text().await.expect("text");
    for line in [
        "graphql_requests_total{operation=\"Home\",outcome=\"ok\"}",
        "graphql_request_duration_seconds_bucket{operation=\"Home\"",
        "refusals_total{limit=\"aliases\"}",
        "login_failures_total{reason=\"wrong_password\"}",
        "db_pool_connections{state=\"open\"}",
        "websocket_sockets_open",
    ] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let resp = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .expect("health");
    let id = resp.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(!id.is_empty());
    let next = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .expect("health");
    assert_ne!(next.headers()["x-request-id"].to_str().unwrap(), id);
    // One a proxy set is kept.
    let kept = app
        .client
        .get(format!("{}/healthz", app.address))
        .header("x-request-id", "from-the-proxy")
        .send()
        .await
        .expect("health");
    assert_eq!(kept.headers()["x-request-id"], "from-the-proxy");
}

#[tokio::test]
async fn in_production_metrics_are_for_the_local_network_only() {
    let app = spawn_app_with(|c| {
        c.production = true;
        c.client_ip_header = Some("x-real-ip".into());
    })
    .await;
    let from = |ip: &'static str| {
        app.client
            .get(format!("{}/metrics", app.address))
            .header("x-real-ip", ip)
            .send()
    };
    assert_eq!(from("10.1.2.3").await.expect("metrics").status(), 200);
    assert_eq!(from("203.0.113.9").await.expect("metrics").status(), 404);
}
