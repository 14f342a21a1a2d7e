//! Self-inspection (自查自纠): a compound checks itself against a rubric
//! version or a free checklist, records what it found, and marks each
//! finding fixed on the day it was.
//!
//! The compound's three parties record and fix (those who may apply for
//! its titles, `ApplyForTitles`, and the staff above them); they and the
//! campaign staff over the compound read. A finding once fixed stays
//! fixed: the day and note are not rewritten.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

use crate::domain::access::{Caller, Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::batch;
use crate::domain::kinds::RubricStatus;
use crate::domain::operation::Operation;
use crate::domain::store::{lock_row, must_exist};
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, parse_text, required_text};
use crate::entity::{
    compound, rubric_indicator as indicator, rubric_version, self_inspection as inspection,
    self_inspection_finding as finding,
};
use crate::error::{AppError, AppResult, UserErrorCode};

const KEEP: Permission = Permission::ApplyForTitles;

/// Most findings one inspection records.
pub const MAX_FINDINGS: usize = 200;

/// Whether `caller` reads the self-inspections of a compound in `scope`.
pub fn may_read(caller: &Caller, scope: &Scope) -> bool {
    caller
        .actor()
        .is_ok_and(|a| a.can(KEEP, scope) || a.can(Permission::ManageEvaluations, scope))
}

/// A finding as recorded.
pub struct NewFinding {
    /// The indicator it concerns, for an inspection against a rubric version.
    pub indicator_id: Option<i64>,
    /// What was found.
    pub finding: String,
}

/// A self-inspection as recorded.
pub struct NewInspection {
    /// The compound.
    pub compound_id: i64,
    /// The published rubric version checked against; none for a free checklist.
    pub rubric_version_id: Option<i64>,
    /// What it was (e.g. "2026年第四季度自查").
    pub title: Name,
    /// The day it was made (not after today).
    pub inspected_on: NaiveDate,
    /// What it found (none: nothing below the standard).
    pub findings: Vec<NewFinding>,
}

/// Records a self-inspection with its findings.
pub async fn record(
    uow: &UnitOfWork<'_>,
    new: NewInspection,
) -> AppResult<(inspection::Model, Vec<finding::Model>)> {
    let db = uow.db();
    let c = uow
        .target::<compound::Entity>(KEEP, new.compound_id, "compound_id", "compound")
        .await?;
    let scope = Scope::of_compound(db, c.id).await?;
    let permit = uow.permit(KEEP, &scope)?;
    if new.inspected_on > uow.today() {
        return Err(AppError::invalid(
            "inspected_on",
            UserErrorCode::OutOfRange,
            "a self-inspection is recorded once made: not after today",
        ));
    }
    if new.findings.len() > MAX_FINDINGS {
        return Err(AppError::invalid(
            "findings",
            UserErrorCode::OutOfRange,
            format!("at most {MAX_FINDINGS} findings"),
        ));
    }
    let indicators: Vec<i64> = match new.rubric_version_id {
        Some(v) => {
            let v =
                must_exist::<rubric_version::Entity>(db, v, "rubric_version_id", "rubric version")
                    .await?;
            if v.status != RubricStatus::Published {
                return Err(AppError::invalid(
                    "rubric_version_id",
                    UserErrorCode::InvalidState,
                    "a compound checks itself against a PUBLISHED rubric version",
                ));
            }
            indicator::Entity::find()
                .filter(indicator::Column::VersionId.eq(v.id))
                .all(db)
                .await?
                .into_iter()
                .map(|i| i.id)
                .collect()
        }
        None => Vec::new(),
    };
    let mut rows = Vec::with_capacity(new.findings.len());
    for (n, f) in new.findings.iter().enumerate() {
        let at = |field: &str| format!("findings.{n}.{field}");
        if let Some(i) = f.indicator_id
            && !indicators.contains(&i)
        {
            return Err(AppError::invalid(
                &at("indicator_id"),
                UserErrorCode::Invalid,
                "not an indicator of the rubric version checked against",
            ));
        }
        rows.push((
            f.indicator_id,
            required_text(&f.finding, &at("finding"), "say what was found")?,
        ));
    }
    let m = inspection::ActiveModel {
        compound_id: Set(c.id),
        rubric_version_id: Set(new.rubric_version_id),
        title: Set(new.title.into_inner()),
        inspected_on: Set(new.inspected_on),
        recorded_by: Set(permit.actor().account_id),
        recorded_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let findings = if rows.is_empty() {
        Vec::new()
    } else {
        batch::insert_returning(
            db,
            rows.into_iter()
                .enumerate()
                .map(|(p, (indicator_id, text))| finding::ActiveModel {
                    inspection_id: Set(m.id),
                    position: Set(p as i32 + 1),
                    indicator_id: Set(indicator_id),
                    finding: Set(text),
                    fixed_on: Set(None),
                    fix_note: Set(None),
                    fixed_by: Set(None),
                    ..Default::default()
                })
                .collect(),
        )
        .await?
    };
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::RecordSelfInspection,
            "SelfInspection",
            m.id,
            &scope,
        ),
        &(&m, &findings),
    )
    .await?;
    Ok((m, findings))
}

/// Marks finding `finding_id` fixed on `fixed_on` (from the inspection's
/// day to today), once.
pub async fn fix(
    uow: &UnitOfWork<'_>,
    finding_id: i64,
    fixed_on: NaiveDate,
    note: &str,
) -> AppResult<finding::Model> {
    let db = uow.db();
    let f = uow
        .target::<finding::Entity>(KEEP, finding_id, "finding_id", "finding")
        .await?;
    let i =
        must_exist::<inspection::Entity>(db, f.inspection_id, "finding_id", "inspection").await?;
    let scope = Scope::of_compound(db, i.compound_id).await?;
    let permit = uow.permit(KEEP, &scope)?;
    lock_row::<finding::Entity>(db, f.id).await?;
    let f = must_exist::<finding::Entity>(db, f.id, "finding_id", "finding").await?;
    if let Some(day) = f.fixed_on {
        return Err(AppError::invalid(
            "finding_id",
            UserErrorCode::InvalidState,
            format!("the finding was marked fixed on {day} already"),
        ));
    }
    if fixed_on < i.inspected_on || fixed_on > uow.today() {
        return Err(AppError::invalid(
            "fixed_on",
            UserErrorCode::OutOfRange,
            format!("a day from the inspection's, {}, to today", i.inspected_on),
        ));
    }
    let note = parse_text(note, "note")?;
    let before = f.clone();
    let mut am = f.into_active_model();
    am.fixed_on = Set(Some(fixed_on));
    am.fix_note = Set(Some(note).filter(|n| !n.is_empty()));
    am.fixed_by = Set(Some(permit.actor().account_id));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::FixSelfInspectionFinding,
            "SelfInspectionFinding",
            after.id,
            &scope,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}
