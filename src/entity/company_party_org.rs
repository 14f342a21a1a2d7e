//! The `company_party_org` table.

use sea_orm::entity::prelude::*;

/// A property company's own party organisation (红色物业), in being from its establishment to its dissolution.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "company_party_org")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub established_on: chrono::NaiveDate,
    pub dissolved_on: Option<chrono::NaiveDate>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::property_company::Entity",
        from = "Column::CompanyId",
        to = "super::property_company::Column::Id",
        on_delete = "Restrict"
    )]
    PropertyCompany,
}

impl Related<super::property_company::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PropertyCompany.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
