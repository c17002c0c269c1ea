//! The event bus of several instances: every event goes out through NATS to the other
//! instances, and the events they publish come in and are delivered here as if published here.
//!
//! Each instance delivers its own events to its own consoles and chat windows at once (the
//! in-process [`LocalBus`] underneath), so a client never waits for the broker to hear of a
//! change made where it is connected, and an instance without NATS still serves its own
//! clients. Events travel as their console frame (JSON, the same bytes every socket sends) on
//! the subject `sangdam.events.<site>`, with the publishing instance in a header so it skips its
//! own.
//!
//! Publishing may fail (the broker away, or the outgoing queue full): an event is then lost for
//! the other instances, never for the database. Their clients catch up from the store: chat
//! windows and consoles number a room's messages by its sequence and read any gap back, and a
//! console that missed events after the broker came back is told to reload.
//!
//! Another instance's events are shown to the application first (`NatsBus::on_heard`): a
//! settings event makes it read the settings it keeps again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use app::EventSink;
use axum::body::Bytes;
use axum::extract::ws::Utf8Bytes;
use futures_util::StreamExt;
use sangdam_core::{RoomId, SiteId};
use tokio::sync::{broadcast, mpsc};

use crate::bus::{ConsoleFeed, Event, EventBus, Following, LocalBus, Published};

/// The subjects events are published on: one per site under this prefix.
pub const SUBJECT_PREFIX: &str = "sangdam.events";
/// The header naming the instance an event comes from.
const ORIGIN: &str = "Sangdam-Origin";
/// Events waiting to go out to the broker before new ones are dropped (and counted).
const OUTGOING: usize = 65_536;

/// Events through NATS between instances, delivered here by a [`LocalBus`].
pub struct NatsBus {
    local: Arc<LocalBus>,
    outgoing: mpsc::Sender<(SiteId, Arc<Published>)>,
    heard: Arc<OnceLock<Heard>>,
}

/// What the application does with another instance's event before it is delivered here (the
/// settings it changed are read again).
pub type Heard = Box<dyn Fn(&Event) + Send + Sync>;

impl std::fmt::Debug for NatsBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsBus")
            .field("local", &self.local)
            .finish_non_exhaustive()
    }
}

/// Why the bus could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum NatsBusError {
    #[error("cannot use the NATS server at {url}: {reason}")]
    Connect { url: String, reason: String },
}

impl NatsBus {
    /// Connects to the NATS server at `url` (`nats://host:4222`). The instance starts also
    /// when the server is not reachable yet: the client keeps trying, and says so in the log.
    pub async fn connect(url: &str) -> Result<Arc<NatsBus>, NatsBusError> {
        let origin = format!("{:016x}", rand::random::<u64>());
        let reconnected = Arc::new(AtomicBool::new(false));
        let local = Arc::new(LocalBus::new());
        let flag = reconnected.clone();
        let client = async_nats::ConnectOptions::new()
            .name(format!("sangdam-{origin}"))
            .retry_on_initial_connect()
            .event_callback(move |event| {
                let flag = flag.clone();
                async move {
                    match event {
                        async_nats::Event::Connected => {
                            tracing::info!("connected to NATS");
                            flag.store(true, Ordering::Release);
                        }
                        async_nats::Event::Disconnected => {
                            tracing::warn!(
                                "NATS is unreachable: events of other instances wait; \
                                 their clients catch up from the database"
                            );
                        }
                        other => tracing::info!(event = %other, "NATS"),
                    }
                }
            })
            .connect(url)
            .await
            .map_err(|e| NatsBusError::Connect {
                url: url.to_owned(),
                reason: e.to_string(),
            })?;
        let subscriber = client
            .subscribe(format!("{SUBJECT_PREFIX}.>"))
            .await
            .map_err(|e| NatsBusError::Connect {
                url: url.to_owned(),
                reason: e.to_string(),
            })?;
        let (outgoing, rx) = mpsc::channel(OUTGOING);
        tokio::spawn(send_out(client, origin.clone(), rx));
        let heard = Arc::new(OnceLock::new());
        tokio::spawn(take_in(
            subscriber,
            origin,
            local.clone(),
            reconnected.clone(),
            heard.clone(),
        ));
        Ok(Arc::new(NatsBus {
            local,
            outgoing,
            heard,
        }))
    }

    /// Sets what the application does with each event of another instance (once).
    pub fn on_heard(&self, heard: Heard) {
        let _ = self.heard.set(heard);
    }
}

impl EventSink for NatsBus {
    fn publish(&self, event: Event) {
        let site = event.site_id();
        let published = Arc::new(Published::new(event));
        self.local.deliver(published.clone());
        match self.outgoing.try_send((site, published)) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                metrics::counter!("sangdam_bus_events_dropped_total").increment(1);
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }
}

impl EventBus for NatsBus {
    fn subscribe_console(&self, site: SiteId, following: Following) -> ConsoleFeed {
        self.local.subscribe_console(site, following)
    }

    fn subscribe_room(&self, room: RoomId) -> broadcast::Receiver<Arc<Published>> {
        self.local.subscribe_room(room)
    }
}

/// Sends this instance's events to the broker, in the order they were published.
async fn send_out(
    client: async_nats::Client,
    origin: String,
    mut rx: mpsc::Receiver<(SiteId, Arc<Published>)>,
) {
    while let Some((site, published)) = rx.recv().await {
        let axum::extract::ws::Message::Text(text) = published.frame() else {
            continue;
        };
        let mut headers = async_nats::HeaderMap::new();
        headers.insert(ORIGIN, origin.as_str());
        let payload = Bytes::copy_from_slice(text.as_str().as_bytes());
        let subject = format!("{SUBJECT_PREFIX}.{}", site.get());
        if let Err(e) = client.publish_with_headers(subject, headers, payload).await {
            metrics::counter!("sangdam_bus_events_dropped_total").increment(1);
            tracing::debug!(error = %e, "an event did not reach NATS");
        }
    }
}

/// Delivers the other instances' events here.
async fn take_in(
    mut subscriber: async_nats::Subscriber,
    origin: String,
    local: Arc<LocalBus>,
    reconnected: Arc<AtomicBool>,
    heard: Arc<OnceLock<Heard>>,
) {
    let mut first = true;
    while let Some(message) = subscriber.next().await {
        // Back after an outage (not the first connection): events sent meanwhile never came;
        // every console here is told to reload.
        if reconnected.swap(false, Ordering::AcqRel) {
            if !first {
                local.mark_all_missed();
            }
            first = false;
        }
        let own = message
            .headers
            .as_ref()
            .and_then(|h| h.get(ORIGIN))
            .is_some_and(|o| o.as_str() == origin);
        if own {
            continue;
        }
        let Ok(text) = std::str::from_utf8(&message.payload) else {
            continue;
        };
        match serde_json::from_str::<Event>(text) {
            Ok(event) => {
                metrics::counter!("sangdam_bus_events_received_total").increment(1);
                if let Some(heard) = heard.get() {
                    heard(&event);
                }
                local.deliver(Arc::new(Published::with_frame(
                    event,
                    Utf8Bytes::from(text.to_owned()),
                )));
            }
            Err(e) => tracing::warn!(error = %e, subject = %message.subject, "an unreadable event"),
        }
    }
}
