//! Scalars of the schema: calendar dates and exact areas.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

use crate::domain::values;

/// A calendar date in ISO 8601 form, `YYYY-MM-DD` (China Standard Time calendar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// A calendar date in ISO 8601 form, `YYYY-MM-DD` (China Standard Time calendar).
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| InputValueError::custom(format!("`{s}` is not a date (YYYY-MM-DD)"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Date(d)
    }
}

/// An area in square metres as a decimal string with at most two decimals,
/// e.g. `"89.50"`. Kept exactly, in hundredths of a square metre, never as
/// floating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area(pub values::Area);

/// An area in square metres as a decimal string with at most two decimals,
/// e.g. `"89.50"`. Kept exactly, in hundredths of a square metre, never as
/// floating point.
#[Scalar(name = "Area")]
impl ScalarType for Area {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => values::Area::parse(s)
                .map(Area)
                .map_err(InputValueError::custom),
            _ => Err(InputValueError::custom(
                "an area is written as a decimal string such as \"89.50\"",
            )),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

/// A JSON integer input, wrapped by `wrap`; `what` says what was expected otherwise.
fn whole_number<T: async_graphql::InputType>(
    value: Value,
    what: &str,
    wrap: fn(i64) -> T,
) -> InputValueResult<T> {
    match &value {
        Value::Number(n) => n
            .as_i64()
            .map(wrap)
            .ok_or_else(|| InputValueError::custom(what)),
        _ => Err(InputValueError::expected_type(value)),
    }
}

/// An amount of money in fen (分, hundredths of a yuan) as a JSON integer,
/// e.g. `150000` for 1,500.00 yuan. Kept exactly, never as floating point;
/// at most 10,000,000,000 (well within the integers JSON keeps exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fen(pub i64);

/// An amount of money in fen (分, hundredths of a yuan) as a JSON integer,
/// e.g. `150000` for 1,500.00 yuan. Kept exactly, never as floating point;
/// at most 10,000,000,000 (well within the integers JSON keeps exactly).
#[Scalar(name = "Fen")]
impl ScalarType for Fen {
    fn parse(value: Value) -> InputValueResult<Self> {
        whole_number(value, "an amount in fen is a whole number", Fen)
    }

    fn to_value(&self) -> Value {
        Value::Number(self.0.into())
    }
}

/// A whole number as a JSON integer, for counts that may pass 2³¹ (a file's size in bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Long(pub i64);

/// A whole number as a JSON integer, for counts that may pass 2³¹ (a file's size in bytes).
#[Scalar(name = "Long")]
impl ScalarType for Long {
    fn parse(value: Value) -> InputValueResult<Self> {
        whole_number(value, "a whole number", Long)
    }

    fn to_value(&self) -> Value {
        Value::Number(self.0.into())
    }
}
