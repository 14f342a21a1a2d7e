//! The `campaign_entry` table.

use crate::domain::kinds::EntryRoute;
use sea_orm::entity::prelude::*;

/// A compound (or a community) entered in a campaign.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "campaign_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    /// The compound entered; empty for a community's entry.
    pub compound_id: Option<i64>,
    /// The community entered, or the entered compound's community.
    pub community_id: i64,
    pub route: EntryRoute,
    /// The title it was drawn from (route FROM_TITLE).
    pub source_title_id: Option<i64>,
    /// Why it is recommended, or what the application says.
    pub note: String,
    pub entered_by: i64,
    pub entered_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
