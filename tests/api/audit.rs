//! The audit trail: every change leaves a record (who, what, before and
//! after) in the transaction of the change; failed changes leave none; the
//! history is readable only by those over the compound; personal data in it
//! is masked.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{Fixture, TestApp, fixture, person, spawn_app};

const CREATE_COMPOUND: &str = "mutation($input: CreateCompoundInput!) { createCompound(input: $input) { compound { id name } userErrors { field message code } } }";
const UPDATE_COMPOUND: &str = "mutation($input: UpdateCompoundInput!) { updateCompound(input: $input) { compound { id name address } userErrors { field message code } } }";
const CREATE_COMMITTEE: &str = "mutation($input: CreateOwnersCommitteeInput!) { createOwnersCommittee(input: $input) { ownersCommittee { id } userErrors { field message code } } }";
const APPOINT_CHIEF: &str = "mutation($input: AppointChiefInput!) { appointChief(input: $input) { appointment { id } userErrors { field message code } } }";
const UPDATE_CHIEF: &str = "mutation($input: UpdateChiefInput!) { updateChief(input: $input) { appointment { id contactPhone } userErrors { field message code } } }";
const UPDATE_PERSON: &str = "mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { id } userErrors { field message code } } }";
const HISTORY: &str = "query($id: ID!, $first: Int) { node(id: $id) { ... on Compound { history(first: $first) { edges { node { operation entityType entityId actor before after at } } pageInfo { hasNextPage } } } } }";
const COMPOUND: &str =
    "query($id: ID!) { node(id: $id) { ... on Compound { name address ownersCommittee { id } } } }";

/// Runs `sql` (a single `COUNT(*) AS n`) and returns the count.
async fn count(app: &TestApp, sql: &str) -> i64 {
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .expect("count query")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("n")
}

async fn audit_rows(app: &TestApp) -> i64 {
    count(app, "SELECT COUNT(*) AS n FROM audit_record").await
}

/// Every stored audit record: (operation, entity type, before JSON, after JSON).
async fn stored_records(app: &TestApp) -> Vec<(String, String, Option<String>, Option<String>)> {
    let backend = app.db.get_database_backend();
    app.db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT operation, entity_type, before_json, after_json FROM audit_record ORDER BY id",
        ))
        .await
        .expect("read audit_record")
        .iter()
        .map(|r| {
            (
                r.try_get::<String>("", "operation").unwrap(),
                r.try_get::<String>("", "entity_type").unwrap(),
                r.try_get::<Option<String>>("", "before_json").unwrap(),
                r.try_get::<Option<String>>("", "after_json").unwrap(),
            )
        })
        .collect()
}

/// The compound's history as `token`: the whole response body.
async fn history_body(app: &TestApp, token: Option<&str>, compound: &str) -> Value {
    app.gql(token, HISTORY, json!({ "id": compound, "first": 100 }))
        .await
}

/// The compound's history records as `token`, which must be allowed to read it.
async fn history(app: &TestApp, token: &str, compound: &str) -> Vec<Value> {
    let data = app
        .ok(
            Some(token),
            HISTORY,
            json!({ "id": compound, "first": 100 }),
        )
        .await;
    data["node"]["history"]["edges"]
        .as_array()
        .expect("history edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

fn operations(records: &[Value]) -> Vec<&str> {
    records
        .iter()
        .map(|r| r["operation"].as_str().unwrap())
        .collect()
}

fn committee_input(compound: &str) -> Value {
    json!({
        "compoundId": compound,
        "name": "第一届业主委员会",
        "electedOn": "2024-01-10",
        "termStartsOn": "2024-02-01",
        "termEndsOn": "2029-01-31",
    })
}

async fn appoint_building_chief(app: &TestApp, f: &Fixture, person: &str) -> String {
    app.mutate(
        &app.admin_token,
        "appointChief",
        APPOINT_CHIEF,
        json!({
            "level": "BUILDING_CHIEF",
            "personId": person,
            "scope": { "buildingId": f.building },
            "contactPhone": "13900001111",
            "startsOn": "2024-01-01",
        }),
    )
    .await["appointment"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn every_change_appears_in_the_compound_history_with_actor_before_and_after() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let staff = app
        .user_with_role("wu.staff", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    let member = app
        .user_with_role("li.member", "COMMITTEE_MEMBER", Some(&f.compound))
        .await;

    app.mutate(
        &staff,
        "updateCompound",
        UPDATE_COMPOUND,
        json!({ "id": f.compound, "name": "翠苑一区（东）", "address": "文一西路1号" }),
    )
    .await;
    app.mutate(
        &member,
        "createOwnersCommittee",
        CREATE_COMMITTEE,
        committee_input(&f.compound),
    )
    .await;
    let chief_holder = person(&app, &f, "李四", true).await;
    let chief = appoint_building_chief(&app, &f, &chief_holder).await;
    app.mutate(
        &app.admin_token,
        "updateChief",
        UPDATE_CHIEF,
        json!({ "id": chief, "contactPhone": "13900002222" }),
    )
    .await;

    let records = history(&app, &app.admin_token, &f.compound).await;
    assert_eq!(
        operations(&records),
        [
            "createCompound",
            "createBuilding",
            "createDwelling",
            "createDwelling",
            "grantRole",
            "updateCompound",
            "createOwnersCommittee",
            "appointChief",
            "updateChief",
        ],
        "{records:#?}"
    );
    let by = |op: &str| records.iter().find(|r| r["operation"] == op).unwrap();

    let created = by("createCompound");
    assert_eq!(created["entityType"], "Compound");
    assert_eq!(created["entityId"], f.compound.as_str());
    assert_eq!(created["actor"], "admin");
    assert!(created["before"].is_null(), "{created:#}");
    assert_eq!(created["after"]["name"], "翠苑一区");
    assert!(created["at"].is_string());

    let granted = by("grantRole");
    assert_eq!(granted["entityType"], "RoleGrant");
    assert_eq!(granted["actor"], "admin");
    assert!(granted["before"].is_null());

    let updated = by("updateCompound");
    assert_eq!(updated["entityType"], "Compound");
    assert_eq!(updated["entityId"], f.compound.as_str());
    assert_eq!(updated["actor"], "wu.staff");
    assert_eq!(updated["before"]["name"], "翠苑一区");
    assert!(updated["before"]["address"].is_null());
    assert_eq!(updated["after"]["name"], "翠苑一区（东）");
    assert_eq!(updated["after"]["address"], "文一西路1号");

    let committee = by("createOwnersCommittee");
    assert_eq!(committee["entityType"], "OwnersCommittee");
    assert_eq!(committee["actor"], "li.member");
    assert!(committee["before"].is_null());
    assert_eq!(committee["after"]["name"], "第一届业主委员会");

    let appointed = by("appointChief");
    assert_eq!(appointed["entityType"], "ChiefAppointment");
    assert_eq!(appointed["entityId"], chief.as_str());
    assert!(appointed["before"].is_null());
    assert!(appointed["after"].is_object());

    let changed = by("updateChief");
    assert_eq!(changed["entityId"], chief.as_str());
    assert_eq!(changed["actor"], "admin");
    assert!(changed["before"].is_object() && changed["after"].is_object());
    assert_ne!(changed["before"], changed["after"]);
    let text = changed.to_string();
    assert!(
        text.contains("13900001111") && text.contains("13900002222"),
        "{changed:#}"
    );

    // Pages: the first two, with more to come.
    let page = app
        .ok(
            Some(&app.admin_token),
            HISTORY,
            json!({ "id": f.compound, "first": 2 }),
        )
        .await;
    let edges = page["node"]["history"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 2);
    assert_eq!(edges[0]["node"]["operation"], "createCompound");
    assert_eq!(page["node"]["history"]["pageInfo"]["hasNextPage"], true);
}

#[tokio::test]
async fn a_failed_mutation_leaves_no_audit_record_and_changes_nothing() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    app.mutate(
        &app.admin_token,
        "createCompound",
        CREATE_COMPOUND,
        json!({ "communityId": f.community, "name": "翠苑二区", "kind": "OLD_COMPOUND" }),
    )
    .await;
    let member = app
        .user_with_role("li.member", "COMMITTEE_MEMBER", Some(&f.compound))
        .await;
    let before = audit_rows(&app).await;
    let compounds = count(&app, "SELECT COUNT(*) AS n FROM compound").await;
    assert!(before >= 8, "the set-up itself was audited: {before}");

    // A name taken by another compound.
    let data = app
        .ok(
            Some(&app.admin_token),
            UPDATE_COMPOUND,
            json!({ "input": { "id": f.compound, "name": "翠苑二区", "address": "文一西路1号" } }),
        )
        .await;
    assert!(data["updateCompound"]["compound"].is_null());
    assert_eq!(data["updateCompound"]["userErrors"][0]["code"], "CONFLICT");
    let data = app
        .ok(
            Some(&app.admin_token),
            CREATE_COMPOUND,
            json!({ "input": { "communityId": f.community, "name": "翠苑二区", "kind": "OLD_COMPOUND" } }),
        )
        .await;
    assert_eq!(data["createCompound"]["userErrors"][0]["code"], "CONFLICT");
    // A committee term over five years.
    let mut too_long = committee_input(&f.compound);
    too_long["termEndsOn"] = json!("2030-01-31");
    let data = app
        .ok(
            Some(&member),
            CREATE_COMMITTEE,
            json!({ "input": too_long }),
        )
        .await;
    assert!(data["createOwnersCommittee"]["ownersCommittee"].is_null());
    assert_eq!(
        data["createOwnersCommittee"]["userErrors"][0]["code"],
        "OUT_OF_RANGE"
    );
    // A refused mutation.
    let body = app
        .gql(
            Some(&member),
            UPDATE_COMPOUND,
            json!({ "input": { "id": f.compound, "name": "改名" } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );

    assert_eq!(audit_rows(&app).await, before, "failures are not audited");
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM compound").await,
        compounds
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM owners_committee").await,
        0
    );
    let compound = app.ok(None, COMPOUND, json!({ "id": f.compound })).await;
    assert_eq!(compound["node"]["name"], "翠苑一区");
    assert!(
        compound["node"]["address"].is_null(),
        "nothing of the failed update was kept"
    );
    assert!(compound["node"]["ownersCommittee"].is_null());

    // A successful change writes exactly one record.
    app.mutate(
        &app.admin_token,
        "updateCompound",
        UPDATE_COMPOUND,
        json!({ "id": f.compound, "address": "文一西路1号" }),
    )
    .await;
    assert_eq!(audit_rows(&app).await, before + 1);
}

#[tokio::test]
async fn the_history_is_only_for_those_over_the_compound() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let other = app
        .mutate(
            &app.admin_token,
            "createCompound",
            CREATE_COMPOUND,
            json!({ "communityId": f.community, "name": "翠苑二区", "kind": "OLD_COMPOUND" }),
        )
        .await["compound"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let resident = app
        .user_with_role("sun.resident", "RESIDENT", Some(&f.dwellings[0]))
        .await;
    let member_there = app
        .user_with_role("shi.member", "COMMITTEE_MEMBER", Some(&other))
        .await;
    let member_here = app
        .user_with_role("lv.member", "COMMITTEE_MEMBER", Some(&f.compound))
        .await;
    let staff = app
        .user_with_role("he.staff", "COMMUNITY_STAFF", Some(&f.community))
        .await;

    // Anonymous callers are asked to authenticate (the service's rule for
    // every refusal of an anonymous caller); nothing of the history shows.
    let body = history_body(&app, None, &f.compound).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{body:#}"
    );
    assert!(body["data"]["node"].is_null(), "{body:#}");
    assert!(!body.to_string().contains("createCompound"), "{body:#}");

    for (who, token) in [
        ("a resident", &resident),
        ("a committee member of another compound", &member_there),
    ] {
        let body = history_body(&app, Some(token), &f.compound).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{who}: {body:#}"
        );
        assert!(body["data"]["node"].is_null(), "{who}: {body:#}");
        assert!(
            !body.to_string().contains("createCompound"),
            "{who}: {body:#}"
        );
    }

    for (who, token) in [
        ("a committee member of the compound", &member_here),
        ("staff of its community", &staff),
        ("the admin", &app.admin_token),
    ] {
        let records = history(&app, token, &f.compound).await;
        assert_eq!(
            records.first().map(|r| r["operation"].clone()),
            Some(json!("createCompound")),
            "{who}"
        );
    }
    // The other compound's member reads their own compound's history.
    let theirs = history(&app, &member_there, &other).await;
    assert_eq!(theirs[0]["operation"], "createCompound");
    assert_eq!(theirs[0]["after"]["name"], "翠苑二区");
}

#[tokio::test]
async fn personal_data_in_the_audit_trail_is_masked() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let p = person(&app, &f, "张三", false).await;
    app.mutate(
        &app.admin_token,
        "updatePerson",
        UPDATE_PERSON,
        json!({ "id": p, "phone": "13987654321" }),
    )
    .await;
    // The person is a chief too: the chief's record is in the compound's history.
    appoint_building_chief(&app, &f, &p).await;

    let records = stored_records(&app).await;
    let person_records: Vec<_> = records.iter().filter(|r| r.1 == "Person").collect();
    assert_eq!(person_records.len(), 2, "{records:#?}");
    let json_of = |s: &Option<String>| -> Value {
        s.as_deref()
            .map(|s| serde_json::from_str(s).expect("audit JSON"))
            .unwrap_or(Value::Null)
    };

    let (op, _, before, after) = person_records[0];
    assert_eq!(op, "createPerson");
    assert!(before.is_none());
    let after = json_of(after);
    assert_eq!(after["name"], "张三");
    assert_eq!(after["phone"], "138****5678");
    assert_eq!(after["id_number"], "110105**********2X");

    let (op, _, before, after) = person_records[1];
    assert_eq!(op, "updatePerson");
    assert_eq!(json_of(before)["phone"], "138****5678");
    assert_eq!(json_of(after)["phone"], "139****4321");
    assert_eq!(json_of(after)["id_number"], "110105**********2X");

    for (op, _, before, after) in &records {
        for text in [before, after].into_iter().flatten() {
            for secret in [
                "13812345678",
                "13987654321",
                "11010519491231002X",
                "$argon2",
            ] {
                assert!(!text.contains(secret), "{op} keeps {secret}: {text}");
            }
        }
    }

    // Read through the API, the compound's history shows no personal number either.
    let history = history(&app, &app.admin_token, &f.compound).await;
    let text = serde_json::to_string(&history).unwrap();
    assert!(text.contains("appointChief"));
    for secret in ["13812345678", "13987654321", "11010519491231002X"] {
        assert!(!text.contains(secret), "history shows {secret}");
    }
}

#[tokio::test]
async fn a_change_whose_audit_record_cannot_be_written_is_not_committed() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    app.db
        .execute_unprepared("DROP TABLE audit_record")
        .await
        .expect("drop the audit table");

    let body = app
        .gql(
            Some(&app.admin_token),
            CREATE_COMPOUND,
            json!({ "input": { "communityId": f.community, "name": "翠苑二区", "kind": "OLD_COMPOUND" } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INTERNAL",
        "{body:#}"
    );
    assert_eq!(body["errors"][0]["message"], "internal error", "{body:#}");
    assert!(!body.to_string().contains("audit_record"), "{body:#}");
    let body = app
        .gql(
            Some(&app.admin_token),
            UPDATE_COMPOUND,
            json!({ "input": { "id": f.compound, "name": "翠苑一区（东）" } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INTERNAL",
        "{body:#}"
    );

    // Neither change was kept without its audit record.
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM compound").await, 1);
    let compound = app.ok(None, COMPOUND, json!({ "id": f.compound })).await;
    assert_eq!(compound["node"]["name"], "翠苑一区");
}

/// Decision records are audited too, and the compound's history shows who
/// opened a vote and who cast a ballot but not how they voted.
#[tokio::test]
async fn decisions_are_in_the_history_without_how_owners_voted() {
    use crate::helpers::{PASSWORD, fixture, own, person};
    let app = crate::helpers::spawn_app().await;
    let f = fixture(&app).await;
    let owner = person(&app, &f, "业主甲", false).await;
    own(&app, &owner, &f.dwellings[0]).await;
    app.mutate(
        &app.admin_token,
        "createAccount",
        "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } userErrors { field message code } } }",
        json!({ "username": "owner.jia", "password": PASSWORD, "displayName": "业主甲", "personId": owner }),
    )
    .await;
    let owner_token = app.login("owner.jia", PASSWORD).await;
    let vote = app
        .mutate(
            &app.admin_token,
            "openAssemblyVote",
            "mutation($input: OpenAssemblyVoteInput!) { openAssemblyVote(input: $input) { vote { id } userErrors { field message code } } }",
            json!({ "compoundId": f.compound, "matter": "MANAGEMENT_COVENANT", "title": "修订管理规约", "description": "第二章" }),
        )
        .await["vote"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.mutate(
        &owner_token,
        "castBallot",
        "mutation($input: CastBallotInput!) { castBallot(input: $input) { ballot { id } userErrors { field message code } } }",
        json!({ "voteId": vote, "choice": "DISAGREE" }),
    )
    .await;
    let data = app
        .ok(
            Some(&app.admin_token),
            "query($id: ID!) { node(id: $id) { ... on Compound { history(last: 5) { edges { node { operation entityType actor after } } } } } }",
            json!({ "id": f.compound }),
        )
        .await;
    let edges = data["node"]["history"]["edges"].as_array().unwrap().clone();
    let find = |op: &str| {
        edges
            .iter()
            .map(|e| e["node"].clone())
            .find(|n| n["operation"] == op)
            .unwrap_or_else(|| panic!("no {op} in {edges:#?}"))
    };
    let opened = find("openAssemblyVote");
    assert_eq!(opened["entityType"], "AssemblyVote");
    assert_eq!(opened["actor"], "admin");
    let cast = find("castBallot");
    assert_eq!(cast["entityType"], "Ballot");
    assert_eq!(cast["actor"], "owner.jia");
    assert!(cast["after"]["voter_id"].is_number(), "{cast:#}");
    assert!(
        cast["after"].get("choice").is_none(),
        "the audit trail must not tell how an owner voted: {cast:#}"
    );
}
