//! Binding and running the native server (in the binary or in-process).

use std::io;
use std::net::SocketAddr;
use std::thread;

use std::sync::Arc;

use axum::Router;
use cube_sandbox_core::{Config, Sandbox};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::edge::{handle, now_ms, AppState};

/// The whole application: every request goes through the core ([`crate::edge::handle`]).
pub fn app(state: AppState) -> Router {
    Router::new().fallback(handle).with_state(state)
}

/// A bound, not yet serving, sandbox.
pub struct Bound {
    pub listener: TcpListener,
    pub state: AppState,
    pub addr: SocketAddr,
}

pub async fn bind(config: Config) -> io::Result<Bound> {
    let listener = TcpListener::bind((config.host.as_str(), config.port)).await?;
    let addr = listener.local_addr()?;
    let state = AppState(Arc::new(Sandbox::new(config, now_ms())));
    Ok(Bound {
        listener,
        state,
        addr,
    })
}

impl Bound {
    pub async fn serve(self) -> io::Result<()> {
        axum::serve(self.listener, app(self.state)).await
    }
}

/// A sandbox running on its own thread and runtime (for tests and the bench).
/// Dropping it stops the server.
pub struct Running {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
}

impl Running {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts a sandbox in the background and returns once it accepts connections.
pub fn spawn(config: Config) -> io::Result<Running> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    thread::Builder::new()
        .name("cube-sandbox".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            runtime.block_on(async move {
                let bound = match bind(config).await {
                    Ok(b) => b,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(bound.addr));
                tokio::select! {
                    _ = bound.serve() => {}
                    _ = stop_rx => {}
                }
            });
            runtime.shutdown_background();
        })?;
    let addr = ready_rx
        .recv()
        .map_err(|_| io::Error::other("sandbox thread ended before binding"))??;
    Ok(Running {
        addr,
        stop: Some(stop_tx),
    })
}
