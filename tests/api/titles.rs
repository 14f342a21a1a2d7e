//! Titles after their campaign, over HTTP, with worked numbers: the city's
//! filing of district-assessed epidemic-free titles, revocation through
//! rectification to re-evaluation with the history kept, a compound's
//! self-inspection, and the quarterly star rating with its notice.

use serde_json::{Value, json};

use crate::campaigns::{advance, assign, campaign, compound, enter, evaluator, rubric, score};
use crate::helpers::{TestApp, fixture, nodes, spawn_app, spawn_app_with};
use crate::projects::{refusal, run, top_error};

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_owned()
}

/// The titles of compound `c`, oldest first: (status, reason, restores a title).
async fn history(app: &TestApp, c: &str) -> Value {
    let data = app
        .ok(
            None,
            "query($c: ID!) { evaluationTitles(compoundId: $c, first: 10) { edges { node { id kind level status revocationReason restores { id } rectification { status outcome plan score deadline } } } } }",
            json!({ "c": c }),
        )
        .await;
    let mut rows = nodes(&data["evaluationTitles"]).as_array().unwrap().clone();
    rows.reverse();
    Value::Array(rows)
}

#[tokio::test]
async fn a_revoked_title_is_rectified_and_restored_on_re_evaluation() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    app.seat_bodies(&f.compound).await;
    let r = rubric(&app).await;
    let c = campaign(
        &app,
        &app.admin_token,
        json!({ "name": "区级示范小区", "kind": "DEMONSTRATION_COMPOUND", "level": "COUNTY", "year": 2026,
                "districtId": f.district, "rubricVersionId": r.version, "quota": 1 }),
    )
    .await;
    let entry = enter(&app, &app.admin_token, &c, &f.compound).await;
    let e = evaluator(&app, &f, "title.expert").await;
    assign(&app, &entry, &e).await;
    advance(&app, &c, 2).await;
    score(&app, &r, &e, &entry, 91).await;
    advance(&app, &c, 2).await;
    let held = history(&app, &f.compound).await;
    assert_eq!(held.as_array().unwrap().len(), 1);
    assert_eq!(held[0]["status"], "HELD");
    let title = s(&held[0]["id"]);

    // Revoked by the district that holds it at county level, with a reason and a
    // deadline after today; a subdistrict may not.
    let district = app
        .user_with_role("d.staff", "DISTRICT_STAFF", Some(&f.district))
        .await;
    let sd = app
        .user_with_role("sd.staff", "SUBDISTRICT_STAFF", Some(&f.subdistrict))
        .await;
    let revoke = |deadline: &str| json!({ "titleId": title, "reason": "业委会长期空缺，物业服务投诉集中", "deadline": deadline });
    assert_eq!(
        top_error(
            &app,
            Some(&sd),
            "revokeEvaluationTitle",
            revoke("2027-03-31")
        )
        .await,
        "FORBIDDEN"
    );
    let today = app.clock.today();
    let (code, _) = refusal(
        &app,
        &district,
        "revokeEvaluationTitle",
        revoke(&today.to_string()),
    )
    .await;
    assert_eq!(code, "OUT_OF_RANGE");
    run(
        &app,
        &district,
        "revokeEvaluationTitle",
        "title { status }",
        revoke("2027-03-31"),
    )
    .await;
    let revoked = history(&app, &f.compound).await;
    assert_eq!(revoked[0]["status"], "REVOKED");
    assert_eq!(
        revoked[0]["revocationReason"],
        "业委会长期空缺，物业服务投诉集中"
    );
    assert_eq!(
        revoked[0]["rectification"],
        json!({ "status": "OPEN", "outcome": null, "plan": null, "score": null, "deadline": "2027-03-31" })
    );
    let rect = s(&app
        .ok(
            None,
            "query($t: ID!) { node(id: $t) { ... on EvaluationTitle { rectification { id } } } }",
            json!({ "t": title }),
        )
        .await["node"]["rectification"]["id"]);

    // Re-evaluation follows the plan: not before it.
    let reevaluate = |outcome: &str, score: i32| json!({ "rectificationId": rect, "outcome": outcome, "findings": "业委会已补选，投诉办结率100%", "score": score });
    let (code, _) = refusal(
        &app,
        &district,
        "reevaluateRectification",
        reevaluate("RESTORED", 88),
    )
    .await;
    assert_eq!(code, "INVALID_STATE");
    // The compound's branch secretary puts the plan on record.
    let secretary = app
        .user_with_role("title.sec", "BRANCH_SECRETARY", Some(&f.compound))
        .await;
    run(
        &app,
        &secretary,
        "submitRectificationPlan",
        "rectification { status }",
        json!({ "rectificationId": rect, "plan": "一个月内补选业委会；物业每周接待日" }),
    )
    .await;
    // 101 points on a rubric of 100: out of range.
    let (code, _) = refusal(
        &app,
        &district,
        "reevaluateRectification",
        reevaluate("RESTORED", 101),
    )
    .await;
    assert_eq!(code, "OUT_OF_RANGE");
    run(
        &app,
        &district,
        "reevaluateRectification",
        "rectification { status }",
        reevaluate("RESTORED", 88),
    )
    .await;

    // The history: the revoked title with its closed rectification, and the restored one.
    let after = history(&app, &f.compound).await;
    assert_eq!(after.as_array().unwrap().len(), 2);
    assert_eq!(after[0]["status"], "REVOKED");
    assert_eq!(
        after[0]["rectification"],
        json!({ "status": "CLOSED", "outcome": "RESTORED", "plan": "一个月内补选业委会；物业每周接待日",
                "score": 88, "deadline": "2027-03-31" })
    );
    assert_eq!(after[1]["status"], "HELD");
    assert_eq!(after[1]["restores"]["id"], title);
    assert_eq!(after[1]["kind"], "DEMONSTRATION_COMPOUND");
    assert_eq!(after[1]["level"], "COUNTY");
    // Closed: nothing more.
    let (code, _) = refusal(
        &app,
        &district,
        "reevaluateRectification",
        reevaluate("NOT_RESTORED", 50),
    )
    .await;
    assert_eq!(code, "INVALID_STATE");

    // The top ten draw from the titles held: the restored county title qualifies, a
    // compound with none does not.
    let top = app
        .ok(
            None,
            "{ rubric(code: \"top-ten\") { current { id } } }",
            json!({}),
        )
        .await["rubric"]["current"]["id"]
        .clone();
    let ten = campaign(
        &app,
        &app.admin_token,
        json!({ "name": "十佳示范小区", "kind": "TOP_TEN", "level": "CITY", "year": 2026,
                "rubricVersionId": top, "quota": 10 }),
    )
    .await;
    let drawn = run(
        &app,
        &app.admin_token,
        "enterEvaluationCampaign",
        "entry { route sourceTitle { id level } }",
        json!({ "campaignId": ten, "compoundId": f.compound }),
    )
    .await;
    assert_eq!(
        drawn["entry"],
        json!({ "route": "FROM_TITLE", "sourceTitle": { "id": after[1]["id"], "level": "COUNTY" } })
    );
    let other = compound(&app, &f, "无称号小区").await;
    let (code, message) = refusal(
        &app,
        &app.admin_token,
        "enterEvaluationCampaign",
        json!({ "campaignId": ten, "compoundId": other }),
    )
    .await;
    assert_eq!(code, "INVALID");
    assert!(message.contains("city- and county-level"), "{message}");
}

#[tokio::test]
async fn an_epidemic_free_title_is_held_once_the_city_files_it() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let version = app
        .ok(None, "{ rubric(code: \"epidemic-free\") { current { id aspects { indicators { id maxScore } } } } }", json!({}))
        .await["rubric"]["current"]
        .clone();
    let district = app
        .user_with_role("d.free", "DISTRICT_STAFF", Some(&f.district))
        .await;
    let c = campaign(
        &app,
        &district,
        json!({ "name": "区级无疫小区评定", "kind": "EPIDEMIC_FREE", "level": "COUNTY", "year": 2026,
                "districtId": f.district, "rubricVersionId": version["id"], "quota": 5 }),
    )
    .await;
    // The community applies itself.
    let community_staff = app
        .user_with_role("c.free", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    let entry = s(&run(
        &app,
        &community_staff,
        "enterEvaluationCampaign",
        "entry { id route }",
        json!({ "campaignId": c, "communityId": f.community, "note": "申请创建无疫社区" }),
    )
    .await["entry"]["id"]);
    let e = evaluator(&app, &f, "free.expert").await;
    run(
        &app,
        &district,
        "assignEvaluator",
        "assignment { id }",
        json!({ "entryId": entry, "accountId": e.account }),
    )
    .await;
    for _ in 0..2 {
        run(
            &app,
            &district,
            "advanceEvaluationCampaign",
            "campaign { phase }",
            json!({ "campaignId": c }),
        )
        .await;
    }
    // Full marks on every one of the twenty indicators: 100.
    let lines: Vec<Value> = nodes_of(&version)
        .into_iter()
        .map(|(id, max)| json!({ "indicatorId": id, "points": max }))
        .collect();
    assert_eq!(lines.len(), 20);
    run(
        &app,
        &e.token,
        "saveScoreSheet",
        "sheet { total }",
        json!({ "entryId": entry, "lines": lines }),
    )
    .await;
    run(
        &app,
        &e.token,
        "submitScoreSheet",
        "sheet { total }",
        json!({ "entryId": entry }),
    )
    .await;
    for _ in 0..2 {
        run(
            &app,
            &district,
            "advanceEvaluationCampaign",
            "campaign { phase }",
            json!({ "campaignId": c }),
        )
        .await;
    }
    let titles = app
        .ok(None, "query($c: ID!) { evaluationTitles(communityId: $c, first: 5) { edges { node { id kind status compound { id } filedAt } } } }", json!({ "c": f.community }))
        .await;
    let t = nodes(&titles["evaluationTitles"])[0].clone();
    assert_eq!(
        (
            t["kind"].clone(),
            t["status"].clone(),
            t["compound"].clone(),
            t["filedAt"].clone()
        ),
        (
            json!("EPIDEMIC_FREE"),
            json!("ASSESSED"),
            Value::Null,
            Value::Null
        )
    );
    // Filing is the city's, not the district's.
    let file = json!({ "titleId": t["id"] });
    assert_eq!(
        top_error(&app, Some(&district), "fileEvaluationTitle", file.clone()).await,
        "FORBIDDEN"
    );
    let filed = run(
        &app,
        &app.admin_token,
        "fileEvaluationTitle",
        "title { status filedAt }",
        file.clone(),
    )
    .await;
    assert_eq!(filed["title"]["status"], "HELD");
    assert!(filed["title"]["filedAt"].is_string());
    let (code, _) = refusal(&app, &app.admin_token, "fileEvaluationTitle", file).await;
    assert_eq!(code, "INVALID_STATE");
}

/// The indicators of a version document: (id, max score).
fn nodes_of(version: &Value) -> Vec<(String, i64)> {
    version["aspects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["indicators"].as_array().unwrap().clone())
        .map(|i| (s(&i["id"]), i["maxScore"].as_i64().unwrap()))
        .collect()
}

#[tokio::test]
async fn a_compound_inspects_itself_and_fixes_what_it_found() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    app.seat_bodies(&f.compound).await;
    let r = rubric(&app).await;
    let secretary = app
        .user_with_role("self.sec", "BRANCH_SECRETARY", Some(&f.compound))
        .await;
    let today = app.clock.today();
    let inspected = today - chrono::Duration::days(10);
    let recorded = run(
        &app,
        &secretary,
        "recordSelfInspection",
        "inspection { id title openFindings findings { id position finding indicator { title } fixedOn } }",
        json!({ "compoundId": f.compound, "rubricVersionId": r.version, "title": "第四季度自查",
                "inspectedOn": inspected.to_string(), "findings": [
                    { "indicatorId": r.indicators[0], "finding": "党支部会议记录不全" },
                    { "finding": "消防通道堆放杂物" } ] }),
    )
    .await["inspection"]
        .clone();
    assert_eq!(recorded["openFindings"], 2);
    assert_eq!(recorded["findings"][0]["indicator"]["title"], "组织体系");
    assert_eq!(recorded["findings"][1]["indicator"], Value::Null);
    let first = s(&recorded["findings"][0]["id"]);
    // Fixed before the inspection: out of range. Fixed five days after it: recorded, once.
    let fix = |day: chrono::NaiveDate| json!({ "findingId": first, "fixedOn": day.to_string(), "note": "补齐会议记录" });
    let (code, _) = refusal(
        &app,
        &secretary,
        "fixSelfInspectionFinding",
        fix(inspected - chrono::Duration::days(1)),
    )
    .await;
    assert_eq!(code, "OUT_OF_RANGE");
    let fixed_on = inspected + chrono::Duration::days(5);
    run(
        &app,
        &secretary,
        "fixSelfInspectionFinding",
        "finding { fixedOn }",
        fix(fixed_on),
    )
    .await;
    let (code, _) = refusal(&app, &secretary, "fixSelfInspectionFinding", fix(today)).await;
    assert_eq!(code, "INVALID_STATE");
    let q = "query($c: ID!) { selfInspections(compoundId: $c, first: 5) { edges { node { openFindings findings { fixedOn fixNote } } } } }";
    let read = app
        .ok(Some(&secretary), q, json!({ "c": f.compound }))
        .await;
    assert_eq!(
        nodes(&read["selfInspections"]),
        json!([{ "openFindings": 1, "findings": [
            { "fixedOn": fixed_on.to_string(), "fixNote": "补齐会议记录" },
            { "fixedOn": null, "fixNote": null } ] }])
    );
    // Not for the public.
    let anonymous = app.gql(None, q, json!({ "c": f.compound })).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}

/// Sets up a subdistrict's star rating: four commodity-housing compounds under contract
/// (the fixture's and three more), one old compound and one without a company.
async fn rated_subdistrict(app: &TestApp) -> (crate::helpers::Fixture, Vec<String>) {
    let f = fixture(app).await;
    let mut rated = vec![f.compound.clone()];
    app.seat_bodies(&f.compound).await;
    for name in ["乙苑", "丙苑", "丁苑"] {
        let c = compound(app, &f, name).await;
        app.seat_bodies(&c).await;
        rated.push(c);
    }
    compound(app, &f, "无物业小区").await;
    run(
        app,
        &app.admin_token,
        "createCompound",
        "compound { id }",
        json!({ "communityId": f.community, "name": "老旧小区", "kind": "OLD_COMPOUND" }),
    )
    .await;
    (f, rated)
}

const ROUND_FIELDS: &str = "id status scale ratings(first: 10) { edges { node { id points stars rank namedInNotice compound { id name } company { id name } } } } notice { rank compoundName companyName points stars }";

fn round_payload() -> String {
    format!("round {{ {ROUND_FIELDS} }}")
}

#[tokio::test]
async fn the_quarterly_ranking_names_the_bottom_compounds_and_their_companies() {
    let app = spawn_app().await;
    let (f, rated) = rated_subdistrict(&app).await;
    let staff = app
        .user_with_role("star.sd", "SUBDISTRICT_STAFF", Some(&f.subdistrict))
        .await;
    let open =
        json!({ "subdistrictId": f.subdistrict, "year": 2026, "quarter": 4, "bottomCount": 1 });
    let round = run(
        &app,
        &staff,
        "openStarRatingRound",
        &round_payload(),
        open.clone(),
    )
    .await["round"]
        .clone();
    assert_eq!(round["scale"], 5);
    let ratings = nodes(&round["ratings"]);
    // The four under contract, not the old compound nor the one without a company.
    assert_eq!(ratings.as_array().unwrap().len(), 4);
    let (code, _) = refusal(&app, &staff, "openStarRatingRound", open).await;
    assert_eq!(code, "CONFLICT");
    // Not public while being rated.
    let q = format!(
        "query($r: ID!) {{ node(id: $r) {{ ... on StarRatingRound {{ {ROUND_FIELDS} }} }} }}"
    );
    let hidden = app.gql(None, &q, json!({ "r": round["id"] })).await;
    assert_eq!(hidden["errors"][0]["extensions"]["code"], "FORBIDDEN");

    // 92, 75, 60, 60 in the fixture's order of compounds.
    let points = [92, 75, 60, 60];
    let by_compound = |c: &str| {
        ratings
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["compound"]["id"] == c)
            .unwrap()["id"]
            .clone()
    };
    let publish = json!({ "roundId": round["id"] });
    for (i, (c, p)) in rated.iter().zip(points).enumerate() {
        run(
            &app,
            &staff,
            "rateCompound",
            "rating { stars }",
            json!({ "ratingId": by_compound(c), "points": p, "note": "季度检查" }),
        )
        .await;
        if i == 1 {
            // Two still unrated: not yet.
            let (code, message) =
                refusal(&app, &staff, "publishStarRatingRound", publish.clone()).await;
            assert_eq!(code, "REQUIRED");
            assert!(message.contains("2 are not"), "{message}");
        }
    }
    let (code, _) = refusal(
        &app,
        &staff,
        "rateCompound",
        json!({ "ratingId": by_compound(&rated[0]), "points": 101 }),
    )
    .await;
    assert_eq!(code, "OUT_OF_RANGE");
    run(
        &app,
        &staff,
        "publishStarRatingRound",
        "round { status }",
        publish,
    )
    .await;

    // Public now. Places 1, 2, 3, 3; stars ⌈p × 5 / 100⌉: 5, 4, 3, 3. The bottom place is
    // shared by two, and the notice names both, each with its company.
    let published = app.ok(None, &q, json!({ "r": round["id"] })).await["node"].clone();
    let rows: Vec<Value> = nodes(&published["ratings"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            json!([
                r["compound"]["name"],
                r["points"],
                r["stars"],
                r["rank"],
                r["namedInNotice"]
            ])
        })
        .collect();
    assert_eq!(
        rows,
        [
            json!(["翠苑一区", 92, 5, 1, false]),
            json!(["乙苑", 75, 4, 2, false]),
            json!(["丙苑", 60, 3, 3, true]),
            json!(["丁苑", 60, 3, 3, true]),
        ]
    );
    let notice = published["notice"].as_array().unwrap().clone();
    assert_eq!(notice.len(), 2);
    for line in &notice {
        assert_eq!(line["rank"], 3);
        assert_eq!(line["points"], 60);
        let name = s(&line["compoundName"]);
        let company = s(&line["companyName"]);
        let id = if name == "丙苑" {
            &rated[2]
        } else {
            &rated[3]
        };
        assert_eq!(company, format!("物业服务有限公司{id}"));
    }
    // A company's history of ratings.
    let company = app
        .ok(
            None,
            "query($c: ID!) { node(id: $c) { ... on Compound { propertyCompany { id } } } }",
            json!({ "c": rated[2] }),
        )
        .await["node"]["propertyCompany"]["id"]
        .clone();
    let history = app
        .ok(None, "query($c: ID!) { starRatings(companyId: $c, first: 10) { edges { node { points stars rank namedInNotice round { year quarter } } } } }", json!({ "c": company }))
        .await;
    assert_eq!(
        nodes(&history["starRatings"]),
        json!([{ "points": 60, "stars": 3, "rank": 3, "namedInNotice": true, "round": { "year": 2026, "quarter": 4 } }])
    );
}

#[tokio::test]
async fn the_star_scale_is_configuration() {
    let app = spawn_app_with(|c| c.star_scale = 3).await;
    let (f, rated) = rated_subdistrict(&app).await;
    let round = run(
        &app,
        &app.admin_token,
        "openStarRatingRound",
        &round_payload(),
        json!({ "subdistrictId": f.subdistrict, "year": 2026, "quarter": 1, "bottomCount": 0 }),
    )
    .await["round"]
        .clone();
    assert_eq!(round["scale"], 3);
    let first = nodes(&round["ratings"])
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["compound"]["id"] == rated[0])
        .unwrap()["id"]
        .clone();
    // On three stars: 67 points → ⌈2.01⌉ = 3, 66 → ⌈1.98⌉ = 2.
    for (p, stars) in [(67, 3), (66, 2), (0, 1)] {
        let r = run(
            &app,
            &app.admin_token,
            "rateCompound",
            "rating { stars }",
            json!({ "ratingId": first, "points": p }),
        )
        .await;
        assert_eq!(r["rating"]["stars"], stars);
    }
}
