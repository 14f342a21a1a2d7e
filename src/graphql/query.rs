//! The query root: one part per area.

use async_graphql::MergedObject;

use crate::graphql::node::NodeQuery;
use crate::graphql::types::accounts::AccountQuery;
use crate::graphql::types::decisions::DecisionsQuery;
use crate::graphql::types::duties::DutiesQuery;
use crate::graphql::types::parties::PartiesQuery;
use crate::graphql::types::placards::PlacardsQuery;
use crate::graphql::types::register::RegisterQuery;

/// Everything that can be read.
#[derive(MergedObject, Default)]
pub struct Query(
    NodeQuery,
    AccountQuery,
    RegisterQuery,
    PartiesQuery,
    DecisionsQuery,
    PlacardsQuery,
    crate::graphql::types::teams::TeamsQuery,
    DutiesQuery,
    crate::graphql::types::projects::ProjectsQuery,
    crate::graphql::types::notices::NoticesQuery,
    crate::graphql::types::grid_events::GridEventsQuery,
    crate::graphql::types::evaluation::EvaluationQuery,
    crate::graphql::types::evaluation::CampaignQuery,
    crate::graphql::types::evaluation::ManagementQuery,
);
