//! The server loop (`startup::serve`): slow or idle clients are timed out,
//! SIGTERM shuts the binary down gracefully, closing sockets with 1001, and
//! the request timeout cancels the operation it interrupts.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::Child;
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::spawn_app_with;
use crate::subscriptions::Socket;

/// Reads until the server closes the connection; returns what it sent.
async fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
            .await
            .expect("closed within 10 s")
        {
            Ok(0) | Err(_) => return got,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn a_client_sending_headers_slowly_is_cut_off() {
    let app = spawn_app_with(|c| c.limits.header_read_timeout = Duration::from_secs(1)).await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&host).await.expect("connect");
    let started = Instant::now();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    // One header line a while later, never the end of the headers.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = stream.write_all(b"X-Slow: 1\r\n").await;
    until_closed(&mut stream).await;
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(900), "closed after {took:?}");
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let app = spawn_app_with(|c| c.limits.header_read_timeout = Duration::from_secs(1)).await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&host).await.expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let started = Instant::now();
    let got = until_closed(&mut stream).await;
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// Starts the built binary over `database`, keeping its files under `dir`,
/// on a free port, with the rate limits off and the `extra` settings;
/// returns it once `/healthz` answers, with its base URL. It is killed when
/// dropped.
pub(crate) async fn start_binary(
    database: &str,
    dir: &std::path::Path,
    extra: &[(&str, &str)],
) -> (Child, String) {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        l.local_addr().expect("addr").port()
    };
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_compound-api"))
        .env_clear()
        .env("DATABASE_URL", database)
        .env("ATTACHMENT_STORE", dir.join("files").display().to_string())
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("RATE_LIMIT_PER_MINUTE", "0")
        .env("RUST_LOG", "warn")
        .envs(extra.iter().copied())
        .kill_on_drop(true)
        .spawn()
        .expect("start the binary");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the binary did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (child, base)
}

/// The built binary, on its own SQLite file and a free port, is sent
/// SIGTERM while a socket is open: the socket is closed with 1001 and the
/// process exits cleanly.
#[cfg(unix)]
#[tokio::test]
async fn sigterm_closes_sockets_with_1001_and_exits_cleanly() {
    let dir = std::env::temp_dir().join(format!("capi-sigterm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let database = format!("sqlite://{}/c.db?mode=rwc", dir.display());
    let (mut child, base) = start_binary(&database, &dir, &[]).await;
    let mut socket = Socket::open_at(&format!("{base}/graphql"), None).await;
    let pid = child.id().expect("pid").to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let code = loop {
        match tokio::time::timeout(Duration::from_secs(10), socket.ws.next())
            .await
            .expect("a close within 10 s")
        {
            Some(Ok(Message::Close(Some(frame)))) => break u16::from(frame.code),
            Some(Ok(_)) => continue,
            other => panic!("no close frame: {other:?}"),
        }
    };
    assert_eq!(code, 1001);
    let exit = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("exits within 20 s")
        .expect("exit status");
    assert!(exit.success(), "{exit:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn production_mode_turns_off_introspection_suggestions_and_graphiql() {
    let app = spawn_app_with(|c| c.production = true).await;
    for query in [
        "{ __schema { queryType { name } } }",
        "{ __type(name: \"Query\") { name } }",
    ] {
        let body = app.gql(None, query, serde_json::json!({})).await;
        let message = body["errors"][0]["message"].as_str().unwrap_or("");
        assert!(message.contains("introspection is off"), "{body:#}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
        assert!(body.get("data").is_none(), "{body:#}");
    }
    let body = app
        .gql(None, "{ compoundz { totalCount } }", serde_json::json!({}))
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("compoundz"), "{body:#}");
    assert!(!message.contains("Did you mean"), "{message}");
    let page = app
        .client
        .get(app.graphql_url())
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    // No page to give: only JSON is served.
    assert_eq!(page.status(), reqwest::StatusCode::NOT_ACCEPTABLE);

    // Outside production, suggestions help, and GraphiQL is served with
    // headers that keep it from being framed or loading scripts elsewhere.
    let dev = spawn_app_with(|_| {}).await;
    let body = dev
        .gql(None, "{ compoundz { totalCount } }", serde_json::json!({}))
        .await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Did you mean")
    );
    let page = dev
        .client
        .get(dev.graphql_url())
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    let h = page.headers();
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
}

#[tokio::test]
async fn only_allow_listed_origins_may_call_from_a_browser() {
    let preflight = |app: &crate::helpers::TestApp, origin: &str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.graphql_url())
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type, authorization",
            )
            .send()
    };
    let closed = spawn_app_with(|_| {}).await;
    let resp = preflight(&closed, "https://portal.example.cn")
        .await
        .expect("preflight");
    assert!(resp.headers().get("access-control-allow-origin").is_none());

    let app =
        spawn_app_with(|c| c.cors_allowed_origins = vec!["https://portal.example.cn".into()]).await;
    let resp = preflight(&app, "https://portal.example.cn")
        .await
        .expect("preflight");
    assert_eq!(
        resp.headers()["access-control-allow-origin"],
        "https://portal.example.cn"
    );
    let methods = resp.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(methods.contains("POST"), "{methods}");
    let resp = preflight(&app, "https://evil.example.com")
        .await
        .expect("preflight");
    assert!(resp.headers().get("access-control-allow-origin").is_none());
    // A simple request from an allowed page is answered with the header.
    let resp = app
        .client
        .post(app.graphql_url())
        .header("origin", "https://portal.example.cn")
        .json(&serde_json::json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("request");
    assert_eq!(
        resp.headers()["access-control-allow-origin"],
        "https://portal.example.cn"
    );
}

#[tokio::test]
async fn with_trusted_documents_anonymous_callers_run_only_registered_ones() {
    use compound_api::http::trusted::digest;
    let home = "query Home { __typename }";
    let path = std::env::temp_dir().join(format!("capi-trusted-{}.json", std::process::id()));
    // The portal's sign-in is registered too (the helpers sign in with it).
    let login =
        "mutation($input: LoginInput!) { login(input: $input) { token userErrors { message } } }";
    let manifest = serde_json::json!({ digest(home): home, digest(login): login });
    std::fs::write(&path, manifest.to_string()).expect("manifest");
    let app = spawn_app_with(|c| c.trusted_documents = Some(path.display().to_string())).await;
    let post = |token: Option<&str>, body: serde_json::Value| {
        let mut req = app.client.post(app.graphql_url()).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    // The registered text, or only its hash.
    let resp = post(None, serde_json::json!({ "query": home }))
        .await
        .expect("request");
    assert_eq!(resp.status(), reqwest::StatusCode::OK);
    let by_hash = serde_json::json!({
        "extensions": { "persistedQuery": { "version": 1, "sha256Hash": digest(home) } }
    });
    let resp = post(None, by_hash).await.expect("request");
    let status = resp.status();
    let body: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(status, reqwest::StatusCode::OK, "{body:#}");
    assert_eq!(body["data"]["__typename"], "Query");
    // Anything else, anonymously, is refused; signed in, it runs.
    let other = serde_json::json!({ "query": "{ compounds(first: 1) { edges { cursor } } }" });
    let resp = post(None, other.clone()).await.expect("request");
    assert_eq!(resp.status(), reqwest::StatusCode::BAD_REQUEST);
    let body: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );
    let resp = post(Some(&app.admin_token), other).await.expect("request");
    assert_eq!(resp.status(), reqwest::StatusCode::OK);
    // An unknown hash is a bad request.
    let unknown = serde_json::json!({
        "extensions": { "persistedQuery": { "version": 1, "sha256Hash": digest("nothing") } }
    });
    let resp = post(None, unknown).await.expect("request");
    assert_eq!(resp.status(), reqwest::StatusCode::BAD_REQUEST);
    let _ = std::fs::remove_file(&path);
}

/// The request timeout ends the operation, not only the wait for its answer: a mutation
/// held behind a lock past the timeout is answered 503 at the timeout and never writes,
/// even once the lock is gone, and the service goes on answering.
#[tokio::test]
async fn the_request_timeout_cancels_the_running_operation() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    use serde_json::json;

    let app = spawn_app_with(|c| c.limits.request_timeout = Duration::from_secs(1)).await;
    let f = crate::helpers::fixture(&app).await;
    let rename = |name: &'static str| {
        json!({
            "query": "mutation($input: UpdateCompoundInput!) { updateCompound(input: $input) { compound { name } userErrors { message } } }",
            "variables": { "input": { "id": f.compound, "name": name } }
        })
    };
    // Another writer holds the compound rows (a write lock on SQLite, row locks on PostgreSQL).
    let outside = app.db.begin().await.expect("begin");
    outside
        .execute_unprepared("UPDATE compound SET name = name")
        .await
        .expect("lock the compounds");
    let started = Instant::now();
    let resp = app
        .client
        .post(app.graphql_url())
        .bearer_auth(&app.admin_token)
        .json(&rename("超时改名"))
        .send()
        .await
        .expect("request");
    let waited = started.elapsed();
    assert_eq!(resp.status(), reqwest::StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_secs(4),
        "answered at the timeout, not when the lock went: {waited:?}"
    );
    // The lock goes; had the operation gone on, it would now write.
    outside.rollback().await.expect("rollback");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let name = app
        .ok(
            Some(&app.admin_token),
            "query($id: ID!) { node(id: $id) { ... on Compound { name } } }",
            json!({ "id": f.compound }),
        )
        .await["node"]["name"]
        .clone();
    assert_ne!(
        name, "超时改名",
        "the timed-out rename must not have been written"
    );
    // The service is whole: the same rename, unhindered, is written.
    let body: serde_json::Value = app
        .client
        .post(app.graphql_url())
        .bearer_auth(&app.admin_token)
        .json(&rename("按时改名"))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(
        body["data"]["updateCompound"]["compound"]["name"], "按时改名",
        "{body:#}"
    );
}

/// With an OTLP endpoint configured, each resolver runs in a span of its own and the
/// spans reach the collector, the last of them at shutdown: a collector stand-in
/// receives what the built binary exports over OTLP/HTTP.
#[cfg(unix)]
#[tokio::test]
async fn spans_per_resolver_are_exported_over_otlp_when_configured() {
    use std::sync::{Arc, Mutex};

    let received: Arc<Mutex<Vec<u8>>> = Arc::default();
    let collector = axum::Router::new().route(
        "/v1/traces",
        axum::routing::post({
            let received = received.clone();
            move |body: axum::body::Bytes| async move {
                received.lock().unwrap().extend_from_slice(&body);
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, collector).await });

    let dir = std::env::temp_dir().join(format!("capi-otlp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let database = format!("sqlite://{}/c.db?mode=rwc", dir.display());
    let (mut child, base) = start_binary(
        &database,
        &dir,
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint),
            ("OTEL_SERVICE_NAME", "compound-api-under-test"),
        ],
    )
    .await;
    let body: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&serde_json::json!({ "query": "{ districts(first: 1) { edges { cursor } } }" }))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(
        body["data"]["districts"]["edges"],
        serde_json::json!([]),
        "{body:#}"
    );
    let pid = child.id().expect("pid").to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    let exit = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("exits within 20 s")
        .expect("exit status");
    assert!(exit.success(), "{exit:?}");

    // OTLP's protobuf keeps strings as they are: the service's name, the resolver's span
    // with the field's path and types, and the request's span.
    let sent = received.lock().unwrap().clone();
    let holds = |text: &str| sent.windows(text.len()).any(|w| w == text.as_bytes());
    assert!(!sent.is_empty(), "no spans reached the collector");
    for text in [
        "compound-api-under-test",
        "field",
        "districts",
        "edges",
        "parent_type",
        "DistrictConnection",
        "request",
    ] {
        assert!(holds(text), "`{text}` is not in the exported spans");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
