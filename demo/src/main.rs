//! `demo`: loads the demo subdistrict once into the database the server
//! uses (the same `DATABASE_URL`, by default the SQLite file of
//! `cargo run --release`), prints what it loaded and exits. A database that
//! already holds data is left alone.
//!
//! Flags: `--small` loads the small demo the tests use instead of the full
//! seed figures.

use compound_api::{config::Config, startup, telemetry};
use compound_demo::Scale;

#[tokio::main]
async fn main() {
    telemetry::init();
    if let Err(err) = run().await {
        tracing::error!("{err}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), compound_demo::LoadError> {
    let scale = if std::env::args().skip(1).any(|a| a == "--small") {
        Scale::SMALL
    } else {
        Scale::FULL
    };
    let config = Config::from_env()?;
    tracing::info!(database = %config.redacted_database_url(), "connecting");
    let db = startup::connect_and_migrate(&config).await?;
    let started = std::time::Instant::now();
    match compound_demo::load_scaled(&db, scale).await? {
        Some(summary) => {
            let secs = started.elapsed().as_secs_f64();
            tracing::info!("demo data loaded in {secs:.1} s");
            println!("{summary}");
        }
        None => tracing::info!("the database already holds data; the demo was not loaded"),
    }
    Ok(())
}
