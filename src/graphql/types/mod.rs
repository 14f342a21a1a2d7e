//! GraphQL object wrappers over domain models, with their inputs, payloads
//! and the query and mutation parts of each area.

pub mod account;
pub mod audit;
pub mod chiefs;
pub mod compound;
pub mod decisions;
pub mod parties;
pub mod people;
