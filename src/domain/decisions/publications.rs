//! Publications (公示) and objections: a council's resolution and
//! implementation result, and an assembly vote's result, are published for a
//! publicity period during which residents of the compound may object; the
//! council answers every objection. Corrections are new publications
//! pointing at the original. Every record joins the compound's hash chain.
//!
//! The council's procedure, which makes the publications of steps 5 and 6,
//! is in `council`.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use crate::domain::access::{Actor, Permission, Permit, Scope, SelfService};
use crate::domain::decisions::chain_payload::Chained;
use crate::domain::decisions::ledger;
use crate::domain::event::DecisionEvent;
use crate::domain::kinds::PublicationKind;
use crate::domain::operation::Operation;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, Term, parse_text};
use crate::entity::{
    building, dwelling, objection, objection_answer, ownership, publication, residency, role_grant,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// A publication to insert.
pub struct NewPublication {
    /// The compound.
    pub compound_id: i64,
    /// The council matter, if any.
    pub matter_id: Option<i64>,
    /// The vote, if any.
    pub vote_id: Option<i64>,
    /// What it publishes.
    pub kind: PublicationKind,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// First day.
    pub published_on: NaiveDate,
    /// Length of the publicity period.
    pub publicity_days: i32,
    /// The publication it corrects.
    pub corrects_id: Option<i64>,
}

/// Inserts and chains a publication made under `permit`, and announces it.
/// The caller has taken the permit and locked the compound.
pub async fn insert_publication(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    p: NewPublication,
) -> AppResult<publication::Model> {
    let m = publication::ActiveModel {
        compound_id: Set(p.compound_id),
        matter_id: Set(p.matter_id),
        vote_id: Set(p.vote_id),
        kind: Set(p.kind),
        title: Set(p.title),
        body: Set(p.body),
        published_on: Set(p.published_on),
        publicity_ends_on: Set(
            p.published_on + Duration::days(i64::from(p.publicity_days.max(1)) - 1)
        ),
        corrects_id: Set(p.corrects_id),
        published_by: Set(permit.actor().account_id),
        created_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    uow.emit(DecisionEvent::Published {
        compound_id: m.compound_id,
        publication_id: m.id,
    });
    let operation = match (p.kind, p.corrects_id) {
        (_, Some(_)) => Operation::CorrectPublication,
        (PublicationKind::VoteResult, None) => Operation::CloseAssemblyVote,
        (_, None) => Operation::RecordCouncilStep,
    };
    ledger::append(
        uow,
        permit,
        operation,
        m.compound_id,
        Chained::Publication(&m),
    )
    .await?;
    Ok(m)
}

/// The original publication of a matter's resolution.
pub(super) async fn resolution_publication(
    db: &impl ConnectionTrait,
    matter_id: i64,
) -> AppResult<publication::Model> {
    publication::Entity::find()
        .filter(publication::Column::MatterId.eq(matter_id))
        .filter(publication::Column::Kind.eq(PublicationKind::Resolution))
        .filter(publication::Column::CorrectsId.is_null())
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::Internal("a published matter has no resolution publication".into())
        })
}

/// A publication and all its corrections.
pub(super) async fn publication_family(
    db: &impl ConnectionTrait,
    original: &publication::Model,
) -> AppResult<Vec<i64>> {
    let mut ids = vec![original.id];
    let mut frontier = vec![original.id];
    while !frontier.is_empty() {
        let next: Vec<i64> = publication::Entity::find()
            .filter(publication::Column::CorrectsId.is_in(frontier))
            .all(db)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        ids.extend(&next);
        frontier = next;
    }
    Ok(ids)
}

pub(super) async fn unanswered_objections(
    db: &impl ConnectionTrait,
    publications: &[i64],
) -> AppResult<usize> {
    let objections = objection::Entity::find()
        .filter(objection::Column::PublicationId.is_in(publications.to_vec()))
        .all(db)
        .await?;
    if objections.is_empty() {
        return Ok(0);
    }
    let answered: HashSet<i64> = objection_answer::Entity::find()
        .filter(
            objection_answer::Column::ObjectionId
                .is_in(objections.iter().map(|o| o.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.objection_id)
        .collect();
    Ok(objections
        .iter()
        .filter(|o| !answered.contains(&o.id))
        .count())
}

/// Corrects a publication: a new publication pointing at the original,
/// keeping its publicity period.
pub async fn correct_publication(
    uow: &UnitOfWork<'_>,
    publication_id: i64,
    title: Name,
    text: String,
) -> AppResult<publication::Model> {
    let db = uow.db();
    let original = uow
        .target::<publication::Entity>(
            Permission::ManageCouncil,
            publication_id,
            "publication_id",
            "publication",
        )
        .await?;
    let scope = Scope::of_compound(db, original.compound_id).await?;
    let permit = uow.permit(Permission::ManageCouncil, &scope)?;
    ledger::lock_compound(db, original.compound_id).await?;
    let days = (original.publicity_ends_on - original.published_on).num_days() as i32 + 1;
    insert_publication(
        uow,
        &permit,
        NewPublication {
            compound_id: original.compound_id,
            matter_id: original.matter_id,
            vote_id: original.vote_id,
            kind: original.kind,
            title: title.into_inner(),
            body: parse_text(&text, "text")?,
            published_on: original.published_on,
            publicity_days: days,
            corrects_id: Some(original.id),
        },
    )
    .await
}

/// The actor's person, if it lives in or owns a dwelling of the compound
/// on `day`, or the actor holds a resident role over one. Starts from the
/// person's own ownerships, residencies and grants, so the answer costs a
/// few small statements whatever the size of the compound.
pub(crate) async fn resident_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    compound_id: i64,
    day: NaiveDate,
) -> AppResult<Option<i64>> {
    let Some(person) = actor.person_id else {
        return Ok(None);
    };
    let on_day = |starts_on, ends_on| Term { starts_on, ends_on }.contains(day);
    let mut dwellings: Vec<i64> = ownership::Entity::find()
        .filter(ownership::Column::PersonId.eq(person))
        .all(db)
        .await?
        .into_iter()
        .filter(|o| on_day(o.starts_on, o.ends_on))
        .map(|o| o.dwelling_id)
        .collect();
    dwellings.extend(
        residency::Entity::find()
            .filter(residency::Column::PersonId.eq(person))
            .all(db)
            .await?
            .into_iter()
            .filter(|r| on_day(r.starts_on, r.ends_on))
            .map(|r| r.dwelling_id),
    );
    dwellings.extend(
        role_grant::Entity::find()
            .filter(role_grant::Column::AccountId.eq(actor.account_id))
            .filter(role_grant::Column::RevokedAt.is_null())
            .filter(role_grant::Column::DwellingId.is_not_null())
            .all(db)
            .await?
            .into_iter()
            .filter_map(|g| g.dwelling_id),
    );
    if dwellings.is_empty() {
        return Ok(None);
    }
    let buildings: Vec<i64> = dwelling::Entity::find()
        .filter(dwelling::Column::Id.is_in(dwellings))
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.building_id)
        .collect();
    let here = building::Entity::find()
        .filter(building::Column::Id.is_in(buildings))
        .filter(building::Column::CompoundId.eq(compound_id))
        .one(db)
        .await?
        .is_some();
    Ok(here.then_some(person))
}

/// A resident of the compound lodges an objection to a publication during its publicity period.
pub async fn lodge_objection(
    uow: &UnitOfWork<'_>,
    publication_id: i64,
    text: String,
) -> AppResult<objection::Model> {
    let db = uow.db();
    let p = must_exist::<publication::Entity>(db, publication_id, "publication_id", "publication")
        .await?;
    let scope = Scope::of_compound(db, p.compound_id).await?;
    let permit = uow.self_service(SelfService::LodgeOwnObjection, &scope)?;
    ledger::lock_compound(db, p.compound_id).await?;
    let day = uow.today();
    let Some(person) = resident_of(db, permit.actor(), p.compound_id, day).await? else {
        return Err(AppError::Forbidden(
            "only residents of the compound may object".into(),
        ));
    };
    if day < p.published_on || day > p.publicity_ends_on {
        return Err(AppError::invalid(
            "publication_id",
            UserErrorCode::InvalidState,
            format!(
                "objections are taken during the publicity period, {} to {}",
                p.published_on, p.publicity_ends_on
            ),
        ));
    }
    let text = parse_text(&text, "text")?;
    if text.is_empty() {
        return Err(AppError::invalid(
            "text",
            UserErrorCode::Required,
            "say what the objection is",
        ));
    }
    let m = objection::ActiveModel {
        publication_id: Set(p.id),
        compound_id: Set(p.compound_id),
        person_id: Set(person),
        account_id: Set(permit.actor().account_id),
        text: Set(text),
        lodged_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    ledger::append(
        uow,
        &permit,
        Operation::LodgeObjection,
        m.compound_id,
        Chained::Objection(&m),
    )
    .await?;
    Ok(m)
}

/// The council answers an objection; a later answer supersedes an earlier one.
pub async fn answer_objection(
    uow: &UnitOfWork<'_>,
    objection_id: i64,
    text: String,
) -> AppResult<objection_answer::Model> {
    let db = uow.db();
    let o = uow
        .target::<objection::Entity>(
            Permission::ManageCouncil,
            objection_id,
            "objection_id",
            "objection",
        )
        .await?;
    let scope = Scope::of_compound(db, o.compound_id).await?;
    let permit = uow.permit(Permission::ManageCouncil, &scope)?;
    ledger::lock_compound(db, o.compound_id).await?;
    let text = parse_text(&text, "text")?;
    if text.is_empty() {
        return Err(AppError::invalid(
            "text",
            UserErrorCode::Required,
            "an answer has text",
        ));
    }
    let m = objection_answer::ActiveModel {
        objection_id: Set(o.id),
        text: Set(text),
        answered_by: Set(permit.actor().account_id),
        answered_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    ledger::append(
        uow,
        &permit,
        Operation::AnswerObjection,
        o.compound_id,
        Chained::ObjectionAnswer(&m),
    )
    .await?;
    Ok(m)
}
