//! Who may do what, where.
//!
//! A caller is anonymous or an account holding role grants, each over a
//! scope (a district, subdistrict, community, grid, compound, building or
//! dwelling). An action names a
//! `Permission` and the `Scope` it touches; the scope carries all its
//! ancestors, so a grant matches when its unit is one of them. The role ×
//! permission table below is the whole policy.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, EntityTrait};

use crate::domain::kinds::Role;
use crate::entity::{building, community, compound, district, dwelling, grid, subdistrict};
use crate::error::{AppError, AppResult, UserErrorCode};

/// What an action needs the right to do. Write permissions are decided by
/// [`permit`]; read permissions (`Read…`) by [`Caller::may_read`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, async_graphql::Enum, strum::EnumIter)]
pub enum Permission {
    /// Create or change subdistricts, communities and grids.
    ManageAdministrativeUnits,
    /// Create or change compounds, buildings, entrances, dwellings, persons,
    /// residencies and ownerships.
    ManageRegister,
    /// Run the compound's party branch and its members.
    ManagePartyBranch,
    /// Record the owners' committee, its elections and members.
    ManageCommittee,
    /// Sign and end property-service contracts.
    ManageContracts,
    /// Register and change property companies.
    ManagePropertyCompanies,
    /// Appoint and end chiefs.
    ManageChiefs,
    /// Record joint meetings of the three parties.
    RecordJointMeetings,
    /// Run the residents' council: its matters, steps, publications and answers to objections.
    ManageCouncil,
    /// Record the community's two committees (社区"两委") and their members.
    ManageCommunityCommittees,
    /// Create accounts and grant roles within the scope.
    ManageAccounts,
    /// See phone and ID numbers of the people in the scope.
    ReadPersonalData,
    /// Read the audit history of the scope.
    ReadAudit,
    /// See who lodged an objection to a publication.
    ReadObjectors,
    /// See a vote's register and how each owner voted.
    ReadBallots,
    /// Post a compound's responsibility placard (责任牌 / 亮牌).
    PostPlacards,
    /// Found, change and disband volunteer and service teams, keep their
    /// members and their activity log.
    ManageServiceTeams,
    /// Publish a community's responsibility lists (谁受益、谁担责) and link parties to them.
    ManageResponsibilityLists,
    /// Run people's-small-things projects (民生微实事): put them before the
    /// council, decide them, deliver them and record their acceptance.
    ManageProjects,
    /// Publish notices (公告) to a compound's residents and pin them.
    PublishNotices,
    /// Record residents' opinions (社情民意) collected in the scope.
    RecordOpinions,
    /// Answer residents' opinions.
    AnswerOpinions,
    /// Read the residents' opinions of the scope and who gave them.
    ReadOpinions,
    /// Keep a district's patrol catalogue and event categories (with its
    /// published list of small events), and a subdistrict's event handlers.
    ManageGridCatalogue,
    /// Report grid events (patrol, 巡) in the scope, check them and run the
    /// simple procedure of small events one reported.
    ReportGridEvents,
    /// Dispatch grid events to handlers (拨) and group them into joint actions.
    DispatchGridEvents,
    /// Read the grid events of the scope, their history and photos.
    ReadGridEvents,
    /// Run demonstration-compound evaluations: keep the rubrics (the city's,
    /// so only a platform-wide grant covers them) and run the campaigns of
    /// the level the grant covers.
    ManageEvaluations,
    /// Apply for a title on behalf of a compound or community (自愿申报): the
    /// epidemic-free campaigns take applications, not recommendations.
    ApplyForTitles,
    /// Score the entries one is assigned to, as an evaluator (评审专家); the
    /// assignment, not the grant, says which entries.
    ScoreEntries,
}

impl Permission {
    fn describe(self) -> &'static str {
        match self {
            Self::ManageAdministrativeUnits => "manage administrative units",
            Self::ManageRegister => "manage the register",
            Self::ManagePartyBranch => "manage the party branch",
            Self::ManageCommittee => "manage the owners' committee",
            Self::ManageContracts => "manage property contracts",
            Self::ManagePropertyCompanies => "manage property companies",
            Self::ManageChiefs => "appoint chiefs",
            Self::RecordJointMeetings => "record joint meetings",
            Self::ManageCouncil => "run the residents' council",
            Self::ManageCommunityCommittees => "record the community's committees",
            Self::ManageAccounts => "manage accounts",
            Self::ReadPersonalData => "read personal data",
            Self::ReadAudit => "read the audit history",
            Self::ReadObjectors => "see who objected",
            Self::ReadBallots => "see the register and the ballots",
            Self::PostPlacards => "post the responsibility placard",
            Self::ManageServiceTeams => "manage service teams",
            Self::ManageResponsibilityLists => "manage responsibility lists",
            Self::ManageProjects => "run people's small things",
            Self::PublishNotices => "publish notices",
            Self::RecordOpinions => "record residents' opinions",
            Self::AnswerOpinions => "answer residents' opinions",
            Self::ReadOpinions => "read residents' opinions",
            Self::ManageGridCatalogue => "keep the grid catalogue",
            Self::ReportGridEvents => "report grid events",
            Self::DispatchGridEvents => "dispatch grid events",
            Self::ReadGridEvents => "read grid events",
            Self::ManageEvaluations => "run evaluations",
            Self::ApplyForTitles => "apply for titles",
            Self::ScoreEntries => "score entries",
        }
    }

    /// Whether this permission reads rather than changes.
    pub fn is_read(self) -> bool {
        matches!(
            self,
            Self::ReadPersonalData
                | Self::ReadAudit
                | Self::ReadObjectors
                | Self::ReadBallots
                | Self::ReadOpinions
                | Self::ReadGridEvents
        )
    }
}

/// The whole policy: the permissions each role holds over its unit. Deny by
/// default: a permission added to the enum goes to no role until it is
/// written here.
pub fn permissions_of(role: Role) -> &'static [Permission] {
    use Permission::*;
    match role {
        Role::PlatformAdmin | Role::DistrictStaff | Role::SubdistrictStaff => &[
            ManageAdministrativeUnits,
            ManageRegister,
            ManagePartyBranch,
            ManageCommittee,
            ManageContracts,
            ManagePropertyCompanies,
            ManageChiefs,
            RecordJointMeetings,
            ManageCouncil,
            ManageCommunityCommittees,
            ManageAccounts,
            ReadPersonalData,
            ReadAudit,
            ReadObjectors,
            ReadBallots,
            PostPlacards,
            ManageServiceTeams,
            ManageResponsibilityLists,
            ManageProjects,
            PublishNotices,
            RecordOpinions,
            AnswerOpinions,
            ReadOpinions,
            // The district grid office keeps the catalogue and the list of
            // small events; the subdistrict its handlers.
            ManageGridCatalogue,
            ReportGridEvents,
            DispatchGridEvents,
            ReadGridEvents,
            // The city (platform-wide) keeps the rubrics and runs city and
            // province campaigns; a county (district) runs its own. A
            // subdistrict's grant covers neither: it recommends.
            ManageEvaluations,
            ApplyForTitles,
        ],
        // Property companies serve several communities: they are registered above them.
        Role::CommunityStaff => &[
            ManageAdministrativeUnits,
            ManageRegister,
            ManagePartyBranch,
            ManageCommittee,
            ManageContracts,
            ManageChiefs,
            RecordJointMeetings,
            ManageCouncil,
            ManageCommunityCommittees,
            ManageAccounts,
            ReadPersonalData,
            ReadAudit,
            ReadObjectors,
            ReadBallots,
            // The community answers for its compounds' placards and names its own responsible person.
            PostPlacards,
            ManageServiceTeams,
            ManageResponsibilityLists,
            ManageProjects,
            PublishNotices,
            RecordOpinions,
            AnswerOpinions,
            ReadOpinions,
            // The community's grid centre dispatches (拨) what its grids report.
            ReportGridEvents,
            DispatchGridEvents,
            ReadGridEvents,
            // A community applies for itself and its compounds (无疫社区/小区).
            ApplyForTitles,
        ],
        // The party organisation leads the council's procedure (它提议, 它主持).
        Role::BranchSecretary => &[
            ManagePartyBranch,
            ManageChiefs,
            RecordJointMeetings,
            ManageCouncil,
            ReadPersonalData,
            ReadAudit,
            ReadObjectors,
            ReadBallots,
            // The branch leads the compound's three parties (党建引领) and posts who answers for it (亮牌).
            PostPlacards,
            // Volunteer teams are organised by the community and, in a
            // compound, led by its party organisation (党建引领).
            ManageServiceTeams,
            // "群众点菜、党委实施": residents order, the party organisation delivers.
            ManageProjects,
            // Each of the three parties publishes to the compound's residents
            // and answers what residents say to it.
            PublishNotices,
            RecordOpinions,
            AnswerOpinions,
            ReadOpinions,
            // Each of the three parties may apply for its compound's title.
            ApplyForTitles,
        ],
        Role::CommitteeMember => &[
            ManageCommittee,
            ManageContracts,
            RecordJointMeetings,
            ReadPersonalData,
            ReadAudit,
            ReadObjectors,
            ReadBallots,
            PublishNotices,
            AnswerOpinions,
            ReadOpinions,
            ApplyForTitles,
        ],
        // Building chiefs in commodity housing are organised by the property company.
        Role::PropertyManager => &[
            ManageRegister,
            ManageChiefs,
            RecordJointMeetings,
            ReadPersonalData,
            ReadAudit,
            PublishNotices,
            AnswerOpinions,
            ReadOpinions,
            ApplyForTitles,
        ],
        // Grid workers and building chiefs collect residents' opinions
        // (民意反馈员, one of the six duties) in their grid or building, and
        // patrol it: they report what they find and check its rectification
        // (谁上报、谁核查).
        Role::GridWorker | Role::BuildingChief => {
            &[RecordOpinions, ReportGridEvents, ReadGridEvents]
        }
        // Evaluators score only what they are assigned to, and no staff
        // role scores: the one who runs a campaign does not also judge it.
        Role::Evaluator => &[ScoreEntries],
        Role::Resident => &[],
    }
}

/// Whether holding `role` (over the right unit) grants `permission`.
pub fn role_allows(role: Role, permission: Permission) -> bool {
    permissions_of(role).contains(&permission)
}

/// The rules under which a person acts for themself, with no role: each is
/// named, so the only permits not made by a role are these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelfService {
    /// An owner on a vote's register casts or changes their own ballot.
    CastOwnBallot,
    /// A resident or owner of the compound objects to a publication.
    LodgeOwnObjection,
    /// A person changes their own password.
    ChangeOwnPassword,
    /// A person corrects their own phone number, and nothing else of their record.
    CorrectOwnPhone,
    /// The leader of a service team, serving today, records and corrects its activity log.
    KeepOwnTeamLog,
    /// A resident of the compound proposes a people's-small-things project.
    ProposeProject,
    /// A resident of the compound supports a proposed project, once.
    SupportProject,
    /// A resident of the compound rates a project at acceptance, once.
    RateProject,
    /// A resident of the compound gives their own opinion about it.
    GiveOwnOpinion,
    /// A member of the handler a grid event is dispatched to reports its
    /// rectification (办); handlers act only on events dispatched to them.
    HandleDispatchedEvent,
}

/// Why a permit was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// A role of the actor holds this permission over the scope.
    Granted(Permission),
    /// A self-service rule; the domain function checks its conditions.
    SelfService(SelfService),
}

/// The right to make one change: proof that an access decision was taken.
/// Only this module makes permits, and audit and chain writes need one, so a
/// write path that skipped the decision does not compile.
#[derive(Debug, Clone)]
pub struct Permit<'a> {
    actor: &'a Actor,
    scope: Scope,
    basis: Basis,
}

impl<'a> Permit<'a> {
    /// Who acts.
    pub fn actor(&self) -> &'a Actor {
        self.actor
    }
    /// Where the permit holds.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }
    /// Why it was given.
    pub fn basis(&self) -> Basis {
        self.basis
    }
}

fn forbidden(permission: Permission) -> AppError {
    AppError::Forbidden(format!("you may not {} here", permission.describe()))
}

/// The access decision for a write: a permit if some role of the caller
/// holds `permission` over `scope`, else `Unauthenticated` or `Forbidden`.
pub fn permit<'a>(
    caller: &'a Caller,
    permission: Permission,
    scope: &Scope,
) -> AppResult<Permit<'a>> {
    let actor = caller.actor()?;
    if actor.can(permission, scope) {
        Ok(Permit {
            actor,
            scope: *scope,
            basis: Basis::Granted(permission),
        })
    } else {
        Err(forbidden(permission))
    }
}

/// A permit under a self-service rule, for an authenticated caller acting
/// for themself within `scope`. The domain function then checks the rule's
/// conditions (that the caller is on the register, lives there, …).
pub fn self_service<'a>(
    caller: &'a Caller,
    rule: SelfService,
    scope: &Scope,
) -> AppResult<Permit<'a>> {
    Ok(Permit {
        actor: caller.actor()?,
        scope: *scope,
        basis: Basis::SelfService(rule),
    })
}

/// The first half of a decision taken before a target is looked up: a
/// caller whose roles never carry `permission` is refused without a lookup,
/// so an ID that exists and one that does not get the same answer.
pub fn may_hold(caller: &Caller, permission: Permission) -> AppResult<&Actor> {
    let actor = caller.actor()?;
    if actor.holds(permission) {
        Ok(actor)
    } else {
        Err(forbidden(permission))
    }
}

/// The answer for a target that does not exist: only a caller who may act
/// everywhere learns that it is missing (a user error at `field`); anyone
/// else gets the `Forbidden` an existing target out of their reach gets.
pub fn missing(caller: &Caller, permission: Permission, field: &str, what: &str) -> AppError {
    match caller {
        Caller::Account(a) if a.reaches_everywhere(permission) => {
            AppError::invalid(field, UserErrorCode::NotFound, format!("no such {what}"))
        }
        Caller::Account(_) => forbidden(permission),
        Caller::Anonymous => AppError::Unauthenticated,
    }
}

/// The unit an action touches, with all its ancestors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scope {
    /// The district, when the action is at or below one (a subdistrict
    /// registered before districts were has none).
    pub district_id: Option<i64>,
    /// The subdistrict, unless the action is platform-wide or district-wide.
    pub subdistrict_id: Option<i64>,
    /// The community, when the action is at or below one.
    pub community_id: Option<i64>,
    /// The grid, when the action is at or below one (a building in a grid).
    pub grid_id: Option<i64>,
    /// The compound, when the action is at or below one.
    pub compound_id: Option<i64>,
    /// The building, when the action is at or below one.
    pub building_id: Option<i64>,
    /// The dwelling, when the action concerns one.
    pub dwelling_id: Option<i64>,
}

impl Scope {
    /// Platform-wide: only platform admins (and, for property companies, subdistrict staff) act here.
    pub const GLOBAL: Scope = Scope {
        district_id: None,
        subdistrict_id: None,
        community_id: None,
        grid_id: None,
        compound_id: None,
        building_id: None,
        dwelling_id: None,
    };

    /// The scope of a district.
    pub async fn of_district(db: &impl ConnectionTrait, id: i64) -> AppResult<Self> {
        district::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound("district".into()))?;
        Ok(Scope {
            district_id: Some(id),
            ..Scope::GLOBAL
        })
    }

    /// The scope of a subdistrict, within its district.
    pub async fn of_subdistrict(db: &impl ConnectionTrait, id: i64) -> AppResult<Self> {
        let s = subdistrict::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound("subdistrict".into()))?;
        Ok(Self::within_subdistrict(&s))
    }

    /// The scope of a subdistrict already loaded.
    pub fn within_subdistrict(s: &subdistrict::Model) -> Self {
        Scope {
            district_id: s.district_id,
            subdistrict_id: Some(s.id),
            ..Scope::GLOBAL
        }
    }

    /// The scope of a community, within its subdistrict and district (one
    /// query for both).
    pub async fn of_community(db: &impl ConnectionTrait, id: i64) -> AppResult<Self> {
        let (c, s) = community::Entity::find_by_id(id)
            .find_also_related(subdistrict::Entity)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound("community".into()))?;
        Ok(Scope {
            district_id: s.and_then(|s| s.district_id),
            subdistrict_id: Some(c.subdistrict_id),
            community_id: Some(id),
            ..Scope::GLOBAL
        })
    }

    /// The scope of a grid, within its community.
    pub async fn of_grid(db: &impl ConnectionTrait, id: i64) -> AppResult<Self> {
        let g = grid::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound("grid".into()))?;
        Ok(Scope {
            grid_id: Some(id),
            ..Self::of_community(db, g.community_id).await?
        })
    }

    /// The scope of a compound.
    pub async fn of_compound(db: &impl ConnectionTrait, id: i64) -> AppResult<Self> {
        let c = compound::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound("compound".into()))?;
        Ok(Scope {
            compound_id: Some(id),
            ..Self::of_community(db, c.community_id).await?
        })
    }

    /// The scope of a building, within its compound and its grid.
    pub async fn of_building(db: &impl ConnectionTrait, id: i64) -> AppResult<Self> {
        let b = building::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound("building".into()))?;
        Ok(Scope {
            building_id: Some(id),
            grid_id: b.grid_id,
            ..Self::of_compound(db, b.compound_id).await?
        })
    }

    /// The scope of a dwelling.
    pub async fn of_dwelling(db: &impl ConnectionTrait, id: i64) -> AppResult<Self> {
        let d = dwelling::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound("dwelling".into()))?;
        Ok(Scope {
            dwelling_id: Some(id),
            ..Self::of_building(db, d.building_id).await?
        })
    }
}

/// One role held over one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// The unit it is held over (`Scope::GLOBAL` for platform roles).
    pub scope: Scope,
}

impl Grant {
    /// Whether this grant's unit contains `scope`.
    pub fn covers(&self, scope: &Scope) -> bool {
        match self.role {
            Role::PlatformAdmin => true,
            // An evaluator's grant is platform-wide, and all it permits is
            // to score: which entries, its assignments say.
            Role::Evaluator => true,
            Role::DistrictStaff => {
                self.scope.district_id.is_some() && self.scope.district_id == scope.district_id
            }
            Role::SubdistrictStaff => {
                self.scope.subdistrict_id.is_some()
                    && self.scope.subdistrict_id == scope.subdistrict_id
            }
            Role::CommunityStaff => {
                self.scope.community_id.is_some() && self.scope.community_id == scope.community_id
            }
            Role::BranchSecretary | Role::CommitteeMember | Role::PropertyManager => {
                self.scope.compound_id.is_some() && self.scope.compound_id == scope.compound_id
            }
            Role::GridWorker => self.scope.grid_id.is_some() && self.scope.grid_id == scope.grid_id,
            Role::BuildingChief => {
                self.scope.building_id.is_some() && self.scope.building_id == scope.building_id
            }
            Role::Resident => {
                self.scope.dwelling_id.is_some() && self.scope.dwelling_id == scope.dwelling_id
            }
        }
    }
}

/// An authenticated account and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The account.
    pub account_id: i64,
    /// The login name.
    pub username: String,
    /// The person the account belongs to, if linked.
    pub person_id: Option<i64>,
    /// The token this request presented, so `logout` can revoke it.
    pub token_id: i64,
    /// When that token expires: nothing the caller reads may be kept for
    /// them past it (the read cache).
    pub token_expires_at: chrono::DateTime<chrono::Utc>,
    /// Active grants.
    pub grants: Vec<Grant>,
    /// Communities whose people's personal data this actor may read as staff.
    pub staff_communities: HashSet<i64>,
}

impl Actor {
    /// Whether the actor is district or subdistrict staff somewhere:
    /// property companies serve several communities and subdistricts, so
    /// such staff register them platform-wide.
    fn is_above_communities(&self) -> bool {
        self.grants
            .iter()
            .any(|g| matches!(g.role, Role::DistrictStaff | Role::SubdistrictStaff))
    }

    /// Whether the actor is a platform admin.
    pub fn is_admin(&self) -> bool {
        self.grants.iter().any(|g| g.role == Role::PlatformAdmin)
    }

    /// Whether some grant allows `permission` over `scope`.
    pub fn can(&self, permission: Permission, scope: &Scope) -> bool {
        self.grants
            .iter()
            .any(|g| role_allows(g.role, permission) && g.covers(scope))
            || (permission == Permission::ManagePropertyCompanies && self.is_above_communities())
    }

    /// Whether any role of the actor carries `permission`, over any unit.
    pub fn holds(&self, permission: Permission) -> bool {
        self.grants.iter().any(|g| role_allows(g.role, permission))
    }

    /// Whether the actor may do `permission` over every unit there is.
    pub fn reaches_everywhere(&self, permission: Permission) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == Role::PlatformAdmin && role_allows(g.role, permission))
            || (permission == Permission::ManagePropertyCompanies && self.is_above_communities())
    }

    /// Compounds over which the actor holds a role with `permission`.
    pub fn compounds_with(&self, permission: Permission) -> impl Iterator<Item = i64> + '_ {
        self.grants
            .iter()
            .filter(move |g| role_allows(g.role, permission))
            .filter_map(|g| g.scope.compound_id)
    }
}

/// Whoever is calling.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Caller {
    /// No token, or an invalid one.
    #[default]
    Anonymous,
    /// A valid token of an account.
    Account(Actor),
}

impl Caller {
    /// The actor, or `Unauthenticated`.
    pub fn actor(&self) -> AppResult<&Actor> {
        match self {
            Caller::Anonymous => Err(AppError::Unauthenticated),
            Caller::Account(a) => Ok(a),
        }
    }

    /// The actor, if it may read what `permission` (a `Read…` permission)
    /// covers over `scope`; otherwise `Unauthenticated` or `Forbidden`.
    /// Writes are decided by [`permit`] instead.
    pub fn may_read(&self, permission: Permission, scope: &Scope) -> AppResult<&Actor> {
        debug_assert!(
            permission.is_read(),
            "{permission:?} is not a read permission"
        );
        let actor = self.actor()?;
        if actor.can(permission, scope) {
            Ok(actor)
        } else {
            Err(forbidden(permission))
        }
    }

    /// Whether the caller may read what `permission` covers over `scope`.
    pub fn can_read(&self, permission: Permission, scope: &Scope) -> bool {
        self.may_read(permission, scope).is_ok()
    }

    /// Whether the caller may read the personal data of `person_id`,
    /// registered in `community_id` and tied (by residence, ownership or
    /// membership) to `ties`, pairs of (compound, its community): the
    /// person themself, platform admins, staff over the person's community
    /// or over a community where they are tied, and compound roles of a
    /// compound they are tied to.
    pub fn may_read_personal_data(
        &self,
        person_id: i64,
        community_id: i64,
        ties: &[(i64, i64)],
    ) -> bool {
        let Caller::Account(actor) = self else {
            return false;
        };
        actor.is_admin()
            || actor.person_id == Some(person_id)
            || actor.staff_communities.contains(&community_id)
            || ties
                .iter()
                .any(|(_, c)| actor.staff_communities.contains(c))
            || actor
                .compounds_with(Permission::ReadPersonalData)
                .any(|c| ties.iter().any(|(t, _)| *t == c))
    }
}

/// Whether `granter` may hand out (or take back) `role` over `scope`:
/// platform roles only platform admins; otherwise anyone managing accounts
/// over that scope, and never a staff role above the granter's own level
/// (district staff only district staff make; subdistrict staff, district or
/// subdistrict staff).
fn may_grant(granter: &Actor, role: Role, scope: &Scope) -> bool {
    if granter.is_admin() {
        return true;
    }
    let staff_rank = |r: Role| match r {
        Role::DistrictStaff => 2,
        Role::SubdistrictStaff => 1,
        _ => 0,
    };
    match role.scope_level() {
        None => false,
        Some(_) => {
            let may_make_staff = granter
                .grants
                .iter()
                .any(|g| staff_rank(g.role) >= staff_rank(role));
            granter.can(Permission::ManageAccounts, scope) && may_make_staff
        }
    }
}

/// A permit to manage accounts over `scope` if `granter` may hand out
/// `role` there, else `Forbidden` with `refusal`.
fn permit_over_role<'a>(
    caller: &'a Caller,
    role: Role,
    scope: &Scope,
    refusal: &str,
) -> AppResult<Permit<'a>> {
    let actor = caller.actor()?;
    if may_grant(actor, role, scope) {
        Ok(Permit {
            actor,
            scope: *scope,
            basis: Basis::Granted(Permission::ManageAccounts),
        })
    } else {
        Err(AppError::Forbidden(refusal.to_owned()))
    }
}

/// The access decision for granting `role` over `scope` (the full scope of
/// the role's unit): platform roles only platform admins grant; other roles
/// anyone managing accounts over the unit, subdistrict staff only
/// subdistrict staff.
pub fn permit_grant<'a>(caller: &'a Caller, role: Role, scope: &Scope) -> AppResult<Permit<'a>> {
    permit_over_role(caller, role, scope, "you may not grant this role here")
}

/// The access decision for revoking a grant of `role` over `scope`: whoever
/// may grant a role somewhere may take it back there.
pub fn permit_revoke<'a>(caller: &'a Caller, role: Role, scope: &Scope) -> AppResult<Permit<'a>> {
    permit_over_role(caller, role, scope, "you may not revoke this role")
}

/// The access decision for creating an account. Anyone who manages accounts
/// over some unit may create one, since its powers come only from roles
/// granted afterwards. Linking it to a person gives it that person's
/// personal data, so then `person` (the scope of the person's community)
/// must be within the caller's reach. The permit holds over that community,
/// or platform-wide for an account linked to nobody (an account belongs to
/// no unit).
pub fn permit_create_account<'a>(
    caller: &'a Caller,
    person: Option<&Scope>,
) -> AppResult<Permit<'a>> {
    let actor = caller.actor()?;
    if !actor.holds(Permission::ManageAccounts) {
        return Err(AppError::Forbidden("you may not manage accounts".into()));
    }
    let scope = match person {
        Some(scope) if !actor.can(Permission::ManageAccounts, scope) => {
            return Err(AppError::Forbidden(
                "you may not link accounts to people outside your unit".into(),
            ));
        }
        Some(scope) => *scope,
        None => Scope::GLOBAL,
    };
    Ok(Permit {
        actor,
        scope,
        basis: Basis::Granted(Permission::ManageAccounts),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(sd: i64, c: Option<i64>, cp: Option<i64>) -> Scope {
        Scope {
            subdistrict_id: Some(sd),
            community_id: c,
            compound_id: cp,
            ..Scope::GLOBAL
        }
    }

    fn actor(grants: Vec<Grant>) -> Actor {
        Actor {
            account_id: 1,
            username: "a".into(),
            person_id: None,
            token_id: 1,
            token_expires_at: chrono::DateTime::<chrono::Utc>::MAX_UTC,
            grants,
            staff_communities: HashSet::new(),
        }
    }

    #[test]
    fn a_committee_member_of_one_compound_cannot_touch_another() {
        let a = actor(vec![Grant {
            role: Role::CommitteeMember,
            scope: scope(1, Some(10), Some(100)),
        }]);
        assert!(a.can(Permission::ManageCommittee, &scope(1, Some(10), Some(100))));
        assert!(!a.can(Permission::ManageCommittee, &scope(1, Some(10), Some(101))));
        assert!(!a.can(
            Permission::ManagePartyBranch,
            &scope(1, Some(10), Some(100))
        ));
    }

    #[test]
    fn staff_reach_everything_below_their_unit_only() {
        let a = actor(vec![Grant {
            role: Role::CommunityStaff,
            scope: scope(1, Some(10), None),
        }]);
        assert!(a.can(Permission::ManageChiefs, &scope(1, Some(10), Some(100))));
        assert!(!a.can(Permission::ManageChiefs, &scope(1, Some(11), Some(200))));
        // Creating a community happens at subdistrict level, above community staff.
        assert!(!a.can(Permission::ManageAdministrativeUnits, &scope(1, None, None)));
    }

    #[test]
    fn anonymous_callers_are_unauthenticated_not_forbidden() {
        let err = permit(
            &Caller::Anonymous,
            Permission::ManageRegister,
            &Scope::GLOBAL,
        )
        .unwrap_err();
        assert!(matches!(err, AppError::Unauthenticated));
    }

    #[test]
    fn grid_and_building_grants_cover_what_lies_within_them() {
        let within = |grid, building| Scope {
            grid_id: grid,
            building_id: building,
            dwelling_id: Some(9),
            ..scope(1, Some(10), Some(100))
        };
        let worker = Grant {
            role: Role::GridWorker,
            scope: Scope {
                grid_id: Some(3),
                ..Scope::GLOBAL
            },
        };
        assert!(worker.covers(&within(Some(3), Some(5))));
        assert!(!worker.covers(&within(Some(4), Some(5))));
        assert!(!worker.covers(&within(None, Some(5))));
        let chief = Grant {
            role: Role::BuildingChief,
            scope: Scope {
                building_id: Some(5),
                ..Scope::GLOBAL
            },
        };
        assert!(chief.covers(&within(Some(3), Some(5))));
        assert!(!chief.covers(&within(Some(3), Some(6))));
        // Covering is not permission: both only record opinions and
        // report, check and read grid events.
        let a = actor(vec![worker, chief]);
        let theirs = [
            Permission::RecordOpinions,
            Permission::ReportGridEvents,
            Permission::ReadGridEvents,
        ];
        assert!(
            <Permission as strum::IntoEnumIterator>::iter()
                .all(|p| a.holds(p) == theirs.contains(&p))
        );
    }

    /// The policy, written out once more: a permission added to the enum
    /// fails this test until it is given to roles on purpose, here and in
    /// `permissions_of`.
    #[test]
    fn every_permission_goes_only_to_the_roles_listed_for_it() {
        use Permission::*;
        use Role::*;
        let everyone_above = [
            PlatformAdmin,
            DistrictStaff,
            SubdistrictStaff,
            CommunityStaff,
        ];
        for p in <Permission as strum::IntoEnumIterator>::iter() {
            let expected: Vec<Role> = match p {
                ManageAdministrativeUnits | ManageAccounts | ManageCommunityCommittees => {
                    everyone_above.to_vec()
                }
                ManagePropertyCompanies => vec![PlatformAdmin, DistrictStaff, SubdistrictStaff],
                ManageRegister => [&everyone_above[..], &[PropertyManager]].concat(),
                ManagePartyBranch | ManageCouncil => {
                    [&everyone_above[..], &[BranchSecretary]].concat()
                }
                ManageCommittee | ManageContracts => {
                    [&everyone_above[..], &[CommitteeMember]].concat()
                }
                ManageChiefs => [&everyone_above[..], &[BranchSecretary, PropertyManager]].concat(),
                RecordJointMeetings | ReadPersonalData | ReadAudit => [
                    &everyone_above[..],
                    &[BranchSecretary, CommitteeMember, PropertyManager],
                ]
                .concat(),
                ReadObjectors | ReadBallots => {
                    [&everyone_above[..], &[BranchSecretary, CommitteeMember]].concat()
                }
                PostPlacards => [&everyone_above[..], &[BranchSecretary]].concat(),
                ManageServiceTeams | ManageProjects => {
                    [&everyone_above[..], &[BranchSecretary]].concat()
                }
                PublishNotices | AnswerOpinions | ReadOpinions => [
                    &everyone_above[..],
                    &[BranchSecretary, CommitteeMember, PropertyManager],
                ]
                .concat(),
                RecordOpinions => [
                    &everyone_above[..],
                    &[BranchSecretary, GridWorker, BuildingChief],
                ]
                .concat(),
                ManageResponsibilityLists => everyone_above.to_vec(),
                ManageGridCatalogue => vec![PlatformAdmin, DistrictStaff, SubdistrictStaff],
                DispatchGridEvents => everyone_above.to_vec(),
                ReportGridEvents | ReadGridEvents => {
                    [&everyone_above[..], &[GridWorker, BuildingChief]].concat()
                }
                ManageEvaluations => vec![PlatformAdmin, DistrictStaff, SubdistrictStaff],
                ApplyForTitles => [
                    &everyone_above[..],
                    &[BranchSecretary, CommitteeMember, PropertyManager],
                ]
                .concat(),
                ScoreEntries => vec![Evaluator],
            };
            let actual: Vec<Role> = <Role as sea_orm::Iterable>::iter()
                .filter(|r| role_allows(*r, p))
                .collect();
            assert_eq!(actual, expected, "{p:?}");
        }
    }
}
