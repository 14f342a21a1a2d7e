//! The `committee_member` table.

use crate::domain::kinds::CommitteeRole;
use sea_orm::entity::prelude::*;

/// A person's seat on an owners' committee, possibly replacing an earlier member.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "committee_member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub committee_id: i64,
    pub person_id: i64,
    pub role: CommitteeRole,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: Option<chrono::NaiveDate>,
    pub end_reason: Option<String>,
    pub replaces_id: Option<i64>,
    /// The adopted assembly vote (art. 278 item 3) that elected or replaced the member, when cited.
    pub vote_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::owners_committee::Entity",
        from = "Column::CommitteeId",
        to = "super::owners_committee::Column::Id",
        on_delete = "Restrict"
    )]
    OwnersCommittee,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id",
        on_delete = "Restrict"
    )]
    Person,
    /// The earlier member whose seat this member took over.
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ReplacesId",
        to = "Column::Id",
        on_delete = "Restrict"
    )]
    Replaces,
}

impl Related<super::owners_committee::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OwnersCommittee.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
