//! The audit history: who changed what, when, before and after, and the
//! `history` of a compound. A file of its own, like `domain::audit`, as
//! every area's changes are recorded in it; who may read it is decided by
//! `domain::access` (`ReadAudit`).

use std::sync::Arc;

use async_graphql::{Context, ID, Json, Object, Result};
use chrono::{DateTime, Utc};

use crate::domain::access::Permission;
use crate::entity::{account, audit_record, compound};
use crate::graphql::id::{NodeKind, encode};
use crate::graphql::loaders::{AuditOfCompound, by_id_opt};
use crate::graphql::pagination::{AuditRecordConnection, cost, page_of_children};
use crate::graphql::types::page;
use crate::graphql::types::register::compound_scope;
use crate::graphql::{caller, loaders};

/// One recorded change.
pub struct AuditRecord(pub audit_record::Model);

/// One recorded change.
#[Object]
impl AuditRecord {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::AuditRecord, self.0.id)
    }
    /// The mutation that made the change, e.g. "appointChief".
    async fn operation(&self) -> &str {
        &self.0.operation
    }
    /// The type of the changed record, e.g. "ChiefAppointment".
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    /// The global ID of the changed record, when it is a node.
    async fn entity_id(&self) -> Option<ID> {
        NodeKind::from_name(&self.0.entity_type).map(|k| encode(k, self.0.entity_id))
    }
    /// When.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The login name of the account that made it.
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(
            by_id_opt::<account::Entity>(loaders(ctx)?, self.0.account_id)
                .await?
                .map(|a| a.username),
        )
    }
    /// The record before the change (null for a creation); personal data masked.
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0
            .before_json
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
            .map(Json)
    }
    /// The record after the change.
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0
            .after_json
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
            .map(Json)
    }
}

/// The audit history of a compound.
pub struct CompoundHistory(pub Arc<compound::Model>);

/// The audit history of a compound.
#[Object]
impl CompoundHistory {
    /// The audit history of the compound and everything in it, oldest first. Only for
    /// staff over it and its secretary, committee members and property manager.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<AuditRecordConnection> {
        let l = loaders(ctx)?;
        let scope = compound_scope(ctx, &self.0).await?;
        caller(ctx).may_read(Permission::ReadAudit, &scope)?;
        page_of_children::<AuditOfCompound, _, _>(
            l,
            self.0.id,
            page(first, after, last, before),
            AuditRecord,
        )
        .await
    }
}
