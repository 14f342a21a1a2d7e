//! Joint meetings of the three parties, with their attendees and
//! resolutions, the mutations that record and correct them, and the
//! `jointMeetings` of a compound.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};

use crate::domain::kinds::MeetingParty;
use crate::domain::parties::meetings::{self, NewMeeting};
use crate::domain::values::Name;
use crate::entity::{
    compound, joint_meeting, joint_meeting_attendee, joint_meeting_resolution, person,
};
use crate::graphql::id::{NodeKind, encode, input_id};
use crate::graphql::loaders::{
    AttendeesOfMeeting, MeetingsOfCompound, ResolutionsOfMeeting, by_id, children,
};
use crate::graphql::pagination::{JointMeetingConnection, cost, page_of_children};
use crate::graphql::scalars::Date;
use crate::graphql::types::people::Person;
use crate::graphql::types::{Compound, name_opt, page, patch};
use crate::graphql::{loaders, mutate, payload};

/// A joint meeting of the three parties (三方联席会议).
pub struct JointMeeting(pub joint_meeting::Model);

/// A joint meeting of the three parties (三方联席会议).
#[Object]
impl JointMeeting {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::JointMeeting, self.0.id)
    }
    /// The day it was held.
    async fn held_on(&self) -> Date {
        self.0.held_on.into()
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Agenda.
    async fn agenda(&self) -> &str {
        &self.0.agenda
    }
    /// Minutes.
    async fn minutes(&self) -> Option<&str> {
        self.0.minutes.as_deref()
    }
    /// Who attended, for which party.
    async fn attendees(&self, ctx: &Context<'_>) -> Result<Vec<MeetingAttendee>> {
        Ok(children::<AttendeesOfMeeting>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(MeetingAttendee)
            .collect())
    }
    /// The resolutions adopted, in order.
    async fn resolutions(&self, ctx: &Context<'_>) -> Result<Vec<MeetingResolution>> {
        let mut rows = children::<ResolutionsOfMeeting>(loaders(ctx)?, self.0.id).await?;
        rows.sort_by_key(|r| r.position);
        Ok(rows.into_iter().map(MeetingResolution).collect())
    }
    /// The compound.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound::new))
    }
}

/// One attendee of a joint meeting.
pub struct MeetingAttendee(pub joint_meeting_attendee::Model);

/// One attendee of a joint meeting.
#[Object]
impl MeetingAttendee {
    /// The party the attendee represented.
    async fn party(&self) -> MeetingParty {
        self.0.party
    }
    /// The attendee.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
}

/// One resolution of a joint meeting.
pub struct MeetingResolution(pub joint_meeting_resolution::Model);

/// One resolution of a joint meeting.
#[Object]
impl MeetingResolution {
    /// Its number within the meeting, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// What was resolved.
    async fn text(&self) -> &str {
        &self.0.text
    }
}

/// The joint meetings of a compound.
pub struct CompoundMeetings(pub Arc<compound::Model>);

/// The joint meetings of a compound.
#[Object]
impl CompoundMeetings {
    /// Joint meetings of the three parties, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn joint_meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<JointMeetingConnection> {
        page_of_children::<MeetingsOfCompound, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            JointMeeting,
        )
        .await
    }
}

/// One attendee of a joint meeting to record.
#[derive(InputObject)]
pub struct MeetingAttendeeInput {
    /// The person.
    pub person_id: ID,
    /// The party they represent.
    pub party: MeetingParty,
}

/// Input of `recordJointMeeting`.
#[derive(InputObject)]
pub struct RecordJointMeetingInput {
    /// The compound.
    pub compound_id: ID,
    /// The day it was held (not in the future).
    pub held_on: Date,
    /// Title (at most 100 characters).
    pub title: String,
    /// Agenda (at most 20,000 characters).
    pub agenda: String,
    /// Minutes (at most 20,000 characters).
    pub minutes: Option<String>,
    /// Who attended; the party branch and at least one other party must be present.
    pub attendees: Vec<MeetingAttendeeInput>,
    /// The resolutions adopted, in order (at most 20,000 characters).
    pub resolutions: Vec<String>,
}

/// Input of `updateJointMeeting`; resolutions cannot be changed.
#[derive(InputObject)]
pub struct UpdateJointMeetingInput {
    /// The meeting.
    pub id: ID,
    /// Corrected title (at most 100 characters).
    pub title: Option<String>,
    /// Corrected agenda (at most 20,000 characters).
    pub agenda: Option<String>,
    /// Corrected minutes (at most 20,000 characters); null clears them.
    pub minutes: MaybeUndefined<String>,
}

payload!(
    /// Result of recording a joint meeting.
    JointMeetingPayload {
        /// The meeting as saved.
        joint_meeting: JointMeeting
    }
);

/// Mutations of joint meetings.
#[derive(Default)]
pub struct MeetingsMutation;

/// Mutations of joint meetings.
#[Object]
impl MeetingsMutation {
    /// Records a joint meeting of the three parties.
    async fn record_joint_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RecordJointMeetingInput,
    ) -> Result<JointMeetingPayload> {
        let outcome = mutate(ctx, async |uow| {
            let mut attendees = Vec::with_capacity(input.attendees.len());
            for (i, a) in input.attendees.iter().enumerate() {
                attendees.push((
                    input_id(
                        &a.person_id,
                        NodeKind::Person,
                        &format!("attendees.{i}.person_id"),
                    )?,
                    a.party,
                ));
            }
            let new = NewMeeting {
                compound_id: input_id(&input.compound_id, NodeKind::Compound, "compound_id")?,
                held_on: input.held_on.0,
                title: Name::parse(&input.title, "title")?,
                agenda: input.agenda,
                minutes: input.minutes,
                attendees,
                resolutions: input.resolutions,
            };
            meetings::record_meeting(uow, new).await
        })
        .await?;
        Ok(outcome.map(JointMeeting).into())
    }

    /// Corrects a joint meeting's title, agenda or minutes (audited); resolutions stay as recorded.
    async fn update_joint_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateJointMeetingInput,
    ) -> Result<JointMeetingPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::JointMeeting, "id")?;
            let title = name_opt(input.title.as_deref(), "title")?;
            meetings::update_meeting(uow, id, title, input.agenda, patch(input.minutes)).await
        })
        .await?;
        Ok(outcome.map(JointMeeting).into())
    }
}
