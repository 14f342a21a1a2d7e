//! Owners' assembly votes over HTTP (Civil Code art. 278): the register
//! fixed at opening and its head count, owners' ballots and paper ballots,
//! every edge of the quorum and agreement rules, closing with the stored
//! basis and its publication, who may do what, and many owners voting at
//! the same moment.
//!
//! Each test builds a compound of its own whose dwellings have chosen
//! exclusive areas, so every ratio below is exact and written out.
//!
//! Longer than 800 lines on purpose: each test is a whole scenario told
//! from setup to last assertion, and the area's scenarios share the setup
//! helpers of this one file; splitting it would scatter both.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{Fixture, PASSWORD, TestApp, fixture, page_by_one, person, spawn_app};
use crate::register::{assert_error, assert_request_error, id, op, run};

/// Every field of a tally.
pub(crate) const TALLY: &str = "isFinal totalArea totalHeads participatingArea participatingHeads \
     agreeArea agreeHeads disagreeArea disagreeHeads abstainArea abstainHeads quorumMet rule adopted";

const VOTE: &str = "vote { id matter item rule status title closedAt }";

const BALLOT: &str = "ballot { id choice paper recordedBy castAt supersedes { id choice } \
     voter { id area isDeveloper } }";

/// A compound of the fixture's community with one building, for one test.
pub(crate) struct Estate {
    /// Compound ID.
    pub compound: String,
    /// Building ID.
    pub building: String,
}

/// Creates a compound named `name` with one building.
pub(crate) async fn estate(app: &TestApp, f: &Fixture, name: &str) -> Estate {
    let compound = id(&run(
        app,
        "createCompound",
        "compound { id }",
        json!({ "communityId": f.community, "name": name, "kind": "COMMODITY_HOUSING" }),
    )
    .await["compound"]);
    let building = id(&run(
        app,
        "createBuilding",
        "building { id }",
        json!({ "compoundId": compound, "name": "1幢", "gridId": f.grid, "floors": 30 }),
    )
    .await["building"]);
    Estate { compound, building }
}

/// Creates a dwelling of exclusive area `area` ("100.00"); `developer`
/// marks the developer's unsold or undelivered part.
pub(crate) async fn dwelling(
    app: &TestApp,
    e: &Estate,
    number: &str,
    area: &str,
    developer: bool,
) -> String {
    id(&run(
        app,
        "createDwelling",
        "dwelling { id exclusiveArea }",
        json!({ "buildingId": e.building, "floor": 1, "number": number,
                "exclusiveArea": area, "developerHeld": developer }),
    )
    .await["dwelling"])
}

/// Records that `person` owns `dwelling` from 2020; returns the ownership's ID.
pub(crate) async fn owns(app: &TestApp, person: &str, dwelling: &str) -> String {
    id(&run(
        app,
        "addOwnership",
        "ownership { id }",
        json!({ "personId": person, "dwellingId": dwelling, "startsOn": "2020-01-01" }),
    )
    .await["ownership"])
}

/// Creates an account linked to `person` (display name = username) and logs in.
pub(crate) async fn account_for(app: &TestApp, person: &str, username: &str) -> String {
    run(
        app,
        "createAccount",
        "account { id personId }",
        json!({ "username": username, "password": PASSWORD, "displayName": username, "personId": person }),
    )
    .await;
    app.login(username, PASSWORD).await
}

/// A person of the register with an account of their own.
pub(crate) struct Owner {
    /// Person ID.
    pub person: String,
    /// Display name and username of the account.
    pub username: String,
    /// Bearer token.
    pub token: String,
}

/// A person named `name` owning `dwellings`, with account `username`.
pub(crate) async fn owner(
    app: &TestApp,
    f: &Fixture,
    name: &str,
    username: &str,
    dwellings: &[&str],
) -> Owner {
    let p = person(app, f, name, false).await;
    for d in dwellings {
        owns(app, &p, d).await;
    }
    let token = account_for(app, &p, username).await;
    Owner {
        person: p,
        username: username.to_owned(),
        token,
    }
}

/// A compound named `name` with `n` owners of one 90 m² dwelling each, with accounts
/// `<prefix>.o00`…; returns it, the token of its committee member `<prefix>.member`,
/// and the owners.
pub(crate) async fn estate_of_owners(
    app: &TestApp,
    f: &Fixture,
    name: &str,
    prefix: &str,
    n: usize,
) -> (Estate, String, Vec<Owner>) {
    let e = estate(app, f, name).await;
    let member = committee_member(app, &e.compound, &format!("{prefix}.member")).await;
    let mut owners = Vec::new();
    for i in 0..n {
        let d = dwelling(app, &e, &format!("D{i:02}"), "90.00", false).await;
        let username = format!("{prefix}.o{i:02}");
        owners.push(owner(app, f, &format!("业主{i:02}"), &username, &[&d]).await);
    }
    (e, member, owners)
}

/// A committee member account over `compound`; its display name is `username`.
pub(crate) async fn committee_member(app: &TestApp, compound: &str, username: &str) -> String {
    app.user_with_role(username, "COMMITTEE_MEMBER", Some(compound))
        .await
}

/// Opens a vote on `matter` as `token`; returns the vote.
pub(crate) async fn open_vote(app: &TestApp, token: &str, compound: &str, matter: &str) -> Value {
    app.mutate(
        token,
        "openAssemblyVote",
        &op("openAssemblyVote", VOTE),
        json!({ "compoundId": compound, "matter": matter, "title": format!("{matter}表决"),
                "description": "业主大会表决事项" }),
    )
    .await["vote"]
        .clone()
}

/// Casts `choice` as the owner behind `token`; it must be taken. Returns the ballot.
pub(crate) async fn cast(app: &TestApp, token: &str, vote: &str, choice: &str) -> Value {
    app.mutate(
        token,
        "castBallot",
        &op("castBallot", BALLOT),
        json!({ "voteId": vote, "choice": choice }),
    )
    .await["ballot"]
        .clone()
}

/// Records a paper ballot for counted owner `voter` as `token`; it must be taken.
pub(crate) async fn paper(
    app: &TestApp,
    token: &str,
    vote: &str,
    voter: &str,
    choice: &str,
) -> Value {
    app.mutate(
        token,
        "recordPaperBallot",
        &op("recordPaperBallot", BALLOT),
        json!({ "voteId": vote, "voterId": voter, "choice": choice }),
    )
    .await["ballot"]
        .clone()
}

/// Closes a vote as `token`; it must close. Returns the vote with its result.
pub(crate) async fn close(app: &TestApp, token: &str, vote: &str) -> Value {
    let sel = format!("vote {{ id status closedAt result {{ {TALLY} }} tally {{ {TALLY} }} }}");
    app.mutate(
        token,
        "closeAssemblyVote",
        &op("closeAssemblyVote", &sel),
        json!({ "voteId": vote }),
    )
    .await["vote"]
        .clone()
}

/// Reads `fields` of a vote as `token`; the read must succeed.
pub(crate) async fn read_vote(
    app: &TestApp,
    token: Option<&str>,
    vote: &str,
    fields: &str,
) -> Value {
    let q = format!("query($id: ID!) {{ node(id: $id) {{ ... on AssemblyVote {{ {fields} }} }} }}");
    app.ok(token, &q, json!({ "id": vote })).await["node"].clone()
}

/// The vote's tally as `token` sees it.
pub(crate) async fn tally(app: &TestApp, token: Option<&str>, vote: &str) -> Value {
    read_vote(app, token, vote, &format!("tally {{ {TALLY} }}")).await["tally"].clone()
}

/// The register of a vote, read by `token` (who runs the vote).
pub(crate) async fn register_of(app: &TestApp, token: &str, vote: &str) -> Vec<Value> {
    let v = read_vote(
        app,
        Some(token),
        vote,
        "register(first: 100) { edges { node { id area isDeveloper owners { id name } } } pageInfo { hasNextPage } }",
    )
    .await;
    assert_eq!(v["register"]["pageInfo"]["hasNextPage"], false);
    v["register"]["edges"]
        .as_array()
        .expect("register edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// Every ballot of a vote, in the order cast, read by `token`.
pub(crate) async fn ballots_of(app: &TestApp, token: &str, vote: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let q = "query($id: ID!, $after: String) { node(id: $id) { ... on AssemblyVote {
            ballots(first: 100, after: $after) { edges { cursor node { id choice paper recordedBy
              supersedes { id choice } voter { id area isDeveloper } } } pageInfo { hasNextPage } } } } }";
        let d = app
            .ok(Some(token), q, json!({ "id": vote, "after": after }))
            .await;
        let page = &d["node"]["ballots"];
        let edges = page["edges"].as_array().expect("ballot edges");
        out.extend(edges.iter().map(|e| e["node"].clone()));
        if page["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = edges
            .last()
            .map(|e| e["cursor"].as_str().unwrap().to_owned());
    }
}

/// The verification of a compound's decision chain.
pub(crate) async fn chain(app: &TestApp, compound: &str) -> Value {
    app.ok(
        Some(&app.admin_token),
        "query($c: ID!) { verifyDecisionChain(compoundId: $c) { intact links firstBrokenSeq reason } }",
        json!({ "c": compound }),
    )
    .await["verifyDecisionChain"]
        .clone()
}

/// How many of `ballots` are first ballots and how many supersede another,
/// asserting that no ballot is superseded twice.
pub(crate) fn firsts_and_superseded(ballots: &[Value]) -> (usize, usize) {
    let firsts = ballots.iter().filter(|b| b["supersedes"].is_null()).count();
    let superseded: Vec<&str> = ballots
        .iter()
        .filter_map(|b| b["supersedes"]["id"].as_str())
        .collect();
    let distinct: HashSet<&&str> = superseded.iter().collect();
    assert_eq!(
        distinct.len(),
        superseded.len(),
        "no ballot superseded twice"
    );
    (firsts, superseded.len())
}

/// Asserts every field of `want` in `tally`.
pub(crate) fn assert_tally(tally: &Value, want: &Value, what: &str) {
    for (k, v) in want.as_object().expect("an object of expected fields") {
        assert_eq!(&tally[k], v, "{what}: {k} in {tally:#}");
    }
}

/// The row number inside a global ID ("Ballot:17" → 17).
fn row_of(global: &str) -> i64 {
    let raw = URL_SAFE_NO_PAD.decode(global).expect("a global ID");
    let text = String::from_utf8(raw).expect("utf-8");
    text.rsplit_once(':').unwrap().1.parse().unwrap()
}

/// Hundredths of a square metre as the API writes an area.
fn area_text(centi: i64) -> String {
    format!("{}.{:02}", centi / 100, centi % 100)
}

/// The register as (owner names, area, isDeveloper), sorted, for comparison.
fn register_summary(register: &[Value]) -> Vec<(String, String, bool)> {
    let mut out: Vec<(String, String, bool)> = register
        .iter()
        .map(|v| {
            let mut names: Vec<&str> = v["owners"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            names.sort();
            (
                names.join("+"),
                v["area"].as_str().unwrap().to_owned(),
                v["isDeveloper"].as_bool().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn summary(rows: &[(&str, &str, bool)]) -> Vec<(String, String, bool)> {
    let mut out: Vec<(String, String, bool)> = rows
        .iter()
        .map(|(n, a, d)| {
            let mut names: Vec<&str> = n.split('+').filter(|s| !s.is_empty()).collect();
            names.sort();
            (names.join("+"), (*a).to_owned(), *d)
        })
        .collect();
    out.sort();
    out
}

fn today_cst() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

#[tokio::test]
async fn the_register_is_fixed_at_opening_and_counts_heads_by_the_interpretation() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let e = estate(&app, &f, "计头小区").await;
    let member = committee_member(&app, &e.compound, "heads.member").await;

    // Co-owners of one part: one head.
    let d1 = dwelling(&app, &e, "101", "80.00", false).await;
    // One owner of two parts: one head, both areas.
    let d2 = dwelling(&app, &e, "102", "60.00", false).await;
    let d3 = dwelling(&app, &e, "103", "40.00", false).await;
    // The developer's unsold parts: one head together.
    let _d4 = dwelling(&app, &e, "104", "70.00", true).await;
    let _d5 = dwelling(&app, &e, "105", "30.00", true).await;
    // A part with no owner of record is still one part and one head.
    let d6 = dwelling(&app, &e, "106", "55.55", false).await;
    // The smallest part there can be.
    let d7 = dwelling(&app, &e, "107", "0.01", false).await;
    // A part whose only ownership ended years ago has no owner of record.
    let d8 = dwelling(&app, &e, "108", "20.00", false).await;

    let jia = owner(&app, &f, "甲", "heads.jia", &[&d1]).await;
    let yi = owner(&app, &f, "乙", "heads.yi", &[&d1]).await;
    let bing = person(&app, &f, "丙", false).await;
    let bing_d2 = owns(&app, &bing, &d2).await;
    owns(&app, &bing, &d3).await;
    let bing_token = account_for(&app, &bing, "heads.bing").await;
    let ding = owner(&app, &f, "丁", "heads.ding", &[&d7]).await;
    let geng = person(&app, &f, "庚", false).await;
    run(
        &app,
        "addOwnership",
        "ownership { id }",
        json!({ "personId": geng, "dwellingId": d8, "startsOn": "2015-01-01", "endsOn": "2019-12-31" }),
    )
    .await;

    let vote = open_vote(&app, &member, &e.compound, "PROCEDURAL_RULES").await;
    assert_eq!(vote["status"], "OPEN");
    assert_eq!(vote["item"], 1);
    let v1 = id(&vote);

    // 6 heads: 甲+乙; 丙 (two parts); the developer; 106; 丁; 108.
    // 80.00 + 100.00 + 100.00 + 55.55 + 0.01 + 20.00 = 355.56 m².
    let want_register = summary(&[
        ("甲+乙", "80.00", false),
        ("丙", "100.00", false),
        ("", "100.00", true),
        ("", "55.55", false),
        ("丁", "0.01", false),
        ("", "20.00", false),
    ]);
    let empty = json!({ "isFinal": false, "totalArea": "355.56", "totalHeads": 6,
        "participatingArea": "0.00", "participatingHeads": 0, "agreeArea": "0.00", "agreeHeads": 0,
        "disagreeHeads": 0, "abstainHeads": 0, "quorumMet": false, "rule": "MORE_THAN_HALF", "adopted": false });
    assert_tally(&tally(&app, Some(&member), &v1).await, &empty, "at opening");
    let register = register_of(&app, &member, &v1).await;
    assert_eq!(register_summary(&register), want_register);

    // The register changes after opening: a buyer for 106 (recorded as owner
    // since 2020), 丙 sells 102, a new dwelling with an owner.
    let wu = owner(&app, &f, "戊", "heads.wu", &[&d6]).await;
    let yesterday = (today_cst() - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    run(
        &app,
        "endOwnership",
        "ownership { id endsOn }",
        json!({ "id": bing_d2, "endsOn": yesterday }),
    )
    .await;
    let d9 = dwelling(&app, &e, "109", "25.00", false).await;
    owner(&app, &f, "己", "heads.ji", &[&d9]).await;

    // The open vote keeps the register of its day.
    assert_tally(
        &tally(&app, Some(&member), &v1).await,
        &empty,
        "after changes",
    );
    let register = register_of(&app, &member, &v1).await;
    assert_eq!(register_summary(&register), want_register);
    // The new owner of 106 is not on this vote's register.
    let body = app
        .gql(
            Some(&wu.token),
            &op("castBallot", BALLOT),
            json!({ "input": { "voteId": v1, "choice": "AGREE" } }),
        )
        .await;
    assert_request_error(&body, "FORBIDDEN");

    // Ballots count heads as the register does.
    // Co-owners share one ballot: the last one counts.
    let b = cast(&app, &jia.token, &v1, "AGREE").await;
    assert_eq!(b["voter"]["area"], "80.00");
    let b2 = cast(&app, &yi.token, &v1, "DISAGREE").await;
    assert_eq!(b2["voter"]["id"], b["voter"]["id"]);
    assert_eq!(b2["supersedes"]["id"], b["id"]);
    let t = tally(&app, Some(&member), &v1).await;
    assert_tally(
        &t,
        &json!({ "participatingHeads": 1, "participatingArea": "80.00", "agreeHeads": 0,
                 "disagreeHeads": 1, "disagreeArea": "80.00" }),
        "co-owners",
    );
    let mine = read_vote(&app, Some(&jia.token), &v1, "myBallot { id choice }").await;
    assert_eq!(
        mine["myBallot"]["id"], b2["id"],
        "甲 sees the ballot 乙 cast for them both"
    );
    // 丙 still holds both parts on this register: one head of 100.00 m².
    let b = cast(&app, &bing_token, &v1, "AGREE").await;
    assert_eq!(b["voter"]["area"], "100.00");
    // 丁's 0.01 m² is a head like any other.
    cast(&app, &ding.token, &v1, "AGREE").await;
    // The developer's two parts: one paper ballot for one head of 100.00 m².
    let dev = register
        .iter()
        .find(|v| v["isDeveloper"] == true)
        .expect("the developer on the register");
    let b = paper(&app, &member, &v1, &id(dev), "AGREE").await;
    assert_eq!(b["voter"]["isDeveloper"], true);
    assert_eq!(b["voter"]["area"], "100.00");
    // The part with no owner of record can be voted only on paper.
    let unowned = register
        .iter()
        .find(|v| v["area"] == "55.55")
        .expect("106 on the register");
    assert_eq!(unowned["owners"], json!([]));
    let t = tally(&app, Some(&member), &v1).await;
    // 80.00 + 100.00 + 0.01 + 100.00 = 280.01 of 355.56; 4 of 6 heads.
    assert_tally(
        &t,
        &json!({ "totalHeads": 6, "totalArea": "355.56",
                 "participatingHeads": 4, "participatingArea": "280.01",
                 "agreeHeads": 3, "agreeArea": "200.01", "disagreeHeads": 1, "disagreeArea": "80.00",
                 "abstainHeads": 0, "quorumMet": true, "adopted": true }),
        "after ballots",
    );

    // A vote opened now takes today's register: 8 heads, 380.56 m².
    let v2 = id(&open_vote(&app, &member, &e.compound, "MANAGEMENT_COVENANT").await);
    assert_tally(
        &tally(&app, Some(&member), &v2).await,
        &json!({ "totalHeads": 8, "totalArea": "380.56", "participatingHeads": 0 }),
        "second vote",
    );
    let register = register_of(&app, &member, &v2).await;
    assert_eq!(
        register_summary(&register),
        summary(&[
            ("甲+乙", "80.00", false),
            ("丙", "40.00", false),
            ("", "60.00", false),
            ("", "100.00", true),
            ("戊", "55.55", false),
            ("丁", "0.01", false),
            ("", "20.00", false),
            ("己", "25.00", false),
        ])
    );
    // The buyer votes in the new vote, and the first vote's register did not move.
    cast(&app, &wu.token, &v2, "AGREE").await;
    // A counted owner of one vote's register is not one of another's.
    let theirs = id(register
        .iter()
        .find(|r| r["owners"][0]["name"] == "戊")
        .unwrap());
    let data = app
        .ok(
            Some(&member),
            &op("recordPaperBallot", BALLOT),
            json!({ "input": { "voteId": v1, "voterId": theirs, "choice": "AGREE" } }),
        )
        .await;
    assert_eq!(data["recordPaperBallot"]["ballot"], Value::Null);
    assert_error(&data["recordPaperBallot"], &["input", "voterId"], "INVALID");
    assert_tally(
        &tally(&app, Some(&member), &v1).await,
        &json!({ "totalHeads": 6, "totalArea": "355.56", "participatingHeads": 4 }),
        "first vote at the end",
    );
}

#[tokio::test]
async fn quorum_needs_two_thirds_of_area_and_of_heads_inclusive() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let e = estate(&app, &f, "法定人数小区").await;
    let member = committee_member(&app, &e.compound, "quorum.member").await;
    // 6 heads, 600.00 m²: two thirds are 4 heads and 400.00 m².
    let areas = ["200.00", "100.00", "50.00", "50.00", "100.01", "99.99"];
    let mut owners = Vec::new();
    for (i, a) in areas.iter().enumerate() {
        let d = dwelling(&app, &e, &format!("Q{i}"), a, false).await;
        owners.push(
            owner(
                &app,
                &f,
                &format!("业主{i}"),
                &format!("quorum.o{i}"),
                &[&d],
            )
            .await,
        );
    }
    let vote_with = |agree: &'static [usize]| {
        let (app, member, owners, compound) = (&app, &member, &owners, &e.compound);
        async move {
            let v = id(&open_vote(app, member, compound, "OTHER_MAJOR_MATTER").await);
            for &i in agree {
                cast(app, &owners[i].token, &v, "AGREE").await;
            }
            v
        }
    };

    // Exactly two thirds of both: 200.00 + 100.00 + 50.00 + 50.00 = 400.00 m², 4 heads.
    let exact = vote_with(&[0, 1, 2]).await;
    assert_tally(
        &tally(&app, Some(&owners[5].token), &exact).await,
        &json!({ "participatingArea": "350.00", "participatingHeads": 3, "quorumMet": false, "adopted": false }),
        "three of six",
    );
    cast(&app, &owners[3].token, &exact, "AGREE").await;
    let want = json!({ "isFinal": false, "totalArea": "600.00", "totalHeads": 6,
        "participatingArea": "400.00", "participatingHeads": 4, "agreeArea": "400.00", "agreeHeads": 4,
        "disagreeArea": "0.00", "disagreeHeads": 0, "abstainArea": "0.00", "abstainHeads": 0,
        "quorumMet": true, "rule": "MORE_THAN_HALF", "adopted": true });
    assert_tally(
        &tally(&app, Some(&owners[5].token), &exact).await,
        &want,
        "exactly 2/3",
    );

    // One hundredth of a square metre under: 200.00 + 50.00 + 50.00 + 99.99 = 399.99, 4 heads.
    let under_area = vote_with(&[0, 2, 3, 5]).await;
    let want_under_area = json!({ "participatingArea": "399.99", "participatingHeads": 4,
        "agreeArea": "399.99", "agreeHeads": 4, "quorumMet": false, "adopted": false });
    assert_tally(
        &tally(&app, Some(&owners[1].token), &under_area).await,
        &want_under_area,
        "0.01 m² under",
    );

    // One head under, area over: 200.00 + 100.00 + 100.01 = 400.01, 3 heads.
    let under_heads = vote_with(&[0, 1, 4]).await;
    let want_under_heads = json!({ "participatingArea": "400.01", "participatingHeads": 3,
        "agreeHeads": 3, "quorumMet": false, "adopted": false });
    assert_tally(
        &tally(&app, Some(&owners[2].token), &under_heads).await,
        &want_under_heads,
        "one head under",
    );

    // Closing stores the same basis.
    for (v, w) in [
        (&exact, &want),
        (&under_area, &want_under_area),
        (&under_heads, &want_under_heads),
    ] {
        let closed = close(&app, &member, v).await;
        assert_eq!(closed["status"], "CLOSED");
        let mut w = w.clone();
        w["isFinal"] = json!(true);
        assert_tally(&closed["result"], &w, "stored result");
        assert_tally(&closed["tally"], &w, "tally after closing");
    }
}

#[tokio::test]
async fn agreement_rules_by_matter_at_their_edges() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let e = estate(&app, &f, "表决规则小区").await;
    let member = committee_member(&app, &e.compound, "rules.member").await;
    // 8 heads, 1200.00 m²: 3/4 is 900.00 m² and 6 heads, 1/2 is 600.00 m² and 4 heads.
    let areas = [
        "400.00", "100.00", "100.00", "100.00", "100.00", "99.99", "100.01", "200.00",
    ];
    let mut owners = Vec::new();
    for (i, a) in areas.iter().enumerate() {
        let d = dwelling(&app, &e, &format!("R{}", i + 1), a, false).await;
        owners.push(
            owner(
                &app,
                &f,
                &format!("业主{}", i + 1),
                &format!("rules.o{}", i + 1),
                &[&d],
            )
            .await,
        );
    }

    struct Case {
        matter: &'static str,
        why: &'static str,
        agree: &'static [usize],
        disagree: &'static [usize],
        abstain: &'static [usize],
        want: Value,
    }
    // Owner numbers 1–8 as in `areas`.
    let three_quarters_exact = |matter| Case {
        matter,
        why: "exactly 3/4 of area (900.00) and heads (6)",
        agree: &[1, 2, 3, 4, 6, 7],
        disagree: &[5, 8],
        abstain: &[],
        want: json!({ "agreeArea": "900.00", "agreeHeads": 6, "disagreeArea": "300.00", "disagreeHeads": 2,
            "abstainArea": "0.00", "abstainHeads": 0, "participatingArea": "1200.00", "participatingHeads": 8,
            "quorumMet": true, "rule": "THREE_QUARTERS", "adopted": true }),
    };
    let three_quarters_area_under = |matter| Case {
        matter,
        why: "6 heads but 899.99 m², 0.01 under 3/4",
        agree: &[1, 2, 3, 4, 5, 6],
        disagree: &[7, 8],
        abstain: &[],
        want: json!({ "agreeArea": "899.99", "agreeHeads": 6, "disagreeArea": "300.01", "disagreeHeads": 2,
            "participatingHeads": 8, "quorumMet": true, "rule": "THREE_QUARTERS", "adopted": false }),
    };
    let just_over_half = |matter| Case {
        matter,
        why: "600.01 m² and 5 heads: just over half",
        agree: &[2, 3, 4, 7, 8],
        disagree: &[1, 5, 6],
        abstain: &[],
        want: json!({ "agreeArea": "600.01", "agreeHeads": 5, "disagreeArea": "599.99", "disagreeHeads": 3,
            "participatingArea": "1200.00", "participatingHeads": 8,
            "quorumMet": true, "rule": "MORE_THAN_HALF", "adopted": true }),
    };
    let cases = vec![
        three_quarters_exact("MAINTENANCE_FUND_RAISING"),
        three_quarters_area_under("MAINTENANCE_FUND_RAISING"),
        three_quarters_exact("REBUILDING"),
        three_quarters_area_under("REBUILDING"),
        three_quarters_exact("COMMON_PARTS_USE"),
        Case {
            matter: "COMMON_PARTS_USE",
            why: "900.00 m² but 5 heads, one under 3/4",
            agree: &[1, 2, 3, 4, 8],
            disagree: &[5, 6, 7],
            abstain: &[],
            want: json!({ "agreeArea": "900.00", "agreeHeads": 5, "disagreeArea": "300.00", "disagreeHeads": 3,
                "quorumMet": true, "rule": "THREE_QUARTERS", "adopted": false }),
        },
        Case {
            matter: "MANAGEMENT_COVENANT",
            why: "exactly half the area (600.00) with 5 heads: not more than half",
            agree: &[2, 3, 4, 5, 8],
            disagree: &[1, 6, 7],
            abstain: &[],
            want: json!({ "agreeArea": "600.00", "agreeHeads": 5, "disagreeArea": "600.00", "disagreeHeads": 3,
                "quorumMet": true, "rule": "MORE_THAN_HALF", "adopted": false }),
        },
        Case {
            matter: "PROPERTY_MANAGER",
            why: "exactly half the heads (4) with 800.00 m²: not more than half",
            agree: &[1, 2, 3, 8],
            disagree: &[4, 5, 6, 7],
            abstain: &[],
            want: json!({ "agreeArea": "800.00", "agreeHeads": 4, "disagreeArea": "400.00", "disagreeHeads": 4,
                "quorumMet": true, "rule": "MORE_THAN_HALF", "adopted": false }),
        },
        just_over_half("OTHER_MAJOR_MATTER"),
        just_over_half("PROCEDURAL_RULES"),
        just_over_half("COMMITTEE_ELECTION"),
        Case {
            matter: "MAINTENANCE_FUND_USE",
            why: "abstentions take part but do not agree: 600.00 of 1000.00 m², 2 of 6 heads",
            agree: &[1, 8],
            disagree: &[],
            abstain: &[2, 3, 4, 5],
            want: json!({ "participatingArea": "1000.00", "participatingHeads": 6,
                "agreeArea": "600.00", "agreeHeads": 2, "disagreeArea": "0.00", "disagreeHeads": 0,
                "abstainArea": "400.00", "abstainHeads": 4,
                "quorumMet": true, "rule": "MORE_THAN_HALF", "adopted": false }),
        },
        Case {
            matter: "OTHER_MAJOR_MATTER",
            why: "abstainers make the quorum: 1000.00 m² and 6 of 8 heads take part",
            agree: &[1, 2, 3, 8],
            disagree: &[],
            abstain: &[4, 5],
            want: json!({ "participatingArea": "1000.00", "participatingHeads": 6,
                "agreeArea": "800.00", "agreeHeads": 4, "abstainArea": "200.00", "abstainHeads": 2,
                "quorumMet": true, "rule": "MORE_THAN_HALF", "adopted": true }),
        },
    ];

    let items = HashMap::from([
        ("PROCEDURAL_RULES", 1),
        ("MANAGEMENT_COVENANT", 2),
        ("COMMITTEE_ELECTION", 3),
        ("PROPERTY_MANAGER", 4),
        ("MAINTENANCE_FUND_USE", 5),
        ("MAINTENANCE_FUND_RAISING", 6),
        ("REBUILDING", 7),
        ("COMMON_PARTS_USE", 8),
        ("OTHER_MAJOR_MATTER", 9),
    ]);
    let mut seen_items = HashSet::new();
    let mut votes = Vec::new();
    for c in &cases {
        let vote = open_vote(&app, &member, &e.compound, c.matter).await;
        assert_eq!(vote["item"], items[c.matter], "{}", c.matter);
        let rule = if [6, 7, 8].contains(&items[c.matter]) {
            "THREE_QUARTERS"
        } else {
            "MORE_THAN_HALF"
        };
        assert_eq!(vote["rule"], rule, "{}", c.matter);
        seen_items.insert(items[c.matter]);
        let v = id(&vote);
        if c.abstain.is_empty() {
            let casts = c
                .agree
                .iter()
                .map(|&i| (i, "AGREE"))
                .chain(c.disagree.iter().map(|&i| (i, "DISAGREE")));
            join_all(casts.map(|(i, choice)| cast(&app, &owners[i - 1].token, &v, choice))).await;
        } else {
            // Agreement first: without the abstainers the quorum is not met.
            for &i in c.agree {
                cast(&app, &owners[i - 1].token, &v, "AGREE").await;
            }
            for &i in c.disagree {
                cast(&app, &owners[i - 1].token, &v, "DISAGREE").await;
            }
            let before = tally(&app, Some(&owners[5].token), &v).await;
            assert_eq!(
                before["quorumMet"], false,
                "{}: before abstentions {before:#}",
                c.why
            );
            assert_eq!(before["adopted"], false, "{}: before abstentions", c.why);
            for &i in c.abstain {
                cast(&app, &owners[i - 1].token, &v, "ABSTAIN").await;
            }
        }
        let mut want = c.want.clone();
        want["isFinal"] = json!(false);
        want["totalArea"] = json!("1200.00");
        want["totalHeads"] = json!(8);
        let live = tally(&app, Some(&owners[0].token), &v).await;
        assert_tally(&live, &want, &format!("{} live: {}", c.matter, c.why));
        votes.push((v, want, c.matter, c.why));
    }
    assert_eq!(seen_items.len(), 9, "every item of art. 278 is tried");

    for (v, want, matter, why) in &votes {
        let closed = close(&app, &member, v).await;
        let mut want = want.clone();
        want["isFinal"] = json!(true);
        assert_tally(&closed["result"], &want, &format!("{matter} stored: {why}"));
        // Residents read the result.
        let read = read_vote(
            &app,
            Some(&owners[7].token),
            v,
            &format!("result {{ {TALLY} }}"),
        )
        .await;
        assert_eq!(read["result"], closed["result"]);
    }
}

#[tokio::test]
async fn ballots_change_paper_ballots_are_kept_and_closing_stores_and_publishes_the_basis() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let e = estate(&app, &f, "表决流程小区").await;
    let member = committee_member(&app, &e.compound, "flow.member").await;
    let d1 = dwelling(&app, &e, "1-101", "100.00", false).await;
    let d2 = dwelling(&app, &e, "1-102", "100.00", false).await;
    dwelling(&app, &e, "1-103", "50.00", true).await;
    dwelling(&app, &e, "1-104", "50.00", true).await;
    let d5 = dwelling(&app, &e, "1-105", "100.00", false).await;
    let wang = owner(&app, &f, "王业主", "flow.wang", &[&d1]).await;
    let li = owner(&app, &f, "李业主", "flow.li", &[&d2]).await;
    let zhao = person(&app, &f, "赵业主", false).await;
    owns(&app, &zhao, &d5).await;

    let vote = open_vote(&app, &member, &e.compound, "COMMITTEE_ELECTION").await;
    let v = id(&vote);
    assert_eq!(vote["status"], "OPEN");
    assert_eq!(vote["rule"], "MORE_THAN_HALF");
    let register = register_of(&app, &member, &v).await;
    let voter_of = |name: &str| {
        id(register
            .iter()
            .find(|r| {
                r["owners"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["name"] == name)
            })
            .unwrap_or_else(|| panic!("{name} on the register")))
    };
    let developer = id(register.iter().find(|r| r["isDeveloper"] == true).unwrap());
    let zhao_voter = voter_of("赵业主");
    let wang_voter = voter_of("王业主");
    let wang_entry = register.iter().find(|r| id(r) == wang_voter).unwrap();
    assert_eq!(wang_entry["owners"][0]["id"], wang.person.as_str());

    // No ballot yet.
    let mine = read_vote(&app, Some(&wang.token), &v, "myBallot { id }").await;
    assert_eq!(mine["myBallot"], Value::Null);

    // 王 votes, then changes his mind: the last ballot counts, the first stays on record.
    let first = cast(&app, &wang.token, &v, "AGREE").await;
    assert_eq!(first["choice"], "AGREE");
    assert_eq!(first["paper"], false);
    assert_eq!(first["recordedBy"], wang.username.as_str());
    assert_eq!(first["supersedes"], Value::Null);
    assert_eq!(first["voter"]["id"], wang_voter.as_str());
    let second = cast(&app, &wang.token, &v, "DISAGREE").await;
    assert_eq!(second["supersedes"]["id"], first["id"]);
    assert_eq!(second["supersedes"]["choice"], "AGREE");
    let mine = read_vote(&app, Some(&wang.token), &v, "myBallot { id choice }").await;
    assert_eq!(mine["myBallot"]["id"], second["id"]);
    assert_eq!(mine["myBallot"]["choice"], "DISAGREE");
    assert_tally(
        &tally(&app, Some(&wang.token), &v).await,
        &json!({ "participatingHeads": 1, "participatingArea": "100.00", "agreeHeads": 0,
                 "agreeArea": "0.00", "disagreeHeads": 1, "disagreeArea": "100.00" }),
        "after the change",
    );

    // The committee records paper ballots: for the developer's parts and for 赵.
    let dev_ballot = paper(&app, &member, &v, &developer, "AGREE").await;
    assert_eq!(dev_ballot["paper"], true);
    assert_eq!(dev_ballot["recordedBy"], "flow.member");
    assert_eq!(dev_ballot["voter"]["isDeveloper"], true);
    assert_eq!(dev_ballot["voter"]["area"], "100.00");
    let zhao_ballot = paper(&app, &member, &v, &zhao_voter, "ABSTAIN").await;
    assert_eq!(zhao_ballot["paper"], true);
    assert_eq!(zhao_ballot["recordedBy"], "flow.member");
    cast(&app, &li.token, &v, "AGREE").await;
    // 4 of 4 heads; agree 李 + developer = 200.00 of 400.00: exactly half, not adopted.
    assert_tally(
        &tally(&app, Some(&li.token), &v).await,
        &json!({ "isFinal": false, "totalHeads": 4, "totalArea": "400.00",
                 "participatingHeads": 4, "participatingArea": "400.00",
                 "agreeHeads": 2, "agreeArea": "200.00", "disagreeHeads": 1, "disagreeArea": "100.00",
                 "abstainHeads": 1, "abstainArea": "100.00", "quorumMet": true, "adopted": false }),
        "exactly half",
    );
    // 王 changes back: 300.00 m² and 3 of 4 heads agree.
    let third = cast(&app, &wang.token, &v, "AGREE").await;
    assert_eq!(third["supersedes"]["id"], second["id"]);
    let live = tally(&app, Some(&member), &v).await;
    let want = json!({ "totalHeads": 4, "totalArea": "400.00",
        "participatingHeads": 4, "participatingArea": "400.00",
        "agreeHeads": 3, "agreeArea": "300.00", "disagreeHeads": 0, "disagreeArea": "0.00",
        "abstainHeads": 1, "abstainArea": "100.00", "quorumMet": true, "rule": "MORE_THAN_HALF", "adopted": true });
    assert_tally(&live, &want, "live before closing");

    // Every ballot stays on record, superseded ones included, in the order cast.
    let ballots = ballots_of(&app, &member, &v).await;
    let ids: Vec<&str> = ballots.iter().map(|b| b["id"].as_str().unwrap()).collect();
    let third_id = third["id"].as_str().unwrap();
    assert_eq!(ids.len(), 6);
    assert_eq!(ids[0], first["id"].as_str().unwrap());
    assert_eq!(ids[1], second["id"].as_str().unwrap());
    assert_eq!(ids[5], third_id);
    assert_eq!(ballots[1]["supersedes"]["id"], first["id"]);
    assert_eq!(ballots[5]["supersedes"]["id"], second["id"]);
    assert_eq!(
        ballots.iter().filter(|b| b["paper"] == true).count(),
        2,
        "two paper ballots"
    );
    // Paged in SQL one ballot at a time, in the same order.
    let (a, b) = page_by_one(&app, Some(&member), &v, "AssemblyVote", "ballots").await;
    assert_eq!([a.as_str(), b.as_str()], [ids[0], ids[1]]);

    // Plain owners see neither the register nor the ballots; anonymous callers must log in.
    for field in [
        "register(first: 10) { edges { node { id } } }",
        "ballots(first: 10) { edges { node { id } } }",
    ] {
        let q =
            format!("query($id: ID!) {{ node(id: $id) {{ ... on AssemblyVote {{ {field} }} }} }}");
        let body = app.gql(Some(&wang.token), &q, json!({ "id": v })).await;
        assert_request_error(&body, "FORBIDDEN");
        let body = app.gql(None, &q, json!({ "id": v })).await;
        assert_request_error(&body, "UNAUTHENTICATED");
    }

    // Closing computes, stores and publishes the basis.
    let closed = close(&app, &member, &v).await;
    assert_eq!(closed["status"], "CLOSED");
    assert!(closed["closedAt"].is_string());
    let mut final_want = want.clone();
    final_want["isFinal"] = json!(true);
    assert_tally(&closed["result"], &final_want, "stored result");
    assert_eq!(closed["result"], closed["tally"]);
    let pubs = read_vote(
        &app,
        Some(&li.token),
        &v,
        "compound { publications(first: 10) { edges { node {
        id kind title body publishedBy vote { id status result { adopted } } } } } }",
    )
    .await["compound"]["publications"]["edges"]
        .clone();
    let pubs = pubs.as_array().unwrap();
    assert_eq!(pubs.len(), 1, "{pubs:#?}");
    let p = &pubs[0]["node"];
    assert_eq!(p["kind"], "VOTE_RESULT");
    assert_eq!(p["vote"]["id"], v.as_str());
    assert_eq!(p["vote"]["status"], "CLOSED");
    assert_eq!(p["vote"]["result"]["adopted"], true);
    assert_eq!(p["publishedBy"], "flow.member");
    assert!(
        p["title"]
            .as_str()
            .unwrap()
            .contains("COMMITTEE_ELECTION表决"),
        "{p:#}"
    );
    let text = p["body"].as_str().unwrap();
    for part in [
        "第3项",
        "400.00 / 400.00",
        "4 / 4",
        "300.00",
        "过半数",
        "结果：通过",
    ] {
        assert!(text.contains(part), "the publication states {part}: {text}");
    }

    // A closed vote takes no ballots, online or on paper, and closes once.
    for token in [&wang.token, &li.token] {
        let data = app
            .ok(
                Some(token),
                &op("castBallot", BALLOT),
                json!({ "input": { "voteId": v, "choice": "DISAGREE" } }),
            )
            .await;
        assert_eq!(data["castBallot"]["ballot"], Value::Null);
        assert_error(&data["castBallot"], &["input", "voteId"], "INVALID_STATE");
    }
    let data = app
        .ok(
            Some(&member),
            &op("recordPaperBallot", BALLOT),
            json!({ "input": { "voteId": v, "voterId": zhao_voter, "choice": "DISAGREE" } }),
        )
        .await;
    assert_error(
        &data["recordPaperBallot"],
        &["input", "voteId"],
        "INVALID_STATE",
    );
    let data = app
        .ok(
            Some(&member),
            &op("closeAssemblyVote", "vote { id }"),
            json!({ "input": { "voteId": v } }),
        )
        .await;
    assert_eq!(data["closeAssemblyVote"]["vote"], Value::Null);
    assert_error(
        &data["closeAssemblyVote"],
        &["input", "voteId"],
        "INVALID_STATE",
    );

    // Nothing moved: the result, the ballots, one publication.
    let after = read_vote(
        &app,
        Some(&wang.token),
        &v,
        &format!("status tally {{ {TALLY} }} result {{ {TALLY} }} myBallot {{ id }}"),
    )
    .await;
    assert_eq!(after["status"], "CLOSED");
    assert_eq!(after["result"], closed["result"]);
    assert_eq!(after["tally"], closed["result"]);
    assert_eq!(after["myBallot"]["id"], third_id);
    assert_eq!(ballots_of(&app, &member, &v).await.len(), 6);

    // The chain: the vote, 6 ballots, the result and its publication.
    let c = chain(&app, &e.compound).await;
    assert_eq!(c["intact"], true, "{c:#}");
    assert_eq!(c["links"], 9, "{c:#}");
}

#[tokio::test]
async fn only_owners_on_the_register_cast_and_only_the_committee_runs_votes() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let e = estate(&app, &f, "权限小区").await;
    let member = committee_member(&app, &e.compound, "acl.member").await;
    let d1 = dwelling(&app, &e, "101", "100.00", false).await;
    let d2 = dwelling(&app, &e, "102", "100.00", false).await;
    let wang = owner(&app, &f, "王", "acl.wang", &[&d1]).await;
    let li = owner(&app, &f, "李", "acl.li", &[&d2]).await;
    // An owner in the fixture's own compound.
    let sun = owner(&app, &f, "孙", "acl.sun", &[&f.dwellings[0]]).await;
    // A person of the community who owns nothing here.
    let zhou_person = person(&app, &f, "周", false).await;
    let zhou = account_for(&app, &zhou_person, "acl.zhou").await;
    // A resident of a dwelling here (a role, not an ownership).
    let resident = app
        .user_with_role("acl.resident", "RESIDENT", Some(&d1))
        .await;
    // A committee member of another compound.
    let other_member = committee_member(&app, &f.compound, "acl.other").await;

    let open_input = json!({ "input": { "compoundId": e.compound, "matter": "PROPERTY_MANAGER",
        "title": "续聘物业", "description": "续聘" } });
    let open_op = op("openAssemblyVote", "vote { id }");
    for (who, token, code) in [
        ("an owner", Some(wang.token.as_str()), "FORBIDDEN"),
        ("a resident", Some(resident.as_str()), "FORBIDDEN"),
        (
            "another compound's member",
            Some(other_member.as_str()),
            "FORBIDDEN",
        ),
        ("anonymous", None, "UNAUTHENTICATED"),
    ] {
        let body = app.gql(token, &open_op, open_input.clone()).await;
        assert_request_error(&body, code);
        assert!(
            body["data"].is_null() || body["data"]["openAssemblyVote"].is_null(),
            "{who}: {body:#}"
        );
    }
    let v = id(&open_vote(&app, &member, &e.compound, "PROPERTY_MANAGER").await);
    let register = register_of(&app, &member, &v).await;
    let li_voter = id(register
        .iter()
        .find(|r| r["owners"][0]["name"] == "李")
        .unwrap());

    let cast_op = op("castBallot", "ballot { id }");
    let cast_input = json!({ "input": { "voteId": v, "choice": "AGREE" } });
    for (who, token, code) in [
        (
            "a person who owns nothing here",
            Some(zhou.as_str()),
            "FORBIDDEN",
        ),
        (
            "an owner of another compound",
            Some(sun.token.as_str()),
            "FORBIDDEN",
        ),
        (
            "an account of no person",
            Some(resident.as_str()),
            "FORBIDDEN",
        ),
        (
            "the committee member, who owns nothing",
            Some(member.as_str()),
            "FORBIDDEN",
        ),
        ("anonymous", None, "UNAUTHENTICATED"),
    ] {
        let body = app.gql(token, &cast_op, cast_input.clone()).await;
        assert_request_error(&body, code);
        assert!(
            body["data"].is_null() || body["data"]["castBallot"].is_null(),
            "{who}: {body:#}"
        );
    }

    // Nobody records a ballot for another owner but the committee.
    let paper_op = op("recordPaperBallot", "ballot { id }");
    let paper_input =
        json!({ "input": { "voteId": v, "voterId": li_voter, "choice": "DISAGREE" } });
    for (token, code) in [
        (Some(wang.token.as_str()), "FORBIDDEN"),
        (Some(resident.as_str()), "FORBIDDEN"),
        (Some(other_member.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let body = app.gql(token, &paper_op, paper_input.clone()).await;
        assert_request_error(&body, code);
    }

    // 王 votes for himself only.
    let b = cast(&app, &wang.token, &v, "AGREE").await;
    assert_ne!(b["voter"]["id"], li_voter.as_str());
    let mine = read_vote(&app, Some(&li.token), &v, "myBallot { id }").await;
    assert_eq!(
        mine["myBallot"],
        Value::Null,
        "李 has no ballot of 王's making"
    );
    let t = tally(&app, Some(&li.token), &v).await;
    assert_eq!(t["participatingHeads"], 1);
    assert_eq!(ballots_of(&app, &member, &v).await.len(), 1);

    // Only the committee closes.
    let close_op = op("closeAssemblyVote", "vote { id }");
    let close_input = json!({ "input": { "voteId": v } });
    for (token, code) in [
        (Some(wang.token.as_str()), "FORBIDDEN"),
        (Some(resident.as_str()), "FORBIDDEN"),
        (Some(other_member.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let body = app.gql(token, &close_op, close_input.clone()).await;
        assert_request_error(&body, code);
    }
    assert_eq!(
        read_vote(&app, Some(&li.token), &v, "status").await["status"],
        "OPEN"
    );

    // The owner of the other compound votes in its own compound's vote.
    let theirs = id(&open_vote(&app, &app.admin_token, &f.compound, "PROPERTY_MANAGER").await);
    let b = cast(&app, &sun.token, &theirs, "DISAGREE").await;
    assert_eq!(b["voter"]["area"], "89.50");
    let body = app
        .gql(
            Some(&wang.token),
            &cast_op,
            json!({ "input": { "voteId": theirs, "choice": "AGREE" } }),
        )
        .await;
    assert_request_error(&body, "FORBIDDEN");
}

/// Runs `cast` against the shared app from a spawned task.
async fn cast_from_task(
    app: Arc<TestApp>,
    token: String,
    vote: String,
    choice: &'static str,
) -> (i64, &'static str) {
    let b = cast(&app, &token, &vote, choice).await;
    assert_eq!(b["choice"], choice);
    (row_of(b["id"].as_str().unwrap()), choice)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_owners_casting_at_the_same_moment_lose_and_double_nothing() {
    const OWNERS: usize = 36;
    const VOTING: usize = 34;
    let app = Arc::new(spawn_app().await);
    let f = fixture(&app).await;
    let e = estate(&app, &f, "并发小区").await;
    let member = committee_member(&app, &e.compound, "rush.member").await;
    let area_of = |i: usize| 5000 + 137 * i as i64;
    let mut dwellings = Vec::new();
    for i in 0..OWNERS {
        dwellings
            .push(dwelling(&app, &e, &format!("R{i:02}"), &area_text(area_of(i)), false).await);
    }
    // Set up one by one: concurrent account creation is not what is tested here.
    let mut owners = Vec::new();
    for (i, d) in dwellings.iter().enumerate() {
        owners.push(
            owner(
                &app,
                &f,
                &format!("业主{i:02}"),
                &format!("rush.o{i:02}"),
                &[d],
            )
            .await,
        );
    }
    let v = id(&open_vote(&app, &member, &e.compound, "OTHER_MAJOR_MATTER").await);

    const CHOICES: [&str; 3] = ["AGREE", "DISAGREE", "ABSTAIN"];
    let barrier = Arc::new(tokio::sync::Barrier::new(VOTING));
    let mut tasks = Vec::new();
    for (i, o) in owners.iter().enumerate().take(VOTING) {
        let (app, token, vote, barrier) =
            (app.clone(), o.token.clone(), v.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            if i % 5 == 2 {
                // Two ballots of one owner in flight at once: the later recorded stands.
                let (a, b) = tokio::join!(
                    cast_from_task(app.clone(), token.clone(), vote.clone(), "AGREE"),
                    cast_from_task(app.clone(), token.clone(), vote.clone(), "DISAGREE"),
                );
                vec![a, b]
            } else if i % 4 == 1 {
                // A change of mind: the second stands.
                let a =
                    cast_from_task(app.clone(), token.clone(), vote.clone(), CHOICES[i % 3]).await;
                let b = cast_from_task(app, token, vote, CHOICES[(i + 1) % 3]).await;
                vec![a, b]
            } else {
                vec![cast_from_task(app, token, vote, CHOICES[i % 3]).await]
            }
        }));
    }
    let mut cast_by: Vec<Vec<(i64, &str)>> = Vec::new();
    for t in tasks {
        cast_by.push(t.await.expect("a casting task"));
    }
    let total_ballots: usize = cast_by.iter().map(Vec::len).sum();

    // The standing ballot of each owner is the last recorded.
    let mut heads: HashMap<&str, i64> = HashMap::new();
    let mut areas: HashMap<&str, i64> = HashMap::new();
    let mut standing = Vec::new();
    for (i, ballots) in cast_by.iter().enumerate() {
        let (_, choice) = *ballots.iter().max_by_key(|(id, _)| *id).unwrap();
        *heads.entry(choice).or_default() += 1;
        *areas.entry(choice).or_default() += area_of(i);
        standing.push(choice);
    }
    let total_area: i64 = (0..OWNERS).map(area_of).sum();
    let voted_area: i64 = (0..VOTING).map(area_of).sum();
    let count = |c: &str| heads.get(c).copied().unwrap_or(0);
    let area = |c: &str| area_text(areas.get(c).copied().unwrap_or(0));
    let t = tally(&app, Some(&member), &v).await;
    assert_tally(
        &t,
        &json!({ "isFinal": false, "totalHeads": OWNERS, "totalArea": area_text(total_area),
            "participatingHeads": VOTING, "participatingArea": area_text(voted_area),
            "agreeHeads": count("AGREE"), "agreeArea": area("AGREE"),
            "disagreeHeads": count("DISAGREE"), "disagreeArea": area("DISAGREE"),
            "abstainHeads": count("ABSTAIN"), "abstainArea": area("ABSTAIN") }),
        "tally after the rush",
    );

    // Every ballot is on record once, and each change supersedes exactly the one before it.
    let ballots = ballots_of(&app, &member, &v).await;
    assert_eq!(ballots.len(), total_ballots);
    let recorded: HashSet<i64> = ballots
        .iter()
        .map(|b| row_of(b["id"].as_str().unwrap()))
        .collect();
    let returned: HashSet<i64> = cast_by.iter().flatten().map(|(id, _)| *id).collect();
    assert_eq!(recorded, returned);
    let (firsts, superseded) = firsts_and_superseded(&ballots);
    assert_eq!(firsts, VOTING, "one first ballot per owner");
    assert_eq!(superseded, total_ballots - VOTING);

    // Each owner sees their own standing ballot.
    let mine = join_all(owners.iter().take(VOTING).map(|o| {
        let app = &app;
        let v = &v;
        async move { read_vote(app, Some(&o.token), v, "myBallot { choice }").await }
    }))
    .await;
    for (i, m) in mine.iter().enumerate() {
        assert_eq!(m["myBallot"]["choice"], standing[i], "owner {i}");
    }

    // The chain holds the vote and every ballot.
    let c = chain(&app, &e.compound).await;
    assert_eq!(c["intact"], true, "{c:#}");
    assert_eq!(c["links"], 1 + total_ballots as i64, "{c:#}");
}

#[tokio::test]
async fn a_vote_past_its_closing_time_takes_no_ballots() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let e = estate(&app, &f, "限时小区").await;
    let member = committee_member(&app, &e.compound, "timed.member").await;
    let d1 = dwelling(&app, &e, "101", "100.00", false).await;
    let d2 = dwelling(&app, &e, "102", "100.00", false).await;
    let a = owner(&app, &f, "甲", "timed.jia", &[&d1]).await;
    let b = owner(&app, &f, "乙", "timed.yi", &[&d2]).await;
    let input = |closes_at: chrono::DateTime<chrono::Utc>| {
        json!({ "input": { "compoundId": e.compound, "matter": "OTHER_MAJOR_MATTER", "title": "限时表决",
                           "description": "限时", "closesAt": closes_at.to_rfc3339() } })
    };

    // A vote cannot close before it opens.
    let past = app.clock.now() - chrono::Duration::minutes(1);
    let data = app
        .ok(Some(&member), &op("openAssemblyVote", VOTE), input(past))
        .await;
    assert_eq!(data["openAssemblyVote"]["vote"], Value::Null);
    assert_error(
        &data["openAssemblyVote"],
        &["input", "closesAt"],
        "OUT_OF_RANGE",
    );

    let closes_at = app.clock.now() + chrono::Duration::hours(1);
    let data = app
        .ok(
            Some(&member),
            &op("openAssemblyVote", VOTE),
            input(closes_at),
        )
        .await;
    let v = id(&data["openAssemblyVote"]["vote"]);
    cast(&app, &a.token, &v, "AGREE").await;
    app.clock.advance(chrono::Duration::minutes(61)).unwrap();

    // Past its time the vote takes no ballot, though nobody closed it yet.
    let data = app
        .ok(
            Some(&b.token),
            &op("castBallot", BALLOT),
            json!({ "input": { "voteId": v, "choice": "AGREE" } }),
        )
        .await;
    assert_error(&data["castBallot"], &["input", "voteId"], "INVALID_STATE");
    let register = register_of(&app, &member, &v).await;
    let data = app
        .ok(
            Some(&member),
            &op("recordPaperBallot", BALLOT),
            json!({ "input": { "voteId": v, "voterId": id(&register[0]), "choice": "AGREE" } }),
        )
        .await;
    assert_error(
        &data["recordPaperBallot"],
        &["input", "voteId"],
        "INVALID_STATE",
    );

    // Closing counts the one ballot taken in time: 1 of 2 heads, no quorum.
    let closed = close(&app, &member, &v).await;
    assert_tally(
        &closed["result"],
        &json!({ "isFinal": true, "participatingHeads": 1, "participatingArea": "100.00",
                 "agreeHeads": 1, "quorumMet": false, "adopted": false }),
        "a timed vote",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ballots_racing_the_close_are_either_counted_or_refused() {
    const OWNERS: usize = 20;
    let app = Arc::new(spawn_app().await);
    let f = fixture(&app).await;
    let e = estate(&app, &f, "截止小区").await;
    let member = committee_member(&app, &e.compound, "race.member").await;
    let mut dwellings = Vec::new();
    for i in 0..OWNERS {
        dwellings.push(dwelling(&app, &e, &format!("C{i:02}"), "100.00", false).await);
    }
    let mut owners = Vec::new();
    for (i, d) in dwellings.iter().enumerate() {
        owners.push(
            owner(
                &app,
                &f,
                &format!("业主{i:02}"),
                &format!("race.o{i:02}"),
                &[d],
            )
            .await,
        );
    }
    let v = id(&open_vote(&app, &member, &e.compound, "OTHER_MAJOR_MATTER").await);

    let barrier = Arc::new(tokio::sync::Barrier::new(OWNERS + 1));
    let mut tasks = Vec::new();
    for o in &owners {
        let (app, token, v, barrier) = (app.clone(), o.token.clone(), v.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            app.gql(
                Some(&token),
                &op("castBallot", "ballot { id }"),
                json!({ "input": { "voteId": v, "choice": "AGREE" } }),
            )
            .await
        }));
    }
    let closer = {
        let (app, member, v, barrier) = (app.clone(), member.clone(), v.clone(), barrier.clone());
        tokio::spawn(async move {
            barrier.wait().await;
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            close(&app, &member, &v).await
        })
    };
    let mut taken = 0;
    for t in tasks {
        let body = t.await.expect("a casting task");
        assert!(body.get("errors").is_none(), "{body:#}");
        let payload = &body["data"]["castBallot"];
        if payload["ballot"].is_object() {
            taken += 1;
        } else {
            assert_error(payload, &["input", "voteId"], "INVALID_STATE");
        }
    }
    let closed = closer.await.expect("the closing task");
    // Every ballot taken is counted; none came after the close.
    assert_eq!(closed["result"]["participatingHeads"], taken, "{closed:#}");
    assert_eq!(closed["result"]["agreeHeads"], taken);
    assert_eq!(ballots_of(&app, &member, &v).await.len(), taken as usize);
    let c = chain(&app, &e.compound).await;
    assert_eq!(c["intact"], true, "{c:#}");
    // The vote, the ballots, the result and its publication.
    assert_eq!(c["links"], 1 + taken + 2, "{c:#}");
}

/// Ballots of one compound arriving together are written together; one
/// that must be refused (its vote is past its closing time) is refused on
/// its own, and the ballots beside it on the compound's other vote are all
/// stored and chained.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_ballot_refused_beside_others_stops_only_itself() {
    const OWNERS: usize = 12;
    let app = Arc::new(spawn_app().await);
    let f = fixture(&app).await;
    let (e, member, owners) = estate_of_owners(&app, &f, "同批小区", "group", OWNERS).await;
    let closes_at = app.clock.now() + chrono::Duration::hours(1);
    let data = app
        .ok(
            Some(&member),
            &op("openAssemblyVote", VOTE),
            json!({ "input": { "compoundId": e.compound, "matter": "OTHER_MAJOR_MATTER",
                               "title": "限时表决", "description": "限时", "closesAt": closes_at.to_rfc3339() } }),
        )
        .await;
    let timed = id(&data["openAssemblyVote"]["vote"]);
    app.clock.advance(chrono::Duration::minutes(61)).unwrap();
    let open = id(&open_vote(&app, &member, &e.compound, "OTHER_MAJOR_MATTER").await);

    let barrier = Arc::new(tokio::sync::Barrier::new(OWNERS));
    let mut tasks = Vec::new();
    for o in &owners {
        let (app, token, barrier) = (app.clone(), o.token.clone(), barrier.clone());
        let (timed, open) = (timed.clone(), open.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let ask = |vote: String| {
                let (app, token) = (app.clone(), token.clone());
                async move {
                    app.gql(
                        Some(&token),
                        &op("castBallot", "ballot { id choice }"),
                        json!({ "input": { "voteId": vote, "choice": "AGREE" } }),
                    )
                    .await
                }
            };
            tokio::join!(ask(timed), ask(open))
        }));
    }
    for t in tasks {
        let (late, taken) = t.await.expect("a casting task");
        assert!(late.get("errors").is_none(), "{late:#}");
        assert_error(
            &late["data"]["castBallot"],
            &["input", "voteId"],
            "INVALID_STATE",
        );
        assert!(taken.get("errors").is_none(), "{taken:#}");
        assert_eq!(
            taken["data"]["castBallot"]["ballot"]["choice"], "AGREE",
            "{taken:#}"
        );
    }
    let t = tally(&app, Some(&member), &open).await;
    assert_eq!(t["participatingHeads"], OWNERS, "{t:#}");
    assert_eq!(t["agreeHeads"], OWNERS, "{t:#}");
    assert!(ballots_of(&app, &member, &timed).await.is_empty());
    let c = chain(&app, &e.compound).await;
    assert_eq!(c["intact"], true, "{c:#}");
    // The two votes and the ballots of the open one.
    assert_eq!(c["links"], 2 + OWNERS as i64, "{c:#}");
}

/// Voters and ballots are nodes: `node(id:)` fetches them for those who run
/// the vote, and answers null to an owner, even for their own ballot, as
/// their connections on the vote do.
#[tokio::test]
async fn voters_and_ballots_resolve_by_id_for_those_who_run_the_vote() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let e = estate(&app, &f, "节点小区").await;
    let member = committee_member(&app, &e.compound, "node.member").await;
    let d = dwelling(&app, &e, "101", "100.00", false).await;
    let a = owner(&app, &f, "甲", "node.jia", &[&d]).await;
    let v = id(&open_vote(&app, &member, &e.compound, "PROCEDURAL_RULES").await);
    let ballot = id(&cast(&app, &a.token, &v, "AGREE").await);
    let voter = id(&register_of(&app, &member, &v).await[0]);
    let q = "query($b: ID!, $v: ID!) { b: node(id: $b) { __typename id ... on Ballot { choice } }
                                      v: node(id: $v) { __typename id ... on VoteVoter { area } } }";
    let vars = json!({ "b": ballot, "v": voter });

    let seen = app.ok(Some(&member), q, vars.clone()).await;
    assert_eq!(seen["b"]["__typename"], "Ballot");
    assert_eq!(seen["b"]["id"], ballot.as_str());
    assert_eq!(seen["b"]["choice"], "AGREE");
    assert_eq!(seen["v"]["__typename"], "VoteVoter");
    assert_eq!(seen["v"]["area"], "100.00");

    for token in [Some(a.token.as_str()), None] {
        let hidden = app.ok(token, q, vars.clone()).await;
        assert_eq!(hidden["b"], Value::Null, "{hidden:#}");
        assert_eq!(hidden["v"], Value::Null, "{hidden:#}");
    }
}
