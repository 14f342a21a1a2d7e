//! The audit trail: every change writes who, when, what, and the record
//! before and after, in the transaction of the change itself, so a change
//! without its audit record cannot be committed.

use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde::Serialize;

use crate::domain::access::{Permit, Scope};
use crate::domain::operation::Operation;
use crate::domain::unit_of_work::UnitOfWork;
use crate::entity::audit_record;
use crate::error::{AppError, AppResult};

/// What changed: the operation and the record it touched.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The operation.
    pub operation: Operation,
    /// The GraphQL type of the changed record, e.g. `Compound`.
    pub entity_type: &'a str,
    /// The changed record's row id.
    pub entity_id: i64,
    /// Where it sits, so a compound's or community's history can be read.
    pub scope: &'a Scope,
}

impl<'a> Subject<'a> {
    /// The subject `entity_type` #`entity_id`, changed by `operation`, within `scope`.
    pub fn new(
        operation: Operation,
        entity_type: &'a str,
        entity_id: i64,
        scope: &'a Scope,
    ) -> Self {
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

/// Writes the audit record of a change made under `permit`: the record
/// `before` (none for a creation) and `after` (none for a removal).
pub async fn record<B: Serialize, A: Serialize>(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    subject: Subject<'_>,
    before: Option<&B>,
    after: Option<&A>,
) -> AppResult<()> {
    row(uow, permit, subject, before, after)?
        .insert(uow.db())
        .await?;
    Ok(())
}

/// The audit row of a change made under `permit`.
fn row<B: Serialize, A: Serialize>(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    subject: Subject<'_>,
    before: Option<&B>,
    after: Option<&A>,
) -> AppResult<audit_record::ActiveModel> {
    Ok(audit_record::ActiveModel {
        account_id: Set(Some(permit.actor().account_id)),
        operation: Set(subject.operation.as_str().to_owned()),
        entity_type: Set(subject.entity_type.to_owned()),
        entity_id: Set(subject.entity_id),
        community_id: Set(subject.scope.community_id),
        compound_id: Set(subject.scope.compound_id),
        before_json: Set(to_json(before)?),
        after_json: Set(to_json(after)?),
        at: Set(uow.now()),
        ..Default::default()
    })
}

/// Records the creation of `after`.
pub async fn created<A: Serialize>(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    subject: Subject<'_>,
    after: &A,
) -> AppResult<()> {
    record::<A, A>(uow, permit, subject, None, Some(after)).await
}

/// Records the change of `before` into `after`.
pub async fn updated<T: Serialize>(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    subject: Subject<'_>,
    before: &T,
    after: &T,
) -> AppResult<()> {
    record(uow, permit, subject, Some(before), Some(after)).await
}

/// Records the creation of many rows at once (a batch write): one record a
/// row, each as `created` writes it, stored in bulk statements.
pub async fn created_many<'p, 'a: 'p, A: Serialize + 'p>(
    uow: &UnitOfWork<'_>,
    creations: impl IntoIterator<Item = (&'p Permit<'a>, Subject<'p>, &'p A)>,
) -> AppResult<()> {
    let rows = creations
        .into_iter()
        .map(|(permit, subject, after)| row::<A, A>(uow, permit, subject, None, Some(after)))
        .collect::<AppResult<Vec<_>>>()?;
    let text = |json: &sea_orm::ActiveValue<Option<String>>| match json {
        Set(Some(s)) => s.len(),
        _ => 0,
    };
    crate::domain::batch::insert_all(uow.db(), rows, |r| {
        100 + text(&r.before_json) + text(&r.after_json)
    })
    .await
}
