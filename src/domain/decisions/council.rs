//! The residents' council (居民议事会) and 四议两公开: a matter moves
//! through the four deliberations and two publications in order —
//! 1 the party organisation proposes, 2 the two committees deliberate,
//! 3 the party members' meeting reviews, 4 the residents' representatives'
//! meeting resolves by vote, 5 the resolution is published for a publicity
//! period during which residents may object, 6 the implementation result
//! is published. No step may be skipped or run out of order; a rejected
//! matter stops there with its record; step 6 waits for the end of the
//! publicity period and for an answer to every objection.
//!
//! Records are append-only: a corrected step or publication is a new row
//! pointing at the one it corrects. Every record joins the compound's hash
//! chain (`ledger`).

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

use crate::domain::access::{Permission, Permit, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::decisions::chain_payload::Chained;
use crate::domain::decisions::ledger;
use crate::domain::decisions::publications::{
    NewPublication, insert_publication, publication_family, resolution_publication,
    unanswered_objections,
};
use crate::domain::decisions::tally::council_resolution;
use crate::domain::kinds::{CouncilRule, CouncilStepKind, PublicationKind, StepOutcome};
use crate::domain::operation::Operation;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, parse_text};
use crate::entity::{compound, council_matter, council_step, publication, residents_council};
use crate::error::{AppError, AppResult, UserErrorCode};

/// Default publicity period (公示期), in days.
pub const DEFAULT_PUBLICITY_DAYS: i32 = 7;

/// A council's settings; on update `None` leaves a field as it is.
#[derive(Default)]
pub struct CouncilFields {
    /// Name.
    pub name: Option<Name>,
    /// The voting rule of resolutions.
    pub rule: Option<CouncilRule>,
    /// Number of residents' representatives.
    pub representatives: Option<i32>,
    /// Length of the publicity period, in days.
    pub publicity_days: Option<i32>,
}

fn check_council(fields: &CouncilFields) -> AppResult<()> {
    if fields
        .representatives
        .is_some_and(|n| !(1..=10_000).contains(&n))
    {
        return Err(AppError::invalid(
            "representatives",
            UserErrorCode::OutOfRange,
            "a council has 1 to 10,000 representatives",
        ));
    }
    if fields
        .publicity_days
        .is_some_and(|n| !(1..=365).contains(&n))
    {
        return Err(AppError::invalid(
            "publicity_days",
            UserErrorCode::OutOfRange,
            "a publicity period lasts 1 to 365 days",
        ));
    }
    Ok(())
}

/// Sets up a compound's residents' council.
pub async fn create_council(
    uow: &UnitOfWork<'_>,
    compound_id: i64,
    fields: CouncilFields,
) -> AppResult<residents_council::Model> {
    let db = uow.db();
    uow.target::<compound::Entity>(
        Permission::ManageCouncil,
        compound_id,
        "compound_id",
        "compound",
    )
    .await?;
    let scope = Scope::of_compound(db, compound_id).await?;
    let permit = uow.permit(Permission::ManageCouncil, &scope)?;
    check_council(&fields)?;
    let (Some(name), Some(representatives)) = (fields.name, fields.representatives) else {
        return Err(AppError::invalid(
            "representatives",
            UserErrorCode::Required,
            "a council needs a name and its number of representatives",
        ));
    };
    let m = residents_council::ActiveModel {
        compound_id: Set(compound_id),
        name: Set(name.into_inner()),
        rule: Set(fields.rule.unwrap_or(CouncilRule::UrbanResidents)),
        representatives: Set(representatives),
        publicity_days: Set(fields.publicity_days.unwrap_or(DEFAULT_PUBLICITY_DAYS)),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::CreateResidentsCouncil,
            "ResidentsCouncil",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}

/// Changes a council's settings; matters already resolved keep the rule they were resolved by.
pub async fn update_council(
    uow: &UnitOfWork<'_>,
    id: i64,
    fields: CouncilFields,
) -> AppResult<residents_council::Model> {
    let db = uow.db();
    let before = uow
        .target::<residents_council::Entity>(
            Permission::ManageCouncil,
            id,
            "id",
            "residents' council",
        )
        .await?;
    let scope = Scope::of_compound(db, before.compound_id).await?;
    let permit = uow.permit(Permission::ManageCouncil, &scope)?;
    check_council(&fields)?;
    let mut am: residents_council::ActiveModel = before.clone().into();
    if let Some(n) = fields.name {
        am.name = Set(n.into_inner());
    }
    if let Some(r) = fields.rule {
        am.rule = Set(r);
    }
    if let Some(r) = fields.representatives {
        am.representatives = Set(r);
    }
    if let Some(d) = fields.publicity_days {
        am.publicity_days = Set(d);
    }
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::UpdateResidentsCouncil,
            "ResidentsCouncil",
            id,
            &scope,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// What a step records.
#[derive(Debug, Clone)]
pub struct StepRecord {
    /// The day it was held.
    pub held_on: NaiveDate,
    /// The body that held it (e.g. "小区党支部", "居民代表会议").
    pub body: Name,
    /// Who attended.
    pub attendance: String,
    /// Minutes.
    pub minutes: Option<String>,
}

/// The outcome given for steps 1–3.
#[derive(Debug, Clone, Copy)]
pub enum Decision {
    /// The matter goes on.
    Approve,
    /// The matter stops here.
    Reject,
}

/// The vote of step 4.
#[derive(Debug, Clone, Copy)]
pub struct Resolution {
    /// Representatives present.
    pub present: i32,
    /// For.
    pub votes_for: i32,
    /// Against.
    pub votes_against: i32,
    /// Abstaining.
    pub votes_abstain: i32,
}

/// A step to record: what kind, what happened.
pub enum StepInput {
    /// Steps 1–3.
    Deliberation(CouncilStepKind, Decision),
    /// Step 4.
    Resolution(Resolution),
    /// Step 5: publishes the resolution's text.
    PublishResolution {
        /// Title of the publication.
        title: Name,
        /// Its text.
        text: String,
    },
    /// Step 6: publishes the implementation result.
    PublishResult {
        /// Title of the publication.
        title: Name,
        /// Its text: what was done, by whom, at what cost.
        text: String,
    },
}

impl StepInput {
    fn kind(&self) -> CouncilStepKind {
        match self {
            StepInput::Deliberation(k, _) => *k,
            StepInput::Resolution(_) => CouncilStepKind::RepresentativesResolution,
            StepInput::PublishResolution { .. } => CouncilStepKind::ResolutionPublication,
            StepInput::PublishResult { .. } => CouncilStepKind::ResultPublication,
        }
    }
}

/// The steps of a matter as they stand: originals only (corrections do not
/// advance the procedure), in order.
async fn steps_of(
    db: &impl ConnectionTrait,
    matter_id: i64,
) -> AppResult<Vec<council_step::Model>> {
    Ok(council_step::Entity::find()
        .filter(council_step::Column::MatterId.eq(matter_id))
        .filter(council_step::Column::CorrectsId.is_null())
        .order_by_asc(council_step::Column::Id)
        .all(db)
        .await?)
}

/// Where a matter stands: the next step it may take, or why it may take none.
pub fn next_step(steps: &[council_step::Model]) -> Result<CouncilStepKind, String> {
    match steps.last() {
        None => Ok(CouncilStepKind::PartyProposal),
        Some(last) if last.outcome == StepOutcome::Rejected => Err(format!(
            "the matter was rejected at step {} and stops there",
            last.step.number()
        )),
        Some(last) => CouncilStepKind::ORDER
            .get(last.step.number())
            .copied()
            .ok_or_else(|| "the matter has completed all six steps".to_owned()),
    }
}

/// Opens a matter with its first step, the party organisation's proposal.
pub async fn propose_matter(
    uow: &UnitOfWork<'_>,
    council_id: i64,
    title: Name,
    description: String,
    step: StepRecord,
) -> AppResult<(council_matter::Model, council_step::Model)> {
    let db = uow.db();
    let council = uow
        .target::<residents_council::Entity>(
            Permission::ManageCouncil,
            council_id,
            "council_id",
            "residents' council",
        )
        .await?;
    let scope = Scope::of_compound(db, council.compound_id).await?;
    let permit = uow.permit(Permission::ManageCouncil, &scope)?;
    ledger::lock_compound(db, council.compound_id).await?;
    let matter = council_matter::ActiveModel {
        council_id: Set(council.id),
        compound_id: Set(council.compound_id),
        title: Set(title.into_inner()),
        description: Set(parse_text(&description, "description")?),
        created_by: Set(permit.actor().account_id),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    ledger::append(
        uow,
        &permit,
        Operation::ProposeCouncilMatter,
        matter.compound_id,
        Chained::CouncilMatter(&matter),
    )
    .await?;
    let (s, _) = insert_step(
        uow,
        &permit,
        &council,
        &matter,
        &[],
        step,
        StepInput::Deliberation(CouncilStepKind::PartyProposal, Decision::Approve),
    )
    .await?;
    Ok((matter, s))
}

/// Records the next step of a matter; steps 5 and 6 return what they published.
pub async fn record_step(
    uow: &UnitOfWork<'_>,
    matter_id: i64,
    step: StepRecord,
    input: StepInput,
) -> AppResult<(council_step::Model, Option<publication::Model>)> {
    let db = uow.db();
    let matter = uow
        .target::<council_matter::Entity>(
            Permission::ManageCouncil,
            matter_id,
            "matter_id",
            "council matter",
        )
        .await?;
    let scope = Scope::of_compound(db, matter.compound_id).await?;
    let permit = uow.permit(Permission::ManageCouncil, &scope)?;
    ledger::lock_compound(db, matter.compound_id).await?;
    let council = must_exist::<residents_council::Entity>(
        db,
        matter.council_id,
        "matter_id",
        "residents' council",
    )
    .await?;
    let steps = steps_of(db, matter_id).await?;
    insert_step(uow, &permit, &council, &matter, &steps, step, input).await
}

/// Checks and stores the next step of `matter` under `permit`, chaining it
/// and, for steps 5 and 6, its publication. The caller has locked the compound.
async fn insert_step(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    council: &residents_council::Model,
    matter: &council_matter::Model,
    steps: &[council_step::Model],
    step: StepRecord,
    input: StepInput,
) -> AppResult<(council_step::Model, Option<publication::Model>)> {
    let db = uow.db();
    let expected = next_step(steps)
        .map_err(|why| AppError::invalid("step", UserErrorCode::InvalidState, why))?;
    let kind = input.kind();
    if kind != expected {
        return Err(AppError::invalid(
            "step",
            UserErrorCode::InvalidState,
            format!(
                "steps run in order: this matter's next step is {} ({}), not {} ({})",
                expected.number(),
                expected.as_str(),
                kind.number(),
                kind.as_str()
            ),
        ));
    }
    if let Some(prev) = steps.last()
        && step.held_on < prev.held_on
    {
        return Err(AppError::invalid(
            "record.held_on",
            UserErrorCode::OutOfRange,
            "a step cannot be held before the step it follows",
        ));
    }
    if step.held_on > uow.today() {
        return Err(AppError::invalid(
            "record.held_on",
            UserErrorCode::OutOfRange,
            "a step is recorded once held",
        ));
    }
    let mut row = council_step::ActiveModel {
        matter_id: Set(matter.id),
        compound_id: Set(matter.compound_id),
        step: Set(kind),
        held_on: Set(step.held_on),
        body: Set(step.body.into_inner()),
        attendance: Set(parse_text(&step.attendance, "record.attendance")?),
        present: Set(None),
        minutes: Set(step
            .minutes
            .as_deref()
            .map(|m| parse_text(m, "record.minutes"))
            .transpose()?),
        outcome: Set(StepOutcome::Approved),
        representatives: Set(None),
        votes_for: Set(None),
        votes_against: Set(None),
        votes_abstain: Set(None),
        rule: Set(None),
        corrects_id: Set(None),
        recorded_by: Set(permit.actor().account_id),
        created_at: Set(uow.now()),
        ..Default::default()
    };
    let mut publication = None;
    match input {
        StepInput::Deliberation(_, d) => {
            row.outcome = Set(match d {
                Decision::Approve => StepOutcome::Approved,
                Decision::Reject => StepOutcome::Rejected,
            });
        }
        StepInput::Resolution(r) => {
            let counts = [r.present, r.votes_for, r.votes_against, r.votes_abstain];
            if counts.iter().any(|n| *n < 0) {
                return Err(AppError::invalid(
                    "present",
                    UserErrorCode::OutOfRange,
                    "counts cannot be negative",
                ));
            }
            if r.present > council.representatives {
                return Err(AppError::invalid(
                    "present",
                    UserErrorCode::OutOfRange,
                    format!(
                        "the council has {} representatives",
                        council.representatives
                    ),
                ));
            }
            if r.votes_for + r.votes_against + r.votes_abstain > r.present {
                return Err(AppError::invalid(
                    "votes_for",
                    UserErrorCode::OutOfRange,
                    "more votes than representatives present",
                ));
            }
            let (_, passed) = council_resolution(
                council.rule,
                i64::from(council.representatives),
                i64::from(r.present),
                i64::from(r.votes_for),
            );
            row.present = Set(Some(r.present));
            row.representatives = Set(Some(council.representatives));
            row.votes_for = Set(Some(r.votes_for));
            row.votes_against = Set(Some(r.votes_against));
            row.votes_abstain = Set(Some(r.votes_abstain));
            row.rule = Set(Some(council.rule));
            row.outcome = Set(if passed {
                StepOutcome::Approved
            } else {
                StepOutcome::Rejected
            });
        }
        StepInput::PublishResolution { title, text } => {
            row.outcome = Set(StepOutcome::Published);
            publication = Some((PublicationKind::Resolution, title, text));
        }
        StepInput::PublishResult { title, text } => {
            let resolution = resolution_publication(db, matter.id).await?;
            if step.held_on <= resolution.publicity_ends_on
                || uow.today() <= resolution.publicity_ends_on
            {
                return Err(AppError::invalid(
                    "record.held_on",
                    UserErrorCode::InvalidState,
                    format!(
                        "the resolution's publicity period runs until {}: implementation is published after it",
                        resolution.publicity_ends_on
                    ),
                ));
            }
            let open =
                unanswered_objections(db, &publication_family(db, &resolution).await?).await?;
            if open > 0 {
                return Err(AppError::invalid(
                    "step",
                    UserErrorCode::InvalidState,
                    format!("{open} objection(s) to the resolution are not answered yet"),
                ));
            }
            row.outcome = Set(StepOutcome::Published);
            publication = Some((PublicationKind::ImplementationResult, title, text));
        }
    }
    let saved = row.insert(db).await?;
    let operation = if kind == CouncilStepKind::PartyProposal {
        Operation::ProposeCouncilMatter
    } else {
        Operation::RecordCouncilStep
    };
    ledger::append(
        uow,
        permit,
        operation,
        matter.compound_id,
        Chained::CouncilStep(&saved),
    )
    .await?;
    let published = match publication {
        None => None,
        Some((kind, title, text)) => Some(
            insert_publication(
                uow,
                permit,
                NewPublication {
                    compound_id: matter.compound_id,
                    matter_id: Some(matter.id),
                    vote_id: None,
                    kind,
                    title: title.into_inner(),
                    body: parse_text(&text, "text")?,
                    published_on: saved.held_on,
                    publicity_days: council.publicity_days,
                    corrects_id: None,
                },
            )
            .await?,
        ),
    };
    Ok((saved, published))
}

/// Corrects a step's record (body, attendance, minutes): a new row pointing
/// at the original, which stays readable. Outcomes and votes are not corrected.
pub async fn correct_step(
    uow: &UnitOfWork<'_>,
    step_id: i64,
    record: StepRecord,
) -> AppResult<council_step::Model> {
    let db = uow.db();
    let original = uow
        .target::<council_step::Entity>(
            Permission::ManageCouncil,
            step_id,
            "step_id",
            "council step",
        )
        .await?;
    let scope = Scope::of_compound(db, original.compound_id).await?;
    let permit = uow.permit(Permission::ManageCouncil, &scope)?;
    ledger::lock_compound(db, original.compound_id).await?;
    let original_id = original.corrects_id.unwrap_or(original.id);
    // A corrected date must keep the steps in order, as the original had to.
    let steps = steps_of(db, original.matter_id).await?;
    let at = steps.iter().position(|s| s.id == original_id).unwrap_or(0);
    let after_previous = at == 0 || steps[at - 1].held_on <= record.held_on;
    let before_next = steps
        .get(at + 1)
        .is_none_or(|next| record.held_on <= next.held_on);
    if record.held_on > uow.today() || !after_previous || !before_next {
        return Err(AppError::invalid(
            "record.held_on",
            UserErrorCode::OutOfRange,
            "a corrected date lies between the steps before and after, and not in the future",
        ));
    }
    let saved = council_step::ActiveModel {
        held_on: Set(record.held_on),
        body: Set(record.body.into_inner()),
        attendance: Set(parse_text(&record.attendance, "record.attendance")?),
        minutes: Set(record
            .minutes
            .as_deref()
            .map(|m| parse_text(m, "record.minutes"))
            .transpose()?),
        corrects_id: Set(Some(original_id)),
        recorded_by: Set(permit.actor().account_id),
        created_at: Set(uow.now()),
        ..council_step::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            ..original.clone().into()
        }
    }
    .insert(db)
    .await?;
    ledger::append(
        uow,
        &permit,
        Operation::CorrectCouncilStep,
        saved.compound_id,
        Chained::CouncilStep(&saved),
    )
    .await?;
    Ok(saved)
}
