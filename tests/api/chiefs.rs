//! The chain of chiefs (五级五长) over HTTP: appointments in all three
//! variants, the one-holder rules, and the responsibility placard of a
//! dwelling ("who answers for my home?"), readable by anyone.
//!
//! Longer than 800 lines on purpose: each test is a whole scenario told
//! from setup to last assertion, and the area's scenarios share the setup
//! helpers of this one file; splitting it would scatter both.

use serde_json::{Value, json};

use crate::helpers::{Fixture, TestApp, fixture, person, spawn_app};
use crate::register::{assert_error, id, node, refused, run};

const APPOINTMENT: &str =
    "appointment { id level rank variant scopeKind scopeDescription holderName
    contactPhone duties startsOn endsOn community { id } grid { id } compound { id } building { id }
    floorFrom floorTo scopeLabel }";

/// The fixture's apartment compound, plus a bungalow area and a commercial
/// street in the same community, all covered by the fixture's grid.
struct World {
    f: Fixture,
    /// A bungalow-area compound.
    bungalow: String,
    /// A courtyard on 槐树巷 in the bungalow area.
    courtyard: String,
    /// A home in that courtyard.
    courtyard_home: String,
    /// An apartment block standing in the bungalow area.
    block: String,
    /// A commercial street.
    street: String,
    /// A shop block on the street.
    shops: String,
    /// A shop in that block.
    shop: String,
}

async fn create(app: &TestApp, name: &str, input: Value) -> String {
    let key = match name {
        "createCompound" => "compound",
        "createBuilding" => "building",
        _ => "dwelling",
    };
    id(&run(app, name, &format!("{key} {{ id }}"), input).await[key])
}

async fn world(app: &TestApp) -> World {
    let f = fixture(app).await;
    let bungalow = create(
        app,
        "createCompound",
        json!({ "communityId": f.community, "name": "槐树巷片区", "kind": "BUNGALOW_AREA" }),
    )
    .await;
    let courtyard = create(
        app,
        "createBuilding",
        json!({ "compoundId": bungalow, "name": "一号院", "kind": "COURTYARD", "alley": "槐树巷", "gridId": f.grid }),
    )
    .await;
    let courtyard_home = create(
        app,
        "createDwelling",
        json!({ "buildingId": courtyard, "number": "一号院-1", "exclusiveArea": "60.00" }),
    )
    .await;
    let block = create(
        app,
        "createBuilding",
        json!({ "compoundId": bungalow, "name": "安置楼", "kind": "APARTMENT", "floors": 3, "gridId": f.grid }),
    )
    .await;
    let street = create(
        app,
        "createCompound",
        json!({ "communityId": f.community, "name": "文三街商区", "kind": "COMMERCIAL_STREET" }),
    )
    .await;
    let shops = create(
        app,
        "createBuilding",
        json!({ "compoundId": street, "name": "东段门店", "kind": "SHOP_BLOCK", "gridId": f.grid }),
    )
    .await;
    let shop = create(
        app,
        "createDwelling",
        json!({ "buildingId": shops, "number": "东段-1", "exclusiveArea": "35.00" }),
    )
    .await;
    World {
        f,
        bungalow,
        courtyard,
        courtyard_home,
        block,
        street,
        shops,
        shop,
    }
}

/// The input of an appointment of `holder` from `from`, open-ended.
fn input(level: &str, holder: &str, scope: Value, phone: &str, from: &str) -> Value {
    json!({ "level": level, "personId": holder, "scope": scope, "contactPhone": phone, "startsOn": from })
}

/// Appoints a new person named `name` from 2024-01-01; returns the appointment.
async fn appoint(
    app: &TestApp,
    w: &World,
    level: &str,
    name: &str,
    scope: Value,
    phone: &str,
) -> Value {
    appoint_from(app, w, level, name, scope, phone, "2024-01-01").await
}

/// Appoints a new person named `name` from `from`; returns the appointment.
async fn appoint_from(
    app: &TestApp,
    w: &World,
    level: &str,
    name: &str,
    scope: Value,
    phone: &str,
    from: &str,
) -> Value {
    let holder = person(app, &w.f, name, false).await;
    run(
        app,
        "appointChief",
        APPOINTMENT,
        input(level, &holder, scope, phone, from),
    )
    .await["appointment"]
        .clone()
}

/// Appoints `holder` as asked; it must be refused. Returns the payload.
async fn appoint_refused(app: &TestApp, input: Value) -> Value {
    let p = refused(app, "appointChief", APPOINTMENT, input).await;
    assert_eq!(p["appointment"], Value::Null, "{p:#}");
    p
}

async fn end_chief(app: &TestApp, appointment: &str, on: &str) -> Value {
    run(
        app,
        "endChief",
        APPOINTMENT,
        json!({ "id": appointment, "endsOn": on }),
    )
    .await["appointment"]
        .clone()
}

/// Area, community and grid chiefs and two grid workers over the fixture's
/// community and grid: the upper chain every variant shares.
async fn upper_levels(app: &TestApp, w: &World) {
    let f = &w.f;
    appoint(
        app,
        w,
        "AREA_CHIEF",
        "片长甲",
        json!({ "communityId": f.community }),
        "13900000001",
    )
    .await;
    appoint(
        app,
        w,
        "COMMUNITY_CHIEF",
        "社区长乙",
        json!({ "communityId": f.community }),
        "13900000002",
    )
    .await;
    appoint(
        app,
        w,
        "GRID_CHIEF",
        "网格长丙",
        json!({ "gridId": f.grid }),
        "13900000003",
    )
    .await;
    appoint(
        app,
        w,
        "GRID_WORKER",
        "网格员丁",
        json!({ "gridId": f.grid }),
        "13900000004",
    )
    .await;
    appoint(
        app,
        w,
        "GRID_WORKER",
        "网格员戊",
        json!({ "gridId": f.grid }),
        "13900000005",
    )
    .await;
}

const UPPER: [(&str, &str, &str, i64); 5] = [
    ("GRID_CHIEF", "网格长丙", "13900000003", 3),
    ("GRID_WORKER", "网格员丁", "13900000004", 3),
    ("GRID_WORKER", "网格员戊", "13900000005", 3),
    ("COMMUNITY_CHIEF", "社区长乙", "13900000002", 2),
    ("AREA_CHIEF", "片长甲", "13900000001", 1),
];

/// The responsibility placard of `dwelling`, read anonymously.
async fn chain(app: &TestApp, dwelling: &str) -> Vec<(String, String, String, i64)> {
    let data = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Dwelling { responsibleChain { level rank holderName contactPhone } } } }",
            json!({ "id": dwelling }),
        )
        .await;
    data["node"]["responsibleChain"]
        .as_array()
        .unwrap_or_else(|| panic!("no chain: {data:#}"))
        .iter()
        .map(|c| {
            (
                c["level"].as_str().unwrap().to_owned(),
                c["holderName"].as_str().unwrap().to_owned(),
                c["contactPhone"].as_str().unwrap().to_owned(),
                c["rank"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn expected(near: &[(&str, &str, &str, i64)]) -> Vec<(String, String, String, i64)> {
    near.iter()
        .chain(UPPER.iter())
        .map(|(l, n, p, r)| (l.to_string(), n.to_string(), p.to_string(), *r))
        .collect()
}

#[tokio::test]
async fn every_level_is_appointed_over_the_scope_it_needs() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let f = &w.f;
    let six = json!([
        "POLICY_PUBLICIST",
        "OPINION_COLLECTOR",
        "HAZARD_INSPECTOR",
        "DISPUTE_MEDIATOR",
        "CIVILITY_PROMOTER",
        "RESIDENT_HELPER"
    ]);
    // (level, scope, rank, variant, scope kind, grid, compound, building, description)
    let cases = [
        (
            "AREA_CHIEF",
            json!({ "communityId": f.community }),
            1,
            Value::Null,
            "COMMUNITY",
            None,
            None,
            None,
            "翠苑社区",
        ),
        (
            "COMMUNITY_CHIEF",
            json!({ "communityId": f.community }),
            2,
            Value::Null,
            "COMMUNITY",
            None,
            None,
            None,
            "翠苑社区",
        ),
        (
            "GRID_CHIEF",
            json!({ "gridId": f.grid }),
            3,
            Value::Null,
            "GRID",
            Some(&f.grid),
            None,
            None,
            "翠苑社区 第一网格",
        ),
        (
            "GRID_WORKER",
            json!({ "gridId": f.grid }),
            3,
            Value::Null,
            "GRID",
            Some(&f.grid),
            None,
            None,
            "翠苑社区 第一网格",
        ),
        (
            "BUILDING_CHIEF",
            json!({ "buildingId": f.building }),
            4,
            json!("APARTMENT_COMPOUND"),
            "BUILDING",
            None,
            Some(&f.compound),
            Some(&f.building),
            "1号楼",
        ),
        (
            "FLOOR_CHIEF",
            json!({ "buildingId": f.building, "floorFrom": 1, "floorTo": 3 }),
            5,
            json!("APARTMENT_COMPOUND"),
            "FLOOR_RANGE",
            None,
            Some(&f.compound),
            Some(&f.building),
            "1号楼 1–3层",
        ),
        (
            "ALLEY_CHIEF",
            json!({ "compoundId": w.bungalow, "label": "槐树巷" }),
            4,
            json!("BUNGALOW_AREA"),
            "ALLEY",
            None,
            Some(&w.bungalow),
            None,
            "槐树巷片区 槐树巷",
        ),
        (
            "COURTYARD_CHIEF",
            json!({ "buildingId": w.courtyard }),
            5,
            json!("BUNGALOW_AREA"),
            "COURTYARD",
            None,
            Some(&w.bungalow),
            Some(&w.courtyard),
            "一号院",
        ),
        (
            "MARKET_SUPERVISOR",
            json!({ "compoundId": w.street }),
            4,
            json!("COMMERCIAL_STREET"),
            "COMPOUND",
            None,
            Some(&w.street),
            None,
            "文三街商区",
        ),
        (
            "SHOP_CHIEF",
            json!({ "buildingId": w.shops, "label": "东段1–10号" }),
            5,
            json!("COMMERCIAL_STREET"),
            "SHOP_GROUP",
            None,
            Some(&w.street),
            Some(&w.shops),
            "东段门店",
        ),
    ];
    for (n, (level, scope, rank, variant, kind, grid, compound, building, description)) in
        cases.into_iter().enumerate()
    {
        let phone = format!("139{n:08}");
        let name = format!("{level}-holder");
        let a = appoint(&app, &w, level, &name, scope.clone(), &phone).await;
        assert_eq!(a["level"], level);
        assert_eq!(a["rank"], rank, "{level}");
        assert_eq!(a["variant"], variant, "{level}");
        assert_eq!(a["scopeKind"], kind, "{level}");
        assert_eq!(a["holderName"], name.as_str());
        assert_eq!(a["contactPhone"], phone.as_str());
        assert_eq!(a["duties"], six, "{level}: all six duties by default");
        assert_eq!(a["startsOn"], "2024-01-01");
        assert_eq!(a["endsOn"], Value::Null);
        assert_eq!(a["community"]["id"], f.community.as_str(), "{level}");
        assert_eq!(
            a["grid"]["id"].as_str(),
            grid.map(String::as_str),
            "{level}"
        );
        assert_eq!(
            a["compound"]["id"].as_str(),
            compound.map(String::as_str),
            "{level}"
        );
        assert_eq!(
            a["building"]["id"].as_str(),
            building.map(String::as_str),
            "{level}"
        );
        assert_eq!(
            a["floorFrom"],
            scope.get("floorFrom").cloned().unwrap_or(Value::Null)
        );
        assert_eq!(
            a["floorTo"],
            scope.get("floorTo").cloned().unwrap_or(Value::Null)
        );
        assert_eq!(
            a["scopeLabel"],
            scope.get("label").cloned().unwrap_or(Value::Null)
        );
        assert_eq!(a["scopeDescription"], description, "{level}");
    }

    // Chosen duties are kept, in customary order; contact and duties can change.
    let holder = person(&app, f, "网格员己", false).await;
    let a = run(
        &app,
        "appointChief",
        APPOINTMENT,
        json!({ "level": "GRID_WORKER", "personId": holder, "scope": { "gridId": f.grid },
                "contactPhone": "0571-87654321", "duties": ["HAZARD_INSPECTOR", "POLICY_PUBLICIST"],
                "startsOn": "2024-01-01", "endsOn": "2027-12-31" }),
    )
    .await["appointment"]
        .clone();
    assert_eq!(a["duties"], json!(["POLICY_PUBLICIST", "HAZARD_INSPECTOR"]));
    assert_eq!(a["endsOn"], "2027-12-31");
    let a = id(&a);
    let u = run(
        &app,
        "updateChief",
        APPOINTMENT,
        json!({ "id": a, "contactPhone": "13700001111", "duties": ["RESIDENT_HELPER"] }),
    )
    .await["appointment"]
        .clone();
    assert_eq!(u["contactPhone"], "13700001111");
    assert_eq!(u["duties"], json!(["RESIDENT_HELPER"]));
    let p = refused(
        &app,
        "updateChief",
        APPOINTMENT,
        json!({ "id": a, "contactPhone": "110" }),
    )
    .await;
    assert_error(&p, &["input", "contactPhone"], "INVALID");
    let p = refused(
        &app,
        "updateChief",
        APPOINTMENT,
        json!({ "id": a, "duties": [] }),
    )
    .await;
    assert_error(&p, &["input", "duties"], "REQUIRED");
    let p = appoint_refused(
        &app,
        input(
            "GRID_WORKER",
            &holder,
            json!({ "gridId": f.grid }),
            "not a phone",
            "2030-01-01",
        ),
    )
    .await;
    assert_error(&p, &["input", "contactPhone"], "INVALID");
    let now = node(&app, &a, "... on ChiefAppointment { contactPhone duties }").await;
    assert_eq!(now["contactPhone"], "13700001111");
    assert_eq!(now["duties"], json!(["RESIDENT_HELPER"]));
}

#[tokio::test]
async fn scopes_must_fit_the_level_and_the_variant() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let f = &w.f;
    let h = person(&app, f, "候选人", false).await;
    let phone = "13900000009";
    let refuse = |level: &str, scope: Value| input(level, &h, scope, phone, "2024-01-01");

    // A missing scope field is required.
    for (level, scope, field) in [
        ("AREA_CHIEF", json!({}), "communityId"),
        (
            "COMMUNITY_CHIEF",
            json!({ "gridId": f.grid }),
            "communityId",
        ),
        (
            "GRID_CHIEF",
            json!({ "communityId": f.community }),
            "gridId",
        ),
        ("GRID_WORKER", json!({}), "gridId"),
        (
            "BUILDING_CHIEF",
            json!({ "compoundId": f.compound }),
            "buildingId",
        ),
        (
            "FLOOR_CHIEF",
            json!({ "buildingId": f.building, "floorFrom": 1 }),
            "floorTo",
        ),
        (
            "FLOOR_CHIEF",
            json!({ "buildingId": f.building, "floorTo": 3 }),
            "floorFrom",
        ),
        ("ALLEY_CHIEF", json!({ "compoundId": w.bungalow }), "label"),
        ("ALLEY_CHIEF", json!({ "label": "槐树巷" }), "compoundId"),
        (
            "COURTYARD_CHIEF",
            json!({ "compoundId": w.bungalow }),
            "buildingId",
        ),
        (
            "MARKET_SUPERVISOR",
            json!({ "buildingId": w.shops }),
            "compoundId",
        ),
        (
            "SHOP_CHIEF",
            json!({ "compoundId": w.street }),
            "buildingId",
        ),
    ] {
        let p = appoint_refused(&app, refuse(level, scope)).await;
        assert_error(&p, &["input", "scope", field], "REQUIRED");
    }
    let p = appoint_refused(
        &app,
        refuse(
            "ALLEY_CHIEF",
            json!({ "compoundId": w.bungalow, "label": "  " }),
        ),
    )
    .await;
    assert_error(&p, &["input", "scope", "label"], "REQUIRED");

    // Levels 4 and 5 serve only compounds of their variant.
    for (level, scope) in [
        ("BUILDING_CHIEF", json!({ "buildingId": w.courtyard })),
        ("BUILDING_CHIEF", json!({ "buildingId": w.block })),
        (
            "FLOOR_CHIEF",
            json!({ "buildingId": w.block, "floorFrom": 1, "floorTo": 2 }),
        ),
        (
            "ALLEY_CHIEF",
            json!({ "compoundId": f.compound, "label": "翠苑路" }),
        ),
        ("COURTYARD_CHIEF", json!({ "buildingId": f.building })),
        ("MARKET_SUPERVISOR", json!({ "compoundId": f.compound })),
        ("MARKET_SUPERVISOR", json!({ "compoundId": w.bungalow })),
        ("SHOP_CHIEF", json!({ "buildingId": f.building })),
    ] {
        let p = appoint_refused(&app, refuse(level, scope.clone())).await;
        assert_error(&p, &["input", "level"], "INVALID");
    }

    // A courtyard chief covers a courtyard, not an apartment block.
    let p = appoint_refused(
        &app,
        refuse("COURTYARD_CHIEF", json!({ "buildingId": w.block })),
    )
    .await;
    assert_error(&p, &["input", "scope", "buildingId"], "INVALID");

    // A floor range lies within the building's floors.
    for (from, to) in [(5, 7), (0, 2), (4, 3), (-1, 1), (7, 7)] {
        let p = appoint_refused(
            &app,
            refuse(
                "FLOOR_CHIEF",
                json!({ "buildingId": f.building, "floorFrom": from, "floorTo": to }),
            ),
        )
        .await;
        assert!(
            p["userErrors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["code"] == "OUT_OF_RANGE" && e["field"][1] == "scope"),
            "floors {from}–{to}: {p:#}"
        );
    }

    // An ID of the wrong kind in the scope is the user's error.
    let p = appoint_refused(&app, refuse("GRID_CHIEF", json!({ "gridId": f.community }))).await;
    assert_error(&p, &["input", "scope", "gridId"], "INVALID");

    // Nothing of this was appointed.
    let listed = node(
        &app,
        &f.compound,
        "... on Compound { chiefs(filter: { includePast: true }) { edges { node { id } } } }",
    )
    .await;
    assert_eq!(listed["chiefs"]["edges"], json!([]));
    assert_eq!(chain(&app, &f.dwellings[0]).await, vec![]);
}

#[tokio::test]
async fn single_holder_positions_have_one_holder_at_a_time() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let f = &w.f;
    let a = person(&app, f, "甲", false).await;
    let b = person(&app, f, "乙", false).await;
    let c = person(&app, f, "丙", false).await;
    let phone = "13900000010";
    let go =
        |level: &str, who: &str, scope: Value, from: &str| input(level, who, scope, phone, from);
    let building = json!({ "buildingId": f.building });

    // One building chief at a time.
    let first = id(&run(
        &app,
        "appointChief",
        APPOINTMENT,
        go("BUILDING_CHIEF", &a, building.clone(), "2024-01-01"),
    )
    .await["appointment"]);
    let p = appoint_refused(
        &app,
        go("BUILDING_CHIEF", &b, building.clone(), "2025-01-01"),
    )
    .await;
    assert_error(&p, &["input", "scope"], "CONFLICT");
    // Also refused when the new term ends before the old one started…
    let p = appoint_refused(
        &app,
        json!({ "level": "BUILDING_CHIEF", "personId": b, "scope": building, "contactPhone": phone,
                "startsOn": "2023-01-01", "endsOn": "2024-01-01" }),
    )
    .await;
    assert_error(&p, &["input", "scope"], "CONFLICT");
    // …but a term that ends the day before is fine.
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        json!({ "level": "BUILDING_CHIEF", "personId": b, "scope": building, "contactPhone": phone,
                "startsOn": "2023-01-01", "endsOn": "2023-12-31" }),
    )
    .await;
    // Ending the holder makes room for a successor from the next day.
    let ended = end_chief(&app, &first, "2025-12-31").await;
    assert_eq!(ended["endsOn"], "2025-12-31");
    let p = refused(
        &app,
        "endChief",
        APPOINTMENT,
        json!({ "id": first, "endsOn": "2026-01-31" }),
    )
    .await;
    assert_error(&p, &["input", "id"], "INVALID_STATE");
    let p = appoint_refused(
        &app,
        go("BUILDING_CHIEF", &c, building.clone(), "2025-12-31"),
    )
    .await;
    assert_error(&p, &["input", "scope"], "CONFLICT");
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        go("BUILDING_CHIEF", &c, building.clone(), "2026-01-01"),
    )
    .await;
    // Another building has its own chief.
    let other_building = create(
        &app,
        "createBuilding",
        json!({ "compoundId": f.compound, "name": "2号楼", "floors": 6, "gridId": f.grid }),
    )
    .await;
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        go(
            "BUILDING_CHIEF",
            &a,
            json!({ "buildingId": other_building }),
            "2026-01-01",
        ),
    )
    .await;

    // Grid chiefs are single, grid workers are not.
    let grid = json!({ "gridId": f.grid });
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        go("GRID_CHIEF", &a, grid.clone(), "2024-01-01"),
    )
    .await;
    let p = appoint_refused(&app, go("GRID_CHIEF", &b, grid.clone(), "2024-06-01")).await;
    assert_error(&p, &["input", "scope"], "CONFLICT");
    let w1 = id(&run(
        &app,
        "appointChief",
        APPOINTMENT,
        go("GRID_WORKER", &b, grid.clone(), "2024-01-01"),
    )
    .await["appointment"]);
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        go("GRID_WORKER", &c, grid.clone(), "2024-01-01"),
    )
    .await;
    // A person's terms in one position never overlap, even where several may serve.
    let p = appoint_refused(&app, go("GRID_WORKER", &b, grid.clone(), "2025-01-01")).await;
    assert_error(&p, &["input", "startsOn"], "CONFLICT");
    let p = appoint_refused(&app, go("GRID_CHIEF", &a, grid.clone(), "2025-01-01")).await;
    assert_error(&p, &["input", "startsOn"], "CONFLICT");
    end_chief(&app, &w1, "2024-12-31").await;
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        go("GRID_WORKER", &b, grid.clone(), "2025-01-01"),
    )
    .await;

    // Area and community chiefs: one each per community.
    let community = json!({ "communityId": f.community });
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        go("AREA_CHIEF", &a, community.clone(), "2024-01-01"),
    )
    .await;
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        go("COMMUNITY_CHIEF", &b, community.clone(), "2024-01-01"),
    )
    .await;
    let p = appoint_refused(
        &app,
        go("COMMUNITY_CHIEF", &c, community.clone(), "2024-01-01"),
    )
    .await;
    assert_error(&p, &["input", "scope"], "CONFLICT");
    let p = appoint_refused(&app, go("AREA_CHIEF", &c, community.clone(), "2024-01-01")).await;
    assert_error(&p, &["input", "scope"], "CONFLICT");

    // Floor chiefs: ranges of one building never overlap; adjacent ranges are fine.
    let floors =
        |from: i32, to: i32| json!({ "buildingId": f.building, "floorFrom": from, "floorTo": to });
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        go("FLOOR_CHIEF", &a, floors(1, 3), "2024-01-01"),
    )
    .await;
    for (from, to) in [(3, 4), (1, 1), (2, 6), (1, 6)] {
        let p = appoint_refused(&app, go("FLOOR_CHIEF", &b, floors(from, to), "2024-01-01")).await;
        assert_error(&p, &["input", "scope"], "CONFLICT");
    }
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        go("FLOOR_CHIEF", &b, floors(4, 6), "2024-01-01"),
    )
    .await;
    // The same floors of another building are another position.
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        go(
            "FLOOR_CHIEF",
            &c,
            json!({ "buildingId": other_building, "floorFrom": 1, "floorTo": 3 }),
            "2024-01-01",
        ),
    )
    .await;

    // Alley chiefs: one per alley of a bungalow area.
    let alley = |label: &str| json!({ "compoundId": w.bungalow, "label": label });
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        go("ALLEY_CHIEF", &a, alley("槐树巷"), "2024-01-01"),
    )
    .await;
    let p = appoint_refused(&app, go("ALLEY_CHIEF", &b, alley("槐树巷"), "2024-01-01")).await;
    assert_error(&p, &["input", "scope"], "CONFLICT");
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        go("ALLEY_CHIEF", &b, alley("榆树巷"), "2024-01-01"),
    )
    .await;

    // Courtyard, market supervisor and shop chiefs are single too.
    for (level, scope) in [
        ("COURTYARD_CHIEF", json!({ "buildingId": w.courtyard })),
        ("MARKET_SUPERVISOR", json!({ "compoundId": w.street })),
        ("SHOP_CHIEF", json!({ "buildingId": w.shops })),
    ] {
        run(
            &app,
            "appointChief",
            APPOINTMENT,
            go(level, &a, scope.clone(), "2024-01-01"),
        )
        .await;
        let p = appoint_refused(&app, go(level, &b, scope, "2024-01-01")).await;
        assert_error(&p, &["input", "scope"], "CONFLICT");
    }
}

#[tokio::test]
async fn the_chain_of_an_apartment_dwelling_runs_from_its_floor_chief_up() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let f = &w.f;
    upper_levels(&app, &w).await;
    appoint(
        &app,
        &w,
        "BUILDING_CHIEF",
        "楼栋长",
        json!({ "buildingId": f.building }),
        "13900000010",
    )
    .await;
    let low = json!({ "buildingId": f.building, "floorFrom": 1, "floorTo": 3 });
    // An earlier floor chief of the same floors, whose term has ended.
    let gone = appoint_from(
        &app,
        &w,
        "FLOOR_CHIEF",
        "前任楼层长",
        low.clone(),
        "13900000020",
        "2022-01-01",
    )
    .await;
    end_chief(&app, &id(&gone), "2023-12-31").await;
    let holder = person(&app, f, "楼层长一", false).await;
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        input("FLOOR_CHIEF", &holder, low, "13900000011", "2024-01-01"),
    )
    .await;
    appoint(
        &app,
        &w,
        "FLOOR_CHIEF",
        "楼层长二",
        json!({ "buildingId": f.building, "floorFrom": 4, "floorTo": 6 }),
        "13900000012",
    )
    .await;
    // Chiefs elsewhere answer for other homes.
    let other_building = create(
        &app,
        "createBuilding",
        json!({ "compoundId": f.compound, "name": "2号楼", "floors": 6, "gridId": f.grid }),
    )
    .await;
    appoint(
        &app,
        &w,
        "BUILDING_CHIEF",
        "二号楼楼栋长",
        json!({ "buildingId": other_building }),
        "13900000013",
    )
    .await;
    appoint(
        &app,
        &w,
        "MARKET_SUPERVISOR",
        "监长",
        json!({ "compoundId": w.street }),
        "13900000014",
    )
    .await;
    appoint(
        &app,
        &w,
        "COURTYARD_CHIEF",
        "院落长",
        json!({ "buildingId": w.courtyard }),
        "13900000015",
    )
    .await;
    // A chief whose term starts later is not serving yet.
    let later = person(&app, f, "未到任网格员", false).await;
    run(
        &app,
        "appointChief",
        APPOINTMENT,
        input(
            "GRID_WORKER",
            &later,
            json!({ "gridId": f.grid }),
            "13900000016",
            "2099-01-01",
        ),
    )
    .await;

    assert_eq!(
        chain(&app, &f.dwellings[0]).await,
        expected(&[
            ("FLOOR_CHIEF", "楼层长一", "13900000011", 5),
            ("BUILDING_CHIEF", "楼栋长", "13900000010", 4),
        ]),
        "floor 2"
    );
    assert_eq!(
        chain(&app, &f.dwellings[1]).await,
        expected(&[
            ("FLOOR_CHIEF", "楼层长二", "13900000012", 5),
            ("BUILDING_CHIEF", "楼栋长", "13900000010", 4),
        ]),
        "floor 5"
    );

    // Anyone may read the placard; the holders' own numbers stay masked.
    let data = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Dwelling { responsibleChain {
                scopeDescription duties holder { name phone idNumber personalDataVisible } } } } }",
            json!({ "id": f.dwellings[0] }),
        )
        .await;
    let first = &data["node"]["responsibleChain"][0];
    assert_eq!(first["scopeDescription"], "1号楼 1–3层");
    assert_eq!(first["duties"].as_array().unwrap().len(), 6);
    assert_eq!(first["holder"]["name"], "楼层长一");
    assert_eq!(first["holder"]["phone"], "138****5678");
    assert_eq!(first["holder"]["idNumber"], "110105**********2X");
    assert_eq!(first["holder"]["personalDataVisible"], false);

    // When the building chief leaves, the chain skips the empty rung.
    let current = node(
        &app,
        &f.compound,
        "... on Compound { chiefs(filter: { level: BUILDING_CHIEF }) { edges { node { id holderName } } } }",
    )
    .await;
    let building_chief = current["chiefs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["holderName"] == "楼栋长")
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .expect("the building chief is listed");
    end_chief(&app, &building_chief, "2024-12-31").await;
    assert_eq!(
        chain(&app, &f.dwellings[0]).await,
        expected(&[("FLOOR_CHIEF", "楼层长一", "13900000011", 5)])
    );
}

#[tokio::test]
async fn the_chain_of_a_courtyard_home_runs_through_its_alley() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let f = &w.f;
    upper_levels(&app, &w).await;
    let second_courtyard = create(
        &app,
        "createBuilding",
        json!({ "compoundId": w.bungalow, "name": "二号院", "kind": "COURTYARD", "alley": "榆树巷", "gridId": f.grid }),
    )
    .await;
    let second_home = create(
        &app,
        "createDwelling",
        json!({ "buildingId": second_courtyard, "number": "二号院-1", "exclusiveArea": "55.00" }),
    )
    .await;
    appoint(
        &app,
        &w,
        "COURTYARD_CHIEF",
        "一号院院落长",
        json!({ "buildingId": w.courtyard }),
        "13900000021",
    )
    .await;
    appoint(
        &app,
        &w,
        "COURTYARD_CHIEF",
        "二号院院落长",
        json!({ "buildingId": second_courtyard }),
        "13900000022",
    )
    .await;
    appoint(
        &app,
        &w,
        "ALLEY_CHIEF",
        "槐树巷巷道长",
        json!({ "compoundId": w.bungalow, "label": "槐树巷" }),
        "13900000023",
    )
    .await;
    appoint(
        &app,
        &w,
        "ALLEY_CHIEF",
        "榆树巷巷道长",
        json!({ "compoundId": w.bungalow, "label": "榆树巷" }),
        "13900000024",
    )
    .await;
    // Apartment-compound chiefs of the same grid are no part of this chain.
    appoint(
        &app,
        &w,
        "BUILDING_CHIEF",
        "楼栋长",
        json!({ "buildingId": f.building }),
        "13900000025",
    )
    .await;

    assert_eq!(
        chain(&app, &w.courtyard_home).await,
        expected(&[
            ("COURTYARD_CHIEF", "一号院院落长", "13900000021", 5),
            ("ALLEY_CHIEF", "槐树巷巷道长", "13900000023", 4),
        ])
    );
    assert_eq!(
        chain(&app, &second_home).await,
        expected(&[
            ("COURTYARD_CHIEF", "二号院院落长", "13900000022", 5),
            ("ALLEY_CHIEF", "榆树巷巷道长", "13900000024", 4),
        ])
    );
    // The courtyard's alley decides its alley chief.
    run(
        &app,
        "updateBuilding",
        "building { alley }",
        json!({ "id": second_courtyard, "alley": "槐树巷" }),
    )
    .await;
    assert_eq!(
        chain(&app, &second_home).await,
        expected(&[
            ("COURTYARD_CHIEF", "二号院院落长", "13900000022", 5),
            ("ALLEY_CHIEF", "槐树巷巷道长", "13900000023", 4),
        ])
    );
}

#[tokio::test]
async fn the_chain_of_a_shop_runs_through_the_market_supervisor() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let f = &w.f;
    upper_levels(&app, &w).await;
    let other_street = create(
        &app,
        "createCompound",
        json!({ "communityId": f.community, "name": "文二街商区", "kind": "COMMERCIAL_STREET" }),
    )
    .await;
    appoint(
        &app,
        &w,
        "SHOP_CHIEF",
        "门店长",
        json!({ "buildingId": w.shops, "label": "东段1–10号" }),
        "13900000031",
    )
    .await;
    appoint(
        &app,
        &w,
        "MARKET_SUPERVISOR",
        "文三街监长",
        json!({ "compoundId": w.street }),
        "13900000032",
    )
    .await;
    appoint(
        &app,
        &w,
        "MARKET_SUPERVISOR",
        "文二街监长",
        json!({ "compoundId": other_street }),
        "13900000033",
    )
    .await;

    assert_eq!(
        chain(&app, &w.shop).await,
        expected(&[
            ("SHOP_CHIEF", "门店长", "13900000031", 5),
            ("MARKET_SUPERVISOR", "文三街监长", "13900000032", 4),
        ])
    );
}

#[tokio::test]
async fn compound_chiefs_are_listed_and_filtered_by_level() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let f = &w.f;
    upper_levels(&app, &w).await;
    appoint(
        &app,
        &w,
        "BUILDING_CHIEF",
        "楼栋长",
        json!({ "buildingId": f.building }),
        "13900000041",
    )
    .await;
    let gone = appoint_from(
        &app,
        &w,
        "FLOOR_CHIEF",
        "前任楼层长",
        json!({ "buildingId": f.building, "floorFrom": 1, "floorTo": 2 }),
        "13900000042",
        "2022-01-01",
    )
    .await;
    end_chief(&app, &id(&gone), "2023-12-31").await;
    appoint(
        &app,
        &w,
        "FLOOR_CHIEF",
        "楼层长一",
        json!({ "buildingId": f.building, "floorFrom": 1, "floorTo": 3 }),
        "13900000043",
    )
    .await;
    appoint(
        &app,
        &w,
        "FLOOR_CHIEF",
        "楼层长二",
        json!({ "buildingId": f.building, "floorFrom": 4, "floorTo": 6 }),
        "13900000044",
    )
    .await;
    appoint(
        &app,
        &w,
        "MARKET_SUPERVISOR",
        "监长",
        json!({ "compoundId": w.street }),
        "13900000045",
    )
    .await;

    let list = |filter: Value| {
        let app = &app;
        let compound = f.compound.clone();
        async move {
            let data = app
                .ok(
                    None,
                    "query($id: ID!, $f: ChiefFilter) { node(id: $id) { ... on Compound { chiefs(filter: $f) {
                        edges { node { level holderName contactPhone compound { id } } } } } } }",
                    json!({ "id": compound, "f": filter }),
                )
                .await;
            data["node"]["chiefs"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    assert_eq!(e["node"]["compound"]["id"], compound.as_str());
                    (
                        e["node"]["level"].as_str().unwrap().to_owned(),
                        e["node"]["holderName"].as_str().unwrap().to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let pairs = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };

    assert_eq!(
        list(Value::Null).await,
        pairs(&[
            ("BUILDING_CHIEF", "楼栋长"),
            ("FLOOR_CHIEF", "楼层长一"),
            ("FLOOR_CHIEF", "楼层长二"),
        ])
    );
    assert_eq!(
        list(json!({ "level": "FLOOR_CHIEF" })).await,
        pairs(&[("FLOOR_CHIEF", "楼层长一"), ("FLOOR_CHIEF", "楼层长二")])
    );
    assert_eq!(
        list(json!({ "level": "FLOOR_CHIEF", "includePast": true })).await,
        pairs(&[
            ("FLOOR_CHIEF", "前任楼层长"),
            ("FLOOR_CHIEF", "楼层长一"),
            ("FLOOR_CHIEF", "楼层长二"),
        ])
    );
    assert_eq!(
        list(json!({ "level": "BUILDING_CHIEF" })).await,
        pairs(&[("BUILDING_CHIEF", "楼栋长")])
    );
    assert_eq!(list(json!({ "level": "GRID_CHIEF" })).await, pairs(&[]));

    // The commercial street lists its own supervisor.
    let data = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Compound { chiefs(filter: { level: MARKET_SUPERVISOR }) {
                edges { node { holderName contactPhone } } } } } }",
            json!({ "id": w.street }),
        )
        .await;
    assert_eq!(
        data["node"]["chiefs"]["edges"],
        json!([{ "node": { "holderName": "监长", "contactPhone": "13900000045" } }])
    );
}

/// An alley is a name like any other: typed with stray spaces on the
/// courtyard, it still leads to the alley's chief.
#[tokio::test]
async fn a_courtyard_alley_typed_with_spaces_still_finds_its_chief() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let f = &w.f;
    let courtyard = create(
        &app,
        "createBuilding",
        json!({ "compoundId": w.bungalow, "name": "三号院", "kind": "COURTYARD", "alley": " 槐树巷 ", "gridId": f.grid }),
    )
    .await;
    let home = create(
        &app,
        "createDwelling",
        json!({ "buildingId": courtyard, "number": "三号院-1", "exclusiveArea": "48.00" }),
    )
    .await;
    appoint(
        &app,
        &w,
        "ALLEY_CHIEF",
        "槐树巷巷道长",
        json!({ "compoundId": w.bungalow, "label": "槐树巷" }),
        "13900000051",
    )
    .await;
    let levels: Vec<String> = chain(&app, &home).await.into_iter().map(|c| c.0).collect();
    assert_eq!(levels, ["ALLEY_CHIEF"]);
    let again: Vec<String> = chain(&app, &w.courtyard_home)
        .await
        .into_iter()
        .map(|c| c.0)
        .collect();
    assert_eq!(again, ["ALLEY_CHIEF"]);
}
