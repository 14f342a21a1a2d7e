//! The `chief_conduct_record` table.

use crate::domain::kinds::ConductKind;
use sea_orm::entity::prelude::*;

/// A commendation or penalty (奖惩) of a chief against the code of conduct: never edited.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "chief_conduct_record")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub appointment_id: i64,
    pub kind: ConductKind,
    pub decided_on: chrono::NaiveDate,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub code_article: Option<String>,
    pub decided_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::chief_appointment::Entity",
        from = "Column::AppointmentId",
        to = "super::chief_appointment::Column::Id",
        on_delete = "Restrict"
    )]
    ChiefAppointment,
}

impl Related<super::chief_appointment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChiefAppointment.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
