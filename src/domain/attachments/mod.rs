//! Attachments: photos and documents, uploaded once, kept for good.
//!
//! An upload is judged by its bytes, not by what the client says: its
//! size against the configured limit, its content type read from its
//! magic bytes (the `infer` crate) against a short allowed list, and its
//! SHA-256, which is recorded and names the object in the store. Objects
//! are written with "create only" semantics under their digest, so bytes
//! once stored under a record are never replaced, and nothing here
//! deletes one: a record residents rely on keeps its photos.
//!
//! Who may upload, and who may read, depends on the file's purpose: a
//! project photo is uploaded by those who run the compound's projects and,
//! once a progress update shows it, is as public as the project (公示);
//! before that only its uploader and the staff over the compound see it.
//! A grid-event photo is uploaded, for a grid, by those who report events
//! there or act for a handler of its subdistrict, and is read by those who
//! may read the event that shows it.
//!
//! What does not live here: where the bytes go (`Files`, configured at
//! start-up) is decided by configuration, and the HTTP route that serves
//! them is in `crate::http`.

use std::sync::Arc;

use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, path::Path};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use sha2::{Digest, Sha256};

use crate::domain::access::SelfService;
use crate::domain::access::{Caller, Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::grid_events::acts_in_subdistrict;
use crate::domain::kinds::AttachmentPurpose;
use crate::domain::operation::Operation;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::Name;
use crate::entity::{
    attachment, community, compound, grid, grid_event, grid_event_photo, project_update_photo,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// The content types accepted, as their magic bytes reveal them.
pub const ALLOWED_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/webp", "application/pdf"];

/// Where uploaded bytes are kept, and how large one may be.
#[derive(Clone)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
    max_bytes: usize,
}

impl Files {
    /// Files kept in `store`, each at most `max_bytes`.
    pub fn new(store: Arc<dyn ObjectStore>, max_bytes: usize) -> Self {
        Self { store, max_bytes }
    }

    /// The largest upload accepted, in bytes.
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The bytes of a stored attachment.
    pub async fn read(&self, a: &attachment::Model) -> AppResult<bytes::Bytes> {
        let got = self
            .store
            .get(&Path::from(a.storage_key.as_str()))
            .await
            .map_err(|e| AppError::Internal(format!("reading attachment {}: {e}", a.id)))?;
        got.bytes()
            .await
            .map_err(|e| AppError::Internal(format!("reading attachment {}: {e}", a.id)))
    }

    /// Stores `bytes` under their digest unless they are there already.
    async fn keep(&self, key: &str, bytes: Vec<u8>) -> AppResult<()> {
        let opts = PutOptions {
            mode: PutMode::Create,
            ..PutOptions::default()
        };
        match self
            .store
            .put_opts(&Path::from(key), bytes.into(), opts)
            .await
        {
            // The same digest is the same bytes: an earlier upload stored them.
            Ok(_) | Err(object_store::Error::AlreadyExists { .. }) => Ok(()),
            Err(e) => Err(AppError::Internal(format!("storing an upload: {e}"))),
        }
    }
}

/// One file as it arrived.
pub struct Upload {
    /// The name the client gave it (kept for display only).
    pub file_name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// What the bytes are, if they are an allowed kind of file.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let kind = infer::get(bytes)?;
    ALLOWED_TYPES
        .iter()
        .copied()
        .find(|t| *t == kind.mime_type())
}

/// The permission of a role that uploads files for `purpose` (over its
/// compound, or its grid) and reads them all there.
fn upload_permission(purpose: AttachmentPurpose) -> Permission {
    match purpose {
        AttachmentPurpose::ProjectPhoto => Permission::ManageProjects,
        AttachmentPurpose::EventPhoto => Permission::ReportGridEvents,
        AttachmentPurpose::ScoreEvidence => Permission::ScoreEntries,
    }
}

/// Refuses, before an upload is read, a caller who may upload files for
/// `purpose` nowhere: for project photos, one none of whose roles may; for
/// event photos, which handlers upload too, one not signed in.
pub fn may_upload(caller: &Caller, purpose: AttachmentPurpose) -> AppResult<()> {
    match purpose {
        AttachmentPurpose::EventPhoto => caller.actor().map(|_| ()),
        _ => crate::domain::access::may_hold(caller, upload_permission(purpose)).map(|_| ()),
    }
}

/// Where an upload belongs: a project photo to a compound, an event photo
/// to a grid, score evidence to the compound or community scored.
pub struct UploadFor {
    /// The compound.
    pub compound_id: Option<i64>,
    /// The grid.
    pub grid_id: Option<i64>,
    /// The community (score evidence for a community's entry).
    pub community_id: Option<i64>,
}

/// Uploads a file for `purpose` where `place` says: checked, digested,
/// stored and recorded.
pub async fn upload(
    uow: &UnitOfWork<'_>,
    files: &Files,
    purpose: AttachmentPurpose,
    place: UploadFor,
    file: Upload,
) -> AppResult<attachment::Model> {
    let db = uow.db();
    let permission = upload_permission(purpose);
    let (community_id, compound_id, scope, permit) = match purpose {
        AttachmentPurpose::ProjectPhoto => {
            let id = place.compound_id.ok_or_else(|| {
                AppError::invalid(
                    "compound_id",
                    UserErrorCode::Required,
                    "a project photo is uploaded for a compound",
                )
            })?;
            let c = uow
                .target::<compound::Entity>(permission, id, "compound_id", "compound")
                .await?;
            let scope = Scope::of_compound(db, c.id).await?;
            let permit = uow.permit(permission, &scope)?;
            (c.community_id, Some(c.id), scope, permit)
        }
        AttachmentPurpose::EventPhoto => {
            let id = place.grid_id.ok_or_else(|| {
                AppError::invalid(
                    "grid_id",
                    UserErrorCode::Required,
                    "an event photo is uploaded for a grid",
                )
            })?;
            // Decided before the lookup: one who neither reports nor
            // handles events anywhere learns nothing of which grids exist.
            let actor = uow.caller().actor()?;
            if !actor.holds(permission) && !acts_in_subdistrict(db, actor.account_id, None).await? {
                return Err(AppError::Forbidden(
                    "event photos are uploaded by those who report or handle grid events".into(),
                ));
            }
            let g = grid::Entity::find_by_id(id).one(db).await?.ok_or_else(|| {
                crate::domain::access::missing(uow.caller(), permission, "grid_id", "grid")
            })?;
            let scope = Scope::of_grid(db, g.id).await?;
            let permit = if actor.can(permission, &scope) {
                uow.permit(permission, &scope)?
            } else if acts_in_subdistrict(db, actor.account_id, scope.subdistrict_id).await? {
                uow.self_service(SelfService::HandleDispatchedEvent, &scope)?
            } else {
                return Err(AppError::Forbidden(
                    "event photos are uploaded by those who report events in the grid or handle them"
                        .into(),
                ));
            };
            (g.community_id, None, scope, permit)
        }
        // An evaluator's evidence, for the compound or community scored;
        // shown by a sheet only for an entry the evaluator is assigned to.
        AttachmentPurpose::ScoreEvidence => match (place.compound_id, place.community_id) {
            (Some(id), None) => {
                let c = uow
                    .target::<compound::Entity>(permission, id, "compound_id", "compound")
                    .await?;
                let scope = Scope::of_compound(db, c.id).await?;
                let permit = uow.permit(permission, &scope)?;
                (c.community_id, Some(c.id), scope, permit)
            }
            (None, Some(id)) => {
                let c = uow
                    .target::<community::Entity>(permission, id, "community_id", "community")
                    .await?;
                let scope = Scope::of_community(db, c.id).await?;
                let permit = uow.permit(permission, &scope)?;
                (c.id, None, scope, permit)
            }
            _ => {
                return Err(AppError::invalid(
                    "compound_id",
                    UserErrorCode::Required,
                    "score evidence is uploaded for the compound or the community scored: name one",
                ));
            }
        },
    };
    if file.bytes.is_empty() {
        return Err(AppError::invalid(
            "file",
            UserErrorCode::Required,
            "the file is empty",
        ));
    }
    if file.bytes.len() > files.max_bytes {
        return Err(AppError::invalid(
            "file",
            UserErrorCode::OutOfRange,
            format!(
                "the file has {} bytes; at most {} are accepted",
                file.bytes.len(),
                files.max_bytes
            ),
        ));
    }
    let Some(content_type) = sniff(&file.bytes) else {
        return Err(AppError::invalid(
            "file",
            UserErrorCode::Invalid,
            format!(
                "the file's content is not one of the accepted types ({})",
                ALLOWED_TYPES.join(", ")
            ),
        ));
    };
    let file_name = Name::parse(&file.file_name, "file")?.into_inner();
    let digest = hex::encode(Sha256::digest(&file.bytes));
    let key = format!("sha256/{}/{digest}", &digest[..2]);
    let size = i64::try_from(file.bytes.len())
        .map_err(|_| AppError::Internal("upload size overflows".into()))?;
    files.keep(&key, file.bytes).await?;
    let m = attachment::ActiveModel {
        community_id: Set(community_id),
        compound_id: Set(compound_id),
        purpose: Set(purpose),
        file_name: Set(file_name),
        content_type: Set(content_type.to_owned()),
        size_bytes: Set(size),
        sha256: Set(digest),
        storage_key: Set(key),
        uploaded_by: Set(permit.actor().account_id),
        uploaded_at: Set(uow.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::UploadAttachment, "Attachment", m.id, &scope),
        &m,
    )
    .await?;
    Ok(m)
}

/// The scope an attachment's readers are decided by.
async fn scope_of(db: &impl ConnectionTrait, a: &attachment::Model) -> AppResult<Scope> {
    match a.compound_id {
        Some(c) => Scope::of_compound(db, c).await,
        None => Scope::of_community(db, a.community_id).await,
    }
}

/// Whether `caller` may read attachment `a`: its uploader, those who may
/// upload such files over its compound, and, for a project photo that a
/// progress update shows, anyone.
pub async fn may_read(
    db: &impl ConnectionTrait,
    caller: &Caller,
    a: &attachment::Model,
) -> AppResult<bool> {
    if let Caller::Account(actor) = caller {
        if actor.account_id == a.uploaded_by {
            return Ok(true);
        }
        let scope = scope_of(db, a).await?;
        // Every evaluator may upload evidence anywhere, but reads only
        // their own; the staff who run campaigns over the place read all.
        let readers = match a.purpose {
            AttachmentPurpose::ScoreEvidence => Permission::ManageEvaluations,
            other => upload_permission(other),
        };
        if actor.can(readers, &scope) {
            return Ok(true);
        }
    }
    match a.purpose {
        AttachmentPurpose::ProjectPhoto => Ok(project_update_photo::Entity::find()
            .filter(project_update_photo::Column::AttachmentId.eq(a.id))
            .one(db)
            .await?
            .is_some()),
        AttachmentPurpose::EventPhoto => {
            let links = grid_event_photo::Entity::find()
                .filter(grid_event_photo::Column::AttachmentId.eq(a.id))
                .all(db)
                .await?;
            for link in links {
                let Some(e) = grid_event::Entity::find_by_id(link.event_id)
                    .one(db)
                    .await?
                else {
                    continue;
                };
                let scope = crate::domain::grid_events::scope_of(db, &e).await?;
                if crate::domain::grid_events::may_read(db, caller, &e, &scope).await? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        AttachmentPurpose::ScoreEvidence => Ok(false),
    }
}

/// The event photos `ids`, each uploaded by the caller in community
/// `community_id`, to be shown by a step of an event there; refuses any
/// other at `field`.
pub async fn own_event_photos(
    uow: &UnitOfWork<'_>,
    ids: &[i64],
    community_id: i64,
    field: &str,
) -> AppResult<Vec<attachment::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let me = uow.caller().actor()?.account_id;
    let found = attachment::Entity::find()
        .filter(attachment::Column::Id.is_in(ids.to_vec()))
        .all(uow.db())
        .await?;
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            found
                .iter()
                .find(|a| {
                    a.id == *id
                        && a.purpose == AttachmentPurpose::EventPhoto
                        && a.community_id == community_id
                        && a.uploaded_by == me
                })
                .cloned()
                .ok_or_else(|| {
                    AppError::invalid(
                        &format!("{field}.{i}"),
                        UserErrorCode::Invalid,
                        "no such event photo was uploaded by you in this community",
                    )
                })
        })
        .collect()
}

/// The attachments `ids`, each of which the caller uploaded or may upload
/// for `purpose` in compound `compound_id`, to be shown by a new record
/// there; refuses any other at `field`.
pub async fn for_record(
    uow: &UnitOfWork<'_>,
    ids: &[i64],
    purpose: AttachmentPurpose,
    compound_id: i64,
    field: &str,
) -> AppResult<Vec<attachment::Model>> {
    let found = attachment::Entity::find()
        .filter(attachment::Column::Id.is_in(ids.to_vec()))
        .all(uow.db())
        .await?;
    let mut out = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let a = found
            .iter()
            .find(|a| a.id == *id && a.purpose == purpose && a.compound_id == Some(compound_id))
            .ok_or_else(|| {
                AppError::invalid(
                    &format!("{field}.{i}"),
                    UserErrorCode::Invalid,
                    "no such attachment was uploaded for this compound and purpose",
                )
            })?;
        out.push(a.clone());
    }
    Ok(out)
}

/// Attachment `id`, if it exists and `caller` may read it: the decision of
/// the HTTP route that serves the bytes. A missing file and one the caller
/// may not read look the same.
pub async fn readable(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
) -> AppResult<Option<attachment::Model>> {
    let Some(a) = attachment::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(may_read(db, caller, &a).await?.then_some(a))
}
