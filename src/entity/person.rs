//! The `person` table.

use sea_orm::entity::prelude::*;

/// A person registered in a community; `phone` and `id_number` are personal data.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "person")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub community_id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub is_party_member: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::community::Entity",
        from = "Column::CommunityId",
        to = "super::community::Column::Id",
        on_delete = "Restrict"
    )]
    Community,
    #[sea_orm(has_many = "super::residency::Entity")]
    Residency,
    #[sea_orm(has_many = "super::ownership::Entity")]
    Ownership,
    #[sea_orm(has_many = "super::party_branch_member::Entity")]
    PartyBranchMember,
    #[sea_orm(has_many = "super::committee_member::Entity")]
    CommitteeMember,
    #[sea_orm(has_many = "super::joint_meeting_attendee::Entity")]
    JointMeetingAttendee,
    #[sea_orm(has_many = "super::chief_appointment::Entity")]
    ChiefAppointment,
    #[sea_orm(has_many = "super::account::Entity")]
    Account,
}

impl Related<super::community::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Community.def()
    }
}

impl Related<super::residency::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Residency.def()
    }
}

impl Related<super::ownership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Ownership.def()
    }
}

impl Related<super::party_branch_member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PartyBranchMember.def()
    }
}

impl Related<super::committee_member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CommitteeMember.def()
    }
}

impl Related<super::joint_meeting_attendee::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JointMeetingAttendee.def()
    }
}

impl Related<super::chief_appointment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChiefAppointment.def()
    }
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
