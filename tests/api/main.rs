//! Integration tests through the schema and over HTTP. One binary, shared
//! helpers; SQLite by default, PostgreSQL when `TEST_DATABASE_URL` is set.

mod access;
mod assembly;
mod audit;
mod buyer_units;
mod campaigns;
mod chief_status;
mod chiefs;
mod citations;
mod community_bodies;
mod council;
mod crash;
mod districts;
mod duties;
mod evaluation;
mod grid_events;
mod helpers;
mod http;
mod limits;
mod logins;
mod monitoring;
mod notices;
mod parties;
mod placards;
mod projects;
mod rate_limits;
mod read_cache;
mod refusals;
mod register;
mod schema;
mod server;
mod sockets;
mod subscriptions;
mod teams;
mod titles;
