//! The one place where a database constraint becomes a field error.
//!
//! Uniqueness rules ("one building of a name per compound") are kept by the
//! database's unique indexes, not by a look-before-write in each area, so
//! two concurrent writers cannot both pass. When an insert or update breaks
//! one, the driver's error names the constraint; this table says which
//! domain field was at fault and why, and the GraphQL edge turns the field
//! into an input path (`["input","name"]`, code `CONFLICT`).
//!
//! Every unique index of the schema is listed here, either with the field
//! it answers at or under `NOT_FROM_INPUT`: keys the domain fills in itself,
//! whose violation is a bug or a lost race and stays a storage failure. A
//! test compares both lists with the migrated schema, so a new unique
//! constraint cannot be forgotten.
//!
//! The drivers name constraints differently: PostgreSQL reports the index
//! name (`duplicate key value violates unique constraint "uq_building_…"`),
//! SQLite the columns (`UNIQUE constraint failed: building.compound_id,
//! building.name`), from which the name follows by the migrations'
//! convention `uq_<table>_<columns>`.

use sea_orm::{DbErr, SqlErr};

use crate::error::{FieldError, UserErrorCode};

/// A unique constraint the input can break: its name, the domain field at
/// fault, and the explanation.
struct Unique {
    name: &'static str,
    field: &'static str,
    message: &'static str,
}

const fn unique(name: &'static str, field: &'static str, message: &'static str) -> Unique {
    Unique {
        name,
        field,
        message,
    }
}

/// The unique constraints an input can break, and where they answer.
const UNIQUE: &[Unique] = &[
    unique(
        "uq_patrol_item_district_id_name",
        "name",
        "the district's catalogue has a patrol item of this name",
    ),
    unique(
        "uq_event_category_district_id_name",
        "name",
        "the district has an event category of this name",
    ),
    unique(
        "uq_event_handler_subdistrict_id_name",
        "name",
        "the subdistrict has an event handler of this name",
    ),
    unique(
        "uq_joint_action_event_action_id_event_id",
        "event_ids",
        "the event is in this joint action already",
    ),
    unique("uq_district_name", "name", "a district of this name exists"),
    unique(
        "uq_chief_association_community_id",
        "community_id",
        "the community has a building chiefs' association",
    ),
    unique(
        "uq_subdistrict_name",
        "name",
        "a subdistrict of this name exists",
    ),
    unique(
        "uq_community_subdistrict_id_name",
        "name",
        "the subdistrict has a community of this name",
    ),
    unique(
        "uq_grid_community_id_name",
        "name",
        "the community has a grid of this name",
    ),
    unique(
        "uq_compound_community_id_name",
        "name",
        "the community has a compound of this name",
    ),
    unique(
        "uq_building_compound_id_name",
        "name",
        "the compound has a building of this name",
    ),
    unique(
        "uq_entrance_building_id_name",
        "name",
        "the building has an entrance of this name",
    ),
    unique(
        "uq_dwelling_building_id_number",
        "number",
        "the building has a dwelling of this number",
    ),
    unique(
        "uq_property_company_name",
        "name",
        "a property company of this name is registered",
    ),
    unique(
        "uq_property_company_credit_code",
        "credit_code",
        "a property company with this credit code is registered",
    ),
    unique(
        "uq_joint_meeting_attendee_meeting_id_person_id",
        "attendees",
        "a person attends a meeting once",
    ),
    unique("uq_account_username", "username", "this username is taken"),
    unique(
        "uq_residents_council_compound_id",
        "compound_id",
        "the compound already has a residents' council",
    ),
    unique(
        "uq_vote_result_vote_id",
        "vote_id",
        "the vote's result is already recorded",
    ),
    unique(
        "uq_ballot_supersedes_id",
        "voter_id",
        "another ballot for this owner was cast at the same moment; try again",
    ),
    unique(
        "uq_decision_record_compound_id_seq",
        "",
        "another decision of the compound was recorded at the same moment; try again",
    ),
    unique(
        "uq_placard_compound_id_posted_on",
        "posted_on",
        "the compound already has a placard posted on this day; postings are never edited, so post the correction on a later day",
    ),
    unique(
        "uq_service_team_compound_id_name",
        "name",
        "the compound has a service team of this name",
    ),
    unique(
        "uq_service_team_community_id_name",
        "name",
        "the community has a service team of this name",
    ),
    unique(
        "uq_service_activity_participant_activity_id_member_id",
        "participant_ids",
        "a member is named once among an activity's participants",
    ),
    unique(
        "uq_responsibility_list_community_id_party_kind",
        "party_kind",
        "the community's list of this kind was begun by another publisher at the same moment; try again",
    ),
    unique(
        "uq_responsibility_list_version_list_id_number",
        "",
        "another version of this list was published at the same moment; try again",
    ),
    unique(
        "uq_responsibility_link_list_id_property_company_id",
        "property_company_id",
        "the company is already linked to this list",
    ),
    unique(
        "uq_responsibility_link_list_id_building_id",
        "building_id",
        "the building is already linked to this list",
    ),
    unique(
        "uq_responsibility_link_list_id_dwelling_id",
        "dwelling_id",
        "the shop is already linked to this list",
    ),
    unique(
        "uq_responsibility_link_list_id_chief_appointment_id",
        "chief_appointment_id",
        "the appointment is already linked to this list",
    ),
    unique(
        "uq_responsibility_link_list_id_party_name",
        "party_name",
        "a party of this name is already linked to this list",
    ),
    unique(
        "uq_project_support_project_id_person_id",
        "project_id",
        "you support this project already; each resident supports once",
    ),
    unique(
        "uq_project_rating_project_id_round_person_id",
        "project_id",
        "you rated this project already; each resident rates once in each round of acceptance",
    ),
    unique(
        "uq_rubric_code",
        "code",
        "a rubric of this code was begun at the same moment; try again",
    ),
    unique(
        "uq_campaign_entry_campaign_id_compound_id",
        "compound_id",
        "the compound has entered this campaign already",
    ),
    unique(
        "uq_star_rating_round_subdistrict_id_year_quarter",
        "quarter",
        "the subdistrict has a star-rating round for this quarter already",
    ),
    unique(
        "uq_evaluator_assignment_entry_id_account_id",
        "account_id",
        "the evaluator is assigned to this entry already",
    ),
];

/// Unique constraints over keys the domain assigns itself (positions,
/// register keys, token hashes): no input can reach them, so a
/// violation is a storage failure, logged as such.
const NOT_FROM_INPUT: &[&str] = &[
    "uq_score_sheet_assignment_id_number",
    "uq_score_line_sheet_id_indicator_id",
    "uq_score_evidence_line_id_attachment_id",
    "uq_campaign_result_entry_id",
    "uq_rectification_title_id",
    "uq_self_inspection_finding_inspection_id_position",
    "uq_star_rating_round_id_compound_id",
    "uq_joint_meeting_resolution_meeting_id_position",
    "uq_auth_token_token_hash",
    "uq_login_throttle_key",
    "uq_rate_limit_key",
    "uq_vote_voter_vote_id_unit_key",
    "uq_vote_voter_owner_voter_id_person_id",
    "uq_vote_voter_part_vote_id_dwelling_id",
    "uq_placard_person_placard_id_post",
    "uq_responsibility_item_version_id_position",
    "uq_project_update_photo_update_id_attachment_id",
    "uq_event_supervision_event_id",
    "uq_standing_ballot_voter_id",
    "uq_standing_ballot_ballot_id",
    "uq_rubric_version_rubric_id_number",
    "uq_rubric_aspect_version_id_position",
    "uq_rubric_indicator_aspect_id_position",
];

/// The field error a constraint violation stands for, when an input can
/// cause it: duplicates answer `CONFLICT` at the field the table names.
/// Foreign-key violations have no name on SQLite; the domain checks every
/// reference before writing, so one that still fails is reported at no
/// particular field.
pub fn explain(err: &DbErr) -> Option<FieldError> {
    match err.sql_err()? {
        SqlErr::UniqueConstraintViolation(message) => {
            let name = constraint_name(&message)?;
            UNIQUE
                .iter()
                .find(|u| u.name == name)
                .map(|u| FieldError::new(u.field, UserErrorCode::Conflict, u.message))
        }
        SqlErr::ForeignKeyConstraintViolation(_) => Some(FieldError::new(
            "",
            UserErrorCode::NotFound,
            "a referenced record does not exist or is still referenced",
        )),
        _ => None,
    }
}

/// The constraint's name in a driver's unique-violation message.
fn constraint_name(message: &str) -> Option<String> {
    if let Some(rest) = message.split("unique constraint \"").nth(1) {
        return rest.split('"').next().map(str::to_owned);
    }
    let columns = message.split("UNIQUE constraint failed: ").nth(1)?;
    let mut table = None;
    let mut names = Vec::new();
    for qualified in columns.split(',') {
        let (t, column) = qualified.trim().split_once('.')?;
        table.get_or_insert(t);
        names.push(column);
    }
    Some(format!("uq_{}_{}", table?, names.join("_")))
}

/// Every unique constraint this module knows, mapped or not.
pub fn known() -> impl Iterator<Item = &'static str> {
    UNIQUE
        .iter()
        .map(|u| u.name)
        .chain(NOT_FROM_INPUT.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_drivers_name_the_same_constraint() {
        assert_eq!(
            constraint_name(
                "duplicate key value violates unique constraint \"uq_building_compound_id_name\""
            )
            .as_deref(),
            Some("uq_building_compound_id_name")
        );
        assert_eq!(
            constraint_name("UNIQUE constraint failed: building.compound_id, building.name")
                .as_deref(),
            Some("uq_building_compound_id_name")
        );
        assert_eq!(constraint_name("disk I/O error"), None);
    }

    #[test]
    fn no_constraint_is_listed_twice() {
        let mut names: Vec<&str> = known().collect();
        let all = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all);
    }
}
