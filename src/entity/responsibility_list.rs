//! The `responsibility_list` table.

use crate::domain::kinds::ResponsiblePartyKind;
use sea_orm::entity::prelude::*;

/// The responsibility list (谁受益、谁担责) of one kind of party in a community; its content is in its versions.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "responsibility_list")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique_key = "uq_responsibility_list_community_id_party_kind")]
    pub community_id: i64,
    #[sea_orm(unique_key = "uq_responsibility_list_community_id_party_kind")]
    pub party_kind: ResponsiblePartyKind,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
