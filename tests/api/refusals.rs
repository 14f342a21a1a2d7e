//! Deny by default, walked over the whole schema: every mutation, found by
//! introspection, refuses an anonymous caller and a plain resident, except
//! the few listed below that are meant for them. A mutation added later is
//! walked too, without editing this file, and fails here until it refuses.
//! The resident's refusal is the same whether the IDs given name existing
//! rows or none, so a refusal reveals nothing about what exists.

use compound_api::graphql::id::{NodeKind, encode};
use serde_json::{Map, Value, json};

use crate::helpers::{fixture, spawn_app};

/// Mutations an anonymous caller may run.
const FOR_ANYONE: &[&str] = &["login"];

/// Mutations a plain resident may run for themself, under a named
/// self-service rule (`access::SelfService`); their own tests show whom
/// they serve and whom they refuse.
const FOR_RESIDENTS: &[&str] = &[
    "login",
    "logout",
    "changePassword",
    "updatePerson",
    "lodgeObjection",
    "castBallot",
    "proposeProject",
    "supportProject",
    "rateProject",
    "recordOpinion",
];

/// A row number no table of the fixture reaches.
const MISSING_ROW: i64 = 987_654;

const TYPE_REF: &str = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";

/// The node kind an ID input field refers to: named after the field, or for
/// a bare `id`, after the mutation (`updateCompound` → `Compound`).
fn id_kind(mutation: &str, field: &str) -> NodeKind {
    let name = match field {
        "id" => {
            let verb_end = mutation
                .find(|c: char| c.is_ascii_uppercase())
                .unwrap_or(mutation.len());
            match &mutation[verb_end..] {
                "Chief" => "ChiefAppointment",
                "BranchMember" => "PartyBranchMember",
                other => {
                    return NodeKind::from_name(other)
                        .unwrap_or_else(|| panic!("{mutation}: which kind is `id`?"));
                }
            }
            .to_owned()
        }
        "voteId" => "AssemblyVote".into(),
        "voterId" => "VoteVoter".into(),
        "memberId" if mutation.contains("Branch") || mutation.contains("Pioneer") => {
            "PartyBranchMember".into()
        }
        "memberId" if mutation.contains("CommunityCommittee") => "CommunityCommitteeMember".into(),
        "memberId" if mutation.contains("CompanyParty") => "CompanyPartyMember".into(),
        "memberId" if mutation.contains("Association") => "ChiefAssociationMember".into(),
        "memberId" => "CommitteeMember".into(),
        "committeeId" if mutation.contains("CommunityCommittee") => "CommunityCommittee".into(),
        "committeeId" => "OwnersCommittee".into(),
        "organisationId" => "CompanyPartyOrganisation".into(),
        "associationId" => "ChiefAssociation".into(),
        "appointmentId" => "ChiefAppointment".into(),

        "eventId" => "GridEvent".into(),
        "handlerId" | "leadHandlerId" | "fastReportToId" | "teamId" => "EventHandler".into(),
        "categoryId" => "EventCategory".into(),
        "actionId" => "JointAction".into(),
        "versionId" if mutation.contains("Rubric") => "RubricVersion".into(),
        "postId" => "CompanyPost".into(),
        "campaignId" => "EvaluationCampaign".into(),
        "entryId" => "CampaignEntry".into(),
        "titleId" => "EvaluationTitle".into(),
        "findingId" => "SelfInspectionFinding".into(),
        "ratingId" => "StarRating".into(),
        "roundId" => "StarRatingRound".into(),
        "stepId" => "CouncilStep".into(),
        "matterId" => "CouncilMatter".into(),
        "grantId" => "RoleGrant".into(),
        "councilId" => "ResidentsCouncil".into(),
        "contractId" => "PropertyContract".into(),
        "companyId" => "PropertyCompany".into(),
        "branchId" => "PartyBranch".into(),
        "scopeId" => "Compound".into(),
        other => {
            let stem = other
                .strip_suffix("Id")
                .unwrap_or_else(|| panic!("{mutation}.{other}: an ID field of unknown kind"));
            let mut c = stem.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        }
    };
    NodeKind::from_name(&name).unwrap_or_else(|| panic!("{mutation}.{field}: no node kind {name}"))
}

/// A well-formed value of `ty` for field `field` of `mutation`'s input,
/// so the request passes validation and parsing and meets the access rule.
/// IDs name row `row` of their kind: the fixture's first rows, or rows
/// that do not exist.
fn value_of(
    types: &Map<String, Value>,
    mutation: &str,
    field: &str,
    ty: &Value,
    row: i64,
) -> Value {
    match ty["kind"].as_str().unwrap() {
        "NON_NULL" => value_of(types, mutation, field, &ty["ofType"], row),
        "LIST" => json!([]),
        "ENUM" => types[ty["name"].as_str().unwrap()]["enumValues"][0]["name"].clone(),
        "INPUT_OBJECT" => {
            let t = &types[ty["name"].as_str().unwrap()];
            let mut obj = Map::new();
            // Every field, optional ones too, so inputs whose needs depend
            // on another field (a council step's kind) are complete.
            for f in t["inputFields"].as_array().unwrap() {
                let name = f["name"].as_str().unwrap();
                obj.insert(
                    name.into(),
                    value_of(types, mutation, name, &f["type"], row),
                );
            }
            Value::Object(obj)
        }
        _ => match ty["name"].as_str().unwrap() {
            "ID" => json!(encode(id_kind(mutation, field), row).to_string()),
            "Int" => json!(1),
            "Float" => json!(1.0),
            "Boolean" => json!(false),
            "Date" => json!("2026-01-01"),
            "DateTime" => json!("2030-01-01T00:00:00Z"),
            "Area" => json!("100.00"),
            "Fen" | "Long" => json!(100),
            // Marks where a file goes: the walk sends such inputs as
            // multipart requests carrying one (`send`).
            "Upload" => json!(UPLOAD),
            "JSON" => json!({}),
            _ => match field {
                "password" | "newPassword" | "currentPassword" => {
                    json!("correct horse battery staple")
                }
                "phone" | "contactPhone" => json!("13812345678"),
                "idNumber" => json!("11010519491231002X"),
                _ => json!("测试"),
            },
        },
    }
}

/// Where `value_of` puts a file.
const UPLOAD: &str = "<upload>";

/// The variable path of the file an input carries, if any, with the mark
/// replaced by null.
fn take_upload(v: &mut Value, path: &str) -> Option<String> {
    match v {
        Value::String(s) if s == UPLOAD => {
            *v = Value::Null;
            Some(path.to_owned())
        }
        Value::Object(map) => map
            .iter_mut()
            .find_map(|(k, v)| take_upload(v, &format!("{path}.{k}"))),
        _ => None,
    }
}

/// Runs `query` with `vars` as `token`: as a multipart request carrying a
/// small PNG where the input takes a file, else as JSON.
async fn send(
    app: &crate::helpers::TestApp,
    token: Option<&str>,
    query: &str,
    mut vars: Value,
) -> Value {
    match take_upload(&mut vars, "variables") {
        Some(path) => {
            app.gql_upload(
                token,
                query,
                vars,
                &path,
                "walk.png",
                crate::helpers::PNG.to_vec(),
            )
            .await
        }
        None => app.gql(token, query, vars).await,
    }
}

/// The code of the first top-level error, if any.
fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

#[tokio::test]
async fn every_mutation_refuses_anonymous_callers_and_residents_unless_meant_for_them() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let resident = app
        .user_with_role("walk.resident", "RESIDENT", Some(&f.dwellings[0]))
        .await;

    let schema = app
        .ok(
            None,
            &format!(
                "{{ __schema {{ mutationType {{ fields {{ name args {{ name type {{ {TYPE_REF} }} }} }} }}
                   types {{ name kind enumValues {{ name }} inputFields {{ name type {{ {TYPE_REF} }} }} }} }} }}"
            ),
            json!({}),
        )
        .await;
    let types: Map<String, Value> = schema["__schema"]["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone()))
        .collect();
    let mutations = schema["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap();
    let names: Vec<&str> = mutations
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    for listed in FOR_ANYONE.iter().chain(FOR_RESIDENTS) {
        assert!(
            names.contains(listed),
            "{listed} is listed but is not a mutation"
        );
    }

    let mut wrong = Vec::new();
    for m in mutations {
        let name = m["name"].as_str().unwrap();
        let (query, vars, vars_missing) = match m["args"].as_array().and_then(|a| a.first()) {
            // `logout` and the like take no input.
            None => (
                format!("mutation {{ {name} {{ __typename }} }}"),
                json!({}),
                json!({}),
            ),
            Some(arg) => {
                let input_type = arg["type"]["ofType"]["name"].as_str().unwrap();
                let input = value_of(&types, name, "input", &arg["type"], 1);
                let missing = value_of(&types, name, "input", &arg["type"], MISSING_ROW);
                (
                    format!(
                        "mutation($input: {input_type}!) {{ {name}(input: $input) {{ __typename }} }}"
                    ),
                    json!({ "input": input }),
                    json!({ "input": missing }),
                )
            }
        };

        let anonymous = send(&app, None, &query, vars.clone()).await;
        if !FOR_ANYONE.contains(&name) && error_code(&anonymous) != Some("UNAUTHENTICATED") {
            wrong.push(format!("{name} as anonymous: {anonymous}"));
        }
        // Self-service mutations have their own tests of whom they serve.
        if FOR_RESIDENTS.contains(&name) {
            continue;
        }
        let by_resident = send(&app, Some(&resident), &query, vars).await;
        if error_code(&by_resident) != Some("FORBIDDEN") {
            wrong.push(format!("{name} as a resident: {by_resident}"));
        }
        // No probing: IDs of rows that do not exist get the very same answer.
        let missing = send(&app, Some(&resident), &query, vars_missing).await;
        if missing["errors"][0]["extensions"] != by_resident["errors"][0]["extensions"]
            || missing["errors"][0]["message"] != by_resident["errors"][0]["message"]
        {
            wrong.push(format!(
                "{name} as a resident tells existing IDs from missing ones: {by_resident} / {missing}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} mutations answer wrongly:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
