//! Titles and their dynamic management (动态管理): recorded community
//! titles, the city's filing of district-assessed epidemic-free titles,
//! revocation with a reason, the rectification it opens and the
//! re-evaluation that closes it.
//!
//! - A title is managed at its level: a county-level title by the district
//!   its holder lies in, a city- or province-level one by the city
//!   (`ManageEvaluations` platform-wide).
//! - An epidemic-free title awarded by a county-level campaign is assessed
//!   (区级评定) and held only once the city files it (市级备案).
//! - Revoking (取消认定) needs a reason and a deadline; it opens one
//!   rectification (督促整改). The holder's parties (those who may apply
//!   for its titles) put their plan on record; the title's managers then
//!   re-evaluate: restored, a new held title names the revoked one; not
//!   restored, it stays revoked. Nothing is deleted or overwritten: the
//!   history of titles and revocations stays public.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, IntoActiveModel};

use crate::domain::access::{Permission, Permit, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::evaluation::campaigns::{self, MANAGE};
use crate::domain::kinds::{
    EvaluationKind, EvaluationLevel, RectificationOutcome, RectificationStatus, TitleKind,
    TitleStatus,
};
use crate::domain::operation::Operation;
use crate::domain::store::{lock_row, must_exist};
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::required_text;
use crate::entity::{
    community, evaluation_campaign as campaign, evaluation_title as title, rectification,
    rubric_version,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// What a new title row says.
pub(crate) struct NewTitle {
    pub kind: TitleKind,
    pub level: EvaluationLevel,
    pub year: i32,
    pub compound_id: Option<i64>,
    pub community_id: i64,
    pub campaign_id: Option<i64>,
    pub entry_id: Option<i64>,
    pub status: TitleStatus,
    pub note: Option<String>,
    pub awarded_by: i64,
    pub awarded_at: DateTime<Utc>,
    pub restores_id: Option<i64>,
}

impl NewTitle {
    /// The row to insert.
    pub(crate) fn row(self) -> title::ActiveModel {
        title::ActiveModel {
            kind: Set(self.kind),
            level: Set(self.level),
            year: Set(self.year),
            compound_id: Set(self.compound_id),
            community_id: Set(self.community_id),
            campaign_id: Set(self.campaign_id),
            entry_id: Set(self.entry_id),
            status: Set(self.status),
            note: Set(self.note),
            awarded_by: Set(self.awarded_by),
            awarded_at: Set(self.awarded_at),
            revoked_by: Set(None),
            revoked_at: Set(None),
            revocation_reason: Set(None),
            filed_by: Set(None),
            filed_at: Set(None),
            restores_id: Set(self.restores_id),
            ..Default::default()
        }
    }
}

/// The status a title awarded by campaign `c` starts in: a district's
/// epidemic-free title waits for the city's filing.
pub(crate) fn awarded_status(c: &campaign::Model) -> TitleStatus {
    if c.kind == EvaluationKind::EpidemicFree && c.level == EvaluationLevel::County {
        TitleStatus::Assessed
    } else {
        TitleStatus::Held
    }
}

/// The scope of the holder of `t`: its compound's, or its community's.
pub async fn holder_scope(db: &impl ConnectionTrait, t: &title::Model) -> AppResult<Scope> {
    match t.compound_id {
        Some(c) => Scope::of_compound(db, c).await,
        None => Scope::of_community(db, t.community_id).await,
    }
}

/// The scope a title of `level` held within `holder` is managed in.
fn managed_in(level: EvaluationLevel, holder: &Scope) -> Scope {
    match level {
        EvaluationLevel::County => Scope {
            district_id: holder.district_id,
            ..Scope::GLOBAL
        },
        _ => Scope::GLOBAL,
    }
}

/// Title `id`, locked, for a move by its managers.
async fn managed_target<'a>(
    uow: &UnitOfWork<'a>,
    id: i64,
) -> AppResult<(title::Model, Scope, Permit<'a>)> {
    let t = uow
        .target::<title::Entity>(MANAGE, id, "title_id", "title")
        .await?;
    let holder = holder_scope(uow.db(), &t).await?;
    let permit = uow.permit(MANAGE, &managed_in(t.level, &holder))?;
    lock_row::<title::Entity>(uow.db(), id).await?;
    let t = must_exist::<title::Entity>(uow.db(), id, "title_id", "title").await?;
    Ok((t, holder, permit))
}

/// A community's demonstration title (基层治理示范社区), awarded outside
/// this service, to be recorded.
pub struct CommunityTitle {
    /// The community.
    pub community_id: i64,
    /// Its level.
    pub level: EvaluationLevel,
    /// The year it was awarded.
    pub year: i32,
    /// Where it comes from: the document that awarded it.
    pub note: String,
}

/// Records a community's demonstration title, by the managers of its
/// level.
pub async fn record_community_title(
    uow: &UnitOfWork<'_>,
    new: CommunityTitle,
) -> AppResult<title::Model> {
    let db = uow.db();
    let m = uow
        .target::<community::Entity>(MANAGE, new.community_id, "community_id", "community")
        .await?;
    let within = Scope::of_community(db, m.id).await?;
    if new.level == EvaluationLevel::County && within.district_id.is_none() {
        return Err(AppError::invalid(
            "level",
            UserErrorCode::Invalid,
            "the community's subdistrict belongs to no district, so it holds no county-level title",
        ));
    }
    let permit = uow.permit(MANAGE, &managed_in(new.level, &within))?;
    if !campaigns::YEARS.contains(&new.year) || new.year > uow.today().year() {
        return Err(AppError::invalid(
            "year",
            UserErrorCode::OutOfRange,
            format!("a year from {} to this year", campaigns::YEARS.start()),
        ));
    }
    let note = required_text(&new.note, "note", "say which document awarded the title")?;
    let t = NewTitle {
        kind: TitleKind::DemonstrationCommunity,
        level: new.level,
        year: new.year,
        compound_id: None,
        community_id: m.id,
        campaign_id: None,
        entry_id: None,
        status: TitleStatus::Held,
        note: Some(note),
        awarded_by: permit.actor().account_id,
        awarded_at: uow.now(),
        restores_id: None,
    }
    .row()
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::RecordCommunityTitle,
            "EvaluationTitle",
            t.id,
            &within,
        ),
        &t,
    )
    .await?;
    Ok(t)
}

/// The city files (备案) an epidemic-free title a district assessed: from
/// now on it is held.
pub async fn file(uow: &UnitOfWork<'_>, title_id: i64) -> AppResult<title::Model> {
    let t = uow
        .target::<title::Entity>(MANAGE, title_id, "title_id", "title")
        .await?;
    // Filing is the city's, whatever the title's level.
    let permit = uow.permit(MANAGE, &Scope::GLOBAL)?;
    lock_row::<title::Entity>(uow.db(), t.id).await?;
    let t = must_exist::<title::Entity>(uow.db(), t.id, "title_id", "title").await?;
    if t.status != TitleStatus::Assessed {
        return Err(AppError::invalid(
            "title_id",
            UserErrorCode::InvalidState,
            format!(
                "the title is {}: only a district-assessed (ASSESSED) title is filed",
                t.status.as_str()
            ),
        ));
    }
    let holder = holder_scope(uow.db(), &t).await?;
    let before = t.clone();
    let mut am = t.into_active_model();
    am.status = Set(TitleStatus::Held);
    am.filed_by = Set(Some(permit.actor().account_id));
    am.filed_at = Set(Some(uow.now()));
    let after = am.update(uow.db()).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::FileTitle, "EvaluationTitle", after.id, &holder),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// A revocation.
pub struct Revocation {
    /// The title.
    pub title_id: i64,
    /// What is below the standard.
    pub reason: String,
    /// The day the holder's rectification plan is due by (after today).
    pub deadline: NaiveDate,
}

/// Revokes a title held or assessed (取消认定), with a reason, and opens
/// its rectification with a deadline.
pub async fn revoke(
    uow: &UnitOfWork<'_>,
    r: Revocation,
) -> AppResult<(title::Model, rectification::Model)> {
    let (t, holder, permit) = managed_target(uow, r.title_id).await?;
    let reason = required_text(&r.reason, "reason", "say what is below the standard")?;
    if r.deadline <= uow.today() {
        return Err(AppError::invalid(
            "deadline",
            UserErrorCode::OutOfRange,
            "the rectification's deadline is after today",
        ));
    }
    if t.status == TitleStatus::Revoked {
        return Err(AppError::invalid(
            "title_id",
            UserErrorCode::InvalidState,
            "the title is revoked already",
        ));
    }
    let db = uow.db();
    let before = t.clone();
    let mut am = t.into_active_model();
    am.status = Set(TitleStatus::Revoked);
    am.revoked_by = Set(Some(permit.actor().account_id));
    am.revoked_at = Set(Some(uow.now()));
    am.revocation_reason = Set(Some(reason.clone()));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::RevokeTitle, "EvaluationTitle", after.id, &holder),
        &before,
        &after,
    )
    .await?;
    let rect = rectification::ActiveModel {
        title_id: Set(after.id),
        compound_id: Set(after.compound_id),
        community_id: Set(after.community_id),
        reason: Set(reason),
        deadline: Set(r.deadline),
        status: Set(RectificationStatus::Open),
        plan: Set(None),
        plan_by: Set(None),
        plan_at: Set(None),
        outcome: Set(None),
        findings: Set(None),
        score: Set(None),
        restored_title_id: Set(None),
        reevaluated_by: Set(None),
        reevaluated_at: Set(None),
        opened_by: Set(permit.actor().account_id),
        opened_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::RevokeTitle, "Rectification", rect.id, &holder),
        &rect,
    )
    .await?;
    Ok((after, rect))
}

/// The holder's parties put their rectification plan on record (a plan
/// on record may be replaced until re-evaluation).
pub async fn submit_plan(
    uow: &UnitOfWork<'_>,
    rectification_id: i64,
    plan: &str,
) -> AppResult<rectification::Model> {
    let db = uow.db();
    let apply = Permission::ApplyForTitles;
    let r = uow
        .target::<rectification::Entity>(
            apply,
            rectification_id,
            "rectification_id",
            "rectification",
        )
        .await?;
    let holder = match r.compound_id {
        Some(c) => Scope::of_compound(db, c).await?,
        None => Scope::of_community(db, r.community_id).await?,
    };
    let permit = uow.permit(apply, &holder)?;
    lock_row::<rectification::Entity>(db, r.id).await?;
    let r =
        must_exist::<rectification::Entity>(db, r.id, "rectification_id", "rectification").await?;
    let plan = required_text(plan, "plan", "say how the holder will rectify")?;
    if r.status == RectificationStatus::Closed {
        return Err(AppError::invalid(
            "rectification_id",
            UserErrorCode::InvalidState,
            "the rectification is re-evaluated and closed",
        ));
    }
    let before = r.clone();
    let mut am = r.into_active_model();
    am.plan = Set(Some(plan));
    am.plan_by = Set(Some(permit.actor().account_id));
    am.plan_at = Set(Some(uow.now()));
    am.status = Set(RectificationStatus::Planned);
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::SubmitRectificationPlan,
            "Rectification",
            after.id,
            &holder,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// A re-evaluation after rectification.
pub struct Reevaluation {
    /// The rectification.
    pub rectification_id: i64,
    /// Restored, or not.
    pub outcome: RectificationOutcome,
    /// What the re-evaluation found.
    pub findings: String,
    /// Its total against the title's rubric version, if scored.
    pub score: Option<i32>,
}

/// The title's managers re-evaluate the holder once its plan is on
/// record, closing the rectification; restored, a new held title of the
/// same kind, level and year names the revoked one.
pub async fn reevaluate(uow: &UnitOfWork<'_>, re: Reevaluation) -> AppResult<rectification::Model> {
    let db = uow.db();
    let r = uow
        .target::<rectification::Entity>(
            MANAGE,
            re.rectification_id,
            "rectification_id",
            "rectification",
        )
        .await?;
    let (t, holder, permit) = managed_target(uow, r.title_id).await?;
    lock_row::<rectification::Entity>(db, r.id).await?;
    let r =
        must_exist::<rectification::Entity>(db, r.id, "rectification_id", "rectification").await?;
    match r.status {
        RectificationStatus::Planned => {}
        RectificationStatus::Open => {
            return Err(AppError::invalid(
                "rectification_id",
                UserErrorCode::InvalidState,
                "the holder has no rectification plan on record yet: re-evaluation follows the plan",
            ));
        }
        RectificationStatus::Closed => {
            return Err(AppError::invalid(
                "rectification_id",
                UserErrorCode::InvalidState,
                "the rectification is re-evaluated and closed",
            ));
        }
    }
    let findings = required_text(&re.findings, "findings", "say what the re-evaluation found")?;
    if let Some(score) = re.score {
        let most = match t.campaign_id {
            Some(c) => {
                let c =
                    must_exist::<campaign::Entity>(db, c, "rectification_id", "campaign").await?;
                must_exist::<rubric_version::Entity>(
                    db,
                    c.rubric_version_id,
                    "rectification_id",
                    "rubric version",
                )
                .await?
                .max_total
            }
            None => {
                return Err(AppError::invalid(
                    "score",
                    UserErrorCode::Invalid,
                    "a recorded title has no rubric to score against: give findings only",
                ));
            }
        };
        if !(0..=most).contains(&score) {
            return Err(AppError::invalid(
                "score",
                UserErrorCode::OutOfRange,
                format!("a score from 0 to the rubric's {most} points"),
            ));
        }
    }
    let restored = match re.outcome {
        RectificationOutcome::Restored => {
            let n = NewTitle {
                kind: t.kind,
                level: t.level,
                year: t.year,
                compound_id: t.compound_id,
                community_id: t.community_id,
                campaign_id: t.campaign_id,
                entry_id: t.entry_id,
                status: TitleStatus::Held,
                note: Some(format!("restored after rectification: {findings}")),
                awarded_by: permit.actor().account_id,
                awarded_at: uow.now(),
                restores_id: Some(t.id),
            }
            .row()
            .insert(db)
            .await?;
            audit::created(
                uow,
                &permit,
                Subject::new(Operation::ReevaluateTitle, "EvaluationTitle", n.id, &holder),
                &n,
            )
            .await?;
            Some(n.id)
        }
        RectificationOutcome::NotRestored => None,
    };
    let before = r.clone();
    let mut am = r.into_active_model();
    am.status = Set(RectificationStatus::Closed);
    am.outcome = Set(Some(re.outcome));
    am.findings = Set(Some(findings));
    am.score = Set(re.score);
    am.restored_title_id = Set(restored);
    am.reevaluated_by = Set(Some(permit.actor().account_id));
    am.reevaluated_at = Set(Some(uow.now()));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::ReevaluateTitle,
            "Rectification",
            after.id,
            &holder,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}
