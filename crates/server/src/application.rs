//! The running application: the HTTP server and the background workers, started and stopped
//! together (zero2prod's `Application::build` / `run_until_stopped`).
//!
//! [`App::build`] binds nothing itself: it takes a listener (port 0 in tests), builds the
//! state (the application's use cases over the store, the event bus, the rate limiter) and
//! starts the workers (message writer, SQLite checkpointer, job scheduler).
//! [`App::run_until_stopped`] serves until the shutdown future resolves, lets the requests in
//! flight finish, then stops the workers and waits for them.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use app::Services;
use app::workers::Workers;
use axum::serve::ListenerExt;
use protocol::naver::NaverClient;
use store::Store;
use tokio::net::TcpListener;

use crate::bus::{EventBus, LocalBus};
use crate::error::ApiError;
use crate::nats_bus::NatsBus;
use crate::security::{OriginPolicy, PublicUrl};
use crate::state::AppState;
use crate::{Config, router};

#[derive(Debug)]
pub struct App {
    listener: TcpListener,
    state: AppState,
    origins: OriginPolicy,
    workers: Workers,
}

impl App {
    /// The application over `store`, configured by `config`, to serve on `listener`; its
    /// workers are running when this returns.
    pub async fn build(
        store: Store,
        config: &Config,
        listener: TcpListener,
    ) -> Result<App, ApiError> {
        let nats = match &config.nats_url {
            Some(url) => Some(
                NatsBus::connect(url)
                    .await
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
            ),
            None => None,
        };
        let bus: Arc<dyn EventBus> = match &nats {
            Some(nats) => nats.clone(),
            None => Arc::new(LocalBus::new()),
        };
        let sink: Arc<dyn app::EventSink> = bus.clone();
        let mut services = Services::new(store, config.clock.clone(), sink)
            .with_auto_close_minute_ms(config.auto_close_minute_ms)
            .with_skill_timeout(config.skill_timeout)
            .with_login_policies(
                sangdam_core::ThrottlePolicy::ACCOUNT,
                sangdam_core::ThrottlePolicy {
                    free_failures: config.login_failures_per_address,
                    ..sangdam_core::ThrottlePolicy::ADDRESS
                },
            );
        if let Some(url) = &config.kakao_bot_api {
            services = services.with_kakao_bot_api(url);
        }
        services = services.with_kakao_callback_ms(config.kakao_callback_ms);
        if let Some((endpoint, key)) = &config.naver {
            let client = NaverClient::new(endpoint.clone(), key.clone())
                .map_err(|e| ApiError::Internal(format!("Naver client: {e}")))?;
            services = services.with_naver(client);
        }
        let export_dir = config.export_dir.clone().unwrap_or_else(|| {
            std::env::temp_dir().join(format!(
                "sangdam-exports-{}-{}",
                std::process::id(),
                crate::auth::random_token()
            ))
        });
        services = services.with_exports(app::exports::ExportConfig::in_dir(export_dir));
        services = match &config.files_bucket {
            Some(bucket) => services.with_file_storage(bucket.clone()),
            None => {
                let files_dir = config.files_dir.clone().unwrap_or_else(|| {
                    std::env::temp_dir().join(format!(
                        "sangdam-files-{}-{}",
                        std::process::id(),
                        crate::auth::random_token()
                    ))
                });
                services.with_file_storage(Arc::new(app::files::LocalDisk::new(files_dir)))
            }
        };
        if let Some(public) = &config.public_url {
            services = services.with_public_url(public.base());
        }
        services = services.with_billing(config.billing.clone());
        if let Some(payments) = &config.payments {
            services = services.with_payments(payments.clone());
        }
        if let Some(mailer) = &config.mailer {
            services = services.with_mailer(mailer.clone());
        }
        if let Some(nats) = &nats {
            let here = services.clone();
            nats.on_heard(Box::new(move |event| here.heard(event)));
        }
        let workers = services.start_workers(config.scheduler);
        let mut state = AppState::new(
            services,
            bus,
            config.webchat_per_minute,
            config.sessions_per_minute,
        );
        state.event_limiter = Arc::new(governor::RateLimiter::keyed(governor::Quota::per_minute(
            std::num::NonZeroU32::new(config.event_requests_per_minute.max(1))
                .unwrap_or(std::num::NonZeroU32::MIN),
        )));
        state.metrics_token = config.metrics_token.as_deref().map(Arc::from);
        state.secure_cookies = config.public_url.as_ref().is_some_and(PublicUrl::is_https);
        Ok(App {
            listener,
            state,
            origins: OriginPolicy::new(config.public_url.clone()),
            workers,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, finishes the requests in flight, then stops the
    /// workers (the message writer writes what it holds first).
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // Chat traffic is many small frames: send each at once rather than waiting to fill a
        // segment (Nagle's algorithm would hold a reply back until the previous one is ACKed).
        let listener = self.listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let served = axum::serve(
            listener,
            router(self.state, self.origins).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        self.workers.stop().await;
        served
    }
}
