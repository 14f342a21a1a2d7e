//! The figures of a compound's or a community's volunteer and service teams
//! over a date range: the input of the services aspect of evaluation
//! ("志愿服务队伍活跃"). Every figure is counted by the database, in a few
//! aggregate statements, however long the log.
//!
//! Over the range `from ..= to` (inclusive):
//! - a team is active when its life (founded to disbanded) shares a day
//!   with the range; teams are counted by kind;
//! - active members are the distinct people whose membership term in one of
//!   the unit's teams shares a day with the range;
//! - activities are the standing, not withdrawn entries of the log held on a
//!   day of the range (a corrected entry counts once, as corrected);
//! - participations are the sum of those entries' participant counts, and
//!   service minutes the sum of their minutes of service.
//!
//! A compound's figures cover its own teams; a community's cover its own
//! teams and those of its compounds.

use chrono::NaiveDate;
use sea_orm::{
    ActiveEnum, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, Query, SelectStatement},
};

use crate::domain::kinds::ServiceTeamKind;
use crate::entity::{compound, service_activity, service_team, service_team_member};
use crate::error::{AppError, AppResult};

use super::log::standing;

/// Whose figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FiguresUnit {
    /// A compound's own teams.
    Compound(i64),
    /// A community's own teams and its compounds'.
    Community(i64),
}

/// The figures of one unit over one range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// Active teams of each kind, every kind listed (zero included), in the customary order.
    pub teams_by_kind: Vec<(ServiceTeamKind, i64)>,
    /// Distinct people serving in an active team.
    pub active_members: i64,
    /// Standing, not withdrawn activities.
    pub activities: i64,
    /// Sum of their participant counts.
    pub participations: i64,
    /// Sum of their minutes of service.
    pub service_minutes: i64,
}

impl Figures {
    /// Active teams of all kinds.
    pub fn active_teams(&self) -> i64 {
        self.teams_by_kind.iter().map(|(_, n)| n).sum()
    }
}

/// The teams of `unit`, as a condition over `service_team`.
fn teams_of(unit: FiguresUnit) -> Condition {
    match unit {
        FiguresUnit::Compound(c) => Condition::all().add(service_team::Column::CompoundId.eq(c)),
        FiguresUnit::Community(c) => Condition::any()
            .add(service_team::Column::CommunityId.eq(c))
            .add(
                service_team::Column::CompoundId.in_subquery(
                    Query::select()
                        .column(compound::Column::Id)
                        .from(compound::Entity)
                        .and_where(compound::Column::CommunityId.eq(c))
                        .to_owned(),
                ),
            ),
    }
}

/// The ids of the teams of `unit`, as a subquery.
fn team_ids(unit: FiguresUnit) -> SelectStatement {
    Query::select()
        .column(service_team::Column::Id)
        .from(service_team::Entity)
        .cond_where(teams_of(unit))
        .to_owned()
}

/// The figures of `unit` over `from ..= to`.
pub async fn figures(
    db: &impl ConnectionTrait,
    unit: FiguresUnit,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Figures> {
    let by_kind: Vec<(String, i64)> = service_team::Entity::find()
        .select_only()
        .column(service_team::Column::Kind)
        .column_as(Expr::cust("COUNT(*)"), "teams")
        .filter(teams_of(unit))
        .filter(service_team::Column::FoundedOn.lte(to))
        .filter(
            Condition::any()
                .add(service_team::Column::DisbandedOn.is_null())
                .add(service_team::Column::DisbandedOn.gte(from)),
        )
        .group_by(service_team::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let mut teams_by_kind: Vec<(ServiceTeamKind, i64)> =
        ServiceTeamKind::ALL.iter().map(|k| (*k, 0)).collect();
    for (stored, n) in by_kind {
        let kind = ServiceTeamKind::try_from_value(&stored)
            .map_err(|e| AppError::Internal(format!("service team kind {stored}: {e}")))?;
        if let Some(slot) = teams_by_kind.iter_mut().find(|(k, _)| *k == kind) {
            slot.1 = n;
        }
    }
    let active_members: Option<i64> = service_team_member::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("COUNT(DISTINCT service_team_member.person_id)"),
            "members",
        )
        .filter(service_team_member::Column::TeamId.in_subquery(team_ids(unit)))
        .filter(service_team_member::Column::JoinedOn.lte(to))
        .filter(
            Condition::any()
                .add(service_team_member::Column::LeftOn.is_null())
                .add(service_team_member::Column::LeftOn.gte(from)),
        )
        .into_tuple()
        .one(db)
        .await?;
    let log: Option<(i64, i64, i64)> = service_activity::Entity::find()
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "activities")
        .column_as(
            Expr::cust("COALESCE(SUM(service_activity.participant_count), 0)"),
            "participations",
        )
        .column_as(
            Expr::cust("COALESCE(SUM(service_activity.service_minutes), 0)"),
            "service_minutes",
        )
        .filter(service_activity::Column::TeamId.in_subquery(team_ids(unit)))
        .filter(service_activity::Column::HeldOn.between(from, to))
        .filter(service_activity::Column::Withdrawn.eq(false))
        .filter(standing())
        .into_tuple()
        .one(db)
        .await?;
    let (activities, participations, service_minutes) = log.unwrap_or((0, 0, 0));
    Ok(Figures {
        teams_by_kind,
        active_members: active_members.unwrap_or(0),
        activities,
        participations,
        service_minutes,
    })
}
