//! The `community_committee` table.

use crate::domain::kinds::CommunityCommitteeKind;
use sea_orm::entity::prelude::*;

/// One term (届) of one of a community's two committees (社区"两委"): its party committee or its residents' committee.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "community_committee")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub community_id: i64,
    pub kind: CommunityCommitteeKind,
    pub name: String,
    pub term_starts_on: chrono::NaiveDate,
    pub term_ends_on: chrono::NaiveDate,
    pub created_at: DateTimeUtc,
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
}

impl Related<super::community::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Community.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
