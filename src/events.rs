//! Live decision events for GraphQL subscriptions: a ballot changed a
//! vote's tally, or a compound published something.
//!
//! On SQLite (one process) events go straight to an in-process broadcast
//! channel after the change commits. On PostgreSQL they travel as
//! `NOTIFY compound_decisions` sent inside the changing transaction — so
//! they are delivered only if it commits — and every API instance LISTENs
//! and forwards them to its own subscribers. Either way a subscriber never
//! hears of a change that did not happen.
//!
//! The hub also counts changes: every unit of work that commits moves the
//! count on, in this process at once and in the other instances through
//! `NOTIFY compound_changes`. The read cache (`crate::read_cache`) keeps a
//! response only as long as the count has not moved.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::broadcast;

use crate::error::AppResult;

const CHANNEL: &str = "compound_decisions";
/// The channel on which instances tell each other that something changed.
const CHANGES: &str = "compound_changes";

/// Events sent by one statement, far below PostgreSQL's 65,535 bound values.
const NOTIFY_CHUNK: usize = 1_000;

pub use crate::domain::event::DecisionEvent;

/// The event hub of one process.
#[derive(Clone)]
pub struct Events {
    sender: broadcast::Sender<DecisionEvent>,
    via_postgres: bool,
    changes: Arc<AtomicU64>,
}

impl Events {
    /// A hub for `db`; on PostgreSQL it starts listening for other instances' events.
    pub async fn start(db: &DatabaseConnection) -> AppResult<Self> {
        let (sender, _) = broadcast::channel(1024);
        let via_postgres = db.get_database_backend() == DbBackend::Postgres;
        let changes = Arc::new(AtomicU64::new(0));
        if via_postgres {
            let pool = db.get_postgres_connection_pool().clone();
            let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(&pool)
                .await
                .map_err(|e| crate::error::AppError::Internal(format!("listen: {e}")))?;
            listener
                .listen_all([CHANNEL, CHANGES])
                .await
                .map_err(|e| crate::error::AppError::Internal(format!("listen: {e}")))?;
            let tx = sender.clone();
            let counted = changes.clone();
            tokio::spawn(async move {
                loop {
                    match listener.recv().await {
                        Ok(n) if n.channel() == CHANGES => {
                            counted.fetch_add(1, Ordering::AcqRel);
                        }
                        Ok(n) => {
                            if let Ok(e) = serde_json::from_str::<DecisionEvent>(n.payload()) {
                                let _ = tx.send(e);
                            }
                        }
                        // PgListener reconnects by itself; a lost notification only
                        // delays a live view until the next event. A change
                        // may have been missed, so the count moves on.
                        Err(e) => {
                            counted.fetch_add(1, Ordering::AcqRel);
                            tracing::warn!(error = %e, "decision event listener");
                            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        }
                    }
                }
            });
        }
        Ok(Self {
            sender,
            via_postgres,
            changes,
        })
    }

    /// How many changes this process knows of; it only grows.
    pub fn changes(&self) -> u64 {
        self.changes.load(Ordering::Acquire)
    }

    /// Tells the other instances, from inside the changing transaction
    /// (PostgreSQL), that it changed something, and sends the `events` it
    /// causes; all are sent only if it commits. One statement for them all
    /// (up to `NOTIFY_CHUNK` events): it runs while the change holds its
    /// locks, a ballot's its compound's, so each round trip counts.
    pub async fn within(
        &self,
        db: &impl ConnectionTrait,
        events: &[DecisionEvent],
    ) -> AppResult<()> {
        if !self.via_postgres {
            return Ok(());
        }
        // The change first: a live view that hears of the event re-reads
        // past the read cache. A long load causes many events: a statement
        // takes at most `NOTIFY_CHUNK` of them.
        let chunks: Vec<&[DecisionEvent]> = match events {
            [] => vec![&[]],
            _ => events.chunks(NOTIFY_CHUNK).collect(),
        };
        for (n, chunk) in chunks.into_iter().enumerate() {
            let change = (n == 0).then(|| format!("pg_notify('{CHANGES}', '')"));
            let mut values = Vec::with_capacity(chunk.len() * 2);
            let calls: Vec<String> = change
                .into_iter()
                .chain(chunk.iter().enumerate().map(|(i, event)| {
                    values.push(CHANNEL.into());
                    values.push(serde_json::to_string(event).unwrap_or_default().into());
                    format!("pg_notify(${}, ${})", 2 * i + 1, 2 * i + 2)
                }))
                .collect();
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                format!("SELECT {}", calls.join(", ")),
                values,
            ))
            .await?;
        }
        Ok(())
    }

    /// Counts a change that committed in this process.
    pub fn changed(&self) {
        self.changes.fetch_add(1, Ordering::AcqRel);
    }

    /// Sends `event` after its transaction committed (SQLite).
    pub fn after_commit(&self, event: DecisionEvent) {
        if !self.via_postgres {
            let _ = self.sender.send(event);
        }
    }

    /// A new subscription to every event.
    pub fn subscribe(&self) -> broadcast::Receiver<DecisionEvent> {
        self.sender.subscribe()
    }
}
