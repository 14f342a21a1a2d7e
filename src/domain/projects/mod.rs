//! People's small things (民生微实事): "群众点菜、党委实施", residents order
//! and the party organisation delivers.
//!
//! The lifecycle is a state machine, and every move is checked here:
//!
//! ```text
//! SOLICITATION ─deliberate→ DELIBERATION ─decide→ APPROVED ─start→ IMPLEMENTATION
//!                                        └─decide→ REJECTED (stops)      │  ↑ sent back
//!                                                       submit for acceptance │
//!                                                                 ACCEPTANCE ─accept→ CLOSED
//! ```
//!
//! - Solicitation: a resident of the compound proposes; other residents
//!   support it, once each (a unique index keeps "once").
//! - Deliberation: the project is linked to a residents' council matter of
//!   its compound.
//! - Decision: approved with a budget in fen, or rejected with a reason.
//! - Implementation: implementer and contractor; progress updates with
//!   dates and photos; spending entries whose sum never exceeds the budget
//!   in force. Only a recorded decision raises the budget.
//! - Acceptance: residents rate the result 1–5 with a comment, once each
//!   in each round of acceptance (round 1 is the first hand-over; a project
//!   sent back and handed over again is rated anew in the next round); the
//!   party branch records the acceptance with the round's ratings and the
//!   project closes, or sends it back to implementation.
//!
//! A refused move is a user error naming the current status. Every write
//! takes the compound's lock first, so a budget check and the spending it
//! admits cannot interleave with another. Residents act under named
//! self-service rules; the rest needs `Permission::ManageProjects` (the
//! branch secretary, community staff and those above). Every change is
//! audited and announced (`DecisionEvent::ProjectChanged`).

mod summary;

pub use summary::{Summary, SummaryUnit, summary};

use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};

use crate::domain::access::{Permission, Permit, Scope, SelfService};
use crate::domain::attachments;
use crate::domain::audit::{self, Subject};
use crate::domain::decisions::ledger::lock_compound;
use crate::domain::decisions::publications::resident_of;
use crate::domain::event::DecisionEvent;
use crate::domain::kinds::{AcceptanceOutcome, AttachmentPurpose, ProjectStatus};
use crate::domain::operation::Operation;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, parse_text, required_text};
use crate::entity::{
    compound, council_matter, project, project_acceptance, project_budget, project_rating,
    project_spending, project_support, project_transition, project_update, project_update_photo,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// The permission every staff move of this area needs.
const PROJECTS: Permission = Permission::ManageProjects;

/// The largest amount of money one figure may carry: 100 million yuan in
/// fen, far above any people's-small-things project, far below overflow.
pub const MAX_FEN: i64 = 10_000_000_000;

/// An amount of money in fen (分), within `0..=MAX_FEN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fen(i64);

impl Fen {
    /// Parses an amount at `field`; `positive` refuses zero.
    pub fn parse(raw: i64, field: &str, positive: bool) -> AppResult<Self> {
        let low = i64::from(positive);
        if raw < low || raw > MAX_FEN {
            return Err(AppError::invalid(
                field,
                UserErrorCode::OutOfRange,
                format!("an amount in fen from {low} to {MAX_FEN}"),
            ));
        }
        Ok(Self(raw))
    }

    /// The amount.
    pub fn get(self) -> i64 {
        self.0
    }
}

/// Refuses a move unless the project is in one of `allowed`, naming its
/// current status.
fn expect_status(p: &project::Model, allowed: &[ProjectStatus], action: &str) -> AppResult<()> {
    if allowed.contains(&p.status) {
        return Ok(());
    }
    let wanted: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
    Err(AppError::invalid(
        "project_id",
        UserErrorCode::InvalidState,
        format!(
            "the project is in {}: {action} only in {}",
            p.status.as_str(),
            wanted.join(" or ")
        ),
    ))
}

/// The project `id` with its compound locked, for a staff move: the caller
/// must hold `ManageProjects` somewhere before the lookup, and over the
/// project's compound after it.
async fn staff_target<'a>(
    uow: &UnitOfWork<'a>,
    id: i64,
) -> AppResult<(project::Model, Scope, Permit<'a>)> {
    let p = uow
        .target::<project::Entity>(PROJECTS, id, "project_id", "project")
        .await?;
    let scope = Scope::of_compound(uow.db(), p.compound_id).await?;
    let permit = uow.permit(PROJECTS, &scope)?;
    lock_compound(uow.db(), p.compound_id).await?;
    // Re-read under the lock: another move may have committed meanwhile.
    let p = must_exist::<project::Entity>(uow.db(), id, "project_id", "project").await?;
    Ok((p, scope, permit))
}

/// The project `id` with its compound locked, for a resident acting under
/// `rule`, and the caller's person as a resident of its compound today.
async fn resident_target<'a>(
    uow: &UnitOfWork<'a>,
    id: i64,
    rule: SelfService,
    what: &str,
) -> AppResult<(project::Model, Scope, Permit<'a>, i64)> {
    let p = must_exist::<project::Entity>(uow.db(), id, "project_id", "project").await?;
    let scope = Scope::of_compound(uow.db(), p.compound_id).await?;
    let permit = uow.self_service(rule, &scope)?;
    let Some(person) = resident_of(uow.db(), permit.actor(), p.compound_id, uow.today()).await?
    else {
        return Err(AppError::Forbidden(format!(
            "only residents of the project's compound may {what}"
        )));
    };
    lock_compound(uow.db(), p.compound_id).await?;
    let p = must_exist::<project::Entity>(uow.db(), id, "project_id", "project").await?;
    Ok((p, scope, permit, person))
}

/// One move of the lifecycle: where to, under which operation, and why.
struct Step {
    to: ProjectStatus,
    operation: Operation,
    note: String,
}

/// Moves `p` as `step` says, applying `change` to the row, and keeps the
/// move's record, audit and event.
async fn move_to(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    scope: &Scope,
    p: project::Model,
    step: Step,
    change: impl FnOnce(&mut project::ActiveModel),
) -> AppResult<project::Model> {
    let Step {
        to,
        operation,
        note,
    } = step;
    let before = p.clone();
    let mut am = p.into_active_model();
    am.status = Set(to);
    am.status_changed_at = Set(uow.now());
    change(&mut am);
    let after = am.update(uow.db()).await?;
    project_transition::ActiveModel {
        project_id: Set(after.id),
        from_status: Set(before.status),
        to_status: Set(to),
        note: Set(note),
        recorded_by: Set(permit.actor().account_id),
        recorded_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    audit::updated(
        uow,
        permit,
        Subject::new(operation, "Project", after.id, scope),
        &before,
        &after,
    )
    .await?;
    announce(uow, &after);
    Ok(after)
}

fn announce(uow: &UnitOfWork<'_>, p: &project::Model) {
    uow.emit(DecisionEvent::ProjectChanged {
        compound_id: p.compound_id,
        project_id: p.id,
        status: p.status,
    });
}

/// What a resident proposes.
pub struct NewProject {
    /// The compound it is for: the proposer's own.
    pub compound_id: i64,
    /// Its title.
    pub title: Name,
    /// What should be done, and why.
    pub description: String,
    /// What the proposer thinks it will cost.
    pub estimated_cost: Fen,
}

/// A resident of the compound proposes a project; it opens for support.
pub async fn propose(uow: &UnitOfWork<'_>, new: NewProject) -> AppResult<project::Model> {
    let db = uow.db();
    let c = must_exist::<compound::Entity>(db, new.compound_id, "compound_id", "compound").await?;
    let scope = Scope::of_compound(db, c.id).await?;
    let permit = uow.self_service(SelfService::ProposeProject, &scope)?;
    let Some(person) = resident_of(db, permit.actor(), c.id, uow.today()).await? else {
        return Err(AppError::Forbidden(
            "only residents of the compound may propose its projects".into(),
        ));
    };
    let description = required_text(&new.description, "description", "say what should be done")?;
    let m = project::ActiveModel {
        compound_id: Set(c.id),
        community_id: Set(c.community_id),
        year: Set(uow.today().year()),
        title: Set(new.title.into_inner()),
        description: Set(description),
        estimated_cost_fen: Set(new.estimated_cost.get()),
        status: Set(ProjectStatus::Solicitation),
        proposed_by_person_id: Set(person),
        proposed_by: Set(permit.actor().account_id),
        proposed_at: Set(uow.now()),
        council_matter_id: Set(None),
        decided_on: Set(None),
        rejection_reason: Set(None),
        implementer: Set(None),
        contractor: Set(None),
        status_changed_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::ProposeProject, "Project", m.id, &scope),
        &m,
    )
    .await?;
    announce(uow, &m);
    Ok(m)
}

/// A resident of the compound supports a project under solicitation, once;
/// its proposer counts already.
pub async fn support(uow: &UnitOfWork<'_>, project_id: i64) -> AppResult<project_support::Model> {
    let (p, scope, permit, person) =
        resident_target(uow, project_id, SelfService::SupportProject, "support it").await?;
    expect_status(&p, &[ProjectStatus::Solicitation], "support is taken")?;
    if p.proposed_by_person_id == person {
        return Err(AppError::invalid(
            "project_id",
            UserErrorCode::Conflict,
            "you proposed this project: support is for other residents",
        ));
    }
    let earlier = project_support::Entity::find()
        .filter(project_support::Column::ProjectId.eq(p.id))
        .filter(project_support::Column::PersonId.eq(person))
        .one(uow.db())
        .await?;
    if earlier.is_some() {
        return Err(AppError::invalid(
            "project_id",
            UserErrorCode::Conflict,
            "you support this project already; each resident supports once",
        ));
    }
    let m = project_support::ActiveModel {
        project_id: Set(p.id),
        person_id: Set(person),
        account_id: Set(permit.actor().account_id),
        supported_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::SupportProject, "ProjectSupport", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// Puts a project before the residents' council: it is linked to a matter
/// of the council of its compound.
pub async fn deliberate(
    uow: &UnitOfWork<'_>,
    project_id: i64,
    matter_id: i64,
) -> AppResult<project::Model> {
    let (p, scope, permit) = staff_target(uow, project_id).await?;
    expect_status(
        &p,
        &[ProjectStatus::Solicitation],
        "it goes before the council",
    )?;
    let matter = council_matter_of(uow, matter_id, p.compound_id, "council_matter_id").await?;
    let note = format!("before the residents' council as matter {}", matter.title);
    move_to(
        uow,
        &permit,
        &scope,
        p,
        Step {
            to: ProjectStatus::Deliberation,
            operation: Operation::DeliberateProject,
            note,
        },
        |am| am.council_matter_id = Set(Some(matter.id)),
    )
    .await
}

/// A council matter of compound `compound_id`, refused at `field` otherwise.
async fn council_matter_of(
    uow: &UnitOfWork<'_>,
    matter_id: i64,
    compound_id: i64,
    field: &str,
) -> AppResult<council_matter::Model> {
    let matter =
        must_exist::<council_matter::Entity>(uow.db(), matter_id, field, "council matter").await?;
    if matter.compound_id != compound_id {
        return Err(AppError::invalid(
            field,
            UserErrorCode::Invalid,
            "the council matter belongs to another compound",
        ));
    }
    Ok(matter)
}

/// The decision on a project under deliberation.
pub enum Decision {
    /// Approved with this budget.
    Approve {
        /// The budget.
        budget: Fen,
    },
    /// Rejected, for this reason.
    Reject {
        /// Why.
        reason: String,
    },
}

/// Records the decision on a project under deliberation, taken on
/// `decided_on` (not in the future).
pub async fn decide(
    uow: &UnitOfWork<'_>,
    project_id: i64,
    decision: Decision,
    decided_on: NaiveDate,
) -> AppResult<project::Model> {
    let (p, scope, permit) = staff_target(uow, project_id).await?;
    expect_status(&p, &[ProjectStatus::Deliberation], "it is decided")?;
    not_after_today(uow, decided_on, "decided_on")?;
    match decision {
        Decision::Approve { budget } => {
            if budget.get() == 0 {
                return Err(AppError::invalid(
                    "budget_fen",
                    UserErrorCode::OutOfRange,
                    "an approved project has a budget above zero",
                ));
            }
            let matter = p.council_matter_id;
            let p = move_to(
                uow,
                &permit,
                &scope,
                p,
                Step {
                    to: ProjectStatus::Approved,
                    operation: Operation::DecideProject,
                    note: format!("approved with a budget of {} fen", budget.get()),
                },
                |am| am.decided_on = Set(Some(decided_on)),
            )
            .await?;
            let approval = BudgetRaise {
                budget,
                reason: "approved".into(),
                council_matter_id: matter,
                decided_on,
            };
            add_budget(uow, &permit, &scope, &p, approval).await?;
            Ok(p)
        }
        Decision::Reject { reason } => {
            let reason = required_text(&reason, "reason", "say why the project is rejected")?;
            move_to(
                uow,
                &permit,
                &scope,
                p,
                Step {
                    to: ProjectStatus::Rejected,
                    operation: Operation::DecideProject,
                    note: reason.clone(),
                },
                |am| {
                    am.decided_on = Set(Some(decided_on));
                    am.rejection_reason = Set(Some(reason));
                },
            )
            .await
        }
    }
}

fn not_after_today(uow: &UnitOfWork<'_>, day: NaiveDate, field: &str) -> AppResult<()> {
    if day > uow.today() {
        return Err(AppError::invalid(
            field,
            UserErrorCode::OutOfRange,
            format!("{day} is in the future"),
        ));
    }
    Ok(())
}

/// Records a budget decision (the approval's, or a raise).
async fn add_budget(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    scope: &Scope,
    p: &project::Model,
    decision: BudgetRaise,
) -> AppResult<project_budget::Model> {
    let m = project_budget::ActiveModel {
        project_id: Set(p.id),
        amount_fen: Set(decision.budget.get()),
        reason: Set(decision.reason),
        council_matter_id: Set(decision.council_matter_id),
        decided_on: Set(decision.decided_on),
        recorded_by: Set(permit.actor().account_id),
        recorded_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    audit::created(
        uow,
        permit,
        Subject::new(Operation::RaiseProjectBudget, "ProjectBudget", m.id, scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// The budget in force among a project's budget decisions: the newest's
/// (the highest id), none before approval.
pub fn budget_in_force(decisions: &[project_budget::Model]) -> Option<i64> {
    decisions.iter().max_by_key(|b| b.id).map(|b| b.amount_fen)
}

/// The budget in force: the newest recorded decision's, none before approval.
pub async fn budget_of(db: &impl ConnectionTrait, project_id: i64) -> AppResult<Option<i64>> {
    Ok(project_budget::Entity::find()
        .filter(project_budget::Column::ProjectId.eq(project_id))
        .order_by_desc(project_budget::Column::Id)
        .one(db)
        .await?
        .map(|b| b.amount_fen))
}

/// What has been spent on a project so far.
pub async fn spent_on(db: &impl ConnectionTrait, project_id: i64) -> AppResult<i64> {
    Ok(project_spending::Entity::find()
        .filter(project_spending::Column::ProjectId.eq(project_id))
        .all(db)
        .await?
        .iter()
        .map(|s| s.amount_fen)
        .sum())
}

/// A recorded decision on a project's budget: a raise, or the approval's.
pub struct BudgetRaise {
    /// The new budget, above the one in force.
    pub budget: Fen,
    /// Why.
    pub reason: String,
    /// The council matter that decided it, of the project's compound, if any.
    pub council_matter_id: Option<i64>,
    /// When it was decided.
    pub decided_on: NaiveDate,
}

/// Raises the budget of an approved project or one under implementation
/// by a recorded decision: the only way spending may go past the budget.
pub async fn raise_budget(
    uow: &UnitOfWork<'_>,
    project_id: i64,
    raise: BudgetRaise,
) -> AppResult<project_budget::Model> {
    let (p, scope, permit) = staff_target(uow, project_id).await?;
    expect_status(
        &p,
        &[ProjectStatus::Approved, ProjectStatus::Implementation],
        "its budget is raised",
    )?;
    not_after_today(uow, raise.decided_on, "decided_on")?;
    let reason = required_text(&raise.reason, "reason", "say why the budget is raised")?;
    if let Some(m) = raise.council_matter_id {
        council_matter_of(uow, m, p.compound_id, "council_matter_id").await?;
    }
    let current = budget_of(uow.db(), p.id).await?.unwrap_or(0);
    if raise.budget.get() <= current {
        return Err(AppError::invalid(
            "budget_fen",
            UserErrorCode::OutOfRange,
            format!("the budget in force is {current} fen: a raise is above it"),
        ));
    }
    let b = add_budget(uow, &permit, &scope, &p, BudgetRaise { reason, ..raise }).await?;
    announce(uow, &p);
    Ok(b)
}

/// Who delivers an approved project.
pub struct Implementation {
    /// The organisation or person answering for it (实施主体).
    pub implementer: Name,
    /// The contractor doing the work, if any.
    pub contractor: Option<Name>,
}

/// Starts the implementation of an approved project.
pub async fn start_implementation(
    uow: &UnitOfWork<'_>,
    project_id: i64,
    who: Implementation,
) -> AppResult<project::Model> {
    let (p, scope, permit) = staff_target(uow, project_id).await?;
    expect_status(&p, &[ProjectStatus::Approved], "implementation starts")?;
    let implementer = who.implementer.into_inner();
    let contractor = who.contractor.map(Name::into_inner);
    let note = match &contractor {
        Some(c) => format!("implemented by {implementer}, contractor {c}"),
        None => format!("implemented by {implementer}"),
    };
    move_to(
        uow,
        &permit,
        &scope,
        p,
        Step {
            to: ProjectStatus::Implementation,
            operation: Operation::StartProjectImplementation,
            note,
        },
        |am| {
            am.implementer = Set(Some(implementer));
            am.contractor = Set(contractor);
        },
    )
    .await
}

/// A progress update.
pub struct Progress {
    /// The day it happened (not in the future).
    pub happened_on: NaiveDate,
    /// What happened.
    pub text: String,
    /// Project photos uploaded for the compound, shown with the update.
    pub photo_ids: Vec<i64>,
}

/// Records a progress update of a project under implementation.
pub async fn record_progress(
    uow: &UnitOfWork<'_>,
    project_id: i64,
    progress: Progress,
) -> AppResult<project_update::Model> {
    let (p, scope, permit) = staff_target(uow, project_id).await?;
    expect_status(&p, &[ProjectStatus::Implementation], "progress is recorded")?;
    not_after_today(uow, progress.happened_on, "happened_on")?;
    let text = required_text(&progress.text, "text", "say what progressed")?;
    let photos = attachments::for_record(
        uow,
        &progress.photo_ids,
        AttachmentPurpose::ProjectPhoto,
        p.compound_id,
        "photo_ids",
    )
    .await?;
    let m = project_update::ActiveModel {
        project_id: Set(p.id),
        happened_on: Set(progress.happened_on),
        text: Set(text),
        recorded_by: Set(permit.actor().account_id),
        recorded_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    let mut seen = Vec::with_capacity(photos.len());
    for a in photos {
        if seen.contains(&a.id) {
            continue;
        }
        seen.push(a.id);
        project_update_photo::ActiveModel {
            update_id: Set(m.id),
            attachment_id: Set(a.id),
            ..Default::default()
        }
        .insert(uow.db())
        .await?;
    }
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::RecordProjectProgress,
            "ProjectUpdate",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    announce(uow, &p);
    Ok(m)
}

/// A spending entry.
pub struct Spending {
    /// How much, above zero.
    pub amount: Fen,
    /// When it was spent (not in the future).
    pub spent_on: NaiveDate,
    /// On what.
    pub description: String,
}

/// Records spending on a project under implementation; the spending so
/// far may never pass the budget in force.
pub async fn record_spending(
    uow: &UnitOfWork<'_>,
    project_id: i64,
    spending: Spending,
) -> AppResult<project_spending::Model> {
    let (p, scope, permit) = staff_target(uow, project_id).await?;
    expect_status(&p, &[ProjectStatus::Implementation], "spending is recorded")?;
    not_after_today(uow, spending.spent_on, "spent_on")?;
    let description = required_text(
        &spending.description,
        "description",
        "say what was paid for",
    )?;
    let budget = budget_of(uow.db(), p.id).await?.unwrap_or(0);
    let spent = spent_on(uow.db(), p.id).await?;
    let total = spent + spending.amount.get();
    if total > budget {
        return Err(AppError::invalid(
            "amount_fen",
            UserErrorCode::OutOfRange,
            format!(
                "spending would reach {total} fen, over the budget of {budget} fen \
                 ({spent} spent so far): record a decision raising the budget first"
            ),
        ));
    }
    let m = project_spending::ActiveModel {
        project_id: Set(p.id),
        amount_fen: Set(spending.amount.get()),
        spent_on: Set(spending.spent_on),
        description: Set(description),
        recorded_by: Set(permit.actor().account_id),
        recorded_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::RecordProjectSpending,
            "ProjectSpending",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    announce(uow, &p);
    Ok(m)
}

/// Hands a delivered project over for acceptance: residents may rate it.
pub async fn submit_for_acceptance(
    uow: &UnitOfWork<'_>,
    project_id: i64,
    note: String,
) -> AppResult<project::Model> {
    let (p, scope, permit) = staff_target(uow, project_id).await?;
    expect_status(
        &p,
        &[ProjectStatus::Implementation],
        "it is handed over for acceptance",
    )?;
    let note = parse_text(&note, "note")?;
    move_to(
        uow,
        &permit,
        &scope,
        p,
        Step {
            to: ProjectStatus::Acceptance,
            operation: Operation::SubmitProjectForAcceptance,
            note,
        },
        |_| {},
    )
    .await
}

/// Stars of a rating, 1 to 5.
pub fn parse_stars(raw: i32) -> AppResult<i32> {
    if (1..=5).contains(&raw) {
        Ok(raw)
    } else {
        Err(AppError::invalid(
            "stars",
            UserErrorCode::OutOfRange,
            "a rating is 1 to 5 stars",
        ))
    }
}

/// The round of acceptance a project is in: one more than the times it
/// was sent back.
pub async fn acceptance_round(db: &impl ConnectionTrait, project_id: i64) -> AppResult<i32> {
    let sent_back = project_acceptance::Entity::find()
        .filter(project_acceptance::Column::ProjectId.eq(project_id))
        .filter(project_acceptance::Column::Outcome.eq(AcceptanceOutcome::SentBack))
        .all(db)
        .await?
        .len();
    i32::try_from(sent_back + 1).map_err(|_| AppError::Internal("round overflows".into()))
}

/// A resident of the compound rates a project under acceptance, once in
/// each round of acceptance.
pub async fn rate(
    uow: &UnitOfWork<'_>,
    project_id: i64,
    stars: i32,
    comment: String,
) -> AppResult<project_rating::Model> {
    let stars = parse_stars(stars)?;
    let comment = parse_text(&comment, "comment")?;
    let (p, scope, permit, person) =
        resident_target(uow, project_id, SelfService::RateProject, "rate it").await?;
    expect_status(&p, &[ProjectStatus::Acceptance], "ratings are taken")?;
    let round = acceptance_round(uow.db(), p.id).await?;
    let earlier = project_rating::Entity::find()
        .filter(project_rating::Column::ProjectId.eq(p.id))
        .filter(project_rating::Column::Round.eq(round))
        .filter(project_rating::Column::PersonId.eq(person))
        .one(uow.db())
        .await?;
    if earlier.is_some() {
        return Err(AppError::invalid(
            "project_id",
            UserErrorCode::Conflict,
            "you rated this project already; each resident rates once in each round of acceptance",
        ));
    }
    let m = project_rating::ActiveModel {
        project_id: Set(p.id),
        person_id: Set(person),
        round: Set(round),
        account_id: Set(permit.actor().account_id),
        stars: Set(stars),
        comment: Set(comment),
        rated_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::RateProject, "ProjectRating", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// The party branch's acceptance of a project under acceptance: accepted
/// (it closes) or sent back to implementation. The record keeps the
/// count and total of the round's ratings beside the summary.
pub async fn record_acceptance(
    uow: &UnitOfWork<'_>,
    project_id: i64,
    outcome: AcceptanceOutcome,
    summary: String,
) -> AppResult<(project::Model, project_acceptance::Model)> {
    let (p, scope, permit) = staff_target(uow, project_id).await?;
    expect_status(&p, &[ProjectStatus::Acceptance], "acceptance is recorded")?;
    let summary = required_text(
        &summary,
        "summary",
        "summarise the acceptance and the ratings",
    )?;
    let round = acceptance_round(uow.db(), p.id).await?;
    let ratings = project_rating::Entity::find()
        .filter(project_rating::Column::ProjectId.eq(p.id))
        .filter(project_rating::Column::Round.eq(round))
        .all(uow.db())
        .await?;
    let count = i32::try_from(ratings.len())
        .map_err(|_| AppError::Internal("rating count overflows".into()))?;
    let total: i32 = ratings.iter().map(|r| r.stars).sum();
    let a = project_acceptance::ActiveModel {
        project_id: Set(p.id),
        round: Set(round),
        outcome: Set(outcome),
        summary: Set(summary.clone()),
        ratings: Set(count),
        stars_total: Set(total),
        recorded_on: Set(uow.today()),
        recorded_by: Set(permit.actor().account_id),
        recorded_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    let to = match outcome {
        AcceptanceOutcome::Accepted => ProjectStatus::Closed,
        AcceptanceOutcome::SentBack => ProjectStatus::Implementation,
    };
    let p = move_to(
        uow,
        &permit,
        &scope,
        p,
        Step {
            to,
            operation: Operation::RecordProjectAcceptance,
            note: summary,
        },
        |_| {},
    )
    .await?;
    Ok((p, a))
}
