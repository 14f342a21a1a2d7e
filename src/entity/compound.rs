//! The `compound` table.

use crate::domain::kinds::CompoundKind;
use sea_orm::entity::prelude::*;

/// A residential compound (小区), bungalow area or commercial street of a community.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "compound")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique_key = "uq_compound_community_id_name")]
    pub community_id: i64,
    #[sea_orm(unique_key = "uq_compound_community_id_name")]
    pub name: String,
    pub kind: CompoundKind,
    pub address: Option<String>,
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
    #[sea_orm(has_many = "super::building::Entity")]
    Building,
    #[sea_orm(has_many = "super::party_branch::Entity")]
    PartyBranch,
    #[sea_orm(has_many = "super::owners_committee::Entity")]
    OwnersCommittee,
    #[sea_orm(has_many = "super::property_contract::Entity")]
    PropertyContract,
    #[sea_orm(has_many = "super::joint_meeting::Entity")]
    JointMeeting,
}

impl Related<super::community::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Community.def()
    }
}

impl Related<super::building::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Building.def()
    }
}

impl Related<super::party_branch::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PartyBranch.def()
    }
}

impl Related<super::owners_committee::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OwnersCommittee.def()
    }
}

impl Related<super::property_contract::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PropertyContract.def()
    }
}

impl Related<super::joint_meeting::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JointMeeting.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
