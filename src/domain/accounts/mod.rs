//! Accounts, login tokens and role grants.
//!
//! Passwords are hashed with argon2id; bearer tokens are 256 random bits
//! shown to the client once and stored only as their SHA-256, so a leaked
//! database yields no usable token. A token expires after the configured
//! time and is revoked by logout.

pub mod throttle;

use std::collections::HashSet;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    QueryFilter,
};
use sha2::{Digest, Sha256};

use crate::domain::access::{self, Actor, Caller, Grant, Permission, Scope, SelfService};
use crate::domain::audit::{self, Subject};
use crate::domain::clock::Clock;
use crate::domain::kinds::{Role, ScopeLevel};
use crate::domain::operation::Operation;
use crate::domain::store;
use crate::domain::unit_of_work::UnitOfWork;
use crate::entity::{account, auth_token, community, person, role_grant, subdistrict};
use crate::error::{AppError, AppResult, UserErrorCode};

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 10;
/// Longest password accepted (argon2 cost grows with input).
pub const MAX_PASSWORD_LEN: usize = 128;
/// Shortest username.
pub const MIN_USERNAME_LEN: usize = 3;
/// Longest username (letters, digits, '.', '_' and '-' only).
pub const MAX_USERNAME_LEN: usize = 64;

/// argon2id with OWASP's first recommended parameters (Password Storage
/// cheat sheet): 19 MiB of memory, 2 iterations, 1 degree of parallelism.
/// Hashes stored with other parameters are still verified by their own.
fn argon2() -> Argon2<'static> {
    let params = argon2::Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// Hashes a password with argon2id and a fresh salt.
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing failed: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Refuses a login whose username or password is longer than any
/// account's can be, before the throttle, the lookup or argon2 (whose work
/// grows with the password) spend anything on it.
pub fn check_login_lengths(username: &str, password: &str) -> AppResult<()> {
    if username.trim().chars().count() > MAX_USERNAME_LEN {
        return Err(AppError::invalid(
            "username",
            UserErrorCode::TooLong,
            format!("a username has at most {MAX_USERNAME_LEN} characters"),
        ));
    }
    check_password_length(password, "password")
}

/// Refuses a password longer than any the policy accepts.
fn check_password_length(password: &str, field: &str) -> AppResult<()> {
    if password.chars().count() > MAX_PASSWORD_LEN {
        return Err(AppError::invalid(
            field,
            UserErrorCode::TooLong,
            format!("a password has at most {MAX_PASSWORD_LEN} characters"),
        ));
    }
    Ok(())
}

/// Checks a new password against the policy.
pub fn check_password_policy(password: &str, field: &str) -> AppResult<()> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(AppError::invalid(
            field,
            UserErrorCode::Invalid,
            format!("a password needs at least {MIN_PASSWORD_LEN} characters"),
        ));
    }
    check_password_length(password, field)
}

fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A freshly issued bearer token.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The token to send as `Authorization: Bearer …`; never stored.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// The account it belongs to.
    pub account: account::Model,
}

/// Runs argon2 off the async workers: a hash takes tens of milliseconds of
/// CPU, which must neither stall other requests nor be spent while holding
/// a database write lock. Callers hash before opening their transaction.
///
/// At most [`hashing_slots`] hashes run at once (each holds 19 MiB), so
/// concurrent logins wait their turn instead of exhausting memory.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    let _slot = hashing_pool()
        .acquire()
        .await
        .map_err(|e| AppError::Internal(format!("hashing pool: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let now = HASHING_NOW.fetch_add(1, Ordering::SeqCst) + 1;
        HASHING_MOST.fetch_max(now, Ordering::SeqCst);
        let out = f();
        HASHING_NOW.fetch_sub(1, Ordering::SeqCst);
        out
    })
    .await
    .map_err(|e| AppError::Internal(format!("hashing task: {e}")))
}

static HASHING_NOW: AtomicUsize = AtomicUsize::new(0);
static HASHING_MOST: AtomicUsize = AtomicUsize::new(0);

/// How many password hashes may run at once: one per core, at most 8.
pub fn hashing_slots() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
}

fn hashing_pool() -> &'static tokio::sync::Semaphore {
    static POOL: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    POOL.get_or_init(|| tokio::sync::Semaphore::new(hashing_slots()))
}

/// The most password hashes that ever ran at once in this process.
pub fn hashing_most_at_once() -> usize {
    HASHING_MOST.load(Ordering::SeqCst)
}

/// Hashes a password off the async workers.
pub async fn hash_password_async(password: String) -> AppResult<String> {
    blocking(move || hash_password(&password)).await?
}

/// Checks a password against a stored hash off the async workers.
pub async fn verify_password_async(password: String, hash: String) -> AppResult<bool> {
    blocking(move || verify_password(&password, &hash)).await
}

/// The account these credentials open, if any. Unknown users and wrong
/// passwords fail alike, in alike time. Reads only: run it before the
/// transaction that issues the token.
pub async fn check_credentials(
    db: &impl ConnectionTrait,
    username: &str,
    password: &str,
) -> AppResult<Option<account::Model>> {
    let found = account::Entity::find()
        .filter(account::Column::Username.eq(username.trim()))
        .one(db)
        .await?;
    let Some(acc) = found else {
        // Spend the time of a verification anyway, so timing does not reveal usernames.
        verify_password_async(password.to_owned(), DUMMY_HASH.to_owned()).await?;
        return Ok(None);
    };
    let ok = verify_password_async(password.to_owned(), acc.password_hash.clone()).await?;
    Ok((ok && !acc.disabled).then_some(acc))
}

/// Issues a bearer token, valid from `now` for `ttl`, to an account whose
/// credentials were checked.
pub async fn issue_token(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    acc: account::Model,
    ttl: std::time::Duration,
) -> AppResult<IssuedToken> {
    let mut raw = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut raw);
    let token = format!(
        "cg_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
    );
    let expires_at = now
        + chrono::Duration::from_std(ttl)
            .map_err(|e| AppError::Internal(format!("token lifetime: {e}")))?;
    auth_token::ActiveModel {
        account_id: Set(acc.id),
        token_hash: Set(token_digest(&token)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(IssuedToken {
        token,
        expires_at,
        account: acc,
    })
}

// An argon2id hash of a random string, used only to equalise login timing.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Gm0MD3VpDrhJwvQq1P8NQ7tBfQX5SLWOtWt8r3ouOqU";

/// Revokes a token as of `now`.
pub async fn logout(db: &impl ConnectionTrait, now: DateTime<Utc>, token_id: i64) -> AppResult<()> {
    if let Some(t) = auth_token::Entity::find_by_id(token_id).one(db).await? {
        let mut t: auth_token::ActiveModel = t.into();
        t.revoked_at = Set(Some(now));
        t.update(db).await?;
    }
    Ok(())
}

/// Resolves a bearer token to the caller. An unknown, expired or revoked
/// token is anonymous: the request then fails wherever it needs an account.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    clock: &Clock,
    token: Option<&str>,
) -> AppResult<Caller> {
    let Some(token) = token else {
        return Ok(Caller::Anonymous);
    };
    let now = clock.now();
    let rows = token_with_grants(db, &token_digest(token)).await?;
    let Some(first) = rows.first() else {
        return Ok(Caller::Anonymous);
    };
    if first.revoked_at.is_some() || first.expires_at <= now || first.disabled {
        return Ok(Caller::Anonymous);
    }
    let (token_id, token_expires_at) = (first.token_id, first.expires_at);
    let (account_id, username, person_id) =
        (first.account_id, first.username.clone(), first.person_id);
    let grants: Vec<Grant> = rows
        .into_iter()
        .filter_map(|r| {
            Some(Grant {
                role: r.role?,
                scope: Scope {
                    district_id: r.district_id,
                    subdistrict_id: r.subdistrict_id,
                    community_id: r.community_id,
                    grid_id: r.grid_id,
                    compound_id: r.compound_id,
                    building_id: r.building_id,
                    dwelling_id: r.dwelling_id,
                },
            })
        })
        .collect();
    let mut staff_communities: HashSet<i64> = grants
        .iter()
        .filter(|g| g.role == Role::CommunityStaff)
        .filter_map(|g| g.scope.community_id)
        .collect();
    let mut subdistricts: Vec<i64> = grants
        .iter()
        .filter(|g| g.role == Role::SubdistrictStaff)
        .filter_map(|g| g.scope.subdistrict_id)
        .collect();
    let districts: Vec<i64> = grants
        .iter()
        .filter(|g| g.role == Role::DistrictStaff)
        .filter_map(|g| g.scope.district_id)
        .collect();
    if !districts.is_empty() {
        let within = subdistrict::Entity::find()
            .filter(subdistrict::Column::DistrictId.is_in(districts))
            .all(db)
            .await?;
        subdistricts.extend(within.into_iter().map(|s| s.id));
    }
    if !subdistricts.is_empty() {
        let communities = community::Entity::find()
            .filter(community::Column::SubdistrictId.is_in(subdistricts))
            .all(db)
            .await?;
        staff_communities.extend(communities.into_iter().map(|c| c.id));
    }
    Ok(Caller::Account(Actor {
        account_id,
        username,
        person_id,
        token_id,
        token_expires_at,
        grants,
        staff_communities,
    }))
}

/// A token, its account and each grant the account holds now (one row per
/// grant, or one row with no grant): one statement, since every request
/// with a token asks it.
#[derive(FromQueryResult)]
struct TokenGrant {
    token_id: i64,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    account_id: i64,
    username: String,
    person_id: Option<i64>,
    disabled: bool,
    role: Option<Role>,
    district_id: Option<i64>,
    subdistrict_id: Option<i64>,
    community_id: Option<i64>,
    grid_id: Option<i64>,
    compound_id: Option<i64>,
    building_id: Option<i64>,
    dwelling_id: Option<i64>,
}

async fn token_with_grants(db: &impl ConnectionTrait, digest: &str) -> AppResult<Vec<TokenGrant>> {
    use role_grant::Column as G;
    let query = Query::select()
        .expr_as(
            Expr::col((auth_token::Entity, auth_token::Column::Id)),
            "token_id",
        )
        .column((auth_token::Entity, auth_token::Column::ExpiresAt))
        .column((auth_token::Entity, auth_token::Column::RevokedAt))
        .expr_as(
            Expr::col((account::Entity, account::Column::Id)),
            "account_id",
        )
        .column((account::Entity, account::Column::Username))
        .column((account::Entity, account::Column::PersonId))
        .column((account::Entity, account::Column::Disabled))
        .columns([
            (role_grant::Entity, G::Role),
            (role_grant::Entity, G::DistrictId),
            (role_grant::Entity, G::SubdistrictId),
            (role_grant::Entity, G::CommunityId),
            (role_grant::Entity, G::GridId),
            (role_grant::Entity, G::CompoundId),
            (role_grant::Entity, G::BuildingId),
            (role_grant::Entity, G::DwellingId),
        ])
        .from(auth_token::Entity)
        .inner_join(
            account::Entity,
            Expr::col((account::Entity, account::Column::Id))
                .equals((auth_token::Entity, auth_token::Column::AccountId)),
        )
        .left_join(
            role_grant::Entity,
            Expr::col((role_grant::Entity, G::AccountId))
                .equals((account::Entity, account::Column::Id))
                .and(Expr::col((role_grant::Entity, G::RevokedAt)).is_null()),
        )
        .and_where(Expr::col((auth_token::Entity, auth_token::Column::TokenHash)).eq(digest))
        .order_by((role_grant::Entity, G::Id), Order::Asc)
        .to_owned();
    Ok(
        TokenGrant::find_by_statement(db.get_database_backend().build(&query))
            .all(db)
            .await?,
    )
}

/// The grants an account holds now.
pub async fn active_grants(db: &impl ConnectionTrait, account_id: i64) -> AppResult<Vec<Grant>> {
    let rows = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account_id))
        .filter(role_grant::Column::RevokedAt.is_null())
        .all(db)
        .await?;
    Ok(rows.iter().map(grant_of).collect())
}

/// The grant a stored row stands for.
pub fn grant_of(row: &role_grant::Model) -> Grant {
    Grant {
        role: row.role,
        scope: Scope {
            district_id: row.district_id,
            subdistrict_id: row.subdistrict_id,
            community_id: row.community_id,
            grid_id: row.grid_id,
            compound_id: row.compound_id,
            building_id: row.building_id,
            dwelling_id: row.dwelling_id,
        },
    }
}

/// The unit a new grant is over, given as one id of the role's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantTarget {
    /// The role.
    pub role: Role,
    /// The id of the unit, of the level `role.scope_level()`; `None` for platform roles.
    pub unit_id: Option<i64>,
}

impl GrantTarget {
    /// The full scope of the unit, checking it exists and fits the role.
    pub async fn resolve(&self, db: &impl ConnectionTrait) -> AppResult<Scope> {
        match (self.role.scope_level(), self.unit_id) {
            (None, None) => Ok(Scope::GLOBAL),
            (None, Some(_)) => Err(AppError::invalid(
                "scope_id",
                UserErrorCode::Invalid,
                "this role is platform-wide and takes no scope",
            )),
            (Some(_), None) => Err(AppError::invalid(
                "scope_id",
                UserErrorCode::Required,
                "this role is granted over a unit: give its id",
            )),
            (Some(level), Some(id)) => {
                let resolved = match level {
                    ScopeLevel::District => Scope::of_district(db, id).await,
                    ScopeLevel::Subdistrict => Scope::of_subdistrict(db, id).await,
                    ScopeLevel::Community => Scope::of_community(db, id).await,
                    ScopeLevel::Grid => Scope::of_grid(db, id).await,
                    ScopeLevel::Compound => Scope::of_compound(db, id).await,
                    ScopeLevel::Building => Scope::of_building(db, id).await,
                    ScopeLevel::Dwelling => Scope::of_dwelling(db, id).await,
                };
                resolved.map_err(|e| match e {
                    AppError::NotFound(what) => AppError::invalid(
                        "scope_id",
                        UserErrorCode::NotFound,
                        format!("no such {what}"),
                    ),
                    other => other,
                })
            }
        }
    }
}

/// The grant of `role` over `scope`, keeping only the unit of the role's
/// own level (a compound role stores its compound, not its community).
pub fn level_grant(role: Role, scope: &Scope) -> Grant {
    let level = role.scope_level();
    Grant {
        role,
        scope: Scope {
            district_id: scope
                .district_id
                .filter(|_| level == Some(ScopeLevel::District)),
            subdistrict_id: scope
                .subdistrict_id
                .filter(|_| level == Some(ScopeLevel::Subdistrict)),
            community_id: scope
                .community_id
                .filter(|_| level == Some(ScopeLevel::Community)),
            grid_id: scope.grid_id.filter(|_| level == Some(ScopeLevel::Grid)),
            compound_id: scope
                .compound_id
                .filter(|_| level == Some(ScopeLevel::Compound)),
            building_id: scope
                .building_id
                .filter(|_| level == Some(ScopeLevel::Building)),
            dwelling_id: scope
                .dwelling_id
                .filter(|_| level == Some(ScopeLevel::Dwelling)),
        },
    }
}

/// The row to store for `grant`, granted at `granted_at`.
pub fn grant_row(
    account_id: i64,
    grant: &Grant,
    granted_at: DateTime<Utc>,
) -> role_grant::ActiveModel {
    role_grant::ActiveModel {
        account_id: Set(account_id),
        role: Set(grant.role),
        district_id: Set(grant.scope.district_id),
        subdistrict_id: Set(grant.scope.subdistrict_id),
        community_id: Set(grant.scope.community_id),
        compound_id: Set(grant.scope.compound_id),
        dwelling_id: Set(grant.scope.dwelling_id),
        grid_id: Set(grant.scope.grid_id),
        building_id: Set(grant.scope.building_id),
        granted_at: Set(granted_at),
        revoked_at: Set(None),
        ..Default::default()
    }
}

/// What the audit trail keeps of an account: never its password hash.
#[derive(serde::Serialize)]
struct AccountRecord<'a> {
    id: i64,
    username: &'a str,
    display_name: &'a str,
    person_id: Option<i64>,
    disabled: bool,
}

impl<'a> From<&'a account::Model> for AccountRecord<'a> {
    fn from(m: &'a account::Model) -> Self {
        Self {
            id: m.id,
            username: &m.username,
            display_name: &m.display_name,
            person_id: m.person_id,
            disabled: m.disabled,
        }
    }
}

/// A new account.
pub struct NewAccount {
    /// Login name: 3–64 letters, digits, `.`, `_` or `-`.
    pub username: String,
    /// Initial password, already checked against the policy and hashed
    /// (see `prepare_password`), so no hashing happens inside the transaction.
    pub password_hash: String,
    /// Name shown to others.
    pub display_name: crate::domain::values::Name,
    /// The person it belongs to, if any.
    pub person_id: Option<i64>,
}

fn check_username(raw: &str) -> AppResult<String> {
    let u = raw.trim();
    let ok_chars = u
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !(MIN_USERNAME_LEN..=MAX_USERNAME_LEN).contains(&u.len()) || !ok_chars {
        return Err(AppError::invalid(
            "username",
            UserErrorCode::Invalid,
            format!(
                "a username has {MIN_USERNAME_LEN} to {MAX_USERNAME_LEN} letters, digits, '.', '_' or '-'"
            ),
        ));
    }
    Ok(u.to_owned())
}

/// Creates an account. Anyone who may manage accounts somewhere may create
/// one; what it may do comes only from the roles granted afterwards.
pub async fn create_account(uow: &UnitOfWork<'_>, new: NewAccount) -> AppResult<account::Model> {
    let db = uow.db();
    // A caller who manages no accounts is refused before the input is read.
    access::permit_create_account(uow.caller(), None)?;
    let username = check_username(&new.username)?;
    // Linking an account to a person gives it that person's personal data,
    // so only someone who manages accounts over the person's community may
    // do it.
    let linked = match new.person_id {
        Some(p) => {
            let person = uow
                .target::<person::Entity>(Permission::ManageAccounts, p, "person_id", "person")
                .await?;
            Some(Scope::of_community(db, person.community_id).await?)
        }
        None => None,
    };
    let permit = access::permit_create_account(uow.caller(), linked.as_ref())?;
    let m = account::ActiveModel {
        username: Set(username),
        password_hash: Set(new.password_hash),
        display_name: Set(new.display_name.into_inner()),
        person_id: Set(new.person_id),
        disabled: Set(false),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::CreateAccount, "Account", m.id, &Scope::GLOBAL),
        &AccountRecord::from(&m),
    )
    .await?;
    Ok(m)
}

/// Grants `target.role` over its unit to an account.
pub async fn grant_role(
    uow: &UnitOfWork<'_>,
    account_id: i64,
    target: GrantTarget,
) -> AppResult<role_grant::Model> {
    let db = uow.db();
    uow.target::<account::Entity>(
        Permission::ManageAccounts,
        account_id,
        "account_id",
        "account",
    )
    .await?;
    let scope = target.resolve(db).await?;
    let permit = access::permit_grant(uow.caller(), target.role, &scope)?;
    let wanted = level_grant(target.role, &scope);
    let existing = active_grants(db, account_id).await?;
    if existing.contains(&wanted) {
        return Err(AppError::invalid(
            "role",
            UserErrorCode::Conflict,
            "the account already holds this role here",
        ));
    }
    let m = grant_row(account_id, &wanted, uow.now()).insert(db).await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::GrantRole, "RoleGrant", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// Revokes a grant; the row stays, marked revoked, for the record.
pub async fn revoke_role(uow: &UnitOfWork<'_>, grant_id: i64) -> AppResult<role_grant::Model> {
    let db = uow.db();
    let before = uow
        .target::<role_grant::Entity>(Permission::ManageAccounts, grant_id, "grant_id", "grant")
        .await?;
    let target = GrantTarget {
        role: before.role,
        unit_id: before
            .subdistrict_id
            .or(before.community_id)
            .or(before.compound_id)
            .or(before.dwelling_id),
    };
    let scope = target.resolve(db).await?;
    let permit = access::permit_revoke(uow.caller(), before.role, &scope)?;
    if before.revoked_at.is_some() {
        return Err(AppError::invalid(
            "grant_id",
            UserErrorCode::InvalidState,
            "this grant is already revoked",
        ));
    }
    let mut am: role_grant::ActiveModel = before.clone().into();
    am.revoked_at = Set(Some(uow.now()));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::RevokeRole, "RoleGrant", grant_id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// Checks a new password against the policy and hashes it, before any transaction.
pub async fn prepare_password(password: &str, field: &str) -> AppResult<String> {
    check_password_policy(password, field)?;
    hash_password_async(password.to_owned()).await
}

/// Checks the caller's current password. Reads only: run it before the
/// transaction, so no write lock is held while argon2 runs.
pub async fn check_current_password(
    db: &impl ConnectionTrait,
    caller: &Caller,
    current: &str,
) -> AppResult<()> {
    let actor = caller.actor()?;
    check_password_length(current, "current_password")?;
    let acc = store::find::<account::Entity>(db, actor.account_id, "account").await?;
    if !verify_password_async(current.to_owned(), acc.password_hash).await? {
        return Err(AppError::invalid(
            "current_password",
            UserErrorCode::Invalid,
            "the current password is wrong",
        ));
    }
    Ok(())
}

/// Sets the caller's password to `new_hash` (checked and hashed beforehand
/// with `check_current_password` and `prepare_password`); every other token
/// of the account is revoked.
pub async fn change_password(uow: &UnitOfWork<'_>, new_hash: String) -> AppResult<account::Model> {
    let db = uow.db();
    let permit = uow.self_service(SelfService::ChangeOwnPassword, &Scope::GLOBAL)?;
    let actor = permit.actor();
    let acc = store::find::<account::Entity>(db, actor.account_id, "account").await?;
    let mut am: account::ActiveModel = acc.clone().into();
    am.password_hash = Set(new_hash);
    let after = am.update(db).await?;
    auth_token::Entity::update_many()
        .col_expr(
            auth_token::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(uow.now())),
        )
        .filter(auth_token::Column::AccountId.eq(acc.id))
        .filter(auth_token::Column::Id.ne(actor.token_id))
        .filter(auth_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::ChangePassword, "Account", acc.id, &Scope::GLOBAL),
        &AccountRecord::from(&acc),
        &AccountRecord::from(&after),
    )
    .await?;
    Ok(after)
}

/// Creates the first platform admin when the database has no account at
/// all, at `clock`'s now; returns whether it did. Later starts leave
/// accounts alone.
pub async fn bootstrap_admin(
    db: &impl ConnectionTrait,
    clock: &Clock,
    username: &str,
    password: &str,
) -> AppResult<bool> {
    use sea_orm::PaginatorTrait;
    if account::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let username = check_username(username)?;
    check_password_policy(password, "ADMIN_PASSWORD")?;
    let now = clock.now();
    let acc = account::ActiveModel {
        username: Set(username.clone()),
        password_hash: Set(hash_password(password)?),
        display_name: Set(username),
        person_id: Set(None),
        disabled: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    grant_row(
        acc.id,
        &level_grant(Role::PlatformAdmin, &Scope::GLOBAL),
        now,
    )
    .insert(db)
    .await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn dummy_hash_parses() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_password_policy("short", "password").is_err());
        assert!(check_password_policy("long enough pass", "password").is_ok());
    }
}
