//! The `placard_person` table.

use crate::domain::kinds::PlacardPost;
use sea_orm::entity::prelude::*;

/// A responsible person as a placard posting names them: the register's
/// person, their name as posted, the title shown and the public contact
/// given for the placard (never the register's private phone).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "placard_person")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub placard_id: i64,
    pub post: PlacardPost,
    pub person_id: i64,
    pub name: String,
    pub title: String,
    pub contact_phone: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::placard::Entity",
        from = "Column::PlacardId",
        to = "super::placard::Column::Id",
        on_delete = "Restrict"
    )]
    Placard,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id",
        on_delete = "Restrict"
    )]
    Person,
}

impl Related<super::placard::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Placard.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
