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
both!(bot_answers_go_with_customers_messages_and_keep_their_place);

fn customer<'a>(app: &TestApp, room: i64, body: &'a str, id: &'a str) -> NewMessage<'a> {
    NewMessage {
        now: 1,
        ..customer_in(SiteId::new(app.site), room, body, id)
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
                        now: 3,
                        ..customer_in(SiteId::new(site), room, &body, &id)
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

fn bot_answer<'a>(
    app: &TestApp,
    room: i64,
    consultation: i64,
    body: &'a str,
    rich: &'a str,
    id: &'a str,
) -> NewMessage<'a> {
    NewMessage {
        target: Target::Consultation(ConsultationId::new(consultation)),
        sender: Sender::Bot,
        rich: Some(rich),
        ..customer(app, room, body, id)
    }
}

/// The bot's answers written in the same batches as customers' messages: each stored once,
/// with its template, in its room's order and numbering without a gap; an answer whose
/// consultation closed meanwhile is still stored in it.
async fn bot_answers_go_with_customers_messages_and_keep_their_place(app: TestApp) {
    let mut rooms = Vec::new();
    for n in 0..6 {
        rooms.push(app.chat(&app.v2_url(&format!("site_uid=('b{n}')"))).await);
    }
    let mut tasks = Vec::new();
    for s in &rooms {
        let (store, site, room, consultation) =
            (app.store.clone(), app.site, s.room, s.consultation);
        tasks.push(tokio::spawn(async move {
            for i in 0..30 {
                let (asked, answer) = (format!("{room}:q{i}"), format!("{room}:a{i}"));
                let (cid, bid) = (format!("q{i}"), format!("sangdam:bot:{room}-{i}"));
                let rich = json!({"outputs": [{"simpleText": {"text": answer}}]}).to_string();
                let site = SiteId::new(site);
                let q = customer_in(site, room, &asked, &cid);
                let a = NewMessage {
                    target: Target::Consultation(ConsultationId::new(consultation)),
                    sender: Sender::Bot,
                    rich: Some(&rich),
                    ..customer_in(site, room, &answer, &bid)
                };
                // Both at once: the batches mix questions and answers of every room.
                let (q, a) = tokio::join!(store.add_message(q), store.add_message(a));
                assert!(q.unwrap().1 && a.unwrap().1);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    for s in &rooms {
        let v = app
            .get(&format!("/api/v1/rooms/{}/messages", s.room))
            .await
            .ok();
        let messages = v["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 60, "room {}: every message once", s.room);
        let seqs: Vec<i64> = messages
            .iter()
            .map(|m| m["seq"].as_i64().unwrap())
            .collect();
        assert_eq!(seqs, (1..=60).collect::<Vec<_>>(), "numbered without a gap");
        for i in 0..30 {
            let (q, a) = (&messages[2 * i], &messages[2 * i + 1]);
            // A question and its answer were sent at once: either may be stored first.
            let mut pair = [q, a];
            pair.sort_by_key(|m| m["sender"] != "customer");
            assert_eq!(pair[0]["body"], format!("{}:q{i}", s.room));
            assert_eq!(pair[1]["body"], format!("{}:a{i}", s.room));
            assert_eq!(pair[1]["sender"], "bot");
            assert_eq!(
                pair[1]["rich"]["outputs"][0]["simpleText"]["text"],
                format!("{}:a{i}", s.room),
                "the template kept"
            );
        }
    }
    // Closed meanwhile: the answer still goes into its consultation.
    let s = &rooms[0];
    app.store
        .transition(
            ConsultationId::new(s.consultation),
            Transition::Close(EndType::Manager),
            None,
            4,
        )
        .await
        .unwrap();
    let rich = json!({"outputs": [{"simpleText": {"text": "늦은 답"}}]}).to_string();
    let store = app.store.clone();
    let (late, other) = tokio::join!(
        store.add_message(bot_answer(
            &app,
            s.room,
            s.consultation,
            "늦은 답",
            &rich,
            "sangdam:bot:late"
        )),
        store.add_message(customer(&app, rooms[1].room, "옆 방", "side-1")),
    );
    let (late, new) = late.unwrap();
    assert!(new);
    assert_eq!(late.consultation_id.get(), s.consultation);
    assert!(other.unwrap().1);
}

fn customer_in<'a>(site: SiteId, room: i64, body: &'a str, id: &'a str) -> NewMessage<'a> {
    NewMessage {
        client_msg_id: Some(id),
        ..NewMessage::plain(
            site,
            RoomId::new(room),
            Target::OpenOfRoom,
            Sender::Customer,
            body,
            3,
        )
    }
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
                    now: 5,
                    ..customer_in(SiteId::new(site), room, &body, &id)
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
