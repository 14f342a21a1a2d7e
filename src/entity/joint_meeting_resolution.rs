//! The `joint_meeting_resolution` table.

use sea_orm::entity::prelude::*;

/// A resolution of a joint meeting, at its position in the list.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "joint_meeting_resolution")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique_key = "uq_joint_meeting_resolution_meeting_id_position")]
    pub meeting_id: i64,
    #[sea_orm(unique_key = "uq_joint_meeting_resolution_meeting_id_position")]
    pub position: i32,
    #[sea_orm(column_type = "Text")]
    pub text: String,
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
}

impl Related<super::joint_meeting::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JointMeeting.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
