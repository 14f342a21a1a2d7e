//! Live updates over the GraphQL-over-WebSocket protocol (graphql-ws,
//! subprotocol `graphql-transport-ws`) on `GET /graphql`: a vote's tally as
//! ballots arrive, and a compound's new publications. Every wait on the
//! socket has a timeout, so a missing message fails the test instead of
//! hanging it.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use crate::assembly::{
    TALLY, cast, close, committee_member, dwelling, estate, open_vote, owner, paper, read_vote,
    register_of, tally,
};
use crate::helpers::{TestApp, fixture, spawn_app};
use crate::register::id;

/// The longest any one wait on the socket may take.
const WAIT: Duration = Duration::from_secs(10);

/// A GraphQL-over-WebSocket client connection.
pub(crate) struct Socket {
    pub(crate) ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Messages of other operations, kept until asked for.
    pub(crate) held: Vec<Value>,
}

pub(crate) fn socket_request(
    app: &TestApp,
    protocol: &'static str,
) -> tungstenite::handshake::client::Request {
    socket_request_to(&app.graphql_url(), protocol)
}

fn socket_request_to(
    graphql_url: &str,
    protocol: &'static str,
) -> tungstenite::handshake::client::Request {
    let url = graphql_url.replacen("http://", "ws://", 1);
    let mut req = url.into_client_request().expect("a websocket request");
    req.headers_mut()
        .insert("Sec-WebSocket-Protocol", HeaderValue::from_static(protocol));
    req
}

impl Socket {
    /// Connects, sends `connection_init` with `token` and expects `connection_ack`.
    pub(crate) async fn open(app: &TestApp, token: Option<&str>) -> Self {
        Self::open_at(&app.graphql_url(), token).await
    }

    /// Like `open`, against the GraphQL endpoint at `graphql_url`.
    pub(crate) async fn open_at(graphql_url: &str, token: Option<&str>) -> Self {
        let (ws, resp) = timeout(
            WAIT,
            connect_async(socket_request_to(graphql_url, "graphql-transport-ws")),
        )
        .await
        .expect("the handshake within 10 s")
        .expect("a websocket handshake");
        assert_eq!(
            resp.headers()
                .get("sec-websocket-protocol")
                .map(|v| v.to_str().unwrap()),
            Some("graphql-transport-ws")
        );
        let mut socket = Socket {
            ws,
            held: Vec::new(),
        };
        let payload = match token {
            Some(t) => json!({ "Authorization": format!("Bearer {t}") }),
            None => json!({}),
        };
        socket
            .send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        let ack = socket.recv().await;
        assert_eq!(ack["type"], "connection_ack", "{ack:#}");
        socket
    }

    pub(crate) async fn send(&mut self, message: Value) {
        timeout(WAIT, self.ws.send(Message::text(message.to_string())))
            .await
            .expect("a send within 10 s")
            .expect("send on the socket");
    }

    /// The next protocol message; protocol pings are answered on the way.
    pub(crate) async fn recv(&mut self) -> Value {
        loop {
            let message = timeout(WAIT, self.ws.next())
                .await
                .expect("a message within 10 s")
                .expect("the socket is open")
                .expect("a websocket message");
            match message {
                Message::Text(text) => {
                    let v: Value = serde_json::from_str(text.as_str()).expect("a JSON message");
                    if v["type"] == "ping" {
                        self.send(json!({ "type": "pong" })).await;
                        continue;
                    }
                    return v;
                }
                Message::Close(frame) => panic!("the server closed the socket: {frame:?}"),
                _ => continue,
            }
        }
    }

    pub(crate) async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "id": id, "type": "subscribe",
                          "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// The next message of operation `id`; those of other operations are held.
    pub(crate) async fn message(&mut self, id: &str) -> Value {
        if let Some(pos) = self.held.iter().position(|m| m["id"] == id) {
            return self.held.remove(pos);
        }
        loop {
            let m = self.recv().await;
            if m["id"] == id {
                return m;
            }
            self.held.push(m);
        }
    }

    /// The data of the next result of operation `id`.
    pub(crate) async fn next(&mut self, id: &str) -> Value {
        let m = self.message(id).await;
        assert_eq!(m["type"], "next", "operation {id}: {m:#}");
        assert!(
            m["payload"]["errors"].is_null(),
            "operation {id} failed: {m:#}"
        );
        m["payload"]["data"].clone()
    }

    /// Sends `complete` for operation `id` and closes the connection.
    pub(crate) async fn finish(mut self, ids: &[&str]) {
        for id in ids {
            self.send(json!({ "id": id, "type": "complete" })).await;
        }
        let _ = timeout(WAIT, self.ws.close(None)).await;
    }
}

fn tally_subscription() -> String {
    format!("subscription($v: ID!) {{ voteTally(voteId: $v) {{ {TALLY} }} }}")
}

#[tokio::test]
async fn a_vote_tally_arrives_at_once_and_after_every_ballot() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let e = estate(&app, &f, "直播小区").await;
    let member = committee_member(&app, &e.compound, "live.member").await;
    let mut owners = Vec::new();
    for i in 0..3 {
        let d = dwelling(&app, &e, &format!("10{i}"), "100.00", false).await;
        owners.push(owner(&app, &f, &format!("业主{i}"), &format!("live.o{i}"), &[&d]).await);
    }
    let v = id(&open_vote(&app, &member, &e.compound, "COMMITTEE_ELECTION").await);
    let other = id(&open_vote(&app, &member, &e.compound, "PROCEDURAL_RULES").await);
    let register = register_of(&app, &member, &v).await;
    let third = id(register
        .iter()
        .find(|r| r["owners"][0]["name"] == "业主2")
        .unwrap());

    // A resident follows the vote.
    let mut socket = Socket::open(&app, Some(&owners[1].token)).await;
    socket
        .subscribe("tally", &tally_subscription(), json!({ "v": v }))
        .await;

    // The first message is the current tally.
    let t = socket.next("tally").await["voteTally"].clone();
    assert_eq!(t["isFinal"], false);
    assert_eq!(t["totalHeads"], 3);
    assert_eq!(t["totalArea"], "300.00");
    assert_eq!(t["participatingHeads"], 0);
    assert_eq!(t, tally(&app, Some(&owners[2].token), &v).await);

    // A ballot, a change of mind, a paper ballot: a new tally after each.
    cast(&app, &owners[0].token, &v, "AGREE").await;
    let t = socket.next("tally").await["voteTally"].clone();
    assert_eq!(t["participatingHeads"], 1);
    assert_eq!(t["agreeHeads"], 1);
    assert_eq!(t["agreeArea"], "100.00");
    assert_eq!(t, tally(&app, Some(&owners[2].token), &v).await);

    cast(&app, &owners[0].token, &v, "DISAGREE").await;
    let t = socket.next("tally").await["voteTally"].clone();
    assert_eq!(t["participatingHeads"], 1);
    assert_eq!(t["agreeHeads"], 0);
    assert_eq!(t["disagreeHeads"], 1);
    assert_eq!(t["disagreeArea"], "100.00");

    paper(&app, &member, &v, &third, "ABSTAIN").await;
    let t = socket.next("tally").await["voteTally"].clone();
    assert_eq!(t["participatingHeads"], 2);
    assert_eq!(t["abstainHeads"], 1);
    assert_eq!(t["quorumMet"], true);

    // A ballot in another vote is not this vote's news: the next message
    // is the one after this vote's next ballot.
    cast(&app, &owners[1].token, &other, "DISAGREE").await;
    cast(&app, &owners[1].token, &v, "AGREE").await;
    let t = socket.next("tally").await["voteTally"].clone();
    assert_eq!(t["participatingHeads"], 3, "{t:#}");
    assert_eq!(t["agreeHeads"], 1);
    assert_eq!(t["disagreeHeads"], 1);
    assert_eq!(t["abstainHeads"], 1);
    assert_eq!(t["isFinal"], false);

    // Closing sends the final result.
    let closed = close(&app, &member, &v).await;
    let t = socket.next("tally").await["voteTally"].clone();
    assert_eq!(t["isFinal"], true);
    assert_eq!(t, closed["result"]);
    // 100.00 of 300.00 m² agree: not more than half.
    assert_eq!(t["adopted"], false);
    assert!(socket.held.is_empty(), "{:#?}", socket.held);
    socket.finish(&["tally"]).await;
}

#[tokio::test]
async fn a_compound_sees_its_vote_result_published_when_the_vote_closes() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let e = estate(&app, &f, "公示小区").await;
    let member = committee_member(&app, &e.compound, "pub.member").await;
    let d1 = dwelling(&app, &e, "101", "120.00", false).await;
    let d2 = dwelling(&app, &e, "102", "80.00", false).await;
    let a = owner(&app, &f, "甲", "pub.jia", &[&d1]).await;
    let b = owner(&app, &f, "乙", "pub.yi", &[&d2]).await;
    let v = id(&open_vote(&app, &member, &e.compound, "MAINTENANCE_FUND_RAISING").await);
    // A vote of another compound, closed while we listen.
    let elsewhere = id(&open_vote(&app, &app.admin_token, &f.compound, "OTHER_MAJOR_MATTER").await);

    let mut socket = Socket::open(&app, Some(&a.token)).await;
    socket
        .subscribe(
            "pubs",
            "subscription($c: ID!) { compoundPublications(compoundId: $c) {
                id kind title body compound { id } vote { id status result { isFinal adopted agreeHeads } } } }",
            json!({ "c": e.compound }),
        )
        .await;
    socket
        .subscribe("tally", &tally_subscription(), json!({ "v": v }))
        .await;
    assert_eq!(
        socket.next("tally").await["voteTally"]["participatingHeads"],
        0
    );
    // A query over the same connection reads the vote before it closes.
    socket
        .subscribe(
            "read",
            "query($id: ID!) { node(id: $id) { ... on AssemblyVote { status } } }",
            json!({ "id": v }),
        )
        .await;
    assert_eq!(socket.next("read").await["node"]["status"], "OPEN");
    assert_eq!(socket.message("read").await["type"], "complete");

    cast(&app, &a.token, &v, "AGREE").await;
    assert_eq!(socket.next("tally").await["voteTally"]["agreeHeads"], 1);
    cast(&app, &b.token, &v, "AGREE").await;
    assert_eq!(socket.next("tally").await["voteTally"]["agreeHeads"], 2);

    // The other compound's result is not ours; ours arrives when our vote closes.
    close(&app, &app.admin_token, &elsewhere).await;
    close(&app, &member, &v).await;
    let p = socket.next("pubs").await["compoundPublications"].clone();
    assert_eq!(p["kind"], "VOTE_RESULT", "{p:#}");
    assert_eq!(p["compound"]["id"], e.compound.as_str());
    assert_eq!(p["vote"]["id"], v.as_str());
    assert_eq!(p["vote"]["status"], "CLOSED");
    assert_eq!(p["vote"]["result"]["isFinal"], true);
    assert_eq!(p["vote"]["result"]["adopted"], true);
    assert_eq!(p["vote"]["result"]["agreeHeads"], 2);
    assert!(p["body"].as_str().unwrap().contains("结果：通过"), "{p:#}");
    let t = socket.next("tally").await["voteTally"].clone();
    assert_eq!(t["isFinal"], true);
    assert_eq!(t["adopted"], true);

    // It is the publication the compound lists.
    let listed = read_vote(
        &app,
        Some(&b.token),
        &v,
        "compound { publications(first: 5) { edges { node { id kind } } } }",
    )
    .await["compound"]["publications"]["edges"]
        .clone();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed:#}");
    assert_eq!(listed[0]["node"]["id"], p["id"]);
    assert!(socket.held.is_empty(), "{:#?}", socket.held);
    socket.finish(&["pubs", "tally"]).await;
}

#[tokio::test]
async fn the_socket_speaks_graphql_transport_ws_with_the_token_of_connection_init() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let member = committee_member(&app, &f.compound, "ws.member").await;

    // The caller is the account whose token came in connection_init.
    let mut socket = Socket::open(&app, Some(&member)).await;
    socket
        .subscribe("me", "query { me { account { username } } }", json!({}))
        .await;
    assert_eq!(
        socket.next("me").await["me"]["account"]["username"],
        "ws.member"
    );
    assert_eq!(socket.message("me").await["type"], "complete");
    // Protocol pings are answered.
    socket.send(json!({ "type": "ping" })).await;
    assert_eq!(socket.recv().await["type"], "pong");
    socket.finish(&[]).await;

    // Without a token the connection is anonymous.
    let mut socket = Socket::open(&app, None).await;
    socket
        .subscribe("me", "query { me { account { username } } }", json!({}))
        .await;
    assert_eq!(socket.next("me").await["me"], Value::Null);
    socket.finish(&[]).await;

    // Another subprotocol is refused at the handshake.
    let refused = timeout(WAIT, connect_async(socket_request(&app, "mqtt")))
        .await
        .expect("an answer within 10 s");
    match refused {
        Err(tungstenite::Error::Http(resp)) => assert_eq!(resp.status(), 400),
        other => panic!("expected the handshake to be refused, got {other:?}"),
    }
}

/// Several stateless instances serve one PostgreSQL: a subscriber on one
/// instance hears of a ballot cast through another (LISTEN/NOTIFY). On
/// SQLite, which one process serves, there is nothing to share.
#[tokio::test]
async fn a_ballot_cast_through_one_instance_reaches_a_subscriber_on_another() {
    if std::env::var("TEST_DATABASE_URL").map_or(true, |v| v.is_empty()) {
        return;
    }
    let app = spawn_app().await;
    let other_instance = format!("{}/graphql", app.second_instance().await);
    let f = fixture(&app).await;
    let e = estate(&app, &f, "双实例小区").await;
    let member = committee_member(&app, &e.compound, "twin.member").await;
    let d = dwelling(&app, &e, "101", "100.00", false).await;
    let voter = owner(&app, &f, "业主甲", "twin.owner", &[&d]).await;
    let v = id(&open_vote(&app, &member, &e.compound, "COMMITTEE_ELECTION").await);

    let mut socket = Socket::open_at(&other_instance, Some(&voter.token)).await;
    socket
        .subscribe("tally", &tally_subscription(), json!({ "v": v }))
        .await;
    assert_eq!(
        socket.next("tally").await["voteTally"]["participatingHeads"],
        0
    );

    cast(&app, &voter.token, &v, "AGREE").await;
    let t = socket.next("tally").await["voteTally"].clone();
    assert_eq!(t["participatingHeads"], 1, "{t:#}");
    assert_eq!(t["agreeHeads"], 1);
    socket.finish(&["tally"]).await;
}

/// Who voted how is private: the ballot stream serves those who run the vote
/// and refuses an owner, whose own ballot still appears on it.
#[tokio::test]
async fn the_ballot_stream_is_for_those_who_run_the_vote() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let e = estate(&app, &f, "唱票小区").await;
    let member = committee_member(&app, &e.compound, "ballots.member").await;
    let d1 = dwelling(&app, &e, "101", "100.00", false).await;
    let d2 = dwelling(&app, &e, "102", "100.00", false).await;
    let a = owner(&app, &f, "甲", "ballots.jia", &[&d1]).await;
    let b = owner(&app, &f, "乙", "ballots.yi", &[&d2]).await;
    let v = id(&open_vote(&app, &member, &e.compound, "PROCEDURAL_RULES").await);
    let query = "subscription($v: ID!) { voteBallots(voteId: $v) { choice paper } }";

    // An owner on the register may not watch the ballots.
    let mut refused = Socket::open(&app, Some(&a.token)).await;
    refused.subscribe("b", query, json!({ "v": v })).await;
    let m = refused.message("b").await;
    assert_eq!(m["payload"]["data"], Value::Null, "{m:#}");
    assert_eq!(
        m["payload"]["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{m:#}"
    );
    refused.finish(&[]).await;

    // The committee watches each ballot as it is cast or changed.
    let mut socket = Socket::open(&app, Some(&member)).await;
    socket.subscribe("b", query, json!({ "v": v })).await;
    // The subscription is live once a tally subscription on the same socket answers.
    socket
        .subscribe("t", &tally_subscription(), json!({ "v": v }))
        .await;
    socket.next("t").await;
    cast(&app, &a.token, &v, "AGREE").await;
    let first = socket.next("b").await["voteBallots"].clone();
    assert_eq!(first, json!({ "choice": "AGREE", "paper": false }));
    cast(&app, &b.token, &v, "DISAGREE").await;
    let second = socket.next("b").await["voteBallots"].clone();
    assert_eq!(second["choice"], "DISAGREE");
    socket.finish(&["b", "t"]).await;
}

#[tokio::test]
async fn a_compound_hears_its_new_notices_and_a_project_its_every_move() {
    let app = spawn_app().await;
    let s = crate::projects::stage(&app).await;
    let project = crate::projects::propose(&app, &s, "儿童游乐设施", 90_000).await;
    let other = crate::projects::another_compound(&app, &s.f, "隔壁小区").await;

    // A resident follows the compound's notices and the project, anonymously.
    let mut socket = Socket::open(&app, None).await;
    socket
        .subscribe(
            "notices",
            "subscription($c: ID!) { compoundNotices(compoundId: $c) { title publisher } }",
            json!({ "c": s.f.compound }),
        )
        .await;
    socket
        .subscribe(
            "project",
            "subscription($p: ID!) { projectChanges(projectId: $p) { status budgetFen } }",
            json!({ "p": project }),
        )
        .await;
    let now = socket.next("project").await["projectChanges"].clone();
    assert_eq!(now, json!({ "status": "SOLICITATION", "budgetFen": null }));

    app.seat_bodies(&other).await;
    app.seat_bodies(&s.f.compound).await;
    let publish = |compound: &str, title: &str| json!({ "compoundId": compound, "publisher": "PARTY_BRANCH", "title": title, "body": "周知" });
    crate::projects::run(
        &app,
        &app.admin_token,
        "publishNotice",
        "notice { id }",
        publish(&other, "别处的公告"),
    )
    .await;
    crate::projects::run(
        &app,
        &s.secretary,
        "publishNotice",
        "notice { id }",
        publish(&s.f.compound, "游乐设施征求意见"),
    )
    .await;
    let heard = socket.next("notices").await["compoundNotices"].clone();
    assert_eq!(
        heard,
        json!({ "title": "游乐设施征求意见", "publisher": "PARTY_BRANCH" })
    );

    crate::projects::approve(&app, &s, &project, 80_000).await;
    let moved = socket.next("project").await["projectChanges"].clone();
    assert_eq!(moved["status"], "DELIBERATION");
    let decided = socket.next("project").await["projectChanges"].clone();
    assert_eq!(
        decided,
        json!({ "status": "APPROVED", "budgetFen": 80_000 })
    );
    socket.finish(&["notices", "project"]).await;
}

#[tokio::test]
async fn a_grid_worker_hears_the_new_events_of_their_grid() {
    let app = spawn_app().await;
    let s = crate::projects::stage(&app).await;
    let project = crate::projects::propose(&app, &s, "楼道灯更换", 20_000).await;
    let worker = app
        .user_with_role("live.worker", "GRID_WORKER", Some(&s.f.grid))
        .await;
    let category = crate::projects::run(
        &app,
        &app.admin_token,
        "createEventCategory",
        "category { id }",
        json!({ "districtId": s.f.district, "name": "设施损坏" }),
    )
    .await["category"]["id"]
        .clone();
    let query = "subscription($g: ID!) { newGridEvents(gridId: $g) { description status } }";

    // A resident may not follow a grid's events.
    let mut refused = Socket::open(&app, Some(&s.proposer)).await;
    refused
        .subscribe("g", query, json!({ "g": s.f.grid }))
        .await;
    let m = refused.message("g").await;
    assert_eq!(
        m["payload"]["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{m:#}"
    );
    refused.finish(&[]).await;

    let mut socket = Socket::open(&app, Some(&worker)).await;
    socket.subscribe("g", query, json!({ "g": s.f.grid })).await;
    // The subscription is live once a project subscription on the same socket answers.
    socket
        .subscribe(
            "p",
            "subscription($p: ID!) { projectChanges(projectId: $p) { status } }",
            json!({ "p": project }),
        )
        .await;
    socket.next("p").await;
    crate::projects::run(
        &app,
        &worker,
        "reportGridEvent",
        "event { id }",
        json!({ "gridId": s.f.grid, "categoryId": category, "buildingId": s.f.building,
                "description": "三楼楼道灯不亮" }),
    )
    .await;
    let heard = socket.next("g").await["newGridEvents"].clone();
    assert_eq!(
        heard,
        json!({ "description": "三楼楼道灯不亮", "status": "REPORTED" })
    );
    socket.finish(&["g", "p"]).await;
}

#[tokio::test]
async fn anyone_follows_a_campaign_through_its_phases_to_its_results() {
    use crate::campaigns::{advance, assign, campaign, enter, evaluator, rubric, score};
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let r = rubric(&app).await;
    let c = campaign(
        &app,
        &app.admin_token,
        json!({ "name": "直播评选", "kind": "DEMONSTRATION_COMPOUND", "level": "COUNTY", "year": 2026,
                "districtId": f.district, "rubricVersionId": r.version, "quota": 1 }),
    )
    .await;
    let entry = enter(&app, &app.admin_token, &c, &f.compound).await;
    let e = evaluator(&app, &f, "live.expert").await;
    assign(&app, &entry, &e).await;

    // Anonymous: campaigns and their published results are public.
    let mut socket = Socket::open(&app, None).await;
    socket
        .subscribe(
            "c",
            "subscription($c: ID!) { campaignChanges(campaignId: $c) { phase rankingFrozen } }",
            json!({ "c": c }),
        )
        .await;
    let now = socket.next("c").await["campaignChanges"].clone();
    assert_eq!(
        now,
        json!({ "phase": "APPLICATION", "rankingFrozen": false })
    );
    advance(&app, &c, 2).await;
    for phase in ["BUILDING", "EVALUATION"] {
        assert_eq!(socket.next("c").await["campaignChanges"]["phase"], phase);
    }
    // Scoring moves no phase: nothing is sent until selection.
    score(&app, &r, &e, &entry, 88).await;
    advance(&app, &c, 2).await;
    let selection = socket.next("c").await["campaignChanges"].clone();
    assert_eq!(
        selection,
        json!({ "phase": "SELECTION", "rankingFrozen": true })
    );
    let published = socket.next("c").await["campaignChanges"].clone();
    assert_eq!(published["phase"], "PUBLISHED");
    socket.finish(&["c"]).await;
}
