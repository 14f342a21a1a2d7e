//! The past of a city subdistrict: in every compound, two years of the
//! residents' council (四议两公开) and of owners' assembly votes with their
//! ballots, written as it happened. The `city` data set of `bench-data`
//! loads it after each subdistrict; the demo itself does not.
//!
//! Everything goes through the domain's write functions, in one unit of
//! work per subdistrict, whose clock starts two years ago and is moved
//! forward from one event to the next (`Clock::starting_at`): a vote's
//! register is fixed on the day it opened, a council step is recorded once
//! its day has come, and each compound's decision chain runs in time order.
//!
//! A compound whose chain already holds records (the demo's own cited
//! votes and council) keeps them and gets no history, so the chain never
//! runs backwards in time.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use compound_api::domain::clock::Clock;
use compound_api::domain::decisions::assembly;
use compound_api::domain::kinds::{ArticleMatter, BallotChoice};
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::entity::{building, compound, decision_record, residents_council, vote_voter};
use compound_api::error::AppResult;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::activity::compounds_of;
use crate::generate::council;
use crate::names::Rng;

/// How much past each compound gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct History {
    /// Residents' council matters per compound over the two years.
    pub council_matters: u64,
    /// Closed owners' assembly votes per compound over the two years.
    pub votes: u64,
    /// Percentage of the owners on a register whose ballot is recorded.
    pub turnout: u64,
}

impl History {
    /// The `city` data set's default: a matter a quarter, a vote a year,
    /// seven owners in ten voting.
    pub const CITY: History = History {
        council_matters: 8,
        votes: 2,
        turnout: 70,
    };
}

/// How many days back the history starts.
const YEARS_DAYS: u64 = 730;

/// What a history load wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Compounds that got a history.
    pub compounds: usize,
    /// Council matters proposed.
    pub matters: usize,
    /// Votes opened and closed.
    pub votes: usize,
    /// Paper ballots recorded.
    pub ballots: usize,
}

/// One thing that happens in a compound, on its day.
enum Event {
    /// Council matter number `m`, proposed on `start`.
    Matter {
        council: usize,
        m: u64,
        start: NaiveDate,
    },
    /// Vote number `v` of compound `compound`.
    Vote { compound: i64, v: u64 },
}

/// The days of the events of compound number `i`, spread over the two
/// years from `first` with a stagger per compound.
fn plan(
    history: &History,
    first: NaiveDate,
    i: usize,
    compound: i64,
    council: usize,
    publicity: u64,
) -> Vec<(NaiveDate, Event)> {
    let mut out = Vec::new();
    let stagger = (i as u64 * 7) % 28;
    if let Some(every) = YEARS_DAYS.checked_div(history.council_matters) {
        for m in 0..history.council_matters {
            let start = first + Days::new(stagger + m * every);
            // The step is written on the day after its last step.
            let due = council::last_day(m, start, publicity) + Days::new(1);
            out.push((due, Event::Matter { council, m, start }));
        }
    }
    if let Some(every) = YEARS_DAYS.checked_div(history.votes) {
        for v in 0..history.votes {
            let day = first + Days::new(stagger + v * every + every / 2);
            out.push((day, Event::Vote { compound, v }));
        }
    }
    out
}

/// The subjects of the history's votes, in turn.
const VOTES: &[(ArticleMatter, &str, &str)] = &[
    (
        ArticleMatter::MaintenanceFundUse,
        "关于使用专项维修资金维修屋面防水的表决",
        "使用专项维修资金维修各楼栋屋面防水层(民法典第二百七十八条第五项)",
    ),
    (
        ArticleMatter::OtherMajorMatter,
        "关于增设电动自行车充电桩的表决",
        "在小区东侧空地增设电动自行车集中充电桩(民法典第二百七十八条第九项)",
    ),
    (
        ArticleMatter::ManagementCovenant,
        "关于修订管理规约的表决",
        "修订管理规约中关于车辆停放和宠物饲养的条款(民法典第二百七十八条第二项)",
    ),
];

/// Writes the history of every compound of subdistrict `subdistrict_id`
/// that has none yet, in `uow`, whose clock is `clock`: a clock started
/// two years before `today` (see `Clock::starting_at`), moved forward here.
pub(crate) async fn write(
    uow: &UnitOfWork<'_>,
    clock: &Clock,
    subdistrict_id: i64,
    seed: u64,
    history: &History,
    today: NaiveDate,
) -> AppResult<Written> {
    let db = uow.db();
    let compounds: Vec<i64> = compound::Entity::find()
        .filter(compound::Column::Id.in_subquery(compounds_of(subdistrict_id)))
        .filter(
            compound::Column::Id.not_in_subquery(
                Query::select()
                    .column(decision_record::Column::CompoundId)
                    .from(decision_record::Entity)
                    .to_owned(),
            ),
        )
        .filter(
            compound::Column::Id.not_in_subquery(
                Query::select()
                    .column(residents_council::Column::CompoundId)
                    .from(residents_council::Entity)
                    .to_owned(),
            ),
        )
        .filter(
            compound::Column::Id.in_subquery(
                Query::select()
                    .column(building::Column::CompoundId)
                    .from(building::Entity)
                    .to_owned(),
            ),
        )
        .order_by_asc(compound::Column::Id)
        .select_only()
        .column(compound::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let first = today - Days::new(YEARS_DAYS);
    let mut councils = Vec::with_capacity(compounds.len());
    let mut events = Vec::new();
    for (i, &c) in compounds.iter().enumerate() {
        let (council, publicity) = match history.council_matters {
            0 => (0, 0),
            _ => council::create(uow, c).await?,
        };
        councils.push((council, publicity));
        events.extend(plan(history, first, i, c, i, publicity));
    }
    // Stable: a day's events stay in compound order.
    events.sort_by_key(|(day, _)| *day);
    let mut rng = Rng(seed);
    let mut written = Written {
        compounds: compounds.len(),
        ..Written::default()
    };
    for (day, event) in events {
        if day >= today {
            continue;
        }
        move_to(clock, day)?;
        match event {
            Event::Matter { council, m, start } => {
                let (id, publicity) = councils[council];
                council::matter(uow, id, publicity, m, start).await?;
                written.matters += 1;
            }
            Event::Vote { compound, v } => {
                written.ballots += vote(uow, &mut rng, compound, v, history.turnout).await?;
                written.votes += 1;
            }
        }
    }
    Ok(written)
}

/// Moves `clock` forward to nine in the morning (China time, 01:00 UTC)
/// of `day`, unless it is there already.
fn move_to(clock: &Clock, day: NaiveDate) -> AppResult<()> {
    let nine = day
        .and_hms_opt(1, 0, 0)
        .map(|t| DateTime::<Utc>::from_naive_utc_and_offset(t, Utc))
        .ok_or_else(|| compound_api::error::AppError::Internal("bad history day".into()))?;
    let by = nine - clock.now();
    if by > Duration::zero() {
        clock
            .advance(by)
            .map_err(|e| compound_api::error::AppError::Internal(e.into()))?;
    }
    Ok(())
}

/// Opens vote number `v` in `compound_id`, records the paper ballots of
/// `turnout` per cent of its register (three in four agreeing, the rest
/// disagreeing or abstaining) and closes it; returns the ballots recorded.
async fn vote(
    uow: &UnitOfWork<'_>,
    rng: &mut Rng,
    compound_id: i64,
    v: u64,
    turnout: u64,
) -> AppResult<usize> {
    let (matter, title, description) = VOTES[v as usize % VOTES.len()];
    let vote = crate::generate::votes::open(uow, compound_id, matter, title, description).await?;
    let voters: Vec<i64> = vote_voter::Entity::find()
        .filter(vote_voter::Column::VoteId.eq(vote.id))
        .order_by_asc(vote_voter::Column::Id)
        .select_only()
        .column(vote_voter::Column::Id)
        .into_tuple()
        .all(uow.db())
        .await?;
    let mut ballots = 0;
    for voter in voters {
        if !rng.chance(turnout) {
            continue;
        }
        let choice = match rng.below(20) {
            0..=14 => BallotChoice::Agree,
            15..=17 => BallotChoice::Disagree,
            _ => BallotChoice::Abstain,
        };
        assembly::record_paper_ballot(uow, vote.id, voter, choice).await?;
        ballots += 1;
    }
    assembly::close_vote(uow, vote.id).await?;
    Ok(ballots)
}
