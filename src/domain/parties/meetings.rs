//! Joint meetings of the three parties (三方联席会议): agenda, attendance,
//! minutes and resolutions.
//!
//! Rules: the party branch leads the linkage, so a joint meeting has at
//! least one attendee for the party branch and at least two of the three
//! parties present; a meeting is not recorded before it is held; each
//! person attends once. Resolutions are kept as recorded: a meeting's
//! title, agenda and minutes may be corrected (audited), its resolutions not.

use std::collections::HashSet;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::kinds::MeetingParty;
use crate::domain::operation::Operation;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, parse_text};
use crate::entity::{
    compound, joint_meeting, joint_meeting_attendee, joint_meeting_resolution, person,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// A meeting to record.
pub struct NewMeeting {
    /// The compound.
    pub compound_id: i64,
    /// The day it was held.
    pub held_on: NaiveDate,
    /// Title.
    pub title: Name,
    /// Agenda.
    pub agenda: String,
    /// Minutes.
    pub minutes: Option<String>,
    /// Who attended, for which party.
    pub attendees: Vec<(i64, MeetingParty)>,
    /// The resolutions adopted, in order.
    pub resolutions: Vec<String>,
}

/// What was recorded: the meeting with its attendance and resolutions.
#[derive(serde::Serialize)]
pub struct RecordedMeeting {
    /// The meeting.
    pub meeting: joint_meeting::Model,
    /// Attendance.
    pub attendees: Vec<joint_meeting_attendee::Model>,
    /// Resolutions.
    pub resolutions: Vec<joint_meeting_resolution::Model>,
}

/// Records a joint meeting held in a compound.
pub async fn record_meeting(
    uow: &UnitOfWork<'_>,
    new: NewMeeting,
) -> AppResult<joint_meeting::Model> {
    let db = uow.db();
    uow.target::<compound::Entity>(
        Permission::RecordJointMeetings,
        new.compound_id,
        "compound_id",
        "compound",
    )
    .await?;
    let scope = Scope::of_compound(db, new.compound_id).await?;
    let permit = uow.permit(Permission::RecordJointMeetings, &scope)?;
    if new.held_on > uow.today() {
        return Err(AppError::invalid(
            "held_on",
            UserErrorCode::OutOfRange,
            "a meeting is recorded after it is held",
        ));
    }
    let parties: HashSet<MeetingParty> = new.attendees.iter().map(|(_, p)| *p).collect();
    if !parties.contains(&MeetingParty::PartyBranch) {
        return Err(AppError::invalid(
            "attendees",
            UserErrorCode::Invalid,
            "the party branch leads the joint meeting: at least one attendee must represent it",
        ));
    }
    let three = [
        MeetingParty::PartyBranch,
        MeetingParty::OwnersCommittee,
        MeetingParty::PropertyCompany,
    ];
    if three.iter().filter(|p| parties.contains(p)).count() < 2 {
        return Err(AppError::invalid(
            "attendees",
            UserErrorCode::Invalid,
            "a joint meeting needs at least two of the three parties present",
        ));
    }
    let mut seen = HashSet::new();
    for (i, (person_id, _)) in new.attendees.iter().enumerate() {
        if !seen.insert(*person_id) {
            return Err(AppError::invalid(
                &format!("attendees.{i}.person_id"),
                UserErrorCode::Invalid,
                "this person is listed twice",
            ));
        }
    }
    let ids: Vec<i64> = seen.iter().copied().collect();
    let found = person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?;
    if let Some((i, _)) = new
        .attendees
        .iter()
        .enumerate()
        .find(|(_, (p, _))| !found.iter().any(|f| f.id == *p))
    {
        return Err(AppError::invalid(
            &format!("attendees.{i}.person_id"),
            UserErrorCode::NotFound,
            "no such person",
        ));
    }
    let mut resolutions = Vec::with_capacity(new.resolutions.len());
    for (i, r) in new.resolutions.iter().enumerate() {
        let text = parse_text(r, &format!("resolutions.{i}"))?;
        if text.is_empty() {
            return Err(AppError::invalid(
                &format!("resolutions.{i}"),
                UserErrorCode::Required,
                "a resolution has text",
            ));
        }
        resolutions.push(text);
    }
    let meeting = joint_meeting::ActiveModel {
        compound_id: Set(new.compound_id),
        held_on: Set(new.held_on),
        title: Set(new.title.into_inner()),
        agenda: Set(parse_text(&new.agenda, "agenda")?),
        minutes: Set(new
            .minutes
            .as_deref()
            .map(|m| parse_text(m, "minutes"))
            .transpose()?),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut attendees = Vec::with_capacity(new.attendees.len());
    for (person_id, party) in &new.attendees {
        attendees.push(
            joint_meeting_attendee::ActiveModel {
                meeting_id: Set(meeting.id),
                person_id: Set(*person_id),
                party: Set(*party),
                ..Default::default()
            }
            .insert(db)
            .await?,
        );
    }
    let mut stored = Vec::with_capacity(resolutions.len());
    for (position, text) in resolutions.into_iter().enumerate() {
        stored.push(
            joint_meeting_resolution::ActiveModel {
                meeting_id: Set(meeting.id),
                position: Set(position as i32 + 1),
                text: Set(text),
                ..Default::default()
            }
            .insert(db)
            .await?,
        );
    }
    let record = RecordedMeeting {
        meeting: meeting.clone(),
        attendees,
        resolutions: stored,
    };
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::RecordJointMeeting,
            "JointMeeting",
            meeting.id,
            &scope,
        ),
        &record,
    )
    .await?;
    Ok(meeting)
}

/// Corrects a meeting's title, agenda or minutes; resolutions stay as recorded.
pub async fn update_meeting(
    uow: &UnitOfWork<'_>,
    id: i64,
    title: Option<Name>,
    agenda: Option<String>,
    minutes: Option<Option<String>>,
) -> AppResult<joint_meeting::Model> {
    let db = uow.db();
    let before = uow
        .target::<joint_meeting::Entity>(Permission::RecordJointMeetings, id, "id", "joint meeting")
        .await?;
    let scope = Scope::of_compound(db, before.compound_id).await?;
    let permit = uow.permit(Permission::RecordJointMeetings, &scope)?;
    let mut am: joint_meeting::ActiveModel = before.clone().into();
    if let Some(t) = title {
        am.title = Set(t.into_inner());
    }
    if let Some(a) = agenda {
        am.agenda = Set(parse_text(&a, "agenda")?);
    }
    if let Some(m) = minutes {
        am.minutes = Set(m.as_deref().map(|m| parse_text(m, "minutes")).transpose()?);
    }
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::UpdateJointMeeting, "JointMeeting", id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}
