//! The Relay `Node` interface and `node(id:)` / `nodes(ids:)`.

use async_graphql::{Context, ID, Interface, Object, Result};

use crate::domain::access::{Caller, Permission, Scope};
use crate::entity::placard;
use crate::entity::{
    account, assembly_vote, audit_record, ballot, building, chief_appointment, chief_association,
    chief_association_member, chief_conduct_record, committee_member, community,
    community_committee, community_committee_member, company_party_member, company_party_org,
    company_post, compound, council_matter, council_step, district, dwelling, entrance, grid,
    joint_meeting, objection, owners_committee, ownership, party_branch, party_branch_member,
    person, property_company, property_contract, publication, residency, residents_council,
    role_grant, subdistrict, vote_voter,
};
use crate::entity::{responsibility_link, responsibility_list, responsibility_list_version};
use crate::error::AppError;
use crate::graphql::id::{NodeKind, decode};
use crate::graphql::loaders::by_id;
use crate::graphql::types::Compound;
use crate::graphql::types::accounts::{Account, RoleGrant};
use crate::graphql::types::audit::AuditRecord;
use crate::graphql::types::chiefs::{
    ChiefAppointment, ChiefAssociation, ChiefAssociationMember, ChiefConductRecord,
};
use crate::graphql::types::decisions::{
    AssemblyVote, Ballot, CouncilMatter, CouncilStep, Objection, Publication, ResidentsCouncil,
    VoteVoter,
};
use crate::graphql::types::duties::{
    ResponsibilityLink, ResponsibilityList, ResponsibilityListVersion,
};
use crate::graphql::types::parties::{
    CommitteeMember, CommunityCommittee, CommunityCommitteeMember, CompanyPartyMember,
    CompanyPartyOrganisation, CompanyPost, JointMeeting, OwnersCommittee, PartyBranch,
    PartyBranchMember, PropertyCompany, PropertyContract,
};
use crate::graphql::types::people::{Ownership, Person, Residency};
use crate::graphql::types::placards::ResponsibilityPlacard;
use crate::graphql::types::register::{
    Building, Community, District, Dwelling, Entrance, Grid, Subdistrict,
};
use crate::graphql::{caller, loaders};

/// An object with a global ID, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Global ID, opaque and stable."))]
pub enum Node {
    /// A district.
    District(District),
    /// A subdistrict.
    Subdistrict(Subdistrict),
    /// A community.
    Community(Community),
    /// A grid.
    Grid(Grid),
    /// A compound.
    Compound(Compound),
    /// A building.
    Building(Building),
    /// An entrance.
    Entrance(Entrance),
    /// A dwelling.
    Dwelling(Dwelling),
    /// A person.
    Person(Person),
    /// A residency.
    Residency(Residency),
    /// An ownership.
    Ownership(Ownership),
    /// A party branch.
    PartyBranch(PartyBranch),
    /// A seat in a party branch.
    PartyBranchMember(PartyBranchMember),
    /// An owners' committee.
    OwnersCommittee(OwnersCommittee),
    /// A seat on an owners' committee.
    CommitteeMember(CommitteeMember),
    /// A property company.
    PropertyCompany(PropertyCompany),
    /// A property contract.
    PropertyContract(PropertyContract),
    /// A joint meeting.
    JointMeeting(JointMeeting),
    /// A chief's appointment.
    ChiefAppointment(ChiefAppointment),
    /// An account.
    Account(Account),
    /// A role grant.
    RoleGrant(RoleGrant),
    /// An audit record.
    AuditRecord(AuditRecord),
    /// A residents' council.
    ResidentsCouncil(ResidentsCouncil),
    /// A council matter.
    CouncilMatter(CouncilMatter),
    /// A step of a council matter.
    CouncilStep(CouncilStep),
    /// A publication.
    Publication(Publication),
    /// An objection.
    Objection(Objection),
    /// An owners' assembly vote.
    AssemblyVote(AssemblyVote),
    /// A counted owner on a vote's register.
    VoteVoter(VoteVoter),
    /// A ballot.
    Ballot(Ballot),
    /// A term of a community committee (社区"两委").
    CommunityCommittee(CommunityCommittee),
    /// A seat on a community committee.
    CommunityCommitteeMember(CommunityCommitteeMember),
    /// A property company's party organisation.
    CompanyPartyOrganisation(CompanyPartyOrganisation),
    /// A seat in a company's party organisation.
    CompanyPartyMember(CompanyPartyMember),
    /// A post held in a property company.
    CompanyPost(CompanyPost),
    /// A community's association of chiefs.
    ChiefAssociation(ChiefAssociation),
    /// A membership of an association of chiefs.
    ChiefAssociationMember(ChiefAssociationMember),
    /// A commendation or penalty of a chief.
    ChiefConductRecord(ChiefConductRecord),
    /// A posting of a responsibility placard.
    ResponsibilityPlacard(ResponsibilityPlacard),
    /// A volunteer or service team.
    ServiceTeam(crate::graphql::types::teams::ServiceTeam),
    /// A membership of a service team.
    ServiceTeamMember(crate::graphql::types::teams::ServiceTeamMember),
    /// A record of a service team's activity log.
    ServiceActivity(crate::graphql::types::teams::ServiceActivity),
    /// A community's responsibility list for a kind of party.
    ResponsibilityList(ResponsibilityList),
    /// A published version of a responsibility list.
    ResponsibilityListVersion(ResponsibilityListVersion),
    /// A party linked to a responsibility list.
    ResponsibilityLink(ResponsibilityLink),
    /// An uploaded file.
    Attachment(crate::graphql::types::projects::Attachment),
    /// A people's-small-things project.
    Project(crate::graphql::types::projects::Project),
    /// A progress update of a project.
    ProjectUpdate(crate::graphql::types::projects::ProjectUpdate),
    /// A notice to a compound's residents.
    Notice(crate::graphql::types::notices::Notice),
    /// A resident's opinion.
    Opinion(crate::graphql::types::notices::Opinion),
    /// An item of a patrol catalogue.
    PatrolItem(crate::graphql::types::grid_events::PatrolItem),
    /// A category of grid events.
    EventCategory(crate::graphql::types::grid_events::EventCategory),
    /// A handler of grid events.
    EventHandler(crate::graphql::types::grid_events::EventHandler),
    /// A grid event.
    GridEvent(crate::graphql::types::grid_events::GridEvent),
    /// A joint rectification action.
    JointAction(crate::graphql::types::grid_events::JointAction),
    /// An evaluation rubric.
    Rubric(crate::graphql::types::evaluation::Rubric),
    /// A version of an evaluation rubric.
    RubricVersion(crate::graphql::types::evaluation::RubricVersion),
    /// An aspect of a rubric version.
    RubricAspect(crate::graphql::types::evaluation::RubricAspect),
    /// An indicator of a rubric version.
    RubricIndicator(crate::graphql::types::evaluation::RubricIndicator),
    /// An evaluation campaign.
    EvaluationCampaign(crate::graphql::types::evaluation::EvaluationCampaign),
    /// A compound or community entered in a campaign.
    CampaignEntry(crate::graphql::types::evaluation::CampaignEntry),
    /// An evaluator assigned to an entry.
    EvaluatorAssignment(crate::graphql::types::evaluation::EvaluatorAssignment),
    /// An evaluator's score sheet.
    ScoreSheet(crate::graphql::types::evaluation::ScoreSheet),
    /// A title held or once held.
    EvaluationTitle(crate::graphql::types::evaluation::EvaluationTitle),
    /// The rectification a revocation opened.
    Rectification(crate::graphql::types::evaluation::Rectification),
    /// A compound's self-inspection.
    SelfInspection(crate::graphql::types::evaluation::SelfInspection),
    /// A finding of a self-inspection.
    SelfInspectionFinding(crate::graphql::types::evaluation::SelfInspectionFinding),
    /// A quarterly star-rating round.
    StarRatingRound(crate::graphql::types::evaluation::StarRatingRound),
    /// A compound's star rating.
    StarRating(crate::graphql::types::evaluation::StarRating),
}

/// Fetches any object by global ID; null when it does not exist or the
/// caller may not see it.
pub async fn load_node(ctx: &Context<'_>, id: &ID) -> Result<Option<Node>> {
    let Some((kind, n)) = decode(id) else {
        return Err(
            AppError::BadRequest(format!("`{}` is not an ID of this API", id.as_str())).into(),
        );
    };
    let l = loaders(ctx)?;
    Ok(match kind {
        NodeKind::District => by_id::<district::Entity>(l, n)
            .await?
            .map(|m| Node::District(District(m))),
        NodeKind::Subdistrict => by_id::<subdistrict::Entity>(l, n)
            .await?
            .map(|m| Node::Subdistrict(Subdistrict(m))),
        NodeKind::Community => by_id::<community::Entity>(l, n)
            .await?
            .map(|m| Node::Community(Community(m))),
        NodeKind::Grid => by_id::<grid::Entity>(l, n)
            .await?
            .map(|m| Node::Grid(Grid(m))),
        NodeKind::Compound => by_id::<compound::Entity>(l, n)
            .await?
            .map(|m| Node::Compound(Compound::new(m))),
        NodeKind::Building => by_id::<building::Entity>(l, n)
            .await?
            .map(|m| Node::Building(Building(m))),
        NodeKind::Entrance => by_id::<entrance::Entity>(l, n)
            .await?
            .map(|m| Node::Entrance(Entrance(m))),
        NodeKind::Dwelling => by_id::<dwelling::Entity>(l, n)
            .await?
            .map(|m| Node::Dwelling(Dwelling(m))),
        NodeKind::Person => by_id::<person::Entity>(l, n)
            .await?
            .map(|m| Node::Person(Person(m))),
        NodeKind::Residency => by_id::<residency::Entity>(l, n)
            .await?
            .map(|m| Node::Residency(Residency(m))),
        NodeKind::Ownership => by_id::<ownership::Entity>(l, n)
            .await?
            .map(|m| Node::Ownership(Ownership(m))),
        NodeKind::PartyBranch => by_id::<party_branch::Entity>(l, n)
            .await?
            .map(|m| Node::PartyBranch(PartyBranch(m))),
        NodeKind::PartyBranchMember => by_id::<party_branch_member::Entity>(l, n)
            .await?
            .map(|m| Node::PartyBranchMember(PartyBranchMember(m))),
        NodeKind::OwnersCommittee => by_id::<owners_committee::Entity>(l, n)
            .await?
            .map(|m| Node::OwnersCommittee(OwnersCommittee(m))),
        NodeKind::CommitteeMember => match by_id::<committee_member::Entity>(l, n).await? {
            Some(m) => by_id::<owners_committee::Entity>(l, m.committee_id)
                .await?
                .map(|c| Node::CommitteeMember(CommitteeMember::of(m, &c))),
            None => None,
        },
        NodeKind::PropertyCompany => by_id::<property_company::Entity>(l, n)
            .await?
            .map(|m| Node::PropertyCompany(PropertyCompany(m))),
        NodeKind::PropertyContract => by_id::<property_contract::Entity>(l, n)
            .await?
            .map(|m| Node::PropertyContract(PropertyContract(m))),
        NodeKind::JointMeeting => by_id::<joint_meeting::Entity>(l, n)
            .await?
            .map(|m| Node::JointMeeting(JointMeeting(m))),
        NodeKind::ChiefAppointment => by_id::<chief_appointment::Entity>(l, n)
            .await?
            .map(|m| Node::ChiefAppointment(ChiefAppointment(m))),
        NodeKind::AuditRecord => match by_id::<audit_record::Entity>(l, n).await? {
            Some(r) if sees_audit(ctx, &r).await? => Some(Node::AuditRecord(AuditRecord(r))),
            _ => None,
        },
        NodeKind::ResidentsCouncil => by_id::<residents_council::Entity>(l, n)
            .await?
            .map(|m| Node::ResidentsCouncil(ResidentsCouncil(m))),
        NodeKind::CouncilMatter => by_id::<council_matter::Entity>(l, n)
            .await?
            .map(|m| Node::CouncilMatter(CouncilMatter(m))),
        NodeKind::CouncilStep => by_id::<council_step::Entity>(l, n)
            .await?
            .map(|m| Node::CouncilStep(CouncilStep(m))),
        NodeKind::Publication => by_id::<publication::Entity>(l, n)
            .await?
            .map(|m| Node::Publication(Publication(m))),
        NodeKind::Objection => by_id::<objection::Entity>(l, n)
            .await?
            .map(|m| Node::Objection(Objection(m))),
        NodeKind::AssemblyVote => by_id::<assembly_vote::Entity>(l, n)
            .await?
            .map(|m| Node::AssemblyVote(AssemblyVote(m))),
        // The register and ballots are for those who run the vote.
        NodeKind::VoteVoter => match by_id::<vote_voter::Entity>(l, n).await? {
            Some(v) if may_read_ballots_of(ctx, v.vote_id).await? => {
                Some(Node::VoteVoter(VoteVoter(v)))
            }
            _ => None,
        },
        NodeKind::CommunityCommittee => by_id::<community_committee::Entity>(l, n)
            .await?
            .map(|m| Node::CommunityCommittee(CommunityCommittee(m))),
        NodeKind::CommunityCommitteeMember => {
            match by_id::<community_committee_member::Entity>(l, n).await? {
                Some(m) => by_id::<community_committee::Entity>(l, m.committee_id)
                    .await?
                    .map(|c| {
                        Node::CommunityCommitteeMember(CommunityCommitteeMember(m, c.term_ends_on))
                    }),
                None => None,
            }
        }
        NodeKind::CompanyPartyOrganisation => by_id::<company_party_org::Entity>(l, n)
            .await?
            .map(|m| Node::CompanyPartyOrganisation(CompanyPartyOrganisation(m))),
        NodeKind::CompanyPartyMember => by_id::<company_party_member::Entity>(l, n)
            .await?
            .map(|m| Node::CompanyPartyMember(CompanyPartyMember(m))),
        NodeKind::CompanyPost => by_id::<company_post::Entity>(l, n)
            .await?
            .map(|m| Node::CompanyPost(CompanyPost(m))),
        NodeKind::ChiefAssociation => by_id::<chief_association::Entity>(l, n)
            .await?
            .map(|m| Node::ChiefAssociation(ChiefAssociation(m))),
        NodeKind::ChiefAssociationMember => by_id::<chief_association_member::Entity>(l, n)
            .await?
            .map(|m| Node::ChiefAssociationMember(ChiefAssociationMember(m))),
        NodeKind::ChiefConductRecord => by_id::<chief_conduct_record::Entity>(l, n)
            .await?
            .map(|m| Node::ChiefConductRecord(ChiefConductRecord(m))),
        NodeKind::Ballot => match by_id::<ballot::Entity>(l, n).await? {
            Some(b) if may_read_ballots_of(ctx, b.vote_id).await? => {
                Some(Node::Ballot(Ballot::of(b)))
            }
            _ => None,
        },
        NodeKind::Account => by_id::<account::Entity>(l, n)
            .await?
            .filter(|a| sees_account(caller(ctx), a.id))
            .map(|m| Node::Account(Account(m))),
        NodeKind::RoleGrant => by_id::<role_grant::Entity>(l, n)
            .await?
            .filter(|g| sees_account(caller(ctx), g.account_id))
            .map(|m| Node::RoleGrant(RoleGrant(m))),
        NodeKind::ResponsibilityPlacard => by_id::<placard::Entity>(l, n)
            .await?
            .map(|m| Node::ResponsibilityPlacard(ResponsibilityPlacard(m))),
        NodeKind::ServiceTeam => by_id::<crate::entity::service_team::Entity>(l, n)
            .await?
            .map(|m| Node::ServiceTeam(crate::graphql::types::teams::ServiceTeam(m))),
        NodeKind::ServiceTeamMember => by_id::<crate::entity::service_team_member::Entity>(l, n)
            .await?
            .map(|m| Node::ServiceTeamMember(crate::graphql::types::teams::ServiceTeamMember(m))),
        NodeKind::ServiceActivity => by_id::<crate::entity::service_activity::Entity>(l, n)
            .await?
            .map(|m| Node::ServiceActivity(crate::graphql::types::teams::ServiceActivity(m))),
        // Responsibility lists are published to residents: public.
        NodeKind::ResponsibilityList => by_id::<responsibility_list::Entity>(l, n)
            .await?
            .map(|m| Node::ResponsibilityList(ResponsibilityList(m))),
        NodeKind::ResponsibilityListVersion => by_id::<responsibility_list_version::Entity>(l, n)
            .await?
            .map(|m| Node::ResponsibilityListVersion(ResponsibilityListVersion(m))),
        NodeKind::ResponsibilityLink => by_id::<responsibility_link::Entity>(l, n)
            .await?
            .map(|m| Node::ResponsibilityLink(ResponsibilityLink(m))),
        // A file only to those entitled to it (`domain::attachments`).
        NodeKind::Attachment => match by_id::<crate::entity::attachment::Entity>(l, n).await? {
            Some(a)
                if crate::domain::attachments::may_read(
                    crate::graphql::db(ctx)?,
                    caller(ctx),
                    &a,
                )
                .await? =>
            {
                Some(Node::Attachment(
                    crate::graphql::types::projects::Attachment(a),
                ))
            }
            _ => None,
        },
        // Projects are public (公示), with their progress.
        NodeKind::Project => by_id::<crate::entity::project::Entity>(l, n)
            .await?
            .map(|m| Node::Project(crate::graphql::types::projects::Project(m))),
        NodeKind::ProjectUpdate => by_id::<crate::entity::project_update::Entity>(l, n)
            .await?
            .map(|m| Node::ProjectUpdate(crate::graphql::types::projects::ProjectUpdate(m))),
        // Notices are published to residents: public.
        NodeKind::Notice => by_id::<crate::entity::notice::Entity>(l, n)
            .await?
            .map(|m| Node::Notice(crate::graphql::types::notices::Notice(m))),
        // An opinion only to those who may read it (`domain::opinions`).
        NodeKind::Opinion => match by_id::<crate::entity::opinion::Entity>(l, n).await? {
            Some(o) if crate::graphql::types::notices::may_read_opinion(ctx, &o).await? => {
                Some(Node::Opinion(crate::graphql::types::notices::Opinion(o)))
            }
            _ => None,
        },
        // The patrol catalogue and the event categories are published: public.
        NodeKind::PatrolItem => by_id::<crate::entity::patrol_item::Entity>(l, n)
            .await?
            .map(|m| Node::PatrolItem(crate::graphql::types::grid_events::PatrolItem(m))),
        NodeKind::EventCategory => by_id::<crate::entity::event_category::Entity>(l, n)
            .await?
            .map(|m| Node::EventCategory(crate::graphql::types::grid_events::EventCategory(m))),
        // Handlers are named to anyone signed in; their figures decide for themselves.
        NodeKind::EventHandler => {
            match by_id::<crate::entity::event_handler::Entity>(l, n).await? {
                Some(h) if crate::graphql::types::grid_events::may_see_handler(ctx) => Some(
                    Node::EventHandler(crate::graphql::types::grid_events::EventHandler(h)),
                ),
                _ => None,
            }
        }
        // An event only to those who may read it (`domain::grid_events`).
        NodeKind::GridEvent => match by_id::<crate::entity::grid_event::Entity>(l, n).await? {
            Some(e) if crate::graphql::types::grid_events::may_read_event(ctx, &e).await? => Some(
                Node::GridEvent(crate::graphql::types::grid_events::GridEvent(e)),
            ),
            _ => None,
        },
        // A joint action to those who read grid events within its subdistrict.
        NodeKind::JointAction => match by_id::<crate::entity::joint_action::Entity>(l, n).await? {
            Some(a)
                if crate::graphql::types::grid_events::reads_handlers_of(ctx, a.subdistrict_id)
                    .await? =>
            {
                Some(Node::JointAction(
                    crate::graphql::types::grid_events::JointAction(a),
                ))
            }
            _ => None,
        },
        // Rubrics are the city's published criteria: public, but a draft
        // version (and its content) only to those who keep the rubrics.
        NodeKind::Rubric => by_id::<crate::entity::rubric::Entity>(l, n)
            .await?
            .map(|m| Node::Rubric(crate::graphql::types::evaluation::Rubric(m))),
        NodeKind::RubricVersion => {
            match by_id::<crate::entity::rubric_version::Entity>(l, n).await? {
                Some(v) if crate::domain::evaluation::rubrics::may_read(caller(ctx), &v) => Some(
                    Node::RubricVersion(crate::graphql::types::evaluation::RubricVersion(v)),
                ),
                _ => None,
            }
        }
        NodeKind::RubricAspect => {
            match by_id::<crate::entity::rubric_aspect::Entity>(l, n).await? {
                Some(a)
                    if crate::graphql::types::evaluation::may_read_version(ctx, a.version_id)
                        .await? =>
                {
                    Some(Node::RubricAspect(
                        crate::graphql::types::evaluation::RubricAspect(a),
                    ))
                }
                _ => None,
            }
        }
        NodeKind::RubricIndicator => {
            match by_id::<crate::entity::rubric_indicator::Entity>(l, n).await? {
                Some(i)
                    if crate::graphql::types::evaluation::may_read_version(ctx, i.version_id)
                        .await? =>
                {
                    Some(Node::RubricIndicator(
                        crate::graphql::types::evaluation::RubricIndicator(i),
                    ))
                }
                _ => None,
            }
        }
        // Campaigns, their entries and titles are public.
        NodeKind::EvaluationCampaign => by_id::<crate::entity::evaluation_campaign::Entity>(l, n)
            .await?
            .map(|m| {
                Node::EvaluationCampaign(crate::graphql::types::evaluation::EvaluationCampaign(m))
            }),
        NodeKind::CampaignEntry => by_id::<crate::entity::campaign_entry::Entity>(l, n)
            .await?
            .map(|m| Node::CampaignEntry(crate::graphql::types::evaluation::CampaignEntry(m))),
        NodeKind::EvaluationTitle => by_id::<crate::entity::evaluation_title::Entity>(l, n)
            .await?
            .map(|m| Node::EvaluationTitle(crate::graphql::types::evaluation::EvaluationTitle(m))),
        // Who evaluates what, and the sheets, only to the evaluator and the
        // campaign's staff.
        NodeKind::EvaluatorAssignment => {
            match by_id::<crate::entity::evaluator_assignment::Entity>(l, n).await? {
                Some(a) => {
                    let c = by_id::<crate::entity::evaluation_campaign::Entity>(l, a.campaign_id)
                        .await?;
                    let mine = caller(ctx)
                        .actor()
                        .is_ok_and(|me| me.account_id == a.account_id);
                    let staff = c.is_some_and(|c| {
                        crate::domain::evaluation::campaigns::runs(caller(ctx), &c)
                    });
                    (mine || staff).then_some(Node::EvaluatorAssignment(
                        crate::graphql::types::evaluation::EvaluatorAssignment(a),
                    ))
                }
                None => None,
            }
        }
        // A revocation and its rectification are public, as are rounds.
        NodeKind::Rectification => by_id::<crate::entity::rectification::Entity>(l, n)
            .await?
            .map(|m| Node::Rectification(crate::graphql::types::evaluation::Rectification(m))),
        NodeKind::StarRatingRound => by_id::<crate::entity::star_rating_round::Entity>(l, n)
            .await?
            .map(|m| Node::StarRatingRound(crate::graphql::types::evaluation::StarRatingRound(m))),
        // A rating once its round is published; before, to the subdistrict's staff.
        NodeKind::StarRating => match by_id::<crate::entity::star_rating::Entity>(l, n).await? {
            Some(r) => {
                match by_id::<crate::entity::star_rating_round::Entity>(l, r.round_id).await? {
                    Some(o)
                        if crate::domain::evaluation::star_ratings::may_read(
                            crate::graphql::db(ctx)?,
                            caller(ctx),
                            &o,
                        )
                        .await? =>
                    {
                        Some(Node::StarRating(
                            crate::graphql::types::evaluation::StarRating(r),
                        ))
                    }
                    _ => None,
                }
            }
            None => None,
        },
        // Self-inspections to the compound's parties and the staff over it.
        NodeKind::SelfInspection => {
            match by_id::<crate::entity::self_inspection::Entity>(l, n).await? {
                Some(i)
                    if crate::domain::evaluation::inspections::may_read(
                        caller(ctx),
                        &Scope::of_compound(crate::graphql::db(ctx)?, i.compound_id).await?,
                    ) =>
                {
                    Some(Node::SelfInspection(
                        crate::graphql::types::evaluation::SelfInspection(i),
                    ))
                }
                _ => None,
            }
        }
        NodeKind::SelfInspectionFinding => {
            match by_id::<crate::entity::self_inspection_finding::Entity>(l, n).await? {
                Some(f) => {
                    match by_id::<crate::entity::self_inspection::Entity>(l, f.inspection_id)
                        .await?
                    {
                        Some(i)
                            if crate::domain::evaluation::inspections::may_read(
                                caller(ctx),
                                &Scope::of_compound(crate::graphql::db(ctx)?, i.compound_id)
                                    .await?,
                            ) =>
                        {
                            Some(Node::SelfInspectionFinding(
                                crate::graphql::types::evaluation::SelfInspectionFinding(f),
                            ))
                        }
                        _ => None,
                    }
                }
                None => None,
            }
        }
        NodeKind::ScoreSheet => match by_id::<crate::entity::score_sheet::Entity>(l, n).await? {
            Some(s) => {
                let c =
                    by_id::<crate::entity::evaluation_campaign::Entity>(l, s.campaign_id).await?;
                c.filter(|c| crate::domain::evaluation::scoring::may_read_sheet(caller(ctx), c, &s))
                    .map(|_| Node::ScoreSheet(crate::graphql::types::evaluation::ScoreSheet(s)))
            }
            None => None,
        },
    })
}

/// Whether the caller may see the register and ballots of vote `vote_id`.
async fn may_read_ballots_of(ctx: &Context<'_>, vote_id: i64) -> Result<bool> {
    match by_id::<assembly_vote::Entity>(loaders(ctx)?, vote_id).await? {
        Some(vote) => {
            crate::graphql::types::decisions::may_read_in(
                ctx,
                Permission::ReadBallots,
                vote.compound_id,
            )
            .await
        }
        None => Ok(false),
    }
}

/// Audit records are visible to those who may read the history of their unit.
async fn sees_audit(ctx: &Context<'_>, r: &audit_record::Model) -> Result<bool> {
    let db = crate::graphql::db(ctx)?;
    let scope = match (r.compound_id, r.community_id) {
        (Some(c), _) => Scope::of_compound(db, c).await?,
        (None, Some(c)) => Scope::of_community(db, c).await?,
        (None, None) => Scope::GLOBAL,
    };
    Ok(caller(ctx).can_read(Permission::ReadAudit, &scope))
}

/// Accounts are visible to their holder and to platform admins only.
fn sees_account(caller: &Caller, account_id: i64) -> bool {
    match caller {
        Caller::Anonymous => false,
        Caller::Account(a) => a.account_id == account_id || a.is_admin(),
    }
}

/// `node` and `nodes`.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches an object by its global ID.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID.")] id: ID,
    ) -> Result<Option<Node>> {
        load_node(ctx, &id).await
    }

    /// Fetches several objects by global ID, in the order given (at most 100).
    #[graphql(complexity = "ids.len() * child_complexity")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global IDs, at most 100.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        if ids.len() > crate::graphql::pagination::MAX_PAGE_SIZE {
            return Err(AppError::BadRequest("at most 100 IDs at once".into()).into());
        }
        let mut out = Vec::with_capacity(ids.len());
        // Loads run through the DataLoader, so these batch into one query per kind.
        let results = futures_util::future::join_all(ids.iter().map(|id| load_node(ctx, id))).await;
        for r in results {
            out.push(r?);
        }
        Ok(out)
    }
}
