//! The `joint_meeting` table.

use sea_orm::entity::prelude::*;

/// A three-party joint meeting (三方联席会议) of a compound.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "joint_meeting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub held_on: chrono::NaiveDate,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub agenda: String,
    #[sea_orm(column_type = "Text")]
    pub minutes: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::compound::Entity",
        from = "Column::CompoundId",
        to = "super::compound::Column::Id",
        on_delete = "Restrict"
    )]
    Compound,
    #[sea_orm(has_many = "super::joint_meeting_attendee::Entity")]
    JointMeetingAttendee,
    #[sea_orm(has_many = "super::joint_meeting_resolution::Entity")]
    JointMeetingResolution,
}

impl Related<super::compound::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Compound.def()
    }
}

impl Related<super::joint_meeting_attendee::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JointMeetingAttendee.def()
    }
}

impl Related<super::joint_meeting_resolution::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JointMeetingResolution.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
