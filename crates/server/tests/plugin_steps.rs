//! The plugins' own steps in a conversation (R6.1), over HTTP: a block naming a plugin is
//! refused until the plugin is set up; its answer in the web chat window carries the profile
//! form or the location request; what the customer sends lands in their profile (the phone as
//! `phone`, never the verified mobile) and in the conversation; a plugin that stops is left
//! out of answers and refused when its form comes. On KakaoTalk, Open Builder's profile and
//! Kakao Sync plugins' results in a skill request land in the profile (Kakao Sync's phone as
//! the verified mobile).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{TestApp, kakao_request, verify_business};
use serde_json::{Value, json};

both!(
    web_chat_plugin_steps_fill_the_profile_and_the_conversation,
    kakao_plugin_results_fill_the_profile,
);

fn text(t: &str) -> Value {
    json!({"outputs": [{"simpleText": {"text": t}}]})
}

async fn bot_on(app: &TestApp) {
    let bot = app.get("/api/v1/bot").await.ok();
    app.put(
        "/api/v1/bot/settings",
        &json!({"enabled": true, "bot_first": false,
                "min_accuracy": bot["default_min_accuracy"], "fallbacks_before_offer": 2,
                "handoff_label": "상담원 연결"}),
    )
    .await
    .ok();
}

/// The business verified, the bot linked to its development channel (only: the plugins are
/// set up there) with the app's reviews passed, and `plugins` set up.
async fn plugins_set_up(app: &TestApp, plugins: &[&str]) {
    verify_business(app).await;
    app.put(
        "/api/v1/site/bot-channels",
        &json!({"development_channel": "@shop_dev",
                "business_channel_linked": true, "personal_info_review": true,
                "sync_terms_review": true, "channels_same_app": true}),
    )
    .await
    .ok();
    for p in plugins {
        app.put(&format!("/api/v1/site/plugins/{p}"), &json!({}))
            .await
            .ok();
    }
}

/// A profile's `names`, as text (`None`: empty).
fn fields<'a, const N: usize>(p: &'a Value, names: [&str; N]) -> [Option<&'a str>; N] {
    names.map(|n| p[n].as_str())
}

/// The messages the chat window of `visitor` shows.
async fn window(app: &TestApp, visitor: &str) -> Vec<Value> {
    let r = app
        .http
        .get(format!("{}/api/v1/webchat/{}/messages", app.base, app.site))
        .header("x-sangdam-visitor", visitor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json::<Value>().await.unwrap()["messages"]
        .as_array()
        .cloned()
        .unwrap()
}

/// The newest bot message the window shows.
async fn newest_bot(app: &TestApp, visitor: &str) -> Value {
    window(app, visitor)
        .await
        .into_iter()
        .rev()
        .find(|m| m["sender"] == "bot")
        .expect("a bot message")
}

async fn send(app: &TestApp, visitor: &str, what: &str, body: &Value) -> common::Resp {
    let r = app
        .http
        .post(format!("{}/api/v1/webchat/{}/{what}", app.base, app.site))
        .header("x-sangdam-visitor", visitor)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.json::<Value>().await.unwrap_or(Value::Null);
    common::Resp {
        status,
        headers,
        body,
    }
}

async fn web_chat_plugin_steps_fill_the_profile_and_the_conversation(app: TestApp) {
    bot_on(&app).await;
    let form_block = json!({"name": "회원 정보", "keywords": ["회원정보"],
                            "response": text("상담을 위해 정보를 알려 주세요."), "plugin": "profile"});
    // Not set up yet: the block is refused, saying why, on its plugin field.
    let refused = app
        .post("/api/v1/bot/blocks", &form_block)
        .await
        .err(422, "invalid_field");
    assert!(refused.to_string().contains("not set up"), "{refused}");
    app.post(
        "/api/v1/bot/blocks",
        &json!({"name": "x", "response": text("x"), "plugin": "telepathy"}),
    )
    .await
    .err(400, "bad_request");

    plugins_set_up(&app, &["profile", "location"]).await;
    let created = app.post("/api/v1/bot/blocks", &form_block).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["plugin"], "profile");
    let form_id = created.body["id"].as_i64().unwrap();
    let created = app
        .post(
            "/api/v1/bot/blocks",
            &json!({"name": "매장 찾기", "keywords": ["매장"],
                    "response": text("가까운 매장을 찾아 드릴게요."), "plugin": "location"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);

    let s = app
        .chat(&app.v2_url("site_uid=('plug1'),bot_start=('true')"))
        .await;
    let welcome = newest_bot(&app, &s.visitor).await;
    assert!(welcome["rich"].get("plugin").is_none(), "{welcome}");
    app.say(&s.visitor, "회원정보").await.ok();
    let asking = newest_bot(&app, &s.visitor).await;
    assert_eq!(asking["body"], "상담을 위해 정보를 알려 주세요.");
    assert_eq!(asking["rich"]["plugin"], "profile", "{asking}");
    let asking_id = asking["id"].as_i64().unwrap();

    // Without consent, with nothing, or with a bad value: refused, naming it; nothing stored.
    let form = |name: &str, phone: &str, email: &str, consent: bool| {
        json!({"message_id": asking_id, "name": name, "phone": phone, "email": email,
               "consent": consent})
    };
    for (body, field) in [
        (form("홍길동", "010-1234-5678", "", false), "consent"),
        (form("", " ", "", true), "name"),
        (form("홍길동", "전화번호 없음", "", true), "phone"),
        (form("홍길동", "", "hong at example", true), "email"),
    ] {
        let e = send(&app, &s.visitor, "profile-form", &body)
            .await
            .err(422, "invalid_field");
        assert_eq!(e["details"]["field"], field, "{e}");
    }
    let p = app.profile_of_room(s.room).await;
    assert_eq!((p["name"].as_str(), p["phone"].as_str()), (None, None));
    // A message that asks for nothing, or one of another window.
    send(
        &app,
        &s.visitor,
        "profile-form",
        &json!({"message_id": welcome["id"], "name": "홍길동", "consent": true}),
    )
    .await
    .err(409, "conflict");
    let other = app
        .chat(&app.v2_url("site_uid=('plug2'),bot_start=('true')"))
        .await;
    send(
        &app,
        &other.visitor,
        "profile-form",
        &form("남의 창", "", "", true),
    )
    .await
    .err(404, "not_found");

    let sent = send(
        &app,
        &s.visitor,
        "profile-form",
        &form(" 홍길동 ", "010-1234-5678", "hong@example.com", true),
    )
    .await
    .ok();
    assert_eq!(sent["sender"], "customer");
    assert_eq!(
        sent["body"],
        "프로필 정보를 보냈습니다.\n이름: 홍길동\n전화번호: 010-1234-5678\n이메일: hong@example.com"
    );
    let p = app.profile_of_room(s.room).await;
    assert_eq!(
        fields(&p, ["name", "phone", "email", "mobile"]),
        [
            Some("홍길동"),
            Some("010-1234-5678"),
            Some("hong@example.com"),
            None
        ],
        "the form's phone is the profile's phone, never the verified mobile"
    );
    // The agent reads what was sent in the room; the bot thanked the customer.
    let bodies = app.room_bodies(s.room).await;
    assert!(
        bodies.iter().any(|b| b.contains("이름: 홍길동")),
        "{bodies:?}"
    );
    assert_eq!(
        newest_bot(&app, &s.visitor).await["body"],
        "보내 주셔서 감사합니다. 잘 받았어요."
    );

    // The location: out of range refused; in range, written for the agent with a map link.
    app.say(&s.visitor, "매장").await.ok();
    let asking = newest_bot(&app, &s.visitor).await;
    assert_eq!(asking["rich"]["plugin"], "location", "{asking}");
    let where_ = |lat: f64| json!({"message_id": asking["id"], "latitude": lat, "longitude": 126.978, "accuracy": 29.6});
    let e = send(&app, &s.visitor, "location", &where_(91.0))
        .await
        .err(422, "invalid_field");
    assert_eq!(e["details"]["field"], "latitude");
    // The location request is no profile form.
    send(
        &app,
        &s.visitor,
        "profile-form",
        &json!({"message_id": asking["id"], "name": "홍길동", "consent": true}),
    )
    .await
    .err(409, "conflict");
    let sent = send(&app, &s.visitor, "location", &where_(37.5665))
        .await
        .ok();
    assert_eq!(
        sent["body"],
        "현재 위치: 37.56650, 126.97800 (±30 m)\nhttps://map.kakao.com/link/map/37.56650,126.97800"
    );

    // The development channel goes: the plugins set up on it stop. Answers leave the form
    // out, a form still on the screen is refused saying why, and the block cannot be saved
    // with the plugin until it is set up again.
    let view = app
        .put(
            "/api/v1/site/bot-channels",
            &json!({"operating_channel": "@shop", "business_channel_linked": true,
                    "personal_info_review": true}),
        )
        .await
        .ok();
    assert_eq!(view["broken_now"], json!(["profile", "location"]));
    app.say(&s.visitor, "회원정보").await.ok();
    let answer = newest_bot(&app, &s.visitor).await;
    assert_eq!(answer["body"], "상담을 위해 정보를 알려 주세요.");
    assert!(answer["rich"].get("plugin").is_none(), "{answer}");
    let e = send(
        &app,
        &s.visitor,
        "profile-form",
        &form("홍길동", "", "", true),
    )
    .await
    .err(409, "conflict");
    assert!(e["message"].as_str().unwrap().contains("stopped"), "{e}");
    let e = app
        .put(&format!("/api/v1/bot/blocks/{form_id}"), &form_block)
        .await
        .err(422, "invalid_field");
    assert!(e.to_string().contains("set it up again"), "{e}");
}

async fn kakao_plugin_results_fill_the_profile(app: TestApp) {
    let profile = json!({"profile": "{\"nickname\": \"카카오 고객\", \
        \"phone_number\": \"+82 10-1234-5678\", \"email\": \"kakao@example.com\", \"app_user_id\": 77}"});
    // The plugin not set up: its result is not stored.
    app.kakao(&kakao_request("kuser-1", "안녕하세요", profile.clone()))
        .await
        .ok();
    let room = common::newest_on(&app, "kakao").await["room_id"]
        .as_i64()
        .unwrap();
    let p = app.profile_of_room(room).await;
    assert_eq!((p["name"].as_str(), p["phone"].as_str()), (None, None));

    plugins_set_up(&app, &["profile", "kakao_sync"]).await;
    app.kakao(&kakao_request("kuser-1", "", profile)).await.ok();
    let p = app.profile_of_room(room).await;
    assert_eq!(
        fields(&p, ["name", "phone", "email", "mobile"]),
        [
            Some("카카오 고객"),
            Some("+82 10-1234-5678"),
            Some("kakao@example.com"),
            None
        ],
        "the profile plugin's phone is a phone"
    );

    // Kakao Sync's sign-up is Kakao's verification of the number: the verified mobile.
    let sync = json!({"kakao_sync": "{\"nickname\": \"싱크 고객\", \"phone_number\": \"+82 10-9876-5432\"}"});
    app.kakao(&kakao_request("kuser-2", "가입할게요", sync))
        .await
        .ok();
    let room = common::newest_on(&app, "kakao").await["room_id"]
        .as_i64()
        .unwrap();
    let p = app.profile_of_room(room).await;
    assert_eq!(
        fields(&p, ["name", "phone", "mobile"]),
        [Some("싱크 고객"), None, Some("01098765432")]
    );
    assert_eq!(p["mobile_verification"]["method"], "kakao_sync");
}
