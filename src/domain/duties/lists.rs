//! Publishing a version of a community's responsibility list, and reading
//! the lists. The rules are in the area's top comment (`domain::duties`).

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Serialize;

use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::batch;
use crate::domain::kinds::{DutyField, ResponsiblePartyKind};
use crate::domain::operation::Operation;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, parse_text};
use crate::entity::{
    community, responsibility_item as item, responsibility_list as list,
    responsibility_list_version as version,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// Most duty items one version holds: a list is one placard, read whole.
pub const MAX_ITEMS: usize = 100;
/// Longest text of one duty item, in characters.
pub const MAX_ITEM_LEN: usize = 1_000;

/// One duty of a version to publish, as given.
#[derive(Debug, Clone)]
pub struct NewItem {
    /// Its field.
    pub field: DutyField,
    /// What the party must do.
    pub text: String,
}

/// A version to publish, as given: checked only once the caller may
/// publish in the community, so a refusal tells nothing about the input.
#[derive(Debug, Clone)]
pub struct NewVersion {
    /// The community.
    pub community_id: i64,
    /// The kind of party the list is for.
    pub party_kind: ResponsiblePartyKind,
    /// The title shown above the duties.
    pub title: String,
    /// What changed from the version before, if anything is said.
    pub note: Option<String>,
    /// The day it takes effect; today when not given.
    pub published_on: Option<NaiveDate>,
    /// The duties, in order.
    pub items: Vec<NewItem>,
}

/// A published version with its list and items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Published {
    /// The list.
    pub list: list::Model,
    /// The version.
    pub version: version::Model,
    /// Its items, in order.
    pub items: Vec<item::Model>,
}

/// What the audit trail keeps of a published version: the version and its
/// items, as published (payload version 1).
#[derive(Serialize)]
struct VersionRecord<'a> {
    payload: u8,
    version: &'a version::Model,
    items: &'a [item::Model],
}

/// The items, checked: at least one, at most `MAX_ITEMS`, each with a text.
fn check_items(items: &[NewItem]) -> AppResult<Vec<(DutyField, String)>> {
    if items.is_empty() {
        return Err(AppError::invalid(
            "items",
            UserErrorCode::Required,
            "a list holds at least one duty",
        ));
    }
    if items.len() > MAX_ITEMS {
        return Err(AppError::invalid(
            "items",
            UserErrorCode::OutOfRange,
            format!("a list holds at most {MAX_ITEMS} duties"),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let field = format!("items.{i}.text");
            let text = parse_text(&it.text, &field)?;
            if text.is_empty() {
                return Err(AppError::invalid(
                    &field,
                    UserErrorCode::Required,
                    "a duty must say what is to be done",
                ));
            }
            if text.chars().count() > MAX_ITEM_LEN {
                return Err(AppError::invalid(
                    &field,
                    UserErrorCode::TooLong,
                    format!("a duty is at most {MAX_ITEM_LEN} characters"),
                ));
            }
            Ok((it.field, text))
        })
        .collect()
}

/// Publishes a version of the community's list for a kind of party,
/// beginning the list with its first version.
pub async fn publish(uow: &UnitOfWork<'_>, new: NewVersion) -> AppResult<Published> {
    let db = uow.db();
    uow.target::<community::Entity>(
        Permission::ManageResponsibilityLists,
        new.community_id,
        "community_id",
        "community",
    )
    .await?;
    let scope = Scope::of_community(db, new.community_id).await?;
    let permit = uow.permit(Permission::ManageResponsibilityLists, &scope)?;
    let title = Name::parse(&new.title, "title")?;
    let note = match &new.note {
        Some(raw) => Some(parse_text(raw, "note")?).filter(|n| !n.is_empty()),
        None => None,
    };
    let today = uow.today();
    let published_on = new.published_on.unwrap_or(today);
    if published_on < today {
        return Err(AppError::invalid(
            "published_on",
            UserErrorCode::OutOfRange,
            "a version cannot take effect before the day it is published",
        ));
    }
    let items = check_items(&new.items)?;

    let existing = list::Entity::find()
        .filter(list::Column::CommunityId.eq(new.community_id))
        .filter(list::Column::PartyKind.eq(new.party_kind))
        .one(db)
        .await?;
    let the_list = match existing {
        Some(l) => l,
        None => {
            let l = list::ActiveModel {
                community_id: Set(new.community_id),
                party_kind: Set(new.party_kind),
                created_at: Set(uow.now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
            audit::created(
                uow,
                &permit,
                Subject::new(
                    Operation::CreateResponsibilityList,
                    "ResponsibilityList",
                    l.id,
                    &scope,
                ),
                &l,
            )
            .await?;
            l
        }
    };
    let latest = version::Entity::find()
        .filter(version::Column::ListId.eq(the_list.id))
        .order_by_desc(version::Column::Number)
        .one(db)
        .await?;
    if let Some(latest) = &latest
        && latest.published_on > published_on
    {
        return Err(AppError::invalid(
            "published_on",
            UserErrorCode::Conflict,
            format!(
                "version {} takes effect on {}; a new version takes effect on or after it",
                latest.number, latest.published_on
            ),
        ));
    }
    let v = version::ActiveModel {
        list_id: Set(the_list.id),
        number: Set(latest.map_or(1, |l| l.number + 1)),
        title: Set(title.into_inner()),
        note: Set(note),
        published_on: Set(published_on),
        published_by: Set(permit.actor().account_id),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let rows = items
        .into_iter()
        .enumerate()
        .map(|(i, (field, text))| item::ActiveModel {
            version_id: Set(v.id),
            position: Set(i as i32 + 1),
            field: Set(field),
            text: Set(text),
            ..Default::default()
        })
        .collect();
    let stored = batch::insert_returning(db, rows).await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::PublishResponsibilityList,
            "ResponsibilityListVersion",
            v.id,
            &scope,
        ),
        &VersionRecord {
            payload: 1,
            version: &v,
            items: &stored,
        },
    )
    .await?;
    Ok(Published {
        list: the_list,
        version: v,
        items: stored,
    })
}

/// The community's list for a kind of party, if one was ever published.
pub async fn find_list(
    db: &impl ConnectionTrait,
    community_id: i64,
    party_kind: ResponsiblePartyKind,
) -> AppResult<Option<list::Model>> {
    Ok(list::Entity::find()
        .filter(list::Column::CommunityId.eq(community_id))
        .filter(list::Column::PartyKind.eq(party_kind))
        .one(db)
        .await?)
}
