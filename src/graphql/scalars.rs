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
