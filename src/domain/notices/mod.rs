//! Notices (公告): what a compound's owners' committee, party branch or
//! property company announces to its residents, beside the decisions.
//!
//! A notice names the party that publishes it. The caller must speak for
//! that party over the compound: a member of its owners' committee, its
//! branch secretary, its property company's manager (each by role), or
//! staff over the compound, who keep the three bodies' records; and the
//! compound must have that body on the day (a staff member cannot sign a
//! notice with a committee the compound has not elected). A notice
//! is never edited; pinning it, or taking the pin off, is the one change
//! it takes. From its `expires_on` on it is no longer shown by default.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};

use crate::domain::access::{Actor, Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::event::DecisionEvent;
use crate::domain::kinds::{NoticePublisher, Role};
use crate::domain::operation::Operation;
use crate::domain::parties::linkage;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, required_text};
use crate::entity::{compound, notice};
use crate::error::{AppError, AppResult, UserErrorCode};

const NOTICES: Permission = Permission::PublishNotices;

/// Whether `actor` speaks for `publisher` over `scope`: by the party's own
/// role there, or as staff above the compound.
fn speaks_for(actor: &Actor, publisher: NoticePublisher, scope: &Scope) -> bool {
    let own = match publisher {
        NoticePublisher::OwnersCommittee => Role::CommitteeMember,
        NoticePublisher::PartyBranch => Role::BranchSecretary,
        NoticePublisher::PropertyCompany => Role::PropertyManager,
    };
    actor.grants.iter().any(|g| {
        g.covers(scope)
            && (g.role == own
                || matches!(
                    g.role,
                    Role::PlatformAdmin
                        | Role::DistrictStaff
                        | Role::SubdistrictStaff
                        | Role::CommunityStaff
                ))
    })
}

/// Whether compound `compound_id` has the body a notice would be
/// published as, today: a party branch, an owners' committee within its
/// term and not dissolved, or a property company under a contract in
/// force. Staff may publish for any of the three, but only for one the
/// compound has: a notice signed by a body that does not exist would
/// mislead its residents.
async fn body_serves(
    uow: &UnitOfWork<'_>,
    compound_id: i64,
    publisher: NoticePublisher,
) -> AppResult<bool> {
    let (db, today) = (uow.db(), uow.today());
    Ok(match publisher {
        NoticePublisher::PartyBranch => linkage::active_branch(db, compound_id, today)
            .await?
            .is_some(),
        NoticePublisher::OwnersCommittee => linkage::active_committee(db, compound_id, today)
            .await?
            .is_some(),
        NoticePublisher::PropertyCompany => linkage::active_contract(db, compound_id, today)
            .await?
            .is_some(),
    })
}

/// What a notice says.
pub struct NewNotice {
    /// The compound whose residents it is for.
    pub compound_id: i64,
    /// Who publishes it.
    pub publisher: NoticePublisher,
    /// Its title.
    pub title: Name,
    /// Its text.
    pub body: String,
    /// Shown above the others.
    pub pinned: bool,
    /// The first day it is no longer shown, if it expires.
    pub expires_on: Option<NaiveDate>,
}

/// Publishes a notice to a compound's residents.
pub async fn publish(uow: &UnitOfWork<'_>, n: NewNotice) -> AppResult<notice::Model> {
    let c = uow
        .target::<compound::Entity>(NOTICES, n.compound_id, "compound_id", "compound")
        .await?;
    let scope = Scope::of_compound(uow.db(), c.id).await?;
    let permit = uow.permit(NOTICES, &scope)?;
    if !speaks_for(permit.actor(), n.publisher, &scope) {
        return Err(AppError::Forbidden(format!(
            "you do not speak for the {} of this compound",
            match n.publisher {
                NoticePublisher::OwnersCommittee => "owners' committee",
                NoticePublisher::PartyBranch => "party branch",
                NoticePublisher::PropertyCompany => "property company",
            }
        )));
    }
    if !body_serves(uow, c.id, n.publisher).await? {
        return Err(AppError::invalid(
            "publisher",
            UserErrorCode::Invalid,
            format!(
                "this compound has no {} today, so none can publish for it",
                match n.publisher {
                    NoticePublisher::OwnersCommittee => "owners' committee serving",
                    NoticePublisher::PartyBranch => "party branch",
                    NoticePublisher::PropertyCompany =>
                        "property company under a contract in force",
                }
            ),
        ));
    }
    let body = required_text(&n.body, "body", "say what the notice announces")?;
    if let Some(day) = n.expires_on
        && day <= uow.today()
    {
        return Err(AppError::invalid(
            "expires_on",
            UserErrorCode::OutOfRange,
            "a notice expires after the day it is published",
        ));
    }
    let m = notice::ActiveModel {
        compound_id: Set(c.id),
        publisher: Set(n.publisher),
        title: Set(n.title.into_inner()),
        body: Set(body),
        pinned: Set(n.pinned),
        expires_on: Set(n.expires_on),
        published_by: Set(permit.actor().account_id),
        published_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(uow.db())
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::PublishNotice, "Notice", m.id, &scope),
        &m,
    )
    .await?;
    uow.emit(DecisionEvent::NoticePublished {
        compound_id: c.id,
        notice_id: m.id,
    });
    Ok(m)
}

/// Pins a notice above the others, or takes its pin off.
pub async fn pin(uow: &UnitOfWork<'_>, notice_id: i64, pinned: bool) -> AppResult<notice::Model> {
    let n = uow
        .target::<notice::Entity>(NOTICES, notice_id, "notice_id", "notice")
        .await?;
    let scope = Scope::of_compound(uow.db(), n.compound_id).await?;
    let permit = uow.permit(NOTICES, &scope)?;
    if !speaks_for(permit.actor(), n.publisher, &scope) {
        return Err(AppError::Forbidden(
            "only its publisher pins or unpins a notice".into(),
        ));
    }
    let before = n.clone();
    let mut am = n.into_active_model();
    am.pinned = Set(pinned);
    let after = am.update(uow.db()).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::PinNotice, "Notice", after.id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// Whether a notice is shown on `day`: not yet expired.
pub fn in_force(n: &notice::Model, day: NaiveDate) -> bool {
    n.expires_on.is_none_or(|e| day < e)
}
