//! Ballots of one compound committed together (group commit).
//!
//! Every ballot joins its compound's hash chain, so the ballots of one
//! compound are written one transaction after another under the compound's
//! lock (`ledger::lock_compound`). Each used to be a transaction of its own:
//! under load every ballot waited for the lock, then paid alone for the
//! lock, the chain's head, its writes and a commit.
//!
//! Here each instance of the service keeps a queue per compound. A ballot is
//! first checked where it is asked (`assembly::ask_cast`, `ask_paper`: the
//! vote, the caller's right and the owner on the register, none of which
//! needs the lock); then it joins its compound's queue and waits. One worker
//! per compound with waiting ballots takes all of them (up to `GROUP_MAX`,
//! one per owner) and writes them in one unit of work
//! (`assembly::write_ballots`): one lock, one read of the votes and of the
//! standing ballots, the ballots, audit records and chain links in bulk
//! statements, one commit. While it commits, the next ballots gather. A
//! ballot is answered only after the commit that stores it, so an
//! acknowledged ballot is never lost; one refused (the vote closed
//! meanwhile) is answered with why and does not stop the others. If the
//! group fails as a whole, its ballots are written again one by one, so a
//! failure is only its own ballot's. The worker runs as a task of its own:
//! a caller who goes away does not cut a group short.
//!
//! Instances do not share queues: the compound's row lock still orders the
//! groups of several instances over one PostgreSQL.

use std::collections::{BTreeSet, HashMap, hash_map::Entry};
use std::sync::{Arc, Mutex};

use sea_orm::DatabaseConnection;
use tokio::sync::oneshot;

use crate::domain::access::Caller;
use crate::domain::clock::Clock;
use crate::domain::decisions::assembly::{self, Ask};
use crate::domain::kinds::BallotChoice;
use crate::domain::unit_of_work::UnitOfWork;
use crate::entity::{ballot, vote_voter};
use crate::error::{AppError, AppResult};
use crate::events::Events;

/// The most ballots one group writes.
pub const GROUP_MAX: usize = 128;

/// A ballot waiting for its group.
struct Waiting {
    caller: Caller,
    ask: Ask,
    answer: oneshot::Sender<AppResult<ballot::Model>>,
}

/// The process's queues of ballots, one per compound with ballots waiting
/// (and so with a worker writing them).
#[derive(Clone)]
pub struct BallotBox {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    clock: Clock,
    hub: Events,
    queues: Mutex<HashMap<i64, Vec<Waiting>>>,
}

impl BallotBox {
    /// A ballot box writing to `db`, on `clock`, announcing through `hub`.
    pub fn new(db: DatabaseConnection, clock: Clock, hub: Events) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                clock,
                hub,
                queues: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// An owner, `caller`, casts or changes their own ballot. The answer
    /// holds the stored ballot and the owner on the register it is for.
    pub async fn cast(
        &self,
        caller: &Caller,
        vote_id: i64,
        voter_id: Option<i64>,
        choice: BallotChoice,
    ) -> AppResult<(ballot::Model, vote_voter::Model)> {
        let (ask, voter) =
            assembly::ask_cast(&self.inner.db, caller, vote_id, voter_id, choice).await?;
        Ok((self.submit(caller, ask).await?, voter))
    }

    /// The committee, through `caller`, records an owner's paper ballot.
    /// The answer is as `cast`'s.
    pub async fn record_paper(
        &self,
        caller: &Caller,
        vote_id: i64,
        voter_id: i64,
        choice: BallotChoice,
    ) -> AppResult<(ballot::Model, vote_voter::Model)> {
        let (ask, voter) =
            assembly::ask_paper(&self.inner.db, caller, vote_id, voter_id, choice).await?;
        Ok((self.submit(caller, ask).await?, voter))
    }

    /// Queues `ask` for its compound's next group and waits for the answer.
    async fn submit(&self, caller: &Caller, ask: Ask) -> AppResult<ballot::Model> {
        let (answer, answered) = oneshot::channel();
        let waiting = Waiting {
            caller: caller.clone(),
            ask,
            answer,
        };
        let start = {
            let mut queues = self.inner.lock()?;
            match queues.entry(ask.compound_id) {
                Entry::Occupied(mut queue) => {
                    queue.get_mut().push(waiting);
                    false
                }
                Entry::Vacant(slot) => {
                    slot.insert(vec![waiting]);
                    true
                }
            }
        };
        if start {
            let inner = self.inner.clone();
            tokio::spawn(async move { inner.work(ask.compound_id).await });
        }
        answered
            .await
            .map_err(|_| AppError::Internal("the ballot's group ended without an answer".into()))?
    }
}

impl Inner {
    fn lock(&self) -> AppResult<std::sync::MutexGuard<'_, HashMap<i64, Vec<Waiting>>>> {
        self.queues
            .lock()
            .map_err(|_| AppError::Internal("ballot queues poisoned".into()))
    }

    /// Writes the waiting ballots of `compound_id`, group after group, until
    /// none waits; then the compound's queue is gone.
    async fn work(&self, compound_id: i64) {
        loop {
            let group = match self.lock() {
                Ok(mut queues) => {
                    let Some(queue) = queues.get_mut(&compound_id) else {
                        return;
                    };
                    let group = next_group(queue);
                    if group.is_empty() {
                        queues.remove(&compound_id);
                        return;
                    }
                    group
                }
                Err(_) => return,
            };
            self.write(group).await;
        }
    }

    /// Writes `group` in one unit of work and answers each ballot; if the
    /// unit fails, writes them again one by one.
    async fn write(&self, group: Vec<Waiting>) {
        match self.write_together(&group).await {
            Ok(answers) => {
                for (w, a) in group.into_iter().zip(answers) {
                    let _ = w.answer.send(a);
                }
            }
            Err(err) if group.len() == 1 => {
                if let Some(w) = group.into_iter().next() {
                    let _ = w.answer.send(Err(err));
                }
            }
            Err(err) => {
                tracing::warn!(error = ?err, ballots = group.len(), "a group of ballots failed; writing them one by one");
                for w in group {
                    let answer = match self.write_together(std::slice::from_ref(&w)).await {
                        Ok(mut answers) => answers.pop().unwrap_or_else(|| {
                            Err(AppError::Internal("no answer for the ballot".into()))
                        }),
                        Err(err) => Err(err),
                    };
                    let _ = w.answer.send(answer);
                }
            }
        }
    }

    async fn write_together(&self, group: &[Waiting]) -> AppResult<Vec<AppResult<ballot::Model>>> {
        let Some(first) = group.first() else {
            return Ok(Vec::new());
        };
        let uow = UnitOfWork::begin(&self.db, &first.caller, &self.clock).await?;
        let asks: Vec<(&Caller, Ask)> = group.iter().map(|w| (&w.caller, w.ask)).collect();
        match assembly::write_ballots(&uow, &asks).await {
            Ok(answers) => {
                uow.commit(&self.hub).await?;
                Ok(answers)
            }
            Err(err) => {
                uow.rollback().await?;
                Err(err)
            }
        }
    }
}

/// Takes the next group off `queue`: the longest run from its front, up to
/// `GROUP_MAX`, with one ballot per owner (an owner's later ballot
/// supersedes the earlier, so it waits for the next group).
fn next_group(queue: &mut Vec<Waiting>) -> Vec<Waiting> {
    let mut owners = BTreeSet::new();
    let run = queue
        .iter()
        .take(GROUP_MAX)
        .take_while(|w| owners.insert(w.ask.voter_id))
        .count();
    queue.drain(..run).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::Scope;
    use crate::domain::decisions::assembly::By;

    fn waiting(voter_id: i64) -> Waiting {
        let (answer, _) = oneshot::channel();
        Waiting {
            caller: Caller::Anonymous,
            ask: Ask {
                vote_id: 1,
                compound_id: 1,
                scope: Scope::GLOBAL,
                voter_id,
                area_centi: 10_000,
                choice: BallotChoice::Agree,
                by: By::Committee,
            },
            answer,
        }
    }

    fn voters(ballots: &[Waiting]) -> Vec<i64> {
        ballots.iter().map(|w| w.ask.voter_id).collect()
    }

    #[test]
    fn a_group_takes_the_front_of_the_queue_one_ballot_per_owner() {
        let mut queue: Vec<Waiting> = [1, 2, 3, 2, 4, 1].into_iter().map(waiting).collect();
        assert_eq!(voters(&next_group(&mut queue)), [1, 2, 3]);
        assert_eq!(voters(&queue), [2, 4, 1]);
        assert_eq!(voters(&next_group(&mut queue)), [2, 4, 1]);
        assert!(queue.is_empty());
        assert!(next_group(&mut queue).is_empty());
    }

    #[test]
    fn a_group_holds_at_most_group_max_ballots() {
        let n = i64::try_from(GROUP_MAX).unwrap() + 5;
        let mut queue: Vec<Waiting> = (0..n).map(waiting).collect();
        assert_eq!(next_group(&mut queue).len(), GROUP_MAX);
        assert_eq!(voters(&queue), (GROUP_MAX as i64..n).collect::<Vec<_>>());
    }
}
