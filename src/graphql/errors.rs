//! Errors at the GraphQL edge: the one mapping from the domain's field
//! names to input paths, the `UserError` that mutation payloads carry, and
//! the conversion of every other failure into a top-level error with a
//! stable `extensions.code`.

use async_graphql::{ErrorExtensions, SimpleObject};

use crate::error::{AppError, AppResult, FieldError, UserErrorCode};

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

impl From<FieldError> for UserError {
    fn from(err: FieldError) -> Self {
        Self {
            field: input_path(&err.field),
            message: err.message,
            code: err.code,
        }
    }
}

/// The input path of a domain field: `scope.floor_to` is
/// `["input", "scope", "floorTo"]`, the spelling async-graphql gives the
/// input types' Rust fields, which carry the domain's names. List indexes
/// stay as they are. Should the API ever rename an input field, the
/// domain name is translated here and nowhere else.
pub fn input_path(field: &str) -> Vec<String> {
    std::iter::once("input".to_owned())
        .chain(field.split('.').filter(|s| !s.is_empty()).map(camel_case))
        .collect()
}

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A domain result as a mutation's outcome: business failures become user
/// errors at input paths, anything else a top-level error.
pub fn outcome<T>(result: AppResult<T>) -> async_graphql::Result<super::Outcome<T>> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(AppError::Invalid(errors)) => {
            Ok(Err(errors.into_iter().map(UserError::from).collect()))
        }
        Err(other) => Err(other.into()),
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
        let fields: Option<Vec<String>> = match &err {
            AppError::Invalid(errors) => Some(
                errors
                    .iter()
                    .map(|e| input_path(&e.field).join("."))
                    .collect(),
            ),
            _ => None,
        };
        let retry_after = match &err {
            AppError::RateLimited {
                retry_after_seconds,
                ..
            } => Some(*retry_after_seconds),
            _ => None,
        };
        async_graphql::Error::new(message).extend_with(|_, e| {
            e.set("code", code.as_str());
            if let Some(fields) = &fields {
                e.set("fields", fields.clone());
            }
            if let Some(seconds) = retry_after {
                e.set("retryAfterSeconds", seconds);
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
    use sea_orm::DbErr;

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
    fn domain_fields_become_input_paths() {
        assert_eq!(input_path("scope.floor_to"), ["input", "scope", "floorTo"]);
        assert_eq!(
            input_path("attendees.2.person_id"),
            ["input", "attendees", "2", "personId"]
        );
        assert_eq!(input_path("name"), ["input", "name"]);
        assert_eq!(input_path(""), ["input"]);
    }

    #[test]
    fn user_errors_carry_the_mapped_path() {
        let e = UserError::from(FieldError::new(
            "scope.building_id",
            UserErrorCode::NotFound,
            "no such building",
        ));
        assert_eq!(e.field, ["input", "scope", "buildingId"]);
        assert_eq!(e.code, UserErrorCode::NotFound);
    }
}
