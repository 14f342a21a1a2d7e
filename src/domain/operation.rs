//! The vocabulary of the audit trail: every change the domain makes is one
//! `Operation`, named in domain terms and stored under a fixed name.
//!
//! The stored names are this enum's, not the API's: renaming a GraphQL
//! mutation leaves the audit history as it is. (They were chosen when the
//! first mutations were, which is why they read alike.)

use strum::{EnumIter, IntoStaticStr};

/// One kind of change, as the audit trail names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, IntoStaticStr)]
#[strum(serialize_all = "camelCase")]
pub enum Operation {
    /// A district was registered.
    CreateDistrict,
    /// A district was renamed or recoded.
    UpdateDistrict,
    /// A term of a community committee (社区"两委") was recorded.
    CreateCommunityCommittee,
    /// A person was seated on a community committee.
    AddCommunityCommitteeMember,
    /// A community committee seat ended.
    EndCommunityCommitteeMember,
    /// A property company's party organisation was founded.
    CreateCompanyPartyOrg,
    /// A property company's party organisation was dissolved.
    DissolveCompanyPartyOrg,
    /// A party member joined a company's party organisation.
    AddCompanyPartyMember,
    /// A seat in a company's party organisation ended.
    EndCompanyPartyMember,
    /// A post in a property company was recorded.
    AddCompanyPost,
    /// A post in a property company ended.
    EndCompanyPost,
    /// A community's association of chiefs was founded.
    CreateChiefAssociation,
    /// A chief joined the association.
    AddChiefAssociationMember,
    /// A chief left the association.
    EndChiefAssociationMember,
    /// A commendation or penalty of a chief was recorded.
    RecordChiefConduct,
    /// A subdistrict was registered.
    CreateSubdistrict,
    /// A subdistrict was renamed, recoded or placed in a district.
    UpdateSubdistrict,
    /// A community was registered.
    CreateCommunity,
    /// A community was renamed.
    UpdateCommunity,
    /// A grid was drawn.
    CreateGrid,
    /// A grid was changed.
    UpdateGrid,
    /// A compound was registered.
    CreateCompound,
    /// A compound was changed.
    UpdateCompound,
    /// A building was registered.
    CreateBuilding,
    /// A building was changed.
    UpdateBuilding,
    /// An entrance was registered.
    CreateEntrance,
    /// An entrance was changed.
    UpdateEntrance,
    /// A dwelling was registered.
    CreateDwelling,
    /// A dwelling was changed.
    UpdateDwelling,
    /// A person was registered.
    CreatePerson,
    /// A person's record was changed.
    UpdatePerson,
    /// A person began living in a dwelling.
    AddResidency,
    /// A residency ended.
    EndResidency,
    /// A person became an owner of a dwelling.
    AddOwnership,
    /// An ownership ended.
    EndOwnership,
    /// A party branch was founded.
    CreatePartyBranch,
    /// A party branch was changed.
    UpdatePartyBranch,
    /// A member joined a party branch.
    AddBranchMember,
    /// A branch membership ended.
    EndBranchMember,
    /// A party member took or left a pioneer post.
    SetPioneerPost,
    /// An owners' committee was constituted.
    CreateOwnersCommittee,
    /// An owners' committee was dissolved.
    DissolveOwnersCommittee,
    /// A committee member was elected.
    ElectCommitteeMember,
    /// A committee member was replaced.
    ReplaceCommitteeMember,
    /// A committee member's term ended.
    EndCommitteeMember,
    /// A property company was registered.
    CreatePropertyCompany,
    /// A property company was changed.
    UpdatePropertyCompany,
    /// A property-service contract was signed.
    SignPropertyContract,
    /// A property-service contract ended.
    EndPropertyContract,
    /// A joint meeting of the three parties was recorded.
    RecordJointMeeting,
    /// A joint meeting's record was changed.
    UpdateJointMeeting,
    /// A chief was appointed.
    AppointChief,
    /// A chief's appointment was changed.
    UpdateChief,
    /// A chief's appointment ended.
    EndChief,
    /// An account was created.
    CreateAccount,
    /// A role was granted.
    GrantRole,
    /// A role was revoked.
    RevokeRole,
    /// An account's password was changed.
    ChangePassword,
    /// A residents' council was constituted.
    CreateResidentsCouncil,
    /// A residents' council's rules were changed.
    UpdateResidentsCouncil,
    /// A matter was proposed to the council (step 1).
    ProposeCouncilMatter,
    /// A step of a matter was recorded.
    RecordCouncilStep,
    /// A step's record was corrected.
    CorrectCouncilStep,
    /// A publication was corrected.
    CorrectPublication,
    /// A resident objected to a publication.
    LodgeObjection,
    /// An objection was answered.
    AnswerObjection,
    /// An owners' assembly vote was opened.
    OpenAssemblyVote,
    /// An owner cast or changed their ballot.
    CastBallot,
    /// A paper ballot was recorded for an owner.
    RecordPaperBallot,
    /// An owners' assembly vote was closed and its result stored.
    CloseAssemblyVote,
    /// A responsibility placard was posted for a compound.
    PostPlacard,
    /// A volunteer or service team was founded.
    CreateServiceTeam,
    /// A service team was renamed, changed or disbanded.
    UpdateServiceTeam,
    /// A person joined a service team.
    AddServiceTeamMember,
    /// A service team membership ended.
    EndServiceTeamMember,
    /// An activity of a service team was recorded in its log.
    RecordServiceActivity,
    /// A record of a service team's log was corrected or withdrawn.
    CorrectServiceActivity,
    /// A community's responsibility list of a kind of party was begun, with its first version.
    CreateResponsibilityList,
    /// A version of a responsibility list was published.
    PublishResponsibilityList,
    /// A party was linked to the responsibility list of its kind.
    LinkResponsibleParty,
    /// A file was uploaded.
    UploadAttachment,
    /// A resident proposed a people's-small-things project.
    ProposeProject,
    /// A resident supported a proposed project.
    SupportProject,
    /// A project was put before the residents' council.
    DeliberateProject,
    /// A project was approved with a budget, or rejected.
    DecideProject,
    /// A project's budget was raised by a recorded decision.
    RaiseProjectBudget,
    /// A project's implementation began, with its implementer and contractor.
    StartProjectImplementation,
    /// A progress update of a project was recorded.
    RecordProjectProgress,
    /// A spending entry of a project was recorded.
    RecordProjectSpending,
    /// A project was handed over for acceptance.
    SubmitProjectForAcceptance,
    /// A resident rated a project at acceptance.
    RateProject,
    /// The party branch accepted a project, or sent it back.
    RecordProjectAcceptance,
    /// A notice was published to a compound's residents.
    PublishNotice,
    /// A notice was pinned, or its pin taken off.
    PinNotice,
    /// A resident's opinion was recorded.
    RecordOpinion,
    /// A resident's opinion was answered.
    AnswerOpinion,
    /// An item was added to a district's patrol catalogue.
    CreatePatrolItem,
    /// A patrol item's frequency for a season was set.
    SetPatrolFrequency,
    /// An event category was added to a district.
    CreateEventCategory,
    /// An event category was put on or taken off the list of small events.
    UpdateEventCategory,
    /// An event handler was registered.
    CreateEventHandler,
    /// An account began acting for an event handler.
    AddEventHandlerMember,
    /// An account stopped acting for an event handler.
    RemoveEventHandlerMember,
    /// A grid event was reported (and, if urgent, fast-reported).
    ReportGridEvent,
    /// A grid event was dispatched to a handler.
    DispatchGridEvent,
    /// A handler reported the rectification of a grid event.
    HandleGridEvent,
    /// The reporter checked a grid event.
    CheckGridEvent,
    /// A grid event was escalated to supervision.
    EscalateGridEvent,
    /// A small event was handled on the spot.
    HandleGridEventOnSpot,
    /// A small event's responsible party was told to fix it.
    NotifyResponsibleParty,
    /// A small event was handed to the enforcement team.
    HandToEnforcementTeam,
    /// A joint rectification action was started.
    CreateJointAction,
    /// A grid event was grouped into a joint action.
    AddToJointAction,
    /// An evaluation rubric was begun (its first version saved).
    CreateRubric,
    /// A draft version of a rubric was saved, or its content replaced.
    SaveRubricDraft,
    /// A version of a rubric was published.
    PublishRubricVersion,
    /// An evaluation campaign was created.
    CreateCampaign,
    /// A campaign moved to its next phase (its results frozen, or its titles awarded).
    AdvanceCampaign,
    /// A compound or community entered a campaign.
    EnterCampaign,
    /// A community's demonstration title was recorded.
    RecordCommunityTitle,
    /// An evaluator was assigned to an entry.
    AssignEvaluator,
    /// An evaluator saved a draft score sheet.
    SaveScoreSheet,
    /// An evaluator submitted a score sheet, locking it.
    SubmitScoreSheet,
    /// An evaluator opened a correction of a submitted score sheet.
    CorrectScoreSheet,
    /// The city filed a district-assessed title (备案).
    FileTitle,
    /// A title was revoked and its rectification opened.
    RevokeTitle,
    /// A holder's rectification plan was put on record.
    SubmitRectificationPlan,
    /// A holder was re-evaluated after rectification (its title restored or not).
    ReevaluateTitle,
    /// A compound recorded a self-inspection.
    RecordSelfInspection,
    /// A finding of a self-inspection was marked fixed.
    FixSelfInspectionFinding,
    /// A quarterly star-rating round was opened.
    OpenStarRatingRound,
    /// A compound was rated in a star-rating round.
    RateCompound,
    /// A star-rating round was ranked and published with its notice.
    PublishStarRatingRound,
}

impl Operation {
    /// The name stored in the audit trail.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use strum::IntoEnumIterator;

    use super::Operation;

    #[test]
    fn stored_names_are_distinct_and_stable() {
        let names: HashSet<&str> = Operation::iter().map(Operation::as_str).collect();
        assert_eq!(names.len(), Operation::iter().count());
        // Names already in stored histories must not change.
        assert_eq!(Operation::CreateCompound.as_str(), "createCompound");
        assert_eq!(Operation::CastBallot.as_str(), "castBallot");
    }
}
