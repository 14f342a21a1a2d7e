//! What the domain tells subscribers: the events a change causes. A domain
//! write adds them to its unit of work, and committing the unit of work
//! delivers them, so no caller of a write chooses whom to notify.

use serde::{Deserialize, Serialize};

/// Something subscribers may want to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecisionEvent {
    /// A ballot was cast or changed, or the vote closed.
    TallyChanged {
        /// The vote.
        vote_id: i64,
    },
    /// A publication appeared.
    Published {
        /// The compound.
        compound_id: i64,
        /// The publication.
        publication_id: i64,
    },
    /// A people's-small-things project was proposed or moved to another status.
    ProjectChanged {
        /// The compound.
        compound_id: i64,
        /// The project.
        project_id: i64,
        /// Its status now.
        status: crate::domain::kinds::ProjectStatus,
    },
    /// A notice was published to a compound's residents.
    NoticePublished {
        /// The compound.
        compound_id: i64,
        /// The notice.
        notice_id: i64,
    },
    /// A grid event was reported.
    GridEventReported {
        /// The grid.
        grid_id: i64,
        /// The event.
        event_id: i64,
    },
    /// An evaluation campaign was created or moved to another phase (its
    /// results frozen at selection, published with its titles).
    CampaignChanged {
        /// The campaign.
        campaign_id: i64,
        /// Its phase now.
        phase: crate::domain::kinds::CampaignPhase,
    },
}
