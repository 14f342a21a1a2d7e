//! The residents' council and 四议两公开: councils, their matters and the
//! six steps of each, with the inputs and mutations that set up a council
//! and record and correct steps, and the `residentsCouncil` of a compound.
//! Publications made at steps 5 and 6 are `publications`'.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};

use crate::domain::decisions::council::{
    self, CouncilFields, Decision, Resolution, StepInput, StepRecord,
};
use crate::domain::decisions::tally;
use crate::domain::kinds::{CouncilRule, CouncilStepKind, StepOutcome};
use crate::domain::values::Name;
use crate::entity::{compound, council_matter, council_step, residents_council};
use crate::error::{AppError, AppResult, UserErrorCode};
use crate::graphql::id::{NodeKind, encode, input_id};
use crate::graphql::loaders::{
    CorrectionsOfStep, CouncilOfCompound, MattersOfCouncil, PublicationsOfMatter, StepsOfMatter,
    by_id, by_id_opt, children,
};
use crate::graphql::pagination::{CouncilMatterConnection, cost, page_of_children};
use crate::graphql::scalars::Date;
use crate::graphql::types::decisions::Publication;
use crate::graphql::types::{Compound, name_opt, page};
use crate::graphql::{loaders, mutate, payload};

/// A compound's residents' council (居民议事会).
pub struct ResidentsCouncil(pub residents_council::Model);

/// A compound's residents' council (居民议事会).
#[Object]
impl ResidentsCouncil {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ResidentsCouncil, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The law whose voting rule its resolutions follow.
    async fn rule(&self) -> CouncilRule {
        self.0.rule
    }
    /// Number of residents' representatives.
    async fn representatives(&self) -> i32 {
        self.0.representatives
    }
    /// Length of a publicity period (公示期), in days.
    async fn publicity_days(&self) -> i32 {
        self.0.publicity_days
    }
    /// The compound.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound::new))
    }
    /// The matters before the council, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn matters(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<CouncilMatterConnection> {
        page_of_children::<MattersOfCouncil, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            CouncilMatter,
        )
        .await
    }
}

/// A matter (议题) going through the four deliberations and two publications.
pub struct CouncilMatter(pub council_matter::Model);

/// A matter (议题) going through the four deliberations and two publications.
#[Object]
impl CouncilMatter {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::CouncilMatter, self.0.id)
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the matter is.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// When it was opened.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The steps taken, in order; corrections are reached from each step.
    async fn steps(&self, ctx: &Context<'_>) -> Result<Vec<CouncilStep>> {
        Ok(originals(ctx, self.0.id)
            .await?
            .into_iter()
            .map(CouncilStep)
            .collect())
    }
    /// The step the matter may take next; null when it was rejected or has completed.
    async fn next_step(&self, ctx: &Context<'_>) -> Result<Option<CouncilStepKind>> {
        Ok(council::next_step(&originals(ctx, self.0.id).await?).ok())
    }
    /// Whether the matter was rejected at some step and stopped there.
    async fn rejected(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(originals(ctx, self.0.id)
            .await?
            .iter()
            .any(|s| s.outcome == StepOutcome::Rejected))
    }
    /// Whether all six steps are done.
    async fn completed(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(originals(ctx, self.0.id)
            .await?
            .iter()
            .any(|s| s.step == CouncilStepKind::ResultPublication))
    }
    /// Its publications: the resolution, then the implementation result, with corrections.
    async fn publications(&self, ctx: &Context<'_>) -> Result<Vec<Publication>> {
        Ok(children::<PublicationsOfMatter>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(Publication)
            .collect())
    }
}

async fn originals(ctx: &Context<'_>, matter: i64) -> Result<Vec<council_step::Model>> {
    Ok(children::<StepsOfMatter>(loaders(ctx)?, matter)
        .await?
        .into_iter()
        .filter(|s| s.corrects_id.is_none())
        .collect())
}

/// One recorded step of a council matter.
pub struct CouncilStep(pub council_step::Model);

/// One recorded step of a council matter.
#[Object]
impl CouncilStep {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::CouncilStep, self.0.id)
    }
    /// Which step.
    async fn step(&self) -> CouncilStepKind {
        self.0.step
    }
    /// Its number, 1 to 6.
    async fn number(&self) -> i32 {
        self.0.step.number() as i32
    }
    /// The day it was held.
    async fn held_on(&self) -> Date {
        self.0.held_on.into()
    }
    /// The body that held it.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// Who attended.
    async fn attendance(&self) -> &str {
        &self.0.attendance
    }
    /// Minutes.
    async fn minutes(&self) -> Option<&str> {
        self.0.minutes.as_deref()
    }
    /// What the step came to.
    async fn outcome(&self) -> StepOutcome {
        self.0.outcome
    }
    /// Step 4: representatives of the council at the time.
    async fn representatives(&self) -> Option<i32> {
        self.0.representatives
    }
    /// Step 4: representatives present.
    async fn present(&self) -> Option<i32> {
        self.0.present
    }
    /// Step 4: votes for.
    async fn votes_for(&self) -> Option<i32> {
        self.0.votes_for
    }
    /// Step 4: votes against.
    async fn votes_against(&self) -> Option<i32> {
        self.0.votes_against
    }
    /// Step 4: abstentions.
    async fn votes_abstain(&self) -> Option<i32> {
        self.0.votes_abstain
    }
    /// Step 4: the rule the resolution was decided by.
    async fn rule(&self) -> Option<CouncilRule> {
        self.0.rule
    }
    /// Step 4: whether enough representatives were present.
    async fn quorum_met(&self) -> Option<bool> {
        let (rule, reps, present, votes_for) = (
            self.0.rule?,
            self.0.representatives?,
            self.0.present?,
            self.0.votes_for?,
        );
        Some(
            tally::council_resolution(
                rule,
                i64::from(reps),
                i64::from(present),
                i64::from(votes_for),
            )
            .0,
        )
    }
    /// The step this record corrects, when it is a correction.
    async fn corrects(&self, ctx: &Context<'_>) -> Result<Option<CouncilStep>> {
        Ok(
            by_id_opt::<council_step::Entity>(loaders(ctx)?, self.0.corrects_id)
                .await?
                .map(CouncilStep),
        )
    }
    /// Corrections of this step, oldest first; the last is the current record.
    async fn corrections(&self, ctx: &Context<'_>) -> Result<Vec<CouncilStep>> {
        Ok(children::<CorrectionsOfStep>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(CouncilStep)
            .collect())
    }
    /// When it was recorded.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// The residents' council of a compound.
pub struct CompoundCouncil(pub Arc<compound::Model>);

/// The residents' council of a compound.
#[Object]
impl CompoundCouncil {
    /// Its residents' council, if set up.
    async fn residents_council(&self, ctx: &Context<'_>) -> Result<Option<ResidentsCouncil>> {
        Ok(children::<CouncilOfCompound>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .next()
            .map(ResidentsCouncil))
    }
}

/// The decision outcome at steps 1–3.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum StepDecision {
    /// The matter goes on.
    Approve,
    /// The matter stops here.
    Reject,
}

/// Input of `createResidentsCouncil`.
#[derive(InputObject)]
pub struct CreateResidentsCouncilInput {
    /// The compound.
    pub compound_id: ID,
    /// Name (at most 100 characters).
    pub name: String,
    /// The voting rule of its resolutions; default URBAN_RESIDENTS.
    pub rule: Option<CouncilRule>,
    /// Number of residents' representatives.
    pub representatives: i32,
    /// Length of a publicity period in days; default 7.
    pub publicity_days: Option<i32>,
}

/// Input of `updateResidentsCouncil`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateResidentsCouncilInput {
    /// The council.
    pub id: ID,
    /// New name (at most 100 characters).
    pub name: Option<String>,
    /// New rule (applies to resolutions recorded from now on).
    pub rule: Option<CouncilRule>,
    /// New number of representatives.
    pub representatives: Option<i32>,
    /// New publicity period in days.
    pub publicity_days: Option<i32>,
}

/// What was held: the common record of every step.
#[derive(InputObject)]
pub struct StepRecordInput {
    /// The day it was held (not in the future, not before the previous step).
    pub held_on: Date,
    /// The body that held it (at most 100 characters).
    pub body: String,
    /// Who attended (at most 20,000 characters).
    pub attendance: String,
    /// Minutes (at most 20,000 characters).
    pub minutes: Option<String>,
}

impl StepRecordInput {
    fn parse(self) -> AppResult<StepRecord> {
        Ok(StepRecord {
            held_on: self.held_on.0,
            body: Name::parse(&self.body, "record.body")?,
            attendance: self.attendance,
            minutes: self.minutes,
        })
    }
}

/// Input of `proposeCouncilMatter`: opens a matter with step 1, the party organisation's proposal.
#[derive(InputObject)]
pub struct ProposeCouncilMatterInput {
    /// The council.
    pub council_id: ID,
    /// Title (at most 100 characters).
    pub title: String,
    /// What the matter is (at most 20,000 characters).
    pub description: String,
    /// The proposal meeting.
    pub record: StepRecordInput,
}

/// Input of `recordCouncilStep`: the next step of a matter. Give `decision` for steps 2–3,
/// the vote counts for step 4, and the publication's title and text for steps 5–6.
#[derive(InputObject)]
pub struct RecordCouncilStepInput {
    /// The matter.
    pub matter_id: ID,
    /// Which step this is; it must be the matter's next step.
    pub step: CouncilStepKind,
    /// What was held.
    pub record: StepRecordInput,
    /// Steps 2–3: whether the matter goes on.
    pub decision: Option<StepDecision>,
    /// Step 4: representatives present.
    pub present: Option<i32>,
    /// Step 4: votes for.
    pub votes_for: Option<i32>,
    /// Step 4: votes against.
    pub votes_against: Option<i32>,
    /// Step 4: abstentions.
    pub votes_abstain: Option<i32>,
    /// Steps 5–6: title of the publication (at most 100 characters).
    pub publication_title: Option<String>,
    /// Steps 5–6: text of the publication (at most 20,000 characters).
    pub publication_text: Option<String>,
}

impl RecordCouncilStepInput {
    fn step_input(&self) -> AppResult<StepInput> {
        let need = |field: &str, what: &str| {
            AppError::invalid(
                field,
                UserErrorCode::Required,
                format!("this step needs {what}"),
            )
        };
        Ok(match self.step {
            CouncilStepKind::PartyProposal
            | CouncilStepKind::CommitteesDeliberation
            | CouncilStepKind::PartyMembersReview => {
                let d = self
                    .decision
                    .ok_or_else(|| need("decision", "a decision"))?;
                StepInput::Deliberation(
                    self.step,
                    match d {
                        StepDecision::Approve => Decision::Approve,
                        StepDecision::Reject => Decision::Reject,
                    },
                )
            }
            CouncilStepKind::RepresentativesResolution => StepInput::Resolution(Resolution {
                present: self
                    .present
                    .ok_or_else(|| need("present", "the representatives present"))?,
                votes_for: self
                    .votes_for
                    .ok_or_else(|| need("votes_for", "the votes for"))?,
                votes_against: self.votes_against.unwrap_or(0),
                votes_abstain: self.votes_abstain.unwrap_or(0),
            }),
            CouncilStepKind::ResolutionPublication | CouncilStepKind::ResultPublication => {
                let title = self
                    .publication_title
                    .as_deref()
                    .ok_or_else(|| need("publication_title", "a title"))?;
                let title = Name::parse(title, "publication_title")?;
                let text = self
                    .publication_text
                    .clone()
                    .ok_or_else(|| need("publication_text", "a text"))?;
                if text.trim().is_empty() {
                    return Err(need("publication_text", "a text"));
                }
                if self.step == CouncilStepKind::ResolutionPublication {
                    StepInput::PublishResolution { title, text }
                } else {
                    StepInput::PublishResult { title, text }
                }
            }
        })
    }
}

/// Input of `correctCouncilStep`: a corrected record of a step; the original stays readable.
#[derive(InputObject)]
pub struct CorrectCouncilStepInput {
    /// The step to correct.
    pub step_id: ID,
    /// The corrected record.
    pub record: StepRecordInput,
}

payload!(
    /// Result of creating or changing a residents' council.
    ResidentsCouncilPayload {
        /// The council as saved.
        council: ResidentsCouncil
    }
);
payload!(
    /// Result of opening a matter.
    CouncilMatterPayload {
        /// The matter.
        matter: CouncilMatter
    }
);
payload!(
    /// Result of recording or correcting a step.
    CouncilStepPayload {
        /// The step as recorded.
        step: CouncilStep
    }
);

/// Mutations of residents' councils and their matters.
#[derive(Default)]
pub struct CouncilMutation;

/// Mutations of residents' councils and their matters.
#[Object]
impl CouncilMutation {
    /// Sets up a compound's residents' council with its voting rule.
    async fn create_residents_council(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateResidentsCouncilInput,
    ) -> Result<ResidentsCouncilPayload> {
        let outcome = mutate(ctx, async |uow| {
            let compound = input_id(&input.compound_id, NodeKind::Compound, "compound_id")?;
            let fields = CouncilFields {
                name: Some(Name::parse(&input.name, "name")?),
                rule: input.rule,
                representatives: Some(input.representatives),
                publicity_days: input.publicity_days,
            };
            council::create_council(uow, compound, fields).await
        })
        .await?;
        Ok(outcome.map(ResidentsCouncil).into())
    }

    /// Changes a council's settings.
    async fn update_residents_council(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateResidentsCouncilInput,
    ) -> Result<ResidentsCouncilPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::ResidentsCouncil, "id")?;
            let fields = CouncilFields {
                name: name_opt(input.name.as_deref(), "name")?,
                rule: input.rule,
                representatives: input.representatives,
                publicity_days: input.publicity_days,
            };
            council::update_council(uow, id, fields).await
        })
        .await?;
        Ok(outcome.map(ResidentsCouncil).into())
    }

    /// Opens a matter with step 1: the party organisation's proposal.
    async fn propose_council_matter(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: ProposeCouncilMatterInput,
    ) -> Result<CouncilMatterPayload> {
        let outcome = mutate(ctx, async |uow| {
            let council_id = input_id(&input.council_id, NodeKind::ResidentsCouncil, "council_id")?;
            let title = Name::parse(&input.title, "title")?;
            let record = input.record.parse()?;
            council::propose_matter(uow, council_id, title, input.description, record).await
        })
        .await?;
        Ok(outcome.map(|(m, _)| CouncilMatter(m)).into())
    }

    /// Records the next step of a matter; steps run in order and a rejected matter stops.
    async fn record_council_step(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RecordCouncilStepInput,
    ) -> Result<CouncilStepPayload> {
        let outcome = mutate(ctx, async |uow| {
            let matter = input_id(&input.matter_id, NodeKind::CouncilMatter, "matter_id")?;
            let step = input.step_input()?;
            let record = input.record.parse()?;
            let (saved, _) = council::record_step(uow, matter, record, step).await?;
            Ok(CouncilStep(saved))
        })
        .await?;
        Ok(outcome.into())
    }

    /// Corrects a step's record (body, attendance, minutes); the original stays readable.
    async fn correct_council_step(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CorrectCouncilStepInput,
    ) -> Result<CouncilStepPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.step_id, NodeKind::CouncilStep, "step_id")?;
            council::correct_step(uow, id, input.record.parse()?).await
        })
        .await?;
        Ok(outcome.map(CouncilStep).into())
    }
}
