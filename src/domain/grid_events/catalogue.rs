//! What the grid offices keep: a district's patrol catalogue (综合巡查 and
//! 定点巡查 items with their seasonal frequencies), its event categories
//! with the published list of small events (微小事件), and a subdistrict's
//! handlers with the accounts that act for them. All of it needs
//! `Permission::ManageGridCatalogue` over the district or subdistrict.

use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};

use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::kinds::{EventHandlerKind, PatrolKind, PatrolPeriod, Season};
use crate::domain::operation::Operation;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, parse_text};
use crate::entity::{
    account, district, event_category, event_handler, event_handler_member, patrol_frequency,
    patrol_item, subdistrict,
};
use crate::error::{AppError, AppResult, UserErrorCode};

const CATALOGUE: Permission = Permission::ManageGridCatalogue;

/// The most days a supervision deadline may lie ahead.
pub const MAX_SUPERVISION_DAYS: i32 = 365;

/// The most times a frequency may count in its period.
pub const MAX_TIMES: i32 = 100;

/// A new item of a district's patrol catalogue.
pub struct NewPatrolItem {
    /// The district whose grid office keeps it.
    pub district_id: i64,
    /// Comprehensive or fixed-point.
    pub kind: PatrolKind,
    /// Its name.
    pub name: Name,
    /// What the patrol looks at.
    pub guidance: String,
    /// The point patrolled: required of a fixed-point item, refused otherwise.
    pub fixed_place: Option<Name>,
}

/// Adds an item to a district's patrol catalogue.
pub async fn create_patrol_item(
    uow: &UnitOfWork<'_>,
    new: NewPatrolItem,
) -> AppResult<patrol_item::Model> {
    let d = uow
        .target::<district::Entity>(CATALOGUE, new.district_id, "district_id", "district")
        .await?;
    let scope = Scope::of_district(uow.db(), d.id).await?;
    let permit = uow.permit(CATALOGUE, &scope)?;
    match (new.kind, &new.fixed_place) {
        (PatrolKind::FixedPoint, None) => {
            return Err(AppError::invalid(
                "fixed_place",
                UserErrorCode::Required,
                "a fixed-point patrol names the point it patrols",
            ));
        }
        (PatrolKind::Comprehensive, Some(_)) => {
            return Err(AppError::invalid(
                "fixed_place",
                UserErrorCode::Invalid,
                "a comprehensive patrol covers the whole grid: it has no fixed point",
            ));
        }
        _ => {}
    }
    let m = patrol_item::ActiveModel {
        district_id: Set(d.id),
        kind: Set(new.kind),
        name: Set(new.name.into_inner()),
        guidance: Set(parse_text(&new.guidance, "guidance")?),
        fixed_place: Set(new.fixed_place.map(Name::into_inner)),
        created_by: Set(permit.actor().account_id),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreatePatrolItem, "PatrolItem", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// Sets how often an item is patrolled in `season`: `times` per `period`.
/// The new frequency stands for that season; earlier ones stay readable.
pub async fn set_frequency(
    uow: &UnitOfWork<'_>,
    item_id: i64,
    season: Season,
    times: i32,
    period: PatrolPeriod,
) -> AppResult<patrol_frequency::Model> {
    let item = uow
        .target::<patrol_item::Entity>(CATALOGUE, item_id, "patrol_item_id", "patrol item")
        .await?;
    let scope = Scope::of_district(uow.db(), item.district_id).await?;
    let permit = uow.permit(CATALOGUE, &scope)?;
    if !(1..=MAX_TIMES).contains(&times) {
        return Err(AppError::invalid(
            "times",
            UserErrorCode::OutOfRange,
            format!("from 1 to {MAX_TIMES} times in the period"),
        ));
    }
    let m = patrol_frequency::ActiveModel {
        patrol_item_id: Set(item.id),
        season: Set(season),
        times: Set(times),
        period: Set(period),
        set_by: Set(permit.actor().account_id),
        set_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::SetPatrolFrequency,
            "PatrolFrequency",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// The frequency of an item that stands on `day`, from all its frequency
/// rows (`rows`, any order): the newest set for the day's season, else the
/// newest set for the whole year, else none.
pub fn frequency_on(
    rows: &[patrol_frequency::Model],
    day: NaiveDate,
) -> Option<&patrol_frequency::Model> {
    let season = Season::of_month(day.month());
    let newest = |s: Season| rows.iter().filter(|f| f.season == s).max_by_key(|f| f.id);
    newest(season).or_else(|| newest(Season::AllYear))
}

/// A new event category of a district.
pub struct NewCategory {
    /// The district.
    pub district_id: i64,
    /// Its name.
    pub name: Name,
    /// On the district's published list of small events (微小事件).
    pub small: bool,
    /// Days from escalation to the supervision deadline (督办时限).
    pub supervision_days: i32,
}

fn supervision_days(days: i32) -> AppResult<i32> {
    if !(1..=MAX_SUPERVISION_DAYS).contains(&days) {
        return Err(AppError::invalid(
            "supervision_days",
            UserErrorCode::OutOfRange,
            format!("from 1 to {MAX_SUPERVISION_DAYS} days"),
        ));
    }
    Ok(days)
}

/// Adds an event category to a district.
pub async fn create_category(
    uow: &UnitOfWork<'_>,
    new: NewCategory,
) -> AppResult<event_category::Model> {
    let d = uow
        .target::<district::Entity>(CATALOGUE, new.district_id, "district_id", "district")
        .await?;
    let scope = Scope::of_district(uow.db(), d.id).await?;
    let permit = uow.permit(CATALOGUE, &scope)?;
    let m = event_category::ActiveModel {
        district_id: Set(d.id),
        name: Set(new.name.into_inner()),
        small: Set(new.small),
        supervision_days: Set(supervision_days(new.supervision_days)?),
        created_by: Set(permit.actor().account_id),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::CreateEventCategory,
            "EventCategory",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// Puts a category on the published list of small events or takes it off,
/// and sets its supervision days. Events already reported keep the
/// procedure they were reported under.
pub async fn update_category(
    uow: &UnitOfWork<'_>,
    category_id: i64,
    small: bool,
    days: i32,
) -> AppResult<event_category::Model> {
    let c = uow
        .target::<event_category::Entity>(CATALOGUE, category_id, "category_id", "event category")
        .await?;
    let scope = Scope::of_district(uow.db(), c.district_id).await?;
    let permit = uow.permit(CATALOGUE, &scope)?;
    let before = c.clone();
    let mut am = c.into_active_model();
    am.small = Set(small);
    am.supervision_days = Set(supervision_days(days)?);
    let after = am.update(uow.db()).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::UpdateEventCategory,
            "EventCategory",
            after.id,
            &scope,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// Registers a handler events of a subdistrict may be dispatched to.
pub async fn create_handler(
    uow: &UnitOfWork<'_>,
    subdistrict_id: i64,
    name: Name,
    kind: EventHandlerKind,
) -> AppResult<event_handler::Model> {
    let s = uow
        .target::<subdistrict::Entity>(CATALOGUE, subdistrict_id, "subdistrict_id", "subdistrict")
        .await?;
    let scope = Scope::within_subdistrict(&s);
    let permit = uow.permit(CATALOGUE, &scope)?;
    let m = event_handler::ActiveModel {
        subdistrict_id: Set(s.id),
        name: Set(name.into_inner()),
        kind: Set(kind),
        created_by: Set(permit.actor().account_id),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreateEventHandler, "EventHandler", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// The active memberships of `account_id` in `handler_id` (at most one
/// unless a race doubled it).
async fn active_memberships(
    db: &impl ConnectionTrait,
    handler_id: i64,
    account_id: i64,
) -> AppResult<Vec<event_handler_member::Model>> {
    Ok(event_handler_member::Entity::find()
        .filter(event_handler_member::Column::HandlerId.eq(handler_id))
        .filter(event_handler_member::Column::AccountId.eq(account_id))
        .filter(event_handler_member::Column::RemovedAt.is_null())
        .order_by_asc(event_handler_member::Column::Id)
        .all(db)
        .await?)
}

/// Whether `account_id` acts for handler `handler_id` now.
pub async fn acts_for(
    db: &impl ConnectionTrait,
    handler_id: i64,
    account_id: i64,
) -> AppResult<bool> {
    Ok(!active_memberships(db, handler_id, account_id)
        .await?
        .is_empty())
}

/// The handlers `account_id` acts for now, oldest membership first.
pub async fn handlers_of_account(
    db: &impl ConnectionTrait,
    account_id: i64,
) -> AppResult<Vec<i64>> {
    Ok(event_handler_member::Entity::find()
        .filter(event_handler_member::Column::AccountId.eq(account_id))
        .filter(event_handler_member::Column::RemovedAt.is_null())
        .order_by_asc(event_handler_member::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.handler_id)
        .collect())
}

/// Whether `account_id` acts now for some handler of subdistrict
/// `subdistrict_id`, or of any subdistrict when `None`.
pub async fn acts_in_subdistrict(
    db: &impl ConnectionTrait,
    account_id: i64,
    subdistrict_id: Option<i64>,
) -> AppResult<bool> {
    let handlers = handlers_of_account(db, account_id).await?;
    if handlers.is_empty() {
        return Ok(false);
    }
    let Some(subdistrict_id) = subdistrict_id else {
        return Ok(true);
    };
    Ok(event_handler::Entity::find()
        .filter(event_handler::Column::Id.is_in(handlers))
        .filter(event_handler::Column::SubdistrictId.eq(subdistrict_id))
        .one(db)
        .await?
        .is_some())
}

/// The handler `id` with its scope, for a catalogue change.
async fn handler_target<'a>(
    uow: &UnitOfWork<'a>,
    id: i64,
) -> AppResult<(
    event_handler::Model,
    Scope,
    crate::domain::access::Permit<'a>,
)> {
    let h = uow
        .target::<event_handler::Entity>(CATALOGUE, id, "handler_id", "event handler")
        .await?;
    let scope = Scope::of_subdistrict(uow.db(), h.subdistrict_id).await?;
    let permit = uow.permit(CATALOGUE, &scope)?;
    Ok((h, scope, permit))
}

/// Lets account `account_id` act for handler `handler_id`; returns the handler.
pub async fn add_member(
    uow: &UnitOfWork<'_>,
    handler_id: i64,
    account_id: i64,
) -> AppResult<event_handler::Model> {
    let (h, scope, permit) = handler_target(uow, handler_id).await?;
    must_exist::<account::Entity>(uow.db(), account_id, "account_id", "account").await?;
    if acts_for(uow.db(), h.id, account_id).await? {
        return Err(AppError::invalid(
            "account_id",
            UserErrorCode::Conflict,
            "the account acts for this handler already",
        ));
    }
    let m = event_handler_member::ActiveModel {
        handler_id: Set(h.id),
        account_id: Set(account_id),
        added_by: Set(permit.actor().account_id),
        added_at: Set(uow.now()),
        removed_at: Set(None),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::AddEventHandlerMember,
            "EventHandlerMember",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(h)
}

/// Ends account `account_id` acting for handler `handler_id`; the
/// membership stays readable with its end.
pub async fn remove_member(
    uow: &UnitOfWork<'_>,
    handler_id: i64,
    account_id: i64,
) -> AppResult<event_handler::Model> {
    let (h, scope, permit) = handler_target(uow, handler_id).await?;
    let found = active_memberships(uow.db(), h.id, account_id).await?;
    if found.is_empty() {
        return Err(AppError::invalid(
            "account_id",
            UserErrorCode::InvalidState,
            "the account does not act for this handler",
        ));
    }
    for m in found {
        let before = m.clone();
        let mut am = m.into_active_model();
        am.removed_at = Set(Some(uow.now()));
        let after = am.update(uow.db()).await?;
        audit::updated(
            uow,
            &permit,
            Subject::new(
                Operation::RemoveEventHandlerMember,
                "EventHandlerMember",
                after.id,
                &scope,
            ),
            &before,
            &after,
        )
        .await?;
    }
    Ok(h)
}
