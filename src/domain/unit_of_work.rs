//! The one door for every change. A write runs inside a `UnitOfWork`: it
//! holds the transaction, the caller, the clock and the events the change
//! causes. Permits come from it (an access decision or a named self-service
//! rule), audit and chain writes take it, and committing it delivers the
//! events. Nothing else in the service begins a write transaction.
//!
//! What does not live here: the rules of each area (in their modules) and
//! the policy (in `access`).

use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

use crate::domain::access::{self, Caller, Permission, Permit, Scope, SelfService};
use crate::domain::clock::Clock;
use crate::domain::event::DecisionEvent;
use crate::domain::store::Keyed;
use crate::error::{AppError, AppResult};
use crate::events::Events;

/// One change in progress.
pub struct UnitOfWork<'a> {
    txn: DatabaseTransaction,
    caller: &'a Caller,
    clock: Clock,
    events: Mutex<Vec<DecisionEvent>>,
}

impl<'a> UnitOfWork<'a> {
    /// Opens a unit of work for `caller`. On SQLite the transaction takes
    /// the write lock at once (`BEGIN IMMEDIATE`), so concurrent writers
    /// queue for it instead of failing when a read snapshot turns out stale;
    /// PostgreSQL ignores the option.
    pub async fn begin(
        db: &DatabaseConnection,
        caller: &'a Caller,
        clock: &Clock,
    ) -> AppResult<UnitOfWork<'a>> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        Ok(Self {
            txn: db.begin_with_options(options).await?,
            caller,
            clock: clock.clone(),
            events: Mutex::new(Vec::new()),
        })
    }

    /// The transaction every statement of the change runs in.
    pub fn db(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Who is making the change.
    pub fn caller(&self) -> &'a Caller {
        self.caller
    }

    /// Now, by the injected clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today (China Standard Time), by the injected clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The access decision for `permission` over `scope`.
    pub fn permit(&self, permission: Permission, scope: &Scope) -> AppResult<Permit<'a>> {
        access::permit(self.caller, permission, scope)
    }

    /// A permit under a named self-service rule, within `scope`.
    pub fn self_service(&self, rule: SelfService, scope: &Scope) -> AppResult<Permit<'a>> {
        access::self_service(self.caller, rule, scope)
    }

    /// The target of a change by this unit's caller (`store::target`).
    pub async fn target<E: Keyed>(
        &self,
        permission: Permission,
        id: i64,
        field: &str,
        what: &str,
    ) -> AppResult<E::Model> {
        crate::domain::store::target::<E>(&self.txn, self.caller, permission, id, field, what).await
    }

    /// The access decision for `member`, another caller whose change this
    /// unit commits together with its own (a group commit: see
    /// `decisions::ballot_box`), for `permission` over `scope`.
    pub fn permit_of<'c>(
        &self,
        member: &'c Caller,
        permission: Permission,
        scope: &Scope,
    ) -> AppResult<Permit<'c>> {
        access::permit(member, permission, scope)
    }

    /// A permit for `member` (as `permit_of`) under a named self-service rule.
    pub fn self_service_of<'c>(
        &self,
        member: &'c Caller,
        rule: SelfService,
        scope: &Scope,
    ) -> AppResult<Permit<'c>> {
        access::self_service(member, rule, scope)
    }

    /// Records an event the change causes; it is delivered if and only if
    /// the change commits.
    pub fn emit(&self, event: DecisionEvent) {
        if let Ok(mut events) = self.events.lock() {
            events.push(event);
        }
    }

    /// Commits the change and delivers its events: on PostgreSQL as
    /// notifications sent inside the transaction (so other instances hear
    /// of them only if it commits), on SQLite to this process after commit.
    /// Either way the hub counts the change, which ends what the read cache
    /// holds.
    pub async fn commit(self, hub: &Events) -> AppResult<()> {
        let events = self
            .events
            .into_inner()
            .map_err(|_| AppError::Internal("event list poisoned".into()))?;
        hub.within(&self.txn, &events).await?;
        self.txn.commit().await?;
        hub.changed();
        for event in events {
            hub.after_commit(event);
        }
        Ok(())
    }

    /// Abandons the change: nothing of it is kept and no event is sent.
    pub async fn rollback(self) -> AppResult<()> {
        Ok(self.txn.rollback().await?)
    }
}
