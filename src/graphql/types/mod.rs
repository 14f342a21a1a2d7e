//! GraphQL object wrappers over domain models, one folder per area as in
//! `crate::domain`: `register`, `people`, `parties`, `chiefs`, `accounts`
//! and `decisions`, with `audit` a file of its own as in the domain (every
//! area's changes are recorded in it). Each area holds its object types,
//! inputs and payloads, its parts of the query, mutation and subscription
//! roots (merged in `graphql::{query, mutation, subscription}`) and its
//! fields of a compound (merged into `Compound` below). No rule lives in
//! any of them: they decode, call `crate::domain` and wrap the result.
//!
//! This level holds only what the areas share: `Compound`, and the helpers
//! for update inputs and page arguments. A new area adds a folder, a line
//! in each root it extends and, if it has fields of a compound, its part in
//! `Compound`; it edits no other area's file.

pub mod accounts;
pub mod audit;
pub mod chiefs;
pub mod decisions;
pub mod duties;
pub mod evaluation;
pub mod grid_events;
pub mod notices;
pub mod parties;
pub mod people;
pub mod placards;
pub mod projects;
pub mod register;
pub mod teams;

use std::sync::Arc;

use async_graphql::{Context, ID, MaybeUndefined, MergedObject, Result};

use crate::domain::values::Name;
use crate::entity::compound;
use crate::error::AppResult;
use crate::graphql::id::{NodeKind, input_id};
use crate::graphql::pagination::PageArgs;
use audit::CompoundHistory;
use chiefs::CompoundChiefs;
use decisions::CompoundDecisions;
use parties::{CompoundMeetings, CompoundParties};
use placards::CompoundPlacard;
use register::{CompoundBuildings, CompoundRegister};

// Each area's fields of a compound, in the order the schema lists them: a
// part's fields follow the fields of the parts before it.
/// A residential compound (小区).
#[derive(MergedObject)]
pub struct Compound(
    CompoundRegister,
    CompoundParties,
    CompoundChiefs,
    CompoundMeetings,
    CompoundHistory,
    CompoundDecisions,
    CompoundBuildings,
    CompoundPlacard,
    teams::CompoundTeams,
    projects::CompoundProjects,
    notices::CompoundNotices,
);

impl Compound {
    /// A compound, its parts sharing the one model.
    pub fn new(model: compound::Model) -> Self {
        let m = Arc::new(model);
        Self(
            CompoundRegister(m.clone()),
            CompoundParties::new(&m),
            CompoundChiefs(m.clone()),
            CompoundMeetings(m.clone()),
            CompoundHistory(m.clone()),
            CompoundDecisions::new(&m),
            CompoundBuildings(m.clone()),
            CompoundPlacard(m.clone()),
            teams::CompoundTeams(m.clone()),
            projects::CompoundProjects(m.clone()),
            notices::CompoundNotices(m),
        )
    }

    /// Global ID, for the `Node` interface: it asks every implementor for
    /// `id`, and a merged object has no fields of its own.
    pub async fn id(&self, ctx: &Context<'_>) -> Result<ID> {
        self.0.id(ctx).await
    }
}

/// Turns `MaybeUndefined` into the domain's "unchanged / cleared / set".
pub fn patch<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

/// Decodes a nullable ID of an update input: unchanged, cleared or set.
pub fn patch_id(
    value: MaybeUndefined<ID>,
    kind: NodeKind,
    field: &str,
) -> AppResult<Option<Option<i64>>> {
    patch(value)
        .map(|v| v.map(|id| input_id(&id, kind, field)).transpose())
        .transpose()
}

/// Parses an optional name at `field`.
pub fn name_opt(raw: Option<&str>, field: &str) -> AppResult<Option<Name>> {
    raw.map(|s| Name::parse(s, field)).transpose()
}

/// The page arguments of a connection field.
pub fn page(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> PageArgs {
    PageArgs {
        after,
        before,
        first,
        last,
    }
}
