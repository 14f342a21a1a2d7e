//! Residents' opinions (社情民意): what residents say about their compound,
//! collected, handled and answered, with the answer shown to the resident.
//!
//! A resident of the compound gives their own opinion (the named rule
//! `SelfService::GiveOwnOpinion`); a chief or grid worker records one they
//! collected in their building or grid, for a resident of the register or
//! for nobody named (`Permission::RecordOpinions`; their grants cover a
//! building or a grid, so they say which building it concerns). The
//! compound's three parties and the staff above answer it
//! (`Permission::AnswerOpinions`); every answer is kept and the newest
//! stands. An opinion is personal: it is read by the resident it is for,
//! whoever recorded it, and those who may read the compound's opinions.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};

use crate::domain::access::{Caller, Permission, Scope, SelfService};
use crate::domain::audit::{self, Subject};
use crate::domain::decisions::publications::resident_of;
use crate::domain::kinds::OpinionStatus;
use crate::domain::operation::Operation;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::required_text;
use crate::entity::{building, compound, opinion, opinion_answer, person};
use crate::error::{AppError, AppResult, UserErrorCode};

/// What is said, and where.
pub struct NewOpinion {
    /// The compound it is about.
    pub compound_id: i64,
    /// The building it concerns, if one; required of chiefs and grid
    /// workers, whose grants cover a building or a grid.
    pub building_id: Option<i64>,
    /// The resident it is from, when someone records it for them.
    pub person_id: Option<i64>,
    /// What the resident says.
    pub text: String,
}

fn text_of(raw: &str) -> AppResult<String> {
    required_text(raw, "text", "say what the opinion is")
}

/// Records an opinion: the caller's own, as a resident of the compound, or
/// one collected by a chief, grid worker or staff member.
pub async fn record(uow: &UnitOfWork<'_>, o: NewOpinion) -> AppResult<opinion::Model> {
    let db = uow.db();
    let c = must_exist::<compound::Entity>(db, o.compound_id, "compound_id", "compound").await?;
    let scope = match o.building_id {
        Some(b) => {
            let found = must_exist::<building::Entity>(db, b, "building_id", "building").await?;
            if found.compound_id != c.id {
                return Err(AppError::invalid(
                    "building_id",
                    UserErrorCode::Invalid,
                    "the building is in another compound",
                ));
            }
            Scope::of_building(db, b).await?
        }
        None => Scope::of_compound(db, c.id).await?,
    };
    let text = text_of(&o.text)?;
    let actor = uow.caller().actor()?;
    let (permit, person) = if actor.can(Permission::RecordOpinions, &scope) {
        let permit = uow.permit(Permission::RecordOpinions, &scope)?;
        if let Some(p) = o.person_id {
            must_exist::<person::Entity>(db, p, "person_id", "person").await?;
        }
        (permit, o.person_id)
    } else {
        let permit = uow.self_service(SelfService::GiveOwnOpinion, &scope)?;
        let Some(me) = resident_of(db, permit.actor(), c.id, uow.today()).await? else {
            return Err(AppError::Forbidden(
                "only residents of the compound, and those who collect its opinions, record them"
                    .into(),
            ));
        };
        if o.person_id.is_some_and(|p| p != me) {
            return Err(AppError::Forbidden(
                "a resident gives their own opinion only".into(),
            ));
        }
        (permit, Some(me))
    };
    let m = opinion::ActiveModel {
        compound_id: Set(c.id),
        building_id: Set(o.building_id),
        person_id: Set(person),
        text: Set(text),
        status: Set(OpinionStatus::Open),
        recorded_by: Set(permit.actor().account_id),
        recorded_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::RecordOpinion, "Opinion", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// Answers an opinion; a later answer supersedes an earlier one, which
/// stays readable.
pub async fn answer(
    uow: &UnitOfWork<'_>,
    opinion_id: i64,
    text: String,
) -> AppResult<opinion_answer::Model> {
    let o = uow
        .target::<opinion::Entity>(
            Permission::AnswerOpinions,
            opinion_id,
            "opinion_id",
            "opinion",
        )
        .await?;
    let scope = Scope::of_compound(uow.db(), o.compound_id).await?;
    let permit = uow.permit(Permission::AnswerOpinions, &scope)?;
    let text = text_of(&text)?;
    let a = opinion_answer::ActiveModel {
        opinion_id: Set(o.id),
        text: Set(text),
        answered_by: Set(permit.actor().account_id),
        answered_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    if o.status != OpinionStatus::Answered {
        let before = o.clone();
        let mut am = o.into_active_model();
        am.status = Set(OpinionStatus::Answered);
        let after = am.update(uow.db()).await?;
        audit::updated(
            uow,
            &permit,
            Subject::new(Operation::AnswerOpinion, "Opinion", after.id, &scope),
            &before,
            &after,
        )
        .await?;
    }
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::AnswerOpinion, "OpinionAnswer", a.id, &scope),
        &a,
    )
    .await?;
    Ok(a)
}

/// Whether `caller` may read opinion `o`: the resident it is from, whoever
/// recorded it, and those who may read the compound's opinions (`scope`).
pub fn may_read(caller: &Caller, o: &opinion::Model, scope: &Scope) -> bool {
    let Caller::Account(actor) = caller else {
        return false;
    };
    actor.account_id == o.recorded_by
        || (o.person_id.is_some() && actor.person_id == o.person_id)
        || caller.can_read(Permission::ReadOpinions, scope)
}
