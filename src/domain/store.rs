//! Storage helpers shared by every area: finding rows by id with the right
//! error. (Whether a value is already taken is the database's unique
//! indexes' to say; `constraints` maps their answer to a field.)

use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement};

use crate::domain::access::{self, Caller, Permission};
use crate::error::{AppError, AppResult, UserErrorCode};

/// A table whose rows have a 64-bit `id`.
pub trait Keyed: EntityTrait {
    /// The id column.
    fn id_column() -> Self::Column;
    /// The id of a row.
    fn id_of(model: &Self::Model) -> i64;
}

macro_rules! keyed {
    ($($table:ident),+ $(,)?) => {$(
        impl Keyed for crate::entity::$table::Entity {
            fn id_column() -> Self::Column { crate::entity::$table::Column::Id }
            fn id_of(model: &Self::Model) -> i64 { model.id }
        }
    )+};
}

keyed!(
    attachment,
    event_category,
    event_handler,
    event_handler_member,
    event_supervision,
    grid_event,
    grid_event_photo,
    grid_event_step,
    joint_action,
    joint_action_event,
    patrol_frequency,
    patrol_item,
    notice,
    opinion,
    opinion_answer,
    project,
    project_acceptance,
    project_budget,
    project_rating,
    project_spending,
    project_support,
    project_transition,
    project_update,
    project_update_photo,
    subdistrict,
    district,
    community_committee,
    community_committee_member,
    company_party_member,
    company_party_org,
    company_post,
    chief_association,
    chief_association_member,
    chief_conduct_record,
    community,
    grid,
    compound,
    building,
    entrance,
    dwelling,
    person,
    residency,
    ownership,
    party_branch,
    party_branch_member,
    owners_committee,
    committee_member,
    property_company,
    property_contract,
    joint_meeting,
    joint_meeting_attendee,
    joint_meeting_resolution,
    chief_appointment,
    account,
    role_grant,
    audit_record,
    residents_council,
    council_matter,
    council_step,
    assembly_vote,
    vote_voter,
    vote_voter_owner,
    vote_voter_part,
    ballot,
    vote_result,
    publication,
    objection,
    objection_answer,
    decision_record,
    placard,
    placard_person,
    service_team,
    service_team_member,
    service_activity,
    service_activity_participant,
    responsibility_list,
    responsibility_list_version,
    responsibility_item,
    responsibility_link,
    rubric,
    rubric_version,
    rubric_aspect,
    rubric_indicator,
    evaluation_campaign,
    evaluation_title,
    campaign_entry,
    evaluator_assignment,
    score_sheet,
    score_line,
    score_evidence,
    campaign_result,
    rectification,
    self_inspection,
    self_inspection_finding,
    star_rating_round,
    star_rating,
);

/// The row `id` of `E`, or a user error at `field` naming `what`.
pub async fn must_exist<E: Keyed>(
    db: &impl ConnectionTrait,
    id: i64,
    field: &str,
    what: &str,
) -> AppResult<E::Model> {
    E::find()
        .filter(E::id_column().eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::invalid(field, UserErrorCode::NotFound, format!("no such {what}")))
}

/// The target of a change by `caller`, looked up only once the caller is
/// known to hold `permission` somewhere: a caller who could never act on it
/// is refused before the lookup, and one who can act only elsewhere gets the
/// same `Forbidden` for a missing target as for an existing one out of
/// reach. The caller must still take a permit over the target's scope.
pub async fn target<E: Keyed>(
    db: &impl ConnectionTrait,
    caller: &Caller,
    permission: Permission,
    id: i64,
    field: &str,
    what: &str,
) -> AppResult<E::Model> {
    access::may_hold(caller, permission)?;
    E::find()
        .filter(E::id_column().eq(id))
        .one(db)
        .await?
        .ok_or_else(|| access::missing(caller, permission, field, what))
}

/// The row `id` of `E`, or `NotFound` (for records addressed directly).
pub async fn find<E: Keyed>(db: &impl ConnectionTrait, id: i64, what: &str) -> AppResult<E::Model> {
    E::find()
        .filter(E::id_column().eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(what.to_owned()))
}

/// Takes the row lock of row `id` of `E` until the transaction ends: on
/// PostgreSQL `SELECT … FOR UPDATE`; on SQLite a write, which takes the
/// database's write lock at once, so no transaction works from a stale
/// snapshot.
pub async fn lock_row<E: Keyed + Default>(db: &impl ConnectionTrait, id: i64) -> AppResult<()> {
    let table = E::default().table_name().to_owned();
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => format!("SELECT id FROM {table} WHERE id = $1 FOR UPDATE"),
        _ => format!("UPDATE {table} SET id = id WHERE id = ?"),
    };
    db.execute_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
        .await?;
    Ok(())
}
