//! The Event API over HTTP, against Kakao's Event API peer and a local Naver send API: refused
//! with nothing sent until the business is verified and a wallet exists; then one request to a
//! Kakao friend, a user who never added the channel, one who blocked it, a Naver user, a
//! verified web chat member and an unverified one. The task shows each result, the friend's,
//! the Naver user's and the verified member's messages are in their rooms (and the chat window
//! shows it), exactly those three are billed, and the same request again (same
//! `Idempotency-Key`) sends and bills nothing more.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::time::Duration;

use common::{TestApp, fund_wallet, kakao_request, services, verify_business};
use protocol::kakao::event_peer::{BLOCKED, KakaoEventPeer, NOT_A_FRIEND};
use protocol::naver::testing::FakeNaver;
use reqwest::Method;
use serde_json::{Value, json};
use server::Config;

both!(a_task_reaches_each_channel_and_bills_only_the_delivered,);

const BOT: &str = "5ae9b76d7409b11ec845b746";
const REST_KEY: &str = "kakao-rest-key";
const NAVER_KEY: &str = "naver-send-key";

async fn talk(app: &TestApp, key: &str, idempotency: Option<&str>, body: &Value) -> common::Resp {
    let mut headers = vec![
        ("authorization", format!("KakaoAK {key}")),
        ("content-type", "application/json".to_owned()),
    ];
    if let Some(k) = idempotency {
        headers.push(("idempotency-key", k.to_owned()));
    }
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.raw(
        Method::POST,
        &format!("/api/v1/event/bots/{}/talk", app.site),
        &headers,
        serde_json::to_vec(body).unwrap(),
    )
    .await
}

async fn task(app: &TestApp, key: &str, id: &str) -> common::Resp {
    let auth = format!("KakaoAK {key}");
    app.raw(
        Method::GET,
        &format!("/api/v1/event/tasks/{id}"),
        &[("authorization", auth.as_str())],
        Vec::new(),
    )
    .await
}

async fn a_task_reaches_each_channel_and_bills_only_the_delivered(mut app: TestApp) {
    let peer = KakaoEventPeer::start(REST_KEY).await;
    let naver = FakeNaver::start(NAVER_KEY).await;
    app.reconfigure(Config {
        kakao_bot_api: Some(peer.url()),
        naver: Some((naver.url(), NAVER_KEY.to_owned())),
        ..Config::default()
    })
    .await;

    // The customers Sangdam knows: three Kakao users, a verified member and an unverified one.
    for user in ["friend-1", "stranger-2", "blocker-3"] {
        app.kakao(&kakao_request(user, "안녕하세요", json!({})))
            .await
            .ok();
    }
    peer.friend(BOT, "friend-1");
    peer.friend(BOT, "blocker-3");
    peer.block(BOT, "blocker-3");
    let hash = app.uid_hash("member-7");
    let member = app
        .chat(&app.v2_url(&format!("site_uid=('member-7'),site_uid_hash=('{hash}')")))
        .await;
    assert!(member.verified);
    app.chat(&app.v2_url("site_uid=('anon-8')")).await;

    // The event's block, and the key.
    let block = app
        .post(
            "/api/v1/bot/blocks",
            &json!({"name": "배송 출발", "event": "order_shipped",
                    "response": {"outputs": [{"simpleText": {"text": "{{params.name}}님, 주문 {{data.order}}이(가) 출발했어요"}}]}}),
        )
        .await;
    assert_eq!(block.status, 201, "{}", block.body);
    let twin = app
        .post(
            "/api/v1/bot/blocks",
            &json!({"name": "또 배송", "event": "order_shipped",
                    "response": {"outputs": [{"simpleText": {"text": "x"}}]}}),
        )
        .await
        .err(422, "invalid_field");
    assert!(
        twin["message"].as_str().unwrap().contains("already sends"),
        "{twin}"
    );
    let key = app
        .post("/api/v1/site/event-api/key", &json!({}))
        .await
        .ok()["key"]
        .as_str()
        .unwrap()
        .to_owned();
    app.put(
        "/api/v1/site/event-api",
        &json!({"kakao_bot_id": BOT, "kakao_rest_key": REST_KEY}),
    )
    .await
    .ok();

    let users = json!([
        {"type": "botUserKey", "id": "friend-1"},
        {"type": "botUserKey", "id": "stranger-2"},
        {"type": "botUserKey", "id": "blocker-3"},
        {"type": "talktalkUserId", "id": "naver-user-4"},
        {"type": "siteUid", "id": "member-7"},
        {"type": "siteUid", "id": "anon-8"},
    ]);
    let request = json!({"event": {"name": "order_shipped", "data": {"order": "A-17"}},
                         "user": users, "params": {"name": "김고객"}});

    // Not verified, no wallet: refused, nothing sent.
    talk(&app, &key, None, &request)
        .await
        .err(403, "business_not_verified");
    verify_business(&app).await;
    let view = app.get("/api/v1/site/event-api").await.ok();
    assert_eq!(view["missing"], json!(["wallet"]), "{view}");
    assert_eq!(view["events"], json!(["order_shipped"]));
    assert_eq!(view["has_kakao_rest_key"], true);
    talk(&app, &key, None, &request).await.err(403, "no_wallet");
    assert_eq!(peer.talks(), 0);
    fund_wallet(&app, 1_000).await;

    // Wrong requests are refused, each problem named.
    talk(&app, "sdev_wrong", None, &request)
        .await
        .err(401, "unauthorized");
    let missing = talk(
        &app,
        &key,
        None,
        &json!({"event": {"name": "order_shipped"}, "user": [{"type": "botUserKey", "id": "friend-1"}]}),
    )
    .await
    .err(422, "invalid_field");
    let paths: Vec<&str> = missing["details"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["event.data.order", "params.name"], "{missing}");
    let unknown = talk(
        &app,
        &key,
        None,
        &json!({"event": {"name": "no_such_event"}, "user": [{"type": "email", "id": "a@b"}]}),
    )
    .await
    .err(422, "invalid_field");
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .contains("user[0].type"),
        "{unknown}"
    );
    let many: Vec<Value> = (0..101)
        .map(|i| json!({"type": "botUserKey", "id": format!("u{i}")}))
        .collect();
    talk(
        &app,
        &key,
        None,
        &json!({"event": {"name": "order_shipped", "data": {"order": "1"}}, "user": many, "params": {"name": "x"}}),
    )
    .await
    .err(422, "invalid_field");
    assert_eq!(peer.talks(), 0, "nothing refused reached Kakao");

    // Accepted: a task id, then each recipient's result.
    let accepted = talk(&app, &key, Some("order-A-17"), &request).await.ok();
    let task_id = accepted["taskId"].as_str().unwrap().to_owned();
    assert_eq!(accepted["status"], "SUCCESS");
    let mut done = Value::Null;
    for _ in 0..150 {
        done = task(&app, &key, &task_id).await.ok();
        if done["status"] != "PROCESSING" && done["finishedAt"] != Value::Null {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(done["status"], "SUCCESS", "{done}");
    assert_eq!(done["allRequestCount"], 6);
    assert_eq!(done["successCount"], 3, "{done}");
    let result = |id: &str| {
        done["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(result("friend-1")["state"], "delivered");
    assert_eq!(result("friend-1")["billed"], true);
    assert_eq!(result("stranger-2")["error"], NOT_A_FRIEND);
    assert_eq!(result("blocker-3")["error"], BLOCKED);
    assert_eq!(result("naver-user-4")["state"], "delivered");
    assert_eq!(result("member-7")["state"], "delivered");
    assert_eq!(result("member-7")["channel"], "webchat");
    assert!(
        result("anon-8")["error"]
            .as_str()
            .unwrap()
            .contains("verified"),
        "{done}"
    );
    assert_eq!(result("anon-8")["billed"], false);
    assert_eq!(done["fail"]["count"], 3);

    // What each customer got.
    let text = "김고객님, 주문 A-17이(가) 출발했어요";
    let delivered = peer.delivered();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].user_id, "friend-1");
    assert_eq!(delivered[0].event, "order_shipped");
    assert_eq!(delivered[0].data["text"], text);
    assert_eq!(delivered[0].params["name"], "김고객");
    let naver_sent = naver.received();
    assert_eq!(naver_sent.len(), 1, "{naver_sent:?}");
    assert_eq!(naver_sent[0]["user"], "naver-user-4");
    assert_eq!(naver_sent[0]["textContent"]["text"], text);
    assert!(
        app.chat_bodies(&member.visitor)
            .await
            .contains(&text.to_owned()),
        "the member's chat window shows it"
    );
    let friend_room = result("friend-1")["message_id"].as_i64();
    assert!(friend_room.is_some(), "recorded in the friend's room");

    // Billed: exactly the three delivered, 15 KRW each, from free cash.
    let wallet = app.get("/api/v1/wallet").await.ok();
    assert_eq!(wallet["balances"]["free"], 1_000 - 3 * 15, "{wallet}");

    // The same request again: the same task, nothing sent or billed again.
    let again = talk(&app, &key, Some("order-A-17"), &request).await.ok();
    assert_eq!(again["taskId"], task_id.as_str());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(peer.talks(), 1);
    assert_eq!(naver.received().len(), 1);
    assert_eq!(
        app.get("/api/v1/wallet").await.ok()["balances"]["free"],
        1_000 - 3 * 15
    );
    // The key with another request is refused.
    let mut other = request.clone();
    other["params"]["name"] = json!("다른 사람");
    talk(&app, &key, Some("order-A-17"), &other)
        .await
        .err(409, "conflict");

    // Another site's key reads none of this site's tasks.
    let other_site = app.other_site("다른 상사").await;
    let (_, other_key) = {
        let services = services(&app);
        let admin = app
            .store
            .agent_for_token(&app::secrets::token_hash(&other_site.api_token))
            .await
            .unwrap()
            .unwrap();
        ((), services.issue_event_key(&admin).await.unwrap())
    };
    task(&app, &other_key, &task_id).await.err(404, "not_found");
}
