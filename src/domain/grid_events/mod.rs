//! Grid events (巡、拨、办、督): patrol, dispatch, handle, supervise.
//!
//! ```text
//!            ┌─dispatch→ DISPATCHED ─handle→ HANDLED ─check passes→ CLOSED
//! REPORTED ──┤               ↑  (redispatch)    │
//! (standard) │               └── check fails ───┤ (1st–3rd failure)
//!            │   SUPERVISED ←── 4th failure ────┘ (督办: deadline, handler's mark)
//!            │      └─handle→ HANDLED …
//! REPORTED ──┼─on the spot→ CLOSED
//! (small)    └─notify party→ NOTIFIED ─check passes→ CLOSED
//!                               └─party refuses→ DISPATCHED to the enforcement team
//! ```
//!
//! - **Report**: a grid worker or chief (`Permission::ReportGridEvents`
//!   over the grid, or the building for a chief) reports an event with its
//!   category, place (a building, a dwelling or free text), urgency and
//!   photos. An urgent event is fast-reported (快采快报) to a department of
//!   the subdistrict, named at once. An event of a category on the
//!   district's published list of small events (微小事件) takes the simple
//!   procedure, unless it is urgent.
//! - **Dispatch**: the community or subdistrict (`DispatchGridEvents`)
//!   sends it to a handler of the subdistrict.
//! - **Handle**: only those acting for the handler it is dispatched to
//!   report the rectification (`SelfService::HandleDispatchedEvent`).
//! - **Check**: only its reporter checks it ("谁上报、谁核查"). A failed
//!   check returns it to the handler. "核查超过三次仍达不到结案标准的…限期
//!   督办": at the fourth failed check (checks exceeding three) it is
//!   escalated to supervision with a deadline (the category's supervision
//!   days from the day of the check), which marks the handler's record.
//!   An event escalates once; later failures keep it under supervision.
//! - **Small events**: the reporter handles it on the spot, or tells the
//!   responsible party; when the party has fixed it the reporter checks it
//!   and it closes, and a party that refuses is handed to the enforcement
//!   team (综合整治队), after which it runs as a dispatched event.
//!
//! Every move is a row of `grid_event_step` naming the handler the event
//! was with, audited; every move takes the event's row lock first. A
//! refused move names the event's current status.

mod catalogue;
mod joint;
mod performance;

pub use catalogue::{
    MAX_SUPERVISION_DAYS, NewCategory, NewPatrolItem, acts_for, acts_in_subdistrict, add_member,
    create_category, create_handler, create_patrol_item, frequency_on, handlers_of_account,
    remove_member, set_frequency, update_category,
};
pub use joint::{NewJointAction, add_to_joint_action, create_joint_action};
pub use performance::{Performance, performance_of, period};

use chrono::{Duration, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter,
};

use crate::domain::access::{Caller, Permission, Permit, Scope, SelfService};
use crate::domain::attachments;
use crate::domain::audit::{self, Subject};
use crate::domain::clock::china_date;
use crate::domain::event::DecisionEvent;
use crate::domain::kinds::{
    EventHandlerKind, EventProcedure, EventUrgency, GridEventAction, GridEventStatus, Role,
};
use crate::domain::operation::Operation;
use crate::domain::store::{lock_row, must_exist};
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, parse_text, required_text};
use crate::entity::{
    building, dwelling, event_category, event_handler, event_supervision, grid, grid_event,
    grid_event_photo, grid_event_step, patrol_item,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// Checks at most this many times fail before an event is escalated: the
/// next failure (the fourth) escalates it ("超过三次").
pub const CHECKS_BEFORE_SUPERVISION: i32 = 3;

/// The most photos one step shows.
pub const MAX_PHOTOS: usize = 9;

/// The scope of an event: its building's when it names one (so a building
/// chief reaches it), else its grid's.
pub async fn scope_of(db: &impl ConnectionTrait, e: &grid_event::Model) -> AppResult<Scope> {
    match e.building_id {
        Some(b) => Scope::of_building(db, b).await,
        None => Scope::of_grid(db, e.grid_id).await,
    }
}

/// Whether `caller` may read event `e` (whose scope is `scope`): those who
/// may read the grid events there, its reporter, and those acting for its
/// handler or for the department it was fast-reported to.
pub async fn may_read(
    db: &impl ConnectionTrait,
    caller: &Caller,
    e: &grid_event::Model,
    scope: &Scope,
) -> AppResult<bool> {
    let Caller::Account(actor) = caller else {
        return Ok(false);
    };
    if actor.account_id == e.reported_by || actor.can(Permission::ReadGridEvents, scope) {
        return Ok(true);
    }
    for h in [e.handler_id, e.fast_report_handler_id]
        .into_iter()
        .flatten()
    {
        if acts_for(db, h, actor.account_id).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether `caller` reads the handlers of a subdistrict (`scope`), their
/// figures and its joint actions: those who read grid events over the
/// subdistrict, and the staff of its communities, who dispatch to them.
/// `staff_subdistricts` holds the subdistrict of each community the caller
/// is community staff of (`staff_communities` names them).
pub fn reads_handlers(caller: &Caller, scope: &Scope, staff_subdistricts: &[i64]) -> bool {
    let Caller::Account(actor) = caller else {
        return false;
    };
    actor.can(Permission::ReadGridEvents, scope)
        || scope
            .subdistrict_id
            .is_some_and(|s| staff_subdistricts.contains(&s))
}

/// The communities `caller` is community staff of.
pub fn staff_communities(caller: &Caller) -> Vec<i64> {
    match caller {
        Caller::Account(actor) => actor
            .grants
            .iter()
            .filter(|g| g.role == Role::CommunityStaff)
            .filter_map(|g| g.scope.community_id)
            .collect(),
        Caller::Anonymous => Vec::new(),
    }
}

/// Whether supervision `s` is still open after its deadline on `today`.
pub fn overdue(s: &event_supervision::Model, today: NaiveDate) -> bool {
    s.closed_at.is_none() && today > s.deadline
}

/// Whether supervision `s` closed by its deadline; none while open.
pub fn closed_in_time(s: &event_supervision::Model) -> Option<bool> {
    s.closed_at.map(|c| china_date(c) <= s.deadline)
}

/// The event `id`, locked and re-read, with its scope.
async fn locked(uow: &UnitOfWork<'_>, id: i64) -> AppResult<(grid_event::Model, Scope)> {
    // Moves of one event never interleave.
    lock_row::<grid_event::Entity>(uow.db(), id).await?;
    let e = must_exist::<grid_event::Entity>(uow.db(), id, "event_id", "grid event").await?;
    let scope = scope_of(uow.db(), &e).await?;
    Ok((e, scope))
}

/// Refuses a move unless the event is in one of `allowed`, naming its status.
fn expect_status(
    e: &grid_event::Model,
    allowed: &[GridEventStatus],
    action: &str,
) -> AppResult<()> {
    if allowed.contains(&e.status) {
        return Ok(());
    }
    let wanted: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
    Err(AppError::invalid(
        "event_id",
        UserErrorCode::InvalidState,
        format!(
            "the event is {}: {action} only when it is {}",
            e.status.as_str(),
            wanted.join(" or ")
        ),
    ))
}

fn expect_procedure(e: &grid_event::Model, procedure: EventProcedure) -> AppResult<()> {
    if e.procedure == procedure {
        return Ok(());
    }
    let why = match e.procedure {
        EventProcedure::Simple => {
            "this small event takes the simple procedure: its grid worker handles it on the spot or tells the responsible party"
        }
        EventProcedure::Standard => {
            "this event takes the standard procedure: it is dispatched to a handler"
        }
    };
    Err(AppError::invalid(
        "event_id",
        UserErrorCode::InvalidState,
        why,
    ))
}

/// The event `id` for a move by its reporter: the caller must still hold
/// `ReportGridEvents` over it, and be the one who reported it.
async fn reporter_target<'a>(
    uow: &UnitOfWork<'a>,
    id: i64,
) -> AppResult<(grid_event::Model, Scope, Permit<'a>)> {
    let permission = Permission::ReportGridEvents;
    uow.target::<grid_event::Entity>(permission, id, "event_id", "grid event")
        .await?;
    let (e, scope) = locked(uow, id).await?;
    let permit = uow.permit(permission, &scope)?;
    if e.reported_by != permit.actor().account_id {
        return Err(AppError::Forbidden(
            "only the one who reported an event checks and settles it (谁上报、谁核查)".into(),
        ));
    }
    Ok((e, scope, permit))
}

/// A small event `id` for a move of the simple procedure by its reporter,
/// in one of `allowed`.
async fn small_event_target<'a>(
    uow: &UnitOfWork<'a>,
    id: i64,
    allowed: &[GridEventStatus],
    action: &str,
) -> AppResult<(grid_event::Model, Scope, Permit<'a>)> {
    let (e, scope, permit) = reporter_target(uow, id).await?;
    expect_procedure(&e, EventProcedure::Simple)?;
    expect_status(&e, allowed, action)?;
    Ok((e, scope, permit))
}

/// A handler of the event's subdistrict, of one of `kinds` if given.
async fn handler_for(
    uow: &UnitOfWork<'_>,
    e: &grid_event::Model,
    handler_id: i64,
    kinds: &[EventHandlerKind],
    field: &str,
) -> AppResult<event_handler::Model> {
    let h =
        must_exist::<event_handler::Entity>(uow.db(), handler_id, field, "event handler").await?;
    if h.subdistrict_id != e.subdistrict_id {
        return Err(AppError::invalid(
            field,
            UserErrorCode::Invalid,
            "the handler serves another subdistrict",
        ));
    }
    if !kinds.is_empty() && !kinds.contains(&h.kind) {
        let wanted: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        return Err(AppError::invalid(
            field,
            UserErrorCode::Invalid,
            format!(
                "the handler is {}; {} is needed",
                h.kind.as_str(),
                wanted.join(" or ")
            ),
        ));
    }
    Ok(h)
}

/// One move: the action, where it leads, with which handler, why, and
/// the photos it shows.
struct Step {
    action: GridEventAction,
    to: GridEventStatus,
    note: String,
    photos: Vec<i64>,
}

/// Moves `e` as `s` says, applying `change` to the row; records the step,
/// its photos, and the audit of the event.
async fn step(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    scope: &Scope,
    e: grid_event::Model,
    s: Step,
    change: impl FnOnce(&mut grid_event::ActiveModel),
) -> AppResult<grid_event::Model> {
    let before = e.clone();
    let mut am = e.into_active_model();
    am.status = Set(s.to);
    if s.to != before.status {
        am.status_changed_at = Set(uow.now());
    }
    change(&mut am);
    let after = am.update(uow.db()).await?;
    let operation = operation_of(s.action);
    record_step(uow, permit, &after, before.status, s).await?;
    audit::updated(
        uow,
        permit,
        Subject::new(operation, "GridEvent", after.id, scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

fn operation_of(action: GridEventAction) -> Operation {
    match action {
        GridEventAction::Report | GridEventAction::FastReport => Operation::ReportGridEvent,
        GridEventAction::Dispatch => Operation::DispatchGridEvent,
        GridEventAction::Handle => Operation::HandleGridEvent,
        GridEventAction::CheckPassed | GridEventAction::CheckFailed => Operation::CheckGridEvent,
        GridEventAction::Escalate => Operation::EscalateGridEvent,
        GridEventAction::HandleOnSpot => Operation::HandleGridEventOnSpot,
        GridEventAction::NotifyParty => Operation::NotifyResponsibleParty,
        GridEventAction::HandToEnforcement => Operation::HandToEnforcementTeam,
    }
}

/// Writes the row of step `s` of event `e` (now in its new state, with the
/// handler it is with) and links its photos.
async fn record_step(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    e: &grid_event::Model,
    from: GridEventStatus,
    s: Step,
) -> AppResult<grid_event_step::Model> {
    let m = grid_event_step::ActiveModel {
        event_id: Set(e.id),
        action: Set(s.action),
        from_status: Set(from),
        to_status: Set(s.to),
        handler_id: Set(e.handler_id),
        note: Set(s.note),
        recorded_by: Set(permit.actor().account_id),
        recorded_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    if !s.photos.is_empty() {
        grid_event_photo::Entity::insert_many(s.photos.into_iter().map(|attachment_id| {
            grid_event_photo::ActiveModel {
                event_id: Set(e.id),
                step_id: Set(m.id),
                attachment_id: Set(attachment_id),
                ..Default::default()
            }
        }))
        .exec(uow.db())
        .await?;
    }
    Ok(m)
}

/// The photos `ids` for a step of an event of community `community_id`:
/// each an event photo the caller uploaded there.
async fn photos(uow: &UnitOfWork<'_>, ids: &[i64], community_id: i64) -> AppResult<Vec<i64>> {
    if ids.len() > MAX_PHOTOS {
        return Err(AppError::invalid(
            "photo_ids",
            UserErrorCode::OutOfRange,
            format!("at most {MAX_PHOTOS} photos a step"),
        ));
    }
    let found = attachments::own_event_photos(uow, ids, community_id, "photo_ids").await?;
    Ok(found.into_iter().map(|a| a.id).collect())
}

fn note_of(raw: &str) -> AppResult<String> {
    parse_text(raw, "note")
}

/// Where an event is: exactly one of a building of the grid, a dwelling
/// in one, or a place in words.
pub struct Place {
    /// A building of the grid.
    pub building_id: Option<i64>,
    /// A dwelling in a building of the grid.
    pub dwelling_id: Option<i64>,
    /// Described in words: a road, a corner, a square.
    pub described: Option<String>,
}

/// What a grid worker or chief reports.
pub struct NewEvent {
    /// The grid it is in.
    pub grid_id: i64,
    /// Its category, of the grid's district.
    pub category_id: i64,
    /// Where it is.
    pub place: Place,
    /// How urgent it is.
    pub urgency: EventUrgency,
    /// What was found.
    pub description: String,
    /// The patrol item it was found on, if any, of the grid's district.
    pub patrol_item_id: Option<i64>,
    /// The department an urgent event is fast-reported to: required of an
    /// urgent event, refused otherwise.
    pub fast_report_to: Option<i64>,
    /// Photos the reporter uploaded.
    pub photo_ids: Vec<i64>,
}

/// Reports a grid event (巡).
pub async fn report(uow: &UnitOfWork<'_>, new: NewEvent) -> AppResult<grid_event::Model> {
    let db = uow.db();
    let permission = Permission::ReportGridEvents;
    let g = uow
        .target::<grid::Entity>(permission, new.grid_id, "grid_id", "grid")
        .await?;
    let Place {
        building_id,
        dwelling_id,
        described,
    } = new.place;
    let (building, dwelling, place) = match (building_id, dwelling_id, described) {
        (Some(b), None, None) => (Some(b), None, None),
        (None, Some(d), None) => {
            let found = must_exist::<dwelling::Entity>(db, d, "dwelling_id", "dwelling").await?;
            (Some(found.building_id), Some(d), None)
        }
        (None, None, Some(text)) => (None, None, Some(Name::parse(&text, "place")?.into_inner())),
        (None, None, None) => {
            return Err(AppError::invalid(
                "place",
                UserErrorCode::Required,
                "say where it is: a building, a dwelling or a place in words",
            ));
        }
        _ => {
            return Err(AppError::invalid(
                "place",
                UserErrorCode::Invalid,
                "name one place only: a building, a dwelling or a place in words",
            ));
        }
    };
    let (scope, compound) = match building {
        Some(b) => {
            let found = must_exist::<building::Entity>(db, b, "building_id", "building").await?;
            if found.grid_id != Some(g.id) {
                let field = if dwelling.is_some() {
                    "dwelling_id"
                } else {
                    "building_id"
                };
                return Err(AppError::invalid(
                    field,
                    UserErrorCode::Invalid,
                    "the place is not in this grid",
                ));
            }
            (Scope::of_building(db, b).await?, Some(found.compound_id))
        }
        None => (Scope::of_grid(db, g.id).await?, None),
    };
    let permit = uow.permit(permission, &scope)?;
    let category =
        must_exist::<event_category::Entity>(db, new.category_id, "category_id", "event category")
            .await?;
    if Some(category.district_id) != scope.district_id {
        return Err(AppError::invalid(
            "category_id",
            UserErrorCode::Invalid,
            "the category is of another district's catalogue",
        ));
    }
    if let Some(p) = new.patrol_item_id {
        let item =
            must_exist::<patrol_item::Entity>(db, p, "patrol_item_id", "patrol item").await?;
        if Some(item.district_id) != scope.district_id {
            return Err(AppError::invalid(
                "patrol_item_id",
                UserErrorCode::Invalid,
                "the patrol item is of another district's catalogue",
            ));
        }
    }
    let description = required_text(&new.description, "description", "say what was found")?;
    let subdistrict_id = scope
        .subdistrict_id
        .ok_or_else(|| AppError::Internal("a grid outside any subdistrict".into()))?;
    let department = match (new.urgency, new.fast_report_to) {
        (EventUrgency::Urgent, None) => {
            return Err(AppError::invalid(
                "fast_report_to",
                UserErrorCode::Required,
                "an urgent, dangerous event is fast-reported (快采快报): name the department",
            ));
        }
        (EventUrgency::Normal, Some(_)) => {
            return Err(AppError::invalid(
                "fast_report_to",
                UserErrorCode::Invalid,
                "only urgent events are fast-reported",
            ));
        }
        (_, Some(h)) => {
            let h = must_exist::<event_handler::Entity>(db, h, "fast_report_to", "event handler")
                .await?;
            if h.subdistrict_id != subdistrict_id || h.kind != EventHandlerKind::Department {
                return Err(AppError::invalid(
                    "fast_report_to",
                    UserErrorCode::Invalid,
                    "name a department of the event's subdistrict",
                ));
            }
            Some(h.id)
        }
        (_, None) => None,
    };
    let photo_ids = photos(uow, &new.photo_ids, g.community_id).await?;
    let procedure = if category.small && new.urgency == EventUrgency::Normal {
        EventProcedure::Simple
    } else {
        EventProcedure::Standard
    };
    let m = grid_event::ActiveModel {
        grid_id: Set(g.id),
        community_id: Set(g.community_id),
        subdistrict_id: Set(subdistrict_id),
        compound_id: Set(compound),
        building_id: Set(building),
        dwelling_id: Set(dwelling),
        place: Set(place),
        category_id: Set(category.id),
        patrol_item_id: Set(new.patrol_item_id),
        procedure: Set(procedure),
        urgency: Set(new.urgency),
        description: Set(description),
        status: Set(GridEventStatus::Reported),
        handler_id: Set(None),
        responsible_party: Set(None),
        fast_report_handler_id: Set(department),
        failed_checks: Set(0),
        reported_by: Set(permit.actor().account_id),
        reported_at: Set(uow.now()),
        dispatched_at: Set(None),
        closed_at: Set(None),
        status_changed_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let reported = GridEventStatus::Reported;
    record_step(
        uow,
        &permit,
        &m,
        reported,
        Step {
            action: GridEventAction::Report,
            to: reported,
            note: String::new(),
            photos: photo_ids,
        },
    )
    .await?;
    if department.is_some() {
        record_step(
            uow,
            &permit,
            &m,
            reported,
            Step {
                action: GridEventAction::FastReport,
                to: reported,
                note: "fast-reported to the department (快采快报)".into(),
                photos: Vec::new(),
            },
        )
        .await?;
    }
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::ReportGridEvent, "GridEvent", m.id, &scope),
        &m,
    )
    .await?;
    uow.emit(DecisionEvent::GridEventReported {
        grid_id: m.grid_id,
        event_id: m.id,
    });
    Ok(m)
}

/// Dispatches an event of the standard procedure to a handler of its
/// subdistrict (拨), or redispatches it before it was handled.
pub async fn dispatch(
    uow: &UnitOfWork<'_>,
    event_id: i64,
    handler_id: i64,
    note: &str,
) -> AppResult<grid_event::Model> {
    let permission = Permission::DispatchGridEvents;
    uow.target::<grid_event::Entity>(permission, event_id, "event_id", "grid event")
        .await?;
    let (e, scope) = locked(uow, event_id).await?;
    let permit = uow.permit(permission, &scope)?;
    expect_procedure(&e, EventProcedure::Standard)?;
    expect_status(
        &e,
        &[GridEventStatus::Reported, GridEventStatus::Dispatched],
        "it is dispatched",
    )?;
    let h = handler_for(uow, &e, handler_id, &[], "handler_id").await?;
    if e.handler_id == Some(h.id) {
        return Err(AppError::invalid(
            "handler_id",
            UserErrorCode::Conflict,
            "the event is with this handler already",
        ));
    }
    let now = uow.now();
    step(
        uow,
        &permit,
        &scope,
        e,
        Step {
            action: GridEventAction::Dispatch,
            to: GridEventStatus::Dispatched,
            note: note_of(note)?,
            photos: Vec::new(),
        },
        |am| {
            am.handler_id = Set(Some(h.id));
            am.dispatched_at = Set(Some(now));
        },
    )
    .await
}

/// Those acting for the handler an event is dispatched to report its
/// rectification (办), with photos.
pub async fn handle(
    uow: &UnitOfWork<'_>,
    event_id: i64,
    note: &str,
    photo_ids: &[i64],
) -> AppResult<grid_event::Model> {
    // A missing event and one dispatched elsewhere get the same refusal.
    let me = uow.caller().actor()?.account_id;
    let found = grid_event::Entity::find_by_id(event_id)
        .one(uow.db())
        .await?;
    let mine = match found.as_ref().and_then(|e| e.handler_id) {
        Some(h) => acts_for(uow.db(), h, me).await?,
        None => false,
    };
    if !mine {
        return Err(AppError::Forbidden(
            "only the handler an event is dispatched to reports its rectification".into(),
        ));
    }
    let (e, scope) = locked(uow, event_id).await?;
    let permit = uow.self_service(SelfService::HandleDispatchedEvent, &scope)?;
    expect_status(
        &e,
        &[GridEventStatus::Dispatched, GridEventStatus::Supervised],
        "its rectification is reported",
    )?;
    let note = required_text(note, "note", "say what was done")?;
    let photo_ids = photos(uow, photo_ids, e.community_id).await?;
    step(
        uow,
        &permit,
        &scope,
        e,
        Step {
            action: GridEventAction::Handle,
            to: GridEventStatus::Handled,
            note,
            photos: photo_ids,
        },
        |_| {},
    )
    .await
}

/// The reporter checks a handled event (谁上报、谁核查), or a small event
/// whose responsible party was told to fix it. A pass closes it; a failure
/// returns it to its handler, and the fourth failure escalates it to
/// supervision with a deadline.
pub async fn check(
    uow: &UnitOfWork<'_>,
    event_id: i64,
    passed: bool,
    note: &str,
    photo_ids: &[i64],
) -> AppResult<grid_event::Model> {
    let (e, scope, permit) = reporter_target(uow, event_id).await?;
    expect_status(
        &e,
        &[GridEventStatus::Handled, GridEventStatus::Notified],
        "it is checked",
    )?;
    if e.status == GridEventStatus::Notified && !passed {
        return Err(AppError::invalid(
            "passed",
            UserErrorCode::Invalid,
            "a responsible party that does not fix a small event is handed to the enforcement team",
        ));
    }
    let note = note_of(note)?;
    let photo_ids = photos(uow, photo_ids, e.community_id).await?;
    let supervision = event_supervision::Entity::find()
        .filter(event_supervision::Column::EventId.eq(e.id))
        .one(uow.db())
        .await?;
    let now = uow.now();
    if passed {
        let after = step(
            uow,
            &permit,
            &scope,
            e,
            Step {
                action: GridEventAction::CheckPassed,
                to: GridEventStatus::Closed,
                note,
                photos: photo_ids,
            },
            |am| am.closed_at = Set(Some(now)),
        )
        .await?;
        if let Some(s) = supervision {
            let before = s.clone();
            let mut am = s.into_active_model();
            am.closed_at = Set(Some(now));
            let s = am.update(uow.db()).await?;
            audit::updated(
                uow,
                &permit,
                Subject::new(Operation::CheckGridEvent, "EventSupervision", s.id, &scope),
                &before,
                &s,
            )
            .await?;
        }
        return Ok(after);
    }
    let failed = e.failed_checks + 1;
    let escalates = failed > CHECKS_BEFORE_SUPERVISION && supervision.is_none();
    let back_to = if supervision.is_some() || escalates {
        GridEventStatus::Supervised
    } else {
        GridEventStatus::Dispatched
    };
    let after = step(
        uow,
        &permit,
        &scope,
        e,
        Step {
            action: GridEventAction::CheckFailed,
            to: back_to,
            note,
            photos: photo_ids,
        },
        |am| am.failed_checks = Set(failed),
    )
    .await?;
    if escalates {
        escalate(uow, &permit, &scope, &after, failed).await?;
    }
    Ok(after)
}

/// Opens the supervision (督办) of `e` at its `failed`-th failed check:
/// the deadline is the category's supervision days from today, and the
/// supervision row is the mark on the handler's record.
async fn escalate(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    scope: &Scope,
    e: &grid_event::Model,
    failed: i32,
) -> AppResult<event_supervision::Model> {
    let handler = e
        .handler_id
        .ok_or_else(|| AppError::Internal("a checked event with no handler".into()))?;
    let category =
        must_exist::<event_category::Entity>(uow.db(), e.category_id, "category_id", "category")
            .await?;
    let deadline = uow.today() + Duration::days(i64::from(category.supervision_days));
    let s = event_supervision::ActiveModel {
        event_id: Set(e.id),
        handler_id: Set(handler),
        subdistrict_id: Set(e.subdistrict_id),
        community_id: Set(e.community_id),
        opened_at: Set(uow.now()),
        deadline: Set(deadline),
        closed_at: Set(None),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    record_step(
        uow,
        permit,
        e,
        GridEventStatus::Supervised,
        Step {
            action: GridEventAction::Escalate,
            to: GridEventStatus::Supervised,
            note: format!(
                "checked {failed} times without meeting the closing standard: supervised until {deadline} (限期督办)"
            ),
            photos: Vec::new(),
        },
    )
    .await?;
    audit::created(
        uow,
        permit,
        Subject::new(
            Operation::EscalateGridEvent,
            "EventSupervision",
            s.id,
            scope,
        ),
        &s,
    )
    .await?;
    Ok(s)
}

/// The reporter of a small event handles it on the spot; it closes.
pub async fn handle_on_spot(
    uow: &UnitOfWork<'_>,
    event_id: i64,
    note: &str,
    photo_ids: &[i64],
) -> AppResult<grid_event::Model> {
    let (e, scope, permit) = small_event_target(
        uow,
        event_id,
        &[GridEventStatus::Reported],
        "it is handled on the spot",
    )
    .await?;
    let photo_ids = photos(uow, photo_ids, e.community_id).await?;
    let now = uow.now();
    step(
        uow,
        &permit,
        &scope,
        e,
        Step {
            action: GridEventAction::HandleOnSpot,
            to: GridEventStatus::Closed,
            note: note_of(note)?,
            photos: photo_ids,
        },
        |am| am.closed_at = Set(Some(now)),
    )
    .await
}

/// The reporter of a small event tells the party responsible for it to
/// fix it.
pub async fn notify_party(
    uow: &UnitOfWork<'_>,
    event_id: i64,
    party: Name,
    note: &str,
) -> AppResult<grid_event::Model> {
    let (e, scope, permit) = small_event_target(
        uow,
        event_id,
        &[GridEventStatus::Reported],
        "its responsible party is told",
    )
    .await?;
    let party = party.into_inner();
    step(
        uow,
        &permit,
        &scope,
        e,
        Step {
            action: GridEventAction::NotifyParty,
            to: GridEventStatus::Notified,
            note: note_of(note)?,
            photos: Vec::new(),
        },
        |am| am.responsible_party = Set(Some(party)),
    )
    .await
}

/// The responsible party of a small event refused to fix it: its reporter
/// hands it to the subdistrict's enforcement team (综合整治队), which then
/// handles it as a dispatched event.
pub async fn hand_to_enforcement(
    uow: &UnitOfWork<'_>,
    event_id: i64,
    team_id: i64,
    note: &str,
) -> AppResult<grid_event::Model> {
    let (e, scope, permit) = small_event_target(
        uow,
        event_id,
        &[GridEventStatus::Notified],
        "it is handed to the enforcement team",
    )
    .await?;
    let team = handler_for(
        uow,
        &e,
        team_id,
        &[EventHandlerKind::EnforcementTeam],
        "team_id",
    )
    .await?;
    let now = uow.now();
    step(
        uow,
        &permit,
        &scope,
        e,
        Step {
            action: GridEventAction::HandToEnforcement,
            to: GridEventStatus::Dispatched,
            note: note_of(note)?,
            photos: Vec::new(),
        },
        |am| {
            am.handler_id = Set(Some(team.id));
            am.dispatched_at = Set(Some(now));
        },
    )
    .await
}
