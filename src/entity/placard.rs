//! The `placard` table.

use sea_orm::entity::prelude::*;

/// One posting of a compound's responsibility placard (责任牌 / 亮牌), in force
/// from `posted_on` until the compound's next posting; never edited.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "placard")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub posted_on: chrono::NaiveDate,
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
    #[sea_orm(has_many = "super::placard_person::Entity")]
    PlacardPerson,
}

impl Related<super::compound::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Compound.def()
    }
}

impl Related<super::placard_person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PlacardPerson.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
