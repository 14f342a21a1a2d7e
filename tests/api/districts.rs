//! The district (区) above the subdistrict and the staff who act over it:
//! who registers districts and subdistricts, what district staff reach
//! (everything below their district, nothing beside it), whom they may
//! make staff, and how a subdistrict is placed in a district.

use serde_json::{Value, json};

use crate::helpers::{Fixture, TestApp, fixture, spawn_app};

const CREATE_DISTRICT: &str = "mutation($input: CreateDistrictInput!) { createDistrict(input: $input) { district { id name } userErrors { field message code } } }";
const CREATE_SUBDISTRICT: &str = "mutation($input: CreateSubdistrictInput!) { createSubdistrict(input: $input) { subdistrict { id name district { id } } userErrors { field message code } } }";
const UPDATE_SUBDISTRICT: &str = "mutation($input: UpdateSubdistrictInput!) { updateSubdistrict(input: $input) { subdistrict { id district { id } } userErrors { field message code } } }";
const CREATE_COMMUNITY: &str = "mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } userErrors { field message code } } }";
const CREATE_BUILDING: &str = "mutation($input: CreateBuildingInput!) { createBuilding(input: $input) { building { id } userErrors { field message code } } }";
const CREATE_PERSON: &str = "mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } userErrors { field message code } } }";
const CREATE_ACCOUNT: &str = "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } userErrors { field message code } } }";
const GRANT_ROLE: &str = "mutation($input: GrantRoleInput!) { grantRole(input: $input) { grant { id role scopeLevel scopeId } userErrors { field message code } } }";
const PERSON_PHONE: &str =
    "query($id: ID!) { node(id: $id) { ... on Person { phone personalDataVisible } } }";
const MISSING_DISTRICT: &str = "RGlzdHJpY3Q6OTg3NjU0"; // District:987654

/// The top-level error code of a response, if any.
fn code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// A second district with one subdistrict and community, beside the
/// fixture's; returns (district, subdistrict, community).
async fn other_district(app: &TestApp) -> (String, String, String) {
    let t = &app.admin_token;
    let d = app
        .mutate(
            t,
            "createDistrict",
            CREATE_DISTRICT,
            json!({ "name": "洪山区" }),
        )
        .await["district"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let sd = app
        .mutate(
            t,
            "createSubdistrict",
            CREATE_SUBDISTRICT,
            json!({ "districtId": d, "name": "珞南街道" }),
        )
        .await["subdistrict"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let c = app
        .mutate(
            t,
            "createCommunity",
            CREATE_COMMUNITY,
            json!({ "subdistrictId": sd, "name": "珞南社区" }),
        )
        .await["community"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (d, sd, c)
}

async fn district_staff(app: &TestApp, f: &Fixture) -> String {
    app.user_with_role("li.district", "DISTRICT_STAFF", Some(&f.district))
        .await
}

#[tokio::test]
async fn a_subdistrict_lies_in_a_district_and_the_district_lists_it() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let data = app
        .ok(
            None,
            "query($id: ID!) { districts { edges { node { id name subdistricts { edges { node { id name district { name } } } } } } } node(id: $id) { id } }",
            json!({ "id": f.district }),
        )
        .await;
    let district = &data["districts"]["edges"][0]["node"];
    assert_eq!(district["id"], f.district.as_str());
    assert_eq!(district["name"], "武昌区");
    let sd = &district["subdistricts"]["edges"][0]["node"];
    assert_eq!(sd["id"], f.subdistrict.as_str());
    assert_eq!(sd["district"]["name"], "武昌区");
    // A subdistrict always names its district when created.
    let body = app
        .gql(
            Some(&app.admin_token),
            CREATE_SUBDISTRICT,
            json!({ "input": { "name": "无区街道" } }),
        )
        .await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("districtId")
    );
    // A missing district is a user error for the admin, who may act everywhere.
    let p = app
        .ok(
            Some(&app.admin_token),
            CREATE_SUBDISTRICT,
            json!({ "input": { "districtId": MISSING_DISTRICT, "name": "无区街道" } }),
        )
        .await["createSubdistrict"]
        .clone();
    assert_eq!(
        p["userErrors"],
        json!([{ "field": ["input", "districtId"], "message": "no such district", "code": "NOT_FOUND" }])
    );
    // District names are unique.
    let p = app
        .ok(
            Some(&app.admin_token),
            CREATE_DISTRICT,
            json!({ "input": { "name": "武昌区" } }),
        )
        .await["createDistrict"]
        .clone();
    assert_eq!(p["userErrors"][0]["field"], json!(["input", "name"]));
    assert_eq!(p["userErrors"][0]["code"], "CONFLICT");
}

#[tokio::test]
async fn only_platform_admins_register_districts() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let district = district_staff(&app, &f).await;
    let subdistrict = app
        .user_with_role("zhou.sd", "SUBDISTRICT_STAFF", Some(&f.subdistrict))
        .await;
    for (token, expected) in [
        (None, "UNAUTHENTICATED"),
        (Some(district.as_str()), "FORBIDDEN"),
        (Some(subdistrict.as_str()), "FORBIDDEN"),
    ] {
        let body = app
            .gql(
                token,
                CREATE_DISTRICT,
                json!({ "input": { "name": "江夏区" } }),
            )
            .await;
        assert_eq!(code(&body), Some(expected), "{body:#}");
    }
}

#[tokio::test]
async fn district_staff_act_within_their_district_only() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let (other_d, other_sd, other_c) = other_district(&app).await;
    let staff = district_staff(&app, &f).await;

    // Within: a subdistrict, a community in the fixture's subdistrict, a
    // building in its compound.
    let sd = app
        .mutate(
            &staff,
            "createSubdistrict",
            CREATE_SUBDISTRICT,
            json!({ "districtId": f.district, "name": "首义街道" }),
        )
        .await;
    assert_eq!(sd["subdistrict"]["district"]["id"], f.district.as_str());
    app.mutate(
        &staff,
        "createCommunity",
        CREATE_COMMUNITY,
        json!({ "subdistrictId": f.subdistrict, "name": "首义社区" }),
    )
    .await;
    app.mutate(
        &staff,
        "createBuilding",
        CREATE_BUILDING,
        json!({ "compoundId": f.compound, "name": "2号楼", "floors": 6 }),
    )
    .await;

    // Beside: another district's subdistrict and community are out of reach,
    // and a missing district answers exactly as an existing one out of reach.
    let mut answers = Vec::new();
    for district in [other_d.as_str(), MISSING_DISTRICT] {
        let body = app
            .gql(
                Some(&staff),
                CREATE_SUBDISTRICT,
                json!({ "input": { "districtId": district, "name": "外区街道" } }),
            )
            .await;
        assert_eq!(code(&body), Some("FORBIDDEN"), "{body:#}");
        answers.push(body["errors"][0]["message"].clone());
    }
    assert_eq!(answers[0], answers[1]);
    let body = app
        .gql(
            Some(&staff),
            CREATE_COMMUNITY,
            json!({ "input": { "subdistrictId": other_sd, "name": "外区社区" } }),
        )
        .await;
    assert_eq!(code(&body), Some("FORBIDDEN"), "{body:#}");

    // Personal data: people registered in the district's communities are
    // seen in full, those of another district masked.
    let mine = app
        .mutate(
            &app.admin_token,
            "createPerson",
            CREATE_PERSON,
            json!({ "communityId": f.community, "name": "王芳", "phone": "13812345678" }),
        )
        .await["person"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let theirs = app
        .mutate(
            &app.admin_token,
            "createPerson",
            CREATE_PERSON,
            json!({ "communityId": other_c, "name": "赵强", "phone": "13912345678" }),
        )
        .await["person"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let seen = app
        .ok(Some(&staff), PERSON_PHONE, json!({ "id": mine }))
        .await["node"]
        .clone();
    assert_eq!(
        seen,
        json!({ "phone": "13812345678", "personalDataVisible": true })
    );
    let seen = app
        .ok(Some(&staff), PERSON_PHONE, json!({ "id": theirs }))
        .await["node"]
        .clone();
    assert_eq!(
        seen,
        json!({ "phone": "139****5678", "personalDataVisible": false })
    );
}

#[tokio::test]
async fn district_staff_make_subdistrict_staff_but_not_the_other_way() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let district = district_staff(&app, &f).await;
    let sd_staff = app
        .user_with_role("zhou.sd", "SUBDISTRICT_STAFF", Some(&f.subdistrict))
        .await;
    let account = |token: String, username: &'static str| {
        let app = &app;
        async move {
            app.mutate(
                &token,
                "createAccount",
                CREATE_ACCOUNT,
                json!({ "username": username, "password": crate::helpers::PASSWORD, "displayName": username }),
            )
            .await["account"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let new_sd = account(district.clone(), "sun.sd").await;
    let grant = app
        .mutate(
            &district,
            "grantRole",
            GRANT_ROLE,
            json!({ "accountId": new_sd, "role": "SUBDISTRICT_STAFF", "scopeId": f.subdistrict }),
        )
        .await;
    assert_eq!(grant["grant"]["scopeLevel"], "SUBDISTRICT");
    // A second district staff member: only district staff (or admins) make one.
    let new_d = account(sd_staff.clone(), "qian.d").await;
    let body = app
        .gql(
            Some(&sd_staff),
            GRANT_ROLE,
            json!({ "input": { "accountId": new_d, "role": "DISTRICT_STAFF", "scopeId": f.district } }),
        )
        .await;
    assert_eq!(code(&body), Some("FORBIDDEN"), "{body:#}");
    let grant = app
        .mutate(
            &district,
            "grantRole",
            GRANT_ROLE,
            json!({ "accountId": new_d, "role": "DISTRICT_STAFF", "scopeId": f.district }),
        )
        .await;
    assert_eq!(grant["grant"]["scopeLevel"], "DISTRICT");
    assert_eq!(grant["grant"]["scopeId"], f.district.as_str());
    // A district role takes a district's ID, not a subdistrict's.
    let p = app
        .ok(
            Some(&app.admin_token),
            GRANT_ROLE,
            json!({ "input": { "accountId": new_d, "role": "DISTRICT_STAFF", "scopeId": f.subdistrict } }),
        )
        .await["grantRole"]
        .clone();
    assert_eq!(p["userErrors"][0]["field"], json!(["input", "scopeId"]));
}

#[tokio::test]
async fn a_subdistrict_moves_only_between_districts_the_caller_holds() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let (other_d, other_sd, _) = other_district(&app).await;
    let staff = district_staff(&app, &f).await;
    // Pulling another district's subdistrict in needs the right over it.
    let body = app
        .gql(
            Some(&staff),
            UPDATE_SUBDISTRICT,
            json!({ "input": { "id": other_sd, "districtId": f.district } }),
        )
        .await;
    assert_eq!(code(&body), Some("FORBIDDEN"), "{body:#}");
    // Pushing one's own subdistrict out needs the right over the destination.
    let body = app
        .gql(
            Some(&staff),
            UPDATE_SUBDISTRICT,
            json!({ "input": { "id": f.subdistrict, "districtId": other_d } }),
        )
        .await;
    assert_eq!(code(&body), Some("FORBIDDEN"), "{body:#}");
    // The admin moves it.
    let moved = app
        .mutate(
            &app.admin_token,
            "updateSubdistrict",
            UPDATE_SUBDISTRICT,
            json!({ "id": f.subdistrict, "districtId": other_d }),
        )
        .await;
    assert_eq!(moved["subdistrict"]["district"]["id"], other_d.as_str());
    // Now out of the first district's staff's reach.
    let body = app
        .gql(
            Some(&staff),
            CREATE_COMMUNITY,
            json!({ "input": { "subdistrictId": f.subdistrict, "name": "迁出社区" } }),
        )
        .await;
    assert_eq!(code(&body), Some("FORBIDDEN"), "{body:#}");
}
