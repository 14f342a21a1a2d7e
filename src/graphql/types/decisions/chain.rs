//! The hash chain of a compound's decision records: its verification, the
//! `verifyDecisionChain` query and the `decisionChain` of a compound. The
//! chain itself is built and checked by `domain::decisions::ledger`.
//!
//! Verifying reads every link and every chained record of a compound, so
//! it is priced by the rows it reads ([`ChainChecks`]): each caller (an
//! account, or an anonymous client address) has an allowance of rows a
//! minute, and anonymous callers are answered a verification made in the
//! last `CHAIN_CACHE_SECS` when there is one.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use crate::config::Limits;
use crate::domain::access::Caller;
use crate::domain::decisions::ledger;
use crate::entity::compound;
use crate::error::AppError;
use crate::graphql::id::{NodeKind, arg_id, encode};
use crate::graphql::{caller, clock, db};
use crate::http::ClientAddress;
use crate::http::rate_limit::{Limiter, Rate};

/// What verifying chains costs the callers who ask, and the verifications
/// kept for anonymous callers: schema data, one per process.
#[derive(Clone)]
pub struct ChainChecks {
    /// Rows a minute per caller (shared by every instance on PostgreSQL).
    allowance: Limiter,
    /// The last verification of each compound, with when it was made.
    kept: moka::sync::Cache<i64, Arc<Checked>>,
    /// How old a kept verification an anonymous caller may be answered.
    fresh_for: Duration,
}

/// A verification and when it was made.
struct Checked {
    verification: ledger::Verification,
    at: DateTime<Utc>,
}

/// Most compounds whose last verification is kept.
const KEPT_COMPOUNDS: u64 = 10_000;

impl ChainChecks {
    /// The allowance and the kept answers `limits` set, over `db`.
    pub fn new(limits: &Limits, db: &DatabaseConnection) -> Self {
        let per_minute = limits.chain_rows_per_minute;
        Self {
            allowance: Limiter::new(
                Rate {
                    per_minute,
                    burst: per_minute,
                },
                db,
            ),
            kept: moka::sync::Cache::new(KEPT_COMPOUNDS),
            fresh_for: limits.chain_cache,
        }
    }

    /// The verification of `compound_id` for the request's caller: a kept
    /// one, no older than `fresh_for`, for an anonymous caller; otherwise a
    /// new one, paid for from the caller's allowance by the rows it reads.
    async fn verify(&self, ctx: &Context<'_>, compound_id: i64) -> Result<Arc<Checked>> {
        let now = clock(ctx)?.now();
        let who = match caller(ctx) {
            Caller::Account(actor) => format!("chain:account:{}", actor.account_id),
            Caller::Anonymous => {
                let address = ctx
                    .data_opt::<ClientAddress>()
                    .map(|a| a.0)
                    .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
                if let Some(kept) = self.kept.get(&compound_id) {
                    let age = (now - kept.at).to_std().unwrap_or_default();
                    if age <= self.fresh_for {
                        return Ok(kept);
                    }
                }
                format!("chain:address:{address}")
            }
        };
        let db = db(ctx)?;
        let rows = ledger::verification_rows(db, compound_id).await?;
        let units = u32::try_from(rows).unwrap_or(u32::MAX);
        if let Err(wait_us) = self
            .allowance
            .take_n(&who, units, now.timestamp_micros())
            .await
        {
            crate::monitoring::refused("chain_rows");
            return Err(AppError::RateLimited {
                what: format!(
                    "verifying this chain reads {rows} rows, more than is left of the \
                     caller's allowance of chain verification"
                ),
                retry_after_seconds: (wait_us + 999_999) / 1_000_000,
            }
            .into());
        }
        let checked = Arc::new(Checked {
            verification: ledger::verify(db, compound_id).await?,
            at: now,
        });
        self.kept.insert(compound_id, checked.clone());
        Ok(checked)
    }
}

/// The outcome of recomputing a compound's hash chain of decision records.
pub struct ChainVerification(Arc<Checked>);

/// The outcome of recomputing a compound's hash chain of decision records.
#[Object]
impl ChainVerification {
    /// Whether every record and link is intact.
    async fn intact(&self) -> bool {
        self.0.verification.first_broken.is_none()
    }
    /// How many links were checked.
    async fn links(&self) -> i32 {
        self.0.verification.links as i32
    }
    /// The hash of the last intact link: kept or published elsewhere, it shows later that
    /// no link was cut from the end of the chain.
    async fn head_hash(&self) -> &str {
        &self.0.verification.head_hash
    }
    /// When the chain was recomputed. A signed-in caller's verification is
    /// made for them; an anonymous caller may be answered one made for
    /// another caller up to `CHAIN_CACHE_SECS` (default 60 s) before.
    async fn checked_at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// Position (from 1) of the first broken link.
    async fn first_broken_seq(&self) -> Option<i32> {
        self.0
            .verification
            .first_broken
            .as_ref()
            .map(|b| b.seq as i32)
    }
    /// The ID of the record at the first broken link.
    async fn first_broken_record(&self) -> Option<ID> {
        let b = self.0.verification.first_broken.as_ref()?;
        NodeKind::from_name(&b.kind).map(|k| encode(k, b.ref_id))
    }
    /// The kind of record at the first broken link.
    async fn first_broken_kind(&self) -> Option<&str> {
        self.0
            .verification
            .first_broken
            .as_ref()
            .map(|b| b.kind.as_str())
    }
    /// What is wrong with it.
    async fn reason(&self) -> Option<&str> {
        self.0
            .verification
            .first_broken
            .as_ref()
            .map(|b| b.reason.as_str())
    }
}

/// The chain verification of `compound_id` for the request's caller
/// ([`ChainChecks::verify`]).
pub async fn verify_chain(ctx: &Context<'_>, compound_id: i64) -> Result<ChainVerification> {
    let checks = ctx
        .data::<ChainChecks>()
        .map_err(|_| AppError::Internal("no chain checks in context".into()))?;
    Ok(ChainVerification(checks.verify(ctx, compound_id).await?))
}

/// The chain check of a compound's decision records.
pub struct CompoundChain(pub Arc<compound::Model>);

/// What verifying one compound's chain counts towards the complexity limit,
/// before its rows are known: as much as a full page of a hundred items
/// with a nested field each, so under the default limit (5,000) one request
/// asks for at most 25 chains. The rows each reads are then paid from the
/// caller's allowance (`CHAIN_ROWS_PER_MINUTE`).
pub const CHAIN_COST: usize = 200;

/// The chain check of a compound's decision records.
#[Object]
impl CompoundChain {
    /// Recomputes the hash chain of the compound's decision records: whether every record
    /// is intact and, if not, the first one that is not. Costly: it counts 200 towards the
    /// query's complexity limit, and the rows it reads (three per link) are paid from the
    /// caller's allowance of `CHAIN_ROWS_PER_MINUTE` (default 60,000); past it, the field
    /// answers `RATE_LIMITED` with `retryAfterSeconds`. Anonymous callers are answered a
    /// verification up to `CHAIN_CACHE_SECS` old (see `checkedAt`).
    #[graphql(complexity = "CHAIN_COST + child_complexity")]
    async fn decision_chain(&self, ctx: &Context<'_>) -> Result<ChainVerification> {
        verify_chain(ctx, self.0.id).await
    }
}

/// Queries of the decision chain.
#[derive(Default)]
pub struct ChainQuery;

/// Queries of the decision chain.
#[Object]
impl ChainQuery {
    /// Recomputes a compound's hash chain of decision records and reports whether every
    /// record is intact and, if not, the first one that is not. Costly: it counts 200
    /// towards the query's complexity limit, and the rows it reads (three per link) are paid
    /// from the caller's allowance of `CHAIN_ROWS_PER_MINUTE` (default 60,000); past it,
    /// the field answers `RATE_LIMITED` with `retryAfterSeconds`. Anonymous callers are
    /// answered a verification up to `CHAIN_CACHE_SECS` old (see `checkedAt`); signed-in
    /// callers always get a new one. Never answered from the read cache: it exists to find
    /// changes made behind the service's back, which the cache is not told of.
    #[graphql(complexity = "CHAIN_COST + child_complexity", cache_control(no_cache))]
    async fn verify_decision_chain(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The compound.")] compound_id: ID,
    ) -> Result<ChainVerification> {
        verify_chain(ctx, arg_id(&compound_id, NodeKind::Compound)?).await
    }
}
