//! The limits of a public WebSocket (src/http/ws.rs): the handshake's
//! deadline, duplicate ids, subscriptions per socket, sockets per address,
//! message size, the document guard, and tokens that expire or are revoked
//! while a socket is open.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::time::timeout;
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{PASSWORD, TestApp, fixture, spawn_app_with};
use crate::subscriptions::{Socket, socket_request};

const NOTICES: &str = "subscription($c: ID!) { compoundNotices(compoundId: $c) { id title } }";

/// Waits for the server to close the socket; returns the close code.
async fn closed_with(socket: &mut Socket) -> u16 {
    loop {
        let message = timeout(Duration::from_secs(10), socket.ws.next())
            .await
            .expect("a close within 10 s");
        match message {
            Some(Ok(Message::Close(Some(frame)))) => return frame.code.into(),
            Some(Ok(Message::Close(None))) | None => return 1005,
            Some(Ok(_)) => continue,
            Some(Err(e)) => panic!("the socket failed instead of closing: {e}"),
        }
    }
}

async fn notices(socket: &mut Socket, id: &str, compound: &str) {
    socket
        .subscribe(id, NOTICES, json!({ "c": compound }))
        .await;
}

#[tokio::test]
async fn a_socket_without_connection_init_is_closed_with_4408() {
    let app = spawn_app_with(|c| c.limits.ws_init_timeout = Duration::from_secs(1)).await;
    let (ws, _) = connect_async(socket_request(&app, "graphql-transport-ws"))
        .await
        .expect("handshake");
    let mut socket = Socket {
        ws,
        held: Vec::new(),
    };
    assert_eq!(closed_with(&mut socket).await, 4408);
}

#[tokio::test]
async fn a_duplicate_subscription_id_closes_the_socket_with_4409() {
    let app = spawn_app_with(|_| {}).await;
    let f = fixture(&app).await;
    let mut socket = Socket::open(&app, Some(&app.admin_token)).await;
    notices(&mut socket, "p", &f.compound).await;
    notices(&mut socket, "p", &f.compound).await;
    assert_eq!(closed_with(&mut socket).await, 4409);
}

#[tokio::test]
async fn a_socket_holds_a_bounded_number_of_subscriptions() {
    let app = spawn_app_with(|c| c.limits.ws_max_subscriptions = 2).await;
    let f = fixture(&app).await;
    let mut socket = Socket::open(&app, Some(&app.admin_token)).await;
    notices(&mut socket, "a", &f.compound).await;
    notices(&mut socket, "b", &f.compound).await;
    notices(&mut socket, "c", &f.compound).await;
    let refused = socket.message("c").await;
    assert_eq!(refused["type"], "error", "{refused:#}");
    assert_eq!(
        refused["payload"][0]["extensions"]["code"],
        "LIMIT_EXCEEDED"
    );
    // Completing one frees its place; the socket stayed open.
    socket.send(json!({ "id": "a", "type": "complete" })).await;
    notices(&mut socket, "d", &f.compound).await;
    app.seat_bodies(&f.compound).await;
    let published = publish(&app, &f.compound).await;
    for id in ["b", "d"] {
        let p = socket.next(id).await;
        assert_eq!(p["compoundNotices"]["title"], published, "{p:#}");
    }
}

/// Publishes a notice in `compound` as the admin; returns its title.
async fn publish(app: &TestApp, compound: &str) -> Value {
    let title = json!("停水通知");
    let notice = app
        .mutate(
            &app.admin_token,
            "publishNotice",
            "mutation($input: PublishNoticeInput!) { publishNotice(input: $input) { notice { id } userErrors { field message code } } }",
            json!({ "compoundId": compound, "title": title, "body": "明日停水", "publisher": "PROPERTY_COMPANY" }),
        )
        .await;
    assert!(notice["notice"]["id"].is_string());
    title
}

#[tokio::test]
async fn a_client_address_holds_a_bounded_number_of_sockets() {
    let app = spawn_app_with(|c| c.limits.ws_max_sockets_per_address = 2).await;
    let first = Socket::open(&app, None).await;
    let second = Socket::open(&app, None).await;
    let third = connect_async(socket_request(&app, "graphql-transport-ws")).await;
    match third {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
            assert_eq!(resp.status(), 429);
            assert!(resp.headers().contains_key("retry-after"));
        }
        other => panic!("a third socket was not refused: {:?}", other.map(|_| ())),
    }
    // A socket closed gives its place back.
    first.finish(&[]).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let again = Socket::open(&app, None).await;
    again.finish(&[]).await;
    second.finish(&[]).await;
}

#[tokio::test]
async fn a_message_over_the_size_limit_closes_the_socket() {
    let app = spawn_app_with(|c| c.limits.ws_max_message_bytes = 4096).await;
    let mut socket = Socket::open(&app, None).await;
    let big = json!({ "id": "x", "type": "subscribe",
                      "payload": { "query": format!("subscription {{ __typename }} # {}", "x".repeat(8_000)) } });
    let _ = socket.ws.send(Message::text(big.to_string())).await;
    assert_eq!(closed_with(&mut socket).await, 1009);
}

#[tokio::test]
async fn a_subscription_document_passes_the_same_guard() {
    let app = spawn_app_with(|_| {}).await;
    let mut socket = Socket::open(&app, None).await;
    let mut bomb =
        String::from("subscription { ...F0 } fragment F0 on Subscription { ...F1 ...F1 }\n");
    for i in 1..30 {
        bomb.push_str(&format!(
            "fragment F{i} on Subscription {{ ...F{} ...F{} }}\n",
            i + 1,
            i + 1
        ));
    }
    bomb.push_str("fragment F30 on Subscription { __typename }");
    socket
        .send(json!({ "id": "b", "type": "subscribe", "payload": { "query": bomb } }))
        .await;
    let refused = socket.message("b").await;
    assert_eq!(refused["type"], "error", "{refused:#}");
    assert_eq!(
        refused["payload"][0]["extensions"]["code"],
        "LIMIT_EXCEEDED"
    );
    let nul = json!({ "id": "n", "type": "subscribe",
                      "payload": { "query": NOTICES, "variables": { "c": "\u{0000}" } } });
    socket.send(nul).await;
    let refused = socket.message("n").await;
    assert_eq!(
        refused["payload"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn a_revoked_token_ends_the_socket_with_4403() {
    let app = spawn_app_with(|c| c.limits.ws_recheck = Duration::from_secs(1)).await;
    let f = fixture(&app).await;
    let token = app.login("admin", PASSWORD).await;
    let mut socket = Socket::open(&app, Some(&token)).await;
    notices(&mut socket, "p", &f.compound).await;
    let data = app
        .ok(Some(&token), "mutation { logout { revoked } }", json!({}))
        .await;
    assert_eq!(data["logout"]["revoked"], true);
    assert_eq!(closed_with(&mut socket).await, 4403);
}

#[tokio::test]
async fn an_expired_token_ends_the_socket_with_4403() {
    let app = spawn_app_with(|c| c.limits.ws_recheck = Duration::from_secs(1)).await;
    let f = fixture(&app).await;
    let token = app.login("admin", PASSWORD).await;
    let mut socket = Socket::open(&app, Some(&token)).await;
    notices(&mut socket, "p", &f.compound).await;
    app.clock
        .advance(chrono::Duration::from_std(app.config.token_ttl + Duration::from_secs(1)).unwrap())
        .unwrap();
    assert_eq!(closed_with(&mut socket).await, 4403);
}
