//! The `party_branch` table.

use crate::domain::kinds::PartyBranchKind;
use sea_orm::entity::prelude::*;

/// A party branch (党支部) of a compound, active while `dissolved_on` is null.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "party_branch")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub name: String,
    pub kind: PartyBranchKind,
    pub established_on: chrono::NaiveDate,
    pub dissolved_on: Option<chrono::NaiveDate>,
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
    #[sea_orm(has_many = "super::party_branch_member::Entity")]
    PartyBranchMember,
}

impl Related<super::compound::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Compound.def()
    }
}

impl Related<super::party_branch_member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PartyBranchMember.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
