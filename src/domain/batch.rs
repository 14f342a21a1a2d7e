//! Writing many rows of one kind in one change: the bulk statements and the
//! naming of a failing item. The batch write functions of each area (e.g.
//! `register::add_dwellings`, `people::register_people`) take their permits
//! and check every item with the same rules as their single-row function,
//! then store the rows through here and write one audit record a row.
//!
//! What does not live here: any rule (in the areas) or any access decision
//! (in `access`).

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Iterable};

use crate::domain::store::Keyed;
use crate::error::{AppError, AppResult};

/// Bound parameters per bulk statement. Far below SQLite's and PostgreSQL's
/// limits; it is this small for PostgreSQL over TCP, where a statement
/// whose bound values exceed about 16 KB stalled some 40 ms with both ends
/// idle under sqlx 0.9.0, which did not set TCP_NODELAY (Nagle's algorithm
/// meeting the server's delayed ACK). Measured with the demo then: 18 s in
/// 500-row chunks over TCP, under 4 s in chunks of this size. sqlx 0.9.1
/// sets TCP_NODELAY again; the sizes have not been measured anew since.
pub const PARAMS_PER_CHUNK: usize = 900;

/// Bytes of bound values per bulk statement, for the same stall: rows with
/// long text (audit records carry a JSON copy of the row) reach 16 KB long
/// before `PARAMS_PER_CHUNK` values. Measured with the full demo on
/// PostgreSQL over TCP: 92 s in chunks cut by count alone.
pub const BYTES_PER_CHUNK: usize = 12_000;

/// `rows` cut into chunks of at most `PARAMS_PER_CHUNK` bound values and,
/// by `size` (a row's bytes of text, roughly), at most `BYTES_PER_CHUNK`
/// bytes. Every chunk but the last has the same number of rows, so the
/// driver prepares one statement for them all: chunks of varying size cost
/// SQLite a prepare each (measured: 22 s instead of 10 s for the full demo).
fn chunks<A: ActiveModelTrait>(
    rows: Vec<A>,
    size: impl Fn(&A) -> usize,
) -> impl Iterator<Item = Vec<A>> {
    let columns = <A::Entity as EntityTrait>::Column::iter().count();
    let largest = rows.iter().map(size).max().unwrap_or(0);
    let per_chunk = (PARAMS_PER_CHUNK / columns.max(1))
        .min(BYTES_PER_CHUNK / largest.max(1))
        .max(1);
    let mut rows = rows.into_iter().peekable();
    std::iter::from_fn(move || {
        rows.peek()?;
        Some(rows.by_ref().take(per_chunk).collect())
    })
}

/// Inserts `rows` in bulk; returns the stored rows in the order given.
/// Within one statement both SQLite and PostgreSQL hand out increasing ids
/// in the order of the rows, so each chunk's rows are put back in id order.
pub async fn insert_returning<A>(
    db: &impl ConnectionTrait,
    rows: Vec<A>,
) -> AppResult<Vec<<A::Entity as EntityTrait>::Model>>
where
    A: ActiveModelTrait + Send,
    A::Entity: Keyed,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    let expected = rows.len();
    let mut stored = Vec::with_capacity(expected);
    // Rows of these tables are short: counting values is enough.
    for chunk in chunks(rows, |_| 0) {
        let mut models = A::Entity::insert_many(chunk)
            .exec_with_returning(db)
            .await?;
        models.sort_by_key(<A::Entity as Keyed>::id_of);
        stored.extend(models);
    }
    if stored.len() != expected {
        return Err(AppError::Internal(format!(
            "bulk insert stored {} of {expected} rows",
            stored.len()
        )));
    }
    Ok(stored)
}

/// Inserts `rows` in bulk, returning nothing; `size` tells a row's bytes of text.
pub async fn insert_all<A>(
    db: &impl ConnectionTrait,
    rows: Vec<A>,
    size: impl Fn(&A) -> usize,
) -> AppResult<()>
where
    A: ActiveModelTrait + Send,
{
    for chunk in chunks(rows, size) {
        A::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The error of item `index` of a batch: each field error's path gets the
/// item's position in front (`3.number`), so the failing item is named.
pub fn at_item(err: AppError, index: usize) -> AppError {
    match err {
        AppError::Invalid(mut errors) => {
            for e in &mut errors {
                e.field = if e.field.is_empty() {
                    index.to_string()
                } else {
                    format!("{index}.{}", e.field)
                };
            }
            AppError::Invalid(errors)
        }
        other => other,
    }
}
