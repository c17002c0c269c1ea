//! What every local peer (a stand-in for an outside party in tests and `serve --demo`) does to
//! start: bind a free port on 127.0.0.1 and serve its routes there in the background.

use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A listener on 127.0.0.1 at a free port.
///
/// # Panics
/// When no local port can be bound: a test (or demo) cannot go on without it; `name` says
/// which peer failed.
pub(crate) async fn bind_local(name: &str) -> TcpListener {
    match TcpListener::bind(("127.0.0.1", 0)).await {
        Ok(l) => l,
        Err(e) => panic!("{name}: cannot bind 127.0.0.1:0: {e}"),
    }
}

/// Serves `app` on 127.0.0.1 at a free port until the task is aborted (or the runtime stops):
/// its address and the task.
///
/// # Panics
/// As [`bind_local`], or when the bound listener has no local address.
pub(crate) async fn serve_local(name: &str, app: Router) -> (SocketAddr, JoinHandle<()>) {
    let listener = bind_local(name).await;
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => panic!("{name}: no local address: {e}"),
    };
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, task)
}
