//! People's small things (民生微实事) and attachments over HTTP: the whole
//! lifecycle from a resident's proposal to the branch's acceptance, with
//! "惠从何来" read back in one query; every refused move naming the
//! current status; support and rating once per resident, and only in their
//! own compound; spending held to the budget until a recorded decision
//! raises it; a decision dated tomorrow taken once the clock moves there;
//! uploads judged by their bytes (type, size, digest) and served only to
//! those entitled; lists and the annual summary.
//!
//! Long on purpose: each test walks one rule end to end, and the scenarios
//! share the setup helpers of this one file.

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{
    Fixture, PASSWORD, PNG, TestApp, fixture, nodes, own, person, spawn_app, spawn_app_with,
};

pub(crate) const PROJECT: &str =
    "project { id title status year estimatedCostFen budgetFen spentFen
    supportCount decidedOn rejectionReason implementer contractor councilMatter { id } }";

/// The selection of a mutation's payload, with its user errors.
fn op(name: &str, selection: &str) -> String {
    let input = format!("{}{}Input", name[..1].to_uppercase(), &name[1..]);
    format!(
        "mutation($input: {input}!) {{ {name}(input: $input) {{ {selection} userErrors {{ field message code }} }} }}"
    )
}

/// Runs mutation `name` as `token` (anonymous when `None`); returns the whole body.
pub(crate) async fn call(
    app: &TestApp,
    token: Option<&str>,
    name: &str,
    selection: &str,
    input: Value,
) -> Value {
    app.gql(token, &op(name, selection), json!({ "input": input }))
        .await
}

/// Runs mutation `name` as `token`; it must answer without request errors. Returns its payload.
async fn payload(app: &TestApp, token: &str, name: &str, selection: &str, input: Value) -> Value {
    let body = call(app, Some(token), name, selection, input).await;
    assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
    body["data"][name].clone()
}

/// Runs mutation `name` as `token`; it must succeed. Returns its payload.
pub(crate) async fn run(
    app: &TestApp,
    token: &str,
    name: &str,
    selection: &str,
    input: Value,
) -> Value {
    let p = payload(app, token, name, selection, input).await;
    assert_eq!(p["userErrors"], json!([]), "{name} failed: {p:#}");
    p
}

/// The one user error of a refused mutation: its code, and its message.
pub(crate) async fn refusal(
    app: &TestApp,
    token: &str,
    name: &str,
    input: Value,
) -> (String, String) {
    let p = payload(app, token, name, "__typename", input).await;
    let e = &p["userErrors"][0];
    assert!(e.is_object(), "{name} should have been refused: {p:#}");
    (
        e["code"].as_str().unwrap().to_owned(),
        e["message"].as_str().unwrap().to_owned(),
    )
}

/// The top-level error code of mutation `name` run as `token`.
pub(crate) async fn top_error(
    app: &TestApp,
    token: Option<&str>,
    name: &str,
    input: Value,
) -> String {
    let body = call(app, token, name, "__typename", input).await;
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("{name} should have been refused: {body:#}"))
        .to_owned()
}

fn today(app: &TestApp) -> NaiveDate {
    app.clock.today()
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A person owning `dwelling`, with an account of their own; returns its token.
async fn resident(
    app: &TestApp,
    f: &Fixture,
    name: &str,
    username: &str,
    dwelling: &str,
) -> String {
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
    app.login(username, PASSWORD).await
}

/// Another compound of the fixture's community, named `name`; returns its ID.
pub(crate) async fn another_compound(app: &TestApp, f: &Fixture, name: &str) -> String {
    run(
        app,
        &app.admin_token,
        "createCompound",
        "compound { id }",
        json!({ "communityId": f.community, "name": name, "kind": "OLD_COMPOUND" }),
    )
    .await["compound"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A residents' council matter of `compound`, proposed today by the admin.
async fn matter(app: &TestApp, compound: &str, title: &str) -> String {
    let council = run(
        app,
        &app.admin_token,
        "createResidentsCouncil",
        "council { id }",
        json!({ "compoundId": compound, "name": format!("{title}议事会"), "representatives": 10 }),
    )
    .await["council"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    run(
        app,
        &app.admin_token,
        "proposeCouncilMatter",
        "matter { id }",
        json!({ "councilId": council, "title": title, "description": "民生微实事评议",
                "record": { "heldOn": ymd(today(app)), "body": "小区党支部", "attendance": "支委5人" } }),
    )
    .await["matter"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Everything a lifecycle test needs: the fixture, the branch secretary,
/// two residents of the compound and a council matter.
pub(crate) struct Stage {
    pub f: Fixture,
    pub secretary: String,
    pub proposer: String,
    pub neighbour: String,
    pub matter: String,
}

pub(crate) async fn stage(app: &TestApp) -> Stage {
    let f = fixture(app).await;
    let secretary = app
        .user_with_role("branch.secretary", "BRANCH_SECRETARY", Some(&f.compound))
        .await;
    let proposer = resident(app, &f, "王业主", "wang.proposer", &f.dwellings[0]).await;
    let neighbour = resident(app, &f, "李业主", "li.neighbour", &f.dwellings[1]).await;
    let matter = matter(app, &f.compound, "加装休闲座椅").await;
    Stage {
        f,
        secretary,
        proposer,
        neighbour,
        matter,
    }
}

/// A project proposed by the stage's proposer; returns its ID.
pub(crate) async fn propose(app: &TestApp, s: &Stage, title: &str, estimate: i64) -> String {
    run(
        app,
        &s.proposer,
        "proposeProject",
        PROJECT,
        json!({ "compoundId": s.f.compound, "title": title,
                "description": "小区广场缺少座椅,老人无处休息", "estimatedCostFen": estimate }),
    )
    .await["project"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Takes a proposed project through deliberation and approval with `budget`.
pub(crate) async fn approve(app: &TestApp, s: &Stage, project: &str, budget: i64) {
    run(
        app,
        &s.secretary,
        "deliberateProject",
        PROJECT,
        json!({ "projectId": project, "councilMatterId": s.matter }),
    )
    .await;
    run(
        app,
        &s.secretary,
        "decideProject",
        PROJECT,
        json!({ "projectId": project, "approved": true, "budgetFen": budget,
                "decidedOn": ymd(today(app)) }),
    )
    .await;
}

/// Takes a proposed project into implementation with `budget`.
async fn implement(app: &TestApp, s: &Stage, project: &str, budget: i64) {
    approve(app, s, project, budget).await;
    run(
        app,
        &s.secretary,
        "startProjectImplementation",
        PROJECT,
        json!({ "projectId": project, "implementer": "翠苑社区党委", "contractor": "武汉市便民施工队" }),
    )
    .await;
}

/// Uploads `bytes` as a project photo of `compound` as `token`; returns the whole body.
async fn upload(app: &TestApp, token: &str, compound: &str, name: &str, bytes: Vec<u8>) -> Value {
    app.gql_upload(
        Some(token),
        "mutation($input: UploadAttachmentInput!) { uploadAttachment(input: $input) {
            attachment { id fileName contentType sizeBytes sha256 url purpose }
            userErrors { field message code } } }",
        json!({ "input": { "compoundId": compound, "purpose": "PROJECT_PHOTO", "file": null } }),
        "variables.input.file",
        name,
        bytes,
    )
    .await
}

/// GETs an attachment's bytes as `token`: the status and the body.
pub(crate) async fn fetch(app: &TestApp, token: Option<&str>, url: &str) -> (u16, Vec<u8>) {
    let mut req = app.client.get(format!("{}{url}", app.address));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    (status, resp.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn a_project_goes_from_proposal_to_closing_and_tells_where_its_benefit_came_from() {
    let app = spawn_app().await;
    let s = stage(&app).await;
    let project = propose(&app, &s, "广场加装休闲座椅", 800_000).await;
    run(
        &app,
        &s.neighbour,
        "supportProject",
        "support { person { name } supportedAt }",
        json!({ "projectId": project }),
    )
    .await;
    implement(&app, &s, &project, 1_000_000).await;

    let photo = upload(
        &app,
        &s.secretary,
        &s.f.compound,
        "座椅安装.png",
        PNG.to_vec(),
    )
    .await;
    let photo = photo["data"]["uploadAttachment"]["attachment"].clone();
    assert_eq!(photo["contentType"], "image/png", "{photo:#}");
    run(
        &app,
        &s.secretary,
        "recordProjectProgress",
        "update { id photos { id } }",
        json!({ "projectId": project, "happenedOn": ymd(today(&app)),
                "text": "座椅已安装8张", "photoIds": [photo["id"]] }),
    )
    .await;
    run(
        &app,
        &s.secretary,
        "recordProjectSpending",
        "spending { amountFen }",
        json!({ "projectId": project, "amountFen": 950_000, "spentOn": ymd(today(&app)),
                "description": "座椅采购与安装" }),
    )
    .await;
    run(
        &app,
        &s.secretary,
        "submitProjectForAcceptance",
        PROJECT,
        json!({ "projectId": project, "note": "已完工" }),
    )
    .await;
    for (token, stars) in [(&s.proposer, 5), (&s.neighbour, 4)] {
        run(
            &app,
            token,
            "rateProject",
            "rating { stars round }",
            json!({ "projectId": project, "stars": stars, "comment": "很实用" }),
        )
        .await;
    }
    let accepted = run(
        &app,
        &s.secretary,
        "recordProjectAcceptance",
        "acceptance { outcome round summary ratings { count starsTotal mean } }",
        json!({ "projectId": project, "outcome": "ACCEPTED", "summary": "居民满意,验收通过" }),
    )
    .await;
    assert_eq!(
        accepted["acceptance"]["ratings"],
        json!({ "count": 2, "starsTotal": 9, "mean": 4.5 })
    );

    // 惠从何来, anonymously: every party to the project and what it cost.
    let origin = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Project { status budgetFen spentFen
                origin { proposer { name } supporters { name } supportCount deliberatedIn { id }
                    deliberation { toStatus recordedBy } decision { toStatus recordedBy note }
                    implementer contractor delivery { recordedBy } budgetFen spentFen
                    rating { count mean } acceptance { recordedBy note } }
                history { fromStatus toStatus }
                updates(first: 5) { edges { node { text photos { url sha256 } } } } } } }",
            json!({ "id": project }),
        )
        .await["node"]
        .clone();
    assert_eq!(origin["status"], "CLOSED");
    assert_eq!(origin["budgetFen"], 1_000_000);
    assert_eq!(origin["spentFen"], 950_000);
    let o = &origin["origin"];
    assert_eq!(o["proposer"]["name"], "王业主");
    assert_eq!(o["supporters"], json!([{ "name": "李业主" }]));
    assert_eq!(o["supportCount"], 1);
    assert_eq!(o["deliberatedIn"]["id"], s.matter.as_str());
    assert_eq!(o["deliberation"]["recordedBy"], "branch.secretary");
    assert_eq!(o["decision"]["toStatus"], "APPROVED");
    assert_eq!(
        o["decision"]["note"],
        "approved with a budget of 1000000 fen"
    );
    assert_eq!(o["implementer"], "翠苑社区党委");
    assert_eq!(o["contractor"], "武汉市便民施工队");
    assert_eq!(o["delivery"]["recordedBy"], "branch.secretary");
    assert_eq!(o["rating"], json!({ "count": 2, "mean": 4.5 }));
    assert_eq!(o["acceptance"]["note"], "居民满意,验收通过");
    let path: Vec<(&str, &str)> = origin["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["fromStatus"].as_str().unwrap(),
                t["toStatus"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        path,
        [
            ("SOLICITATION", "DELIBERATION"),
            ("DELIBERATION", "APPROVED"),
            ("APPROVED", "IMPLEMENTATION"),
            ("IMPLEMENTATION", "ACCEPTANCE"),
            ("ACCEPTANCE", "CLOSED"),
        ]
    );
    // The progress photo is public with the project, byte for byte.
    let shown = &nodes(&origin["updates"])[0]["photos"][0];
    let (status, bytes) = fetch(&app, None, shown["url"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, PNG.to_vec());
    assert_eq!(shown["sha256"], hex::encode(Sha256::digest(PNG)));
}

#[tokio::test]
async fn every_refused_move_names_the_current_status_and_changes_nothing() {
    let app = spawn_app().await;
    let s = stage(&app).await;
    let project = propose(&app, &s, "楼道照明改造", 300_000).await;
    let id = json!({ "projectId": project });
    let today = ymd(today(&app));

    // In solicitation: no decision, no implementation, no rating.
    let (code, message) = refusal(
        &app,
        &s.secretary,
        "decideProject",
        json!({ "projectId": project, "approved": true, "budgetFen": 1000, "decidedOn": today }),
    )
    .await;
    assert_eq!(code, "INVALID_STATE");
    assert!(message.contains("SOLICITATION"), "{message}");
    let (code, message) = refusal(
        &app,
        &s.proposer,
        "rateProject",
        json!({ "projectId": project, "stars": 5 }),
    )
    .await;
    assert_eq!(
        (code.as_str(), message.contains("SOLICITATION")),
        ("INVALID_STATE", true)
    );

    run(
        &app,
        &s.secretary,
        "deliberateProject",
        PROJECT,
        json!({ "projectId": project, "councilMatterId": s.matter }),
    )
    .await;
    // Under deliberation: support is over, and it cannot be implemented yet.
    let (code, message) = refusal(&app, &s.neighbour, "supportProject", id.clone()).await;
    assert_eq!(code, "INVALID_STATE");
    assert!(message.contains("DELIBERATION"), "{message}");
    let (code, message) = refusal(
        &app,
        &s.secretary,
        "startProjectImplementation",
        json!({ "projectId": project, "implementer": "社区" }),
    )
    .await;
    assert_eq!(
        (code.as_str(), message.contains("DELIBERATION")),
        ("INVALID_STATE", true)
    );

    // An approval needs its budget; a rejection its reason.
    let (code, _) = refusal(
        &app,
        &s.secretary,
        "decideProject",
        json!({ "projectId": project, "approved": true, "decidedOn": today }),
    )
    .await;
    assert_eq!(code, "REQUIRED");
    let (code, _) = refusal(
        &app,
        &s.secretary,
        "decideProject",
        json!({ "projectId": project, "approved": false, "rejectionReason": "  ", "decidedOn": today }),
    )
    .await;
    assert_eq!(code, "REQUIRED");
    let rejected = run(
        &app,
        &s.secretary,
        "decideProject",
        PROJECT,
        json!({ "projectId": project, "approved": false, "rejectionReason": "已列入老旧小区改造",
                "decidedOn": today }),
    )
    .await;
    assert_eq!(rejected["project"]["status"], "REJECTED");
    assert_eq!(rejected["project"]["rejectionReason"], "已列入老旧小区改造");
    // A rejected project stops there, with its record.
    for (name, input) in [
        (
            "startProjectImplementation",
            json!({ "projectId": project, "implementer": "社区" }),
        ),
        (
            "recordProjectSpending",
            json!({ "projectId": project, "amountFen": 1, "spentOn": today, "description": "x" }),
        ),
        ("submitProjectForAcceptance", id.clone()),
        (
            "recordProjectAcceptance",
            json!({ "projectId": project, "outcome": "ACCEPTED", "summary": "x" }),
        ),
    ] {
        let (code, message) = refusal(&app, &s.secretary, name, input).await;
        assert_eq!(code, "INVALID_STATE", "{name}");
        assert!(message.contains("REJECTED"), "{name}: {message}");
    }
    let read = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Project { status history { toStatus } } } }",
            json!({ "id": project }),
        )
        .await;
    assert_eq!(read["node"]["status"], "REJECTED");
    assert_eq!(read["node"]["history"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn support_and_ratings_are_once_per_resident_and_only_in_their_own_compound() {
    let app = spawn_app().await;
    let s = stage(&app).await;
    // A resident of another compound of the same community.
    let elsewhere = another_compound(&app, &s.f, "翠苑二区").await;
    let building = run(
        &app,
        &app.admin_token,
        "createBuilding",
        "building { id }",
        json!({ "compoundId": elsewhere, "name": "9号楼", "floors": 3 }),
    )
    .await["building"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let dwelling = run(
        &app,
        &app.admin_token,
        "createDwelling",
        "dwelling { id }",
        json!({ "buildingId": building, "floor": 1, "number": "9-101", "exclusiveArea": "60.00" }),
    )
    .await["dwelling"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let outsider = resident(&app, &s.f, "孙外人", "sun.outsider", &dwelling).await;

    // Proposing: residents only, in their own compound.
    let proposal = json!({ "compoundId": s.f.compound, "title": "垃圾分类亭", "description": "增设分类亭",
                           "estimatedCostFen": 50_000 });
    assert_eq!(
        top_error(&app, None, "proposeProject", proposal.clone()).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        top_error(&app, Some(&outsider), "proposeProject", proposal.clone()).await,
        "FORBIDDEN"
    );
    let project = propose(&app, &s, "垃圾分类亭", 50_000).await;

    let id = json!({ "projectId": project });
    assert_eq!(
        top_error(&app, Some(&outsider), "supportProject", id.clone()).await,
        "FORBIDDEN"
    );
    let (code, message) = refusal(&app, &s.proposer, "supportProject", id.clone()).await;
    assert_eq!(code, "CONFLICT");
    assert!(message.contains("you proposed"), "{message}");
    run(
        &app,
        &s.neighbour,
        "supportProject",
        "support { supportedAt }",
        id.clone(),
    )
    .await;
    let (code, _) = refusal(&app, &s.neighbour, "supportProject", id.clone()).await;
    assert_eq!(code, "CONFLICT", "double support");
    let count = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Project { supportCount } } }",
            json!({ "id": project }),
        )
        .await;
    assert_eq!(count["node"]["supportCount"], 1);

    implement(&app, &s, &project, 60_000).await;
    run(
        &app,
        &s.secretary,
        "submitProjectForAcceptance",
        PROJECT,
        id.clone(),
    )
    .await;
    let rate = |stars: i32| json!({ "projectId": project, "stars": stars, "comment": "" });
    let (code, _) = refusal(&app, &s.neighbour, "rateProject", rate(6)).await;
    assert_eq!(code, "OUT_OF_RANGE", "six stars");
    let (code, _) = refusal(&app, &s.neighbour, "rateProject", rate(0)).await;
    assert_eq!(code, "OUT_OF_RANGE", "no stars");
    assert_eq!(
        top_error(&app, Some(&outsider), "rateProject", rate(3)).await,
        "FORBIDDEN"
    );
    run(
        &app,
        &s.neighbour,
        "rateProject",
        "rating { round }",
        rate(2),
    )
    .await;
    let (code, _) = refusal(&app, &s.neighbour, "rateProject", rate(5)).await;
    assert_eq!(code, "CONFLICT", "double rating");

    // Sent back, handed over again: a new round, rated anew.
    let back = run(
        &app,
        &s.secretary,
        "recordProjectAcceptance",
        "acceptance { round outcome ratings { count starsTotal } }",
        json!({ "projectId": project, "outcome": "SENT_BACK", "summary": "亭顶漏雨,返工" }),
    )
    .await;
    assert_eq!(back["acceptance"]["round"], 1);
    assert_eq!(
        back["acceptance"]["ratings"],
        json!({ "count": 1, "starsTotal": 2 })
    );
    run(
        &app,
        &s.secretary,
        "submitProjectForAcceptance",
        PROJECT,
        id.clone(),
    )
    .await;
    let second = run(
        &app,
        &s.neighbour,
        "rateProject",
        "rating { round }",
        rate(5),
    )
    .await;
    assert_eq!(second["rating"]["round"], 2);

    // Who rated is for those who may read the compound's personal data.
    let q = "query($id: ID!) { node(id: $id) { ... on Project { ratings(first: 10) { edges { node { stars person { name } } } } } } }";
    let public = app.ok(None, q, json!({ "id": project })).await;
    assert_eq!(
        nodes(&public["node"]["ratings"]),
        json!([{ "stars": 2, "person": null }, { "stars": 5, "person": null }])
    );
    let staff = app
        .ok(Some(&s.secretary), q, json!({ "id": project }))
        .await;
    assert_eq!(
        nodes(&staff["node"]["ratings"])[0]["person"]["name"],
        "李业主"
    );
}

#[tokio::test]
async fn spending_never_passes_the_budget_unless_a_decision_raises_it() {
    let app = spawn_app().await;
    let s = stage(&app).await;
    let project = propose(&app, &s, "健身器材更新", 100_000).await;
    implement(&app, &s, &project, 10_000).await;
    let today = ymd(today(&app));
    let spend = |fen: i64| json!({ "projectId": project, "amountFen": fen, "spentOn": today, "description": "器材" });
    run(
        &app,
        &s.secretary,
        "recordProjectSpending",
        "spending { amountFen }",
        spend(6_000),
    )
    .await;
    let (code, message) = refusal(&app, &s.secretary, "recordProjectSpending", spend(4_001)).await;
    assert_eq!(code, "OUT_OF_RANGE");
    assert!(
        message.contains("10001") && message.contains("10000"),
        "{message}"
    );
    // Up to the budget exactly is allowed.
    run(
        &app,
        &s.secretary,
        "recordProjectSpending",
        "spending { amountFen }",
        spend(4_000),
    )
    .await;
    let (code, _) = refusal(&app, &s.secretary, "recordProjectSpending", spend(1)).await;
    assert_eq!(code, "OUT_OF_RANGE");
    let (code, _) = refusal(&app, &s.secretary, "recordProjectSpending", spend(0)).await;
    assert_eq!(code, "OUT_OF_RANGE", "a spending of nothing");

    // A raise must be above the budget in force, say why, and cite a matter of this compound.
    let raise = |fen: i64, matter: Option<&str>| {
        json!({ "projectId": project, "budgetFen": fen, "reason": "增购两台器材",
                "councilMatterId": matter, "decidedOn": today })
    };
    let (code, _) = refusal(
        &app,
        &s.secretary,
        "raiseProjectBudget",
        raise(10_000, None),
    )
    .await;
    assert_eq!(code, "OUT_OF_RANGE");
    let other = another_compound(&app, &s.f, "翠苑三区").await;
    let foreign = matter(&app, &other, "别处议题").await;
    let (code, _) = refusal(
        &app,
        &s.secretary,
        "raiseProjectBudget",
        raise(15_000, Some(&foreign)),
    )
    .await;
    assert_eq!(code, "INVALID");
    run(
        &app,
        &s.secretary,
        "raiseProjectBudget",
        "budget { amountFen reason }",
        raise(15_000, Some(&s.matter)),
    )
    .await;
    run(
        &app,
        &s.secretary,
        "recordProjectSpending",
        "spending { amountFen }",
        spend(5_000),
    )
    .await;

    let read = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Project { budgetFen spentFen
            budgetDecisions { amountFen reason councilMatter { id } } spending { amountFen } } } }",
            json!({ "id": project }),
        )
        .await["node"]
        .clone();
    assert_eq!(read["budgetFen"], 15_000);
    assert_eq!(read["spentFen"], 15_000);
    assert_eq!(
        read["budgetDecisions"],
        json!([
            { "amountFen": 10_000, "reason": "approved", "councilMatter": { "id": s.matter } },
            { "amountFen": 15_000, "reason": "增购两台器材", "councilMatter": { "id": s.matter } },
        ])
    );
    assert_eq!(read["spending"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_decision_dated_tomorrow_is_taken_once_the_clock_reaches_it() {
    let app = spawn_app().await;
    let s = stage(&app).await;
    let project = propose(&app, &s, "单元门禁维修", 20_000).await;
    run(
        &app,
        &s.secretary,
        "deliberateProject",
        PROJECT,
        json!({ "projectId": project, "councilMatterId": s.matter }),
    )
    .await;
    let tomorrow = ymd(today(&app) + Duration::days(1));
    let decide = json!({ "projectId": project, "approved": true, "budgetFen": 20_000, "decidedOn": tomorrow });
    let (code, _) = refusal(&app, &s.secretary, "decideProject", decide.clone()).await;
    assert_eq!(code, "OUT_OF_RANGE");
    app.clock
        .advance(Duration::days(1))
        .expect("the test clock moves");
    // A day on, the morning's token has expired: the secretary signs in again.
    let secretary = app.login("branch.secretary", PASSWORD).await;
    let decided = run(&app, &secretary, "decideProject", PROJECT, decide).await;
    assert_eq!(decided["project"]["status"], "APPROVED");
    assert_eq!(decided["project"]["decidedOn"], tomorrow.as_str());
}

#[tokio::test]
async fn staff_of_another_compound_and_residents_cannot_run_projects() {
    let app = spawn_app().await;
    let s = stage(&app).await;
    let project = propose(&app, &s, "车棚加装充电桩", 200_000).await;
    let other = another_compound(&app, &s.f, "翠苑四区").await;
    let stranger = app
        .user_with_role("other.secretary", "BRANCH_SECRETARY", Some(&other))
        .await;
    let input = json!({ "projectId": project, "councilMatterId": s.matter });
    assert_eq!(
        top_error(&app, Some(&stranger), "deliberateProject", input.clone()).await,
        "FORBIDDEN"
    );
    assert_eq!(
        top_error(&app, Some(&s.proposer), "deliberateProject", input.clone()).await,
        "FORBIDDEN"
    );
    // The community's staff may.
    let community = app
        .user_with_role("community.staff", "COMMUNITY_STAFF", Some(&s.f.community))
        .await;
    run(&app, &community, "deliberateProject", PROJECT, input).await;
}

#[tokio::test]
async fn uploads_are_judged_by_their_bytes_and_served_only_to_those_entitled() {
    let app = spawn_app_with(|c| c.max_upload_bytes = 1_000).await;
    let s = stage(&app).await;

    // The bytes decide the type, whatever the name says; the digest is recorded.
    let ok = upload(
        &app,
        &s.secretary,
        &s.f.compound,
        "report.pdf",
        PNG.to_vec(),
    )
    .await;
    let a = ok["data"]["uploadAttachment"]["attachment"].clone();
    assert_eq!(a["contentType"], "image/png", "{ok:#}");
    assert_eq!(a["fileName"], "report.pdf");
    assert_eq!(a["sizeBytes"], PNG.len());
    assert_eq!(a["sha256"], hex::encode(Sha256::digest(PNG)));

    let error_of = |body: &Value| body["data"]["uploadAttachment"]["userErrors"][0].clone();
    let text = upload(
        &app,
        &s.secretary,
        &s.f.compound,
        "photo.png",
        b"not a picture at all".to_vec(),
    )
    .await;
    assert_eq!(error_of(&text)["code"], "INVALID", "{text:#}");
    assert_eq!(error_of(&text)["field"], json!(["input", "file"]));
    let mut large = PNG.to_vec();
    large.resize(1_001, 0);
    let too_large = upload(&app, &s.secretary, &s.f.compound, "big.png", large).await;
    assert_eq!(
        error_of(&too_large)["code"],
        "OUT_OF_RANGE",
        "{too_large:#}"
    );
    let empty = upload(&app, &s.secretary, &s.f.compound, "empty.png", Vec::new()).await;
    assert_eq!(error_of(&empty)["code"], "REQUIRED", "{empty:#}");
    let by_resident = upload(&app, &s.proposer, &s.f.compound, "mine.png", PNG.to_vec()).await;
    assert_eq!(
        by_resident["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{by_resident:#}"
    );

    // Before a record shows it: its uploader and the compound's staff only.
    let url = a["url"].as_str().unwrap();
    assert_eq!(
        fetch(&app, Some(&s.secretary), url).await,
        (200, PNG.to_vec())
    );
    assert_eq!(fetch(&app, None, url).await.0, 404);
    assert_eq!(fetch(&app, Some(&s.proposer), url).await.0, 404);
    assert_eq!(
        fetch(&app, Some(&s.proposer), "/attachments/987654")
            .await
            .0,
        404
    );
    let hidden = app
        .gql(
            Some(&s.proposer),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": a["id"] }),
        )
        .await;
    assert_eq!(hidden["data"]["node"], Value::Null);

    // A photo of another compound cannot be shown by this compound's project.
    let other = another_compound(&app, &s.f, "翠苑五区").await;
    let foreign = upload(&app, &app.admin_token, &other, "other.png", PNG.to_vec()).await;
    let foreign = foreign["data"]["uploadAttachment"]["attachment"]["id"].clone();
    let project = propose(&app, &s, "绿化补植", 30_000).await;
    implement(&app, &s, &project, 30_000).await;
    let progress = |photos: Value| {
        json!({ "projectId": project, "happenedOn": ymd(today(&app)),
                                            "text": "补植完成", "photoIds": photos })
    };
    let p = payload(
        &app,
        &s.secretary,
        "recordProjectProgress",
        "__typename",
        progress(json!([a["id"], foreign])),
    )
    .await;
    assert_eq!(
        p["userErrors"][0]["field"],
        json!(["input", "photoIds", "1"]),
        "{p:#}"
    );
    run(
        &app,
        &s.secretary,
        "recordProjectProgress",
        "update { id }",
        progress(json!([a["id"]])),
    )
    .await;
    // Shown by a public record, it is public.
    assert_eq!(fetch(&app, None, url).await, (200, PNG.to_vec()));

    // A variable claiming a file the request does not carry is refused, not obeyed.
    let lie = app
        .client
        .post(app.graphql_url())
        .bearer_auth(&s.secretary)
        .json(&json!({
            "query": "mutation($input: UploadAttachmentInput!) { uploadAttachment(input: $input) { __typename } }",
            "variables": { "input": { "compoundId": s.f.compound, "purpose": "PROJECT_PHOTO", "file": "#__graphql_file__:7" } }
        }))
        .send()
        .await
        .expect("request");
    assert_eq!(lie.status().as_u16(), 400);
}

#[tokio::test]
async fn projects_are_listed_by_compound_community_status_and_year_and_summed_for_the_review() {
    let app = spawn_app().await;
    let s = stage(&app).await;
    let year = today(&app).format("%Y").to_string().parse::<i32>().unwrap();
    let closed = propose(&app, &s, "路灯更换", 40_000).await;
    implement(&app, &s, &closed, 50_000).await;
    run(&app, &s.secretary, "recordProjectSpending", "spending { amountFen }",
        json!({ "projectId": closed, "amountFen": 45_000, "spentOn": ymd(today(&app)), "description": "路灯" })).await;
    run(
        &app,
        &s.secretary,
        "submitProjectForAcceptance",
        PROJECT,
        json!({ "projectId": closed }),
    )
    .await;
    run(
        &app,
        &s.proposer,
        "rateProject",
        "rating { stars }",
        json!({ "projectId": closed, "stars": 3 }),
    )
    .await;
    run(
        &app,
        &s.neighbour,
        "rateProject",
        "rating { stars }",
        json!({ "projectId": closed, "stars": 4 }),
    )
    .await;
    run(
        &app,
        &s.secretary,
        "recordProjectAcceptance",
        "acceptance { round }",
        json!({ "projectId": closed, "outcome": "ACCEPTED", "summary": "通过" }),
    )
    .await;
    let approved = propose(&app, &s, "信报箱更换", 20_000).await;
    approve(&app, &s, &approved, 25_000).await;
    let open = propose(&app, &s, "宠物便袋箱", 5_000).await;

    let list = |filter: Value| {
        let app = &app;
        async move {
            let data = app
                .ok(None, "query($filter: ProjectFilter) { projects(filter: $filter, first: 10) { edges { node { id } } } }",
                    json!({ "filter": filter }))
                .await;
            nodes(&data["projects"])
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        list(json!({ "compoundId": s.f.compound })).await,
        [closed.clone(), approved.clone(), open.clone()]
    );
    assert_eq!(
        list(json!({ "communityId": s.f.community, "status": "CLOSED" })).await,
        vec![closed.clone()]
    );
    assert_eq!(
        list(json!({ "status": "SOLICITATION", "year": year })).await,
        vec![open.clone()]
    );
    assert!(list(json!({ "year": year - 1 })).await.is_empty());
    let paged = app
        .ok(None, "query($c: ID!) { node(id: $c) { ... on Compound { projects(first: 2) { edges { node { id } } pageInfo { hasNextPage } } } } }",
            json!({ "c": s.f.compound }))
        .await;
    assert_eq!(paged["node"]["projects"]["pageInfo"]["hasNextPage"], true);

    let summary = "query($c: ID, $s: ID, $y: Int!) { projectSummary(communityId: $c, subdistrictId: $s, year: $y) {
        year projects byStatus { status count } budgetFen spentFen rating { count starsTotal mean } } }";
    let by_community = app
        .ok(None, summary, json!({ "c": s.f.community, "y": year }))
        .await["projectSummary"]
        .clone();
    let by_subdistrict = app
        .ok(None, summary, json!({ "s": s.f.subdistrict, "y": year }))
        .await["projectSummary"]
        .clone();
    assert_eq!(by_community, by_subdistrict);
    assert_eq!(by_community["projects"], 3);
    assert_eq!(by_community["budgetFen"], 75_000);
    assert_eq!(by_community["spentFen"], 45_000);
    assert_eq!(
        by_community["rating"],
        json!({ "count": 2, "starsTotal": 7, "mean": 3.5 })
    );
    let counts: Vec<(String, i64)> = by_community["byStatus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["status"].as_str().unwrap().to_owned(),
                c["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("SOLICITATION".to_owned(), 1),
            ("DELIBERATION".to_owned(), 0),
            ("APPROVED".to_owned(), 1),
            ("REJECTED".to_owned(), 0),
            ("IMPLEMENTATION".to_owned(), 0),
            ("ACCEPTANCE".to_owned(), 0),
            ("CLOSED".to_owned(), 1),
        ]
    );
    let last_year = app
        .ok(None, summary, json!({ "c": s.f.community, "y": year - 1 }))
        .await;
    assert_eq!(last_year["projectSummary"]["projects"], 0);
    assert_eq!(last_year["projectSummary"]["rating"]["mean"], Value::Null);
}
