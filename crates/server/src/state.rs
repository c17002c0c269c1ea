//! What every handler shares.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use store::Store;

use crate::bus::{Event, EventBus};
use crate::error::ApiError;

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub bus: Arc<dyn EventBus>,
    pub limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Sends agent replies to Naver TalkTalk users, when configured.
    pub naver: Option<Arc<protocol::naver::NaverClient>>,
}

impl AppState {
    pub fn new(store: Store, bus: Arc<dyn EventBus>, webchat_per_minute: u32) -> Self {
        // Every stored message goes live from the message writer, in the order of its ids.
        let publisher = bus.clone();
        store.on_new_message(Arc::new(move |site_id, message| {
            publisher.publish(Event::Message {
                site_id,
                message: message.clone(),
            })
        }));
        let per_minute = NonZeroU32::new(webchat_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        AppState {
            store,
            bus,
            limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
            naver: None,
        }
    }

    /// Public endpoints (web chat) are limited per client address.
    pub fn check_rate(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.limiter
            .check_key(&ip)
            .map_err(|_| ApiError::TooManyRequests)
    }
}

/// Milliseconds since the Unix epoch: the store's unit of time.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
