//! Heads counted by buyer unit (买受人): the persons who together hold a
//! dwelling are one owner for it, the same buyer holding several dwellings
//! counts once, and different buyers stay different owners even when they
//! share a person. The case of DOMAIN.md: A and B co-own one dwelling and B
//! alone owns another — two owners, and A's ballot speaks only for the
//! co-owned dwelling.

use serde_json::{Value, json};

use crate::assembly::{
    TALLY, account_for, assert_tally, cast, close, committee_member, dwelling, estate, open_vote,
    owner, owns, read_vote, tally,
};
use crate::helpers::{TestApp, fixture, person, spawn_app};
use crate::register::{assert_error, id, op};

const BALLOT: &str = "ballot { id choice voter { id area } }";

/// Casts `choice` as `token`, for the owner `voter` when given; returns the payload.
async fn cast_for(
    app: &TestApp,
    token: &str,
    vote: &str,
    voter: Option<&str>,
    choice: &str,
) -> Value {
    let data = app
        .ok(
            Some(token),
            &op("castBallot", BALLOT),
            json!({ "input": { "voteId": vote, "voterId": voter, "choice": choice } }),
        )
        .await;
    data["castBallot"].clone()
}

/// The caller's owners on the register: (dwelling numbers, standing choice).
async fn my_ballots(app: &TestApp, token: &str, vote: &str) -> Vec<(String, Value, String)> {
    let v = read_vote(
        app,
        Some(token),
        vote,
        "myBallots { voter { id dwellings { dwelling { number } area } } ballot { choice } }",
    )
    .await;
    let mut out: Vec<(String, Value, String)> = v["myBallots"]
        .as_array()
        .expect("myBallots")
        .iter()
        .map(|m| {
            let numbers: Vec<&str> = m["voter"]["dwellings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["dwelling"]["number"].as_str().unwrap())
                .collect();
            (
                numbers.join("+"),
                m["ballot"]["choice"].clone(),
                id(&m["voter"]),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[tokio::test]
async fn a_shared_person_does_not_merge_two_buyers() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let e = estate(&app, &f, "买受人小区").await;
    let member = committee_member(&app, &e.compound, "buyer.member").await;

    // A and B co-own 101 and 107 (recorded in either order: the same
    // buyer, counted once); B alone owns 102. Four more owners alone.
    let d101 = dwelling(&app, &e, "101", "100.00", false).await;
    let d102 = dwelling(&app, &e, "102", "100.00", false).await;
    let d107 = dwelling(&app, &e, "107", "100.00", false).await;
    let a = person(&app, &f, "甲", false).await;
    let b = person(&app, &f, "乙", false).await;
    owns(&app, &a, &d101).await;
    owns(&app, &b, &d101).await;
    owns(&app, &b, &d107).await;
    owns(&app, &a, &d107).await;
    owns(&app, &b, &d102).await;
    let a_token = account_for(&app, &a, "buyer.jia").await;
    let b_token = account_for(&app, &b, "buyer.yi").await;
    let mut others = Vec::new();
    for (i, number) in ["103", "104", "105", "106"].iter().enumerate() {
        let d = dwelling(&app, &e, number, "100.00", false).await;
        let name = ["丙", "丁", "戊", "己"][i];
        others.push(owner(&app, &f, name, &format!("buyer.{number}"), &[&d]).await);
    }

    let vote = id(&open_vote(&app, &member, &e.compound, "MAINTENANCE_FUND_USE").await);

    // The register: A+B (101 and 107), B (102) and the four — six heads,
    // not five as merging by a shared person would give.
    let reg = read_vote(
        &app,
        Some(&member),
        &vote,
        "register(first: 100) { edges { node { area persons { name } dwellings { dwelling { number } area } } } }",
    )
    .await;
    let mut rows: Vec<(String, String, String)> = reg["register"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let n = &e["node"];
            let mut persons: Vec<&str> = n["persons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            persons.sort();
            let numbers: Vec<&str> = n["dwellings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["dwelling"]["number"].as_str().unwrap())
                .collect();
            (
                persons.join("+"),
                numbers.join("+"),
                n["area"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    rows.sort();
    let want: Vec<(String, String, String)> = [
        ("丁", "104", "100.00"),
        ("丙", "103", "100.00"),
        ("乙", "102", "100.00"),
        ("己", "106", "100.00"),
        ("戊", "105", "100.00"),
        ("乙+甲", "101+107", "200.00"),
    ]
    .iter()
    .map(|(p, d, a)| ((*p).to_owned(), (*d).to_owned(), (*a).to_owned()))
    .collect();
    let mut want = want;
    want.sort();
    assert_eq!(rows, want);
    assert_tally(
        &tally(&app, Some(&member), &vote).await,
        &json!({ "totalHeads": 6, "totalArea": "700.00" }),
        "register totals",
    );

    // A is a person of one owner only: no need to say which.
    cast(&app, &a_token, &vote, "AGREE").await;
    // B is a person of two owners and must say which one.
    let p = cast_for(&app, &b_token, &vote, None, "AGREE").await;
    assert_error(&p, &["input", "voterId"], "REQUIRED");
    assert_eq!(p["ballot"], Value::Null);
    let mine = my_ballots(&app, &b_token, &vote).await;
    assert_eq!(mine.len(), 2, "{mine:?}");
    assert_eq!(
        (mine[0].0.as_str(), &mine[0].1),
        ("101+107", &json!("AGREE"))
    );
    assert_eq!((mine[1].0.as_str(), &mine[1].1), ("102", &Value::Null));
    let (co_owned, b_alone) = (mine[0].2.clone(), mine[1].2.clone());
    // A's ballot never speaks for B's own dwelling.
    let p = cast_for(&app, &a_token, &vote, Some(&b_alone), "DISAGREE").await;
    assert_error(&p, &["input", "voterId"], "INVALID");
    assert_eq!(my_ballots(&app, &a_token, &vote).await.len(), 1);

    // B agrees for 102 and changes the co-owned one ballot to disagree:
    // one ballot between the co-owners, the last one counts.
    let p = cast_for(&app, &b_token, &vote, Some(&b_alone), "AGREE").await;
    assert_eq!(p["userErrors"], json!([]), "{p:#}");
    assert_eq!(p["ballot"]["voter"]["id"], b_alone.as_str());
    let p = cast_for(&app, &b_token, &vote, Some(&co_owned), "DISAGREE").await;
    assert_eq!(p["userErrors"], json!([]), "{p:#}");
    // The answer names the owner the ballot is for, with its area.
    assert_eq!(
        p["ballot"]["voter"],
        json!({ "id": co_owned, "area": "200.00" })
    );
    let mine = my_ballots(&app, &a_token, &vote).await;
    assert_eq!(
        mine[0].1,
        json!("DISAGREE"),
        "A sees the co-owners' one ballot"
    );

    // Two owners and 300.00 m² of 700.00 take part; one more owner alone
    // makes three heads and 400.00 m²: below both two-thirds lines
    // (3 × 3 < 6 × 2 and 400 × 3 < 700 × 2).
    cast(&app, &others[0].token, &vote, "AGREE").await;
    assert_tally(
        &tally(&app, Some(&member), &vote).await,
        &json!({ "participatingHeads": 3, "participatingArea": "400.00", "quorumMet": false,
                 "agreeHeads": 2, "disagreeHeads": 1, "agreeArea": "200.00", "disagreeArea": "200.00" }),
        "three of six heads",
    );
    // The fourth head reaches both lines exactly for heads (4 × 3 = 6 × 2)
    // and passes them for area (500 × 3 ≥ 700 × 2): quorum met; 3 of 4
    // heads and 300.00 of 500.00 m² agree, both more than half.
    cast(&app, &others[1].token, &vote, "AGREE").await;
    let closed = close(&app, &member, &vote).await;
    assert_tally(
        &closed["result"],
        &json!({ "participatingHeads": 4, "participatingArea": "500.00", "quorumMet": true,
                 "agreeHeads": 3, "agreeArea": "300.00", "disagreeHeads": 1, "disagreeArea": "200.00",
                 "rule": "MORE_THAN_HALF", "adopted": true }),
        &format!("closed: {TALLY}"),
    );
}

#[tokio::test]
async fn a_shared_persons_own_dwelling_keeps_its_own_ballot_at_the_two_thirds_line() {
    // The threshold variant: A and B co-own 201, B alone owns 202, C owns
    // 203 — three heads (merging by the shared person would give two). A
    // and C agree: two heads of three take part (2 × 3 = 3 × 2) with
    // 200.00 of 300.00 m² (200 × 3 = 300 × 2), exactly on both lines, so
    // the quorum is met; A's agreement did not vote for 202. Then B, for
    // 202 alone, disagrees: 2 of 3 heads and 200.00 of 300.00 m² agree.
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let e = estate(&app, &f, "门槛小区").await;
    let member = committee_member(&app, &e.compound, "edge.member").await;
    let d201 = dwelling(&app, &e, "201", "100.00", false).await;
    let d202 = dwelling(&app, &e, "202", "100.00", false).await;
    let d203 = dwelling(&app, &e, "203", "100.00", false).await;
    let a = person(&app, &f, "甲", false).await;
    let b = person(&app, &f, "乙", false).await;
    owns(&app, &a, &d201).await;
    owns(&app, &b, &d201).await;
    owns(&app, &b, &d202).await;
    let a_token = account_for(&app, &a, "edge.jia").await;
    let b_token = account_for(&app, &b, "edge.yi").await;
    let c = owner(&app, &f, "丙", "edge.bing", &[&d203]).await;

    let vote = id(&open_vote(&app, &member, &e.compound, "PROCEDURAL_RULES").await);
    cast(&app, &a_token, &vote, "AGREE").await;
    cast(&app, &c.token, &vote, "AGREE").await;
    assert_tally(
        &tally(&app, Some(&member), &vote).await,
        &json!({ "totalHeads": 3, "totalArea": "300.00", "participatingHeads": 2,
                 "participatingArea": "200.00", "quorumMet": true, "agreeHeads": 2 }),
        "A and C",
    );
    let b_alone = my_ballots(&app, &b_token, &vote)
        .await
        .into_iter()
        .find(|m| m.0 == "202")
        .expect("B's own dwelling")
        .2;
    cast_for(&app, &b_token, &vote, Some(&b_alone), "DISAGREE").await;
    let closed = close(&app, &member, &vote).await;
    assert_tally(
        &closed["result"],
        &json!({ "participatingHeads": 3, "agreeHeads": 2, "disagreeHeads": 1,
                 "agreeArea": "200.00", "disagreeArea": "100.00", "adopted": true }),
        "closed",
    );
}
