//! The three parties of a compound and their relations: the party branch
//! (`party`), the owners' committee (`committee`), property companies and
//! their contracts (`property`), joint meetings (`meetings`) and the facts
//! that link them, such as cross-appointment (`linkage`).

pub mod committee;
pub mod linkage;
pub mod meetings;
pub mod party;
pub mod property;
