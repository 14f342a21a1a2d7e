//! Rate limits for the whole API, per client address and per bearer token,
//! answered with `429 Too Many Requests` and `Retry-After`.
//!
//! Each key has a generic cell rate (GCRA, the algorithm behind most
//! limiters): `RATE_LIMIT_PER_MINUTE` requests a minute on average, with
//! bursts of `RATE_LIMIT_BURST`. A key's state is one number, its
//! theoretical arrival time. It lives in this process on SQLite and, on
//! PostgreSQL, in an unlogged table (`rate_limit`) that every instance
//! updates in one statement per request, so the limits hold across
//! instances. Time is the service's clock.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value as SqlValue};
use sha2::{Digest, Sha256};

use super::{AppState, ClientAddress, bearer};
use crate::error::ErrorCode;

/// The rate every key is held to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    /// Requests a minute on average; 0 turns the limits off.
    pub per_minute: u32,
    /// Requests that may arrive at once.
    pub burst: u32,
}

impl Rate {
    /// Microseconds between requests at the average rate.
    fn interval_us(&self) -> i64 {
        60_000_000 / i64::from(self.per_minute.max(1))
    }

    /// How far ahead of now a key's arrival time may run.
    fn tolerance_us(&self) -> i64 {
        self.interval_us() * i64::from(self.burst.saturating_sub(1))
    }

    /// How far ahead of now a key's arrival time may run for `n` units to
    /// be taken at once: the tolerance less the `n - 1` taken with the first.
    fn room_us(&self, n: u32) -> i64 {
        self.tolerance_us() - self.interval_us() * i64::from(n.saturating_sub(1))
    }
}

/// Where the keys' state lives.
#[derive(Clone)]
pub enum Limiter {
    /// No limits.
    Off,
    /// In this process (SQLite, or one instance).
    Local(Rate, Arc<[Mutex<HashMap<String, i64>>; SHARDS]>),
    /// In PostgreSQL, shared by every instance.
    Shared(Rate, DatabaseConnection),
}

const SHARDS: usize = 16;
/// A shard prunes keys idle this long once it holds more than `PRUNE_AT`.
const PRUNE_AT: usize = 10_000;

impl Limiter {
    /// The limiter for `rate` over `db`: shared on PostgreSQL, local on SQLite.
    pub fn new(rate: Rate, db: &DatabaseConnection) -> Self {
        if rate.per_minute == 0 {
            Self::Off
        } else if db.get_database_backend() == DbBackend::Postgres {
            Self::Shared(rate, db.clone())
        } else {
            Self::Local(rate, Arc::new(std::array::from_fn(|_| Mutex::default())))
        }
    }

    /// Takes one request for `key` at `now_us`; `Err` holds how many
    /// microseconds until one is allowed.
    pub async fn take(&self, key: &str, now_us: i64) -> Result<(), i64> {
        self.take_n(key, 1, now_us).await
    }

    /// Takes `n` units for `key` at once (work priced by the rows it
    /// reads); `n` is held to the burst, so any amount is allowed from a
    /// full bucket. `Err` holds how many microseconds until `n` are allowed.
    pub async fn take_n(&self, key: &str, n: u32, now_us: i64) -> Result<(), i64> {
        match self {
            Self::Off => Ok(()),
            Self::Local(rate, shards) => {
                let n = n.clamp(1, rate.burst.max(1));
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                key.hash(&mut hasher);
                let shard = &shards[(hasher.finish() as usize) % SHARDS];
                let mut cells = shard.lock().unwrap_or_else(|e| e.into_inner());
                if cells.len() > PRUNE_AT {
                    cells.retain(|_, tat| *tat > now_us);
                }
                let tat = cells.get(key).copied().unwrap_or(now_us).max(now_us);
                let ahead = tat - now_us;
                let room = rate.room_us(n);
                if ahead > room {
                    return Err(ahead - room);
                }
                cells.insert(key.to_owned(), tat + rate.interval_us() * i64::from(n));
                Ok(())
            }
            Self::Shared(rate, db) => {
                shared_take(db, rate, key, n.clamp(1, rate.burst.max(1)), now_us).await
            }
        }
    }
}

/// One statement: the key's arrival time moves on if it is within the
/// tolerance, else nothing changes and no row returns.
async fn shared_take(
    db: &DatabaseConnection,
    rate: &Rate,
    key: &str,
    n: u32,
    now_us: i64,
) -> Result<(), i64> {
    let taken = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO rate_limit (key, tat) VALUES ($1, $2 + $3) \
             ON CONFLICT (key) DO UPDATE SET tat = GREATEST(rate_limit.tat, $2) + $3 \
             WHERE GREATEST(rate_limit.tat, $2) - $2 <= $4 RETURNING tat",
            [
                SqlValue::from(key.to_owned()),
                SqlValue::from(now_us),
                SqlValue::from(rate.interval_us() * i64::from(n)),
                SqlValue::from(rate.room_us(n)),
            ],
        ))
        .await;
    match taken {
        Ok(Some(_)) => Ok(()),
        Ok(None) => {
            let tat = db
                .query_one_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT tat FROM rate_limit WHERE key = $1",
                    [SqlValue::from(key.to_owned())],
                ))
                .await
                .ok()
                .flatten()
                .and_then(|r| r.try_get::<i64>("", "tat").ok())
                .unwrap_or(now_us);
            Err((tat - now_us - rate.room_us(n)).max(1))
        }
        // The database did not answer: the request goes on, and fails or
        // not on its own; a limiter must not take the API down with it.
        Err(e) => {
            tracing::warn!(error = %e, "rate limit store unavailable");
            Ok(())
        }
    }
}

/// Deletes the shared keys idle for an hour (the table is unlogged and
/// holds one row per recent caller).
pub async fn prune_shared(db: &DatabaseConnection, now_us: i64) {
    let _ = db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "DELETE FROM rate_limit WHERE tat < $1",
            [SqlValue::from(now_us - 3_600_000_000)],
        ))
        .await;
}

/// The middleware: the client address's key, then the token's, each
/// taking one request; a refusal is 429 with `Retry-After` in seconds.
pub async fn limit(
    State(state): State<AppState>,
    address: ClientAddress,
    request: Request,
    next: Next,
) -> Response {
    if matches!(state.limiter, Limiter::Off) {
        return next.run(request).await;
    }
    let now_us = state.clock.now().timestamp_micros();
    let mut keys = vec![format!("address:{}", address.0)];
    if let Some(token) = bearer(request.headers()) {
        // Never the token itself: a prefix of its hash names the key.
        keys.push(format!(
            "token:{}",
            &hex::encode(Sha256::digest(token.as_bytes()))[..32]
        ));
    }
    for key in &keys {
        if let Err(wait_us) = state.limiter.take(key, now_us).await {
            let seconds = (wait_us + 999_999) / 1_000_000;
            tracing::info!(limit = "rate", key = %key.split(':').next().unwrap_or(""), "refused a request over the rate limit");
            crate::monitoring::refused("rate");
            return too_many(seconds.max(1));
        }
    }
    next.run(request).await
}

fn too_many(seconds: i64) -> Response {
    let body = serde_json::json!({
        "errors": [{
            "message": format!("too many requests: try again in {seconds} seconds"),
            "extensions": { "code": ErrorCode::RateLimited.as_str(), "retryAfterSeconds": seconds }
        }]
    });
    let mut resp = (StatusCode::TOO_MANY_REQUESTS, body.to_string()).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
        h.insert(header::RETRY_AFTER, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_local_key_allows_its_burst_then_its_rate() {
        let rate = Rate {
            per_minute: 60,
            burst: 3,
        };
        let limiter = Limiter::Local(rate, Arc::new(std::array::from_fn(|_| Mutex::default())));
        let t0 = 1_000_000_000;
        for _ in 0..3 {
            assert_eq!(limiter.take("k", t0).await, Ok(()));
        }
        // The fourth waits a second (60 a minute).
        assert_eq!(limiter.take("k", t0).await, Err(1_000_000));
        assert_eq!(limiter.take("other", t0).await, Ok(()));
        assert_eq!(limiter.take("k", t0 + 1_000_000).await, Ok(()));
    }

    #[tokio::test]
    async fn units_taken_at_once_wait_for_room_for_all_of_them() {
        let rate = Rate {
            per_minute: 60,
            burst: 10,
        };
        let limiter = Limiter::Local(rate, Arc::new(std::array::from_fn(|_| Mutex::default())));
        let t0 = 1_000_000_000;
        assert_eq!(limiter.take_n("k", 7, t0).await, Ok(()));
        // Three are left: four at once wait for one more second.
        assert_eq!(limiter.take_n("k", 4, t0).await, Err(1_000_000));
        assert_eq!(limiter.take_n("k", 3, t0).await, Ok(()));
        // More than the burst is held to the burst: allowed from a full
        // bucket, ten seconds later.
        assert_eq!(limiter.take_n("k", 500, t0).await, Err(10_000_000));
        assert_eq!(limiter.take_n("k", 500, t0 + 10_000_000).await, Ok(()));
    }
}
