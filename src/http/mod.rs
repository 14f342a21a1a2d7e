//! The HTTP surface: `/graphql` following the GraphQL over HTTP
//! specification (its SHOULDs included), GraphiQL, and health probes.
//!
//! - POST takes `application/json` bodies (a request or a batch, within the
//!   configured batch limit) and `multipart/form-data` bodies as the GraphQL
//!   multipart request specification lays them out (uploads); any other or
//!   missing content type is 415. A JSON body is held to `MAX_BODY_BYTES`,
//!   a multipart one to the upload limit and as much again for its parts.
//! - `GET /attachments/{id}` serves an attachment's bytes to those entitled
//!   to it (`domain::attachments`), 404 to everyone else alike.
//! - GET takes the query string; a mutation over GET is 405 with `Allow: POST`.
//!   GET without a query from a browser (`Accept: text/html`) serves GraphiQL.
//! - Responses are `application/graphql-response+json` unless the client
//!   accepts only `application/json`; a missing Accept header counts as the
//!   former (the specification's rule since 2025). An Accept that allows
//!   neither is 406.
//! - GET with a WebSocket upgrade serves subscriptions over graphql-ws.
//! - With `application/graphql-response+json`, a request that fails before
//!   execution (unparsable body, syntax or validation error, a limit
//!   exceeded) is 400 and has no `data`; with `application/json` a
//!   well-formed request is always 200, as the specification asks.

use std::time::Duration;

use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols};
use async_graphql::{
    BatchRequest, BatchResponse, Request, Response, ServerError,
    http::GraphiQLSource,
    parser::types::{ExecutableDocument, OperationType},
};
use axum::{
    Router,
    body::{Body, Bytes},
    extract::{FromRequestParts, State, WebSocketUpgrade},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{Html, IntoResponse, Response as HttpResponse},
    routing::get,
};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use tower_http::limit::RequestBodyLimitLayer;

use crate::config::Limits;
use crate::domain::access::Caller;
use crate::domain::accounts;
use crate::domain::attachments::{self, Files};
use crate::domain::clock::Clock;
use crate::error::ErrorCode;
use crate::graphql::guard::{self, DocumentLimits, Refusal};
use crate::graphql::order::{Order, OrderedResponse};
use crate::graphql::{AppSchema, loaders::loaders};
use crate::read_cache::{Flight, Lookup, ReadCache};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const APPLICATION_JSON: &str = "application/json";

pub mod drain;
pub mod rate_limit;
pub mod trusted;
mod ws;

pub use ws::SocketSlots;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The schema, with its limits.
    pub schema: AppSchema,
    /// The database.
    pub db: DatabaseConnection,
    /// The clock tokens are checked against.
    pub clock: Clock,
    /// Request limits.
    pub limits: Limits,
    /// Finished query responses, kept until something changes.
    pub cache: ReadCache,
    /// Where attachments' bytes are kept.
    pub files: Files,
    /// The sockets each client address holds open.
    pub sockets: SocketSlots,
    /// `CLIENT_IP_HEADER`: the header a trusted proxy puts the client's
    /// address in; without it, the peer's address is the client's.
    pub client_ip_header: Option<header::HeaderName>,
    /// Production mode: no GraphiQL (the schema has no introspection).
    pub production: bool,
    /// The origins whose pages may call the API from a browser.
    pub cors_allowed_origins: Vec<String>,
    /// The registered documents; with them, anonymous callers may run
    /// nothing else.
    pub trusted: Option<trusted::TrustedDocuments>,
    /// The API's rate limits.
    pub limiter: rate_limit::Limiter,
}

impl AppState {
    /// The limits every document is held to; introspection is refused in
    /// production.
    pub fn document_limits(&self) -> DocumentLimits {
        DocumentLimits {
            introspection: !self.production,
            ..self.limits.document()
        }
    }
}

/// The address of the client a request comes from: the last address in
/// the configured proxy header, else the connection's peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub std::net::IpAddr);

impl ClientAddress {
    fn of(state: &AppState, parts: &axum::http::request::Parts) -> Self {
        let from_header = state.client_ip_header.as_ref().and_then(|name| {
            parts
                .headers
                .get(name)?
                .to_str()
                .ok()?
                .rsplit(',')
                .next()?
                .trim()
                .parse()
                .ok()
        });
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip());
        Self(
            from_header
                .or(peer)
                .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)),
        )
    }
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::of(state, parts))
    }
}

/// The router of the whole service.
pub fn router(state: AppState) -> Router {
    // The layer bounds the largest body of any kind; JSON bodies are held
    // to their own, smaller limit in `graphql_post`.
    let body_limit = multipart_limit(&state).max(state.limits.max_body_bytes);
    let timeout = state.limits.request_timeout;
    let cors = cors_layer(&state.cors_allowed_origins);
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/attachments/{id}", get(attachment_get))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit,
        ))
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics))
        .route("/readyz", get(readyz))
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(
            tower_http::trace::TraceLayer::new_for_http().make_span_with(
                |req: &axum::http::Request<Body>| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    tracing::info_span!("request", id, method = %req.method(), path = req.uri().path())
                },
            ),
        )
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(
            RequestIds::default(),
        ))
        .layer(cors)
        .with_state(state)
}

/// CORS for the allow-listed origins only: with none (the default), no
/// cross-origin page may read a response, and preflights are refused.
fn cors_layer(origins: &[String]) -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .max_age(Duration::from_secs(600))
}

/// Request ids: a per-process random prefix and a counter, unless the
/// client (or a proxy before us) sent one.
#[derive(Clone)]
struct RequestIds {
    prefix: u32,
    next: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        Self {
            prefix: rand::random(),
            next: Default::default(),
        }
    }
}

impl tower_http::request_id::MakeRequestId for RequestIds {
    fn make_request_id<B>(
        &mut self,
        _: &axum::http::Request<B>,
    ) -> Option<tower_http::request_id::RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:08x}-{n}", self.prefix))
            .ok()
            .map(tower_http::request_id::RequestId::new)
    }
}

/// `GET /metrics`: Prometheus text (src/monitoring.rs). In production only
/// callers on loopback or a private network may read it.
async fn metrics(State(state): State<AppState>, address: ClientAddress) -> HttpResponse {
    let near = match address.0 {
        std::net::IpAddr::V4(a) => a.is_loopback() || a.is_private(),
        std::net::IpAddr::V6(a) => a.is_loopback() || a.is_unique_local(),
    };
    if state.production && !near {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::monitoring::render(&state.db),
    )
        .into_response()
}

async fn readyz(State(state): State<AppState>) -> HttpResponse {
    let probe = tokio::time::timeout(
        Duration::from_secs(2),
        state.db.execute_unprepared("SELECT 1"),
    )
    .await;
    match probe {
        Ok(Ok(_)) => (StatusCode::OK, "ready").into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
    }
}

/// Tells a browser to take a response as the content type it is labelled
/// with, never sniffed, and to hold it to the content security `policy`.
fn confine(h: &mut HeaderMap, policy: &'static str) {
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
}

/// The GraphiQL page (not in production), with headers that keep it from
/// being framed or running scripts from anywhere but its own CDN.
fn graphiql() -> HttpResponse {
    let mut resp = Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql")
            .finish(),
    )
    .into_response();
    let h = resp.headers_mut();
    confine(
        h,
        "default-src 'none'; script-src 'unsafe-inline' https://unpkg.com; \
         style-src 'unsafe-inline' https://unpkg.com; img-src 'self' data: https://graphql.org; \
         font-src https://unpkg.com data:; connect-src 'self' ws: wss:; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// The response media type the client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaType {
    GraphqlResponseJson,
    Json,
}

/// Picks the response media type from `Accept`, honouring q-values; `None`
/// when the client accepts neither JSON type.
fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(MediaType::GraphqlResponseJson);
    };
    let mut best: Option<(f32, u8, MediaType)> = None;
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let media = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .filter_map(|p| p.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        // Specific types beat wildcards at equal q.
        let candidate = match media.as_str() {
            GRAPHQL_RESPONSE_JSON => Some((2, MediaType::GraphqlResponseJson)),
            APPLICATION_JSON => Some((2, MediaType::Json)),
            "application/*" | "*/*" => Some((1, MediaType::GraphqlResponseJson)),
            _ => None,
        };
        if let Some((specificity, mt)) = candidate
            && q > 0.0
            && best.is_none_or(|(bq, bs, _)| q > bq || (q == bq && specificity > bs))
        {
            best = Some((q, specificity, mt));
        }
    }
    best.map(|(_, _, mt)| mt)
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

pub(crate) fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// A request that is not well-formed: no `data`, only `errors`, with the
/// given 4xx status whichever media type was negotiated.
fn request_error(media: MediaType, status: StatusCode, message: &str) -> HttpResponse {
    refusal_response(media, status, message, "BAD_USER_INPUT")
}

fn refusal_response(
    media: MediaType,
    status: StatusCode,
    message: &str,
    code: &str,
) -> HttpResponse {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    });
    json_response(media, status, body.to_string().into_bytes())
}

/// A document the guard refused: 400, whichever media type, before
/// anything ran.
fn refused(media: MediaType, refusal: &Refusal) -> HttpResponse {
    if let Some(limit) = refusal.limit() {
        tracing::info!(limit, "refused a document over a limit");
        crate::monitoring::refused(limit);
    }
    refusal_response(
        media,
        StatusCode::BAD_REQUEST,
        &refusal.message(),
        refusal.code(),
    )
}

/// Scans a request's text before it is parsed: its tokens, counted up to
/// the larger (signed-in) limit, and its nesting. The count is held to the
/// caller's own limit by [`check_document`] once the caller is known.
fn scan_request(limits: &DocumentLimits, request: &Request) -> Result<u64, Refusal> {
    guard::scan(
        &request.query,
        limits.tokens_authenticated.max(limits.tokens_anonymous),
        limits.depth,
    )
}

/// Holds a scanned request to the caller's limits: tokens, then the
/// parsed document's measure, then the text of its strings and variables.
/// Returns the `login` fields it holds. A document that does not parse
/// passes, and execution answers its syntax error.
fn check_document(
    state: &AppState,
    limits: &DocumentLimits,
    request: &mut Request,
    tokens: u64,
    caller: &Caller,
) -> Result<u64, Refusal> {
    if matches!(caller, Caller::Anonymous)
        && let Some(trusted) = &state.trusted
        && !trusted.holds(&request.query)
    {
        return Err(Refusal::Untrusted);
    }
    if matches!(caller, Caller::Anonymous) && tokens > limits.tokens_anonymous as u64 {
        return Err(Refusal::Limit {
            limit: "tokens",
            max: limits.tokens_anonymous as u64,
            found: tokens,
        });
    }
    let variables = std::mem::take(&mut request.variables);
    let checked = match request.parsed_query() {
        Ok(doc) => guard::measure(doc).and_then(|m| {
            m.check(limits)?;
            match guard::text_refusal(doc, &variables) {
                Some(refusal) => Err(refusal),
                None => Ok(m.logins),
            }
        }),
        Err(_) => Ok(0),
    };
    request.variables = variables;
    checked
}

fn json_response(media: MediaType, status: StatusCode, body: impl Into<Body>) -> HttpResponse {
    let mut resp = (status, body.into()).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(match media {
            MediaType::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        }),
    );
    resp
}

fn not_acceptable() -> HttpResponse {
    (
        StatusCode::NOT_ACCEPTABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("accept {GRAPHQL_RESPONSE_JSON} or {APPLICATION_JSON}"),
    )
        .into_response()
}

/// Whether a response failed before execution: no data and no error that
/// came from a resolver (resolver errors carry a path).
fn is_request_error(resp: &Response) -> bool {
    resp.data == async_graphql::Value::Null
        && !resp.errors.is_empty()
        && resp.errors.iter().all(|e| e.path.is_empty())
}

fn tag_request_errors(errors: &mut [ServerError]) {
    for e in errors {
        // async-graphql's own complexity (lists by their page size) and
        // depth checks are limits like the guard's.
        let limit = e.message.starts_with("Query is too complex")
            || e.message.starts_with("Query is nested too deep");
        let ext = e.extensions.get_or_insert_with(Default::default);
        if ext.get("code").is_none() {
            ext.set(
                "code",
                if limit {
                    "LIMIT_EXCEEDED"
                } else {
                    "BAD_USER_INPUT"
                },
            );
        }
    }
}

/// Tags the errors async-graphql raises itself during execution when an
/// argument's value does not parse (a malformed `Date` inside an input
/// object): they are the caller's, and every error says what it is.
fn tag_input_errors(errors: &mut [ServerError]) {
    for e in errors {
        let codeless = e
            .extensions
            .as_ref()
            .is_none_or(|x| x.get("code").is_none());
        let input = e.message.starts_with("Failed to parse")
            || e.message.starts_with("Invalid value for argument");
        if codeless && input {
            e.extensions
                .get_or_insert_with(Default::default)
                .set("code", ErrorCode::BadUserInput.as_str());
        }
    }
}

/// The body of a request that failed before execution: its errors only.
#[derive(serde::Serialize)]
struct ErrorsOnly<'a> {
    errors: &'a [ServerError],
}

/// Writes `value` as JSON straight into `out`, in one pass.
fn write_json(out: &mut Vec<u8>, value: &impl serde::Serialize) {
    let start = out.len();
    if serde_json::to_writer(&mut *out, value).is_err() {
        out.truncate(start);
        out.extend_from_slice(
            br#"{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}"#,
        );
    }
}

/// The order of each request's selection set, to write its response in,
/// from the document the guard parsed (`Request` keeps it).
fn orders_of(batch: &mut BatchRequest) -> Vec<Option<Order>> {
    batch
        .iter_mut()
        .map(|r| {
            let name = r.operation_name.clone();
            let doc = r.parsed_query().ok()?;
            Order::in_document(doc, name.as_deref()).map(|(order, _)| order)
        })
        .collect()
}

/// Writes one response into `out`, its data in `order`, and says its status.
fn render_one(
    media: MediaType,
    mut resp: Response,
    order: Option<&Order>,
    out: &mut Vec<u8>,
) -> StatusCode {
    if is_request_error(&resp) {
        tag_request_errors(&mut resp.errors);
        write_json(
            out,
            &ErrorsOnly {
                errors: &resp.errors,
            },
        );
        return match media {
            MediaType::GraphqlResponseJson => StatusCode::BAD_REQUEST,
            MediaType::Json => StatusCode::OK,
        };
    }
    tag_input_errors(&mut resp.errors);
    let ordered = OrderedResponse {
        response: &resp,
        order,
    };
    write_json(out, &ordered);
    StatusCode::OK
}

/// The caller the bearer token names, or the response that says why it
/// could not be checked.
async fn authenticate(state: &AppState, token: Option<&str>) -> Result<Caller, Response> {
    accounts::authenticate(&state.db, &state.clock, token)
        .await
        .map_err(|err| {
            let e: async_graphql::Error = err.into();
            Response::from_errors(vec![e.into_server_error(async_graphql::Pos::default())])
        })
}

/// Runs a batch, each of its documents held to the guard first; the
/// batch as a whole may log in once.
async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    address: ClientAddress,
    media: MediaType,
    mut batch: BatchRequest,
) -> Result<(BatchResponse, Vec<Option<Order>>), HttpResponse> {
    let limits = state.document_limits();
    let mut tokens = Vec::new();
    for request in batch.iter() {
        tokens.push(scan_request(&limits, request).map_err(|r| refused(media, &r))?);
    }
    let caller = match authenticate(state, bearer(headers).as_deref()).await {
        Ok(c) => c,
        Err(resp) => return Ok((BatchResponse::Single(resp), Vec::new())),
    };
    let mut logins = 0u64;
    for (request, tokens) in batch.iter_mut().zip(tokens) {
        logins += check_document(state, &limits, request, tokens, &caller)
            .map_err(|r| refused(media, &r))?;
    }
    if logins > 1 {
        let refusal = Refusal::Limit {
            limit: "logins",
            max: 1,
            found: logins,
        };
        return Err(refused(media, &refusal));
    }
    let orders = orders_of(&mut batch);
    let batch = batch
        .data(caller)
        .data(address)
        .data(loaders(state.db.clone(), state.clock.clone()));
    Ok((state.schema.execute_batch(batch).await, orders))
}

/// Answers one operation, from the read cache when it holds the answer;
/// a query's successful answer is kept there for the same caller.
/// What became of a request, for the metrics, when its status does not say.
#[derive(Clone, Copy)]
struct Outcome(&'static str);

/// [`answer_one`], timed and counted (src/monitoring.rs).
async fn execute_one(
    state: &AppState,
    headers: &HeaderMap,
    address: ClientAddress,
    media: MediaType,
    request: Request,
) -> HttpResponse {
    let started = std::time::Instant::now();
    let operation = request
        .operation_name
        .clone()
        .or_else(|| crate::monitoring::operation_named_in(&request.query).map(str::to_owned));
    let resp = answer_one(state, headers, address, media, request).await;
    let outcome = match resp.extensions().get::<Outcome>() {
        Some(Outcome(o)) => o,
        None if resp.status().is_success() => "ok",
        None if resp.status().is_client_error() => "refused",
        None => "failed",
    };
    crate::monitoring::request(operation.as_deref(), outcome, started.elapsed());
    resp
}

fn with_outcome(mut resp: HttpResponse, outcome: &'static str) -> HttpResponse {
    resp.extensions_mut().insert(Outcome(outcome));
    resp
}

async fn answer_one(
    state: &AppState,
    headers: &HeaderMap,
    address: ClientAddress,
    media: MediaType,
    request: Request,
) -> HttpResponse {
    let token = bearer(headers);
    let started = state.clock.now();
    let key = state.cache.key(token.as_deref(), &request);
    let mut renewing = None;
    if let Some(k) = key.as_ref() {
        match state.cache.look(k, started) {
            Lookup::Fresh(body) => {
                return with_outcome(json_response(media, StatusCode::OK, body), "cached");
            }
            // Aged: one request renews it, the others are served it meanwhile.
            Lookup::Aged(body) => match state.cache.renew(k) {
                Some(lead) => renewing = Some(lead),
                None => {
                    return with_outcome(json_response(media, StatusCode::OK, body), "cached");
                }
            },
            Lookup::Miss => {}
        }
    }
    let mut request = request;
    let limits = state.document_limits();
    let tokens = match scan_request(&limits, &request) {
        Ok(tokens) => tokens,
        Err(refusal) => return refused(media, &refusal),
    };
    let operation_name = request.operation_name.clone();
    let plan = request
        .parsed_query()
        .ok()
        .and_then(|doc| Order::in_document(doc, operation_name.as_deref()));
    let query = matches!(plan, Some((_, OperationType::Query)));
    // A query missed: one request answers it, the others wait for that.
    let _lead = match key.as_ref().filter(|_| query && renewing.is_none()) {
        Some(k) => match state.cache.flight(k).await {
            Some(Flight::Lead(lead)) => Some(lead),
            Some(Flight::Followed) => match state.cache.get(k, started) {
                Some(body) => {
                    return with_outcome(json_response(media, StatusCode::OK, body), "cached");
                }
                None => None,
            },
            None => None,
        },
        None => None,
    };
    let changes = state.cache.changes();
    let order = plan.as_ref().map(|(order, _)| order);
    let mut body = Vec::with_capacity(4096);
    let caller = match authenticate(state, token.as_deref()).await {
        Ok(c) => c,
        Err(resp) => {
            let status = render_one(media, resp, order, &mut body);
            return json_response(media, status, body);
        }
    };
    if let Err(refusal) = check_document(state, &limits, &mut request, tokens, &caller) {
        return refused(media, &refusal);
    }
    let request = request
        .data(caller.clone())
        .data(address)
        .data(loaders(state.db.clone(), state.clock.clone()));
    let resp = state.schema.execute(request).await;
    let errors = !resp.errors.is_empty();
    let keep = !errors && resp.cache_control.max_age != -1 && query && key.is_some();
    let status = render_one(media, resp, order, &mut body);
    let body = Bytes::from(body);
    if let Some(key) = key.filter(|_| keep && status == StatusCode::OK) {
        state
            .cache
            .put(key, body.clone(), changes, &caller, started);
    }
    let resp = json_response(media, status, body);
    if errors && status == StatusCode::OK {
        with_outcome(resp, "errors")
    } else {
        resp
    }
}

fn render(media: MediaType, resp: BatchResponse, orders: &[Option<Order>]) -> HttpResponse {
    let mut body = Vec::with_capacity(4096);
    let order = |i: usize| orders.get(i).and_then(Option::as_ref);
    match resp {
        BatchResponse::Single(r) => {
            let status = render_one(media, r, order(0), &mut body);
            json_response(media, status, body)
        }
        BatchResponse::Batch(rs) => {
            body.push(b'[');
            for (i, r) in rs.into_iter().enumerate() {
                if i > 0 {
                    body.push(b',');
                }
                render_one(media, r, order(i), &mut body);
            }
            body.push(b']');
            json_response(media, StatusCode::OK, body)
        }
    }
}

/// The largest multipart body: one upload at its limit, and as much again
/// for the operations, the map and the parts' headers.
fn multipart_limit(state: &AppState) -> usize {
    state
        .files
        .max_bytes()
        .saturating_mul(2)
        .max(state.limits.max_body_bytes)
}

/// Reads a multipart request. Each file may be one byte over the upload
/// limit, so that the domain, which reads at most that much, answers a
/// file too large with a user error rather than the parser with a request
/// error.
async fn multipart_request(
    state: &AppState,
    content_type: &str,
    body: Bytes,
) -> Result<BatchRequest, String> {
    let options = async_graphql::http::MultipartOptions::default()
        .max_file_size(state.files.max_bytes().saturating_add(1))
        .max_num_files(10);
    let reader = futures_util::io::Cursor::new(body);
    async_graphql::http::receive_batch_body(Some(content_type), reader, options)
        .await
        .map_err(|e| format!("the body is not a GraphQL multipart request: {e}"))
}

async fn graphql_post(
    State(state): State<AppState>,
    address: ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> HttpResponse {
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    let raw_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let content_type = Some(
        raw_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    );
    if content_type.as_deref() == Some("multipart/form-data") {
        let batch = match multipart_request(&state, raw_type, body).await {
            Ok(b) => b,
            Err(e) => return request_error(media, StatusCode::BAD_REQUEST, &e),
        };
        return answer(&state, &headers, address, media, batch).await;
    }
    if body.len() > state.limits.max_body_bytes {
        return request_error(
            media,
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "a JSON request body is at most {} bytes",
                state.limits.max_body_bytes
            ),
        );
    }
    if content_type.as_deref() != Some(APPLICATION_JSON) {
        let mut resp = request_error(
            media,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the request as application/json",
        );
        resp.headers_mut()
            .insert(header::ACCEPT, HeaderValue::from_static(APPLICATION_JSON));
        return resp;
    }
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            return request_error(
                media,
                StatusCode::BAD_REQUEST,
                &format!("the body is not a GraphQL request: {e}"),
            );
        }
    };
    answer(&state, &headers, address, media, batch).await
}

/// The prefix async-graphql gives a variable that stands for a multipart
/// file, followed by the file's index.
const FILE_MARK: &str = "#__graphql_file__:";

/// Whether every variable that claims to stand for a file names one of the
/// request's files. async-graphql takes such a claim on trust and panics
/// on a bad one, and a JSON body (or a multipart one's operations) could
/// make it, so it is checked before anything runs.
fn files_named_truly(request: &Request) -> bool {
    fn walk(v: &async_graphql::Value, files: usize) -> bool {
        match v {
            async_graphql::Value::String(s) => s
                .strip_prefix(FILE_MARK)
                .is_none_or(|i| i.parse::<usize>().is_ok_and(|i| i < files)),
            async_graphql::Value::List(items) => items.iter().all(|v| walk(v, files)),
            async_graphql::Value::Object(map) => map.values().all(|v| walk(v, files)),
            _ => true,
        }
    }
    request
        .variables
        .iter()
        .all(|(_, v)| walk(v, request.uploads.len()))
}

/// Answers a request or batch read from a POST body.
async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    address: ClientAddress,
    media: MediaType,
    batch: BatchRequest,
) -> HttpResponse {
    let honest = match &batch {
        BatchRequest::Single(r) => files_named_truly(r),
        BatchRequest::Batch(rs) => rs.iter().all(files_named_truly),
    };
    if !honest {
        return request_error(
            media,
            StatusCode::BAD_REQUEST,
            "a variable names a file the request does not carry",
        );
    }
    if let BatchRequest::Batch(items) = &batch
        && (items.is_empty() || items.len() > state.limits.max_batch)
    {
        return request_error(
            media,
            StatusCode::BAD_REQUEST,
            &format!("a batch holds 1 to {} operations", state.limits.max_batch),
        );
    }
    let mut batch = batch;
    if let Some(trusted) = &state.trusted {
        for request in batch.iter_mut() {
            if let Err(e) = trusted.resolve(request) {
                return request_error(media, StatusCode::BAD_REQUEST, &e);
            }
        }
    }
    let empty = match &batch {
        BatchRequest::Single(r) => r.query.trim().is_empty(),
        BatchRequest::Batch(rs) => rs.iter().any(|r| r.query.trim().is_empty()),
    };
    if empty {
        return request_error(media, StatusCode::BAD_REQUEST, "the request has no query");
    }
    if let BatchRequest::Single(request) = batch {
        return execute_one(state, headers, address, media, request).await;
    }
    match execute(state, headers, address, media, batch).await {
        Ok((resp, orders)) => render(media, resp, &orders),
        Err(refusal) => refusal,
    }
}

/// `GET /attachments/{id}`: the bytes of an attachment, to those entitled
/// to it. A missing attachment and one the caller may not read are both
/// 404, so the answer tells nothing of what exists.
async fn attachment_get(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: HeaderMap,
) -> HttpResponse {
    let Ok(id) = id.parse::<i64>() else {
        return (StatusCode::NOT_FOUND, "no such attachment").into_response();
    };
    let caller =
        match accounts::authenticate(&state.db, &state.clock, bearer(&headers).as_deref()).await {
            Ok(c) => c,
            Err(_) => return (StatusCode::UNAUTHORIZED, "the token is not valid").into_response(),
        };
    let found = match attachments::readable(&state.db, &caller, id).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = ?e, "serving attachment {id}");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
        }
    };
    let Some(a) = found else {
        return (StatusCode::NOT_FOUND, "no such attachment").into_response();
    };
    match state.files.read(&a).await {
        Ok(bytes) => {
            let mut resp = (StatusCode::OK, bytes).into_response();
            let h = resp.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&a.content_type) {
                h.insert(header::CONTENT_TYPE, v);
            }
            // The bytes are what they were found to be; a browser must not
            // guess otherwise, nor run anything a document may hold.
            confine(h, "sandbox; default-src 'none'");
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=86400, immutable"),
            );
            if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", a.sha256)) {
                h.insert(header::ETAG, v);
            }
            resp
        }
        Err(e) => {
            tracing::error!(error = ?e, "reading attachment {id}");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// Reads a GET request's parameters: `query`, `operationName`, and
/// `variables` and `extensions` as JSON text. (async-graphql's own parser
/// does not read the camel-case `operationName` the specification names.)
fn parse_get_request(raw: &str) -> Result<Request, String> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Params {
        #[serde(default)]
        query: String,
        operation_name: Option<String>,
        variables: Option<String>,
        extensions: Option<String>,
    }
    let p: Params = serde_urlencoded::from_str(raw).map_err(|e| e.to_string())?;
    let mut req = Request::new(p.query);
    if let Some(name) = p.operation_name.filter(|n| !n.is_empty()) {
        req = req.operation_name(name);
    }
    if let Some(v) = p.variables.filter(|v| !v.is_empty()) {
        let json: serde_json::Value =
            serde_json::from_str(&v).map_err(|e| format!("variables: {e}"))?;
        req = req.variables(async_graphql::Variables::from_json(json));
    }
    if let Some(x) = p.extensions.filter(|x| !x.is_empty()) {
        req.extensions = serde_json::from_str(&x).map_err(|e| format!("extensions: {e}"))?;
    }
    Ok(req)
}

/// The kind of operation `doc` would run under `name`.
fn operation_type(doc: &ExecutableDocument, name: Option<&str>) -> Option<OperationType> {
    let op = match name {
        Some(name) => doc
            .operations
            .iter()
            .find(|(n, _)| n.map(|n| n.as_str()) == Some(name))
            .map(|(_, op)| op),
        None => doc.operations.iter().next().map(|(_, op)| op),
    }?;
    Some(op.node.ty)
}

/// Accepts a GraphQL-over-WebSocket connection (the graphql-ws protocol, or
/// the older subscriptions-transport-ws), served by `ws::serve` under its
/// limits; a client address past its share of sockets is refused with 429.
/// The bearer token comes in the `connection_init` payload
/// (`{"Authorization": "Bearer …"}`) or in the upgrade request's
/// Authorization header.
fn subscriptions(
    state: AppState,
    headers: &HeaderMap,
    address: ClientAddress,
    ws: WebSocketUpgrade,
    protocol: WebSocketProtocols,
) -> HttpResponse {
    let Some(slot) = state
        .sockets
        .take(address.0, state.limits.ws_max_sockets_per_address)
    else {
        crate::monitoring::refused("sockets");
        let mut resp = (
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "an address holds at most {} sockets",
                state.limits.ws_max_sockets_per_address
            ),
        )
            .into_response();
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
        return resp;
    };
    let header_token = bearer(headers);
    let max = state.limits.ws_max_message_bytes;
    ws.protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| ws::serve(state, socket, protocol, header_token, address, slot))
}

async fn graphql_get(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> HttpResponse {
    let (mut parts, _) = request.into_parts();
    let wants_socket = parts
        .headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if wants_socket {
        // The first offered subprotocol async-graphql speaks, as
        // async-graphql-axum's own extractor picks it.
        let protocol = parts
            .headers
            .get(header::SEC_WEBSOCKET_PROTOCOL)
            .and_then(|v| v.to_str().ok())
            .and_then(|offered| {
                offered
                    .split(',')
                    .find_map(|p| p.trim().parse::<WebSocketProtocols>().ok())
            })
            .ok_or(());
        let ws = WebSocketUpgrade::from_request_parts(&mut parts, &state).await;
        let address = ClientAddress::of(&state, &parts);
        return match (ws, protocol) {
            (Ok(ws), Ok(protocol)) => subscriptions(state, &parts.headers, address, ws, protocol),
            (Err(rejection), _) => rejection.into_response(),
            (_, Err(_)) => (
                StatusCode::BAD_REQUEST,
                "unsupported WebSocket subprotocol: use graphql-transport-ws",
            )
                .into_response(),
        };
    }
    let method = parts.method.clone();
    let headers = parts.headers.clone();
    let address = ClientAddress::of(&state, &parts);
    let query = parts.uri.query().map(str::to_owned);
    let query = query.unwrap_or_default();
    let has_query = query.split('&').any(|kv| kv.starts_with("query="));
    if !has_query && method == Method::GET && wants_html(&headers) && !state.production {
        return graphiql();
    }
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    let parsed = parse_get_request(&query).and_then(|mut r| {
        if let Some(trusted) = &state.trusted {
            trusted.resolve(&mut r)?;
        }
        Ok(r)
    });
    let mut req = match parsed {
        Ok(r) if !r.query.trim().is_empty() => r,
        Ok(_) => return request_error(media, StatusCode::BAD_REQUEST, "the request has no query"),
        Err(e) => {
            return request_error(
                media,
                StatusCode::BAD_REQUEST,
                &format!("bad query string: {e}"),
            );
        }
    };
    if !files_named_truly(&req) {
        return request_error(
            media,
            StatusCode::BAD_REQUEST,
            "a variable names a file the request does not carry",
        );
    }
    // The guard's scan comes before any parse; the parse is kept for execution.
    if let Err(refusal) = scan_request(&state.document_limits(), &req) {
        return refused(media, &refusal);
    }
    let name = req.operation_name.clone();
    let kind = req
        .parsed_query()
        .ok()
        .and_then(|doc| operation_type(doc, name.as_deref()));
    if kind == Some(OperationType::Mutation) {
        let mut resp = request_error(
            media,
            StatusCode::METHOD_NOT_ALLOWED,
            "mutations are not allowed over GET; use POST",
        );
        resp.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return resp;
    }
    execute_one(&state, &headers, address, media, req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn negotiation_follows_the_specification() {
        assert_eq!(
            negotiate(&HeaderMap::new()),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            negotiate(&accept("application/json")),
            Some(MediaType::Json)
        );
        assert_eq!(
            negotiate(&accept("*/*")),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json, application/json;q=0.9"
            )),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json;q=0.5, application/json"
            )),
            Some(MediaType::Json)
        );
        assert_eq!(negotiate(&accept("text/html")), None);
        assert_eq!(negotiate(&accept("application/xml")), None);
    }

    #[test]
    fn bearer_tokens_are_read_case_insensitively() {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer abc"),
        );
        assert_eq!(bearer(&h).as_deref(), Some("abc"));
    }
}
