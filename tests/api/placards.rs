//! The responsibility placard (责任牌 / 亮牌) over HTTP: posting one for a
//! compound, a later posting superseding it from its own date (by the
//! app's clock) with the history still readable, each dwelling's chain
//! matching the dwelling's own "who answers for my home?", anonymous reads
//! that show names, titles and public contacts and nothing private, and
//! the refusals: anonymous and out-of-reach posters, missing IDs, bad
//! input and out-of-order dates.

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};

use crate::helpers::{Fixture, TestApp, fixture, nodes, person, spawn_app_with};
use crate::register::{assert_error, assert_request_error, id, run};

/// The private phone and identity number `helpers::person` registers.
const PRIVATE_PHONE: &str = "13812345678";
const PRIVATE_ID_NUMBER: &str = "11010519491231002X";

const PERSONS: &str = "compoundResponsible { post name title contactPhone }
    communityResponsible { post name title contactPhone }
    managementResponsible { post name title contactPhone }";

const POST: &str = "mutation($input: PostPlacardInput!) { postPlacard(input: $input) {
    placard { id postedOn } userErrors { field message code } } }";

const PLACARD: &str = "query($id: ID!) { responsibilityPlacard(compoundId: $id) {
    id postedOn inForce supersededOn chainOn
    compoundResponsible { post name title contactPhone }
    communityResponsible { post name title contactPhone }
    managementResponsible { post name title contactPhone }
    persons { post name }
    compound { id name }
    history { edges { node { id postedOn inForce supersededOn } } } } }";

/// The three people a placard names, registered with private data.
struct Named {
    secretary: String,
    community: String,
    manager: String,
}

async fn named(app: &TestApp, f: &Fixture) -> Named {
    Named {
        secretary: person(app, f, "王书记", true).await,
        community: person(app, f, "李委员", true).await,
        manager: person(app, f, "赵经理", false).await,
    }
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The input of a posting for the fixture's compound, dated `on`, with
/// contacts ending in `suffix`.
fn posting(f: &Fixture, n: &Named, on: NaiveDate, suffix: &str) -> Value {
    json!({
        "compoundId": f.compound,
        "postedOn": ymd(on),
        "compoundResponsible": { "personId": n.secretary, "title": "小区党支部书记", "contactPhone": format!("027-8765{suffix}") },
        "communityResponsible": { "personId": n.community, "title": "社区党委委员", "contactPhone": format!("027-8766{suffix}") },
        "managementResponsible": { "personId": n.manager, "title": "物业项目经理", "contactPhone": format!("027-8767{suffix}") },
    })
}

/// Posts as `token`; must succeed. Returns the posting's ID.
async fn post(app: &TestApp, token: &str, input: Value) -> String {
    id(&app.mutate(token, "postPlacard", POST, input).await["placard"])
}

/// Posts as `token`; must be refused with user errors. Returns the payload.
async fn post_refused(app: &TestApp, token: &str, input: Value) -> Value {
    let data = app.ok(Some(token), POST, json!({ "input": input })).await;
    let p = data["postPlacard"].clone();
    assert_eq!(p["placard"], Value::Null, "{p:#}");
    assert!(
        p["userErrors"].as_array().is_some_and(|e| !e.is_empty()),
        "{p:#}"
    );
    p
}

/// The app, with tokens that outlive the days the tests move the clock.
async fn app() -> TestApp {
    spawn_app_with(|c| c.token_ttl = std::time::Duration::from_secs(3600 * 24 * 60)).await
}

async fn placard(app: &TestApp, token: Option<&str>, compound: &str) -> Value {
    app.ok(token, PLACARD, json!({ "id": compound })).await["responsibilityPlacard"].clone()
}

#[tokio::test]
async fn community_staff_post_a_placard_that_anyone_reads_without_private_data() {
    let app = app().await;
    let f = fixture(&app).await;
    let n = named(&app, &f).await;
    let staff = app
        .user_with_role("placard.staff", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    assert_eq!(placard(&app, None, &f.compound).await, Value::Null);

    let today = app.clock.today();
    let posted = post(&app, &staff, posting(&f, &n, today, "0001")).await;

    let p = placard(&app, None, &f.compound).await;
    assert_eq!(p["id"], posted);
    assert_eq!(p["postedOn"], ymd(today));
    assert_eq!(p["inForce"], true);
    assert_eq!(p["supersededOn"], Value::Null);
    assert_eq!(p["compound"]["id"], f.compound);
    assert_eq!(
        p["compoundResponsible"],
        json!({ "post": "COMPOUND_RESPONSIBLE", "name": "王书记", "title": "小区党支部书记", "contactPhone": "027-87650001" })
    );
    assert_eq!(
        p["communityResponsible"],
        json!({ "post": "COMMUNITY_RESPONSIBLE", "name": "李委员", "title": "社区党委委员", "contactPhone": "027-87660001" })
    );
    assert_eq!(
        p["managementResponsible"],
        json!({ "post": "MANAGEMENT_RESPONSIBLE", "name": "赵经理", "title": "物业项目经理", "contactPhone": "027-87670001" })
    );
    assert_eq!(
        p["persons"],
        json!([
            { "post": "COMPOUND_RESPONSIBLE", "name": "王书记" },
            { "post": "COMMUNITY_RESPONSIBLE", "name": "李委员" },
            { "post": "MANAGEMENT_RESPONSIBLE", "name": "赵经理" },
        ])
    );
    assert_eq!(
        nodes(&p["history"]),
        json!([{ "id": posted, "postedOn": ymd(today), "inForce": true, "supersededOn": null }])
    );

    // The compound's own field and node(id:) give the same posting, to anyone.
    let q = "query($c: ID!, $p: ID!) {
        node(id: $c) { ... on Compound { placard { id postedOn } } }
        placard: node(id: $p) { __typename ... on ResponsibilityPlacard { id compound { id } } } }";
    let data = app
        .ok(None, q, json!({ "c": f.compound, "p": posted }))
        .await;
    assert_eq!(data["node"]["placard"]["id"], posted);
    assert_eq!(data["placard"]["__typename"], "ResponsibilityPlacard");
    assert_eq!(data["placard"]["compound"]["id"], f.compound);

    // Everything the placard shows, dwellings and chains included, holds
    // nothing of the register's private data, not even masked.
    let everything = format!(
        "query($id: ID!) {{ responsibilityPlacard(compoundId: $id) {{ {PERSONS}
            dwellings {{ edges {{ node {{ dwelling {{ number }} chain {{ name contactPhone }} }} }} }} }} }}"
    );
    let body = app
        .gql(None, &everything, json!({ "id": f.compound }))
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    let text = body.to_string();
    for private in [PRIVATE_PHONE, PRIVATE_ID_NUMBER, "138****5678", "5678\""] {
        assert!(!text.contains(private), "{private} in {text}");
    }
    // The placard has no path to a person's record.
    let probe = app
        .gql(
            None,
            "query($id: ID!) { responsibilityPlacard(compoundId: $id) { compoundResponsible { phone } } }",
            json!({ "id": f.compound }),
        )
        .await;
    assert!(
        probe["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("phone")),
        "{probe:#}"
    );

    // The posting is audited, with the names as posted.
    let audit = app
        .ok(
            Some(&app.admin_token),
            "query($id: ID!) { node(id: $id) { ... on Compound { history(last: 1) {
                edges { node { operation entityType } } } } } }",
            json!({ "id": f.compound }),
        )
        .await;
    assert_eq!(
        nodes(&audit["node"]["history"]),
        json!([{ "operation": "postPlacard", "entityType": "ResponsibilityPlacard" }])
    );
}

#[tokio::test]
async fn a_new_posting_supersedes_the_old_one_from_its_date_and_history_stays() {
    let app = app().await;
    let f = fixture(&app).await;
    let n = named(&app, &f).await;
    let secretary = app
        .user_with_role("placard.secretary", "BRANCH_SECRETARY", Some(&f.compound))
        .await;
    let today = app.clock.today();
    let first = post(
        &app,
        &secretary,
        posting(&f, &n, today - Duration::days(10), "0001"),
    )
    .await;
    // Announced ahead of a handover: in force only from its own date.
    let next_day = today + Duration::days(5);
    let second = post(&app, &secretary, posting(&f, &n, next_day, "0002")).await;

    let p = placard(&app, None, &f.compound).await;
    assert_eq!(p["id"], first);
    assert_eq!(p["supersededOn"], ymd(next_day));
    assert_eq!(p["communityResponsible"]["contactPhone"], "027-87660001");
    assert_eq!(
        nodes(&p["history"]),
        json!([
            { "id": second, "postedOn": ymd(next_day), "inForce": false, "supersededOn": null },
            { "id": first, "postedOn": ymd(today - Duration::days(10)), "inForce": true, "supersededOn": ymd(next_day) },
        ])
    );

    // A posting dated before the latest would rewrite which was in force;
    // two on one day would leave the day's placard ambiguous; a far-off
    // date could never be undone.
    let before = post_refused(&app, &secretary, posting(&f, &n, today, "0003")).await;
    assert_error(&before, &["input", "postedOn"], "OUT_OF_RANGE");
    let same_day = post_refused(&app, &secretary, posting(&f, &n, next_day, "0003")).await;
    assert_error(&same_day, &["input", "postedOn"], "CONFLICT");
    let far = post_refused(
        &app,
        &secretary,
        posting(&f, &n, today + Duration::days(91), "0003"),
    )
    .await;
    assert_error(&far, &["input", "postedOn"], "OUT_OF_RANGE");

    // Five days on, by the app's clock, the second posting is in force.
    app.clock
        .advance(Duration::days(5))
        .expect("adjustable clock");
    let p = placard(&app, None, &f.compound).await;
    assert_eq!(p["id"], second);
    assert_eq!(p["inForce"], true);
    assert_eq!(p["communityResponsible"]["contactPhone"], "027-87660002");
    assert_eq!(
        nodes(&p["history"]),
        json!([
            { "id": second, "postedOn": ymd(next_day), "inForce": true, "supersededOn": null },
            { "id": first, "postedOn": ymd(today - Duration::days(10)), "inForce": false, "supersededOn": ymd(next_day) },
        ])
    );
    // The superseded posting reads as it was posted, and the history pages.
    let old = app
        .ok(
            None,
            &format!("query($id: ID!) {{ node(id: $id) {{ ... on ResponsibilityPlacard {{ inForce {PERSONS} }} }} }}"),
            json!({ "id": first }),
        )
        .await["node"]
        .clone();
    assert_eq!(old["inForce"], false);
    assert_eq!(old["managementResponsible"]["contactPhone"], "027-87670001");
    let (a, b) =
        crate::helpers::page_by_one(&app, None, &second, "ResponsibilityPlacard", "history").await;
    assert_eq!((a, b), (second, first));
}

const APPOINT: &str = "mutation($input: AppointChiefInput!) { appointChief(input: $input) {
    appointment { id } userErrors { field message code } } }";

async fn appoint(app: &TestApp, f: &Fixture, level: &str, scope: Value, from: NaiveDate) {
    let holder = person(app, f, &format!("{level}持有人"), false).await;
    app.mutate(
        &app.admin_token,
        "appointChief",
        APPOINT,
        json!({ "level": level, "personId": holder, "scope": scope,
                "contactPhone": "13900000001", "startsOn": ymd(from) }),
    )
    .await;
}

#[tokio::test]
async fn each_dwelling_shows_the_chain_that_answers_for_it() {
    let app = app().await;
    let f = fixture(&app).await;
    let n = named(&app, &f).await;
    let today = app.clock.today();
    let long_ago = today - Duration::days(400);
    appoint(
        &app,
        &f,
        "AREA_CHIEF",
        json!({ "communityId": f.community }),
        long_ago,
    )
    .await;
    appoint(
        &app,
        &f,
        "COMMUNITY_CHIEF",
        json!({ "communityId": f.community }),
        long_ago,
    )
    .await;
    appoint(
        &app,
        &f,
        "GRID_CHIEF",
        json!({ "gridId": f.grid }),
        long_ago,
    )
    .await;
    appoint(
        &app,
        &f,
        "FLOOR_CHIEF",
        json!({ "buildingId": f.building, "floorFrom": 1, "floorTo": 3 }),
        long_ago,
    )
    .await;
    let first = post(
        &app,
        &app.admin_token,
        posting(&f, &n, today - Duration::days(30), "0001"),
    )
    .await;
    let current = post(
        &app,
        &app.admin_token,
        posting(&f, &n, today - Duration::days(2), "0002"),
    )
    .await;
    // A building chief who began after the first placard was superseded.
    appoint(
        &app,
        &f,
        "BUILDING_CHIEF",
        json!({ "buildingId": f.building }),
        today - Duration::days(1),
    )
    .await;

    let q = "query($id: ID!) { node(id: $id) { ... on ResponsibilityPlacard { chainOn
        dwellings { edges { node { dwelling { id number } chain { appointmentId level rank name contactPhone } } }
            pageInfo { hasNextPage } } } } }";
    let p = app.ok(None, q, json!({ "id": current })).await["node"].clone();
    assert_eq!(p["chainOn"], ymd(today));
    let lines = nodes(&p["dwellings"]);
    assert_eq!(lines.as_array().map(Vec::len), Some(2), "{p:#}");
    assert_eq!(p["dwellings"]["pageInfo"]["hasNextPage"], false);
    for (line, dwelling) in lines.as_array().unwrap().iter().zip(&f.dwellings) {
        assert_eq!(&line["dwelling"]["id"], dwelling);
        // The dwelling's own answer to "who answers for my home?".
        let own = app
            .ok(
                None,
                "query($id: ID!) { node(id: $id) { ... on Dwelling { responsibleChain {
                    id level rank holderName contactPhone } } } }",
                json!({ "id": dwelling }),
            )
            .await["node"]["responsibleChain"]
            .clone();
        let expected: Vec<Value> = own
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                json!({ "appointmentId": a["id"], "level": a["level"], "rank": a["rank"],
                        "name": a["holderName"], "contactPhone": a["contactPhone"] })
            })
            .collect();
        assert_eq!(line["chain"], json!(expected), "{line:#}");
    }
    let levels = |line: &Value| -> Vec<String> {
        line["chain"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["level"].as_str().unwrap().to_owned())
            .collect()
    };
    // Floor 2 lies in the floor chief's range, floor 5 does not.
    assert_eq!(
        levels(&lines[0]),
        [
            "FLOOR_CHIEF",
            "BUILDING_CHIEF",
            "GRID_CHIEF",
            "COMMUNITY_CHIEF",
            "AREA_CHIEF"
        ]
    );
    assert_eq!(
        levels(&lines[1]),
        [
            "BUILDING_CHIEF",
            "GRID_CHIEF",
            "COMMUNITY_CHIEF",
            "AREA_CHIEF"
        ]
    );

    // The superseded placard shows the chain of its last day in force,
    // before the building chief began.
    let old = app.ok(None, q, json!({ "id": first })).await["node"].clone();
    assert_eq!(old["chainOn"], ymd(today - Duration::days(3)));
    assert_eq!(
        levels(&nodes(&old["dwellings"])[0]),
        ["FLOOR_CHIEF", "GRID_CHIEF", "COMMUNITY_CHIEF", "AREA_CHIEF"]
    );

    // The dwellings page like every list.
    let paged = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on ResponsibilityPlacard {
                dwellings(first: 1) { edges { node { dwelling { id } } } pageInfo { hasNextPage endCursor } } } } }",
            json!({ "id": current }),
        )
        .await["node"]["dwellings"]
        .clone();
    assert_eq!(
        nodes(&paged),
        json!([{ "dwelling": { "id": f.dwellings[0] } }])
    );
    assert_eq!(paged["pageInfo"]["hasNextPage"], true);
    let rest = app
        .ok(
            None,
            "query($id: ID!, $after: String) { node(id: $id) { ... on ResponsibilityPlacard {
                dwellings(first: 1, after: $after) { edges { node { dwelling { id } } } pageInfo { hasNextPage } } } } }",
            json!({ "id": current, "after": paged["pageInfo"]["endCursor"] }),
        )
        .await["node"]["dwellings"]
        .clone();
    assert_eq!(
        nodes(&rest),
        json!([{ "dwelling": { "id": f.dwellings[1] } }])
    );
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);
}

#[tokio::test]
async fn posting_is_refused_to_those_out_of_reach_and_for_bad_input() {
    let app = app().await;
    let f = fixture(&app).await;
    let n = named(&app, &f).await;
    let today = app.clock.today();
    let other = id(&run(
        &app,
        "createCompound",
        "compound { id }",
        json!({ "communityId": f.community, "name": "翠苑二区", "kind": "OLD_COMPOUND" }),
    )
    .await["compound"]);
    let good = posting(&f, &n, today, "0001");

    // Anonymous: turned away before anything is looked at.
    let body = app.gql(None, POST, json!({ "input": good })).await;
    assert_request_error(&body, "UNAUTHENTICATED");

    // The secretary of another compound, and the named parties who do not post.
    let elsewhere = app
        .user_with_role("other.secretary", "BRANCH_SECRETARY", Some(&other))
        .await;
    let committee = app
        .user_with_role("placard.committee", "COMMITTEE_MEMBER", Some(&f.compound))
        .await;
    let manager = app
        .user_with_role("placard.manager", "PROPERTY_MANAGER", Some(&f.compound))
        .await;
    let resident = app
        .user_with_role("placard.resident", "RESIDENT", Some(&f.dwellings[0]))
        .await;
    for token in [&elsewhere, &committee, &manager, &resident] {
        let body = app.gql(Some(token), POST, json!({ "input": good })).await;
        assert_request_error(&body, "FORBIDDEN");
    }
    // A missing compound looks to the other secretary like one out of reach.
    let mut missing = good.clone();
    missing["compoundId"] = json!(
        compound_api::graphql::id::encode(compound_api::graphql::id::NodeKind::Compound, 987_654)
            .to_string()
    );
    let body = app
        .gql(Some(&elsewhere), POST, json!({ "input": missing }))
        .await;
    assert_request_error(&body, "FORBIDDEN");
    // The admin, who reaches everywhere, learns that it is missing.
    let p = post_refused(&app, &app.admin_token, missing).await;
    assert_error(&p, &["input", "compoundId"], "NOT_FOUND");
    assert_eq!(placard(&app, None, &f.compound).await, Value::Null);

    // Bad input answers at its field; nothing is posted.
    let secretary = app
        .user_with_role("placard.secretary", "BRANCH_SECRETARY", Some(&f.compound))
        .await;
    let mut no_person = good.clone();
    no_person["communityResponsible"]["personId"] = json!(
        compound_api::graphql::id::encode(compound_api::graphql::id::NodeKind::Person, 987_654)
            .to_string()
    );
    let p = post_refused(&app, &secretary, no_person).await;
    assert_error(
        &p,
        &["input", "communityResponsible", "personId"],
        "NOT_FOUND",
    );
    let mut wrong_kind = good.clone();
    wrong_kind["managementResponsible"]["personId"] = json!(f.compound);
    let p = post_refused(&app, &secretary, wrong_kind).await;
    assert_error(
        &p,
        &["input", "managementResponsible", "personId"],
        "INVALID",
    );
    let mut blank_title = good.clone();
    blank_title["compoundResponsible"]["title"] = json!("  ");
    let p = post_refused(&app, &secretary, blank_title).await;
    assert_error(&p, &["input", "compoundResponsible", "title"], "REQUIRED");
    let mut bad_phone = good.clone();
    bad_phone["managementResponsible"]["contactPhone"] = json!("12345");
    let p = post_refused(&app, &secretary, bad_phone).await;
    assert_error(
        &p,
        &["input", "managementResponsible", "contactPhone"],
        "INVALID",
    );
    assert_eq!(placard(&app, None, &f.compound).await, Value::Null);

    // The compound's own secretary may post it.
    post(&app, &secretary, good).await;
    assert_eq!(placard(&app, None, &f.compound).await["inForce"], true);

    // A query for something that is not a compound is the request's error.
    let body = app.gql(None, PLACARD, json!({ "id": f.building })).await;
    assert_request_error(&body, "BAD_USER_INPUT");
}
