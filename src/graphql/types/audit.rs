//! The audit history: who changed what, when, before and after.

use async_graphql::{Context, ID, Json, Object, Result};
use chrono::{DateTime, Utc};

use crate::entity::{account, audit_record};
use crate::graphql::id::{NodeKind, encode};
use crate::graphql::loaders;
use crate::graphql::loaders::by_id_opt;

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
