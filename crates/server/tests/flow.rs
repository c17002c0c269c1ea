//! The consultation flow (R3.1) as an agent and a customer live it, site isolation, bad input,
//! and the realtime WebSockets of the chat window and the console.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::time::Duration;

use common::{
    TestApp, WAIT, assert_structured_error, is_greeting, is_greeting_message, login_cookie,
    without_greetings,
};
use reqwest::Method;
use serde_json::{Value, json};
use store::Role;

both!(
    waiting_take_reply_close,
    two_agents_taking_one_consultation_one_gets_it,
    an_agent_cannot_write_in_anothers_consultation,
    sites_are_isolated,
    bad_input_gets_a_structured_4xx,
    oversized_bodies_get_a_structured_413,
    agent_login_session,
    chat_window_websocket_receives_the_agents_reply,
    console_websocket_receives_new_consultations_and_messages,
    console_websocket_with_session_cookie,
    customer_retry_with_client_msg_id_is_stored_once,
    simultaneous_first_inflows_of_one_customer_share_one_room,
    public_endpoints_are_rate_limited_per_address,
);

fn id(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an id: {v}"))
}

/// The closing message a customer is sent when an agent ends the consultation (the default).
const CLOSING: &str = "상담이 종료되었습니다. 이용해 주셔서 감사합니다.";

async fn me(app: &TestApp) -> i64 {
    id(&app.get("/api/v1/me").await.ok()["agent"]["id"])
}

/// waiting → take → agent message → the customer sees it → close; then nothing more can be
/// written, and a new inflow opens a new consultation.
async fn waiting_take_reply_close(app: TestApp) {
    let admin = me(&app).await;
    let s = app.chat(&app.v2_url("site_uid=('flow1')")).await;
    app.say(&s.visitor, "배송 문의드려요").await.ok();
    let path = format!("/api/v1/consultations/{}", s.consultation);

    let c = app.consultation(s.consultation).await;
    assert_eq!(c["consultation"]["state"], "waiting");
    assert_eq!(c["consultation"]["state_code"], 0);
    assert_eq!(c["consultation"]["agent_id"], Value::Null);
    let waiting = app.consultations("state=waiting").await;
    assert!(waiting.iter().any(|c| id(&c["id"]) == s.consultation));

    let taken = app.post(&format!("{path}/take"), &json!({})).await.ok();
    assert_eq!(taken["consultation"]["state"], "in_progress");
    assert_eq!(taken["consultation"]["state_code"], 1);
    assert_eq!(id(&taken["consultation"]["agent_id"]), admin);
    assert!(taken["consultation"]["assigned_at"].as_i64().is_some());
    assert!(app.consultations("state=waiting").await.is_empty());
    let mine = app.consultations("state=in_progress&mine=true").await;
    assert_eq!(mine.len(), 1);
    assert_eq!(id(&mine[0]["id"]), s.consultation);

    let sent = app
        .post(
            &format!("{path}/messages"),
            &json!({"body": "안녕하세요, 상담원입니다."}),
        )
        .await
        .ok();
    assert_eq!(sent["message"]["sender"], "agent");
    assert_eq!(sent["delivery"], "realtime");

    // What the chat window shows.
    let resp = app
        .http
        .get(format!("{}/api/v1/webchat/{}/messages", app.base, app.site))
        .header("x-sangdam-visitor", &s.visitor)
        .send()
        .await
        .unwrap();
    let shown: Value = resp.json().await.unwrap();
    let shown: Vec<(String, String)> = shown["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["sender"].as_str().unwrap().to_owned(),
                m["body"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // Taking it greeted the customer by itself, before the reply.
    assert_eq!(shown.len(), 3, "{shown:?}");
    assert!(
        shown[1].0 == "system" && is_greeting(&shown[1].1),
        "{shown:?}"
    );
    assert_eq!(
        [shown[0].clone(), shown[2].clone()],
        [
            ("customer".to_owned(), "배송 문의드려요".to_owned()),
            ("agent".to_owned(), "안녕하세요, 상담원입니다.".to_owned())
        ]
    );
    let c = app.consultation(s.consultation).await;
    assert!(c["consultation"]["first_response_at"].as_i64().is_some());
    assert_eq!(c["messages"].as_array().unwrap().len(), 3);

    let closed = app.post(&format!("{path}/close"), &json!({})).await.ok();
    let closed = &closed["consultation"];
    assert_eq!(
        (closed["state"].as_str(), closed["state_code"].as_i64()),
        (Some("closed"), Some(2))
    );
    assert_eq!(closed["end_type"], "manager", "the site admin closed it");
    assert_eq!(id(&closed["closed_by"]), admin);
    assert!(closed["closed_at"].as_i64().is_some());

    // Closed is closed.
    app.say(&s.visitor, "아직 있어요?")
        .await
        .err(409, "conflict");
    app.post(&format!("{path}/messages"), &json!({"body": "늦은 답장"}))
        .await
        .err(409, "conflict");
    app.post(&format!("{path}/take"), &json!({}))
        .await
        .err(409, "conflict");
    app.post(&format!("{path}/close"), &json!({}))
        .await
        .err(409, "conflict");
    // Nothing more was stored but the closing message the customer was sent.
    let messages = app.consultation(s.consultation).await["messages"].clone();
    let messages = messages.as_array().unwrap();
    assert_eq!(messages.len(), 4);
    assert_eq!(
        (messages[3]["sender"].as_str(), messages[3]["body"].as_str()),
        (Some("system"), Some(CLOSING))
    );

    // The customer comes back: a new consultation in the same room, waiting again.
    let again = app
        .chat_as(
            "webchat_v2",
            &app.v2_url("site_uid=('flow1')"),
            Some(&s.visitor),
        )
        .await;
    assert_eq!(again.room, s.room);
    assert_ne!(again.consultation, s.consultation);
    assert_eq!(
        app.consultation(again.consultation).await["consultation"]["state"],
        "waiting"
    );
    app.say(&again.visitor, "다시 왔어요").await.ok();

    // An agent closing by hand records "agent"; an unknown end type is refused.
    let (agent, token) = app.agent("closer", Role::Agent).await;
    let p = format!("/api/v1/consultations/{}", again.consultation);
    app.request(
        Method::POST,
        &format!("{p}/close"),
        Some(&token),
        Some(&json!({"end_type": "whenever"})),
    )
    .await
    .err(422, "invalid_field");
    app.request(Method::POST, &format!("{p}/take"), Some(&token), None)
        .await
        .ok();
    let closed = app
        .request(Method::POST, &format!("{p}/close"), Some(&token), None)
        .await
        .ok();
    assert_eq!(closed["consultation"]["end_type"], "agent");
    assert_eq!(id(&closed["consultation"]["closed_by"]), agent);
}

/// Two agents press "take" at the same moment: one gets the consultation; the other is refused,
/// with 409 when it still found the consultation waiting, or 404 when it was already the
/// other's by the time it asked (an agent does not see another agent's consultations).
async fn two_agents_taking_one_consultation_one_gets_it(app: TestApp) {
    let (a1, t1) = app.agent("agent-one", Role::Agent).await;
    let (a2, t2) = app.agent("agent-two", Role::Agent).await;
    for round in 0..6 {
        let s = app
            .chat(&app.v2_url(&format!("site_uid=('race{round}')")))
            .await;
        let path = format!("/api/v1/consultations/{}/take", s.consultation);
        let (r1, r2) = tokio::join!(
            app.request(Method::POST, &path, Some(&t1), None),
            app.request(Method::POST, &path, Some(&t2), None),
        );
        let statuses = [r1.status, r2.status];
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "round {round}: {} / {}",
            r1.body,
            r2.body
        );
        let (winner, loser) = if r1.status == 200 { (a1, r2) } else { (a2, r1) };
        match loser.status {
            409 => loser.err(409, "conflict"),
            _ => loser.err(404, "not_found"),
        };
        let c = app.consultation(s.consultation).await;
        assert_eq!(id(&c["consultation"]["agent_id"]), winner);
        assert_eq!(c["consultation"]["state"], "in_progress");
    }
}

/// An agent cannot write in a consultation another agent holds (nor learn that it exists);
/// the site admin can.
async fn an_agent_cannot_write_in_anothers_consultation(app: TestApp) {
    let (_, t1) = app.agent("holder", Role::Agent).await;
    let (_, t2) = app.agent("bystander", Role::Agent).await;
    let s = app.chat(&app.v2_url("site_uid=('held')")).await;
    let path = format!("/api/v1/consultations/{}", s.consultation);
    app.request(Method::POST, &format!("{path}/take"), Some(&t1), None)
        .await
        .ok();
    app.request(
        Method::POST,
        &format!("{path}/messages"),
        Some(&t2),
        Some(&json!({"body": "끼어들기"})),
    )
    .await
    .err(404, "not_found");
    app.request(
        Method::POST,
        &format!("{path}/messages"),
        Some(&t1),
        Some(&json!({"body": "담당자입니다"})),
    )
    .await
    .ok();
    app.post(
        &format!("{path}/messages"),
        &json!({"body": "관리자입니다"}),
    )
    .await
    .ok();
    assert_eq!(
        app.chat_bodies(&s.visitor).await,
        [
            "안녕하세요, 상담원 holder입니다. 무엇을 도와드릴까요?",
            "담당자입니다",
            "관리자입니다"
        ]
    );
}

/// Another site's credential learns nothing about this site's records and changes nothing.
async fn sites_are_isolated(app: TestApp) {
    let s = app
        .chat(&app.v2_url("site_uid=('iso1'),cus_extra_phone=('010-1212-3434')"))
        .await;
    app.say(&s.visitor, "우리 사이트의 비밀").await.ok();
    let anon = app.chat(&app.v2_url("")).await;
    let link = app
        .put(
            &format!("/api/v1/rooms/{}/site_uid", anon.room),
            &json!({"site_uid": "iso2"}),
        )
        .await
        .ok();
    let link_id = id(&link["journal"][0]["id"]);
    let profile = id(&app.room(s.room).await["profile_id"]);

    let b = app.other_site("다른 회사").await;
    let t = Some(b.api_token.as_str());
    let room = s.room;
    let c = s.consultation;
    let body = json!({"site_uid": "iso1", "phone": "010-0000-0000", "body": "침입",
                      "mobile": "01000000000", "method": "sms"});
    let attempts: Vec<(Method, String)> = vec![
        (Method::GET, format!("/api/v1/rooms/{room}")),
        (Method::GET, format!("/api/v1/rooms/{room}/messages")),
        (
            Method::GET,
            format!("/api/v1/rooms/{room}/link-preview?site_uid=iso1"),
        ),
        (Method::PUT, format!("/api/v1/rooms/{room}/site_uid")),
        (Method::GET, format!("/api/v1/profiles/{profile}")),
        (Method::PATCH, format!("/api/v1/profiles/{profile}")),
        (Method::GET, format!("/api/v1/consultations/{c}")),
        (Method::POST, format!("/api/v1/consultations/{c}/take")),
        (Method::POST, format!("/api/v1/consultations/{c}/messages")),
        (Method::POST, format!("/api/v1/consultations/{c}/close")),
        (Method::POST, format!("/api/v1/links/{link_id}/undo")),
    ];
    for (method, path) in attempts {
        let resp = app.request(method.clone(), &path, t, Some(&body)).await;
        assert_eq!(
            resp.status, 404,
            "{method} {path} with another site's token: {}",
            resp.body
        );
        resp.err(404, "not_found");
    }
    // The admin verification endpoint too (the other site's admin token).
    app.request(
        Method::POST,
        &format!("/api/v1/profiles/{profile}/mobile-verifications"),
        t,
        Some(&json!({"mobile": "01000000000", "method": "sms"})),
    )
    .await
    .err(404, "not_found");
    let listed = app
        .request(Method::GET, "/api/v1/consultations", t, None)
        .await
        .ok();
    assert_eq!(listed["consultations"], json!([]));

    // Nothing changed here.
    let c = app.consultation(s.consultation).await;
    assert_eq!(c["consultation"]["state"], "waiting");
    assert_eq!(common::bodies(&c["messages"]), ["우리 사이트의 비밀"]);
    let p = app.profile(profile).await;
    assert_eq!(
        (p["phone"].as_str(), p["mobile"].as_str()),
        (Some("010-1212-3434"), None)
    );
    assert_eq!(
        app.room(anon.room).await["journal"][0]["undone_at"],
        Value::Null
    );

    // A visitor credential belongs to its site.
    let resp = app
        .http
        .get(format!(
            "{}/api/v1/webchat/{}/messages",
            app.base, b.site_id
        ))
        .header("x-sangdam-visitor", &s.visitor)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    assert_structured_error(&resp.json().await.unwrap());
    // The same ID on the other site is another customer.
    let other = app
        .open_session_on(
            b.site_id.get(),
            &json!({"url": app.v2_url("site_uid=('iso1')")}),
        )
        .await
        .ok();
    assert_eq!(other["customer_key"], format!("{}_iso1", b.site_id));
    assert_ne!(id(&other["room_id"]), s.room);
    let p = app
        .request(
            Method::GET,
            &format!("/api/v1/rooms/{}", other["room_id"]),
            t,
            None,
        )
        .await
        .ok();
    let p = app
        .request(
            Method::GET,
            &format!("/api/v1/profiles/{}", p["profile_id"]),
            t,
            None,
        )
        .await
        .ok();
    assert_eq!(p["phone"], Value::Null, "profiles do not cross sites");
    // And this site's visitor key does not open a session in the other site's rooms.
    let reuse = app
        .open_session_on(
            b.site_id.get(),
            &json!({"url": app.v2_url(""), "visitor": s.visitor}),
        )
        .await
        .ok();
    assert_ne!(reuse["visitor"], s.visitor.as_str());
}

/// Malformed JSON, oversized URLs, unknown sites, bad credentials, bad values: a structured
/// 4xx, never a 5xx (the harness fails any 5xx), and nothing stored.
async fn bad_input_gets_a_structured_4xx(app: TestApp) {
    let site = app.site;
    let sessions = format!("/api/v1/webchat/{site}/sessions");

    // (method, path, has a JSON content type, body): all 400.
    let kakao = format!("/kakao/{site}/skill?key={}", app.kakao_key);
    let naver = format!("/naver/{site}/webhook?key={}", app.naver_key);
    let room = "/api/v1/rooms/1/site_uid".to_owned();
    let cases: [(Method, &String, bool, &[u8]); 13] = [
        (Method::POST, &sessions, true, b"{\"url\": "),
        (Method::POST, &sessions, true, b"[1,2,3]"),
        (Method::POST, &sessions, true, b"{}"),
        (Method::POST, &sessions, true, b"{\"url\": 7}"),
        (Method::POST, &sessions, false, b"{\"url\": \"x\"}"),
        (Method::POST, &sessions, true, &[0xff, 0xfe, 0x00]),
        (Method::POST, &kakao, true, b"not json"),
        (Method::POST, &kakao, true, b"[]"),
        (
            Method::POST,
            &kakao,
            true,
            br#"{"userRequest": {"utterance": "no user"}}"#,
        ),
        (Method::POST, &naver, true, b"{{{"),
        (Method::POST, &naver, true, b"\"open\""),
        (
            Method::POST,
            &naver,
            true,
            br#"{"event": "send", "textContent": {"text": "no user"}}"#,
        ),
        (Method::PUT, &room, true, b"{\"site_uid\": "),
    ];
    let auth = format!("Bearer {}", app.token);
    for (method, path, json_type, body) in cases {
        let mut headers = vec![("authorization", auth.as_str())];
        if json_type {
            headers.push(("content-type", "application/json"));
        }
        let resp = app.raw(method.clone(), path, &headers, body.to_vec()).await;
        assert_eq!(
            resp.status,
            400,
            "{method} {path} {:?}: {}",
            String::from_utf8_lossy(body),
            resp.body
        );
        assert_structured_error(&resp.body);
    }

    // An oversized chat URL is refused, with the limit named.
    let long = app.v2_url(&format!(
        "site_uid=('m1'),parameter1=('{}')",
        "a".repeat(9000)
    ));
    app.open_session(&json!({"url": long}))
        .await
        .err(422, "too_long");
    // A web chat session on a messenger channel is refused.
    app.open_session(&json!({"url": app.v2_url(""), "channel": "kakao"}))
        .await
        .err(422, "invalid_channel");

    // Unknown sites.
    for site in ["999999", "abc", "-1", "0", "99999999999999999999999"] {
        app.request(
            Method::POST,
            &format!("/api/v1/webchat/{site}/sessions"),
            None,
            Some(&json!({"url": "x"})),
        )
        .await
        .err(404, "not_found");
        app.kakao_on(site, &common::kakao_request("u", "hi", json!({})))
            .await
            .err(404, "not_found");
        app.request(
            Method::POST,
            &format!("/naver/{site}/webhook"),
            None,
            Some(&json!({"event": "open", "user": "x"})),
        )
        .await
        .err(404, "not_found");
    }

    // Bad visitor credentials.
    let messages = format!("/api/v1/webchat/{site}/messages");
    for cred in [
        None,
        Some("garbage"),
        Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        Some(""),
    ] {
        let mut get = app.http.get(format!("{}{messages}", app.base));
        let mut post = app
            .http
            .post(format!("{}{messages}", app.base))
            .json(&json!({"body": "hi"}));
        if let Some(c) = cred {
            get = get.header("x-sangdam-visitor", c);
            post = post.header("x-sangdam-visitor", c);
        }
        for req in [get, post] {
            let resp = req.send().await.unwrap();
            assert_eq!(resp.status().as_u16(), 401, "credential {cred:?}");
            let body: Value = resp.json().await.unwrap();
            assert_structured_error(&body);
            assert_eq!(body["error"]["code"], "unauthorized");
        }
    }
    let err = tokio_tungstenite::connect_async(app.ws_url(&format!(
        "/api/v1/webchat/{site}/ws?visitor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    )))
    .await
    .expect_err("a WebSocket with a bad visitor credential");
    match err {
        tokio_tungstenite::tungstenite::Error::Http(resp) => {
            assert_eq!(resp.status().as_u16(), 401)
        }
        other => panic!("expected HTTP 401, got {other}"),
    }

    // The agent API without or with a wrong token.
    for token in [None, Some("wrong-token")] {
        app.request(Method::GET, "/api/v1/consultations", token, None)
            .await
            .err(401, "unauthorized");
        app.request(Method::GET, "/api/v1/console/ws", token, None)
            .await
            .err(401, "unauthorized");
    }

    // Bad values from a customer and an agent.
    let s = app.chat(&app.v2_url("site_uid=('bad1')")).await;
    app.say(&s.visitor, "   ").await.err(422, "empty_message");
    app.say(&s.visitor, &"가".repeat(4001))
        .await
        .err(422, "too_long");
    app.say_id(&s.visitor, "hi", Some(&"x".repeat(65)))
        .await
        .err(422, "invalid_client_msg_id");
    app.post(
        &format!("/api/v1/consultations/{}/messages", s.consultation),
        &json!({"body": ""}),
    )
    .await
    .err(422, "empty_message");
    app.get("/api/v1/consultations?state=bogus")
        .await
        .err(422, "invalid_field");
    app.get("/api/v1/consultations?channel=fax")
        .await
        .err(422, "invalid_channel");
    let resp = app.get("/api/v1/consultations?limit=lots").await;
    assert_eq!(resp.status, 400, "{}", resp.body);
    assert_structured_error(&resp.body);
    for path in [
        "/api/v1/rooms/abc",
        "/api/v1/rooms/-1",
        "/api/v1/rooms/0",
        "/api/v1/profiles/1e3",
    ] {
        app.get(path).await.err(404, "not_found");
    }
    app.post("/api/v1/links/abc/undo", &json!({}))
        .await
        .err(404, "not_found");
    app.post("/api/v1/links/424242/undo", &json!({}))
        .await
        .err(404, "not_found");
    // A Kakao user key no platform would send is refused, not stored.
    app.kakao(&common::kakao_request(&"k".repeat(400), "hi", json!({})))
        .await
        .err(422, "invalid_key");
    // Unknown paths and methods answer in the same shape.
    let resp = app.get("/api/v1/no-such-thing").await;
    assert_eq!(resp.status, 404, "{}", resp.body);
    assert_structured_error(&resp.body);
    let resp = app
        .request(
            Method::DELETE,
            &format!("/api/v1/rooms/{}", s.room),
            Some(&app.token),
            None,
        )
        .await;
    assert_eq!(resp.status, 405, "{}", resp.body);
    assert_structured_error(&resp.body);

    // Nothing of the above was stored: one consultation, no messages.
    let all = app.consultations("").await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(
        app.consultation(s.consultation).await["messages"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// A body over the limit is refused as too large, in the error shape, on every endpoint.
async fn oversized_bodies_get_a_structured_413(app: TestApp) {
    let huge = format!("{{\"url\": \"{}\"}}", "a".repeat(300 * 1024));
    let site = app.site;
    for path in [
        format!("/api/v1/webchat/{site}/sessions"),
        format!("/kakao/{site}/skill?key={}", app.kakao_key),
        format!("/naver/{site}/webhook?key={}", app.naver_key),
    ] {
        let resp = app
            .raw(
                Method::POST,
                &path,
                &[("content-type", "application/json")],
                huge.clone().into_bytes(),
            )
            .await;
        assert_eq!(resp.status, 413, "{path}: {}", resp.body);
        assert_structured_error(&resp.body);
        // The unread body leaves the connection unusable: the client is told not to reuse it.
        assert_eq!(
            resp.headers.get("connection").and_then(|v| v.to_str().ok()),
            Some("close"),
            "{path}"
        );
    }
    assert!(app.consultations("").await.is_empty());
}

/// The console logs in with a password and gets a session cookie; a wrong password is refused.
async fn agent_login_session(app: TestApp) {
    let cookie = login_cookie(&app).await;
    let resp = app
        .http
        .get(format!("{}/api/v1/me", app.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let me: Value = resp.json().await.unwrap();
    assert_eq!(me["agent"]["login"], app.admin_login.as_str());
    assert_eq!(me["agent"]["role"], "admin");
    assert!(me["agent"].get("password_hash").is_none(), "never shown");

    app.request(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(&json!({"login": app.admin_login, "password": "wrong"})),
    )
    .await
    .err(422, "bad_credentials");

    let resp = app
        .http
        .post(format!("{}/api/v1/auth/logout", app.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    let resp = app
        .http
        .get(format!("{}/api/v1/me", app.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401, "the session ended at logout");
}

/// The chat window's WebSocket: its backlog, the agent's reply live, state changes, and the
/// customer writing through it.
async fn chat_window_websocket_receives_the_agents_reply(app: TestApp) {
    let s = app.chat(&app.v2_url("site_uid=('ws1')")).await;
    app.say(&s.visitor, "먼저 쓴 메시지").await.ok();
    let mut ws = app
        .ws(
            &format!("/api/v1/webchat/{}/ws?visitor={}", app.site, s.visitor),
            &[],
        )
        .await;
    let backlog = ws.next_json(WAIT).await.expect("backlog");
    assert_eq!(backlog["type"], "message");
    assert_eq!(backlog["message"]["body"], "먼저 쓴 메시지");
    // Then where its consultation stands.
    let state = ws.next_json(WAIT).await.expect("the consultation");
    assert_eq!(
        (state["type"].as_str(), state["state"].as_str()),
        (Some("consultation"), Some("waiting"))
    );
    assert_eq!(state["agent_name"], Value::Null);

    let path = format!("/api/v1/consultations/{}", s.consultation);
    app.post(&format!("{path}/take"), &json!({})).await.ok();
    let state = ws.until(WAIT, |f| f["type"] == "consultation").await;
    assert_eq!(state["state"], "in_progress");
    app.post(
        &format!("{path}/messages"),
        &json!({"body": "실시간 답변입니다"}),
    )
    .await
    .ok();
    let greeting = ws.until(WAIT, |f| f["type"] == "message").await;
    assert!(is_greeting_message(&greeting["message"]), "{greeting}");
    let reply = ws.until(WAIT, |f| f["type"] == "message").await;
    assert_eq!(reply["message"]["body"], "실시간 답변입니다");
    assert_eq!(reply["message"]["sender"], "agent");

    // The customer writes through the socket; the agent sees it.
    ws.send_json(&json!({"type": "message", "body": "소켓으로 보냅니다", "client_msg_id": "c-1"}))
        .await;
    let ack = ws.until(WAIT, |f| f["type"] == "ack").await;
    assert_eq!(ack["message"]["body"], "소켓으로 보냅니다");
    assert_eq!(
        without_greetings(app.room_bodies(s.room).await),
        ["먼저 쓴 메시지", "실시간 답변입니다", "소켓으로 보냅니다"]
    );
    ws.send_json(&json!({"type": "ping"})).await;
    ws.until(WAIT, |f| f["type"] == "pong").await;
    ws.send_json(&json!({"type": "message", "body": ""})).await;
    let err = ws.until(WAIT, |f| f["type"] == "error").await;
    assert!(err["error"].as_str().is_some_and(|e| !e.is_empty()));

    // Another room's messages do not reach this window.
    let other = app.chat(&app.v2_url("site_uid=('ws2')")).await;
    app.say(&other.visitor, "다른 방").await.ok();
    app.post(&format!("{path}/close"), &json!({})).await.ok();
    let closed = ws.until(WAIT, |f| f["type"] == "consultation").await;
    assert_eq!(closed["state"], "closed");
    let bye = ws.until(WAIT, |f| f["type"] == "message").await;
    assert_eq!(bye["message"]["body"], CLOSING);
    assert_eq!(bye["message"]["sender"], "system");
    assert!(ws.next_json(Duration::from_millis(300)).await.is_none());
}

/// The console's WebSocket (API token): new consultations and messages of its site, not of
/// another site.
async fn console_websocket_receives_new_consultations_and_messages(app: TestApp) {
    let auth = format!("Bearer {}", app.token);
    let mut console = app
        .ws("/api/v1/console/ws", &[("authorization", &auth)])
        .await;
    let hello = console.next_json(WAIT).await.expect("hello");
    assert_eq!(hello["type"], "hello");
    assert_eq!(hello["agent"]["login"], app.admin_login.as_str());

    let b = app.other_site("옆 가게").await;
    let b_auth = format!("Bearer {}", b.api_token);
    let mut b_console = app
        .ws("/api/v1/console/ws", &[("authorization", &b_auth)])
        .await;
    b_console.until(WAIT, |f| f["type"] == "hello").await;

    let s = app.chat(&app.v2_url("site_uid=('console1')")).await;
    let opened = console.until(WAIT, |f| f["type"] == "consultation").await;
    assert_eq!(id(&opened["consultation"]["id"]), s.consultation);
    assert_eq!(opened["consultation"]["state"], "waiting");
    assert_eq!(id(&opened["site_id"]), app.site);

    app.say(&s.visitor, "콘솔에 보이나요?").await.ok();
    let msg = console.until(WAIT, |f| f["type"] == "message").await;
    assert_eq!(msg["message"]["body"], "콘솔에 보이나요?");
    assert_eq!(id(&msg["message"]["room_id"]), s.room);

    app.kakao(&common::kakao_request(
        "consoleKakao",
        "카카오 문의",
        json!({}),
    ))
    .await
    .ok();
    let k = console.until(WAIT, |f| f["type"] == "message").await;
    assert_eq!(k["message"]["body"], "카카오 문의");

    // The other site's console saw none of it; its own event is the first it gets.
    app.open_session_on(
        b.site_id.get(),
        &json!({"url": app.v2_url(""), "start": true}),
    )
    .await
    .ok();
    let first = b_console
        .next_json(WAIT)
        .await
        .expect("an event of its own site");
    assert_eq!(id(&first["site_id"]), b.site_id.get(), "{first}");
}

/// The console's WebSocket with the session cookie of a password login.
async fn console_websocket_with_session_cookie(app: TestApp) {
    let cookie = login_cookie(&app).await;
    let mut console = app.ws("/api/v1/console/ws", &[("cookie", &cookie)]).await;
    assert_eq!(
        console.next_json(WAIT).await.expect("hello")["type"],
        "hello"
    );
    let s = app.chat(&app.v2_url("")).await;
    app.say(&s.visitor, "쿠키 콘솔").await.ok();
    let msg = console.until(WAIT, |f| f["type"] == "message").await;
    assert_eq!(msg["message"]["body"], "쿠키 콘솔");
}

/// A customer's retry of the same message (same client_msg_id) is stored once and answered
/// with the stored message, also when the retry races the original.
async fn customer_retry_with_client_msg_id_is_stored_once(app: TestApp) {
    let s = app.chat(&app.v2_url("")).await;
    let first = app.say_id(&s.visitor, "한 번만", Some("m-1")).await.ok();
    let again = app.say_id(&s.visitor, "한 번만", Some("m-1")).await.ok();
    assert_eq!(first["id"], again["id"]);
    for round in 0..5 {
        let client_id = format!("race-{round}");
        let sends = (0..6).map(|_| app.say_id(&s.visitor, "동시에", Some(&client_id)));
        let answers = futures_util::future::join_all(sends).await;
        let ids: std::collections::BTreeSet<i64> =
            answers.into_iter().map(|r| id(&r.ok()["id"])).collect();
        assert_eq!(ids.len(), 1, "round {round}: one stored message, {ids:?}");
    }
    let bodies = app.room_bodies(s.room).await;
    assert_eq!(bodies.len(), 6, "{bodies:?}");
}

/// A double click on the chat button, or two tabs: the first inflows of one new customer
/// arriving together make one room, one profile and one consultation, and every request is
/// answered (no server error from the race).
async fn simultaneous_first_inflows_of_one_customer_share_one_room(app: TestApp) {
    for round in 0..4 {
        // Six tabs of one verified customer open the chat at once, then all write at once.
        let uid = format!("twin{round}");
        let body = json!({"url": app.v2_url(&format!(
            "site_uid=('{uid}'),site_uid_hash=('{}'),parameter1=('tab')",
            app.uid_hash(&uid)
        ))});
        let opens = (0..6).map(|_| app.open_session(&body));
        let sessions: Vec<Value> = futures_util::future::join_all(opens)
            .await
            .into_iter()
            .map(|r| r.ok())
            .collect();
        let rooms: std::collections::BTreeSet<i64> =
            sessions.iter().map(|s| id(&s["room_id"])).collect();
        assert_eq!(rooms.len(), 1, "round {round}: {rooms:?}");
        assert!(
            sessions.iter().all(|s| s["consultation_id"].is_null()),
            "opening the chat opens no consultation"
        );
        let says = sessions.iter().enumerate().map(|(i, s)| {
            let visitor = s["visitor"].as_str().unwrap().to_owned();
            let app = &app;
            async move { app.say(&visitor, &format!("tab {i}")).await.ok() }
        });
        let messages = futures_util::future::join_all(says).await;
        let consultations: std::collections::BTreeSet<i64> =
            messages.iter().map(|m| id(&m["consultation_id"])).collect();
        assert_eq!(consultations.len(), 1, "round {round}: {consultations:?}");
        let c = app.consultation(*consultations.first().unwrap()).await;
        assert_eq!(c["inflows"].as_array().unwrap().len(), 6);
    }
    // Kakao accounts sharing a new site_uid, at once: one profile for all.
    let app = &app;
    let requests = (0..6).map(|i| {
        let req = common::kakao_request(
            &format!("twinKakao{i}"),
            "동시 문의",
            json!({"site_uid": "twin-k"}),
        );
        async move { app.kakao(&req).await }
    });
    for r in futures_util::future::join_all(requests).await {
        common::skill_texts(&r.ok());
    }
    let profiles: std::collections::BTreeSet<i64> = {
        let mut set = std::collections::BTreeSet::new();
        for c in app.consultations("channel=kakao").await {
            set.insert(id(&app.room(id(&c["room_id"])).await["profile_id"]));
        }
        set
    };
    assert_eq!(profiles.len(), 1, "{profiles:?}");
}

/// The public web chat endpoints are limited per client address (429 in the error shape);
/// the agent API and health check are not.
async fn public_endpoints_are_rate_limited_per_address(mut app: TestApp) {
    app.reconfigure(server::Config {
        webchat_per_minute: 3,
        ..server::Config::default()
    })
    .await;
    let s = app.chat(&app.v2_url("")).await;
    app.say(&s.visitor, "하나").await.ok();
    app.say(&s.visitor, "둘").await.ok();
    app.say(&s.visitor, "셋").await.err(429, "rate_limited");
    app.open_session(&json!({"url": app.v2_url("")}))
        .await
        .err(429, "rate_limited");
    assert_eq!(app.room_bodies(s.room).await, ["하나", "둘"]);
    let health = app.request(Method::GET, "/healthz", None, None).await.ok();
    assert_eq!(health["status"], "ok");
}
