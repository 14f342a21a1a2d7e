//! One error type for the whole service, mapped to a fixed set of
//! `extensions.code` values, and the `UserError` that mutation payloads carry.
//!
//! Business failures (bad input, a rule refused) are data: they travel as
//! `AppError::Invalid` and end up in a payload's `userErrors`. Everything
//! else becomes a top-level GraphQL error with a stable code. Internal errors
//! are logged with their chain and shown to the client only as "internal
//! error". Database constraint violations become user errors here, in one
//! place, so resolvers never inspect driver messages.

use async_graphql::{Enum, ErrorExtensions, SimpleObject};

use sea_orm::{DbErr, SqlErr};

/// The stable codes of top-level errors, in `extensions.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// No valid bearer token was presented.
    Unauthenticated,
    /// The caller may not do this.
    Forbidden,
    /// The thing asked for does not exist (or is not visible to the caller).
    NotFound,
    /// The request itself is malformed.
    BadUserInput,
    /// The request conflicts with the current state.
    Conflict,
    /// Something failed on our side.
    Internal,
}

impl ErrorCode {
    /// The value written to `extensions.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::Conflict => "CONFLICT",
            Self::Internal => "INTERNAL",
        }
    }
}

/// Why a mutation's input was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum UserErrorCode {
    /// A value is malformed or not allowed.
    Invalid,
    /// A required value is missing or blank.
    Required,
    /// A value is longer than allowed.
    TooLong,
    /// A number or date is outside its allowed range.
    OutOfRange,
    /// A referenced record does not exist.
    NotFound,
    /// The value is already taken by another record.
    Taken,
    /// The change conflicts with an existing record (an overlapping term, a second active holder).
    Conflict,
    /// The record is not in a state that allows this change.
    InvalidState,
}

/// A business failure reported in a mutation payload.
#[derive(Debug, Clone, PartialEq, Eq, SimpleObject)]
pub struct UserError {
    /// Path to the input field at fault, starting with `input`; empty when the failure concerns the whole input.
    pub field: Vec<String>,
    /// A human-readable explanation.
    pub message: String,
    /// A stable machine-readable code.
    pub code: UserErrorCode,
}

impl UserError {
    /// A failure of the input field `path` (dot-separated, below `input`).
    pub fn new(path: &str, code: UserErrorCode, message: impl Into<String>) -> Self {
        let mut field = vec!["input".to_owned()];
        field.extend(path.split('.').filter(|s| !s.is_empty()).map(str::to_owned));
        Self {
            field,
            message: message.into(),
            code,
        }
    }
}

/// Every failure of the service.
///
/// Deliberately not `Display`: async-graphql converts any `Display` type
/// into an error without a code, so leaving it out makes the compiler send
/// every `AppError` through the `From` below, which sets the code and
/// hides internal causes.
#[derive(Debug)]
pub enum AppError {
    /// No valid credentials.
    Unauthenticated,
    /// Authenticated, but not allowed.
    Forbidden(String),
    /// Not found, or not visible to the caller.
    NotFound(String),
    /// Malformed request outside any mutation input (a bad ID or page size).
    BadRequest(String),
    /// The input broke one or more rules; nothing was changed.
    Invalid(Vec<UserError>),
    /// Storage failed.
    Database(DbErr),
    /// Anything else that is our fault.
    Internal(String),
}

/// The result of every fallible operation of the service.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A single user error.
    pub fn invalid(path: &str, code: UserErrorCode, message: impl Into<String>) -> Self {
        Self::Invalid(vec![UserError::new(path, code, message)])
    }

    /// The message shown to clients; internal causes are never included.
    pub fn public_message(&self) -> String {
        match self {
            Self::Unauthenticated => "authentication required".into(),
            Self::Forbidden(m) | Self::BadRequest(m) => m.clone(),
            Self::NotFound(what) => format!("{what} not found"),
            Self::Invalid(errors) => {
                let msgs: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
                format!("invalid input: {}", msgs.join("; "))
            }
            Self::Database(_) | Self::Internal(_) => "internal error".into(),
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::BadRequest(_) | Self::Invalid(_) => ErrorCode::BadUserInput,
            Self::Database(_) | Self::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => AppError::invalid(
                "",
                UserErrorCode::Taken,
                "a record with these values already exists",
            ),
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => AppError::invalid(
                "",
                UserErrorCode::NotFound,
                "a referenced record does not exist or is still referenced",
            ),
            _ => AppError::Database(err),
        }
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        let code = err.code();
        match &err {
            AppError::Database(db) => {
                tracing::error!(error = ?db, chain = %error_chain(db), "database error")
            }
            AppError::Internal(what) => tracing::error!(error = %what, "internal error"),
            _ => {}
        }
        let message = err.public_message();
        let extra = match &err {
            AppError::Invalid(errors) => Some(errors.clone()),
            _ => None,
        };
        async_graphql::Error::new(message).extend_with(|_, e| {
            e.set("code", code.as_str());
            if let Some(errors) = &extra {
                let fields: Vec<String> = errors.iter().map(|e| e.field.join(".")).collect();
                e.set("fields", fields);
            }
        })
    }
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_cause() {
        let err: async_graphql::Error =
            AppError::Database(DbErr::Custom("password=hunter2".into())).into();
        assert_eq!(err.message, "internal error");
        let ext = err.extensions.unwrap();
        assert_eq!(
            ext.get("code"),
            Some(&async_graphql::Value::from("INTERNAL"))
        );
    }

    #[test]
    fn user_error_paths_start_at_input() {
        let e = UserError::new(
            "scope.buildingId",
            UserErrorCode::NotFound,
            "no such building",
        );
        assert_eq!(e.field, ["input", "scope", "buildingId"]);
    }
}
