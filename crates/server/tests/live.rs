//! Live signals: typing both ways, read marks both ways, and the console's unread counts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{TestApp, WAIT, kakao_request, newest_on};
use reqwest::Method;
use serde_json::{Value, json};
use store::Role;

both!(
    read_marks_move_forward_and_reach_the_other_side,
    typing_reaches_the_other_side,
    a_kakao_reply_waits_for_the_users_next_message_and_says_when_it_went,
);

fn id(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an id: {v}"))
}

async fn window_read(app: &TestApp, visitor: &str, message: i64) -> common::Resp {
    app.raw(
        Method::POST,
        &format!("/api/v1/webchat/{}/read", app.site),
        &[
            ("x-sangdam-visitor", visitor),
            ("content-type", "application/json"),
        ],
        json!({"message_id": message}).to_string().into_bytes(),
    )
    .await
}

fn unread_of(list: &Value, consultation: i64) -> i64 {
    list["unread"][consultation.to_string()]
        .as_i64()
        .unwrap_or(0)
}

async fn read_marks_move_forward_and_reach_the_other_side(app: TestApp) {
    let s = app.chat(&app.v2_url("site_uid=('live1')")).await;
    let first = id(&app.say(&s.visitor, "첫 번째").await.ok()["id"]);
    let second = id(&app.say(&s.visitor, "두 번째").await.ok()["id"]);
    let c = s.consultation;
    let list = app.get("/api/v1/consultations").await.ok();
    assert_eq!(unread_of(&list, c), 2, "{list}");
    // The list's preview: the last thing a person wrote.
    let preview = &list["last_messages"][c.to_string()];
    assert_eq!(
        (preview["sender"].as_str(), preview["body"].as_str()),
        (Some("customer"), Some("두 번째"))
    );

    let (_, holder) = app.agent("holder", Role::Agent).await;
    let (_, bystander) = app.agent("bystander", Role::Agent).await;
    app.request(
        Method::POST,
        &format!("/api/v1/consultations/{c}/take"),
        Some(&holder),
        Some(&json!({})),
    )
    .await
    .ok();
    let mut window = app
        .ws(
            &format!("/api/v1/webchat/{}/ws?visitor={}", app.site, s.visitor),
            &[],
        )
        .await;
    let read = |token: &str, message: i64| {
        let (app, token) = (&app, token.to_owned());
        async move {
            app.request(
                Method::POST,
                &format!("/api/v1/consultations/{c}/read"),
                Some(&token),
                Some(&json!({"message_id": message})),
            )
            .await
        }
    };
    // Only who handles it marks it read.
    read(&bystander, second).await.err(404, "not_found");
    assert_eq!(read(&holder, first).await.status, 204);
    let frame = window
        .until(WAIT, |f| f["type"] == "read" && f["side"] == "agent")
        .await;
    assert_eq!(id(&frame["up_to"]), first);
    assert_eq!(id(&frame["consultation_id"]), c);
    let list = app.get("/api/v1/consultations").await.ok();
    assert_eq!(unread_of(&list, c), 1);
    assert_eq!(read(&holder, second).await.status, 204);
    // A mark never moves back.
    assert_eq!(read(&holder, first).await.status, 204);
    let detail = app.consultation(c).await;
    assert_eq!(id(&detail["consultation"]["agent_read_to"]), second);
    let list = app.get("/api/v1/consultations").await.ok();
    assert_eq!(unread_of(&list, c), 0);
    assert!(list["unread"].get(c.to_string()).is_none(), "{list}");
    // A message of another consultation is not one of this one.
    let other = app.chat(&app.v2_url("site_uid=('live2')")).await;
    let foreign = id(&app.say(&other.visitor, "다른 방").await.ok()["id"]);
    read(&holder, foreign).await.err(404, "not_found");

    // The customer's window shows the agent's reply: the console hears it was read.
    let mut console = app
        .ws(
            "/api/v1/console/ws",
            &[("authorization", &format!("Bearer {holder}"))],
        )
        .await;
    console.until(WAIT, |f| f["type"] == "hello").await;
    let reply = app
        .request(
            Method::POST,
            &format!("/api/v1/consultations/{c}/messages"),
            Some(&holder),
            Some(&json!({"body": "확인했습니다"})),
        )
        .await
        .ok();
    let reply = id(&reply["message"]["id"]);
    let list = app.get("/api/v1/consultations").await.ok();
    assert_eq!(list["last_messages"][c.to_string()]["body"], "확인했습니다");
    let long = "가".repeat(150);
    app.say(&other.visitor, &long).await.ok();
    let list = app.get("/api/v1/consultations").await.ok();
    let cut = list["last_messages"][other.consultation.to_string()]["body"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(cut.chars().count(), 100);
    assert!(cut.ends_with('…'));
    assert_eq!(window_read(&app, &s.visitor, reply).await.status, 204);
    let frame = console
        .until(WAIT, |f| f["type"] == "read" && f["side"] == "customer")
        .await;
    assert_eq!(id(&frame["up_to"]), reply);
    let detail = app.consultation(c).await;
    assert_eq!(id(&detail["consultation"]["customer_read_to"]), reply);
    // Another window cannot mark what it does not see.
    window_read(&app, &other.visitor, reply)
        .await
        .err(404, "not_found");
    window_read(&app, &s.visitor, 0)
        .await
        .err(400, "bad_request");
}

async fn typing_reaches_the_other_side(app: TestApp) {
    let s = app.chat(&app.v2_url("site_uid=('typing1')")).await;
    app.say(&s.visitor, "안녕하세요").await.ok();
    let c = s.consultation;
    let (holder_id, holder) = app.agent("김상담", Role::Agent).await;
    app.request(
        Method::POST,
        &format!("/api/v1/consultations/{c}/take"),
        Some(&holder),
        Some(&json!({})),
    )
    .await
    .ok();
    let mut console = app
        .ws(
            "/api/v1/console/ws",
            &[("authorization", &format!("Bearer {holder}"))],
        )
        .await;
    console.until(WAIT, |f| f["type"] == "hello").await;
    let mut window = app
        .ws(
            &format!("/api/v1/webchat/{}/ws?visitor={}", app.site, s.visitor),
            &[],
        )
        .await;
    // On connecting, the window hears where its consultation stands and whose it is.
    let frame = window.until(WAIT, |f| f["type"] == "consultation").await;
    assert_eq!(
        (frame["state"].clone(), frame["agent_name"].clone()),
        (json!("in_progress"), json!("김상담"))
    );
    assert_eq!(id(&frame["agent_id"]), holder_id);
    assert_eq!(frame["agent_read_to"], Value::Null);

    window
        .send_json(&json!({"type": "typing", "typing": true}))
        .await;
    let frame = console
        .until(WAIT, |f| f["type"] == "typing" && f["side"] == "customer")
        .await;
    assert_eq!(
        (id(&frame["consultation_id"]), frame["typing"].clone()),
        (c, json!(true))
    );
    window
        .send_json(&json!({"type": "typing", "typing": false}))
        .await;
    let frame = console
        .until(WAIT, |f| f["type"] == "typing" && f["side"] == "customer")
        .await;
    assert_eq!(frame["typing"], false);

    console
        .send_json(&json!({"type": "typing", "consultation_id": c, "typing": true}))
        .await;
    let frame = window
        .until(WAIT, |f| f["type"] == "typing" && f["side"] == "agent")
        .await;
    assert_eq!(frame["agent_name"], "김상담");
    assert_eq!(id(&frame["agent_id"]), holder_id);
    assert_eq!(frame["typing"], true);

    // Another agent's console may not type in it: refused, nothing reaches the window.
    let (_, bystander) = app.agent("bystander", Role::Agent).await;
    let mut other = app
        .ws(
            "/api/v1/console/ws",
            &[("authorization", &format!("Bearer {bystander}"))],
        )
        .await;
    other.until(WAIT, |f| f["type"] == "hello").await;
    other
        .send_json(&json!({"type": "typing", "consultation_id": c, "typing": true}))
        .await;
    let refused = other.until(WAIT, |f| f["type"] == "error").await;
    assert!(
        refused["error"].as_str().unwrap().contains("not found"),
        "{refused}"
    );
}

/// Kakao has no push: an agent's reply waits for the user's next request. The console can
/// tell (no `delivered_at`), and hears when it went.
async fn a_kakao_reply_waits_for_the_users_next_message_and_says_when_it_went(app: TestApp) {
    app.kakao(&kakao_request("waitingUser", "문의합니다", json!({})))
        .await
        .ok();
    let c = id(&newest_on(&app, "kakao").await["id"]);
    app.post(&format!("/api/v1/consultations/{c}/take"), &json!({}))
        .await
        .ok();
    let mut console = app
        .ws(
            "/api/v1/console/ws",
            &[("authorization", &format!("Bearer {}", app.token))],
        )
        .await;
    console.until(WAIT, |f| f["type"] == "hello").await;
    let reply = app
        .post(
            &format!("/api/v1/consultations/{c}/messages"),
            &json!({"body": "확인해 드릴게요"}),
        )
        .await
        .ok();
    assert_eq!(reply["delivery"], "queued");
    let reply_id = id(&reply["message"]["id"]);
    assert!(reply["message"].get("delivered_at").is_none(), "{reply}");
    let shown = app.consultation(c).await;
    let pending = shown["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == reply_id)
        .unwrap()
        .clone();
    assert!(pending.get("delivered_at").is_none(), "{pending}");

    app.kakao(&kakao_request("waitingUser", "네", json!({})))
        .await
        .ok();
    let frame = console.until(WAIT, |f| f["type"] == "delivered").await;
    assert!(
        frame["message_ids"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| *m == reply_id),
        "{frame}"
    );
    assert_eq!(id(&frame["consultation_id"]), c);
    let shown = app.consultation(c).await;
    let went = shown["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == reply_id)
        .unwrap()
        .clone();
    assert_eq!(went["delivered_at"], frame["at"]);
}
