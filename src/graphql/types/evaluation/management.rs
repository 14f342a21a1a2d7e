//! Dynamic management, self-inspection and star ratings at the GraphQL
//! edge: filing and revoking titles, rectifications and re-evaluation,
//! a compound's self-inspections, and the quarterly star-rating rounds.
//! No rule lives here (`domain::evaluation::{titles, inspections,
//! star_ratings}`).
//!
//! Public: rectifications (a revocation is public, and so is what
//! follows it) and published star-rating rounds with their notice.
//! Restricted: self-inspections (the compound's parties and the staff over
//! it) and a round still being rated (the subdistrict's staff).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use crate::config::Config;
use crate::domain::access::Scope;
use crate::domain::evaluation::inspections::{self, NewFinding, NewInspection};
use crate::domain::evaluation::star_ratings::{self, NewRound};
use crate::domain::evaluation::titles::{self, Reevaluation, Revocation};
use crate::domain::kinds::{RectificationOutcome, RectificationStatus, StarRoundStatus};
use crate::domain::values::Name;
use crate::entity::{
    compound, property_company, rectification, rubric_indicator as indicator, rubric_version,
    self_inspection as inspection, self_inspection_finding as finding, star_rating as rating,
    star_rating_round as round, subdistrict,
};
use crate::error::AppError;
use crate::graphql::id::{NodeKind, arg_id, encode, input_id, input_id_opt};
use crate::graphql::loaders::{FindingsOfInspection, by_id, by_id_opt, by_ids, children};
use crate::graphql::pagination::{
    SelfInspectionConnection, StarRatingConnection, StarRatingRoundConnection, cost,
    paginate_loaded, paginate_newest_first,
};
use crate::graphql::scalars::Date;
use crate::graphql::types::Compound;
use crate::graphql::types::decisions::username;
use crate::graphql::types::evaluation::{EvaluationTitle, RubricIndicator, RubricVersion};
use crate::graphql::types::page;
use crate::graphql::types::parties::PropertyCompany;
use crate::graphql::types::register::Subdistrict;
use crate::graphql::{caller, db, loaders, mutate, payload};

/// The rectification (整改) a revocation opened: public, as the revocation is.
pub struct Rectification(pub rectification::Model);

/// The rectification (整改) a revocation opened: public, as the revocation is.
#[Object]
impl Rectification {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Rectification, self.0.id)
    }
    /// The revoked title.
    async fn title(&self, ctx: &Context<'_>) -> Result<Option<EvaluationTitle>> {
        Ok(
            by_id::<crate::entity::evaluation_title::Entity>(loaders(ctx)?, self.0.title_id)
                .await?
                .map(EvaluationTitle),
        )
    }
    /// Why the title was revoked: what is below the standard.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// The day the plan is due by.
    async fn deadline(&self) -> Date {
        Date(self.0.deadline)
    }
    /// Open (a plan is owed), planned, or closed by re-evaluation.
    async fn status(&self) -> RectificationStatus {
        self.0.status
    }
    /// The holder's rectification plan.
    async fn plan(&self) -> Option<&str> {
        self.0.plan.as_deref()
    }
    /// When the plan was put on record.
    async fn plan_at(&self) -> Option<DateTime<Utc>> {
        self.0.plan_at
    }
    /// What the re-evaluation found: restored or not.
    async fn outcome(&self) -> Option<RectificationOutcome> {
        self.0.outcome
    }
    /// The re-evaluation's findings.
    async fn findings(&self) -> Option<&str> {
        self.0.findings.as_deref()
    }
    /// The re-evaluation's total against the title's rubric, if scored.
    async fn score(&self) -> Option<i32> {
        self.0.score
    }
    /// The title the re-evaluation restored.
    async fn restored_title(&self, ctx: &Context<'_>) -> Result<Option<EvaluationTitle>> {
        Ok(by_id_opt::<crate::entity::evaluation_title::Entity>(
            loaders(ctx)?,
            self.0.restored_title_id,
        )
        .await?
        .map(EvaluationTitle))
    }
    /// When it was re-evaluated.
    async fn reevaluated_at(&self) -> Option<DateTime<Utc>> {
        self.0.reevaluated_at
    }
    /// When the revocation opened it.
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.opened_at
    }
}

/// A compound's self-inspection (自查自纠), with its findings.
pub struct SelfInspection(pub inspection::Model);

/// A compound's self-inspection (自查自纠), with its findings.
#[Object]
impl SelfInspection {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::SelfInspection, self.0.id)
    }
    /// The compound.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound::new))
    }
    /// The rubric version checked against; null for a free checklist.
    async fn rubric_version(&self, ctx: &Context<'_>) -> Result<Option<RubricVersion>> {
        Ok(
            by_id_opt::<rubric_version::Entity>(loaders(ctx)?, self.0.rubric_version_id)
                .await?
                .map(RubricVersion),
        )
    }
    /// What it was.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The day it was made.
    async fn inspected_on(&self) -> Date {
        Date(self.0.inspected_on)
    }
    /// Who recorded it (display name).
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.recorded_by).await
    }
    /// Its findings, in order (at most 200).
    async fn findings(&self, ctx: &Context<'_>) -> Result<Vec<SelfInspectionFinding>> {
        let mut rows = children::<FindingsOfInspection>(loaders(ctx)?, self.0.id).await?;
        rows.sort_by_key(|f| f.position);
        Ok(rows.into_iter().map(SelfInspectionFinding).collect())
    }
    /// How many findings are not fixed yet.
    async fn open_findings(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(children::<FindingsOfInspection>(loaders(ctx)?, self.0.id)
            .await?
            .iter()
            .filter(|f| f.fixed_on.is_none())
            .count() as i32)
    }
}

/// One finding of a self-inspection, and when it was fixed.
pub struct SelfInspectionFinding(pub finding::Model);

/// One finding of a self-inspection, and when it was fixed.
#[Object]
impl SelfInspectionFinding {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::SelfInspectionFinding, self.0.id)
    }
    /// Its place in the inspection, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// The indicator it concerns, for an inspection against a rubric.
    async fn indicator(&self, ctx: &Context<'_>) -> Result<Option<RubricIndicator>> {
        Ok(
            by_id_opt::<indicator::Entity>(loaders(ctx)?, self.0.indicator_id)
                .await?
                .map(RubricIndicator),
        )
    }
    /// What was found.
    async fn finding(&self) -> &str {
        &self.0.finding
    }
    /// The day it was fixed; null while open.
    async fn fixed_on(&self) -> Option<Date> {
        self.0.fixed_on.map(Date)
    }
    /// How it was fixed.
    async fn fix_note(&self) -> Option<&str> {
        self.0.fix_note.as_deref()
    }
}

/// One subdistrict's quarterly star rating (星级评定、每季评比) of its commodity-housing
/// compounds and their property companies.
pub struct StarRatingRound(pub round::Model);

/// One subdistrict's quarterly star rating (星级评定、每季评比) of its commodity-housing
/// compounds and their property companies.
#[Object]
impl StarRatingRound {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::StarRatingRound, self.0.id)
    }
    /// The subdistrict.
    async fn subdistrict(&self, ctx: &Context<'_>) -> Result<Option<Subdistrict>> {
        Ok(
            by_id::<subdistrict::Entity>(loaders(ctx)?, self.0.subdistrict_id)
                .await?
                .map(Subdistrict),
        )
    }
    /// The year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The quarter, 1 to 4.
    async fn quarter(&self) -> i32 {
        self.0.quarter
    }
    /// The most stars a compound may get (the configured scale when the round opened).
    async fn scale(&self) -> i32 {
        self.0.scale
    }
    /// How many of the lowest places the notice names.
    async fn bottom_count(&self) -> i32 {
        self.0.bottom_count
    }
    /// Being rated, or published.
    async fn status(&self) -> StarRoundStatus {
        self.0.status
    }
    /// When it was published.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// Its ratings, by place once published (ties share a place), by compound before; only
    /// the subdistrict's staff see a round still being rated.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn ratings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<StarRatingConnection> {
        if !star_ratings::may_read(db(ctx)?, caller(ctx), &self.0).await? {
            return Err(AppError::Forbidden(
                "a round being rated is seen by the subdistrict's staff only".into(),
            )
            .into());
        }
        let rows = star_ratings::ratings_of(db(ctx)?, self.0.id).await?;
        let numbered: Vec<(i64, rating::Model)> = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i as i64 + 1, r))
            .collect();
        paginate_loaded(
            numbered,
            page(first, after, last, before),
            |r| r.0,
            |r| StarRating(r.1),
        )
        .await
    }
    /// The notice (通报) of a published round: the compounds at the bottom of the ranking, each
    /// with its property company, lowest first; empty before publication.
    async fn notice(&self, ctx: &Context<'_>) -> Result<Vec<NoticeLine>> {
        if self.0.status != StarRoundStatus::Published {
            return Ok(Vec::new());
        }
        let mut rows: Vec<rating::Model> = star_ratings::ratings_of(db(ctx)?, self.0.id)
            .await?
            .into_iter()
            .filter(|r| r.named_in_notice)
            .collect();
        rows.reverse();
        let l = loaders(ctx)?;
        // Every compound and company in one load each.
        let ids: Vec<i64> = rows.iter().map(|r| r.compound_id).collect();
        let compounds: std::collections::HashMap<i64, String> = by_ids::<compound::Entity>(l, &ids)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        let ids: Vec<i64> = rows.iter().map(|r| r.company_id).collect();
        let companies: std::collections::HashMap<i64, String> =
            by_ids::<property_company::Entity>(l, &ids)
                .await?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect();
        let out = rows
            .into_iter()
            .map(|r| NoticeLine {
                rank: r.rank.unwrap_or_default(),
                compound_name: compounds.get(&r.compound_id).cloned().unwrap_or_default(),
                company_name: companies.get(&r.company_id).cloned().unwrap_or_default(),
                points: r.score.unwrap_or_default(),
                stars: r.stars.unwrap_or_default(),
            })
            .collect();
        Ok(out)
    }
}

/// One line of a star-rating notice (通报): a compound at the bottom, named with its company.
#[derive(SimpleObject)]
pub struct NoticeLine {
    /// Its place (ties share one).
    pub rank: i32,
    /// The compound's name.
    pub compound_name: String,
    /// Its property company's name.
    pub company_name: String,
    /// Its points, 0 to 100.
    pub points: i32,
    /// Its stars.
    pub stars: i32,
}

/// A compound's rating in a round, together with its property company.
pub struct StarRating(pub rating::Model);

/// A compound's rating in a round, together with its property company.
#[Object]
impl StarRating {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::StarRating, self.0.id)
    }
    /// The round.
    async fn round(&self, ctx: &Context<'_>) -> Result<Option<StarRatingRound>> {
        Ok(by_id::<round::Entity>(loaders(ctx)?, self.0.round_id)
            .await?
            .map(StarRatingRound))
    }
    /// The compound.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound::new))
    }
    /// The company under contract with it when the round opened.
    async fn company(&self, ctx: &Context<'_>) -> Result<Option<PropertyCompany>> {
        Ok(
            by_id::<property_company::Entity>(loaders(ctx)?, self.0.company_id)
                .await?
                .map(PropertyCompany),
        )
    }
    /// Its points, 0 to 100; null until rated.
    async fn points(&self) -> Option<i32> {
        self.0.score
    }
    /// Its stars, from 1 to the round's scale; null until rated.
    async fn stars(&self) -> Option<i32> {
        self.0.stars
    }
    /// The rater's note.
    async fn note(&self) -> &str {
        &self.0.note
    }
    /// Its place once the round is published, 1 the best; ties share a place.
    async fn rank(&self) -> Option<i32> {
        self.0.rank
    }
    /// Named at the bottom in the round's notice (通报).
    async fn named_in_notice(&self) -> bool {
        self.0.named_in_notice
    }
}

/// Queries of title management, self-inspection and star ratings.
#[derive(Default)]
pub struct ManagementQuery;

/// Queries of title management, self-inspection and star ratings.
#[Object]
impl ManagementQuery {
    /// A compound's self-inspections, newest first: for its three parties and the staff over
    /// it.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn self_inspections(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The compound.")] compound_id: ID,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<SelfInspectionConnection> {
        caller(ctx).actor()?;
        let id = arg_id(&compound_id, NodeKind::Compound)?;
        let scope = Scope::of_compound(db(ctx)?, id).await?;
        if !inspections::may_read(caller(ctx), &scope) {
            return Err(AppError::Forbidden(
                "a compound's self-inspections are its parties' and the staff's over it".into(),
            )
            .into());
        }
        let select = inspection::Entity::find().filter(inspection::Column::CompoundId.eq(id));
        paginate_newest_first(
            db(ctx)?,
            select,
            page(first, after, last, before),
            SelfInspection,
        )
        .await
    }

    /// Star-rating rounds, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn star_rating_rounds(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this subdistrict's.")] subdistrict_id: Option<ID>,
        #[graphql(desc = "Only this year's.")] year: Option<i32>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<StarRatingRoundConnection> {
        let mut select = round::Entity::find();
        if let Some(id) = &subdistrict_id {
            select =
                select.filter(round::Column::SubdistrictId.eq(arg_id(id, NodeKind::Subdistrict)?));
        }
        if let Some(y) = year {
            select = select.filter(round::Column::Year.eq(y));
        }
        paginate_newest_first(
            db(ctx)?,
            select,
            page(first, after, last, before),
            StarRatingRound,
        )
        .await
    }

    /// The published ratings of a property company (its rating history) or of a compound,
    /// newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn star_ratings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The company.")] company_id: Option<ID>,
        #[graphql(desc = "The compound.")] compound_id: Option<ID>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<StarRatingConnection> {
        let published = round::Entity::find()
            .select_only()
            .column(round::Column::Id)
            .filter(round::Column::Status.eq(StarRoundStatus::Published))
            .into_query()
            .to_owned();
        let mut select =
            rating::Entity::find().filter(rating::Column::RoundId.in_subquery(published));
        match (&company_id, &compound_id) {
            (Some(id), _) => {
                select = select
                    .filter(rating::Column::CompanyId.eq(arg_id(id, NodeKind::PropertyCompany)?));
                if let Some(c) = &compound_id {
                    select = select
                        .filter(rating::Column::CompoundId.eq(arg_id(c, NodeKind::Compound)?));
                }
            }
            (None, Some(c)) => {
                select =
                    select.filter(rating::Column::CompoundId.eq(arg_id(c, NodeKind::Compound)?));
            }
            (None, None) => {
                return Err(AppError::BadRequest(
                    "name the company or the compound whose ratings to list".into(),
                )
                .into());
            }
        }
        paginate_newest_first(
            db(ctx)?,
            select,
            page(first, after, last, before),
            StarRating,
        )
        .await
    }
}

/// Input of `fileEvaluationTitle`.
#[derive(InputObject)]
pub struct FileEvaluationTitleInput {
    /// The district-assessed title.
    pub title_id: ID,
}

/// Input of `revokeEvaluationTitle`.
#[derive(InputObject)]
pub struct RevokeEvaluationTitleInput {
    /// The title.
    pub title_id: ID,
    /// What is below the standard (at most 20,000 characters).
    pub reason: String,
    /// The day the holder's rectification plan is due by (after today).
    pub deadline: Date,
}

/// Input of `submitRectificationPlan`.
#[derive(InputObject)]
pub struct SubmitRectificationPlanInput {
    /// The rectification.
    pub rectification_id: ID,
    /// How the holder will rectify (at most 20,000 characters).
    pub plan: String,
}

/// Input of `reevaluateRectification`.
#[derive(InputObject)]
pub struct ReevaluateRectificationInput {
    /// The rectification, with its plan on record.
    pub rectification_id: ID,
    /// Restored, or not.
    pub outcome: RectificationOutcome,
    /// What the re-evaluation found (at most 20,000 characters).
    pub findings: String,
    /// Its total against the title's rubric version, if scored.
    pub score: Option<i32>,
}

/// A finding as recorded.
#[derive(InputObject)]
pub struct SelfInspectionFindingInput {
    /// The indicator it concerns, for an inspection against a rubric version.
    pub indicator_id: Option<ID>,
    /// What was found (at most 20,000 characters).
    pub finding: String,
}

/// Input of `recordSelfInspection`.
#[derive(InputObject)]
pub struct RecordSelfInspectionInput {
    /// The compound.
    pub compound_id: ID,
    /// The published rubric version checked against; omitted for a free checklist.
    pub rubric_version_id: Option<ID>,
    /// What it was (e.g. "2026年第四季度自查"), at most 100 characters.
    pub title: String,
    /// The day it was made (not after today).
    pub inspected_on: Date,
    /// What it found, in order (at most 200; none when nothing is below the standard).
    #[graphql(default)]
    pub findings: Vec<SelfInspectionFindingInput>,
}

/// Input of `fixSelfInspectionFinding`.
#[derive(InputObject)]
pub struct FixSelfInspectionFindingInput {
    /// The finding.
    pub finding_id: ID,
    /// The day it was fixed: from the inspection's day to today.
    pub fixed_on: Date,
    /// How (at most 20,000 characters).
    #[graphql(default)]
    pub note: String,
}

/// Input of `openStarRatingRound`.
#[derive(InputObject)]
pub struct OpenStarRatingRoundInput {
    /// The subdistrict.
    pub subdistrict_id: ID,
    /// The year (not after this year).
    pub year: i32,
    /// The quarter, 1 to 4.
    pub quarter: i32,
    /// How many of the lowest places the notice names (ties with the last included).
    pub bottom_count: i32,
}

/// Input of `rateCompound`.
#[derive(InputObject)]
pub struct RateCompoundInput {
    /// The rating to give (one per compound of the round).
    pub rating_id: ID,
    /// Points, 0 to 100; the stars follow on the round's scale.
    pub points: i32,
    /// A note (at most 20,000 characters).
    #[graphql(default)]
    pub note: String,
}

/// Input of `publishStarRatingRound`.
#[derive(InputObject)]
pub struct PublishStarRatingRoundInput {
    /// The round, every compound rated.
    pub round_id: ID,
}

payload!(
    /// Result of filing or revoking a title.
    TitleManagementPayload {
        /// The title as it now is.
        title: EvaluationTitle
    }
);

payload!(
    /// Result of a rectification move.
    RectificationPayload {
        /// The rectification as it now is.
        rectification: Rectification
    }
);

payload!(
    /// Result of `recordSelfInspection`.
    SelfInspectionPayload {
        /// The inspection.
        inspection: SelfInspection
    }
);

payload!(
    /// Result of `fixSelfInspectionFinding`.
    SelfInspectionFindingPayload {
        /// The finding.
        finding: SelfInspectionFinding
    }
);

payload!(
    /// Result of opening or publishing a star-rating round.
    StarRatingRoundPayload {
        /// The round.
        round: StarRatingRound
    }
);

payload!(
    /// Result of `rateCompound`.
    StarRatingPayload {
        /// The rating.
        rating: StarRating
    }
);

/// Mutations of title management, self-inspection and star ratings.
#[derive(Default)]
pub struct ManagementMutation;

/// Mutations of title management, self-inspection and star ratings.
#[Object]
impl ManagementMutation {
    /// The city files (备案) an epidemic-free title a district assessed: it is held from now
    /// on.
    async fn file_evaluation_title(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: FileEvaluationTitleInput,
    ) -> Result<TitleManagementPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.title_id, NodeKind::EvaluationTitle, "title_id")?;
            titles::file(uow, id).await
        })
        .await?;
        Ok(outcome.map(EvaluationTitle).into())
    }

    /// Revokes a title (取消认定) with a reason, by the managers of its level, and opens its
    /// rectification with a deadline (`EvaluationTitle.rectification`).
    async fn revoke_evaluation_title(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RevokeEvaluationTitleInput,
    ) -> Result<TitleManagementPayload> {
        let outcome = mutate(ctx, async |uow| {
            let r = Revocation {
                title_id: input_id(&input.title_id, NodeKind::EvaluationTitle, "title_id")?,
                reason: input.reason.clone(),
                deadline: input.deadline.0,
            };
            Ok(titles::revoke(uow, r).await?.0)
        })
        .await?;
        Ok(outcome.map(EvaluationTitle).into())
    }

    /// The holder's parties put their rectification plan on record (replaceable until
    /// re-evaluation).
    async fn submit_rectification_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: SubmitRectificationPlanInput,
    ) -> Result<RectificationPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(
                &input.rectification_id,
                NodeKind::Rectification,
                "rectification_id",
            )?;
            titles::submit_plan(uow, id, &input.plan).await
        })
        .await?;
        Ok(outcome.map(Rectification).into())
    }

    /// Re-evaluates the holder after its plan, closing the rectification; restored, a new held
    /// title names the revoked one.
    async fn reevaluate_rectification(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: ReevaluateRectificationInput,
    ) -> Result<RectificationPayload> {
        let outcome = mutate(ctx, async |uow| {
            let re = Reevaluation {
                rectification_id: input_id(
                    &input.rectification_id,
                    NodeKind::Rectification,
                    "rectification_id",
                )?,
                outcome: input.outcome,
                findings: input.findings.clone(),
                score: input.score,
            };
            titles::reevaluate(uow, re).await
        })
        .await?;
        Ok(outcome.map(Rectification).into())
    }

    /// Records a compound's self-inspection (自查自纠) and its findings, by its three parties or
    /// the staff over it.
    async fn record_self_inspection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RecordSelfInspectionInput,
    ) -> Result<SelfInspectionPayload> {
        let outcome = mutate(ctx, async |uow| {
            let mut findings = Vec::with_capacity(input.findings.len());
            for (n, f) in input.findings.iter().enumerate() {
                findings.push(NewFinding {
                    indicator_id: input_id_opt(
                        f.indicator_id.as_ref(),
                        NodeKind::RubricIndicator,
                        &format!("findings.{n}.indicator_id"),
                    )?,
                    finding: f.finding.clone(),
                });
            }
            let new = NewInspection {
                compound_id: input_id(&input.compound_id, NodeKind::Compound, "compound_id")?,
                rubric_version_id: input_id_opt(
                    input.rubric_version_id.as_ref(),
                    NodeKind::RubricVersion,
                    "rubric_version_id",
                )?,
                title: Name::parse(&input.title, "title")?,
                inspected_on: input.inspected_on.0,
                findings,
            };
            Ok(inspections::record(uow, new).await?.0)
        })
        .await?;
        Ok(outcome.map(SelfInspection).into())
    }

    /// Marks a self-inspection finding fixed on the day it was, once.
    async fn fix_self_inspection_finding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: FixSelfInspectionFindingInput,
    ) -> Result<SelfInspectionFindingPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(
                &input.finding_id,
                NodeKind::SelfInspectionFinding,
                "finding_id",
            )?;
            inspections::fix(uow, id, input.fixed_on.0, &input.note).await
        })
        .await?;
        Ok(outcome.map(SelfInspectionFinding).into())
    }

    /// Opens a subdistrict's quarterly star-rating round: one rating to give for each
    /// commodity-housing compound under a property contract today, with its company, on the
    /// configured scale (`STAR_SCALE`).
    async fn open_star_rating_round(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: OpenStarRatingRoundInput,
    ) -> Result<StarRatingRoundPayload> {
        let scale = ctx
            .data::<Config>()
            .map_err(|_| AppError::Internal("no configuration in context".into()))?
            .star_scale;
        let outcome = mutate(ctx, async |uow| {
            let new = NewRound {
                subdistrict_id: input_id(
                    &input.subdistrict_id,
                    NodeKind::Subdistrict,
                    "subdistrict_id",
                )?,
                year: input.year,
                quarter: input.quarter,
                bottom_count: input.bottom_count,
            };
            Ok(star_ratings::open(uow, new, scale).await?.0)
        })
        .await?;
        Ok(outcome.map(StarRatingRound).into())
    }

    /// Rates one compound of an open round; it may be rated again until the round is
    /// published.
    async fn rate_compound(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RateCompoundInput,
    ) -> Result<StarRatingPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.rating_id, NodeKind::StarRating, "rating_id")?;
            star_ratings::rate(uow, id, input.points, &input.note).await
        })
        .await?;
        Ok(outcome.map(StarRating).into())
    }

    /// Publishes a round once every compound is rated: ranks it and names the bottom places,
    /// compound and company, in its notice (通报).
    async fn publish_star_rating_round(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: PublishStarRatingRoundInput,
    ) -> Result<StarRatingRoundPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.round_id, NodeKind::StarRatingRound, "round_id")?;
            star_ratings::publish(uow, id).await
        })
        .await?;
        Ok(outcome.map(StarRatingRound).into())
    }
}
