//! Configuration, read from the environment once at start-up.
//!
//! Every setting has a safe default so that `cargo run --release` works on a
//! fresh machine with no set-up. Secrets (the database password inside
//! `DATABASE_URL`) are never logged: `Config` prints the URL redacted.

use std::{fmt, net::SocketAddr, time::Duration};

use crate::graphql::guard::DocumentLimits;

/// Limits applied to every GraphQL request, set when the schema is built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Deepest selection nesting accepted.
    pub max_depth: usize,
    /// Highest query complexity accepted (a list costs `first` × its children).
    pub max_complexity: usize,
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Most operations in one batched request.
    pub max_batch: usize,
    /// Longest a request may run.
    pub request_timeout: Duration,
    /// Most lexical tokens in an anonymous caller's document.
    pub max_tokens_anonymous: usize,
    /// Most lexical tokens in a signed-in caller's document.
    pub max_tokens: usize,
    /// Most aliases in a document, counted where fragments expand them.
    pub max_aliases: usize,
    /// Most directives in a document, counted where fragments expand them.
    pub max_directives: usize,
    /// How long a socket may wait before `connection_init`.
    pub ws_init_timeout: Duration,
    /// Most subscriptions one socket holds at once.
    pub ws_max_subscriptions: usize,
    /// Most sockets one client address holds open.
    pub ws_max_sockets_per_address: usize,
    /// Largest WebSocket message, in bytes.
    pub ws_max_message_bytes: usize,
    /// How often a socket's token is checked again.
    pub ws_recheck: Duration,
    /// Longest a client may take to send a request's headers; also how
    /// long an idle keep-alive connection is kept.
    pub header_read_timeout: Duration,
    /// How long shutdown waits for requests in flight and sockets.
    pub shutdown_grace: Duration,
    /// Requests a minute, on average, per client address and per token
    /// (0 turns the rate limits off).
    pub rate_per_minute: u32,
    /// Requests a client address or token may send at once.
    pub rate_burst: u32,
    /// Rows a caller (an account, or an anonymous client address) may have
    /// decision chains verified over, per minute; a minute's worth may be
    /// spent at once (0 turns the allowance off).
    pub chain_rows_per_minute: u32,
    /// How long an anonymous caller may be answered a chain verification
    /// already made, instead of a new one.
    pub chain_cache: Duration,
}

impl Limits {
    /// The limits the document guard holds a request to.
    pub fn document(&self) -> DocumentLimits {
        DocumentLimits {
            tokens_anonymous: self.max_tokens_anonymous,
            tokens_authenticated: self.max_tokens,
            aliases: self.max_aliases,
            directives: self.max_directives,
            depth: self.max_depth,
            cost: self.max_complexity,
            introspection: true,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: DocumentLimits::default().depth,
            max_complexity: 5_000,
            max_body_bytes: 1024 * 1024,
            max_batch: 10,
            request_timeout: Duration::from_secs(30),
            max_tokens_anonymous: DocumentLimits::default().tokens_anonymous,
            max_tokens: DocumentLimits::default().tokens_authenticated,
            max_aliases: DocumentLimits::default().aliases,
            max_directives: DocumentLimits::default().directives,
            ws_init_timeout: Duration::from_secs(10),
            ws_max_subscriptions: 50,
            ws_max_sockets_per_address: 50,
            ws_max_message_bytes: 64 * 1024,
            ws_recheck: Duration::from_secs(15),
            header_read_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(20),
            rate_per_minute: 600,
            rate_burst: 100,
            chain_rows_per_minute: 60_000,
            chain_cache: Duration::from_secs(60),
        }
    }
}

/// Everything the service needs to start.
#[derive(Clone)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Address the HTTP server listens on.
    pub bind_addr: SocketAddr,
    /// Request limits.
    pub limits: Limits,
    /// How long a login token stays valid.
    pub token_ttl: Duration,
    /// Largest number of pooled database connections.
    pub max_db_connections: u32,
    /// `READ_CACHE_MB`: memory for the read cache of finished query
    /// responses (0 turns it off).
    pub read_cache_bytes: u64,
    /// `READ_CACHE_TTL_MS`: how long a kept response is served as it is, on
    /// the service's clock; with nothing changed it is served up to twice
    /// as long while one request renews it (0 turns the cache off).
    pub read_cache_ttl: Duration,
    /// `ADMIN_USERNAME` / `ADMIN_PASSWORD`: a platform admin created at start
    /// when the database has no account yet.
    pub bootstrap_admin: Option<(String, String)>,
    /// `ATTACHMENT_STORE`: where uploaded files are kept, a directory (created
    /// at start) or an `s3://bucket/prefix` URL whose credentials, region and
    /// endpoint come from the usual `AWS_*` variables.
    pub attachment_store: String,
    /// `MAX_UPLOAD_BYTES`: the largest file accepted in one upload.
    pub max_upload_bytes: usize,
    /// `STAR_SCALE`: the most stars of the quarterly star rating (星级评定),
    /// 1 to 10; the seeds give no levels, so the default is 1–5. A round
    /// keeps the scale it opened with.
    pub star_scale: i32,
    /// `CLIENT_IP_HEADER`: the header a trusted reverse proxy writes the
    /// client's address in (`X-Forwarded-For`, `X-Real-IP`); its last
    /// address is taken. Unset, the connection's peer is the client.
    pub client_ip_header: Option<String>,
    /// `PRODUCTION`: introspection, "did you mean" suggestions and GraphiQL
    /// off. On by default when the service is bound to an address other
    /// than loopback.
    pub production: bool,
    /// `CORS_ALLOWED_ORIGINS`: the origins (`https://portal.example.cn`)
    /// whose pages may call the API from a browser, comma-separated; empty
    /// by default, so no other origin may.
    pub cors_allowed_origins: Vec<String>,
    /// `TRUSTED_DOCUMENTS`: a manifest of registered documents (a JSON
    /// object from each document's SHA-256 to its text); with it,
    /// anonymous callers may run only those.
    pub trusted_documents: Option<String>,
    /// Whether each resolver runs in a span of its own (async-graphql's
    /// tracing extension): on when an OTLP endpoint is configured
    /// (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`),
    /// so the spans are exported (src/telemetry.rs); `TRACE_RESOLVERS`
    /// overrides. Off otherwise: a span per field costs time on every read.
    pub trace_resolvers: bool,
}

/// The default attachment store: a directory beside the default database.
pub const DEFAULT_ATTACHMENT_STORE: &str = "./data/files";

/// A setting that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("invalid value for {name}: {reason}")]
pub struct ConfigError {
    name: &'static str,
    reason: String,
}

/// The default database: an SQLite file next to the working directory,
/// created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/compound.db?mode=rwc";

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, so tests need not touch the
    /// process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let defaults = Limits::default();
        let limits = Limits {
            max_depth: parse(&lookup, "MAX_QUERY_DEPTH", defaults.max_depth)?,
            max_complexity: parse(&lookup, "MAX_QUERY_COMPLEXITY", defaults.max_complexity)?,
            max_body_bytes: parse(&lookup, "MAX_BODY_BYTES", defaults.max_body_bytes)?,
            max_batch: parse(&lookup, "MAX_BATCH_SIZE", defaults.max_batch)?,
            request_timeout: Duration::from_secs(parse(
                &lookup,
                "REQUEST_TIMEOUT_SECS",
                defaults.request_timeout.as_secs(),
            )?),
            max_tokens_anonymous: parse(
                &lookup,
                "MAX_TOKENS_ANONYMOUS",
                defaults.max_tokens_anonymous,
            )?,
            max_tokens: parse(&lookup, "MAX_TOKENS", defaults.max_tokens)?,
            max_aliases: parse(&lookup, "MAX_ALIASES", defaults.max_aliases)?,
            max_directives: parse(&lookup, "MAX_DIRECTIVES", defaults.max_directives)?,
            ws_init_timeout: secs(&lookup, "WS_INIT_TIMEOUT_SECS", defaults.ws_init_timeout)?,
            ws_max_subscriptions: parse(
                &lookup,
                "WS_MAX_SUBSCRIPTIONS",
                defaults.ws_max_subscriptions,
            )?,
            ws_max_sockets_per_address: parse(
                &lookup,
                "WS_MAX_SOCKETS_PER_ADDRESS",
                defaults.ws_max_sockets_per_address,
            )?,
            ws_max_message_bytes: parse(
                &lookup,
                "WS_MAX_MESSAGE_BYTES",
                defaults.ws_max_message_bytes,
            )?,
            ws_recheck: secs(&lookup, "WS_RECHECK_SECS", defaults.ws_recheck)?,
            header_read_timeout: secs(
                &lookup,
                "HEADER_READ_TIMEOUT_SECS",
                defaults.header_read_timeout,
            )?,
            shutdown_grace: secs(&lookup, "SHUTDOWN_GRACE_SECS", defaults.shutdown_grace)?,
            rate_per_minute: parse(&lookup, "RATE_LIMIT_PER_MINUTE", defaults.rate_per_minute)?,
            rate_burst: parse(&lookup, "RATE_LIMIT_BURST", defaults.rate_burst)?.max(1),
            chain_rows_per_minute: parse(
                &lookup,
                "CHAIN_ROWS_PER_MINUTE",
                defaults.chain_rows_per_minute,
            )?,
            chain_cache: secs(&lookup, "CHAIN_CACHE_SECS", defaults.chain_cache)?,
        };
        let database_url = lookup("DATABASE_URL")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres")) {
            return Err(ConfigError {
                name: "DATABASE_URL",
                reason: "expected a sqlite:// or postgres:// URL".into(),
            });
        }
        let bind_addr: SocketAddr = parse(
            &lookup,
            "BIND_ADDR",
            SocketAddr::from(([127, 0, 0, 1], 8080)),
        )?;
        let production = parse(&lookup, "PRODUCTION", !bind_addr.ip().is_loopback())?;
        let mut cors_allowed_origins = Vec::new();
        for origin in lookup("CORS_ALLOWED_ORIGINS")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
        {
            let well_formed = (origin.starts_with("https://") || origin.starts_with("http://"))
                && !origin.trim_end_matches('/').contains(['*', ' '])
                && axum::http::HeaderValue::from_str(origin).is_ok();
            if !well_formed {
                return Err(ConfigError {
                    name: "CORS_ALLOWED_ORIGINS",
                    reason: format!(
                        "`{origin}` is not an origin such as https://portal.example.cn"
                    ),
                });
            }
            cors_allowed_origins.push(origin.trim_end_matches('/').to_owned());
        }
        let otlp = crate::telemetry::otlp_configured(&lookup);
        Ok(Self {
            trace_resolvers: parse(&lookup, "TRACE_RESOLVERS", otlp)?,
            trusted_documents: lookup("TRUSTED_DOCUMENTS").filter(|s| !s.trim().is_empty()),
            database_url,
            bind_addr,
            production,
            cors_allowed_origins,
            limits,
            token_ttl: Duration::from_secs(3600 * parse(&lookup, "TOKEN_TTL_HOURS", 12u64)?),
            max_db_connections: parse(&lookup, "DATABASE_MAX_CONNECTIONS", 10u32)?,
            read_cache_bytes: 1024 * 1024 * parse(&lookup, "READ_CACHE_MB", 64u64)?,
            read_cache_ttl: Duration::from_millis(parse(&lookup, "READ_CACHE_TTL_MS", 1000u64)?),
            bootstrap_admin: match (lookup("ADMIN_USERNAME"), lookup("ADMIN_PASSWORD")) {
                (Some(u), Some(p)) if !u.trim().is_empty() && !p.is_empty() => {
                    Some((u.trim().to_owned(), p))
                }
                _ => None,
            },
            attachment_store: lookup("ATTACHMENT_STORE")
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_ATTACHMENT_STORE.to_owned()),
            max_upload_bytes: parse(&lookup, "MAX_UPLOAD_BYTES", 10 * 1024 * 1024)?,
            star_scale: match parse(&lookup, "STAR_SCALE", 5i32)? {
                n @ 1..=10 => n,
                _ => {
                    return Err(ConfigError {
                        name: "STAR_SCALE",
                        reason: "expected a number of stars from 1 to 10".into(),
                    });
                }
            },
            client_ip_header: match lookup("CLIENT_IP_HEADER").filter(|s| !s.trim().is_empty()) {
                Some(name) => match axum::http::HeaderName::try_from(name.trim()) {
                    Ok(_) => Some(name.trim().to_ascii_lowercase()),
                    Err(_) => {
                        return Err(ConfigError {
                            name: "CLIENT_IP_HEADER",
                            reason: "expected a header name".into(),
                        });
                    }
                },
                None => None,
            },
        })
    }

    /// The database URL with any password replaced, safe to log.
    pub fn redacted_database_url(&self) -> String {
        redact(&self.database_url)
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &self.redacted_database_url())
            .field("bind_addr", &self.bind_addr)
            .field("limits", &self.limits)
            .field("token_ttl", &self.token_ttl)
            .field("max_db_connections", &self.max_db_connections)
            .field("read_cache_bytes", &self.read_cache_bytes)
            .field("read_cache_ttl", &self.read_cache_ttl)
            .field(
                "bootstrap_admin",
                &self.bootstrap_admin.as_ref().map(|(u, _)| u),
            )
            .field("attachment_store", &self.attachment_store)
            .field("max_upload_bytes", &self.max_upload_bytes)
            .field("production", &self.production)
            .field("cors_allowed_origins", &self.cors_allowed_origins)
            .finish()
    }
}

fn parse<T: std::str::FromStr>(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
) -> Result<T, ConfigError>
where
    T::Err: fmt::Display,
{
    match lookup(name).filter(|s| !s.trim().is_empty()) {
        None => Ok(default),
        Some(raw) => raw.trim().parse().map_err(|e: T::Err| ConfigError {
            name,
            reason: e.to_string(),
        }),
    }
}

fn secs(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: Duration,
) -> Result<Duration, ConfigError> {
    let n: u64 = parse(lookup, name, default.as_secs())?;
    if n == 0 {
        return Err(ConfigError {
            name,
            reason: "expected a number of seconds above 0".into(),
        });
    }
    Ok(Duration::from_secs(n))
}

fn redact(url: &str) -> String {
    // scheme://user:password@host → scheme://user:***@host
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_environment() {
        let c = Config::from_lookup(|_| None).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.bind_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.limits, Limits::default());
    }

    #[test]
    fn production_mode_follows_the_bound_address() {
        assert!(!Config::from_lookup(|_| None).unwrap().production);
        let public = Config::from_lookup(|k| (k == "BIND_ADDR").then(|| "0.0.0.0:8080".into()));
        assert!(public.unwrap().production);
        let chosen = Config::from_lookup(|k| match k {
            "BIND_ADDR" => Some("0.0.0.0:8080".into()),
            "PRODUCTION" => Some("false".into()),
            _ => None,
        });
        assert!(!chosen.unwrap().production);
    }

    #[test]
    fn cors_origins_are_origins() {
        let ok = Config::from_lookup(|k| {
            (k == "CORS_ALLOWED_ORIGINS")
                .then(|| "https://a.example.cn/, http://localhost:3000".into())
        })
        .unwrap();
        assert_eq!(
            ok.cors_allowed_origins,
            ["https://a.example.cn", "http://localhost:3000"]
        );
        for bad in ["*", "portal.example.cn", "https://*.example.cn"] {
            let err = Config::from_lookup(|k| (k == "CORS_ALLOWED_ORIGINS").then(|| bad.into()));
            assert!(err.is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_values_name_the_setting() {
        let err = Config::from_lookup(|k| (k == "MAX_QUERY_DEPTH").then(|| "deep".into()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("MAX_QUERY_DEPTH"), "{err}");
        assert!(
            Config::from_lookup(|k| (k == "DATABASE_URL").then(|| "mysql://x".into())).is_err()
        );
    }

    #[test]
    fn passwords_are_redacted() {
        let c = Config::from_lookup(|k| {
            (k == "DATABASE_URL").then(|| "postgres://app:s3cret@db:5432/x".into())
        })
        .unwrap();
        assert_eq!(c.redacted_database_url(), "postgres://app:***@db:5432/x");
        assert!(!format!("{c:?}").contains("s3cret"));
    }
}
