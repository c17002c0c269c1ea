//! The event bus: how a change reaches every connected console and chat window.
//!
//! One small trait; a single instance uses the in-process broadcast below. Several instances
//! behind a load balancer need an implementation over a shared broker.

use std::sync::Arc;

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

pub trait EventBus: Send + Sync + std::fmt::Debug {
    fn publish(&self, event: Event);
    fn subscribe(&self) -> broadcast::Receiver<Arc<Event>>;
}

/// In-process fan-out for a single server instance.
#[derive(Debug)]
pub struct LocalBus {
    tx: broadcast::Sender<Arc<Event>>,
}

impl LocalBus {
    pub fn new() -> Self {
        // A subscriber that falls this far behind is told it lagged and resynchronises.
        let (tx, _) = broadcast::channel(4096);
        LocalBus { tx }
    }
}

impl Default for LocalBus {
    fn default() -> Self {
        Self::new()
    }
}

impl EventBus for LocalBus {
    fn publish(&self, event: Event) {
        // No subscriber is not an error: nobody is watching right now.
        let _ = self.tx.send(Arc::new(event));
    }

    fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.tx.subscribe()
    }
}
