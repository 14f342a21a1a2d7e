//! Joint rectification actions (联合整治行动): a subdistrict groups grid
//! events, of any of its grids, into one action, optionally led by one of
//! its handlers. Grouping is `Permission::DispatchGridEvents` over the
//! subdistrict.

use std::collections::HashSet;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::access::{Permission, Permit, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::operation::Operation;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, parse_text};
use crate::entity::{event_handler, grid_event, joint_action, joint_action_event, subdistrict};
use crate::error::{AppError, AppResult, UserErrorCode};

const DISPATCH: Permission = Permission::DispatchGridEvents;

/// The most events one request adds to an action.
pub const MAX_EVENTS_AT_ONCE: usize = 100;

/// A new joint action.
pub struct NewJointAction {
    /// The subdistrict that runs it.
    pub subdistrict_id: i64,
    /// Its title.
    pub title: Name,
    /// What it sets out to do.
    pub description: String,
    /// The handler that leads it, if one does.
    pub lead_handler_id: Option<i64>,
    /// The day it starts.
    pub starts_on: NaiveDate,
    /// The events it takes on.
    pub event_ids: Vec<i64>,
}

/// Starts a joint rectification action over `event_ids`.
pub async fn create_joint_action(
    uow: &UnitOfWork<'_>,
    new: NewJointAction,
) -> AppResult<joint_action::Model> {
    let s = uow
        .target::<subdistrict::Entity>(
            DISPATCH,
            new.subdistrict_id,
            "subdistrict_id",
            "subdistrict",
        )
        .await?;
    let scope = Scope::within_subdistrict(&s);
    let permit = uow.permit(DISPATCH, &scope)?;
    if let Some(h) = new.lead_handler_id {
        let h =
            must_exist::<event_handler::Entity>(uow.db(), h, "lead_handler_id", "event handler")
                .await?;
        if h.subdistrict_id != s.id {
            return Err(AppError::invalid(
                "lead_handler_id",
                UserErrorCode::Invalid,
                "the handler serves another subdistrict",
            ));
        }
    }
    if new.event_ids.is_empty() {
        return Err(AppError::invalid(
            "event_ids",
            UserErrorCode::Required,
            "a joint action takes on at least one event",
        ));
    }
    let m = joint_action::ActiveModel {
        subdistrict_id: Set(s.id),
        title: Set(new.title.into_inner()),
        description: Set(parse_text(&new.description, "description")?),
        lead_handler_id: Set(new.lead_handler_id),
        starts_on: Set(new.starts_on),
        created_by: Set(permit.actor().account_id),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreateJointAction, "JointAction", m.id, &scope),
        &m,
    )
    .await?;
    group(uow, &permit, &scope, &m, &new.event_ids).await?;
    Ok(m)
}

/// Adds `event_ids` to joint action `action_id`.
pub async fn add_to_joint_action(
    uow: &UnitOfWork<'_>,
    action_id: i64,
    event_ids: &[i64],
) -> AppResult<joint_action::Model> {
    let a = uow
        .target::<joint_action::Entity>(DISPATCH, action_id, "action_id", "joint action")
        .await?;
    let scope = Scope::of_subdistrict(uow.db(), a.subdistrict_id).await?;
    let permit = uow.permit(DISPATCH, &scope)?;
    if event_ids.is_empty() {
        return Err(AppError::invalid(
            "event_ids",
            UserErrorCode::Required,
            "name at least one event",
        ));
    }
    group(uow, &permit, &scope, &a, event_ids).await?;
    Ok(a)
}

/// Links `event_ids`, each an event of the action's subdistrict named
/// once, to action `a`.
async fn group(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    scope: &Scope,
    a: &joint_action::Model,
    event_ids: &[i64],
) -> AppResult<()> {
    if event_ids.len() > MAX_EVENTS_AT_ONCE {
        return Err(AppError::invalid(
            "event_ids",
            UserErrorCode::OutOfRange,
            format!("at most {MAX_EVENTS_AT_ONCE} events at once"),
        ));
    }
    let found = grid_event::Entity::find()
        .filter(grid_event::Column::Id.is_in(event_ids.to_vec()))
        .all(uow.db())
        .await?;
    let mut seen = HashSet::new();
    for (i, id) in event_ids.iter().enumerate() {
        let field = format!("event_ids.{i}");
        if !seen.insert(*id) {
            return Err(AppError::invalid(
                &field,
                UserErrorCode::Conflict,
                "the event is named twice",
            ));
        }
        let Some(e) = found.iter().find(|e| e.id == *id) else {
            return Err(AppError::invalid(
                &field,
                UserErrorCode::NotFound,
                "no such grid event",
            ));
        };
        if e.subdistrict_id != a.subdistrict_id {
            return Err(AppError::invalid(
                &field,
                UserErrorCode::Invalid,
                "the event is in another subdistrict",
            ));
        }
        let m = joint_action_event::ActiveModel {
            action_id: Set(a.id),
            event_id: Set(e.id),
            added_by: Set(permit.actor().account_id),
            added_at: Set(uow.now()),
            ..Default::default()
        }
        .insert(uow.db())
        .await?;
        audit::created(
            uow,
            permit,
            Subject::new(Operation::AddToJointAction, "JointActionEvent", m.id, scope),
            &m,
        )
        .await?;
    }
    Ok(())
}
