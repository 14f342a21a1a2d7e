//! The `chief_association_member` table.

use crate::domain::kinds::AssociationRole;
use sea_orm::entity::prelude::*;

/// A chief's membership of the association, in a role, from joining to leaving.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "chief_association_member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub association_id: i64,
    pub person_id: i64,
    pub role: AssociationRole,
    pub joined_on: chrono::NaiveDate,
    pub left_on: Option<chrono::NaiveDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::chief_association::Entity",
        from = "Column::AssociationId",
        to = "super::chief_association::Column::Id",
        on_delete = "Restrict"
    )]
    ChiefAssociation,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id",
        on_delete = "Restrict"
    )]
    Person,
}

impl Related<super::chief_association::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChiefAssociation.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
