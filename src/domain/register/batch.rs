//! Batch writes of the register, for loading one (the demo, an import):
//! the same rules as the single-row functions of `register`, one permit per
//! batch, rows stored in bulk with one audit record each.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{DwellingFields, check_dwelling_facts, new_dwelling_row, required_dwelling_fields};
use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::batch::{at_item, insert_returning};
use crate::domain::operation::Operation;
use crate::domain::unit_of_work::UnitOfWork;
use crate::entity::{building, dwelling, entrance};
use crate::error::{AppError, AppResult, UserErrorCode};

/// Registers many dwellings of one building at once (loading a register):
/// one permit over the building's compound, every item checked by the rules
/// of `create_dwelling` (a number already used in the building fails the whole batch through the unique index), the rows
/// stored in bulk with one audit record each. Fails as a whole, naming the
/// first failing item; returns the dwellings in the order given.
pub async fn add_dwellings(
    uow: &UnitOfWork<'_>,
    building_id: i64,
    items: Vec<DwellingFields>,
) -> AppResult<Vec<dwelling::Model>> {
    let db = uow.db();
    let b = uow
        .target::<building::Entity>(
            Permission::ManageRegister,
            building_id,
            "building_id",
            "building",
        )
        .await?;
    let scope = Scope::of_compound(db, b.compound_id).await?;
    let permit = uow.permit(Permission::ManageRegister, &scope)?;
    let entrance_ids: Vec<i64> = items
        .iter()
        .filter_map(|f| f.entrance_id.flatten())
        .collect();
    let entrances: HashMap<i64, entrance::Model> = entrance::Entity::find()
        .filter(entrance::Column::Id.is_in(entrance_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let now = uow.now();
    let mut rows = Vec::with_capacity(items.len());
    for (i, fields) in items.iter().enumerate() {
        let checked = || {
            let (number, area) = required_dwelling_fields(fields)?;
            let entrance = match fields.entrance_id {
                Some(Some(id)) => Some(entrances.get(&id).ok_or_else(|| {
                    AppError::invalid("entrance_id", UserErrorCode::NotFound, "no such entrance")
                })?),
                _ => None,
            };
            check_dwelling_facts(&b, fields, entrance)?;
            Ok::<_, AppError>((number, area))
        };
        let (number, area) = checked().map_err(|e| at_item(e, i))?;
        rows.push(new_dwelling_row(building_id, fields, number, area, now));
    }
    let stored = insert_returning(db, rows).await?;
    let scopes: Vec<Scope> = stored
        .iter()
        .map(|m| Scope {
            dwelling_id: Some(m.id),
            ..scope
        })
        .collect();
    audit::created_many(
        uow,
        stored.iter().zip(&scopes).map(|(m, scope)| {
            (
                &permit,
                Subject::new(Operation::CreateDwelling, "Dwelling", m.id, scope),
                m,
            )
        }),
    )
    .await?;
    Ok(stored)
}
