//! Evaluation campaigns over HTTP, with worked numbers: entry routes and
//! eligibility, conflict-of-interest refusals, score sheets (a point over
//! the maximum, editing after submission, correction), both aggregation
//! rules, the tie-break, selection and publication with public titles,
//! and who may do what.

use serde_json::{Value, json};

use crate::helpers::{Fixture, PASSWORD, PNG, TestApp, fixture, nodes, own, spawn_app};
use crate::projects::{refusal, run, top_error};

/// A rubric of two indicators, 60 and 40 points.
const RUBRIC: &str = r#"
code = "test-demonstration"
name = "测试细则"
kind = "DEMONSTRATION_COMPOUND"

[[aspects]]
title = "组织与机制"

[[aspects.indicators]]
title = "组织体系"
max_score = 60
guidance = "现场查看"

[[aspects.indicators]]
title = "治理成效"
max_score = 40
guidance = "入户走访"
"#;

/// The published rubric version and its two indicators' IDs (60 and 40 points).
pub(crate) struct Rubric {
    pub version: String,
    pub indicators: [String; 2],
}

pub(crate) async fn rubric(app: &TestApp) -> Rubric {
    let v = run(
        app,
        &app.admin_token,
        "loadRubric",
        "version { id aspects { indicators { id maxScore } } }",
        json!({ "format": "TOML", "document": RUBRIC, "publish": true }),
    )
    .await["version"]
        .clone();
    let ids = &v["aspects"][0]["indicators"];
    Rubric {
        version: s(&v["id"]),
        indicators: [s(&ids[0]["id"]), s(&ids[1]["id"])],
    }
}

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_owned()
}

/// A compound of the fixture's community.
pub(crate) async fn compound(app: &TestApp, f: &Fixture, name: &str) -> String {
    s(&run(
        app,
        &app.admin_token,
        "createCompound",
        "compound { id }",
        json!({ "communityId": f.community, "name": name, "kind": "COMMODITY_HOUSING" }),
    )
    .await["compound"]["id"])
}

/// An evaluator: a person, an account linked to them holding the EVALUATOR role.
pub(crate) struct Evaluator {
    pub token: String,
    pub account: String,
    pub person: String,
}

pub(crate) async fn evaluator(app: &TestApp, f: &Fixture, username: &str) -> Evaluator {
    let person = crate::helpers::person(app, f, username, true).await;
    let account = s(&run(
        app,
        &app.admin_token,
        "createAccount",
        "account { id }",
        json!({ "username": username, "password": PASSWORD, "displayName": username, "personId": person }),
    )
    .await["account"]["id"]);
    run(
        app,
        &app.admin_token,
        "grantRole",
        "grant { id }",
        json!({ "accountId": account, "role": "EVALUATOR" }),
    )
    .await;
    Evaluator {
        token: app.login(username, PASSWORD).await,
        account,
        person,
    }
}

/// Creates a campaign as `token`; returns its ID.
pub(crate) async fn campaign(app: &TestApp, token: &str, input: Value) -> String {
    s(&run(
        app,
        token,
        "createEvaluationCampaign",
        "campaign { id phase }",
        input,
    )
    .await["campaign"]["id"])
}

/// Moves campaign `c` on `times` phases as the admin; returns the last phase.
pub(crate) async fn advance(app: &TestApp, c: &str, times: usize) -> String {
    let mut phase = String::new();
    for _ in 0..times {
        phase = s(&run(
            app,
            &app.admin_token,
            "advanceEvaluationCampaign",
            "campaign { phase }",
            json!({ "campaignId": c }),
        )
        .await["campaign"]["phase"]);
    }
    phase
}

/// Enters compound `compound` in campaign `c` as `token`; returns the entry's ID.
pub(crate) async fn enter(app: &TestApp, token: &str, c: &str, compound: &str) -> String {
    s(&run(
        app,
        token,
        "enterEvaluationCampaign",
        "entry { id route }",
        json!({ "campaignId": c, "compoundId": compound, "note": "推荐" }),
    )
    .await["entry"]["id"])
}

pub(crate) async fn assign(app: &TestApp, entry: &str, e: &Evaluator) {
    run(
        app,
        &app.admin_token,
        "assignEvaluator",
        "assignment { id }",
        json!({ "entryId": entry, "accountId": e.account }),
    )
    .await;
}

/// The lines giving `total` points: up to 60 on the first indicator, the rest on the second.
fn lines(r: &Rubric, total: i32) -> Value {
    let first = total.min(60);
    json!([
        { "indicatorId": r.indicators[0], "points": first, "comment": "查看台账" },
        { "indicatorId": r.indicators[1], "points": total - first, "comment": "" },
    ])
}

/// Saves and submits `total` points for `entry` as evaluator `e`.
pub(crate) async fn score(app: &TestApp, r: &Rubric, e: &Evaluator, entry: &str, total: i32) {
    run(
        app,
        &e.token,
        "saveScoreSheet",
        "sheet { id }",
        json!({ "entryId": entry, "lines": lines(r, total) }),
    )
    .await;
    run(
        app,
        &e.token,
        "submitScoreSheet",
        "sheet { status }",
        json!({ "entryId": entry }),
    )
    .await;
}

const RANKING: &str = "rank scoreCenti lowestTotal counted sheets selected singledOut frozen \
    entry { compound { name } }";

/// A campaign's ranking as `token` sees it: (compound, rank, score in hundredths, lowest,
/// counted, selected, singled out).
async fn ranking(app: &TestApp, token: Option<&str>, c: &str) -> Value {
    let q = format!(
        "query($id: ID!) {{ node(id: $id) {{ ... on EvaluationCampaign {{ ranking(first: 20) {{ edges {{ node {{ {RANKING} }} }} }} }} }} }}"
    );
    let body = app.gql(token, &q, json!({ "id": c })).await;
    if body.get("errors").is_some() {
        return body;
    }
    let rows: Vec<Value> = nodes(&body["data"]["node"]["ranking"])
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            json!([
                n["entry"]["compound"]["name"],
                n["rank"],
                n["scoreCenti"],
                n["lowestTotal"],
                n["counted"],
                n["selected"],
                n["singledOut"]
            ])
        })
        .collect();
    Value::Array(rows)
}

fn county(f: &Fixture, r: &Rubric, name: &str, aggregation: &str) -> Value {
    json!({ "name": name, "kind": "DEMONSTRATION_COMPOUND", "level": "COUNTY", "year": 2026,
            "districtId": f.district, "rubricVersionId": r.version, "quota": 3, "singleOut": 1,
            "aggregation": aggregation })
}

#[tokio::test]
async fn both_aggregation_rules_and_the_tie_break_rank_the_same_sheets() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let r = rubric(&app).await;
    // Entered in this order: A, B, C, D.
    let names = ["甲小区", "乙小区", "丙小区", "丁小区"];
    let mut compounds = Vec::new();
    for n in names {
        compounds.push(compound(&app, &f, n).await);
    }
    let mut evaluators = Vec::new();
    for i in 0..5 {
        evaluators.push(evaluator(&app, &f, &format!("expert{i}")).await);
    }
    // Each evaluator's total for A, B, C, D.
    let totals = [
        [80, 85, 100, 85],
        [90, 85, 100, 85],
        [85, 85, 78, 85],
        [70, 85, 78, 85],
        [95, 85, 74, 85],
    ];
    let subdistrict = app
        .user_with_role("sd.staff", "SUBDISTRICT_STAFF", Some(&f.subdistrict))
        .await;
    let mut campaigns = Vec::new();
    for rule in ["MEAN", "TRIMMED_MEAN"] {
        let c = campaign(&app, &app.admin_token, county(&f, &r, rule, rule)).await;
        let mut entries = Vec::new();
        // Demonstration compounds are recommended by their subdistrict.
        for compound in &compounds {
            entries.push(enter(&app, &subdistrict, &c, compound).await);
        }
        for entry in &entries {
            for e in &evaluators {
                assign(&app, entry, e).await;
            }
        }
        assert_eq!(advance(&app, &c, 2).await, "EVALUATION");
        for (e, mine) in evaluators.iter().zip(totals) {
            for (entry, total) in entries.iter().zip(mine) {
                score(&app, &r, e, entry, total).await;
            }
        }
        campaigns.push(c);
    }

    // The mean of all five totals: A 420/5 = 84.00, B 85.00, C 430/5 = 86.00, D 85.00.
    // B and D tie at 85.00 with the same lowest total (85): the earlier entry, B, first.
    let mean = ranking(&app, Some(&app.admin_token), &campaigns[0]).await;
    assert_eq!(
        mean,
        json!([
            ["丙小区", 1, 8600, 74, 5, true, true],
            ["乙小区", 2, 8500, 85, 5, true, false],
            ["丁小区", 3, 8500, 85, 5, true, false],
            ["甲小区", 4, 8400, 70, 5, false, false],
        ])
    );
    // Five totals or more, so the highest and lowest go: A (80+90+85)/3 = 85.00,
    // B 85.00, C (100+78+78)/3 = 85.33, D 85.00. A ties B and D but its lowest total
    // is 70 against their 85, so it comes last although it entered first.
    let trimmed = ranking(&app, Some(&app.admin_token), &campaigns[1]).await;
    assert_eq!(
        trimmed,
        json!([
            ["丙小区", 1, 8533, 74, 3, true, true],
            ["乙小区", 2, 8500, 85, 3, true, false],
            ["丁小区", 3, 8500, 85, 3, true, false],
            ["甲小区", 4, 8500, 70, 3, false, false],
        ])
    );

    // Before publication the ranking is the staff's only.
    let anonymous = ranking(&app, None, &campaigns[1]).await;
    assert_eq!(anonymous["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let by_an_evaluator = ranking(&app, Some(&evaluators[0].token), &campaigns[1]).await;
    assert_eq!(
        by_an_evaluator["errors"][0]["extensions"]["code"],
        "FORBIDDEN"
    );

    // Selection freezes it; publication makes it public and awards three titles.
    assert_eq!(advance(&app, &campaigns[1], 1).await, "SELECTION");
    let frozen = ranking(&app, Some(&app.admin_token), &campaigns[1]).await;
    assert_eq!(frozen, trimmed);
    assert_eq!(advance(&app, &campaigns[1], 1).await, "PUBLISHED");
    assert_eq!(ranking(&app, None, &campaigns[1]).await, trimmed);
    // Each entry's own result says the same, in order of entry: A 4th, B 2nd, C 1st, D 3rd.
    let results = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on EvaluationCampaign { entries(first: 10) { edges { node { result { rank scoreCenti } } } } } } }",
            json!({ "id": campaigns[1] }),
        )
        .await;
    let ranks: Vec<Value> = nodes(&results["node"]["entries"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["result"]["rank"].clone())
        .collect();
    assert_eq!(ranks, [json!(4), json!(2), json!(1), json!(3)]);
    let titles = app
        .ok(
            None,
            "{ evaluationTitles(kind: DEMONSTRATION_COMPOUND, level: COUNTY, year: 2026, first: 10) { edges { node { status compound { name } campaign { name } } } } }",
            json!({}),
        )
        .await;
    let mut held: Vec<String> = nodes(&titles["evaluationTitles"])
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            assert_eq!(t["status"], "HELD");
            assert_eq!(t["campaign"]["name"], "TRIMMED_MEAN");
            s(&t["compound"]["name"])
        })
        .collect();
    held.sort();
    assert_eq!(held, ["丁小区", "丙小区", "乙小区"]);
    // Every score behind the result stays readable by the staff: 20 sheets.
    let sheets = app
        .ok(
            Some(&app.admin_token),
            "query($id: ID!) { node(id: $id) { ... on EvaluationCampaign { entries(first: 10) { edges { node { scoreSheets { total status evaluator } } } } } } }",
            json!({ "id": campaigns[1] }),
        )
        .await;
    let count: usize = nodes(&sheets["node"]["entries"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["scoreSheets"].as_array().unwrap().len())
        .sum();
    assert_eq!(count, 20);
    // A published campaign moves no further.
    let (code, _) = refusal(
        &app,
        &app.admin_token,
        "advanceEvaluationCampaign",
        json!({ "campaignId": campaigns[1] }),
    )
    .await;
    assert_eq!(code, "INVALID_STATE");
}

#[tokio::test]
async fn a_tied_evaluator_is_refused_and_an_untied_one_assigned() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let r = rubric(&app).await;
    app.seat_bodies(&f.compound).await;
    let c = campaign(&app, &app.admin_token, county(&f, &r, "回避", "MEAN")).await;
    let entry = enter(&app, &app.admin_token, &c, &f.compound).await;
    let conflict = |who: &Evaluator| json!({ "entryId": entry, "accountId": who.account });

    // An owner of a dwelling there.
    let owner = evaluator(&app, &f, "expert.owner").await;
    own(&app, &owner.person, &f.dwellings[0]).await;
    let (code, message) =
        refusal(&app, &app.admin_token, "assignEvaluator", conflict(&owner)).await;
    assert_eq!(code, "CONFLICT");
    assert!(
        message.contains("lives or owns a dwelling there"),
        "{message}"
    );

    // A member of its party branch.
    let member = evaluator(&app, &f, "expert.member").await;
    let branch = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Compound { partyBranch { id } propertyCompany { id } } } }",
            json!({ "id": f.compound }),
        )
        .await["node"]
        .clone();
    run(
        &app,
        &app.admin_token,
        "addBranchMember",
        "member { id }",
        json!({ "branchId": branch["partyBranch"]["id"], "personId": member.person, "role": "MEMBER", "startsOn": "2025-01-01" }),
    )
    .await;
    let (code, message) =
        refusal(&app, &app.admin_token, "assignEvaluator", conflict(&member)).await;
    assert_eq!(code, "CONFLICT");
    assert!(message.contains("holds a position there"), "{message}");

    // A manager of its property company, elsewhere.
    let manager = evaluator(&app, &f, "expert.manager").await;
    run(
        &app,
        &app.admin_token,
        "addCompanyPost",
        "post { id }",
        json!({ "companyId": branch["propertyCompany"]["id"], "personId": manager.person, "post": "MANAGEMENT", "startsOn": "2024-06-01" }),
    )
    .await;
    let (code, message) = refusal(
        &app,
        &app.admin_token,
        "assignEvaluator",
        conflict(&manager),
    )
    .await;
    assert_eq!(code, "CONFLICT");
    assert!(
        message.contains("works for its property company"),
        "{message}"
    );

    // An account without the role, and an evaluator with no person behind them.
    let no_person = s(&run(
        &app,
        &app.admin_token,
        "createAccount",
        "account { id }",
        json!({ "username": "expert.anon", "password": PASSWORD, "displayName": "无名" }),
    )
    .await["account"]["id"]);
    let (code, message) = refusal(
        &app,
        &app.admin_token,
        "assignEvaluator",
        json!({ "entryId": entry, "accountId": no_person }),
    )
    .await;
    assert_eq!(code, "INVALID");
    assert!(message.contains("not an evaluator"), "{message}");
    run(
        &app,
        &app.admin_token,
        "grantRole",
        "grant { id }",
        json!({ "accountId": no_person, "role": "EVALUATOR" }),
    )
    .await;
    let (code, message) = refusal(
        &app,
        &app.admin_token,
        "assignEvaluator",
        json!({ "entryId": entry, "accountId": no_person }),
    )
    .await;
    assert_eq!(code, "INVALID");
    assert!(message.contains("linked to no person"), "{message}");

    // An outsider is assigned, once.
    let outsider = evaluator(&app, &f, "expert.outside").await;
    assign(&app, &entry, &outsider).await;
    let (code, _) = refusal(
        &app,
        &app.admin_token,
        "assignEvaluator",
        conflict(&outsider),
    )
    .await;
    assert_eq!(code, "CONFLICT");
    // Only the campaign's staff assign: a subdistrict's grant does not cover a county campaign.
    let sd = app
        .user_with_role("sd.assigner", "SUBDISTRICT_STAFF", Some(&f.subdistrict))
        .await;
    assert_eq!(
        top_error(&app, Some(&sd), "assignEvaluator", conflict(&outsider)).await,
        "FORBIDDEN"
    );
    // Nor do they move its phases, nor does an evaluator.
    for token in [&sd, &outsider.token] {
        assert_eq!(
            top_error(
                &app,
                Some(token),
                "advanceEvaluationCampaign",
                json!({ "campaignId": c })
            )
            .await,
            "FORBIDDEN"
        );
    }
}

#[tokio::test]
async fn sheets_stay_within_the_maximum_lock_on_submission_and_are_corrected_with_a_reason() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let r = rubric(&app).await;
    let c = campaign(&app, &app.admin_token, county(&f, &r, "评分", "MEAN")).await;
    let entry = enter(&app, &app.admin_token, &c, &f.compound).await;
    let e = evaluator(&app, &f, "expert.one").await;
    let other = evaluator(&app, &f, "expert.two").await;
    assign(&app, &entry, &e).await;

    // Not before evaluation.
    let (code, _) = refusal(
        &app,
        &e.token,
        "saveScoreSheet",
        json!({ "entryId": entry, "lines": lines(&r, 80) }),
    )
    .await;
    assert_eq!(code, "INVALID_STATE");
    advance(&app, &c, 2).await;

    // 61 points on an indicator of at most 60.
    let over = json!({ "entryId": entry, "lines": [
        { "indicatorId": r.indicators[0], "points": 61, "comment": "" } ] });
    let p = crate::projects::call(
        &app,
        Some(&e.token),
        "saveScoreSheet",
        "userErrors { field code message }",
        over,
    )
    .await["data"]["saveScoreSheet"]
        .clone();
    assert_eq!(
        p["userErrors"][0]["field"],
        json!(["input", "lines", "0", "points"])
    );
    assert_eq!(p["userErrors"][0]["code"], "OUT_OF_RANGE");
    assert!(
        s(&p["userErrors"][0]["message"]).contains("maximum of 60 points"),
        "{p:#}"
    );

    // A draft of one line cannot be submitted: every indicator is scored first.
    run(
        &app,
        &e.token,
        "saveScoreSheet",
        "sheet { id }",
        json!({ "entryId": entry, "lines": [
            { "indicatorId": r.indicators[0], "points": 50, "comment": "" } ] }),
    )
    .await;
    let (code, message) = refusal(
        &app,
        &e.token,
        "submitScoreSheet",
        json!({ "entryId": entry }),
    )
    .await;
    assert_eq!(code, "REQUIRED");
    assert!(message.contains("治理成效"), "{message}");
    // Saved again in full (50 + 30 = 80), then submitted.
    score(&app, &r, &e, &entry, 80).await;

    // Locked: another save is refused, and so is a correction without a reason.
    let (code, message) = refusal(
        &app,
        &e.token,
        "saveScoreSheet",
        json!({ "entryId": entry, "lines": lines(&r, 90) }),
    )
    .await;
    assert_eq!(code, "INVALID_STATE");
    assert!(message.contains("locked"), "{message}");
    let (code, _) = refusal(
        &app,
        &e.token,
        "correctScoreSheet",
        json!({ "entryId": entry, "reason": " " }),
    )
    .await;
    assert_eq!(code, "REQUIRED");

    // The correction is a new sheet naming the first; until it is submitted, 80 stands.
    let corrected = run(
        &app,
        &e.token,
        "correctScoreSheet",
        "sheet { number status total correctionReason corrects { number total } }",
        json!({ "entryId": entry, "reason": "漏看了志愿服务台账" }),
    )
    .await["sheet"]
        .clone();
    assert_eq!(
        corrected,
        json!({ "number": 2, "status": "DRAFT", "total": 80, "correctionReason": "漏看了志愿服务台账",
                "corrects": { "number": 1, "total": 80 } })
    );
    let standing = ranking(&app, Some(&app.admin_token), &c).await;
    assert_eq!(standing, json!([["翠苑一区", 1, 8000, 80, 1, true, true]]));
    score(&app, &r, &e, &entry, 90).await;
    let standing = ranking(&app, Some(&app.admin_token), &c).await;
    assert_eq!(standing, json!([["翠苑一区", 1, 9000, 90, 1, true, true]]));

    // Both sheets stay; the evaluator sees their own, another evaluator none.
    let q = "query($id: ID!) { node(id: $id) { ... on CampaignEntry { scoreSheets { number status total } } } }";
    let mine = app.ok(Some(&e.token), q, json!({ "id": entry })).await;
    assert_eq!(
        mine["node"]["scoreSheets"],
        json!([
            { "number": 1, "status": "SUBMITTED", "total": 80 },
            { "number": 2, "status": "SUBMITTED", "total": 90 },
        ])
    );
    let theirs = app.ok(Some(&other.token), q, json!({ "id": entry })).await;
    assert_eq!(theirs["node"]["scoreSheets"], json!([]));

    // Evidence: the evaluator's own upload for the compound, shown by a line; another
    // evaluator's upload is not theirs to show. The staff read it, the other evaluator not.
    let evidence = |token: String| {
        let app = &app;
        let compound = f.compound.clone();
        async move {
            let body = app
                .gql_upload(
                    Some(&token),
                    "mutation($input: UploadAttachmentInput!) { uploadAttachment(input: $input) { attachment { id url purpose } userErrors { field code } } }",
                    json!({ "input": { "compoundId": compound, "purpose": "SCORE_EVIDENCE", "file": null } }),
                    "variables.input.file",
                    "台账.png",
                    PNG.to_vec(),
                )
                .await;
            body["data"]["uploadAttachment"]["attachment"].clone()
        }
    };
    let mine = evidence(e.token.clone()).await;
    assert_eq!(mine["purpose"], "SCORE_EVIDENCE");
    let foreign = evidence(other.token.clone()).await;
    run(
        &app,
        &e.token,
        "correctScoreSheet",
        "sheet { number }",
        json!({ "entryId": entry, "reason": "补充证据" }),
    )
    .await;
    let with = |ids: Value| {
        json!({ "entryId": entry, "lines": [
            { "indicatorId": r.indicators[0], "points": 60, "comment": "台账齐全", "evidenceIds": ids },
            { "indicatorId": r.indicators[1], "points": 30, "comment": "" } ] })
    };
    let (code, _) = refusal(
        &app,
        &e.token,
        "saveScoreSheet",
        with(json!([foreign["id"]])),
    )
    .await;
    assert_eq!(code, "INVALID");
    let saved = run(
        &app,
        &e.token,
        "saveScoreSheet",
        "sheet { number total lines { points comment evidence { id } } }",
        with(json!([mine["id"]])),
    )
    .await["sheet"]
        .clone();
    assert_eq!(
        saved,
        json!({ "number": 3, "total": 90, "lines": [
            { "points": 60, "comment": "台账齐全", "evidence": [{ "id": mine["id"] }] },
            { "points": 30, "comment": "", "evidence": [] } ] })
    );
    let url = s(&mine["url"]);
    assert_eq!(
        crate::projects::fetch(&app, Some(&app.admin_token), &url)
            .await
            .0,
        200
    );
    assert_eq!(
        crate::projects::fetch(&app, Some(&other.token), &url)
            .await
            .0,
        404
    );
    run(
        &app,
        &e.token,
        "submitScoreSheet",
        "sheet { number }",
        json!({ "entryId": entry }),
    )
    .await;

    // Only the assigned score; no staff role scores.
    assert_eq!(
        top_error(
            &app,
            Some(&other.token),
            "saveScoreSheet",
            json!({ "entryId": entry, "lines": lines(&r, 70) })
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        top_error(
            &app,
            Some(&app.admin_token),
            "saveScoreSheet",
            json!({ "entryId": entry, "lines": lines(&r, 70) })
        )
        .await,
        "FORBIDDEN"
    );
    // After evaluation, nothing more is scored or corrected.
    advance(&app, &c, 1).await;
    let (code, _) = refusal(
        &app,
        &e.token,
        "correctScoreSheet",
        json!({ "entryId": entry, "reason": "再改" }),
    )
    .await;
    assert_eq!(code, "INVALID_STATE");
}

#[tokio::test]
async fn entry_routes_and_eligibility_are_the_campaigns() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let r = rubric(&app).await;
    let subdistrict = app
        .user_with_role("sd.rec", "SUBDISTRICT_STAFF", Some(&f.subdistrict))
        .await;
    let city = campaign(
        &app,
        &app.admin_token,
        json!({ "name": "市级示范小区", "kind": "DEMONSTRATION_COMPOUND", "level": "CITY", "year": 2026,
                "rubricVersionId": r.version, "quota": 100, "singleOut": 10 }),
    )
    .await;
    let eligibility = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on EvaluationCampaign { eligibility phase quota singleOut } } }",
            json!({ "id": city }),
        )
        .await;
    assert_eq!(
        eligibility["node"],
        json!({ "eligibility": "WITHIN_DEMONSTRATION_COMMUNITY", "phase": "APPLICATION", "quota": 100, "singleOut": 10 })
    );
    // The community holds no city-level demonstration title: ineligible.
    let (code, message) = refusal(
        &app,
        &subdistrict,
        "enterEvaluationCampaign",
        json!({ "campaignId": city, "compoundId": f.compound }),
    )
    .await;
    assert_eq!(code, "INVALID");
    assert!(
        message.contains("ineligible") && message.contains("city-level demonstration community"),
        "{message}"
    );
    // A county-level community title is not enough either.
    let record = |level: &str| json!({ "communityId": f.community, "level": level, "year": 2025, "note": "市委组织部2025年12号文" });
    run(
        &app,
        &app.admin_token,
        "recordCommunityTitle",
        "title { id }",
        record("COUNTY"),
    )
    .await;
    let (code, _) = refusal(
        &app,
        &subdistrict,
        "enterEvaluationCampaign",
        json!({ "campaignId": city, "compoundId": f.compound }),
    )
    .await;
    assert_eq!(code, "INVALID");
    // Only the city records a city-level title; then the subdistrict's recommendation stands.
    assert_eq!(
        top_error(
            &app,
            Some(&subdistrict),
            "recordCommunityTitle",
            record("CITY")
        )
        .await,
        "FORBIDDEN"
    );
    run(
        &app,
        &app.admin_token,
        "recordCommunityTitle",
        "title { id }",
        record("CITY"),
    )
    .await;
    let entered = run(
        &app,
        &subdistrict,
        "enterEvaluationCampaign",
        "entry { route compound { name } }",
        json!({ "campaignId": city, "compoundId": f.compound, "note": "党建引领成效突出" }),
    )
    .await["entry"]
        .clone();
    assert_eq!(
        entered,
        json!({ "route": "RECOMMENDED", "compound": { "name": "翠苑一区" } })
    );
    let (code, _) = refusal(
        &app,
        &subdistrict,
        "enterEvaluationCampaign",
        json!({ "campaignId": city, "compoundId": f.compound }),
    )
    .await;
    assert_eq!(code, "CONFLICT");

    // A compound does not apply for a demonstration title: its branch secretary may not enter it.
    app.seat_bodies(&f.compound).await;
    let second = compound(&app, &f, "翠苑二区").await;
    let secretary = app
        .user_with_role("sec.apply", "BRANCH_SECRETARY", Some(&second))
        .await;
    assert_eq!(
        top_error(
            &app,
            Some(&secretary),
            "enterEvaluationCampaign",
            json!({ "campaignId": city, "compoundId": second })
        )
        .await,
        "FORBIDDEN"
    );
    // But it applies for the epidemic-free title itself (自愿申报).
    let shipped = app
        .ok(
            None,
            "{ rubric(code: \"epidemic-free\") { current { id } } }",
            json!({}),
        )
        .await;
    let free = campaign(
        &app,
        &app.admin_token,
        json!({ "name": "无疫小区", "kind": "EPIDEMIC_FREE", "level": "COUNTY", "year": 2026,
                "districtId": f.district, "rubricVersionId": shipped["rubric"]["current"]["id"],
                "quota": 20 }),
    )
    .await;
    let applied = run(
        &app,
        &secretary,
        "enterEvaluationCampaign",
        "entry { route }",
        json!({ "campaignId": free, "compoundId": second, "note": "申请创建无疫小区" }),
    )
    .await;
    assert_eq!(applied["entry"]["route"], "APPLIED");
    // A rubric of another kind is not pinned.
    let (code, _) = refusal(
        &app,
        &app.admin_token,
        "createEvaluationCampaign",
        json!({ "name": "错配", "kind": "TOP_TEN", "level": "CITY", "year": 2026,
                "rubricVersionId": r.version, "quota": 10 }),
    )
    .await;
    assert_eq!(code, "INVALID");

    // Province level: the city recommends from its city-level titles. 翠苑二区 holds none.
    let province = campaign(
        &app,
        &app.admin_token,
        json!({ "name": "省级示范小区", "kind": "DEMONSTRATION_COMPOUND", "level": "PROVINCE", "year": 2026,
                "rubricVersionId": r.version, "quota": 5, "eligibility": "ANY" }),
    )
    .await;
    let (code, message) = refusal(
        &app,
        &app.admin_token,
        "enterEvaluationCampaign",
        json!({ "campaignId": province, "compoundId": second }),
    )
    .await;
    assert_eq!(code, "INVALID");
    assert!(
        message.contains("city-level demonstration compounds"),
        "{message}"
    );
}
