//! The subscription root: one part per area, served over graphql-ws on the
//! GraphQL URL. Each part decides access when a stream opens: a stream of
//! private data refuses a caller not entitled to it, as a query would.

use async_graphql::MergedSubscription;

use crate::graphql::types::decisions::DecisionSubscription;

/// Everything that can be watched live.
#[derive(MergedSubscription, Default)]
pub struct Subscription(
    DecisionSubscription,
    crate::graphql::types::notices::NoticesSubscription,
    crate::graphql::types::grid_events::GridEventsSubscription,
    crate::graphql::types::evaluation::CampaignSubscription,
);
