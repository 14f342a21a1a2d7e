//! Campaigns at the GraphQL edge: campaigns, their entries, evaluators,
//! score sheets, rankings and the titles they award, with their queries,
//! mutations and live feed. No rule lives here (`domain::evaluation`).
//!
//! What is public: campaigns and their entries, the ranking once a
//! campaign is published, and every title held or revoked. What is not:
//! who evaluates which entry and the score sheets (their evaluator and the
//! campaign's staff), and the ranking before publication (the staff).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::evaluation::campaigns::{self, NewCampaign};
use crate::domain::evaluation::entries::{self, NewEntry};
use crate::domain::evaluation::ranking::Placed;
use crate::domain::evaluation::scoring::{self, LineInput};
use crate::domain::evaluation::titles::{self, CommunityTitle};
use crate::domain::event::DecisionEvent;
use crate::domain::kinds::{
    AggregationRule, CampaignPhase, EligibilityRule, EntryRoute, EvaluationKind, EvaluationLevel,
    ScoreSheetStatus, TitleKind, TitleStatus,
};
use crate::domain::values::Name;
use crate::entity::{
    attachment, campaign_entry as entry, campaign_result, community, compound, district,
    evaluation_campaign as campaign, evaluation_title as title, evaluator_assignment as assignment,
    rubric_indicator as indicator, rubric_version, score_evidence, score_line,
    score_sheet as sheet,
};
use crate::error::AppError;
use crate::graphql::id::{NodeKind, arg_id, encode, input_id, input_id_opt};
use crate::graphql::loaders::{
    AssignmentsOfEntry, EvidenceOfScoreLine, LinesOfScoreSheet, ResultOfEntry, SheetsOfEntry,
    by_id, by_id_opt, by_ids, children,
};
use crate::graphql::pagination::{
    CampaignEntryConnection, CampaignStandingConnection, EvaluationCampaignConnection,
    EvaluationTitleConnection, EvaluatorAssignmentConnection, cost, paginate, paginate_loaded,
    paginate_newest_first,
};
use crate::graphql::types::Compound;
use crate::graphql::types::decisions::{row_changes, username};
use crate::graphql::types::evaluation::{RubricIndicator, RubricVersion};
use crate::graphql::types::page;
use crate::graphql::types::projects::Attachment;
use crate::graphql::types::register::{Community, District};
use crate::graphql::{caller, db, hub, loaders, mutate, payload};

/// The campaign `id` through the loaders.
async fn campaign_of(ctx: &Context<'_>, id: i64) -> Result<campaign::Model> {
    by_id::<campaign::Entity>(loaders(ctx)?, id)
        .await?
        .ok_or_else(|| AppError::NotFound("campaign".into()).into())
}

/// An evaluation campaign (评选): one kind of title at one level for one year, scored against
/// one published rubric version.
pub struct EvaluationCampaign(pub campaign::Model);

/// An evaluation campaign (评选): one kind of title at one level for one year, scored against
/// one published rubric version.
#[Object]
impl EvaluationCampaign {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::EvaluationCampaign, self.0.id)
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The title it awards.
    async fn kind(&self) -> EvaluationKind {
        self.0.kind
    }
    /// Its level.
    async fn level(&self) -> EvaluationLevel {
        self.0.level
    }
    /// Its year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The district running it (a county-level campaign); null for city and province ones.
    async fn district(&self, ctx: &Context<'_>) -> Result<Option<District>> {
        Ok(
            by_id_opt::<district::Entity>(loaders(ctx)?, self.0.district_id)
                .await?
                .map(District),
        )
    }
    /// The published rubric version it is scored against.
    async fn rubric_version(&self, ctx: &Context<'_>) -> Result<Option<RubricVersion>> {
        Ok(
            by_id::<rubric_version::Entity>(loaders(ctx)?, self.0.rubric_version_id)
                .await?
                .map(RubricVersion),
        )
    }
    /// How many entries it selects (e.g. 100).
    async fn quota(&self) -> i32 {
        self.0.quota
    }
    /// How many of the selected it singles out (the top N).
    async fn single_out(&self) -> i32 {
        self.0.single_out
    }
    /// How evaluators' totals become an entry's score.
    async fn aggregation(&self) -> AggregationRule {
        self.0.aggregation
    }
    /// The eligibility check every entry passes.
    async fn eligibility(&self) -> EligibilityRule {
        self.0.eligibility
    }
    /// Where it stands.
    async fn phase(&self) -> CampaignPhase {
        self.0.phase
    }
    /// When it entered its phase.
    async fn phase_changed_at(&self) -> DateTime<Utc> {
        self.0.phase_changed_at
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Its entries, in order of entry.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn entries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<CampaignEntryConnection> {
        let select = entry::Entity::find().filter(entry::Column::CampaignId.eq(self.0.id));
        paginate(
            db(ctx)?,
            select,
            page(first, after, last, before),
            CampaignEntry,
        )
        .await
    }
    /// Whether its ranking is frozen: written when evaluation ended, never to change.
    async fn ranking_frozen(&self) -> bool {
        matches!(
            self.0.phase,
            CampaignPhase::Selection | CampaignPhase::Published
        )
    }
    /// Its ranking: ranked entries in order, then those no evaluator scored. Public once the
    /// campaign is published; before, only its staff see it, computed from the sheets
    /// standing now until evaluation ends and frozen from then on. Ties are broken by the
    /// higher lowest evaluator total, then by the earlier entry.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn ranking(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<CampaignStandingConnection> {
        if !campaigns::may_see_ranking(caller(ctx), &self.0) {
            return Err(AppError::Forbidden(
                "a campaign's ranking is public once it is published; before, only its staff see it"
                    .into(),
            )
            .into());
        }
        let rows: Vec<CampaignStanding> = match self.0.phase {
            CampaignPhase::Selection | CampaignPhase::Published => {
                campaigns::results(db(ctx)?, self.0.id)
                    .await?
                    .into_iter()
                    .map(CampaignStanding::from_result)
                    .collect()
            }
            _ => campaigns::live_ranking(db(ctx)?, &self.0)
                .await?
                .into_iter()
                .map(CampaignStanding::live)
                .collect(),
        };
        let numbered: Vec<(i64, CampaignStanding)> = rows
            .into_iter()
            .enumerate()
            .map(|(i, s)| (i as i64 + 1, s))
            .collect();
        paginate_loaded(numbered, page(first, after, last, before), |r| r.0, |r| r.1).await
    }
}

/// An entry's place in a campaign's ranking.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct CampaignStanding {
    #[graphql(skip)]
    entry_id: i64,
    /// Its rank from 1; null for an entry no evaluator scored.
    pub rank: Option<i32>,
    /// Evaluators whose submitted sheet stands for it.
    pub sheets: i32,
    /// Of those, the totals the aggregation rule counts (all, or all but the highest and the
    /// lowest).
    pub counted: i32,
    /// The sum of the counted totals, in points.
    pub counted_points: i64,
    /// Its score, the counted points over the counted totals, in hundredths of a point rounded
    /// half up (8533 is 85.33); null if unscored. Ranking compares the exact fractions.
    pub score_centi: Option<i32>,
    /// The lowest evaluator total: the first tie-break, higher first.
    pub lowest_total: Option<i32>,
    /// The highest evaluator total.
    pub highest_total: Option<i32>,
    /// Within the campaign's quota.
    pub selected: bool,
    /// Within the number singled out (the top N).
    pub singled_out: bool,
    /// Whether this is the frozen result (written when evaluation ended) or the standing now.
    pub frozen: bool,
}

impl CampaignStanding {
    fn live(p: Placed) -> Self {
        Self {
            entry_id: p.entry_id,
            rank: p.rank,
            sheets: p.aggregate.map_or(0, |a| a.sheets),
            counted: p.aggregate.map_or(0, |a| a.counted),
            counted_points: p.aggregate.map_or(0, |a| a.counted_points),
            score_centi: p.aggregate.map(|a| a.score_centi()),
            lowest_total: p.aggregate.map(|a| a.lowest),
            highest_total: p.aggregate.map(|a| a.highest),
            selected: p.selected,
            singled_out: p.singled_out,
            frozen: false,
        }
    }

    fn from_result(r: campaign_result::Model) -> Self {
        Self {
            entry_id: r.entry_id,
            rank: r.rank,
            sheets: r.sheets,
            counted: r.counted,
            counted_points: r.counted_points,
            score_centi: r.score_centi,
            lowest_total: r.lowest_total,
            highest_total: r.highest_total,
            selected: r.selected,
            singled_out: r.singled_out,
            frozen: true,
        }
    }
}

#[async_graphql::ComplexObject]
impl CampaignStanding {
    /// The entry.
    async fn entry(&self, ctx: &Context<'_>) -> Result<Option<CampaignEntry>> {
        Ok(by_id::<entry::Entity>(loaders(ctx)?, self.entry_id)
            .await?
            .map(CampaignEntry))
    }
}

/// A compound, or a community, entered in a campaign.
pub struct CampaignEntry(pub entry::Model);

/// A compound, or a community, entered in a campaign.
#[Object]
impl CampaignEntry {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::CampaignEntry, self.0.id)
    }
    /// The campaign.
    async fn campaign(&self, ctx: &Context<'_>) -> Result<EvaluationCampaign> {
        Ok(EvaluationCampaign(
            campaign_of(ctx, self.0.campaign_id).await?,
        ))
    }
    /// The compound entered; null for a community's entry.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(
            by_id_opt::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
                .await?
                .map(Compound::new),
        )
    }
    /// The community entered, or the entered compound's community.
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        Ok(
            by_id::<community::Entity>(loaders(ctx)?, self.0.community_id)
                .await?
                .map(Community),
        )
    }
    /// How it came in.
    async fn route(&self) -> EntryRoute {
        self.0.route
    }
    /// The title it was drawn from (route `FROM_TITLE`).
    async fn source_title(&self, ctx: &Context<'_>) -> Result<Option<EvaluationTitle>> {
        Ok(
            by_id_opt::<title::Entity>(loaders(ctx)?, self.0.source_title_id)
                .await?
                .map(EvaluationTitle),
        )
    }
    /// Why it is recommended, or what the application says.
    async fn note(&self) -> &str {
        &self.0.note
    }
    /// Who entered it (display name).
    async fn entered_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.entered_by).await
    }
    /// When it entered.
    async fn entered_at(&self) -> DateTime<Utc> {
        self.0.entered_at
    }
    /// The evaluators assigned to it; only the campaign's staff see them all, an evaluator
    /// sees their own assignment.
    async fn assignments(&self, ctx: &Context<'_>) -> Result<Vec<EvaluatorAssignment>> {
        let c = campaign_of(ctx, self.0.campaign_id).await?;
        let staff = campaigns::runs(caller(ctx), &c);
        let me = caller(ctx).actor().ok().map(|a| a.account_id);
        let mut rows = children::<AssignmentsOfEntry>(loaders(ctx)?, self.0.id).await?;
        rows.retain(|a| staff || Some(a.account_id) == me);
        rows.sort_by_key(|a| a.id);
        Ok(rows.into_iter().map(EvaluatorAssignment).collect())
    }
    /// The score sheets the caller may read, in order: all of them for the campaign's staff,
    /// an evaluator's own for an evaluator; none for anyone else. Corrected sheets stay.
    async fn score_sheets(&self, ctx: &Context<'_>) -> Result<Vec<ScoreSheet>> {
        let c = campaign_of(ctx, self.0.campaign_id).await?;
        let mut rows = children::<SheetsOfEntry>(loaders(ctx)?, self.0.id).await?;
        rows.retain(|s| scoring::may_read_sheet(caller(ctx), &c, s));
        rows.sort_by_key(|s| (s.assignment_id, s.number));
        Ok(rows.into_iter().map(ScoreSheet).collect())
    }
    /// Its frozen result, once its campaign left evaluation; public once it is published.
    async fn result(&self, ctx: &Context<'_>) -> Result<Option<CampaignStanding>> {
        let c = campaign_of(ctx, self.0.campaign_id).await?;
        if !campaigns::may_see_ranking(caller(ctx), &c) {
            return Ok(None);
        }
        // Through a loader: a page of entries reads their results in one statement.
        Ok(children::<ResultOfEntry>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .next()
            .map(CampaignStanding::from_result))
    }
}

/// An evaluator assigned to an entry.
pub struct EvaluatorAssignment(pub assignment::Model);

/// An evaluator assigned to an entry.
#[Object]
impl EvaluatorAssignment {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::EvaluatorAssignment, self.0.id)
    }
    /// The entry.
    async fn entry(&self, ctx: &Context<'_>) -> Result<Option<CampaignEntry>> {
        Ok(by_id::<entry::Entity>(loaders(ctx)?, self.0.entry_id)
            .await?
            .map(CampaignEntry))
    }
    /// The evaluator (display name).
    async fn evaluator(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.account_id).await
    }
    /// Who assigned them (display name).
    async fn assigned_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.assigned_by).await
    }
    /// When.
    async fn assigned_at(&self) -> DateTime<Utc> {
        self.0.assigned_at
    }
}

/// An evaluator's score sheet for one entry: a draft, or submitted and locked. A correction is
/// a new sheet naming the one it corrects.
pub struct ScoreSheet(pub sheet::Model);

/// An evaluator's score sheet for one entry: a draft, or submitted and locked. A correction is
/// a new sheet naming the one it corrects.
#[Object]
impl ScoreSheet {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ScoreSheet, self.0.id)
    }
    /// The entry scored.
    async fn entry(&self, ctx: &Context<'_>) -> Result<Option<CampaignEntry>> {
        Ok(by_id::<entry::Entity>(loaders(ctx)?, self.0.entry_id)
            .await?
            .map(CampaignEntry))
    }
    /// The evaluator (display name).
    async fn evaluator(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.account_id).await
    }
    /// 1 for the evaluator's first sheet of the entry, one more for each correction.
    async fn number(&self) -> i32 {
        self.0.number
    }
    /// Draft or submitted.
    async fn status(&self) -> ScoreSheetStatus {
        self.0.status
    }
    /// The sum of its points.
    async fn total(&self) -> i32 {
        self.0.total
    }
    /// The submitted sheet it corrects.
    async fn corrects(&self, ctx: &Context<'_>) -> Result<Option<ScoreSheet>> {
        Ok(
            by_id_opt::<sheet::Entity>(loaders(ctx)?, self.0.corrects_id)
                .await?
                .map(ScoreSheet),
        )
    }
    /// Why it corrects that sheet.
    async fn correction_reason(&self) -> Option<&str> {
        self.0.correction_reason.as_deref()
    }
    /// Its lines, one per indicator scored, in the rubric's order.
    async fn lines(&self, ctx: &Context<'_>) -> Result<Vec<ScoreLine>> {
        let l = loaders(ctx)?;
        let rows = children::<LinesOfScoreSheet>(l, self.0.id).await?;
        // Every line's indicator in one load, not one load after another.
        let ids: Vec<i64> = rows.iter().map(|r| r.indicator_id).collect();
        let place: std::collections::HashMap<i64, (i64, i32)> =
            by_ids::<indicator::Entity>(l, &ids)
                .await?
                .into_iter()
                .map(|i| (i.id, (i.aspect_id, i.position)))
                .collect();
        let mut rows = rows;
        rows.sort_by_key(|r| (place.get(&r.indicator_id).copied(), r.id));
        Ok(rows.into_iter().map(ScoreLine).collect())
    }
    /// When it was begun.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it was last saved.
    async fn saved_at(&self) -> DateTime<Utc> {
        self.0.saved_at
    }
    /// When it was submitted; null for a draft.
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.submitted_at
    }
}

/// The points a sheet gives one indicator, with the evaluator's comment and evidence.
pub struct ScoreLine(pub score_line::Model);

/// The points a sheet gives one indicator, with the evaluator's comment and evidence.
#[Object]
impl ScoreLine {
    /// The indicator.
    async fn indicator(&self, ctx: &Context<'_>) -> Result<Option<RubricIndicator>> {
        Ok(
            by_id::<indicator::Entity>(loaders(ctx)?, self.0.indicator_id)
                .await?
                .map(RubricIndicator),
        )
    }
    /// The points, from 0 to the indicator's maximum.
    async fn points(&self) -> i32 {
        self.0.points
    }
    /// The evaluator's comment.
    async fn comment(&self) -> &str {
        &self.0.comment
    }
    /// The evidence shown for it (at most 20).
    async fn evidence(&self, ctx: &Context<'_>) -> Result<Vec<Attachment>> {
        let l = loaders(ctx)?;
        let mut links: Vec<score_evidence::Model> =
            children::<EvidenceOfScoreLine>(l, self.0.id).await?;
        links.sort_by_key(|e| e.id);
        let ids: Vec<i64> = links.iter().map(|e| e.attachment_id).collect();
        Ok(by_ids::<attachment::Entity>(l, &ids)
            .await?
            .into_iter()
            .map(Attachment)
            .collect())
    }
}

/// A title (称号) held, or once held, by a compound or a community: public, with its history.
pub struct EvaluationTitle(pub title::Model);

/// A title (称号) held, or once held, by a compound or a community: public, with its history.
#[Object]
impl EvaluationTitle {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::EvaluationTitle, self.0.id)
    }
    /// Which title.
    async fn kind(&self) -> TitleKind {
        self.0.kind
    }
    /// Its level.
    async fn level(&self) -> EvaluationLevel {
        self.0.level
    }
    /// The year it was awarded for.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The compound holding it; null for a community's title.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(
            by_id_opt::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
                .await?
                .map(Compound::new),
        )
    }
    /// The community holding it, or the holding compound's community.
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        Ok(
            by_id::<community::Entity>(loaders(ctx)?, self.0.community_id)
                .await?
                .map(Community),
        )
    }
    /// The campaign that awarded it; null for a recorded community title.
    async fn campaign(&self, ctx: &Context<'_>) -> Result<Option<EvaluationCampaign>> {
        Ok(
            by_id_opt::<campaign::Entity>(loaders(ctx)?, self.0.campaign_id)
                .await?
                .map(EvaluationCampaign),
        )
    }
    /// The entry that won it.
    async fn entry(&self, ctx: &Context<'_>) -> Result<Option<CampaignEntry>> {
        Ok(by_id_opt::<entry::Entity>(loaders(ctx)?, self.0.entry_id)
            .await?
            .map(CampaignEntry))
    }
    /// Held or revoked.
    async fn status(&self) -> TitleStatus {
        self.0.status
    }
    /// Where a recorded title comes from.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// When it was awarded (or recorded).
    async fn awarded_at(&self) -> DateTime<Utc> {
        self.0.awarded_at
    }
    /// When it was revoked; null while held.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
    /// Why it was revoked.
    async fn revocation_reason(&self) -> Option<&str> {
        self.0.revocation_reason.as_deref()
    }
    /// When the city filed it (备案), for a district-assessed epidemic-free title.
    async fn filed_at(&self) -> Option<DateTime<Utc>> {
        self.0.filed_at
    }
    /// The revoked title this one restores after rectification.
    async fn restores(&self, ctx: &Context<'_>) -> Result<Option<EvaluationTitle>> {
        Ok(
            by_id_opt::<title::Entity>(loaders(ctx)?, self.0.restores_id)
                .await?
                .map(EvaluationTitle),
        )
    }
    /// The rectification its revocation opened; null while not revoked.
    async fn rectification(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::types::evaluation::Rectification>> {
        Ok(
            children::<crate::graphql::loaders::RectificationOfTitle>(loaders(ctx)?, self.0.id)
                .await?
                .into_iter()
                .next()
                .map(crate::graphql::types::evaluation::Rectification),
        )
    }
}

/// Queries of campaigns and titles.
#[derive(Default)]
pub struct CampaignQuery;

/// Queries of campaigns and titles.
#[Object]
impl CampaignQuery {
    /// Evaluation campaigns, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn evaluation_campaigns(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only campaigns of this kind.")] kind: Option<EvaluationKind>,
        #[graphql(desc = "Only campaigns of this level.")] level: Option<EvaluationLevel>,
        #[graphql(desc = "Only campaigns of this year.")] year: Option<i32>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<EvaluationCampaignConnection> {
        let mut select = campaign::Entity::find();
        if let Some(k) = kind {
            select = select.filter(campaign::Column::Kind.eq(k));
        }
        if let Some(l) = level {
            select = select.filter(campaign::Column::Level.eq(l));
        }
        if let Some(y) = year {
            select = select.filter(campaign::Column::Year.eq(y));
        }
        paginate_newest_first(
            db(ctx)?,
            select,
            page(first, after, last, before),
            EvaluationCampaign,
        )
        .await
    }

    /// The titles held and revoked (公示), newest first: public. Filter by holder for a
    /// compound's or community's history of titles.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn evaluation_titles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only titles of this kind.")] kind: Option<TitleKind>,
        #[graphql(desc = "Only titles of this level.")] level: Option<EvaluationLevel>,
        #[graphql(desc = "Only titles of this year.")] year: Option<i32>,
        #[graphql(desc = "Only titles held, or only revoked ones.")] status: Option<TitleStatus>,
        #[graphql(desc = "Only the titles of this compound.")] compound_id: Option<ID>,
        #[graphql(desc = "Only the titles of this community (its own, and its compounds').")]
        community_id: Option<ID>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<EvaluationTitleConnection> {
        let mut select = title::Entity::find();
        if let Some(k) = kind {
            select = select.filter(title::Column::Kind.eq(k));
        }
        if let Some(l) = level {
            select = select.filter(title::Column::Level.eq(l));
        }
        if let Some(y) = year {
            select = select.filter(title::Column::Year.eq(y));
        }
        if let Some(s) = status {
            select = select.filter(title::Column::Status.eq(s));
        }
        if let Some(id) = &compound_id {
            select = select.filter(title::Column::CompoundId.eq(arg_id(id, NodeKind::Compound)?));
        }
        if let Some(id) = &community_id {
            select = select.filter(title::Column::CommunityId.eq(arg_id(id, NodeKind::Community)?));
        }
        paginate_newest_first(
            db(ctx)?,
            select,
            page(first, after, last, before),
            EvaluationTitle,
        )
        .await
    }

    /// The caller's own assignments as an evaluator, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn my_evaluator_assignments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<EvaluatorAssignmentConnection> {
        let me = caller(ctx).actor()?.account_id;
        let select = assignment::Entity::find().filter(assignment::Column::AccountId.eq(me));
        paginate_newest_first(
            db(ctx)?,
            select,
            page(first, after, last, before),
            EvaluatorAssignment,
        )
        .await
    }
}

/// Input of `createEvaluationCampaign`.
#[derive(InputObject)]
pub struct CreateEvaluationCampaignInput {
    /// Its name, such as "2026年度市级示范小区评选" (at most 100 characters).
    pub name: String,
    /// The title it awards.
    pub kind: EvaluationKind,
    /// Its level.
    pub level: EvaluationLevel,
    /// Its year (2000 to 2100).
    pub year: i32,
    /// The district running a county-level campaign; omitted for city and province ones.
    pub district_id: Option<ID>,
    /// The published rubric version it is scored against, of its kind.
    pub rubric_version_id: ID,
    /// How many entries it selects, 1 to 10,000 (e.g. 100).
    pub quota: i32,
    /// How many of the selected it singles out (the top N), 0 to the quota.
    #[graphql(default)]
    pub single_out: i32,
    /// How evaluators' totals become a score.
    #[graphql(default_with = "AggregationRule::Mean")]
    pub aggregation: AggregationRule,
    /// Its eligibility check. Omitted: a city- or province-level demonstration-compound
    /// campaign takes candidates within a demonstration community of its level; the others
    /// check nothing beyond their entry route.
    pub eligibility: Option<EligibilityRule>,
}

/// Input of `advanceEvaluationCampaign`.
#[derive(InputObject)]
pub struct AdvanceEvaluationCampaignInput {
    /// The campaign.
    pub campaign_id: ID,
}

/// Input of `enterEvaluationCampaign`: name the compound, or (epidemic-free campaigns) the
/// community.
#[derive(InputObject)]
pub struct EnterEvaluationCampaignInput {
    /// The campaign.
    pub campaign_id: ID,
    /// The compound entered.
    pub compound_id: Option<ID>,
    /// The community entered (epidemic-free campaigns only).
    pub community_id: Option<ID>,
    /// Why it is recommended, or what the application says (at most 20,000 characters).
    #[graphql(default)]
    pub note: String,
}

/// Input of `recordCommunityTitle`.
#[derive(InputObject)]
pub struct RecordCommunityTitleInput {
    /// The community.
    pub community_id: ID,
    /// The title's level.
    pub level: EvaluationLevel,
    /// The year it was awarded (not after this year).
    pub year: i32,
    /// The document that awarded it (at most 20,000 characters).
    pub note: String,
}

/// Input of `assignEvaluator`.
#[derive(InputObject)]
pub struct AssignEvaluatorInput {
    /// The entry.
    pub entry_id: ID,
    /// The evaluator's account: it holds the `EVALUATOR` role and is linked to a person.
    pub account_id: ID,
}

/// One line of a score sheet.
#[derive(InputObject)]
pub struct ScoreLineInput {
    /// The indicator, of the rubric version the campaign pins.
    pub indicator_id: ID,
    /// The points, from 0 to the indicator's maximum.
    pub points: i32,
    /// The evaluator's comment (at most 20,000 characters).
    #[graphql(default)]
    pub comment: String,
    /// Evidence: score-evidence attachments the evaluator uploaded for the entry's compound or
    /// community (at most 20).
    #[graphql(default)]
    pub evidence_ids: Vec<ID>,
}

/// Input of `saveScoreSheet`.
#[derive(InputObject)]
pub struct SaveScoreSheetInput {
    /// The entry.
    pub entry_id: ID,
    /// The lines: they replace the draft's lines; indicators may stay unscored until submission.
    pub lines: Vec<ScoreLineInput>,
}

/// Input of `submitScoreSheet`.
#[derive(InputObject)]
pub struct SubmitScoreSheetInput {
    /// The entry whose draft sheet of yours is submitted.
    pub entry_id: ID,
}

/// Input of `correctScoreSheet`.
#[derive(InputObject)]
pub struct CorrectScoreSheetInput {
    /// The entry whose submitted sheet of yours is corrected.
    pub entry_id: ID,
    /// Why it is corrected: kept with the new sheet (at most 20,000 characters).
    pub reason: String,
}

payload!(
    /// Result of creating or moving a campaign.
    EvaluationCampaignPayload {
        /// The campaign as it now is.
        campaign: EvaluationCampaign
    }
);

payload!(
    /// Result of `enterEvaluationCampaign`.
    CampaignEntryPayload {
        /// The entry.
        entry: CampaignEntry
    }
);

payload!(
    /// Result of `recordCommunityTitle`.
    EvaluationTitlePayload {
        /// The title.
        title: EvaluationTitle
    }
);

payload!(
    /// Result of `assignEvaluator`.
    EvaluatorAssignmentPayload {
        /// The assignment.
        assignment: EvaluatorAssignment
    }
);

payload!(
    /// Result of saving, submitting or correcting a score sheet.
    ScoreSheetPayload {
        /// The sheet.
        sheet: ScoreSheet
    }
);

/// Mutations of campaigns.
#[derive(Default)]
pub struct CampaignMutation;

/// Mutations of campaigns.
#[Object]
impl CampaignMutation {
    /// Creates a campaign in its application phase: a county-level one by its district, city
    /// and province ones by the city.
    async fn create_evaluation_campaign(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateEvaluationCampaignInput,
    ) -> Result<EvaluationCampaignPayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = NewCampaign {
                name: Name::parse(&input.name, "name")?,
                kind: input.kind,
                level: input.level,
                year: input.year,
                district_id: input_id_opt(
                    input.district_id.as_ref(),
                    NodeKind::District,
                    "district_id",
                )?,
                rubric_version_id: input_id(
                    &input.rubric_version_id,
                    NodeKind::RubricVersion,
                    "rubric_version_id",
                )?,
                quota: input.quota,
                single_out: input.single_out,
                aggregation: input.aggregation,
                eligibility: input.eligibility,
            };
            campaigns::create(uow, new).await
        })
        .await?;
        Ok(outcome.map(EvaluationCampaign).into())
    }

    /// Moves a campaign to its next phase, for its staff. Leaving evaluation freezes the
    /// ranking and selects the quota and the top N; publishing awards their titles.
    async fn advance_evaluation_campaign(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AdvanceEvaluationCampaignInput,
    ) -> Result<EvaluationCampaignPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(
                &input.campaign_id,
                NodeKind::EvaluationCampaign,
                "campaign_id",
            )?;
            campaigns::advance(uow, id).await
        })
        .await?;
        Ok(outcome.map(EvaluationCampaign).into())
    }

    /// Enters a compound (or community) in a campaign in its application phase, by the route
    /// its kind decides: demonstration compounds are recommended by their subdistrict or
    /// district, or at province level by the city from its city-level titles; the top ten draw
    /// from city- and county-level titles; epidemic-free ones apply. The campaign's
    /// eligibility check must hold.
    async fn enter_evaluation_campaign(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: EnterEvaluationCampaignInput,
    ) -> Result<CampaignEntryPayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = NewEntry {
                campaign_id: input_id(
                    &input.campaign_id,
                    NodeKind::EvaluationCampaign,
                    "campaign_id",
                )?,
                compound_id: input_id_opt(
                    input.compound_id.as_ref(),
                    NodeKind::Compound,
                    "compound_id",
                )?,
                community_id: input_id_opt(
                    input.community_id.as_ref(),
                    NodeKind::Community,
                    "community_id",
                )?,
                note: input.note.clone(),
            };
            entries::enter(uow, new).await
        })
        .await?;
        Ok(outcome.map(CampaignEntry).into())
    }

    /// Records a community's demonstration title (基层治理示范社区), awarded outside this
    /// service: a county-level one by its district, city and province ones by the city.
    async fn record_community_title(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RecordCommunityTitleInput,
    ) -> Result<EvaluationTitlePayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = CommunityTitle {
                community_id: input_id(&input.community_id, NodeKind::Community, "community_id")?,
                level: input.level,
                year: input.year,
                note: input.note.clone(),
            };
            titles::record_community_title(uow, new).await
        })
        .await?;
        Ok(outcome.map(EvaluationTitle).into())
    }

    /// Assigns an evaluator to an entry, for the campaign's staff, until evaluation ends. An
    /// evaluator tied to the entry (living or owning there, holding a position there, working
    /// for its property company) answers `CONFLICT` on `accountId`.
    async fn assign_evaluator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AssignEvaluatorInput,
    ) -> Result<EvaluatorAssignmentPayload> {
        let outcome = mutate(ctx, async |uow| {
            let entry_id = input_id(&input.entry_id, NodeKind::CampaignEntry, "entry_id")?;
            let account_id = input_id(&input.account_id, NodeKind::Account, "account_id")?;
            scoring::assign(uow, entry_id, account_id).await
        })
        .await?;
        Ok(outcome.map(EvaluatorAssignment).into())
    }

    /// Saves your draft score sheet for an entry you are assigned to, while the campaign is in
    /// evaluation: its lines are replaced. A point above an indicator's maximum answers
    /// `OUT_OF_RANGE`; a submitted sheet answers `INVALID_STATE` (correct it instead).
    async fn save_score_sheet(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: SaveScoreSheetInput,
    ) -> Result<ScoreSheetPayload> {
        let outcome = mutate(ctx, async |uow| {
            let entry_id = input_id(&input.entry_id, NodeKind::CampaignEntry, "entry_id")?;
            let mut lines = Vec::with_capacity(input.lines.len());
            for (n, l) in input.lines.iter().enumerate() {
                let evidence_ids = l
                    .evidence_ids
                    .iter()
                    .enumerate()
                    .map(|(k, id)| {
                        input_id(
                            id,
                            NodeKind::Attachment,
                            &format!("lines.{n}.evidence_ids.{k}"),
                        )
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                lines.push(LineInput {
                    indicator_id: input_id(
                        &l.indicator_id,
                        NodeKind::RubricIndicator,
                        &format!("lines.{n}.indicator_id"),
                    )?,
                    points: l.points,
                    comment: l.comment.clone(),
                    evidence_ids,
                });
            }
            scoring::save(uow, entry_id, &lines).await
        })
        .await?;
        Ok(outcome.map(ScoreSheet).into())
    }

    /// Submits your draft score sheet for an entry, which locks it: every indicator must be
    /// scored.
    async fn submit_score_sheet(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: SubmitScoreSheetInput,
    ) -> Result<ScoreSheetPayload> {
        let outcome = mutate(ctx, async |uow| {
            let entry_id = input_id(&input.entry_id, NodeKind::CampaignEntry, "entry_id")?;
            scoring::submit(uow, entry_id).await
        })
        .await?;
        Ok(outcome.map(ScoreSheet).into())
    }

    /// Opens a correction of your submitted score sheet for an entry: a new draft naming the
    /// sheet it corrects and why, starting from its lines. The corrected sheet stays readable
    /// and stands until the correction is submitted.
    async fn correct_score_sheet(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CorrectScoreSheetInput,
    ) -> Result<ScoreSheetPayload> {
        let outcome = mutate(ctx, async |uow| {
            let entry_id = input_id(&input.entry_id, NodeKind::CampaignEntry, "entry_id")?;
            scoring::correct(uow, entry_id, &input.reason).await
        })
        .await?;
        Ok(outcome.map(ScoreSheet).into())
    }
}

/// Live feeds of campaigns.
#[derive(Default)]
pub struct CampaignSubscription;

/// Live feeds of campaigns.
#[Subscription]
impl CampaignSubscription {
    /// A campaign as it moves: the campaign at once, then again after each phase change (the
    /// ranking frozen at selection, the results and titles at publication). Public, as
    /// campaigns are.
    async fn campaign_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The campaign.")] campaign_id: ID,
    ) -> Result<impl Stream<Item = Result<EvaluationCampaign>>> {
        let id = arg_id(&campaign_id, NodeKind::EvaluationCampaign)?;
        let wakes = move |e: &DecisionEvent| matches!(e, DecisionEvent::CampaignChanged { campaign_id, .. } if *campaign_id == id);
        Ok(row_changes::<campaign::Entity, _>(
            db(ctx)?.clone(),
            hub(ctx)?.subscribe(),
            id,
            "campaign",
            wakes,
            EvaluationCampaign,
        )
        .await?)
    }
}
