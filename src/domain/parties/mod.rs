//! The three parties of a compound and their relations: the party branch
//! (`party`), the owners' committee (`committee`), property companies and
//! their contracts (`property`), joint meetings (`meetings`) and the facts
//! that link them, such as cross-appointment (`linkage`); the community's
//! two committees (`community`), a property company's party organisation
//! and posts (`company`), and the seat rules they share (`seats`).

pub mod committee;
pub mod community;
pub mod company;
pub mod linkage;
pub mod meetings;
pub mod party;
pub mod property;
pub mod seats;
