//! Distribution as time passes, on a clock the tests move: unanswered assignments reclaimed,
//! transfer requests that lapse, consoles that went away, a returning customer's agent, and the
//! queue's estimate.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use app::Services;
use common::{TestApp, anonymous_consultation, naver_customer};
use inflow::Channel;
use sangdam_core::{AgentId, ConsultationId, ConsultationState, DistributionMode, Presence};
use store::{AgentRecord, DistributionSettings, PresenceChange, Role};

both!(
    an_unanswered_assignment_goes_back_and_to_someone_else,
    an_unanswered_transfer_request_lapses_back_to_the_sender,
    an_agent_whose_console_went_away_is_given_nothing,
    a_returning_customer_goes_to_their_last_agent,
    the_queue_estimates_from_recent_departures,
    naver_customers_hear_their_place_without_being_flooded,
);

const MINUTE: i64 = 60_000;

async fn settings(t: &TestApp, f: impl FnOnce(&mut DistributionSettings)) {
    let mut s = t.store.distribution_settings(t.site_id()).await.unwrap();
    f(&mut s);
    t.store
        .save_distribution_settings(t.site_id(), &s)
        .await
        .unwrap();
}

async fn online(s: &Services, a: &AgentRecord) {
    s.set_presence(
        a,
        PresenceChange {
            status: Some(Presence::Online),
            takes_consultations: None,
        },
    )
    .await
    .unwrap();
}

async fn holder(s: &Services, c: ConsultationId) -> (ConsultationState, Option<AgentId>) {
    let c = s.store.consultation(c).await.unwrap();
    (c.state, c.agent_id)
}

async fn kinds(s: &Services, c: ConsultationId) -> Vec<String> {
    s.store
        .timeline(c)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

async fn second_agent(t: &TestApp, login: &str) -> AgentRecord {
    t.store
        .create_agent(t.site_id(), login, "-", login, Role::Agent, common::START)
        .await
        .unwrap()
}

async fn an_unanswered_assignment_goes_back_and_to_someone_else(t: TestApp) {
    let s = &t.services;
    settings(&t, |x| {
        x.mode = DistributionMode::LeastOpen;
        x.reclaim_after_minutes = Some(5);
    })
    .await;
    let lee = second_agent(&t, "lee").await;
    online(s, &t.agent).await;
    let (_, _, c) = anonymous_consultation(s, &t, Channel::WebchatV2).await;
    // Given as it opened, without waiting for a pass.
    assert_eq!(
        holder(s, c).await,
        (ConsultationState::InProgress, Some(t.agent.id))
    );

    // Four minutes: not yet. Lee comes online meanwhile.
    t.clock.advance(4 * MINUTE);
    online(s, &lee).await;
    s.sweep_distribution().await.unwrap();
    assert_eq!(holder(s, c).await.1, Some(t.agent.id));
    t.clock.advance(MINUTE);
    s.sweep_distribution().await.unwrap();
    assert_eq!(holder(s, c).await, (ConsultationState::Waiting, None));
    // Both are online with nothing: it goes to the one it was not taken back from.
    online(s, &t.agent).await;
    s.distribute(t.site_id()).await.unwrap();
    assert_eq!(holder(s, c).await.1, Some(lee.id));
    assert_eq!(kinds(s, c).await, ["assigned", "reclaimed", "assigned"]);
    let reclaimed = &s.store.timeline(c).await.unwrap()[1];
    assert_eq!(reclaimed.actor_id, None, "Sangdam did it");
    assert_eq!(reclaimed.from_agent_id, Some(t.agent.id));

    // Lee answers: never reclaimed however long it then sits.
    s.reply(&lee, c, "확인해 보겠습니다").await.unwrap();
    t.clock.advance(60 * MINUTE);
    online(s, &lee).await;
    s.sweep_distribution().await.unwrap();
    assert_eq!(holder(s, c).await.1, Some(lee.id));
}

async fn an_unanswered_transfer_request_lapses_back_to_the_sender(t: TestApp) {
    let s = &t.services;
    let lee = second_agent(&t, "lee").await;
    let (_, _, c) = anonymous_consultation(s, &t, Channel::WebchatV2).await;
    s.take(&t.agent, c).await.unwrap();
    let r = s
        .request_transfer(&t.agent, c, lee.id, "부탁해요")
        .await
        .unwrap();
    t.clock.advance(sangdam_core::TRANSFER_REQUEST_MS - 1);
    s.sweep_distribution().await.unwrap();
    assert_eq!(s.store.transfer(r.id).await.unwrap().state, "pending");
    t.clock.advance(1);
    s.sweep_distribution().await.unwrap();
    assert_eq!(s.store.transfer(r.id).await.unwrap().state, "expired");
    assert_eq!(holder(s, c).await.1, Some(t.agent.id));
    let late = s.answer_transfer(&lee, r.id, true).await;
    assert!(late.is_err(), "a lapsed request cannot be accepted");
    assert_eq!(
        kinds(s, c).await,
        ["taken", "transfer_requested", "transfer_expired"]
    );
    // A new request may be made once the last one lapsed.
    s.request_transfer(&t.agent, c, lee.id, "").await.unwrap();
}

async fn an_agent_whose_console_went_away_is_given_nothing(t: TestApp) {
    let s = &t.services;
    settings(&t, |x| x.mode = DistributionMode::LeastOpen).await;
    online(s, &t.agent).await;
    t.clock.advance(2 * MINUTE + 1);
    let (_, _, c) = anonymous_consultation(s, &t, Channel::WebchatV2).await;
    s.distribute(t.site_id()).await.unwrap();
    assert_eq!(holder(s, c).await, (ConsultationState::Waiting, None));
    let board = s.store.agent_board(t.site_id(), s.now()).await.unwrap();
    assert_eq!(board[0].agent.status, Presence::Online, "what they chose");
    assert_eq!(board[0].presence, Presence::Offline, "what counts");
    // Their console is back.
    s.agents_seen(&[t.agent.id]).await.unwrap();
    s.distribute(t.site_id()).await.unwrap();
    assert_eq!(holder(s, c).await.1, Some(t.agent.id));
}

async fn a_returning_customer_goes_to_their_last_agent(t: TestApp) {
    let s = &t.services;
    settings(&t, |x| {
        x.mode = DistributionMode::LeastOpen;
        x.prefer_last_agent = true;
    })
    .await;
    let lee = second_agent(&t, "lee").await;
    online(s, &lee).await;
    let (chat, _, c) = anonymous_consultation(s, &t, Channel::WebchatV2).await;
    s.distribute(t.site_id()).await.unwrap();
    assert_eq!(holder(s, c).await.1, Some(lee.id));
    s.transition(
        app::consultations::Actor::Agent(&lee),
        c,
        sangdam_core::Transition::Close(sangdam_core::EndType::Agent),
    )
    .await
    .unwrap();
    // Both are free now and Lee was given one last: least-open alone would choose Kim.
    online(s, &t.agent).await;
    t.clock.advance(MINUTE);
    online(s, &lee).await;
    let again = s
        .open_chat(app::webchat::OpenChat {
            site: t.site_id(),
            channel: Channel::WebchatV2,
            url: "https://shop.example/chat",
            visitor: Some(&chat.visitor),
            referrer: None,
            user_agent: None,
            start: true,
        })
        .await
        .unwrap();
    let second = again.consultation_id.unwrap();
    assert_ne!(second, c);
    s.distribute(t.site_id()).await.unwrap();
    assert_eq!(holder(s, second).await.1, Some(lee.id));
}

async fn the_queue_estimates_from_recent_departures(t: TestApp) {
    let s = &t.services;
    let mut waiting = Vec::new();
    for _ in 0..6 {
        let (_, _, c) = anonymous_consultation(s, &t, Channel::WebchatV2).await;
        waiting.push(c);
    }
    let q = s.queue(t.site_id()).await.unwrap();
    assert_eq!(
        q.iter().map(|p| p.position).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6]
    );
    assert!(
        q.iter().all(|p| p.estimated_wait_ms.is_none()),
        "nothing to go on yet"
    );
    // Three taken, two minutes apart.
    let limit = store::RoutingChange {
        max_concurrent: Some(100),
        ..Default::default()
    };
    s.store.set_routing(t.agent.id, &limit).await.unwrap();
    for c in &waiting[..3] {
        t.clock.advance(2 * MINUTE);
        s.take(&t.agent, *c).await.unwrap();
    }
    let q = s.queue(t.site_id()).await.unwrap();
    assert_eq!(
        q.iter().map(|p| p.consultation_id).collect::<Vec<_>>(),
        waiting[3..]
    );
    // Departures at +2, +4, +6 minutes, now +6: one place every 4/3 minutes.
    assert_eq!(q[0].estimated_wait_ms, Some(4 * MINUTE / 3));
    assert_eq!(q[2].estimated_wait_ms, Some(3 * (4 * MINUTE / 3)));
}

/// A Naver customer is told their place when they enter the queue and as it moves (no more
/// often than every few minutes, at once when next), through the outbox like a reply.
async fn naver_customers_hear_their_place_without_being_flooded(t: TestApp) {
    use app::scheduler::{Scheduler, SchedulerConfig};
    use protocol::naver::NaverClient;
    use protocol::naver::testing::FakeNaver;

    let fake = FakeNaver::start("naver-key").await;
    let s = t
        .services
        .clone()
        .with_naver(NaverClient::new(fake.url(), "naver-key").unwrap());
    let scheduler =
        app::outbox::with_handlers(Scheduler::new(s.clone(), SchedulerConfig::default()));
    let mut consultations = Vec::new();
    for user in ["naver-a", "naver-b", "naver-c"] {
        let (_, c) = naver_customer(&s, &t, user).await;
        consultations.push(c.id);
    }
    // What was sent, in order per customer (rooms' deliveries run side by side).
    let sent = async || {
        while scheduler.run_due().await.unwrap().total() > 0 {}
        let mut all = fake
            .received()
            .iter()
            .map(|e| {
                (
                    e["user"].as_str().unwrap().to_owned(),
                    e["textContent"]["text"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    };
    s.distribute(t.site_id()).await.unwrap();
    assert_eq!(
        sent().await,
        [
            ("naver-a".to_owned(), "대기 순번은 1번째입니다.".to_owned()),
            ("naver-b".to_owned(), "대기 순번은 2번째입니다.".to_owned()),
            ("naver-c".to_owned(), "대기 순번은 3번째입니다.".to_owned()),
        ]
    );
    // Another pass, nothing moved: nothing more.
    s.distribute(t.site_id()).await.unwrap();
    assert_eq!(sent().await.len(), 3);
    // The first is taken a minute later: B is next (told at once); C moved too, but was told
    // a minute ago.
    t.clock.advance(MINUTE);
    s.take(&t.agent, consultations[0]).await.unwrap();
    s.distribute(t.site_id()).await.unwrap();
    let all = sent().await;
    assert_eq!(all.len(), 5);
    // A hears the agent's greeting, no place.
    assert_eq!(
        all[1],
        (
            "naver-a".to_owned(),
            "안녕하세요, 상담원 김상담입니다. 무엇을 도와드릴까요?".to_owned()
        )
    );
    assert_eq!(
        all[2..4],
        [
            ("naver-b".to_owned(), "대기 순번은 2번째입니다.".to_owned()),
            ("naver-b".to_owned(), "대기 순번은 1번째입니다.".to_owned()),
        ]
    );
    // Three minutes on, C hears it has moved.
    t.clock.advance(3 * MINUTE);
    s.distribute(t.site_id()).await.unwrap();
    let all = sent().await;
    assert_eq!(all.len(), 6);
    assert_eq!(all[5].0, "naver-c");
    assert!(
        all[5].1.starts_with("대기 순번은 2번째입니다."),
        "{:?}",
        all[5]
    );
    // The console shows them in the room as what Sangdam said.
    let messages = t
        .store
        .consultation_messages(consultations[2])
        .await
        .unwrap();
    assert!(
        messages
            .iter()
            .all(|m| m.sender == store::Sender::System || m.sender == store::Sender::Customer)
    );
}
