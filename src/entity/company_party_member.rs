//! The `company_party_member` table.

use crate::domain::kinds::BranchRole;
use sea_orm::entity::prelude::*;

/// A party member's seat in a property company's party organisation, in a role, over an inclusive term.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "company_party_member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub person_id: i64,
    pub role: BranchRole,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: Option<chrono::NaiveDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::company_party_org::Entity",
        from = "Column::OrgId",
        to = "super::company_party_org::Column::Id",
        on_delete = "Restrict"
    )]
    CompanyPartyOrg,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id",
        on_delete = "Restrict"
    )]
    Person,
}

impl Related<super::company_party_org::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CompanyPartyOrg.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
