//! The register over HTTP: subdistricts, communities, grids, compounds,
//! buildings, entrances and dwellings; listing, filtering and Relay
//! pagination; global IDs; people and their ties to dwellings.
//!
//! The small mutation helpers at the top (`op`, `run`, `refused`,
//! `assert_error`, …) are shared with `parties` and `chiefs`.
//!
//! Longer than 800 lines on purpose: each test is a whole scenario told
//! from setup to last assertion, and the area's scenarios share the setup
//! helpers of this one file; splitting it would scatter both.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use compound_api::entity::{building, compound, dwelling, person};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::{TestApp, fixture, spawn_app};

pub(crate) const ERRORS: &str = "userErrors { field message code }";

/// A mutation `name` taking `$input` and selecting `selection` and the user errors.
pub(crate) fn op(name: &str, selection: &str) -> String {
    let input = match name {
        "endResidency" | "endOwnership" => "EndTieInput".to_owned(),
        _ => format!("{}{}Input", name[..1].to_uppercase(), &name[1..]),
    };
    format!("mutation($input: {input}!) {{ {name}(input: $input) {{ {selection} {ERRORS} }} }}")
}

/// Runs mutation `name` as the admin; it must succeed. Returns its payload.
pub(crate) async fn run(app: &TestApp, name: &str, selection: &str, input: Value) -> Value {
    app.mutate(&app.admin_token, name, &op(name, selection), input)
        .await
}

/// Runs mutation `name` as the admin; it must be refused with user errors.
/// Returns its payload.
pub(crate) async fn refused(app: &TestApp, name: &str, selection: &str, input: Value) -> Value {
    let data = app
        .ok(
            Some(&app.admin_token),
            &op(name, selection),
            json!({ "input": input }),
        )
        .await;
    let payload = data[name].clone();
    assert!(
        payload["userErrors"]
            .as_array()
            .is_some_and(|e| !e.is_empty()),
        "expected {name} to be refused: {payload:#}"
    );
    payload
}

/// Asserts that `payload` carries a user error of `code` at `field`.
pub(crate) fn assert_error(payload: &Value, field: &[&str], code: &str) {
    let errors = payload["userErrors"].as_array().expect("userErrors");
    assert!(
        errors
            .iter()
            .any(|e| e["field"] == json!(field) && e["code"] == code),
        "expected a {code} error at {field:?}, got {payload:#}"
    );
}

/// Asserts that a response failed as a whole with `extensions.code` = `code`.
pub(crate) fn assert_request_error(body: &Value, code: &str) {
    let errors = body["errors"].as_array().unwrap_or_else(|| {
        panic!("expected errors, got {body:#}");
    });
    assert!(
        errors.iter().any(|e| e["extensions"]["code"] == code),
        "expected a {code} error, got {body:#}"
    );
}

pub(crate) fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v:#}"))
        .to_owned()
}

/// The global ID of row `n` of `kind`, built as the API builds it.
fn global_id(kind: &str, n: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{n}"))
}

pub(crate) async fn node(app: &TestApp, id: &str, fragment: &str) -> Value {
    let q = format!("query($id: ID!) {{ node(id: $id) {{ __typename id {fragment} }} }}");
    app.ok(Some(&app.admin_token), &q, json!({ "id": id }))
        .await["node"]
        .clone()
}

async fn new_district(app: &TestApp, name: &str) -> String {
    id(&run(
        app,
        "createDistrict",
        "district { id }",
        json!({ "name": name }),
    )
    .await["district"])
}

async fn new_subdistrict(app: &TestApp, name: &str) -> String {
    let district = new_district(app, &format!("{name}所在区")).await;
    id(&run(
        app,
        "createSubdistrict",
        "subdistrict { id }",
        json!({ "districtId": district, "name": name }),
    )
    .await["subdistrict"])
}

async fn new_community(app: &TestApp, subdistrict: &str, name: &str) -> String {
    id(&run(
        app,
        "createCommunity",
        "community { id }",
        json!({ "subdistrictId": subdistrict, "name": name }),
    )
    .await["community"])
}

async fn new_grid(app: &TestApp, community: &str, name: &str) -> String {
    id(&run(
        app,
        "createGrid",
        "grid { id }",
        json!({ "communityId": community, "name": name }),
    )
    .await["grid"])
}

async fn new_compound(app: &TestApp, community: &str, name: &str, kind: &str) -> String {
    id(&run(
        app,
        "createCompound",
        "compound { id }",
        json!({ "communityId": community, "name": name, "kind": kind }),
    )
    .await["compound"])
}

async fn new_building(app: &TestApp, compound: &str, name: &str) -> String {
    id(&run(
        app,
        "createBuilding",
        "building { id }",
        json!({ "compoundId": compound, "name": name, "floors": 6 }),
    )
    .await["building"])
}

async fn new_entrance(app: &TestApp, building: &str, name: &str) -> String {
    id(&run(
        app,
        "createEntrance",
        "entrance { id }",
        json!({ "buildingId": building, "name": name }),
    )
    .await["entrance"])
}

async fn new_person(app: &TestApp, community: &str, name: &str) -> String {
    id(&run(
        app,
        "createPerson",
        "person { id }",
        json!({ "communityId": community, "name": name, "phone": "13912345678" }),
    )
    .await["person"])
}

async fn compound_names(app: &TestApp, filter: Value) -> Vec<String> {
    let data = app
        .ok(
            None,
            "query($f: CompoundFilter) { compounds(filter: $f, first: 100) { edges { node { name } } } }",
            json!({ "f": filter }),
        )
        .await;
    data["compounds"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn register_units_are_created_updated_and_read_back() {
    let app = spawn_app().await;

    // District: create with a code, rename, clear the code.
    let district = run(
        &app,
        "createDistrict",
        "district { id name code }",
        json!({ "name": "西湖区", "code": "330106" }),
    )
    .await["district"]
        .clone();
    assert_eq!(district["code"], "330106");
    let district_id = id(&district);
    let district = run(
        &app,
        "updateDistrict",
        "district { id name code }",
        json!({ "id": district_id, "name": "西溪区", "code": null }),
    )
    .await["district"]
        .clone();
    assert_eq!(district["name"], "西溪区");
    assert_eq!(district["code"], Value::Null);

    // Subdistrict: create with a code in the district, rename, clear the code.
    let sd = run(
        &app,
        "createSubdistrict",
        "subdistrict { id name code district { id name } }",
        json!({ "districtId": district_id, "name": "西湖街道", "code": "330106001" }),
    )
    .await["subdistrict"]
        .clone();
    assert_eq!(sd["name"], "西湖街道");
    assert_eq!(sd["code"], "330106001");
    assert_eq!(sd["district"]["name"], "西溪区");
    let sd_id = id(&sd);
    let sd = run(
        &app,
        "updateSubdistrict",
        "subdistrict { id name code }",
        json!({ "id": sd_id, "name": "西溪街道", "code": null }),
    )
    .await["subdistrict"]
        .clone();
    assert_eq!(sd["name"], "西溪街道");
    assert_eq!(sd["code"], Value::Null);

    // Community: create and rename.
    let community = new_community(&app, &sd_id, "文新社区").await;
    let c = run(
        &app,
        "updateCommunity",
        "community { id name subdistrict { id } }",
        json!({ "id": community, "name": "文新一社区" }),
    )
    .await["community"]
        .clone();
    assert_eq!(c["name"], "文新一社区");
    assert_eq!(c["subdistrict"]["id"], sd_id.as_str());

    // Grid: create with a code; a rename keeps the code; null clears it.
    let grid = run(
        &app,
        "createGrid",
        "grid { id name code }",
        json!({ "communityId": community, "name": "第一网格", "code": "G-01" }),
    )
    .await["grid"]
        .clone();
    assert_eq!(grid["code"], "G-01");
    let grid_id = id(&grid);
    let grid = run(
        &app,
        "updateGrid",
        "grid { name code }",
        json!({ "id": grid_id, "name": "一号网格" }),
    )
    .await["grid"]
        .clone();
    assert_eq!(grid, json!({ "name": "一号网格", "code": "G-01" }));
    let grid = run(
        &app,
        "updateGrid",
        "grid { name code }",
        json!({ "id": grid_id, "code": null }),
    )
    .await["grid"]
        .clone();
    assert_eq!(grid, json!({ "name": "一号网格", "code": null }));

    // Compound: create with an address; change name, kind and clear the address.
    let cp = run(
        &app,
        "createCompound",
        "compound { id name kind chainVariant address community { id } }",
        json!({ "communityId": community, "name": "文鼎苑", "kind": "COMMODITY_HOUSING", "address": "文一路 100 号" }),
    )
    .await["compound"]
        .clone();
    assert_eq!(cp["kind"], "COMMODITY_HOUSING");
    assert_eq!(cp["chainVariant"], "APARTMENT_COMPOUND");
    assert_eq!(cp["address"], "文一路 100 号");
    assert_eq!(cp["community"]["id"], community.as_str());
    let compound_id = id(&cp);
    let cp = run(
        &app,
        "updateCompound",
        "compound { name kind chainVariant address }",
        json!({ "id": compound_id, "name": "文鼎苑北区", "kind": "BUNGALOW_AREA", "address": null }),
    )
    .await["compound"]
        .clone();
    assert_eq!(
        cp,
        json!({ "name": "文鼎苑北区", "kind": "BUNGALOW_AREA", "chainVariant": "BUNGALOW_AREA", "address": null })
    );
    let cp = run(
        &app,
        "updateCompound",
        "compound { name kind address }",
        json!({ "id": compound_id, "kind": "OLD_COMPOUND" }),
    )
    .await["compound"]
        .clone();
    assert_eq!(
        cp,
        json!({ "name": "文鼎苑北区", "kind": "OLD_COMPOUND", "address": null })
    );

    // Building: defaults, then a partial update leaves other fields alone.
    let b = run(
        &app,
        "createBuilding",
        "building { id name kind floors alley isRental grid { id } compound { id } }",
        json!({ "compoundId": compound_id, "name": "1幢", "gridId": grid_id, "floors": 18 }),
    )
    .await["building"]
        .clone();
    assert_eq!(b["kind"], "APARTMENT");
    assert_eq!(b["floors"], 18);
    assert_eq!(b["isRental"], false);
    assert_eq!(b["alley"], Value::Null);
    assert_eq!(b["grid"]["id"], grid_id.as_str());
    assert_eq!(b["compound"]["id"], compound_id.as_str());
    let building_id = id(&b);
    let b = run(
        &app,
        "updateBuilding",
        "building { name kind floors alley isRental grid { id } }",
        json!({ "id": building_id, "name": "2幢", "floors": 20, "isRental": true, "alley": "文一巷" }),
    )
    .await["building"]
        .clone();
    assert_eq!(
        b,
        json!({ "name": "2幢", "kind": "APARTMENT", "floors": 20, "alley": "文一巷", "isRental": true, "grid": { "id": grid_id } })
    );
    let b = run(
        &app,
        "updateBuilding",
        "building { name floors grid { id } }",
        json!({ "id": building_id, "gridId": null }),
    )
    .await["building"]
        .clone();
    assert_eq!(b, json!({ "name": "2幢", "floors": 20, "grid": null }));

    // Entrance: create and rename.
    let entrance = new_entrance(&app, &building_id, "1单元").await;
    let e = run(
        &app,
        "updateEntrance",
        "entrance { name building { id } }",
        json!({ "id": entrance, "name": "一单元" }),
    )
    .await["entrance"]
        .clone();
    assert_eq!(
        e,
        json!({ "name": "一单元", "building": { "id": building_id } })
    );

    // Dwelling: create with every field, then correct area and floor.
    let d = run(
        &app,
        "createDwelling",
        "dwelling { id number floor exclusiveArea developerHeld entrance { id } building { id } }",
        json!({ "buildingId": building_id, "entranceId": entrance, "floor": 3, "number": "2-301", "exclusiveArea": "89.50", "developerHeld": true }),
    )
    .await["dwelling"]
        .clone();
    assert_eq!(d["number"], "2-301");
    assert_eq!(d["floor"], 3);
    assert_eq!(d["exclusiveArea"], "89.50");
    assert_eq!(d["developerHeld"], true);
    assert_eq!(d["entrance"]["id"], entrance.as_str());
    assert_eq!(d["building"]["id"], building_id.as_str());
    let dwelling_id = id(&d);
    let d = run(
        &app,
        "updateDwelling",
        "dwelling { number floor exclusiveArea developerHeld entrance { id } }",
        json!({ "id": dwelling_id, "floor": 4, "number": "2-401", "exclusiveArea": "90.05", "developerHeld": false, "entranceId": null }),
    )
    .await["dwelling"]
        .clone();
    assert_eq!(
        d,
        json!({ "number": "2-401", "floor": 4, "exclusiveArea": "90.05", "developerHeld": false, "entrance": null })
    );

    // Everything reads back the same in a fresh request.
    assert_eq!(
        node(&app, &sd_id, "... on Subdistrict { name code }").await,
        json!({ "__typename": "Subdistrict", "id": sd_id, "name": "西溪街道", "code": null })
    );
    assert_eq!(
        node(&app, &community, "... on Community { name }").await["name"],
        "文新一社区"
    );
    assert_eq!(
        node(&app, &compound_id, "... on Compound { name kind address }").await,
        json!({ "__typename": "Compound", "id": compound_id, "name": "文鼎苑北区", "kind": "OLD_COMPOUND", "address": null })
    );
    assert_eq!(
        node(
            &app,
            &building_id,
            "... on Building { name floors alley isRental }"
        )
        .await,
        json!({ "__typename": "Building", "id": building_id, "name": "2幢", "floors": 20, "alley": "文一巷", "isRental": true })
    );
    assert_eq!(
        node(&app, &entrance, "... on Entrance { name }").await["name"],
        "一单元"
    );
    assert_eq!(
        node(
            &app,
            &dwelling_id,
            "... on Dwelling { number floor exclusiveArea developerHeld }"
        )
        .await,
        json!({ "__typename": "Dwelling", "id": dwelling_id, "number": "2-401", "floor": 4, "exclusiveArea": "90.05", "developerHeld": false })
    );
}

#[tokio::test]
async fn compounds_are_filtered_by_community_kind_and_name() {
    let app = spawn_app().await;
    let sd = new_subdistrict(&app, "古荡街道").await;
    let a = new_community(&app, &sd, "翠苑社区").await;
    let b = new_community(&app, &sd, "文新社区").await;
    new_compound(&app, &a, "翠苑一区", "COMMODITY_HOUSING").await;
    new_compound(&app, &a, "翠苑二区", "OLD_COMPOUND").await;
    new_compound(&app, &a, "古荡新村", "VILLAGE_TO_RESIDENCE").await;
    new_compound(&app, &b, "翠苑三区", "COMMODITY_HOUSING").await;
    new_compound(&app, &b, "文三街商区", "COMMERCIAL_STREET").await;

    assert_eq!(
        compound_names(&app, Value::Null).await,
        ["翠苑一区", "翠苑二区", "古荡新村", "翠苑三区", "文三街商区"]
    );
    assert_eq!(
        compound_names(&app, json!({ "communityId": a })).await,
        ["翠苑一区", "翠苑二区", "古荡新村"]
    );
    assert_eq!(
        compound_names(&app, json!({ "communityId": b })).await,
        ["翠苑三区", "文三街商区"]
    );
    assert_eq!(
        compound_names(&app, json!({ "kind": "COMMODITY_HOUSING" })).await,
        ["翠苑一区", "翠苑三区"]
    );
    assert_eq!(
        compound_names(&app, json!({ "nameContains": "翠苑" })).await,
        ["翠苑一区", "翠苑二区", "翠苑三区"]
    );
    assert_eq!(
        compound_names(
            &app,
            json!({ "communityId": a, "kind": "OLD_COMPOUND", "nameContains": "翠苑" })
        )
        .await,
        ["翠苑二区"]
    );
    assert_eq!(
        compound_names(&app, json!({ "communityId": b, "kind": "OLD_COMPOUND" })).await,
        Vec::<String>::new()
    );
    assert_eq!(
        compound_names(&app, json!({ "nameContains": "不存在" })).await,
        Vec::<String>::new()
    );

    // A community filter given the ID of something else is a bad request.
    let grid = new_grid(&app, &a, "第一网格").await;
    let body = app
        .gql(
            None,
            "query($f: CompoundFilter) { compounds(filter: $f) { edges { node { name } } } }",
            json!({ "f": { "communityId": grid } }),
        )
        .await;
    assert_request_error(&body, "BAD_USER_INPUT");
}

/// `nameContains` is text, not a pattern: `%` and `_` match only themselves.
#[tokio::test]
async fn the_name_filter_matches_text_literally() {
    let app = spawn_app().await;
    let sd = new_subdistrict(&app, "古荡街道").await;
    let a = new_community(&app, &sd, "翠苑社区").await;
    new_compound(&app, &a, "翠苑一区", "COMMODITY_HOUSING").await;
    new_compound(&app, &a, "金桂园_二期", "COMMODITY_HOUSING").await;
    new_compound(&app, &a, "绿化率100%家园", "COMMODITY_HOUSING").await;
    assert_eq!(
        compound_names(&app, json!({ "nameContains": "_" })).await,
        ["金桂园_二期"]
    );
    assert_eq!(
        compound_names(&app, json!({ "nameContains": "%" })).await,
        ["绿化率100%家园"]
    );
    assert_eq!(
        compound_names(&app, json!({ "nameContains": "翠苑%" })).await,
        Vec::<String>::new()
    );
}

async fn page(app: &TestApp, community: &str, args: &str) -> Value {
    let q = format!(
        "query($f: CompoundFilter) {{ compounds(filter: $f, {args}) {{ edges {{ cursor node {{ name }} }} pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}"
    );
    app.ok(None, &q, json!({ "f": { "communityId": community } }))
        .await["compounds"]
        .clone()
}

fn names(conn: &Value) -> Vec<&str> {
    conn["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap())
        .collect()
}

fn flags(conn: &Value) -> (bool, bool) {
    (
        conn["pageInfo"]["hasPreviousPage"].as_bool().unwrap(),
        conn["pageInfo"]["hasNextPage"].as_bool().unwrap(),
    )
}

fn cursor(conn: &Value, which: &str) -> String {
    conn["pageInfo"][which].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn relay_pagination_pages_both_ways_and_refuses_bad_requests() {
    let app = spawn_app().await;
    let sd = new_subdistrict(&app, "古荡街道").await;
    let community = new_community(&app, &sd, "翠苑社区").await;
    // Another community's compounds must never show up in these pages.
    let other = new_community(&app, &sd, "文新社区").await;
    for n in ["一区", "二区", "三区", "四区", "五区"] {
        new_compound(&app, &community, n, "COMMODITY_HOUSING").await;
        new_compound(&app, &other, &format!("文新{n}"), "COMMODITY_HOUSING").await;
    }

    // Forward.
    let p1 = page(&app, &community, "first: 2").await;
    assert_eq!(names(&p1), ["一区", "二区"]);
    assert_eq!(flags(&p1), (false, true));
    assert_eq!(
        cursor(&p1, "endCursor"),
        p1["edges"][1]["cursor"].as_str().unwrap()
    );
    let after = cursor(&p1, "endCursor");
    let p2 = page(&app, &community, &format!("first: 2, after: \"{after}\"")).await;
    assert_eq!(names(&p2), ["三区", "四区"]);
    assert_eq!(flags(&p2), (true, true));
    let after = cursor(&p2, "endCursor");
    let p3 = page(&app, &community, &format!("first: 2, after: \"{after}\"")).await;
    assert_eq!(names(&p3), ["五区"]);
    assert_eq!(flags(&p3), (true, false));
    // Exactly the rest: no next page.
    let after = cursor(&p1, "endCursor");
    let rest = page(&app, &community, &format!("first: 3, after: \"{after}\"")).await;
    assert_eq!(names(&rest), ["三区", "四区", "五区"]);
    assert!(!flags(&rest).1);

    // Backward.
    let b1 = page(&app, &community, "last: 2").await;
    assert_eq!(names(&b1), ["四区", "五区"]);
    assert_eq!(flags(&b1), (true, false));
    let before = cursor(&b1, "startCursor");
    let b2 = page(&app, &community, &format!("last: 2, before: \"{before}\"")).await;
    assert_eq!(names(&b2), ["二区", "三区"]);
    assert_eq!(flags(&b2), (true, true));
    let before = cursor(&b2, "startCursor");
    let b3 = page(&app, &community, &format!("last: 2, before: \"{before}\"")).await;
    assert_eq!(names(&b3), ["一区"]);
    assert!(!flags(&b3).0);

    // A window between two cursors.
    let from = p1["edges"][0]["cursor"].as_str().unwrap().to_owned();
    let to = b1["edges"][1]["cursor"].as_str().unwrap().to_owned();
    let mid = page(
        &app,
        &community,
        &format!("first: 10, after: \"{from}\", before: \"{to}\""),
    )
    .await;
    assert_eq!(names(&mid), ["二区", "三区", "四区"]);

    // A nested connection pages the same way.
    let nested = app
        .ok(
            None,
            "query($id: ID!, $after: String) { node(id: $id) { ... on Community { compounds(first: 2, after: $after) { edges { node { name } } pageInfo { hasNextPage hasPreviousPage } } } } }",
            json!({ "id": community, "after": cursor(&p1, "endCursor") }),
        )
        .await;
    let conn = &nested["node"]["compounds"];
    assert_eq!(names(conn), ["三区", "四区"]);
    assert_eq!(flags(conn), (true, true));

    // 100 is the largest page; more is refused, not silently cut.
    assert_eq!(names(&page(&app, &community, "first: 100").await).len(), 5);
    let q = "query($n: Int) { compounds(first: $n) { edges { node { name } } } }";
    let body = app.gql(None, q, json!({ "n": 101 })).await;
    assert_request_error(&body, "BAD_USER_INPUT");
    let body = app
        .gql(
            None,
            "{ compounds(last: 101) { edges { node { name } } } }",
            json!({}),
        )
        .await;
    assert_request_error(&body, "BAD_USER_INPUT");
    let body = app
        .gql(
            None,
            "query($id: ID!) { node(id: $id) { ... on Community { compounds(first: 101) { edges { node { name } } } } } }",
            json!({ "id": community }),
        )
        .await;
    assert_request_error(&body, "BAD_USER_INPUT");

    // Cursors that are not cursors of this list are refused.
    for foreign in [community.as_str(), "bm90LWEtY3Vyc29y", "!!!"] {
        let body = app
            .gql(
                None,
                "query($c: String) { compounds(first: 2, after: $c) { edges { node { name } } } }",
                json!({ "c": foreign }),
            )
            .await;
        assert_request_error(&body, "BAD_USER_INPUT");
        let body = app
            .gql(
                None,
                "query($c: String) { compounds(last: 2, before: $c) { edges { node { name } } } }",
                json!({ "c": foreign }),
            )
            .await;
        assert_request_error(&body, "BAD_USER_INPUT");
    }
}

#[tokio::test]
async fn node_and_nodes_fetch_every_kind_and_inputs_refuse_wrong_kinds() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let entrance = new_entrance(&app, &f.building, "1单元").await;
    let person = new_person(&app, &f.community, "张三").await;

    let cases = [
        (
            &f.subdistrict,
            "Subdistrict",
            "... on Subdistrict { name }",
            "东湖街道",
        ),
        (
            &f.community,
            "Community",
            "... on Community { name }",
            "翠苑社区",
        ),
        (&f.grid, "Grid", "... on Grid { name }", "第一网格"),
        (
            &f.compound,
            "Compound",
            "... on Compound { name }",
            "翠苑一区",
        ),
        (&f.building, "Building", "... on Building { name }", "1号楼"),
        (&entrance, "Entrance", "... on Entrance { name }", "1单元"),
        (
            &f.dwellings[0],
            "Dwelling",
            "... on Dwelling { name: number }",
            "1-201",
        ),
        (&person, "Person", "... on Person { name }", "张三"),
    ];
    for (id, typename, fragment, name) in cases {
        let n = node(&app, id, fragment).await;
        assert_eq!(n["__typename"], typename, "{n:#}");
        assert_eq!(n["id"], id.as_str());
        assert_eq!(n["name"], name);
    }

    // Several at once, in the order given; an unknown ID of a known kind is null.
    let missing = global_id("Compound", 999_999);
    let ids = json!([
        f.dwellings[1],
        f.compound,
        missing,
        f.grid,
        entrance,
        f.dwellings[0]
    ]);
    let data = app
        .ok(
            None,
            "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
            json!({ "ids": ids }),
        )
        .await;
    let got: Vec<Value> = data["nodes"].as_array().unwrap().clone();
    assert_eq!(
        got,
        vec![
            json!({ "__typename": "Dwelling", "id": f.dwellings[1] }),
            json!({ "__typename": "Compound", "id": f.compound }),
            Value::Null,
            json!({ "__typename": "Grid", "id": f.grid }),
            json!({ "__typename": "Entrance", "id": entrance }),
            json!({ "__typename": "Dwelling", "id": f.dwellings[0] }),
        ]
    );
    assert_eq!(
        app.ok(
            None,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": missing })
        )
        .await["node"],
        Value::Null
    );

    // At most 100 IDs at once.
    let many = vec![f.compound.clone(); 101];
    let body = app
        .gql(
            None,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": many }),
        )
        .await;
    assert_request_error(&body, "BAD_USER_INPUT");

    // An ID that is not one of ours is a bad request.
    let body = app
        .gql(
            None,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": "not-an-id" }),
        )
        .await;
    assert_request_error(&body, "BAD_USER_INPUT");

    // An ID of the wrong kind in an input is the user's error, and changes nothing.
    let before = building::Entity::find().count(&app.db).await.unwrap();
    let p = refused(
        &app,
        "createBuilding",
        "building { id }",
        json!({ "compoundId": f.grid, "name": "2号楼" }),
    )
    .await;
    assert_eq!(p["building"], Value::Null);
    assert_eq!(
        p["userErrors"][0]["field"],
        json!(["input", "compoundId"]),
        "{p:#}"
    );
    assert_eq!(p["userErrors"][0]["code"], "INVALID");
    assert_eq!(
        building::Entity::find().count(&app.db).await.unwrap(),
        before
    );
    let p = refused(
        &app,
        "createDwelling",
        "dwelling { id }",
        json!({ "buildingId": f.compound, "number": "9-9", "exclusiveArea": "50" }),
    )
    .await;
    assert_error(&p, &["input", "buildingId"], "INVALID");
    let p = refused(
        &app,
        "createBuilding",
        "building { id }",
        json!({ "compoundId": f.compound, "name": "2号楼", "gridId": f.community }),
    )
    .await;
    assert_error(&p, &["input", "gridId"], "INVALID");
    assert_eq!(
        building::Entity::find().count(&app.db).await.unwrap(),
        before
    );
}

#[tokio::test]
async fn bad_register_input_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let other_community = new_community(&app, &f.subdistrict, "文新社区").await;
    let other_grid = new_grid(&app, &other_community, "文新第一网格").await;
    let other_building = new_building(&app, &f.compound, "2号楼").await;
    let other_entrance = new_entrance(&app, &other_building, "1单元").await;
    let counts = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            (
                compound::Entity::find().count(&db).await.unwrap(),
                building::Entity::find().count(&db).await.unwrap(),
                dwelling::Entity::find().count(&db).await.unwrap(),
            )
        }
    };
    let start = counts(&app).await;

    // Blank names are required.
    let p = refused(
        &app,
        "createCompound",
        "compound { id }",
        json!({ "communityId": f.community, "name": "   ", "kind": "OLD_COMPOUND" }),
    )
    .await;
    assert_eq!(p["compound"], Value::Null);
    assert_error(&p, &["input", "name"], "REQUIRED");
    let p = refused(
        &app,
        "createBuilding",
        "building { id }",
        json!({ "compoundId": f.compound, "name": "" }),
    )
    .await;
    assert_error(&p, &["input", "name"], "REQUIRED");
    let p = refused(
        &app,
        "createDwelling",
        "dwelling { id }",
        json!({ "buildingId": f.building, "number": " ", "exclusiveArea": "50.00" }),
    )
    .await;
    assert_error(&p, &["input", "number"], "REQUIRED");

    // Names are unique among siblings, not everywhere.
    let p = refused(
        &app,
        "createCompound",
        "compound { id }",
        json!({ "communityId": f.community, "name": "翠苑一区", "kind": "OLD_COMPOUND" }),
    )
    .await;
    assert_error(&p, &["input", "name"], "CONFLICT");
    let p = refused(
        &app,
        "createBuilding",
        "building { id }",
        json!({ "compoundId": f.compound, "name": "1号楼" }),
    )
    .await;
    assert_error(&p, &["input", "name"], "CONFLICT");
    let p = refused(
        &app,
        "createDwelling",
        "dwelling { id }",
        json!({ "buildingId": f.building, "number": "1-201", "exclusiveArea": "50.00" }),
    )
    .await;
    assert_error(&p, &["input", "number"], "CONFLICT");
    let p = refused(
        &app,
        "createGrid",
        "grid { id }",
        json!({ "communityId": f.community, "name": "第一网格" }),
    )
    .await;
    assert_error(&p, &["input", "name"], "CONFLICT");
    let p = refused(
        &app,
        "createCommunity",
        "community { id }",
        json!({ "subdistrictId": f.subdistrict, "name": "翠苑社区" }),
    )
    .await;
    assert_error(&p, &["input", "name"], "CONFLICT");
    let p = refused(
        &app,
        "createSubdistrict",
        "subdistrict { id }",
        json!({ "districtId": f.district, "name": "东湖街道" }),
    )
    .await;
    assert_error(&p, &["input", "name"], "CONFLICT");
    let renamed = new_compound(&app, &f.community, "翠苑二区", "OLD_COMPOUND").await;
    let p = refused(
        &app,
        "updateCompound",
        "compound { id }",
        json!({ "id": renamed, "name": "翠苑一区", "kind": "BUNGALOW_AREA" }),
    )
    .await;
    assert_error(&p, &["input", "name"], "CONFLICT");
    let n = node(&app, &renamed, "... on Compound { name kind }").await;
    assert_eq!(
        (n["name"].clone(), n["kind"].clone()),
        (json!("翠苑二区"), json!("OLD_COMPOUND"))
    );
    // The same name in another community is fine.
    new_compound(&app, &other_community, "翠苑一区", "OLD_COMPOUND").await;
    let start = (start.0 + 2, start.1, start.2);

    // Areas must be positive with at most two decimals.
    for bad in ["0", "0.00", "1.234", "-5", "abc"] {
        let body = app
            .gql(
                Some(&app.admin_token),
                &op("createDwelling", "dwelling { id }"),
                json!({ "input": { "buildingId": f.building, "number": "1-601", "exclusiveArea": bad } }),
            )
            .await;
        assert!(
            body["errors"].as_array().is_some_and(|e| !e.is_empty()),
            "area {bad} should be refused: {body:#}"
        );
        assert!(
            body["data"].is_null() || body["data"]["createDwelling"]["dwelling"].is_null(),
            "area {bad} should create nothing: {body:#}"
        );
    }
    let body = app
        .gql(
            Some(&app.admin_token),
            &op("updateDwelling", "dwelling { id }"),
            json!({ "input": { "id": f.dwellings[0], "exclusiveArea": "1.234" } }),
        )
        .await;
    assert!(body["errors"].as_array().is_some_and(|e| !e.is_empty()));
    assert_eq!(
        node(&app, &f.dwellings[0], "... on Dwelling { exclusiveArea }").await["exclusiveArea"],
        "89.50"
    );

    // A building's grid must belong to the compound's community.
    let p = refused(
        &app,
        "createBuilding",
        "building { id }",
        json!({ "compoundId": f.compound, "name": "3号楼", "gridId": other_grid }),
    )
    .await;
    assert_eq!(p["building"], Value::Null);
    assert_error(&p, &["input", "gridId"], "INVALID");
    let p = refused(
        &app,
        "updateBuilding",
        "building { id }",
        json!({ "id": f.building, "name": "一号楼", "floors": 8, "gridId": other_grid }),
    )
    .await;
    assert_error(&p, &["input", "gridId"], "INVALID");
    let b = node(
        &app,
        &f.building,
        "... on Building { name floors grid { id } }",
    )
    .await;
    assert_eq!(b["name"], "1号楼");
    assert_eq!(b["floors"], 6);
    assert_eq!(b["grid"]["id"], f.grid.as_str());

    // A dwelling's entrance must be of its own building.
    let p = refused(
        &app,
        "createDwelling",
        "dwelling { id }",
        json!({ "buildingId": f.building, "entranceId": other_entrance, "number": "1-601", "exclusiveArea": "88.00" }),
    )
    .await;
    assert_eq!(p["dwelling"], Value::Null);
    assert_error(&p, &["input", "entranceId"], "INVALID");
    let p = refused(
        &app,
        "updateDwelling",
        "dwelling { id }",
        json!({ "id": f.dwellings[0], "entranceId": other_entrance, "number": "1-202" }),
    )
    .await;
    assert_error(&p, &["input", "entranceId"], "INVALID");
    let d = node(
        &app,
        &f.dwellings[0],
        "... on Dwelling { number entrance { id } }",
    )
    .await;
    assert_eq!(d["number"], "1-201");
    assert_eq!(d["entrance"], Value::Null);

    // Floors must fit the building.
    let p = refused(
        &app,
        "createDwelling",
        "dwelling { id }",
        json!({ "buildingId": f.building, "floor": 7, "number": "1-701", "exclusiveArea": "88.00" }),
    )
    .await;
    assert_error(&p, &["input", "floor"], "OUT_OF_RANGE");
    let p = refused(
        &app,
        "createBuilding",
        "building { id }",
        json!({ "compoundId": f.compound, "name": "4号楼", "floors": 0 }),
    )
    .await;
    assert_error(&p, &["input", "floors"], "OUT_OF_RANGE");

    assert_eq!(counts(&app).await, (start.0, start.1, start.2));
}

#[tokio::test]
async fn nested_relations_load_and_areas_round_trip_exactly() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let entrance = new_entrance(&app, &f.building, "2单元").await;
    for (number, area, shown) in [
        ("2-101", "89.5", "89.50"),
        ("2-102", "0.01", "0.01"),
        ("2-103", "123456.78", "123456.78"),
        ("2-104", "120", "120.00"),
    ] {
        let d = run(
            &app,
            "createDwelling",
            "dwelling { exclusiveArea }",
            json!({ "buildingId": f.building, "entranceId": entrance, "floor": 1, "number": number, "exclusiveArea": area }),
        )
        .await;
        assert_eq!(d["dwelling"]["exclusiveArea"], shown, "area {area}");
    }

    let data = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Compound { name community { name subdistrict { name } }
                buildings(first: 5) { edges { node { id name grid { name community { name } }
                  entrances(first: 5) { edges { node { name building { id } } } }
                  dwellings(first: 10) { edges { node { number floor exclusiveArea
                    entrance { name } building { id name compound { id name } } } } } } } } } } }",
            json!({ "id": f.compound }),
        )
        .await;
    let c = &data["node"];
    assert_eq!(c["name"], "翠苑一区");
    assert_eq!(c["community"]["name"], "翠苑社区");
    assert_eq!(c["community"]["subdistrict"]["name"], "东湖街道");
    let buildings = c["buildings"]["edges"].as_array().unwrap();
    assert_eq!(buildings.len(), 1);
    let b = &buildings[0]["node"];
    assert_eq!(b["id"], f.building.as_str());
    assert_eq!(b["grid"]["name"], "第一网格");
    assert_eq!(b["grid"]["community"]["name"], "翠苑社区");
    assert_eq!(
        b["entrances"]["edges"][0]["node"],
        json!({ "name": "2单元", "building": { "id": f.building } })
    );
    let dwellings: Vec<&Value> = b["dwellings"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .collect();
    let summary: Vec<(String, String)> = dwellings
        .iter()
        .map(|d| {
            (
                d["number"].as_str().unwrap().to_owned(),
                d["exclusiveArea"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("1-201", "89.50"),
            ("1-502", "120.00"),
            ("2-101", "89.50"),
            ("2-102", "0.01"),
            ("2-103", "123456.78"),
            ("2-104", "120.00"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    for d in &dwellings {
        assert_eq!(d["building"]["id"], f.building.as_str());
        assert_eq!(d["building"]["name"], "1号楼");
        assert_eq!(d["building"]["compound"]["id"], f.compound.as_str());
    }
    assert_eq!(dwellings[0]["floor"], 2);
    assert_eq!(dwellings[0]["entrance"], Value::Null);
    assert_eq!(dwellings[2]["entrance"]["name"], "2单元");

    // The grid lists the building it covers.
    let g = node(
        &app,
        &f.grid,
        "... on Grid { buildings { edges { node { id } } } }",
    )
    .await;
    assert_eq!(
        g["buildings"]["edges"],
        json!([{ "node": { "id": f.building } }])
    );
}

#[tokio::test]
async fn people_with_a_bad_phone_or_identity_number_are_refused() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let before = person::Entity::find().count(&app.db).await.unwrap();
    let sel = "person { id name phone idNumber }";

    for phone in ["12345", "1381234567a", "call me", "+86 138"] {
        let p = refused(
            &app,
            "createPerson",
            sel,
            json!({ "communityId": f.community, "name": "李四", "phone": phone }),
        )
        .await;
        assert_eq!(p["person"], Value::Null);
        assert_error(&p, &["input", "phone"], "INVALID");
    }
    // The check digit of 11010519491231002X is X; 1 is wrong.
    for idn in [
        "110105194912310021",
        "11010519491231002",
        "1101051949123100XX",
    ] {
        let p = refused(
            &app,
            "createPerson",
            sel,
            json!({ "communityId": f.community, "name": "李四", "idNumber": idn }),
        )
        .await;
        assert_error(&p, &["input", "idNumber"], "INVALID");
    }
    let p = refused(
        &app,
        "createPerson",
        sel,
        json!({ "communityId": f.community, "name": "  " }),
    )
    .await;
    assert_error(&p, &["input", "name"], "REQUIRED");
    assert_eq!(person::Entity::find().count(&app.db).await.unwrap(), before);

    // Good values are kept; a lower-case check letter is normalised.
    let p = run(
        &app,
        "createPerson",
        sel,
        json!({ "communityId": f.community, "name": "李四", "phone": "010-12345678", "idNumber": "11010519491231002x" }),
    )
    .await["person"]
        .clone();
    assert_eq!(p["phone"], "010-12345678");
    assert_eq!(p["idNumber"], "11010519491231002X");

    // An update with a bad phone changes nothing.
    let pid = id(&p);
    let u = refused(
        &app,
        "updatePerson",
        sel,
        json!({ "id": pid, "name": "李四四", "phone": "999" }),
    )
    .await;
    assert_error(&u, &["input", "phone"], "INVALID");
    let n = node(&app, &pid, "... on Person { name phone }").await;
    assert_eq!(n["name"], "李四");
    assert_eq!(n["phone"], "010-12345678");
}

/// "12812345678" is neither a mainland mobile number (those start 13–19)
/// nor a landline (those start with a 0 area code, or are 7–8 local digits):
/// `values::Phone` documents that rule and its unit test expects a refusal.
#[tokio::test]
async fn an_eleven_digit_number_that_is_not_a_mobile_is_refused() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let p = refused(
        &app,
        "createPerson",
        "person { id phone }",
        json!({ "communityId": f.community, "name": "李四", "phone": "12812345678" }),
    )
    .await;
    assert_error(&p, &["input", "phone"], "INVALID");
}

#[tokio::test]
async fn residencies_and_ownerships_are_added_ended_and_never_overlap() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let p = new_person(&app, &f.community, "王五").await;
    let q = new_person(&app, &f.community, "赵六").await;
    let d = &f.dwellings[0];
    let rsel = "residency { id kind startsOn endsOn person { id } dwelling { id } }";
    let osel = "ownership { id startsOn endsOn person { id } dwelling { id } }";

    // Residency.
    let r = run(
        &app,
        "addResidency",
        rsel,
        json!({ "personId": p, "dwellingId": d, "kind": "OWNER", "startsOn": "2020-01-01" }),
    )
    .await["residency"]
        .clone();
    assert_eq!(r["kind"], "OWNER");
    assert_eq!(r["endsOn"], Value::Null);
    assert_eq!(r["person"]["id"], p.as_str());
    assert_eq!(r["dwelling"]["id"], d.as_str());
    let r1 = id(&r);
    let c = refused(
        &app,
        "addResidency",
        rsel,
        json!({ "personId": p, "dwellingId": d, "kind": "TENANT", "startsOn": "2022-01-01", "endsOn": "2022-12-31" }),
    )
    .await;
    assert_eq!(c["residency"], Value::Null);
    assert_error(&c, &["input", "startsOn"], "CONFLICT");
    // Another person, or another dwelling, is no conflict.
    run(
        &app,
        "addResidency",
        rsel,
        json!({ "personId": q, "dwellingId": d, "kind": "FAMILY_MEMBER", "startsOn": "2021-01-01" }),
    )
    .await;
    run(
        &app,
        "addResidency",
        rsel,
        json!({ "personId": p, "dwellingId": f.dwellings[1], "kind": "TENANT", "startsOn": "2021-01-01" }),
    )
    .await;
    let e = refused(
        &app,
        "endResidency",
        rsel,
        json!({ "id": r1, "endsOn": "2019-12-31" }),
    )
    .await;
    assert_error(&e, &["input", "endsOn"], "OUT_OF_RANGE");
    let ended = run(
        &app,
        "endResidency",
        rsel,
        json!({ "id": r1, "endsOn": "2023-06-30" }),
    )
    .await;
    assert_eq!(ended["residency"]["endsOn"], "2023-06-30");
    let e = refused(
        &app,
        "endResidency",
        rsel,
        json!({ "id": r1, "endsOn": "2023-12-31" }),
    )
    .await;
    assert_error(&e, &["input", "id"], "INVALID_STATE");
    // The end stays as first recorded.
    let r = node(&app, &r1, "... on Residency { endsOn }").await;
    assert_eq!(r["endsOn"], "2023-06-30");
    // The ended period still blocks an overlapping one; after it, a new one is fine.
    let c = refused(
        &app,
        "addResidency",
        rsel,
        json!({ "personId": p, "dwellingId": d, "kind": "TENANT", "startsOn": "2023-06-30" }),
    )
    .await;
    assert_error(&c, &["input", "startsOn"], "CONFLICT");
    run(
        &app,
        "addResidency",
        rsel,
        json!({ "personId": p, "dwellingId": d, "kind": "TENANT", "startsOn": "2023-07-01" }),
    )
    .await;

    // Ownership.
    let o = run(
        &app,
        "addOwnership",
        osel,
        json!({ "personId": p, "dwellingId": d, "startsOn": "2020-01-01" }),
    )
    .await["ownership"]
        .clone();
    let o1 = id(&o);
    let c = refused(
        &app,
        "addOwnership",
        osel,
        json!({ "personId": p, "dwellingId": d, "startsOn": "2015-01-01", "endsOn": "2020-01-01" }),
    )
    .await;
    assert_eq!(c["ownership"], Value::Null);
    assert_error(&c, &["input", "startsOn"], "CONFLICT");
    // A co-owner over the same period is fine.
    run(
        &app,
        "addOwnership",
        osel,
        json!({ "personId": q, "dwellingId": d, "startsOn": "2020-01-01" }),
    )
    .await;
    let ended = run(
        &app,
        "endOwnership",
        osel,
        json!({ "id": o1, "endsOn": "2022-05-31" }),
    )
    .await;
    assert_eq!(ended["ownership"]["endsOn"], "2022-05-31");
    let e = refused(
        &app,
        "endOwnership",
        osel,
        json!({ "id": o1, "endsOn": "2022-06-30" }),
    )
    .await;
    assert_error(&e, &["input", "id"], "INVALID_STATE");
    run(
        &app,
        "addOwnership",
        osel,
        json!({ "personId": p, "dwellingId": d, "startsOn": "2022-06-01" }),
    )
    .await;

    // The dwelling's history, as the admin sees it.
    let data = node(
        &app,
        d,
        "... on Dwelling { residencies { kind startsOn endsOn person { name } } ownerships { startsOn endsOn person { name } } }",
    )
    .await;
    assert_eq!(
        data["residencies"],
        json!([
            { "kind": "OWNER", "startsOn": "2020-01-01", "endsOn": "2023-06-30", "person": { "name": "王五" } },
            { "kind": "FAMILY_MEMBER", "startsOn": "2021-01-01", "endsOn": null, "person": { "name": "赵六" } },
            { "kind": "TENANT", "startsOn": "2023-07-01", "endsOn": null, "person": { "name": "王五" } },
        ])
    );
    assert_eq!(
        data["ownerships"],
        json!([
            { "startsOn": "2020-01-01", "endsOn": "2022-05-31", "person": { "name": "王五" } },
            { "startsOn": "2020-01-01", "endsOn": null, "person": { "name": "赵六" } },
            { "startsOn": "2022-06-01", "endsOn": null, "person": { "name": "王五" } },
        ])
    );
}

/// Uniqueness is the database's to keep, so writers racing with the same
/// name cannot both win: exactly one building is created, and every other
/// writer is told at `["input","name"]` with `CONFLICT`, not an internal
/// error. (The writers go through two instances over one database.)
#[tokio::test]
async fn racing_writers_cannot_register_one_name_twice() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let second = format!("{}/graphql", app.second_instance().await);
    let query = format!(
        "mutation($input: CreateBuildingInput!) {{ createBuilding(input: $input) {{ building {{ id }} {ERRORS} }} }}"
    );
    let input = json!({ "input": { "compoundId": f.compound, "name": "2号楼" } });
    let send = |url: String| {
        let client = app.client.clone();
        let body = json!({ "query": query, "variables": input });
        let token = app.admin_token.clone();
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("send")
                .json::<Value>()
                .await
                .expect("json")
        }
    };
    let answers = futures_util::future::join_all((0..6).map(|i| {
        send(if i % 2 == 0 {
            app.graphql_url()
        } else {
            second.clone()
        })
    }))
    .await;
    let mut created = 0;
    for body in &answers {
        let payload = &body["data"]["createBuilding"];
        if payload["building"].is_object() {
            created += 1;
        } else {
            assert_error(payload, &["input", "name"], "CONFLICT");
        }
    }
    assert_eq!(created, 1, "{answers:#?}");
    let count = building::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(count, 2, "the fixture's building and one more");
}

/// Inputs that had no maximum before each state one, and are refused one
/// character past it: a cursor, the name filter, an address, a unit's code
/// and a phone number with spaces (dropped when read, but counted as typed).
#[tokio::test]
async fn register_text_past_its_stated_maximum_is_refused() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let list = "query($c: String, $f: CompoundFilter) { compounds(first: 2, after: $c, filter: $f) { edges { node { name } } } }";

    // JSON allows spaces before a number: this decodes to an id, but is
    // longer than any cursor the server gives (32 characters at most).
    let padded = URL_SAFE_NO_PAD.encode(format!("{}1", " ".repeat(32)));
    let body = app.gql(None, list, json!({ "c": padded })).await;
    assert_request_error(&body, "BAD_USER_INPUT");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("`after` is not a cursor of this list"),
        "{body:#}"
    );

    // A name is at most 100 characters, and so is text to find in one.
    let longest = "翠".repeat(100);
    let data = app
        .ok(None, list, json!({ "f": { "nameContains": longest } }))
        .await;
    assert_eq!(data["compounds"]["edges"], json!([]));
    let body = app
        .gql(
            None,
            list,
            json!({ "f": { "nameContains": format!("{longest}苑") } }),
        )
        .await;
    assert_request_error(&body, "BAD_USER_INPUT");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("at most 100 characters"),
        "{body:#}"
    );

    // An address: at most 200 characters, on creation and on update.
    let address = "文".repeat(200);
    let c = run(
        &app,
        "createCompound",
        "compound { id address }",
        json!({ "communityId": f.community, "name": "长地址小区", "kind": "OLD_COMPOUND", "address": address }),
    )
    .await["compound"]
        .clone();
    assert_eq!(c["address"], json!(address));
    let p = refused(
        &app,
        "createCompound",
        "compound { id }",
        json!({ "communityId": f.community, "name": "更长地址小区", "kind": "OLD_COMPOUND", "address": format!("{address}路") }),
    )
    .await;
    assert_error(&p, &["input", "address"], "TOO_LONG");
    let p = refused(
        &app,
        "updateCompound",
        "compound { id }",
        json!({ "id": id(&c), "address": format!("{address}路") }),
    )
    .await;
    assert_error(&p, &["input", "address"], "TOO_LONG");
    let n = node(&app, &id(&c), "... on Compound { address }").await;
    assert_eq!(n["address"], json!(address));

    // A code of the register: at most 32 characters.
    let code = "4".repeat(32);
    let d = run(
        &app,
        "createDistrict",
        "district { id code }",
        json!({ "name": "编码区", "code": code }),
    )
    .await["district"]
        .clone();
    assert_eq!(d["code"], json!(code));
    for (name, input) in [
        (
            "createDistrict",
            json!({ "name": "长编码区", "code": format!("{code}0") }),
        ),
        (
            "updateDistrict",
            json!({ "id": id(&d), "code": format!("{code}0") }),
        ),
        (
            "createGrid",
            json!({ "communityId": f.community, "name": "长编码网格", "code": format!("{code}0") }),
        ),
        (
            "updateSubdistrict",
            json!({ "id": f.subdistrict, "code": format!("{code}0") }),
        ),
    ] {
        let p = refused(&app, name, "__typename", input).await;
        assert_error(&p, &["input", "code"], "TOO_LONG");
    }

    // A phone number is at most 20 characters as typed, spaces included.
    let sel = "person { id phone }";
    let p = run(
        &app,
        "createPerson",
        sel,
        json!({ "communityId": f.community, "name": "王五", "phone": "138 0013 8000" }),
    )
    .await;
    assert_eq!(p["person"]["phone"], "13800138000");
    let p = refused(
        &app,
        "createPerson",
        sel,
        json!({ "communityId": f.community, "name": "王五", "phone": format!("138{}00138000", " ".repeat(18)) }),
    )
    .await;
    assert_error(&p, &["input", "phone"], "TOO_LONG");
}
