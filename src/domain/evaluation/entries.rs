//! How compounds and communities enter campaigns, and the titles they
//! hold. The campaign's kind and level decide the route (the area's top
//! comment, `domain::evaluation`); its eligibility rule is checked on top.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use crate::domain::access::{Permission, Permit, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::evaluation::campaigns::{self, MANAGE, expect_phase};
use crate::domain::kinds::{
    CampaignPhase, EligibilityRule, EntryRoute, EvaluationKind, EvaluationLevel, TitleKind,
    TitleStatus,
};
use crate::domain::operation::Operation;
use crate::domain::store::{lock_row, must_exist};
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::parse_text;
use crate::entity::{
    campaign_entry as entry, community, compound, evaluation_campaign as campaign,
    evaluation_title as title,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// What enters a campaign: a compound, or (epidemic-free campaigns only) a
/// community.
pub struct NewEntry {
    /// The campaign.
    pub campaign_id: i64,
    /// The compound entered.
    pub compound_id: Option<i64>,
    /// The community entered, for a community's application.
    pub community_id: Option<i64>,
    /// Why it is recommended, or what the application says.
    pub note: String,
}

/// The holder of an entry or a title, looked up.
struct Holder {
    compound: Option<compound::Model>,
    community_id: i64,
    scope: Scope,
}

async fn holder(db: &impl ConnectionTrait, new: &NewEntry) -> AppResult<Holder> {
    match (new.compound_id, new.community_id) {
        (Some(id), None) => {
            let c = must_exist::<compound::Entity>(db, id, "compound_id", "compound").await?;
            Ok(Holder {
                community_id: c.community_id,
                scope: Scope::of_compound(db, c.id).await?,
                compound: Some(c),
            })
        }
        (None, Some(id)) => {
            must_exist::<community::Entity>(db, id, "community_id", "community").await?;
            Ok(Holder {
                compound: None,
                community_id: id,
                scope: Scope::of_community(db, id).await?,
            })
        }
        _ => Err(AppError::invalid(
            "compound_id",
            UserErrorCode::Required,
            "name either the compound or the community that enters",
        )),
    }
}

/// A title of `kind` held now by compound `compound_id` at one of `levels`,
/// the most recent first.
async fn held_title(
    db: &impl ConnectionTrait,
    compound_id: i64,
    kind: TitleKind,
    levels: &[EvaluationLevel],
) -> AppResult<Option<title::Model>> {
    let mut found = title::Entity::find()
        .filter(title::Column::CompoundId.eq(compound_id))
        .filter(title::Column::Kind.eq(kind))
        .filter(title::Column::Status.eq(TitleStatus::Held))
        .filter(title::Column::Level.is_in(levels.to_vec()))
        .all(db)
        .await?;
    found.sort_by_key(|t| std::cmp::Reverse((t.year, t.id)));
    Ok(found.into_iter().next())
}

/// Whether community `community_id` holds a demonstration-community title
/// of `level` now.
async fn demonstration_community(
    db: &impl ConnectionTrait,
    community_id: i64,
    level: EvaluationLevel,
) -> AppResult<bool> {
    Ok(title::Entity::find()
        .filter(title::Column::CommunityId.eq(community_id))
        .filter(title::Column::CompoundId.is_null())
        .filter(title::Column::Kind.eq(TitleKind::DemonstrationCommunity))
        .filter(title::Column::Status.eq(TitleStatus::Held))
        .filter(title::Column::Level.eq(level))
        .one(db)
        .await?
        .is_some())
}

/// Enters a compound (or community) in a campaign in its application
/// phase, by the route the campaign's kind and level allow:
/// - a demonstration compound at county or city level is recommended by
///   its subdistrict or district (`ManageEvaluations` over the compound);
/// - at province level it is recommended by the city from the compounds
///   holding a city-level demonstration title;
/// - the top ten's pool is drawn by the campaign's staff from the city- and
///   county-level demonstration titles;
/// - an epidemic-free compound or community applies itself
///   (`ApplyForTitles` over it: its party branch, committee or property
///   company, or its community).
///
/// A county-level campaign takes entries of its district only, and the
/// campaign's eligibility rule must hold.
pub async fn enter(uow: &UnitOfWork<'_>, new: NewEntry) -> AppResult<entry::Model> {
    // Decided before anything is looked up: one who may neither recommend
    // nor apply anywhere learns nothing.
    let actor = uow.caller().actor()?;
    if !actor.holds(MANAGE) && !actor.holds(Permission::ApplyForTitles) {
        return Err(AppError::Forbidden(
            "entries are recommended by evaluation staff or applied for by a compound's parties"
                .into(),
        ));
    }
    let db = uow.db();
    let c = must_exist::<campaign::Entity>(db, new.campaign_id, "campaign_id", "campaign").await?;
    let h = holder(db, &new).await?;
    let (route, permit): (EntryRoute, Permit<'_>) = match (c.kind, c.level) {
        (EvaluationKind::DemonstrationCompound, EvaluationLevel::Province)
        | (EvaluationKind::TopTen, _) => (
            EntryRoute::FromTitle,
            uow.permit(MANAGE, &campaigns::scope_of(&c))?,
        ),
        (EvaluationKind::DemonstrationCompound, _) => {
            (EntryRoute::Recommended, uow.permit(MANAGE, &h.scope)?)
        }
        (EvaluationKind::EpidemicFree, _) => (
            EntryRoute::Applied,
            uow.permit(Permission::ApplyForTitles, &h.scope)?,
        ),
    };
    if let Some(d) = c.district_id
        && h.scope.district_id != Some(d)
    {
        let field = if h.compound.is_some() {
            "compound_id"
        } else {
            "community_id"
        };
        return Err(AppError::invalid(
            field,
            UserErrorCode::Invalid,
            "a county-level campaign takes entries of its own district only",
        ));
    }
    let Some(holding) = h.compound.as_ref() else {
        if c.kind != EvaluationKind::EpidemicFree {
            return Err(AppError::invalid(
                "community_id",
                UserErrorCode::Invalid,
                format!(
                    "only compounds enter {} campaigns; communities enter epidemic-free ones",
                    c.kind.as_str()
                ),
            ));
        }
        return insert(uow, &permit, &c, &h, &new, route, None).await;
    };
    let source = match route {
        EntryRoute::FromTitle => {
            let levels: &[EvaluationLevel] = if c.kind == EvaluationKind::TopTen {
                &[EvaluationLevel::City, EvaluationLevel::County]
            } else {
                &[EvaluationLevel::City]
            };
            let Some(t) =
                held_title(db, holding.id, TitleKind::DemonstrationCompound, levels).await?
            else {
                let from = if c.kind == EvaluationKind::TopTen {
                    "the city- and county-level demonstration compounds"
                } else {
                    "the city-level demonstration compounds"
                };
                return Err(AppError::invalid(
                    "compound_id",
                    UserErrorCode::Invalid,
                    format!(
                        "ineligible: {} holds no demonstration-compound title this campaign draws from; its pool is {from}",
                        holding.name
                    ),
                ));
            };
            Some(t.id)
        }
        _ => None,
    };
    if c.eligibility == EligibilityRule::WithinDemonstrationCommunity
        && !demonstration_community(db, h.community_id, c.level).await?
    {
        return Err(AppError::invalid(
            "compound_id",
            UserErrorCode::Invalid,
            format!(
                "ineligible: {} does not lie in a {}-level demonstration community, as this campaign requires",
                holding.name,
                c.level.as_str().to_lowercase()
            ),
        ));
    }
    insert(uow, &permit, &c, &h, &new, route, source).await
}

async fn insert(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    c: &campaign::Model,
    h: &Holder,
    new: &NewEntry,
    route: EntryRoute,
    source: Option<i64>,
) -> AppResult<entry::Model> {
    let db = uow.db();
    let note = parse_text(&new.note, "note")?;
    // Under the campaign's lock: its phase cannot move meanwhile, and a
    // community enters once (its entries have no compound to be unique on).
    lock_row::<campaign::Entity>(db, c.id).await?;
    let c = must_exist::<campaign::Entity>(db, c.id, "campaign_id", "campaign").await?;
    expect_phase(
        &c,
        &[CampaignPhase::Application],
        "entries are taken",
        "campaign_id",
    )?;
    if h.compound.is_none() {
        let twice = entry::Entity::find()
            .filter(entry::Column::CampaignId.eq(c.id))
            .filter(entry::Column::CommunityId.eq(h.community_id))
            .filter(entry::Column::CompoundId.is_null())
            .one(db)
            .await?;
        if twice.is_some() {
            return Err(AppError::invalid(
                "community_id",
                UserErrorCode::Conflict,
                "the community has entered this campaign already",
            ));
        }
    }
    let m = entry::ActiveModel {
        campaign_id: Set(c.id),
        compound_id: Set(h.compound.as_ref().map(|c| c.id)),
        community_id: Set(h.community_id),
        route: Set(route),
        source_title_id: Set(source),
        note: Set(note),
        entered_by: Set(permit.actor().account_id),
        entered_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        permit,
        Subject::new(Operation::EnterCampaign, "CampaignEntry", m.id, &h.scope),
        &m,
    )
    .await?;
    Ok(m)
}
