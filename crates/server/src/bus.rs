//! The event bus: how a change reaches every connected console and chat window.
//!
//! One small trait; a single instance uses the in-process broadcast below. Several instances
//! behind a load balancer need an implementation over a shared broker.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use sangdam_core::{RoomId, SiteId};
use serde::Serialize;
use store::{ConsultationRecord, MessageRecord};
use tokio::sync::broadcast;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A consultation was opened or changed state (queued, taken, closed).
    Consultation {
        site_id: SiteId,
        consultation: ConsultationRecord,
    },
    /// A message was stored.
    Message {
        site_id: SiteId,
        message: MessageRecord,
    },
}

impl Event {
    pub fn site_id(&self) -> SiteId {
        match self {
            Event::Consultation { site_id, .. } | Event::Message { site_id, .. } => *site_id,
        }
    }

    pub fn room_id(&self) -> RoomId {
        match self {
            Event::Consultation { consultation, .. } => consultation.room_id,
            Event::Message { message, .. } => message.room_id,
        }
    }
}

/// An event as delivered: the event, and its console JSON serialised once for every console
/// that receives it (rather than once per console).
#[derive(Debug)]
pub struct Published {
    pub event: Event,
    console_json: OnceLock<String>,
}

impl Published {
    pub fn new(event: Event) -> Self {
        Published {
            event,
            console_json: OnceLock::new(),
        }
    }

    /// The event as consoles receive it.
    pub fn console_json(&self) -> &str {
        self.console_json
            .get_or_init(|| serde_json::to_string(&self.event).unwrap_or_default())
    }
}

pub trait EventBus: Send + Sync + std::fmt::Debug {
    fn publish(&self, event: Event);
    /// Every event of every site (consoles filter by their site).
    fn subscribe(&self) -> broadcast::Receiver<Arc<Published>>;
    /// The events of one room (a chat window): a visitor's socket is not woken by the
    /// messages of every other room.
    fn subscribe_room(&self, room: RoomId) -> broadcast::Receiver<Arc<Published>>;
}

/// In-process fan-out for a single server instance.
#[derive(Debug)]
pub struct LocalBus {
    tx: broadcast::Sender<Arc<Published>>,
    rooms: Mutex<HashMap<RoomId, broadcast::Sender<Arc<Published>>>>,
}

impl LocalBus {
    pub fn new() -> Self {
        // A subscriber that falls this far behind is told it lagged and resynchronises.
        let (tx, _) = broadcast::channel(4096);
        LocalBus {
            tx,
            rooms: Mutex::new(HashMap::new()),
        }
    }

    fn rooms(&self) -> MutexGuard<'_, HashMap<RoomId, broadcast::Sender<Arc<Published>>>> {
        // The map stays consistent whatever a panicking holder did: each entry is a sender.
        self.rooms.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for LocalBus {
    fn default() -> Self {
        Self::new()
    }
}

impl EventBus for LocalBus {
    fn publish(&self, event: Event) {
        let room = event.room_id();
        let published = Arc::new(Published::new(event));
        {
            let mut rooms = self.rooms();
            if let Some(tx) = rooms.get(&room) {
                if tx.receiver_count() == 0 {
                    // Its last chat window closed.
                    rooms.remove(&room);
                } else {
                    let _ = tx.send(published.clone());
                }
            }
        }
        // No subscriber is not an error: nobody is watching right now.
        let _ = self.tx.send(published);
    }

    fn subscribe(&self) -> broadcast::Receiver<Arc<Published>> {
        self.tx.subscribe()
    }

    fn subscribe_room(&self, room: RoomId) -> broadcast::Receiver<Arc<Published>> {
        self.rooms()
            .entry(room)
            .or_insert_with(|| broadcast::channel(256).0)
            .subscribe()
    }
}
