//! Rubric documents, drafts and publication, and the rubrics the product
//! ships. The rules are in the area's top comment (`domain::evaluation`);
//! the document format is `docs/RUBRICS.md`.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, SqlErr, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use crate::domain::access::{Caller, Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::batch;
use crate::domain::clock::Clock;
use crate::domain::kinds::{EvaluationKind, RubricStatus};
use crate::domain::operation::Operation;
use crate::domain::store::lock_row;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, parse_text, required_text};
use crate::entity::{
    rubric, rubric_aspect as aspect, rubric_indicator as indicator, rubric_version as version,
};
use crate::error::{AppError, AppResult, UserErrorCode};

const MANAGE: Permission = Permission::ManageEvaluations;

/// Most aspects one version holds.
pub const MAX_ASPECTS: usize = 20;
/// Most indicators one aspect holds.
pub const MAX_INDICATORS: usize = 50;
/// The highest maximum score of one indicator, in whole points.
pub const MAX_SCORE: i64 = 1_000;
/// Longest rubric code, in characters.
pub const MAX_CODE_LEN: usize = 64;
/// Longest rubric document, in characters (256 Ki): the longest text input
/// of the schema, and so the bound the document guard holds every string to.
pub const MAX_DOCUMENT_LEN: usize = 256 * 1024;

/// The rubrics the product ships: the four-aspect demonstration-compound
/// rubric, the seven-aspect epidemic-free one (an example: the seeds name
/// its aspects but no indicator) and the top ten's.
pub const SHIPPED: [(&str, &str); 3] = [
    (
        "demonstration-compound.toml",
        include_str!("shipped/demonstration-compound.toml"),
    ),
    (
        "epidemic-free.toml",
        include_str!("shipped/epidemic-free.toml"),
    ),
    ("top-ten.toml", include_str!("shipped/top-ten.toml")),
];

/// The text format of a rubric document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML, as the shipped rubrics are written.
    Toml,
    /// JSON, of the same structure.
    Json,
}

/// A rubric as a document or a mutation gives it: the rubric's code and
/// kind, and the content of one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricDocument {
    /// The rubric's stable code: lower-case letters, digits and dashes.
    pub code: String,
    /// The name of this version.
    pub name: String,
    /// The title its campaigns award.
    pub kind: EvaluationKind,
    /// An example a city is expected to replace with its own.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub example: bool,
    /// What this version changes, or where it comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Its aspects, in order.
    pub aspects: Vec<AspectDocument>,
}

/// An aspect of a rubric document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AspectDocument {
    /// Its title.
    pub title: String,
    /// What it covers.
    #[serde(default)]
    pub description: String,
    /// Its indicators, in order.
    pub indicators: Vec<IndicatorDocument>,
}

/// An indicator of a rubric document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDocument {
    /// What is scored.
    pub title: String,
    /// The most an evaluator may give, in whole points.
    pub max_score: i64,
    /// How to score it.
    pub guidance: String,
}

/// Reads a rubric document; a document that does not parse is the user's
/// error at `document`, with the line the parser stopped at.
pub fn parse(format: Format, text: &str) -> AppResult<RubricDocument> {
    if text.chars().count() > MAX_DOCUMENT_LEN {
        return Err(AppError::invalid(
            "document",
            UserErrorCode::TooLong,
            format!("a rubric document is at most {MAX_DOCUMENT_LEN} characters"),
        ));
    }
    let refused = |message: String| AppError::invalid("document", UserErrorCode::Invalid, message);
    match format {
        Format::Toml => toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            refused(match line {
                Some(l) => format!("not a rubric in TOML: line {l}: {}", e.message()),
                None => format!("not a rubric in TOML: {}", e.message()),
            })
        }),
        Format::Json => {
            serde_json::from_str(text).map_err(|e| refused(format!("not a rubric in JSON: {e}")))
        }
    }
}

/// Writes the stored version `v` of rubric `r`, with its content, as a
/// document that loads back to the same content.
pub fn render(
    format: Format,
    r: &rubric::Model,
    v: &version::Model,
    content: &Content,
) -> AppResult<String> {
    let doc = RubricDocument {
        code: r.code.clone(),
        name: v.name.clone(),
        kind: r.kind,
        example: v.example,
        note: v.note.clone(),
        aspects: content
            .aspects
            .iter()
            .map(|a| AspectDocument {
                title: a.title.clone(),
                description: a.description.clone(),
                indicators: content
                    .indicators
                    .iter()
                    .filter(|i| i.aspect_id == a.id)
                    .map(|i| IndicatorDocument {
                        title: i.title.clone(),
                        max_score: i64::from(i.max_score),
                        guidance: i.guidance.clone(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let failed = |e: String| AppError::Internal(format!("rendering a rubric: {e}"));
    match format {
        Format::Toml => toml::to_string_pretty(&doc).map_err(|e| failed(e.to_string())),
        Format::Json => serde_json::to_string_pretty(&doc).map_err(|e| failed(e.to_string())),
    }
}

/// An indicator, checked.
struct CheckedIndicator {
    title: String,
    guidance: String,
    max_score: i32,
}

/// An aspect, checked.
struct CheckedAspect {
    title: String,
    description: String,
    indicators: Vec<CheckedIndicator>,
}

/// A document, checked: every rule of a rubric's content holds.
struct Checked {
    code: String,
    name: String,
    kind: EvaluationKind,
    example: bool,
    note: Option<String>,
    aspects: Vec<CheckedAspect>,
    max_total: i32,
}

/// Checks a rubric's code: 1 to `MAX_CODE_LEN` lower-case ASCII letters,
/// digits and dashes, beginning with a letter or digit.
fn check_code(raw: &str) -> AppResult<String> {
    let code = raw.trim();
    let fine = !code.is_empty()
        && code.len() <= MAX_CODE_LEN
        && !code.starts_with('-')
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if fine {
        Ok(code.to_owned())
    } else {
        Err(AppError::invalid(
            "code",
            UserErrorCode::Invalid,
            format!(
                "a rubric's code is 1 to {MAX_CODE_LEN} lower-case letters, digits and dashes, such as demonstration-compound"
            ),
        ))
    }
}

/// A count of items at `field` within `1..=most`.
fn check_count(len: usize, most: usize, field: &str, what: &str) -> AppResult<()> {
    if len == 0 {
        return Err(AppError::invalid(
            field,
            UserErrorCode::Required,
            format!("at least one {what}"),
        ));
    }
    if len > most {
        return Err(AppError::invalid(
            field,
            UserErrorCode::OutOfRange,
            format!("at most {most} {what}s"),
        ));
    }
    Ok(())
}

fn check(doc: &RubricDocument) -> AppResult<Checked> {
    let code = check_code(&doc.code)?;
    let name = Name::parse(&doc.name, "name")?.into_inner();
    let note = match &doc.note {
        Some(raw) => Some(parse_text(raw, "note")?).filter(|n| !n.is_empty()),
        None => None,
    };
    check_count(doc.aspects.len(), MAX_ASPECTS, "aspects", "aspect")?;
    let mut max_total: i64 = 0;
    let mut aspects = Vec::with_capacity(doc.aspects.len());
    for (a, given) in doc.aspects.iter().enumerate() {
        let at = |field: &str| format!("aspects.{a}.{field}");
        let title = Name::parse(&given.title, &at("title"))?.into_inner();
        let description = parse_text(&given.description, &at("description"))?;
        check_count(
            given.indicators.len(),
            MAX_INDICATORS,
            &at("indicators"),
            "indicator",
        )?;
        let mut indicators = Vec::with_capacity(given.indicators.len());
        for (i, ind) in given.indicators.iter().enumerate() {
            let at = |field: &str| format!("aspects.{a}.indicators.{i}.{field}");
            let title = Name::parse(&ind.title, &at("title"))?.into_inner();
            let guidance = required_text(
                &ind.guidance,
                &at("guidance"),
                "say how evaluators score the indicator",
            )?;
            if !(1..=MAX_SCORE).contains(&ind.max_score) {
                return Err(AppError::invalid(
                    &at("max_score"),
                    UserErrorCode::OutOfRange,
                    format!("an indicator's maximum score is 1 to {MAX_SCORE} points"),
                ));
            }
            max_total += ind.max_score;
            indicators.push(CheckedIndicator {
                title,
                guidance,
                max_score: ind.max_score as i32,
            });
        }
        aspects.push(CheckedAspect {
            title,
            description,
            indicators,
        });
    }
    Ok(Checked {
        code,
        name,
        kind: doc.kind,
        example: doc.example,
        note,
        aspects,
        // At most 20 × 50 × 1,000 points.
        max_total: max_total as i32,
    })
}

/// A version's aspects and indicators, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Content {
    /// The aspects, by position.
    pub aspects: Vec<aspect::Model>,
    /// The indicators, by aspect and position.
    pub indicators: Vec<indicator::Model>,
}

impl Content {
    /// A version's aspects and indicators, read in any order, put in order.
    pub fn ordered(mut aspects: Vec<aspect::Model>, mut indicators: Vec<indicator::Model>) -> Self {
        aspects.sort_by_key(|a| a.position);
        let place: std::collections::HashMap<i64, i32> =
            aspects.iter().map(|a| (a.id, a.position)).collect();
        indicators.sort_by_key(|i| (place.get(&i.aspect_id).copied(), i.position));
        Self {
            aspects,
            indicators,
        }
    }
}

/// The content of version `version_id`.
pub async fn content(db: &impl ConnectionTrait, version_id: i64) -> AppResult<Content> {
    let aspects = aspect::Entity::find()
        .filter(aspect::Column::VersionId.eq(version_id))
        .all(db)
        .await?;
    let indicators = indicator::Entity::find()
        .filter(indicator::Column::VersionId.eq(version_id))
        .all(db)
        .await?;
    Ok(Content::ordered(aspects, indicators))
}

/// Writes `aspects` as the content of version `version_id`.
async fn insert_content(
    db: &impl ConnectionTrait,
    version_id: i64,
    aspects: &[CheckedAspect],
) -> AppResult<Content> {
    let rows = aspects
        .iter()
        .enumerate()
        .map(|(p, a)| aspect::ActiveModel {
            version_id: Set(version_id),
            position: Set(p as i32 + 1),
            title: Set(a.title.clone()),
            description: Set(a.description.clone()),
            ..Default::default()
        })
        .collect();
    let stored = batch::insert_returning(db, rows).await?;
    let rows = stored
        .iter()
        .zip(aspects)
        .flat_map(|(s, a)| {
            a.indicators
                .iter()
                .enumerate()
                .map(move |(p, i)| indicator::ActiveModel {
                    version_id: Set(version_id),
                    aspect_id: Set(s.id),
                    position: Set(p as i32 + 1),
                    title: Set(i.title.clone()),
                    guidance: Set(i.guidance.clone()),
                    max_score: Set(i.max_score),
                    ..Default::default()
                })
        })
        .collect();
    let indicators = batch::insert_returning(db, rows).await?;
    Ok(Content {
        aspects: stored,
        indicators,
    })
}

/// What the audit trail keeps of a version's content (payload version 1).
#[derive(Serialize)]
struct VersionRecord<'a> {
    payload: u8,
    version: &'a version::Model,
    content: &'a Content,
}

/// A saved version, with its rubric and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The rubric.
    pub rubric: rubric::Model,
    /// The version.
    pub version: version::Model,
    /// Its content.
    pub content: Content,
}

/// The newest version of rubric `rubric_id`, if any.
async fn latest(db: &impl ConnectionTrait, rubric_id: i64) -> AppResult<Option<version::Model>> {
    Ok(version::Entity::find()
        .filter(version::Column::RubricId.eq(rubric_id))
        .order_by_desc(version::Column::Number)
        .one(db)
        .await?)
}

/// Saves `doc` as the draft of its rubric: the rubric is begun if its code
/// is new; an open draft has its content replaced; otherwise a new draft
/// is numbered after the last published version. A published version is
/// never touched.
pub async fn save_draft(uow: &UnitOfWork<'_>, doc: &RubricDocument) -> AppResult<Saved> {
    // Decided before anything is looked at: rubrics are the city's.
    let permit = uow.permit(MANAGE, &Scope::GLOBAL)?;
    let c = check(doc)?;
    let db = uow.db();
    let scope = Scope::GLOBAL;
    let found = rubric::Entity::find()
        .filter(rubric::Column::Code.eq(&c.code))
        .one(db)
        .await?;
    let r = match found {
        Some(r) => r,
        None => {
            let r = rubric::ActiveModel {
                code: Set(c.code.clone()),
                kind: Set(c.kind),
                created_by: Set(Some(permit.actor().account_id)),
                created_at: Set(uow.now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
            audit::created(
                uow,
                &permit,
                Subject::new(Operation::CreateRubric, "Rubric", r.id, &scope),
                &r,
            )
            .await?;
            r
        }
    };
    if r.kind != c.kind {
        return Err(AppError::invalid(
            "kind",
            UserErrorCode::Invalid,
            format!(
                "rubric {} is a {} rubric; a rubric's kind never changes",
                r.code,
                r.kind.as_str()
            ),
        ));
    }
    lock_row::<rubric::Entity>(db, r.id).await?;
    let (v, before) = match latest(db, r.id).await? {
        Some(draft) if draft.status == RubricStatus::Draft => {
            let old = content(db, draft.id).await?;
            indicator::Entity::delete_many()
                .filter(indicator::Column::VersionId.eq(draft.id))
                .exec(db)
                .await?;
            aspect::Entity::delete_many()
                .filter(aspect::Column::VersionId.eq(draft.id))
                .exec(db)
                .await?;
            let mut am = draft.clone().into_active_model();
            am.name = Set(c.name.clone());
            am.note = Set(c.note.clone());
            am.example = Set(c.example);
            am.max_total = Set(c.max_total);
            (am.update(db).await?, Some((draft, old)))
        }
        last => {
            let v = version::ActiveModel {
                rubric_id: Set(r.id),
                number: Set(last.map_or(1, |l| l.number + 1)),
                name: Set(c.name.clone()),
                note: Set(c.note.clone()),
                example: Set(c.example),
                status: Set(RubricStatus::Draft),
                max_total: Set(c.max_total),
                created_by: Set(Some(permit.actor().account_id)),
                created_at: Set(uow.now()),
                published_by: Set(None),
                published_at: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?;
            (v, None)
        }
    };
    let stored = insert_content(db, v.id, &c.aspects).await?;
    let after = VersionRecord {
        payload: 1,
        version: &v,
        content: &stored,
    };
    let subject = Subject::new(Operation::SaveRubricDraft, "RubricVersion", v.id, &scope);
    match &before {
        Some((old_version, old_content)) => {
            let before = VersionRecord {
                payload: 1,
                version: old_version,
                content: old_content,
            };
            audit::record(uow, &permit, subject, Some(&before), Some(&after)).await?;
        }
        None => audit::created(uow, &permit, subject, &after).await?,
    }
    Ok(Saved {
        rubric: r,
        version: v,
        content: stored,
    })
}

/// Loads a rubric document of `format` as its rubric's draft
/// ([`save_draft`]), and publishes it at once when `publish`. The right is
/// decided before the document is read; a rule the document breaks is
/// answered at its field inside `document` (`document.aspects.0.title`).
pub async fn load(
    uow: &UnitOfWork<'_>,
    format: Format,
    text: &str,
    publish: bool,
) -> AppResult<version::Model> {
    uow.permit(MANAGE, &Scope::GLOBAL)?;
    let doc = parse(format, text)?;
    let saved = save_draft(uow, &doc)
        .await
        .map_err(|e| e.under("document"))?;
    if publish {
        self::publish(uow, saved.version.id).await
    } else {
        Ok(saved.version)
    }
}

/// Publishes draft version `version_id`: from now on it never changes, and
/// campaigns may pin it.
pub async fn publish(uow: &UnitOfWork<'_>, version_id: i64) -> AppResult<version::Model> {
    let permit = uow.permit(MANAGE, &Scope::GLOBAL)?;
    let db = uow.db();
    let v = uow
        .target::<version::Entity>(MANAGE, version_id, "version_id", "rubric version")
        .await?;
    lock_row::<rubric::Entity>(db, v.rubric_id).await?;
    let v = crate::domain::store::must_exist::<version::Entity>(
        db,
        version_id,
        "version_id",
        "rubric version",
    )
    .await?;
    if v.status == RubricStatus::Published {
        return Err(AppError::invalid(
            "version_id",
            UserErrorCode::InvalidState,
            format!(
                "version {} is PUBLISHED already, and a published version never changes; save a new draft instead",
                v.number
            ),
        ));
    }
    let before = v.clone();
    let mut am = v.into_active_model();
    am.status = Set(RubricStatus::Published);
    am.published_by = Set(Some(permit.actor().account_id));
    am.published_at = Set(Some(uow.now()));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(
            Operation::PublishRubricVersion,
            "RubricVersion",
            after.id,
            &Scope::GLOBAL,
        ),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// Whether `caller` keeps the rubrics, and so sees their drafts.
pub fn keeps_rubrics(caller: &Caller) -> bool {
    caller.actor().is_ok_and(|a| a.can(MANAGE, &Scope::GLOBAL))
}

/// Whether `caller` may read version `v`: a published one anyone may, a
/// draft only those who keep the rubrics.
pub fn may_read(caller: &Caller, v: &version::Model) -> bool {
    v.status == RubricStatus::Published || keeps_rubrics(caller)
}

/// Installs each shipped rubric whose code the database does not have yet,
/// as its published version 1 with no account behind it; one transaction
/// each. A rubric another instance installed at the same moment is left
/// to it. Returns the codes installed.
pub async fn install_shipped(db: &DatabaseConnection, clock: &Clock) -> AppResult<Vec<String>> {
    let mut installed = Vec::new();
    for (file, text) in SHIPPED {
        let c = parse(Format::Toml, text)
            .and_then(|doc| check(&doc))
            .map_err(|e| AppError::Internal(format!("shipped rubric {file}: {e:?}")))?;
        let present = rubric::Entity::find()
            .filter(rubric::Column::Code.eq(&c.code))
            .one(db)
            .await?;
        if present.is_some() {
            continue;
        }
        let txn = db.begin().await?;
        let now = clock.now();
        let r = rubric::ActiveModel {
            code: Set(c.code.clone()),
            kind: Set(c.kind),
            created_by: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        let r = match r {
            Ok(r) => r,
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                txn.rollback().await?;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let v = version::ActiveModel {
            rubric_id: Set(r.id),
            number: Set(1),
            name: Set(c.name.clone()),
            note: Set(c.note.clone()),
            example: Set(c.example),
            status: Set(RubricStatus::Published),
            max_total: Set(c.max_total),
            created_by: Set(None),
            created_at: Set(now),
            published_by: Set(None),
            published_at: Set(Some(now)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        insert_content(&txn, v.id, &c.aspects).await?;
        txn.commit().await?;
        installed.push(c.code);
    }
    Ok(installed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rubrics_parse_check_and_render_back() {
        let mut kinds = Vec::new();
        for (file, text) in SHIPPED {
            let doc = parse(Format::Toml, text).unwrap_or_else(|e| panic!("{file}: {e:?}"));
            let c = check(&doc).unwrap_or_else(|e| panic!("{file}: {e:?}"));
            let indicators: usize = c.aspects.iter().map(|a| a.indicators.len()).sum();
            kinds.push((c.kind, c.aspects.len(), indicators, c.max_total, c.example));
            // TOML and JSON say the same thing.
            let json = serde_json::to_string(&doc).unwrap();
            assert_eq!(parse(Format::Json, &json).unwrap(), doc, "{file}");
        }
        assert_eq!(
            kinds,
            [
                (EvaluationKind::DemonstrationCompound, 4, 15, 100, false),
                // Seven aspects and twenty indicators, the gate checklist among them.
                (EvaluationKind::EpidemicFree, 7, 20, 100, true),
                (EvaluationKind::TopTen, 5, 10, 100, false),
            ]
        );
        let gate = parse(Format::Toml, SHIPPED[1].1).unwrap();
        let titles: Vec<&str> = gate
            .aspects
            .iter()
            .flat_map(|a| a.indicators.iter().map(|i| i.title.as_str()))
            .collect();
        for step in ["一问", "二看", "三贴", "四区", "五件"] {
            assert!(titles.iter().any(|t| t.starts_with(step)), "{step}");
        }
    }

    #[test]
    fn a_document_that_does_not_parse_names_its_line() {
        let e = parse(Format::Toml, "code = \"x\"\nname = \n").unwrap_err();
        let AppError::Invalid(errors) = e else {
            panic!("{e:?}")
        };
        assert_eq!(errors[0].field, "document");
        assert!(
            errors[0].message.contains("line 2"),
            "{}",
            errors[0].message
        );
        let e = parse(Format::Toml, "code = \"x\"\ncolour = 1\n").unwrap_err();
        assert!(format!("{e:?}").contains("colour"), "{e:?}");
    }

    #[test]
    fn codes_are_lower_case_words_joined_by_dashes() {
        assert!(check_code("demonstration-compound").is_ok());
        assert!(check_code("top-10").is_ok());
        for bad in ["", "Top", "-x", "a b", "示范", &"x".repeat(65)] {
            assert!(check_code(bad).is_err(), "{bad:?}");
        }
    }
}
