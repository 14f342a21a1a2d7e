//! Owners' assembly votes under Civil Code art. 278: votes, their registers
//! of counted owners, ballots and tallies, with the mutations that open and
//! close votes and cast and record ballots, the live streams of a vote's
//! tally and ballots, and the `assemblyVotes` of a compound. Who voted how
//! is shown only to those who run the vote.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;

use super::newer_rows;
use crate::domain::access::{Caller, Permission};
use crate::domain::decisions::assembly::{self, NewVote};
use crate::domain::decisions::tally::{self, Tally, Weight};
use crate::domain::event::DecisionEvent;
use crate::domain::kinds::{ArticleMatter, BallotChoice, VoteRule, VoteStatus};
use crate::domain::values::{Area, Name};
use crate::entity::{
    assembly_vote, ballot, compound, dwelling, person, vote_result, vote_voter, vote_voter_part,
};
use crate::error::AppError;
use crate::graphql::id::{NodeKind, arg_id, encode, input_id, input_id_opt};
use crate::graphql::loaders::{
    BallotsOfVote, OwnersOfVoter, PartsOfVoter, ResultOfVote, VotersOfVote, by_id, by_id_opt,
    children, standing_totals,
};
use crate::graphql::pagination::{
    AssemblyVoteConnection, BallotConnection, PageArgs, VoteVoterConnection, cost, page_of_children,
};
use crate::graphql::scalars;
use crate::graphql::types::decisions::{may_read_in, username};
use crate::graphql::types::people::Person;
use crate::graphql::types::register::Dwelling;
use crate::graphql::types::{Compound, page};
use crate::graphql::{caller, db, hub, loaders, mutate, mutate_in_group, payload};

fn area(centi: i64) -> scalars::Area {
    scalars::Area(Area::from_centi(centi))
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
            .map(Compound::new))
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
    /// The caller's standing ballot when the caller is a person of exactly one owner on the
    /// register; null otherwise.
    #[graphql(
        deprecation = "a person may belong to several owners (a co-owned dwelling and one of their own): use myBallots"
    )]
    async fn my_ballot(&self, ctx: &Context<'_>) -> Result<Option<Ballot>> {
        let mine = my_ballots(ctx, &self.0).await?;
        Ok(match mine.as_slice() {
            [only] => only.ballot.clone(),
            _ => None,
        })
    }
    /// Each owner on the register the caller is one of the persons of, with its standing ballot
    /// (null until one is cast). A person belongs to several owners when, say, they co-own one
    /// dwelling and own another alone: each owner has its own ballot, and `castBallot` takes
    /// the owner's `voterId`. Empty for a caller who is not an owner.
    async fn my_ballots(&self, ctx: &Context<'_>) -> Result<Vec<MyBallot>> {
        my_ballots(ctx, &self.0).await
    }
    /// The register fixed when the vote opened: each counted owner with its area. For those who
    /// run the vote (committee members, staff).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn register(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
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
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<BallotConnection> {
        require_vote_staff(ctx, self.0.compound_id).await?;
        page_of_children::<BallotsOfVote, _, _>(
            loaders(ctx)?,
            self.0.id,
            page(first, after, last, before),
            Ballot::of,
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
    let totals = standing_totals(l, vote.id).await?;
    let t = assembly::tally_of_totals(vote, &totals);
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

/// One owner on a vote's register that the caller is a person of, and its standing ballot.
#[derive(SimpleObject, Clone)]
pub struct MyBallot {
    /// The owner: give its `id` to `castBallot` as `voterId`.
    pub voter: VoteVoter,
    /// Its standing ballot; null until one is cast.
    pub ballot: Option<Ballot>,
}

async fn my_ballots(ctx: &Context<'_>, vote: &assembly_vote::Model) -> Result<Vec<MyBallot>> {
    let Caller::Account(actor) = caller(ctx) else {
        return Ok(Vec::new());
    };
    let Some(person) = actor.person_id else {
        return Ok(Vec::new());
    };
    Ok(assembly::my_seats(db(ctx)?, vote.id, person)
        .await?
        .into_iter()
        .map(|(voter, ballot)| MyBallot {
            voter: VoteVoter(voter),
            ballot: ballot.map(Ballot::of),
        })
        .collect())
}

/// A dwelling of an owner on a vote's register, as fixed when the vote opened.
#[derive(Clone)]
pub struct RegisterDwelling(pub vote_voter_part::Model);

/// A dwelling of an owner on a vote's register, as fixed when the vote opened.
#[Object]
impl RegisterDwelling {
    /// The dwelling.
    async fn dwelling(&self, ctx: &Context<'_>) -> Result<Option<Dwelling>> {
        Ok(by_id::<dwelling::Entity>(loaders(ctx)?, self.0.dwelling_id)
            .await?
            .map(Dwelling))
    }
    /// Its exclusive area on the day the vote opened.
    async fn area(&self) -> scalars::Area {
        area(self.0.area_centi)
    }
}

/// A counted owner on a vote's register.
#[derive(Clone)]
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
    /// The persons who together are this owner (买受人); any of them may cast its one ballot.
    #[graphql(deprecation = "use persons")]
    async fn owners(&self, ctx: &Context<'_>) -> Result<Vec<Person>> {
        self.persons(ctx).await
    }
    /// Its dwellings and their areas as the register fixed them (empty on registers fixed before the
    /// register kept dwellings, which have only the summed area).
    async fn dwellings(&self, ctx: &Context<'_>) -> Result<Vec<RegisterDwelling>> {
        Ok(children::<PartsOfVoter>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(RegisterDwelling)
            .collect())
    }
    /// The persons who together are this owner (买受人); any of them may cast its one ballot.
    async fn persons(&self, ctx: &Context<'_>) -> Result<Vec<Person>> {
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
#[derive(Clone)]
pub struct Ballot(pub ballot::Model, Option<vote_voter::Model>);

impl Ballot {
    /// A stored ballot.
    pub fn of(row: ballot::Model) -> Self {
        Self(row, None)
    }

    /// A ballot just written, with the owner on the register it is for, read
    /// while it was checked (the register does not change once the vote opens).
    fn written((row, voter): (ballot::Model, vote_voter::Model)) -> Self {
        debug_assert_eq!(row.voter_id, voter.id);
        Self(row, Some(voter))
    }
}

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
                .map(Ballot::of),
        )
    }
    /// The counted owner it is for.
    async fn voter(&self, ctx: &Context<'_>) -> Result<Option<VoteVoter>> {
        if let Some(voter) = &self.1 {
            return Ok(Some(VoteVoter(voter.clone())));
        }
        Ok(by_id::<vote_voter::Entity>(loaders(ctx)?, self.0.voter_id)
            .await?
            .map(VoteVoter))
    }
}

/// The assembly vote a record cites (an election, a contract), if any.
pub async fn cited_vote(ctx: &Context<'_>, vote_id: Option<i64>) -> Result<Option<AssemblyVote>> {
    Ok(by_id_opt::<assembly_vote::Entity>(loaders(ctx)?, vote_id)
        .await?
        .map(AssemblyVote))
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

/// The owners' assembly votes of a compound.
pub struct CompoundAssembly(pub Arc<compound::Model>);

/// The owners' assembly votes of a compound.
#[Object]
impl CompoundAssembly {
    /// Owners' assembly votes, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn assembly_votes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<AssemblyVoteConnection> {
        votes_of(ctx, self.0.id, page(first, after, last, before)).await
    }
}

/// Input of `openAssemblyVote`: opening fixes the register of owners and areas.
#[derive(InputObject)]
pub struct OpenAssemblyVoteInput {
    /// The compound.
    pub compound_id: ID,
    /// The matter of art. 278.
    pub matter: ArticleMatter,
    /// Title (at most 100 characters).
    pub title: String,
    /// What is proposed (at most 20,000 characters).
    pub description: String,
    /// When ballots stop being taken, if fixed in advance.
    pub closes_at: Option<DateTime<Utc>>,
}

/// Input of `castBallot`: an owner's own ballot.
#[derive(InputObject)]
pub struct CastBallotInput {
    /// The vote.
    pub vote_id: ID,
    /// The owner on the register this ballot is for (a `voter` of `myBallots`). Needed only by a
    /// person of more than one owner, as the co-owner of one dwelling and the sole owner of another.
    pub voter_id: Option<ID>,
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

/// Mutations of owners' assembly votes.
#[derive(Default)]
pub struct AssemblyMutation;

/// Mutations of owners' assembly votes.
#[Object]
impl AssemblyMutation {
    /// Opens an owners' assembly vote and fixes its register of owners and areas.
    async fn open_assembly_vote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: OpenAssemblyVoteInput,
    ) -> Result<AssemblyVotePayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = NewVote {
                compound_id: input_id(&input.compound_id, NodeKind::Compound, "compound_id")?,
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
        let outcome = mutate_in_group(ctx, async |ballots, caller| {
            let vote = input_id(&input.vote_id, NodeKind::AssemblyVote, "vote_id")?;
            let voter = input_id_opt(input.voter_id.as_ref(), NodeKind::VoteVoter, "voter_id")?;
            ballots.cast(caller, vote, voter, input.choice).await
        })
        .await?;
        Ok(outcome.map(Ballot::written).into())
    }

    /// A committee member records an owner's paper ballot; the recorder is kept.
    async fn record_paper_ballot(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RecordPaperBallotInput,
    ) -> Result<BallotPayload> {
        let outcome = mutate_in_group(ctx, async |ballots, caller| {
            let vote = input_id(&input.vote_id, NodeKind::AssemblyVote, "vote_id")?;
            let voter = input_id(&input.voter_id, NodeKind::VoteVoter, "voter_id")?;
            ballots
                .record_paper(caller, vote, voter, input.choice)
                .await
        })
        .await?;
        Ok(outcome.map(Ballot::written).into())
    }

    /// Closes a vote: computes and stores the result with its basis, and publishes it.
    async fn close_assembly_vote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CloseAssemblyVoteInput,
    ) -> Result<AssemblyVotePayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.vote_id, NodeKind::AssemblyVote, "vote_id")?;
            let (vote, _, _) = assembly::close_vote(uow, id).await?;
            Ok(AssemblyVote(vote))
        })
        .await?;
        Ok(outcome.into())
    }
}

/// Live updates of owners' assembly votes.
#[derive(Default)]
pub struct AssemblySubscription;

/// Live updates of owners' assembly votes.
#[Subscription]
impl AssemblySubscription {
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
        let events = hub(ctx)?.subscribe();
        let wakes = move |e: &DecisionEvent| matches!(e, DecisionEvent::TallyChanged { vote_id } if *vote_id == id);
        Ok(newer_rows::<ballot::Entity, _>(
            db,
            events,
            ballot::Column::VoteId,
            id,
            wakes,
            Ballot::of,
        )
        .await?)
    }
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
