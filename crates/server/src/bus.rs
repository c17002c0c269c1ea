//! The event bus: how a change reaches every connected console and chat window.
//!
//! One small trait; a single instance uses the in-process bus below. Several instances
//! behind a load balancer need an implementation over a shared broker.
//!
//! Each event is offered to the consoles of its site where it is published, and only the
//! consoles that follow it are woken (an agent's console follows the queue and its own
//! consultations; managers follow everything). Chat windows subscribe to their room.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use app::EventSink;
use axum::extract::ws::{Message as WsMessage, Utf8Bytes};
use sangdam_core::{AgentId, ConsultationId, RoomId, SiteId};
use tokio::sync::{broadcast, mpsc};

pub use app::Event;
pub use app::events::Side;

/// An event as delivered: the event, and its console frame serialised once and shared by every
/// socket that sends it (rather than serialised and copied once per socket).
#[derive(Debug)]
pub struct Published {
    pub event: Event,
    frame: OnceLock<Utf8Bytes>,
}

impl Published {
    pub fn new(event: Event) -> Self {
        Published {
            event,
            frame: OnceLock::new(),
        }
    }

    /// An event that came serialised (from another instance): `text` is its frame as is.
    pub fn with_frame(event: Event, text: Utf8Bytes) -> Self {
        Published {
            event,
            frame: OnceLock::from(text),
        }
    }

    /// The event as consoles receive it (chat windows receive messages in the same form).
    pub fn frame(&self) -> WsMessage {
        let text = self.frame.get_or_init(|| {
            Utf8Bytes::from(serde_json::to_string(&self.event).unwrap_or_default())
        });
        WsMessage::Text(text.clone())
    }
}

/// What one console follows (R3.6): the admin (and a manager who leads no group) everything of
/// their site; an agent the queue (waiting, unassigned), the consultations they hold, and the
/// room they have open; a manager who leads a group as an agent would whose own were the
/// group's.
#[derive(Debug, Clone)]
pub struct Following {
    /// Whose consultations are followed (`None`: everything); the account itself among them.
    ours: Option<Vec<AgentId>>,
    me: AgentId,
    /// Open consultations followed: the queue and the agent's own.
    consultations: HashSet<ConsultationId>,
    watched: Option<RoomId>,
}

impl Following {
    pub fn new(me: AgentId, everything: bool) -> Self {
        Following::of(me, (!everything).then(|| vec![me]))
    }

    /// Following what is the business of the accounts `ours` (`None`: everything).
    pub fn of(me: AgentId, ours: Option<Vec<AgentId>>) -> Self {
        Following {
            ours,
            me,
            consultations: HashSet::new(),
            watched: None,
        }
    }

    /// Whether `event` goes to this console, updating what it follows.
    fn admit(&mut self, event: &Event) -> bool {
        // Only the account's own consoles hear of its sessions (each closes if it is its own).
        if let Event::SessionEnded { agent_id, .. } | Event::AccountChanged { agent_id, .. } = event
        {
            return *agent_id == self.me;
        }
        // For the instances, not the consoles.
        if let Event::SettingsChanged { .. } = event {
            return false;
        }
        let Some(ours) = &self.ours else {
            return true;
        };
        match event {
            Event::Consultation {
                consultation: c, ..
            } => {
                if sangdam_core::follows_in(c.state, c.agent_id, ours) {
                    self.consultations.insert(c.id);
                    true
                } else {
                    // Its last event (taken by someone else, closed) still reaches the console,
                    // so the consultation leaves its queue; later ones do not.
                    let followed = self.consultations.remove(&c.id);
                    let watched = self.watched == Some(c.room_id);
                    if watched && !c.agent_id.is_some_and(|a| ours.contains(&a)) {
                        // The open room's consultation is now someone else's (or nobody's and
                        // not waiting): whether the agent may still read the room is for the
                        // console's socket to ask again; until then its messages stop here.
                        self.watched = None;
                    }
                    followed || watched
                }
            }
            Event::Message { message: m, .. } => {
                self.consultations.contains(&m.consultation_id) || self.watched == Some(m.room_id)
            }
            Event::Typing {
                consultation_id,
                room_id,
                ..
            }
            | Event::Read {
                consultation_id,
                room_id,
                ..
            }
            | Event::Delivered {
                consultation_id,
                room_id,
                ..
            } => self.consultations.contains(consultation_id) || self.watched == Some(*room_id),
            // Every agent follows the queue.
            Event::Queue { .. } => true,
            Event::Agent { agent, .. } => ours.contains(&agent.agent.id),
            Event::Transfer { transfer: t, .. } => {
                ours.contains(&t.to_agent_id) || ours.contains(&t.from_agent_id)
            }
            Event::SessionEnded { .. }
            | Event::AccountChanged { .. }
            | Event::SettingsChanged { .. } => false,
        }
    }
}

/// Events a console may fall behind by before it is told it missed some (and reloads).
const CONSOLE_BACKLOG: usize = 4096;

/// One console's end of the bus: the events it follows, in the order they were published.
#[derive(Debug)]
pub struct ConsoleFeed {
    rx: mpsc::Receiver<Arc<Published>>,
    tap: Arc<Tap>,
}

impl ConsoleFeed {
    /// The next event; `None` once the bus is gone.
    pub async fn recv(&mut self) -> Option<Arc<Published>> {
        self.rx.recv().await
    }

    /// The next event already waiting, without waiting for one.
    pub fn ready(&mut self) -> Option<Arc<Published>> {
        self.rx.try_recv().ok()
    }

    /// How many events were dropped since the last call because the console fell behind (or
    /// had not said yet what it follows). Non-zero means: reload, then [`ConsoleFeed::follow`].
    pub fn missed(&self) -> u64 {
        self.tap.missed.swap(0, Ordering::AcqRel)
    }

    /// The open consultations the console follows, as read from the store after subscribing.
    /// Events published in between were held back and are now filtered by this list.
    pub fn follow(&self, consultations: impl IntoIterator<Item = ConsultationId>) {
        let mut state = self.tap.state();
        state.following.consultations = consultations.into_iter().collect();
        if let Some(held) = state.held.take() {
            for published in held {
                if state.following.admit(&published.event) {
                    self.tap.send(published);
                }
            }
        }
    }

    /// The room the console has open: its messages are followed too (`None`: no room).
    pub fn watch(&self, room: Option<RoomId>) {
        self.tap.state().following.watched = room;
    }

    /// The room whose messages are followed now: an agent's stops being followed when its
    /// consultation passes to someone else (see [`Following`]).
    pub fn watched(&self) -> Option<RoomId> {
        self.tap.state().following.watched
    }
}

#[derive(Debug)]
struct Tap {
    state: Mutex<TapState>,
    tx: mpsc::Sender<Arc<Published>>,
    missed: AtomicU64,
}

#[derive(Debug)]
struct TapState {
    following: Following,
    /// Events published before the console said what it follows (`None` once it has).
    held: Option<Vec<Arc<Published>>>,
}

impl Tap {
    fn state(&self) -> MutexGuard<'_, TapState> {
        // Each field is valid on its own whatever a panicking holder did.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn offer(&self, published: &Arc<Published>) {
        let mut state = self.state();
        if let Some(held) = &mut state.held {
            if held.len() < CONSOLE_BACKLOG {
                held.push(published.clone());
            } else {
                self.missed.fetch_add(1, Ordering::AcqRel);
            }
        } else if state.following.admit(&published.event) {
            self.send(published.clone());
        }
    }

    fn send(&self, published: Arc<Published>) {
        if let Err(mpsc::error::TrySendError::Full(_)) = self.tx.try_send(published) {
            self.missed.fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// The application publishes into the bus (`app::EventSink`); consoles and chat windows
/// subscribe to it.
pub trait EventBus: EventSink {
    /// The events of `site` that a console follows. With `following` of an agent, events
    /// are held until [`ConsoleFeed::follow`] gives the consultations read from the store.
    fn subscribe_console(&self, site: SiteId, following: Following) -> ConsoleFeed;
    /// The events of one room (a chat window): a visitor's socket is not woken by the
    /// messages of every other room.
    fn subscribe_room(&self, room: RoomId) -> broadcast::Receiver<Arc<Published>>;
}

/// In-process fan-out for a single server instance.
#[derive(Debug, Default)]
pub struct LocalBus {
    consoles: Mutex<HashMap<SiteId, Vec<Arc<Tap>>>>,
    rooms: Mutex<HashMap<RoomId, broadcast::Sender<Arc<Published>>>>,
}

/// A lock whose map stays consistent whatever a panicking holder did (each entry is whole).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl LocalBus {
    pub fn new() -> Self {
        Self::default()
    }
}

impl EventSink for LocalBus {
    fn publish(&self, event: Event) {
        self.deliver(Arc::new(Published::new(event)));
    }
}

impl LocalBus {
    /// Tells every console here that it missed events (it reloads at its next event): the
    /// other instances' events of a broker outage never came.
    pub fn mark_all_missed(&self) {
        for taps in lock(&self.consoles).values() {
            for tap in taps {
                tap.missed.fetch_add(1, Ordering::AcqRel);
            }
        }
    }

    /// Hands `published` to the chat windows of its room and the consoles of its site here.
    pub fn deliver(&self, published: Arc<Published>) {
        let site = published.event.site_id();
        // The chat windows it goes to: its room's, or for the queue every waiting room's (each
        // window picks out its own place).
        let rooms_of: Vec<RoomId> = match &published.event {
            Event::Queue { places, .. } => places.iter().map(|p| p.room_id).collect(),
            other => other.room_id().into_iter().collect(),
        };
        if !rooms_of.is_empty() {
            let mut rooms = lock(&self.rooms);
            for room in rooms_of {
                if let Some(tx) = rooms.get(&room) {
                    if tx.receiver_count() == 0 {
                        // Its last chat window closed.
                        rooms.remove(&room);
                    } else {
                        let _ = tx.send(published.clone());
                    }
                }
            }
        }
        // Offered to every console of the site under one lock, so each console receives
        // events in the order they were published.
        let mut consoles = lock(&self.consoles);
        if let Some(taps) = consoles.get_mut(&site) {
            taps.retain(|tap| !tap.tx.is_closed());
            for tap in taps.iter() {
                tap.offer(&published);
            }
            if taps.is_empty() {
                consoles.remove(&site);
            }
        }
    }
}

impl EventBus for LocalBus {
    fn subscribe_console(&self, site: SiteId, following: Following) -> ConsoleFeed {
        let (tx, rx) = mpsc::channel(CONSOLE_BACKLOG);
        let held = following.ours.is_some().then(Vec::new);
        let tap = Arc::new(Tap {
            state: Mutex::new(TapState { following, held }),
            tx,
            missed: AtomicU64::new(0),
        });
        lock(&self.consoles)
            .entry(site)
            .or_default()
            .push(tap.clone());
        ConsoleFeed { rx, tap }
    }

    fn subscribe_room(&self, room: RoomId) -> broadcast::Receiver<Arc<Published>> {
        lock(&self.rooms)
            .entry(room)
            .or_insert_with(|| broadcast::channel(256).0)
            .subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sangdam_core::{ConsultationState, MessageId};
    use store::{ConsultationRecord, MessageRecord, Sender};

    const SITE: SiteId = SiteId::new(1);
    const ME: AgentId = AgentId::new(7);
    const OTHER: AgentId = AgentId::new(8);

    fn consultation(id: i64, state: ConsultationState, agent: Option<AgentId>) -> Event {
        Event::Consultation {
            site_id: SITE,
            consultation: ConsultationRecord {
                id: ConsultationId::new(id),
                site_id: SITE,
                room_id: RoomId::new(100 + id),
                channel: inflow::Channel::WebchatV2,
                state,
                state_code: 0,
                end_type: None,
                agent_id: agent,
                closed_by: None,
                category_id: None,
                division_id: None,
                sub_label: None,
                user_parameter: None,
                custom: Default::default(),
                created_at: 0,
                assigned_at: None,
                first_response_at: None,
                closed_at: None,
                updated_at: 0,
                waiting_since: None,
                answered_at: None,
                rating: None,
                rating_comment: None,
                rated_at: None,
                hold: false,
                customer_read_to: None,
                agent_read_to: None,
            },
        }
    }

    fn message(site: SiteId, id: i64, consultation: i64) -> Event {
        Event::Message {
            site_id: site,
            message: MessageRecord {
                id: MessageId::new(id),
                room_id: RoomId::new(100 + consultation),
                seq: id,
                consultation_id: ConsultationId::new(consultation),
                sender: Sender::Customer,
                agent_id: None,
                body: format!("message {id}"),
                client_msg_id: None,
                original_chars: None,
                file: None,
                created_at: 0,
                delivered_at: None,
                delivered_via: None,
                rich: None,
            },
        }
    }

    /// What the feed holds now: messages by id, consultation events as `-id`.
    fn drain(feed: &mut ConsoleFeed) -> Vec<i64> {
        std::iter::from_fn(|| feed.ready())
            .map(|p| match &p.event {
                Event::Message { message, .. } => message.id.get(),
                Event::Consultation { consultation, .. } => -consultation.id.get(),
                _ => 0,
            })
            .collect()
    }

    #[test]
    fn an_agent_receives_the_queue_and_its_own_consultations() {
        let bus = LocalBus::new();
        let mut feed = bus.subscribe_console(SITE, Following::new(ME, false));
        feed.follow([ConsultationId::new(1)]);
        bus.publish(message(SITE, 10, 1)); // mine (from the store's list)
        bus.publish(message(SITE, 11, 2)); // not followed
        bus.publish(consultation(3, ConsultationState::Waiting, None)); // queued: followed
        bus.publish(message(SITE, 12, 3));
        bus.publish(consultation(3, ConsultationState::InProgress, Some(OTHER))); // leaves once
        bus.publish(message(SITE, 13, 3));
        bus.publish(consultation(3, ConsultationState::Closed, Some(OTHER)));
        bus.publish(consultation(4, ConsultationState::InProgress, Some(ME))); // taken by me
        bus.publish(message(SITE, 14, 4));
        assert_eq!(drain(&mut feed), vec![10, -3, 12, -3, -4, 14]);
        assert_eq!(feed.missed(), 0);
    }

    #[test]
    fn events_before_the_list_are_held_then_filtered_by_it() {
        let bus = LocalBus::new();
        let mut feed = bus.subscribe_console(SITE, Following::new(ME, false));
        bus.publish(message(SITE, 10, 1));
        bus.publish(message(SITE, 11, 2));
        assert_eq!(
            drain(&mut feed),
            Vec::<i64>::new(),
            "held until the list is in"
        );
        feed.follow([ConsultationId::new(2)]);
        bus.publish(message(SITE, 12, 2));
        assert_eq!(drain(&mut feed), vec![11, 12]);
    }

    #[test]
    fn a_watched_room_is_followed_until_unwatched() {
        let bus = LocalBus::new();
        let mut feed = bus.subscribe_console(SITE, Following::new(ME, false));
        feed.follow([]);
        bus.publish(message(SITE, 10, 5));
        feed.watch(Some(RoomId::new(105)));
        bus.publish(message(SITE, 11, 5));
        feed.watch(None);
        bus.publish(message(SITE, 12, 5));
        assert_eq!(drain(&mut feed), vec![11]);
    }

    #[test]
    fn a_watched_room_passing_to_another_agent_stops_until_asked_again() {
        let bus = LocalBus::new();
        let mut feed = bus.subscribe_console(SITE, Following::new(ME, false));
        feed.follow([]);
        feed.watch(Some(RoomId::new(105)));
        bus.publish(consultation(5, ConsultationState::Waiting, None));
        bus.publish(message(SITE, 10, 5));
        assert_eq!(feed.watched(), Some(RoomId::new(105)));
        // Taken by another agent: that event still arrives, the room's messages no more.
        bus.publish(consultation(5, ConsultationState::InProgress, Some(OTHER)));
        bus.publish(message(SITE, 11, 5));
        assert_eq!(drain(&mut feed), vec![-5, 10, -5]);
        assert_eq!(feed.watched(), None);
        // Their own consultation closing keeps the room (they still read it).
        feed.watch(Some(RoomId::new(106)));
        bus.publish(consultation(6, ConsultationState::Closed, Some(ME)));
        bus.publish(message(SITE, 12, 6));
        assert_eq!(drain(&mut feed), vec![-6, 12]);
        assert_eq!(feed.watched(), Some(RoomId::new(106)));
    }

    #[test]
    fn a_manager_receives_everything_of_its_site_only() {
        let bus = LocalBus::new();
        let mut feed = bus.subscribe_console(SITE, Following::new(ME, true));
        bus.publish(message(SITE, 10, 1));
        bus.publish(message(SiteId::new(2), 11, 2));
        bus.publish(consultation(3, ConsultationState::InProgress, Some(OTHER)));
        assert_eq!(drain(&mut feed), vec![10, -3]);
    }

    #[test]
    fn only_the_accounts_own_consoles_hear_of_its_sessions_ending() {
        let bus = LocalBus::new();
        let mut mine = bus.subscribe_console(SITE, Following::new(ME, false));
        mine.follow([]);
        let mut manager = bus.subscribe_console(SITE, Following::new(OTHER, true));
        bus.publish(Event::SessionEnded {
            site_id: SITE,
            agent_id: ME,
            session_id: sangdam_core::SessionId::new(5),
        });
        assert!(matches!(
            mine.ready().map(|p| p.event.clone()),
            Some(Event::SessionEnded { session_id, .. }) if session_id.get() == 5
        ));
        assert!(
            manager.ready().is_none(),
            "a manager follows everything but that"
        );
    }

    #[test]
    fn a_console_that_falls_behind_is_told_how_much_it_missed() {
        let bus = LocalBus::new();
        let mut feed = bus.subscribe_console(SITE, Following::new(ME, true));
        let extra = 5;
        for id in 0..(CONSOLE_BACKLOG + extra) {
            bus.publish(message(SITE, id as i64, 1));
        }
        assert_eq!(feed.missed(), extra as u64);
        assert_eq!(feed.missed(), 0, "counted once");
        assert_eq!(drain(&mut feed).len(), CONSOLE_BACKLOG);
    }

    #[test]
    fn a_closed_console_is_forgotten() {
        let bus = LocalBus::new();
        let feed = bus.subscribe_console(SITE, Following::new(ME, true));
        let mut other = bus.subscribe_console(SITE, Following::new(OTHER, true));
        drop(feed);
        bus.publish(message(SITE, 10, 1));
        assert_eq!(lock(&bus.consoles).get(&SITE).map(Vec::len), Some(1));
        assert_eq!(drain(&mut other), vec![10]);
    }

    #[test]
    fn a_frame_is_serialised_once_and_shared() {
        let published = Published::new(message(SITE, 10, 1));
        let (WsMessage::Text(a), WsMessage::Text(b)) = (published.frame(), published.frame())
        else {
            panic!("text frames");
        };
        assert_eq!(a.as_str().as_ptr(), b.as_str().as_ptr());
        let v: serde_json::Value = serde_json::from_str(a.as_str()).unwrap_or_default();
        assert_eq!(v["type"], "message");
        assert_eq!(v["message"]["body"], "message 10");
    }
}
