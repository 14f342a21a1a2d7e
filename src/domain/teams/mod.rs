//! Volunteer and service teams (服务性、公益性、互助性服务队伍) of a compound
//! or a community, their members, their activity log (`log`) and the
//! figures the services aspect of evaluation reads (`figures`).
//!
//! Rules: a team belongs to exactly one compound or one community and its
//! name is unique there (the database's unique indexes say so); a person's
//! terms in one team never overlap; a team has at most one leader at any
//! date; every term lies within the team's life, and disbanding a team ends
//! the terms still running. A change of role is the end of one term and the
//! start of another, so the history of who led the team stays readable.
//!
//! Who writes: community staff over the community's teams and its
//! compounds' teams (and those above them), the branch secretary over the
//! compound's teams (`Permission::ManageServiceTeams`); a team's leader
//! keeps its log under the named rule `SelfService::KeepOwnTeamLog`.
//! Nothing here reads personal data: members are people of the register,
//! whose phones and ID numbers the GraphQL edge masks as `people` decides.

mod figures;
mod log;

pub use figures::{Figures, FiguresUnit, figures};
pub use log::{ActivityRecord, Correction, correct_activity, record_activity};

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, sea_query::Expr,
};

use crate::domain::access::{self, Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::kinds::{ServiceTeamKind, ServiceTeamRole};
use crate::domain::operation::Operation;
use crate::domain::people::check_end;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, Term};
use crate::entity::{community, compound, person, service_team, service_team_member};
use crate::error::{AppError, AppResult, UserErrorCode};

/// The permission every write of this area needs (but the leader's log).
const TEAMS: Permission = Permission::ManageServiceTeams;

/// The period a team exists: from its founding to its disbanding, inclusive.
pub fn team_period(t: &service_team::Model) -> Term {
    Term {
        starts_on: t.founded_on,
        ends_on: t.disbanded_on,
    }
}

/// A member's term.
pub fn member_term(m: &service_team_member::Model) -> Term {
    Term {
        starts_on: m.joined_on,
        ends_on: m.left_on,
    }
}

/// The access scope of a team: its compound's, or its community's.
pub async fn scope_of(db: &impl ConnectionTrait, t: &service_team::Model) -> AppResult<Scope> {
    match (t.compound_id, t.community_id) {
        (Some(c), _) => Scope::of_compound(db, c).await,
        (None, Some(c)) => Scope::of_community(db, c).await,
        (None, None) => Err(AppError::Internal(format!(
            "service team {} belongs to no unit",
            t.id
        ))),
    }
}

/// What a new team is.
pub struct NewTeam {
    /// The compound it belongs to, or
    pub compound_id: Option<i64>,
    /// the community it belongs to: exactly one of the two.
    pub community_id: Option<i64>,
    /// Its name, unique within its unit.
    pub name: Name,
    /// Service, public-welfare or mutual-aid.
    pub kind: ServiceTeamKind,
    /// What it does (may be empty).
    pub description: String,
    /// Its first day.
    pub founded_on: NaiveDate,
}

/// Founds a team in a compound or a community.
pub async fn create_team(uow: &UnitOfWork<'_>, t: NewTeam) -> AppResult<service_team::Model> {
    let db = uow.db();
    let scope = match (t.compound_id, t.community_id) {
        (Some(c), None) => {
            uow.target::<compound::Entity>(TEAMS, c, "compound_id", "compound")
                .await?;
            Scope::of_compound(db, c).await?
        }
        (None, Some(c)) => {
            uow.target::<community::Entity>(TEAMS, c, "community_id", "community")
                .await?;
            Scope::of_community(db, c).await?
        }
        // Decided before the input is judged: a caller who may never found
        // a team learns nothing from how the input is wrong.
        _ => {
            access::may_hold(uow.caller(), TEAMS)?;
            return Err(AppError::invalid(
                "compound_id",
                UserErrorCode::Invalid,
                "a team belongs to exactly one compound or one community: give one of the two",
            ));
        }
    };
    let permit = uow.permit(TEAMS, &scope)?;
    let m = service_team::ActiveModel {
        compound_id: Set(t.compound_id),
        community_id: Set(t.community_id),
        name: Set(t.name.into_inner()),
        kind: Set(t.kind),
        description: Set(t.description),
        founded_on: Set(t.founded_on),
        disbanded_on: Set(None),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreateServiceTeam, "ServiceTeam", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// A change to a team; `None` leaves a field as it is.
#[derive(Default)]
pub struct TeamChange {
    /// New name.
    pub name: Option<Name>,
    /// New kind.
    pub kind: Option<ServiceTeamKind>,
    /// New description.
    pub description: Option<String>,
    /// Disbands the team: its last day.
    pub disbanded_on: Option<NaiveDate>,
}

/// Renames a team, changes its kind or description, or disbands it. A
/// disbanded team is history and changes no more.
pub async fn update_team(
    uow: &UnitOfWork<'_>,
    id: i64,
    change: TeamChange,
) -> AppResult<service_team::Model> {
    let db = uow.db();
    let before = uow
        .target::<service_team::Entity>(TEAMS, id, "id", "service team")
        .await?;
    let scope = scope_of(db, &before).await?;
    let permit = uow.permit(TEAMS, &scope)?;
    if before.disbanded_on.is_some() {
        return Err(AppError::invalid(
            "id",
            UserErrorCode::InvalidState,
            "the team is disbanded",
        ));
    }
    let mut am: service_team::ActiveModel = before.clone().into();
    if let Some(name) = change.name {
        am.name = Set(name.into_inner());
    }
    if let Some(kind) = change.kind {
        am.kind = Set(kind);
    }
    if let Some(description) = change.description {
        am.description = Set(description);
    }
    if let Some(on) = change.disbanded_on {
        check_disbanding(db, &before, on).await?;
        am.disbanded_on = Set(Some(on));
    }
    let after = am.update(db).await?;
    if let Some(on) = change.disbanded_on {
        // Every term still running after the last day ends with the team.
        service_team_member::Entity::update_many()
            .col_expr(service_team_member::Column::LeftOn, Expr::value(Some(on)))
            .filter(service_team_member::Column::TeamId.eq(id))
            .filter(
                Condition::any()
                    .add(service_team_member::Column::LeftOn.is_null())
                    .add(service_team_member::Column::LeftOn.gt(on)),
            )
            .exec(db)
            .await?;
    }
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::UpdateServiceTeam, "ServiceTeam", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// A team may be disbanded on `on` when no member joins and no standing
/// activity is recorded after that day.
async fn check_disbanding(
    db: &impl ConnectionTrait,
    team: &service_team::Model,
    on: NaiveDate,
) -> AppResult<()> {
    if on < team.founded_on {
        return Err(AppError::invalid(
            "disbanded_on",
            UserErrorCode::OutOfRange,
            "a team cannot be disbanded before it was founded",
        ));
    }
    let late_member = service_team_member::Entity::find()
        .filter(service_team_member::Column::TeamId.eq(team.id))
        .filter(service_team_member::Column::JoinedOn.gt(on))
        .one(db)
        .await?;
    if late_member.is_some() {
        return Err(AppError::invalid(
            "disbanded_on",
            UserErrorCode::Conflict,
            "a member joins the team after this day; end or correct that membership first",
        ));
    }
    if log::has_standing_activity_after(db, team.id, None, on).await? {
        return Err(AppError::invalid(
            "disbanded_on",
            UserErrorCode::Conflict,
            "the team's log has an activity after this day",
        ));
    }
    Ok(())
}

/// Adds a person of the register to a team, in a role, for a term within
/// the team's life.
pub async fn add_member(
    uow: &UnitOfWork<'_>,
    team_id: i64,
    person_id: i64,
    role: ServiceTeamRole,
    term: Term,
) -> AppResult<service_team_member::Model> {
    let db = uow.db();
    let team = uow
        .target::<service_team::Entity>(TEAMS, team_id, "service_team_id", "service team")
        .await?;
    let scope = scope_of(db, &team).await?;
    let permit = uow.permit(TEAMS, &scope)?;
    must_exist::<person::Entity>(db, person_id, "person_id", "person").await?;
    if term.starts_on < team.founded_on {
        return Err(AppError::invalid(
            "joined_on",
            UserErrorCode::OutOfRange,
            "the term starts before the team was founded",
        ));
    }
    if let Some(last) = team.disbanded_on
        && term.ends_on.is_none_or(|end| end > last)
    {
        return Err(AppError::invalid(
            "left_on",
            UserErrorCode::OutOfRange,
            "the team is disbanded: a term must end by its last day",
        ));
    }
    let members = service_team_member::Entity::find()
        .filter(service_team_member::Column::TeamId.eq(team_id))
        .all(db)
        .await?;
    if members
        .iter()
        .any(|m| m.person_id == person_id && member_term(m).overlaps(&term))
    {
        return Err(AppError::invalid(
            "joined_on",
            UserErrorCode::Conflict,
            "the person is already a member of this team during this term",
        ));
    }
    if role == ServiceTeamRole::Leader
        && members
            .iter()
            .any(|m| m.role == ServiceTeamRole::Leader && member_term(m).overlaps(&term))
    {
        return Err(AppError::invalid(
            "role",
            UserErrorCode::Conflict,
            "the team already has a leader during this term; end that term first",
        ));
    }
    let m = service_team_member::ActiveModel {
        team_id: Set(team_id),
        person_id: Set(person_id),
        role: Set(role),
        joined_on: Set(term.starts_on),
        left_on: Set(term.ends_on),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::AddServiceTeamMember,
            "ServiceTeamMember",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// Ends a membership on `left_on`, its last day. A member named among the
/// participants of a standing activity after that day cannot have left
/// before it.
pub async fn end_member(
    uow: &UnitOfWork<'_>,
    id: i64,
    left_on: NaiveDate,
) -> AppResult<service_team_member::Model> {
    let db = uow.db();
    let before = uow
        .target::<service_team_member::Entity>(TEAMS, id, "id", "service team member")
        .await?;
    let team = must_exist::<service_team::Entity>(db, before.team_id, "id", "service team").await?;
    let scope = scope_of(db, &team).await?;
    let permit = uow.permit(TEAMS, &scope)?;
    check_end(before.joined_on, before.left_on, left_on).map_err(|e| match e {
        AppError::Invalid(mut errors) => {
            for error in &mut errors {
                if error.field == "ends_on" {
                    error.field = "left_on".into();
                }
            }
            AppError::Invalid(errors)
        }
        other => other,
    })?;
    if log::has_standing_activity_after(db, team.id, Some(id), left_on).await? {
        return Err(AppError::invalid(
            "left_on",
            UserErrorCode::Conflict,
            "the member took part in an activity of the team after this day",
        ));
    }
    let mut am: service_team_member::ActiveModel = before.clone().into();
    am.left_on = Set(Some(left_on));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::EndServiceTeamMember,
            "ServiceTeamMember",
            id,
            &scope,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}
