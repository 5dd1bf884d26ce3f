//! The HTTP server: a hyper accept loop around the axum router.
//!
//! The simulator runs its own accept loop instead of `axum::serve` so that a handler can close
//! its connection without answering (the dropped-connection fault). Each connection gets a
//! [`ConnectionKill`] in its request extensions; notifying it ends the connection task, which
//! closes the socket.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinSet;
use tower_service::Service;

/// A handle that closes the connection a request arrived on.
#[derive(Clone, Debug)]
pub(crate) struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    /// Closes the connection without sending anything more.
    pub(crate) fn close(&self) {
        self.0.notify_one();
    }
}

/// Accepts connections until `shutdown` fires or its sender is dropped, then aborts the
/// connections still open.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    mut shutdown: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(serve_connection(stream, peer, router.clone()));
                }
                Err(error) => {
                    // Running out of file descriptors is the usual cause; pause so the loop
                    // does not spin while connections close.
                    tracing::warn!(%error, "failed to accept a connection");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
    tracing::info!("simulator stopped");
}

async fn serve_connection(stream: TcpStream, peer: SocketAddr, router: Router) {
    let kill = ConnectionKill(Arc::new(Notify::new()));
    let handle = kill.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(handle.clone());
        let mut router = router.clone();
        router.call(request)
    });

    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        result = connection => {
            if let Err(error) = result {
                tracing::debug!(%peer, %error, "connection ended with an error");
            }
        }
        () = kill.0.notified() => {
            tracing::debug!(%peer, "connection dropped on purpose");
        }
    }
}
