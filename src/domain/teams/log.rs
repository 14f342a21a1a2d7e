//! A service team's activity log: dated entries with what was done, how
//! many took part (and which members, when named) and the hours of service
//! given. Entries are never edited: a correction is a new record naming the
//! original entry (`corrects_id`) and saying why; the newest record of an
//! entry stands, and a withdrawal (a record of an activity that did not take
//! place, or a duplicate) takes the entry out of the figures while its
//! history stays readable.
//!
//! The log is kept by those who manage the team, and by its leader serving
//! today under the named rule `SelfService::KeepOwnTeamLog`.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, Query, SimpleExpr},
};
use serde::Serialize;

use crate::domain::access::{self, Permit, Scope, SelfService};
use crate::domain::audit::{self, Subject};
use crate::domain::kinds::ServiceTeamRole;
use crate::domain::operation::Operation;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::Name;
use crate::entity::{
    service_activity, service_activity_participant, service_team, service_team_member,
};
use crate::error::{AppError, AppResult, UserErrorCode};

use super::{TEAMS, member_term, scope_of, team_period};

/// Most members one record may name.
pub const MAX_PARTICIPANTS: usize = 500;
/// Most people one record may count.
const MAX_PARTICIPANT_COUNT: i32 = 100_000;
/// Most minutes of service one record may carry (about two years of one person's days).
const MAX_SERVICE_MINUTES: i32 = 1_000_000;

/// The condition, over `service_activity`, that a row is the newest record
/// of its entry: no later correction of the same original exists. Fixed
/// text without values, valid on both databases.
pub fn standing() -> SimpleExpr {
    Expr::cust(
        "NOT EXISTS (SELECT 1 FROM service_activity newer \
         WHERE newer.corrects_id = COALESCE(service_activity.corrects_id, service_activity.id) \
         AND newer.id > service_activity.id)",
    )
}

/// Whether team `team_id` has a standing, not withdrawn activity after
/// `day`; with `member`, only one naming that member among its participants.
pub(super) async fn has_standing_activity_after(
    db: &impl ConnectionTrait,
    team_id: i64,
    member: Option<i64>,
    day: NaiveDate,
) -> AppResult<bool> {
    let mut q = service_activity::Entity::find()
        .filter(service_activity::Column::TeamId.eq(team_id))
        .filter(service_activity::Column::HeldOn.gt(day))
        .filter(service_activity::Column::Withdrawn.eq(false))
        .filter(standing());
    if let Some(m) = member {
        q = q.filter(
            service_activity::Column::Id.in_subquery(
                Query::select()
                    .column(service_activity_participant::Column::ActivityId)
                    .from(service_activity_participant::Entity)
                    .and_where(service_activity_participant::Column::MemberId.eq(m))
                    .to_owned(),
            ),
        );
    }
    Ok(q.one(db).await?.is_some())
}

/// What a new record of the log says.
pub struct ActivityRecord {
    /// The day of the activity.
    pub held_on: NaiveDate,
    /// What it was.
    pub title: Name,
    /// What was done (may be empty).
    pub description: String,
    /// How many people took part; `None` counts the members named.
    pub participant_count: Option<i32>,
    /// The members of the team named as taking part (ids of memberships).
    pub participant_ids: Vec<i64>,
    /// Minutes of service given by all participants together (志愿服务时长).
    pub service_minutes: Option<i32>,
}

/// What an entry's record is, once checked: the row's content.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Content {
    held_on: NaiveDate,
    title: String,
    description: String,
    participant_count: i32,
    service_minutes: Option<i32>,
    participant_ids: Vec<i64>,
}

/// A record as the audit trail keeps it: the row and the members named.
#[derive(Serialize)]
struct Audited<'a> {
    #[serde(flatten)]
    activity: &'a service_activity::Model,
    participant_ids: &'a [i64],
}

/// Whether `person_id` leads team `team_id` on `day`.
async fn leads(
    db: &impl ConnectionTrait,
    person_id: Option<i64>,
    team_id: i64,
    day: NaiveDate,
) -> AppResult<bool> {
    let Some(person_id) = person_id else {
        return Ok(false);
    };
    Ok(service_team_member::Entity::find()
        .filter(service_team_member::Column::TeamId.eq(team_id))
        .filter(service_team_member::Column::PersonId.eq(person_id))
        .filter(service_team_member::Column::Role.eq(ServiceTeamRole::Leader))
        .filter(service_team_member::Column::JoinedOn.lte(day))
        .filter(
            Condition::any()
                .add(service_team_member::Column::LeftOn.is_null())
                .add(service_team_member::Column::LeftOn.gte(day)),
        )
        .one(db)
        .await?
        .is_some())
}

/// What a log write addresses: a team (a new record) or a record (a correction).
#[derive(Clone, Copy)]
enum Addressed {
    Team(i64),
    Record(i64),
}

/// The team (and record) a log write addresses, its scope and the permit:
/// one who manages the team's unit, or its leader serving today. A caller
/// who manages no team anywhere is answered by one lookup of their own
/// leadership, the same `Forbidden` for a missing team or record as for one
/// they do not lead.
async fn log_permit<'a>(
    uow: &UnitOfWork<'a>,
    addressed: Addressed,
) -> AppResult<(
    service_team::Model,
    Option<service_activity::Model>,
    Scope,
    Permit<'a>,
)> {
    let db = uow.db();
    let actor = uow.caller().actor()?;
    let today = uow.today();
    if actor.holds(TEAMS) {
        let (team, record) = match addressed {
            Addressed::Team(id) => (
                uow.target::<service_team::Entity>(TEAMS, id, "service_team_id", "service team")
                    .await?,
                None,
            ),
            Addressed::Record(id) => {
                let r = uow
                    .target::<service_activity::Entity>(TEAMS, id, "id", "activity record")
                    .await?;
                let t = team_of(db, &r).await?;
                (t, Some(r))
            }
        };
        let scope = scope_of(db, &team).await?;
        let permit = match uow.permit(TEAMS, &scope) {
            Ok(p) => p,
            Err(_) if leads(db, actor.person_id, team.id, today).await? => {
                uow.self_service(SelfService::KeepOwnTeamLog, &scope)?
            }
            Err(refusal) => return Err(refusal),
        };
        return Ok((team, record, scope, permit));
    }
    let refusal = || {
        access::may_hold(uow.caller(), TEAMS)
            .err()
            .unwrap_or_else(|| AppError::Forbidden("you may not manage service teams here".into()))
    };
    let (team_id, record) = match addressed {
        Addressed::Team(id) => (id, None),
        Addressed::Record(id) => match service_activity::Entity::find_by_id(id).one(db).await? {
            Some(r) => (r.team_id, Some(r)),
            None => return Err(refusal()),
        },
    };
    if !leads(db, actor.person_id, team_id, today).await? {
        return Err(refusal());
    }
    let team = service_team::Entity::find_by_id(team_id)
        .one(db)
        .await?
        .ok_or_else(refusal)?;
    let scope = scope_of(db, &team).await?;
    let permit = uow.self_service(SelfService::KeepOwnTeamLog, &scope)?;
    Ok((team, record, scope, permit))
}

async fn team_of(
    db: &impl ConnectionTrait,
    r: &service_activity::Model,
) -> AppResult<service_team::Model> {
    service_team::Entity::find_by_id(r.team_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(format!("activity {} has no team", r.id)))
}

/// Checks a record's content against the team and the day: the activity
/// lies within the team's life and is not in the future, the members named
/// served in the team that day, and the count covers them.
async fn check(
    db: &impl ConnectionTrait,
    team: &service_team::Model,
    today: NaiveDate,
    content: &Content,
) -> AppResult<()> {
    if !team_period(team).contains(content.held_on) {
        return Err(AppError::invalid(
            "held_on",
            UserErrorCode::OutOfRange,
            "the day lies outside the team's life (founded to disbanded)",
        ));
    }
    if content.held_on > today {
        return Err(AppError::invalid(
            "held_on",
            UserErrorCode::OutOfRange,
            "an activity is recorded once it has taken place",
        ));
    }
    if content.participant_ids.len() > MAX_PARTICIPANTS {
        return Err(AppError::invalid(
            "participant_ids",
            UserErrorCode::OutOfRange,
            format!("a record names at most {MAX_PARTICIPANTS} members"),
        ));
    }
    let members = service_team_member::Entity::find()
        .filter(service_team_member::Column::Id.is_in(content.participant_ids.clone()))
        .all(db)
        .await?;
    for (i, id) in content.participant_ids.iter().enumerate() {
        let field = format!("participant_ids.{i}");
        match members.iter().find(|m| m.id == *id && m.team_id == team.id) {
            None => {
                return Err(AppError::invalid(
                    &field,
                    UserErrorCode::NotFound,
                    "no such member of this team",
                ));
            }
            Some(m) if !member_term(m).contains(content.held_on) => {
                return Err(AppError::invalid(
                    &field,
                    UserErrorCode::Invalid,
                    "this member did not serve in the team on the day of the activity",
                ));
            }
            Some(_) => {}
        }
    }
    let named = content.participant_ids.len() as i32;
    if content.participant_count < 1 {
        return Err(AppError::invalid(
            "participant_count",
            UserErrorCode::Required,
            "an activity has at least one participant: give their number or name the members",
        ));
    }
    if content.participant_count < named || content.participant_count > MAX_PARTICIPANT_COUNT {
        return Err(AppError::invalid(
            "participant_count",
            UserErrorCode::OutOfRange,
            format!(
                "the number of participants lies between the members named ({named}) and {MAX_PARTICIPANT_COUNT}"
            ),
        ));
    }
    if let Some(m) = content.service_minutes
        && !(1..=MAX_SERVICE_MINUTES).contains(&m)
    {
        return Err(AppError::invalid(
            "service_minutes",
            UserErrorCode::OutOfRange,
            format!("minutes of service lie between 1 and {MAX_SERVICE_MINUTES}"),
        ));
    }
    Ok(())
}

/// Writes one record with its participants and its audit record.
async fn write(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    scope: &Scope,
    team: &service_team::Model,
    content: Content,
    correction: Option<(i64, bool, String, &Audited<'_>)>,
) -> AppResult<service_activity::Model> {
    let db = uow.db();
    let (corrects_id, withdrawn, reason) = match &correction {
        Some((original, withdrawn, reason, _)) => {
            (Some(*original), *withdrawn, Some(reason.clone()))
        }
        None => (None, false, None),
    };
    let m = service_activity::ActiveModel {
        team_id: Set(team.id),
        held_on: Set(content.held_on),
        title: Set(content.title),
        description: Set(content.description),
        participant_count: Set(content.participant_count),
        service_minutes: Set(content.service_minutes),
        withdrawn: Set(withdrawn),
        corrects_id: Set(corrects_id),
        correction_reason: Set(reason),
        recorded_by: Set(permit.actor().account_id),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if !content.participant_ids.is_empty() {
        service_activity_participant::Entity::insert_many(content.participant_ids.iter().map(
            |member| service_activity_participant::ActiveModel {
                activity_id: Set(m.id),
                member_id: Set(*member),
                ..Default::default()
            },
        ))
        .exec(db)
        .await?;
    }
    let after = Audited {
        activity: &m,
        participant_ids: &content.participant_ids,
    };
    match correction {
        None => {
            audit::created(
                uow,
                permit,
                Subject::new(
                    Operation::RecordServiceActivity,
                    "ServiceActivity",
                    m.id,
                    scope,
                ),
                &after,
            )
            .await?
        }
        Some((_, _, _, before)) => {
            audit::record(
                uow,
                permit,
                Subject::new(
                    Operation::CorrectServiceActivity,
                    "ServiceActivity",
                    m.id,
                    scope,
                ),
                Some(before),
                Some(&after),
            )
            .await?
        }
    }
    Ok(m)
}

/// Records an activity in a team's log.
pub async fn record_activity(
    uow: &UnitOfWork<'_>,
    team_id: i64,
    r: ActivityRecord,
) -> AppResult<service_activity::Model> {
    let (team, _, scope, permit) = log_permit(uow, Addressed::Team(team_id)).await?;
    let content = Content {
        held_on: r.held_on,
        title: r.title.into_inner(),
        description: r.description,
        participant_count: r
            .participant_count
            .unwrap_or(r.participant_ids.len() as i32),
        service_minutes: r.service_minutes,
        participant_ids: r.participant_ids,
    };
    check(uow.db(), &team, uow.today(), &content).await?;
    write(uow, &permit, &scope, &team, content, None).await
}

/// A correction of an entry: why, and what changes (`None` keeps what the
/// standing record says), or its withdrawal.
#[derive(Default)]
pub struct Correction {
    /// Why the entry is corrected (required).
    pub reason: String,
    /// Withdraws the entry: the activity did not take place, or is recorded twice.
    pub withdraw: bool,
    /// The corrected day.
    pub held_on: Option<NaiveDate>,
    /// The corrected title.
    pub title: Option<Name>,
    /// The corrected description.
    pub description: Option<String>,
    /// The corrected number of participants.
    pub participant_count: Option<i32>,
    /// The corrected list of members named.
    pub participant_ids: Option<Vec<i64>>,
    /// The corrected minutes of service (`Some(None)` clears them).
    pub service_minutes: Option<Option<i32>>,
}

impl Correction {
    fn changes_content(&self) -> bool {
        self.held_on.is_some()
            || self.title.is_some()
            || self.description.is_some()
            || self.participant_count.is_some()
            || self.participant_ids.is_some()
            || self.service_minutes.is_some()
    }
}

/// Corrects or withdraws an entry of the log: a new record naming the
/// original, which stays readable. Any record of the entry may be addressed;
/// the correction starts from the one that stands.
pub async fn correct_activity(
    uow: &UnitOfWork<'_>,
    id: i64,
    c: Correction,
) -> AppResult<service_activity::Model> {
    let db = uow.db();
    let (team, addressed, scope, permit) = log_permit(uow, Addressed::Record(id)).await?;
    let addressed = addressed.ok_or_else(|| AppError::Internal("no record addressed".into()))?;
    let original = addressed.corrects_id.unwrap_or(addressed.id);
    let current = service_activity::Entity::find()
        .filter(
            Condition::any()
                .add(service_activity::Column::Id.eq(original))
                .add(service_activity::Column::CorrectsId.eq(original)),
        )
        .order_by_desc(service_activity::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(format!("entry {original} has no record")))?;
    if current.withdrawn {
        return Err(AppError::invalid(
            "id",
            UserErrorCode::InvalidState,
            "the entry is withdrawn",
        ));
    }
    let reason = crate::domain::values::parse_text(&c.reason, "reason")?;
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            UserErrorCode::Required,
            "say why the entry is corrected",
        ));
    }
    if c.withdraw && c.changes_content() {
        return Err(AppError::invalid(
            "withdraw",
            UserErrorCode::Invalid,
            "a withdrawal changes nothing else of the entry",
        ));
    }
    let named: Vec<i64> = service_activity_participant::Entity::find()
        .filter(service_activity_participant::Column::ActivityId.eq(current.id))
        .order_by_asc(service_activity_participant::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.member_id)
        .collect();
    let standing = Content {
        held_on: current.held_on,
        title: current.title.clone(),
        description: current.description.clone(),
        participant_count: current.participant_count,
        service_minutes: current.service_minutes,
        participant_ids: named.clone(),
    };
    let withdraw = c.withdraw;
    let content = Content {
        held_on: c.held_on.unwrap_or(standing.held_on),
        title: c
            .title
            .map(Name::into_inner)
            .unwrap_or_else(|| standing.title.clone()),
        description: c
            .description
            .unwrap_or_else(|| standing.description.clone()),
        participant_count: c.participant_count.unwrap_or(standing.participant_count),
        service_minutes: c.service_minutes.unwrap_or(standing.service_minutes),
        participant_ids: c
            .participant_ids
            .unwrap_or_else(|| standing.participant_ids.clone()),
    };
    if !withdraw {
        if content == standing {
            return Err(AppError::invalid(
                "",
                UserErrorCode::Invalid,
                "the correction changes nothing; to take the entry out, withdraw it",
            ));
        }
        check(db, &team, uow.today(), &content).await?;
    }
    let before = Audited {
        activity: &current,
        participant_ids: &named,
    };
    write(
        uow,
        &permit,
        &scope,
        &team,
        content,
        Some((original, withdraw, reason, &before)),
    )
    .await
}
