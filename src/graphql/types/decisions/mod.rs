//! Decisions and their records, file by file: the residents' council, its
//! matters and their steps of 四议两公开 (`council`); publications (公示),
//! objections and answers (`publications`); owners' assembly votes under
//! Civil Code art. 278, with their registers, ballots and tallies
//! (`assembly`); and the hash chain that makes the records tamper-evident
//! (`chain`). Each file holds its object types, inputs and payloads, its
//! parts of the query, mutation and subscription roots and its fields of a
//! compound; this file merges them and holds the helpers they share.
//!
//! No rule lives here: steps, tallies and the chain are computed in
//! `domain::decisions` (`council`, `assembly`, `tally`, `ledger`), and
//! what a decision event is in `domain::event`.

use std::sync::Arc;

use async_graphql::{Context, MergedObject, MergedSubscription, Result};
use futures_util::Stream;
use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter, QueryOrder};
use tokio::sync::broadcast::{Receiver, error::RecvError};

use crate::domain::access::Permission;
use crate::domain::event::DecisionEvent;
use crate::domain::store::Keyed;
use crate::entity::{account, compound};
use crate::error::AppResult;
use crate::graphql::loaders::by_id;
use crate::graphql::types::register::compound_scope;
use crate::graphql::{caller, loaders};

mod assembly;
mod chain;
mod council;
mod publications;

pub use assembly::{AssemblyVote, Ballot, VoteVoter, cited_vote};
pub use chain::ChainChecks;
pub use council::{CouncilMatter, CouncilStep, ResidentsCouncil};
pub use publications::{Objection, Publication};

/// Queries of decisions that are not reached from a compound.
#[derive(MergedObject, Default)]
pub struct DecisionsQuery(chain::ChainQuery);

/// Mutations of decisions.
#[derive(MergedObject, Default)]
pub struct DecisionsMutation(
    council::CouncilMutation,
    publications::PublicationsMutation,
    assembly::AssemblyMutation,
);

/// Live updates of decisions: tallies and publications are public notices
/// (公示); the ballots themselves are for those who run the vote.
#[derive(MergedSubscription, Default)]
pub struct DecisionSubscription(
    assembly::AssemblySubscription,
    publications::PublicationsSubscription,
);

/// The decisions' fields of a compound: its council, publications, votes
/// and the check of its chain.
#[derive(MergedObject)]
pub struct CompoundDecisions(
    council::CompoundCouncil,
    publications::CompoundPublications,
    assembly::CompoundAssembly,
    chain::CompoundChain,
);

impl CompoundDecisions {
    /// The parts over one compound.
    pub fn new(m: &Arc<compound::Model>) -> Self {
        Self(
            council::CompoundCouncil(m.clone()),
            publications::CompoundPublications(m.clone()),
            assembly::CompoundAssembly(m.clone()),
            chain::CompoundChain(m.clone()),
        )
    }
}

/// The display name of an account: who published, answered or recorded.
pub(crate) async fn username(ctx: &Context<'_>, account_id: i64) -> Result<Option<String>> {
    Ok(by_id::<account::Entity>(loaders(ctx)?, account_id)
        .await?
        .map(|a| a.display_name))
}

/// Whether the caller may read what `permission` (a `Read…` permission)
/// covers in the compound `compound_id`; false when the compound is gone.
pub(crate) async fn may_read_in(
    ctx: &Context<'_>,
    permission: Permission,
    compound_id: i64,
) -> Result<bool> {
    let l = loaders(ctx)?;
    let Some(c) = by_id::<compound::Entity>(l, compound_id).await? else {
        return Ok(false);
    };
    let scope = compound_scope(ctx, &c).await?;
    Ok(caller(ctx).can_read(permission, &scope))
}

/// The rows of `E` whose `parent` column is `parent_id`, live: each time an
/// event concerns them (`wakes`), or events were missed, the rows newer than
/// the last one sent, oldest first. Rows that existed when the stream opened
/// are not sent.
pub(crate) async fn newer_rows<E, T>(
    db: DatabaseConnection,
    mut events: Receiver<DecisionEvent>,
    parent: E::Column,
    parent_id: i64,
    wakes: impl Fn(&DecisionEvent) -> bool + Send + 'static,
    wrap: fn(E::Model) -> T,
) -> AppResult<impl Stream<Item = Result<T>>>
where
    E: Keyed,
    E::Model: Send + Sync,
    T: Send + 'static,
{
    let of_parent = move || E::find().filter(parent.eq(parent_id));
    let mut last_seen = of_parent()
        .order_by_desc(E::id_column())
        .one(&db)
        .await?
        .map_or(0, |m| E::id_of(&m));
    Ok(async_stream::stream! {
        loop {
            let wanted = match events.recv().await {
                Ok(event) => wakes(&event),
                // Events were missed: look for what appeared meanwhile.
                Err(RecvError::Lagged(_)) => true,
                Err(RecvError::Closed) => break,
            };
            if !wanted {
                continue;
            }
            let newer = of_parent()
                .filter(E::id_column().gt(last_seen))
                .order_by_asc(E::id_column())
                .all(&db)
                .await;
            match newer {
                Ok(found) => {
                    for m in found {
                        last_seen = E::id_of(&m);
                        yield Ok(wrap(m));
                    }
                }
                Err(e) => yield Err(crate::error::AppError::from(e).into()),
            }
        }
    })
}

/// A stream of row `id` of `E` (named `what`) as it changes: the row at
/// once, then again after every event that concerns it (`wakes`), and
/// after events were missed, so a slow subscriber still gets the latest
/// state. A missing row is `NOT_FOUND` before the stream opens.
pub(crate) async fn row_changes<E, T>(
    db: DatabaseConnection,
    mut events: Receiver<DecisionEvent>,
    id: i64,
    what: &'static str,
    wakes: impl Fn(&DecisionEvent) -> bool + Send + 'static,
    wrap: fn(E::Model) -> T,
) -> AppResult<impl Stream<Item = Result<T>>>
where
    E: Keyed,
    E::Model: Send + Sync,
    T: Send + 'static,
{
    let first = crate::domain::store::find::<E>(&db, id, what).await?;
    Ok(async_stream::stream! {
        yield Ok(wrap(first));
        loop {
            let wanted = match events.recv().await {
                Ok(event) => wakes(&event),
                Err(RecvError::Lagged(_)) => true,
                Err(RecvError::Closed) => break,
            };
            if wanted {
                yield crate::domain::store::find::<E>(&db, id, what)
                    .await
                    .map(wrap)
                    .map_err(Into::into);
            }
        }
    })
}
