//! Campaigns: created against a published rubric version, moved through
//! their phases in order, frozen into a ranking when evaluation ends and
//! published with their titles. The rules are in the area's top comment
//! (`domain::evaluation`).

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter,
};
use serde::Serialize;

use crate::domain::access::{Caller, Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::batch;
use crate::domain::evaluation::ranking::{self, Contender, Placed};
use crate::domain::evaluation::{scoring, titles};
use crate::domain::event::DecisionEvent;
use crate::domain::kinds::{
    AggregationRule, CampaignPhase, EligibilityRule, EvaluationKind, EvaluationLevel, RubricStatus,
    TitleKind,
};
use crate::domain::operation::Operation;
use crate::domain::store::{lock_row, must_exist};
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::Name;
use crate::entity::{
    campaign_entry as entry, campaign_result, district, evaluation_campaign as campaign,
    evaluation_title as title, rubric, rubric_version,
};
use crate::error::{AppError, AppResult, UserErrorCode};

pub(crate) const MANAGE: Permission = Permission::ManageEvaluations;

/// The earliest and latest campaign year accepted.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
/// The largest quota a campaign may set.
pub const MAX_QUOTA: i32 = 10_000;

/// The scope a campaign is run in: its district's for a county-level
/// campaign, the platform's (the city's) for the others.
pub fn scope_of(c: &campaign::Model) -> Scope {
    match c.district_id {
        Some(d) => Scope {
            district_id: Some(d),
            ..Scope::GLOBAL
        },
        None => Scope::GLOBAL,
    }
}

/// Whether `caller` runs campaign `c`: moves its phases, assigns its
/// evaluators, reads every sheet.
pub fn runs(caller: &Caller, c: &campaign::Model) -> bool {
    caller.actor().is_ok_and(|a| a.can(MANAGE, &scope_of(c)))
}

/// The eligibility check a campaign gets when none is given: a city- or
/// province-level demonstration-compound campaign takes its candidates
/// from demonstration communities of the same level; the others check
/// nothing beyond their entry route.
pub fn default_eligibility(kind: EvaluationKind, level: EvaluationLevel) -> EligibilityRule {
    match (kind, level) {
        (
            EvaluationKind::DemonstrationCompound,
            EvaluationLevel::City | EvaluationLevel::Province,
        ) => EligibilityRule::WithinDemonstrationCommunity,
        _ => EligibilityRule::Any,
    }
}

/// What a new campaign is.
pub struct NewCampaign {
    /// Its name.
    pub name: Name,
    /// The title it awards.
    pub kind: EvaluationKind,
    /// Its level.
    pub level: EvaluationLevel,
    /// Its year.
    pub year: i32,
    /// The district running a county-level campaign; none for the others.
    pub district_id: Option<i64>,
    /// The published rubric version it pins, of its kind.
    pub rubric_version_id: i64,
    /// How many entries it selects.
    pub quota: i32,
    /// How many of those it singles out.
    pub single_out: i32,
    /// How evaluators' totals become a score.
    pub aggregation: AggregationRule,
    /// Its eligibility check; `default_eligibility` when none.
    pub eligibility: Option<EligibilityRule>,
}

/// Creates a campaign in its application phase. A county-level campaign is
/// its district's to create; a city or province one the city's.
pub async fn create(uow: &UnitOfWork<'_>, new: NewCampaign) -> AppResult<campaign::Model> {
    let db = uow.db();
    let scope = match (new.level, new.district_id) {
        (EvaluationLevel::County, Some(d)) => {
            uow.target::<district::Entity>(MANAGE, d, "district_id", "district")
                .await?;
            Scope::of_district(db, d).await?
        }
        (EvaluationLevel::County, None) => {
            return Err(AppError::invalid(
                "district_id",
                UserErrorCode::Required,
                "a county-level campaign is run by a district: name it",
            ));
        }
        (_, Some(_)) => {
            return Err(AppError::invalid(
                "district_id",
                UserErrorCode::Invalid,
                "only a county-level campaign is run by a district; city and province campaigns are the city's",
            ));
        }
        (_, None) => Scope::GLOBAL,
    };
    let permit = uow.permit(MANAGE, &scope)?;
    if !YEARS.contains(&new.year) {
        return Err(AppError::invalid(
            "year",
            UserErrorCode::OutOfRange,
            format!("a year from {} to {}", YEARS.start(), YEARS.end()),
        ));
    }
    if !(1..=MAX_QUOTA).contains(&new.quota) {
        return Err(AppError::invalid(
            "quota",
            UserErrorCode::OutOfRange,
            format!("a quota from 1 to {MAX_QUOTA}"),
        ));
    }
    if !(0..=new.quota).contains(&new.single_out) {
        return Err(AppError::invalid(
            "single_out",
            UserErrorCode::OutOfRange,
            format!(
                "the number singled out is from 0 to the quota, {}",
                new.quota
            ),
        ));
    }
    let v = must_exist::<rubric_version::Entity>(
        db,
        new.rubric_version_id,
        "rubric_version_id",
        "rubric version",
    )
    .await?;
    if v.status != RubricStatus::Published {
        return Err(AppError::invalid(
            "rubric_version_id",
            UserErrorCode::InvalidState,
            "a campaign pins a PUBLISHED rubric version; publish the draft first",
        ));
    }
    let r = must_exist::<rubric::Entity>(db, v.rubric_id, "rubric_version_id", "rubric").await?;
    if r.kind != new.kind {
        return Err(AppError::invalid(
            "rubric_version_id",
            UserErrorCode::Invalid,
            format!(
                "rubric {} scores {} campaigns, not {}",
                r.code,
                r.kind.as_str(),
                new.kind.as_str()
            ),
        ));
    }
    let m = campaign::ActiveModel {
        name: Set(new.name.into_inner()),
        kind: Set(new.kind),
        level: Set(new.level),
        year: Set(new.year),
        district_id: Set(new.district_id),
        rubric_version_id: Set(v.id),
        quota: Set(new.quota),
        single_out: Set(new.single_out),
        aggregation: Set(new.aggregation),
        eligibility: Set(new
            .eligibility
            .unwrap_or_else(|| default_eligibility(new.kind, new.level))),
        phase: Set(CampaignPhase::Application),
        created_by: Set(permit.actor().account_id),
        created_at: Set(uow.now()),
        phase_changed_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::CreateCampaign,
            "EvaluationCampaign",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    announce(uow, &m);
    Ok(m)
}

fn announce(uow: &UnitOfWork<'_>, c: &campaign::Model) {
    uow.emit(DecisionEvent::CampaignChanged {
        campaign_id: c.id,
        phase: c.phase,
    });
}

/// The campaign `id`, locked, for a move by its staff: the caller must
/// hold `ManageEvaluations` somewhere before the lookup, and over the
/// campaign's scope after it.
pub(crate) async fn staff_target<'a>(
    uow: &UnitOfWork<'a>,
    id: i64,
) -> AppResult<(campaign::Model, Scope, crate::domain::access::Permit<'a>)> {
    let c = uow
        .target::<campaign::Entity>(MANAGE, id, "campaign_id", "campaign")
        .await?;
    let scope = scope_of(&c);
    let permit = uow.permit(MANAGE, &scope)?;
    lock_row::<campaign::Entity>(uow.db(), id).await?;
    let c = must_exist::<campaign::Entity>(uow.db(), id, "campaign_id", "campaign").await?;
    Ok((c, scope, permit))
}

/// Refuses unless campaign `c` is in one of `phases`, naming its phase.
pub(crate) fn expect_phase(
    c: &campaign::Model,
    phases: &[CampaignPhase],
    action: &str,
    field: &str,
) -> AppResult<()> {
    if phases.contains(&c.phase) {
        return Ok(());
    }
    let wanted: Vec<&str> = phases.iter().map(|p| p.as_str()).collect();
    Err(AppError::invalid(
        field,
        UserErrorCode::InvalidState,
        format!(
            "the campaign is in {}: {action} only in {}",
            c.phase.as_str(),
            wanted.join(" or ")
        ),
    ))
}

/// What the audit trail keeps of a phase move (payload version 1).
#[derive(Serialize)]
struct PhaseMove<'a> {
    payload: u8,
    campaign: &'a campaign::Model,
    /// Written when evaluation ends.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    results: &'a [campaign_result::Model],
    /// Awarded at publication.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    titles: &'a [title::Model],
}

/// Moves campaign `id` to its next phase. Leaving evaluation freezes the
/// ranking: each entry's result is written from the sheets standing then
/// (drafts count for nothing), and the quota and the top N are selected.
/// Publishing awards the selected their titles. A published campaign
/// moves no further.
pub async fn advance(uow: &UnitOfWork<'_>, id: i64) -> AppResult<campaign::Model> {
    let (c, scope, permit) = staff_target(uow, id).await?;
    let Some(next) = c.phase.next() else {
        return Err(AppError::invalid(
            "campaign_id",
            UserErrorCode::InvalidState,
            "the campaign is PUBLISHED: it moves no further",
        ));
    };
    let db = uow.db();
    let results = if next == CampaignPhase::Selection {
        freeze(uow, &c).await?
    } else {
        Vec::new()
    };
    let titles = if next == CampaignPhase::Published {
        award(uow, &permit, &c).await?
    } else {
        Vec::new()
    };
    let before = c.clone();
    let mut am = c.into_active_model();
    am.phase = Set(next);
    am.phase_changed_at = Set(uow.now());
    let after = am.update(db).await?;
    audit::record(
        uow,
        &permit,
        Subject::new(
            Operation::AdvanceCampaign,
            "EvaluationCampaign",
            after.id,
            &scope,
        ),
        Some(&PhaseMove {
            payload: 1,
            campaign: &before,
            results: &[],
            titles: &[],
        }),
        Some(&PhaseMove {
            payload: 1,
            campaign: &after,
            results: &results,
            titles: &titles,
        }),
    )
    .await?;
    announce(uow, &after);
    Ok(after)
}

/// The ranking of campaign `c` as its standing sheets place it now.
pub async fn live_ranking(
    db: &impl ConnectionTrait,
    c: &campaign::Model,
) -> AppResult<Vec<Placed>> {
    let entries = entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(c.id))
        .all(db)
        .await?;
    let mut totals: HashMap<i64, Vec<i32>> = HashMap::new();
    for s in scoring::standing_sheets(db, c.id).await? {
        totals.entry(s.entry_id).or_default().push(s.total);
    }
    let contenders: Vec<Contender> = entries
        .iter()
        .map(|e| Contender {
            entry_id: e.id,
            entered_at: e.entered_at,
            totals: totals.remove(&e.id).unwrap_or_default(),
        })
        .collect();
    Ok(ranking::rank(
        c.aggregation,
        &contenders,
        c.quota,
        c.single_out,
    ))
}

/// Writes each entry's result from the sheets standing now.
async fn freeze(
    uow: &UnitOfWork<'_>,
    c: &campaign::Model,
) -> AppResult<Vec<campaign_result::Model>> {
    let placed = live_ranking(uow.db(), c).await?;
    let rows = placed
        .iter()
        .map(|p| campaign_result::ActiveModel {
            campaign_id: Set(c.id),
            entry_id: Set(p.entry_id),
            rank: Set(p.rank),
            sheets: Set(p.aggregate.map_or(0, |a| a.sheets)),
            counted: Set(p.aggregate.map_or(0, |a| a.counted)),
            counted_points: Set(p.aggregate.map_or(0, |a| a.counted_points)),
            score_centi: Set(p.aggregate.map(|a| a.score_centi())),
            lowest_total: Set(p.aggregate.map(|a| a.lowest)),
            highest_total: Set(p.aggregate.map(|a| a.highest)),
            selected: Set(p.selected),
            singled_out: Set(p.singled_out),
            ..Default::default()
        })
        .collect();
    batch::insert_returning(uow.db(), rows).await
}

/// Awards a title to each selected entry of campaign `c`.
async fn award(
    uow: &UnitOfWork<'_>,
    permit: &crate::domain::access::Permit<'_>,
    c: &campaign::Model,
) -> AppResult<Vec<title::Model>> {
    let db = uow.db();
    let selected: Vec<i64> = campaign_result::Entity::find()
        .filter(campaign_result::Column::CampaignId.eq(c.id))
        .filter(campaign_result::Column::Selected.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.entry_id)
        .collect();
    if selected.is_empty() {
        return Ok(Vec::new());
    }
    let entries = entry::Entity::find()
        .filter(entry::Column::Id.is_in(selected))
        .all(db)
        .await?;
    let status = titles::awarded_status(c);
    let rows = entries
        .iter()
        .map(|e| {
            titles::NewTitle {
                kind: TitleKind::awarded_by(c.kind),
                level: c.level,
                year: c.year,
                compound_id: e.compound_id,
                community_id: e.community_id,
                campaign_id: Some(c.id),
                entry_id: Some(e.id),
                status,
                note: None,
                awarded_by: permit.actor().account_id,
                awarded_at: uow.now(),
                restores_id: None,
            }
            .row()
        })
        .collect();
    batch::insert_returning(db, rows).await
}

/// The frozen results of campaign `campaign_id`, ranked first in order,
/// then the unscored in order of entry.
pub async fn results(
    db: &impl ConnectionTrait,
    campaign_id: i64,
) -> AppResult<Vec<campaign_result::Model>> {
    let mut rows = campaign_result::Entity::find()
        .filter(campaign_result::Column::CampaignId.eq(campaign_id))
        .all(db)
        .await?;
    rows.sort_by_key(|r| (r.rank.is_none(), r.rank, r.id));
    Ok(rows)
}

/// Whether `caller` may see campaign `c`'s ranking: anyone once it is
/// published, its staff before.
pub fn may_see_ranking(caller: &Caller, c: &campaign::Model) -> bool {
    c.phase == CampaignPhase::Published || runs(caller, c)
}
