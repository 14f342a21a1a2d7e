//! The `joint_meeting_attendee` table.

use crate::domain::kinds::MeetingParty;
use sea_orm::entity::prelude::*;

/// A person attending a joint meeting for one of the parties.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "joint_meeting_attendee")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique_key = "uq_joint_meeting_attendee_meeting_id_person_id")]
    pub meeting_id: i64,
    #[sea_orm(unique_key = "uq_joint_meeting_attendee_meeting_id_person_id")]
    pub person_id: i64,
    pub party: MeetingParty,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::joint_meeting::Entity",
        from = "Column::MeetingId",
        to = "super::joint_meeting::Column::Id",
        on_delete = "Restrict"
    )]
    JointMeeting,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id",
        on_delete = "Restrict"
    )]
    Person,
}

impl Related<super::joint_meeting::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JointMeeting.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
