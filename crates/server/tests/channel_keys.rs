//! Messenger requests must carry the site's channel key: without it a Kakao skill request or a
//! Naver webhook is refused (401) before anything is stored or answered, so nobody who merely
//! knows a user's key can speak as that user or take the agent replies queued for them. Keys
//! are rotated with a grace period, and the admin is shown the URLs to paste.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::sync::Arc;

use app::TestClock;
use common::{TestApp, kakao_request, newest_on, skill_texts};
use reqwest::Method;
use serde_json::{Value, json};
use server::Config;

both!(
    kakao_without_the_key_takes_nothing,
    naver_without_the_key_stores_nothing,
    the_key_may_come_in_a_header,
    rotation_keeps_the_old_key_for_its_grace_period,
    admins_see_the_urls_to_paste,
);

async fn kakao_with(app: &TestApp, query: &str, request: &Value) -> common::Resp {
    app.request(
        Method::POST,
        &format!("/kakao/{}/skill{query}", app.site),
        None,
        Some(request),
    )
    .await
}

async fn naver_with(app: &TestApp, query: &str, event: &Value) -> common::Resp {
    app.request(
        Method::POST,
        &format!("/naver/{}/webhook{query}", app.site),
        None,
        Some(event),
    )
    .await
}

async fn kakao_without_the_key_takes_nothing(app: TestApp) {
    // The real user asks; an agent answers (queued for the user's next skill request).
    app.kakao(&kakao_request("victim", "환불 되나요?", json!({})))
        .await
        .ok();
    let c = newest_on(&app, "kakao").await;
    let path = format!("/api/v1/consultations/{}", c["id"]);
    app.post(&format!("{path}/take"), &json!({})).await.ok();
    app.post(
        &format!("{path}/messages"),
        &json!({"body": "주문번호 1234 환불 완료"}),
    )
    .await
    .ok();
    let before = app.room_bodies(c["room_id"].as_i64().unwrap()).await;

    // Someone who knows the user's key, without the site's channel key or with a wrong one.
    let wrong = format!("?key={}x", app.kakao_key);
    for query in ["", "?key=", "?key=guess", wrong.as_str(), "?other=1"] {
        let resp = kakao_with(&app, query, &kakao_request("victim", "내놔", json!({}))).await;
        let body = resp.err(401, "channel_key_refused");
        assert!(
            !body.to_string().contains("환불 완료"),
            "{query}: the reply leaked: {body}"
        );
    }
    // The Naver key is not the Kakao key.
    let naver_key = format!("?key={}", app.naver_key);
    kakao_with(
        &app,
        &naver_key,
        &kakao_request("victim", "내놔", json!({})),
    )
    .await
    .err(401, "channel_key_refused");
    // Nothing stored: no message, no new room.
    assert_eq!(
        app.room_bodies(c["room_id"].as_i64().unwrap()).await,
        before
    );
    kakao_with(&app, "", &kakao_request("stranger", "hi", json!({})))
        .await
        .err(401, "channel_key_refused");
    assert_eq!(app.consultations("").await.len(), 1);

    // The real user still gets the reply.
    let texts = skill_texts(
        &app.kakao(&kakao_request("victim", "감사합니다", json!({})))
            .await
            .ok(),
    );
    assert!(texts.join("\n").contains("환불 완료"), "{texts:?}");
}

async fn naver_without_the_key_stores_nothing(app: TestApp) {
    let open = json!({"event": "open", "user": "naverUser1", "options": {"inflow": "list"}});
    let send = json!({"event": "send", "user": "naverUser1", "textContent": {"text": "안녕"}});
    for event in [&open, &send] {
        naver_with(&app, "", event)
            .await
            .err(401, "channel_key_refused");
        naver_with(&app, "?key=nope", event)
            .await
            .err(401, "channel_key_refused");
    }
    assert!(app.consultations("").await.is_empty());
    // Refused before the body is read: even one that is no event.
    let resp = app
        .raw(
            Method::POST,
            &format!("/naver/{}/webhook", app.site),
            &[("content-type", "application/json")],
            b"not json".to_vec(),
        )
        .await;
    assert_eq!(resp.status, 401, "{}", resp.body);

    app.naver(&open).await.ok();
    app.naver(&send).await.ok();
    let c = newest_on(&app, "naver").await;
    assert_eq!(
        app.room_bodies(c["room_id"].as_i64().unwrap()).await,
        vec!["안녕"]
    );
}

async fn the_key_may_come_in_a_header(app: TestApp) {
    let request = serde_json::to_vec(&kakao_request("hdr", "헤더로", json!({}))).unwrap();
    let path = format!("/kakao/{}/skill", app.site);
    let ok = app
        .raw(
            Method::POST,
            &path,
            &[
                ("content-type", "application/json"),
                ("x-sangdam-channel-key", &app.kakao_key),
            ],
            request.clone(),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let bad = app
        .raw(
            Method::POST,
            &path,
            &[
                ("content-type", "application/json"),
                ("x-sangdam-channel-key", "wrong"),
            ],
            request,
        )
        .await;
    assert_eq!(bad.status, 401, "{}", bad.body);
}

async fn rotation_keeps_the_old_key_for_its_grace_period(mut app: TestApp) {
    let clock = TestClock::at(1_800_000_000_000);
    app.reconfigure(Config {
        clock: Arc::new(clock.clone()),
        ..Config::default()
    })
    .await;
    let old = app.kakao_key.clone();
    let rotated = app
        .post(
            "/api/v1/site/channel-keys/kakao/rotate",
            &json!({"grace_minutes": 60}),
        )
        .await;
    assert_eq!(
        rotated.headers.get("cache-control").unwrap(),
        "no-store",
        "keys are not cached"
    );
    let rotated = rotated.ok();
    let new = rotated["key"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(
        rotated["webhook_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/kakao/{}/skill?key={new}", app.site)),
        "{rotated}"
    );
    assert_eq!(
        rotated["previous_valid_until"],
        json!(1_800_000_000_000_i64 + 3_600_000)
    );

    let say = |key: String| {
        let app = &app;
        async move {
            kakao_with(
                app,
                &format!("?key={key}"),
                &kakao_request("rot", "안녕", json!({})),
            )
            .await
            .status
        }
    };
    assert_eq!(say(new.clone()).await, 200);
    assert_eq!(say(old.clone()).await, 200, "the old key within its grace");
    clock.advance(3_600_000);
    assert_eq!(say(old.clone()).await, 401, "the old key after its grace");
    assert_eq!(say(new.clone()).await, 200);

    // Without grace the old key stops at once; the Naver key is untouched.
    let newest = app
        .post(
            "/api/v1/site/channel-keys/kakao/rotate",
            &json!({"grace_minutes": 0}),
        )
        .await
        .ok();
    assert_eq!(newest["previous_valid_until"], Value::Null);
    assert_eq!(say(new).await, 401);
    assert_eq!(say(newest["key"].as_str().unwrap().to_owned()).await, 200);
    app.naver(&json!({"event": "open", "user": "n1"}))
        .await
        .ok();

    // Bad rotations.
    app.post(
        "/api/v1/site/channel-keys/kakao/rotate",
        &json!({"grace_minutes": 10081}),
    )
    .await
    .err(422, "invalid_field");
    app.post(
        "/api/v1/site/channel-keys/kakao/rotate",
        &json!({"grace_minutes": -1}),
    )
    .await
    .err(422, "invalid_field");
    app.post(
        "/api/v1/site/channel-keys/kakao/rotate",
        &json!({"grace_minutes": 1.5}),
    )
    .await
    .err(422, "invalid_field");
    let whole = app
        .post(
            "/api/v1/site/channel-keys/naver/rotate",
            &json!({"grace_minutes": 60.0}),
        )
        .await
        .ok();
    assert!(whole["previous_valid_until"].is_i64(), "{whole}");
    app.post("/api/v1/site/channel-keys/line/rotate", &json!({}))
        .await
        .err(404, "not_found");
}

async fn admins_see_the_urls_to_paste(app: TestApp) {
    let keys = app.get("/api/v1/site/channel-keys").await.ok();
    let keys = keys["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    let kakao = &keys[0];
    let naver = &keys[1];
    assert_eq!(kakao["platform"], "kakao");
    assert_eq!(kakao["key"], app.kakao_key.as_str());
    assert_eq!(
        kakao["webhook_url"],
        format!(
            "http://{}/kakao/{}/skill?key={}",
            app.addr, app.site, app.kakao_key
        )
    );
    assert_eq!(naver["platform"], "naver");
    assert_eq!(
        naver["webhook_url"],
        format!(
            "http://{}/naver/{}/webhook?key={}",
            app.addr, app.site, app.naver_key
        )
    );

    // Only the admin.
    let (_, manager) = app.agent("keys-manager", store::Role::Manager).await;
    let resp = app
        .raw(
            Method::GET,
            "/api/v1/site/channel-keys",
            &[("authorization", &format!("Bearer {manager}"))],
            Vec::new(),
        )
        .await;
    assert_eq!(resp.status, 403);
    let resp = app
        .raw(
            Method::POST,
            "/api/v1/site/channel-keys/naver/rotate",
            &[("authorization", &format!("Bearer {manager}"))],
            Vec::new(),
        )
        .await;
    assert_eq!(resp.status, 403);

    // Another site's keys do not open this site.
    let other = app.other_site("다른 상점").await;
    kakao_with(
        &app,
        &format!("?key={}", other.kakao_key),
        &kakao_request("x", "hi", json!({})),
    )
    .await
    .err(401, "channel_key_refused");
}
