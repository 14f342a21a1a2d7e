//! Live decision events for GraphQL subscriptions: a ballot changed a
//! vote's tally, or a compound published something.
//!
//! On SQLite (one process) events go straight to an in-process broadcast
//! channel after the change commits. On PostgreSQL they travel as
//! `NOTIFY compound_decisions` sent inside the changing transaction — so
//! they are delivered only if it commits — and every API instance LISTENs
//! and forwards them to its own subscribers. Either way a subscriber never
//! hears of a change that did not happen.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::broadcast;

use crate::error::AppResult;

const CHANNEL: &str = "compound_decisions";

pub use crate::domain::event::DecisionEvent;

/// The event hub of one process.
#[derive(Clone)]
pub struct Events {
    sender: broadcast::Sender<DecisionEvent>,
    via_postgres: bool,
}

impl Events {
    /// A hub for `db`; on PostgreSQL it starts listening for other instances' events.
    pub async fn start(db: &DatabaseConnection) -> AppResult<Self> {
        let (sender, _) = broadcast::channel(1024);
        let via_postgres = db.get_database_backend() == DbBackend::Postgres;
        if via_postgres {
            let pool = db.get_postgres_connection_pool().clone();
            let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(&pool)
                .await
                .map_err(|e| crate::error::AppError::Internal(format!("listen: {e}")))?;
            listener
                .listen(CHANNEL)
                .await
                .map_err(|e| crate::error::AppError::Internal(format!("listen: {e}")))?;
            let tx = sender.clone();
            tokio::spawn(async move {
                loop {
                    match listener.recv().await {
                        Ok(n) => {
                            if let Ok(e) = serde_json::from_str::<DecisionEvent>(n.payload()) {
                                let _ = tx.send(e);
                            }
                        }
                        // PgListener reconnects by itself; a lost notification only
                        // delays a live view until the next event.
                        Err(e) => {
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
        })
    }

    /// Sends `event` from inside the transaction that causes it (PostgreSQL).
    pub async fn within(&self, db: &impl ConnectionTrait, event: DecisionEvent) -> AppResult<()> {
        if self.via_postgres {
            let payload = serde_json::to_string(&event).unwrap_or_default();
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [CHANNEL.into(), payload.into()],
            ))
            .await?;
        }
        Ok(())
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
