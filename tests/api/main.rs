//! Integration tests through the schema and over HTTP. One binary, shared
//! helpers; SQLite by default, PostgreSQL when `TEST_DATABASE_URL` is set.

mod helpers;
mod schema;
