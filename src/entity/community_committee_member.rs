//! The `community_committee_member` table.

use crate::domain::kinds::CommunityCommitteeRole;
use sea_orm::entity::prelude::*;

/// A person's seat on a community committee, in a role, over an inclusive term within the committee's.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "community_committee_member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub committee_id: i64,
    pub person_id: i64,
    pub role: CommunityCommitteeRole,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: Option<chrono::NaiveDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::community_committee::Entity",
        from = "Column::CommitteeId",
        to = "super::community_committee::Column::Id",
        on_delete = "Restrict"
    )]
    CommunityCommittee,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id",
        on_delete = "Restrict"
    )]
    Person,
}

impl Related<super::community_committee::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CommunityCommittee.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
