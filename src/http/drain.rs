//! Shutting down without dropping anyone: the signal that tells open
//! sockets to close with 1001, and the count of sockets still open, which
//! `startup::serve` waits on (within the grace period) before it returns.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::watch;

fn sender() -> &'static watch::Sender<bool> {
    static SHUTDOWN: OnceLock<watch::Sender<bool>> = OnceLock::new();
    SHUTDOWN.get_or_init(|| watch::channel(false).0)
}

static OPEN_SOCKETS: AtomicUsize = AtomicUsize::new(0);

/// A receiver that changes once, when shutdown begins.
pub fn watch() -> watch::Receiver<bool> {
    sender().subscribe()
}

/// Begins shutdown: every open socket closes with 1001.
pub fn begin() {
    sender().send_replace(true);
}

/// Sockets open in this process.
pub fn open_sockets() -> usize {
    OPEN_SOCKETS.load(Ordering::Relaxed)
}

/// An open socket, counted until dropped.
pub struct OpenSocket(());

impl OpenSocket {
    /// Counts a socket as open.
    pub fn count() -> Self {
        OPEN_SOCKETS.fetch_add(1, Ordering::Relaxed);
        Self(())
    }
}

impl Drop for OpenSocket {
    fn drop(&mut self) {
        OPEN_SOCKETS.fetch_sub(1, Ordering::Relaxed);
    }
}
