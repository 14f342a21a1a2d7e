//! What an operator watches: Prometheus metrics at `GET /metrics`.
//!
//! - `graphql_requests_total{operation, outcome}` and
//!   `graphql_request_duration_seconds{operation}`: every GraphQL request
//!   over HTTP, by operation name (client-chosen names are kept to the
//!   first `MAX_NAMES` seen that look like names; the rest count as
//!   `other`) and outcome (`ok`, `errors`, `refused`, `cached`);
//! - `refusals_total{limit}`: requests and subscriptions refused by a limit
//!   (`tokens`, `aliases`, `depth`, `cost`, `rate`, `sockets`, …);
//! - `login_failures_total{reason}`: `wrong_password` or `locked`;
//! - `db_pool_connections{state}`: the pool's `open` and `idle` connections;
//! - `websocket_sockets_open` and `websocket_subscriptions_active`;
//! - `password_hashes_most_at_once`.
//!
//! The recorder is the `metrics` crate's Prometheus exporter (the
//! `metrics` facade is the ecosystem's common one), installed once per
//! process; `/metrics` renders it.

use std::collections::HashSet;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sea_orm::DatabaseConnection;

/// Distinct operation names kept as labels.
const MAX_NAMES: usize = 200;

fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets(&[
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ])
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Another recorder (a test's) may be installed already: then this
        // one's handle renders nothing new, which is harmless.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Installs the recorder (idempotent); call at start.
pub fn install() {
    handle();
}

/// Active subscriptions over every socket of this process.
pub static SUBSCRIPTIONS: AtomicI64 = AtomicI64::new(0);

/// The metrics as Prometheus text, with the gauges read now.
pub fn render(db: &DatabaseConnection) -> String {
    let handle = handle();
    let (open, idle) = pool(db);
    metrics::gauge!("db_pool_connections", "state" => "open").set(open as f64);
    metrics::gauge!("db_pool_connections", "state" => "idle").set(idle as f64);
    metrics::gauge!("websocket_sockets_open").set(crate::http::drain::open_sockets() as f64);
    metrics::gauge!("websocket_subscriptions_active")
        .set(SUBSCRIPTIONS.load(Ordering::Relaxed) as f64);
    metrics::gauge!("password_hashes_most_at_once")
        .set(crate::domain::accounts::hashing_most_at_once() as f64);
    handle.render()
}

fn pool(db: &DatabaseConnection) -> (u32, usize) {
    use sea_orm::DbBackend;
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            (p.size(), p.num_idle())
        }
        DbBackend::Sqlite => {
            let p = db.get_sqlite_connection_pool();
            (p.size(), p.num_idle())
        }
        _ => (0, 0),
    }
}

/// The label for a client's operation name.
fn operation_label(name: Option<&str>) -> String {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let Some(name) = name.filter(|n| {
        !n.is_empty() && n.len() <= 64 && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    }) else {
        return "anonymous".to_owned();
    };
    let mut seen = SEEN
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if seen.contains(name) {
        return name.to_owned();
    }
    if seen.len() < MAX_NAMES {
        seen.insert(name.to_owned());
        return name.to_owned();
    }
    "other".to_owned()
}

/// The name of a document's first operation, read off its text without
/// parsing it (`query Home { … }` is `Home`), for requests that do not
/// name the one they run.
pub fn operation_named_in(query: &str) -> Option<&str> {
    let mut rest = query.trim_start();
    while rest.starts_with('#') {
        rest = rest.split_once('\n').map_or("", |(_, r)| r).trim_start();
    }
    let after = ["query", "mutation", "subscription"]
        .iter()
        .find_map(|kw| rest.strip_prefix(kw))?;
    if !after.starts_with(char::is_whitespace) {
        return None;
    }
    let after = after.trim_start();
    let end = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(after.len());
    (end > 0).then(|| &after[..end])
}

/// Counts one GraphQL request and its time.
pub fn request(operation: Option<&str>, outcome: &'static str, took: Duration) {
    let operation = operation_label(operation);
    metrics::counter!("graphql_requests_total", "operation" => operation.clone(), "outcome" => outcome)
        .increment(1);
    metrics::histogram!("graphql_request_duration_seconds", "operation" => operation)
        .record(took.as_secs_f64());
}

/// Counts a refusal by a limit.
pub fn refused(limit: &'static str) {
    metrics::counter!("refusals_total", "limit" => limit).increment(1);
}

/// Counts a failed or refused login.
pub fn login_failed(reason: &'static str) {
    metrics::counter!("login_failures_total", "reason" => reason).increment(1);
}

#[cfg(test)]
mod tests {
    use super::operation_named_in;

    #[test]
    fn operation_names_are_read_off_the_text() {
        assert_eq!(operation_named_in("query Home { a }"), Some("Home"));
        assert_eq!(
            operation_named_in("# c\n mutation Cast($v: ID!) { a }"),
            Some("Cast")
        );
        assert_eq!(operation_named_in("query($v: ID!) { a }"), None);
        assert_eq!(operation_named_in("{ a }"), None);
        assert_eq!(operation_named_in("queryX { a }"), None);
    }
}
