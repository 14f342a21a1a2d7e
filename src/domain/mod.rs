//! The rules of the domain, one folder per area, and the one door every
//! change goes through.
//!
//! The door and what every area shares sit at this level: `unit_of_work`
//! (transaction, permit, clock and events of one change), `access` (the
//! whole policy: roles, permissions, self-service rules, read rules),
//! `audit` and `operation` (the audit trail and its vocabulary), `batch`
//! (bulk statements for the areas' batch writes), `clock`,
//! `event`, `kinds` and `values` (vocabularies and parsed values),
//! `store` (lookups) and `constraints` (which field a broken database
//! constraint answers at). Each area's folder holds its rules: writes take a
//! `&UnitOfWork`, reads take `&impl ConnectionTrait`, and both are tested
//! without HTTP. A new area adds a folder here and one under
//! `graphql/types/`.

pub mod access;
pub mod audit;
pub mod batch;
pub mod clock;
pub mod constraints;
pub mod event;
pub mod kinds;
pub mod operation;
pub mod store;
pub mod unit_of_work;
pub mod values;

pub mod accounts;
pub mod attachments;
pub mod chiefs;
pub mod decisions;
pub mod duties;
pub mod evaluation;
pub mod grid_events;
pub mod notices;
pub mod opinions;
pub mod parties;
pub mod people;
pub mod placards;
pub mod projects;
pub mod register;
pub mod teams;
