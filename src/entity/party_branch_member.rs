//! The `party_branch_member` table.

use crate::domain::kinds::BranchRole;
use sea_orm::entity::prelude::*;

/// A person's membership of a party branch, in a role, over an inclusive term.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "party_branch_member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub branch_id: i64,
    pub person_id: i64,
    pub role: BranchRole,
    pub pioneer_post: Option<String>,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: Option<chrono::NaiveDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::party_branch::Entity",
        from = "Column::BranchId",
        to = "super::party_branch::Column::Id",
        on_delete = "Restrict"
    )]
    PartyBranch,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id",
        on_delete = "Restrict"
    )]
    Person,
}

impl Related<super::party_branch::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PartyBranch.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
