//! The GraphQL layer: a thin adapter over `crate::domain`.
//!
//! Resolvers decode IDs and inputs, call a domain function inside a unit
//! of work (`mutate`) and wrap the result; no rule lives here. `build_schema`
//! applies the configured limits, and `sdl()` is what `schema.graphql` must
//! equal.

pub mod errors;
pub mod guard;
pub mod id;
pub mod loaders;
pub mod node;
pub mod order;
pub mod pagination;
pub mod scalars;
pub mod types;

mod mutation;
mod query;
mod subscription;

use async_graphql::{Context, Schema};
use sea_orm::DatabaseConnection;

use crate::config::{Config, Limits};
use crate::domain::access::Caller;
use crate::domain::attachments::Files;
use crate::domain::clock::Clock;
use crate::domain::decisions::ballot_box::BallotBox;
use crate::domain::unit_of_work::UnitOfWork;
use crate::error::{AppError, AppResult};
use crate::events::Events;
pub use errors::UserError;
pub use loaders::Loaders;
pub use mutation::Mutation;
pub use query::Query;
pub use subscription::Subscription;

/// The schema the service serves.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// Builds the schema with the given limits. The database, configuration,
/// clock and event hub travel as schema data; the caller and loaders as
/// per-request data.
pub fn build_schema(
    db: DatabaseConnection,
    config: Config,
    clock: Clock,
    events: Events,
    files: Files,
) -> AppSchema {
    let limits: &Limits = &config.limits;
    let production = config.production;
    let trace_resolvers = config.trace_resolvers;
    let mut builder = Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    // The document guard (`guard`) holds depth, introspection exempt; this
    // backstop leaves room for introspection's nested `ofType` (13 deep).
    .limit_depth(limits.max_depth.max(10) * 2)
    .limit_complexity(limits.max_complexity)
    .limit_recursive_depth(64)
    .data(BallotBox::new(db.clone(), clock.clone(), events.clone()))
    .data(types::decisions::ChainChecks::new(limits, &db))
    .data(db)
    .data(config)
    .data(clock)
    .data(events)
    .data(files);
    if production {
        builder = builder.disable_introspection().disable_suggestions();
    }
    if trace_resolvers {
        builder = builder.extension(async_graphql::extensions::Tracing);
    }
    builder.finish()
}

/// The served schema's types without data or limits: what `schema.graphql`
/// and introspection tests read.
pub fn bare_schema() -> AppSchema {
    Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .finish()
}

/// The SDL of the schema, as committed in `schema.graphql`.
pub fn sdl() -> String {
    bare_schema().sdl()
}

/// The database connection.
pub fn db<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
        .map_err(|_| AppError::Internal("no database in context".into()).into())
}

/// The service configuration.
pub fn config<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Config> {
    ctx.data::<Config>()
        .map_err(|_| AppError::Internal("no configuration in context".into()).into())
}

/// Who is calling; anonymous when the request carried no valid token.
pub fn caller<'a>(ctx: &Context<'a>) -> &'a Caller {
    static ANONYMOUS: Caller = Caller::Anonymous;
    ctx.data_opt::<Caller>().unwrap_or(&ANONYMOUS)
}

/// The request's DataLoader.
pub fn loaders<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Loaders> {
    ctx.data::<std::sync::Arc<Loaders>>()
        .map(|l| l.as_ref())
        .map_err(|_| AppError::Internal("no loaders in context".into()).into())
}

/// A mutation's result: the value, or what was wrong with the input.
pub type Outcome<T> = Result<T, Vec<UserError>>;

/// The injected clock.
pub fn clock<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Clock> {
    ctx.data::<Clock>()
        .map_err(|_| AppError::Internal("no clock in context".into()).into())
}

/// Today (China Standard Time), by the injected clock.
pub fn today(ctx: &Context<'_>) -> async_graphql::Result<chrono::NaiveDate> {
    Ok(clock(ctx)?.today())
}

/// The event hub.
pub fn hub<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Events> {
    ctx.data::<Events>()
        .map_err(|_| AppError::Internal("no event hub in context".into()).into())
}

/// Runs a mutation's `work` in one unit of work. Every mutation but `login`
/// needs an account, so anonymous callers are turned away here, before any
/// lookup could tell them what exists.
pub async fn mutate<T>(
    ctx: &Context<'_>,
    work: impl AsyncFnOnce(&UnitOfWork<'_>) -> AppResult<T>,
) -> async_graphql::Result<Outcome<T>> {
    caller(ctx).actor()?;
    mutate_as_anyone(ctx, work).await
}

/// Runs a ballot's `work`, which joins its compound's next group commit
/// (`BallotBox`) instead of opening a unit of work of its own. As in
/// `mutate`, anonymous callers are turned away first.
pub async fn mutate_in_group<T>(
    ctx: &Context<'_>,
    work: impl AsyncFnOnce(&BallotBox, &Caller) -> AppResult<T>,
) -> async_graphql::Result<Outcome<T>> {
    let caller = caller(ctx);
    caller.actor()?;
    let ballots = ctx
        .data::<BallotBox>()
        .map_err(|_| AppError::Internal("no ballot box in context".into()))?;
    errors::outcome(work(ballots, caller).await)
}

/// Runs `work` in one unit of work without asking for an account (`login`).
/// Commits on success, delivering the change's events; on failure rolls
/// back, so invalid input changes nothing, and turns business failures into
/// user errors and anything else into a top-level error.
pub async fn mutate_as_anyone<T>(
    ctx: &Context<'_>,
    work: impl AsyncFnOnce(&UnitOfWork<'_>) -> AppResult<T>,
) -> async_graphql::Result<Outcome<T>> {
    let uow = UnitOfWork::begin(db(ctx)?, caller(ctx), clock(ctx)?).await?;
    let result = match work(&uow).await {
        Ok(value) => uow.commit(hub(ctx)?).await.map(|()| value),
        Err(err) => {
            uow.rollback().await?;
            Err(err)
        }
    };
    errors::outcome(result)
}

/// Declares a mutation payload: the changed object (null on failure) and
/// the user errors (empty on success).
macro_rules! payload {
    ($(#[$meta:meta])* $name:ident { $(#[$fmeta:meta])* $field:ident: $ty:ty }) => {
        $(#[$meta])*
        #[derive(async_graphql::SimpleObject)]
        pub struct $name {
            $(#[$fmeta])*
            pub $field: Option<$ty>,
            /// What was wrong with the input. Empty on success; when not empty, nothing was changed.
            pub user_errors: Vec<crate::graphql::UserError>,
        }

        impl From<crate::graphql::Outcome<$ty>> for $name {
            fn from(outcome: crate::graphql::Outcome<$ty>) -> Self {
                match outcome {
                    Ok(value) => Self { $field: Some(value), user_errors: Vec::new() },
                    Err(user_errors) => Self { $field: None, user_errors },
                }
            }
        }
    };
}
pub(crate) use payload;
