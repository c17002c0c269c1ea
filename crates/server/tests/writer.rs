//! The message writer under concurrent senders: many messages committed together, each
//! stored once whatever the retries, in each sender's order, never into a closed consultation,
//! and one bad message failing alone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use common::TestApp;
use sangdam_core::{ConsultationId, EndType, RoomId, SiteId, Transition};
use serde_json::{Value, json};
use store::{NewMessage, Sender, StoreError, Target};

both!(concurrent_senders_retries_and_a_closed_room);
both!(live_in_the_order_stored_without_echoing_a_window_its_own);

fn customer<'a>(app: &TestApp, room: i64, body: &'a str, id: &'a str) -> NewMessage<'a> {
    NewMessage {
        site: SiteId::new(app.site),
        room: RoomId::new(room),
        target: Target::OpenOfRoom,
        sender: Sender::Customer,
        agent: None,
        body,
        client_msg_id: Some(id),
        original_chars: None,
        outbound: None,
        idle: store::IdleTimer::Keep,
        file: None,
        rich: None,
        bot_memory: None,
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
                        original_chars: None,
                        outbound: None,
                        idle: store::IdleTimer::Keep,
                        file: None,
                        rich: None,
                        bot_memory: None,
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

/// Messages written at once from many tasks reach a console in the order of their ids, each
/// once; a chat window gets an ack for what it sent itself and the room's other messages.
async fn live_in_the_order_stored_without_echoing_a_window_its_own(app: TestApp) {
    let mut rooms = Vec::new();
    for n in 0..4 {
        rooms.push(app.chat(&app.v2_url(&format!("site_uid=('o{n}')"))).await);
    }
    let auth = format!("Bearer {}", app.token);
    let mut console = app
        .ws("/api/v1/console/ws", &[("authorization", &auth)])
        .await;
    console
        .until(Duration::from_secs(5), |f| f["type"] == "hello")
        .await;
    let window_path = format!(
        "/api/v1/webchat/{}/ws?visitor={}",
        app.site, rooms[0].visitor
    );
    let mut window = app.ws(&window_path, &[]).await;

    // 4 rooms x 25 messages written straight to the store (another tab of room 0 among them),
    // while the window itself sends 10.
    let mut tasks = Vec::new();
    for s in &rooms {
        let (store, site, room) = (app.store.clone(), app.site, s.room);
        tasks.push(tokio::spawn(async move {
            for i in 0..25 {
                let (body, id) = (format!("{room}:{i}"), format!("t{i}"));
                let m = NewMessage {
                    site: SiteId::new(site),
                    room: RoomId::new(room),
                    target: Target::OpenOfRoom,
                    sender: Sender::Customer,
                    agent: None,
                    body: &body,
                    client_msg_id: Some(&id),
                    original_chars: None,
                    outbound: None,
                    idle: store::IdleTimer::Keep,
                    file: None,
                    rich: None,
                    bot_memory: None,
                    now: 5,
                };
                store.add_message(m).await.unwrap();
            }
        }));
    }
    for i in 0..10 {
        window
            .send_json(&json!({"type": "message", "body": format!("own {i}"), "client_msg_id": format!("w{i}")}))
            .await;
    }
    for t in tasks {
        t.await.unwrap();
    }

    let mut at_console = Vec::new();
    while at_console.len() < 4 * 25 + 10 {
        let f = console
            .until(Duration::from_secs(10), |f| f["type"] == "message")
            .await;
        at_console.push(f["message"]["id"].as_i64().unwrap());
    }
    assert!(
        at_console.windows(2).all(|w| w[0] < w[1]),
        "the console receives messages in the order of their ids, once each: {at_console:?}"
    );

    // The window: an ack for each of its own (in the order sent), the other 25 of its room
    // as messages, in order; none of its own a second time.
    let (mut acked, mut others) = (Vec::new(), Vec::new());
    while acked.len() < 10 || others.len() < 25 {
        let f: Value = window
            .until(Duration::from_secs(10), |f| {
                f["type"] == "ack" || f["type"] == "message"
            })
            .await;
        let body = f["message"]["body"].as_str().unwrap().to_owned();
        let id = f["message"]["id"].as_i64().unwrap();
        if f["type"] == "ack" {
            acked.push((id, body));
        } else {
            others.push((id, body));
        }
    }
    let own: Vec<String> = (0..10).map(|i| format!("own {i}")).collect();
    assert_eq!(acked.iter().map(|a| a.1.clone()).collect::<Vec<_>>(), own);
    let expected: Vec<String> = (0..25).map(|i| format!("{}:{i}", rooms[0].room)).collect();
    assert_eq!(
        others.iter().map(|o| o.1.clone()).collect::<Vec<_>>(),
        expected
    );
    assert!(others.windows(2).all(|w| w[0].0 < w[1].0));
    let own_ids: HashSet<i64> = acked.iter().map(|a| a.0).collect();
    if let Some(extra) = window.next_json(Duration::from_millis(300)).await {
        panic!("nothing more for the window (its own messages are not echoed): {extra}");
    }
    assert_eq!(own_ids.len(), 10);
}
