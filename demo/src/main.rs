//! `demo`: loads the demo subdistrict once into the database the server
//! uses (the same `DATABASE_URL`, by default the SQLite file of
//! `cargo run --release`), then its last half year (`activity`), prints
//! what it loaded and exits. A database that already holds data is left
//! alone.
//!
//! `demo [--small] [--open-votes K:N]`
//!
//! - `--small` loads the small demo the tests use instead of the full seed
//!   figures.
//! - `--open-votes K:N`, after the load (or on a database where the demo
//!   was loaded before), opens an owners' assembly vote in each of the `K`
//!   compounds with the largest registers and makes accounts
//!   `voter-<k>-<n>` (the demo password) for the first `N` owners of each,
//!   who can then cast their ballots online (`castBallot`); `bench/run`
//!   uses `--open-votes 8:64`. Done once: if `voter-1-1` exists, nothing
//!   is touched.

use compound_api::{config::Config, startup, telemetry};
use compound_demo::{LoadError, Scale};

const USAGE: &str = "usage: demo [--small] [--open-votes K:N]";

#[tokio::main]
async fn main() {
    telemetry::init();
    if let Err(err) = run().await {
        tracing::error!("{err}");
        std::process::exit(1);
    }
}

/// What the command line asks for.
struct Args {
    scale: Scale,
    /// Votes to open and accounts to make per vote.
    open_votes: Option<(usize, usize)>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, LoadError> {
    let mut out = Args {
        scale: Scale::FULL,
        open_votes: None,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--small" => out.scale = Scale::SMALL,
            "--open-votes" => {
                let value = args.next().ok_or(USAGE)?;
                let parsed = value
                    .split_once(':')
                    .and_then(|(k, n)| Some((k.parse().ok()?, n.parse().ok()?)))
                    .filter(|&(k, n): &(usize, usize)| k > 0 && n > 0);
                let Some(kn) = parsed else {
                    return Err(format!(
                        "--open-votes takes K:N, two positive numbers (votes, accounts per vote), not `{value}`"
                    )
                    .into());
                };
                out.open_votes = Some(kn);
            }
            _ => return Err(format!("unknown argument `{arg}`; {USAGE}").into()),
        }
    }
    Ok(out)
}

async fn run() -> Result<(), LoadError> {
    let args = parse_args(std::env::args().skip(1))?;
    let config = Config::from_env()?;
    tracing::info!(database = %config.redacted_database_url(), "connecting");
    let db = startup::connect_and_migrate(&config).await?;
    let started = std::time::Instant::now();
    match compound_demo::load_scaled(&db, args.scale).await? {
        Some(summary) => {
            let secs = started.elapsed().as_secs_f64();
            tracing::info!("demo data loaded in {secs:.1} s");
            println!("{summary}");
        }
        None => tracing::info!("the database already holds data; the demo was not loaded"),
    }
    if let Some((votes, accounts)) = args.open_votes {
        let started = std::time::Instant::now();
        match compound_demo::open_votes(&db, votes, accounts).await? {
            Some(summary) => {
                let secs = started.elapsed().as_secs_f64();
                tracing::info!("votes opened in {secs:.1} s");
                println!("{summary}");
            }
            None => tracing::info!("voter-1-1 exists: the votes were opened before"),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, LoadError> {
        parse_args(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn flags_parse_in_any_order() {
        let a = parse(&["--open-votes", "8:64", "--small"]).unwrap();
        assert_eq!(a.scale, Scale::SMALL);
        assert_eq!(a.open_votes, Some((8, 64)));
        let a = parse(&[]).unwrap();
        assert_eq!(a.scale, Scale::FULL);
        assert_eq!(a.open_votes, None);
    }

    #[test]
    fn bad_flags_are_refused() {
        for args in [
            &["--open-votes"][..],
            &["--open-votes", "8"],
            &["--open-votes", "0:64"],
            &["--open-votes", "8:x"],
            &["--large"],
        ] {
            assert!(parse(args).is_err(), "{args:?}");
        }
    }
}
