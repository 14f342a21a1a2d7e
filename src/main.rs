//! `compound-api`: serves the GraphQL API. See README.md.
//!
//! No flags: everything comes from the environment. The demo data is loaded
//! by its own binary, `cargo run --release -p compound-demo`.

use compound_api::{config::Config, startup, telemetry};

/// jemalloc instead of the system allocator: fewer cycles in allocation on
/// the read path and memory handed back under load (docs/BENCHMARKS.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() {
    telemetry::init();
    let outcome = run().await;
    // The spans still waiting go to the collector before the process ends.
    let _ = tokio::task::spawn_blocking(telemetry::shutdown).await;
    if let Err(err) = outcome {
        tracing::error!("{err}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), startup::StartupError> {
    let config = Config::from_env()?;
    tracing::info!(database = %config.redacted_database_url(), "connecting");
    let db = startup::connect_and_migrate(&config).await?;
    startup::bootstrap_admin(&db, &config).await?;
    if !startup::has_accounts(&db).await? {
        tracing::warn!(
            "no account exists yet: set ADMIN_USERNAME and ADMIN_PASSWORD to create the first admin, or load the demo once with `cargo run --release -p compound-demo`"
        );
    }
    let app = startup::app(db, &config).await?;
    let listener = tokio::net::TcpListener::bind(config.bind_addr).await?;
    tracing::info!(
        "serving GraphQL at http://{}/graphql",
        listener.local_addr()?
    );
    startup::serve(listener, app, &config, stop_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on SIGTERM (what orchestrators send) or Ctrl-C.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
