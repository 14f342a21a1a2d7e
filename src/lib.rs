//! Compound governance API: the library behind the `compound-api` binary, so
//! that tests build exactly the application the binary serves.

pub mod config;
pub mod domain;
pub mod entity;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod monitoring;
pub mod read_cache;
pub mod startup;
pub mod telemetry;
