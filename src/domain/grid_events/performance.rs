//! A handler's performance over a period (整治单位绩效): events received,
//! closed, failed checks, escalations to supervision, and the mean time
//! from dispatch to close. Counted from the steps, which name the handler
//! an event was with, in two statements for any number of handlers.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr,
};

use crate::domain::clock::china_midnight;
use crate::domain::kinds::{GridEventAction, GridEventStatus};
use crate::entity::{grid_event, grid_event_step};
use crate::error::{AppError, AppResult};

/// A closed event: its handler, when it was dispatched there, when it closed.
type Closing = (Option<i64>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// One handler's figures over a period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Performance {
    /// Events dispatched or handed to it.
    pub received: i64,
    /// Events closed while with it.
    pub closed: i64,
    /// Checks of its rectifications that failed.
    pub failed_checks: i64,
    /// Its events escalated to supervision (督办): the marks on its record.
    pub escalations: i64,
    /// The mean hours from dispatch to close of the events it closed; none
    /// if it closed none.
    pub mean_hours_to_close: Option<f64>,
}

/// The instants the days `from` to `to` (both included, China Standard
/// Time) span; a period that ends before it starts is a bad request.
pub fn period(from: NaiveDate, to: NaiveDate) -> AppResult<(DateTime<Utc>, DateTime<Utc>)> {
    if to < from {
        return Err(AppError::BadRequest(
            "the period ends before it starts".into(),
        ));
    }
    Ok((china_midnight(from), china_midnight(to) + Duration::days(1)))
}

/// The performance of each of `handlers` over the days `from` to `to`
/// (both included); a handler with nothing in the period has zeros.
pub async fn performance_of(
    db: &impl ConnectionTrait,
    handlers: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<HashMap<i64, Performance>> {
    let (from, to) = period(from, to)?;
    let mut out: HashMap<i64, Performance> = handlers
        .iter()
        .map(|h| (*h, Performance::default()))
        .collect();
    let counts: Vec<(Option<i64>, GridEventAction, i64)> = grid_event_step::Entity::find()
        .select_only()
        .column(grid_event_step::Column::HandlerId)
        .column(grid_event_step::Column::Action)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(grid_event_step::Column::HandlerId.is_in(handlers.to_vec()))
        .filter(grid_event_step::Column::Action.is_in([
            GridEventAction::Dispatch,
            GridEventAction::HandToEnforcement,
            GridEventAction::CheckFailed,
            GridEventAction::Escalate,
        ]))
        .filter(grid_event_step::Column::RecordedAt.gte(from))
        .filter(grid_event_step::Column::RecordedAt.lt(to))
        .group_by(grid_event_step::Column::HandlerId)
        .group_by(grid_event_step::Column::Action)
        .into_tuple()
        .all(db)
        .await?;
    for (handler, action, n) in counts {
        let Some(p) = handler.and_then(|h| out.get_mut(&h)) else {
            continue;
        };
        match action {
            GridEventAction::Dispatch | GridEventAction::HandToEnforcement => p.received += n,
            GridEventAction::CheckFailed => p.failed_checks += n,
            GridEventAction::Escalate => p.escalations += n,
            _ => {}
        }
    }
    let closes: Vec<Closing> = grid_event::Entity::find()
        .select_only()
        .column(grid_event::Column::HandlerId)
        .column(grid_event::Column::DispatchedAt)
        .column(grid_event::Column::ClosedAt)
        .filter(grid_event::Column::HandlerId.is_in(handlers.to_vec()))
        .filter(grid_event::Column::Status.eq(GridEventStatus::Closed))
        .filter(grid_event::Column::ClosedAt.gte(from))
        .filter(grid_event::Column::ClosedAt.lt(to))
        .into_tuple()
        .all(db)
        .await?;
    let mut hours: HashMap<i64, (f64, i64)> = HashMap::new();
    for (handler, dispatched, closed) in closes {
        let Some(h) = handler else { continue };
        let Some(p) = out.get_mut(&h) else { continue };
        p.closed += 1;
        if let (Some(d), Some(c)) = (dispatched, closed) {
            let e = hours.entry(h).or_default();
            e.0 += (c - d).num_seconds() as f64 / 3600.0;
            e.1 += 1;
        }
    }
    for (h, (sum, n)) in hours {
        if let Some(p) = out.get_mut(&h) {
            p.mean_hours_to_close = Some(sum / n as f64);
        }
    }
    Ok(out)
}
