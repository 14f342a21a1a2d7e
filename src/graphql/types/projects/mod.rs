//! People's small things (民生微实事) and attachments at the GraphQL edge:
//! projects with their supporters, budgets, progress with photos,
//! spending, ratings and acceptance; the `projects` list and the annual
//! `projectSummary`; "惠从何来" as `Project.origin`; the mutations of the
//! lifecycle; and `uploadAttachment`.
//!
//! Projects are public (公示) like the compound's publications: anyone may
//! read them, their budgets and spending. Supporters and proposers are
//! people of the register, whose phones and ID numbers `people::Person`
//! masks; who gave which rating is shown only to those who may read the
//! compound's personal data. No rule lives here: `domain::projects` and
//! `domain::attachments` decide.

use std::io::Read;
use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject, Upload};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::access::Permission;
use crate::domain::attachments::{self, Files};
use crate::domain::kinds::{AcceptanceOutcome, AttachmentPurpose, ProjectStatus};
use crate::domain::projects::{
    self, BudgetRaise, Decision, Fen, Implementation, NewProject, Progress, Spending, SummaryUnit,
};
use crate::domain::values::Name;
use crate::entity::{
    attachment, community, compound, council_matter, person, project, project_acceptance,
    project_budget, project_rating, project_spending, project_support, project_transition,
    project_update,
};
use crate::error::AppError;
use crate::graphql::id::{NodeKind, arg_id, encode, input_id, input_id_opt};
use crate::graphql::loaders::{
    AcceptancesOfProject, BudgetsOfProject, PhotosOfUpdate, ProjectsOfCompound, RatingsOfProject,
    SpendingOfProject, SupportsOfProject, TransitionsOfProject, UpdatesOfProject, by_id, by_id_opt,
    by_ids, children,
};
use crate::graphql::pagination::{
    ProjectConnection, ProjectRatingConnection, ProjectSupportConnection, ProjectUpdateConnection,
    cost, page_of_children, paginate, paginate_loaded,
};
use crate::graphql::scalars::{Date, Fen as FenScalar, Long};
use crate::graphql::types::decisions::{CouncilMatter, may_read_in, username};
use crate::graphql::types::people::Person;
use crate::graphql::types::register::Community;
use crate::graphql::types::{Compound, name_opt, page};
use crate::graphql::{caller, db, loaders, mutate, payload};

/// An uploaded file: a photo or document, kept for good.
pub struct Attachment(pub attachment::Model);

/// An uploaded file: a photo or document, kept for good.
#[Object]
impl Attachment {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Attachment, self.0.id)
    }
    /// The name it was uploaded under (for display only).
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }
    /// Its content type, as its bytes revealed it (never the client's word).
    async fn content_type(&self) -> &str {
        &self.0.content_type
    }
    /// Its size in bytes.
    async fn size_bytes(&self) -> Long {
        Long(self.0.size_bytes)
    }
    /// The SHA-256 of its bytes, in lowercase hex: anyone holding a copy can check it.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    /// What it is for; this decides who may read it.
    async fn purpose(&self) -> AttachmentPurpose {
        self.0.purpose
    }
    /// When it was uploaded.
    async fn uploaded_at(&self) -> DateTime<Utc> {
        self.0.uploaded_at
    }
    /// Where its bytes are served: `GET` this path with the same `Authorization` header as
    /// GraphQL requests; answered only to those entitled to the file.
    async fn url(&self) -> String {
        format!("/attachments/{}", self.0.id)
    }
}

/// A people's-small-things project (民生微实事): residents order, the party organisation
/// delivers ("群众点菜、党委实施").
pub struct Project(pub project::Model);

/// A people's-small-things project (民生微实事): residents order, the party organisation
/// delivers ("群众点菜、党委实施").
#[Object]
impl Project {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Project, self.0.id)
    }
    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What should be done, and why, as proposed.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Where it stands in its lifecycle.
    async fn status(&self) -> ProjectStatus {
        self.0.status
    }
    /// The year it was proposed in (the year of the annual review it counts in).
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// When it last moved to another status.
    async fn status_changed_at(&self) -> DateTime<Utc> {
        self.0.status_changed_at
    }
    /// The compound it is for.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound::new))
    }
    /// The community the compound lies in.
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        Ok(
            by_id::<community::Entity>(loaders(ctx)?, self.0.community_id)
                .await?
                .map(Community),
        )
    }
    /// What the proposer thought it would cost.
    async fn estimated_cost_fen(&self) -> FenScalar {
        FenScalar(self.0.estimated_cost_fen)
    }
    /// The resident who proposed it.
    async fn proposer(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(
            by_id::<person::Entity>(loaders(ctx)?, self.0.proposed_by_person_id)
                .await?
                .map(Person),
        )
    }
    /// When it was proposed.
    async fn proposed_at(&self) -> DateTime<Utc> {
        self.0.proposed_at
    }
    /// How many other residents support it.
    async fn support_count(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(count(
            children::<SupportsOfProject>(loaders(ctx)?, self.0.id)
                .await?
                .len(),
        ))
    }
    /// The residents who support it, in the order they did.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn supporters(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<ProjectSupportConnection> {
        let rows = children::<SupportsOfProject>(loaders(ctx)?, self.0.id).await?;
        paginate_loaded(
            rows,
            page(first, after, last, before),
            |s| s.id,
            ProjectSupport,
        )
        .await
    }
    /// The residents' council matter it went before; null before deliberation.
    async fn council_matter(&self, ctx: &Context<'_>) -> Result<Option<CouncilMatter>> {
        Ok(
            by_id_opt::<council_matter::Entity>(loaders(ctx)?, self.0.council_matter_id)
                .await?
                .map(CouncilMatter),
        )
    }
    /// The day it was approved or rejected.
    async fn decided_on(&self) -> Option<Date> {
        self.0.decided_on.map(Date)
    }
    /// Why it was rejected; null unless it was.
    async fn rejection_reason(&self) -> Option<&str> {
        self.0.rejection_reason.as_deref()
    }
    /// The budget in force (the newest budget decision's); null before approval.
    async fn budget_fen(&self, ctx: &Context<'_>) -> Result<Option<FenScalar>> {
        Ok(projects::budget_in_force(&budgets(ctx, self.0.id).await?).map(FenScalar))
    }
    /// Every budget decision, oldest first: the approval, then each recorded raise.
    async fn budget_decisions(&self, ctx: &Context<'_>) -> Result<Vec<ProjectBudget>> {
        Ok(budgets(ctx, self.0.id)
            .await?
            .into_iter()
            .map(ProjectBudget)
            .collect())
    }
    /// The organisation or person answering for its delivery (实施主体).
    async fn implementer(&self) -> Option<&str> {
        self.0.implementer.as_deref()
    }
    /// The contractor doing the work, if any.
    async fn contractor(&self) -> Option<&str> {
        self.0.contractor.as_deref()
    }
    /// Progress updates, oldest first; `last` gives the newest.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn updates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<ProjectUpdateConnection> {
        let rows = children::<UpdatesOfProject>(loaders(ctx)?, self.0.id).await?;
        paginate_loaded(
            rows,
            page(first, after, last, before),
            |u| u.id,
            ProjectUpdate,
        )
        .await
    }
    /// Every spending entry, oldest first.
    async fn spending(&self, ctx: &Context<'_>) -> Result<Vec<ProjectSpending>> {
        Ok(children::<SpendingOfProject>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(ProjectSpending)
            .collect())
    }
    /// What has been spent so far.
    async fn spent_fen(&self, ctx: &Context<'_>) -> Result<FenScalar> {
        Ok(FenScalar(spent(ctx, self.0.id).await?))
    }
    /// Ratings given at acceptance, in every round, oldest first.
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
    ) -> Result<ProjectRatingConnection> {
        let rows = children::<RatingsOfProject>(loaders(ctx)?, self.0.id).await?;
        paginate_loaded(
            rows,
            page(first, after, last, before),
            |r| r.id,
            ProjectRating,
        )
        .await
    }
    /// The ratings of every round, summed up.
    async fn rating_summary(&self, ctx: &Context<'_>) -> Result<RatingSummary> {
        rating_of(ctx, self.0.id).await
    }
    /// The party branch's acceptance records, oldest first: each send-back, then the acceptance.
    async fn acceptances(&self, ctx: &Context<'_>) -> Result<Vec<ProjectAcceptance>> {
        Ok(children::<AcceptancesOfProject>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(ProjectAcceptance)
            .collect())
    }
    /// Every move between statuses, oldest first: who moved it, when and why.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<ProjectTransition>> {
        Ok(transitions(ctx, self.0.id)
            .await?
            .into_iter()
            .map(ProjectTransition)
            .collect())
    }
    /// "惠从何来" (where the benefit came from): who proposed and supported it, who deliberated
    /// and decided, who delivered, what it cost against its budget, and how residents rated it.
    async fn origin(&self) -> ProjectOrigin {
        ProjectOrigin(self.0.clone())
    }
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

async fn budgets(ctx: &Context<'_>, project: i64) -> Result<Vec<project_budget::Model>> {
    let mut rows = children::<BudgetsOfProject>(loaders(ctx)?, project).await?;
    rows.sort_by_key(|b| b.id);
    Ok(rows)
}

async fn spent(ctx: &Context<'_>, project: i64) -> Result<i64> {
    Ok(children::<SpendingOfProject>(loaders(ctx)?, project)
        .await?
        .iter()
        .map(|s| s.amount_fen)
        .sum())
}

/// The ratings of every round of `project`, summed up.
async fn rating_of(ctx: &Context<'_>, project: i64) -> Result<RatingSummary> {
    let rows = children::<RatingsOfProject>(loaders(ctx)?, project).await?;
    Ok(RatingSummary::of(
        rows.len() as i64,
        rows.iter().map(|r| i64::from(r.stars)).sum(),
    ))
}

async fn transitions(ctx: &Context<'_>, project: i64) -> Result<Vec<project_transition::Model>> {
    let mut rows = children::<TransitionsOfProject>(loaders(ctx)?, project).await?;
    rows.sort_by_key(|t| t.id);
    Ok(rows)
}

/// "惠从何来": where a project's benefit came from, in one object.
pub struct ProjectOrigin(project::Model);

/// "惠从何来": where a project's benefit came from, in one object.
#[Object]
impl ProjectOrigin {
    /// The resident who proposed it (群众点菜).
    async fn proposer(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(
            by_id::<person::Entity>(loaders(ctx)?, self.0.proposed_by_person_id)
                .await?
                .map(Person),
        )
    }
    /// The residents who supported it, in the order they did (at most 100; `Project.supporters`
    /// pages through all).
    async fn supporters(&self, ctx: &Context<'_>) -> Result<Vec<Person>> {
        let l = loaders(ctx)?;
        let rows = children::<SupportsOfProject>(l, self.0.id).await?;
        let ids: Vec<i64> = rows
            .iter()
            .take(crate::graphql::pagination::MAX_PAGE_SIZE)
            .map(|s| s.person_id)
            .collect();
        Ok(by_ids::<person::Entity>(l, &ids)
            .await?
            .into_iter()
            .map(Person)
            .collect())
    }
    /// How many residents supported it.
    async fn support_count(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(count(
            children::<SupportsOfProject>(loaders(ctx)?, self.0.id)
                .await?
                .len(),
        ))
    }
    /// The council matter that deliberated it (评议).
    async fn deliberated_in(&self, ctx: &Context<'_>) -> Result<Option<CouncilMatter>> {
        Ok(
            by_id_opt::<council_matter::Entity>(loaders(ctx)?, self.0.council_matter_id)
                .await?
                .map(CouncilMatter),
        )
    }
    /// Who put it before the council, and when.
    async fn deliberation(&self, ctx: &Context<'_>) -> Result<Option<ProjectTransition>> {
        step_into(ctx, self.0.id, &[ProjectStatus::Deliberation]).await
    }
    /// Who approved or rejected it, and when (确定).
    async fn decision(&self, ctx: &Context<'_>) -> Result<Option<ProjectTransition>> {
        step_into(
            ctx,
            self.0.id,
            &[ProjectStatus::Approved, ProjectStatus::Rejected],
        )
        .await
    }
    /// Who delivers it (实施主体), and the contractor.
    async fn implementer(&self) -> Option<&str> {
        self.0.implementer.as_deref()
    }
    /// The contractor doing the work, if any.
    async fn contractor(&self) -> Option<&str> {
        self.0.contractor.as_deref()
    }
    /// Who started its implementation, and when.
    async fn delivery(&self, ctx: &Context<'_>) -> Result<Option<ProjectTransition>> {
        step_into(ctx, self.0.id, &[ProjectStatus::Implementation]).await
    }
    /// Its budget in force; null before approval.
    async fn budget_fen(&self, ctx: &Context<'_>) -> Result<Option<FenScalar>> {
        Ok(projects::budget_in_force(&budgets(ctx, self.0.id).await?).map(FenScalar))
    }
    /// What it cost so far.
    async fn spent_fen(&self, ctx: &Context<'_>) -> Result<FenScalar> {
        Ok(FenScalar(spent(ctx, self.0.id).await?))
    }
    /// How residents rated it, every round summed up.
    async fn rating(&self, ctx: &Context<'_>) -> Result<RatingSummary> {
        rating_of(ctx, self.0.id).await
    }
    /// Who accepted it, and when (验收); null until it is accepted.
    async fn acceptance(&self, ctx: &Context<'_>) -> Result<Option<ProjectTransition>> {
        step_into(ctx, self.0.id, &[ProjectStatus::Closed]).await
    }
}

/// The newest move of `project` into one of `to`.
async fn step_into(
    ctx: &Context<'_>,
    project: i64,
    to: &[ProjectStatus],
) -> Result<Option<ProjectTransition>> {
    Ok(transitions(ctx, project)
        .await?
        .into_iter()
        .rev()
        .find(|t| to.contains(&t.to_status))
        .map(ProjectTransition))
}

/// A rating summary: how many gave one, and the mean.
#[derive(SimpleObject)]
pub struct RatingSummary {
    /// Ratings given.
    pub count: i32,
    /// Their stars, added up.
    pub stars_total: i32,
    /// The mean, rounded to two decimals; null without ratings.
    pub mean: Option<f64>,
}

impl RatingSummary {
    fn of(count: i64, stars_total: i64) -> Self {
        Self {
            count: i32::try_from(count).unwrap_or(i32::MAX),
            stars_total: i32::try_from(stars_total).unwrap_or(i32::MAX),
            // Hundredths rounded half up, in integers, then shown as a number.
            mean: (count > 0).then(|| ((stars_total * 200 + count) / (2 * count)) as f64 / 100.0),
        }
    }
}

/// A resident's support of a project.
pub struct ProjectSupport(pub project_support::Model);

/// A resident's support of a project.
#[Object]
impl ProjectSupport {
    /// The resident.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
    /// When they supported it.
    async fn supported_at(&self) -> DateTime<Utc> {
        self.0.supported_at
    }
}

/// A recorded decision on a project's budget.
pub struct ProjectBudget(pub project_budget::Model);

/// A recorded decision on a project's budget.
#[Object]
impl ProjectBudget {
    /// The budget it set.
    async fn amount_fen(&self) -> FenScalar {
        FenScalar(self.0.amount_fen)
    }
    /// Why ("approved" for the approval).
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// The council matter that decided it, if one did.
    async fn council_matter(&self, ctx: &Context<'_>) -> Result<Option<CouncilMatter>> {
        Ok(
            by_id_opt::<council_matter::Entity>(loaders(ctx)?, self.0.council_matter_id)
                .await?
                .map(CouncilMatter),
        )
    }
    /// When it was decided.
    async fn decided_on(&self) -> Date {
        Date(self.0.decided_on)
    }
    /// Who recorded it (display name).
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.recorded_by).await
    }
}

/// A progress update of a project, with its photos.
pub struct ProjectUpdate(pub project_update::Model);

/// A progress update of a project, with its photos.
#[Object]
impl ProjectUpdate {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ProjectUpdate, self.0.id)
    }
    /// The project.
    async fn project(&self, ctx: &Context<'_>) -> Result<Option<Project>> {
        Ok(by_id::<project::Entity>(loaders(ctx)?, self.0.project_id)
            .await?
            .map(Project))
    }
    /// The day it happened.
    async fn happened_on(&self) -> Date {
        Date(self.0.happened_on)
    }
    /// What happened.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// Its photos, in the order given.
    async fn photos(&self, ctx: &Context<'_>) -> Result<Vec<Attachment>> {
        let l = loaders(ctx)?;
        let mut links = children::<PhotosOfUpdate>(l, self.0.id).await?;
        links.sort_by_key(|p| p.id);
        let ids: Vec<i64> = links.iter().map(|p| p.attachment_id).collect();
        Ok(by_ids::<attachment::Entity>(l, &ids)
            .await?
            .into_iter()
            .map(Attachment)
            .collect())
    }
    /// Who recorded it (display name).
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.recorded_by).await
    }
    /// When it was recorded.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
}

/// A spending entry of a project.
pub struct ProjectSpending(pub project_spending::Model);

/// A spending entry of a project.
#[Object]
impl ProjectSpending {
    /// How much.
    async fn amount_fen(&self) -> FenScalar {
        FenScalar(self.0.amount_fen)
    }
    /// When it was spent.
    async fn spent_on(&self) -> Date {
        Date(self.0.spent_on)
    }
    /// On what.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Who recorded it (display name).
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.recorded_by).await
    }
}

/// A resident's rating of a project at acceptance.
pub struct ProjectRating(pub project_rating::Model);

/// A resident's rating of a project at acceptance.
#[Object]
impl ProjectRating {
    /// The round of acceptance it was given in (1 for the first hand-over).
    async fn round(&self) -> i32 {
        self.0.round
    }
    /// 1 to 5 stars.
    async fn stars(&self) -> i32 {
        self.0.stars
    }
    /// What the resident said (may be empty).
    async fn comment(&self) -> &str {
        &self.0.comment
    }
    /// When it was given.
    async fn rated_at(&self) -> DateTime<Utc> {
        self.0.rated_at
    }
    /// Who gave it: shown only to those who may read the compound's personal data; null to
    /// everyone else.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let l = loaders(ctx)?;
        let Some(p) = by_id::<project::Entity>(l, self.0.project_id).await? else {
            return Ok(None);
        };
        if !may_read_in(ctx, Permission::ReadPersonalData, p.compound_id).await? {
            return Ok(None);
        }
        Ok(by_id::<person::Entity>(l, self.0.person_id)
            .await?
            .map(Person))
    }
}

/// The party branch's record at a project's acceptance.
pub struct ProjectAcceptance(pub project_acceptance::Model);

/// The party branch's record at a project's acceptance.
#[Object]
impl ProjectAcceptance {
    /// The round of acceptance it closed.
    async fn round(&self) -> i32 {
        self.0.round
    }
    /// Accepted, or sent back.
    async fn outcome(&self) -> AcceptanceOutcome {
        self.0.outcome
    }
    /// The branch's summary of the acceptance and of the ratings.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// The round's ratings when it was recorded.
    async fn ratings(&self) -> RatingSummary {
        RatingSummary::of(i64::from(self.0.ratings), i64::from(self.0.stars_total))
    }
    /// The day it was recorded.
    async fn recorded_on(&self) -> Date {
        Date(self.0.recorded_on)
    }
    /// Who recorded it (display name).
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.recorded_by).await
    }
}

/// One move of a project between statuses.
pub struct ProjectTransition(pub project_transition::Model);

/// One move of a project between statuses.
#[Object]
impl ProjectTransition {
    /// The status it left.
    async fn from_status(&self) -> ProjectStatus {
        self.0.from_status
    }
    /// The status it entered.
    async fn to_status(&self) -> ProjectStatus {
        self.0.to_status
    }
    /// Why, or what was decided (the budget, the reason, the implementer, the summary).
    async fn note(&self) -> &str {
        &self.0.note
    }
    /// Who moved it (display name).
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.recorded_by).await
    }
    /// When.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
}

/// The annual figures of people's small things for a community or a subdistrict.
#[derive(SimpleObject)]
pub struct ProjectSummary {
    /// The year the projects were proposed in.
    pub year: i32,
    /// Projects proposed in the year.
    pub projects: i32,
    /// How many stand in each status now, in lifecycle order.
    pub by_status: Vec<StatusCount>,
    /// The budgets in force of the approved ones.
    pub budget_fen: FenScalar,
    /// What was spent on them.
    pub spent_fen: FenScalar,
    /// Their ratings, every round summed up.
    pub rating: RatingSummary,
}

/// How many projects stand in a status.
#[derive(SimpleObject)]
pub struct StatusCount {
    /// The status.
    pub status: ProjectStatus,
    /// How many.
    pub count: i32,
}

/// Which projects to list.
#[derive(InputObject, Default)]
pub struct ProjectFilter {
    /// Only this compound's.
    pub compound_id: Option<ID>,
    /// Only this community's.
    pub community_id: Option<ID>,
    /// Only those in this status.
    pub status: Option<ProjectStatus>,
    /// Only those proposed in this year.
    pub year: Option<i32>,
}

/// Queries of people's small things.
#[derive(Default)]
pub struct ProjectsQuery;

/// Queries of people's small things.
#[Object]
impl ProjectsQuery {
    /// People's-small-things projects, oldest first, narrowed by compound, community, status and
    /// year. Public, like the compounds' publications (公示).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which projects to list.")] filter: Option<ProjectFilter>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<ProjectConnection> {
        let filter = filter.unwrap_or_default();
        let mut select = project::Entity::find();
        if let Some(c) = &filter.compound_id {
            select = select.filter(project::Column::CompoundId.eq(arg_id(c, NodeKind::Compound)?));
        }
        if let Some(c) = &filter.community_id {
            select =
                select.filter(project::Column::CommunityId.eq(arg_id(c, NodeKind::Community)?));
        }
        if let Some(s) = filter.status {
            select = select.filter(project::Column::Status.eq(s));
        }
        if let Some(y) = filter.year {
            select = select.filter(project::Column::Year.eq(y));
        }
        paginate(db(ctx)?, select, page(first, after, last, before), Project).await
    }

    /// The annual summary of people's small things, for the secretaries' annual review: give
    /// `communityId` or `subdistrictId`.
    async fn project_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The community whose compounds' projects are counted.")]
        community_id: Option<ID>,
        #[graphql(desc = "The subdistrict whose communities' projects are counted.")]
        subdistrict_id: Option<ID>,
        #[graphql(desc = "The year the projects were proposed in.")] year: i32,
    ) -> Result<ProjectSummary> {
        let unit = match (&community_id, &subdistrict_id) {
            (Some(c), None) => SummaryUnit::Community(arg_id(c, NodeKind::Community)?),
            (None, Some(s)) => SummaryUnit::Subdistrict(arg_id(s, NodeKind::Subdistrict)?),
            _ => {
                return Err(AppError::BadRequest(
                    "give `communityId` or `subdistrictId`, one of the two".into(),
                )
                .into());
            }
        };
        let s = projects::summary(db(ctx)?, unit, year).await?;
        Ok(ProjectSummary {
            year,
            projects: i32::try_from(s.projects).unwrap_or(i32::MAX),
            by_status: s
                .by_status
                .into_iter()
                .map(|(status, n)| StatusCount {
                    status,
                    count: i32::try_from(n).unwrap_or(i32::MAX),
                })
                .collect(),
            budget_fen: FenScalar(s.budget_fen),
            spent_fen: FenScalar(s.spent_fen),
            rating: RatingSummary::of(s.ratings, s.stars_total),
        })
    }
}

/// Input of `uploadAttachment`, sent as a GraphQL multipart request.
#[derive(InputObject)]
pub struct UploadAttachmentInput {
    /// The compound a project photo concerns (required for `PROJECT_PHOTO`).
    pub compound_id: Option<ID>,
    /// The grid an event photo concerns (required for `EVENT_PHOTO`).
    pub grid_id: Option<ID>,
    /// The community score evidence concerns, for a community's entry (`SCORE_EVIDENCE` takes
    /// the compound or the community scored).
    pub community_id: Option<ID>,
    /// What it is for.
    pub purpose: AttachmentPurpose,
    /// The file (a multipart part); JPEG, PNG, WebP or PDF by its content, within the size limit.
    pub file: Upload,
}

/// Input of `proposeProject`.
#[derive(InputObject)]
pub struct ProposeProjectInput {
    /// The compound: the proposer's own.
    pub compound_id: ID,
    /// A title (at most 100 characters).
    pub title: String,
    /// What should be done, and why (at most 20,000 characters).
    pub description: String,
    /// What it might cost.
    pub estimated_cost_fen: FenScalar,
}

/// Input of `supportProject`.
#[derive(InputObject)]
pub struct SupportProjectInput {
    /// The project, in solicitation.
    pub project_id: ID,
}

/// Input of `deliberateProject`.
#[derive(InputObject)]
pub struct DeliberateProjectInput {
    /// The project, in solicitation.
    pub project_id: ID,
    /// The residents' council matter of its compound that deliberates it.
    pub council_matter_id: ID,
}

/// Input of `decideProject`: approve with `budgetFen`, or reject with `rejectionReason`.
#[derive(InputObject)]
pub struct DecideProjectInput {
    /// The project, under deliberation.
    pub project_id: ID,
    /// Approved or not.
    pub approved: bool,
    /// The budget, for an approval.
    pub budget_fen: Option<FenScalar>,
    /// Why, for a rejection (at most 20,000 characters).
    pub rejection_reason: Option<String>,
    /// The day of the decision (not in the future).
    pub decided_on: Date,
}

/// Input of `raiseProjectBudget`.
#[derive(InputObject)]
pub struct RaiseProjectBudgetInput {
    /// The project, approved or under implementation.
    pub project_id: ID,
    /// The new budget, above the one in force.
    pub budget_fen: FenScalar,
    /// Why (at most 20,000 characters).
    pub reason: String,
    /// The council matter of its compound that decided it, if one did.
    pub council_matter_id: Option<ID>,
    /// The day of the decision (not in the future).
    pub decided_on: Date,
}

/// Input of `startProjectImplementation`.
#[derive(InputObject)]
pub struct StartProjectImplementationInput {
    /// The project, approved.
    pub project_id: ID,
    /// The organisation or person answering for delivery (实施主体), at most 100 characters.
    pub implementer: String,
    /// The contractor doing the work, if any (at most 100 characters).
    pub contractor: Option<String>,
}

/// Input of `recordProjectProgress`.
#[derive(InputObject)]
pub struct RecordProjectProgressInput {
    /// The project, under implementation.
    pub project_id: ID,
    /// The day it happened (not in the future).
    pub happened_on: Date,
    /// What happened (at most 20,000 characters).
    pub text: String,
    /// Project photos uploaded for its compound (`uploadAttachment`), shown with the update.
    #[graphql(default)]
    pub photo_ids: Vec<ID>,
}

/// Input of `recordProjectSpending`.
#[derive(InputObject)]
pub struct RecordProjectSpendingInput {
    /// The project, under implementation.
    pub project_id: ID,
    /// How much; the spending so far may not pass the budget in force.
    pub amount_fen: FenScalar,
    /// When it was spent (not in the future).
    pub spent_on: Date,
    /// On what (at most 20,000 characters).
    pub description: String,
}

/// Input of `submitProjectForAcceptance`.
#[derive(InputObject)]
pub struct SubmitProjectForAcceptanceInput {
    /// The project, under implementation.
    pub project_id: ID,
    /// What was delivered (may be empty; at most 20,000 characters).
    #[graphql(default)]
    pub note: String,
}

/// Input of `rateProject`.
#[derive(InputObject)]
pub struct RateProjectInput {
    /// The project, under acceptance.
    pub project_id: ID,
    /// 1 to 5 stars.
    pub stars: i32,
    /// What the resident says (may be empty; at most 20,000 characters).
    #[graphql(default)]
    pub comment: String,
}

/// Input of `recordProjectAcceptance`.
#[derive(InputObject)]
pub struct RecordProjectAcceptanceInput {
    /// The project, under acceptance.
    pub project_id: ID,
    /// Accepted (it closes) or sent back to implementation.
    pub outcome: AcceptanceOutcome,
    /// The summary of the acceptance and of the residents' ratings (at most 20,000 characters).
    pub summary: String,
}

payload!(
    /// Result of an upload.
    UploadAttachmentPayload {
        /// The file as recorded.
        attachment: Attachment
    }
);
payload!(
    /// Result of a move of a project.
    ProjectPayload {
        /// The project as it stands after the move.
        project: Project
    }
);
payload!(
    /// Result of `supportProject`.
    SupportProjectPayload {
        /// The support as recorded.
        support: ProjectSupport
    }
);
payload!(
    /// Result of `raiseProjectBudget`.
    ProjectBudgetPayload {
        /// The budget decision as recorded.
        budget: ProjectBudget
    }
);
payload!(
    /// Result of `recordProjectProgress`.
    ProjectUpdatePayload {
        /// The update as recorded.
        update: ProjectUpdate
    }
);
payload!(
    /// Result of `recordProjectSpending`.
    ProjectSpendingPayload {
        /// The entry as recorded.
        spending: ProjectSpending
    }
);
payload!(
    /// Result of `rateProject`.
    ProjectRatingPayload {
        /// The rating as recorded.
        rating: ProjectRating
    }
);
payload!(
    /// Result of `recordProjectAcceptance`.
    ProjectAcceptancePayload {
        /// The acceptance record.
        acceptance: ProjectAcceptance
    }
);

fn project_id(id: &ID) -> crate::error::AppResult<i64> {
    input_id(id, NodeKind::Project, "project_id")
}

fn fen(raw: FenScalar, field: &str, positive: bool) -> crate::error::AppResult<Fen> {
    Fen::parse(raw.0, field, positive)
}

/// Reads an upload's bytes, at most `max + 1` of them: enough to tell that
/// a file is too large without reading all of it.
fn read_upload(ctx: &Context<'_>, file: &Upload, max: usize) -> Result<attachments::Upload> {
    let value = file.value(ctx)?;
    let file_name = value.filename.clone();
    let mut bytes = Vec::new();
    value
        .into_read()
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| AppError::Internal(format!("reading an upload: {e}")))?;
    Ok(attachments::Upload { file_name, bytes })
}

/// Mutations of people's small things and attachments.
#[derive(Default)]
pub struct ProjectsMutation;

/// Mutations of people's small things and attachments.
#[Object]
impl ProjectsMutation {
    /// Uploads a file (a multipart request, as the GraphQL multipart request specification
    /// says): its content type is read from its bytes, its size checked and its SHA-256
    /// recorded. Project photos are uploaded for a compound by those who run its projects;
    /// grid-event photos for a grid by those who report events there or handle them; score
    /// evidence by evaluators, for the compound or community they score.
    async fn upload_attachment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UploadAttachmentInput,
    ) -> Result<UploadAttachmentPayload> {
        let files = ctx
            .data::<Files>()
            .map_err(|_| AppError::Internal("no attachment store in context".into()))?
            .clone();
        // Decided before the file is read: a caller who may never upload
        // such files costs the service no reading.
        attachments::may_upload(caller(ctx), input.purpose)?;
        let upload = read_upload(ctx, &input.file, files.max_bytes())?;
        let outcome = mutate(ctx, async |uow| {
            let place = attachments::UploadFor {
                compound_id: input_id_opt(
                    input.compound_id.as_ref(),
                    NodeKind::Compound,
                    "compound_id",
                )?,
                grid_id: input_id_opt(input.grid_id.as_ref(), NodeKind::Grid, "grid_id")?,
                community_id: input_id_opt(
                    input.community_id.as_ref(),
                    NodeKind::Community,
                    "community_id",
                )?,
            };
            attachments::upload(uow, &files, input.purpose, place, upload).await
        })
        .await?;
        Ok(outcome.map(Attachment).into())
    }

    /// A resident proposes a project for their own compound (征集); other residents may then
    /// support it.
    async fn propose_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: ProposeProjectInput,
    ) -> Result<ProjectPayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = NewProject {
                compound_id: input_id(&input.compound_id, NodeKind::Compound, "compound_id")?,
                title: Name::parse(&input.title, "title")?,
                description: input.description.clone(),
                estimated_cost: fen(input.estimated_cost_fen, "estimated_cost_fen", false)?,
            };
            projects::propose(uow, new).await
        })
        .await?;
        Ok(outcome.map(Project).into())
    }

    /// A resident of the project's compound supports it while it is in solicitation, once.
    async fn support_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: SupportProjectInput,
    ) -> Result<SupportProjectPayload> {
        let outcome = mutate(ctx, async |uow| {
            projects::support(uow, project_id(&input.project_id)?).await
        })
        .await?;
        Ok(outcome.map(ProjectSupport).into())
    }

    /// Puts a project in solicitation before the residents' council (评议), linked to a council
    /// matter of its compound.
    async fn deliberate_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: DeliberateProjectInput,
    ) -> Result<ProjectPayload> {
        let outcome = mutate(ctx, async |uow| {
            let matter = input_id(
                &input.council_matter_id,
                NodeKind::CouncilMatter,
                "council_matter_id",
            )?;
            projects::deliberate(uow, project_id(&input.project_id)?, matter).await
        })
        .await?;
        Ok(outcome.map(Project).into())
    }

    /// Approves a project under deliberation with a budget, or rejects it with a reason (确定).
    async fn decide_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: DecideProjectInput,
    ) -> Result<ProjectPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = project_id(&input.project_id)?;
            let decision = if input.approved {
                let Some(b) = input.budget_fen else {
                    return Err(AppError::invalid(
                        "budget_fen",
                        crate::error::UserErrorCode::Required,
                        "an approval sets a budget",
                    ));
                };
                Decision::Approve {
                    budget: fen(b, "budget_fen", true)?,
                }
            } else {
                Decision::Reject {
                    reason: input.rejection_reason.clone().unwrap_or_default(),
                }
            };
            projects::decide(uow, id, decision, input.decided_on.0).await
        })
        .await?;
        Ok(outcome.map(Project).into())
    }

    /// Raises the budget of an approved project or one under implementation by a recorded
    /// decision: the only way its spending may go past the budget.
    async fn raise_project_budget(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RaiseProjectBudgetInput,
    ) -> Result<ProjectBudgetPayload> {
        let outcome = mutate(ctx, async |uow| {
            let raise = BudgetRaise {
                budget: fen(input.budget_fen, "budget_fen", true)?,
                reason: input.reason.clone(),
                council_matter_id: input_id_opt(
                    input.council_matter_id.as_ref(),
                    NodeKind::CouncilMatter,
                    "council_matter_id",
                )?,
                decided_on: input.decided_on.0,
            };
            projects::raise_budget(uow, project_id(&input.project_id)?, raise).await
        })
        .await?;
        Ok(outcome.map(ProjectBudget).into())
    }

    /// Starts the implementation of an approved project (实施), naming who delivers it.
    async fn start_project_implementation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: StartProjectImplementationInput,
    ) -> Result<ProjectPayload> {
        let outcome = mutate(ctx, async |uow| {
            let who = Implementation {
                implementer: Name::parse(&input.implementer, "implementer")?,
                contractor: name_opt(input.contractor.as_deref(), "contractor")?,
            };
            projects::start_implementation(uow, project_id(&input.project_id)?, who).await
        })
        .await?;
        Ok(outcome.map(Project).into())
    }

    /// Records a progress update, with photos, of a project under implementation.
    async fn record_project_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RecordProjectProgressInput,
    ) -> Result<ProjectUpdatePayload> {
        let outcome = mutate(ctx, async |uow| {
            let photo_ids = input
                .photo_ids
                .iter()
                .enumerate()
                .map(|(i, id)| input_id(id, NodeKind::Attachment, &format!("photo_ids.{i}")))
                .collect::<crate::error::AppResult<Vec<i64>>>()?;
            let progress = Progress {
                happened_on: input.happened_on.0,
                text: input.text.clone(),
                photo_ids,
            };
            projects::record_progress(uow, project_id(&input.project_id)?, progress).await
        })
        .await?;
        Ok(outcome.map(ProjectUpdate).into())
    }

    /// Records spending on a project under implementation; the spending so far may not pass the
    /// budget in force.
    async fn record_project_spending(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RecordProjectSpendingInput,
    ) -> Result<ProjectSpendingPayload> {
        let outcome = mutate(ctx, async |uow| {
            let spending = Spending {
                amount: fen(input.amount_fen, "amount_fen", true)?,
                spent_on: input.spent_on.0,
                description: input.description.clone(),
            };
            projects::record_spending(uow, project_id(&input.project_id)?, spending).await
        })
        .await?;
        Ok(outcome.map(ProjectSpending).into())
    }

    /// Hands a delivered project over for acceptance (验收): residents may rate it.
    async fn submit_project_for_acceptance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: SubmitProjectForAcceptanceInput,
    ) -> Result<ProjectPayload> {
        let outcome = mutate(ctx, async |uow| {
            projects::submit_for_acceptance(uow, project_id(&input.project_id)?, input.note.clone())
                .await
        })
        .await?;
        Ok(outcome.map(Project).into())
    }

    /// A resident of the project's compound rates it under acceptance, 1 to 5 stars, once in
    /// each round of acceptance.
    async fn rate_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RateProjectInput,
    ) -> Result<ProjectRatingPayload> {
        let outcome = mutate(ctx, async |uow| {
            projects::rate(
                uow,
                project_id(&input.project_id)?,
                input.stars,
                input.comment.clone(),
            )
            .await
        })
        .await?;
        Ok(outcome.map(ProjectRating).into())
    }

    /// The party branch records a project's acceptance with a summary of the ratings: accepted
    /// (it closes) or sent back to implementation.
    async fn record_project_acceptance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RecordProjectAcceptanceInput,
    ) -> Result<ProjectAcceptancePayload> {
        let outcome = mutate(ctx, async |uow| {
            let (_, a) = projects::record_acceptance(
                uow,
                project_id(&input.project_id)?,
                input.outcome,
                input.summary.clone(),
            )
            .await?;
            Ok(a)
        })
        .await?;
        Ok(outcome.map(ProjectAcceptance).into())
    }
}

/// The people's-small-things projects of a compound.
pub struct CompoundProjects(pub Arc<compound::Model>);

/// The people's-small-things projects of a compound.
#[Object]
impl CompoundProjects {
    /// The compound's people's-small-things projects (民生微实事), oldest first; `last` gives the
    /// newest.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<ProjectConnection> {
        page_of_children::<ProjectsOfCompound, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Project,
        )
        .await
    }
}
