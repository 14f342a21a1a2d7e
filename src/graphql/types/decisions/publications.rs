//! Publications (公示) to a compound's residents, objections lodged against
//! them and the council's answers, with the mutations that correct a
//! publication and lodge and answer objections, the live stream of a
//! compound's new publications and the `publications` of a compound.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, Result, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;

use super::newer_rows;
use crate::domain::access::{Caller, Permission};
use crate::domain::event::DecisionEvent;
use crate::domain::kinds::PublicationKind;
use crate::domain::values::Name;
use crate::entity::{
    assembly_vote, compound, council_matter, objection, objection_answer, person, publication,
};
use crate::graphql::id::{NodeKind, arg_id, encode, input_id};
use crate::graphql::loaders::{
    AnswersOfObjection, CorrectionsOfPublication, ObjectionsOfPublication, by_id, by_id_opt,
    children,
};
use crate::graphql::pagination::{
    ObjectionConnection, PageArgs, PublicationConnection, cost, page_of_children,
};
use crate::graphql::scalars::Date;
use crate::graphql::types::decisions::{AssemblyVote, CouncilMatter, may_read_in, username};
use crate::graphql::types::people::Person;
use crate::graphql::types::{Compound, page};
use crate::graphql::{caller, clock, db, hub, loaders, mutate, payload};

/// A publication (公示) to a compound's residents.
pub struct Publication(pub publication::Model);

/// A publication (公示) to a compound's residents.
#[Object]
impl Publication {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Publication, self.0.id)
    }
    /// What it publishes.
    async fn kind(&self) -> PublicationKind {
        self.0.kind
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Text.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// First day of publication.
    async fn published_on(&self) -> Date {
        self.0.published_on.into()
    }
    /// Last day of the publicity period, inclusive.
    async fn publicity_ends_on(&self) -> Date {
        self.0.publicity_ends_on.into()
    }
    /// Whether residents may object today.
    async fn open_for_objections(&self, ctx: &Context<'_>) -> Result<bool> {
        let d = clock(ctx)?.today();
        Ok(self.0.published_on <= d && d <= self.0.publicity_ends_on)
    }
    /// The compound.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound::new))
    }
    /// The council matter it comes from.
    async fn matter(&self, ctx: &Context<'_>) -> Result<Option<CouncilMatter>> {
        Ok(
            by_id_opt::<council_matter::Entity>(loaders(ctx)?, self.0.matter_id)
                .await?
                .map(CouncilMatter),
        )
    }
    /// The vote whose result it publishes.
    async fn vote(&self, ctx: &Context<'_>) -> Result<Option<AssemblyVote>> {
        Ok(
            by_id_opt::<assembly_vote::Entity>(loaders(ctx)?, self.0.vote_id)
                .await?
                .map(AssemblyVote),
        )
    }
    /// The publication this one corrects.
    async fn corrects(&self, ctx: &Context<'_>) -> Result<Option<Publication>> {
        Ok(
            by_id_opt::<publication::Entity>(loaders(ctx)?, self.0.corrects_id)
                .await?
                .map(Publication),
        )
    }
    /// Corrections of this publication, oldest first.
    async fn corrections(&self, ctx: &Context<'_>) -> Result<Vec<Publication>> {
        Ok(
            children::<CorrectionsOfPublication>(loaders(ctx)?, self.0.id)
                .await?
                .into_iter()
                .map(Publication)
                .collect(),
        )
    }
    /// Objections lodged against it, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn objections(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<ObjectionConnection> {
        page_of_children::<ObjectionsOfPublication, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Objection,
        )
        .await
    }
    /// Who published it.
    async fn published_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.published_by).await
    }
}

/// A resident's objection to a publication.
pub struct Objection(pub objection::Model);

/// A resident's objection to a publication.
#[Object]
impl Objection {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Objection, self.0.id)
    }
    /// What the resident objects to.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// When it was lodged.
    async fn lodged_at(&self) -> DateTime<Utc> {
        self.0.lodged_at
    }
    /// The resident who objected: shown to those who run the council and to the resident; null for others.
    async fn lodged_by(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let c = caller(ctx);
        let own = matches!(c, Caller::Account(a) if a.person_id == Some(self.0.person_id));
        if !own && !may_read_in(ctx, Permission::ReadObjectors, self.0.compound_id).await? {
            return Ok(None);
        }
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
    /// Whether it has been answered.
    async fn answered(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(!children::<AnswersOfObjection>(loaders(ctx)?, self.0.id)
            .await?
            .is_empty())
    }
    /// The answers, oldest first; the last is the standing one.
    async fn answers(&self, ctx: &Context<'_>) -> Result<Vec<ObjectionAnswer>> {
        Ok(children::<AnswersOfObjection>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(ObjectionAnswer)
            .collect())
    }
}

/// The council's answer to an objection.
pub struct ObjectionAnswer(pub objection_answer::Model);

/// The council's answer to an objection.
#[Object]
impl ObjectionAnswer {
    /// The answer.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// When it was given.
    async fn answered_at(&self) -> DateTime<Utc> {
        self.0.answered_at
    }
    /// Who gave it.
    async fn answered_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.answered_by).await
    }
}

/// A compound's publications, newest first.
pub async fn publications_of(
    ctx: &Context<'_>,
    compound_id: i64,
    args: PageArgs,
) -> Result<PublicationConnection> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let select =
        publication::Entity::find().filter(publication::Column::CompoundId.eq(compound_id));
    crate::graphql::pagination::paginate_newest_first(db(ctx)?, select, args, Publication).await
}

/// The publications of a compound.
pub struct CompoundPublications(pub Arc<compound::Model>);

/// The publications of a compound.
#[Object]
impl CompoundPublications {
    /// Publications (公示) to its residents, newest first: resolutions, implementation results, vote results.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn publications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<PublicationConnection> {
        publications_of(ctx, self.0.id, page(first, after, last, before)).await
    }
}

/// Input of `correctPublication`: a corrected publication; the original stays readable.
#[derive(InputObject)]
pub struct CorrectPublicationInput {
    /// The publication to correct.
    pub publication_id: ID,
    /// Corrected title (at most 100 characters).
    pub title: String,
    /// Corrected text (at most 20,000 characters).
    pub text: String,
}

/// Input of `lodgeObjection`.
#[derive(InputObject)]
pub struct LodgeObjectionInput {
    /// The publication, during its publicity period.
    pub publication_id: ID,
    /// The objection (at most 20,000 characters).
    pub text: String,
}

/// Input of `answerObjection`.
#[derive(InputObject)]
pub struct AnswerObjectionInput {
    /// The objection.
    pub objection_id: ID,
    /// The answer (at most 20,000 characters).
    pub text: String,
}

payload!(
    /// Result of correcting a publication.
    PublicationPayload {
        /// The new, corrected publication.
        publication: Publication
    }
);
payload!(
    /// Result of lodging or answering an objection.
    ObjectionPayload {
        /// The objection.
        objection: Objection
    }
);

/// Mutations of publications and objections.
#[derive(Default)]
pub struct PublicationsMutation;

/// Mutations of publications and objections.
#[Object]
impl PublicationsMutation {
    /// Publishes a correction of a publication; the original stays readable.
    async fn correct_publication(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CorrectPublicationInput,
    ) -> Result<PublicationPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(
                &input.publication_id,
                NodeKind::Publication,
                "publication_id",
            )?;
            let title = Name::parse(&input.title, "title")?;
            crate::domain::decisions::publications::correct_publication(uow, id, title, input.text)
                .await
        })
        .await?;
        Ok(outcome.map(Publication).into())
    }

    /// A resident of the compound objects to a publication during its publicity period.
    async fn lodge_objection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: LodgeObjectionInput,
    ) -> Result<ObjectionPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(
                &input.publication_id,
                NodeKind::Publication,
                "publication_id",
            )?;
            crate::domain::decisions::publications::lodge_objection(uow, id, input.text).await
        })
        .await?;
        Ok(outcome.map(Objection).into())
    }

    /// The council answers an objection.
    async fn answer_objection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AnswerObjectionInput,
    ) -> Result<ObjectionPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.objection_id, NodeKind::Objection, "objection_id")?;
            crate::domain::decisions::publications::answer_objection(uow, id, input.text).await?;
            crate::domain::store::find::<objection::Entity>(uow.db(), id, "objection").await
        })
        .await?;
        Ok(outcome.map(Objection).into())
    }
}

/// Live updates of publications.
#[derive(Default)]
pub struct PublicationsSubscription;

/// Live updates of publications.
#[Subscription]
impl PublicationsSubscription {
    /// New publications of a compound, as they appear.
    async fn compound_publications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The compound.")] compound_id: ID,
    ) -> Result<impl Stream<Item = Result<Publication>>> {
        let id = arg_id(&compound_id, NodeKind::Compound)?;
        let db = db(ctx)?.clone();
        let events = hub(ctx)?.subscribe();
        crate::domain::store::find::<compound::Entity>(&db, id, "compound").await?;
        let wakes = move |e: &DecisionEvent| matches!(e, DecisionEvent::Published { compound_id, .. } if *compound_id == id);
        Ok(newer_rows::<publication::Entity, _>(
            db,
            events,
            publication::Column::CompoundId,
            id,
            wakes,
            Publication,
        )
        .await?)
    }
}
