//! Notices (公告) and residents' opinions (社情民意) at the GraphQL edge:
//! the objects, a compound's notices and opinions, `myOpinions`, the
//! mutations, and the live feeds of a compound's new notices and of a
//! project's moves.
//!
//! Notices are public, like everything the compound publishes to its
//! residents. Opinions are personal: `domain::opinions::may_read` decides
//! who reads one. No rule lives here.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, Result, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

use crate::domain::access::{Permission, Scope};
use crate::domain::event::DecisionEvent;
use crate::domain::kinds::{NoticePublisher, OpinionStatus};
use crate::domain::notices::{self, NewNotice};
use crate::domain::opinions::{self, NewOpinion};
use crate::domain::values::Name;
use crate::entity::{building, compound, notice, opinion, opinion_answer, person, project};
use crate::graphql::id::{NodeKind, arg_id, encode, input_id, input_id_opt};
use crate::graphql::loaders::{AnswersOfOpinion, by_id, by_id_opt, children};
use crate::graphql::pagination::{
    NoticeConnection, OpinionConnection, PageArgs, cost, paginate_newest_first,
};
use crate::graphql::scalars::Date;
use crate::graphql::types::decisions::{newer_rows, row_changes, username};
use crate::graphql::types::people::Person;
use crate::graphql::types::projects::Project;
use crate::graphql::types::register::Building;
use crate::graphql::types::{Compound, page};
use crate::graphql::{caller, db, hub, loaders, mutate, payload, today};

/// A notice (公告) published to a compound's residents.
pub struct Notice(pub notice::Model);

/// A notice (公告) published to a compound's residents.
#[Object]
impl Notice {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Notice, self.0.id)
    }
    /// The compound whose residents it is for.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound::new))
    }
    /// Which of the compound's three parties publishes it.
    async fn publisher(&self) -> NoticePublisher {
        self.0.publisher
    }
    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Its text.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// Whether it is pinned above the others.
    async fn pinned(&self) -> bool {
        self.0.pinned
    }
    /// The first day it is no longer shown; null if it does not expire.
    async fn expires_on(&self) -> Option<Date> {
        self.0.expires_on.map(Date)
    }
    /// Whether it is shown today (not expired).
    async fn in_force(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(notices::in_force(&self.0, today(ctx)?))
    }
    /// When it was published.
    async fn published_at(&self) -> DateTime<Utc> {
        self.0.published_at
    }
    /// Who published it (display name).
    async fn published_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.published_by).await
    }
}

/// A resident's opinion (社情民意) about their compound, with its answers.
pub struct Opinion(pub opinion::Model);

/// A resident's opinion (社情民意) about their compound, with its answers.
#[Object]
impl Opinion {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Opinion, self.0.id)
    }
    /// What the resident says.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// Open, or answered.
    async fn status(&self) -> OpinionStatus {
        self.0.status
    }
    /// The compound it is about.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound::new))
    }
    /// The building it concerns, if one was named.
    async fn building(&self, ctx: &Context<'_>) -> Result<Option<Building>> {
        Ok(
            by_id_opt::<building::Entity>(loaders(ctx)?, self.0.building_id)
                .await?
                .map(Building),
        )
    }
    /// The resident it is from; null when it was collected from nobody named.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id_opt::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
    /// Who recorded it (display name): the resident, or the chief or grid worker who collected it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.recorded_by).await
    }
    /// When it was recorded.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    /// The answer that stands (the newest); null while it is open.
    async fn answer(&self, ctx: &Context<'_>) -> Result<Option<OpinionAnswer>> {
        Ok(answers(ctx, self.0.id).await?.pop().map(OpinionAnswer))
    }
    /// Every answer, oldest first.
    async fn answers(&self, ctx: &Context<'_>) -> Result<Vec<OpinionAnswer>> {
        Ok(answers(ctx, self.0.id)
            .await?
            .into_iter()
            .map(OpinionAnswer)
            .collect())
    }
}

async fn answers(ctx: &Context<'_>, opinion: i64) -> Result<Vec<opinion_answer::Model>> {
    let mut rows = children::<AnswersOfOpinion>(loaders(ctx)?, opinion).await?;
    rows.sort_by_key(|a| a.id);
    Ok(rows)
}

/// An answer to a resident's opinion.
pub struct OpinionAnswer(pub opinion_answer::Model);

/// An answer to a resident's opinion.
#[Object]
impl OpinionAnswer {
    /// What was answered.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// Who answered (display name).
    async fn answered_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.answered_by).await
    }
    /// When.
    async fn answered_at(&self) -> DateTime<Utc> {
        self.0.answered_at
    }
}

/// Whether the caller may read opinion `o`.
pub async fn may_read_opinion(ctx: &Context<'_>, o: &opinion::Model) -> Result<bool> {
    let scope = Scope::of_compound(db(ctx)?, o.compound_id).await?;
    Ok(opinions::may_read(caller(ctx), o, &scope))
}

/// Notices of `compound` newest first; only those in force unless `include_expired`.
async fn notices_of(
    ctx: &Context<'_>,
    compound: i64,
    include_expired: bool,
    pinned_only: bool,
    args: PageArgs,
) -> Result<NoticeConnection> {
    let mut select = notice::Entity::find().filter(notice::Column::CompoundId.eq(compound));
    if !include_expired {
        select = select.filter(
            Condition::any()
                .add(notice::Column::ExpiresOn.is_null())
                .add(notice::Column::ExpiresOn.gt(today(ctx)?)),
        );
    }
    if pinned_only {
        select = select.filter(notice::Column::Pinned.eq(true));
    }
    paginate_newest_first(db(ctx)?, select, args, Notice).await
}

/// A compound's notices and residents' opinions.
pub struct CompoundNotices(pub Arc<compound::Model>);

/// A compound's notices and residents' opinions.
#[Object]
impl CompoundNotices {
    /// The compound's notices (公告), newest first; by default only those in force. Show
    /// `pinnedNotices` above them.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn notices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Include notices that have expired.", default = false)]
        include_expired: bool,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<NoticeConnection> {
        notices_of(
            ctx,
            self.0.id,
            include_expired,
            false,
            page(first, after, last, before),
        )
        .await
    }
    /// The compound's pinned notices in force, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn pinned_notices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<NoticeConnection> {
        notices_of(
            ctx,
            self.0.id,
            false,
            true,
            page(first, after, last, before),
        )
        .await
    }
    /// Residents' opinions about the compound, newest first, for those who may read them
    /// (its three parties and the staff above).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn opinions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those in this status.")] status: Option<OpinionStatus>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<OpinionConnection> {
        let scope = Scope::of_compound(db(ctx)?, self.0.id).await?;
        caller(ctx).may_read(Permission::ReadOpinions, &scope)?;
        let mut select = opinion::Entity::find().filter(opinion::Column::CompoundId.eq(self.0.id));
        if let Some(s) = status {
            select = select.filter(opinion::Column::Status.eq(s));
        }
        paginate_newest_first(db(ctx)?, select, page(first, after, last, before), Opinion).await
    }
}

/// Queries of notices and opinions.
#[derive(Default)]
pub struct NoticesQuery;

/// Queries of notices and opinions.
#[Object]
impl NoticesQuery {
    /// The caller's own opinions, newest first: those they gave, and those recorded for them.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn my_opinions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<OpinionConnection> {
        let actor = caller(ctx).actor()?;
        let mut mine = Condition::any().add(opinion::Column::RecordedBy.eq(actor.account_id));
        if let Some(p) = actor.person_id {
            mine = mine.add(opinion::Column::PersonId.eq(p));
        }
        let select = opinion::Entity::find().filter(mine);
        paginate_newest_first(db(ctx)?, select, page(first, after, last, before), Opinion).await
    }
}

/// Input of `publishNotice`.
#[derive(InputObject)]
pub struct PublishNoticeInput {
    /// The compound whose residents it is for.
    pub compound_id: ID,
    /// Which party publishes it: the caller must speak for it over the compound.
    pub publisher: NoticePublisher,
    /// Its title (at most 100 characters).
    pub title: String,
    /// Its text (at most 20,000 characters).
    pub body: String,
    /// Shown above the others.
    #[graphql(default)]
    pub pinned: bool,
    /// The first day it is no longer shown (after today), if it expires.
    pub expires_on: Option<Date>,
}

/// Input of `pinNotice`.
#[derive(InputObject)]
pub struct PinNoticeInput {
    /// The notice.
    pub notice_id: ID,
    /// Pinned above the others, or not.
    pub pinned: bool,
}

/// Input of `recordOpinion`.
#[derive(InputObject)]
pub struct RecordOpinionInput {
    /// The compound it is about.
    pub compound_id: ID,
    /// The building it concerns; chiefs and grid workers name the one they collected it in.
    pub building_id: Option<ID>,
    /// The resident it is from, when a chief, grid worker or staff member records it for them;
    /// a resident giving their own leaves it out.
    pub person_id: Option<ID>,
    /// What the resident says (at most 20,000 characters).
    pub text: String,
}

/// Input of `answerOpinion`.
#[derive(InputObject)]
pub struct AnswerOpinionInput {
    /// The opinion.
    pub opinion_id: ID,
    /// The answer, shown to the resident with who gave it (at most 20,000 characters).
    pub text: String,
}

payload!(
    /// Result of publishing or pinning a notice.
    NoticePayload {
        /// The notice as saved.
        notice: Notice
    }
);
payload!(
    /// Result of `recordOpinion`.
    OpinionPayload {
        /// The opinion as recorded.
        opinion: Opinion
    }
);
payload!(
    /// Result of `answerOpinion`.
    OpinionAnswerPayload {
        /// The answer as recorded.
        answer: OpinionAnswer
    }
);

/// Mutations of notices and opinions.
#[derive(Default)]
pub struct NoticesMutation;

/// Mutations of notices and opinions.
#[Object]
impl NoticesMutation {
    /// Publishes a notice (公告) to a compound's residents, for its owners' committee, party
    /// branch or property company: one the compound has today (a committee within its term,
    /// a branch not dissolved, a company under a contract in force), else a user error on
    /// `publisher`.
    async fn publish_notice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: PublishNoticeInput,
    ) -> Result<NoticePayload> {
        let outcome = mutate(ctx, async |uow| {
            let n = NewNotice {
                compound_id: input_id(&input.compound_id, NodeKind::Compound, "compound_id")?,
                publisher: input.publisher,
                title: Name::parse(&input.title, "title")?,
                body: input.body.clone(),
                pinned: input.pinned,
                expires_on: input.expires_on.map(|d| d.0),
            };
            notices::publish(uow, n).await
        })
        .await?;
        Ok(outcome.map(Notice).into())
    }

    /// Pins a notice above the others, or takes its pin off; only for its publisher.
    async fn pin_notice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: PinNoticeInput,
    ) -> Result<NoticePayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.notice_id, NodeKind::Notice, "notice_id")?;
            notices::pin(uow, id, input.pinned).await
        })
        .await?;
        Ok(outcome.map(Notice).into())
    }

    /// Records a resident's opinion (社情民意): a resident's own, or one a chief, grid worker or
    /// staff member collected.
    async fn record_opinion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RecordOpinionInput,
    ) -> Result<OpinionPayload> {
        let outcome = mutate(ctx, async |uow| {
            let o = NewOpinion {
                compound_id: input_id(&input.compound_id, NodeKind::Compound, "compound_id")?,
                building_id: input_id_opt(
                    input.building_id.as_ref(),
                    NodeKind::Building,
                    "building_id",
                )?,
                person_id: input_id_opt(input.person_id.as_ref(), NodeKind::Person, "person_id")?,
                text: input.text.clone(),
            };
            opinions::record(uow, o).await
        })
        .await?;
        Ok(outcome.map(Opinion).into())
    }

    /// Answers a resident's opinion; a later answer supersedes an earlier one, which stays
    /// readable.
    async fn answer_opinion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AnswerOpinionInput,
    ) -> Result<OpinionAnswerPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.opinion_id, NodeKind::Opinion, "opinion_id")?;
            opinions::answer(uow, id, input.text.clone()).await
        })
        .await?;
        Ok(outcome.map(OpinionAnswer).into())
    }
}

/// Live feeds of notices and projects.
#[derive(Default)]
pub struct NoticesSubscription;

/// Live feeds of notices and projects.
#[Subscription]
impl NoticesSubscription {
    /// New notices of a compound, as they are published.
    async fn compound_notices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The compound.")] compound_id: ID,
    ) -> Result<impl Stream<Item = Result<Notice>>> {
        let id = arg_id(&compound_id, NodeKind::Compound)?;
        let db = db(ctx)?.clone();
        let events = hub(ctx)?.subscribe();
        crate::domain::store::find::<compound::Entity>(&db, id, "compound").await?;
        let wakes = move |e: &DecisionEvent| matches!(e, DecisionEvent::NoticePublished { compound_id, .. } if *compound_id == id);
        Ok(newer_rows::<notice::Entity, _>(
            db,
            events,
            notice::Column::CompoundId,
            id,
            wakes,
            Notice,
        )
        .await?)
    }

    /// A people's-small-things project as it moves: the project at once, then again after
    /// every change (a new status, progress, spending, a budget raise).
    async fn project_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project.")] project_id: ID,
    ) -> Result<impl Stream<Item = Result<Project>>> {
        let id = arg_id(&project_id, NodeKind::Project)?;
        let wakes = move |e: &DecisionEvent| matches!(e, DecisionEvent::ProjectChanged { project_id, .. } if *project_id == id);
        Ok(row_changes::<project::Entity, _>(
            db(ctx)?.clone(),
            hub(ctx)?.subscribe(),
            id,
            "project",
            wakes,
            Project,
        )
        .await?)
    }
}
