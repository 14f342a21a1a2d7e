//! Decisions and their records: the residents' council (`council`), its
//! publications and objections (`publications`), owners' assembly votes under
//! Civil Code art. 278 (`assembly`, their ballots written in groups by
//! `ballot_box`) with their exact tallies (`tally`), and
//! the tamper-evident chain of every decision record (`ledger`, with the
//! chained payloads in `chain_payload`).

pub mod assembly;
pub mod ballot_box;
pub mod chain_payload;
pub mod council;
pub mod ledger;
pub mod publications;
pub mod tally;
