//! Decisions and their records: the residents' council and its
//! publications and objections (`council`), owners' assembly votes under
//! Civil Code art. 278 (`assembly`) with their exact tallies (`tally`), and
//! the tamper-evident chain of every decision record (`ledger`, with the
//! chained payloads in `chain_payload`).

pub mod assembly;
pub mod chain_payload;
pub mod council;
pub mod ledger;
pub mod tally;
