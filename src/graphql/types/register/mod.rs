//! The register: the administrative divisions (`divisions`: subdistricts,
//! communities and grids), compounds (`compound`) and what they are built of
//! (`buildings`: buildings, entrances and dwellings). Each file holds its
//! object types, inputs and payloads and its parts of the query and mutation
//! roots, merged here into `RegisterQuery` and `RegisterMutation`.
//!
//! Of a compound, only the register's own fields live here
//! (`CompoundRegister`, `CompoundBuildings`); its party branch, committee,
//! chiefs, history and decisions are fields of those areas' parts, and
//! `Compound` itself is assembled in `graphql::types`. Who lives in and owns
//! a dwelling is `people`; the chain of chiefs answering for it is `chiefs`.

use async_graphql::MergedObject;

mod buildings;
mod compound;
mod divisions;

pub use buildings::{Building, CompoundBuildings, Dwelling, Entrance};
pub use compound::{CompoundRegister, compound_scope};
pub use divisions::{Community, District, Grid, Subdistrict};

/// Queries of the register.
#[derive(MergedObject, Default)]
pub struct RegisterQuery(divisions::DivisionsQuery, compound::CompoundsQuery);

/// Mutations of the register.
#[derive(MergedObject, Default)]
pub struct RegisterMutation(
    divisions::DivisionsMutation,
    compound::CompoundsMutation,
    buildings::BuildingsMutation,
);
