//! What the application tells the world: the events a use case caused, published in one
//! place ([`crate::Services::publish`]) once the change is committed.
//!
//! Consultation events are published by the use case that changed the consultation, after its
//! transaction. Message events are published by the same function, called from the message
//! writer right after the commit that stored the message and before its sender is answered, so
//! a room's messages reach every window and console in the order of their ids, also when many
//! are written at once.

use std::fmt::Debug;

use sangdam_core::{AgentId, ConsultationId, MessageId, RoomId, SessionId, SiteId};
use serde::{Deserialize, Serialize};
use store::{AgentLoadRecord, ConsultationRecord, MessageRecord, TransferRecord};

use crate::distribution::QueuePlace;

#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// The site's queue as it now stands (positions and estimated waits), oldest first.
    Queue {
        site_id: SiteId,
        places: Vec<QueuePlace>,
    },
    /// An account's presence or load changed.
    Agent {
        site_id: SiteId,
        agent: AgentLoadRecord,
    },
    /// A transfer request was made, answered or lapsed.
    Transfer {
        site_id: SiteId,
        transfer: TransferRecord,
    },
    /// A login session was ended (logged out, or ended by its owner or the admin): the
    /// consoles open on it close.
    SessionEnded {
        site_id: SiteId,
        agent_id: AgentId,
        session_id: SessionId,
    },
    /// An account's role changed, or it was deactivated: its open consoles reload to see what
    /// the role now sees, or (`active: false`) close, whatever credential they came by.
    AccountChanged {
        site_id: SiteId,
        agent_id: AgentId,
        active: bool,
    },
    /// Someone started or stopped typing in a consultation (live only, never stored).
    Typing {
        site_id: SiteId,
        room_id: RoomId,
        consultation_id: ConsultationId,
        side: Side,
        /// The agent typing, with their display name (`None` for the customer).
        agent_id: Option<AgentId>,
        agent_name: Option<String>,
        typing: bool,
    },
    /// Messages to a messenger user reached their platform (a Kakao user's replies went with
    /// their next request; the Naver send API took one).
    Delivered {
        site_id: SiteId,
        room_id: RoomId,
        consultation_id: ConsultationId,
        message_ids: Vec<MessageId>,
        at: i64,
        /// How they went out (`callback`, `event_api`, `next_message`; none: the send API).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        via: Option<String>,
    },
    /// Settings that instances keep read for a while changed: every instance reads them again
    /// at their next use (consoles and chat windows are not told).
    SettingsChanged {
        site_id: SiteId,
        settings: KeptSettings,
    },
    /// A read mark moved: the customer's window has shown, or an agent has read, every
    /// message of the consultation up to `up_to`.
    Read {
        site_id: SiteId,
        room_id: RoomId,
        consultation_id: ConsultationId,
        side: Side,
        up_to: i64,
    },
}

/// The settings an instance keeps read (for the message path) rather than reading them for
/// every message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeptSettings {
    /// Whether the site's bot is on, and "bot first".
    Bot,
    /// The auto-close rules.
    AutoClose,
}

/// The customer's side of a consultation or the desk's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Customer,
    Agent,
}

impl Event {
    pub fn site_id(&self) -> SiteId {
        match self {
            Event::Consultation { site_id, .. }
            | Event::Message { site_id, .. }
            | Event::Queue { site_id, .. }
            | Event::Agent { site_id, .. }
            | Event::Transfer { site_id, .. }
            | Event::SessionEnded { site_id, .. }
            | Event::AccountChanged { site_id, .. }
            | Event::Typing { site_id, .. }
            | Event::Read { site_id, .. }
            | Event::Delivered { site_id, .. }
            | Event::SettingsChanged { site_id, .. } => *site_id,
        }
    }

    /// The room whose chat windows receive the event (`None`: consoles only, or, for the
    /// queue, each waiting room its own place).
    pub fn room_id(&self) -> Option<RoomId> {
        match self {
            Event::Consultation { consultation, .. } => Some(consultation.room_id),
            Event::Message { message, .. } => Some(message.room_id),
            Event::Typing { room_id, .. }
            | Event::Read { room_id, .. }
            | Event::Delivered { room_id, .. } => Some(*room_id),
            Event::Queue { .. }
            | Event::Agent { .. }
            | Event::Transfer { .. }
            | Event::SessionEnded { .. }
            | Event::AccountChanged { .. }
            | Event::SettingsChanged { .. } => None,
        }
    }

    /// `messages` (of one room, in order) reached their platform at `at`; `None` for none.
    pub(crate) fn delivered(site_id: SiteId, messages: &[MessageRecord], at: i64) -> Option<Event> {
        let last = messages.last()?;
        Some(Event::Delivered {
            site_id,
            room_id: last.room_id,
            consultation_id: last.consultation_id,
            message_ids: messages.iter().map(|m| m.id).collect(),
            at,
            via: last.delivered_via.clone(),
        })
    }

    pub(crate) fn consultation(c: &ConsultationRecord) -> Event {
        Event::Consultation {
            site_id: c.site_id,
            consultation: c.clone(),
        }
    }
}

/// Hands `events` to `sink`, in order. Every event of the application passes here.
pub(crate) fn publish(sink: &dyn EventSink, events: impl IntoIterator<Item = Event>) {
    for event in events {
        sink.publish(event);
    }
}

/// Where events go: the event bus (in-process for one instance; a broker for several).
pub trait EventSink: Send + Sync + Debug {
    fn publish(&self, event: Event);
}

/// Drops every event: for commands that run without consoles (`sangdam export`).
#[derive(Debug, Default)]
pub struct NoEvents;

impl EventSink for NoEvents {
    fn publish(&self, _event: Event) {}
}

/// Keeps every event: for tests.
#[derive(Debug, Default)]
pub struct RecordedEvents(std::sync::Mutex<Vec<Event>>);

impl RecordedEvents {
    pub fn take(&self) -> Vec<Event> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl EventSink for RecordedEvents {
    fn publish(&self, event: Event) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(event);
    }
}
