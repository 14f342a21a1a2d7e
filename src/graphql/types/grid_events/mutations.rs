//! The mutations of grid events, and the live feed of a grid's new events.

use async_graphql::{Context, ID, InputObject, Object, Result, Subscription};
use futures_util::Stream;

use crate::domain::access::{Permission, Scope};
use crate::domain::event::DecisionEvent;
use crate::domain::grid_events::{self, NewCategory, NewEvent, NewPatrolItem, Place};
use crate::domain::kinds::{EventHandlerKind, EventUrgency, PatrolKind, PatrolPeriod, Season};
use crate::domain::values::Name;
use crate::entity::grid_event;
use crate::error::AppResult;
use crate::graphql::id::{NodeKind, arg_id, input_id, input_id_opt};
use crate::graphql::scalars::Date;
use crate::graphql::types::decisions::newer_rows;
use crate::graphql::{caller, db, hub, mutate, payload};

use super::{EventCategory, EventHandler, GridEvent, JointAction, PatrolFrequency, PatrolItem};

/// Input of `createPatrolItem`.
#[derive(InputObject)]
pub struct CreatePatrolItemInput {
    /// The district whose catalogue it joins.
    pub district_id: ID,
    /// Comprehensive or fixed-point.
    pub kind: PatrolKind,
    /// Its name, unique in the district's catalogue (at most 100 characters).
    pub name: String,
    /// What the patrol looks at (at most 20,000 characters).
    #[graphql(default)]
    pub guidance: String,
    /// The point patrolled (at most 100 characters): required of a fixed-point item, refused of
    /// a comprehensive one.
    pub fixed_place: Option<String>,
}

/// Input of `setPatrolFrequency`.
#[derive(InputObject)]
pub struct SetPatrolFrequencyInput {
    /// The patrol item.
    pub patrol_item_id: ID,
    /// The season it holds in (`ALL_YEAR` for every month with no frequency of its own season).
    pub season: Season,
    /// How many times in each period (1–100).
    pub times: i32,
    /// The period counted in.
    pub period: PatrolPeriod,
}

/// Input of `createEventCategory`.
#[derive(InputObject)]
pub struct CreateEventCategoryInput {
    /// The district.
    pub district_id: ID,
    /// Its name, unique in the district (at most 100 characters).
    pub name: String,
    /// On the district's published list of small events (微小事件).
    #[graphql(default)]
    pub small: bool,
    /// Days from escalation to the supervision deadline (1–365).
    #[graphql(default = 7)]
    pub supervision_days: i32,
}

/// Input of `updateEventCategory`.
#[derive(InputObject)]
pub struct UpdateEventCategoryInput {
    /// The category.
    pub category_id: ID,
    /// On the list of small events, or not; events already reported keep their procedure.
    pub small: bool,
    /// Days from escalation to the supervision deadline (1–365).
    pub supervision_days: i32,
}

/// Input of `createEventHandler`.
#[derive(InputObject)]
pub struct CreateEventHandlerInput {
    /// The subdistrict it serves.
    pub subdistrict_id: ID,
    /// Its name, unique in the subdistrict (at most 100 characters).
    pub name: String,
    /// What kind of handler it is.
    pub kind: EventHandlerKind,
}

/// Input of `addEventHandlerMember`.
#[derive(InputObject)]
pub struct AddEventHandlerMemberInput {
    /// The handler.
    pub handler_id: ID,
    /// The account that acts for it from now on.
    pub account_id: ID,
}

/// Input of `removeEventHandlerMember`.
#[derive(InputObject)]
pub struct RemoveEventHandlerMemberInput {
    /// The handler.
    pub handler_id: ID,
    /// The account that no longer acts for it.
    pub account_id: ID,
}

/// Input of `reportGridEvent`. Name exactly one place: a building, a dwelling or words.
#[derive(InputObject)]
pub struct ReportGridEventInput {
    /// The grid it is in.
    pub grid_id: ID,
    /// Its category, of the grid's district.
    pub category_id: ID,
    /// The building of the grid it is at.
    pub building_id: Option<ID>,
    /// The dwelling it is at, in a building of the grid.
    pub dwelling_id: Option<ID>,
    /// The place in words, when it is at no building (at most 100 characters).
    pub place: Option<String>,
    /// How urgent it is.
    #[graphql(default_with = "EventUrgency::Normal")]
    pub urgency: EventUrgency,
    /// What was found (at most 20,000 characters).
    pub description: String,
    /// The patrol item it was found on.
    pub patrol_item_id: Option<ID>,
    /// The department of the subdistrict an urgent event is fast-reported to (快采快报):
    /// required of an urgent event.
    pub fast_report_to_id: Option<ID>,
    /// Event photos the caller uploaded for the grid (at most 9).
    #[graphql(default)]
    pub photo_ids: Vec<ID>,
}

/// Input of `dispatchGridEvent`.
#[derive(InputObject)]
pub struct DispatchGridEventInput {
    /// The event.
    pub event_id: ID,
    /// The handler of its subdistrict it goes to.
    pub handler_id: ID,
    /// What the handler should know (at most 20,000 characters).
    #[graphql(default)]
    pub note: String,
}

/// Input of `reportRectification`.
#[derive(InputObject)]
pub struct ReportRectificationInput {
    /// The event.
    pub event_id: ID,
    /// What was done (at most 20,000 characters).
    pub note: String,
    /// Event photos the caller uploaded (at most 9).
    #[graphql(default)]
    pub photo_ids: Vec<ID>,
}

/// Input of `checkGridEvent`.
#[derive(InputObject)]
pub struct CheckGridEventInput {
    /// The event.
    pub event_id: ID,
    /// Whether it meets the closing standard.
    pub passed: bool,
    /// What the check found (at most 20,000 characters).
    #[graphql(default)]
    pub note: String,
    /// Event photos the caller uploaded (at most 9).
    #[graphql(default)]
    pub photo_ids: Vec<ID>,
}

/// Input of `handleGridEventOnSpot`.
#[derive(InputObject)]
pub struct HandleGridEventOnSpotInput {
    /// The small event.
    pub event_id: ID,
    /// What was done (at most 20,000 characters).
    #[graphql(default)]
    pub note: String,
    /// Event photos the caller uploaded (at most 9).
    #[graphql(default)]
    pub photo_ids: Vec<ID>,
}

/// Input of `notifyResponsibleParty`.
#[derive(InputObject)]
pub struct NotifyResponsiblePartyInput {
    /// The small event.
    pub event_id: ID,
    /// The party told to fix it (a shop, a landlord, a company), at most 100 characters.
    pub party: String,
    /// What it was told (at most 20,000 characters).
    #[graphql(default)]
    pub note: String,
}

/// Input of `handToEnforcementTeam`.
#[derive(InputObject)]
pub struct HandToEnforcementTeamInput {
    /// The small event whose responsible party refused.
    pub event_id: ID,
    /// The enforcement team (综合整治队) of the subdistrict.
    pub team_id: ID,
    /// How the party refused (at most 20,000 characters).
    #[graphql(default)]
    pub note: String,
}

/// Input of `createJointAction`.
#[derive(InputObject)]
pub struct CreateJointActionInput {
    /// The subdistrict that runs it.
    pub subdistrict_id: ID,
    /// Its title (at most 100 characters).
    pub title: String,
    /// What it sets out to do (at most 20,000 characters).
    #[graphql(default)]
    pub description: String,
    /// The handler of the subdistrict that leads it.
    pub lead_handler_id: Option<ID>,
    /// The day it starts.
    pub starts_on: Date,
    /// The events it takes on (at most 100).
    pub event_ids: Vec<ID>,
}

/// Input of `addEventsToJointAction`.
#[derive(InputObject)]
pub struct AddEventsToJointActionInput {
    /// The joint action.
    pub action_id: ID,
    /// The events it takes on as well (at most 100).
    pub event_ids: Vec<ID>,
}

payload!(
    /// Result of a change to the patrol catalogue.
    PatrolItemPayload {
        /// The patrol item.
        patrol_item: PatrolItem
    }
);
payload!(
    /// Result of `setPatrolFrequency`.
    PatrolFrequencyPayload {
        /// The frequency as set.
        frequency: PatrolFrequency
    }
);
payload!(
    /// Result of a change to an event category.
    EventCategoryPayload {
        /// The category as saved.
        category: EventCategory
    }
);
payload!(
    /// Result of a change to an event handler or its members.
    EventHandlerPayload {
        /// The handler.
        handler: EventHandler
    }
);
payload!(
    /// Result of a move of a grid event.
    GridEventPayload {
        /// The event as it stands after the move.
        event: GridEvent
    }
);
payload!(
    /// Result of a change to a joint action.
    JointActionPayload {
        /// The joint action.
        action: JointAction
    }
);

fn ids(raw: &[ID], kind: NodeKind, field: &str) -> AppResult<Vec<i64>> {
    raw.iter()
        .enumerate()
        .map(|(i, id)| input_id(id, kind, &format!("{field}.{i}")))
        .collect()
}

fn photo_ids(raw: &[ID]) -> AppResult<Vec<i64>> {
    ids(raw, NodeKind::Attachment, "photo_ids")
}

fn event_id(raw: &ID) -> AppResult<i64> {
    input_id(raw, NodeKind::GridEvent, "event_id")
}

/// The place named by a report; the domain checks that it is exactly one.
fn place_of(input: &ReportGridEventInput) -> AppResult<Place> {
    Ok(Place {
        building_id: input_id_opt(
            input.building_id.as_ref(),
            NodeKind::Building,
            "building_id",
        )?,
        dwelling_id: input_id_opt(
            input.dwelling_id.as_ref(),
            NodeKind::Dwelling,
            "dwelling_id",
        )?,
        described: input.place.clone(),
    })
}

/// Mutations of grid events.
#[derive(Default)]
pub struct GridEventsMutation;

/// Mutations of grid events.
#[Object]
impl GridEventsMutation {
    /// Adds an item to a district's patrol catalogue (the district's grid office).
    async fn create_patrol_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreatePatrolItemInput,
    ) -> Result<PatrolItemPayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = NewPatrolItem {
                district_id: input_id(&input.district_id, NodeKind::District, "district_id")?,
                kind: input.kind,
                name: Name::parse(&input.name, "name")?,
                guidance: input.guidance.clone(),
                fixed_place: input
                    .fixed_place
                    .as_deref()
                    .map(|p| Name::parse(p, "fixed_place"))
                    .transpose()?,
            };
            grid_events::create_patrol_item(uow, new).await
        })
        .await?;
        Ok(outcome.map(PatrolItem).into())
    }

    /// Sets how often a patrol item is patrolled in a season; it stands for that season, and
    /// earlier settings stay readable.
    async fn set_patrol_frequency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: SetPatrolFrequencyInput,
    ) -> Result<PatrolFrequencyPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(
                &input.patrol_item_id,
                NodeKind::PatrolItem,
                "patrol_item_id",
            )?;
            grid_events::set_frequency(uow, id, input.season, input.times, input.period).await
        })
        .await?;
        Ok(outcome.map(PatrolFrequency).into())
    }

    /// Adds an event category to a district, on its list of small events or not.
    async fn create_event_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateEventCategoryInput,
    ) -> Result<EventCategoryPayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = NewCategory {
                district_id: input_id(&input.district_id, NodeKind::District, "district_id")?,
                name: Name::parse(&input.name, "name")?,
                small: input.small,
                supervision_days: input.supervision_days,
            };
            grid_events::create_category(uow, new).await
        })
        .await?;
        Ok(outcome.map(EventCategory).into())
    }

    /// Puts a category on the district's published list of small events or takes it off, and
    /// sets its supervision days.
    async fn update_event_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateEventCategoryInput,
    ) -> Result<EventCategoryPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.category_id, NodeKind::EventCategory, "category_id")?;
            grid_events::update_category(uow, id, input.small, input.supervision_days).await
        })
        .await?;
        Ok(outcome.map(EventCategory).into())
    }

    /// Registers a handler grid events of a subdistrict may be dispatched to.
    async fn create_event_handler(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateEventHandlerInput,
    ) -> Result<EventHandlerPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(
                &input.subdistrict_id,
                NodeKind::Subdistrict,
                "subdistrict_id",
            )?;
            grid_events::create_handler(uow, id, Name::parse(&input.name, "name")?, input.kind)
                .await
        })
        .await?;
        Ok(outcome.map(EventHandler).into())
    }

    /// Lets an account act for an event handler: see the events dispatched to it and report
    /// their rectification.
    async fn add_event_handler_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AddEventHandlerMemberInput,
    ) -> Result<EventHandlerPayload> {
        let outcome = mutate(ctx, async |uow| {
            let h = input_id(&input.handler_id, NodeKind::EventHandler, "handler_id")?;
            let a = input_id(&input.account_id, NodeKind::Account, "account_id")?;
            grid_events::add_member(uow, h, a).await
        })
        .await?;
        Ok(outcome.map(EventHandler).into())
    }

    /// Ends an account acting for an event handler.
    async fn remove_event_handler_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RemoveEventHandlerMemberInput,
    ) -> Result<EventHandlerPayload> {
        let outcome = mutate(ctx, async |uow| {
            let h = input_id(&input.handler_id, NodeKind::EventHandler, "handler_id")?;
            let a = input_id(&input.account_id, NodeKind::Account, "account_id")?;
            grid_events::remove_member(uow, h, a).await
        })
        .await?;
        Ok(outcome.map(EventHandler).into())
    }

    /// A grid worker or chief reports a grid event found on patrol (巡); an urgent one is
    /// fast-reported to a department at once.
    async fn report_grid_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: ReportGridEventInput,
    ) -> Result<GridEventPayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = NewEvent {
                grid_id: input_id(&input.grid_id, NodeKind::Grid, "grid_id")?,
                category_id: input_id(&input.category_id, NodeKind::EventCategory, "category_id")?,
                place: place_of(&input)?,
                urgency: input.urgency,
                description: input.description.clone(),
                patrol_item_id: input_id_opt(
                    input.patrol_item_id.as_ref(),
                    NodeKind::PatrolItem,
                    "patrol_item_id",
                )?,
                fast_report_to: input_id_opt(
                    input.fast_report_to_id.as_ref(),
                    NodeKind::EventHandler,
                    "fast_report_to",
                )?,
                photo_ids: photo_ids(&input.photo_ids)?,
            };
            grid_events::report(uow, new).await
        })
        .await?;
        Ok(outcome.map(GridEvent).into())
    }

    /// Dispatches an event of the standard procedure to a handler (拨), or sends it to another
    /// handler before it was handled.
    async fn dispatch_grid_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: DispatchGridEventInput,
    ) -> Result<GridEventPayload> {
        let outcome = mutate(ctx, async |uow| {
            let h = input_id(&input.handler_id, NodeKind::EventHandler, "handler_id")?;
            grid_events::dispatch(uow, event_id(&input.event_id)?, h, &input.note).await
        })
        .await?;
        Ok(outcome.map(GridEvent).into())
    }

    /// The handler an event is dispatched to reports its rectification (办); only those acting
    /// for that handler may.
    async fn report_rectification(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: ReportRectificationInput,
    ) -> Result<GridEventPayload> {
        let outcome = mutate(ctx, async |uow| {
            let photos = photo_ids(&input.photo_ids)?;
            grid_events::handle(uow, event_id(&input.event_id)?, &input.note, &photos).await
        })
        .await?;
        Ok(outcome.map(GridEvent).into())
    }

    /// The reporter checks an event (谁上报、谁核查): a pass closes it, a failure returns it to
    /// its handler, and the fourth failure escalates it to supervision (督办) with a deadline.
    async fn check_grid_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CheckGridEventInput,
    ) -> Result<GridEventPayload> {
        let outcome = mutate(ctx, async |uow| {
            let photos = photo_ids(&input.photo_ids)?;
            grid_events::check(
                uow,
                event_id(&input.event_id)?,
                input.passed,
                &input.note,
                &photos,
            )
            .await
        })
        .await?;
        Ok(outcome.map(GridEvent).into())
    }

    /// The reporter of a small event handles it on the spot; it closes.
    async fn handle_grid_event_on_spot(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: HandleGridEventOnSpotInput,
    ) -> Result<GridEventPayload> {
        let outcome = mutate(ctx, async |uow| {
            let photos = photo_ids(&input.photo_ids)?;
            grid_events::handle_on_spot(uow, event_id(&input.event_id)?, &input.note, &photos).await
        })
        .await?;
        Ok(outcome.map(GridEvent).into())
    }

    /// The reporter of a small event tells the party responsible to fix it; once it has, the
    /// reporter checks it.
    async fn notify_responsible_party(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: NotifyResponsiblePartyInput,
    ) -> Result<GridEventPayload> {
        let outcome = mutate(ctx, async |uow| {
            let party = Name::parse(&input.party, "party")?;
            grid_events::notify_party(uow, event_id(&input.event_id)?, party, &input.note).await
        })
        .await?;
        Ok(outcome.map(GridEvent).into())
    }

    /// The responsible party of a small event refused: its reporter hands it to the
    /// enforcement team (综合整治队), which handles it as a dispatched event.
    async fn hand_to_enforcement_team(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: HandToEnforcementTeamInput,
    ) -> Result<GridEventPayload> {
        let outcome = mutate(ctx, async |uow| {
            let team = input_id(&input.team_id, NodeKind::EventHandler, "team_id")?;
            grid_events::hand_to_enforcement(uow, event_id(&input.event_id)?, team, &input.note)
                .await
        })
        .await?;
        Ok(outcome.map(GridEvent).into())
    }

    /// Starts a joint rectification action (联合整治行动) over events of a subdistrict.
    async fn create_joint_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateJointActionInput,
    ) -> Result<JointActionPayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = grid_events::NewJointAction {
                subdistrict_id: input_id(
                    &input.subdistrict_id,
                    NodeKind::Subdistrict,
                    "subdistrict_id",
                )?,
                title: Name::parse(&input.title, "title")?,
                description: input.description.clone(),
                lead_handler_id: input_id_opt(
                    input.lead_handler_id.as_ref(),
                    NodeKind::EventHandler,
                    "lead_handler_id",
                )?,
                starts_on: input.starts_on.0,
                event_ids: ids(&input.event_ids, NodeKind::GridEvent, "event_ids")?,
            };
            grid_events::create_joint_action(uow, new).await
        })
        .await?;
        Ok(outcome.map(JointAction).into())
    }

    /// Adds events to a joint rectification action.
    async fn add_events_to_joint_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AddEventsToJointActionInput,
    ) -> Result<JointActionPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.action_id, NodeKind::JointAction, "action_id")?;
            let events = ids(&input.event_ids, NodeKind::GridEvent, "event_ids")?;
            grid_events::add_to_joint_action(uow, id, &events).await
        })
        .await?;
        Ok(outcome.map(JointAction).into())
    }
}

/// Live feed of grid events.
#[derive(Default)]
pub struct GridEventsSubscription;

/// Live feed of grid events.
#[Subscription]
impl GridEventsSubscription {
    /// New events of a grid, as they are reported: for those who read the grid's events (its
    /// grid workers, the community and those above).
    async fn new_grid_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The grid.")] grid_id: ID,
    ) -> Result<impl Stream<Item = Result<GridEvent>>> {
        let id = arg_id(&grid_id, NodeKind::Grid)?;
        let db = db(ctx)?.clone();
        let scope = Scope::of_grid(&db, id).await?;
        caller(ctx).may_read(Permission::ReadGridEvents, &scope)?;
        let events = hub(ctx)?.subscribe();
        let wakes = move |e: &DecisionEvent| matches!(e, DecisionEvent::GridEventReported { grid_id, .. } if *grid_id == id);
        Ok(newer_rows::<grid_event::Entity, _>(
            db,
            events,
            grid_event::Column::GridId,
            id,
            wakes,
            GridEvent,
        )
        .await?)
    }
}
