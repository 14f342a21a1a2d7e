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

use crate::domain::access::{Caller, Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::kinds::AttachmentPurpose;
use crate::domain::operation::Operation;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::Name;
use crate::entity::{attachment, compound, project_update_photo};
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

/// The permission an upload of `purpose` needs over its compound.
fn upload_permission(purpose: AttachmentPurpose) -> Permission {
    match purpose {
        AttachmentPurpose::ProjectPhoto => Permission::ManageProjects,
    }
}

/// Refuses, before an upload is read, a caller none of whose roles may
/// upload files for `purpose` anywhere.
pub fn may_upload(caller: &Caller, purpose: AttachmentPurpose) -> AppResult<()> {
    crate::domain::access::may_hold(caller, upload_permission(purpose)).map(|_| ())
}

/// Uploads a file for `purpose` in compound `compound_id`: checked,
/// digested, stored and recorded.
pub async fn upload(
    uow: &UnitOfWork<'_>,
    files: &Files,
    purpose: AttachmentPurpose,
    compound_id: i64,
    file: Upload,
) -> AppResult<attachment::Model> {
    let db = uow.db();
    let permission = upload_permission(purpose);
    let c = uow
        .target::<compound::Entity>(permission, compound_id, "compound_id", "compound")
        .await?;
    let scope = Scope::of_compound(db, c.id).await?;
    let permit = uow.permit(permission, &scope)?;
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
        community_id: Set(c.community_id),
        compound_id: Set(Some(c.id)),
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
        if actor.can(upload_permission(a.purpose), &scope) {
            return Ok(true);
        }
    }
    match a.purpose {
        AttachmentPurpose::ProjectPhoto => Ok(project_update_photo::Entity::find()
            .filter(project_update_photo::Column::AttachmentId.eq(a.id))
            .one(db)
            .await?
            .is_some()),
    }
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
