//! One error type for the whole service, with a fixed set of codes.
//!
//! Business failures (bad input, a rule refused) are data: they travel as
//! `AppError::Invalid`, a list of `FieldError`s named in domain terms, and
//! the GraphQL edge (`graphql::errors`) puts them in a payload's
//! `userErrors` at input paths. Everything else becomes a top-level error
//! with a stable code. Internal causes are logged, never shown. Database
//! constraint violations become field errors through one table
//! (`domain::constraints`), so no resolver inspects driver messages.

use async_graphql::Enum;

use sea_orm::DbErr;

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
    /// The caller has used up its allowance for this; `retryAfterSeconds`
    /// says when to try again.
    RateLimited,
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
            Self::RateLimited => "RATE_LIMITED",
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
    /// No longer returned: a value already used by another record answers `CONFLICT`.
    #[graphql(deprecation = "a duplicate value now answers CONFLICT")]
    Taken,
    /// The change conflicts with an existing record: a value another record already uses (a duplicate name or number), an overlapping term, a second active holder.
    Conflict,
    /// The record is not in a state that allows this change.
    InvalidState,
    /// Too many failed attempts: the next is heard after the payload's `retryAfterSeconds`.
    TooManyAttempts,
}

/// A business failure of one input field, named in domain terms: the
/// dot-separated `snake_case` path of the field in the domain's input
/// (`name`, `scope.floor_to`, `attendees.2.person_id`), or empty when the
/// failure concerns the whole input. The GraphQL edge turns it into an
/// input path (`graphql::errors`), so renaming the API leaves the domain
/// alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The domain field at fault.
    pub field: String,
    /// A human-readable explanation.
    pub message: String,
    /// A stable machine-readable code.
    pub code: UserErrorCode,
}

impl FieldError {
    /// A failure of the domain field `field`.
    pub fn new(field: &str, code: UserErrorCode, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
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
    Invalid(Vec<FieldError>),
    /// The caller has used up its allowance of costly work (its message
    /// says which); it may try again after `retry_after_seconds`.
    RateLimited {
        /// What was refused, for the message.
        what: String,
        /// Seconds until the allowance covers the work again.
        retry_after_seconds: i64,
    },
    /// Storage failed.
    Database(DbErr),
    /// Anything else that is our fault.
    Internal(String),
}

/// The result of every fallible operation of the service.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A single user error.
    pub fn invalid(field: &str, code: UserErrorCode, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, code, message)])
    }

    /// The same failure answered at `to` where a shared rule named `from`
    /// (a common check whose field is called otherwise in this input).
    pub fn at_field(mut self, from: &str, to: &str) -> Self {
        if let Self::Invalid(errors) = &mut self {
            for e in errors.iter_mut().filter(|e| e.field == from) {
                e.field = to.to_owned();
            }
        }
        self
    }

    /// The same failure with each field put under `parent`: a rule about a
    /// structure (`aspects.0.title`) answered where the structure was given
    /// inside another field (`document.aspects.0.title`).
    pub fn under(mut self, parent: &str) -> Self {
        if let Self::Invalid(errors) = &mut self {
            for e in errors.iter_mut().filter(|e| e.field != parent) {
                e.field = if e.field.is_empty() {
                    parent.to_owned()
                } else {
                    format!("{parent}.{}", e.field)
                };
            }
        }
        self
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
            Self::RateLimited {
                what,
                retry_after_seconds,
            } => format!("{what}: try again in {retry_after_seconds} seconds"),
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
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Database(_) | Self::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<DbErr> for AppError {
    /// Constraint violations the input can cause become user errors through
    /// the one table of `domain::constraints`; anything else, including a
    /// violation no input should reach, is a storage failure.
    fn from(err: DbErr) -> Self {
        match crate::domain::constraints::explain(&err) {
            Some(field_error) => AppError::Invalid(vec![field_error]),
            None => AppError::Database(err),
        }
    }
}
