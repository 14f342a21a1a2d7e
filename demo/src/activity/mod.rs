//! The civic life of a subdistrict in the half year before the load:
//! people's-small-things projects (民生微实事) that residents proposed,
//! supported and rated, taken through every status by the party branch;
//! notices the three parties published and opinions residents gave, most
//! of them answered; and grid events (巡、拨、办、督) that grid workers
//! reported and checked, the subdistrict dispatched and its handlers
//! rectified, with a realistic share still open.
//!
//! Everything goes through the domain's write functions, each change made
//! by whoever makes it in life: residents act under their own accounts
//! (each an owner of record, linked to their person, with the resident's
//! grant on a dwelling of theirs, as `open_votes` makes them), grid workers
//! under accounts granted over their grid, handlers' members under
//! accounts acting for their handler, and the rest (the catalogue, dispatch,
//! the branch's moves, answers) as the demo's admin. A unit of work holds
//! one caller, so the activity is a timeline of acts in time order, run as
//! consecutive acts of one caller in one unit of work, on a clock that
//! starts half a year ago and is moved forward act by act. Each actor
//! logs in the way the load's admin does (a token issued and
//! authenticated), and every token is revoked when the activity ends.
//!
//! The first unit of work makes the accounts, the district's catalogue (if
//! the district has none yet) and the subdistrict's handlers; a
//! subdistrict that has handlers already is left alone, so the activity is
//! written once. It is planned from the stored register (`facts`, in id
//! order) with a seed of the subdistrict's own and dates counted back from
//! the day of loading: every load writes the same activity. Unlike the
//! subdistrict's one unit of work, a failure half-way leaves the acts
//! before it (and, the handlers being made, no second try).
//!
//! What does not live here: the register, the parties and the chain of
//! chiefs (`write`), the two years of council and votes (`history`).

mod facts;
pub(crate) use facts::compounds_of;
mod grid;
mod projects;
mod voices;

use chrono::{DateTime, Duration, Utc};
use compound_api::domain::access::Caller;
use compound_api::domain::accounts::{self, GrantTarget, NewAccount};
use compound_api::domain::clock::Clock;
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::domain::values::Name;
use compound_api::entity::{event_handler, subdistrict};
use compound_api::error::{AppError, AppResult};
use compound_api::events::Events;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::names::Rng;
use crate::{Lock, Place, lock};

/// How much civic life a subdistrict gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    /// People's-small-things projects per residential compound.
    pub projects_per_compound: usize,
    /// Owners per residential compound who propose, support and rate them,
    /// each with an account.
    pub residents_per_compound: usize,
    /// Notices per compound.
    pub notices_per_compound: usize,
    /// Residents' opinions per residential compound.
    pub opinions_per_compound: usize,
    /// Grid events per grid.
    pub events_per_grid: usize,
}

impl Activity {
    /// The small demo's: every status of a project and every fate of an
    /// event, in a few seconds.
    pub const SMALL: Activity = Activity {
        projects_per_compound: 3,
        residents_per_compound: 4,
        notices_per_compound: 2,
        opinions_per_compound: 3,
        events_per_grid: 8,
    };

    /// The full demo subdistrict's: two projects in each residential
    /// compound, four events in each grid. (A resident's every move reads
    /// the compound's whole register to find them on it, so projects cost
    /// most: with three per compound and four residents their acts took
    /// 2.6 s of a 15 s load on SQLite; see docs/BENCHMARKS.md.)
    pub const FULL: Activity = Activity {
        projects_per_compound: 2,
        residents_per_compound: 3,
        notices_per_compound: 2,
        opinions_per_compound: 2,
        events_per_grid: 4,
    };

    /// Each subdistrict of the `city` data set's: a project, a notice and an
    /// opinion in every compound, three events in every grid.
    pub const CITY: Activity = Activity {
        projects_per_compound: 1,
        residents_per_compound: 3,
        notices_per_compound: 1,
        opinions_per_compound: 1,
        events_per_grid: 3,
    };
}

/// What an activity load wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Accounts made for the residents, grid workers and handlers' members.
    pub accounts: usize,
    /// Projects proposed.
    pub projects: usize,
    /// Supports given.
    pub supports: usize,
    /// Ratings given.
    pub ratings: usize,
    /// Notices published.
    pub notices: usize,
    /// Opinions recorded.
    pub opinions: usize,
    /// Opinions answered.
    pub answers: usize,
    /// Grid events reported.
    pub events: usize,
    /// Of them still open at the end.
    pub open_events: usize,
    /// Events escalated to supervision.
    pub supervisions: usize,
    /// Units of work the timeline ran in.
    pub units_of_work: usize,
}

impl Written {
    /// The one-line summary.
    pub fn summary(&self) -> String {
        format!(
            "{} projects ({} supports, {} ratings), {} notices, {} opinions ({} answered), \
             {} grid events ({} open, {} escalated to supervision), {} accounts, {} units of work",
            self.projects,
            self.supports,
            self.ratings,
            self.notices,
            self.opinions,
            self.answers,
            self.events,
            self.open_events,
            self.supervisions,
            self.accounts,
            self.units_of_work
        )
    }
}

/// How far back the activity starts: half a year, and a little.
const SPAN_DAYS: i64 = 185;

/// How long an actor's token lives: it is authenticated at once, on the
/// activity's clock, and revoked when the activity ends.
const ACTOR_TOKEN_TTL: std::time::Duration = std::time::Duration::from_secs(3600);

/// Who makes a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// The demo's admin: the catalogue, dispatch, the branch's moves, answers.
    Admin,
    /// Account number `n` of the plan.
    Account(usize),
}

/// One change of the timeline.
struct Act {
    /// When it happens.
    at: DateTime<Utc>,
    /// Who makes it.
    who: Who,
    /// What it is.
    what: What,
}

/// What an act does.
enum What {
    /// A step of project `n`.
    Project(usize, projects::Step),
    /// Notice `n` is published.
    Notice(usize),
    /// Opinion `n` is recorded.
    Opinion(usize),
    /// Opinion `n` is answered.
    Answer(usize),
    /// A step of grid event `n`.
    Event(usize, grid::Step),
}

/// An account the activity makes, and what it holds.
struct NewActor {
    /// Its username, unique in the city.
    username: String,
    /// Its display name.
    display_name: String,
    /// The person it belongs to.
    person_id: Option<i64>,
    /// The role it is granted.
    grant: Option<GrantTarget>,
    /// The handler (number in `grid::HANDLERS`) it acts for.
    member_of: Option<usize>,
}

/// The whole plan of a subdistrict's activity.
#[derive(Default)]
struct Plan {
    actors: Vec<NewActor>,
    acts: Vec<Act>,
    projects: Vec<projects::Project>,
    notices: Vec<voices::Notice>,
    opinions: Vec<voices::Opinion>,
    events: Vec<grid::Event>,
}

impl Plan {
    /// Adds an actor; returns its number.
    pub(super) fn actor(&mut self, a: NewActor) -> usize {
        self.actors.push(a);
        self.actors.len() - 1
    }

    /// Adds an act.
    pub(super) fn act(&mut self, at: DateTime<Utc>, who: Who, what: What) {
        self.acts.push(Act { at, who, what });
    }
}

/// What the timeline has stored so far, by the plan's numbers.
#[derive(Default)]
struct Stored {
    projects: Vec<Option<i64>>,
    opinions: Vec<Option<i64>>,
    events: Vec<Option<i64>>,
    /// The residents' council of each compound, once it has one.
    councils: std::collections::HashMap<i64, i64>,
    /// The catalogue of the district and the subdistrict's handlers.
    catalogue: grid::Catalogue,
}

/// The username of an activity account: `kind-<subdistrict>-<n>`, unique
/// in the city.
fn username(kind: &str, place: &Place, n: usize) -> String {
    format!("{kind}-{}-{n}", place.index)
}

/// Writes the activity of subdistrict `place`, as the demo's `admin`,
/// with accounts that carry `password_hash` (the demo password's); `None`
/// when the subdistrict is not loaded or has its activity already.
pub(crate) async fn write(
    db: &DatabaseConnection,
    events: &Events,
    place: &Place,
    activity: &Activity,
    admin: &Caller,
    password_hash: &str,
) -> AppResult<Option<Written>> {
    let Some(s) = subdistrict::Entity::find()
        .filter(subdistrict::Column::Name.eq(place.subdistrict.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if has_handlers(db, s.id).await? {
        return Ok(None);
    }
    let now = Utc::now();
    let start = now - Duration::days(SPAN_DAYS);
    let facts = facts::read(db, s, compound_api::domain::clock::china_date(start)).await?;
    let seed = 0x00AC_7171_2026 ^ (place.index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut rng = Rng(seed);
    let mut plan = Plan::default();
    let end = now - Duration::hours(1);
    let reporters = grid::plan(&mut plan, &facts, place, activity, &mut rng, end);
    let residents = projects::plan(&mut plan, &facts, place, activity, &mut rng, end);
    voices::plan(
        &mut plan, &facts, activity, &residents, &reporters, &mut rng, end,
    );
    // Stable: acts at the same instant keep the order they were planned in.
    plan.acts.sort_by_key(|a| a.at);
    if let Some(first) = plan.acts.first()
        && first.at <= start
    {
        return Err(AppError::Internal(format!(
            "an act at {} falls before the activity starts",
            first.at
        )));
    }

    let clock = Clock::starting_at(start);
    let uow = UnitOfWork::begin(db, admin, &clock).await?;
    lock(uow.db(), Lock::Activity(place.index)).await?;
    if has_handlers(uow.db(), facts.subdistrict.id).await? {
        uow.rollback().await?;
        return Ok(None);
    }
    // The district's catalogue is shared by its subdistricts: the first
    // one's activity makes it, the others find it.
    lock(uow.db(), Lock::District(place.district_index())).await?;
    let catalogue = grid::catalogue(&uow, &facts).await?;
    let mut tokens = Vec::with_capacity(plan.actors.len());
    let mut account_ids = Vec::with_capacity(plan.actors.len());
    for a in &plan.actors {
        let acc = accounts::create_account(
            &uow,
            NewAccount {
                username: a.username.clone(),
                password_hash: password_hash.to_owned(),
                display_name: Name::parse(&a.display_name, "display_name")?,
                person_id: a.person_id,
            },
        )
        .await?;
        if let Some(grant) = a.grant {
            accounts::grant_role(&uow, acc.id, grant).await?;
        }
        if let Some(h) = a.member_of {
            compound_api::domain::grid_events::add_member(&uow, catalogue.handlers[h], acc.id)
                .await?;
        }
        account_ids.push(acc.id);
        let token = accounts::issue_token(uow.db(), uow.now(), acc, ACTOR_TOKEN_TTL).await?;
        tokens.push(token.token);
    }
    uow.commit(events).await?;

    // Each actor as the API would see them: their token, authenticated.
    let mut callers = Vec::with_capacity(tokens.len());
    let mut token_ids = Vec::with_capacity(tokens.len());
    for token in &tokens {
        let caller = accounts::authenticate(db, &clock, Some(token)).await?;
        token_ids.push(caller.actor()?.token_id);
        callers.push(caller);
    }

    let mut stored = Stored {
        projects: vec![None; plan.projects.len()],
        opinions: vec![None; plan.opinions.len()],
        events: vec![None; plan.events.len()],
        councils: facts.councils.clone(),
        catalogue,
    };
    let mut written = Written {
        accounts: plan.actors.len(),
        ..Written::default()
    };
    // Where the time goes (at `debug`): the acts of each area, and the
    // units of work's beginnings and commits.
    let mut spent = [std::time::Duration::ZERO; 4];
    let mut i = 0;
    while i < plan.acts.len() {
        let who = plan.acts[i].who;
        let caller = match who {
            Who::Admin => admin,
            Who::Account(n) => &callers[n],
        };
        let t = std::time::Instant::now();
        let uow = UnitOfWork::begin(db, caller, &clock).await?;
        spent[3] += t.elapsed();
        while i < plan.acts.len() && plan.acts[i].who == who {
            let act = &plan.acts[i];
            move_to(&clock, act.at)?;
            let t = std::time::Instant::now();
            run(&uow, &plan, &mut stored, &mut written, act).await?;
            spent[match act.what {
                What::Project(..) => 0,
                What::Event(..) => 1,
                _ => 2,
            }] += t.elapsed();
            i += 1;
        }
        let t = std::time::Instant::now();
        uow.commit(events).await?;
        spent[3] += t.elapsed();
        written.units_of_work += 1;
    }
    tracing::debug!(
        projects_ms = spent[0].as_millis() as u64,
        events_ms = spent[1].as_millis() as u64,
        notices_and_opinions_ms = spent[2].as_millis() as u64,
        begin_and_commit_ms = spent[3].as_millis() as u64,
        units_of_work = written.units_of_work,
        "activity written"
    );
    grid::count(&plan, &mut written);

    // Every actor's token ends with the activity.
    let uow = UnitOfWork::begin(db, admin, &clock).await?;
    for token_id in token_ids {
        accounts::logout(uow.db(), Utc::now(), token_id).await?;
    }
    uow.commit(events).await?;
    Ok(Some(written))
}

/// Whether subdistrict `id` has event handlers: its activity was written.
async fn has_handlers(db: &impl sea_orm::ConnectionTrait, id: i64) -> AppResult<bool> {
    Ok(event_handler::Entity::find()
        .filter(event_handler::Column::SubdistrictId.eq(id))
        .count(db)
        .await?
        > 0)
}

/// Runs one act in `uow`.
async fn run(
    uow: &UnitOfWork<'_>,
    plan: &Plan,
    stored: &mut Stored,
    written: &mut Written,
    act: &Act,
) -> AppResult<()> {
    match &act.what {
        What::Project(n, step) => projects::run(uow, plan, stored, written, *n, step).await,
        What::Notice(n) => {
            voices::publish(uow, &plan.notices[*n]).await?;
            written.notices += 1;
            Ok(())
        }
        What::Opinion(n) => {
            let o = voices::record(uow, &plan.opinions[*n]).await?;
            stored.opinions[*n] = Some(o);
            written.opinions += 1;
            Ok(())
        }
        What::Answer(n) => {
            let id = stored.opinions[*n]
                .ok_or_else(|| AppError::Internal("an answer before its opinion".into()))?;
            voices::answer(uow, id, &plan.opinions[*n]).await?;
            written.answers += 1;
            Ok(())
        }
        What::Event(n, step) => grid::run(uow, plan, stored, written, *n, step).await,
    }
}

/// Moves `clock` forward to `at`, unless it is there already.
fn move_to(clock: &Clock, at: DateTime<Utc>) -> AppResult<()> {
    let by = at - clock.now();
    if by > Duration::zero() {
        clock
            .advance(by)
            .map_err(|e| AppError::Internal(e.into()))?;
    }
    Ok(())
}

/// `minutes` minutes after `at`.
fn after(at: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    at + Duration::minutes(minutes)
}
