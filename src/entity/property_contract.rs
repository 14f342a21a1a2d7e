//! The `property_contract` table.

use crate::domain::kinds::ContractStatus;
use sea_orm::entity::prelude::*;

/// A property-service contract between a compound and a property company.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "property_contract")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub company_id: i64,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    pub status: ContractStatus,
    pub ended_on: Option<chrono::NaiveDate>,
    pub end_reason: Option<String>,
    pub created_at: DateTimeUtc,
    /// The adopted assembly vote (art. 278 item 4) that hired the company, when cited.
    pub vote_id: Option<i64>,
    /// The adopted assembly vote (art. 278 item 4) that dismissed it, when cited.
    pub end_vote_id: Option<i64>,
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
    #[sea_orm(
        belongs_to = "super::property_company::Entity",
        from = "Column::CompanyId",
        to = "super::property_company::Column::Id",
        on_delete = "Restrict"
    )]
    PropertyCompany,
}

impl Related<super::compound::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Compound.def()
    }
}

impl Related<super::property_company::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PropertyCompany.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
