//! Logging and tracing: `tracing` to stderr, filtered by `RUST_LOG`
//! (default `info`), and, when an OTLP endpoint is configured, spans
//! exported through OpenTelemetry.
//!
//! `LOG_FORMAT=json` writes one JSON object a line, with the request's
//! span (its id, method and path) in every line logged while serving it;
//! otherwise plain text, coloured only when stderr is a terminal.
//!
//! With `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`)
//! set, every span is also sent to that collector over OTLP/HTTP
//! (protobuf), in batches: the request's span, and one span per resolver
//! from async-graphql's tracing extension, which the schema then installs
//! (`graphql::build_schema`). `OTEL_TRACES_FILTER` (default `info`) chooses
//! the spans exported, as `RUST_LOG` does the lines logged; the standard
//! `OTEL_*` variables (service name, headers, timeouts, batch sizes) apply.

use std::io::IsTerminal;
use std::sync::OnceLock;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, fmt};

/// The exporter's provider, kept to flush it at shutdown.
static PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();

/// Whether `lookup` (the environment, or a test's settings) names an OTLP
/// endpoint for traces.
pub fn otlp_configured(lookup: impl Fn(&str) -> Option<String>) -> bool {
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    ]
    .iter()
    .any(|name| lookup(name).is_some_and(|v| !v.trim().is_empty()))
}

/// Installs the global subscriber; later calls (as in tests) are ignored.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let lines = if json {
        fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(std::io::stderr)
            .boxed()
    } else {
        fmt::layer()
            .with_ansi(std::io::stderr().is_terminal())
            .with_writer(std::io::stderr)
            .boxed()
    };
    let (spans, failure) = match otlp_configured(|k| std::env::var(k).ok()).then(provider) {
        None => (None, None),
        Some(Ok(provider)) => {
            let tracer = provider.tracer("compound-api");
            let _ = PROVIDER.set(provider);
            let filter = std::env::var("OTEL_TRACES_FILTER")
                .ok()
                .and_then(|f| EnvFilter::try_new(f).ok())
                .unwrap_or_else(|| EnvFilter::new("info"));
            let layer = tracing_opentelemetry::layer()
                .with_tracer(tracer)
                .with_filter(filter);
            (Some(layer), None)
        }
        Some(Err(e)) => (None, Some(e)),
    };
    let installed = tracing_subscriber::registry()
        .with(lines.with_filter(filter))
        .with(spans)
        .try_init()
        .is_ok();
    if installed {
        match failure {
            Some(e) => {
                tracing::warn!(error = %e, "spans are not exported: the OTLP exporter could not be built")
            }
            None if PROVIDER.get().is_some() => tracing::info!("exporting spans over OTLP"),
            None => {}
        }
    }
}

/// The tracer provider with an OTLP/HTTP exporter in batches. The exporter's
/// blocking HTTP client may not be built inside the async runtime, so it is
/// built on a thread of its own; it then lives on the batch exporter's.
fn provider() -> Result<SdkTracerProvider, String> {
    // The client's TLS (for an https:// collector) runs on rustls with ring,
    // as the attachment store's does.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let exporter = std::thread::spawn(|| {
        opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .build()
            .map_err(|e| e.to_string())
    })
    .join()
    .map_err(|_| "the exporter's builder panicked".to_owned())??;
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name(
            std::env::var("OTEL_SERVICE_NAME").unwrap_or_else(|_| "compound-api".into()),
        )
        .build();
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build())
}

/// Sends the spans still waiting and stops the exporter (at shutdown).
/// Blocks until the collector has answered or timed out.
pub fn shutdown() {
    if let Some(provider) = PROVIDER.get()
        && let Err(e) = provider.shutdown()
    {
        tracing::warn!(error = %e, "the last spans may not have been exported");
    }
}
