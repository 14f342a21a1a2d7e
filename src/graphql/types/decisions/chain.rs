//! The hash chain of a compound's decision records: its verification, the
//! `verifyDecisionChain` query and the `decisionChain` of a compound. The
//! chain itself is built and checked by `domain::decisions::ledger`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Result};

use crate::domain::decisions::ledger;
use crate::entity::compound;
use crate::graphql::db;
use crate::graphql::id::{NodeKind, arg_id, encode};

/// The outcome of recomputing a compound's hash chain of decision records.
pub struct ChainVerification(ledger::Verification);

/// The outcome of recomputing a compound's hash chain of decision records.
#[Object]
impl ChainVerification {
    /// Whether every record and link is intact.
    async fn intact(&self) -> bool {
        self.0.first_broken.is_none()
    }
    /// How many links were checked.
    async fn links(&self) -> i32 {
        self.0.links as i32
    }
    /// The hash of the last intact link: kept or published elsewhere, it shows later that
    /// no link was cut from the end of the chain.
    async fn head_hash(&self) -> &str {
        &self.0.head_hash
    }
    /// Position (from 1) of the first broken link.
    async fn first_broken_seq(&self) -> Option<i32> {
        self.0.first_broken.as_ref().map(|b| b.seq as i32)
    }
    /// The ID of the record at the first broken link.
    async fn first_broken_record(&self) -> Option<ID> {
        let b = self.0.first_broken.as_ref()?;
        NodeKind::from_name(&b.kind).map(|k| encode(k, b.ref_id))
    }
    /// The kind of record at the first broken link.
    async fn first_broken_kind(&self) -> Option<&str> {
        self.0.first_broken.as_ref().map(|b| b.kind.as_str())
    }
    /// What is wrong with it.
    async fn reason(&self) -> Option<&str> {
        self.0.first_broken.as_ref().map(|b| b.reason.as_str())
    }
}

/// Recomputes the chain of `compound_id`.
pub async fn verify_chain(ctx: &Context<'_>, compound_id: i64) -> Result<ChainVerification> {
    Ok(ChainVerification(
        ledger::verify(db(ctx)?, compound_id).await?,
    ))
}

/// The chain check of a compound's decision records.
pub struct CompoundChain(pub Arc<compound::Model>);

/// What verifying one compound's chain counts towards the complexity limit.
/// It reads every link and every chained record of the compound, so it costs
/// as much as a full page of a hundred items with a nested field each: under
/// the default limit (5,000) one request verifies at most 25 chains.
pub const CHAIN_COST: usize = 200;

/// The chain check of a compound's decision records.
#[Object]
impl CompoundChain {
    /// Recomputes the hash chain of the compound's decision records: whether every record
    /// is intact and, if not, the first one that is not. Costly: it counts
    /// `CHAIN_COST` towards the query's complexity limit.
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
    /// record is intact and, if not, the first one that is not. Costly: it
    /// counts `CHAIN_COST` towards the query's complexity limit.
    /// Never answered from the read cache: it exists to find changes made
    /// behind the service's back, which the cache is not told of.
    #[graphql(complexity = "CHAIN_COST + child_complexity", cache_control(no_cache))]
    async fn verify_decision_chain(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The compound.")] compound_id: ID,
    ) -> Result<ChainVerification> {
        verify_chain(ctx, arg_id(&compound_id, NodeKind::Compound)?).await
    }
}
