//! The rules of the domain, one module per area. Functions here take
//! `&impl ConnectionTrait` so that a transaction or a test connection can be
//! passed in, and are tested without HTTP.

pub mod access;
pub mod accounts;
pub mod assembly;
pub mod audit;
pub mod chain_payload;
pub mod chiefs;
pub mod clock;
pub mod committee;
pub mod compound;
pub mod council;
pub mod event;
pub mod kinds;
pub mod ledger;
pub mod linkage;
pub mod meetings;
pub mod operation;
pub mod party;
pub mod people;
pub mod property;
pub mod store;
pub mod tally;
pub mod unit_of_work;
pub mod values;
