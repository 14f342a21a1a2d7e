//! Rate limits for the whole API (src/http/rate_limit.rs): per client
//! address and per token, 429 with Retry-After, shared by every instance
//! over one PostgreSQL.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_with};

/// 60 a minute, 3 at once; the client's address from X-Forwarded-For.
async fn limited_app() -> TestApp {
    spawn_app_with(|c| {
        c.limits.rate_per_minute = 60;
        c.limits.rate_burst = 3;
        c.client_ip_header = Some("x-forwarded-for".into());
    })
    .await
}

async fn typename(
    app: &TestApp,
    base: &str,
    from: &str,
    token: Option<&str>,
) -> (StatusCode, Option<String>, Value) {
    let mut req = app
        .client
        .post(format!("{base}/graphql"))
        .header("x-forwarded-for", from)
        .json(&json!({ "query": "{ __typename }" }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status();
    let retry = resp
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry, resp.json().await.expect("json"))
}

#[tokio::test]
async fn an_address_gets_its_burst_then_429_with_retry_after() {
    let app = limited_app().await;
    for _ in 0..3 {
        let (status, _, body) = typename(&app, &app.address, "10.0.0.1", None).await;
        assert_eq!(status, StatusCode::OK, "{body:#}");
    }
    let (status, retry, body) = typename(&app, &app.address, "10.0.0.1", None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry.as_deref(), Some("1"));
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    // Another address is not held back, nor are the health probes.
    let (status, _, _) = typename(&app, &app.address, "10.0.0.2", None).await;
    assert_eq!(status, StatusCode::OK);
    let health = app
        .client
        .get(format!("{}/healthz", app.address))
        .header("x-forwarded-for", "10.0.0.1")
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), StatusCode::OK);
    // A second later (60 a minute), one more is allowed.
    app.clock
        .advance(chrono::Duration::seconds(1))
        .expect("adjustable");
    let (status, _, _) = typename(&app, &app.address, "10.0.0.1", None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_token_is_limited_whatever_address_it_comes_from() {
    let app = limited_app().await;
    let token = app.admin_token.clone();
    for from in ["10.0.1.1", "10.0.1.2", "10.0.1.3"] {
        let (status, _, body) = typename(&app, &app.address, from, Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "{body:#}");
    }
    let (status, _, _) = typename(&app, &app.address, "10.0.1.4", Some(&token)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

/// On PostgreSQL two instances share one budget; on SQLite (one process,
/// one instance) each keeps its own.
#[tokio::test]
async fn instances_over_postgresql_share_the_limits() {
    let app = limited_app().await;
    let second = app.second_instance().await;
    let shared = app.db.get_database_backend() == sea_orm::DbBackend::Postgres;
    for base in [&app.address, &second, &app.address] {
        let (status, _, _) = typename(&app, base, "10.0.2.1", None).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _, _) = typename(&app, &second, "10.0.2.1", None).await;
    let expected = if shared {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::OK
    };
    assert_eq!(status, expected);
}
