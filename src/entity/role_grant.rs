//! The `role_grant` table.

use crate::domain::kinds::Role;
use sea_orm::entity::prelude::*;

/// A role granted to an account over the scope whose column is set; active while `revoked_at` is null.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "role_grant")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub role: Role,
    pub subdistrict_id: Option<i64>,
    pub community_id: Option<i64>,
    pub compound_id: Option<i64>,
    pub dwelling_id: Option<i64>,
    pub granted_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub grid_id: Option<i64>,
    pub building_id: Option<i64>,
    pub district_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Restrict"
    )]
    Account,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
