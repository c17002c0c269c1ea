//! What every handler shares: the application (its use cases, clock and store), the event bus
//! consoles and chat windows subscribe to, and the per-address rate limiter.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use app::Services;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::bus::EventBus;
use crate::error::ApiError;

#[derive(Debug, Clone)]
pub struct AppState {
    /// The use cases every change goes through, and the store handlers read from
    /// (`app.store`).
    pub app: Services,
    pub bus: Arc<dyn EventBus>,
    pub limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Chat sessions opened, per address (on top of `limiter`): each is a visitor and a room.
    pub session_limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Event API requests, per site.
    pub event_limiter: Arc<DefaultKeyedRateLimiter<i64>>,
    /// The bearer token `GET /metrics` asks for; without one it is not served.
    pub metrics_token: Option<Arc<str>>,
    /// Whether the session cookie is `Secure` (the public URL is `https://`).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(
        app: Services,
        bus: Arc<dyn EventBus>,
        webchat_per_minute: u32,
        sessions_per_minute: u32,
    ) -> Self {
        let quota =
            |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        AppState {
            app,
            bus,
            limiter: Arc::new(RateLimiter::keyed(quota(webchat_per_minute))),
            session_limiter: Arc::new(RateLimiter::keyed(quota(sessions_per_minute))),
            event_limiter: Arc::new(RateLimiter::keyed(quota(120))),
            metrics_token: None,
            secure_cookies: false,
        }
    }

    /// The application's clock: milliseconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        self.app.now()
    }

    /// Opening chat sessions is limited per client address, more tightly than the rest.
    pub fn check_session_rate(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.check_rate(ip)?;
        self.session_limiter
            .check_key(&ip)
            .map_err(|_| ApiError::TooManyRequests)
    }

    /// Public endpoints (web chat) are limited per client address.
    pub fn check_rate(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.limiter
            .check_key(&ip)
            .map_err(|_| ApiError::TooManyRequests)
    }
}
