//! DataLoaders: every relation is fetched in batches, one query for all the
//! parents of a level, never one query per row.
//!
//! One `DataLoader<Db>` per request serves every key type below:
//! `ById<E>` loads rows of any table by id; `Children<R>` loads all rows
//! pointing at a parent through the foreign key that the marker `R` names.
//! Children are paged in memory afterwards (see `paginate_loaded`), which is
//! fine for the sizes of a compound's branches, members, buildings and chiefs.

use std::{collections::HashMap, hash::Hash, marker::PhantomData, sync::Arc};

use async_graphql::dataloader::{DataLoader, Loader, NoCache};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityName, EntityTrait, IdenStatic, QueryFilter, QueryOrder,
    Statement,
};

use crate::domain::clock::Clock;
use crate::domain::decisions::tally::Weight;
use crate::domain::kinds::BallotChoice;
use crate::entity::{
    building, chief_appointment, committee_member, compound, dwelling, owners_committee, ownership,
    party_branch, party_branch_member, residency,
};
use crate::error::AppError;
use crate::graphql::pagination::{Keyed, Window};

/// The batch loader of one request: the database and the clock its
/// "today" comes from.
pub struct Db(pub DatabaseConnection, pub Clock);

/// The loader of one request (shared by the operations of one batch) or of
/// one subscription connection. It batches and de-duplicates the keys asked
/// for together but keeps no cache, so a long-lived subscription never
/// serves a stale row.
pub type Loaders = DataLoader<Db, NoCache>;

/// A new loader.
pub fn loaders(db: DatabaseConnection, clock: Clock) -> Arc<Loaders> {
    Arc::new(DataLoader::new(Db(db, clock), tokio::spawn))
}

/// Loader errors are shared between all the waiters of a batch.
pub type LoadError = Arc<AppError>;

/// A row of `E` by id.
pub struct ById<E>(pub i64, PhantomData<fn() -> E>);

impl<E> ById<E> {
    /// The key of row `id`.
    pub fn new(id: i64) -> Self {
        Self(id, PhantomData)
    }
}

impl<E> Clone for ById<E> {
    fn clone(&self) -> Self {
        Self::new(self.0)
    }
}
impl<E> PartialEq for ById<E> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<E> Eq for ById<E> {}
impl<E> Hash for ById<E> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}

impl<E> Loader<ById<E>> for Db
where
    E: Keyed,
    E::Model: Send + Sync + Clone + 'static,
{
    type Value = E::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[ById<E>]) -> Result<HashMap<ById<E>, E::Model>, LoadError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = E::find()
            .filter(E::id_column().is_in(ids))
            .all(&self.0)
            .await
            .map_err(|e| Arc::new(AppError::from(e)))?;
        Ok(rows
            .into_iter()
            .map(|m| (ById::new(E::id_of(&m)), m))
            .collect())
    }
}

/// A one-to-many relation: rows of `Child` that point at a parent through `parent_column`.
pub trait ChildRelation: Send + Sync + 'static {
    /// The child table.
    type Child: Keyed;
    /// The foreign-key column holding the parent's id.
    fn parent_column() -> <Self::Child as EntityTrait>::Column;
    /// The parent id of a child row (none when the key column is null).
    fn parent_of(child: &<Self::Child as EntityTrait>::Model) -> Option<i64>;
}

/// All children of parent `0` through relation `R`, ordered by id.
pub struct Children<R>(pub i64, PhantomData<fn() -> R>);

impl<R> Children<R> {
    /// The key of the children of `parent`.
    pub fn of(parent: i64) -> Self {
        Self(parent, PhantomData)
    }
}

impl<R> Clone for Children<R> {
    fn clone(&self) -> Self {
        Self::of(self.0)
    }
}
impl<R> PartialEq for Children<R> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<R> Eq for Children<R> {}
impl<R> Hash for Children<R> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}

impl<R> Loader<Children<R>> for Db
where
    R: ChildRelation,
    <R::Child as EntityTrait>::Model: Send + Sync + Clone + 'static,
{
    type Value = Vec<<R::Child as EntityTrait>::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[Children<R>],
    ) -> Result<HashMap<Children<R>, Self::Value>, LoadError> {
        let parents: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = R::Child::find()
            .filter(R::parent_column().is_in(parents.clone()))
            .order_by_asc(R::Child::id_column())
            .all(&self.0)
            .await
            .map_err(|e| Arc::new(AppError::from(e)))?;
        let mut out: HashMap<Children<R>, Self::Value> = parents
            .into_iter()
            .map(|p| (Children::of(p), Vec::new()))
            .collect();
        for row in rows {
            if let Some(parent) = R::parent_of(&row) {
                out.entry(Children::of(parent)).or_default().push(row);
            }
        }
        Ok(out)
    }
}

/// One window (page) of the children of parent `0` through relation `R`.
/// Keys with the same window are loaded together, one query for all their
/// parents, numbering each parent's rows with `ROW_NUMBER()` so that only
/// the page (plus one row, to tell whether more follow) is read.
pub struct PageOf<R>(pub i64, pub Window, PhantomData<fn() -> R>);

impl<R> Clone for PageOf<R> {
    fn clone(&self) -> Self {
        Self(self.0, self.1, PhantomData)
    }
}
impl<R> PartialEq for PageOf<R> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 && self.1 == other.1
    }
}
impl<R> Eq for PageOf<R> {}
impl<R> Hash for PageOf<R> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
        self.1.hash(state);
    }
}

impl<R> Loader<PageOf<R>> for Db
where
    R: ChildRelation,
    <R::Child as EntityTrait>::Model: Send + Sync + Clone + 'static,
{
    type Value = Vec<<R::Child as EntityTrait>::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[PageOf<R>]) -> Result<HashMap<PageOf<R>, Self::Value>, LoadError> {
        let mut windows: HashMap<Window, Vec<i64>> = HashMap::new();
        for k in keys {
            windows.entry(k.1).or_default().push(k.0);
        }
        let backend = self.0.get_database_backend();
        let table = R::Child::default().table_name().to_owned();
        let parent_col = R::parent_column().as_str().to_owned();
        let id_col = R::Child::id_column().as_str().to_owned();
        let mut out = HashMap::new();
        for (w, parents) in windows {
            // Only integers are spliced into the text: parent ids, cursor ids
            // and the limit, all formatted from i64/usize here.
            let ids = parents
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let mut cond = format!("\"{parent_col}\" IN ({ids})");
            if let Some(a) = w.after {
                cond.push_str(&format!(" AND \"{id_col}\" > {a}"));
            }
            if let Some(b) = w.before {
                cond.push_str(&format!(" AND \"{id_col}\" < {b}"));
            }
            let order = if w.backward { "DESC" } else { "ASC" };
            let sql = format!(
                "SELECT * FROM (SELECT t.*, ROW_NUMBER() OVER (PARTITION BY \"{parent_col}\" ORDER BY \"{id_col}\" {order}) AS page_row \
                 FROM \"{table}\" t WHERE {cond}) paged WHERE page_row <= {}",
                w.limit + 1
            );
            let rows = R::Child::find()
                .from_raw_sql(Statement::from_string(backend, sql))
                .all(&self.0)
                .await
                .map_err(|e| Arc::new(AppError::from(e)))?;
            for p in &parents {
                out.insert(PageOf(*p, w, PhantomData), Vec::new());
            }
            for row in rows {
                if let Some(parent) = R::parent_of(&row) {
                    out.entry(PageOf(parent, w, PhantomData))
                        .or_insert_with(Vec::new)
                        .push(row);
                }
            }
        }
        Ok(out)
    }
}

/// Loads one page of the children of `parent` through relation `R`.
pub async fn page_of<R>(
    loaders: &Loaders,
    parent: i64,
    window: Window,
) -> async_graphql::Result<Vec<<R::Child as EntityTrait>::Model>>
where
    R: ChildRelation,
    <R::Child as EntityTrait>::Model: Send + Sync + Clone + 'static,
{
    Ok(loaders
        .load_one(PageOf::<R>(parent, window, PhantomData))
        .await
        .map_err(shared_error)?
        .unwrap_or_default())
}

/// Declares marker types for one-to-many relations.
macro_rules! children {
    ($($(#[$meta:meta])* $name:ident: $table:ident.$column:ident => $field:ident;)+) => {$(
        $(#[$meta])*
        pub struct $name;
        impl ChildRelation for $name {
            type Child = crate::entity::$table::Entity;
            fn parent_column() -> crate::entity::$table::Column {
                crate::entity::$table::Column::$column
            }
            fn parent_of(child: &crate::entity::$table::Model) -> Option<i64> {
                Option::from(child.$field)
            }
        }
    )+};
}

children! {
    /// Findings of a self-inspection.
    FindingsOfInspection: self_inspection_finding.InspectionId => inspection_id;
    /// The rectification a title's revocation opened (at most one).
    RectificationOfTitle: rectification.TitleId => title_id;
    /// The frozen result of a campaign entry (at most one).
    ResultOfEntry: campaign_result.EntryId => entry_id;
    /// Evaluators assigned to a campaign entry.
    AssignmentsOfEntry: evaluator_assignment.EntryId => entry_id;
    /// Score sheets (every evaluator's, every number) of a campaign entry.
    SheetsOfEntry: score_sheet.EntryId => entry_id;
    /// Lines of a score sheet.
    LinesOfScoreSheet: score_line.SheetId => sheet_id;
    /// Evidence of a line of a score sheet.
    EvidenceOfScoreLine: score_evidence.LineId => line_id;
    /// Versions (drafts and published) of a rubric.
    VersionsOfRubric: rubric_version.RubricId => rubric_id;
    /// Aspects of a rubric version.
    AspectsOfRubricVersion: rubric_aspect.VersionId => version_id;
    /// Indicators of a rubric aspect.
    IndicatorsOfRubricAspect: rubric_indicator.AspectId => aspect_id;
    /// Indicators of a rubric version, every aspect's.
    IndicatorsOfRubricVersion: rubric_indicator.VersionId => version_id;
    /// Frequencies (every season, every setting) of a patrol item.
    FrequenciesOfPatrolItem: patrol_frequency.PatrolItemId => patrol_item_id;
    /// Memberships (current and past) of an event handler.
    MembersOfEventHandler: event_handler_member.HandlerId => handler_id;
    /// Steps of a grid event.
    StepsOfGridEvent: grid_event_step.EventId => event_id;
    /// Photos of a step of a grid event.
    PhotosOfEventStep: grid_event_photo.StepId => step_id;
    /// The supervision of a grid event (at most one).
    SupervisionOfEvent: event_supervision.EventId => event_id;
    /// Supervisions marked on a handler's record.
    SupervisionsOfHandler: event_supervision.HandlerId => handler_id;
    /// Events grouped into a joint action.
    EventsOfJointAction: joint_action_event.ActionId => action_id;
    /// Subdistricts of a district.
    SubdistrictsOfDistrict: subdistrict.DistrictId => district_id;
    /// Communities of a subdistrict.
    CommunitiesOfSubdistrict: community.SubdistrictId => subdistrict_id;
    /// Grids of a community.
    GridsOfCommunity: grid.CommunityId => community_id;
    /// Compounds of a community.
    CompoundsOfCommunity: compound.CommunityId => community_id;
    /// Buildings of a compound.
    BuildingsOfCompound: building.CompoundId => compound_id;
    /// Entrances of a building.
    EntrancesOfBuilding: entrance.BuildingId => building_id;
    /// Dwellings of a building.
    DwellingsOfBuilding: dwelling.BuildingId => building_id;
    /// Residencies in a dwelling.
    ResidenciesOfDwelling: residency.DwellingId => dwelling_id;
    /// Ownerships of a dwelling.
    OwnershipsOfDwelling: ownership.DwellingId => dwelling_id;
    /// Residencies of a person.
    ResidenciesOfPerson: residency.PersonId => person_id;
    /// Ownerships of a person.
    OwnershipsOfPerson: ownership.PersonId => person_id;
    /// Party branches (current and past) of a compound.
    BranchesOfCompound: party_branch.CompoundId => compound_id;
    /// Members (current and past) of a party branch.
    MembersOfBranch: party_branch_member.BranchId => branch_id;
    /// Owners' committees (current and past) of a compound.
    CommitteesOfCompound: owners_committee.CompoundId => compound_id;
    /// Members (current and past) of an owners' committee.
    MembersOfCommittee: committee_member.CommitteeId => committee_id;
    /// Property contracts (current and past) of a compound.
    ContractsOfCompound: property_contract.CompoundId => compound_id;
    /// Contracts of a property company.
    ContractsOfCompany: property_contract.CompanyId => company_id;
    /// Community committees (社区"两委"), every term, of a community.
    CommitteesOfCommunity: community_committee.CommunityId => community_id;
    /// Members (current and past) of a community committee.
    MembersOfCommunityCommittee: community_committee_member.CommitteeId => committee_id;
    /// Posts (current and past) in a property company.
    PostsOfCompany: company_post.CompanyId => company_id;
    /// Party organisations (current and past) of a property company.
    PartyOrgsOfCompany: company_party_org.CompanyId => company_id;
    /// Members (current and past) of a company's party organisation.
    MembersOfCompanyOrg: company_party_member.OrgId => org_id;
    /// Members (current and past) of an association of chiefs.
    MembersOfAssociation: chief_association_member.AssociationId => association_id;
    /// The association of chiefs of a community (at most one).
    AssociationOfCommunity: chief_association.CommunityId => community_id;
    /// Commendations and penalties of an appointment.
    ConductOfAppointment: chief_conduct_record.AppointmentId => appointment_id;
    /// Joint meetings of a compound.
    MeetingsOfCompound: joint_meeting.CompoundId => compound_id;
    /// Attendees of a joint meeting.
    AttendeesOfMeeting: joint_meeting_attendee.MeetingId => meeting_id;
    /// Resolutions of a joint meeting.
    ResolutionsOfMeeting: joint_meeting_resolution.MeetingId => meeting_id;
    /// Chief appointments over a compound or anything in it.
    ChiefsOfCompound: chief_appointment.CompoundId => compound_id;
    /// Role grants of an account.
    GrantsOfAccount: role_grant.AccountId => account_id;
    /// Buildings covered by a grid.
    BuildingsOfGrid: building.GridId => grid_id;
    /// Audit records of a compound and everything in it.
    AuditOfCompound: audit_record.CompoundId => compound_id;
    /// The residents' council of a compound (at most one).
    CouncilOfCompound: residents_council.CompoundId => compound_id;
    /// Matters of a council.
    MattersOfCouncil: council_matter.CouncilId => council_id;
    /// Steps (and corrections) of a matter.
    StepsOfMatter: council_step.MatterId => matter_id;
    /// Corrections of a step.
    CorrectionsOfStep: council_step.CorrectsId => corrects_id;
    /// Publications of a compound.
    PublicationsOfCompound: publication.CompoundId => compound_id;
    /// Publications of a council matter.
    PublicationsOfMatter: publication.MatterId => matter_id;
    /// Corrections of a publication.
    CorrectionsOfPublication: publication.CorrectsId => corrects_id;
    /// Objections to a publication.
    ObjectionsOfPublication: objection.PublicationId => publication_id;
    /// Answers to an objection.
    AnswersOfObjection: objection_answer.ObjectionId => objection_id;
    /// Assembly votes of a compound.
    VotesOfCompound: assembly_vote.CompoundId => compound_id;
    /// Counted owners on a vote's register.
    VotersOfVote: vote_voter.VoteId => vote_id;
    /// The people who may cast a counted owner's ballot.
    OwnersOfVoter: vote_voter_owner.VoterId => voter_id;
    /// The dwellings of a counted owner, as the register fixed them.
    PartsOfVoter: vote_voter_part.VoterId => voter_id;
    /// Ballots of a vote, current and superseded.
    BallotsOfVote: ballot.VoteId => vote_id;
    /// The result of a closed vote (at most one).
    ResultOfVote: vote_result.VoteId => vote_id;
    /// Responsibility placard postings of a compound, current and past.
    PlacardsOfCompound: placard.CompoundId => compound_id;
    /// The responsible persons a placard posting names.
    PersonsOfPlacard: placard_person.PlacardId => placard_id;
    /// Supports of a project.
    SupportsOfProject: project_support.ProjectId => project_id;
    /// Budget decisions of a project.
    BudgetsOfProject: project_budget.ProjectId => project_id;
    /// Progress updates of a project.
    UpdatesOfProject: project_update.ProjectId => project_id;
    /// Photos of a progress update.
    PhotosOfUpdate: project_update_photo.UpdateId => update_id;
    /// Spending entries of a project.
    SpendingOfProject: project_spending.ProjectId => project_id;
    /// Ratings of a project, every round.
    RatingsOfProject: project_rating.ProjectId => project_id;
    /// Acceptance records of a project.
    AcceptancesOfProject: project_acceptance.ProjectId => project_id;
    /// Moves of a project between statuses.
    TransitionsOfProject: project_transition.ProjectId => project_id;
    /// Projects of a compound.
    ProjectsOfCompound: project.CompoundId => compound_id;
    /// Answers to a resident's opinion.
    AnswersOfOpinion: opinion_answer.OpinionId => opinion_id;
    /// Service teams (current and past) of a compound.
    ServiceTeamsOfCompound: service_team.CompoundId => compound_id;
    /// Members (current and past) of a service team.
    MembersOfServiceTeam: service_team_member.TeamId => team_id;
    /// Corrections of an entry of a service team's log, oldest first.
    CorrectionsOfServiceActivity: service_activity.CorrectsId => corrects_id;
    /// Members named as taking part in a record of a service team's log.
    ParticipantsOfServiceActivity: service_activity_participant.ActivityId => activity_id;
    /// Responsibility lists of a community, one per kind of party.
    ResponsibilityListsOfCommunity: responsibility_list.CommunityId => community_id;
    /// Published versions of a responsibility list.
    VersionsOfResponsibilityList: responsibility_list_version.ListId => list_id;
    /// Duty items of a version of a responsibility list.
    ItemsOfResponsibilityVersion: responsibility_item.VersionId => version_id;
    /// Parties linked to a responsibility list.
    LinksOfResponsibilityList: responsibility_link.ListId => list_id;
    /// Responsibility links of a property company, one per community it is linked in.
    ResponsibilityLinksOfCompany: responsibility_link.PropertyCompanyId => property_company_id;
    /// The responsibility link of a rental building (at most one).
    ResponsibilityLinksOfBuilding: responsibility_link.BuildingId => building_id;
    /// The responsibility link of a shop (at most one).
    ResponsibilityLinksOfDwelling: responsibility_link.DwellingId => dwelling_id;
    /// The responsibility link of a building chief's appointment (at most one).
    ResponsibilityLinksOfChief: responsibility_link.ChiefAppointmentId => chief_appointment_id;
}

/// The compounds a person is tied to, by residence, ownership, branch or
/// committee membership, each with its community: who may see their
/// personal data depends on it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonCompounds(pub i64);

/// A compound a person is tied to, and the community it lies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tie {
    /// The compound.
    pub compound_id: i64,
    /// Its community.
    pub community_id: i64,
}

impl Loader<PersonCompounds> for Db {
    type Value = Vec<Tie>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[PersonCompounds],
    ) -> Result<HashMap<PersonCompounds, Vec<Tie>>, LoadError> {
        let people: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<PersonCompounds, Vec<i64>> = people
            .iter()
            .map(|p| (PersonCompounds(*p), Vec::new()))
            .collect();
        let mut add = |person: i64, compound: i64| {
            let list = out.entry(PersonCompounds(person)).or_default();
            if !list.contains(&compound) {
                list.push(compound);
            }
        };
        let db = &self.0;
        let fail = |e: sea_orm::DbErr| Arc::new(AppError::from(e));

        let homes = residency::Entity::find()
            .filter(residency::Column::PersonId.is_in(people.clone()))
            .find_also_related(dwelling::Entity)
            .all(db)
            .await
            .map_err(fail)?;
        let owned = ownership::Entity::find()
            .filter(ownership::Column::PersonId.is_in(people.clone()))
            .find_also_related(dwelling::Entity)
            .all(db)
            .await
            .map_err(fail)?;
        let mut by_building: Vec<(i64, i64)> = homes
            .iter()
            .filter_map(|(r, d)| d.as_ref().map(|d| (r.person_id, d.building_id)))
            .chain(
                owned
                    .iter()
                    .filter_map(|(o, d)| d.as_ref().map(|d| (o.person_id, d.building_id))),
            )
            .collect();
        by_building.dedup();
        let building_ids: Vec<i64> = by_building.iter().map(|(_, b)| *b).collect();
        let buildings: HashMap<i64, i64> = building::Entity::find()
            .filter(building::Column::Id.is_in(building_ids))
            .all(db)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|b| (b.id, b.compound_id))
            .collect();
        for (person, b) in by_building {
            if let Some(c) = buildings.get(&b) {
                add(person, *c);
            }
        }
        for (m, branch) in party_branch_member::Entity::find()
            .filter(party_branch_member::Column::PersonId.is_in(people.clone()))
            .find_also_related(party_branch::Entity)
            .all(db)
            .await
            .map_err(fail)?
        {
            if let Some(b) = branch {
                add(m.person_id, b.compound_id);
            }
        }
        for (m, committee) in committee_member::Entity::find()
            .filter(committee_member::Column::PersonId.is_in(people))
            .find_also_related(owners_committee::Entity)
            .all(db)
            .await
            .map_err(fail)?
        {
            if let Some(c) = committee {
                add(m.person_id, c.compound_id);
            }
        }
        let compound_ids: Vec<i64> = out.values().flatten().copied().collect();
        let communities: HashMap<i64, i64> = compound::Entity::find()
            .filter(compound::Column::Id.is_in(compound_ids))
            .all(db)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|c| (c.id, c.community_id))
            .collect();
        Ok(out
            .into_iter()
            .map(|(k, compounds)| {
                let ties = compounds
                    .into_iter()
                    .filter_map(|c| {
                        communities.get(&c).map(|community| Tie {
                            compound_id: c,
                            community_id: *community,
                        })
                    })
                    .collect();
                (k, ties)
            })
            .collect())
    }
}

/// The chain of chiefs answering for a dwelling today.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ChainOf(pub i64);

impl Loader<ChainOf> for Db {
    type Value = Vec<chief_appointment::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[ChainOf]) -> Result<HashMap<ChainOf, Self::Value>, LoadError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let chains = crate::domain::chiefs::responsible_chains(&self.0, &ids, self.1.today())
            .await
            .map_err(Arc::new)?;
        Ok(chains.into_iter().map(|(k, v)| (ChainOf(k), v)).collect())
    }
}

/// The standing ballots of a live vote summed by choice
/// (`assembly::standing_totals`): one aggregate statement for every vote
/// asked together.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct StandingTotalsOf(pub i64);

impl Loader<StandingTotalsOf> for Db {
    type Value = Vec<(BallotChoice, Weight)>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[StandingTotalsOf],
    ) -> Result<HashMap<StandingTotalsOf, Self::Value>, LoadError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let totals = crate::domain::decisions::assembly::standing_totals(&self.0, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(totals
            .into_iter()
            .map(|(k, v)| (StandingTotalsOf(k), v))
            .collect())
    }
}

/// The standing ballots of live vote `vote_id`, summed by choice.
pub async fn standing_totals(
    loaders: &Loaders,
    vote_id: i64,
) -> async_graphql::Result<Vec<(BallotChoice, Weight)>> {
    Ok(loaders
        .load_one(StandingTotalsOf(vote_id))
        .await
        .map_err(shared_error)?
        .unwrap_or_default())
}

/// The performance of handler `.0` over the days `.1` to `.2`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PerformanceOf(pub i64, pub chrono::NaiveDate, pub chrono::NaiveDate);

impl Loader<PerformanceOf> for Db {
    type Value = crate::domain::grid_events::Performance;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[PerformanceOf],
    ) -> Result<HashMap<PerformanceOf, Self::Value>, LoadError> {
        // One pair of statements per distinct period (a page asks one).
        let mut periods: HashMap<(chrono::NaiveDate, chrono::NaiveDate), Vec<i64>> = HashMap::new();
        for k in keys {
            periods.entry((k.1, k.2)).or_default().push(k.0);
        }
        let mut out = HashMap::new();
        for ((from, to), handlers) in periods {
            let found = crate::domain::grid_events::performance_of(&self.0, &handlers, from, to)
                .await
                .map_err(Arc::new)?;
            out.extend(
                found
                    .into_iter()
                    .map(|(h, p)| (PerformanceOf(h, from, to), p)),
            );
        }
        Ok(out)
    }
}

/// Loads one row by id through the request's loader.
pub async fn by_id<E>(loaders: &Loaders, id: i64) -> async_graphql::Result<Option<E::Model>>
where
    E: Keyed,
    E::Model: Send + Sync + Clone + 'static,
{
    loaders
        .load_one(ById::<E>::new(id))
        .await
        .map_err(shared_error)
}

/// Loads the rows `ids` through the request's loader in one batch, in the
/// order of `ids`; ids with no row are left out.
pub async fn by_ids<E>(loaders: &Loaders, ids: &[i64]) -> async_graphql::Result<Vec<E::Model>>
where
    E: Keyed,
    E::Model: Send + Sync + Clone + 'static,
{
    let mut found = loaders
        .load_many(ids.iter().map(|id| ById::<E>::new(*id)))
        .await
        .map_err(shared_error)?;
    Ok(ids
        .iter()
        .filter_map(|id| found.remove(&ById::<E>::new(*id)))
        .collect())
}

/// Loads the row an optional foreign key points at; `None` when it is null.
pub async fn by_id_opt<E>(
    loaders: &Loaders,
    id: Option<i64>,
) -> async_graphql::Result<Option<E::Model>>
where
    E: Keyed,
    E::Model: Send + Sync + Clone + 'static,
{
    match id {
        Some(id) => by_id::<E>(loaders, id).await,
        None => Ok(None),
    }
}

/// Loads all children of `parent` through relation `R`.
pub async fn children<R>(
    loaders: &Loaders,
    parent: i64,
) -> async_graphql::Result<Vec<<R::Child as EntityTrait>::Model>>
where
    R: ChildRelation,
    <R::Child as EntityTrait>::Model: Send + Sync + Clone + 'static,
{
    Ok(loaders
        .load_one(Children::<R>::of(parent))
        .await
        .map_err(shared_error)?
        .unwrap_or_default())
}

/// The compounds a person is tied to.
pub async fn person_compounds(loaders: &Loaders, person: i64) -> async_graphql::Result<Vec<Tie>> {
    Ok(loaders
        .load_one(PersonCompounds(person))
        .await
        .map_err(shared_error)?
        .unwrap_or_default())
}

pub(crate) fn shared_error(e: LoadError) -> async_graphql::Error {
    match Arc::try_unwrap(e) {
        Ok(err) => err.into(),
        Err(shared) => AppError::Internal(format!("batch load failed: {shared:?}")).into(),
    }
}

/// The chain of chiefs answering for a dwelling on a given day (the
/// responsibility placard reads it for the day it speaks for). Keys of one
/// day are loaded together by `chiefs::responsible_chains`, one batch per
/// distinct day.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ChainOn(pub i64, pub chrono::NaiveDate);

impl Loader<ChainOn> for Db {
    type Value = Vec<chief_appointment::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[ChainOn]) -> Result<HashMap<ChainOn, Self::Value>, LoadError> {
        let mut days: HashMap<chrono::NaiveDate, Vec<i64>> = HashMap::new();
        for k in keys {
            days.entry(k.1).or_default().push(k.0);
        }
        let mut out = HashMap::new();
        for (day, ids) in days {
            let chains = crate::domain::chiefs::responsible_chains(&self.0, &ids, day)
                .await
                .map_err(Arc::new)?;
            out.extend(chains.into_iter().map(|(k, v)| (ChainOn(k, day), v)));
        }
        Ok(out)
    }
}

/// One window (page) of the dwellings of compound `0`, through their
/// buildings. Keys with the same window are loaded together: one query
/// numbering each compound's dwellings with `ROW_NUMBER()`, so only the
/// page (plus one row, to tell whether more follow) is read.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DwellingsOfCompoundPage(pub i64, pub Window);

impl Loader<DwellingsOfCompoundPage> for Db {
    type Value = Vec<dwelling::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[DwellingsOfCompoundPage],
    ) -> Result<HashMap<DwellingsOfCompoundPage, Self::Value>, LoadError> {
        let fail = |e: sea_orm::DbErr| Arc::new(AppError::from(e));
        let mut windows: HashMap<Window, Vec<i64>> = HashMap::new();
        for k in keys {
            windows.entry(k.1).or_default().push(k.0);
        }
        let backend = self.0.get_database_backend();
        let mut out = HashMap::new();
        for (w, compounds) in windows {
            let compound_of: HashMap<i64, i64> = building::Entity::find()
                .filter(building::Column::CompoundId.is_in(compounds.clone()))
                .all(&self.0)
                .await
                .map_err(fail)?
                .into_iter()
                .map(|b| (b.id, b.compound_id))
                .collect();
            for c in &compounds {
                out.insert(DwellingsOfCompoundPage(*c, w), Vec::new());
            }
            if compound_of.is_empty() {
                continue;
            }
            // Only integers are spliced into the text: compound ids, cursor
            // ids and the limit, all formatted from i64/usize here.
            let ids = compounds
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let mut cond = format!("b.\"compound_id\" IN ({ids})");
            if let Some(a) = w.after {
                cond.push_str(&format!(" AND d.\"id\" > {a}"));
            }
            if let Some(b) = w.before {
                cond.push_str(&format!(" AND d.\"id\" < {b}"));
            }
            let order = if w.backward { "DESC" } else { "ASC" };
            let sql = format!(
                "SELECT * FROM (SELECT d.*, ROW_NUMBER() OVER (PARTITION BY b.\"compound_id\" ORDER BY d.\"id\" {order}) AS page_row \
                 FROM \"dwelling\" d JOIN \"building\" b ON b.\"id\" = d.\"building_id\" WHERE {cond}) paged \
                 WHERE page_row <= {}",
                w.limit + 1
            );
            let rows = dwelling::Entity::find()
                .from_raw_sql(Statement::from_string(backend, sql))
                .all(&self.0)
                .await
                .map_err(fail)?;
            for row in rows {
                if let Some(c) = compound_of.get(&row.building_id) {
                    out.entry(DwellingsOfCompoundPage(*c, w))
                        .or_insert_with(Vec::new)
                        .push(row);
                }
            }
        }
        Ok(out)
    }
}
