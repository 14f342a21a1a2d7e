//! Demonstration-compound evaluation at the GraphQL edge: rubrics, their
//! versions, aspects and indicators, the rubric queries and the mutations
//! that save, load and publish them.
//!
//! Published versions are public: they are the criteria compounds are
//! held to. Drafts are shown only to those who keep the rubrics
//! (`domain::evaluation::rubrics::may_read`). No rule lives here.

mod campaigns;
mod management;

pub use campaigns::{
    CampaignEntry, CampaignMutation, CampaignQuery, CampaignStanding, CampaignSubscription,
    EvaluationCampaign, EvaluationTitle, EvaluatorAssignment, ScoreLine, ScoreSheet,
};
pub use management::{
    ManagementMutation, ManagementQuery, NoticeLine, Rectification, SelfInspection,
    SelfInspectionFinding, StarRating, StarRatingRound,
};

use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::evaluation::rubrics::{
    self, AspectDocument, Format, IndicatorDocument, RubricDocument,
};
use crate::domain::kinds::{EvaluationKind, RubricStatus};
use crate::entity::{
    rubric, rubric_aspect as aspect, rubric_indicator as indicator, rubric_version as version,
};
use crate::error::AppError;
use crate::graphql::id::{NodeKind, encode, input_id};
use crate::graphql::loaders::{
    AspectsOfRubricVersion, IndicatorsOfRubricAspect, IndicatorsOfRubricVersion, VersionsOfRubric,
    by_id, children,
};
use crate::graphql::pagination::{
    RubricConnection, RubricVersionConnection, cost, paginate, paginate_loaded,
};
use crate::graphql::types::decisions::username;
use crate::graphql::types::page;
use crate::graphql::{caller, db, loaders, mutate, payload};

/// The text format of a rubric document (`docs/RUBRICS.md`).
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum RubricFormat {
    /// TOML, as the shipped rubrics are written.
    Toml,
    /// JSON, of the same structure.
    Json,
}

impl From<RubricFormat> for Format {
    fn from(f: RubricFormat) -> Self {
        match f {
            RubricFormat::Toml => Format::Toml,
            RubricFormat::Json => Format::Json,
        }
    }
}

/// An evaluation rubric (评价标准): what compounds are scored against, named by a stable
/// code, with every version kept.
pub struct Rubric(pub rubric::Model);

/// The versions of `r` the caller may read, newest first.
async fn versions_of(ctx: &Context<'_>, r: &rubric::Model) -> Result<Vec<version::Model>> {
    let mut rows = children::<VersionsOfRubric>(loaders(ctx)?, r.id).await?;
    rows.retain(|v| rubrics::may_read(caller(ctx), v));
    rows.sort_by_key(|v| std::cmp::Reverse(v.number));
    Ok(rows)
}

/// An evaluation rubric (评价标准): what compounds are scored against, named by a stable
/// code, with every version kept.
#[Object]
impl Rubric {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Rubric, self.0.id)
    }
    /// Its stable code, such as `demonstration-compound`: a document with this code saves a
    /// new version of this rubric.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The title its campaigns award.
    async fn kind(&self) -> EvaluationKind {
        self.0.kind
    }
    /// Whether the product ships it (installed with no account behind it).
    async fn shipped(&self) -> bool {
        self.0.created_by.is_none()
    }
    /// The newest published version, the one a new campaign would pin; null until one is
    /// published.
    async fn current(&self, ctx: &Context<'_>) -> Result<Option<RubricVersion>> {
        Ok(versions_of(ctx, &self.0)
            .await?
            .into_iter()
            .find(|v| v.status == RubricStatus::Published)
            .map(RubricVersion))
    }
    /// The draft being prepared, if any; only for those who keep the rubrics.
    async fn draft(&self, ctx: &Context<'_>) -> Result<Option<RubricVersion>> {
        Ok(versions_of(ctx, &self.0)
            .await?
            .into_iter()
            .find(|v| v.status == RubricStatus::Draft)
            .map(RubricVersion))
    }
    /// Its versions by number, oldest first: the published ones, and the draft for those who
    /// keep the rubrics.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn versions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<RubricVersionConnection> {
        let rows = versions_of(ctx, &self.0).await?;
        paginate_loaded(
            rows,
            page(first, after, last, before),
            |v| i64::from(v.number),
            RubricVersion,
        )
        .await
    }
    /// When it was begun.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// One version of a rubric: a draft, or published and never changed again.
pub struct RubricVersion(pub version::Model);

/// One version of a rubric: a draft, or published and never changed again.
#[Object]
impl RubricVersion {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::RubricVersion, self.0.id)
    }
    /// The rubric.
    async fn rubric(&self, ctx: &Context<'_>) -> Result<Option<Rubric>> {
        Ok(by_id::<rubric::Entity>(loaders(ctx)?, self.0.rubric_id)
            .await?
            .map(Rubric))
    }
    /// Its number, from 1.
    async fn number(&self) -> i32 {
        self.0.number
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What it changes, or where it comes from.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Whether it is an example a city is expected to replace with its own (the shipped
    /// epidemic-free rubric is: the seeds list no indicator).
    async fn example(&self) -> bool {
        self.0.example
    }
    /// Draft or published.
    async fn status(&self) -> RubricStatus {
        self.0.status
    }
    /// The most a compound can score: the sum of its indicators' maximum scores.
    async fn max_total(&self) -> i32 {
        self.0.max_total
    }
    /// Its aspects, in order (at most 20).
    async fn aspects(&self, ctx: &Context<'_>) -> Result<Vec<RubricAspect>> {
        let mut rows = children::<AspectsOfRubricVersion>(loaders(ctx)?, self.0.id).await?;
        rows.sort_by_key(|a| a.position);
        Ok(rows.into_iter().map(RubricAspect).collect())
    }
    /// The version as a document that loads back to the same content (`loadRubric`): to
    /// start a city's own rubric from this one.
    async fn document(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The format.", default_with = "RubricFormat::Toml")] format: RubricFormat,
    ) -> Result<String> {
        // Through the loaders `aspects` reads too: a list of versions costs
        // the same few statements as one.
        let l = loaders(ctx)?;
        let r = by_id::<rubric::Entity>(l, self.0.rubric_id)
            .await?
            .ok_or_else(|| AppError::NotFound("rubric".into()))?;
        let aspects = children::<AspectsOfRubricVersion>(l, self.0.id).await?;
        let indicators = children::<IndicatorsOfRubricVersion>(l, self.0.id).await?;
        let content = rubrics::Content::ordered(aspects, indicators);
        Ok(rubrics::render(format.into(), &r, &self.0, &content)?)
    }
    /// When it was saved (last, for a draft).
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Who saved it (display name); null for a shipped rubric.
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        match self.0.created_by {
            Some(a) => username(ctx, a).await,
            None => Ok(None),
        }
    }
    /// When it was published; null for a draft.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// Who published it (display name); null for a draft or a shipped rubric.
    async fn published_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        match self.0.published_by {
            Some(a) => username(ctx, a).await,
            None => Ok(None),
        }
    }
}

/// An aspect of a rubric version (方面).
pub struct RubricAspect(pub aspect::Model);

/// An aspect of a rubric version (方面).
#[Object]
impl RubricAspect {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::RubricAspect, self.0.id)
    }
    /// Its place in the version, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What it covers.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The most a compound can score on it.
    async fn max_total(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(indicators_of(ctx, self.0.id)
            .await?
            .iter()
            .map(|i| i.max_score)
            .sum())
    }
    /// Its indicators, in order (at most 50).
    async fn indicators(&self, ctx: &Context<'_>) -> Result<Vec<RubricIndicator>> {
        Ok(indicators_of(ctx, self.0.id)
            .await?
            .into_iter()
            .map(RubricIndicator)
            .collect())
    }
}

async fn indicators_of(ctx: &Context<'_>, aspect_id: i64) -> Result<Vec<indicator::Model>> {
    let mut rows = children::<IndicatorsOfRubricAspect>(loaders(ctx)?, aspect_id).await?;
    rows.sort_by_key(|i| i.position);
    Ok(rows)
}

/// An indicator (指标): what an evaluator scores, in whole points up to its maximum.
pub struct RubricIndicator(pub indicator::Model);

/// An indicator (指标): what an evaluator scores, in whole points up to its maximum.
#[Object]
impl RubricIndicator {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::RubricIndicator, self.0.id)
    }
    /// Its place in its aspect, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// What is scored.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// How evaluators score it.
    async fn guidance(&self) -> &str {
        &self.0.guidance
    }
    /// The most an evaluator may give, in whole points.
    async fn max_score(&self) -> i32 {
        self.0.max_score
    }
    /// Its aspect.
    async fn aspect(&self, ctx: &Context<'_>) -> Result<Option<RubricAspect>> {
        Ok(by_id::<aspect::Entity>(loaders(ctx)?, self.0.aspect_id)
            .await?
            .map(RubricAspect))
    }
}

/// Whether the caller may see `v`'s version (and so its aspects and indicators).
pub async fn may_read_version(ctx: &Context<'_>, version_id: i64) -> Result<bool> {
    Ok(by_id::<version::Entity>(loaders(ctx)?, version_id)
        .await?
        .is_some_and(|v| rubrics::may_read(caller(ctx), &v)))
}

/// Queries of evaluation.
#[derive(Default)]
pub struct EvaluationQuery;

/// Queries of evaluation.
#[Object]
impl EvaluationQuery {
    /// The evaluation rubrics, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn rubrics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only rubrics of this kind.")] kind: Option<EvaluationKind>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<RubricConnection> {
        let mut select = rubric::Entity::find();
        if let Some(k) = kind {
            select = select.filter(rubric::Column::Kind.eq(k));
        }
        paginate(db(ctx)?, select, page(first, after, last, before), Rubric).await
    }
    /// The rubric of this code, if there is one.
    async fn rubric(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code, such as `demonstration-compound` (at most 64 characters).")]
        code: String,
    ) -> Result<Option<Rubric>> {
        if code.trim().chars().count() > rubrics::MAX_CODE_LEN {
            return Err(AppError::BadRequest(format!(
                "a rubric's code is at most {} characters",
                rubrics::MAX_CODE_LEN
            ))
            .into());
        }
        Ok(rubric::Entity::find()
            .filter(rubric::Column::Code.eq(code.trim()))
            .one(db(ctx)?)
            .await?
            .map(Rubric))
    }
}

/// An indicator as given to `saveRubricDraft`.
#[derive(InputObject)]
pub struct RubricIndicatorInput {
    /// What is scored (at most 100 characters).
    pub title: String,
    /// The most an evaluator may give, 1 to 1,000 whole points.
    pub max_score: i32,
    /// How evaluators score it (at most 20,000 characters).
    pub guidance: String,
}

/// An aspect as given to `saveRubricDraft`.
#[derive(InputObject)]
pub struct RubricAspectInput {
    /// Its title (at most 100 characters).
    pub title: String,
    /// What it covers (at most 20,000 characters).
    #[graphql(default)]
    pub description: String,
    /// Its indicators, in order (1 to 50).
    pub indicators: Vec<RubricIndicatorInput>,
}

/// Input of `saveRubricDraft`: the same structure as a rubric document (`docs/RUBRICS.md`).
#[derive(InputObject)]
pub struct SaveRubricDraftInput {
    /// The rubric's stable code, at most 64 characters: lower-case letters, digits and dashes. A
    /// new code begins a rubric.
    pub code: String,
    /// The name of this version (at most 100 characters).
    pub name: String,
    /// The title its campaigns award; a rubric's kind never changes.
    pub kind: EvaluationKind,
    /// An example a city is expected to replace with its own.
    #[graphql(default)]
    pub example: bool,
    /// What this version changes, or where it comes from (at most 20,000 characters).
    pub note: Option<String>,
    /// Its aspects, in order (1 to 20).
    pub aspects: Vec<RubricAspectInput>,
}

impl SaveRubricDraftInput {
    fn document(&self) -> RubricDocument {
        RubricDocument {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind,
            example: self.example,
            note: self.note.clone(),
            aspects: self
                .aspects
                .iter()
                .map(|a| AspectDocument {
                    title: a.title.clone(),
                    description: a.description.clone(),
                    indicators: a
                        .indicators
                        .iter()
                        .map(|i| IndicatorDocument {
                            title: i.title.clone(),
                            max_score: i64::from(i.max_score),
                            guidance: i.guidance.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Input of `loadRubric`.
#[derive(InputObject)]
pub struct LoadRubricInput {
    /// The document's format.
    pub format: RubricFormat,
    /// The rubric document (`docs/RUBRICS.md`): at most 262,144 characters.
    pub document: String,
    /// Publish the version at once, instead of leaving it a draft.
    #[graphql(default)]
    pub publish: bool,
}

/// Input of `publishRubricVersion`.
#[derive(InputObject)]
pub struct PublishRubricVersionInput {
    /// The draft version.
    pub version_id: ID,
}

payload!(
    /// Result of saving, loading or publishing a rubric version.
    RubricVersionPayload {
        /// The version as saved.
        version: RubricVersion
    }
);

/// Mutations of evaluation.
#[derive(Default)]
pub struct EvaluationMutation;

/// Mutations of evaluation.
#[Object]
impl EvaluationMutation {
    /// Saves a rubric's draft from its content: begins the rubric if its code is new,
    /// replaces the content of its open draft, or opens a new draft after its last published
    /// version, which never changes. For those who keep the rubrics (platform-wide).
    async fn save_rubric_draft(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: SaveRubricDraftInput,
    ) -> Result<RubricVersionPayload> {
        let outcome = mutate(ctx, async |uow| {
            Ok(rubrics::save_draft(uow, &input.document()).await?.version)
        })
        .await?;
        Ok(outcome.map(RubricVersion).into())
    }

    /// Loads a rubric from a TOML or JSON document (`docs/RUBRICS.md`) as its draft, as
    /// `saveRubricDraft` does, and publishes it at once when asked. A document that does not
    /// parse is a user error on `document` naming the line.
    async fn load_rubric(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: LoadRubricInput,
    ) -> Result<RubricVersionPayload> {
        let outcome = mutate(ctx, async |uow| {
            rubrics::load(uow, input.format.into(), &input.document, input.publish).await
        })
        .await?;
        Ok(outcome.map(RubricVersion).into())
    }

    /// Publishes a draft version: from then on it never changes, and campaigns may pin it.
    /// A published version answers `INVALID_STATE`.
    async fn publish_rubric_version(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: PublishRubricVersionInput,
    ) -> Result<RubricVersionPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.version_id, NodeKind::RubricVersion, "version_id")?;
            rubrics::publish(uow, id).await
        })
        .await?;
        Ok(outcome.map(RubricVersion).into())
    }
}
