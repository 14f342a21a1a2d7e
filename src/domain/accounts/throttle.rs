//! Failed logins lock further attempts out for a while (OWASP's
//! Authentication cheat sheet, "Account lockout"): per account, after
//! `ACCOUNT_THRESHOLD` failures in a row, and per client address, after
//! `ADDRESS_THRESHOLD` (an address may be a whole office behind one NAT).
//! Each failure past the threshold doubles the lockout, from 30 seconds up
//! to 15 minutes. A success clears the account's count; an hour without a
//! failure clears either.
//!
//! While locked, an attempt is answered at once, without checking the
//! password, so a locked account costs the server no hashing. The counts
//! are rows (`login_throttle`), so every instance over one PostgreSQL
//! shares them.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement, Value as SqlValue,
};

use crate::entity::{account, login_throttle};
use crate::error::{AppResult, FieldError, UserErrorCode};

/// Failures in a row that lock an account.
pub const ACCOUNT_THRESHOLD: i32 = 5;
/// Failures in a row that lock a client address.
pub const ADDRESS_THRESHOLD: i32 = 20;
/// The first lockout; each further failure doubles it.
pub const FIRST_LOCKOUT: Duration = Duration::seconds(30);
/// The longest lockout.
pub const LONGEST_LOCKOUT: Duration = Duration::minutes(15);
/// A count older than this starts again.
pub const WINDOW: Duration = Duration::hours(1);

/// One login attempt: who it is for and where it comes from, and its
/// throttle keys (its account and its address).
#[derive(Clone, Debug)]
pub struct Attempt {
    username: String,
    from: IpAddr,
    account: String,
    address: String,
}

/// What a login attempt comes to, found before anything is written.
#[derive(Debug)]
pub enum Verdict {
    /// The account or the address is locked: answered at once, nothing
    /// hashed; heard again after this many seconds.
    Locked {
        /// Whole seconds until an attempt is heard again.
        retry_after_seconds: i64,
    },
    /// A wrong username or password, or a disabled account: to be counted
    /// (`Attempt::failed`), in a unit of work of its own.
    Wrong,
    /// The credentials open this account: a token may be issued.
    Right(account::Model),
}

impl Verdict {
    /// The user error a refused attempt is answered with.
    pub fn refusal(&self) -> Option<FieldError> {
        match self {
            Self::Locked {
                retry_after_seconds,
            } => Some(FieldError::new(
                "",
                UserErrorCode::TooManyAttempts,
                format!("too many failed logins: try again in {retry_after_seconds} seconds"),
            )),
            Self::Wrong => Some(FieldError::new(
                "",
                UserErrorCode::Invalid,
                "wrong username or password",
            )),
            Self::Right(_) => None,
        }
    }
}

impl Attempt {
    /// An attempt at `username` from `address`.
    pub fn new(username: &str, address: IpAddr) -> Self {
        Self {
            username: username.trim().to_owned(),
            from: address,
            account: format!("account:{}", username.trim().to_lowercase()),
            address: format!("address:{address}"),
        }
    }

    /// Judges the attempt with `password` at `now`: credentials longer than
    /// any account's are refused (`TOO_LONG`, not counted: they cannot be
    /// anyone's), a locked account or address is answered at once, and only
    /// then are the credentials checked, in the bounded hashing pool. Reads
    /// only, so no write lock is held while argon2 runs. Refusals and
    /// failures are logged with the username and address, never the
    /// password, and counted in the metrics.
    pub async fn judge(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
        password: &str,
    ) -> AppResult<Verdict> {
        let (username, address) = (self.username.as_str(), self.from);
        super::check_login_lengths(username, password)?;
        if let Some(wait) = self.locked_for(db, now).await? {
            let seconds = wait.num_seconds() + i64::from(wait.subsec_nanos() > 0);
            tracing::warn!(username, %address, seconds, "login refused: locked after failed attempts");
            crate::monitoring::login_failed("locked");
            return Ok(Verdict::Locked {
                retry_after_seconds: seconds,
            });
        }
        Ok(
            match super::check_credentials(db, username, password).await? {
                Some(account) => Verdict::Right(account),
                None => {
                    tracing::warn!(username, %address, "login failed: wrong username or password");
                    crate::monitoring::login_failed("wrong_password");
                    Verdict::Wrong
                }
            },
        )
    }

    /// How long until an attempt is heard again, if either key is locked.
    pub async fn locked_for(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> AppResult<Option<Duration>> {
        let rows = login_throttle::Entity::find()
            .filter(login_throttle::Column::Key.is_in([&self.account, &self.address]))
            .all(db)
            .await?;
        Ok(rows
            .iter()
            .filter_map(|r| r.locked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max())
    }

    /// Counts a failure against both keys, locking either past its threshold.
    pub async fn failed(&self, db: &impl ConnectionTrait, now: DateTime<Utc>) -> AppResult<()> {
        count(db, &self.account, ACCOUNT_THRESHOLD, now).await?;
        count(db, &self.address, ADDRESS_THRESHOLD, now).await
    }

    /// Clears the account's count after a success.
    pub async fn succeeded(&self, db: &impl ConnectionTrait) -> AppResult<()> {
        login_throttle::Entity::delete_many()
            .filter(login_throttle::Column::Key.eq(&self.account))
            .exec(db)
            .await?;
        Ok(())
    }
}

/// The lockout after `failures` in a row, against `threshold`.
pub fn lockout(failures: i32, threshold: i32) -> Option<Duration> {
    let past = failures.checked_sub(threshold)?;
    if past < 0 {
        return None;
    }
    let doubled = FIRST_LOCKOUT
        .checked_mul(1i32.checked_shl(past.min(20) as u32).unwrap_or(i32::MAX))
        .unwrap_or(LONGEST_LOCKOUT);
    Some(doubled.min(LONGEST_LOCKOUT))
}

/// Adds one failure to `key` in one statement (two instances counting at
/// once both count), then locks it if it has reached `threshold`.
async fn count(
    db: &impl ConnectionTrait,
    key: &str,
    threshold: i32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let backend = db.get_database_backend();
    let stale = now - WINDOW;
    let sql = match backend {
        sea_orm::DbBackend::Postgres => {
            "INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN login_throttle.last_failure_at < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
             last_failure_at = $2 RETURNING failures"
        }
        _ => {
            "INSERT INTO login_throttle (key, failures, last_failure_at) VALUES (?1, 1, ?2) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN login_throttle.last_failure_at < ?3 THEN 1 ELSE login_throttle.failures + 1 END, \
             last_failure_at = ?2 RETURNING failures"
        }
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                SqlValue::from(key.to_owned()),
                SqlValue::from(now),
                SqlValue::from(stale),
            ],
        ))
        .await?;
    let failures: i32 = match row {
        Some(r) => r.try_get("", "failures")?,
        None => 1,
    };
    if let Some(lock) = lockout(failures, threshold) {
        login_throttle::Entity::update_many()
            .col_expr(
                login_throttle::Column::LockedUntil,
                sea_orm::sea_query::Expr::value(Some(now + lock)),
            )
            .filter(login_throttle::Column::Key.eq(key))
            .exec(db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockouts_double_from_the_threshold_up_to_the_longest() {
        assert_eq!(lockout(4, 5), None);
        assert_eq!(lockout(5, 5), Some(Duration::seconds(30)));
        assert_eq!(lockout(6, 5), Some(Duration::seconds(60)));
        assert_eq!(lockout(9, 5), Some(Duration::seconds(480)));
        assert_eq!(lockout(10, 5), Some(Duration::minutes(15)));
        assert_eq!(lockout(500, 5), Some(Duration::minutes(15)));
    }
}
