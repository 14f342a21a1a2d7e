//! Accounts and access: login, logout, tokens, the role × permission policy
//! applied through the API, and the masking of personal data.
//!
//! Longer than 800 lines on purpose: each test is a whole scenario told
//! from setup to last assertion, and the area's scenarios share the setup
//! helpers of this one file; splitting it would scatter both.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{Fixture, PASSWORD, TestApp, fixture, own, person, spawn_app};

const LOGIN: &str = "mutation($input: LoginInput!) { login(input: $input) { token expiresAt account { username } userErrors { field message code } } }";
const LOGOUT: &str = "mutation { logout { revoked userErrors { message } } }";
const ME: &str = "query { me { isPlatformAdmin account { id username displayName personId } grants { id role scopeLevel scopeId permissions revokedAt } } }";
const CHANGE_PASSWORD: &str = "mutation($input: ChangePasswordInput!) { changePassword(input: $input) { account { username } userErrors { field message code } } }";
const CREATE_ACCOUNT: &str = "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id username personId } userErrors { field message code } } }";
const GRANT_ROLE: &str = "mutation($input: GrantRoleInput!) { grantRole(input: $input) { grant { id role scopeId } userErrors { field message code } } }";
/// A well-formed district ID, for refusals that come before any lookup.
const SOME_DISTRICT: &str = "RGlzdHJpY3Q6MQ";
const CREATE_SUBDISTRICT: &str = "mutation($input: CreateSubdistrictInput!) { createSubdistrict(input: $input) { subdistrict { id } userErrors { field message code } } }";
const CREATE_COMMUNITY: &str = "mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } userErrors { field message code } } }";
const CREATE_COMPOUND: &str = "mutation($input: CreateCompoundInput!) { createCompound(input: $input) { compound { id name } userErrors { field message code } } }";
const UPDATE_COMPOUND: &str = "mutation($input: UpdateCompoundInput!) { updateCompound(input: $input) { compound { id name } userErrors { field message code } } }";
const CREATE_BUILDING: &str = "mutation($input: CreateBuildingInput!) { createBuilding(input: $input) { building { id } userErrors { field message code } } }";
const CREATE_PERSON: &str = "mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } userErrors { field message code } } }";
const CREATE_COMMITTEE: &str = "mutation($input: CreateOwnersCommitteeInput!) { createOwnersCommittee(input: $input) { ownersCommittee { id name } userErrors { field message code } } }";
const CREATE_BRANCH: &str = "mutation($input: CreatePartyBranchInput!) { createPartyBranch(input: $input) { partyBranch { id } userErrors { field message code } } }";
const CREATE_COMPANY: &str = "mutation($input: CreatePropertyCompanyInput!) { createPropertyCompany(input: $input) { propertyCompany { id } userErrors { field message code } } }";
const SIGN_CONTRACT: &str = "mutation($input: SignPropertyContractInput!) { signPropertyContract(input: $input) { contract { id status } userErrors { field message code } } }";
const APPOINT_CHIEF: &str = "mutation($input: AppointChiefInput!) { appointChief(input: $input) { appointment { id } userErrors { field message code } } }";
const ADD_RESIDENCY: &str = "mutation($input: AddResidencyInput!) { addResidency(input: $input) { residency { id } userErrors { field message code } } }";
const UPDATE_PERSON: &str = "mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { id } userErrors { field message code } } }";
const PERSON_DATA: &str = "query($id: ID!) { node(id: $id) { ... on Person { name phone idNumber personalDataVisible ownerships { id } } } }";
const COMPOUND_BODIES: &str = "query($id: ID!) { node(id: $id) { ... on Compound { name ownersCommittee { id } propertyContract { id } partyBranch { id } } } }";

const RAW_PHONE: &str = "13812345678";
const RAW_ID_NUMBER: &str = "11010519491231002X";
const MASKED_PHONE: &str = "138****5678";
const MASKED_ID_NUMBER: &str = "110105**********2X";

/// The `extensions.code` of the first top-level error, if any.
fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// Runs mutation `name` as `token` and asserts it failed with the top-level
/// error `code`, its payload null.
async fn refused(
    app: &TestApp,
    token: Option<&str>,
    name: &str,
    query: &str,
    input: Value,
    code: &str,
) {
    let body = app.gql(token, query, json!({ "input": input })).await;
    assert_eq!(error_code(&body), Some(code), "{name}: {body:#}");
    assert!(body["data"][name].is_null(), "{name}: {body:#}");
}

/// A second compound in the fixture's community.
async fn second_compound(app: &TestApp, f: &Fixture) -> String {
    app.mutate(
        &app.admin_token,
        "createCompound",
        CREATE_COMPOUND,
        json!({ "communityId": f.community, "name": "翠苑二区", "kind": "COMMODITY_HOUSING" }),
    )
    .await["compound"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A second community in the fixture's subdistrict, with one compound; returns (community, compound).
async fn second_community(app: &TestApp, f: &Fixture) -> (String, String) {
    let community = app
        .mutate(
            &app.admin_token,
            "createCommunity",
            CREATE_COMMUNITY,
            json!({ "subdistrictId": f.subdistrict, "name": "文新社区" }),
        )
        .await["community"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let compound = app
        .mutate(
            &app.admin_token,
            "createCompound",
            CREATE_COMPOUND,
            json!({ "communityId": community, "name": "文新一区", "kind": "OLD_COMPOUND" }),
        )
        .await["compound"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (community, compound)
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

fn contract_input(compound: &str, company: &str) -> Value {
    json!({ "compoundId": compound, "companyId": company, "startsOn": "2024-01-01", "endsOn": "2026-12-31" })
}

async fn company(app: &TestApp) -> String {
    app.mutate(
        &app.admin_token,
        "createPropertyCompany",
        CREATE_COMPANY,
        json!({ "name": "绿城物业服务集团有限公司" }),
    )
    .await["propertyCompany"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The compound's party branch, owners' committee and contract in force, read as the admin.
async fn compound_bodies(app: &TestApp, compound: &str) -> Value {
    app.ok(
        Some(&app.admin_token),
        COMPOUND_BODIES,
        json!({ "id": compound }),
    )
    .await["node"]
        .clone()
}

async fn me(app: &TestApp, token: &str) -> Value {
    app.ok(Some(token), ME, json!({})).await["me"].clone()
}

#[tokio::test]
async fn a_wrong_password_gets_user_errors_and_no_token() {
    let app = spawn_app().await;
    for (username, password) in [("admin", "wrong horse battery"), ("nobody", PASSWORD)] {
        let data = app
            .ok(
                None,
                LOGIN,
                json!({ "input": { "username": username, "password": password } }),
            )
            .await;
        let payload = &data["login"];
        assert!(payload["token"].is_null(), "{payload:#}");
        assert!(payload["account"].is_null(), "{payload:#}");
        let errors = payload["userErrors"].as_array().expect("user errors");
        assert_eq!(errors.len(), 1, "{payload:#}");
        assert_eq!(errors[0]["code"], "INVALID");
    }
    // An unknown user and a wrong password fail alike.
    let a = app
        .ok(
            None,
            LOGIN,
            json!({ "input": { "username": "admin", "password": "x" } }),
        )
        .await;
    let b = app
        .ok(
            None,
            LOGIN,
            json!({ "input": { "username": "ghost", "password": "x" } }),
        )
        .await;
    assert_eq!(a["login"]["userErrors"], b["login"]["userErrors"]);
}

#[tokio::test]
async fn me_shows_the_account_and_its_grants() {
    let app = spawn_app().await;
    let f = fixture(&app).await;

    let anonymous = app.ok(None, ME, json!({})).await;
    assert!(anonymous["me"].is_null());
    let bogus = app.ok(Some("cg_not-a-token"), ME, json!({})).await;
    assert!(bogus["me"].is_null());

    let admin = me(&app, &app.admin_token).await;
    assert_eq!(admin["isPlatformAdmin"], true);
    assert_eq!(admin["account"]["username"], "admin");
    assert_eq!(admin["grants"][0]["role"], "PLATFORM_ADMIN");
    assert!(admin["grants"][0]["scopeId"].is_null());

    let data = app
        .ok(
            None,
            LOGIN,
            json!({ "input": { "username": "admin", "password": PASSWORD } }),
        )
        .await;
    assert_eq!(data["login"]["userErrors"], json!([]));
    assert_eq!(data["login"]["account"]["username"], "admin");
    assert!(data["login"]["expiresAt"].is_string());

    let staff = app
        .user_with_role("wang.staff", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    let me = me(&app, &staff).await;
    assert_eq!(me["isPlatformAdmin"], false);
    assert_eq!(me["account"]["username"], "wang.staff");
    assert_eq!(me["account"]["displayName"], "wang.staff");
    let grants = me["grants"].as_array().unwrap();
    assert_eq!(grants.len(), 1, "{me:#}");
    assert_eq!(grants[0]["role"], "COMMUNITY_STAFF");
    assert_eq!(grants[0]["scopeLevel"], "COMMUNITY");
    assert_eq!(grants[0]["scopeId"], f.community.as_str());
    assert!(grants[0]["revokedAt"].is_null());
    let permissions: Vec<&str> = grants[0]["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(permissions.contains(&"MANAGE_REGISTER"), "{permissions:?}");
    assert!(
        permissions.contains(&"READ_PERSONAL_DATA"),
        "{permissions:?}"
    );
    assert!(
        !permissions.contains(&"MANAGE_PROPERTY_COMPANIES"),
        "{permissions:?}"
    );
}

#[tokio::test]
async fn logout_revokes_the_token() {
    let app = spawn_app().await;
    let token = app.login("admin", PASSWORD).await;
    assert_eq!(me(&app, &token).await["account"]["username"], "admin");

    let data = app.ok(Some(&token), LOGOUT, json!({})).await;
    assert_eq!(data["logout"]["revoked"], true);
    assert_eq!(data["logout"]["userErrors"], json!([]));

    assert!(app.ok(Some(&token), ME, json!({})).await["me"].is_null());
    refused(
        &app,
        Some(&token),
        "createSubdistrict",
        CREATE_SUBDISTRICT,
        json!({ "districtId": SOME_DISTRICT, "name": "东湖街道" }),
        "UNAUTHENTICATED",
    )
    .await;
    // A second logout with the revoked token is unauthenticated too.
    let body = app.gql(Some(&token), LOGOUT, json!({})).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body:#}");

    // The admin's other token still works.
    assert_eq!(me(&app, &app.admin_token).await["isPlatformAdmin"], true);
    let data = app
        .ok(
            Some(&app.admin_token),
            "{ subdistricts { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data["subdistricts"]["edges"],
        json!([]),
        "nothing was created"
    );
}

#[tokio::test]
async fn anonymous_mutations_are_unauthenticated() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    refused(
        &app,
        None,
        "createSubdistrict",
        CREATE_SUBDISTRICT,
        json!({ "districtId": f.district, "name": "西湖街道" }),
        "UNAUTHENTICATED",
    )
    .await;
    refused(
        &app,
        None,
        "createCompound",
        CREATE_COMPOUND,
        json!({ "communityId": f.community, "name": "翠苑三区", "kind": "OLD_COMPOUND" }),
        "UNAUTHENTICATED",
    )
    .await;
    refused(
        &app,
        None,
        "updateCompound",
        UPDATE_COMPOUND,
        json!({ "id": f.compound, "name": "改名" }),
        "UNAUTHENTICATED",
    )
    .await;
    refused(
        &app,
        None,
        "createOwnersCommittee",
        CREATE_COMMITTEE,
        committee_input(&f.compound),
        "UNAUTHENTICATED",
    )
    .await;
    refused(
        &app,
        None,
        "createAccount",
        CREATE_ACCOUNT,
        json!({ "username": "intruder", "password": PASSWORD, "displayName": "x" }),
        "UNAUTHENTICATED",
    )
    .await;
    refused(
        &app,
        None,
        "changePassword",
        CHANGE_PASSWORD,
        json!({ "currentPassword": PASSWORD, "newPassword": "another long password" }),
        "UNAUTHENTICATED",
    )
    .await;
    let body = app.gql(None, LOGOUT, json!({})).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body:#}");

    let bodies = compound_bodies(&app, &f.compound).await;
    assert_eq!(bodies["name"], "翠苑一区");
    assert!(bodies["ownersCommittee"].is_null());
    let data = app
        .ok(
            None,
            "{ subdistricts { edges { node { id } } } compounds { edges { node { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["subdistricts"]["edges"].as_array().unwrap().len(), 1);
    assert_eq!(data["compounds"]["edges"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_committee_member_acts_in_their_own_compound_only() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let other = second_compound(&app, &f).await;
    let company = company(&app).await;
    let member = app
        .user_with_role("li.committee", "COMMITTEE_MEMBER", Some(&f.compound))
        .await;

    let created = app
        .mutate(
            &member,
            "createOwnersCommittee",
            CREATE_COMMITTEE,
            committee_input(&f.compound),
        )
        .await;
    assert_eq!(created["ownersCommittee"]["name"], "第一届业主委员会");
    let signed = app
        .mutate(
            &member,
            "signPropertyContract",
            SIGN_CONTRACT,
            contract_input(&f.compound, &company),
        )
        .await;
    assert_eq!(signed["contract"]["status"], "ACTIVE");

    refused(
        &app,
        Some(&member),
        "createOwnersCommittee",
        CREATE_COMMITTEE,
        committee_input(&other),
        "FORBIDDEN",
    )
    .await;
    refused(
        &app,
        Some(&member),
        "signPropertyContract",
        SIGN_CONTRACT,
        contract_input(&other, &company),
        "FORBIDDEN",
    )
    .await;
    // Nor may they run the register or the party branch of their own compound.
    refused(
        &app,
        Some(&member),
        "updateCompound",
        UPDATE_COMPOUND,
        json!({ "id": f.compound, "name": "改名" }),
        "FORBIDDEN",
    )
    .await;
    refused(
        &app,
        Some(&member),
        "createPartyBranch",
        CREATE_BRANCH,
        json!({ "compoundId": f.compound, "name": "翠苑一区党支部", "kind": "STANDING", "establishedOn": "2020-07-01" }),
        "FORBIDDEN",
    )
    .await;

    let mine = compound_bodies(&app, &f.compound).await;
    assert!(mine["ownersCommittee"].is_object(), "{mine:#}");
    assert!(mine["propertyContract"].is_object(), "{mine:#}");
    assert_eq!(mine["name"], "翠苑一区");
    assert!(mine["partyBranch"].is_null());
    let theirs = compound_bodies(&app, &other).await;
    assert!(theirs["ownersCommittee"].is_null(), "{theirs:#}");
    assert!(theirs["propertyContract"].is_null(), "{theirs:#}");
}

#[tokio::test]
async fn a_branch_secretary_runs_the_branch_but_not_the_committee() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let secretary = app
        .user_with_role("zhao.secretary", "BRANCH_SECRETARY", Some(&f.compound))
        .await;
    refused(
        &app,
        Some(&secretary),
        "createOwnersCommittee",
        CREATE_COMMITTEE,
        committee_input(&f.compound),
        "FORBIDDEN",
    )
    .await;
    app.mutate(
        &secretary,
        "createPartyBranch",
        CREATE_BRANCH,
        json!({ "compoundId": f.compound, "name": "翠苑一区党支部", "kind": "STANDING", "establishedOn": "2020-07-01" }),
    )
    .await;
    let bodies = compound_bodies(&app, &f.compound).await;
    assert!(bodies["ownersCommittee"].is_null(), "{bodies:#}");
    assert!(bodies["partyBranch"].is_object(), "{bodies:#}");
}

#[tokio::test]
async fn community_staff_manage_their_own_community_only() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let (other_community, other_compound) = second_community(&app, &f).await;
    let staff = app
        .user_with_role("chen.staff", "COMMUNITY_STAFF", Some(&f.community))
        .await;

    let created = app
        .mutate(
            &staff,
            "createCompound",
            CREATE_COMPOUND,
            json!({ "communityId": f.community, "name": "翠苑三区", "kind": "OLD_COMPOUND" }),
        )
        .await;
    assert_eq!(created["compound"]["name"], "翠苑三区");
    let updated = app
        .mutate(
            &staff,
            "updateCompound",
            UPDATE_COMPOUND,
            json!({ "id": f.compound, "name": "翠苑一区（东）" }),
        )
        .await;
    assert_eq!(updated["compound"]["name"], "翠苑一区（东）");
    app.mutate(
        &staff,
        "createBuilding",
        CREATE_BUILDING,
        json!({ "compoundId": f.compound, "name": "2号楼", "floors": 11 }),
    )
    .await;

    refused(
        &app,
        Some(&staff),
        "createCompound",
        CREATE_COMPOUND,
        json!({ "communityId": other_community, "name": "文新二区", "kind": "OLD_COMPOUND" }),
        "FORBIDDEN",
    )
    .await;
    refused(
        &app,
        Some(&staff),
        "updateCompound",
        UPDATE_COMPOUND,
        json!({ "id": other_compound, "name": "改名" }),
        "FORBIDDEN",
    )
    .await;
    refused(
        &app,
        Some(&staff),
        "createBuilding",
        CREATE_BUILDING,
        json!({ "compoundId": other_compound, "name": "1号楼" }),
        "FORBIDDEN",
    )
    .await;
    // Communities are made at the subdistrict level, above community staff.
    refused(
        &app,
        Some(&staff),
        "createCommunity",
        CREATE_COMMUNITY,
        json!({ "subdistrictId": f.subdistrict, "name": "新社区" }),
        "FORBIDDEN",
    )
    .await;

    let data = app
        .ok(
            None,
            "query($c: ID!) { compounds(filter: { communityId: $c }) { edges { node { name } } } }",
            json!({ "c": other_community }),
        )
        .await;
    assert_eq!(
        data["compounds"]["edges"],
        json!([{ "node": { "name": "文新一区" } }])
    );
}

#[tokio::test]
async fn residents_cannot_create_anything() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let resident = app
        .user_with_role("sun.resident", "RESIDENT", Some(&f.dwellings[0]))
        .await;
    let r = Some(resident.as_str());
    refused(
        &app,
        r,
        "createSubdistrict",
        CREATE_SUBDISTRICT,
        json!({ "districtId": f.district, "name": "西湖街道" }),
        "FORBIDDEN",
    )
    .await;
    refused(
        &app,
        r,
        "createCompound",
        CREATE_COMPOUND,
        json!({ "communityId": f.community, "name": "翠苑三区", "kind": "OLD_COMPOUND" }),
        "FORBIDDEN",
    )
    .await;
    refused(
        &app,
        r,
        "createBuilding",
        CREATE_BUILDING,
        json!({ "compoundId": f.compound, "name": "9号楼" }),
        "FORBIDDEN",
    )
    .await;
    refused(
        &app,
        r,
        "createPerson",
        CREATE_PERSON,
        json!({ "communityId": f.community, "name": "孙一" }),
        "FORBIDDEN",
    )
    .await;
    refused(
        &app,
        r,
        "createOwnersCommittee",
        CREATE_COMMITTEE,
        committee_input(&f.compound),
        "FORBIDDEN",
    )
    .await;
    refused(
        &app,
        r,
        "createPartyBranch",
        CREATE_BRANCH,
        json!({ "compoundId": f.compound, "name": "支部", "kind": "STANDING", "establishedOn": "2020-07-01" }),
        "FORBIDDEN",
    )
    .await;
    refused(
        &app,
        r,
        "createAccount",
        CREATE_ACCOUNT,
        json!({ "username": "sun.friend", "password": PASSWORD, "displayName": "friend" }),
        "FORBIDDEN",
    )
    .await;
    refused(
        &app,
        r,
        "createPropertyCompany",
        CREATE_COMPANY,
        json!({ "name": "某物业" }),
        "FORBIDDEN",
    )
    .await;

    let bodies = compound_bodies(&app, &f.compound).await;
    assert!(bodies["ownersCommittee"].is_null());
    assert!(bodies["partyBranch"].is_null());
    let data = app
        .ok(None, "{ compounds { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(data["compounds"]["edges"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn only_those_over_the_district_create_subdistricts() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let sd_staff = app
        .user_with_role(
            "zhou.subdistrict",
            "SUBDISTRICT_STAFF",
            Some(&f.subdistrict),
        )
        .await;
    let c_staff = app
        .user_with_role("wu.community", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    for token in [&sd_staff, &c_staff] {
        refused(
            &app,
            Some(token),
            "createSubdistrict",
            CREATE_SUBDISTRICT,
            json!({ "districtId": f.district, "name": "西湖街道" }),
            "FORBIDDEN",
        )
        .await;
    }
    // Subdistrict staff still make communities in their own subdistrict.
    app.mutate(
        &sd_staff,
        "createCommunity",
        CREATE_COMMUNITY,
        json!({ "subdistrictId": f.subdistrict, "name": "文新社区" }),
    )
    .await;
    app.mutate(
        &app.admin_token,
        "createSubdistrict",
        CREATE_SUBDISTRICT,
        json!({ "districtId": f.district, "name": "西湖街道" }),
    )
    .await;
    let data = app
        .ok(
            None,
            "{ subdistricts { edges { node { name } } } }",
            json!({}),
        )
        .await;
    let names: Vec<&str> = data["subdistricts"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["东湖街道", "西湖街道"]);
}

#[tokio::test]
async fn community_staff_cannot_grant_platform_admin() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let staff = app
        .user_with_role("qian.staff", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    let account = app
        .mutate(
            &staff,
            "createAccount",
            CREATE_ACCOUNT,
            json!({ "username": "feng.member", "password": PASSWORD, "displayName": "冯" }),
        )
        .await["account"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    refused(
        &app,
        Some(&staff),
        "grantRole",
        GRANT_ROLE,
        json!({ "accountId": account, "role": "PLATFORM_ADMIN" }),
        "FORBIDDEN",
    )
    .await;
    refused(
        &app,
        Some(&staff),
        "grantRole",
        GRANT_ROLE,
        json!({ "accountId": account, "role": "SUBDISTRICT_STAFF", "scopeId": f.subdistrict }),
        "FORBIDDEN",
    )
    .await;
    // Nor can staff make themselves admin.
    let staff_account = me(&app, &staff).await;
    let staff_grants = staff_account["grants"].as_array().unwrap().len();
    refused(
        &app,
        Some(&staff),
        "grantRole",
        GRANT_ROLE,
        json!({ "accountId": staff_account["account"]["id"], "role": "PLATFORM_ADMIN" }),
        "FORBIDDEN",
    )
    .await;
    // Within their community they may grant compound roles.
    let granted = app
        .mutate(
            &staff,
            "grantRole",
            GRANT_ROLE,
            json!({ "accountId": account, "role": "COMMITTEE_MEMBER", "scopeId": f.compound }),
        )
        .await;
    assert_eq!(granted["grant"]["role"], "COMMITTEE_MEMBER");
    assert_eq!(granted["grant"]["scopeId"], f.compound.as_str());

    // Accounts are visible to their holder and the admin only.
    let account_query = "query($id: ID!) { node(id: $id) { ... on Account { username } } }";
    for token in [None, Some(staff.as_str())] {
        let seen = app.ok(token, account_query, json!({ "id": account })).await;
        assert!(seen["node"].is_null(), "{seen:#}");
    }
    let seen = app
        .ok(
            Some(&app.admin_token),
            account_query,
            json!({ "id": account }),
        )
        .await;
    assert_eq!(seen["node"]["username"], "feng.member");

    let member = app.login("feng.member", PASSWORD).await;
    let me_member = me(&app, &member).await;
    assert_eq!(me_member["isPlatformAdmin"], false);
    let roles: Vec<&str> = me_member["grants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["COMMITTEE_MEMBER"]);
    assert_eq!(
        me(&app, &staff).await["grants"].as_array().unwrap().len(),
        staff_grants
    );
}

#[tokio::test]
async fn personal_data_is_masked_unless_the_caller_is_entitled() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let other_compound = second_compound(&app, &f).await;
    let (other_community, _) = second_community(&app, &f).await;
    let p = person(&app, &f, "张三", false).await;
    own(&app, &p, &f.dwellings[0]).await;

    // The person's own account, linked to their record, with no role.
    let linked = app
        .mutate(
            &app.admin_token,
            "createAccount",
            CREATE_ACCOUNT,
            json!({ "username": "zhang.san", "password": PASSWORD, "displayName": "张三", "personId": p }),
        )
        .await;
    assert_eq!(linked["account"]["personId"], p.as_str());
    let own_token = app.login("zhang.san", PASSWORD).await;

    let staff = app
        .user_with_role("he.staff", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    let other_staff = app
        .user_with_role("lu.staff", "COMMUNITY_STAFF", Some(&other_community))
        .await;
    let member_here = app
        .user_with_role("lv.member", "COMMITTEE_MEMBER", Some(&f.compound))
        .await;
    let member_there = app
        .user_with_role("shi.member", "COMMITTEE_MEMBER", Some(&other_compound))
        .await;

    let read = |token: Option<String>| {
        let app = &app;
        let p = p.clone();
        async move {
            app.ok(token.as_deref(), PERSON_DATA, json!({ "id": p }))
                .await["node"]
                .clone()
        }
    };

    for (who, token) in [
        ("anonymous", None),
        (
            "a committee member of another compound",
            Some(member_there.clone()),
        ),
        ("staff of another community", Some(other_staff.clone())),
    ] {
        let seen = read(token).await;
        assert_eq!(seen["name"], "张三", "{who}");
        assert_eq!(seen["phone"], MASKED_PHONE, "{who}");
        assert_eq!(seen["idNumber"], MASKED_ID_NUMBER, "{who}");
        assert_eq!(seen["personalDataVisible"], false, "{who}");
        assert_eq!(seen["ownerships"], json!([]), "{who}");
    }
    for (who, token) in [
        ("the admin", Some(app.admin_token.clone())),
        ("staff of the person's community", Some(staff.clone())),
        (
            "a committee member of the compound they own in",
            Some(member_here.clone()),
        ),
        ("the person themself", Some(own_token.clone())),
    ] {
        let seen = read(token).await;
        assert_eq!(seen["phone"], RAW_PHONE, "{who}");
        assert_eq!(seen["idNumber"], RAW_ID_NUMBER, "{who}");
        assert_eq!(seen["personalDataVisible"], true, "{who}");
        assert_eq!(
            seen["ownerships"].as_array().map(Vec::len),
            Some(1),
            "{who}"
        );
    }
    // `me` of the linked account points at the person.
    assert_eq!(
        me(&app, &own_token).await["account"]["personId"],
        p.as_str()
    );

    // The person may correct their own phone, but nothing else of their record.
    app.mutate(
        &own_token,
        "updatePerson",
        UPDATE_PERSON,
        json!({ "id": p, "phone": "13987654321" }),
    )
    .await;
    refused(
        &app,
        Some(&own_token),
        "updatePerson",
        UPDATE_PERSON,
        json!({ "id": p, "name": "张三丰" }),
        "FORBIDDEN",
    )
    .await;
    let seen = read(Some(own_token.clone())).await;
    assert_eq!(seen["name"], "张三");
    assert_eq!(seen["phone"], "13987654321");
    assert_eq!(read(None).await["phone"], "139****4321");
}

#[tokio::test]
async fn a_chiefs_contact_phone_is_public_but_their_own_number_is_not() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let p = person(&app, &f, "李四", true).await;
    app.mutate(
        &app.admin_token,
        "appointChief",
        APPOINT_CHIEF,
        json!({
            "level": "BUILDING_CHIEF",
            "personId": p,
            "scope": { "buildingId": f.building },
            "contactPhone": "13900001111",
            "startsOn": "2024-01-01",
        }),
    )
    .await;
    let query = "query($id: ID!) { node(id: $id) { ... on Compound { chiefs { edges { node { level holderName contactPhone holder { phone idNumber } } } } } } }";
    let data = app.ok(None, query, json!({ "id": f.compound })).await;
    let chief = &data["node"]["chiefs"]["edges"][0]["node"];
    assert_eq!(chief["level"], "BUILDING_CHIEF");
    assert_eq!(chief["holderName"], "李四");
    assert_eq!(chief["contactPhone"], "13900001111");
    assert_eq!(chief["holder"]["phone"], MASKED_PHONE);
    assert_eq!(chief["holder"]["idNumber"], MASKED_ID_NUMBER);

    // The placard of a dwelling in the building shows the same public contact.
    let data = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Dwelling { responsibleChain { level contactPhone } } } }",
            json!({ "id": f.dwellings[1] }),
        )
        .await;
    let chain = data["node"]["responsibleChain"].as_array().unwrap();
    assert!(
        chain
            .iter()
            .any(|c| c["level"] == "BUILDING_CHIEF" && c["contactPhone"] == "13900001111"),
        "{chain:#?}"
    );
}

#[tokio::test]
async fn who_lives_in_and_owns_a_dwelling_is_hidden_from_anonymous_callers() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let p = person(&app, &f, "王五", false).await;
    own(&app, &p, &f.dwellings[0]).await;
    app.mutate(
        &app.admin_token,
        "addResidency",
        ADD_RESIDENCY,
        json!({ "personId": p, "dwellingId": f.dwellings[0], "kind": "OWNER", "startsOn": "2020-01-01" }),
    )
    .await;
    let query = "query($id: ID!) { node(id: $id) { ... on Dwelling { number residencies { kind person { name } } ownerships { person { name } } } } }";

    let anonymous = app.ok(None, query, json!({ "id": f.dwellings[0] })).await;
    assert_eq!(anonymous["node"]["number"], "1-201");
    assert_eq!(anonymous["node"]["residencies"], json!([]));
    assert_eq!(anonymous["node"]["ownerships"], json!([]));

    let neighbour = app
        .user_with_role("zhao.neighbour", "RESIDENT", Some(&f.dwellings[1]))
        .await;
    let resident = app
        .user_with_role("wang.resident", "RESIDENT", Some(&f.dwellings[0]))
        .await;
    let nosy = app
        .ok(Some(&neighbour), query, json!({ "id": f.dwellings[0] }))
        .await;
    assert_eq!(nosy["node"]["residencies"], json!([]));
    assert_eq!(nosy["node"]["ownerships"], json!([]));

    for token in [&app.admin_token, &resident] {
        let seen = app
            .ok(Some(token), query, json!({ "id": f.dwellings[0] }))
            .await;
        assert_eq!(
            seen["node"]["residencies"],
            json!([{ "kind": "OWNER", "person": { "name": "王五" } }])
        );
        assert_eq!(
            seen["node"]["ownerships"],
            json!([{ "person": { "name": "王五" } }])
        );
    }
}

#[tokio::test]
async fn changing_the_password_revokes_the_other_tokens() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let first = app
        .user_with_role("yang.staff", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    let second = app.login("yang.staff", PASSWORD).await;
    assert!(!me(&app, &second).await.is_null());

    // A wrong current password changes nothing.
    let data = app
        .ok(
            Some(&first),
            CHANGE_PASSWORD,
            json!({ "input": { "currentPassword": "not my password", "newPassword": "a brand new password" } }),
        )
        .await;
    assert_eq!(
        data["changePassword"]["userErrors"][0]["field"],
        json!(["input", "currentPassword"])
    );
    assert!(
        !me(&app, &second).await.is_null(),
        "a failed change revokes nothing"
    );

    // Nor does a new password that breaks the policy.
    let data = app
        .ok(
            Some(&first),
            CHANGE_PASSWORD,
            json!({ "input": { "currentPassword": PASSWORD, "newPassword": "short" } }),
        )
        .await;
    assert_eq!(
        data["changePassword"]["userErrors"][0]["field"],
        json!(["input", "newPassword"])
    );
    assert!(
        !me(&app, &second).await.is_null(),
        "a failed change revokes nothing"
    );

    let new_password = "a brand new password";
    let changed = app
        .mutate(
            &first,
            "changePassword",
            CHANGE_PASSWORD,
            json!({ "currentPassword": PASSWORD, "newPassword": new_password }),
        )
        .await;
    assert_eq!(changed["account"]["username"], "yang.staff");

    assert!(app.ok(Some(&second), ME, json!({})).await["me"].is_null());
    assert_eq!(me(&app, &first).await["account"]["username"], "yang.staff");

    let old = app
        .ok(
            None,
            LOGIN,
            json!({ "input": { "username": "yang.staff", "password": PASSWORD } }),
        )
        .await;
    assert!(old["login"]["token"].is_null());
    let fresh = app.login("yang.staff", new_password).await;
    assert_eq!(me(&app, &fresh).await["account"]["username"], "yang.staff");
}

#[tokio::test]
async fn tokens_are_stored_only_hashed() {
    let app = spawn_app().await;
    let token = app.login("admin", PASSWORD).await;
    let backend = app.db.get_database_backend();
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT token_hash FROM auth_token",
        ))
        .await
        .expect("read auth_token");
    let hashes: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String>("", "token_hash").expect("token_hash"))
        .collect();
    assert_eq!(hashes.len(), 2, "one row per login");
    for t in [&token, &app.admin_token] {
        assert!(t.len() >= 40, "a token carries enough randomness: {t}");
        for h in &hashes {
            assert_ne!(h, t);
            assert!(!h.contains(t.as_str()) && !t.contains(h.as_str()));
        }
    }
    assert_ne!(hashes[0], hashes[1]);
}

#[tokio::test]
async fn revoking_a_role_takes_its_powers_away_at_once() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let staff = app
        .user_with_role("jiang.staff", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    let grant = me(&app, &staff).await["grants"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let revoked = app
        .mutate(
            &app.admin_token,
            "revokeRole",
            "mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { grant { id revokedAt } userErrors { field message code } } }",
            json!({ "grantId": grant }),
        )
        .await;
    assert!(revoked["grant"]["revokedAt"].is_string());

    // The same token, still valid, now holds nothing.
    let now = me(&app, &staff).await;
    assert_eq!(now["account"]["username"], "jiang.staff");
    assert_eq!(now["grants"], json!([]));
    refused(
        &app,
        Some(&staff),
        "updateCompound",
        UPDATE_COMPOUND,
        json!({ "id": f.compound, "name": "改名" }),
        "FORBIDDEN",
    )
    .await;
    let p = person(&app, &f, "张三", false).await;
    let seen = app.ok(Some(&staff), PERSON_DATA, json!({ "id": p })).await;
    assert_eq!(seen["node"]["phone"], MASKED_PHONE);
}

#[tokio::test]
async fn a_token_carries_every_live_grant_of_its_account_and_no_revoked_one() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let (other_community, other_compound) = second_community(&app, &f).await;
    let staff = app
        .user_with_role("shen.staff", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    let first = me(&app, &staff).await;
    let first_grant = first["grants"][0]["id"].as_str().unwrap().to_owned();
    app.mutate(
        &app.admin_token,
        "grantRole",
        GRANT_ROLE,
        json!({ "accountId": first["account"]["id"], "role": "COMMUNITY_STAFF", "scopeId": other_community }),
    )
    .await;

    // The same token now acts in both communities.
    for (compound, name) in [(&f.compound, "翠苑一区甲"), (&other_compound, "文新一区甲")]
    {
        let updated = app
            .mutate(
                &staff,
                "updateCompound",
                UPDATE_COMPOUND,
                json!({ "id": compound, "name": name }),
            )
            .await;
        assert_eq!(updated["compound"]["name"], name);
    }

    // With the first grant revoked, only the second community is left.
    app.mutate(
        &app.admin_token,
        "revokeRole",
        "mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { grant { id } userErrors { field message code } } }",
        json!({ "grantId": first_grant }),
    )
    .await;
    refused(
        &app,
        Some(&staff),
        "updateCompound",
        UPDATE_COMPOUND,
        json!({ "id": f.compound, "name": "翠苑一区乙" }),
        "FORBIDDEN",
    )
    .await;
    let updated = app
        .mutate(
            &staff,
            "updateCompound",
            UPDATE_COMPOUND,
            json!({ "id": other_compound, "name": "文新一区乙" }),
        )
        .await;
    assert_eq!(updated["compound"]["name"], "文新一区乙");
}

#[tokio::test]
async fn an_expired_token_is_anonymous() {
    let app = crate::helpers::spawn_app().await;
    assert_eq!(me(&app, &app.admin_token).await["isPlatformAdmin"], true);
    let ttl = chrono::Duration::from_std(app.config.token_ttl).unwrap();
    app.clock
        .advance(ttl + chrono::Duration::seconds(1))
        .unwrap();
    assert!(app.ok(Some(&app.admin_token), ME, json!({})).await["me"].is_null());
    refused(
        &app,
        Some(&app.admin_token),
        "createSubdistrict",
        CREATE_SUBDISTRICT,
        json!({ "districtId": SOME_DISTRICT, "name": "东湖街道" }),
        "UNAUTHENTICATED",
    )
    .await;
}

#[tokio::test]
async fn staff_cannot_link_an_account_to_a_person_outside_their_community() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let (other_community, _) = second_community(&app, &f).await;
    let p = person(&app, &f, "张三", false).await;
    let outsider = app
        .user_with_role("lu.staff", "COMMUNITY_STAFF", Some(&other_community))
        .await;
    // Staff of another community do not see the person's numbers...
    let seen = app
        .ok(Some(&outsider), PERSON_DATA, json!({ "id": p }))
        .await;
    assert_eq!(seen["node"]["phone"], MASKED_PHONE);

    // ...so they may not mint an account linked to the person, whose
    // password they would know and which would see those numbers.
    let body = app
        .gql(
            Some(&outsider),
            CREATE_ACCOUNT,
            json!({ "input": { "username": "fake.zhang", "password": PASSWORD, "displayName": "张三", "personId": p } }),
        )
        .await;
    assert!(
        body["data"]["createAccount"]["account"].is_null(),
        "staff of another community linked an account to the person: {body:#}"
    );
    let refused_as_forbidden = error_code(&body) == Some("FORBIDDEN");
    let refused_as_input = body["data"]["createAccount"]["userErrors"]
        .as_array()
        .is_some_and(|e| !e.is_empty());
    assert!(refused_as_forbidden || refused_as_input, "{body:#}");
    let login = app
        .ok(
            None,
            LOGIN,
            json!({ "input": { "username": "fake.zhang", "password": PASSWORD } }),
        )
        .await;
    assert!(login["login"]["token"].is_null());
}

/// Grid workers and building chiefs are granted over a grid or a building,
/// which must exist and be of that level; they hold only what the areas
/// list for them (recording residents' opinions), so they change nothing else.
#[tokio::test]
async fn grid_workers_and_building_chiefs_are_granted_over_their_unit() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let worker = app
        .user_with_role("grid.worker", "GRID_WORKER", Some(&f.grid))
        .await;
    let chief = app
        .user_with_role("building.chief", "BUILDING_CHIEF", Some(&f.building))
        .await;
    let w = me(&app, &worker).await;
    assert_eq!(w["grants"][0]["role"], "GRID_WORKER");
    assert_eq!(w["grants"][0]["scopeLevel"], "GRID");
    assert_eq!(w["grants"][0]["scopeId"], f.grid.as_str());
    assert_eq!(
        w["grants"][0]["permissions"],
        json!(["RECORD_OPINIONS", "REPORT_GRID_EVENTS", "READ_GRID_EVENTS"])
    );
    let c = me(&app, &chief).await;
    assert_eq!(c["grants"][0]["scopeLevel"], "BUILDING");
    assert_eq!(c["grants"][0]["scopeId"], f.building.as_str());

    // A building is not a grid.
    let account = app
        .mutate(
            &app.admin_token,
            "createAccount",
            CREATE_ACCOUNT,
            json!({ "username": "wrong.level", "password": PASSWORD, "displayName": "x" }),
        )
        .await["account"]["id"]
        .clone();
    let data = app
        .ok(
            Some(&app.admin_token),
            GRANT_ROLE,
            json!({ "input": { "accountId": account, "role": "GRID_WORKER", "scopeId": f.building } }),
        )
        .await;
    assert_eq!(data["grantRole"]["grant"], Value::Null);
    assert_eq!(
        data["grantRole"]["userErrors"][0]["field"],
        json!(["input", "scopeId"])
    );

    // Holding no other permission, a building chief is refused like a resident.
    refused(
        &app,
        Some(&chief),
        "updateBuilding",
        "mutation($input: UpdateBuildingInput!) { updateBuilding(input: $input) { building { id } userErrors { field message code } } }",
        json!({ "id": f.building, "name": "改名" }),
        "FORBIDDEN",
    )
    .await;
}
