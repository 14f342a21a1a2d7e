//! Chiefs as people the community manages: who provides each chief and
//! whether full- or part-time, the rental and industrial buildings missing
//! a full-time building chief, the chiefs' association and its members,
//! and commendations and penalties against its code of conduct.

use serde_json::{Value, json};

use crate::helpers::{Fixture, TestApp, fixture, person, spawn_app};
use crate::register::{assert_error, assert_request_error, id, node, op, refused, run};

const APPOINTMENT: &str =
    "appointment { id level employment provider { kind name company { name } } }";
const MISSING: &str = "query($id: ID!) { node(id: $id) { ... on Community {
    buildingsMissingFullTimeChief { edges { node { name } } } } } }";

async fn building(app: &TestApp, compound: &str, name: &str, rental: bool) -> String {
    id(&run(
        app,
        "createBuilding",
        "building { id }",
        json!({ "compoundId": compound, "name": name, "floors": 6, "isRental": rental }),
    )
    .await["building"])
}

async fn appoint(app: &TestApp, f: &Fixture, level: &str, scope: Value, extra: Value) -> Value {
    let who = person(app, f, "楼栋长", false).await;
    let mut input = json!({ "level": level, "personId": who, "scope": scope,
                            "contactPhone": "13900001111", "startsOn": "2024-01-01" });
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    run(app, "appointChief", APPOINTMENT, input).await["appointment"].clone()
}

async fn missing(app: &TestApp, f: &Fixture) -> Vec<String> {
    app.ok(None, MISSING, json!({ "id": f.community }))
        .await["node"]["buildingsMissingFullTimeChief"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_place_decides_who_provides_a_chief_and_landlords_owe_a_full_time_one() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    // Commodity housing under contract: the property company, part-time by default.
    let co = id(&run(
        &app,
        "createPropertyCompany",
        "propertyCompany { id }",
        json!({ "name": "东湖物业" }),
    )
    .await["propertyCompany"]);
    run(
        &app,
        "signPropertyContract",
        "contract { id }",
        json!({ "compoundId": f.compound, "companyId": co, "startsOn": "2023-01-01", "endsOn": "2027-12-31" }),
    )
    .await;
    let a = appoint(
        &app,
        &f,
        "BUILDING_CHIEF",
        json!({ "buildingId": f.building }),
        json!({}),
    )
    .await;
    assert_eq!(a["employment"], "PART_TIME");
    assert_eq!(
        a["provider"],
        json!({ "kind": "PROPERTY_COMPANY", "name": null, "company": { "name": "东湖物业" } })
    );
    // Levels 1–3: the community, full-time.
    let a = appoint(
        &app,
        &f,
        "GRID_CHIEF",
        json!({ "gridId": f.grid }),
        json!({}),
    )
    .await;
    assert_eq!(a["employment"], "FULL_TIME");
    assert_eq!(a["provider"]["kind"], "COMMUNITY");
    // A landlord is named for a rental building, and only there.
    let rental = building(&app, &f.compound, "出租楼", true).await;
    let p = refused(
        &app,
        "appointChief",
        APPOINTMENT,
        json!({ "level": "BUILDING_CHIEF", "personId": person(&app, &f, "甲", false).await,
                "scope": { "buildingId": rental }, "contactPhone": "13900001111", "startsOn": "2024-01-01" }),
    )
    .await;
    assert_error(&p, &["input", "providerName"], "REQUIRED");
    let p = refused(
        &app,
        "appointChief",
        APPOINTMENT,
        json!({ "level": "BUILDING_CHIEF", "personId": person(&app, &f, "乙", false).await,
                "scope": { "buildingId": building(&app, &f.compound, "自住楼", false).await },
                "contactPhone": "13900001111", "startsOn": "2024-01-01", "providerName": "张房东" }),
    )
    .await;
    assert_error(&p, &["input", "providerName"], "INVALID");
    // Until the landlord gives a full-time building chief, the building is listed.
    assert_eq!(missing(&app, &f).await, ["出租楼"]);
    let part = appoint(
        &app,
        &f,
        "BUILDING_CHIEF",
        json!({ "buildingId": rental }),
        json!({ "providerName": "张房东", "endsOn": "2025-12-31" }),
    )
    .await;
    assert_eq!(
        part["provider"],
        json!({ "kind": "LANDLORD", "name": "张房东", "company": null })
    );
    assert_eq!(part["employment"], "PART_TIME");
    assert_eq!(missing(&app, &f).await, ["出租楼"]);
    let full = appoint(
        &app,
        &f,
        "BUILDING_CHIEF",
        json!({ "buildingId": rental }),
        json!({ "providerName": "张房东", "employment": "FULL_TIME", "startsOn": "2026-01-01" }),
    )
    .await;
    assert_eq!(full["employment"], "FULL_TIME");
    assert_eq!(missing(&app, &f).await, Vec::<String>::new());
    // On a day before the full-time chief began, it was missing.
    let before = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Community {
                buildingsMissingFullTimeChief(on: \"2025-06-01\") { edges { node { name } } } } } }",
            json!({ "id": f.community }),
        )
        .await;
    assert_eq!(
        before["node"]["buildingsMissingFullTimeChief"]["edges"][0]["node"]["name"],
        "出租楼"
    );
    // An industrial zone's buildings: the operator provides them, and owes full-time ones.
    let zone = id(&run(
        &app,
        "createCompound",
        "compound { id }",
        json!({ "communityId": f.community, "name": "光谷工业园", "kind": "INDUSTRIAL_ZONE" }),
    )
    .await["compound"]);
    let dorm = building(&app, &zone, "员工宿舍1栋", false).await;
    assert_eq!(missing(&app, &f).await, ["员工宿舍1栋"]);
    let a = appoint(
        &app,
        &f,
        "BUILDING_CHIEF",
        json!({ "buildingId": dorm }),
        json!({ "providerName": "光谷园区运营公司", "employment": "FULL_TIME" }),
    )
    .await;
    assert_eq!(a["provider"]["kind"], "ZONE_OPERATOR");
    assert_eq!(missing(&app, &f).await, Vec::<String>::new());
}

#[tokio::test]
async fn the_association_keeps_chiefs_and_their_commendations_and_penalties() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let chief = appoint(
        &app,
        &f,
        "BUILDING_CHIEF",
        json!({ "buildingId": f.building }),
        json!({}),
    )
    .await;
    let holder = node(
        &app,
        &id(&chief),
        "... on ChiefAppointment { holder { id } }",
    )
    .await["holder"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let assoc = id(&run(
        &app,
        "createChiefAssociation",
        "association { id }",
        json!({ "communityId": f.community, "name": "翠苑社区楼栋长协会", "foundedOn": "2023-06-01",
                "codeOfConduct": "第一条 热心服务群众;第二条 及时上报隐患" }),
    )
    .await["association"]);
    let p = refused(
        &app,
        "createChiefAssociation",
        "association { id }",
        json!({ "communityId": f.community, "name": "第二个协会", "foundedOn": "2024-01-01", "codeOfConduct": "—" }),
    )
    .await;
    assert_error(&p, &["input", "communityId"], "CONFLICT");
    // Only a chief of the community joins; one president at a time.
    let outsider = person(&app, &f, "非楼栋长", false).await;
    let p = refused(
        &app,
        "addChiefAssociationMember",
        "member { id }",
        json!({ "associationId": assoc, "personId": outsider, "role": "MEMBER", "startsOn": "2024-02-01" }),
    )
    .await;
    assert_error(&p, &["input", "personId"], "INVALID");
    run(
        &app,
        "addChiefAssociationMember",
        "member { id }",
        json!({ "associationId": assoc, "personId": holder, "role": "PRESIDENT", "startsOn": "2024-02-01" }),
    )
    .await;
    let members = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Community { chiefsAssociation { name codeOfConduct members { role person { name } } } } } }",
            json!({ "id": f.community }),
        )
        .await["node"]["chiefsAssociation"]
        .clone();
    assert_eq!(
        members["members"],
        json!([{ "role": "PRESIDENT", "person": { "name": "楼栋长" } }])
    );

    // Commendations and penalties: dated within the term, never ahead, with who decided.
    let record = |kind: &str, on: &str| {
        json!({ "appointmentId": id(&chief), "kind": kind, "decidedOn": on, "reason": "疫情期间连续值守",
                "codeArticle": "第一条", "decidedBy": "翠苑社区楼栋长协会理事会" })
    };
    run(
        &app,
        "recordChiefConduct",
        "record { id }",
        record("COMMENDATION", "2024-03-01"),
    )
    .await;
    run(
        &app,
        "recordChiefConduct",
        "record { id }",
        record("PENALTY", "2024-05-01"),
    )
    .await;
    let p = refused(
        &app,
        "recordChiefConduct",
        "record { id }",
        record("PENALTY", "2023-12-31"),
    )
    .await;
    assert_error(&p, &["input", "decidedOn"], "OUT_OF_RANGE");
    let p = refused(
        &app,
        "recordChiefConduct",
        "record { id }",
        record("PENALTY", "2099-01-01"),
    )
    .await;
    assert_error(&p, &["input", "decidedOn"], "OUT_OF_RANGE");
    let mut blank = record("PENALTY", "2024-05-02");
    blank["decidedBy"] = json!(" ");
    let p = refused(&app, "recordChiefConduct", "record { id }", blank).await;
    assert_error(&p, &["input", "decidedBy"], "REQUIRED");
    let records = node(
        &app,
        &id(&chief),
        "... on ChiefAppointment { conductRecords { kind decidedOn decidedBy codeArticle } }",
    )
    .await["conductRecords"]
        .clone();
    assert_eq!(records.as_array().unwrap().len(), 2);
    assert_eq!(records[0]["kind"], "COMMENDATION");
    assert_eq!(records[1]["decidedBy"], "翠苑社区楼栋长协会理事会");

    // Refusals: anonymous callers, and a resident of the compound.
    let q = op("recordChiefConduct", "record { id }");
    let body = app
        .gql(
            None,
            &q,
            json!({ "input": record("COMMENDATION", "2024-03-02") }),
        )
        .await;
    assert_request_error(&body, "UNAUTHENTICATED");
    let resident = app
        .user_with_role("zhao.resident", "RESIDENT", Some(&f.dwellings[0]))
        .await;
    let body = app
        .gql(
            Some(&resident),
            &q,
            json!({ "input": record("COMMENDATION", "2024-03-02") }),
        )
        .await;
    assert_request_error(&body, "FORBIDDEN");
}
