//! The read cache: finished query responses, kept for the caller who asked,
//! until anything changes.
//!
//! A portal asks the same reads again and again (the compound page, the
//! placard, a vote's tally), and between two changes their answers are the
//! same bytes. So the HTTP layer keeps the bytes of each successful query
//! response under the request that produced it and the credential that
//! came with it, and serves them again while all of these hold:
//!
//! - **nothing changed**: every unit of work that commits moves the event
//!   hub's change count on (`Events::changes`), in this process at once and
//!   in other instances through PostgreSQL's `NOTIFY`; an entry is served
//!   only while the count is the one read before its request ran, so a
//!   change that committed during the request ends it too;
//! - **time has not moved past it**: some answers depend on the injected
//!   clock (a vote opens, a term ends, today's chiefs), so an entry is
//!   fresh for the configured time-to-live, measured on that clock. Once
//!   that has passed and nothing changed, one request answers the query
//!   anew, and while it runs the others are served the aged entry rather
//!   than wait: so each query's answer is renewed once a time-to-live under
//!   steady load without a queue behind it. An entry is never served aged
//!   past twice the time-to-live;
//! - **the credential is still good**: never past the token's expiry;
//!   revoking it is a change.
//!
//! Only a single query operation whose response has no error is kept, and
//! none that selects a field marked `cache_control(no_cache)` (chain
//! verification, which looks for changes made behind the service's back);
//! mutations, subscriptions, batches and requests with extensions never
//! are. The key holds a digest of the bearer token, not the token, so one
//! caller's answer (with the personal data they may see) is never served to
//! another. Across instances an entry may outlive a change by the time the
//! notification takes to arrive, and a lost notification by at most the
//! time-to-live.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::Request;
use axum::body::Bytes;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::domain::access::Caller;
use crate::events::Events;

/// Which request, from whom.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    credential: Option<[u8; 32]>,
    query: String,
    operation_name: Option<String>,
    variables: String,
}

impl Key {
    fn weight(&self) -> usize {
        self.query.len()
            + self.variables.len()
            + self.operation_name.as_ref().map_or(0, String::len)
    }
}

/// A response kept, with what bounds its life.
#[derive(Debug)]
struct Entry {
    body: Bytes,
    changes: u64,
    /// Until when it is served as it is.
    fresh_until: DateTime<Utc>,
    /// Until when it may still be served while another request renews it:
    /// a time-to-live later, never past the caller's token.
    aged_until: DateTime<Utc>,
}

/// What the cache holds for a key.
pub enum Lookup {
    /// A good answer: serve it.
    Fresh(Bytes),
    /// An answer that nothing changed but whose time-to-live has passed:
    /// serve it while another request renews it, or renew it.
    Aged(Bytes),
    /// Nothing that may be served.
    Miss,
}

/// The cache of one process; cheap to clone.
#[derive(Clone)]
pub struct ReadCache {
    inner: Option<Inner>,
}

#[derive(Clone)]
struct Inner {
    entries: moka::sync::Cache<Key, std::sync::Arc<Entry>>,
    ttl: chrono::Duration,
    events: Events,
    flights: Flights,
}

/// The keys being answered, each with the mutex its leader holds.
type Flights = Arc<Mutex<HashMap<Key, Arc<tokio::sync::Mutex<()>>>>>;

/// A miss of a key that another request is already answering.
pub enum Flight {
    /// This request answers the key; the others that miss it wait until
    /// this is dropped (its answer kept, or not).
    Lead(Lead),
    /// Another request answered the key meanwhile: look again.
    Followed,
}

/// The answering of one key in progress (see [`ReadCache::flight`]).
pub struct Lead {
    key: Key,
    flights: Flights,
    _held: tokio::sync::OwnedMutexGuard<()>,
}

impl Drop for Lead {
    fn drop(&mut self) {
        // Those who found the flight hold its mutex already; the next miss
        // starts a flight of its own. The guard is released after this.
        if let Ok(mut flights) = self.flights.lock() {
            flights.remove(&self.key);
        }
    }
}

impl ReadCache {
    /// A cache of at most `max_bytes` (keys and bodies), whose entries live
    /// at most `ttl`; `max_bytes == 0` or a zero `ttl` turns it off.
    pub fn new(max_bytes: u64, ttl: Duration, events: Events) -> Self {
        let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::zero());
        if max_bytes == 0 || ttl <= chrono::Duration::zero() {
            return Self { inner: None };
        }
        let entries = moka::sync::Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|k: &Key, e: &std::sync::Arc<Entry>| {
                u32::try_from(k.weight() + e.body.len() + 128).unwrap_or(u32::MAX)
            })
            .build();
        Self {
            inner: Some(Inner {
                entries,
                ttl,
                events,
                flights: Arc::default(),
            }),
        }
    }

    /// The key of `request` from the holder of `token`, or `None` when it
    /// may not be kept (the cache is off, or the request carries extensions
    /// or files).
    pub fn key(&self, token: Option<&str>, request: &Request) -> Option<Key> {
        self.inner.as_ref()?;
        if !request.extensions.is_empty() || !request.uploads.is_empty() {
            return None;
        }
        Some(Key {
            credential: token.map(|t| Sha256::digest(t.as_bytes()).into()),
            query: request.query.clone(),
            operation_name: request.operation_name.clone(),
            variables: serde_json::to_string(&request.variables).ok()?,
        })
    }

    /// The kept response to `key`, if it is still good at `now`.
    pub fn get(&self, key: &Key, now: DateTime<Utc>) -> Option<Bytes> {
        match self.look(key, now) {
            Lookup::Fresh(body) => Some(body),
            Lookup::Aged(_) | Lookup::Miss => None,
        }
    }

    /// What is kept for `key` at `now`: fresh, aged (see [`Lookup::Aged`])
    /// or nothing. An entry that something changed since, or older than
    /// its aged life, is dropped.
    pub fn look(&self, key: &Key, now: DateTime<Utc>) -> Lookup {
        let Some(inner) = self.inner.as_ref() else {
            return Lookup::Miss;
        };
        let Some(entry) = inner.entries.get(key) else {
            return Lookup::Miss;
        };
        if entry.changes != inner.events.changes() || now >= entry.aged_until {
            inner.entries.invalidate(key);
            Lookup::Miss
        } else if now < entry.fresh_until {
            Lookup::Fresh(entry.body.clone())
        } else {
            Lookup::Aged(entry.body.clone())
        }
    }

    /// For a query whose entry has aged: leads its renewal when no other
    /// request is renewing it; `None` when one is (serve the aged entry) or
    /// the cache is off.
    pub fn renew(&self, key: &Key) -> Option<Lead> {
        let inner = self.inner.as_ref()?;
        let mut flights = inner.flights.lock().ok()?;
        if flights.contains_key(key) {
            return None;
        }
        let mutex = Arc::new(tokio::sync::Mutex::new(()));
        let held = mutex.clone().try_lock_owned().ok()?;
        flights.insert(key.clone(), mutex);
        Some(Lead {
            key: key.clone(),
            flights: inner.flights.clone(),
            _held: held,
        })
    }

    /// For a query that missed `key`: leads the answering of `key`, or,
    /// when another request already does, waits until it is done. Under
    /// load the requests that miss one key at once (every connection of a
    /// portal, when its entry ends) then run it once instead of each
    /// running it: 32 at once made each take longer than the time-to-live,
    /// so no answer was ever kept. `None` when the cache is off.
    pub async fn flight(&self, key: &Key) -> Option<Flight> {
        let inner = self.inner.as_ref()?;
        let (mutex, lead) = {
            let mut flights = inner.flights.lock().ok()?;
            match flights.get(key) {
                Some(mutex) => (mutex.clone(), None),
                None => {
                    let mutex = Arc::new(tokio::sync::Mutex::new(()));
                    let held = mutex.clone().try_lock_owned().ok()?;
                    flights.insert(key.clone(), mutex.clone());
                    (mutex, Some(held))
                }
            }
        };
        Some(match lead {
            Some(held) => Flight::Lead(Lead {
                key: key.clone(),
                flights: inner.flights.clone(),
                _held: held,
            }),
            None => {
                drop(mutex.lock().await);
                Flight::Followed
            }
        })
    }

    /// The change count to read before a request runs and to hand to
    /// [`ReadCache::put`] with its response.
    pub fn changes(&self) -> u64 {
        self.inner.as_ref().map_or(0, |i| i.events.changes())
    }

    /// Keeps `body`, the successful response to `key` of a query that ran
    /// for `caller` at `now` when the change count was `changes`. Nothing is
    /// kept when something changed meanwhile.
    pub fn put(&self, key: Key, body: Bytes, changes: u64, caller: &Caller, now: DateTime<Utc>) {
        let Some(inner) = &self.inner else {
            return;
        };
        if inner.events.changes() != changes {
            return;
        }
        let mut fresh_until = now + inner.ttl;
        let mut aged_until = fresh_until + inner.ttl;
        if let Caller::Account(actor) = caller {
            fresh_until = fresh_until.min(actor.token_expires_at);
            aged_until = aged_until.min(actor.token_expires_at);
        }
        inner.entries.insert(
            key,
            std::sync::Arc::new(Entry {
                body,
                changes,
                fresh_until,
                aged_until,
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(query: &str) -> Key {
        Key {
            credential: None,
            query: query.into(),
            operation_name: None,
            variables: "{}".into(),
        }
    }

    /// An entry is fresh for the time-to-live; then, with nothing changed,
    /// it is served aged to all but the one request renewing it, up to
    /// twice the time-to-live and never past the caller's token; a change
    /// ends it at once.
    #[tokio::test]
    async fn an_aged_entry_is_served_while_one_request_renews_it() {
        let db = sea_orm::Database::connect("sqlite::memory:")
            .await
            .expect("db");
        let events = Events::start(&db).await.expect("events");
        let cache = ReadCache::new(1 << 20, Duration::from_secs(1), events.clone());
        let t0 = DateTime::UNIX_EPOCH + chrono::Duration::days(20_000);
        let ms = chrono::Duration::milliseconds;
        let (a, b) = (key("{ a }"), key("{ b }"));
        let body = Bytes::from_static(b"{}");
        cache.put(
            a.clone(),
            body.clone(),
            cache.changes(),
            &Caller::Anonymous,
            t0,
        );
        assert!(matches!(cache.look(&a, t0 + ms(999)), Lookup::Fresh(_)));
        assert!(matches!(cache.look(&a, t0 + ms(1500)), Lookup::Aged(_)));
        assert!(
            cache.get(&a, t0 + ms(1500)).is_none(),
            "get serves fresh only"
        );
        let lead = cache.renew(&a).expect("the first renews");
        assert!(
            cache.renew(&a).is_none(),
            "the others are served the aged entry"
        );
        drop(lead);
        assert!(cache.renew(&a).is_some());
        assert!(matches!(cache.look(&a, t0 + ms(2000)), Lookup::Miss));

        // The caller's token bounds the aged life too.
        let actor = Caller::Account(crate::domain::access::Actor {
            account_id: 1,
            username: "x".into(),
            person_id: None,
            token_id: 1,
            token_expires_at: t0 + ms(1200),
            grants: Vec::new(),
            staff_communities: Default::default(),
        });
        cache.put(b.clone(), body.clone(), cache.changes(), &actor, t0);
        assert!(matches!(cache.look(&b, t0 + ms(1100)), Lookup::Aged(_)));
        assert!(matches!(cache.look(&b, t0 + ms(1200)), Lookup::Miss));

        // A change ends an entry, fresh or aged.
        cache.put(a.clone(), body, cache.changes(), &Caller::Anonymous, t0);
        events.changed();
        assert!(matches!(cache.look(&a, t0 + ms(10)), Lookup::Miss));
    }

    /// Misses of one key at once: the first leads, the next waits until
    /// the leader is done and then looks again; another key does not wait.
    #[tokio::test]
    async fn misses_of_one_key_wait_for_the_one_answering_it() {
        let db = sea_orm::Database::connect("sqlite::memory:")
            .await
            .expect("db");
        let events = Events::start(&db).await.expect("events");
        let cache = ReadCache::new(1 << 20, Duration::from_secs(1), events);
        let (a, b) = (key("{ a }"), key("{ b }"));
        let Some(Flight::Lead(lead)) = cache.flight(&a).await else {
            panic!("the first miss leads");
        };
        let mut follower = Box::pin(cache.flight(&a));
        assert!(futures_util::poll!(&mut follower).is_pending());
        assert!(matches!(cache.flight(&b).await, Some(Flight::Lead(_))));
        drop(lead);
        assert!(matches!(follower.await, Some(Flight::Followed)));
        // The flight is over: the next miss leads again.
        assert!(matches!(cache.flight(&a).await, Some(Flight::Lead(_))));
        let off = ReadCache::new(0, Duration::from_secs(1), cache.inner.unwrap().events);
        assert!(off.flight(&a).await.is_none());
    }
}
