//! Evaluators and their score sheets. The rules are in the area's top
//! comment (`domain::evaluation`):
//!
//! - The campaign's staff assign evaluators to entries until evaluation
//!   ends. An evaluator is an account holding the `EVALUATOR` role and
//!   linked to a person, whose ties (`ties`) to the entry refuse the
//!   assignment.
//! - Only an assigned evaluator scores, and only while the campaign is in
//!   evaluation. Each keeps numbered sheets for their assignment: the open
//!   draft is saved as often as wanted (every line replaced), then
//!   submitted, which needs every indicator of the pinned rubric version
//!   scored within its maximum and locks the sheet. A submitted sheet is
//!   corrected only by a new sheet that names it and records why; the new
//!   sheet, once submitted, stands in its place. Nothing is deleted.
//! - A sheet is read by its evaluator and the campaign's staff.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use serde::Serialize;

use crate::domain::access::{Caller, Permission, Permit, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::batch;
use crate::domain::evaluation::campaigns::{self, expect_phase, staff_target};
use crate::domain::evaluation::ties;
use crate::domain::kinds::{AttachmentPurpose, CampaignPhase, Role, ScoreSheetStatus};
use crate::domain::operation::Operation;
use crate::domain::store::{lock_row, must_exist};
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{parse_text, required_text};
use crate::entity::{
    account, attachment, campaign_entry as entry, evaluation_campaign as campaign,
    evaluator_assignment as assignment, role_grant, rubric_indicator as indicator, score_evidence,
    score_line, score_sheet as sheet,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// The permission an evaluator scores under.
const SCORE: Permission = Permission::ScoreEntries;

/// Most evidence attachments one line shows.
pub const MAX_EVIDENCE: usize = 20;

/// The scope of entry `e`: its compound's, or its community's.
pub async fn scope_of_entry(db: &impl ConnectionTrait, e: &entry::Model) -> AppResult<Scope> {
    match e.compound_id {
        Some(c) => Scope::of_compound(db, c).await,
        None => Scope::of_community(db, e.community_id).await,
    }
}

/// Assigns evaluator `account_id` to entry `entry_id`, before the campaign
/// leaves evaluation. Refused when the account is no evaluator, has no
/// person to check, or its person is tied to the entry.
pub async fn assign(
    uow: &UnitOfWork<'_>,
    entry_id: i64,
    account_id: i64,
) -> AppResult<assignment::Model> {
    let db = uow.db();
    let e = uow
        .target::<entry::Entity>(campaigns::MANAGE, entry_id, "entry_id", "entry")
        .await?;
    let (c, _, permit) = staff_target(uow, e.campaign_id).await?;
    expect_phase(
        &c,
        &[
            CampaignPhase::Application,
            CampaignPhase::Building,
            CampaignPhase::Evaluation,
        ],
        "evaluators are assigned",
        "entry_id",
    )?;
    let a = must_exist::<account::Entity>(db, account_id, "account_id", "account").await?;
    let evaluator = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(a.id))
        .filter(role_grant::Column::Role.eq(Role::Evaluator))
        .filter(role_grant::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    if a.disabled || evaluator.is_none() {
        return Err(AppError::invalid(
            "account_id",
            UserErrorCode::Invalid,
            format!(
                "{} is not an evaluator: grant the EVALUATOR role first",
                a.username
            ),
        ));
    }
    let Some(person_id) = a.person_id else {
        return Err(AppError::invalid(
            "account_id",
            UserErrorCode::Invalid,
            format!(
                "{}'s account is linked to no person, so their ties to the entry cannot be checked",
                a.username
            ),
        ));
    };
    let (compounds, community) = match e.compound_id {
        Some(id) => (vec![id], None),
        None => (
            ties::compounds_of(db, e.community_id).await?,
            Some(e.community_id),
        ),
    };
    if let Some(tie) =
        ties::first_tie(db, person_id, a.id, &compounds, community, uow.today()).await?
    {
        return Err(AppError::invalid(
            "account_id",
            UserErrorCode::Conflict,
            format!(
                "conflict of interest: {} {}, so may not evaluate this entry",
                a.display_name,
                tie.describe()
            ),
        ));
    }
    let m = assignment::ActiveModel {
        campaign_id: Set(c.id),
        entry_id: Set(e.id),
        account_id: Set(a.id),
        person_id: Set(person_id),
        assigned_by: Set(permit.actor().account_id),
        assigned_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let scope = scope_of_entry(db, &e).await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::AssignEvaluator,
            "EvaluatorAssignment",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// The entry, its campaign (in evaluation) and the caller's assignment to
/// it, locked, for an evaluator's own move.
async fn evaluator_target<'a>(
    uow: &UnitOfWork<'a>,
    entry_id: i64,
    action: &str,
) -> AppResult<(
    entry::Model,
    campaign::Model,
    assignment::Model,
    Scope,
    Permit<'a>,
)> {
    let db = uow.db();
    let e = uow
        .target::<entry::Entity>(SCORE, entry_id, "entry_id", "entry")
        .await?;
    let scope = scope_of_entry(db, &e).await?;
    let permit = uow.permit(SCORE, &scope)?;
    let mine = assignment::Entity::find()
        .filter(assignment::Column::EntryId.eq(e.id))
        .filter(assignment::Column::AccountId.eq(permit.actor().account_id))
        .one(db)
        .await?;
    let Some(mine) = mine else {
        return Err(AppError::Forbidden(
            "only the evaluators assigned to an entry score it".into(),
        ));
    };
    // One evaluator's moves on one entry follow each other.
    lock_row::<assignment::Entity>(db, mine.id).await?;
    let c = must_exist::<campaign::Entity>(db, e.campaign_id, "entry_id", "campaign").await?;
    expect_phase(&c, &[CampaignPhase::Evaluation], action, "entry_id")?;
    Ok((e, c, mine, scope, permit))
}

/// The sheets of assignment `assignment_id`, newest first.
async fn sheets_of(db: &impl ConnectionTrait, assignment_id: i64) -> AppResult<Vec<sheet::Model>> {
    Ok(sheet::Entity::find()
        .filter(sheet::Column::AssignmentId.eq(assignment_id))
        .order_by_desc(sheet::Column::Number)
        .all(db)
        .await?)
}

/// One line as the evaluator gives it.
pub struct LineInput {
    /// The indicator scored.
    pub indicator_id: i64,
    /// Its points, from 0 to the indicator's maximum.
    pub points: i32,
    /// The evaluator's comment.
    pub comment: String,
    /// Evidence: score-evidence attachments the evaluator uploaded for the entry.
    pub evidence_ids: Vec<i64>,
}

/// A line, checked.
struct CheckedLine {
    indicator_id: i64,
    points: i32,
    comment: String,
    evidence: Vec<i64>,
}

/// A sheet with its lines and their evidence, as the audit trail keeps it
/// (payload version 1).
#[derive(Serialize)]
struct SheetRecord<'a> {
    payload: u8,
    sheet: &'a sheet::Model,
    lines: &'a [score_line::Model],
    evidence: &'a [score_evidence::Model],
}

/// Checks `lines` against the indicators of `version_id` and the
/// evidence the caller uploaded for entry `e`.
async fn check_lines(
    uow: &UnitOfWork<'_>,
    e: &entry::Model,
    version_id: i64,
    lines: &[LineInput],
) -> AppResult<Vec<CheckedLine>> {
    let db = uow.db();
    let indicators: HashMap<i64, indicator::Model> = indicator::Entity::find()
        .filter(indicator::Column::VersionId.eq(version_id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let wanted: Vec<i64> = lines.iter().flat_map(|l| l.evidence_ids.clone()).collect();
    let me = uow.caller().actor()?.account_id;
    let evidence: HashSet<i64> = if wanted.is_empty() {
        HashSet::new()
    } else {
        attachment::Entity::find()
            .filter(attachment::Column::Id.is_in(wanted))
            .all(db)
            .await?
            .into_iter()
            .filter(|a| {
                a.purpose == AttachmentPurpose::ScoreEvidence
                    && a.uploaded_by == me
                    && a.community_id == e.community_id
                    && a.compound_id == e.compound_id
            })
            .map(|a| a.id)
            .collect()
    };
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(lines.len());
    for (n, l) in lines.iter().enumerate() {
        let at = |field: &str| format!("lines.{n}.{field}");
        let Some(ind) = indicators.get(&l.indicator_id) else {
            return Err(AppError::invalid(
                &at("indicator_id"),
                UserErrorCode::Invalid,
                "not an indicator of the rubric version this campaign pins",
            ));
        };
        if !seen.insert(ind.id) {
            return Err(AppError::invalid(
                &at("indicator_id"),
                UserErrorCode::Conflict,
                format!("indicator {} is scored twice", ind.title),
            ));
        }
        if !(0..=ind.max_score).contains(&l.points) {
            return Err(AppError::invalid(
                &at("points"),
                UserErrorCode::OutOfRange,
                format!(
                    "{} is scored from 0 to its maximum of {} points; {} is out of range",
                    ind.title, ind.max_score, l.points
                ),
            ));
        }
        let comment = parse_text(&l.comment, &at("comment"))?;
        if l.evidence_ids.len() > MAX_EVIDENCE {
            return Err(AppError::invalid(
                &at("evidence_ids"),
                UserErrorCode::OutOfRange,
                format!("at most {MAX_EVIDENCE} pieces of evidence a line"),
            ));
        }
        let mut ev = Vec::with_capacity(l.evidence_ids.len());
        for (k, id) in l.evidence_ids.iter().enumerate() {
            if !evidence.contains(id) {
                return Err(AppError::invalid(
                    &format!("lines.{n}.evidence_ids.{k}"),
                    UserErrorCode::Invalid,
                    "no such score evidence was uploaded by you for this entry",
                ));
            }
            if !ev.contains(id) {
                ev.push(*id);
            }
        }
        out.push(CheckedLine {
            indicator_id: ind.id,
            points: l.points,
            comment,
            evidence: ev,
        });
    }
    Ok(out)
}

/// The lines of sheet `sheet_id` and their evidence.
pub async fn lines_of(
    db: &impl ConnectionTrait,
    sheet_id: i64,
) -> AppResult<(Vec<score_line::Model>, Vec<score_evidence::Model>)> {
    let lines = score_line::Entity::find()
        .filter(score_line::Column::SheetId.eq(sheet_id))
        .all(db)
        .await?;
    let ids: Vec<i64> = lines.iter().map(|l| l.id).collect();
    let evidence = if ids.is_empty() {
        Vec::new()
    } else {
        score_evidence::Entity::find()
            .filter(score_evidence::Column::LineId.is_in(ids))
            .all(db)
            .await?
    };
    Ok((lines, evidence))
}

/// Writes `lines` as the lines of sheet `sheet_id`.
async fn write_lines(
    db: &impl ConnectionTrait,
    sheet_id: i64,
    lines: &[CheckedLine],
) -> AppResult<(Vec<score_line::Model>, Vec<score_evidence::Model>)> {
    if lines.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let rows = lines
        .iter()
        .map(|l| score_line::ActiveModel {
            sheet_id: Set(sheet_id),
            indicator_id: Set(l.indicator_id),
            points: Set(l.points),
            comment: Set(l.comment.clone()),
            ..Default::default()
        })
        .collect();
    let stored = batch::insert_returning(db, rows).await?;
    let rows: Vec<score_evidence::ActiveModel> = stored
        .iter()
        .zip(lines)
        .flat_map(|(s, l)| {
            l.evidence.iter().map(move |a| score_evidence::ActiveModel {
                line_id: Set(s.id),
                attachment_id: Set(*a),
                ..Default::default()
            })
        })
        .collect();
    let evidence = if rows.is_empty() {
        Vec::new()
    } else {
        batch::insert_returning(db, rows).await?
    };
    Ok((stored, evidence))
}

/// Removes the lines of draft `sheet_id` and their evidence.
async fn clear_lines(db: &impl ConnectionTrait, sheet_id: i64) -> AppResult<()> {
    let (lines, _) = lines_of(db, sheet_id).await?;
    let ids: Vec<i64> = lines.iter().map(|l| l.id).collect();
    if ids.is_empty() {
        return Ok(());
    }
    score_evidence::Entity::delete_many()
        .filter(score_evidence::Column::LineId.is_in(ids.clone()))
        .exec(db)
        .await?;
    score_line::Entity::delete_many()
        .filter(score_line::Column::Id.is_in(ids))
        .exec(db)
        .await?;
    Ok(())
}

/// Saves the caller's draft sheet for entry `entry_id`: its lines are
/// replaced by `lines` (which may leave indicators unscored until
/// submission). The first save opens sheet 1; once a sheet is submitted,
/// only `correct` opens another.
pub async fn save(
    uow: &UnitOfWork<'_>,
    entry_id: i64,
    lines: &[LineInput],
) -> AppResult<sheet::Model> {
    let (e, c, mine, scope, permit) = evaluator_target(uow, entry_id, "sheets are saved").await?;
    let db = uow.db();
    let checked = check_lines(uow, &e, c.rubric_version_id, lines).await?;
    let total: i32 = checked.iter().map(|l| l.points).sum();
    let latest = sheets_of(db, mine.id).await?.into_iter().next();
    let (after, before) = match latest {
        Some(s) if s.status == ScoreSheetStatus::Submitted => {
            return Err(AppError::invalid(
                "entry_id",
                UserErrorCode::InvalidState,
                format!(
                    "your sheet {} is submitted and locked; correct it with a new sheet that records why (correctScoreSheet)",
                    s.number
                ),
            ));
        }
        Some(draft) => {
            let old = lines_of(db, draft.id).await?;
            clear_lines(db, draft.id).await?;
            let mut am = draft.clone().into_active_model();
            am.total = Set(total);
            am.saved_at = Set(uow.now());
            (am.update(db).await?, Some((draft, old)))
        }
        None => {
            let s = sheet::ActiveModel {
                campaign_id: Set(c.id),
                entry_id: Set(e.id),
                assignment_id: Set(mine.id),
                account_id: Set(mine.account_id),
                number: Set(1),
                status: Set(ScoreSheetStatus::Draft),
                corrects_id: Set(None),
                correction_reason: Set(None),
                total: Set(total),
                created_at: Set(uow.now()),
                saved_at: Set(uow.now()),
                submitted_at: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?;
            (s, None)
        }
    };
    let (lines, evidence) = write_lines(db, after.id, &checked).await?;
    let record = SheetRecord {
        payload: 1,
        sheet: &after,
        lines: &lines,
        evidence: &evidence,
    };
    let subject = Subject::new(Operation::SaveScoreSheet, "ScoreSheet", after.id, &scope);
    match &before {
        Some((old_sheet, (old_lines, old_evidence))) => {
            let old = SheetRecord {
                payload: 1,
                sheet: old_sheet,
                lines: old_lines,
                evidence: old_evidence,
            };
            audit::record(uow, &permit, subject, Some(&old), Some(&record)).await?;
        }
        None => audit::created(uow, &permit, subject, &record).await?,
    }
    Ok(after)
}

/// Submits the caller's draft for entry `entry_id`, which locks it: every
/// indicator of the pinned version must be scored.
pub async fn submit(uow: &UnitOfWork<'_>, entry_id: i64) -> AppResult<sheet::Model> {
    let (_, c, mine, scope, permit) =
        evaluator_target(uow, entry_id, "sheets are submitted").await?;
    let db = uow.db();
    let Some(draft) = sheets_of(db, mine.id)
        .await?
        .into_iter()
        .next()
        .filter(|s| s.status == ScoreSheetStatus::Draft)
    else {
        return Err(AppError::invalid(
            "entry_id",
            UserErrorCode::InvalidState,
            "you have no draft sheet for this entry to submit: save one first",
        ));
    };
    let (lines, _) = lines_of(db, draft.id).await?;
    let scored: HashSet<i64> = lines.iter().map(|l| l.indicator_id).collect();
    let mut missing: Vec<indicator::Model> = indicator::Entity::find()
        .filter(indicator::Column::VersionId.eq(c.rubric_version_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|i| !scored.contains(&i.id))
        .collect();
    if !missing.is_empty() {
        missing.sort_by_key(|i| (i.aspect_id, i.position));
        let titles: Vec<&str> = missing.iter().take(5).map(|i| i.title.as_str()).collect();
        return Err(AppError::invalid(
            "entry_id",
            UserErrorCode::Required,
            format!(
                "every indicator is scored before a sheet is submitted; {} are not: {}{}",
                missing.len(),
                titles.join(", "),
                if missing.len() > 5 { ", …" } else { "" }
            ),
        ));
    }
    let before = draft.clone();
    let mut am = draft.into_active_model();
    am.status = Set(ScoreSheetStatus::Submitted);
    am.submitted_at = Set(Some(uow.now()));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::SubmitScoreSheet, "ScoreSheet", after.id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// Opens a correction of the caller's submitted sheet for entry
/// `entry_id`: a new draft, numbered next, naming the sheet it corrects and
/// why, with that sheet's lines to start from. The corrected sheet stays
/// as it was, and stands until the correction is submitted.
pub async fn correct(uow: &UnitOfWork<'_>, entry_id: i64, reason: &str) -> AppResult<sheet::Model> {
    let (_, _, mine, scope, permit) =
        evaluator_target(uow, entry_id, "sheets are corrected").await?;
    let db = uow.db();
    let reason = required_text(reason, "reason", "say why the sheet is corrected")?;
    let Some(locked) = sheets_of(db, mine.id).await?.into_iter().next() else {
        return Err(AppError::invalid(
            "entry_id",
            UserErrorCode::InvalidState,
            "you have no sheet for this entry: save and submit one",
        ));
    };
    if locked.status == ScoreSheetStatus::Draft {
        return Err(AppError::invalid(
            "entry_id",
            UserErrorCode::InvalidState,
            format!(
                "your sheet {} is still a draft: save it again instead",
                locked.number
            ),
        ));
    }
    let (old_lines, old_evidence) = lines_of(db, locked.id).await?;
    let s = sheet::ActiveModel {
        campaign_id: Set(locked.campaign_id),
        entry_id: Set(locked.entry_id),
        assignment_id: Set(mine.id),
        account_id: Set(mine.account_id),
        number: Set(locked.number + 1),
        status: Set(ScoreSheetStatus::Draft),
        corrects_id: Set(Some(locked.id)),
        correction_reason: Set(Some(reason)),
        total: Set(locked.total),
        created_at: Set(uow.now()),
        saved_at: Set(uow.now()),
        submitted_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let copied: Vec<CheckedLine> = old_lines
        .iter()
        .map(|l| CheckedLine {
            indicator_id: l.indicator_id,
            points: l.points,
            comment: l.comment.clone(),
            evidence: old_evidence
                .iter()
                .filter(|e| e.line_id == l.id)
                .map(|e| e.attachment_id)
                .collect(),
        })
        .collect();
    let (lines, evidence) = write_lines(db, s.id, &copied).await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CorrectScoreSheet, "ScoreSheet", s.id, &scope),
        &SheetRecord {
            payload: 1,
            sheet: &s,
            lines: &lines,
            evidence: &evidence,
        },
    )
    .await?;
    Ok(s)
}

/// The sheet standing for each assignment of campaign `campaign_id`: its
/// highest-numbered submitted one.
pub async fn standing_sheets(
    db: &impl ConnectionTrait,
    campaign_id: i64,
) -> AppResult<Vec<sheet::Model>> {
    let submitted = sheet::Entity::find()
        .filter(sheet::Column::CampaignId.eq(campaign_id))
        .filter(sheet::Column::Status.eq(ScoreSheetStatus::Submitted))
        .all(db)
        .await?;
    Ok(standing(submitted))
}

/// Of `submitted` sheets, the highest-numbered of each assignment.
pub fn standing(submitted: Vec<sheet::Model>) -> Vec<sheet::Model> {
    let mut best: HashMap<i64, sheet::Model> = HashMap::new();
    for s in submitted {
        match best.get(&s.assignment_id) {
            Some(b) if b.number >= s.number => {}
            _ => {
                best.insert(s.assignment_id, s);
            }
        }
    }
    let mut out: Vec<sheet::Model> = best.into_values().collect();
    out.sort_by_key(|s| s.id);
    out
}

/// Whether `caller` may read sheet `s` of campaign `c`: its evaluator and
/// the campaign's staff.
pub fn may_read_sheet(caller: &Caller, c: &campaign::Model, s: &sheet::Model) -> bool {
    caller.actor().is_ok_and(|a| a.account_id == s.account_id) || campaigns::runs(caller, c)
}
