//! Volunteer and service teams through the schema: founding a team in a
//! compound or a community (names unique within the unit), membership rules
//! (no overlapping terms of one person, one leader at a date, terms within
//! the team's life, disbanding ends open terms), the append-only activity
//! log (corrections are new records that say why, withdrawals leave the
//! history readable), the leader's named rule for keeping the log, the
//! figures at the borders of their date range, public reads with members'
//! personal data masked, and the refusals: anonymous callers, staff of
//! another compound or community, missing IDs answering like existing ones,
//! and user errors with their fields and codes.
//!
//! The file is long because each test walks one rule end to end through
//! the HTTP API, with the refusals next to what they refuse.

use serde_json::{Value, json};

use crate::helpers::{Fixture, PASSWORD, TestApp, fixture, person, spawn_app};

const CREATE_TEAM: &str =
    "mutation($input: CreateServiceTeamInput!) { createServiceTeam(input: $input) {
    serviceTeam { id name kind foundedOn disbandedOn active compound { id } community { id } }
    userErrors { field message code } } }";
const UPDATE_TEAM: &str =
    "mutation($input: UpdateServiceTeamInput!) { updateServiceTeam(input: $input) {
    serviceTeam { id name kind description disbandedOn active }
    userErrors { field message code } } }";
const ADD_MEMBER: &str =
    "mutation($input: AddServiceTeamMemberInput!) { addServiceTeamMember(input: $input) {
    member { id role joinedOn leftOn serving person { name } team { id } }
    userErrors { field message code } } }";
const END_MEMBER: &str =
    "mutation($input: EndServiceTeamMemberInput!) { endServiceTeamMember(input: $input) {
    member { id leftOn serving }
    userErrors { field message code } } }";
const RECORD: &str = "mutation($input: RecordServiceActivityInput!) { recordServiceActivity(input: $input) {
    activity { id heldOn title participantCount serviceMinutes withdrawn participants { id } corrects { id } }
    userErrors { field message code } } }";
const CORRECT: &str =
    "mutation($input: CorrectServiceActivityInput!) { correctServiceActivity(input: $input) {
    activity { id heldOn title participantCount serviceMinutes withdrawn correctionReason standing
               participants { id } corrects { id } history { id title } }
    userErrors { field message code } } }";
const FIGURES: &str = "query($compound: ID, $community: ID, $from: Date!, $to: Date!) {
    serviceFigures(compoundId: $compound, communityId: $community, from: $from, to: $to) {
        from to activeTeams activeTeamsByKind { kind teams } activeMembers activities
        participations serviceMinutes compound { id } community { id } } }";

/// The user errors of mutation `name` run as `token`, which must fail.
async fn refused(app: &TestApp, token: &str, name: &str, query: &str, input: Value) -> Value {
    let data = app.ok(Some(token), query, json!({ "input": input })).await;
    let errors = data[name]["userErrors"].clone();
    assert_ne!(errors, json!([]), "{name} should have failed: {data:#}");
    errors
}

/// The top-level error code of a mutation run as `token`.
async fn top_error(app: &TestApp, token: Option<&str>, query: &str, input: Value) -> Value {
    let body = app.gql(token, query, json!({ "input": input })).await;
    body["errors"][0]["extensions"]["code"].clone()
}

async fn team(app: &TestApp, token: &str, input: Value) -> Value {
    app.mutate(token, "createServiceTeam", CREATE_TEAM, input)
        .await["serviceTeam"]
        .clone()
}

async fn member(app: &TestApp, token: &str, input: Value) -> Value {
    app.mutate(token, "addServiceTeamMember", ADD_MEMBER, input)
        .await["member"]
        .clone()
}

async fn record(app: &TestApp, token: &str, input: Value) -> Value {
    app.mutate(token, "recordServiceActivity", RECORD, input)
        .await["activity"]
        .clone()
}

/// A second compound in the fixture's community.
async fn second_compound(app: &TestApp, f: &Fixture) -> String {
    app.mutate(
        &app.admin_token,
        "createCompound",
        "mutation($input: CreateCompoundInput!) { createCompound(input: $input) { compound { id } userErrors { field message code } } }",
        json!({ "communityId": f.community, "name": "翠苑二区", "kind": "OLD_COMPOUND" }),
    )
    .await["compound"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A second community in the fixture's subdistrict.
async fn second_community(app: &TestApp, f: &Fixture) -> String {
    app.mutate(
        &app.admin_token,
        "createCommunity",
        "mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } userErrors { field message code } } }",
        json!({ "subdistrictId": f.subdistrict, "name": "东亭社区" }),
    )
    .await["community"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// An account linked to `person_id` holding `role` over `scope`, logged in.
async fn linked_user(
    app: &TestApp,
    username: &str,
    person_id: &str,
    role: &str,
    scope: &str,
) -> String {
    let created = app
        .mutate(
            &app.admin_token,
            "createAccount",
            "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } userErrors { field message code } } }",
            json!({ "username": username, "password": PASSWORD, "displayName": username, "personId": person_id }),
        )
        .await;
    app.mutate(
        &app.admin_token,
        "grantRole",
        "mutation($input: GrantRoleInput!) { grantRole(input: $input) { grant { id } userErrors { field message code } } }",
        json!({ "accountId": created["account"]["id"], "role": role, "scopeId": scope }),
    )
    .await;
    app.login(username, PASSWORD).await
}

#[tokio::test]
async fn teams_belong_to_one_compound_or_community_and_are_public() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let t = app.admin_token.clone();

    let in_compound = team(
        &app,
        &t,
        json!({ "compoundId": f.compound, "name": "红色物业服务队", "kind": "SERVICE",
                "description": "水电维修、代购代办", "foundedOn": "2024-03-05" }),
    )
    .await;
    assert_eq!(in_compound["compound"]["id"], json!(f.compound));
    assert_eq!(in_compound["community"], Value::Null);
    assert_eq!(in_compound["active"], true);
    let in_community = team(
        &app,
        &t,
        json!({ "communityId": f.community, "name": "红色物业服务队", "kind": "PUBLIC_WELFARE",
                "foundedOn": "2023-01-10" }),
    )
    .await;
    assert_eq!(in_community["community"]["id"], json!(f.community));
    assert_eq!(in_community["compound"], Value::Null);

    // A name is unique within its unit, and only there.
    let errors = refused(
        &app,
        &t,
        "createServiceTeam",
        CREATE_TEAM,
        json!({ "compoundId": f.compound, "name": " 红色物业服务队 ", "kind": "MUTUAL_AID", "foundedOn": "2024-05-01" }),
    )
    .await;
    assert_eq!(errors[0]["field"], json!(["input", "name"]));
    assert_eq!(errors[0]["code"], "CONFLICT");
    let errors = refused(
        &app,
        &t,
        "createServiceTeam",
        CREATE_TEAM,
        json!({ "communityId": f.community, "name": "红色物业服务队", "kind": "MUTUAL_AID", "foundedOn": "2024-05-01" }),
    )
    .await;
    assert_eq!(errors[0]["code"], "CONFLICT");
    let other = second_compound(&app, &f).await;
    team(
        &app,
        &t,
        json!({ "compoundId": other, "name": "红色物业服务队", "kind": "MUTUAL_AID", "foundedOn": "2024-05-01" }),
    )
    .await;

    // Exactly one unit.
    for unit in [
        json!({}),
        json!({ "compoundId": f.compound, "communityId": f.community }),
    ] {
        let mut input =
            json!({ "name": "邻里互助队", "kind": "MUTUAL_AID", "foundedOn": "2024-05-01" });
        input
            .as_object_mut()
            .unwrap()
            .extend(unit.as_object().unwrap().clone());
        let errors = refused(&app, &t, "createServiceTeam", CREATE_TEAM, input).await;
        assert_eq!(errors[0]["field"], json!(["input", "compoundId"]));
        assert_eq!(errors[0]["code"], "INVALID");
    }
    let errors = refused(
        &app,
        &t,
        "createServiceTeam",
        CREATE_TEAM,
        json!({ "compoundId": f.compound, "name": "  ", "kind": "MUTUAL_AID", "foundedOn": "2024-05-01" }),
    )
    .await;
    assert_eq!(errors[0]["field"], json!(["input", "name"]));
    assert_eq!(errors[0]["code"], "REQUIRED");
    let errors = refused(
        &app,
        &t,
        "createServiceTeam",
        CREATE_TEAM,
        json!({ "compoundId": f.building, "name": "x", "kind": "MUTUAL_AID", "foundedOn": "2024-05-01" }),
    )
    .await;
    assert_eq!(errors[0]["field"], json!(["input", "compoundId"]));
    assert_eq!(errors[0]["code"], "INVALID");

    // Anyone reads teams: a community's list holds its own and its compounds' teams.
    let list = "query($filter: ServiceTeamFilter) { serviceTeams(filter: $filter, first: 10) {
        edges { node { id name kind } } pageInfo { hasNextPage } } }";
    let all = app
        .ok(
            None,
            list,
            json!({ "filter": { "communityId": f.community } }),
        )
        .await;
    assert_eq!(all["serviceTeams"]["edges"].as_array().unwrap().len(), 3);
    let mine = app
        .ok(
            None,
            list,
            json!({ "filter": { "compoundId": f.compound } }),
        )
        .await;
    assert_eq!(
        crate::helpers::nodes(&mine["serviceTeams"]),
        json!([{ "id": in_compound["id"], "name": "红色物业服务队", "kind": "SERVICE" }])
    );
    let welfare = app
        .ok(
            None,
            list,
            json!({ "filter": { "communityId": f.community, "kind": "PUBLIC_WELFARE" } }),
        )
        .await;
    assert_eq!(
        crate::helpers::nodes(&welfare["serviceTeams"]),
        json!([{ "id": in_community["id"], "name": "红色物业服务队", "kind": "PUBLIC_WELFARE" }])
    );
    let compound = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Compound { serviceTeams { edges { node { id description } } } } } }",
            json!({ "id": f.compound }),
        )
        .await;
    assert_eq!(
        crate::helpers::nodes(&compound["node"]["serviceTeams"]),
        json!([{ "id": in_compound["id"], "description": "水电维修、代购代办" }])
    );

    // Renaming, and disbanding: a disbanded team is listed only on request and changes no more.
    let updated = app
        .mutate(
            &t,
            "updateServiceTeam",
            UPDATE_TEAM,
            json!({ "id": in_compound["id"], "name": "翠苑志愿服务队", "kind": "PUBLIC_WELFARE", "disbandedOn": "2025-06-30" }),
        )
        .await["serviceTeam"]
        .clone();
    assert_eq!(updated["name"], "翠苑志愿服务队");
    assert_eq!(updated["disbandedOn"], "2025-06-30");
    assert_eq!(updated["active"], false);
    let mine = app
        .ok(
            None,
            list,
            json!({ "filter": { "compoundId": f.compound } }),
        )
        .await;
    assert_eq!(crate::helpers::nodes(&mine["serviceTeams"]), json!([]));
    let mine = app
        .ok(
            None,
            list,
            json!({ "filter": { "compoundId": f.compound, "includeDisbanded": true } }),
        )
        .await;
    assert_eq!(mine["serviceTeams"]["edges"].as_array().unwrap().len(), 1);
    let errors = refused(
        &app,
        &t,
        "updateServiceTeam",
        UPDATE_TEAM,
        json!({ "id": in_compound["id"], "name": "又一个名字" }),
    )
    .await;
    assert_eq!(errors[0]["code"], "INVALID_STATE");
    let errors = refused(
        &app,
        &t,
        "updateServiceTeam",
        UPDATE_TEAM,
        json!({ "id": in_community["id"], "disbandedOn": "2022-12-31" }),
    )
    .await;
    assert_eq!(errors[0]["field"], json!(["input", "disbandedOn"]));
    assert_eq!(errors[0]["code"], "OUT_OF_RANGE");
}

#[tokio::test]
async fn memberships_never_overlap_and_a_team_has_one_leader_at_a_time() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let t = app.admin_token.clone();
    let tm = team(
        &app,
        &t,
        json!({ "compoundId": f.compound, "name": "邻里互助队", "kind": "MUTUAL_AID", "foundedOn": "2024-01-01" }),
    )
    .await;
    let (wang, li, zhao) = (
        person(&app, &f, "王芳", false).await,
        person(&app, &f, "李强", true).await,
        person(&app, &f, "赵敏", false).await,
    );
    let leader = member(
        &app,
        &t,
        json!({ "serviceTeamId": tm["id"], "personId": wang, "role": "LEADER", "joinedOn": "2024-01-01", "leftOn": "2024-12-31" }),
    )
    .await;
    assert_eq!(leader["serving"], false);
    assert_eq!(leader["person"]["name"], "王芳");

    let cases = [
        // A second leader during the first one's term.
        (
            json!({ "serviceTeamId": tm["id"], "personId": li, "role": "LEADER", "joinedOn": "2024-12-31" }),
            "role",
            "CONFLICT",
        ),
        // The same person twice at once.
        (
            json!({ "serviceTeamId": tm["id"], "personId": wang, "role": "MEMBER", "joinedOn": "2024-06-01" }),
            "joinedOn",
            "CONFLICT",
        ),
        // Before the team was founded.
        (
            json!({ "serviceTeamId": tm["id"], "personId": li, "role": "MEMBER", "joinedOn": "2023-12-31" }),
            "joinedOn",
            "OUT_OF_RANGE",
        ),
        // A term that ends before it starts.
        (
            json!({ "serviceTeamId": tm["id"], "personId": li, "role": "MEMBER", "joinedOn": "2024-06-01", "leftOn": "2024-05-01" }),
            "leftOn",
            "OUT_OF_RANGE",
        ),
        // Nobody of the register.
        (
            json!({ "serviceTeamId": tm["id"], "personId": compound_api::graphql::id::encode(compound_api::graphql::id::NodeKind::Person, 987_654).to_string(), "role": "MEMBER", "joinedOn": "2024-06-01" }),
            "personId",
            "NOT_FOUND",
        ),
    ];
    for (input, field, code) in cases {
        let errors = refused(&app, &t, "addServiceTeamMember", ADD_MEMBER, input.clone()).await;
        assert_eq!(errors[0]["field"], json!(["input", field]), "{input}");
        assert_eq!(errors[0]["code"], code, "{input}");
    }

    // Handing over: the new leader starts the day after the old one's last.
    let new_leader = member(
        &app,
        &t,
        json!({ "serviceTeamId": tm["id"], "personId": li, "role": "LEADER", "joinedOn": "2025-01-01" }),
    )
    .await;
    // The old leader stays on as a member, a new term.
    member(
        &app,
        &t,
        json!({ "serviceTeamId": tm["id"], "personId": wang, "role": "MEMBER", "joinedOn": "2025-01-01" }),
    )
    .await;
    let zhao_m = member(
        &app,
        &t,
        json!({ "serviceTeamId": tm["id"], "personId": zhao, "role": "MEMBER", "joinedOn": "2024-03-01" }),
    )
    .await;
    let ended = app
        .mutate(
            &t,
            "endServiceTeamMember",
            END_MEMBER,
            json!({ "id": zhao_m["id"], "leftOn": "2025-02-28" }),
        )
        .await["member"]
        .clone();
    assert_eq!(ended["leftOn"], "2025-02-28");
    let errors = refused(
        &app,
        &t,
        "endServiceTeamMember",
        END_MEMBER,
        json!({ "id": zhao_m["id"], "leftOn": "2025-03-31" }),
    )
    .await;
    assert_eq!(errors[0]["field"], json!(["input", "id"]));
    assert_eq!(errors[0]["code"], "INVALID_STATE");
    let errors = refused(
        &app,
        &t,
        "endServiceTeamMember",
        END_MEMBER,
        json!({ "id": new_leader["id"], "leftOn": "2024-12-01" }),
    )
    .await;
    assert_eq!(errors[0]["field"], json!(["input", "leftOn"]));
    assert_eq!(errors[0]["code"], "OUT_OF_RANGE");

    // Members are public; their personal data is masked unless the caller is entitled to it.
    let q = "query($id: ID!) { node(id: $id) { ... on ServiceTeam {
        leader { id person { name } }
        current: members { edges { node { role person { name phone idNumber personalDataVisible } } } }
        all: members(includePast: true) { edges { node { id } } } } } }";
    let public = app.ok(None, q, json!({ "id": tm["id"] })).await["node"].clone();
    assert_eq!(public["leader"]["id"], new_leader["id"]);
    assert_eq!(public["leader"]["person"]["name"], "李强");
    assert_eq!(public["all"]["edges"].as_array().unwrap().len(), 4);
    let current = crate::helpers::nodes(&public["current"]);
    assert_eq!(current.as_array().unwrap().len(), 2);
    assert_eq!(current[0]["person"]["phone"], "138****5678");
    assert_eq!(current[0]["person"]["idNumber"], "110105**********2X");
    assert_eq!(current[0]["person"]["personalDataVisible"], false);
    let staff = app
        .user_with_role("teams.staff", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    let seen = app.ok(Some(&staff), q, json!({ "id": tm["id"] })).await["node"].clone();
    let current = crate::helpers::nodes(&seen["current"]);
    assert_eq!(current[0]["person"]["phone"], "13812345678");
    assert_eq!(current[0]["person"]["personalDataVisible"], true);

    // Disbanding ends the terms still running; a disbanded team takes no open term.
    app.mutate(
        &t,
        "updateServiceTeam",
        UPDATE_TEAM,
        json!({ "id": tm["id"], "disbandedOn": "2025-06-30" }),
    )
    .await;
    let after = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on ServiceTeam { members(includePast: true) { edges { node { leftOn } } } } } }",
            json!({ "id": tm["id"] }),
        )
        .await;
    let left: Vec<Value> = crate::helpers::nodes(&after["node"]["members"])
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["leftOn"].clone())
        .collect();
    assert_eq!(
        left,
        vec![
            json!("2024-12-31"),
            json!("2025-06-30"),
            json!("2025-06-30"),
            json!("2025-02-28")
        ]
    );
    let errors = refused(
        &app,
        &t,
        "addServiceTeamMember",
        ADD_MEMBER,
        json!({ "serviceTeamId": tm["id"], "personId": zhao, "role": "MEMBER", "joinedOn": "2025-04-01" }),
    )
    .await;
    assert_eq!(errors[0]["field"], json!(["input", "leftOn"]));
    assert_eq!(errors[0]["code"], "OUT_OF_RANGE");
    member(
        &app,
        &t,
        json!({ "serviceTeamId": tm["id"], "personId": zhao, "role": "MEMBER", "joinedOn": "2025-04-01", "leftOn": "2025-06-30" }),
    )
    .await;
}

#[tokio::test]
async fn the_log_is_append_only_and_corrections_say_why() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let t = app.admin_token.clone();
    let tm = team(
        &app,
        &t,
        json!({ "compoundId": f.compound, "name": "环境卫生志愿队", "kind": "PUBLIC_WELFARE", "foundedOn": "2024-01-01" }),
    )
    .await;
    let (wang, li) = (
        person(&app, &f, "王芳", false).await,
        person(&app, &f, "李强", true).await,
    );
    let m_wang = member(
        &app,
        &t,
        json!({ "serviceTeamId": tm["id"], "personId": wang, "role": "LEADER", "joinedOn": "2024-01-01" }),
    )
    .await;
    let m_li = member(
        &app,
        &t,
        json!({ "serviceTeamId": tm["id"], "personId": li, "role": "MEMBER", "joinedOn": "2024-06-01", "leftOn": "2024-12-31" }),
    )
    .await;

    let first = record(
        &app,
        &t,
        json!({ "serviceTeamId": tm["id"], "heldOn": "2024-09-14", "title": "楼道清理",
                "participantCount": 12, "participantIds": [m_wang["id"], m_li["id"]], "serviceMinutes": 1440 }),
    )
    .await;
    assert_eq!(first["participantCount"], 12);
    assert_eq!(first["participants"].as_array().unwrap().len(), 2);
    // Without a count, the members named are the participants.
    let second = record(
        &app,
        &t,
        json!({ "serviceTeamId": tm["id"], "heldOn": "2025-03-01", "title": "垃圾分类宣传", "participantIds": [m_wang["id"]] }),
    )
    .await;
    assert_eq!(second["participantCount"], 1);
    assert_eq!(second["serviceMinutes"], Value::Null);

    let future = (app.clock.today() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let cases = [
        (
            json!({ "serviceTeamId": tm["id"], "heldOn": "2025-03-01", "title": "x", "participantIds": [m_li["id"]] }),
            json!(["input", "participantIds", "0"]),
            "INVALID",
        ),
        (
            json!({ "serviceTeamId": tm["id"], "heldOn": future, "title": "x", "participantCount": 3 }),
            json!(["input", "heldOn"]),
            "OUT_OF_RANGE",
        ),
        (
            json!({ "serviceTeamId": tm["id"], "heldOn": "2023-12-31", "title": "x", "participantCount": 3 }),
            json!(["input", "heldOn"]),
            "OUT_OF_RANGE",
        ),
        (
            json!({ "serviceTeamId": tm["id"], "heldOn": "2024-09-14", "title": "x", "participantCount": 1, "participantIds": [m_wang["id"], m_li["id"]] }),
            json!(["input", "participantCount"]),
            "OUT_OF_RANGE",
        ),
        (
            json!({ "serviceTeamId": tm["id"], "heldOn": "2024-09-14", "title": "x" }),
            json!(["input", "participantCount"]),
            "REQUIRED",
        ),
        (
            json!({ "serviceTeamId": tm["id"], "heldOn": "2024-09-14", "title": "x", "participantCount": 2, "serviceMinutes": 0 }),
            json!(["input", "serviceMinutes"]),
            "OUT_OF_RANGE",
        ),
        (
            json!({ "serviceTeamId": tm["id"], "heldOn": "2024-09-14", "title": "x", "participantIds": [m_wang["id"], m_wang["id"]] }),
            json!(["input", "participantIds"]),
            "CONFLICT",
        ),
        (
            json!({ "serviceTeamId": tm["id"], "heldOn": "2024-09-14", "title": "x", "participantIds": [tm["id"]] }),
            json!(["input", "participantIds", "0"]),
            "INVALID",
        ),
    ];
    for (input, field, code) in cases {
        let errors = refused(&app, &t, "recordServiceActivity", RECORD, input.clone()).await;
        assert_eq!(errors[0]["field"], field, "{input}");
        assert_eq!(errors[0]["code"], code, "{input}");
    }

    // A correction is a new record that says why; the original stays readable.
    let corrected = app
        .mutate(
            &t,
            "correctServiceActivity",
            CORRECT,
            json!({ "id": first["id"], "reason": "人数登记有误", "participantCount": 15, "title": "楼道清理与消杀" }),
        )
        .await["activity"]
        .clone();
    assert_ne!(corrected["id"], first["id"]);
    assert_eq!(corrected["corrects"]["id"], first["id"]);
    assert_eq!(corrected["participantCount"], 15);
    assert_eq!(corrected["serviceMinutes"], 1440);
    assert_eq!(corrected["participants"].as_array().unwrap().len(), 2);
    assert_eq!(corrected["correctionReason"], "人数登记有误");
    assert_eq!(corrected["standing"], true);
    assert_eq!(
        corrected["history"],
        json!([{ "id": first["id"], "title": "楼道清理" }, { "id": corrected["id"], "title": "楼道清理与消杀" }])
    );
    let original = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on ServiceActivity { title participantCount standing } } }",
            json!({ "id": first["id"] }),
        )
        .await;
    assert_eq!(
        original["node"],
        json!({ "title": "楼道清理", "participantCount": 12, "standing": false })
    );
    // Correcting an older record of the entry starts from the one that stands.
    let again = app
        .mutate(
            &t,
            "correctServiceActivity",
            CORRECT,
            json!({ "id": first["id"], "reason": "时长补录", "serviceMinutes": null }),
        )
        .await["activity"]
        .clone();
    assert_eq!(again["corrects"]["id"], first["id"]);
    assert_eq!(again["title"], "楼道清理与消杀");
    assert_eq!(again["serviceMinutes"], Value::Null);
    assert_eq!(again["history"].as_array().unwrap().len(), 3);

    for (input, field, code) in [
        (
            json!({ "id": second["id"], "reason": " ", "title": "y" }),
            json!(["input", "reason"]),
            "REQUIRED",
        ),
        (
            json!({ "id": second["id"], "reason": "无变化", "title": "垃圾分类宣传" }),
            json!(["input"]),
            "INVALID",
        ),
        (
            json!({ "id": second["id"], "reason": "重复", "withdraw": true, "title": "y" }),
            json!(["input", "withdraw"]),
            "INVALID",
        ),
        (
            json!({ "id": second["id"], "reason": "日期", "heldOn": "2023-12-31" }),
            json!(["input", "heldOn"]),
            "OUT_OF_RANGE",
        ),
        (
            json!({ "id": second["id"], "reason": "名单", "participantIds": [m_li["id"]] }),
            json!(["input", "participantIds", "0"]),
            "INVALID",
        ),
    ] {
        let errors = refused(&app, &t, "correctServiceActivity", CORRECT, input.clone()).await;
        assert_eq!(errors[0]["field"], field, "{input}");
        assert_eq!(errors[0]["code"], code, "{input}");
    }

    // Withdrawing an entry keeps it in the log, flagged; it is corrected no more.
    let withdrawn = app
        .mutate(
            &t,
            "correctServiceActivity",
            CORRECT,
            json!({ "id": second["id"], "reason": "重复登记", "withdraw": true }),
        )
        .await["activity"]
        .clone();
    assert_eq!(withdrawn["withdrawn"], true);
    assert_eq!(withdrawn["title"], "垃圾分类宣传");
    let errors = refused(
        &app,
        &t,
        "correctServiceActivity",
        CORRECT,
        json!({ "id": second["id"], "reason": "恢复", "title": "z" }),
    )
    .await;
    assert_eq!(errors[0]["field"], json!(["input", "id"]));
    assert_eq!(errors[0]["code"], "INVALID_STATE");

    // The log lists each entry once, as it stands, in the order first recorded.
    let log = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on ServiceTeam { activities { edges { node { id title withdrawn corrects { id } } } } } } }",
            json!({ "id": tm["id"] }),
        )
        .await;
    assert_eq!(
        crate::helpers::nodes(&log["node"]["activities"]),
        json!([
            { "id": again["id"], "title": "楼道清理与消杀", "withdrawn": false, "corrects": { "id": first["id"] } },
            { "id": withdrawn["id"], "title": "垃圾分类宣传", "withdrawn": true, "corrects": { "id": second["id"] } },
        ])
    );
    crate::helpers::page_by_one(
        &app,
        None,
        tm["id"].as_str().unwrap(),
        "ServiceTeam",
        "activities",
    )
    .await;

    // A member named in a standing activity cannot have left before it.
    let errors = refused(
        &app,
        &t,
        "endServiceTeamMember",
        END_MEMBER,
        json!({ "id": m_wang["id"], "leftOn": "2024-09-13" }),
    )
    .await;
    assert_eq!(errors[0]["field"], json!(["input", "leftOn"]));
    assert_eq!(errors[0]["code"], "CONFLICT");
    // Nor is a team disbanded before its last standing activity.
    let errors = refused(
        &app,
        &t,
        "updateServiceTeam",
        UPDATE_TEAM,
        json!({ "id": tm["id"], "disbandedOn": "2024-09-13" }),
    )
    .await;
    assert_eq!(errors[0]["field"], json!(["input", "disbandedOn"]));
    assert_eq!(errors[0]["code"], "CONFLICT");

    // Every record and correction is in the compound's audit history.
    let audit = app
        .ok(
            Some(&t),
            "query($id: ID!) { node(id: $id) { ... on Compound { history(first: 100) { edges { node { operation entityType } } } } } }",
            json!({ "id": f.compound }),
        )
        .await;
    let operations: Vec<Value> = crate::helpers::nodes(&audit["node"]["history"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["entityType"] == "ServiceActivity")
        .map(|r| r["operation"].clone())
        .collect();
    assert_eq!(operations.len(), 5, "{operations:?}");
}

#[tokio::test]
async fn a_teams_leader_keeps_its_log_and_nothing_else() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let t = app.admin_token.clone();
    let tm = team(
        &app,
        &t,
        json!({ "communityId": f.community, "name": "银龄互助队", "kind": "MUTUAL_AID", "foundedOn": "2024-01-01" }),
    )
    .await;
    let other = team(
        &app,
        &t,
        json!({ "communityId": f.community, "name": "巡逻队", "kind": "SERVICE", "foundedOn": "2024-01-01" }),
    )
    .await;
    let (wang, li) = (
        person(&app, &f, "王芳", false).await,
        person(&app, &f, "李强", true).await,
    );
    let lead = member(
        &app,
        &t,
        json!({ "serviceTeamId": tm["id"], "personId": wang, "role": "LEADER", "joinedOn": "2024-01-01" }),
    )
    .await;
    member(
        &app,
        &t,
        json!({ "serviceTeamId": tm["id"], "personId": li, "role": "MEMBER", "joinedOn": "2024-01-01" }),
    )
    .await;
    let leader = linked_user(&app, "team.leader", &wang, "RESIDENT", &f.dwellings[0]).await;
    let plain = linked_user(&app, "team.member", &li, "RESIDENT", &f.dwellings[1]).await;

    let entry = record(
        &app,
        &leader,
        json!({ "serviceTeamId": tm["id"], "heldOn": "2025-05-01", "title": "探访独居老人", "participantIds": [lead["id"]], "participantCount": 4 }),
    )
    .await;
    let fixed = app
        .mutate(
            &leader,
            "correctServiceActivity",
            CORRECT,
            json!({ "id": entry["id"], "reason": "补记人数", "participantCount": 5 }),
        )
        .await["activity"]
        .clone();
    assert_eq!(fixed["participantCount"], 5);

    // A plain member, another team's log, and the team itself are out of the leader's reach;
    // missing IDs answer as existing ones do.
    let missing_team = compound_api::graphql::id::encode(
        compound_api::graphql::id::NodeKind::ServiceTeam,
        987_654,
    )
    .to_string();
    let missing_entry = compound_api::graphql::id::encode(
        compound_api::graphql::id::NodeKind::ServiceActivity,
        987_654,
    )
    .to_string();
    let entry_input = |team: &Value| json!({ "serviceTeamId": team, "heldOn": "2025-05-02", "title": "x", "participantCount": 2 });
    for (token, query, input) in [
        (&plain, RECORD, entry_input(&tm["id"])),
        (
            &plain,
            CORRECT,
            json!({ "id": entry["id"], "reason": "r", "participantCount": 9 }),
        ),
        (&leader, RECORD, entry_input(&other["id"])),
        (&leader, RECORD, entry_input(&json!(missing_team))),
        (
            &leader,
            CORRECT,
            json!({ "id": missing_entry, "reason": "r", "participantCount": 9 }),
        ),
        (
            &leader,
            ADD_MEMBER,
            json!({ "serviceTeamId": tm["id"], "personId": li, "role": "MEMBER", "joinedOn": "2025-01-01" }),
        ),
        (
            &leader,
            UPDATE_TEAM,
            json!({ "id": tm["id"], "name": "改名" }),
        ),
    ] {
        assert_eq!(
            top_error(&app, Some(token), query, input.clone()).await,
            "FORBIDDEN",
            "{input}"
        );
    }

    // Once the leader's term ends, so does the rule.
    let yesterday = app.clock.today() - chrono::Duration::days(1);
    app.mutate(
        &t,
        "endServiceTeamMember",
        END_MEMBER,
        json!({ "id": lead["id"], "leftOn": yesterday.format("%Y-%m-%d").to_string() }),
    )
    .await;
    assert_eq!(
        top_error(&app, Some(&leader), RECORD, entry_input(&tm["id"])).await,
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn staff_reach_their_own_units_teams_only() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let t = app.admin_token.clone();
    let other_compound = second_compound(&app, &f).await;
    let other_community = second_community(&app, &f).await;
    let ours = team(
        &app,
        &t,
        json!({ "compoundId": f.compound, "name": "党员先锋队", "kind": "SERVICE", "foundedOn": "2024-01-01" }),
    )
    .await;
    let wang = person(&app, &f, "王芳", false).await;

    let secretary = app
        .user_with_role("sec.ours", "BRANCH_SECRETARY", Some(&f.compound))
        .await;
    let other_secretary = app
        .user_with_role("sec.other", "BRANCH_SECRETARY", Some(&other_compound))
        .await;
    let staff = app
        .user_with_role("staff.ours", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    let other_staff = app
        .user_with_role("staff.other", "COMMUNITY_STAFF", Some(&other_community))
        .await;
    let committee = app
        .user_with_role("committee", "COMMITTEE_MEMBER", Some(&f.compound))
        .await;

    // The compound's secretary runs its teams; community staff run the community's and its compounds'.
    team(
        &app,
        &secretary,
        json!({ "compoundId": f.compound, "name": "楼道美化队", "kind": "PUBLIC_WELFARE", "foundedOn": "2024-02-01" }),
    )
    .await;
    member(
        &app,
        &secretary,
        json!({ "serviceTeamId": ours["id"], "personId": wang, "role": "LEADER", "joinedOn": "2024-01-01" }),
    )
    .await;
    team(
        &app,
        &staff,
        json!({ "communityId": f.community, "name": "社区志愿者协会", "kind": "PUBLIC_WELFARE", "foundedOn": "2024-02-01" }),
    )
    .await;
    record(
        &app,
        &staff,
        json!({ "serviceTeamId": ours["id"], "heldOn": "2025-01-05", "title": "义诊", "participantCount": 6 }),
    )
    .await;

    let missing = |kind| compound_api::graphql::id::encode(kind, 987_654).to_string();
    use compound_api::graphql::id::NodeKind;
    let attempts = [
        (
            CREATE_TEAM,
            json!({ "compoundId": f.compound, "name": "n", "kind": "SERVICE", "foundedOn": "2024-01-01" }),
            json!({ "compoundId": missing(NodeKind::Compound), "name": "n", "kind": "SERVICE", "foundedOn": "2024-01-01" }),
        ),
        (
            UPDATE_TEAM,
            json!({ "id": ours["id"], "name": "n" }),
            json!({ "id": missing(NodeKind::ServiceTeam), "name": "n" }),
        ),
        (
            ADD_MEMBER,
            json!({ "serviceTeamId": ours["id"], "personId": wang, "role": "MEMBER", "joinedOn": "2025-01-01" }),
            json!({ "serviceTeamId": missing(NodeKind::ServiceTeam), "personId": wang, "role": "MEMBER", "joinedOn": "2025-01-01" }),
        ),
        (
            RECORD,
            json!({ "serviceTeamId": ours["id"], "heldOn": "2025-01-05", "title": "x", "participantCount": 2 }),
            json!({ "serviceTeamId": missing(NodeKind::ServiceTeam), "heldOn": "2025-01-05", "title": "x", "participantCount": 2 }),
        ),
    ];
    for (query, existing, absent) in &attempts {
        // Anonymous callers are asked to authenticate.
        assert_eq!(
            top_error(&app, None, query, existing.clone()).await,
            "UNAUTHENTICATED"
        );
        for token in [&other_secretary, &other_staff, &committee] {
            let there = app
                .gql(Some(token), query, json!({ "input": existing }))
                .await;
            let not_there = app
                .gql(Some(token), query, json!({ "input": absent }))
                .await;
            assert_eq!(
                there["errors"][0]["extensions"]["code"], "FORBIDDEN",
                "{existing}: {there}"
            );
            assert_eq!(
                there["errors"][0], not_there["errors"][0],
                "a missing ID must answer like an existing one"
            );
        }
    }
    // A compound's secretary founds no community-level team.
    assert_eq!(
        top_error(
            &app,
            Some(&secretary),
            CREATE_TEAM,
            json!({ "communityId": f.community, "name": "n", "kind": "SERVICE", "foundedOn": "2024-01-01" }),
        )
        .await,
        "FORBIDDEN"
    );
    // The platform admin, who may act everywhere, learns that an ID is missing.
    let errors = refused(
        &app,
        &t,
        "updateServiceTeam",
        UPDATE_TEAM,
        json!({ "id": missing(NodeKind::ServiceTeam), "name": "n" }),
    )
    .await;
    assert_eq!(errors[0]["field"], json!(["input", "id"]));
    assert_eq!(errors[0]["code"], "NOT_FOUND");
}

#[tokio::test]
async fn figures_count_at_the_borders_of_their_range() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let t = app.admin_token.clone();
    let other = second_compound(&app, &f).await;
    // Lives from 2024-03-01 to 2024-12-31.
    let a = team(
        &app,
        &t,
        json!({ "compoundId": f.compound, "name": "A队", "kind": "SERVICE", "foundedOn": "2024-03-01" }),
    )
    .await;
    let b = team(
        &app,
        &t,
        json!({ "compoundId": f.compound, "name": "B队", "kind": "MUTUAL_AID", "foundedOn": "2024-06-01" }),
    )
    .await;
    let c = team(
        &app,
        &t,
        json!({ "communityId": f.community, "name": "C队", "kind": "PUBLIC_WELFARE", "foundedOn": "2024-01-01" }),
    )
    .await;
    let d = team(
        &app,
        &t,
        json!({ "compoundId": other, "name": "D队", "kind": "SERVICE", "foundedOn": "2024-01-01" }),
    )
    .await;
    let (wang, li, zhao) = (
        person(&app, &f, "王芳", false).await,
        person(&app, &f, "李强", true).await,
        person(&app, &f, "赵敏", false).await,
    );
    // 王芳 serves in A and B (one person, counted once), 李强 in A from 2024-07-01, 赵敏 in C.
    let wa = member(
        &app,
        &t,
        json!({ "serviceTeamId": a["id"], "personId": wang, "role": "LEADER", "joinedOn": "2024-03-01" }),
    )
    .await;
    member(
        &app,
        &t,
        json!({ "serviceTeamId": b["id"], "personId": wang, "role": "MEMBER", "joinedOn": "2024-06-01" }),
    )
    .await;
    member(
        &app,
        &t,
        json!({ "serviceTeamId": a["id"], "personId": li, "role": "MEMBER", "joinedOn": "2024-07-01" }),
    )
    .await;
    member(
        &app,
        &t,
        json!({ "serviceTeamId": c["id"], "personId": zhao, "role": "MEMBER", "joinedOn": "2024-01-01" }),
    )
    .await;
    let e1 = record(
        &app,
        &t,
        json!({ "serviceTeamId": a["id"], "heldOn": "2024-03-01", "title": "一", "participantCount": 5, "participantIds": [wa["id"]], "serviceMinutes": 300 }),
    )
    .await;
    record(
        &app,
        &t,
        json!({ "serviceTeamId": b["id"], "heldOn": "2024-06-30", "title": "二", "participantCount": 3 }),
    )
    .await;
    let e3 = record(
        &app,
        &t,
        json!({ "serviceTeamId": a["id"], "heldOn": "2024-07-01", "title": "三", "participantCount": 7, "serviceMinutes": 60 }),
    )
    .await;
    record(
        &app,
        &t,
        json!({ "serviceTeamId": c["id"], "heldOn": "2024-05-05", "title": "四", "participantCount": 20 }),
    )
    .await;
    record(
        &app,
        &t,
        json!({ "serviceTeamId": d["id"], "heldOn": "2024-05-05", "title": "五", "participantCount": 9 }),
    )
    .await;
    app.mutate(
        &t,
        "updateServiceTeam",
        UPDATE_TEAM,
        json!({ "id": a["id"], "disbandedOn": "2024-12-31" }),
    )
    .await;

    let figures = |unit: (&str, &str), from: &str, to: &str| {
        let mut vars = json!({ "from": from, "to": to });
        vars[unit.0] = json!(unit.1);
        let app = &app;
        async move { app.ok(None, FIGURES, vars).await["serviceFigures"].clone() }
    };
    let compound = ("compound", f.compound.as_str());
    let by_kind = |s: i64, w: i64, m: i64| {
        json!([
            { "kind": "SERVICE", "teams": s },
            { "kind": "PUBLIC_WELFARE", "teams": w },
            { "kind": "MUTUAL_AID", "teams": m },
        ])
    };

    // The day before anything: nothing, every kind still listed.
    let none = figures(compound, "2024-01-01", "2024-02-29").await;
    assert_eq!(none["activeTeams"], 0);
    assert_eq!(none["activeTeamsByKind"], by_kind(0, 0, 0));
    assert_eq!(none["activeMembers"], 0);
    assert_eq!(none["activities"], 0);
    assert_eq!(none["compound"]["id"], json!(f.compound));
    assert_eq!(none["community"], Value::Null);

    // Both ends of the range are included.
    let march = figures(compound, "2024-03-01", "2024-03-01").await;
    assert_eq!(march["activeTeamsByKind"], by_kind(1, 0, 0));
    assert_eq!(march["activeMembers"], 1);
    assert_eq!(march["activities"], 1);
    assert_eq!(march["participations"], 5);
    assert_eq!(march["serviceMinutes"], 300);
    let summer = figures(compound, "2024-06-30", "2024-07-01").await;
    assert_eq!(summer["activeTeams"], 2);
    assert_eq!(summer["activeMembers"], 2);
    assert_eq!(summer["activities"], 2);
    assert_eq!(summer["participations"], 10);
    assert_eq!(summer["serviceMinutes"], 60);
    let june = figures(compound, "2024-06-01", "2024-06-29").await;
    assert_eq!(june["activeMembers"], 1);
    assert_eq!(june["activities"], 0);

    // A disbanded team counts up to its last day, not after it.
    let last_day = figures(compound, "2024-12-31", "2025-01-31").await;
    assert_eq!(last_day["activeTeamsByKind"], by_kind(1, 0, 1));
    let after = figures(compound, "2025-01-01", "2025-01-31").await;
    assert_eq!(after["activeTeamsByKind"], by_kind(0, 0, 1));
    assert_eq!(after["activeMembers"], 1);

    // A community counts its own teams and its compounds'.
    let community = figures(
        ("community", f.community.as_str()),
        "2024-01-01",
        "2024-12-31",
    )
    .await;
    assert_eq!(community["activeTeamsByKind"], by_kind(2, 1, 1));
    assert_eq!(community["activeMembers"], 3);
    assert_eq!(community["activities"], 5);
    assert_eq!(community["participations"], 44);
    assert_eq!(community["community"]["id"], json!(f.community));

    // A corrected entry counts once, as corrected; a withdrawn one not at all; a correction
    // moving the day moves the entry out of the range.
    app.mutate(
        &t,
        "correctServiceActivity",
        CORRECT,
        json!({ "id": e1["id"], "reason": "人数更正", "participantCount": 8 }),
    )
    .await;
    app.mutate(
        &t,
        "correctServiceActivity",
        CORRECT,
        json!({ "id": e3["id"], "reason": "日期更正", "heldOn": "2024-07-02" }),
    )
    .await;
    let year = figures(compound, "2024-01-01", "2024-07-01").await;
    assert_eq!(year["activities"], 2);
    assert_eq!(year["participations"], 11);
    assert_eq!(year["serviceMinutes"], 300);
    app.mutate(
        &t,
        "correctServiceActivity",
        CORRECT,
        json!({ "id": e1["id"], "reason": "重复登记", "withdraw": true }),
    )
    .await;
    let year = figures(compound, "2024-01-01", "2024-12-31").await;
    assert_eq!(year["activities"], 2);
    assert_eq!(year["participations"], 10);
    assert_eq!(year["serviceMinutes"], 60);

    // One unit, and a range that runs forward.
    for vars in [
        json!({ "from": "2024-01-01", "to": "2024-12-31" }),
        json!({ "compound": f.compound, "community": f.community, "from": "2024-01-01", "to": "2024-12-31" }),
        json!({ "compound": f.compound, "from": "2024-12-31", "to": "2024-01-01" }),
        json!({ "compound": f.community, "from": "2024-01-01", "to": "2024-12-31" }),
    ] {
        let body = app.gql(None, FIGURES, vars.clone()).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{vars}: {body}"
        );
    }
}
