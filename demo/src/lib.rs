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
//! `open_votes` then opens owners' assembly votes with an account for each
//! of their first owners, for the benchmarks' ballots.

mod generate;
mod names;
pub mod open_votes;
mod write;

pub use open_votes::open_votes;

use compound_api::domain::access::Caller;
use compound_api::domain::accounts;
use compound_api::domain::clock::Clock;
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::entity::{account, subdistrict};
use compound_api::error::AppError;
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

/// Loads the demo at `scale` once; returns a one-line summary of what was
/// loaded, or `None` when the database already holds a subdistrict or an
/// account (other than the demo's own admin, left by a load that failed).
pub async fn load_scaled(
    db: &DatabaseConnection,
    scale: Scale,
) -> Result<Option<String>, LoadError> {
    scale.check()?;
    let clock = Clock::system();
    let events = Events::start(db).await.map_err(failed)?;
    let Some(token) = admin_token(db, &clock, &events).await.map_err(failed)? else {
        return Ok(None);
    };
    let caller = accounts::authenticate(db, &clock, Some(&token.token))
        .await
        .map_err(failed)?;
    let token_id = caller.actor().map_err(failed)?.token_id;
    let demo = generate::generate(scale, clock.today(), clock.now());
    let summary = demo.summary();
    let uow = UnitOfWork::begin(db, &caller, &clock)
        .await
        .map_err(failed)?;
    lock(uow.db()).await?;
    // Checked again under the lock: another loader may have loaded the
    // demo since this one made its admin token.
    if subdistrict::Entity::find().count(uow.db()).await? > 0 {
        uow.rollback().await.map_err(failed)?;
        accounts::logout(db, clock.now(), token_id)
            .await
            .map_err(failed)?;
        return Ok(None);
    }
    write::write(&uow, demo, &token.account.password_hash)
        .await
        .map_err(failed)?;
    accounts::logout(uow.db(), clock.now(), token_id)
        .await
        .map_err(failed)?;
    uow.commit(&events).await.map_err(failed)?;
    Ok(Some(summary))
}

/// Takes the database's write lock for the loader's transaction, so loaders
/// started together go one after the other. On SQLite the unit of work
/// already holds it (`BEGIN IMMEDIATE`); PostgreSQL takes an advisory lock
/// that ends with the transaction.
async fn lock(txn: &impl ConnectionTrait) -> Result<(), LoadError> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7201120261122)")
            .await?;
    }
    Ok(())
}

/// A login token of the demo's admin, created by the domain's bootstrap
/// path into a database with no account; `None` when the database holds a
/// subdistrict or accounts of its own. The admin of a load that failed
/// (the only account, with the demo password) is used again.
async fn admin_token(
    db: &DatabaseConnection,
    clock: &Clock,
    events: &Events,
) -> compound_api::error::AppResult<Option<accounts::IssuedToken>> {
    // No caller yet: the bootstrap path is the one change made without one.
    let nobody = Caller::Anonymous;
    let uow = UnitOfWork::begin(db, &nobody, clock).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        uow.db()
            .execute_unprepared("SELECT pg_advisory_xact_lock(7201120261122)")
            .await?;
    }
    let txn = uow.db();
    let empty = subdistrict::Entity::find().count(txn).await? == 0
        && (accounts::bootstrap_admin(txn, clock, ADMIN_USERNAME, DEMO_PASSWORD).await?
            || account::Entity::find().count(txn).await? == 1
                && accounts::check_credentials(txn, ADMIN_USERNAME, DEMO_PASSWORD)
                    .await?
                    .is_some());
    let admin = match empty {
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
