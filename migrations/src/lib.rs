//! Database migrations of the compound governance API, portable between
//! SQLite and PostgreSQL. The schema is described in `docs/DATA_MODEL.md`.

pub use sea_orm_migration::prelude::*;

mod builder;
mod m20261122_000001_core;
mod m20261122_000002_decisions;
mod m20261201_000003_scope_keys;
mod m20261202_000004_buyer_units;
mod m20261202_000005_cited_votes;
mod m20261202_000006_districts;
mod m20261202_000007_community_bodies;
mod m20261202_000008_chief_employment;
mod m20261202_000010_service_teams;
mod m20261202_000011_responsibility_lists;
mod m20261202_000012_placards;
mod m20261207_000013_attachments;
mod m20261207_000014_projects;
mod m20261207_000015_notices_and_opinions;
mod m20261207_000016_grid_events;
mod m20261207_000017_ballot_by_owner;
mod m20261207_000018_standing_ballots;
mod m20261207_000019_rubrics;
mod m20261207_000020_campaigns;
mod m20261207_000021_title_management;
mod m20261207_000022_standing_ballot_choice;
mod m20261207_000023_login_throttle;
mod m20261207_000024_rate_limit;

/// Runs the migrations of this crate, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_core::Migration),
            Box::new(m20261122_000002_decisions::Migration),
            Box::new(m20261201_000003_scope_keys::Migration),
            Box::new(m20261202_000004_buyer_units::Migration),
            Box::new(m20261202_000005_cited_votes::Migration),
            Box::new(m20261202_000006_districts::Migration),
            Box::new(m20261202_000007_community_bodies::Migration),
            Box::new(m20261202_000008_chief_employment::Migration),
            Box::new(m20261202_000010_service_teams::Migration),
            Box::new(m20261202_000011_responsibility_lists::Migration),
            Box::new(m20261202_000012_placards::Migration),
            Box::new(m20261207_000013_attachments::Migration),
            Box::new(m20261207_000014_projects::Migration),
            Box::new(m20261207_000015_notices_and_opinions::Migration),
            Box::new(m20261207_000016_grid_events::Migration),
            Box::new(m20261207_000017_ballot_by_owner::Migration),
            Box::new(m20261207_000018_standing_ballots::Migration),
            Box::new(m20261207_000019_rubrics::Migration),
            Box::new(m20261207_000020_campaigns::Migration),
            Box::new(m20261207_000021_title_management::Migration),
            Box::new(m20261207_000022_standing_ballot_choice::Migration),
            Box::new(m20261207_000023_login_throttle::Migration),
            Box::new(m20261207_000024_rate_limit::Migration),
        ]
    }
}
