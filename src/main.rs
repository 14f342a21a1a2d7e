//! `compound-api`: serves the GraphQL API. See README.md.
//!
//! Flags: `--demo` loads the demo subdistrict once (skipped when the
//! database already has data). Everything else comes from the environment.

use compound_api::{config::Config, demo, startup, telemetry};

#[tokio::main]
async fn main() {
    telemetry::init();
    if let Err(err) = run().await {
        tracing::error!("{err}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), startup::StartupError> {
    let demo_requested = std::env::args().skip(1).any(|a| a == "--demo");
    let config = Config::from_env()?;
    tracing::info!(database = %config.redacted_database_url(), "connecting");
    let db = startup::connect_and_migrate(&config).await?;
    if demo_requested {
        match demo::load(&db).await? {
            Some(summary) => tracing::info!(%summary, "demo data loaded"),
            None => tracing::info!("demo data already present; not loaded again"),
        }
    }
    startup::bootstrap_admin(&db, &config).await?;
    if !startup::has_accounts(&db).await? {
        tracing::warn!(
            "no account exists yet: set ADMIN_USERNAME and ADMIN_PASSWORD to create the first admin, or start once with --demo"
        );
    }
    let app = startup::app(db, &config).await?;
    let listener = tokio::net::TcpListener::bind(config.bind_addr).await?;
    tracing::info!(
        "serving GraphQL at http://{}/graphql",
        listener.local_addr()?
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
