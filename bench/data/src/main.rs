//! `bench-data`: loads one of the benchmark's data sets into the database
//! of `DATABASE_URL` through the project's domain (the `compound-demo`
//! loader: every row checked by the rules, audited and, for decisions,
//! chained), and reports how many rows it wrote per second.
//!
//! ```text
//! bench-data small|demo|city [--subdistricts N] [--council-matters N] [--votes N]
//!            [--turnout PERCENT] [--large-compound DWELLINGS] [--jobs N] [--activity 0|1]
//!            [--evaluation 0|1]
//! ```
//!
//! Every size also gets, after the history, each subdistrict's civic life
//! of the last half year (`compound_demo::activity`; `--activity 0` leaves
//! it out): people's-small-things projects in every status, notices,
//! opinions and grid events, written by residents, grid workers and
//! handlers under accounts of their own.
//!
//! - `small`: the small demo (seconds, for tests), with a short history;
//! - `demo`: the demo subdistrict of DOMAIN.md's seed figures, as `demo` loads it;
//! - `city`: `--subdistricts` (default 50) subdistricts of `Scale::CITY`,
//!   about 10,000 compounds, 100,000 buildings, 470,000 dwellings and
//!   1,000,000 residents with the full chain of chiefs, and in every
//!   compound two years of council matters (`--council-matters`, default 8)
//!   and owners' votes (`--votes`, default 2) with the paper ballots of
//!   `--turnout` (default 70) per cent of the owners; the first subdistrict
//!   also has a commodity compound of `--large-compound` (default 5,400)
//!   dwellings. On PostgreSQL `--jobs` (default 2) subdistricts load side
//!   by side, each over its own connection of the pool.
//!
//! Every size also gets each subdistrict's evaluations
//! (`compound_demo::evaluation`; `--evaluation 0` leaves them out): a
//! county-level demonstration-compound campaign scored by five evaluators
//! and published, and its quarterly star-rating rounds.
//!
//! The load is deterministic (fixed seeds, dates from the day of loading)
//! and resumable: each subdistrict and each subdistrict's history is one
//! unit of work, each activity is written once, and a run skips what a
//! previous run has loaded.

use std::time::Instant;

use compound_api::config::Config;
use compound_api::{startup, telemetry};
use compound_demo::{
    Activity, Evaluation, History, LoadError, MAX_SUBDISTRICTS, Place, SUBDISTRICTS_PER_DISTRICT,
    Scale,
};
use futures_util::{StreamExt, stream};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

#[tokio::main]
async fn main() {
    telemetry::init();
    if let Err(err) = run().await {
        eprintln!("bench-data: {err}");
        std::process::exit(1);
    }
}

/// What to load.
struct Plan {
    /// The data set's name.
    size: String,
    /// Subdistricts, from the demo's own.
    subdistricts: usize,
    /// The scale of each.
    scale: Scale,
    /// Their past, if any.
    history: Option<History>,
    /// Their last half year, if any.
    activity: Option<Activity>,
    /// Their evaluations, if any.
    evaluation: Option<Evaluation>,
    /// Subdistricts loaded side by side (PostgreSQL only).
    jobs: usize,
}

/// The command line, as a plan.
fn plan(args: &[String]) -> Result<Plan, LoadError> {
    let size = args.first().map(String::as_str).unwrap_or("");
    let mut plan = match size {
        "small" => Plan {
            size: size.into(),
            subdistricts: 1,
            scale: Scale::SMALL,
            history: Some(History {
                council_matters: 2,
                votes: 1,
                turnout: 70,
            }),
            activity: Some(Activity::SMALL),
            evaluation: Some(Evaluation::SMALL),
            jobs: 1,
        },
        "demo" => Plan {
            size: size.into(),
            subdistricts: 1,
            scale: Scale::FULL,
            history: None,
            activity: Some(Activity::FULL),
            evaluation: Some(Evaluation::FULL),
            jobs: 1,
        },
        "city" => Plan {
            size: size.into(),
            subdistricts: 50,
            scale: Scale::CITY,
            history: Some(History::CITY),
            activity: Some(Activity::CITY),
            evaluation: Some(Evaluation::CITY),
            jobs: 2,
        },
        _ => return Err(usage()),
    };
    let mut large = (size == "city").then_some(5_400);
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        let value: u64 = rest
            .next()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{flag} needs a number"))?;
        let history = plan.history.get_or_insert(History {
            council_matters: 0,
            votes: 0,
            turnout: 70,
        });
        match flag.as_str() {
            "--subdistricts" => plan.subdistricts = value as usize,
            "--council-matters" => history.council_matters = value,
            "--votes" => history.votes = value,
            "--turnout" if value <= 100 => history.turnout = value,
            "--large-compound" => large = Some(value as usize),
            "--jobs" if value > 0 => plan.jobs = value as usize,
            "--activity" if value == 0 => plan.activity = None,
            "--activity" if value == 1 => {}
            "--evaluation" if value == 0 => plan.evaluation = None,
            "--evaluation" if value == 1 => {}
            _ => return Err(usage()),
        }
    }
    if !(1..=MAX_SUBDISTRICTS).contains(&plan.subdistricts) {
        return Err(format!("--subdistricts is 1 to {MAX_SUBDISTRICTS}").into());
    }
    if plan
        .history
        .is_some_and(|h| h.council_matters == 0 && h.votes == 0)
    {
        plan.history = None;
    }
    if let Some(dwellings) = large.filter(|d| *d > 0) {
        plan.scale.large_compound = dwellings;
    }
    Ok(plan)
}

fn usage() -> LoadError {
    "usage: bench-data small|demo|city [--subdistricts N] [--council-matters N] [--votes N] \
     [--turnout PERCENT] [--large-compound DWELLINGS] [--jobs N] [--activity 0|1] [--evaluation 0|1]"
        .into()
}

async fn run() -> Result<(), LoadError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let plan = plan(&args)?;
    let config = Config::from_env()?;
    let db = startup::connect_and_migrate(&config).await?;
    let tables = tables(&db).await?;
    let before = counts(&db, &tables).await?;
    let started = Instant::now();
    let loader = compound_demo::Loader::new(&db).await?;
    // Subdistrict 0 first and alone: it makes the demo admin the others
    // load as. The rest by district in turn, so that the loads running side
    // by side are of different districts (those of one district share its
    // row and take turns).
    let mut order: Vec<usize> = (1..plan.subdistricts).collect();
    order.sort_by_key(|&n| (n % SUBDISTRICTS_PER_DISTRICT, n / SUBDISTRICTS_PER_DISTRICT));
    let first = one(&db, &loader, &plan, 0).await?;
    report(&plan, 1, &first, started);
    let jobs = match db.get_database_backend() {
        DbBackend::Postgres => plan.jobs,
        // SQLite has one writer: its loads queue for it anyway.
        _ => 1,
    };
    let mut loads = stream::iter(order)
        .map(|n| one(&db, &loader, &plan, n))
        .buffer_unordered(jobs);
    let mut done = 1;
    while let Some(loaded) = loads.next().await {
        done += 1;
        report(&plan, done, &loaded?, started);
    }
    let secs = started.elapsed().as_secs_f64();
    let after = counts(&db, &tables).await?;
    println!();
    println!(
        "bench-data {} ({} subdistricts) into {}: {:.1} s",
        plan.size,
        plan.subdistricts,
        config.redacted_database_url(),
        secs
    );
    println!("| table | rows | written | written per second of the load |");
    println!("| --- | ---: | ---: | ---: |");
    let mut total = 0;
    for ((table, b), (_, a)) in before.iter().zip(&after) {
        let written = a - b;
        total += written;
        if *a > 0 {
            println!(
                "| {table} | {a} | {written} | {:.0} |",
                written as f64 / secs.max(0.001)
            );
        }
    }
    println!(
        "| all | {} | {total} | {:.0} |",
        after.iter().map(|(_, n)| n).sum::<i64>(),
        total as f64 / secs.max(0.001)
    );
    Ok(())
}

/// What one subdistrict's loads did.
struct Loaded {
    place: Place,
    /// Seconds of the subdistrict's unit of work, of its history's, and of
    /// its activity's units of work.
    base: f64,
    history: f64,
    activity: f64,
    what: String,
}

/// Loads subdistrict `n`, its history and its activity.
async fn one(
    db: &DatabaseConnection,
    loader: &compound_demo::Loader<'_>,
    plan: &Plan,
    n: usize,
) -> Result<Loaded, LoadError> {
    let place = Place::nth(n);
    // The large compound is the first subdistrict's; the others are alike.
    let scale = match n {
        0 => plan.scale,
        _ => Scale {
            large_compound: 0,
            ..plan.scale
        },
    };
    let scale = Scale {
        residents: scale.residents + scale.large_compound * 5 / 2,
        ..scale
    };
    let t = Instant::now();
    let loaded = loader.subdistrict(scale, &place).await?;
    analyze(db).await?;
    let base = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let past = match &plan.history {
        Some(h) => loader.history(&place, h).await?,
        None => None,
    };
    analyze(db).await?;
    let history = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let life = match &plan.activity {
        Some(a) => loader.activity(&place, a).await?,
        None => None,
    };
    analyze(db).await?;
    let evaluated = match &plan.evaluation {
        Some(e) => loader.evaluation(&place, e).await?,
        None => None,
    };
    analyze(db).await?;
    let activity = t.elapsed().as_secs_f64();
    let life = life
        .map(|w| format!("; last half year: {}", w.summary()))
        .unwrap_or_default()
        + &evaluated
            .map(|w| format!("; evaluations: {}", w.summary()))
            .unwrap_or_default();
    let what = match (&loaded, &past) {
        (None, None) if life.is_empty() => "already loaded".to_owned(),
        _ => {
            let past = past
                .map(|w| {
                    format!(
                        "; history of {} compounds: {} matters, {} votes, {} ballots",
                        w.compounds, w.matters, w.votes, w.ballots
                    )
                })
                .unwrap_or_default();
            format!(
                "{}{past}{life}",
                loaded.as_deref().unwrap_or("(loaded before)")
            )
        }
    };
    Ok(Loaded {
        place,
        base,
        history,
        activity,
        what,
    })
}

/// One line for a subdistrict loaded, the `done`th of the run.
fn report(plan: &Plan, done: usize, l: &Loaded, started: Instant) {
    println!(
        "[{done}/{}, {:.0} s] {} {}: subdistrict {:.1} s, history {:.1} s, activity {:.1} s: {}",
        plan.subdistricts,
        started.elapsed().as_secs_f64(),
        l.place.district,
        l.place.subdistrict,
        l.base,
        l.history,
        l.activity,
        l.what,
    );
}

/// Refreshes PostgreSQL's planner statistics after each unit of work:
/// without it the statements of the next one are planned from the counts of
/// the emptier tables before (in a first city slice, 861 sequential scans of
/// `dwelling` read 17 million rows), and each subdistrict loads slower than
/// the one before. SQLite plans from its indexes and needs nothing.
async fn analyze(db: &DatabaseConnection) -> Result<(), LoadError> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}

/// The schema's tables, by name, without the migrations' own.
async fn tables(db: &DatabaseConnection) -> Result<Vec<String>, LoadError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    let mut out = Vec::new();
    for row in rows {
        let name: String = row.try_get("", "name")?;
        if name != "seaql_migrations" {
            out.push(name);
        }
    }
    Ok(out)
}

/// The rows of each table.
async fn counts(
    db: &DatabaseConnection,
    tables: &[String],
) -> Result<Vec<(String, i64)>, LoadError> {
    let backend = db.get_database_backend();
    let mut out = Vec::with_capacity(tables.len());
    for t in tables {
        let sql = format!("SELECT COUNT(*) AS n FROM \"{t}\"");
        let row = db
            .query_one_raw(Statement::from_string(backend, sql))
            .await?
            .ok_or("no count")?;
        out.push((t.clone(), row.try_get::<i64>("", "n")?));
    }
    Ok(out)
}
