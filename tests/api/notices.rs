//! Notices (公告) and residents' opinions (社情民意) over HTTP: each of the
//! three parties publishes for itself only and only as a body the compound
//! has, notices list newest first with
//! the pinned ones apart and the expired ones gone on the day the clock
//! reaches their end; a resident's own opinion, one a grid worker or chief
//! collects in their own grid or building, answers the resident sees with
//! who gave them, and who may read an opinion at all. The live feeds of a
//! compound's notices and of a project's moves are in `subscriptions`.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{Fixture, PASSWORD, TestApp, fixture, nodes, own, person, spawn_app};

fn op(name: &str, selection: &str) -> String {
    let input = format!("{}{}Input", name[..1].to_uppercase(), &name[1..]);
    format!(
        "mutation($input: {input}!) {{ {name}(input: $input) {{ {selection} userErrors {{ field message code }} }} }}"
    )
}

/// Runs mutation `name` as `token`; returns the whole body.
async fn call(app: &TestApp, token: &str, name: &str, selection: &str, input: Value) -> Value {
    app.gql(Some(token), &op(name, selection), json!({ "input": input }))
        .await
}

/// Runs mutation `name` as `token`; it must succeed. Returns its payload.
async fn run(app: &TestApp, token: &str, name: &str, selection: &str, input: Value) -> Value {
    let body = call(app, token, name, selection, input).await;
    let p = body["data"][name].clone();
    assert_eq!(p["userErrors"], json!([]), "{name} failed: {body:#}");
    p
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_owned()
}

/// A person owning `dwelling` with an account of their own; returns the person's ID and token.
async fn resident(
    app: &TestApp,
    f: &Fixture,
    name: &str,
    username: &str,
    dwelling: &str,
) -> (String, String) {
    let p = person(app, f, name, false).await;
    own(app, &p, dwelling).await;
    run(
        app,
        &app.admin_token,
        "createAccount",
        "account { id }",
        json!({ "username": username, "password": PASSWORD, "displayName": username, "personId": p }),
    )
    .await;
    (p, app.login(username, PASSWORD).await)
}

const NOTICE: &str = "notice { id title publisher pinned expiresOn inForce publishedBy }";

#[tokio::test]
async fn each_party_publishes_for_itself_and_notices_list_newest_first_until_they_expire() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let committee = app
        .user_with_role("committee.member", "COMMITTEE_MEMBER", Some(&f.compound))
        .await;
    let manager = app
        .user_with_role("property.manager", "PROPERTY_MANAGER", Some(&f.compound))
        .await;
    let (_, resident_token) = resident(&app, &f, "王业主", "wang.owner", &f.dwellings[0]).await;
    let notice = |publisher: &str, title: &str, pinned: bool, expires: Option<String>| {
        json!({ "compoundId": f.compound, "publisher": publisher, "title": title,
                "body": "请各位业主周知", "pinned": pinned, "expiresOn": expires })
    };

    // A notice is published only as a body the compound has: not even staff
    // sign one with a committee the compound has not elected.
    for publisher in ["OWNERS_COMMITTEE", "PARTY_BRANCH", "PROPERTY_COMPANY"] {
        let lacking = call(
            &app,
            &app.admin_token,
            "publishNotice",
            "notice { id }",
            notice(publisher, "停电通知", false, None),
        )
        .await;
        let payload = &lacking["data"]["publishNotice"];
        assert!(payload["notice"].is_null(), "{lacking:#}");
        assert_eq!(payload["userErrors"][0]["code"], "INVALID", "{lacking:#}");
        assert_eq!(
            payload["userErrors"][0]["field"],
            json!(["input", "publisher"])
        );
    }
    app.seat_bodies(&f.compound).await;

    // Each party speaks for itself only; residents publish nothing.
    let wrong = call(
        &app,
        &committee,
        "publishNotice",
        "__typename",
        notice("PROPERTY_COMPANY", "停水通知", false, None),
    )
    .await;
    assert_eq!(
        wrong["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{wrong:#}"
    );
    let by_resident = call(
        &app,
        &resident_token,
        "publishNotice",
        "__typename",
        notice("OWNERS_COMMITTEE", "x", false, None),
    )
    .await;
    assert_eq!(by_resident["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let today = app.clock.today();
    let past = call(
        &app,
        &committee,
        "publishNotice",
        "__typename",
        notice(
            "OWNERS_COMMITTEE",
            "x",
            false,
            Some(today.format("%Y-%m-%d").to_string()),
        ),
    )
    .await;
    assert_eq!(
        past["data"]["publishNotice"]["userErrors"][0]["code"],
        "OUT_OF_RANGE"
    );

    let tomorrow = (today + Duration::days(1)).format("%Y-%m-%d").to_string();
    let water = run(
        &app,
        &manager,
        "publishNotice",
        NOTICE,
        notice("PROPERTY_COMPANY", "停水通知", false, Some(tomorrow)),
    )
    .await;
    assert_eq!(water["notice"]["publishedBy"], "property.manager");
    assert_eq!(water["notice"]["inForce"], true);
    let meeting = run(
        &app,
        &committee,
        "publishNotice",
        NOTICE,
        notice("OWNERS_COMMITTEE", "业主大会召开公告", true, None),
    )
    .await;
    // Staff over the compound keep the three bodies' records: they publish for any.
    run(
        &app,
        &app.admin_token,
        "publishNotice",
        NOTICE,
        notice("PARTY_BRANCH", "党员志愿服务招募", false, None),
    )
    .await;

    let q = "query($c: ID!, $all: Boolean!) { node(id: $c) { ... on Compound {
        notices(first: 10, includeExpired: $all) { edges { node { title pinned } } }
        pinnedNotices(first: 10) { edges { node { title } } } } } }";
    let read = app
        .ok(None, q, json!({ "c": f.compound, "all": false }))
        .await["node"]
        .clone();
    let titles = |conn: &Value| -> Vec<String> {
        nodes(conn)
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        titles(&read["notices"]),
        ["党员志愿服务招募", "业主大会召开公告", "停水通知"]
    );
    assert_eq!(titles(&read["pinnedNotices"]), ["业主大会召开公告"]);

    // Only its publisher's side takes the pin off.
    let unpin = json!({ "noticeId": id(&meeting["notice"]), "pinned": false });
    let refused = call(&app, &manager, "pinNotice", "__typename", unpin.clone()).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");
    run(&app, &committee, "pinNotice", NOTICE, unpin).await;
    run(
        &app,
        &manager,
        "pinNotice",
        NOTICE,
        json!({ "noticeId": id(&water["notice"]), "pinned": true }),
    )
    .await;

    // The day the clock reaches its end, the water notice is gone (but kept).
    app.clock
        .advance(Duration::days(1))
        .expect("the test clock moves");
    let read = app
        .ok(None, q, json!({ "c": f.compound, "all": false }))
        .await["node"]
        .clone();
    assert_eq!(
        titles(&read["notices"]),
        ["党员志愿服务招募", "业主大会召开公告"]
    );
    assert_eq!(titles(&read["pinnedNotices"]), Vec::<String>::new());
    let all = app
        .ok(None, q, json!({ "c": f.compound, "all": true }))
        .await["node"]
        .clone();
    assert_eq!(titles(&all["notices"]).len(), 3);
}

#[tokio::test]
async fn opinions_are_given_collected_and_answered_and_read_only_by_those_entitled() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let (wang, wang_token) = resident(&app, &f, "王业主", "wang.owner", &f.dwellings[0]).await;
    let (_, li_token) = resident(&app, &f, "李业主", "li.owner", &f.dwellings[1]).await;
    let worker = app
        .user_with_role("grid.worker", "GRID_WORKER", Some(&f.grid))
        .await;
    let chief = app
        .user_with_role("building.chief", "BUILDING_CHIEF", Some(&f.building))
        .await;
    let secretary = app
        .user_with_role("branch.secretary", "BRANCH_SECRETARY", Some(&f.compound))
        .await;
    const OPINION: &str = "opinion { id text status person { name } recordedBy building { id } answer { text answeredBy } }";

    // A resident's own.
    let own_opinion = run(
        &app,
        &wang_token,
        "recordOpinion",
        OPINION,
        json!({ "compoundId": f.compound, "text": "地下车库照明不足" }),
    )
    .await["opinion"]
        .clone();
    assert_eq!(own_opinion["person"]["name"], "王业主");
    assert_eq!(own_opinion["status"], "OPEN");
    // Not for somebody else, and not in another compound.
    let forged = call(&app, &wang_token, "recordOpinion", "__typename",
        json!({ "compoundId": f.compound, "personId": person(&app, &f, "赵某", false).await, "text": "x" })).await;
    assert_eq!(forged["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let blank = call(
        &app,
        &wang_token,
        "recordOpinion",
        "__typename",
        json!({ "compoundId": f.compound, "text": " " }),
    )
    .await;
    assert_eq!(
        blank["data"]["recordOpinion"]["userErrors"][0]["code"],
        "REQUIRED"
    );

    // Collected by the grid worker and the building chief, in their own grid or building.
    let collected = run(&app, &worker, "recordOpinion", OPINION,
        json!({ "compoundId": f.compound, "buildingId": f.building, "personId": wang, "text": "电梯异响" })).await["opinion"].clone();
    assert_eq!(collected["recordedBy"], "grid.worker");
    run(
        &app,
        &chief,
        "recordOpinion",
        OPINION,
        json!({ "compoundId": f.compound, "buildingId": f.building, "text": "楼道堆物" }),
    )
    .await;
    let no_building = call(
        &app,
        &worker,
        "recordOpinion",
        "__typename",
        json!({ "compoundId": f.compound, "text": "x" }),
    )
    .await;
    assert_eq!(
        no_building["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "a grid worker names the building"
    );

    // Answered by the branch, twice: the newest stands, both stay readable.
    let answer = |text: &str| json!({ "opinionId": id(&own_opinion), "text": text });
    let refused = call(&app, &worker, "answerOpinion", "__typename", answer("x")).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");
    run(
        &app,
        &secretary,
        "answerOpinion",
        "answer { text }",
        answer("已报物业维修"),
    )
    .await;
    run(
        &app,
        &secretary,
        "answerOpinion",
        "answer { text }",
        answer("灯具已更换"),
    )
    .await;

    // The resident sees the answer and who gave it, among their opinions.
    let mine = app
        .ok(Some(&wang_token), "{ myOpinions(first: 10) { edges { node { text status answer { text answeredBy } answers { text } } } } }", json!({}))
        .await;
    let mine = nodes(&mine["myOpinions"]);
    assert_eq!(mine.as_array().unwrap().len(), 2, "{mine:#}");
    assert_eq!(mine[1]["text"], "地下车库照明不足");
    assert_eq!(mine[1]["status"], "ANSWERED");
    assert_eq!(
        mine[1]["answer"],
        json!({ "text": "灯具已更换", "answeredBy": "branch.secretary" })
    );
    assert_eq!(mine[1]["answers"].as_array().unwrap().len(), 2);
    assert_eq!(mine[0]["text"], "电梯异响");

    // Nobody else reads them: not a neighbour, not anonymously; the compound's parties do.
    let q = "query($id: ID!) { node(id: $id) { ... on Opinion { text } } }";
    let by_neighbour = app
        .ok(Some(&li_token), q, json!({ "id": id(&own_opinion) }))
        .await;
    assert_eq!(by_neighbour["node"], Value::Null);
    let anonymous = app.ok(None, q, json!({ "id": id(&own_opinion) })).await;
    assert_eq!(anonymous["node"], Value::Null);
    let list = "query($c: ID!) { node(id: $c) { ... on Compound { opinions(first: 10, status: OPEN) { edges { node { text } } } } } }";
    let denied = app
        .gql(Some(&li_token), list, json!({ "c": f.compound }))
        .await;
    assert_eq!(denied["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let open = app
        .ok(Some(&secretary), list, json!({ "c": f.compound }))
        .await;
    let open: Vec<String> = nodes(&open["node"]["opinions"])
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(open, ["楼道堆物", "电梯异响"]);
}
