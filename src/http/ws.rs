//! GraphQL over WebSocket (graphql-ws, and the older
//! subscriptions-transport-ws), with the limits a public socket needs.
//!
//! async-graphql's `WebSocket` speaks the protocol; this driver stands
//! between it and the socket and holds every message to the rules below
//! before the protocol sees it:
//!
//! - `connection_init` must arrive within `WS_INIT_TIMEOUT_SECS`, or the
//!   socket closes with 4408 (graphql-ws's code);
//! - a `subscribe` whose id is already in use closes the socket with 4409;
//! - a socket holds at most `WS_MAX_SUBSCRIPTIONS` at once: one more is
//!   answered with an `error` for its id, and the socket stays open;
//! - each subscription's document passes the same guard as an HTTP request
//!   (`graphql::guard`), or is answered with an `error`;
//! - a message over `WS_MAX_MESSAGE_BYTES` closes the socket with 1009;
//! - the token is checked again when it expires and every
//!   `WS_RECHECK_SECS`: once it has expired, been revoked or its account's
//!   grants have changed, the socket closes with 4403, ending every
//!   subscription on it, and the client reconnects with what it holds now;
//! - on shutdown the socket closes with 1001 (going away).
//!
//! A client address holds at most `WS_MAX_SOCKETS_PER_ADDRESS` sockets;
//! the upgrade past that is refused with 429 (`upgrade_slot`).

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::http::{ClientMessage, WebSocket, WebSocketProtocols, WsMessage};
use axum::extract::ws::{CloseFrame, Message, WebSocket as Socket};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;

use crate::domain::access::Caller;
use crate::domain::accounts;
use crate::graphql::guard::Refusal;
use crate::graphql::loaders::loaders;

use super::{AppState, check_document, drain, scan_request};

/// The sockets each client address holds open.
#[derive(Clone, Default)]
pub struct SocketSlots(Arc<Mutex<HashMap<IpAddr, usize>>>);

/// One address's hold on a socket, given back when dropped.
pub struct Slot {
    slots: SocketSlots,
    address: IpAddr,
}

impl SocketSlots {
    /// Takes a slot for `address`, or `None` when it holds `max` already.
    pub fn take(&self, address: IpAddr, max: usize) -> Option<Slot> {
        let mut held = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = held.entry(address).or_default();
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot {
            slots: self.clone(),
            address,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut held = self.slots.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = held.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                held.remove(&self.address);
            }
        }
    }
}

/// The ids of a socket's subscriptions, counted in the process's gauge
/// (`monitoring::SUBSCRIPTIONS`) while they are active.
#[derive(Default)]
struct Active(HashSet<String>);

impl Active {
    fn contains(&self, id: &str) -> bool {
        self.0.contains(id)
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn insert(&mut self, id: String) {
        if self.0.insert(id) {
            crate::monitoring::SUBSCRIPTIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    fn remove(&mut self, id: &str) {
        if self.0.remove(id) {
            crate::monitoring::SUBSCRIPTIONS.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        crate::monitoring::SUBSCRIPTIONS
            .fetch_sub(self.0.len() as i64, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Who the socket's `connection_init` authenticated, kept to check again.
#[derive(Default)]
struct Session {
    token: Option<String>,
    caller: Caller,
}

/// Why the driver closes a socket.
fn close(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

/// A protocol `error` message for subscription `id`.
fn error_for(protocol: WebSocketProtocols, id: &str, message: &str, code: &str) -> Message {
    let payload = serde_json::json!([{ "message": message, "extensions": { "code": code } }]);
    let body = match protocol {
        WebSocketProtocols::GraphQLWS => {
            serde_json::json!({ "type": "error", "id": id, "payload": payload })
        }
        WebSocketProtocols::SubscriptionsTransportWS => {
            serde_json::json!({ "type": "error", "id": id, "payload": payload[0] })
        }
    };
    Message::Text(body.to_string().into())
}

/// The type and id of a server message, to see subscriptions end.
#[derive(serde::Deserialize)]
struct Head<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
    #[serde(borrow)]
    id: Option<&'a str>,
}

/// Serves one upgraded socket until either side closes it.
pub async fn serve(
    state: AppState,
    socket: Socket,
    protocol: WebSocketProtocols,
    header_token: Option<String>,
    address: super::ClientAddress,
    _slot: Slot,
) {
    let limits = state.limits.clone();
    let document_limits = state.document_limits();
    let (mut sink, mut incoming) = socket.split();
    let (to_protocol, from_driver) = mpsc::channel::<serde_json::Result<ClientMessage>>(16);
    let session = Arc::new(Mutex::new(Session::default()));
    let init_session = session.clone();
    let (db, clock) = (state.db.clone(), state.clock.clone());
    let mut protocol_stream = WebSocket::from_message_stream(
        state.schema.clone(),
        tokio_stream_of(from_driver),
        protocol,
    )
    .on_connection_init(move |payload| async move {
        let from_payload = ["Authorization", "authorization", "token"]
            .iter()
            .find_map(|k| payload.get(*k).and_then(|v| v.as_str()))
            .map(|v| v.strip_prefix("Bearer ").unwrap_or(v).trim().to_owned());
        let token = from_payload.or(header_token);
        let caller = accounts::authenticate(&db, &clock, token.as_deref()).await?;
        *init_session.lock().unwrap_or_else(|e| e.into_inner()) = Session {
            token,
            caller: caller.clone(),
        };
        let mut data = async_graphql::Data::default();
        data.insert(caller);
        data.insert(address);
        data.insert(loaders(db, clock));
        Ok(data)
    });

    let _open = drain::OpenSocket::count();
    let mut shutting_down = drain::watch();
    let init_deadline = tokio::time::sleep(limits.ws_init_timeout);
    tokio::pin!(init_deadline);
    let mut initialised = false;
    let mut active = Active::default();
    let mut recheck = tokio::time::interval(limits.ws_recheck);
    recheck.tick().await;
    // Set when the connection is acknowledged: the token's expiry.
    let expiry = tokio::time::sleep(Duration::from_secs(u32::MAX as u64));
    tokio::pin!(expiry);

    let farewell = loop {
        tokio::select! {
            message = incoming.next() => {
                let text = match message {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Binary(_))) => {
                        break Some(close(4400, "send text messages"));
                    }
                    Some(Ok(Message::Close(_))) | None => break None,
                    Some(Ok(_)) => continue,
                    // Over the size limit (or a broken frame): tungstenite
                    // refuses it before it is buffered whole.
                    Some(Err(_)) => break Some(close(1009, "message too big")),
                };
                let parsed: serde_json::Result<ClientMessage> = serde_json::from_str(&text);
                let forward = match parsed {
                    Ok(ClientMessage::ConnectionInit { payload }) => {
                        initialised = true;
                        Ok(ClientMessage::ConnectionInit { payload })
                    }
                    Ok(ClientMessage::Start { id, mut payload }) => {
                        if active.contains(&id) {
                            break Some(close(4409, &format!("Subscriber for {id} already exists")));
                        }
                        if active.len() >= limits.ws_max_subscriptions {
                            let message = format!(
                                "a socket holds at most {} subscriptions; complete one first",
                                limits.ws_max_subscriptions
                            );
                            let _ = sink.send(error_for(protocol, &id, &message, "LIMIT_EXCEEDED")).await;
                            continue;
                        }
                        let caller = session.lock().map(|s| s.caller.clone()).unwrap_or_default();
                        let checked = scan_request(&document_limits, &payload)
                            .and_then(|tokens| check_document(&state, &document_limits, &mut payload, tokens, &caller));
                        if let Err(refusal) = checked {
                            let _ = sink
                                .send(error_for(protocol, &id, &refusal.message(), refusal.code()))
                                .await;
                            refused(&refusal);
                            continue;
                        }
                        active.insert(id.clone());
                        Ok(ClientMessage::Start { id, payload })
                    }
                    Ok(ClientMessage::Stop { id }) => {
                        active.remove(&id);
                        Ok(ClientMessage::Stop { id })
                    }
                    other => other,
                };
                if to_protocol.send(forward).await.is_err() {
                    break None;
                }
            }
            out = protocol_stream.next() => match out {
                Some(WsMessage::Text(text)) => {
                    if let Ok(head) = serde_json::from_str::<Head>(&text) {
                        match (head.kind, head.id) {
                            ("complete" | "error", Some(id)) => {
                                active.remove(id);
                            }
                            ("connection_ack", _) => {
                                let caller = session.lock().map(|s| s.caller.clone()).unwrap_or_default();
                                if let Some(left) = until_expiry(&state, &caller) {
                                    expiry.as_mut().reset(tokio::time::Instant::now() + left);
                                }
                            }
                            _ => {}
                        }
                    }
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        break None;
                    }
                }
                Some(WsMessage::Close(code, reason)) => break Some(close(code, &reason)),
                None => break None,
            },
            () = &mut init_deadline, if !initialised => {
                break Some(close(4408, "Connection initialisation timeout"));
            }
            () = &mut expiry => {
                break Some(close(4403, "Forbidden: the token expired; reconnect with a new one"));
            }
            _ = recheck.tick(), if initialised => {
                if !still_entitled(&state, &session).await {
                    break Some(close(4403, "Forbidden: the token expired, was revoked or lost rights; reconnect"));
                }
            }
            _ = shutting_down.changed() => {
                break Some(close(1001, "the server is shutting down"));
            }
        }
    };
    if let Some(message) = farewell {
        let _ = sink.send(message).await;
    }
    let _ = sink.close().await;
}

fn refused(refusal: &Refusal) {
    if let Some(limit) = refusal.limit() {
        tracing::info!(limit, "refused a subscription over a limit");
        crate::monitoring::refused(limit);
    }
}

/// Whether the socket's caller is still who it was: a signed-in caller
/// whose token has expired or been revoked, or whose grants changed, is
/// not. An anonymous socket stays as it is.
async fn still_entitled(state: &AppState, session: &Mutex<Session>) -> bool {
    let (token, before) = match session.lock() {
        Ok(s) => (s.token.clone(), s.caller.clone()),
        Err(_) => return false,
    };
    if matches!(before, Caller::Anonymous) {
        return true;
    }
    match accounts::authenticate(&state.db, &state.clock, token.as_deref()).await {
        Ok(now) => now == before,
        // The database did not answer: keep the socket and ask again.
        Err(_) => true,
    }
}

fn tokio_stream_of<T: Send + 'static>(
    mut rx: mpsc::Receiver<T>,
) -> impl futures_util::Stream<Item = T> + Send + Unpin + 'static {
    Box::pin(async_stream::stream! {
        while let Some(item) = rx.recv().await {
            yield item;
        }
    })
}

/// How long until `caller`'s token expires, on the service's clock.
fn until_expiry(state: &AppState, caller: &Caller) -> Option<Duration> {
    match caller {
        Caller::Account(actor) => Some(
            (actor.token_expires_at - state.clock.now())
                .to_std()
                .unwrap_or_default(),
        ),
        Caller::Anonymous => None,
    }
}
