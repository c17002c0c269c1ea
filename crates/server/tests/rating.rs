//! Satisfaction ratings (R3.8) as the customer gives them in the chat window and the agent sees
//! them: once, after the end of a consultation an agent had, from the window that took part.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::time::Duration;

use common::{TestApp, kakao_request, naver_user, skill_texts};
use protocol::naver::testing::FakeNaver;
use serde_json::{Value, json};
use server::Config;

both!(
    the_customer_rates_once_after_the_end_and_the_agent_sees_it,
    only_an_ended_consultation_of_the_window_with_an_agent_is_rated,
    a_naver_customer_rates_with_the_quick_replies_sent_at_the_close,
    a_kakao_customer_rates_with_the_quick_replies_of_their_next_answer,
);

async fn rate(app: &TestApp, visitor: &str, body: &Value) -> common::Resp {
    let resp = app
        .http
        .post(format!("{}/api/v1/webchat/{}/rating", app.base, app.site))
        .header("x-sangdam-visitor", visitor)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.json().await.unwrap_or(Value::Null);
    common::Resp {
        status,
        headers,
        body,
    }
}

/// Taken, answered and closed by the admin's account.
async fn answered_and_closed(app: &TestApp, visitor: &str, consultation: i64) {
    let path = format!("/api/v1/consultations/{consultation}");
    app.say(visitor, "환불 문의드려요").await.ok();
    app.post(&format!("{path}/take"), &json!({})).await.ok();
    app.post(
        &format!("{path}/messages"),
        &json!({"body": "처리해 드렸습니다."}),
    )
    .await
    .ok();
    app.post(&format!("{path}/close"), &json!({})).await.ok();
}

async fn the_customer_rates_once_after_the_end_and_the_agent_sees_it(app: TestApp) {
    let s = app.chat(&app.v2_url("")).await;
    answered_and_closed(&app, &s.visitor, s.consultation).await;

    let rated = rate(
        &app,
        &s.visitor,
        &json!({"consultation_id": s.consultation, "score": 4, "comment": "  빨리 해결됐어요\n감사합니다  "}),
    )
    .await
    .ok();
    assert_eq!(rated["rating"], 4);
    assert_eq!(rated["rating_comment"], "빨리 해결됐어요\n감사합니다");
    assert!(rated["rated_at"].as_i64().is_some());

    // The agent's view of the consultation carries it.
    let seen = app.consultation(s.consultation).await;
    assert_eq!(seen["consultation"]["rating"], 4);
    assert_eq!(
        seen["consultation"]["rating_comment"],
        "빨리 해결됐어요\n감사합니다"
    );

    // Once: a second rating, also a different one, changes nothing.
    rate(
        &app,
        &s.visitor,
        &json!({"consultation_id": s.consultation, "score": 1}),
    )
    .await
    .err(409, "already_rated");
    assert_eq!(
        app.consultation(s.consultation).await["consultation"]["rating"],
        4
    );
}

async fn only_an_ended_consultation_of_the_window_with_an_agent_is_rated(app: TestApp) {
    let s = app.chat(&app.v2_url("")).await;
    app.say(&s.visitor, "문의드립니다").await.ok();
    // Still going.
    rate(
        &app,
        &s.visitor,
        &json!({"consultation_id": s.consultation, "score": 5}),
    )
    .await
    .err(409, "not_rateable");

    // Closed while waiting: no agent had it.
    app.post(
        &format!("/api/v1/consultations/{}/close", s.consultation),
        &json!({}),
    )
    .await
    .ok();
    rate(
        &app,
        &s.visitor,
        &json!({"consultation_id": s.consultation, "score": 5}),
    )
    .await
    .err(409, "not_rateable");

    // Another customer's window cannot rate this one's consultation, nor a made-up one.
    let other = app.chat(&app.v2_url("")).await;
    answered_and_closed(&app, &other.visitor, other.consultation).await;
    rate(
        &app,
        &s.visitor,
        &json!({"consultation_id": other.consultation, "score": 5}),
    )
    .await
    .err(404, "not_found");
    rate(
        &app,
        &s.visitor,
        &json!({"consultation_id": 1e20, "score": 5}),
    )
    .await
    .err(404, "not_found");

    // Bad ratings are refused as such and store nothing.
    for (body, status) in [
        (
            json!({"consultation_id": other.consultation, "score": 6}),
            422,
        ),
        (
            json!({"consultation_id": other.consultation, "score": 0}),
            422,
        ),
        (
            json!({"consultation_id": other.consultation, "score": 4.5}),
            400,
        ),
        (
            json!({"consultation_id": other.consultation, "score": 3, "comment": "가".repeat(501)}),
            422,
        ),
    ] {
        let resp = rate(&app, &other.visitor, &body).await;
        assert_eq!(resp.status, status, "{body}: {}", resp.body);
        common::assert_structured_error(&resp.body);
    }
    // Without the window's key: not a customer of this site.
    let resp = rate(
        &app,
        "not-a-visitor-key",
        &json!({"consultation_id": other.consultation, "score": 4}),
    )
    .await;
    assert_eq!(resp.status, 401, "{}", resp.body);
    assert_eq!(
        app.consultation(other.consultation).await["consultation"]["rating"],
        Value::Null
    );

    // A score sent as 4.0 is the score 4.
    let rated = rate(
        &app,
        &other.visitor,
        &json!({"consultation_id": other.consultation, "score": 4.0}),
    )
    .await
    .ok();
    assert_eq!(rated["rating"], 4);
}

/// What reached the Naver peer once one of the sends is as `pred` wants (the greeting, the
/// queue-place notices and the replies come in their own time).
async fn naver_until(fake: &FakeNaver, what: &str, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let got = fake.received();
        if got.iter().any(&pred) {
            return got;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what} did not reach Naver: {got:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn a_naver_customer_rates_with_the_quick_replies_sent_at_the_close(app: TestApp) {
    let fake = FakeNaver::start("naver-rating-key").await;
    let mut app = app;
    app.reconfigure(Config {
        naver: Some((fake.url(), "naver-rating-key".to_owned())),
        ..Config::default()
    })
    .await;
    let user = naver_user("rating");
    app.naver(&json!({"event": "send", "user": user, "textContent": {"text": "주문 취소할게요"}}))
        .await
        .ok();
    let c = app.consultations("state=waiting").await[0]["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/consultations/{c}");
    app.post(&format!("{path}/take"), &json!({})).await.ok();
    app.post(
        &format!("{path}/messages"),
        &json!({"body": "취소해 드렸습니다."}),
    )
    .await
    .ok();
    app.post(&format!("{path}/close"), &json!({})).await.ok();

    // The reply, then the rating request with the five scores as quick replies.
    let asks = |e: &Value| e["textContent"]["quickReply"].is_object();
    let sent = naver_until(&fake, "the rating request", asks).await;
    let ask = sent.iter().find(|e| asks(e)).unwrap();
    assert_eq!(ask["user"], user.as_str());
    assert_eq!(
        ask["textContent"]["text"],
        "오늘 상담은 어떠셨나요? 만족도를 선택해 주세요."
    );
    let buttons = ask["textContent"]["quickReply"]["buttonList"]
        .as_array()
        .unwrap();
    let titles: Vec<&str> = buttons
        .iter()
        .map(|b| b["data"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 5, "{titles:?}");
    assert!(titles.iter().all(|t| t.chars().count() <= 10), "{titles:?}");
    let four = buttons
        .iter()
        .find(|b| b["data"]["code"] == "rating:4")
        .expect("a button for 4");

    // The customer presses "4": the closed consultation is rated and no new one opens.
    let answered = app
        .naver(&json!({"event": "send", "user": user, "textContent": {
            "text": four["data"]["title"], "code": "rating:4", "inputType": "button"}}))
        .await
        .ok();
    assert_eq!(answered["consultation_id"], c);
    assert_eq!(app.consultation(c).await["consultation"]["rating"], 4);
    assert!(app.consultations("state=waiting").await.is_empty());
    naver_until(&fake, "the thanks", |e| {
        e["textContent"]["text"] == "평가해 주셔서 감사합니다."
    })
    .await;

    // Asked once, answered once: the next score-like message is an ordinary message that
    // opens a new consultation.
    app.naver(&json!({"event": "send", "user": user, "textContent": {"text": "5점"}}))
        .await
        .ok();
    assert_eq!(app.consultation(c).await["consultation"]["rating"], 4);
    let waiting = app.consultations("state=waiting").await;
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_ne!(waiting[0]["id"], c);
}

/// A Kakao user cannot be written to first: the rating request comes with the answers to their
/// next messages, after what was waiting for them, with the five scores as quick replies; the
/// score they press rates the consultation that asked, even though their message after the
/// close opened a new one.
async fn a_kakao_customer_rates_with_the_quick_replies_of_their_next_answer(app: TestApp) {
    let user = "kakao-rater";
    app.kakao(&kakao_request(user, "배송 문의요", json!({})))
        .await
        .ok();
    let c = app.consultations("state=waiting").await[0]["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/consultations/{c}");
    app.post(&format!("{path}/take"), &json!({})).await.ok();
    app.post(
        &format!("{path}/messages"),
        &json!({"body": "내일 도착합니다."}),
    )
    .await
    .ok();
    app.post(&format!("{path}/close"), &json!({})).await.ok();

    // Their next messages carry what waited: the reply, the closing message, then the request.
    let mut heard = Vec::new();
    let mut asked = None;
    for n in 0..4 {
        let answer = app
            .kakao(&kakao_request(user, &format!("네 {n}"), json!({})))
            .await
            .ok();
        heard.extend(skill_texts(&answer));
        if answer["template"]["quickReplies"].is_array() {
            asked = Some(answer);
            break;
        }
    }
    let asked = asked.unwrap_or_else(|| panic!("no rating request in {heard:?}"));
    assert!(heard.iter().any(|t| t == "내일 도착합니다."), "{heard:?}");
    assert!(
        skill_texts(&asked)
            .iter()
            .any(|t| t == "오늘 상담은 어떠셨나요? 만족도를 선택해 주세요."),
        "{asked}"
    );
    let replies = asked["template"]["quickReplies"].as_array().unwrap();
    assert_eq!(replies.len(), 5, "{asked}");
    let four = replies
        .iter()
        .find(|r| r["label"] == "★★★★☆ 4점")
        .expect("a reply for 4");
    assert_eq!(four["action"], "message");
    assert_eq!(four["messageText"], "★★★★☆ 4점");
    let newer = app.consultations("state=waiting").await;
    assert_eq!(newer.len(), 1, "their message after the close opened one");
    let newer = newer[0]["id"].as_i64().unwrap();
    assert_ne!(newer, c);

    // Pressing it rates the closed consultation and thanks them; the new one is untouched.
    let thanked = app
        .kakao(&kakao_request(user, "★★★★☆ 4점", json!({})))
        .await
        .ok();
    assert!(
        skill_texts(&thanked)
            .iter()
            .any(|t| t == "평가해 주셔서 감사합니다."),
        "{thanked}"
    );
    assert!(thanked["template"]["quickReplies"].is_null(), "{thanked}");
    assert_eq!(app.consultation(c).await["consultation"]["rating"], 4);
    let bodies = app.room_bodies(newer_room(&app, newer).await).await;
    assert!(!bodies.iter().any(|b| b.contains('★')), "{bodies:?}");

    // Answered once: pressing again is an ordinary message of the open consultation.
    app.kakao(&kakao_request(user, "★★★★★ 5점", json!({})))
        .await
        .ok();
    assert_eq!(app.consultation(c).await["consultation"]["rating"], 4);
    let bodies = app.room_bodies(newer_room(&app, newer).await).await;
    assert!(bodies.iter().any(|b| b == "★★★★★ 5점"), "{bodies:?}");
}

async fn newer_room(app: &TestApp, consultation: i64) -> i64 {
    app.consultation(consultation).await["consultation"]["room_id"]
        .as_i64()
        .unwrap()
}
