//! sea-orm entities, one module per table. Only table models live here:
//! no GraphQL derives and no rules (those are in `crate::domain`).

pub mod account;
pub mod audit_record;
pub mod auth_token;
pub mod building;
pub mod chief_appointment;
pub mod committee_member;
pub mod community;
pub mod compound;
pub mod dwelling;
pub mod entrance;
pub mod grid;
pub mod joint_meeting;
pub mod joint_meeting_attendee;
pub mod joint_meeting_resolution;
pub mod owners_committee;
pub mod ownership;
pub mod party_branch;
pub mod party_branch_member;
pub mod person;
pub mod property_company;
pub mod property_contract;
pub mod residency;
pub mod role_grant;
pub mod subdistrict;
