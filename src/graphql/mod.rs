//! The GraphQL layer: a thin adapter over `crate::domain`.
//!
//! Resolvers decode IDs and inputs, call a domain function inside a
//! transaction and wrap the result; no rule lives here. `build_schema`
//! applies the configured limits, and `sdl()` is what `schema.graphql` must
//! equal.

pub mod id;
pub mod loaders;
pub mod node;
pub mod pagination;
pub mod scalars;
pub mod types;

mod mutation;
mod query;

use async_graphql::{Context, Schema};
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

use crate::config::{Config, Limits};
use crate::domain::access::Caller;
use crate::error::{AppError, UserError};
use crate::events::Events;
pub use loaders::Loaders;
pub use mutation::Mutation;
pub use query::Query;
pub use types::decisions::Subscription;

/// The schema the service serves.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// Builds the schema with the given limits. The database, configuration and
/// event hub travel as schema data; the caller and loaders as per-request data.
pub fn build_schema(db: DatabaseConnection, config: Config, events: Events) -> AppSchema {
    let limits: &Limits = &config.limits;
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(64)
        .data(db)
        .data(config)
        .data(events)
        .finish()
}

/// The SDL of the schema, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .finish()
        .sdl()
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

/// Opens the transaction a mutation runs in. Every mutation but `login`
/// needs an account, so anonymous callers are turned away here, before any
/// lookup could tell them what exists.
pub async fn begin(ctx: &Context<'_>) -> async_graphql::Result<DatabaseTransaction> {
    caller(ctx).actor()?;
    begin_anonymous(ctx).await
}

/// Opens a mutation's transaction without asking for an account (`login`).
/// On SQLite the transaction takes the write lock at once (`BEGIN
/// IMMEDIATE`), so concurrent writers queue for it instead of failing when
/// a read snapshot turns out stale; PostgreSQL ignores the option.
pub async fn begin_anonymous(ctx: &Context<'_>) -> async_graphql::Result<DatabaseTransaction> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    Ok(db(ctx)?
        .begin_with_options(options)
        .await
        .map_err(AppError::from)?)
}

/// Ends a mutation's transaction: commits on success; on failure rolls
/// back, so invalid input changes nothing, and turns business failures into
/// user errors and anything else into a top-level error.
pub async fn finish<T>(
    txn: DatabaseTransaction,
    result: Result<T, AppError>,
) -> async_graphql::Result<Outcome<T>> {
    match result {
        Ok(value) => {
            txn.commit().await.map_err(AppError::from)?;
            Ok(Ok(value))
        }
        Err(err) => {
            txn.rollback().await.map_err(AppError::from)?;
            match err {
                AppError::Invalid(errors) => Ok(Err(errors)),
                other => Err(other.into()),
            }
        }
    }
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
            pub user_errors: Vec<crate::error::UserError>,
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
