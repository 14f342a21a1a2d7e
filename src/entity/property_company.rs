//! The `property_company` table.

use sea_orm::entity::prelude::*;

/// A property-service company (物业服务企业); its party organisation, if any, is in `company_party_org`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "property_company")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    #[sea_orm(unique)]
    pub credit_code: Option<String>,
    pub phone: Option<String>,
    pub star_rating: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::property_contract::Entity")]
    PropertyContract,
}

impl Related<super::property_contract::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PropertyContract.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
