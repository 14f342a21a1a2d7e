//! Who may do what, where.
//!
//! A caller is anonymous or an account holding role grants, each over a
//! scope (a subdistrict, community, compound or dwelling). An action names a
//! `Permission` and the `Scope` it touches; the scope carries all its
//! ancestors, so a grant matches when its unit is one of them. The role ×
//! permission table below is the whole policy.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, EntityTrait};

use crate::domain::kinds::Role;
use crate::entity::{building, community, compound, dwelling, grid, subdistrict};
use crate::error::{AppError, AppResult};

/// What an action needs the right to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
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
    /// See phone and ID numbers of the people in the scope.
    ReadPersonalData,
    /// Read the audit history of the scope.
    ReadAudit,
    /// Create accounts and grant roles within the scope.
    ManageAccounts,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 12] = [
        Permission::ManageAdministrativeUnits,
        Permission::ManageRegister,
        Permission::ManagePartyBranch,
        Permission::ManageCommittee,
        Permission::ManageContracts,
        Permission::ManagePropertyCompanies,
        Permission::ManageChiefs,
        Permission::RecordJointMeetings,
        Permission::ManageCouncil,
        Permission::ReadPersonalData,
        Permission::ReadAudit,
        Permission::ManageAccounts,
    ];

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
            Self::ReadPersonalData => "read personal data",
            Self::ReadAudit => "read the audit history",
            Self::ManageAccounts => "manage accounts",
        }
    }
}

/// Whether holding `role` (over the right unit) grants `permission`.
pub fn role_allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match role {
        Role::PlatformAdmin | Role::SubdistrictStaff => true,
        Role::CommunityStaff => permission != ManagePropertyCompanies,
        // The party organisation leads the council's procedure (它提议, 它主持).
        Role::BranchSecretary => matches!(
            permission,
            ManagePartyBranch
                | ManageChiefs
                | RecordJointMeetings
                | ManageCouncil
                | ReadPersonalData
                | ReadAudit
        ),
        Role::CommitteeMember => matches!(
            permission,
            ManageCommittee | ManageContracts | RecordJointMeetings | ReadPersonalData | ReadAudit
        ),
        // Building chiefs in commodity housing are organised by the property company.
        Role::PropertyManager => matches!(
            permission,
            ManageRegister | ManageChiefs | RecordJointMeetings | ReadPersonalData | ReadAudit
        ),
        Role::Resident | Role::Evaluator => false,
    }
}

/// The unit an action touches, with all its ancestors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scope {
    /// The subdistrict, unless the action is platform-wide.
    pub subdistrict_id: Option<i64>,
    /// The community, when the action is at or below one.
    pub community_id: Option<i64>,
    /// The compound, when the action is at or below one.
    pub compound_id: Option<i64>,
    /// The dwelling, when the action concerns one.
    pub dwelling_id: Option<i64>,
}

impl Scope {
    /// Platform-wide: only platform admins (and, for property companies, subdistrict staff) act here.
    pub const GLOBAL: Scope = Scope {
        subdistrict_id: None,
        community_id: None,
        compound_id: None,
        dwelling_id: None,
    };

    /// The scope of a subdistrict.
    pub async fn of_subdistrict(db: &impl ConnectionTrait, id: i64) -> AppResult<Self> {
        subdistrict::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound("subdistrict".into()))?;
        Ok(Scope {
            subdistrict_id: Some(id),
            ..Scope::GLOBAL
        })
    }

    /// The scope of a community.
    pub async fn of_community(db: &impl ConnectionTrait, id: i64) -> AppResult<Self> {
        let c = community::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound("community".into()))?;
        Ok(Scope {
            subdistrict_id: Some(c.subdistrict_id),
            community_id: Some(id),
            ..Scope::GLOBAL
        })
    }

    /// The scope of a grid: its community.
    pub async fn of_grid(db: &impl ConnectionTrait, id: i64) -> AppResult<Self> {
        let g = grid::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound("grid".into()))?;
        Self::of_community(db, g.community_id).await
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

    /// The scope of a building: its compound.
    pub async fn of_building(db: &impl ConnectionTrait, id: i64) -> AppResult<Self> {
        let b = building::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound("building".into()))?;
        Self::of_compound(db, b.compound_id).await
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
            Role::Evaluator => false,
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
    /// Active grants.
    pub grants: Vec<Grant>,
    /// Communities whose people's personal data this actor may read as staff.
    pub staff_communities: HashSet<i64>,
}

impl Actor {
    /// Whether the actor is a platform admin.
    pub fn is_admin(&self) -> bool {
        self.grants.iter().any(|g| g.role == Role::PlatformAdmin)
    }

    /// Whether some grant allows `permission` over `scope`.
    pub fn can(&self, permission: Permission, scope: &Scope) -> bool {
        self.grants
            .iter()
            .any(|g| role_allows(g.role, permission) && g.covers(scope))
            || (permission == Permission::ManagePropertyCompanies
                && self.grants.iter().any(|g| g.role == Role::SubdistrictStaff))
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

    /// The actor, if it may do `permission` over `scope`; otherwise the
    /// error to return (`Unauthenticated` or `Forbidden`).
    pub fn require(&self, permission: Permission, scope: &Scope) -> AppResult<&Actor> {
        let actor = self.actor()?;
        if actor.can(permission, scope) {
            Ok(actor)
        } else {
            Err(AppError::Forbidden(format!(
                "you may not {} here",
                permission.describe()
            )))
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(sd: i64, c: Option<i64>, cp: Option<i64>) -> Scope {
        Scope {
            subdistrict_id: Some(sd),
            community_id: c,
            compound_id: cp,
            dwelling_id: None,
        }
    }

    fn actor(grants: Vec<Grant>) -> Actor {
        Actor {
            account_id: 1,
            username: "a".into(),
            person_id: None,
            token_id: 1,
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
        let err = Caller::Anonymous
            .require(Permission::ManageRegister, &Scope::GLOBAL)
            .unwrap_err();
        assert!(matches!(err, AppError::Unauthenticated));
    }
}
