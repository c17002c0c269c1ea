//! The message writer under concurrent senders: many messages committed together, each
//! stored once whatever the retries, in each sender's order, never into a closed consultation,
//! and one bad message failing alone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::collections::HashMap;

use common::TestApp;
use sangdam_core::{ConsultationId, EndType, RoomId, SiteId, Transition};
use store::{NewMessage, Sender, StoreError, Target};

both!(concurrent_senders_retries_and_a_closed_room);

fn customer<'a>(app: &TestApp, room: i64, body: &'a str, id: &'a str) -> NewMessage<'a> {
    NewMessage {
        site: SiteId::new(app.site),
        room: RoomId::new(room),
        target: Target::OpenOfRoom,
        sender: Sender::Customer,
        agent: None,
        body,
        client_msg_id: Some(id),
        now: 1,
    }
}

async fn concurrent_senders_retries_and_a_closed_room(app: TestApp) {
    let mut rooms = Vec::new();
    for n in 0..8 {
        rooms.push(app.chat(&app.v2_url(&format!("site_uid=('w{n}')"))).await);
    }
    let closed = app.chat(&app.v2_url("site_uid=('w-closed')")).await;
    app.store
        .transition(
            ConsultationId::new(closed.consultation),
            Transition::Close(EndType::Manager),
            None,
            2,
        )
        .await
        .unwrap();

    // Each room's sender writes 40 messages in order; every message is also sent a second
    // time at once by another task (a retry racing its original), so batches hold both.
    let mut tasks = Vec::new();
    for s in &rooms {
        for copy in 0..2 {
            let (store, site, room) = (app.store.clone(), app.site, s.room);
            tasks.push(tokio::spawn(async move {
                let mut answers = Vec::new();
                for i in 0..40 {
                    let body = format!("{room}:{i}");
                    let id = format!("c{i}");
                    let m = NewMessage {
                        site: SiteId::new(site),
                        room: RoomId::new(room),
                        target: Target::OpenOfRoom,
                        sender: Sender::Customer,
                        agent: None,
                        body: &body,
                        client_msg_id: Some(&id),
                        now: 3,
                    };
                    answers.push((copy, store.add_message(m).await.unwrap()));
                }
                answers
            }));
        }
    }
    // Meanwhile, writes to the closed room are refused, each on its own.
    let refused = {
        let store = app.store.clone();
        let m = customer(&app, closed.room, "too late", "late-1");
        store.add_message(m).await
    };
    assert!(
        matches!(refused, Err(StoreError::Conflict(ref why)) if why.contains("closed")),
        "{refused:?}"
    );

    let mut new_per_key: HashMap<(i64, String), u32> = HashMap::new();
    for t in tasks {
        for (_, (m, new)) in t.await.unwrap() {
            if new {
                *new_per_key
                    .entry((m.room_id.get(), m.client_msg_id.clone().unwrap()))
                    .or_default() += 1;
            }
        }
    }
    assert_eq!(new_per_key.len(), 8 * 40, "every message stored");
    assert!(
        new_per_key.values().all(|n| *n == 1),
        "exactly one sender was told it stored each message"
    );
    for s in &rooms {
        let bodies = app.room_bodies(s.room).await;
        let expected: Vec<String> = (0..40).map(|i| format!("{}:{i}", s.room)).collect();
        assert_eq!(bodies, expected, "room {} in order, once each", s.room);
    }
    assert!(app.room_bodies(closed.room).await.is_empty());
    // A retry after the close is still answered with what was stored before it.
    let open = &rooms[0];
    app.store
        .transition(
            ConsultationId::new(open.consultation),
            Transition::Close(EndType::Manager),
            None,
            4,
        )
        .await
        .unwrap();
    let again = app
        .store
        .add_message(customer(&app, open.room, "ignored", "c0"))
        .await
        .unwrap();
    assert!(!again.1);
    assert_eq!(again.0.body, format!("{}:0", open.room));
}
