//! Opaque global IDs: `base64url("Kind:number")`.
//!
//! Clients treat IDs as opaque strings; the kind prefix lets `node(id:)`
//! find the right table and lets inputs refuse an ID of the wrong kind.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::error::{AppError, AppResult, UserErrorCode};

macro_rules! node_kinds {
    ($($kind:ident),+ $(,)?) => {
        /// Every kind of object that has a global ID.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum NodeKind { $($kind,)+ }

        impl NodeKind {
            /// The GraphQL type name, used as the ID prefix.
            pub fn name(self) -> &'static str {
                match self { $(Self::$kind => stringify!($kind),)+ }
            }

            /// The kind whose GraphQL type is `name`.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $(stringify!($kind) => Some(Self::$kind),)+ _ => None }
            }
        }
    };
}

node_kinds!(
    District,
    Subdistrict,
    Community,
    Grid,
    Compound,
    Building,
    Entrance,
    Dwelling,
    Person,
    Residency,
    Ownership,
    PartyBranch,
    PartyBranchMember,
    OwnersCommittee,
    CommitteeMember,
    PropertyCompany,
    PropertyContract,
    JointMeeting,
    ChiefAppointment,
    Account,
    RoleGrant,
    AuditRecord,
    ResidentsCouncil,
    CouncilMatter,
    CouncilStep,
    Publication,
    Objection,
    AssemblyVote,
    VoteVoter,
    Ballot,
    CommunityCommittee,
    CommunityCommitteeMember,
    CompanyPartyOrganisation,
    CompanyPartyMember,
    CompanyPost,
    ChiefAssociation,
    ChiefAssociationMember,
    ChiefConductRecord,
    ResponsibilityPlacard,
    ServiceTeam,
    ServiceTeamMember,
    ServiceActivity,
    ResponsibilityList,
    ResponsibilityListVersion,
    ResponsibilityLink,
    Attachment,
    Project,
    ProjectUpdate,
    Notice,
    Opinion,
    PatrolItem,
    EventCategory,
    EventHandler,
    GridEvent,
    JointAction,
    Rubric,
    RubricVersion,
    RubricAspect,
    RubricIndicator,
    EvaluationCampaign,
    CampaignEntry,
    EvaluatorAssignment,
    ScoreSheet,
    EvaluationTitle,
    Rectification,
    SelfInspection,
    SelfInspectionFinding,
    StarRatingRound,
    StarRating,
);

/// The global ID of row `id` of `kind`.
pub fn encode(kind: NodeKind, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.name())))
}

/// The kind and row id behind a global ID, if it is one of ours.
pub fn decode(id: &str) -> Option<(NodeKind, i64)> {
    let raw = URL_SAFE_NO_PAD.decode(id.as_bytes()).ok()?;
    let text = std::str::from_utf8(&raw).ok()?;
    let (kind, num) = text.split_once(':')?;
    Some((NodeKind::from_name(kind)?, num.parse().ok()?))
}

/// Decodes an ID given in a mutation input, which must be of `kind`; a bad
/// ID is the user's error at `field`.
pub fn input_id(id: &ID, kind: NodeKind, field: &str) -> AppResult<i64> {
    match decode(id) {
        Some((k, n)) if k == kind => Ok(n),
        _ => Err(AppError::invalid(
            field,
            UserErrorCode::Invalid,
            format!("not an ID of a {}", kind.name()),
        )),
    }
}

/// Decodes an optional input ID.
pub fn input_id_opt(id: Option<&ID>, kind: NodeKind, field: &str) -> AppResult<Option<i64>> {
    id.map(|id| input_id(id, kind, field)).transpose()
}

/// Decodes an ID given as a query argument; a bad ID is a request error.
pub fn arg_id(id: &ID, kind: NodeKind) -> AppResult<i64> {
    match decode(id) {
        Some((k, n)) if k == kind => Ok(n),
        _ => Err(AppError::BadRequest(format!(
            "`{}` is not an ID of a {}",
            id.as_str(),
            kind.name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_opaque() {
        let id = encode(NodeKind::Compound, 42);
        assert!(!id.contains("42"));
        assert_eq!(decode(&id), Some((NodeKind::Compound, 42)));
    }

    #[test]
    fn foreign_and_wrong_kind_ids_are_refused() {
        assert_eq!(decode("not-an-id"), None);
        let id = encode(NodeKind::Building, 1);
        assert!(input_id(&id, NodeKind::Compound, "compound_id").is_err());
        assert!(arg_id(&ID("Q29tcG91bmQ6eA".into()), NodeKind::Compound).is_err());
    }
}
