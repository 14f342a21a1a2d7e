//! Owners' assembly votes that owners cast online, for the benchmarks'
//! mix of issue 8 (the live tally of a large vote, ballots cast
//! concurrently in one compound and across many): on a database holding
//! the demo, the demo's admin opens a vote in each of the compounds with
//! the largest registers and makes an account for the first owners on each
//! register, so each account can cast its owner's ballot with `castBallot`.
//!
//! Like the load, it is written through the domain (`assembly::open_vote`,
//! `accounts::create_account`, `accounts::grant_role`) in one unit of work
//! as the demo's admin, once: a database that already has the accounts is
//! left alone. What does not live here: the demo itself (`write`), and the
//! ballots, which the owners cast through the API.

use std::collections::HashMap;

use compound_api::domain::accounts::{self, GrantTarget, NewAccount};
use compound_api::domain::clock::Clock;
use compound_api::domain::decisions::assembly;
use compound_api::domain::kinds::{ArticleMatter, Role};
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::domain::values::Name;
use compound_api::entity::{
    account, compound, person, vote_voter, vote_voter_owner, vote_voter_part,
};
use compound_api::error::{AppError, AppResult};
use compound_api::events::Events;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use crate::{LoadError, Lock, Need, Session, failed, finish, lock, session};

/// The matter put to every vote: using the maintenance fund (art. 278
/// item 5), decided by more than half of the area and of the owners.
pub const MATTER: ArticleMatter = ArticleMatter::MaintenanceFundUse;

/// The title of every vote opened here.
pub const VOTE_TITLE: &str = "关于增设电动自行车充电桩的表决";

const VOTE_DESCRIPTION: &str =
    "使用专项维修资金在小区非机动车棚增设电动自行车充电桩及消防设施（民法典第二百七十八条第五项）";

/// The username of the account for owner `n` (from 1) of vote `k` (from 1,
/// largest register first).
pub fn voter_username(k: usize, n: usize) -> String {
    format!("voter-{k}-{n}")
}

/// On a database holding the demo (any scale), opens an assembly vote in
/// each of the `votes` compounds with the most owners on the register
/// (largest first, ties by id) and makes an account, with the demo
/// password and a resident's grant on one of the owner's dwellings, for
/// each of the first `accounts_per_vote` owners on each register (by voter
/// id) who have a person of their own seat: `voter-<k>-<n>`. Returns a
/// one-line summary, or `None` when `voter-1-1` already exists (nothing is
/// touched then).
pub async fn open_votes(
    db: &DatabaseConnection,
    votes: usize,
    accounts_per_vote: usize,
) -> Result<Option<String>, LoadError> {
    if votes == 0 || accounts_per_vote == 0 {
        return Err("open at least one vote with at least one account".into());
    }
    if exists(db, &voter_username(1, 1)).await? {
        return Ok(None);
    }
    let clock = Clock::system();
    let events = Events::start(db).await.map_err(failed)?;
    // The admin's hash is the demo password's: every account gets it.
    let Some(Session {
        caller,
        token_id,
        password_hash,
    }) = session(db, &clock, &events, &Need::Admin).await?
    else {
        return Err("the demo's admin cannot log in".into());
    };
    let uow = UnitOfWork::begin(db, &caller, &clock)
        .await
        .map_err(failed)?;
    lock(uow.db(), Lock::Whole).await.map_err(failed)?;
    // Checked again under the lock: another run may have made them since.
    if exists(uow.db(), &voter_username(1, 1)).await? {
        uow.rollback().await.map_err(failed)?;
        accounts::logout(db, clock.now(), token_id)
            .await
            .map_err(failed)?;
        return Ok(None);
    }
    let summary = write(&uow, votes, accounts_per_vote, &password_hash)
        .await
        .map_err(failed)?;
    finish(uow, &clock, &events, token_id).await?;
    Ok(Some(summary))
}

async fn exists(db: &impl ConnectionTrait, username: &str) -> Result<bool, LoadError> {
    Ok(account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(db)
        .await?
        .is_some())
}

/// One owner on a register who gets an account: their person and a
/// dwelling of theirs for the resident's grant.
struct Seat {
    person_id: i64,
    dwelling_id: i64,
}

/// Opens the votes and makes the accounts; returns the summary.
async fn write(
    uow: &UnitOfWork<'_>,
    votes: usize,
    accounts_per_vote: usize,
    password_hash: &str,
) -> AppResult<String> {
    let db = uow.db();
    let today = uow.today();
    // Register sizes exactly as opening a vote would count them today.
    let mut sizes = Vec::new();
    for c in compound::Entity::find()
        .order_by_asc(compound::Column::Id)
        .all(db)
        .await?
    {
        let heads = assembly::count_heads(&assembly::parts_of(db, c.id, today).await?).len();
        if heads > 0 {
            sizes.push((heads, c));
        }
    }
    sizes.sort_by_key(|(heads, c)| (std::cmp::Reverse(*heads), c.id));
    let mut opened = Vec::new();
    let mut made = 0;
    for (k, (_, c)) in sizes.into_iter().take(votes).enumerate() {
        let k = k + 1;
        let vote =
            crate::generate::votes::open(uow, c.id, MATTER, VOTE_TITLE, VOTE_DESCRIPTION).await?;
        let seats = seats(uow, vote.id, accounts_per_vote).await?;
        if k == 1 && seats.is_empty() {
            return Err(AppError::Internal(format!(
                "no owner of {} has a person of their own on the register",
                c.name
            )));
        }
        let names: HashMap<i64, String> = person::Entity::find()
            .filter(person::Column::Id.is_in(seats.iter().map(|s| s.person_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
        for (n, seat) in seats.iter().enumerate() {
            let name = names.get(&seat.person_id).ok_or_else(|| {
                AppError::Internal(format!(
                    "person {} is on the register but not stored",
                    seat.person_id
                ))
            })?;
            let acc = accounts::create_account(
                uow,
                NewAccount {
                    username: voter_username(k, n + 1),
                    password_hash: password_hash.to_owned(),
                    display_name: Name::parse(name, "display_name")?,
                    person_id: Some(seat.person_id),
                },
            )
            .await?;
            accounts::grant_role(
                uow,
                acc.id,
                GrantTarget {
                    role: Role::Resident,
                    unit_id: Some(seat.dwelling_id),
                },
            )
            .await?;
        }
        made += seats.len();
        opened.push(format!(
            "{} ({} owners, {} accounts)",
            c.name,
            vote.total_heads,
            seats.len()
        ));
    }
    Ok(format!(
        "opened {} assembly votes ({VOTE_TITLE}): {}; {made} voter accounts (voter-<vote>-<n>, the demo password)",
        opened.len(),
        opened.join(", ")
    ))
}

/// The first `limit` owners of vote `vote_id`'s register, by voter id,
/// that can cast their own ballot without saying which owner it is for:
/// not the developer's share, with a person who is on this one seat only
/// (the first such person of co-owners).
async fn seats(uow: &UnitOfWork<'_>, vote_id: i64, limit: usize) -> AppResult<Vec<Seat>> {
    let db = uow.db();
    let voters = vote_voter::Entity::find()
        .filter(vote_voter::Column::VoteId.eq(vote_id))
        .filter(vote_voter::Column::IsDeveloper.eq(false))
        .order_by_asc(vote_voter::Column::Id)
        .all(db)
        .await?;
    let owners = vote_voter_owner::Entity::find()
        .filter(vote_voter_owner::Column::VoteId.eq(vote_id))
        .order_by_asc(vote_voter_owner::Column::PersonId)
        .all(db)
        .await?;
    let mut seats_of_person: HashMap<i64, usize> = HashMap::new();
    for o in &owners {
        *seats_of_person.entry(o.person_id).or_default() += 1;
    }
    let mut persons_of_voter: HashMap<i64, Vec<i64>> = HashMap::new();
    for o in &owners {
        persons_of_voter
            .entry(o.voter_id)
            .or_default()
            .push(o.person_id);
    }
    let mut dwelling_of_voter: HashMap<i64, i64> = HashMap::new();
    for p in vote_voter_part::Entity::find()
        .filter(vote_voter_part::Column::VoteId.eq(vote_id))
        .order_by_asc(vote_voter_part::Column::DwellingId)
        .all(db)
        .await?
    {
        dwelling_of_voter.entry(p.voter_id).or_insert(p.dwelling_id);
    }
    Ok(voters
        .iter()
        .filter_map(|v| {
            let person_id = persons_of_voter
                .get(&v.id)?
                .iter()
                .copied()
                .find(|p| seats_of_person.get(p) == Some(&1))?;
            Some(Seat {
                person_id,
                dwelling_id: *dwelling_of_voter.get(&v.id)?,
            })
        })
        .take(limit)
        .collect())
}
