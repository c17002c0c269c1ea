#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `NaverClient` against `FakeNaver` over real HTTP on 127.0.0.1.

use std::time::{Duration, Instant};

use protocol::naver::testing::FakeNaver;
use protocol::naver::{Button, NaverClient, NaverError, RateLimit, Retry, SendEvent};
use serde_json::json;

const KEY: &str = "ct_wc8b1i_secret";
const USER: &str = "al-2eGuGr5WQOnco1_V-FQ";

/// Fast retries so the tests do not sleep for nothing; the policy is the same.
fn client(fake: &FakeNaver, key: &str) -> NaverClient {
    NaverClient::new(fake.url(), key)
        .unwrap()
        .with_retry(Retry {
            attempts: 3,
            backoff: Duration::from_millis(20),
        })
}

#[tokio::test]
async fn send_succeeds_and_the_fake_records_the_body() {
    let fake = FakeNaver::start(KEY).await;
    let c = client(&fake, KEY);
    let ev = SendEvent::text(USER, "안녕하세요").with_quick_replies([Button::text("예", None)]);
    c.send(&ev).await.unwrap();
    c.send(&SendEvent::image(USER, "https://img.example/1.png"))
        .await
        .unwrap();
    let got = fake.received();
    assert_eq!(got.len(), 2);
    assert_eq!(
        got[0],
        json!({"event": "send", "user": USER, "textContent": {"text": "안녕하세요",
            "quickReply": {"buttonList": [{"type": "TEXT", "data": {"title": "예"}}]}}})
    );
    assert_eq!(
        got[1]["imageContent"]["imageUrl"],
        "https://img.example/1.png"
    );
}

#[tokio::test]
async fn a_wrong_key_is_an_auth_error_and_is_not_retried() {
    let fake = FakeNaver::start(KEY).await;
    let err = client(&fake, "Bearer ct_wc8b1i_secret")
        .send(&SendEvent::text(USER, "x"))
        .await
        .unwrap_err();
    assert!(matches!(err, NaverError::Auth { .. }), "{err:?}");
    assert_eq!(fake.request_count(), 1);
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn a_bad_body_is_a_bad_request_and_is_not_retried() {
    let fake = FakeNaver::start(KEY).await;
    let c = client(&fake, KEY);
    for body in [
        json!({"event": "send", "textContent": {"text": "no user"}}),
        json!({"event": "send", "user": USER, "textContent": {"text": "가".repeat(10_001)}}),
        json!({"event": "dance", "user": USER}),
    ] {
        let err = c.send_json(&body).await.unwrap_err();
        assert!(
            matches!(err, NaverError::BadRequest { .. }),
            "{body}: {err:?}"
        );
    }
    assert_eq!(fake.request_count(), 3);
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn an_invalid_message_is_refused_before_any_request() {
    let fake = FakeNaver::start(KEY).await;
    let err = client(&fake, KEY)
        .send(&SendEvent::text(USER, "가".repeat(10_001)))
        .await
        .unwrap_err();
    let NaverError::Invalid(errs) = err else {
        panic!("{err:?}")
    };
    assert_eq!(errs[0].path, "textContent.text");
    assert_eq!(fake.request_count(), 0);
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff() {
    let fake = FakeNaver::start(KEY).await;
    let c = client(&fake, KEY);
    fake.fail_next(2);
    c.send(&SendEvent::text(USER, "third time lucky"))
        .await
        .unwrap();
    assert_eq!(fake.request_count(), 3);
    assert_eq!(fake.received().len(), 1);
    let t = fake.arrivals();
    // Backoff 20 ms, then 40 ms.
    assert!(t[1] - t[0] >= Duration::from_millis(20), "{t:?}");
    assert!(t[2] - t[1] >= Duration::from_millis(40), "{t:?}");
}

#[tokio::test]
async fn three_attempts_at_most() {
    let fake = FakeNaver::start(KEY).await;
    fake.fail_next(5);
    let err = client(&fake, KEY)
        .send(&SendEvent::text(USER, "x"))
        .await
        .unwrap_err();
    assert_eq!(err, NaverError::Http(500));
    assert_eq!(fake.request_count(), 3);
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn a_timeout_is_retried() {
    let fake = FakeNaver::start(KEY).await;
    fake.delay_next(Duration::from_millis(1200));
    let c = client(&fake, KEY).with_timeout(Duration::from_millis(400));
    c.send(&SendEvent::text(USER, "slow")).await.unwrap();
    assert_eq!(fake.request_count(), 2);

    fake.delay_next(Duration::from_millis(1200));
    fake.delay_next(Duration::from_millis(1200));
    fake.delay_next(Duration::from_millis(1200));
    let err = c.send(&SendEvent::text(USER, "slower")).await.unwrap_err();
    assert_eq!(err, NaverError::Timeout);
    assert_eq!(fake.request_count(), 5);
}

#[tokio::test]
async fn result_codes_map_to_errors_and_are_not_retried() {
    let fake = FakeNaver::start(KEY).await;
    let c = client(&fake, KEY);
    fake.reject_next("IMG-02");
    let err = c
        .send(&SendEvent::image(USER, "https://img.example/huge.png"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, NaverError::Image { code, .. } if code == "IMG-02"),
        "{err:?}"
    );
    fake.reject_next("99");
    let err = c.send(&SendEvent::text(USER, "x")).await.unwrap_err();
    assert_eq!(
        err,
        NaverError::Remote {
            code: "99".into(),
            message: "injected rejection".into()
        }
    );
    fake.reject_next("02");
    let err = c.send(&SendEvent::text(USER, "x")).await.unwrap_err();
    assert!(matches!(err, NaverError::BadRequest { .. }), "{err:?}");
    assert_eq!(fake.request_count(), 3);
}

#[tokio::test]
async fn handover_bodies_reach_the_api() {
    let fake = FakeNaver::start(KEY).await;
    let c = client(&fake, KEY);
    c.pass_thread(USER).await.unwrap();
    c.take_thread(USER).await.unwrap();
    assert_eq!(
        fake.received(),
        vec![
            json!({"event": "handover", "user": USER, "options": {"control": "passThread", "targetId": 1}}),
            json!({"event": "handover", "user": USER, "options": {"control": "takeThread"}}),
        ]
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    let fake = FakeNaver::start(KEY).await;
    let c = client(&fake, KEY);
    drop(fake);
    // Let the aborted server task release the port.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    let err = c.send(&SendEvent::text(USER, "x")).await.unwrap_err();
    assert!(matches!(err, NaverError::Connect(_)), "{err:?}");
    // Two backoffs: 20 + 40 ms.
    assert!(started.elapsed() >= Duration::from_millis(60));
}

/// Asserts that no window of `per` holds more than `max` of these arrival times. The fake
/// sees a request a little after the client sent it, and the first requests of a burst also
/// open connections, so a window may look shorter by up to `slack`.
fn assert_spaced(t: &[Instant], max: usize, per: Duration, slack: Duration) {
    for w in t.windows(max + 1) {
        let span = w[max] - w[0];
        assert!(
            span + slack >= per,
            "{} requests within {span:?} (limit {max} per {per:?})",
            max + 1
        );
    }
}

#[tokio::test]
async fn the_rate_limit_spaces_requests_instead_of_failing_them() {
    let fake = FakeNaver::start(KEY).await;
    let per = Duration::from_millis(400);
    let c = client(&fake, KEY).with_rate_limit(RateLimit { max: 3, per });
    let started = Instant::now();
    // Concurrent senders share the limit (clones share it too).
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let c = c.clone();
            tokio::spawn(async move { c.send(&SendEvent::text(USER, format!("m{i}"))).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    // 8 requests at 3 per 400 ms: the 7th waits for the third window.
    assert!(started.elapsed() >= 2 * per, "{:?}", started.elapsed());
    assert_eq!(fake.received().len(), 8);
    // Without the limit all 8 would arrive within a few milliseconds.
    assert_spaced(&fake.arrivals(), 3, per, per / 4);
}

#[tokio::test]
async fn the_default_rate_limit_stays_under_30_in_3_seconds() {
    let fake = FakeNaver::start(KEY).await;
    let c = client(&fake, KEY);
    let started = Instant::now();
    for i in 0..31 {
        c.send(&SendEvent::text(USER, format!("m{i}")))
            .await
            .unwrap();
    }
    assert!(started.elapsed() >= Duration::from_secs(3));
    let t = fake.arrivals();
    assert_eq!(t.len(), 31);
    // Naver's bound, as Naver sees it: no 30 requests within 3 s. (The client's own bound is
    // 28, so even the 30th request is sent 3 s after the 2nd, which the 1st had to wait for.)
    assert_spaced(&t, 29, Duration::from_secs(3), Duration::ZERO);
}

#[tokio::test]
async fn the_key_is_not_in_debug_output() {
    let c = NaverClient::new("https://gw.talk.naver.com/", KEY).unwrap();
    assert_eq!(c.event_url(), "https://gw.talk.naver.com/chatbot/v1/event");
    let dbg = format!("{c:?}");
    assert!(!dbg.contains(KEY), "{dbg}");
    assert!(dbg.contains("redacted"));
}
