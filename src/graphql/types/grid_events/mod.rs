//! Grid events (巡、拨、办、督) at the GraphQL edge: the patrol catalogue,
//! event categories and the list of small events, handlers with their
//! performance, events with their every step and photo, supervision, joint
//! actions; the lists (open events of a grid, events dispatched to me,
//! overdue supervision); the mutations and the live feed of a grid's new
//! events.
//!
//! The catalogue and the list of small events are published: anyone reads
//! them. Events are not: `domain::grid_events::may_read` decides who reads
//! one. Handlers and their figures are read by those who read grid events
//! within the handler's subdistrict, and by the handler's own members. No
//! rule lives here.

mod mutations;

pub use mutations::{GridEventsMutation, GridEventsSubscription};

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::access::{Caller, Permission, Scope};
use crate::domain::grid_events;
use crate::domain::kinds::{
    EventHandlerKind, EventProcedure, EventUrgency, GridEventAction, GridEventStatus, PatrolKind,
    PatrolPeriod, Season,
};
use crate::entity::{
    attachment, building, community, compound, district, dwelling, event_category, event_handler,
    event_supervision, grid, grid_event, grid_event_step, joint_action, joint_action_event,
    patrol_frequency, patrol_item, subdistrict,
};
use crate::error::AppError;
use crate::graphql::id::{NodeKind, arg_id, encode};
use crate::graphql::loaders::{
    EventsOfJointAction, FrequenciesOfPatrolItem, MembersOfEventHandler, PerformanceOf,
    PhotosOfEventStep, StepsOfGridEvent, SupervisionOfEvent, by_id, by_id_opt, by_ids, children,
    shared_error,
};
use crate::graphql::pagination::{
    EventCategoryConnection, EventHandlerConnection, EventSupervisionConnection,
    GridEventConnection, JointActionConnection, PatrolItemConnection, cost, paginate,
    paginate_newest_first,
};
use crate::graphql::scalars::Date;
use crate::graphql::types::decisions::username;
use crate::graphql::types::projects::Attachment;
use crate::graphql::types::register::{Building, District, Dwelling, Grid, Subdistrict};
use crate::graphql::types::{Compound, page};
use crate::graphql::{caller, db, loaders, today};

/// An item of a district's patrol catalogue.
pub struct PatrolItem(pub patrol_item::Model);

/// An item of a district's patrol catalogue: a comprehensive patrol (综合巡查) of the grid or a
/// patrol of a fixed point (定点巡查), with a frequency that may change with the season.
#[Object]
impl PatrolItem {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::PatrolItem, self.0.id)
    }
    /// Comprehensive or fixed-point.
    async fn kind(&self) -> PatrolKind {
        self.0.kind
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What the patrol looks at.
    async fn guidance(&self) -> &str {
        &self.0.guidance
    }
    /// The point patrolled, for a fixed-point item.
    async fn fixed_place(&self) -> Option<&str> {
        self.0.fixed_place.as_deref()
    }
    /// The district whose catalogue it is in.
    async fn district(&self, ctx: &Context<'_>) -> Result<Option<District>> {
        Ok(by_id::<district::Entity>(loaders(ctx)?, self.0.district_id)
            .await?
            .map(District))
    }
    /// The frequency that stands on `on` (default today): the one set for that day's season,
    /// else the one set for the whole year; null if none was set.
    async fn frequency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day; today if left out.")] on: Option<Date>,
    ) -> Result<Option<PatrolFrequency>> {
        let day = match on {
            Some(d) => d.0,
            None => today(ctx)?,
        };
        let rows = children::<FrequenciesOfPatrolItem>(loaders(ctx)?, self.0.id).await?;
        Ok(grid_events::frequency_on(&rows, day)
            .cloned()
            .map(PatrolFrequency))
    }
    /// Every frequency ever set, newest first: for each season the newest stands.
    async fn frequencies(&self, ctx: &Context<'_>) -> Result<Vec<PatrolFrequency>> {
        let mut rows = children::<FrequenciesOfPatrolItem>(loaders(ctx)?, self.0.id).await?;
        rows.sort_by_key(|f| std::cmp::Reverse(f.id));
        Ok(rows.into_iter().map(PatrolFrequency).collect())
    }
}

/// How often a patrol item is patrolled in a season.
pub struct PatrolFrequency(pub patrol_frequency::Model);

/// How often a patrol item is patrolled in a season: `times` per `period`.
#[Object]
impl PatrolFrequency {
    /// The season it holds in.
    async fn season(&self) -> Season {
        self.0.season
    }
    /// How many times in each period.
    async fn times(&self) -> i32 {
        self.0.times
    }
    /// The period counted in.
    async fn period(&self) -> PatrolPeriod {
        self.0.period
    }
    /// When it was set.
    async fn set_at(&self) -> DateTime<Utc> {
        self.0.set_at
    }
    /// Who set it (display name).
    async fn set_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.set_by).await
    }
}

/// A category of grid events of a district.
pub struct EventCategory(pub event_category::Model);

/// A category of grid events of a district, on its published list of small events (微小事件)
/// or not.
#[Object]
impl EventCategory {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::EventCategory, self.0.id)
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// On the district's published list of small events: its events take the simple
    /// procedure (unless urgent).
    async fn small(&self) -> bool {
        self.0.small
    }
    /// Days from escalation to the supervision deadline (督办时限).
    async fn supervision_days(&self) -> i32 {
        self.0.supervision_days
    }
    /// The district.
    async fn district(&self, ctx: &Context<'_>) -> Result<Option<District>> {
        Ok(by_id::<district::Entity>(loaders(ctx)?, self.0.district_id)
            .await?
            .map(District))
    }
}

/// Whether the caller reads the handlers of subdistrict `subdistrict_id`,
/// their figures and its joint actions (`grid_events::reads_handlers`
/// decides; the facts come through the request's loader).
pub async fn reads_handlers_of(ctx: &Context<'_>, subdistrict_id: i64) -> Result<bool> {
    let s = by_id::<subdistrict::Entity>(loaders(ctx)?, subdistrict_id)
        .await?
        .ok_or_else(|| AppError::NotFound("subdistrict".into()))?;
    let staff = grid_events::staff_communities(caller(ctx));
    let staff_subdistricts: Vec<i64> = by_ids::<community::Entity>(loaders(ctx)?, &staff)
        .await?
        .iter()
        .map(|c| c.subdistrict_id)
        .collect();
    Ok(grid_events::reads_handlers(
        caller(ctx),
        &Scope::within_subdistrict(&s),
        &staff_subdistricts,
    ))
}

/// Whether the caller reads handler `h`'s members, record and figures:
/// those who read its subdistrict's handlers, and its own members.
async fn reads_handler(ctx: &Context<'_>, h: &event_handler::Model) -> Result<bool> {
    if reads_handlers_of(ctx, h.subdistrict_id).await? {
        return Ok(true);
    }
    let Caller::Account(actor) = caller(ctx) else {
        return Ok(false);
    };
    Ok(grid_events::acts_for(db(ctx)?, h.id, actor.account_id).await?)
}

/// An organisation or person grid events are dispatched to.
pub struct EventHandler(pub event_handler::Model);

/// An organisation or person of a subdistrict grid events are dispatched to: a rectifying
/// unit (整治单位), the enforcement team (综合整治队) or a department urgent events are
/// fast-reported to.
#[Object]
impl EventHandler {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::EventHandler, self.0.id)
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What kind of handler it is.
    async fn kind(&self) -> EventHandlerKind {
        self.0.kind
    }
    /// The subdistrict it serves.
    async fn subdistrict(&self, ctx: &Context<'_>) -> Result<Option<Subdistrict>> {
        Ok(
            by_id::<subdistrict::Entity>(loaders(ctx)?, self.0.subdistrict_id)
                .await?
                .map(Subdistrict),
        )
    }
    /// The display names of the accounts acting for it now; empty to those who may not read
    /// its figures.
    async fn members(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        if !reads_handler(ctx, &self.0).await? {
            return Ok(Vec::new());
        }
        let rows = children::<MembersOfEventHandler>(loaders(ctx)?, self.0.id).await?;
        let ids: Vec<i64> = rows
            .iter()
            .filter(|m| m.removed_at.is_none())
            .map(|m| m.account_id)
            .collect();
        Ok(
            by_ids::<crate::entity::account::Entity>(loaders(ctx)?, &ids)
                .await?
                .into_iter()
                .map(|a| a.display_name)
                .collect(),
        )
    }
    /// Its performance over the days `from` to `to` (both included): events received and
    /// closed, failed checks, escalations to supervision, and the mean hours to close. Null to
    /// those who may not read it.
    async fn performance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The first day.")] from: Date,
        #[graphql(desc = "The last day.")] to: Date,
    ) -> Result<Option<HandlerPerformance>> {
        if !reads_handler(ctx, &self.0).await? {
            return Ok(None);
        }
        grid_events::period(from.0, to.0)?;
        let p = loaders(ctx)?
            .load_one(PerformanceOf(self.0.id, from.0, to.0))
            .await
            .map_err(shared_error)?
            .unwrap_or_default();
        Ok(Some(HandlerPerformance {
            from,
            to,
            received: p.received as i32,
            closed: p.closed as i32,
            failed_checks: p.failed_checks as i32,
            escalations: p.escalations as i32,
            mean_hours_to_close: p.mean_hours_to_close,
        }))
    }
    /// The supervisions marked on its record (督办), newest first; empty to those who may not
    /// read its figures.
    async fn supervisions(&self, ctx: &Context<'_>) -> Result<Vec<EventSupervision>> {
        if !reads_handler(ctx, &self.0).await? {
            return Ok(Vec::new());
        }
        let mut rows =
            children::<crate::graphql::loaders::SupervisionsOfHandler>(loaders(ctx)?, self.0.id)
                .await?;
        rows.sort_by_key(|s| std::cmp::Reverse(s.id));
        Ok(rows.into_iter().map(EventSupervision).collect())
    }
}

/// A handler's figures over a period (整治单位绩效).
#[derive(SimpleObject)]
pub struct HandlerPerformance {
    /// The first day counted.
    pub from: Date,
    /// The last day counted.
    pub to: Date,
    /// Events dispatched or handed to it in the period.
    pub received: i32,
    /// Events closed while with it in the period.
    pub closed: i32,
    /// Checks of its rectifications that failed in the period.
    pub failed_checks: i32,
    /// Its events escalated to supervision in the period: marks on its record.
    pub escalations: i32,
    /// Mean hours from dispatch to close of the events it closed in the period; null if none.
    pub mean_hours_to_close: Option<f64>,
}

/// A grid event.
pub struct GridEvent(pub grid_event::Model);

/// A grid event (微小事件): reported in a grid, dispatched to a handler, handled, checked by its
/// reporter, and escalated to supervision at the fourth failed check.
#[Object]
impl GridEvent {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::GridEvent, self.0.id)
    }
    /// Where it stands.
    async fn status(&self) -> GridEventStatus {
        self.0.status
    }
    /// The procedure it takes, fixed when it was reported.
    async fn procedure(&self) -> EventProcedure {
        self.0.procedure
    }
    /// How urgent it is.
    async fn urgency(&self) -> EventUrgency {
        self.0.urgency
    }
    /// What was found.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The grid it is in.
    async fn grid(&self, ctx: &Context<'_>) -> Result<Option<Grid>> {
        Ok(by_id::<grid::Entity>(loaders(ctx)?, self.0.grid_id)
            .await?
            .map(Grid))
    }
    /// The compound it is in, when it is at a building.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(
            by_id_opt::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
                .await?
                .map(Compound::new),
        )
    }
    /// The building it is at, if one.
    async fn building(&self, ctx: &Context<'_>) -> Result<Option<Building>> {
        Ok(
            by_id_opt::<building::Entity>(loaders(ctx)?, self.0.building_id)
                .await?
                .map(Building),
        )
    }
    /// The dwelling it is at, if one.
    async fn dwelling(&self, ctx: &Context<'_>) -> Result<Option<Dwelling>> {
        Ok(
            by_id_opt::<dwelling::Entity>(loaders(ctx)?, self.0.dwelling_id)
                .await?
                .map(Dwelling),
        )
    }
    /// The place in words, when it is at no building.
    async fn place(&self) -> Option<&str> {
        self.0.place.as_deref()
    }
    /// Its category.
    async fn category(&self, ctx: &Context<'_>) -> Result<Option<EventCategory>> {
        Ok(
            by_id::<event_category::Entity>(loaders(ctx)?, self.0.category_id)
                .await?
                .map(EventCategory),
        )
    }
    /// The patrol item it was found on, if any.
    async fn patrol_item(&self, ctx: &Context<'_>) -> Result<Option<PatrolItem>> {
        Ok(
            by_id_opt::<patrol_item::Entity>(loaders(ctx)?, self.0.patrol_item_id)
                .await?
                .map(PatrolItem),
        )
    }
    /// The handler it is with, once dispatched.
    async fn handler(&self, ctx: &Context<'_>) -> Result<Option<EventHandler>> {
        Ok(
            by_id_opt::<event_handler::Entity>(loaders(ctx)?, self.0.handler_id)
                .await?
                .map(EventHandler),
        )
    }
    /// The department an urgent event was fast-reported to (快采快报).
    async fn fast_reported_to(&self, ctx: &Context<'_>) -> Result<Option<EventHandler>> {
        Ok(
            by_id_opt::<event_handler::Entity>(loaders(ctx)?, self.0.fast_report_handler_id)
                .await?
                .map(EventHandler),
        )
    }
    /// The party a small event's grid worker told to fix it.
    async fn responsible_party(&self) -> Option<&str> {
        self.0.responsible_party.as_deref()
    }
    /// How many of the reporter's checks failed.
    async fn failed_checks(&self) -> i32 {
        self.0.failed_checks
    }
    /// Who reported it (display name).
    async fn reported_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.reported_by).await
    }
    /// When it was reported.
    async fn reported_at(&self) -> DateTime<Utc> {
        self.0.reported_at
    }
    /// When it was dispatched (or handed) to the handler it is with.
    async fn dispatched_at(&self) -> Option<DateTime<Utc>> {
        self.0.dispatched_at
    }
    /// When it closed.
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// Its supervision (督办), once escalated.
    async fn supervision(&self, ctx: &Context<'_>) -> Result<Option<EventSupervision>> {
        Ok(children::<SupervisionOfEvent>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .next()
            .map(EventSupervision))
    }
    /// Every step, oldest first.
    async fn steps(&self, ctx: &Context<'_>) -> Result<Vec<GridEventStep>> {
        let mut rows = children::<StepsOfGridEvent>(loaders(ctx)?, self.0.id).await?;
        rows.sort_by_key(|s| s.id);
        Ok(rows.into_iter().map(GridEventStep).collect())
    }
}

/// One move of a grid event.
pub struct GridEventStep(pub grid_event_step::Model);

/// One move of a grid event, with the handler it was with and the photos it shows.
#[Object]
impl GridEventStep {
    /// What was done.
    async fn action(&self) -> GridEventAction {
        self.0.action
    }
    /// The status before.
    async fn from_status(&self) -> GridEventStatus {
        self.0.from_status
    }
    /// The status after.
    async fn to_status(&self) -> GridEventStatus {
        self.0.to_status
    }
    /// The handler the event was with after this step.
    async fn handler(&self, ctx: &Context<'_>) -> Result<Option<EventHandler>> {
        Ok(
            by_id_opt::<event_handler::Entity>(loaders(ctx)?, self.0.handler_id)
                .await?
                .map(EventHandler),
        )
    }
    /// What was said.
    async fn note(&self) -> &str {
        &self.0.note
    }
    /// Who did it (display name).
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.recorded_by).await
    }
    /// When.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    /// The photos it shows.
    async fn photos(&self, ctx: &Context<'_>) -> Result<Vec<Attachment>> {
        let links = children::<PhotosOfEventStep>(loaders(ctx)?, self.0.id).await?;
        let ids: Vec<i64> = links.iter().map(|l| l.attachment_id).collect();
        Ok(by_ids::<attachment::Entity>(loaders(ctx)?, &ids)
            .await?
            .into_iter()
            .map(Attachment)
            .collect())
    }
}

/// The supervision of an escalated grid event.
pub struct EventSupervision(pub event_supervision::Model);

/// The supervision (督办) of a grid event escalated at its fourth failed check: a deadline, and
/// a mark on the handler's record.
#[Object]
impl EventSupervision {
    /// The event, to those who may read it.
    async fn event(&self, ctx: &Context<'_>) -> Result<Option<GridEvent>> {
        match by_id::<grid_event::Entity>(loaders(ctx)?, self.0.event_id).await? {
            Some(e) if may_read_event(ctx, &e).await? => Ok(Some(GridEvent(e))),
            _ => Ok(None),
        }
    }
    /// The handler whose record it marks.
    async fn handler(&self, ctx: &Context<'_>) -> Result<Option<EventHandler>> {
        Ok(
            by_id::<event_handler::Entity>(loaders(ctx)?, self.0.handler_id)
                .await?
                .map(EventHandler),
        )
    }
    /// When it was escalated.
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.opened_at
    }
    /// The last day for the rectification to pass its check.
    async fn deadline(&self) -> Date {
        Date(self.0.deadline)
    }
    /// When the event closed, ending the supervision.
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// Still open after its deadline, today.
    async fn overdue(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(grid_events::overdue(&self.0, today(ctx)?))
    }
    /// Closed by its deadline; null while open.
    async fn closed_in_time(&self) -> Option<bool> {
        grid_events::closed_in_time(&self.0)
    }
}

/// A joint rectification action.
pub struct JointAction(pub joint_action::Model);

/// A joint rectification action (联合整治行动) grouping grid events of a subdistrict.
#[Object]
impl JointAction {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::JointAction, self.0.id)
    }
    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What it sets out to do.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The day it starts.
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    /// The handler that leads it, if one does.
    async fn lead_handler(&self, ctx: &Context<'_>) -> Result<Option<EventHandler>> {
        Ok(
            by_id_opt::<event_handler::Entity>(loaders(ctx)?, self.0.lead_handler_id)
                .await?
                .map(EventHandler),
        )
    }
    /// The subdistrict that runs it.
    async fn subdistrict(&self, ctx: &Context<'_>) -> Result<Option<Subdistrict>> {
        Ok(
            by_id::<subdistrict::Entity>(loaders(ctx)?, self.0.subdistrict_id)
                .await?
                .map(Subdistrict),
        )
    }
    /// The events it takes on, in the order they were added, that the caller may read.
    async fn events(&self, ctx: &Context<'_>) -> Result<Vec<GridEvent>> {
        let mut links = children::<EventsOfJointAction>(loaders(ctx)?, self.0.id).await?;
        links.sort_by_key(|l: &joint_action_event::Model| l.id);
        let ids: Vec<i64> = links.iter().map(|l| l.event_id).collect();
        let events = by_ids::<grid_event::Entity>(loaders(ctx)?, &ids).await?;
        // Those who read the whole subdistrict's events read them all at
        // once; anyone else event by event.
        let whole = match caller(ctx) {
            Caller::Account(actor) => {
                let scope = Scope::of_subdistrict(db(ctx)?, self.0.subdistrict_id).await?;
                actor.can(Permission::ReadGridEvents, &scope)
            }
            Caller::Anonymous => false,
        };
        let mut out = Vec::with_capacity(events.len());
        for e in events {
            if whole || may_read_event(ctx, &e).await? {
                out.push(GridEvent(e));
            }
        }
        Ok(out)
    }
    /// When it was started.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Whether the caller may read event `e`.
pub async fn may_read_event(ctx: &Context<'_>, e: &grid_event::Model) -> Result<bool> {
    let db = db(ctx)?;
    let scope = grid_events::scope_of(db, e).await?;
    Ok(grid_events::may_read(db, caller(ctx), e, &scope).await?)
}

/// Whether the caller may read handler `h` as a node: anyone signed in.
pub fn may_see_handler(ctx: &Context<'_>) -> bool {
    matches!(caller(ctx), Caller::Account(_))
}

/// Queries of grid events.
#[derive(Default)]
pub struct GridEventsQuery;

/// Queries of grid events.
#[Object]
impl GridEventsQuery {
    /// A district's patrol catalogue (published), oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn patrol_items(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The district.")] district_id: ID,
        #[graphql(desc = "Only items of this kind.")] kind: Option<PatrolKind>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<PatrolItemConnection> {
        let id = arg_id(&district_id, NodeKind::District)?;
        let mut select = patrol_item::Entity::find().filter(patrol_item::Column::DistrictId.eq(id));
        if let Some(k) = kind {
            select = select.filter(patrol_item::Column::Kind.eq(k));
        }
        paginate(
            db(ctx)?,
            select,
            page(first, after, last, before),
            PatrolItem,
        )
        .await
    }

    /// A district's event categories, oldest first; `smallOnly` gives its published list of
    /// small events (微小事件).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn event_categories(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The district.")] district_id: ID,
        #[graphql(desc = "Only those on the list of small events.", default = false)]
        small_only: bool,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<EventCategoryConnection> {
        let id = arg_id(&district_id, NodeKind::District)?;
        let mut select =
            event_category::Entity::find().filter(event_category::Column::DistrictId.eq(id));
        if small_only {
            select = select.filter(event_category::Column::Small.eq(true));
        }
        paginate(
            db(ctx)?,
            select,
            page(first, after, last, before),
            EventCategory,
        )
        .await
    }

    /// The handlers of a subdistrict, oldest first, for anyone signed in.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn event_handlers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The subdistrict.")] subdistrict_id: ID,
        #[graphql(desc = "Only handlers of this kind.")] kind: Option<EventHandlerKind>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<EventHandlerConnection> {
        caller(ctx).actor()?;
        let id = arg_id(&subdistrict_id, NodeKind::Subdistrict)?;
        let mut select =
            event_handler::Entity::find().filter(event_handler::Column::SubdistrictId.eq(id));
        if let Some(k) = kind {
            select = select.filter(event_handler::Column::Kind.eq(k));
        }
        paginate(
            db(ctx)?,
            select,
            page(first, after, last, before),
            EventHandler,
        )
        .await
    }

    /// The events of a grid, newest first: by default only the open ones. For those who read
    /// the grid's events (its grid workers, the community and those above).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn grid_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The grid.")] grid_id: ID,
        #[graphql(desc = "Only events still open.", default = true)] open_only: bool,
        #[graphql(desc = "Only events in this status.")] status: Option<GridEventStatus>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<GridEventConnection> {
        let id = arg_id(&grid_id, NodeKind::Grid)?;
        let scope = Scope::of_grid(db(ctx)?, id).await?;
        caller(ctx).may_read(Permission::ReadGridEvents, &scope)?;
        let mut select = grid_event::Entity::find().filter(grid_event::Column::GridId.eq(id));
        if open_only {
            select = select.filter(grid_event::Column::Status.is_in(GridEventStatus::OPEN));
        }
        if let Some(s) = status {
            select = select.filter(grid_event::Column::Status.eq(s));
        }
        paginate_newest_first(
            db(ctx)?,
            select,
            page(first, after, last, before),
            GridEvent,
        )
        .await
    }

    /// The events dispatched to the handlers the caller acts for, newest first: by default
    /// only the open ones.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn events_dispatched_to_me(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events still open.", default = true)] open_only: bool,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<GridEventConnection> {
        let actor = caller(ctx).actor()?;
        let handlers = grid_events::handlers_of_account(db(ctx)?, actor.account_id).await?;
        let mut select =
            grid_event::Entity::find().filter(grid_event::Column::HandlerId.is_in(handlers));
        if open_only {
            select = select.filter(grid_event::Column::Status.is_in(GridEventStatus::OPEN));
        }
        paginate_newest_first(
            db(ctx)?,
            select,
            page(first, after, last, before),
            GridEvent,
        )
        .await
    }

    /// Supervisions past their deadline and still open, of a community or of a whole
    /// subdistrict (name one), most overdue first. For those who read grid events there.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn overdue_supervisions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The subdistrict.")] subdistrict_id: Option<ID>,
        #[graphql(desc = "The community.")] community_id: Option<ID>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<EventSupervisionConnection> {
        let db = db(ctx)?;
        let select = event_supervision::Entity::find()
            .filter(event_supervision::Column::ClosedAt.is_null())
            .filter(event_supervision::Column::Deadline.lt(today(ctx)?));
        let (scope, select) = match (subdistrict_id, community_id) {
            (Some(s), None) => {
                let id = arg_id(&s, NodeKind::Subdistrict)?;
                (
                    Scope::of_subdistrict(db, id).await?,
                    select.filter(event_supervision::Column::SubdistrictId.eq(id)),
                )
            }
            (None, Some(c)) => {
                let id = arg_id(&c, NodeKind::Community)?;
                (
                    Scope::of_community(db, id).await?,
                    select.filter(event_supervision::Column::CommunityId.eq(id)),
                )
            }
            _ => {
                return Err(AppError::BadRequest(
                    "name either a subdistrict or a community".into(),
                )
                .into());
            }
        };
        caller(ctx).may_read(Permission::ReadGridEvents, &scope)?;
        // Oldest deadline first is id order within a category's days; ids
        // keep the cursor stable.
        paginate(
            db,
            select,
            page(first, after, last, before),
            EventSupervision,
        )
        .await
    }

    /// A handler's performance over the days `from` to `to` (both included); null to those who
    /// may not read it (only those who read grid events within its subdistrict, and its own
    /// members, may).
    async fn handler_performance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The handler.")] handler_id: ID,
        #[graphql(desc = "The first day.")] from: Date,
        #[graphql(desc = "The last day.")] to: Date,
    ) -> Result<Option<HandlerPerformance>> {
        let id = arg_id(&handler_id, NodeKind::EventHandler)?;
        let Some(h) = by_id::<event_handler::Entity>(loaders(ctx)?, id).await? else {
            return Ok(None);
        };
        EventHandler(h).performance(ctx, from, to).await
    }

    /// The joint rectification actions of a subdistrict, newest first, for those who read
    /// grid events within it.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn joint_actions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The subdistrict.")] subdistrict_id: ID,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<JointActionConnection> {
        caller(ctx).actor()?;
        let id = arg_id(&subdistrict_id, NodeKind::Subdistrict)?;
        if !reads_handlers_of(ctx, id).await? {
            return Err(AppError::Forbidden("you may not read grid events here".into()).into());
        }
        let select =
            joint_action::Entity::find().filter(joint_action::Column::SubdistrictId.eq(id));
        paginate_newest_first(
            db(ctx)?,
            select,
            page(first, after, last, before),
            JointAction,
        )
        .await
    }
}
