//! Grid events (巡、拨、办、督) over HTTP: the patrol catalogue with its
//! seasonal frequencies and the list of small events; an event reported,
//! dispatched, handled and checked to its close, with photos and the
//! handler's figures; the third failed check returning the event and the
//! fourth escalating it to supervision, overdue once the clock passes its
//! deadline; the simple procedure of small events with the enforcement
//! team; urgent events fast-reported; joint actions; and each refusal by
//! role: grid workers report only in their grid, only the reporter checks,
//! handlers act only on what is dispatched to them.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{Fixture, PASSWORD, PNG, TestApp, fixture, nodes, spawn_app};
use crate::projects::{call, fetch, refusal, run, top_error};

const EVENT: &str = "event { id status procedure urgency failedChecks responsibleParty
    handler { name } fastReportedTo { name } supervision { deadline overdue closedInTime }
    steps { action fromStatus toStatus handler { name } photos { id } } }";

/// Everyone a grid event meets, over the fixture's register.
struct Grid {
    f: Fixture,
    /// The grid worker of the fixture's grid.
    worker: String,
    /// The community staff who dispatch.
    staff: String,
    /// The property company's handler and its member.
    company: String,
    company_member: String,
    /// Another handler of the subdistrict and its member.
    repairs: String,
    repairs_member: String,
    /// The enforcement team (综合整治队) and its member.
    team: String,
    team_member: String,
    /// The emergency department and its member.
    department: String,
    department_member: String,
    /// A category of the standard procedure (5 supervision days).
    pipes: String,
    /// A category on the list of small events.
    clutter: String,
}

fn id(v: &Value) -> String {
    v.as_str().expect("an ID").to_owned()
}

/// An account with no role; returns its ID and token.
async fn account(app: &TestApp, username: &str) -> (String, String) {
    let a = run(
        app,
        &app.admin_token,
        "createAccount",
        "account { id }",
        json!({ "username": username, "password": PASSWORD, "displayName": username }),
    )
    .await;
    (id(&a["account"]["id"]), app.login(username, PASSWORD).await)
}

/// A handler of the fixture's subdistrict with one member; returns its ID
/// and the member's token.
async fn handler(
    app: &TestApp,
    f: &Fixture,
    name: &str,
    kind: &str,
    member: &str,
) -> (String, String) {
    let h = run(
        app,
        &app.admin_token,
        "createEventHandler",
        "handler { id }",
        json!({ "subdistrictId": f.subdistrict, "name": name, "kind": kind }),
    )
    .await;
    let h = id(&h["handler"]["id"]);
    let (account_id, token) = account(app, member).await;
    run(
        app,
        &app.admin_token,
        "addEventHandlerMember",
        "handler { id }",
        json!({ "handlerId": h, "accountId": account_id }),
    )
    .await;
    (h, token)
}

async fn category(app: &TestApp, f: &Fixture, name: &str, small: bool, days: i32) -> String {
    let c = run(
        app,
        &app.admin_token,
        "createEventCategory",
        "category { id }",
        json!({ "districtId": f.district, "name": name, "small": small, "supervisionDays": days }),
    )
    .await;
    id(&c["category"]["id"])
}

async fn stage(app: &TestApp) -> Grid {
    let f = fixture(app).await;
    let worker = app
        .user_with_role("grid.worker", "GRID_WORKER", Some(&f.grid))
        .await;
    let staff = app
        .user_with_role("community.staff", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    let (company, company_member) =
        handler(app, &f, "翠苑物业", "ORGANISATION", "handler.company").await;
    let (repairs, repairs_member) =
        handler(app, &f, "市政维修队", "ORGANISATION", "handler.repairs").await;
    let (team, team_member) =
        handler(app, &f, "综合整治队", "ENFORCEMENT_TEAM", "handler.team").await;
    let (department, department_member) =
        handler(app, &f, "应急管理办", "DEPARTMENT", "handler.emergency").await;
    let pipes = category(app, &f, "管道破裂", false, 5).await;
    let clutter = category(app, &f, "楼道堆物", true, 7).await;
    Grid {
        f,
        worker,
        staff,
        company,
        company_member,
        repairs,
        repairs_member,
        team,
        team_member,
        department,
        department_member,
        pipes,
        clutter,
    }
}

/// Uploads an event photo for the grid as `token`; returns the whole body.
async fn photo(app: &TestApp, token: &str, grid: &str, bytes: Vec<u8>) -> Value {
    app.gql_upload(
        Some(token),
        "mutation($input: UploadAttachmentInput!) { uploadAttachment(input: $input) {
            attachment { id url purpose } userErrors { field message code } } }",
        json!({ "input": { "gridId": grid, "purpose": "EVENT_PHOTO", "file": null } }),
        "variables.input.file",
        "event.png",
        bytes,
    )
    .await
}

async fn photo_id(app: &TestApp, token: &str, grid: &str) -> Value {
    let body = photo(app, token, grid, PNG.to_vec()).await;
    let p = &body["data"]["uploadAttachment"];
    assert_eq!(p["userErrors"], json!([]), "{body:#}");
    p["attachment"].clone()
}

/// The worker reports an event of `category` at the fixture's building.
async fn report(app: &TestApp, g: &Grid, category: &str, description: &str) -> Value {
    run(
        app,
        &g.worker,
        "reportGridEvent",
        EVENT,
        json!({ "gridId": g.f.grid, "categoryId": category, "buildingId": g.f.building,
                "description": description }),
    )
    .await["event"]
        .clone()
}

async fn dispatch(app: &TestApp, g: &Grid, event: &str, handler: &str) -> Value {
    run(
        app,
        &g.staff,
        "dispatchGridEvent",
        EVENT,
        json!({ "eventId": event, "handlerId": handler, "note": "请于三日内整改" }),
    )
    .await["event"]
        .clone()
}

async fn rectify(app: &TestApp, token: &str, event: &str) -> Value {
    run(
        app,
        token,
        "reportRectification",
        EVENT,
        json!({ "eventId": event, "note": "已更换破损管道" }),
    )
    .await["event"]
        .clone()
}

async fn check(app: &TestApp, token: &str, event: &str, passed: bool) -> Value {
    run(
        app,
        token,
        "checkGridEvent",
        EVENT,
        json!({ "eventId": event, "passed": passed, "note": "现场核查" }),
    )
    .await["event"]
        .clone()
}

fn actions(event: &Value) -> Vec<String> {
    event["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap().to_owned())
        .collect()
}

async fn node(app: &TestApp, token: Option<&str>, id: &str) -> Value {
    app.ok(
        token,
        "query($id: ID!) { node(id: $id) { ... on GridEvent { id status } } }",
        json!({ "id": id }),
    )
    .await["node"]
        .clone()
}

async fn performance(app: &TestApp, token: &str, handler: &str) -> Value {
    let today = app.clock.today();
    app.ok(
        Some(token),
        "query($h: ID!, $from: Date!, $to: Date!) { handlerPerformance(handlerId: $h, from: $from, to: $to) {
            received closed failedChecks escalations meanHoursToClose } }",
        json!({ "h": handler, "from": (today - Duration::days(30)).to_string(), "to": today.to_string() }),
    )
    .await["handlerPerformance"]
        .clone()
}

#[tokio::test]
async fn the_patrol_catalogue_keeps_seasonal_frequencies_and_the_list_of_small_events() {
    let app = spawn_app().await;
    let g = stage(&app).await;
    let admin = app.admin_token.clone();
    let item = run(
        &app,
        &admin,
        "createPatrolItem",
        "patrolItem { id }",
        json!({ "districtId": g.f.district, "kind": "COMPREHENSIVE", "name": "网格综合巡查",
                "guidance": "消防通道、楼道堆物、设施破损" }),
    )
    .await;
    let item = id(&item["patrolItem"]["id"]);
    let set = |season: &str, times: i32| json!({ "patrolItemId": item, "season": season, "times": times, "period": "DAY" });
    run(
        &app,
        &admin,
        "setPatrolFrequency",
        "frequency { season }",
        set("ALL_YEAR", 1),
    )
    .await;
    run(
        &app,
        &admin,
        "setPatrolFrequency",
        "frequency { season }",
        set("SUMMER", 2),
    )
    .await;
    // A later setting for the season stands; the earlier stays readable.
    run(
        &app,
        &admin,
        "setPatrolFrequency",
        "frequency { season }",
        set("SUMMER", 3),
    )
    .await;
    let read = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on PatrolItem { kind
                july: frequency(on: \"2026-07-15\") { season times period }
                december: frequency(on: \"2026-12-15\") { season times period }
                frequencies { season times } } } }",
            json!({ "id": item }),
        )
        .await["node"]
        .clone();
    assert_eq!(
        read["july"],
        json!({ "season": "SUMMER", "times": 3, "period": "DAY" })
    );
    assert_eq!(
        read["december"],
        json!({ "season": "ALL_YEAR", "times": 1, "period": "DAY" })
    );
    assert_eq!(read["frequencies"].as_array().unwrap().len(), 3);

    // A fixed point names its point; a comprehensive patrol has none.
    let fixed = |place: Value| {
        json!({ "districtId": g.f.district, "kind": "FIXED_POINT",
                                       "name": "垃圾站", "fixedPlace": place })
    };
    let (code, _) = refusal(&app, &admin, "createPatrolItem", fixed(Value::Null)).await;
    assert_eq!(code, "REQUIRED");
    run(
        &app,
        &admin,
        "createPatrolItem",
        "patrolItem { id }",
        fixed(json!("东门垃圾站")),
    )
    .await;
    let (code, _) = refusal(
        &app,
        &admin,
        "createPatrolItem",
        json!({ "districtId": g.f.district, "kind": "COMPREHENSIVE", "name": "夜巡", "fixedPlace": "南门" }),
    )
    .await;
    assert_eq!(code, "INVALID");
    let (code, _) = refusal(&app, &admin, "createPatrolItem", fixed(json!("西门"))).await;
    assert_eq!(code, "CONFLICT", "one name per district catalogue");
    let (code, _) = refusal(&app, &admin, "setPatrolFrequency", set("WINTER", 0)).await;
    assert_eq!(code, "OUT_OF_RANGE");

    // The published list of small events, and its change.
    let small = app
        .ok(
            None,
            "query($d: ID!) { eventCategories(districtId: $d, smallOnly: true) { edges { node { name small supervisionDays } } } }",
            json!({ "d": g.f.district }),
        )
        .await;
    assert_eq!(
        nodes(&small["eventCategories"]),
        json!([{ "name": "楼道堆物", "small": true, "supervisionDays": 7 }])
    );
    run(
        &app,
        &admin,
        "updateEventCategory",
        "category { small }",
        json!({ "categoryId": g.pipes, "small": true, "supervisionDays": 3 }),
    )
    .await;

    // The catalogue is the grid office's: a grid worker or community staff may not keep it.
    for token in [&g.worker, &g.staff] {
        let code = top_error(&app, Some(token), "createPatrolItem", fixed(json!("北门"))).await;
        assert_eq!(code, "FORBIDDEN");
    }
}

#[tokio::test]
async fn an_event_is_reported_dispatched_handled_and_checked_to_its_close() {
    let app = spawn_app().await;
    let g = stage(&app).await;
    let found = photo_id(&app, &g.worker, &g.f.grid).await;
    let reported = run(
        &app,
        &g.worker,
        "reportGridEvent",
        EVENT,
        json!({ "gridId": g.f.grid, "categoryId": g.pipes, "dwellingId": g.f.dwellings[0],
                "description": "201室楼上漏水", "photoIds": [found["id"]] }),
    )
    .await["event"]
        .clone();
    let event = id(&reported["id"]);
    assert_eq!(reported["status"], "REPORTED");
    assert_eq!(reported["procedure"], "STANDARD");
    assert_eq!(reported["steps"][0]["photos"][0]["id"], found["id"]);

    // Open events of the grid, for its worker and the community.
    let open = app
        .ok(
            Some(&g.staff),
            "query($g: ID!) { gridEvents(gridId: $g) { edges { node { id status dwelling { number } building { name } category { name } } } } }",
            json!({ "g": g.f.grid }),
        )
        .await;
    assert_eq!(
        nodes(&open["gridEvents"]),
        json!([{ "id": event, "status": "REPORTED", "dwelling": { "number": "1-201" },
                 "building": { "name": "1号楼" }, "category": { "name": "管道破裂" } }])
    );

    let dispatched = dispatch(&app, &g, &event, &g.company).await;
    assert_eq!(dispatched["status"], "DISPATCHED");
    assert_eq!(dispatched["handler"]["name"], "翠苑物业");
    // The handler sees what is dispatched to it, and nothing else does it see.
    let mine = app
        .ok(
            Some(&g.company_member),
            "{ eventsDispatchedToMe { edges { node { id status } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        nodes(&mine["eventsDispatchedToMe"]),
        json!([{ "id": event, "status": "DISPATCHED" }])
    );
    assert_eq!(
        node(&app, Some(&g.repairs_member), &event).await,
        Value::Null
    );
    let url = found["url"].as_str().unwrap();
    assert_eq!(fetch(&app, Some(&g.company_member), url).await.0, 200);
    assert_eq!(fetch(&app, Some(&g.repairs_member), url).await.0, 404);
    assert_eq!(fetch(&app, None, url).await.0, 404);

    app.clock.advance(Duration::hours(3)).unwrap();
    let after = photo_id(&app, &g.company_member, &g.f.grid).await;
    let handled = run(
        &app,
        &g.company_member,
        "reportRectification",
        EVENT,
        json!({ "eventId": event, "note": "已修复漏点", "photoIds": [after["id"]] }),
    )
    .await["event"]
        .clone();
    assert_eq!(handled["status"], "HANDLED");
    // The reporter sees the handler's photo.
    assert_eq!(
        fetch(&app, Some(&g.worker), after["url"].as_str().unwrap())
            .await
            .0,
        200
    );

    let closed = check(&app, &g.worker, &event, true).await;
    assert_eq!(closed["status"], "CLOSED");
    assert_eq!(
        actions(&closed),
        ["REPORT", "DISPATCH", "HANDLE", "CHECK_PASSED"]
    );
    let figures = performance(&app, &g.staff, &g.company).await;
    assert_eq!(
        figures,
        json!({ "received": 1, "closed": 1, "failedChecks": 0, "escalations": 0, "meanHoursToClose": 3.0 })
    );
    // The handler reads its own figures; another handler and a grid worker do not.
    assert_eq!(
        performance(&app, &g.company_member, &g.company).await,
        figures
    );
    assert_eq!(
        performance(&app, &g.repairs_member, &g.company).await,
        Value::Null
    );
    assert_eq!(performance(&app, &g.worker, &g.company).await, Value::Null);
    // Closed events leave the open list, and stay readable on request.
    let all = app
        .ok(
            Some(&g.worker),
            "query($g: ID!) { open: gridEvents(gridId: $g) { edges { node { id } } }
                              all: gridEvents(gridId: $g, openOnly: false) { edges { node { id } } } }",
            json!({ "g": g.f.grid }),
        )
        .await;
    assert_eq!(nodes(&all["open"]), json!([]));
    assert_eq!(nodes(&all["all"]), json!([{ "id": event }]));
}

#[tokio::test]
async fn the_fourth_failed_check_escalates_to_supervision_with_a_deadline_the_clock_passes() {
    let app = spawn_app().await;
    let g = stage(&app).await;
    let event = id(&report(&app, &g, &g.pipes, "雨水管堵塞").await["id"]);
    dispatch(&app, &g, &event, &g.company).await;
    // Three failed checks return the event to its handler each time.
    for n in 1..=3 {
        rectify(&app, &g.company_member, &event).await;
        let back = check(&app, &g.worker, &event, false).await;
        assert_eq!(back["status"], "DISPATCHED", "after failed check {n}");
        assert_eq!(back["failedChecks"], n);
        assert_eq!(back["supervision"], Value::Null, "after failed check {n}");
    }
    // The fourth exceeds three: supervision, with the category's five days.
    rectify(&app, &g.company_member, &event).await;
    let supervised = check(&app, &g.worker, &event, false).await;
    assert_eq!(supervised["status"], "SUPERVISED");
    assert_eq!(supervised["failedChecks"], 4);
    let deadline = app.clock.today() + Duration::days(5);
    assert_eq!(
        supervised["supervision"],
        json!({ "deadline": deadline.to_string(), "overdue": false, "closedInTime": null })
    );
    assert_eq!(
        actions(&supervised)[9..],
        ["CHECK_FAILED", "ESCALATE"],
        "{supervised:#}"
    );
    let figures = performance(&app, &g.staff, &g.company).await;
    assert_eq!(figures["failedChecks"], 4);
    assert_eq!(figures["escalations"], 1);
    assert_eq!(figures["closed"], 0);
    let record = app
        .ok(
            Some(&g.staff),
            "query($h: ID!) { node(id: $h) { ... on EventHandler { supervisions { deadline event { id } } } } }",
            json!({ "h": g.company }),
        )
        .await;
    assert_eq!(
        record["node"]["supervisions"],
        json!([{ "deadline": deadline.to_string(), "event": { "id": event } }])
    );

    let overdue = |token: String| {
        let app = &app;
        let community = g.f.community.clone();
        async move {
            nodes(
                &app.ok(
                    Some(&token),
                    "query($c: ID!) { overdueSupervisions(communityId: $c) { edges { node { deadline overdue event { id } } } } }",
                    json!({ "c": community }),
                )
                .await["overdueSupervisions"],
            )
        }
    };
    assert_eq!(overdue(g.staff.clone()).await, json!([]));
    // On the deadline it is not yet overdue; the day after, it is.
    app.clock.advance(Duration::days(5)).unwrap();
    let staff = app.login("community.staff", PASSWORD).await;
    assert_eq!(overdue(staff.clone()).await, json!([]));
    app.clock.advance(Duration::days(1)).unwrap();
    let staff = app.login("community.staff", PASSWORD).await;
    assert_eq!(
        overdue(staff.clone()).await,
        json!([{ "deadline": deadline.to_string(), "overdue": true, "event": { "id": event } }])
    );
    // A grid worker reads the grid's events, not the community's supervision list.
    let worker = app.login("grid.worker", PASSWORD).await;
    let body = app
        .gql(
            Some(&worker),
            "query($c: ID!) { overdueSupervisions(communityId: $c) { edges { node { deadline } } } }",
            json!({ "c": g.f.community }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");

    // Rectified late: the event closes, the supervision with it, not in time.
    let member = app.login("handler.company", PASSWORD).await;
    let handled = rectify(&app, &member, &event).await;
    assert_eq!(handled["status"], "HANDLED");
    let closed = check(&app, &worker, &event, true).await;
    assert_eq!(closed["status"], "CLOSED");
    assert_eq!(
        closed["supervision"],
        json!({ "deadline": deadline.to_string(), "overdue": false, "closedInTime": false })
    );
    assert_eq!(overdue(staff).await, json!([]));
}

#[tokio::test]
async fn small_events_are_handled_on_the_spot_or_handed_to_the_enforcement_team() {
    let app = spawn_app().await;
    let g = stage(&app).await;
    let described = |description: &str| {
        json!({ "gridId": g.f.grid, "categoryId": g.clutter, "place": "东门人行道",
                "description": description })
    };
    let on_spot = run(
        &app,
        &g.worker,
        "reportGridEvent",
        EVENT,
        described("共享单车乱停"),
    )
    .await["event"]
        .clone();
    assert_eq!(on_spot["procedure"], "SIMPLE");
    let on_spot = id(&on_spot["id"]);
    // A small event is not dispatched: its grid worker settles it.
    let (code, message) = refusal(
        &app,
        &g.staff,
        "dispatchGridEvent",
        json!({ "eventId": on_spot, "handlerId": g.company }),
    )
    .await;
    assert_eq!(code, "INVALID_STATE");
    assert!(message.contains("simple procedure"), "{message}");
    let closed = run(
        &app,
        &g.worker,
        "handleGridEventOnSpot",
        EVENT,
        json!({ "eventId": on_spot, "note": "已摆放整齐" }),
    )
    .await["event"]
        .clone();
    assert_eq!(closed["status"], "CLOSED");
    assert_eq!(actions(&closed), ["REPORT", "HANDLE_ON_SPOT"]);
    let (code, message) = refusal(
        &app,
        &g.worker,
        "handleGridEventOnSpot",
        json!({ "eventId": on_spot }),
    )
    .await;
    assert_eq!(code, "INVALID_STATE");
    assert!(message.contains("CLOSED"), "{message}");

    // Told to fix it, the party refuses: the enforcement team takes it.
    let refused = id(&run(
        &app,
        &g.worker,
        "reportGridEvent",
        EVENT,
        described("商铺占道经营"),
    )
    .await["event"]["id"]);
    let notified = run(
        &app,
        &g.worker,
        "notifyResponsibleParty",
        EVENT,
        json!({ "eventId": refused, "party": "东门水果店", "note": "限当日整改" }),
    )
    .await["event"]
        .clone();
    assert_eq!(notified["status"], "NOTIFIED");
    assert_eq!(notified["responsibleParty"], "东门水果店");
    let (code, _) = refusal(
        &app,
        &g.worker,
        "checkGridEvent",
        json!({ "eventId": refused, "passed": false }),
    )
    .await;
    assert_eq!(
        code, "INVALID",
        "a refusing party goes to the enforcement team"
    );
    let (code, _) = refusal(
        &app,
        &g.worker,
        "handToEnforcementTeam",
        json!({ "eventId": refused, "teamId": g.company }),
    )
    .await;
    assert_eq!(code, "INVALID", "only an enforcement team takes it");
    let handed = run(
        &app,
        &g.worker,
        "handToEnforcementTeam",
        EVENT,
        json!({ "eventId": refused, "teamId": g.team, "note": "拒不整改" }),
    )
    .await["event"]
        .clone();
    assert_eq!(handed["status"], "DISPATCHED");
    assert_eq!(handed["handler"]["name"], "综合整治队");
    rectify(&app, &g.team_member, &refused).await;
    let closed = check(&app, &g.worker, &refused, true).await;
    assert_eq!(
        actions(&closed),
        [
            "REPORT",
            "NOTIFY_PARTY",
            "HAND_TO_ENFORCEMENT",
            "HANDLE",
            "CHECK_PASSED"
        ]
    );
    assert_eq!(performance(&app, &g.staff, &g.team).await["received"], 1);

    // Told to fix it, the party does: the grid worker checks and it closes.
    let fixed = id(&run(
        &app,
        &g.worker,
        "reportGridEvent",
        EVENT,
        described("广告乱张贴"),
    )
    .await["event"]["id"]);
    run(
        &app,
        &g.worker,
        "notifyResponsibleParty",
        EVENT,
        json!({ "eventId": fixed, "party": "物业公司" }),
    )
    .await;
    assert_eq!(
        check(&app, &g.worker, &fixed, true).await["status"],
        "CLOSED"
    );

    // An urgent event of a small category takes the standard procedure.
    let urgent = run(
        &app,
        &g.worker,
        "reportGridEvent",
        EVENT,
        json!({ "gridId": g.f.grid, "categoryId": g.clutter, "buildingId": g.f.building,
                "urgency": "URGENT", "fastReportToId": g.department,
                "description": "楼道堆放液化气罐" }),
    )
    .await["event"]
        .clone();
    assert_eq!(urgent["procedure"], "STANDARD");
}

#[tokio::test]
async fn urgent_events_are_fast_reported_to_a_department() {
    let app = spawn_app().await;
    let g = stage(&app).await;
    let urgent = |to: Value| {
        json!({ "gridId": g.f.grid, "categoryId": g.pipes, "buildingId": g.f.building,
                "urgency": "URGENT", "fastReportToId": to, "description": "燃气管道泄漏" })
    };
    let (code, _) = refusal(&app, &g.worker, "reportGridEvent", urgent(Value::Null)).await;
    assert_eq!(code, "REQUIRED");
    let (code, _) = refusal(&app, &g.worker, "reportGridEvent", urgent(json!(g.company))).await;
    assert_eq!(code, "INVALID", "fast reports go to a department");
    let (code, _) = refusal(
        &app,
        &g.worker,
        "reportGridEvent",
        json!({ "gridId": g.f.grid, "categoryId": g.pipes, "buildingId": g.f.building,
                "fastReportToId": g.department, "description": "一般问题" }),
    )
    .await;
    assert_eq!(code, "INVALID", "only urgent events are fast-reported");
    let event = run(
        &app,
        &g.worker,
        "reportGridEvent",
        EVENT,
        urgent(json!(g.department)),
    )
    .await["event"]
        .clone();
    assert_eq!(event["urgency"], "URGENT");
    assert_eq!(event["fastReportedTo"]["name"], "应急管理办");
    assert_eq!(actions(&event), ["REPORT", "FAST_REPORT"]);
    // The department reads what was fast-reported to it.
    let id = id(&event["id"]);
    assert_eq!(
        node(&app, Some(&g.department_member), &id).await,
        json!({ "id": id, "status": "REPORTED" })
    );
}

#[tokio::test]
async fn each_role_acts_only_where_the_rules_put_it() {
    let app = spawn_app().await;
    let g = stage(&app).await;
    // A worker of another grid reports only in theirs.
    let other_grid = run(
        &app,
        &app.admin_token,
        "createGrid",
        "grid { id }",
        json!({ "communityId": g.f.community, "name": "第二网格" }),
    )
    .await;
    let other_grid = id(&other_grid["grid"]["id"]);
    let stranger = app
        .user_with_role("other.worker", "GRID_WORKER", Some(&other_grid))
        .await;
    let here = json!({ "gridId": g.f.grid, "categoryId": g.pipes, "buildingId": g.f.building,
                       "description": "井盖缺失" });
    assert_eq!(
        top_error(&app, Some(&stranger), "reportGridEvent", here.clone()).await,
        "FORBIDDEN"
    );
    // A building chief reports at their building, not in the grid at large.
    let chief = app
        .user_with_role("building.chief", "BUILDING_CHIEF", Some(&g.f.building))
        .await;
    run(
        &app,
        &chief,
        "reportGridEvent",
        "event { id }",
        here.clone(),
    )
    .await;
    assert_eq!(
        top_error(
            &app,
            Some(&chief),
            "reportGridEvent",
            json!({ "gridId": g.f.grid, "categoryId": g.pipes, "place": "小区广场",
                    "description": "路灯不亮" }),
        )
        .await,
        "FORBIDDEN"
    );
    // A resident neither reports nor reads grid events.
    let resident = app
        .user_with_role("a.resident", "RESIDENT", Some(&g.f.dwellings[0]))
        .await;
    assert_eq!(
        top_error(&app, Some(&resident), "reportGridEvent", here.clone()).await,
        "FORBIDDEN"
    );
    let listed = app
        .gql(
            Some(&resident),
            "query($g: ID!) { gridEvents(gridId: $g) { edges { node { id } } } }",
            json!({ "g": g.f.grid }),
        )
        .await;
    assert_eq!(listed["errors"][0]["extensions"]["code"], "FORBIDDEN");

    let event = id(&report(&app, &g, &g.pipes, "消防栓漏水").await["id"]);
    assert_eq!(node(&app, Some(&resident), &event).await, Value::Null);
    // Only the community (or above) dispatches; a grid worker does not.
    assert_eq!(
        top_error(
            &app,
            Some(&g.worker),
            "dispatchGridEvent",
            json!({ "eventId": event, "handlerId": g.company })
        )
        .await,
        "FORBIDDEN"
    );
    // A handler acts only on what is dispatched to it: not before, not another's.
    assert_eq!(
        top_error(
            &app,
            Some(&g.company_member),
            "reportRectification",
            json!({ "eventId": event, "note": "已处理" })
        )
        .await,
        "FORBIDDEN"
    );
    // A refused move names the status the event is in.
    let (code, message) = refusal(
        &app,
        &g.worker,
        "checkGridEvent",
        json!({ "eventId": event, "passed": true }),
    )
    .await;
    assert_eq!(code, "INVALID_STATE");
    assert!(message.contains("REPORTED"), "{message}");
    dispatch(&app, &g, &event, &g.company).await;
    assert_eq!(
        top_error(
            &app,
            Some(&g.repairs_member),
            "reportRectification",
            json!({ "eventId": event, "note": "已处理" })
        )
        .await,
        "FORBIDDEN"
    );
    // Redispatched before it was handled: the first handler no longer acts on it.
    dispatch(&app, &g, &event, &g.repairs).await;
    assert_eq!(
        top_error(
            &app,
            Some(&g.company_member),
            "reportRectification",
            json!({ "eventId": event, "note": "已处理" })
        )
        .await,
        "FORBIDDEN"
    );
    // One who no longer acts for the handler no longer acts on its events.
    let repairs_account = app
        .ok(
            Some(&g.repairs_member),
            "{ me { account { id } } }",
            json!({}),
        )
        .await["me"]["account"]["id"]
        .clone();
    run(
        &app,
        &app.admin_token,
        "removeEventHandlerMember",
        "handler { members }",
        json!({ "handlerId": g.repairs, "accountId": repairs_account }),
    )
    .await;
    assert_eq!(
        top_error(
            &app,
            Some(&g.repairs_member),
            "reportRectification",
            json!({ "eventId": event, "note": "已处理" })
        )
        .await,
        "FORBIDDEN"
    );
    let (code, _) = refusal(
        &app,
        &app.admin_token,
        "removeEventHandlerMember",
        json!({ "handlerId": g.repairs, "accountId": repairs_account }),
    )
    .await;
    assert_eq!(code, "INVALID_STATE");
    run(
        &app,
        &app.admin_token,
        "addEventHandlerMember",
        "handler { id }",
        json!({ "handlerId": g.repairs, "accountId": repairs_account }),
    )
    .await;
    rectify(&app, &g.repairs_member, &event).await;
    let (code, message) = refusal(
        &app,
        &g.staff,
        "dispatchGridEvent",
        json!({ "eventId": event, "handlerId": g.company }),
    )
    .await;
    assert_eq!(code, "INVALID_STATE");
    assert!(message.contains("HANDLED"), "{message}");
    // 谁上报、谁核查: not the community, not another worker of the grid.
    let colleague = app
        .user_with_role("colleague.worker", "GRID_WORKER", Some(&g.f.grid))
        .await;
    for token in [&g.staff, &colleague] {
        assert_eq!(
            top_error(
                &app,
                Some(token),
                "checkGridEvent",
                json!({ "eventId": event, "passed": true })
            )
            .await,
            "FORBIDDEN"
        );
    }
    assert_eq!(
        check(&app, &g.worker, &event, true).await["status"],
        "CLOSED"
    );

    // Handlers of another subdistrict are not dispatched to.
    let elsewhere = run(
        &app,
        &app.admin_token,
        "createSubdistrict",
        "subdistrict { id }",
        json!({ "districtId": g.f.district, "name": "珞南街道" }),
    )
    .await;
    let far = run(
        &app,
        &app.admin_token,
        "createEventHandler",
        "handler { id }",
        json!({ "subdistrictId": elsewhere["subdistrict"]["id"], "name": "珞南物业", "kind": "ORGANISATION" }),
    )
    .await;
    let second = id(&report(&app, &g, &g.pipes, "外墙脱落").await["id"]);
    let (code, _) = refusal(
        &app,
        &g.staff,
        "dispatchGridEvent",
        json!({ "eventId": second, "handlerId": far["handler"]["id"] }),
    )
    .await;
    assert_eq!(code, "INVALID");

    // Event photos: by those who report or handle events, of an accepted type.
    let (_, nobody) = account(&app, "no.role").await;
    let body = photo(&app, &nobody, &g.f.grid, PNG.to_vec()).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );
    let body = photo(
        &app,
        &g.worker,
        &g.f.grid,
        b"plain text, not a photo".to_vec(),
    )
    .await;
    assert_eq!(
        body["data"]["uploadAttachment"]["userErrors"][0]["code"], "INVALID",
        "{body:#}"
    );
    let theirs = photo_id(&app, &stranger, &other_grid).await;
    let (code, _) = refusal(
        &app,
        &g.worker,
        "reportGridEvent",
        json!({ "gridId": g.f.grid, "categoryId": g.pipes, "buildingId": g.f.building,
                "description": "借用别人的照片", "photoIds": [theirs["id"]] }),
    )
    .await;
    assert_eq!(code, "INVALID", "a step shows its author's own photos");
    // Anonymous callers are refused everywhere.
    let anonymous = call(&app, None, "reportGridEvent", "__typename", here).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn joint_actions_group_events_of_a_subdistrict() {
    let app = spawn_app().await;
    let g = stage(&app).await;
    let a = id(&report(&app, &g, &g.pipes, "地下管网渗漏一").await["id"]);
    let b = id(&report(&app, &g, &g.pipes, "地下管网渗漏二").await["id"]);
    let c = id(&report(&app, &g, &g.pipes, "地下管网渗漏三").await["id"]);
    let created = run(
        &app,
        &app.admin_token,
        "createJointAction",
        "action { id title leadHandler { name } events { id } }",
        json!({ "subdistrictId": g.f.subdistrict, "title": "管网联合整治", "leadHandlerId": g.repairs,
                "startsOn": app.clock.today().to_string(), "eventIds": [a, b] }),
    )
    .await["action"]
        .clone();
    assert_eq!(created["leadHandler"]["name"], "市政维修队");
    assert_eq!(created["events"], json!([{ "id": a }, { "id": b }]));
    let action = id(&created["id"]);
    let added = run(
        &app,
        &app.admin_token,
        "addEventsToJointAction",
        "action { events { id } }",
        json!({ "actionId": action, "eventIds": [c] }),
    )
    .await;
    assert_eq!(added["action"]["events"].as_array().unwrap().len(), 3);
    let (code, _) = refusal(
        &app,
        &app.admin_token,
        "addEventsToJointAction",
        json!({ "actionId": action, "eventIds": [a] }),
    )
    .await;
    assert_eq!(code, "CONFLICT");
    // Joint actions are the subdistrict's: community staff read them, not start them.
    assert_eq!(
        top_error(
            &app,
            Some(&g.staff),
            "createJointAction",
            json!({ "subdistrictId": g.f.subdistrict, "title": "社区自行整治",
                    "startsOn": "2026-12-01", "eventIds": [a] })
        )
        .await,
        "FORBIDDEN"
    );
    let listed = app
        .ok(
            Some(&g.staff),
            "query($s: ID!) { jointActions(subdistrictId: $s) { edges { node { title events { id } } } } }",
            json!({ "s": g.f.subdistrict }),
        )
        .await;
    assert_eq!(nodes(&listed["jointActions"])[0]["title"], "管网联合整治");
}
