//! The mutation root: one part per area. Every mutation takes one input and
//! returns a payload with `userErrors`.

use async_graphql::MergedObject;

use crate::graphql::types::accounts::AccountMutation;
use crate::graphql::types::chiefs::{AssociationMutation, ChiefsMutation};
use crate::graphql::types::decisions::DecisionsMutation;
use crate::graphql::types::duties::DutiesMutation;
use crate::graphql::types::parties::PartiesMutation;
use crate::graphql::types::people::PeopleMutation;
use crate::graphql::types::placards::PlacardsMutation;
use crate::graphql::types::register::RegisterMutation;

/// Everything that can be changed.
#[derive(MergedObject, Default)]
pub struct Mutation(
    AccountMutation,
    RegisterMutation,
    PeopleMutation,
    PartiesMutation,
    ChiefsMutation,
    AssociationMutation,
    DecisionsMutation,
    PlacardsMutation,
    crate::graphql::types::teams::TeamsMutation,
    DutiesMutation,
    crate::graphql::types::projects::ProjectsMutation,
    crate::graphql::types::notices::NoticesMutation,
    crate::graphql::types::grid_events::GridEventsMutation,
    crate::graphql::types::evaluation::EvaluationMutation,
    crate::graphql::types::evaluation::CampaignMutation,
    crate::graphql::types::evaluation::ManagementMutation,
);
