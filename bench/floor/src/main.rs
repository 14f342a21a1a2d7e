//! HTTP floor: the cost of axum + tokio answering POST /graphql with the
//! bytes of FLOOR_BODY_FILE, read once at start. BIND_ADDR as the server.
use axum::{Router, http::header, routing::post};

#[tokio::main]
async fn main() {
    let path = std::env::var("FLOOR_BODY_FILE").expect("FLOOR_BODY_FILE");
    let body: &'static [u8] = Box::leak(std::fs::read(&path).expect("read body").into_boxed_slice());
    let addr = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8090".into());
    let app = Router::new().route(
        "/graphql",
        post(move || async move { ([(header::CONTENT_TYPE, "application/json")], body) }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
