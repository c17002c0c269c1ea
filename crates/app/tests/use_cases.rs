//! The use cases as the channels, consoles and timers call them: what they store, what they
//! publish, and the outbox that carries replies to Naver through an outage.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::time::Duration;

use app::Event;
use app::consultations::{Actor, Delivery};
use app::scheduler::{Scheduler, SchedulerConfig};
use app::webchat::OpenChat;
use common::{TestApp, anonymous_chat, anonymous_consultation, naver_customer};
use inflow::Channel;
use protocol::naver::testing::FakeNaver;
use protocol::naver::{NaverClient, Retry};
use sangdam_core::{ConsultationState, EndType, Transition};
use store::JobState;

fn consultation_states(events: &[Event]) -> Vec<ConsultationState> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Consultation { consultation, .. } => Some(consultation.state),
            _ => None,
        })
        .collect()
}

/// A close fired by the application (a timer) is the same change, published the same way, as
/// one an agent clicks.
async fn a_timer_closes_through_the_same_door_as_an_agent(t: TestApp) {
    let s = &t.services;
    let chat = s
        .open_chat(OpenChat {
            site: t.site_id(),
            channel: Channel::WebchatV2,
            url: "https://shop.example/chat?params=site_uid=('member01')",
            visitor: None,
            referrer: None,
            user_agent: None,
            start: false,
        })
        .await
        .unwrap();
    assert_eq!(chat.consultation_id, None, "opening the page opens nothing");
    assert_eq!(consultation_states(&t.events.take()), []);
    let mut visitor = s.visitor(t.site_id(), &chat.visitor).await.unwrap();
    let (first, _) = s
        .customer_send(&mut visitor, "문의드립니다", None)
        .await
        .unwrap();
    let consultation = first.consultation_id;
    assert_eq!(visitor.consultation_id, Some(consultation));
    assert_eq!(
        consultation_states(&t.events.take()),
        [ConsultationState::Waiting],
        "the first message opened it"
    );
    s.transition(Actor::Agent(&t.agent), consultation, Transition::Take)
        .await
        .unwrap();
    t.clock.advance(30 * 60_000);
    let closed = s
        .transition(
            Actor::System,
            consultation,
            Transition::Close(EndType::AutoClose),
        )
        .await
        .unwrap();
    assert_eq!(closed.state, ConsultationState::Closed);
    assert_eq!(
        closed.closed_at,
        Some(common::START + 30 * 60_000),
        "the clock's time"
    );
    let events = t.events.take();
    assert_eq!(
        consultation_states(&events),
        [ConsultationState::InProgress, ConsultationState::Closed]
    );
    // An agent of another site cannot reach it at all.
    let other = t
        .store
        .create_site(
            "다른 상점",
            "s2",
            &inflow::Settings::default(),
            common::START,
        )
        .await
        .unwrap();
    let stranger = t
        .store
        .create_agent(
            other.id,
            "lee",
            "-",
            "이상담",
            store::Role::Manager,
            common::START,
        )
        .await
        .unwrap();
    let refused = s
        .transition(Actor::Agent(&stranger), consultation, Transition::Delete)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, app::AppError::NotFound("consultation")),
        "{refused:?}"
    );
}

/// Messages are published once each, in the order of their ids, by the writer's commit.
async fn stored_messages_are_published_in_order(t: TestApp) {
    let s = &t.services;
    let chat = anonymous_chat(s, &t, Channel::WebchatV2).await;
    let mut visitor = s.visitor(t.site_id(), &chat.visitor).await.unwrap();
    let mut sent = Vec::new();
    for (i, body) in ["안녕하세요", "주문 문의", "감사합니다"].iter().enumerate() {
        let (m, new) = s
            .customer_send(&mut visitor, body, Some(&format!("c{i}")))
            .await
            .unwrap();
        assert!(new);
        sent.push(m.id);
    }
    // A retry is answered, not stored or published again.
    let (again, new) = s
        .customer_send(&mut visitor, "주문 문의", Some("c1"))
        .await
        .unwrap();
    assert!(!new);
    assert_eq!(again.id, sent[1]);
    let published: Vec<_> = t
        .events
        .take()
        .into_iter()
        .filter_map(|e| match e {
            Event::Message { message, .. } => Some(message.id),
            _ => None,
        })
        .collect();
    assert_eq!(published, sent);
}

/// Switches the site's greeting off: the tests of the outbox follow the agent's replies alone
/// (what the greeting does is the server's hours tests').
async fn greeting_off(t: &TestApp) {
    let mut specs = store::AutoMessageSpecs::new();
    specs.insert(
        sangdam_core::auto_message::AutoMessageKind::Greeting,
        sangdam_core::auto_message::AutoMessageSpec {
            enabled: false,
            text: String::new(),
        },
    );
    t.store
        .save_site_auto_messages(t.site_id(), &specs)
        .await
        .unwrap();
}

/// Naver's send API down for a while, then up: each reply is sent once, in order, and marked
/// delivered; the agent's reply never failed for it.
async fn naver_replies_wait_out_an_outage_and_go_once_in_order(t: TestApp) {
    let fake = FakeNaver::start("naver-key").await;
    let client = NaverClient::new(fake.url(), "naver-key")
        .unwrap()
        .with_retry(Retry {
            attempts: 1,
            backoff: Duration::from_millis(1),
        });
    let s = t.services.clone().with_naver(client);
    let (_, c) = naver_customer(&s, &t, "naver-user-1").await;
    greeting_off(&t).await;
    s.transition(Actor::Agent(&t.agent), c.id, Transition::Take)
        .await
        .unwrap();
    fake.fail_next(5);
    let mut ids = Vec::new();
    for body in ["첫 번째 답장", "두 번째 답장", "세 번째 답장"] {
        let reply = s.reply(&t.agent, c.id, body).await.unwrap();
        assert_eq!(reply.delivery, Delivery::Sending);
        ids.push(reply.message.id);
    }
    let scheduler =
        app::outbox::with_handlers(Scheduler::new(s.clone(), SchedulerConfig::default()));
    // The outage: every look fails the head of the room's queue and holds the rest back.
    for _ in 0..5 {
        let ran = scheduler.run_due().await.unwrap();
        assert_eq!((ran.done, ran.retried), (0, 1));
        t.clock.advance(600_000);
    }
    assert!(fake.received().is_empty());
    // Naver is back.
    for _ in 0..3 {
        assert_eq!(scheduler.run_due().await.unwrap().done, 1);
    }
    assert_eq!(scheduler.run_due().await.unwrap().total(), 0);
    let texts: Vec<String> = fake
        .received()
        .iter()
        .map(|e| {
            assert_eq!(e["user"], "naver-user-1");
            e["textContent"]["text"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(texts, ["첫 번째 답장", "두 번째 답장", "세 번째 답장"]);
    let jobs = t.store.jobs_of_kind(app::outbox::NAVER_SEND).await.unwrap();
    let delivered: Vec<_> = jobs.iter().map(|j| (j.payload.clone(), j.state)).collect();
    let expected: Vec<_> = ids
        .iter()
        .map(|id| (format!("{{\"message_id\":{id}}}"), JobState::Done))
        .collect();
    assert_eq!(delivered, expected, "one delivery job per reply, each done");
}

/// Naver refusing a reply for good (a bad request) fails that delivery without holding the
/// room's next replies back.
async fn a_refused_naver_reply_fails_alone(t: TestApp) {
    let fake = FakeNaver::start("naver-key").await;
    let client = NaverClient::new(fake.url(), "naver-key").unwrap();
    let s = t.services.clone().with_naver(client);
    let (_, c) = naver_customer(&s, &t, "naver-user-2").await;
    greeting_off(&t).await;
    s.transition(Actor::Agent(&t.agent), c.id, Transition::Take)
        .await
        .unwrap();
    fake.reject_next("02");
    s.reply(&t.agent, c.id, "거절될 답장").await.unwrap();
    s.reply(&t.agent, c.id, "다음 답장").await.unwrap();
    let scheduler =
        app::outbox::with_handlers(Scheduler::new(s.clone(), SchedulerConfig::default()));
    let first = scheduler.run_due().await.unwrap();
    assert_eq!(first.failed, 1);
    assert_eq!(scheduler.run_due().await.unwrap().done, 1);
    assert_eq!(fake.received().len(), 1);
    assert_eq!(fake.received()[0]["textContent"]["text"], "다음 답장");
    let jobs = t.store.jobs_of_kind(app::outbox::NAVER_SEND).await.unwrap();
    assert_eq!(jobs[0].state, JobState::Failed);
    assert!(
        jobs[0].last_error.as_deref().unwrap().contains("02"),
        "{:?}",
        jobs[0].last_error
    );
}

/// How a reply travels, by channel; without a send API a Naver reply is stored, not queued.
async fn replies_say_how_they_travel(t: TestApp) {
    let s = &t.services;
    let (_, naver) = naver_customer(s, &t, "naver-user-3").await;
    s.transition(Actor::Agent(&t.agent), naver.id, Transition::Take)
        .await
        .unwrap();
    let r = s.reply(&t.agent, naver.id, "설정 전 답장").await.unwrap();
    assert_eq!(r.delivery, Delivery::NotConfigured);
    assert!(
        t.store
            .jobs_of_kind(app::outbox::NAVER_SEND)
            .await
            .unwrap()
            .is_empty()
    );
    let (_, _, web) = anonymous_consultation(s, &t, Channel::WebchatV1).await;
    s.transition(Actor::Agent(&t.agent), web, Transition::Take)
        .await
        .unwrap();
    let r = s.reply(&t.agent, web, "웹 답장").await.unwrap();
    assert_eq!(r.delivery, Delivery::Realtime);
    let empty = s.reply(&t.agent, web, "   ").await.unwrap_err();
    assert!(
        matches!(
            empty,
            app::AppError::Invalid {
                code: app::error::Refusal::EmptyMessage,
                ..
            }
        ),
        "{empty:?}"
    );
}

/// The workers stop together and start again (a server restarted in the same process): a
/// stopped writer refuses messages (nothing hangs), and a new one takes over.
async fn workers_stop_together_and_start_again(t: TestApp) {
    // An instance of its own, whose workers this test alone starts and stops.
    let s = t.second_instance().await;
    let chat = anonymous_chat(&s, &t, Channel::WebchatV2).await;
    let mut visitor = s.visitor(t.site_id(), &chat.visitor).await.unwrap();
    let refused = s
        .customer_send(&mut visitor, "시작 전", Some("a"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            app::AppError::Store(store::StoreError::Unavailable(_))
        ),
        "{refused:?}"
    );
    let workers = s.start_workers(SchedulerConfig::default());
    let expected: &[&str] = match t.backend {
        store::Backend::Sqlite => &[
            "message writer",
            "SQLite checkpointer",
            "job scheduler",
            "distribution",
            "search indexer",
        ],
        store::Backend::Postgres => &[
            "message writer",
            "job scheduler",
            "distribution",
            "search indexer",
        ],
    };
    assert_eq!(workers.names(), expected);
    s.customer_send(&mut visitor, "하나", Some("b"))
        .await
        .unwrap();
    workers.stop().await;
    let refused = s
        .customer_send(&mut visitor, "둘", Some("c"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            app::AppError::Store(store::StoreError::Unavailable(_))
        ),
        "{refused:?}"
    );
    let again = s.start_workers(SchedulerConfig::default());
    let (m, new) = s
        .customer_send(&mut visitor, "셋", Some("d"))
        .await
        .unwrap();
    assert!(new);
    assert_eq!(m.body, "셋");
    again.stop().await;
    let bodies: Vec<String> = t
        .store
        .room_messages(chat.room_id, 0, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert_eq!(bodies, ["하나", "셋"]);
    s.store.close().await;
}

/// A room an anonymous visitor opened when rooms were keyed by the visitor's credential takes
/// the visitor's public id when the database is next opened, and keeps its visitor.
async fn an_old_anonymous_room_is_rekeyed_and_kept(t: TestApp) {
    let key = sangdam_core::VisitorKey::from_random([9; 24]);
    let legacy = sangdam_core::CustomerKey::parse(key.as_str()).unwrap();
    let inflow = inflow::parse(
        Channel::WebchatV2,
        "https://shop.example/chat",
        &t.site.settings,
    );
    let identity = sangdam_core::Identity {
        site_uid: None,
        verified: false,
        warnings: vec![],
    };
    let old = t
        .store
        .record_inflow(store::InflowRequest {
            site: t.site_id(),
            channel: Channel::WebchatV2,
            customer_key: &legacy,
            identity: &identity,
            inflow: &inflow,
            warnings: &[],
            raw: "https://shop.example/chat",
            referrer: None,
            user_agent: None,
            consult: store::Consult::OpenOrJoin,
            now: common::START,
        })
        .await
        .unwrap();
    assert_eq!(old.room.customer_key.as_str(), key.as_str());
    let old_consultation = old.consultation.as_ref().unwrap().id;
    t.store
        .create_visitor(
            t.site_id(),
            &app::secrets::token_hash(key.as_str()),
            old.room.id,
            true,
            0,
            &store::Joined::Consultation(old_consultation),
            common::START,
        )
        .await
        .unwrap();
    // The server starts again on the same database.
    let restarted = t.second_instance().await;
    let room = t.store.room(old.room.id).await.unwrap();
    assert_eq!(room.customer_key.as_str(), key.public_id());
    let workers = restarted.start_workers(SchedulerConfig::default());
    let again = restarted
        .open_chat(OpenChat {
            site: t.site_id(),
            channel: Channel::WebchatV2,
            url: "https://shop.example/chat",
            visitor: Some(key.as_str()),
            referrer: None,
            user_agent: None,
            start: false,
        })
        .await
        .unwrap();
    assert_eq!(again.room_id, old.room.id, "the same room");
    assert_eq!(again.visitor, key.as_str(), "the same credential");
    assert_eq!(again.customer_key, key.public_id());
    workers.stop().await;
    restarted.store.close().await;
}

both!(
    an_old_anonymous_room_is_rekeyed_and_kept,
    workers_stop_together_and_start_again,
    a_timer_closes_through_the_same_door_as_an_agent,
    stored_messages_are_published_in_order,
    naver_replies_wait_out_an_outage_and_go_once_in_order,
    a_refused_naver_reply_fails_alone,
    replies_say_how_they_travel,
);
