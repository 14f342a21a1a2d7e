//! The server loop (`startup::serve`): slow or idle clients are timed out,
//! and SIGTERM shuts the binary down gracefully, closing sockets with 1001.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::spawn_app_with;
use crate::subscriptions::Socket;

/// Reads until the server closes the connection; returns what it sent.
async fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
            .await
            .expect("closed within 10 s")
        {
            Ok(0) | Err(_) => return got,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn a_client_sending_headers_slowly_is_cut_off() {
    let app = spawn_app_with(|c| c.limits.header_read_timeout = Duration::from_secs(1)).await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&host).await.expect("connect");
    let started = Instant::now();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    // One header line a while later, never the end of the headers.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = stream.write_all(b"X-Slow: 1\r\n").await;
    until_closed(&mut stream).await;
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(900), "closed after {took:?}");
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let app = spawn_app_with(|c| c.limits.header_read_timeout = Duration::from_secs(1)).await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&host).await.expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let started = Instant::now();
    let got = until_closed(&mut stream).await;
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// The built binary, on its own SQLite file and a free port, is sent
/// SIGTERM while a socket is open: the socket is closed with 1001 and the
/// process exits cleanly.
#[cfg(unix)]
#[tokio::test]
async fn sigterm_closes_sockets_with_1001_and_exits_cleanly() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        l.local_addr().expect("addr").port()
    };
    let dir = std::env::temp_dir().join(format!("capi-sigterm-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_compound-api"))
        .env_clear()
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/c.db?mode=rwc", dir.display()),
        )
        .env("ATTACHMENT_STORE", dir.join("files").display().to_string())
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .kill_on_drop(true)
        .spawn()
        .expect("start the binary");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the binary did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut socket = Socket::open_at(&format!("{base}/graphql"), None).await;
    let pid = child.id().expect("pid").to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let code = loop {
        match tokio::time::timeout(Duration::from_secs(10), socket.ws.next())
            .await
            .expect("a close within 10 s")
        {
            Some(Ok(Message::Close(Some(frame)))) => break u16::from(frame.code),
            Some(Ok(_)) => continue,
            other => panic!("no close frame: {other:?}"),
        }
    };
    assert_eq!(code, 1001);
    let exit = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("exits within 20 s")
        .expect("exit status");
    assert!(exit.success(), "{exit:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
