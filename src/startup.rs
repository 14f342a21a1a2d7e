//! Start-up: connect, migrate, build the schema and the router. Tests call
//! the same functions, so they run exactly the application the binary serves.

use std::sync::Arc;
use std::time::Duration;

use object_store::ObjectStore;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};

use crate::config::Config;
use crate::domain::attachments::Files;
use crate::domain::clock::Clock;
use crate::events::Events;
use crate::graphql::build_schema;
use crate::http::{AppState, router};
use crate::read_cache::ReadCache;

/// How long an SQLite writer waits for the write lock before failing.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Connects to the configured database, creating an SQLite file's folder
/// if needed, applies every pending migration and installs the shipped
/// evaluation rubrics the database does not have yet.
pub async fn connect_and_migrate(config: &Config) -> Result<DatabaseConnection, StartupError> {
    if let Some(path) = sqlite_file(&config.database_url)
        && let Some(dir) = std::path::Path::new(&path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let mut opts = ConnectOptions::new(config.database_url.clone());
    opts.max_connections(config.max_db_connections)
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        // SQLite has one write lock, and every unit of work takes it at its
        // start: a writer queues for it rather than failing. sqlx's 5 s
        // gave up under load on 2 cores (concurrent demo loaders, each a
        // long transaction, failed with "database is locked").
        .map_sqlx_sqlite_opts(|o| o.busy_timeout(SQLITE_BUSY_TIMEOUT));
    let db = Database::connect(opts).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // sqlx already turns foreign keys on for every pooled connection; WAL (kept in the file) lets readers run
        // beside the writer.
        if !config.database_url.contains(":memory:") {
            db.execute_unprepared("PRAGMA journal_mode = WAL").await?;
        }
    }
    Migrator::up(&db, None).await?;
    let installed = crate::domain::evaluation::rubrics::install_shipped(&db, &Clock::system())
        .await
        .map_err(|e| format!("cannot install the shipped rubrics: {e:?}"))?;
    if !installed.is_empty() {
        tracing::info!(rubrics = ?installed, "installed the shipped rubrics");
    }
    Ok(db)
}

/// Creates the configured first platform admin (`ADMIN_USERNAME`,
/// `ADMIN_PASSWORD`) when the database has no account yet. The demo loader
/// (`compound-demo`) fills only a database without one.
pub async fn bootstrap_admin(db: &DatabaseConnection, config: &Config) -> Result<(), StartupError> {
    if let Some((user, password)) = &config.bootstrap_admin {
        match crate::domain::accounts::bootstrap_admin(db, &Clock::system(), user, password).await {
            Ok(true) => tracing::info!(username = %user, "created the first platform admin"),
            Ok(false) => {}
            Err(e) => {
                return Err(
                    format!("cannot create the admin account: {}", e.public_message()).into(),
                );
            }
        }
    }
    Ok(())
}

fn sqlite_file(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && !path.contains(":memory:")).then(|| path.to_owned())
}

/// The attachment store the configuration names: an `s3://` URL (with the
/// `AWS_*` variables), or a local directory, created if missing.
pub fn attachment_files(config: &Config) -> Result<Files, StartupError> {
    let where_ = config.attachment_store.trim();
    let store: Arc<dyn ObjectStore> = if where_.starts_with("s3://") {
        // The S3 client's TLS runs on rustls with ring, installed once here.
        let _ = rustls::crypto::ring::default_provider().install_default();
        Arc::new(
            object_store::aws::AmazonS3Builder::from_env()
                .with_url(where_)
                .build()
                .map_err(|e| format!("ATTACHMENT_STORE: {e}"))?,
        )
    } else {
        let dir = where_.strip_prefix("file://").unwrap_or(where_);
        std::fs::create_dir_all(dir)?;
        Arc::new(
            object_store::local::LocalFileSystem::new_with_prefix(dir)
                .map_err(|e| format!("ATTACHMENT_STORE: {e}"))?,
        )
    };
    Ok(Files::new(store, config.max_upload_bytes))
}

/// The whole HTTP application over an open database, on the system clock.
pub async fn app(db: DatabaseConnection, config: &Config) -> Result<axum::Router, StartupError> {
    app_with_clock(db, config, Clock::system()).await
}

/// The whole HTTP application over an open database, reading the time from
/// `clock` (tests pass one they can move).
pub async fn app_with_clock(
    db: DatabaseConnection,
    config: &Config,
    clock: Clock,
) -> Result<axum::Router, StartupError> {
    crate::monitoring::install();
    let events = Events::start(&db)
        .await
        .map_err(|e| format!("cannot start the event hub: {}", e.public_message()))?;
    let cache = ReadCache::new(
        config.read_cache_bytes,
        config.read_cache_ttl,
        events.clone(),
    );
    let files = attachment_files(config)?;
    let trusted = match &config.trusted_documents {
        Some(path) => {
            let manifest = std::fs::read_to_string(path)
                .map_err(|e| format!("TRUSTED_DOCUMENTS: cannot read {path}: {e}"))?;
            let docs = crate::http::trusted::TrustedDocuments::from_manifest(&manifest)
                .map_err(|e| format!("TRUSTED_DOCUMENTS: {e}"))?;
            tracing::info!(
                documents = docs.len(),
                "anonymous callers run registered documents only"
            );
            Some(docs)
        }
        None => None,
    };
    let limiter = crate::http::rate_limit::Limiter::new(
        crate::http::rate_limit::Rate {
            per_minute: config.limits.rate_per_minute,
            burst: config.limits.rate_burst,
        },
        &db,
    );
    if let crate::http::rate_limit::Limiter::Shared(..) = limiter {
        // The shared table holds one row per recent caller: forget the idle.
        let (db, clock) = (db.clone(), clock.clone());
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(300));
            loop {
                every.tick().await;
                crate::http::rate_limit::prune_shared(&db, clock.now().timestamp_micros()).await;
            }
        });
    }
    let schema = build_schema(
        db.clone(),
        config.clone(),
        clock.clone(),
        events,
        files.clone(),
    );
    Ok(router(AppState {
        schema,
        db,
        clock,
        limits: config.limits.clone(),
        cache,
        files,
        sockets: crate::http::SocketSlots::default(),
        client_ip_header: config
            .client_ip_header
            .as_deref()
            .and_then(|h| axum::http::HeaderName::try_from(h).ok()),
        production: config.production,
        cors_allowed_origins: config.cors_allowed_origins.clone(),
        trusted,
        limiter,
    }))
}

/// Serves `app` on `listener` until `stop` completes, then shuts down
/// gracefully: it stops accepting, closes every socket with 1001, lets the
/// requests in flight finish, and returns when they have, or when the
/// grace period (`SHUTDOWN_GRACE_SECS`) is over.
///
/// Each connection is served with hyper's header read timeout
/// (`HEADER_READ_TIMEOUT_SECS`), which also closes a keep-alive connection
/// left idle that long, and knows its peer's address (`ClientAddress`).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    config: &Config,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use tower::ServiceExt;

    let limits = &config.limits;
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(limits.header_read_timeout)
        .keep_alive_timeout(limits.header_read_timeout);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors, say: wait rather than spin.
                    tracing::warn!(error = %e, "accepting a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let service =
            app.clone()
                .map_request(move |mut req: axum::http::Request<hyper::body::Incoming>| {
                    req.extensions_mut()
                        .insert(axum::extract::ConnectInfo(peer));
                    req
                });
        let connection = builder
            .serve_connection_with_upgrades(
                TokioIo::new(stream),
                hyper_util::service::TowerToHyperService::new(service),
            )
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
    drop(listener);
    tracing::info!("shutting down: draining requests and closing sockets");
    crate::http::drain::begin();
    let drained = async {
        graceful.shutdown().await;
        while crate::http::drain::open_sockets() > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    if tokio::time::timeout(limits.shutdown_grace, drained)
        .await
        .is_err()
    {
        tracing::warn!("the grace period ended with requests or sockets still open");
    }
    Ok(())
}

/// Whether any account exists (a fresh database has none, and nobody can log in).
pub async fn has_accounts(db: &DatabaseConnection) -> Result<bool, StartupError> {
    use sea_orm::{EntityTrait, PaginatorTrait};
    Ok(crate::entity::account::Entity::find().count(db).await? > 0)
}

/// Any failure to start: reported once, at start-up, with its message.
pub type StartupError = Box<dyn std::error::Error + Send + Sync>;

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_paths_are_found() {
        assert_eq!(
            super::sqlite_file("sqlite://./data/compound.db?mode=rwc").as_deref(),
            Some("./data/compound.db")
        );
        assert_eq!(super::sqlite_file("sqlite::memory:"), None);
        assert_eq!(super::sqlite_file("postgres://x/y"), None);
    }
}
