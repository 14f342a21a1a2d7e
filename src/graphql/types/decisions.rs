//! Decisions: the residents' council and 四议两公开, publications and
//! objections, owners' assembly votes, and the hash chain that makes the
//! records tamper-evident. Rules live in `domain::{council, assembly,
//! tally, ledger}`; this is the GraphQL shape of them.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;

use crate::domain::access::{Caller, Permission};
use crate::domain::decisions::assembly::{self, NewVote};
use crate::domain::decisions::council::{self, CouncilFields, Decision, Resolution, StepInput, StepRecord};
use crate::domain::event::DecisionEvent;
use crate::domain::kinds::{
    ArticleMatter, BallotChoice, CouncilRule, CouncilStepKind, PublicationKind, StepOutcome,
    VoteRule, VoteStatus,
};
use crate::domain::decisions::ledger;
use crate::domain::decisions::tally::{self, Tally, Weight};
use crate::domain::values::{Area, Name};
use crate::entity::{
    account, assembly_vote, ballot, compound, council_matter, council_step, objection,
    objection_answer, person, publication, residents_council, vote_result, vote_voter,
};
use crate::error::{AppError, AppResult, UserErrorCode};
use crate::graphql::id::{NodeKind, arg_id, encode, input_id};
use crate::graphql::loaders::{
    AnswersOfObjection, BallotsOfVote, CorrectionsOfPublication, CorrectionsOfStep,
    MattersOfCouncil, ObjectionsOfPublication, OwnersOfVoter, PublicationsOfMatter, ResultOfVote,
    StepsOfMatter, VotersOfVote, by_id, by_id_opt, children,
};
use crate::graphql::pagination::{
    AssemblyVoteConnection, BallotConnection, PageArgs, PublicationConnection, VoteVoterConnection,
    cost, page_of_children, paginate_loaded,
};
use crate::graphql::scalars::{self, Date};
use crate::graphql::types::compound::{Compound, compound_scope, name_opt};
use crate::graphql::types::people::Person;
use crate::graphql::{caller, clock, db, hub, loaders, mutate, payload};

fn area(centi: i64) -> scalars::Area {
    scalars::Area(Area::from_centi(centi))
}

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
            .map(Compound))
    }
    /// The matters before the council, oldest first.
    async fn matters(&self, ctx: &Context<'_>) -> Result<Vec<CouncilMatter>> {
        Ok(children::<MattersOfCouncil>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(CouncilMatter)
            .collect())
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
            .map(Compound))
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
    async fn objections(&self, ctx: &Context<'_>) -> Result<Vec<Objection>> {
        Ok(
            children::<ObjectionsOfPublication>(loaders(ctx)?, self.0.id)
                .await?
                .into_iter()
                .map(Objection)
                .collect(),
        )
    }
    /// Who published it.
    async fn published_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.published_by).await
    }
}

async fn username(ctx: &Context<'_>, account_id: i64) -> Result<Option<String>> {
    Ok(by_id::<account::Entity>(loaders(ctx)?, account_id)
        .await?
        .map(|a| a.display_name))
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

/// Whether the caller may read what `permission` (a `Read…` permission)
/// covers in the compound `compound_id`; false when the compound is gone.
async fn may_read_in(ctx: &Context<'_>, permission: Permission, compound_id: i64) -> Result<bool> {
    let l = loaders(ctx)?;
    let Some(c) = by_id::<compound::Entity>(l, compound_id).await? else {
        return Ok(false);
    };
    let scope = compound_scope(ctx, &c).await?;
    Ok(caller(ctx).can_read(permission, &scope))
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

/// An owners' assembly vote on one matter of Civil Code art. 278.
pub struct AssemblyVote(pub assembly_vote::Model);

/// An owners' assembly vote on one matter of Civil Code art. 278.
#[Object]
impl AssemblyVote {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::AssemblyVote, self.0.id)
    }
    /// The matter of art. 278.
    async fn matter(&self) -> ArticleMatter {
        self.0.matter
    }
    /// The item number of art. 278 (1–9).
    async fn item(&self) -> i32 {
        self.0.matter.item()
    }
    /// The agreement rule the matter needs.
    async fn rule(&self) -> VoteRule {
        self.0.matter.rule()
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What is proposed.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Open or closed.
    async fn status(&self) -> VoteStatus {
        self.0.status
    }
    /// When it opened and its register was fixed.
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.opened_at
    }
    /// When it stops taking ballots, if fixed in advance.
    async fn closes_at(&self) -> Option<DateTime<Utc>> {
        self.0.closes_at
    }
    /// When it closed.
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// The compound.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(by_id::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
            .await?
            .map(Compound))
    }
    /// The tally: live while open, final once closed.
    async fn tally(&self, ctx: &Context<'_>) -> Result<VoteTally> {
        tally_of(ctx, &self.0).await
    }
    /// The stored result and its basis, once closed.
    async fn result(&self, ctx: &Context<'_>) -> Result<Option<VoteTally>> {
        let rows = children::<ResultOfVote>(loaders(ctx)?, self.0.id).await?;
        Ok(rows.into_iter().next().map(|r| VoteTally::from_result(&r)))
    }
    /// The caller's counted owner on the register and its standing ballot, if the caller is an owner.
    async fn my_ballot(&self, ctx: &Context<'_>) -> Result<Option<Ballot>> {
        let Caller::Account(actor) = caller(ctx) else {
            return Ok(None);
        };
        let Some(person) = actor.person_id else {
            return Ok(None);
        };
        let l = loaders(ctx)?;
        let voters = children::<VotersOfVote>(l, self.0.id).await?;
        // One batched load for every voter's owners.
        let owners = futures_util::future::try_join_all(
            voters.iter().map(|v| children::<OwnersOfVoter>(l, v.id)),
        )
        .await?;
        let mine = owners
            .iter()
            .flatten()
            .find(|o| o.person_id == person)
            .map(|o| o.voter_id);
        let Some(voter) = mine else { return Ok(None) };
        let ballots = children::<BallotsOfVote>(l, self.0.id).await?;
        Ok(assembly::standing(&ballots)
            .get(&voter)
            .map(|b| Ballot((*b).clone())))
    }
    /// The register fixed when the vote opened: each counted owner with its area. For those who
    /// run the vote (committee members, staff).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn register(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<VoteVoterConnection> {
        require_vote_staff(ctx, self.0.compound_id).await?;
        page_of_children::<VotersOfVote, _, _>(
            loaders(ctx)?,
            self.0.id,
            PageArgs {
                after,
                before,
                first,
                last,
            },
            VoteVoter,
        )
        .await
    }
    /// Every ballot, superseded ones included, in the order cast. For those who run the vote.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn ballots(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor.")] before: Option<String>,
    ) -> Result<BallotConnection> {
        require_vote_staff(ctx, self.0.compound_id).await?;
        let rows = children::<BallotsOfVote>(loaders(ctx)?, self.0.id).await?;
        paginate_loaded(
            rows,
            PageArgs {
                after,
                before,
                first,
                last,
            },
            |b| b.id,
            Ballot,
        )
        .await
    }
}

/// Refuses callers who may not see the register and ballots of a vote in `compound_id`.
async fn require_vote_staff(ctx: &Context<'_>, compound_id: i64) -> Result<()> {
    if may_read_in(ctx, Permission::ReadBallots, compound_id).await? {
        Ok(())
    } else {
        caller(ctx).actor()?;
        Err(AppError::Forbidden(
            "only those who run the vote may see the register and ballots".into(),
        )
        .into())
    }
}

async fn tally_of(ctx: &Context<'_>, vote: &assembly_vote::Model) -> Result<VoteTally> {
    let l = loaders(ctx)?;
    if let Some(r) = children::<ResultOfVote>(l, vote.id)
        .await?
        .into_iter()
        .next()
    {
        return Ok(VoteTally::from_result(&r));
    }
    let voters = children::<VotersOfVote>(l, vote.id).await?;
    let ballots = children::<BallotsOfVote>(l, vote.id).await?;
    let t = assembly::tally_over(vote, &voters, &ballots);
    Ok(VoteTally::live(t, vote.matter.rule()))
}

/// A tally of an assembly vote and the basis of its result: totals of the register,
/// participation, agreement by area and by heads, the rule applied, and the outcome.
pub struct VoteTally {
    t: Tally,
    rule: VoteRule,
    quorum_met: bool,
    adopted: bool,
    is_final: bool,
}

impl VoteTally {
    fn live(t: Tally, rule: VoteRule) -> Self {
        Self {
            quorum_met: tally::quorum_met(&t),
            adopted: tally::adopted(&t, rule),
            t,
            rule,
            is_final: false,
        }
    }

    fn from_result(r: &vote_result::Model) -> Self {
        let w = |area_centi, heads: i32| Weight {
            area_centi,
            heads: i64::from(heads),
        };
        Self {
            t: Tally {
                total: w(r.total_area_centi, r.total_heads),
                participating: w(r.participating_area_centi, r.participating_heads),
                agree: w(r.agree_area_centi, r.agree_heads),
                disagree: w(r.disagree_area_centi, r.disagree_heads),
                abstain: w(r.abstain_area_centi, r.abstain_heads),
            },
            rule: r.rule,
            quorum_met: r.quorum_met,
            adopted: r.adopted,
            is_final: true,
        }
    }
}

/// A tally of an assembly vote and the basis of its result: totals of the register,
/// participation, agreement by area and by heads, the rule applied, and the outcome.
#[Object]
impl VoteTally {
    /// Whether this is the stored result of a closed vote (otherwise a live tally).
    async fn is_final(&self) -> bool {
        self.is_final
    }
    /// Total exclusive area on the register.
    async fn total_area(&self) -> scalars::Area {
        area(self.t.total.area_centi)
    }
    /// Owners on the register, counted by heads.
    async fn total_heads(&self) -> i32 {
        self.t.total.heads as i32
    }
    /// Exclusive area of the owners who took part.
    async fn participating_area(&self) -> scalars::Area {
        area(self.t.participating.area_centi)
    }
    /// Owners who took part.
    async fn participating_heads(&self) -> i32 {
        self.t.participating.heads as i32
    }
    /// Area of the owners who agree.
    async fn agree_area(&self) -> scalars::Area {
        area(self.t.agree.area_centi)
    }
    /// Owners who agree.
    async fn agree_heads(&self) -> i32 {
        self.t.agree.heads as i32
    }
    /// Area of the owners who disagree.
    async fn disagree_area(&self) -> scalars::Area {
        area(self.t.disagree.area_centi)
    }
    /// Owners who disagree.
    async fn disagree_heads(&self) -> i32 {
        self.t.disagree.heads as i32
    }
    /// Area of the owners who abstain.
    async fn abstain_area(&self) -> scalars::Area {
        area(self.t.abstain.area_centi)
    }
    /// Owners who abstain.
    async fn abstain_heads(&self) -> i32 {
        self.t.abstain.heads as i32
    }
    /// Whether at least two thirds of the area and of the owners took part.
    async fn quorum_met(&self) -> bool {
        self.quorum_met
    }
    /// The agreement rule applied.
    async fn rule(&self) -> VoteRule {
        self.rule
    }
    /// Whether the matter is adopted (final) or would be if the vote closed now (live).
    async fn adopted(&self) -> bool {
        self.adopted
    }
}

/// A counted owner on a vote's register.
pub struct VoteVoter(pub vote_voter::Model);

/// A counted owner on a vote's register.
#[Object]
impl VoteVoter {
    /// Global ID: give it to `recordPaperBallot`.
    pub async fn id(&self) -> ID {
        encode(NodeKind::VoteVoter, self.0.id)
    }
    /// Its exclusive area (all its parts together).
    async fn area(&self) -> scalars::Area {
        area(self.0.area_centi)
    }
    /// Whether it is the developer's unsold or undelivered parts, counted as one owner.
    async fn is_developer(&self) -> bool {
        self.0.is_developer
    }
    /// The people who may cast its ballot.
    async fn owners(&self, ctx: &Context<'_>) -> Result<Vec<Person>> {
        let l = loaders(ctx)?;
        let owners = children::<OwnersOfVoter>(l, self.0.id).await?;
        let people = futures_util::future::try_join_all(
            owners
                .iter()
                .map(|o| by_id::<person::Entity>(l, o.person_id)),
        )
        .await?;
        Ok(people.into_iter().flatten().map(Person).collect())
    }
}

/// A ballot. A changed ballot is a new one superseding the last; all stay on record.
pub struct Ballot(pub ballot::Model);

/// A ballot. A changed ballot is a new one superseding the last; all stay on record.
#[Object]
impl Ballot {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Ballot, self.0.id)
    }
    /// The choice.
    async fn choice(&self) -> BallotChoice {
        self.0.choice
    }
    /// Whether the committee recorded it from a paper ballot.
    async fn paper(&self) -> bool {
        self.0.paper
    }
    /// When it was cast or recorded.
    async fn cast_at(&self) -> DateTime<Utc> {
        self.0.cast_at
    }
    /// The account that recorded it: the owner's own, or the committee member's for a paper ballot.
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        username(ctx, self.0.recorded_by).await
    }
    /// The ballot it replaced, if it changed one.
    async fn supersedes(&self, ctx: &Context<'_>) -> Result<Option<Ballot>> {
        Ok(
            by_id_opt::<ballot::Entity>(loaders(ctx)?, self.0.supersedes_id)
                .await?
                .map(Ballot),
        )
    }
    /// The counted owner it is for.
    async fn voter(&self, ctx: &Context<'_>) -> Result<Option<VoteVoter>> {
        Ok(by_id::<vote_voter::Entity>(loaders(ctx)?, self.0.voter_id)
            .await?
            .map(VoteVoter))
    }
}

/// The outcome of recomputing a compound's hash chain of decision records.
pub struct ChainVerification(ledger::Verification);

/// The outcome of recomputing a compound's hash chain of decision records.
#[Object]
impl ChainVerification {
    /// Whether every record and link is intact.
    async fn intact(&self) -> bool {
        self.0.first_broken.is_none()
    }
    /// How many links were checked.
    async fn links(&self) -> i32 {
        self.0.links as i32
    }
    /// The hash of the last intact link: kept or published elsewhere, it shows later that
    /// no link was cut from the end of the chain.
    async fn head_hash(&self) -> &str {
        &self.0.head_hash
    }
    /// Position (from 1) of the first broken link.
    async fn first_broken_seq(&self) -> Option<i32> {
        self.0.first_broken.as_ref().map(|b| b.seq as i32)
    }
    /// The ID of the record at the first broken link.
    async fn first_broken_record(&self) -> Option<ID> {
        let b = self.0.first_broken.as_ref()?;
        NodeKind::from_name(&b.kind).map(|k| encode(k, b.ref_id))
    }
    /// The kind of record at the first broken link.
    async fn first_broken_kind(&self) -> Option<&str> {
        self.0.first_broken.as_ref().map(|b| b.kind.as_str())
    }
    /// What is wrong with it.
    async fn reason(&self) -> Option<&str> {
        self.0.first_broken.as_ref().map(|b| b.reason.as_str())
    }
}

/// Recomputes the chain of `compound_id`.
pub async fn verify_chain(ctx: &Context<'_>, compound_id: i64) -> Result<ChainVerification> {
    Ok(ChainVerification(
        ledger::verify(db(ctx)?, compound_id).await?,
    ))
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

/// A compound's assembly votes, newest first.
pub async fn votes_of(
    ctx: &Context<'_>,
    compound_id: i64,
    args: PageArgs,
) -> Result<AssemblyVoteConnection> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let select =
        assembly_vote::Entity::find().filter(assembly_vote::Column::CompoundId.eq(compound_id));
    crate::graphql::pagination::paginate_newest_first(db(ctx)?, select, args, AssemblyVote).await
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
    /// Name.
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
    /// New name.
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
    /// The body that held it.
    pub body: String,
    /// Who attended.
    pub attendance: String,
    /// Minutes.
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
    /// Title.
    pub title: String,
    /// What the matter is.
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
    /// Steps 5–6: title of the publication.
    pub publication_title: Option<String>,
    /// Steps 5–6: text of the publication.
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
                    .ok_or_else(|| need("votesFor", "the votes for"))?,
                votes_against: self.votes_against.unwrap_or(0),
                votes_abstain: self.votes_abstain.unwrap_or(0),
            }),
            CouncilStepKind::ResolutionPublication | CouncilStepKind::ResultPublication => {
                let title = self
                    .publication_title
                    .as_deref()
                    .ok_or_else(|| need("publicationTitle", "a title"))?;
                let title = Name::parse(title, "publicationTitle")?;
                let text = self
                    .publication_text
                    .clone()
                    .ok_or_else(|| need("publicationText", "a text"))?;
                if text.trim().is_empty() {
                    return Err(need("publicationText", "a text"));
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

/// Input of `correctPublication`: a corrected publication; the original stays readable.
#[derive(InputObject)]
pub struct CorrectPublicationInput {
    /// The publication to correct.
    pub publication_id: ID,
    /// Corrected title.
    pub title: String,
    /// Corrected text.
    pub text: String,
}

/// Input of `lodgeObjection`.
#[derive(InputObject)]
pub struct LodgeObjectionInput {
    /// The publication, during its publicity period.
    pub publication_id: ID,
    /// The objection.
    pub text: String,
}

/// Input of `answerObjection`.
#[derive(InputObject)]
pub struct AnswerObjectionInput {
    /// The objection.
    pub objection_id: ID,
    /// The answer.
    pub text: String,
}

/// Input of `openAssemblyVote`: opening fixes the register of owners and areas.
#[derive(InputObject)]
pub struct OpenAssemblyVoteInput {
    /// The compound.
    pub compound_id: ID,
    /// The matter of art. 278.
    pub matter: ArticleMatter,
    /// Title.
    pub title: String,
    /// What is proposed.
    pub description: String,
    /// When ballots stop being taken, if fixed in advance.
    pub closes_at: Option<DateTime<Utc>>,
}

/// Input of `castBallot`: an owner's own ballot.
#[derive(InputObject)]
pub struct CastBallotInput {
    /// The vote.
    pub vote_id: ID,
    /// The choice; casting again changes it.
    pub choice: BallotChoice,
}

/// Input of `recordPaperBallot`: the committee records an owner's paper ballot.
#[derive(InputObject)]
pub struct RecordPaperBallotInput {
    /// The vote.
    pub vote_id: ID,
    /// The counted owner on the register (see `AssemblyVote.register`).
    pub voter_id: ID,
    /// The choice on the paper ballot.
    pub choice: BallotChoice,
}

/// Input of `closeAssemblyVote`.
#[derive(InputObject)]
pub struct CloseAssemblyVoteInput {
    /// The vote.
    pub vote_id: ID,
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
payload!(
    /// Result of opening or closing a vote.
    AssemblyVotePayload {
        /// The vote.
        vote: AssemblyVote
    }
);
payload!(
    /// Result of casting or recording a ballot.
    BallotPayload {
        /// The ballot as recorded.
        ballot: Ballot
    }
);

/// Queries of decisions that are not reached from a compound.
#[derive(Default)]
pub struct DecisionsQuery;

#[Object]
impl DecisionsQuery {
    /// Recomputes a compound's hash chain of decision records and reports whether every
    /// record is intact and, if not, the first one that is not.
    async fn verify_decision_chain(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The compound.")] compound_id: ID,
    ) -> Result<ChainVerification> {
        verify_chain(ctx, arg_id(&compound_id, NodeKind::Compound)?).await
    }
}

/// Mutations of decisions.
#[derive(Default)]
pub struct DecisionsMutation;

#[Object]
impl DecisionsMutation {
    /// Sets up a compound's residents' council with its voting rule.
    async fn create_residents_council(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateResidentsCouncilInput,
    ) -> Result<ResidentsCouncilPayload> {
        let outcome = mutate(ctx, async |uow| {
            let compound = input_id(&input.compound_id, NodeKind::Compound, "compoundId")?;
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
            let council_id = input_id(&input.council_id, NodeKind::ResidentsCouncil, "councilId")?;
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
            let matter = input_id(&input.matter_id, NodeKind::CouncilMatter, "matterId")?;
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
            let id = input_id(&input.step_id, NodeKind::CouncilStep, "stepId")?;
            council::correct_step(uow, id, input.record.parse()?).await
        })
        .await?;
        Ok(outcome.map(CouncilStep).into())
    }

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
                "publicationId",
            )?;
            let title = Name::parse(&input.title, "title")?;
            council::correct_publication(uow, id, title, input.text).await
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
                "publicationId",
            )?;
            council::lodge_objection(uow, id, input.text).await
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
            let id = input_id(&input.objection_id, NodeKind::Objection, "objectionId")?;
            council::answer_objection(uow, id, input.text).await?;
            crate::domain::store::find::<objection::Entity>(uow.db(), id, "objection").await
        })
        .await?;
        Ok(outcome.map(Objection).into())
    }

    /// Opens an owners' assembly vote and fixes its register of owners and areas.
    async fn open_assembly_vote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: OpenAssemblyVoteInput,
    ) -> Result<AssemblyVotePayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = NewVote {
                compound_id: input_id(&input.compound_id, NodeKind::Compound, "compoundId")?,
                matter: input.matter,
                title: Name::parse(&input.title, "title")?,
                description: input.description,
                closes_at: input.closes_at,
            };
            assembly::open_vote(uow, new).await
        })
        .await?;
        Ok(outcome.map(AssemblyVote).into())
    }

    /// An owner casts or changes their own ballot; the last one counts.
    async fn cast_ballot(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CastBallotInput,
    ) -> Result<BallotPayload> {
        let outcome = mutate(ctx, async |uow| {
            let vote = input_id(&input.vote_id, NodeKind::AssemblyVote, "voteId")?;
            assembly::cast_ballot(uow, vote, input.choice).await
        })
        .await?;
        Ok(outcome.map(Ballot).into())
    }

    /// A committee member records an owner's paper ballot; the recorder is kept.
    async fn record_paper_ballot(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RecordPaperBallotInput,
    ) -> Result<BallotPayload> {
        let outcome = mutate(ctx, async |uow| {
            let vote = input_id(&input.vote_id, NodeKind::AssemblyVote, "voteId")?;
            let voter = input_id(&input.voter_id, NodeKind::VoteVoter, "voterId")?;
            assembly::record_paper_ballot(uow, vote, voter, input.choice).await
        })
        .await?;
        Ok(outcome.map(Ballot).into())
    }

    /// Closes a vote: computes and stores the result with its basis, and publishes it.
    async fn close_assembly_vote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CloseAssemblyVoteInput,
    ) -> Result<AssemblyVotePayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.vote_id, NodeKind::AssemblyVote, "voteId")?;
            let (vote, _, _) = assembly::close_vote(uow, id).await?;
            Ok(AssemblyVote(vote))
        })
        .await?;
        Ok(outcome.into())
    }
}

/// Live updates of decisions: tallies and publications are public notices
/// (公示); the ballots themselves are for those who run the vote.
#[derive(Default)]
pub struct DecisionSubscription;

/// Live updates of decisions.
#[Subscription]
impl DecisionSubscription {
    /// A vote's tally: the current one at once, then again after every ballot and at closing.
    async fn vote_tally(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The vote.")] vote_id: ID,
    ) -> Result<impl Stream<Item = Result<VoteTally>>> {
        let id = arg_id(&vote_id, NodeKind::AssemblyVote)?;
        let db = db(ctx)?.clone();
        let mut rx = hub(ctx)?.subscribe();
        crate::domain::store::find::<assembly_vote::Entity>(&db, id, "vote").await?;
        Ok(async_stream::stream! {
            yield current_tally(&db, id).await;
            loop {
                match rx.recv().await {
                    Ok(DecisionEvent::TallyChanged { vote_id }) if vote_id == id => yield current_tally(&db, id).await,
                    Ok(_) => {}
                    // A slow subscriber that missed events still gets the latest state.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => yield current_tally(&db, id).await,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                }
            }
        })
    }

    /// Ballots of a vote as they are cast or changed, for those who run the
    /// vote (who voted how is not public): each new ballot, oldest first.
    async fn vote_ballots(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The vote.")] vote_id: ID,
    ) -> Result<impl Stream<Item = Result<Ballot>>> {
        let id = arg_id(&vote_id, NodeKind::AssemblyVote)?;
        let db = db(ctx)?.clone();
        // Decide before looking: a caller who may see no ballots anywhere
        // learns nothing of which votes exist.
        crate::domain::access::may_hold(caller(ctx), Permission::ReadBallots)?;
        let vote = crate::domain::store::find::<assembly_vote::Entity>(&db, id, "vote").await?;
        require_vote_staff(ctx, vote.compound_id).await?;
        let mut rx = hub(ctx)?.subscribe();
        let mut last_seen = newest_ballot(&db, id).await?;
        Ok(async_stream::stream! {
            loop {
                let wanted = match rx.recv().await {
                    Ok(DecisionEvent::TallyChanged { vote_id }) => vote_id == id,
                    Ok(_) => false,
                    // Events were missed: look for what appeared meanwhile.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => true,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                };
                if !wanted {
                    continue;
                }
                match newer_ballots(&db, id, last_seen).await {
                    Ok(found) => {
                        for b in found {
                            last_seen = b.id;
                            yield Ok(Ballot(b));
                        }
                    }
                    Err(e) => yield Err(e.into()),
                }
            }
        })
    }

    /// New publications of a compound, as they appear.
    async fn compound_publications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The compound.")] compound_id: ID,
    ) -> Result<impl Stream<Item = Result<Publication>>> {
        let id = arg_id(&compound_id, NodeKind::Compound)?;
        let db = db(ctx)?.clone();
        let mut rx = hub(ctx)?.subscribe();
        crate::domain::store::find::<compound::Entity>(&db, id, "compound").await?;
        let mut last_seen = {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
            publication::Entity::find()
                .filter(publication::Column::CompoundId.eq(id))
                .order_by_desc(publication::Column::Id)
                .one(&db)
                .await
                .map_err(AppError::from)?
                .map_or(0, |p| p.id)
        };
        Ok(async_stream::stream! {
            loop {
                let wanted = match rx.recv().await {
                    Ok(DecisionEvent::Published { compound_id, .. }) => compound_id == id,
                    Ok(_) => false,
                    // Events were missed: look for what appeared meanwhile.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => true,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                };
                if !wanted {
                    continue;
                }
                match newer_publications(&db, id, last_seen).await {
                    Ok(found) => {
                        for p in found {
                            last_seen = p.id;
                            yield Ok(Publication(p));
                        }
                    }
                    Err(e) => yield Err(e.into()),
                }
            }
        })
    }
}

/// The id of the vote's newest ballot (0 when none).
async fn newest_ballot(db: &sea_orm::DatabaseConnection, vote_id: i64) -> AppResult<i64> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    Ok(ballot::Entity::find()
        .filter(ballot::Column::VoteId.eq(vote_id))
        .order_by_desc(ballot::Column::Id)
        .one(db)
        .await?
        .map_or(0, |b| b.id))
}

/// The vote's ballots after `after_id`, oldest first.
async fn newer_ballots(
    db: &sea_orm::DatabaseConnection,
    vote_id: i64,
    after_id: i64,
) -> AppResult<Vec<ballot::Model>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    Ok(ballot::Entity::find()
        .filter(ballot::Column::VoteId.eq(vote_id))
        .filter(ballot::Column::Id.gt(after_id))
        .order_by_asc(ballot::Column::Id)
        .all(db)
        .await?)
}

/// The compound's publications after `after_id`, oldest first: what a
/// subscriber has not seen yet.
async fn newer_publications(
    db: &sea_orm::DatabaseConnection,
    compound_id: i64,
    after_id: i64,
) -> AppResult<Vec<publication::Model>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    Ok(publication::Entity::find()
        .filter(publication::Column::CompoundId.eq(compound_id))
        .filter(publication::Column::Id.gt(after_id))
        .order_by_asc(publication::Column::Id)
        .all(db)
        .await?)
}

async fn current_tally(db: &sea_orm::DatabaseConnection, vote_id: i64) -> Result<VoteTally> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let vote = crate::domain::store::find::<assembly_vote::Entity>(db, vote_id, "vote").await?;
    if let Some(r) = vote_result::Entity::find()
        .filter(vote_result::Column::VoteId.eq(vote_id))
        .one(db)
        .await
        .map_err(AppError::from)?
    {
        return Ok(VoteTally::from_result(&r));
    }
    let t = assembly::current_tally(db, &vote).await?;
    Ok(VoteTally::live(t, vote.matter.rule()))
}
