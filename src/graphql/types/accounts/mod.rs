//! Accounts, login and role grants, and `me`: who may log in and the roles
//! that give them their powers. What a role allows and where is decided in
//! `domain::access`; the units roles are held over are the register's.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::domain::access::{Actor, Caller, Permission, permissions_of};
use std::net::{IpAddr, Ipv4Addr};

use crate::domain::accounts::throttle::{Attempt, Verdict};
use crate::domain::accounts::{self, GrantTarget, NewAccount};
use crate::domain::kinds::{Role, ScopeLevel};
use crate::domain::values::Name;
use crate::entity::{account, role_grant};
use crate::error::AppError;
use crate::graphql::errors::outcome;
use crate::graphql::id::{NodeKind, decode, encode, input_id, input_id_opt};
use crate::graphql::loaders::{GrantsOfAccount, by_id, children};
use crate::graphql::{Outcome, UserError};
use crate::graphql::{caller, clock, config, db, loaders, mutate, mutate_as_anyone, payload};
use crate::http::ClientAddress;

/// A login account. Its powers come from its role grants.
pub struct Account(pub account::Model);

/// A login account. Its powers come from its role grants.
#[Object]
impl Account {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Account, self.0.id)
    }
    /// Login name.
    async fn username(&self) -> &str {
        &self.0.username
    }
    /// Name shown to others.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    /// Whether the account is disabled (it cannot log in).
    async fn disabled(&self) -> bool {
        self.0.disabled
    }
    /// When the account was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The ID of the person the account belongs to, if linked.
    async fn person_id(&self) -> Option<ID> {
        self.0.person_id.map(|p| encode(NodeKind::Person, p))
    }
    /// Roles granted to the account, current and revoked.
    async fn grants(&self, ctx: &Context<'_>) -> Result<Vec<RoleGrant>> {
        Ok(children::<GrantsOfAccount>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(RoleGrant)
            .collect())
    }
}

/// A role held by an account over a unit.
pub struct RoleGrant(pub role_grant::Model);

/// A role held by an account over a unit.
#[Object]
impl RoleGrant {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::RoleGrant, self.0.id)
    }
    /// The role.
    async fn role(&self) -> Role {
        self.0.role
    }
    /// The level of unit it is held over; null for platform-wide roles.
    async fn scope_level(&self) -> Option<ScopeLevel> {
        self.0.role.scope_level()
    }
    /// The ID of the district, subdistrict, community, grid, compound, building or dwelling it is held over.
    async fn scope_id(&self) -> Option<ID> {
        let g = &self.0;
        g.district_id
            .map(|i| encode(NodeKind::District, i))
            .or(g.subdistrict_id.map(|i| encode(NodeKind::Subdistrict, i)))
            .or(g.community_id.map(|i| encode(NodeKind::Community, i)))
            .or(g.grid_id.map(|i| encode(NodeKind::Grid, i)))
            .or(g.compound_id.map(|i| encode(NodeKind::Compound, i)))
            .or(g.building_id.map(|i| encode(NodeKind::Building, i)))
            .or(g.dwelling_id.map(|i| encode(NodeKind::Dwelling, i)))
    }
    /// What the role allows over that unit.
    async fn permissions(&self) -> Vec<Permission> {
        permissions_of(self.0.role).to_vec()
    }
    /// When it was granted.
    async fn granted_at(&self) -> DateTime<Utc> {
        self.0.granted_at
    }
    /// When it was revoked; null while in force.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
    /// The account holding it.
    async fn account(&self, ctx: &Context<'_>) -> Result<Option<Account>> {
        Ok(by_id::<account::Entity>(loaders(ctx)?, self.0.account_id)
            .await?
            .map(Account))
    }
}

/// The caller: who they are and what they may do.
pub struct Viewer(Actor);

/// The caller: who they are and what they may do.
#[Object]
impl Viewer {
    /// The caller's account.
    async fn account(&self, ctx: &Context<'_>) -> Result<Option<Account>> {
        Ok(by_id::<account::Entity>(loaders(ctx)?, self.0.account_id)
            .await?
            .map(Account))
    }
    /// Whether the caller is a platform admin, who may do everything.
    async fn is_platform_admin(&self) -> bool {
        self.0.is_admin()
    }
    /// The roles the caller holds now, each with what it allows and where.
    async fn grants(&self, ctx: &Context<'_>) -> Result<Vec<RoleGrant>> {
        Ok(
            children::<GrantsOfAccount>(loaders(ctx)?, self.0.account_id)
                .await?
                .into_iter()
                .filter(|g| g.revoked_at.is_none())
                .map(RoleGrant)
                .collect(),
        )
    }
}

/// Queries about the caller.
#[derive(Default)]
pub struct AccountQuery;

/// Queries about the caller.
#[Object]
impl AccountQuery {
    /// The caller, or null when the request carries no valid token.
    async fn me(&self, ctx: &Context<'_>) -> Option<Viewer> {
        match caller(ctx) {
            Caller::Anonymous => None,
            Caller::Account(actor) => Some(Viewer(actor.clone())),
        }
    }
}

/// Input of `login`.
#[derive(InputObject)]
pub struct LoginInput {
    /// Login name (at most 64 characters).
    pub username: String,
    /// Password (at most 128 characters).
    #[graphql(secret)]
    pub password: String,
}

/// Result of `login`.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// The bearer token: send it as `Authorization: Bearer <token>`. Shown only once.
    pub token: Option<String>,
    /// When the token stops working.
    pub expires_at: Option<DateTime<Utc>>,
    /// The account logged in.
    pub account: Option<Account>,
    /// After too many failed attempts (`TOO_MANY_ATTEMPTS`), the seconds
    /// until another attempt for this account or from this address is heard.
    pub retry_after_seconds: Option<i64>,
    /// Why the login failed; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Result of `logout`.
#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// Whether the token was revoked.
    pub revoked: bool,
    /// Why it failed; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Input of `createAccount`.
#[derive(InputObject)]
pub struct CreateAccountInput {
    /// Login name: 3–64 letters, digits, '.', '_' or '-' (at most 64 characters).
    pub username: String,
    /// Initial password, at least 10 and at most 128 characters.
    #[graphql(secret)]
    pub password: String,
    /// Name shown to others (at most 100 characters).
    pub display_name: String,
    /// The person the account belongs to.
    pub person_id: Option<ID>,
}

/// Input of `grantRole`.
#[derive(InputObject)]
pub struct GrantRoleInput {
    /// The account.
    pub account_id: ID,
    /// The role.
    pub role: Role,
    /// The unit it is held over: a subdistrict, community, grid, compound, building or dwelling ID
    /// matching the role's scope level; omitted for platform-wide roles.
    pub scope_id: Option<ID>,
}

/// Input of `revokeRole`.
#[derive(InputObject)]
pub struct RevokeRoleInput {
    /// The grant to revoke.
    pub grant_id: ID,
}

/// Input of `changePassword`.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    /// The current password (at most 128 characters).
    #[graphql(secret)]
    pub current_password: String,
    /// The new password, at least 10 and at most 128 characters.
    #[graphql(secret)]
    pub new_password: String,
}

payload!(
    /// Result of creating an account or changing its password.
    AccountPayload {
        /// The account as saved.
        account: Account
    }
);
payload!(
    /// Result of granting or revoking a role.
    RoleGrantPayload {
        /// The grant as saved.
        grant: RoleGrant
    }
);

/// Mutations of accounts and access.
#[derive(Default)]
pub struct AccountMutation;

/// Mutations of accounts and access.
#[Object]
impl AccountMutation {
    /// Logs in with a username and password and returns a bearer token.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: LoginInput,
    ) -> Result<LoginPayload> {
        let failed = |user_errors, retry_after_seconds| LoginPayload {
            token: None,
            expires_at: None,
            account: None,
            retry_after_seconds,
            user_errors,
        };
        let address = ctx
            .data_opt::<ClientAddress>()
            .map(|a| a.0)
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let attempt = Attempt::new(&input.username, address);
        let judged = attempt
            .judge(db(ctx)?, clock(ctx)?.now(), &input.password)
            .await;
        let verdict = match outcome(judged)? {
            Ok(verdict) => verdict,
            Err(user_errors) => return Ok(failed(user_errors, None)),
        };
        let Verdict::Right(acc) = verdict else {
            let retry_after_seconds = match verdict {
                Verdict::Locked {
                    retry_after_seconds,
                } => Some(retry_after_seconds),
                _ => {
                    mutate_as_anyone(ctx, async |uow| attempt.failed(uow.db(), uow.now()).await)
                        .await?
                        .map_err(|_| AppError::Internal("counting a failed login".into()))?;
                    None
                }
            };
            let user_errors = verdict.refusal().into_iter().map(UserError::from).collect();
            return Ok(failed(user_errors, retry_after_seconds));
        };
        let ttl = config(ctx)?.token_ttl;
        let issued = mutate_as_anyone(ctx, async |uow| {
            attempt.succeeded(uow.db()).await?;
            accounts::issue_token(uow.db(), uow.now(), acc, ttl).await
        })
        .await?;
        Ok(match issued {
            Ok(issued) => LoginPayload {
                token: Some(issued.token),
                expires_at: Some(issued.expires_at),
                account: Some(Account(issued.account)),
                retry_after_seconds: None,
                user_errors: Vec::new(),
            },
            Err(user_errors) => failed(user_errors, None),
        })
    }

    /// Revokes the token this request was made with.
    async fn logout(&self, ctx: &Context<'_>) -> Result<LogoutPayload> {
        let outcome = mutate(ctx, async |uow| {
            let token_id = uow.caller().actor()?.token_id;
            accounts::logout(uow.db(), uow.now(), token_id).await
        })
        .await?;
        Ok(match outcome {
            Ok(()) => LogoutPayload {
                revoked: true,
                user_errors: Vec::new(),
            },
            Err(user_errors) => LogoutPayload {
                revoked: false,
                user_errors,
            },
        })
    }

    /// Changes the caller's password; their other tokens are revoked.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: ChangePasswordInput,
    ) -> Result<AccountPayload> {
        let database = db(ctx)?;
        let prepared = async {
            accounts::check_current_password(database, caller(ctx), &input.current_password)
                .await?;
            accounts::prepare_password(&input.new_password, "new_password").await
        }
        .await;
        let new_hash = match outcome(prepared)? {
            Ok(h) => h,
            Err(user_errors) => return Ok(Outcome::<Account>::Err(user_errors).into()),
        };
        let outcome = mutate(ctx, async |uow| {
            accounts::change_password(uow, new_hash).await
        })
        .await?;
        Ok(outcome.map(Account).into())
    }

    /// Creates an account. Its powers come only from roles granted afterwards.
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateAccountInput,
    ) -> Result<AccountPayload> {
        caller(ctx).actor()?;
        let password_hash =
            match outcome(accounts::prepare_password(&input.password, "password").await)? {
                Ok(h) => h,
                Err(user_errors) => return Ok(Outcome::<Account>::Err(user_errors).into()),
            };
        let outcome = mutate(ctx, async |uow| {
            let new = NewAccount {
                username: input.username,
                password_hash,
                display_name: Name::parse(&input.display_name, "display_name")?,
                person_id: input_id_opt(input.person_id.as_ref(), NodeKind::Person, "person_id")?,
            };
            accounts::create_account(uow, new).await
        })
        .await?;
        Ok(outcome.map(Account).into())
    }

    /// Grants a role over a unit. Staff may grant roles within their own unit;
    /// platform-wide roles only platform admins.
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: GrantRoleInput,
    ) -> Result<RoleGrantPayload> {
        let outcome = mutate(ctx, async |uow| {
            let account = input_id(&input.account_id, NodeKind::Account, "account_id")?;
            let unit_id = match (&input.scope_id, input.role.scope_level()) {
                (None, _) => None,
                (Some(id), level) => {
                    let expected = match level {
                        Some(ScopeLevel::District) => NodeKind::District,
                        Some(ScopeLevel::Subdistrict) => NodeKind::Subdistrict,
                        Some(ScopeLevel::Community) => NodeKind::Community,
                        Some(ScopeLevel::Grid) => NodeKind::Grid,
                        Some(ScopeLevel::Compound) => NodeKind::Compound,
                        Some(ScopeLevel::Building) => NodeKind::Building,
                        Some(ScopeLevel::Dwelling) => NodeKind::Dwelling,
                        None => decode(id).map(|(k, _)| k).unwrap_or(NodeKind::Subdistrict),
                    };
                    Some(input_id(id, expected, "scope_id")?)
                }
            };
            let target = GrantTarget {
                role: input.role,
                unit_id,
            };
            accounts::grant_role(uow, account, target).await
        })
        .await?;
        Ok(outcome.map(RoleGrant).into())
    }

    /// Revokes a grant; it stays on record as revoked.
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RevokeRoleInput,
    ) -> Result<RoleGrantPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.grant_id, NodeKind::RoleGrant, "grant_id")?;
            accounts::revoke_role(uow, id).await
        })
        .await?;
        Ok(outcome.map(RoleGrant).into())
    }
}
