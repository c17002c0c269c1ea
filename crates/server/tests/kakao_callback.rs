//! Kakao replies that do not wait, against Kakao's peer (callbacks and the Event API): while an
//! agent holds the consultation, a request with a callback URL is answered `useCallback`, and
//! the agent's reply goes out through that callback at once; a callback nobody used is answered
//! with the receipt before it expires; a reply written after the callback expired goes out
//! through the Event API when the site names an event for it (billed), and otherwise waits for
//! the user's next message. Each reply says which happened.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::time::{Duration, Instant};

use common::{TestApp, fund_wallet, kakao_request, newest_on, skill_texts, verify_business};
use protocol::kakao::event_peer::KakaoEventPeer;
use serde_json::{Value, json};
use server::Config;

both!(an_agents_reply_goes_by_callback_by_event_or_with_the_next_message,);

const BOT: &str = "5ae9b76d7409b11ec845b746";
const REST_KEY: &str = "kakao-rest-key";
const USER: &str = "callback-user";

fn with_callback(peer: &KakaoEventPeer, utterance: &str, token: &str) -> Value {
    let mut r = kakao_request(USER, utterance, json!({}));
    r["userRequest"]["callbackUrl"] = json!(peer.callback_url(BOT, token));
    r
}

/// Evaluates `$probe` (an expression answering an `Option`) until it is `Some`, for at most
/// `$within`; its value.
macro_rules! until {
    ($within:expr, $what:expr, $probe:expr) => {{
        let end = Instant::now() + $within;
        loop {
            if let Some(v) = $probe {
                break v;
            }
            assert!(Instant::now() < end, "timed out waiting for {}", $what);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }};
}

/// The reply `body` of the room as the agent API lists it.
async fn reply(app: &TestApp, room: i64, body: &str) -> Value {
    let all = app
        .get(&format!("/api/v1/rooms/{room}/messages"))
        .await
        .ok();
    all["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["body"] == body)
        .cloned()
        .unwrap_or(Value::Null)
}

fn callback_texts(peer: &KakaoEventPeer, token: &str) -> Option<Vec<String>> {
    peer.callbacks()
        .into_iter()
        .find(|(t, _)| t == token)
        .map(|(_, v)| skill_texts(&v))
}

async fn an_agents_reply_goes_by_callback_by_event_or_with_the_next_message(mut app: TestApp) {
    let peer = KakaoEventPeer::start(REST_KEY).await;
    app.reconfigure(Config {
        kakao_bot_api: Some(peer.url()),
        kakao_callback_ms: 3_000,
        ..Config::default()
    })
    .await;

    // A first message (no agent yet): answered at once with the place in the queue, callback
    // or not.
    let first = app
        .kakao(&with_callback(&peer, "문의합니다", "t0"))
        .await
        .ok();
    assert!(skill_texts(&first).join(" ").contains("기다리"), "{first}");
    let c = newest_on(&app, "kakao").await;
    let room = c["room_id"].as_i64().unwrap();
    let path = format!("/api/v1/consultations/{}", c["id"]);
    app.post(&format!("{path}/take"), &json!({})).await.ok();
    // The agent's greeting waits for the user: a request is answered with it at once.
    let greeted = app
        .kakao(&with_callback(&peer, "안녕하세요", "t00"))
        .await
        .ok();
    assert!(
        skill_texts(&greeted).join(" ").contains("상담원"),
        "{greeted}"
    );

    // With an agent: the answer comes later, and the agent's reply goes through the callback.
    let later = app
        .kakao(&with_callback(&peer, "배송은 언제 되나요?", "t1"))
        .await
        .ok();
    assert_eq!(later["useCallback"], true, "{later}");
    assert!(later.get("template").is_none(), "{later}");
    assert!(
        later["data"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    let text = "내일 도착 예정입니다.";
    app.post(&format!("{path}/messages"), &json!({"body": text}))
        .await
        .ok();
    let got = until!(Duration::from_secs(10), "the callback answer", {
        callback_texts(&peer, "t1")
    });
    assert_eq!(got, [text]);
    let sent = until!(Duration::from_secs(5), "the reply marked", {
        let m = reply(&app, room, text).await;
        (m["delivered_via"] == "callback").then_some(m)
    });
    assert!(sent["delivered_at"].is_i64());

    // A callback nobody uses is answered with the receipt before it runs out.
    let idle = app
        .kakao(&with_callback(&peer, "감사합니다", "t2"))
        .await
        .ok();
    assert_eq!(idle["useCallback"], true);
    let receipt = until!(
        Duration::from_secs(10),
        "the receipt by callback",
        callback_texts(&peer, "t2")
    );
    assert_eq!(receipt.len(), 1);
    assert!(!receipt[0].is_empty());

    // The callback is spent: a reply now waits for the next message (no event for it yet).
    let waits = "추가로 궁금하신 점 있으세요?";
    app.post(&format!("{path}/messages"), &json!({"body": waits}))
        .await
        .ok();
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(reply(&app, room, waits).await["delivered_at"].is_null());
    assert_eq!(peer.talks(), 0, "no event without the site's leave");
    let next = app
        .kakao(&kakao_request(USER, "아니요", json!({})))
        .await
        .ok();
    assert!(skill_texts(&next).contains(&waits.to_owned()), "{next}");
    assert_eq!(
        reply(&app, room, waits).await["delivered_via"],
        "next_message"
    );

    // With an event for late replies (a verified business, a funded wallet, a friend of the
    // channel): a late reply goes out through the Event API, billed once.
    verify_business(&app).await;
    fund_wallet(&app, 1_000).await;
    app.put(
        "/api/v1/site/event-api",
        &json!({"kakao_bot_id": BOT, "kakao_rest_key": REST_KEY, "kakao_reply_event": "agent_reply"}),
    )
    .await
    .ok();
    peer.friend(BOT, USER);
    let late = "주문하신 상품이 출고되었습니다.";
    app.post(&format!("{path}/messages"), &json!({"body": late}))
        .await
        .ok();
    let by_event = until!(Duration::from_secs(15), "the reply by event", {
        let m = reply(&app, room, late).await;
        (m["delivered_via"] == "event_api").then_some(m)
    });
    assert!(by_event["delivered_at"].is_i64());
    let delivered = peer.delivered();
    assert_eq!(delivered.len(), 1, "{delivered:?}");
    assert_eq!(delivered[0].event, "agent_reply");
    assert_eq!(delivered[0].user_id, USER);
    assert_eq!(delivered[0].data["text"], late);
    let free = until!(Duration::from_secs(5), "the bill", {
        let w = app.get("/api/v1/wallet").await.ok();
        (w["balances"]["free"] == 1_000 - 15).then_some(w)
    });
    assert_eq!(free["balances"]["free"], 985);
    // Recorded once: the room has the reply once, not again as an event message.
    let all = app
        .get(&format!("/api/v1/rooms/{room}/messages"))
        .await
        .ok();
    let copies = all["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["body"] == late)
        .count();
    assert_eq!(copies, 1);
    // The user's next message does not bring it again.
    let after = app.kakao(&kakao_request(USER, "네", json!({}))).await.ok();
    assert!(!skill_texts(&after).contains(&late.to_owned()), "{after}");
}
