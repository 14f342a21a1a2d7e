//! Responsibility lists (谁受益、谁担责) over HTTP: publishing a community's
//! list for a kind of party, new versions superseding old ones from their
//! own dates with the history readable, reading everything as an anonymous
//! resident, linking each kind of register party (property company, rental
//! building, shop, building chief, named party) and reading its list back
//! from the party, and the refusals: mismatched kinds, parties of another
//! community, bad input (user errors with fields and codes), anonymous and
//! out-of-reach callers, missing IDs answering like existing ones.

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};

use crate::helpers::{Fixture, PASSWORD, TestApp, fixture, nodes, person, spawn_app};
use crate::register::{assert_error, id, op, refused, run};

const VERSION: &str = "version { id number title note publishedOn supersededOn inForce
    items { position field text } list { id partyKind community { id } } }";
const LINK: &str = "link { id list { id partyKind } propertyCompany { id } building { id }
    shop { id } chiefAppointment { id } partyName }";

const LIST_BY_KIND: &str = "query($c: ID!, $k: ResponsiblePartyKind!, $on: Date!) {
    responsibilityList(communityId: $c, partyKind: $k) {
        id partyKind
        current { number title items { position field text } }
        inForceOn(on: $on) { number }
        versions { edges { node { number publishedOn supersededOn inForce note items { text } } } }
    } }";

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A version's input with `n` duties spread over the four fields.
fn version_input(community: &str, kind: &str, title: &str, texts: &[&str]) -> Value {
    let fields = [
        "PUBLIC_SECURITY",
        "FIRE_SAFETY",
        "SAFETY",
        "CITY_MANAGEMENT",
    ];
    let items: Vec<Value> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| json!({ "field": fields[i % 4], "text": t }))
        .collect();
    json!({ "communityId": community, "partyKind": kind, "title": title, "items": items })
}

/// Publishes a version as the admin; returns the version.
async fn publish(app: &TestApp, input: Value) -> Value {
    run(app, "publishResponsibilityList", VERSION, input).await["version"].clone()
}

/// Publishes a one-duty list of `kind` in `community` as the admin; returns the list's ID.
async fn list_of(app: &TestApp, community: &str, kind: &str) -> String {
    let v = publish(
        app,
        version_input(community, kind, "责任清单", &["落实防火巡查"]),
    )
    .await;
    id(&v["list"])
}

async fn link(app: &TestApp, input: Value) -> Value {
    run(app, "linkResponsibleParty", LINK, input).await["link"].clone()
}

async fn link_refused(app: &TestApp, input: Value) -> Value {
    let p = refused(app, "linkResponsibleParty", LINK, input).await;
    assert_eq!(p["link"], Value::Null, "{p:#}");
    p
}

async fn create(app: &TestApp, name: &str, key: &str, input: Value) -> String {
    id(&run(app, name, &format!("{key} {{ id }}"), input).await[key])
}

#[tokio::test]
async fn versions_supersede_each_other_by_date_and_residents_read_them_without_an_account() {
    let mut app = spawn_app().await;
    let f = fixture(&app).await;
    let staff = app
        .user_with_role("duty.staff", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    let today = app.clock.today();
    let publish_query = op("publishResponsibilityList", VERSION);

    // The first version, published by community staff, takes effect today.
    let v1 = app
        .mutate(
            &staff,
            "publishResponsibilityList",
            &publish_query,
            version_input(
                &f.community,
                "PROPERTY_COMPANY",
                "物业服务企业责任清单",
                &[
                    "配合做好小区治安防范,落实门岗值守",
                    "定期检查消防设施,保持消防通道畅通",
                    "排查电梯、二次供水等安全隐患",
                    "清运生活垃圾,制止违规搭建",
                ],
            ),
        )
        .await["version"]
        .clone();
    assert_eq!(v1["number"], 1);
    assert_eq!(v1["publishedOn"], day(today));
    assert_eq!(v1["supersededOn"], Value::Null);
    assert_eq!(v1["inForce"], true);
    assert_eq!(v1["list"]["partyKind"], "PROPERTY_COMPANY");
    assert_eq!(v1["list"]["community"]["id"], f.community);
    assert_eq!(
        v1["items"],
        json!([
            { "position": 1, "field": "PUBLIC_SECURITY", "text": "配合做好小区治安防范,落实门岗值守" },
            { "position": 2, "field": "FIRE_SAFETY", "text": "定期检查消防设施,保持消防通道畅通" },
            { "position": 3, "field": "SAFETY", "text": "排查电梯、二次供水等安全隐患" },
            { "position": 4, "field": "CITY_MANAGEMENT", "text": "清运生活垃圾,制止违规搭建" },
        ])
    );

    // A change is a new version, announced ahead of its date: today the old one still holds.
    let later = today + Duration::days(10);
    let mut input = version_input(
        &f.community,
        "PROPERTY_COMPANY",
        "物业服务企业责任清单(修订)",
        &["落实24小时门岗值守", "每月检查消防设施"],
    );
    input["publishedOn"] = json!(day(later));
    input["note"] = json!("门岗改为24小时值守");
    let v2 = app
        .mutate(&staff, "publishResponsibilityList", &publish_query, input)
        .await["version"]
        .clone();
    assert_eq!(v2["number"], 2);
    assert_eq!(v2["inForce"], false);
    assert_eq!(v2["list"]["id"], v1["list"]["id"], "one list per kind");

    // Anyone reads it, with no account.
    let read = |on: NaiveDate| json!({ "c": f.community, "k": "PROPERTY_COMPANY", "on": day(on) });
    let list = app.ok(None, LIST_BY_KIND, read(today)).await["responsibilityList"].clone();
    assert_eq!(list["current"]["number"], 1);
    assert_eq!(list["current"]["items"].as_array().unwrap().len(), 4);
    let history = nodes(&list["versions"]);
    assert_eq!(history[0]["supersededOn"], day(later));
    assert_eq!(history[1]["publishedOn"], day(later));
    assert_eq!(history[1]["note"], "门岗改为24小时值守");
    let before = app
        .ok(None, LIST_BY_KIND, read(today - Duration::days(1)))
        .await;
    assert_eq!(before["responsibilityList"]["inForceOn"], Value::Null);
    let ahead = app.ok(None, LIST_BY_KIND, read(later)).await;
    assert_eq!(ahead["responsibilityList"]["inForceOn"]["number"], 2);
    assert_eq!(
        app.ok(None, LIST_BY_KIND, read(later - Duration::days(1)))
            .await["responsibilityList"]["inForceOn"]["number"],
        1
    );

    // Ten days on, the new version is in force; the old one is history, unchanged.
    app.clock.advance(Duration::days(10)).unwrap();
    // Sessions do not last ten days: the admin signs in again.
    app.admin_token = app.login("admin", PASSWORD).await;
    let now = app.ok(None, LIST_BY_KIND, read(later)).await["responsibilityList"].clone();
    assert_eq!(now["current"]["number"], 2);
    assert_eq!(now["current"]["title"], "物业服务企业责任清单(修订)");
    let history = nodes(&now["versions"]);
    assert_eq!(history[0]["inForce"], false);
    assert_eq!(history[1]["inForce"], true);
    assert_eq!(history[0]["items"].as_array().unwrap().len(), 4);

    // A later version may not take effect before the one it supersedes…
    let mut v3 = version_input(&f.community, "PROPERTY_COMPANY", "第三版", &["甲"]);
    v3["publishedOn"] = json!(day(later + Duration::days(30)));
    publish(&app, v3).await;
    let mut early = version_input(&f.community, "PROPERTY_COMPANY", "第四版", &["乙"]);
    early["publishedOn"] = json!(day(later + Duration::days(20)));
    let p = refused(&app, "publishResponsibilityList", VERSION, early).await;
    assert_error(&p, &["input", "publishedOn"], "CONFLICT");
    assert_eq!(p["version"], Value::Null);
    // …nor before the day it is published.
    let mut backdated = version_input(&f.community, "PROPERTY_COMPANY", "补录", &["丙"]);
    backdated["publishedOn"] = json!(day(later - Duration::days(1)));
    let p = refused(&app, "publishResponsibilityList", VERSION, backdated).await;
    assert_error(&p, &["input", "publishedOn"], "OUT_OF_RANGE");
    // A version for the same date as its predecessor replaces it from that day.
    let mut same_day = version_input(&f.community, "PROPERTY_COMPANY", "第三版(更正)", &["丁"]);
    same_day["publishedOn"] = json!(day(later + Duration::days(30)));
    let v4 = publish(&app, same_day).await;
    assert_eq!(v4["number"], 4);
    let at = app
        .ok(None, LIST_BY_KIND, read(later + Duration::days(30)))
        .await["responsibilityList"]
        .clone();
    assert_eq!(at["inForceOn"]["number"], 4);
    let history = nodes(&at["versions"]);
    assert_eq!(history.as_array().unwrap().len(), 4, "{history:#}");
    assert_eq!(history[2]["supersededOn"], day(later + Duration::days(30)));
    assert_eq!(
        history[2]["items"],
        json!([{ "text": "甲" }]),
        "kept as published"
    );

    // The community lists its lists, to anyone, as a connection.
    let q = "query($id: ID!) { node(id: $id) { ... on Community {
        responsibilityLists(first: 10) { edges { node { partyKind current { number } } } } } } }";
    let lists = app.ok(None, q, json!({ "id": f.community })).await;
    assert_eq!(
        nodes(&lists["node"]["responsibilityLists"]),
        json!([{ "partyKind": "PROPERTY_COMPANY", "current": { "number": 2 } }])
    );

    // Each version and the list's beginning are in the audit trail.
    use compound_api::entity::audit_record;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let published = audit_record::Entity::find()
        .filter(audit_record::Column::Operation.eq("publishResponsibilityList"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(published, 4);
    let begun = audit_record::Entity::find()
        .filter(audit_record::Column::Operation.eq("createResponsibilityList"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(begun, 1);
}

#[tokio::test]
async fn bad_versions_answer_at_their_fields_and_store_nothing() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let cases: Vec<(Value, Vec<&str>, &str)> = vec![
        (
            version_input(&f.community, "TENANT", "租户责任清单", &[]),
            vec!["input", "items"],
            "REQUIRED",
        ),
        (
            version_input(&f.community, "TENANT", "租户责任清单", &["不得群租", "  "]),
            vec!["input", "items", "1", "text"],
            "REQUIRED",
        ),
        (
            version_input(&f.community, "TENANT", " ", &["不得群租"]),
            vec!["input", "title"],
            "REQUIRED",
        ),
        (
            version_input(
                &f.community,
                "TENANT",
                "租户责任清单",
                &["长".repeat(1001).as_str()],
            ),
            vec!["input", "items", "0", "text"],
            "TOO_LONG",
        ),
        (
            version_input(&f.community, "TENANT", "租户责任清单", &["一条"; 101]),
            vec!["input", "items"],
            "OUT_OF_RANGE",
        ),
        (
            version_input(&f.compound, "TENANT", "租户责任清单", &["不得群租"]),
            vec!["input", "communityId"],
            "INVALID",
        ),
    ];
    for (input, field, code) in cases {
        let p = refused(&app, "publishResponsibilityList", VERSION, input).await;
        assert_error(&p, &field, code);
        assert_eq!(p["version"], Value::Null);
    }
    let q = "query($c: ID!) { responsibilityList(communityId: $c, partyKind: TENANT) { id } }";
    let none = app.ok(None, q, json!({ "c": f.community })).await;
    assert_eq!(
        none["responsibilityList"],
        Value::Null,
        "nothing was stored"
    );
}

/// The fixture plus one of every kind of register party in its community,
/// and a rental building and a shop in a second community.
struct Parties {
    f: Fixture,
    company: String,
    rental: String,
    shop: String,
    chief: String,
    other_community: String,
    other_rental: String,
    other_shop: String,
    idle_company: String,
}

async fn parties(app: &TestApp) -> Parties {
    let f = fixture(app).await;
    let company = create(
        app,
        "createPropertyCompany",
        "propertyCompany",
        json!({ "name": "绿城物业" }),
    )
    .await;
    let today = app.clock.today();
    run(
        app,
        "signPropertyContract",
        "contract { id }",
        json!({ "compoundId": f.compound, "companyId": company,
                "startsOn": day(today - Duration::days(100)), "endsOn": day(today + Duration::days(1000)) }),
    )
    .await;
    let idle_company = create(
        app,
        "createPropertyCompany",
        "propertyCompany",
        json!({ "name": "闲置物业" }),
    )
    .await;
    let rental = create(
        app,
        "createBuilding",
        "building",
        json!({ "compoundId": f.compound, "name": "9号出租楼", "isRental": true, "floors": 5 }),
    )
    .await;
    let street = create(
        app,
        "createCompound",
        "compound",
        json!({ "communityId": f.community, "name": "文三街商区", "kind": "COMMERCIAL_STREET" }),
    )
    .await;
    let block = create(
        app,
        "createBuilding",
        "building",
        json!({ "compoundId": street, "name": "东段门店", "kind": "SHOP_BLOCK" }),
    )
    .await;
    let shop = create(
        app,
        "createDwelling",
        "dwelling",
        json!({ "buildingId": block, "number": "东段-1", "exclusiveArea": "35.00" }),
    )
    .await;
    let holder = person(app, &f, "楼栋长王", false).await;
    let chief = create(
        app,
        "appointChief",
        "appointment",
        json!({ "level": "BUILDING_CHIEF", "personId": holder, "scope": { "buildingId": f.building },
                "contactPhone": "13900000009", "startsOn": day(today - Duration::days(30)) }),
    )
    .await;
    let other_community = create(
        app,
        "createCommunity",
        "community",
        json!({ "subdistrictId": f.subdistrict, "name": "桂花社区" }),
    )
    .await;
    let other_compound = create(
        app,
        "createCompound",
        "compound",
        json!({ "communityId": other_community, "name": "桂花园", "kind": "COMMODITY_HOUSING" }),
    )
    .await;
    let other_rental = create(
        app,
        "createBuilding",
        "building",
        json!({ "compoundId": other_compound, "name": "出租楼", "isRental": true }),
    )
    .await;
    let other_block = create(
        app,
        "createBuilding",
        "building",
        json!({ "compoundId": other_compound, "name": "底商", "kind": "SHOP_BLOCK" }),
    )
    .await;
    let other_shop = create(
        app,
        "createDwelling",
        "dwelling",
        json!({ "buildingId": other_block, "number": "底商-1", "exclusiveArea": "40.00" }),
    )
    .await;
    Parties {
        f,
        company,
        rental,
        shop,
        chief,
        other_community,
        other_rental,
        other_shop,
        idle_company,
    }
}

#[tokio::test]
async fn every_kind_of_register_party_links_to_its_list_and_reads_it_back() {
    let app = spawn_app().await;
    let p = parties(&app).await;
    let c = &p.f.community;
    let company_list = list_of(&app, c, "PROPERTY_COMPANY").await;
    let landlord_list = list_of(&app, c, "LANDLORD").await;
    let merchant_list = list_of(&app, c, "MERCHANT").await;
    let chief_list = list_of(&app, c, "BUILDING_CHIEF").await;
    let factory_list = list_of(&app, c, "FACTORY").await;

    let l = link(
        &app,
        json!({ "responsibilityListId": company_list, "propertyCompanyId": p.company }),
    )
    .await;
    assert_eq!(l["propertyCompany"]["id"], p.company);
    assert_eq!(l["list"]["partyKind"], "PROPERTY_COMPANY");
    assert_eq!(l["building"], Value::Null);
    let l = link(
        &app,
        json!({ "responsibilityListId": landlord_list, "buildingId": p.rental }),
    )
    .await;
    assert_eq!(l["building"]["id"], p.rental);
    let l = link(
        &app,
        json!({ "responsibilityListId": merchant_list, "dwellingId": p.shop }),
    )
    .await;
    assert_eq!(l["shop"]["id"], p.shop);
    let l = link(
        &app,
        json!({ "responsibilityListId": chief_list, "chiefAppointmentId": p.chief }),
    )
    .await;
    assert_eq!(l["chiefAppointment"]["id"], p.chief);
    let l = link(
        &app,
        json!({ "responsibilityListId": factory_list, "partyName": "  东湖机械厂 " }),
    )
    .await;
    assert_eq!(l["partyName"], "东湖机械厂");

    // From each party, anyone reads its duties in its community.
    let q = "query($company: ID!, $rental: ID!, $shop: ID!, $chief: ID!) {
        company: node(id: $company) { ... on PropertyCompany {
            responsibilityLinks { edges { node { list { partyKind community { id }
                current { items { field text } } } } } } } }
        rental: node(id: $rental) { ... on Building { responsibilityList { partyKind current { number } } } }
        shop: node(id: $shop) { ... on Dwelling { responsibilityList { partyKind current { number } } } }
        chief: node(id: $chief) { ... on ChiefAppointment { responsibilityList { partyKind } } } }";
    let read = app
        .ok(
            None,
            q,
            json!({ "company": p.company, "rental": p.rental, "shop": p.shop, "chief": p.chief }),
        )
        .await;
    let company_links = nodes(&read["company"]["responsibilityLinks"]);
    assert_eq!(company_links[0]["list"]["partyKind"], "PROPERTY_COMPANY");
    assert_eq!(company_links[0]["list"]["community"]["id"], *c);
    assert_eq!(
        company_links[0]["list"]["current"]["items"],
        json!([{ "field": "PUBLIC_SECURITY", "text": "落实防火巡查" }])
    );
    assert_eq!(
        read["rental"]["responsibilityList"]["partyKind"],
        "LANDLORD"
    );
    assert_eq!(read["rental"]["responsibilityList"]["current"]["number"], 1);
    assert_eq!(read["shop"]["responsibilityList"]["partyKind"], "MERCHANT");
    assert_eq!(
        read["chief"]["responsibilityList"]["partyKind"],
        "BUILDING_CHIEF"
    );
    // A party not linked has no list.
    let q = "query($id: ID!) { node(id: $id) { ... on Building { responsibilityList { id } } } }";
    let plain = app.ok(None, q, json!({ "id": p.f.building })).await;
    assert_eq!(plain["node"]["responsibilityList"], Value::Null);

    // The list shows its parties, and the link is a node of its own.
    let q = "query($id: ID!) { node(id: $id) { ... on ResponsibilityList {
        links { edges { node { id partyName building { id } } } } } } }";
    let links = app.ok(None, q, json!({ "id": landlord_list })).await;
    let links = nodes(&links["node"]["links"]);
    assert_eq!(links[0]["building"]["id"], p.rental);
    let q = "query($id: ID!) { node(id: $id) { __typename ... on ResponsibilityLink { building { id } } } }";
    let one = app.ok(None, q, json!({ "id": links[0]["id"] })).await;
    assert_eq!(one["node"]["__typename"], "ResponsibilityLink");

    // A party is linked to its list once.
    let again = link_refused(
        &app,
        json!({ "responsibilityListId": landlord_list, "buildingId": p.rental }),
    )
    .await;
    assert_error(&again, &["input", "buildingId"], "CONFLICT");
    let again = link_refused(
        &app,
        json!({ "responsibilityListId": factory_list, "partyName": "东湖机械厂" }),
    )
    .await;
    assert_error(&again, &["input", "partyName"], "CONFLICT");
}

#[tokio::test]
async fn links_of_the_wrong_kind_or_from_another_community_are_refused() {
    let app = spawn_app().await;
    let p = parties(&app).await;
    let c = &p.f.community;
    let company_list = list_of(&app, c, "PROPERTY_COMPANY").await;
    let landlord_list = list_of(&app, c, "LANDLORD").await;
    let merchant_list = list_of(&app, c, "MERCHANT").await;
    let chief_list = list_of(&app, c, "BUILDING_CHIEF").await;
    let tenant_list = list_of(&app, c, "TENANT").await;
    let cases: Vec<(Value, &str)> = vec![
        // A rental building answers to the landlords' list, not the merchants'.
        (
            json!({ "responsibilityListId": merchant_list, "buildingId": p.rental }),
            "buildingId",
        ),
        // A building that is not let is no landlord's.
        (
            json!({ "responsibilityListId": landlord_list, "buildingId": p.f.building }),
            "buildingId",
        ),
        // A home in an apartment building is not a shop.
        (
            json!({ "responsibilityListId": merchant_list, "dwellingId": p.f.dwellings[0] }),
            "dwellingId",
        ),
        (
            json!({ "responsibilityListId": chief_list, "propertyCompanyId": p.company }),
            "propertyCompanyId",
        ),
        (
            json!({ "responsibilityListId": company_list, "chiefAppointmentId": p.chief }),
            "chiefAppointmentId",
        ),
        // Kinds with a register table are linked through it, not by name.
        (
            json!({ "responsibilityListId": landlord_list, "partyName": "某房东" }),
            "partyName",
        ),
        // Parties of another community.
        (
            json!({ "responsibilityListId": landlord_list, "buildingId": p.other_rental }),
            "buildingId",
        ),
        (
            json!({ "responsibilityListId": merchant_list, "dwellingId": p.other_shop }),
            "dwellingId",
        ),
        // A company serving no compound of the community.
        (
            json!({ "responsibilityListId": company_list, "propertyCompanyId": p.idle_company }),
            "propertyCompanyId",
        ),
    ];
    for (input, field) in cases {
        let refusal = link_refused(&app, input.clone()).await;
        assert_error(&refusal, &["input", field], "INVALID");
    }
    // Exactly one party, neither none nor two.
    let none = link_refused(&app, json!({ "responsibilityListId": tenant_list })).await;
    assert_error(&none, &["input"], "INVALID");
    let two = link_refused(
        &app,
        json!({ "responsibilityListId": tenant_list, "partyName": "租户甲", "buildingId": p.rental }),
    )
    .await;
    assert_error(&two, &["input"], "INVALID");
    // Missing parties, for the admin, are named at their field.
    let missing =
        compound_api::graphql::id::encode(compound_api::graphql::id::NodeKind::Building, 987_654)
            .to_string();
    let gone = link_refused(
        &app,
        json!({ "responsibilityListId": landlord_list, "buildingId": missing }),
    )
    .await;
    assert_error(&gone, &["input", "buildingId"], "NOT_FOUND");
    // The other community keeps its own lists: its rental building links there.
    let theirs = list_of(&app, &p.other_community, "LANDLORD").await;
    link(
        &app,
        json!({ "responsibilityListId": theirs, "buildingId": p.other_rental }),
    )
    .await;
    let q = "query($id: ID!) { node(id: $id) { ... on ResponsibilityList { links { edges { node { id } } } } } }";
    let ours = app.ok(None, q, json!({ "id": landlord_list })).await;
    assert_eq!(
        nodes(&ours["node"]["links"]),
        json!([]),
        "nothing was linked"
    );
}

/// The `extensions.code` and message of the first top-level error.
fn refusal(body: &Value) -> (Value, Value) {
    (
        body["errors"][0]["extensions"]["code"].clone(),
        body["errors"][0]["message"].clone(),
    )
}

#[tokio::test]
async fn only_staff_over_the_community_write_and_missing_ids_answer_like_existing_ones() {
    let app = spawn_app().await;
    let p = parties(&app).await;
    let c = &p.f.community;
    let list = list_of(&app, c, "LANDLORD").await;
    let publish_query = op("publishResponsibilityList", VERSION);
    let link_query = op("linkResponsibleParty", LINK);
    let version = version_input(c, "LANDLORD", "出租屋业主责任清单", &["登记租客信息"]);
    let linking = json!({ "responsibilityListId": list, "buildingId": p.rental });

    // Anonymous callers are unauthenticated.
    for (q, input) in [(&publish_query, &version), (&link_query, &linking)] {
        let body = app.gql(None, q, json!({ "input": input })).await;
        assert_eq!(refusal(&body).0, "UNAUTHENTICATED", "{body:#}");
    }

    let elsewhere = app
        .user_with_role(
            "duty.elsewhere",
            "COMMUNITY_STAFF",
            Some(&p.other_community),
        )
        .await;
    let resident = app
        .user_with_role("duty.resident", "RESIDENT", Some(&p.f.dwellings[0]))
        .await;
    let secretary = app
        .user_with_role("duty.secretary", "BRANCH_SECRETARY", Some(&p.f.compound))
        .await;
    let missing_community =
        compound_api::graphql::id::encode(compound_api::graphql::id::NodeKind::Community, 987_654)
            .to_string();
    let missing_list = compound_api::graphql::id::encode(
        compound_api::graphql::id::NodeKind::ResponsibilityList,
        987_654,
    )
    .to_string();
    let mut version_missing = version.clone();
    version_missing["communityId"] = json!(missing_community);
    let mut linking_missing = linking.clone();
    linking_missing["responsibilityListId"] = json!(missing_list);

    for token in [&elsewhere, &resident, &secretary] {
        for (q, existing, missing) in [
            (&publish_query, &version, &version_missing),
            (&link_query, &linking, &linking_missing),
        ] {
            let a = app.gql(Some(token), q, json!({ "input": existing })).await;
            assert_eq!(refusal(&a).0, "FORBIDDEN", "{a:#}");
            let b = app.gql(Some(token), q, json!({ "input": missing })).await;
            assert_eq!(
                refusal(&a),
                refusal(&b),
                "a missing ID answers alike: {b:#}"
            );
        }
    }

    // The admin, who reaches everywhere, learns that the community is missing.
    let p_missing = refused(&app, "publishResponsibilityList", VERSION, version_missing).await;
    assert_error(&p_missing, &["input", "communityId"], "NOT_FOUND");

    // Staff over the community, and over its subdistrict, write.
    let staff = app
        .user_with_role("duty.staff", "COMMUNITY_STAFF", Some(c))
        .await;
    app.mutate(&staff, "publishResponsibilityList", &publish_query, version)
        .await;
    app.mutate(&staff, "linkResponsibleParty", &link_query, linking)
        .await;
    let above = app
        .user_with_role("duty.above", "SUBDISTRICT_STAFF", Some(&p.f.subdistrict))
        .await;
    app.mutate(
        &above,
        "publishResponsibilityList",
        &publish_query,
        version_input(c, "CLEANING_COMPANY", "保洁公司责任清单", &["每日清扫"]),
    )
    .await;
}
