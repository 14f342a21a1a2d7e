//! The audit trail: every change writes who, when, what, and the record
//! before and after, in the transaction of the change itself, so a change
//! without its audit record cannot be committed.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use serde::Serialize;

use crate::domain::access::{Actor, Scope};
use crate::entity::audit_record;
use crate::error::{AppError, AppResult};

/// What changed: the operation and the record it touched.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The mutation, e.g. `createCompound`.
    pub operation: &'a str,
    /// The GraphQL type of the changed record, e.g. `Compound`.
    pub entity_type: &'a str,
    /// The changed record's row id.
    pub entity_id: i64,
    /// Where it sits, so a compound's or community's history can be read.
    pub scope: &'a Scope,
}

impl<'a> Subject<'a> {
    /// The subject `entity_type` #`entity_id`, changed by `operation`, within `scope`.
    pub fn new(operation: &'a str, entity_type: &'a str, entity_id: i64, scope: &'a Scope) -> Self {
        Self {
            operation,
            entity_type,
            entity_id,
            scope,
        }
    }
}

fn to_json<T: Serialize>(value: Option<&T>) -> AppResult<Option<String>> {
    value
        .map(|v| serde_json::to_string(v).map_err(|e| AppError::Internal(format!("audit: {e}"))))
        .transpose()
}

/// Writes the audit record of a change made by `actor`: the record
/// `before` (none for a creation) and `after` (none for a removal).
pub async fn record<B: Serialize, A: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    subject: Subject<'_>,
    before: Option<&B>,
    after: Option<&A>,
) -> AppResult<()> {
    audit_record::ActiveModel {
        account_id: Set(Some(actor.account_id)),
        operation: Set(subject.operation.to_owned()),
        entity_type: Set(subject.entity_type.to_owned()),
        entity_id: Set(subject.entity_id),
        community_id: Set(subject.scope.community_id),
        compound_id: Set(subject.scope.compound_id),
        before_json: Set(to_json(before)?),
        after_json: Set(to_json(after)?),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Records the creation of `after`.
pub async fn created<A: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    subject: Subject<'_>,
    after: &A,
) -> AppResult<()> {
    record::<A, A>(db, actor, subject, None, Some(after)).await
}

/// Records the change of `before` into `after`.
pub async fn updated<T: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    subject: Subject<'_>,
    before: &T,
    after: &T,
) -> AppResult<()> {
    record(db, actor, subject, Some(before), Some(after)).await
}
