//! The demo subdistrict (东湖街道): one subdistrict modelled on the seed
//! figures of DOMAIN.md, so that frontend teams can work against realistic
//! data from the first day. Loaded by the `demo` binary, never by the
//! server: `cargo run --release -p compound-demo` once, then `cargo run --release`.
//!
//! The demo obeys the rules because it is written through the domain's
//! write functions (`write`), as the demo's platform admin, in one unit of
//! work: a failure leaves nothing of it. The content is generated
//! (`generate`, from the material in `names`), the same on every load.
//!
//! It loads only into an empty database, once: loaders started together
//! take the write lock in turn and the later one finds the demo there.
//! Then comes its civic life of the last half year (`activity`): projects,
//! notices, opinions and grid events, each change made by whoever makes it
//! in life, in units of work of their own; then its evaluations
//! (`evaluation`): a campaign scored by its evaluators and published, and
//! its quarterly star ratings. `open_votes` then opens owners' assembly
//! votes with an account for each of their first owners, for the
//! benchmarks' ballots.

pub mod activity;
pub mod evaluation;
mod generate;
pub mod history;
mod names;
pub mod open_votes;
mod write;

pub use activity::Activity;
pub use evaluation::Evaluation;
pub use history::History;
pub use open_votes::open_votes;

use compound_api::domain::access::Caller;
use compound_api::domain::accounts;
use compound_api::domain::clock::Clock;
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::entity::{account, subdistrict};
use compound_api::error::{AppError, AppResult};
use compound_api::events::Events;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter,
};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-password-2026";

/// The name of the demo district, above the subdistrict.
pub const DISTRICT_NAME: &str = "武昌区";

/// The name of the demo subdistrict.
pub const SUBDISTRICT_NAME: &str = "东湖街道";

/// The name the demo gives the operator of industrial zone `zone`, who
/// provides its chiefs and keeps its factories' list.
pub fn zone_operator(zone: &str) -> String {
    format!("{zone}运营有限公司")
}

/// The demo's platform admin, who makes every change of the load.
pub const ADMIN_USERNAME: &str = "admin";

/// How long the admin's load token lives; it is revoked when the load ends.
const LOAD_TOKEN_TTL: std::time::Duration = std::time::Duration::from_secs(3600);

/// Any failure of a load, with its message.
pub type LoadError = Box<dyn std::error::Error + Send + Sync>;

/// A domain error as a load failure, keeping internal causes: the loader
/// runs on the operator's machine, not for a client.
fn failed(e: AppError) -> LoadError {
    match e {
        AppError::Database(db) => format!("database: {db}").into(),
        AppError::Internal(m) => m.into(),
        other => other.public_message().into(),
    }
}

/// Where a generated subdistrict lies: its district, its own name and
/// codes, and the seed of its generator. Subdistrict 0 is the demo's 东湖街道
/// in 武昌区; the `city` data set (`bench-data`) adds more, each generated
/// from its own seed, with names and codes that stay unique in the city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Which subdistrict of the city, from 0.
    pub index: usize,
    /// The district's name.
    pub district: String,
    /// The district's six-digit division code.
    pub district_code: String,
    /// The subdistrict's name.
    pub subdistrict: String,
    /// The subdistrict's twelve-digit division code.
    pub subdistrict_code: String,
}

/// The most subdistricts a city data set can have: ten in each district of
/// `DISTRICTS`, each with its own name.
pub const MAX_SUBDISTRICTS: usize = names::DISTRICTS.len() * 10;

/// Subdistricts of the city to a district, in the order of `Place::nth`.
pub const SUBDISTRICTS_PER_DISTRICT: usize = 10;

impl Place {
    /// The demo subdistrict.
    pub fn demo() -> Self {
        Self::nth(0)
    }

    /// Subdistrict `n` of the city (`n < MAX_SUBDISTRICTS`): ten to a
    /// district, 东湖街道 of 武昌区 first.
    pub fn nth(n: usize) -> Self {
        let (district, district_code) = names::DISTRICTS[Self::district_of(n)];
        let list = names::SUBDISTRICTS;
        let subdistrict = match n {
            0 => SUBDISTRICT_NAME.to_owned(),
            _ if n <= list.len() => list[n - 1].to_owned(),
            _ => {
                let base = list[(n - 1) % list.len()].trim_end_matches("街道");
                format!(
                    "{base}第{}街道",
                    names::chinese_number((n - 1) / list.len() + 1)
                )
            }
        };
        Self {
            index: n,
            district: district.to_owned(),
            district_code: district_code.to_owned(),
            subdistrict,
            subdistrict_code: format!("{district_code}{:03}000", n % SUBDISTRICTS_PER_DISTRICT + 1),
        }
    }

    /// The index in `names::DISTRICTS` of subdistrict `n`'s district.
    fn district_of(n: usize) -> usize {
        (n / SUBDISTRICTS_PER_DISTRICT) % names::DISTRICTS.len()
    }

    /// The index of this subdistrict's district: subdistricts of one
    /// district share its row.
    pub fn district_index(&self) -> usize {
        Self::district_of(self.index)
    }
}

/// How much of the demo subdistrict to generate. `FULL` follows DOMAIN.md's
/// seed figures; tests use `SMALL`, which keeps every kind of thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    /// Communities (社区); each gets one area chief and one community chief.
    pub communities: usize,
    /// Grids, spread over the communities; each gets a grid chief and a grid worker.
    pub grids: usize,
    /// Apartment buildings, each with one building chief.
    pub apartment_buildings: usize,
    /// Floor chiefs, spread over the apartment buildings (2–3 floors each).
    pub floor_chiefs: usize,
    /// Alleys of the bungalow areas, each with one alley chief.
    pub alleys: usize,
    /// Courtyards of the bungalow areas, each with one courtyard chief.
    pub courtyards: usize,
    /// Shop blocks of the commercial streets (about ten shops each), each with one shop chief.
    pub shop_blocks: usize,
    /// People living in the dwellings (owners, family members, tenants).
    pub residents: usize,
    /// Apartment buildings per apartment compound, on average.
    pub buildings_per_compound: usize,
    /// Alleys per bungalow area, on average.
    pub alleys_per_area: usize,
    /// Shop blocks per commercial street, on average.
    pub blocks_per_street: usize,
    /// Dwellings of one extra large commodity compound (百步亭-like), 0 for none.
    pub large_compound: usize,
}

impl Scale {
    /// DOMAIN.md's seed figures for one subdistrict.
    pub const FULL: Scale = Scale {
        communities: 7,
        grids: 64,
        apartment_buildings: 181,
        floor_chiefs: 562,
        alleys: 520,
        courtyards: 2_765,
        shop_blocks: 24,
        residents: 57_125,
        buildings_per_compound: 10,
        alleys_per_area: 52,
        blocks_per_street: 8,
        large_compound: 0,
    };

    /// A small demo that still has every compound kind and every chief level.
    pub const SMALL: Scale = Scale {
        communities: 2,
        grids: 4,
        apartment_buildings: 6,
        floor_chiefs: 18,
        alleys: 4,
        courtyards: 12,
        shop_blocks: 2,
        residents: 400,
        buildings_per_compound: 10,
        alleys_per_area: 52,
        blocks_per_street: 8,
        large_compound: 0,
    };

    /// One subdistrict of the `city` data set: 50 of these make about
    /// 10,000 compounds, 100,000 buildings, 470,000 dwellings and 1,000,000
    /// residents. Small compounds of one or two buildings, as in the old
    /// city; most buildings are bungalow courtyards.
    pub const CITY: Scale = Scale {
        communities: 7,
        grids: 40,
        apartment_buildings: 150,
        floor_chiefs: 300,
        alleys: 500,
        courtyards: 1_800,
        shop_blocks: 16,
        residents: 20_000,
        buildings_per_compound: 1,
        alleys_per_area: 10,
        blocks_per_street: 8,
        large_compound: 0,
    };

    /// Refuses scales that cannot hold every kind of compound and chief.
    fn check(&self) -> Result<(), String> {
        let problems = [
            (self.communities == 0, "at least one community"),
            (
                self.grids < self.communities,
                "at least one grid per community",
            ),
            (
                self.apartment_buildings < 4,
                "at least four apartment buildings (one per apartment compound kind and an industrial zone)",
            ),
            (
                self.floor_chiefs < self.apartment_buildings,
                "at least one floor chief per apartment building",
            ),
            (
                self.floor_chiefs > self.apartment_buildings * 60,
                "at most 60 floor chiefs per apartment building (a building has at most 200 floors)",
            ),
            (self.alleys == 0, "at least one alley"),
            (
                self.courtyards < self.alleys,
                "at least one courtyard per alley",
            ),
            (self.shop_blocks == 0, "at least one shop block"),
            (
                self.buildings_per_compound == 0
                    || self.alleys_per_area == 0
                    || self.blocks_per_street == 0,
                "compounds of at least one building, areas of one alley and streets of one block",
            ),
        ];
        match problems.iter().find(|(bad, _)| *bad) {
            Some((_, need)) => Err(format!("demo scale needs {need}")),
            None => Ok(()),
        }
    }
}

/// Loads the full demo once; `None` when the database already holds a
/// subdistrict or an account, in which case nothing is touched.
pub async fn load(db: &DatabaseConnection) -> Result<Option<String>, LoadError> {
    load_scaled(db, Scale::FULL).await
}

/// Loads the demo at `scale` once, then its civic life (`Activity::SMALL`
/// for `Scale::SMALL`, else `Activity::FULL`); returns a one-line summary
/// of what was loaded, or `None` when the database already holds a
/// subdistrict or an account (other than the demo's own admin, left by a
/// load that failed).
pub async fn load_scaled(
    db: &DatabaseConnection,
    scale: Scale,
) -> Result<Option<String>, LoadError> {
    let loader = Loader::new(db).await?;
    let place = Place::demo();
    let Some(summary) = loader.subdistrict(scale, &place).await? else {
        return Ok(None);
    };
    let (activity, evaluation) = match scale == Scale::SMALL {
        true => (Activity::SMALL, Evaluation::SMALL),
        false => (Activity::FULL, Evaluation::FULL),
    };
    let summary = match loader.activity(&place, &activity).await? {
        Some(life) => format!("{summary}; its last half year: {}", life.summary()),
        None => summary,
    };
    Ok(Some(match loader.evaluation(&place, &evaluation).await? {
        Some(e) => format!("{summary}; its evaluations: {}", e.summary()),
        None => summary,
    }))
}

/// A loader of a city's subdistricts and their histories into one
/// database: it keeps one event hub (on PostgreSQL, one listening
/// connection) for all its loads.
pub struct Loader<'a> {
    db: &'a DatabaseConnection,
    events: Events,
}

impl<'a> Loader<'a> {
    /// A loader into `db`.
    pub async fn new(db: &'a DatabaseConnection) -> Result<Self, LoadError> {
        let events = Events::start(db).await.map_err(failed)?;
        Ok(Self { db, events })
    }

    /// Loads subdistrict `place` at `scale`; see `load_subdistrict`.
    pub async fn subdistrict(
        &self,
        scale: Scale,
        place: &Place,
    ) -> Result<Option<String>, LoadError> {
        load_subdistrict(self.db, &self.events, scale, place).await
    }

    /// Writes the history of subdistrict `place`; see `load_history`.
    pub async fn history(
        &self,
        place: &Place,
        history: &History,
    ) -> Result<Option<history::Written>, LoadError> {
        load_history(self.db, &self.events, place, history).await
    }

    /// Writes the civic life of subdistrict `place`; see `load_activity`.
    pub async fn activity(
        &self,
        place: &Place,
        activity: &Activity,
    ) -> Result<Option<activity::Written>, LoadError> {
        load_activity(self.db, &self.events, place, activity).await
    }

    /// Writes the evaluations of subdistrict `place`; see `load_evaluation`.
    pub async fn evaluation(
        &self,
        place: &Place,
        plan: &Evaluation,
    ) -> Result<Option<evaluation::Written>, LoadError> {
        load_evaluation(self.db, &self.events, place, plan).await
    }
}

/// Loads subdistrict `place` at `scale`, in one unit of work, once.
///
/// The demo's own subdistrict (index 0) loads only into an empty database
/// and makes the demo admin and accounts, as `load_scaled`. Any other loads
/// into a database that has the demo admin (so after subdistrict 0) and not
/// yet a subdistrict of its name; it has no accounts of its own. Returns
/// the one-line summary, or `None` when there was nothing to load.
async fn load_subdistrict(
    db: &DatabaseConnection,
    events: &Events,
    scale: Scale,
    place: &Place,
) -> Result<Option<String>, LoadError> {
    scale.check()?;
    let clock = Clock::system();
    let need = match place.index {
        0 => Need::EmptyDatabase,
        _ => Need::NoSubdistrict(&place.subdistrict),
    };
    let Some(Session {
        caller,
        token_id,
        password_hash,
    }) = session(db, &clock, events, &need).await?
    else {
        return Ok(None);
    };
    let demo = generate::generate(scale, place, clock.today(), clock.now());
    let summary = demo.summary();
    let uow = UnitOfWork::begin(db, &caller, &clock)
        .await
        .map_err(failed)?;
    lock(uow.db(), Lock::District(place.district_index()))
        .await
        .map_err(failed)?;
    // Checked again under the lock: another loader may have loaded it
    // since this one made its admin token.
    if !need.holds(uow.db()).await.map_err(failed)? {
        uow.rollback().await.map_err(failed)?;
        accounts::logout(db, clock.now(), token_id)
            .await
            .map_err(failed)?;
        return Ok(None);
    }
    write::write(&uow, demo, &password_hash, place.index == 0)
        .await
        .map_err(failed)?;
    finish(uow, &clock, events, token_id).await?;
    Ok(Some(summary))
}

/// Writes two years of `history` into every compound of subdistrict
/// `place` that has none yet (see `history`), as the demo admin, in one
/// unit of work whose clock starts two years ago. `None` when the
/// subdistrict is not loaded.
async fn load_history(
    db: &DatabaseConnection,
    events: &Events,
    place: &Place,
    history: &History,
) -> Result<Option<history::Written>, LoadError> {
    let clock = Clock::system();
    let Some(subdistrict) = subdistrict::Entity::find()
        .filter(subdistrict::Column::Name.eq(place.subdistrict.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(Session {
        caller, token_id, ..
    }) = session(db, &clock, events, &Need::Admin).await?
    else {
        return Ok(None);
    };
    let today = clock.today();
    let past = Clock::starting_at(clock.now() - chrono::Duration::days(730));
    let uow = UnitOfWork::begin(db, &caller, &past)
        .await
        .map_err(failed)?;
    lock(uow.db(), Lock::History(place.index))
        .await
        .map_err(failed)?;
    let seed = 0x0415_7012_2026 ^ place.index as u64;
    let written = history::write(&uow, &past, subdistrict.id, seed, history, today)
        .await
        .map_err(failed)?;
    // The load token is revoked on the real clock, when the load ends.
    finish(uow, &clock, events, token_id).await?;
    Ok(Some(written))
}

/// Writes the evaluations of subdistrict `place` (see `evaluation`) as the
/// demo admin, once: `None` when the subdistrict is not loaded or has them
/// already.
async fn load_evaluation(
    db: &DatabaseConnection,
    events: &Events,
    place: &Place,
    plan: &Evaluation,
) -> Result<Option<evaluation::Written>, LoadError> {
    as_admin(db, events, async |caller, hash| {
        evaluation::write(db, events, place, plan, caller, hash).await
    })
    .await
}

/// Runs `write` as the demo admin, logged in for it, with the admin's
/// password hash for the accounts it makes; `None` when there is no admin
/// (nothing loaded). The load token is revoked whether `write` wrote or
/// not.
async fn as_admin<T>(
    db: &DatabaseConnection,
    events: &Events,
    write: impl AsyncFnOnce(&Caller, &str) -> AppResult<Option<T>>,
) -> Result<Option<T>, LoadError> {
    let clock = Clock::system();
    let Some(Session {
        caller,
        token_id,
        password_hash,
    }) = session(db, &clock, events, &Need::Admin).await?
    else {
        return Ok(None);
    };
    let written = write(&caller, &password_hash).await;
    accounts::logout(db, clock.now(), token_id)
        .await
        .map_err(failed)?;
    written.map_err(failed)
}

/// Writes the civic life of subdistrict `place` (see `activity`) as the
/// demo admin, once: `None` when the subdistrict is not loaded or has its
/// activity already. It runs in units of work of its own, after the
/// subdistrict's (and, in a city, its history's) own.
async fn load_activity(
    db: &DatabaseConnection,
    events: &Events,
    place: &Place,
    life: &Activity,
) -> Result<Option<activity::Written>, LoadError> {
    as_admin(db, events, async |caller, hash| {
        activity::write(db, events, place, life, caller, hash).await
    })
    .await
}

/// The demo admin, logged in for one load: the caller its writes are
/// made as, the token to revoke when it ends, and the admin's password
/// hash (the demo password, hashed once, for the demo's other accounts).
pub(crate) struct Session {
    pub(crate) caller: Caller,
    pub(crate) token_id: i64,
    pub(crate) password_hash: String,
}

/// Logs the demo admin in for a load that needs `need` (see `admin_token`).
pub(crate) async fn session(
    db: &DatabaseConnection,
    clock: &Clock,
    events: &Events,
    need: &Need<'_>,
) -> Result<Option<Session>, LoadError> {
    let Some(token) = admin_token(db, clock, events, need).await.map_err(failed)? else {
        return Ok(None);
    };
    let caller = accounts::authenticate(db, clock, Some(&token.token))
        .await
        .map_err(failed)?;
    let token_id = caller.actor().map_err(failed)?.token_id;
    Ok(Some(Session {
        caller,
        token_id,
        password_hash: token.account.password_hash,
    }))
}

/// Ends a load: revokes its admin token (at `clock`'s now) in the load's
/// unit of work, and commits it.
pub(crate) async fn finish(
    uow: UnitOfWork<'_>,
    clock: &Clock,
    events: &Events,
    token_id: i64,
) -> Result<(), LoadError> {
    accounts::logout(uow.db(), clock.now(), token_id)
        .await
        .map_err(failed)?;
    uow.commit(events).await.map_err(failed)?;
    Ok(())
}

/// What a load needs of the database before it writes.
pub(crate) enum Need<'a> {
    /// Nothing at all: the demo's own subdistrict.
    EmptyDatabase,
    /// No subdistrict of this name, and the demo admin: another subdistrict of the city.
    NoSubdistrict(&'a str),
    /// Only the demo admin: a history.
    Admin,
}

impl Need<'_> {
    /// Whether the database is (still) as the load needs.
    async fn holds(&self, db: &impl ConnectionTrait) -> AppResult<bool> {
        Ok(match self {
            Need::EmptyDatabase => subdistrict::Entity::find().count(db).await? == 0,
            Need::NoSubdistrict(name) => {
                subdistrict::Entity::find()
                    .filter(subdistrict::Column::Name.eq(*name))
                    .count(db)
                    .await?
                    == 0
            }
            Need::Admin => true,
        })
    }
}

/// What a loader's transaction excludes while it writes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Lock {
    /// Every other loader: the demo's bootstrap, the opening of votes.
    Whole,
    /// Only `Whole`: a login of the admin for a load.
    Shared,
    /// Loaders of the same district (whose subdistricts share its row).
    District(usize),
    /// Loaders of the same subdistrict's history.
    History(usize),
    /// Loaders of the same subdistrict's activity.
    Activity(usize),
}

/// The advisory lock every loader takes: exclusively for `Lock::Whole`,
/// shared for the others, which also take their own key.
const LOADERS: i64 = 7_201_120_261_122;

/// Takes the loader's lock for its transaction, so loaders that would
/// touch the same rows go one after the other, and loaders of different
/// districts (or histories of different subdistricts) run side by side. On
/// SQLite the unit of work already holds the database's write lock (`BEGIN
/// IMMEDIATE`); PostgreSQL takes advisory locks that end with the
/// transaction.
pub(crate) async fn lock(
    txn: &impl ConnectionTrait,
    lock: Lock,
) -> compound_api::error::AppResult<()> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let shared = format!("SELECT pg_advisory_xact_lock_shared({LOADERS})");
    // The two-key form, (kind, index), cannot meet the one-key lock above.
    let sql = match lock {
        Lock::Whole => format!("SELECT pg_advisory_xact_lock({LOADERS})"),
        Lock::Shared => shared,
        Lock::District(d) => format!("{shared}, pg_advisory_xact_lock(1, {d})"),
        Lock::History(s) => format!("{shared}, pg_advisory_xact_lock(2, {s})"),
        Lock::Activity(s) => format!("{shared}, pg_advisory_xact_lock(3, {s})"),
    };
    txn.execute_unprepared(&sql).await?;
    Ok(())
}

/// A login token of the demo's admin. For the demo's own subdistrict it is
/// created by the domain's bootstrap path into a database with no account
/// (`None` when the database holds a subdistrict or accounts of its own;
/// the admin of a load that failed, the only account, with the demo
/// password, is used again). For the city's other subdistricts and the
/// histories the admin must be there already; `None` when the load is done.
async fn admin_token(
    db: &DatabaseConnection,
    clock: &Clock,
    events: &Events,
    need: &Need<'_>,
) -> compound_api::error::AppResult<Option<accounts::IssuedToken>> {
    // No caller yet: the bootstrap path is the one change made without one.
    let nobody = Caller::Anonymous;
    let uow = UnitOfWork::begin(db, &nobody, clock).await?;
    // Only the bootstrap excludes every other loader; a login of the
    // admin that exists runs beside the loads in progress.
    let shared = match need {
        Need::EmptyDatabase => Lock::Whole,
        _ => Lock::Shared,
    };
    lock(uow.db(), shared).await?;
    let txn = uow.db();
    let ready = match need {
        Need::EmptyDatabase => {
            need.holds(txn).await?
                && (accounts::bootstrap_admin(txn, clock, ADMIN_USERNAME, DEMO_PASSWORD).await?
                    || account::Entity::find().count(txn).await? == 1
                        && accounts::check_credentials(txn, ADMIN_USERNAME, DEMO_PASSWORD)
                            .await?
                            .is_some())
        }
        Need::NoSubdistrict(_) | Need::Admin => {
            if !need.holds(txn).await? {
                false
            } else if accounts::check_credentials(txn, ADMIN_USERNAME, DEMO_PASSWORD)
                .await?
                .is_some()
            {
                true
            } else {
                uow.rollback().await?;
                return Err(AppError::Internal(format!(
                    "the city's admin ({ADMIN_USERNAME}, with the demo password) is missing: \
                     load the demo's own subdistrict first"
                )));
            }
        }
    };
    let admin = match ready {
        true => {
            account::Entity::find()
                .filter(account::Column::Username.eq(ADMIN_USERNAME))
                .one(txn)
                .await?
        }
        false => None,
    };
    let Some(admin) = admin else {
        uow.rollback().await?;
        return Ok(None);
    };
    let token = accounts::issue_token(txn, clock.now(), admin, LOAD_TOKEN_TTL).await?;
    uow.commit(events).await?;
    Ok(Some(token))
}
