//! Batch writes for loading a register: many people of one community, many
//! residencies or ownerships of one compound, in one change. Each item is
//! checked by the rules of its single-row function (`create_person`,
//! `add_residency`, `add_ownership`), the rows are stored in bulk, and each
//! gets its own audit record. A batch fails as a whole, naming the first
//! failing item (`input.<index>.<field>`).

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{
    LIVES_THERE, OWNS_IT, PEOPLE, PersonFields, check_no_overlap, masked, new_ownership_row,
    new_person_row, new_residency_row,
};
use crate::domain::access::{self, Permission, Permit, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::batch::{PARAMS_PER_CHUNK, at_item, insert_returning};
use crate::domain::kinds::ResidencyKind;
use crate::domain::operation::Operation;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::Term;
use crate::entity::{building, community, compound, dwelling, ownership, person, residency};
use crate::error::{AppError, AppResult, UserErrorCode};

/// Registers many people in one community: one permit over the community,
/// each item checked as `create_person` checks it. Returns the people in
/// the order given.
pub async fn register_people(
    uow: &UnitOfWork<'_>,
    community_id: i64,
    items: Vec<PersonFields>,
) -> AppResult<Vec<person::Model>> {
    let db = uow.db();
    uow.target::<community::Entity>(PEOPLE, community_id, "community_id", "community")
        .await?;
    let scope = Scope::of_community(db, community_id).await?;
    let permit = uow.permit(PEOPLE, &scope)?;
    let now = uow.now();
    let rows = items
        .into_iter()
        .enumerate()
        .map(|(i, fields)| new_person_row(community_id, fields, now).map_err(|e| at_item(e, i)))
        .collect::<AppResult<Vec<_>>>()?;
    let stored = insert_returning(db, rows).await?;
    let records: Vec<person::Model> = stored.iter().map(masked).collect();
    audit::created_many(
        uow,
        records.iter().map(|m| {
            (
                &permit,
                Subject::new(Operation::CreatePerson, "Person", m.id, &scope),
                m,
            )
        }),
    )
    .await?;
    Ok(stored)
}

/// A tie of a person to a dwelling for a term: a residency or an ownership.
#[derive(Debug, Clone)]
pub struct NewTie {
    /// The person.
    pub person_id: i64,
    /// The dwelling.
    pub dwelling_id: i64,
    /// The term.
    pub term: Term,
}

/// Records many residencies in the dwellings of one compound, each checked
/// as `add_residency` checks it (also against the batch's earlier items).
/// Returns the residencies in the order given.
pub async fn add_residencies(
    uow: &UnitOfWork<'_>,
    compound_id: i64,
    items: Vec<(NewTie, ResidencyKind)>,
) -> AppResult<Vec<residency::Model>> {
    let ties: Vec<&NewTie> = items.iter().map(|(t, _)| t).collect();
    let checked = Checked::of(uow, compound_id, &ties).await?;
    let stored_terms = residency::Entity::find()
        .filter(residency::Column::DwellingId.is_in(checked.dwellings()))
        .all(uow.db())
        .await?
        .into_iter()
        .map(|r| (r.person_id, r.dwelling_id, term_of(r.starts_on, r.ends_on)));
    checked.no_overlaps(&ties, stored_terms, LIVES_THERE)?;
    let rows = items
        .iter()
        .map(|(t, kind)| new_residency_row(t.person_id, t.dwelling_id, *kind, t.term))
        .collect();
    let stored = insert_returning(uow.db(), rows).await?;
    checked
        .audit(uow, Operation::AddResidency, "Residency", &stored, |m| {
            (m.id, m.dwelling_id)
        })
        .await?;
    Ok(stored)
}

/// Records many ownerships of the dwellings of one compound, each checked
/// as `add_ownership` checks it (also against the batch's earlier items).
/// Returns the ownerships in the order given.
pub async fn add_ownerships(
    uow: &UnitOfWork<'_>,
    compound_id: i64,
    items: Vec<NewTie>,
) -> AppResult<Vec<ownership::Model>> {
    let ties: Vec<&NewTie> = items.iter().collect();
    let checked = Checked::of(uow, compound_id, &ties).await?;
    let stored_terms = ownership::Entity::find()
        .filter(ownership::Column::DwellingId.is_in(checked.dwellings()))
        .all(uow.db())
        .await?
        .into_iter()
        .map(|o| (o.person_id, o.dwelling_id, term_of(o.starts_on, o.ends_on)));
    checked.no_overlaps(&ties, stored_terms, OWNS_IT)?;
    let rows = items
        .iter()
        .map(|t| new_ownership_row(t.person_id, t.dwelling_id, t.term))
        .collect();
    let stored = insert_returning(uow.db(), rows).await?;
    checked
        .audit(uow, Operation::AddOwnership, "Ownership", &stored, |m| {
            (m.id, m.dwelling_id)
        })
        .await?;
    Ok(stored)
}

fn term_of(starts_on: chrono::NaiveDate, ends_on: Option<chrono::NaiveDate>) -> Term {
    Term { starts_on, ends_on }
}

/// What a batch of ties has proved: every dwelling lies in the compound
/// and the caller holds a permit over each, and every person exists.
struct Checked<'a> {
    /// The scope of each dwelling named, as `Scope::of_dwelling` gives it.
    scopes: HashMap<i64, Scope>,
    /// The permit over each dwelling named.
    permits: HashMap<i64, Permit<'a>>,
}

impl<'a> Checked<'a> {
    /// Checks the dwellings and people of `ties`, in the order
    /// `add_residency` and `add_ownership` check them.
    async fn of(uow: &UnitOfWork<'a>, compound_id: i64, ties: &[&NewTie]) -> AppResult<Self> {
        let db = uow.db();
        uow.target::<compound::Entity>(
            Permission::ManageRegister,
            compound_id,
            "compound_id",
            "compound",
        )
        .await?;
        let compound_scope = Scope::of_compound(db, compound_id).await?;
        let in_compound: HashMap<i64, Scope> = dwelling::Entity::find()
            .select_only()
            .column(dwelling::Column::Id)
            .column(dwelling::Column::BuildingId)
            .column(building::Column::GridId)
            .inner_join(building::Entity)
            .filter(building::Column::CompoundId.eq(compound_id))
            .into_tuple::<(i64, i64, Option<i64>)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(d, b, g)| {
                let scope = Scope {
                    building_id: Some(b),
                    grid_id: g,
                    dwelling_id: Some(d),
                    ..compound_scope
                };
                (d, scope)
            })
            .collect();
        let wanted: Vec<i64> = ties
            .iter()
            .map(|t| t.person_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let mut people = HashSet::with_capacity(wanted.len());
        for chunk in wanted.chunks(PARAMS_PER_CHUNK) {
            let found: Vec<i64> = person::Entity::find()
                .select_only()
                .column(person::Column::Id)
                .filter(person::Column::Id.is_in(chunk.to_vec()))
                .into_tuple()
                .all(db)
                .await?;
            people.extend(found);
        }
        let mut scopes = HashMap::new();
        let mut permits = HashMap::new();
        for (i, t) in ties.iter().enumerate() {
            let mut check = || {
                let Some(scope) = in_compound.get(&t.dwelling_id) else {
                    return Err(access::missing(
                        uow.caller(),
                        Permission::ManageRegister,
                        "dwelling_id",
                        "dwelling",
                    ));
                };
                if let std::collections::hash_map::Entry::Vacant(e) = permits.entry(t.dwelling_id) {
                    e.insert(uow.permit(Permission::ManageRegister, scope)?);
                    scopes.insert(t.dwelling_id, *scope);
                }
                if !people.contains(&t.person_id) {
                    return Err(AppError::invalid(
                        "person_id",
                        UserErrorCode::NotFound,
                        "no such person",
                    ));
                }
                Ok(())
            };
            check().map_err(|e| at_item(e, i))?;
        }
        Ok(Self { scopes, permits })
    }

    /// The dwellings named.
    fn dwellings(&self) -> Vec<i64> {
        self.scopes.keys().copied().collect()
    }

    /// Refuses a tie whose term overlaps another of the same person and
    /// dwelling, among the `stored` ones and the batch's earlier items.
    fn no_overlaps(
        &self,
        ties: &[&NewTie],
        stored: impl Iterator<Item = (i64, i64, Term)>,
        message: &str,
    ) -> AppResult<()> {
        let mut terms: HashMap<(i64, i64), Vec<Term>> = HashMap::new();
        for (p, d, term) in stored {
            terms.entry((p, d)).or_default().push(term);
        }
        for (i, t) in ties.iter().enumerate() {
            let same = terms.entry((t.person_id, t.dwelling_id)).or_default();
            check_no_overlap(same.iter().copied(), &t.term, message).map_err(|e| at_item(e, i))?;
            same.push(t.term);
        }
        Ok(())
    }

    /// One audit record per stored row, under the permit over its dwelling.
    async fn audit<M: serde::Serialize>(
        &self,
        uow: &UnitOfWork<'_>,
        operation: Operation,
        entity_type: &str,
        stored: &[M],
        key: impl Fn(&M) -> (i64, i64),
    ) -> AppResult<()> {
        let mut creations = Vec::with_capacity(stored.len());
        for m in stored {
            let (id, dwelling_id) = key(m);
            let (Some(permit), Some(scope)) = (
                self.permits.get(&dwelling_id),
                self.scopes.get(&dwelling_id),
            ) else {
                return Err(AppError::Internal(format!(
                    "no permit for dwelling {dwelling_id}"
                )));
            };
            creations.push((permit, Subject::new(operation, entity_type, id, scope), m));
        }
        audit::created_many(uow, creations).await
    }
}
