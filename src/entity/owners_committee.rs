//! The `owners_committee` table.

use sea_orm::entity::prelude::*;

/// An owners' committee (业主委员会) of a compound, active while `dissolved_on` is null.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "owners_committee")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub name: String,
    pub elected_on: chrono::NaiveDate,
    pub term_starts_on: chrono::NaiveDate,
    pub term_ends_on: chrono::NaiveDate,
    pub dissolved_on: Option<chrono::NaiveDate>,
    pub created_at: DateTimeUtc,
    /// The adopted assembly vote (art. 278 item 3) that elected it, when cited.
    pub vote_id: Option<i64>,
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
    #[sea_orm(has_many = "super::committee_member::Entity")]
    CommitteeMember,
}

impl Related<super::compound::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Compound.def()
    }
}

impl Related<super::committee_member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CommitteeMember.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
