//! The messenger channels through their real wire formats (PROTOCOLS §1 and §3): Kakao i Open
//! Builder skill requests (the outside fixture, hand-written variants, parameters, queued agent
//! replies) and Naver TalkTalk webhooks (every outside fixture event, parameters, member
//! profile, agent replies delivered to a fake send API).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{
    TestApp, fixture, is_greeting, kakao_request, naver_user, newest_on, skill_texts,
    without_greetings,
};
use protocol::naver::testing::FakeNaver;
use std::time::Duration;

use serde_json::{Value, json};
use server::Config;

both!(
    kakao_fixture_request_unchanged,
    kakao_real_traffic_variants,
    kakao_parameters_from_params_and_client_extra,
    kakao_agent_reply_comes_with_the_next_skill_response,
    kakao_long_agent_replies_are_not_lost,
    naver_every_fixture_event_is_answered,
    naver_open_with_parameters_and_messages,
    naver_profile_sets_and_withdraws_the_mobile,
    naver_echo_handover_standby_unknown,
    naver_agent_reply_is_delivered_to_the_send_api,
    naver_reply_without_send_api_or_failing_is_reported,
);

fn id(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an id: {v}"))
}

/// The room of the newest consultation on `channel`.
async fn newest_room(app: &TestApp, channel: &str) -> Value {
    let c = newest_on(app, channel).await;
    app.room(id(&c["room_id"])).await
}

/// The fixture (a development-channel bot's request with snake_case duplicates, accountId and
/// a callback URL), posted byte for byte.
async fn kakao_fixture_request_unchanged(app: TestApp) {
    let all = fixture("kakao/kakao_chatbot_templates_requests.json");
    assert_eq!(all.len(), 1);
    let request = all.values().next().unwrap().clone();
    let response = app.kakao(&request).await.ok();
    let texts = skill_texts(&response);
    assert!(texts[0].contains("상담원"), "{texts:?}");

    let room = newest_room(&app, "kakao").await;
    assert_eq!(
        room["customer_key"],
        "226f81aef15e8f5890425bbeaa5978d54dfc98fadcaa076ed1f"
    );
    let room_id = id(&room["room_id"]);
    assert_eq!(app.room_bodies(room_id).await, ["aaa"]);
    // The inflow keeps the event as received and the bot's own parameter as extra.
    let c = app
        .consultation(id(&room["consultations"][0]["consultation_id"]))
        .await;
    let inflow = &c["inflows"][0];
    assert_eq!(inflow["channel"], "kakao");
    let raw: Value = serde_json::from_str(inflow["raw"].as_str().unwrap()).unwrap();
    assert_eq!(raw, request);
    assert_eq!(
        inflow["parameters"]["extra"]["skillIntentCode"],
        "testIntent"
    );
    assert_eq!(
        app.profile(id(&room["profile_id"])).await["site_uid"],
        Value::Null
    );

    // The same user again: same room, same consultation, the new utterance appended.
    let mut again = request.clone();
    again["userRequest"]["utterance"] = json!("bbb");
    skill_texts(&app.kakao(&again).await.ok());
    assert_eq!(app.room_bodies(room_id).await, ["aaa", "bbb"]);
    assert_eq!(app.consultations("channel=kakao").await.len(), 1);
}

/// Requests as real traffic sends them: only snake_case keys, `lang: "kr"`, no isFriend, a
/// development bot id ending in `!`, the test console's surface, unknown keys.
async fn kakao_real_traffic_variants(app: TestApp) {
    let snake = json!({
        "intent": {"id": "i", "name": "폴백 블록"},
        "userRequest": {
            "utterance": "스네이크 케이스",
            "lang": "kr",
            "params": {"surface": "BuilderBotTest"},
            "user": {"type": "botUserKey", "properties": {
                "bot_user_key": "snakeUserKey", "plusfriend_user_key": "pf-snake",
                "app_user_id": "42"}},
            "somethingNew": {"nested": [1, 2, 3]}
        },
        "bot": {"id": "5ae9b76d7409b11ec845b746!", "name": "개발봇"},
        "action": {"id": "a", "name": "s", "params": {}, "detailParams": {}, "clientExtra": null},
        "flow": {"trigger": {"type": "TEXT_INPUT"}}
    });
    skill_texts(&app.kakao(&snake).await.ok());
    let room = newest_room(&app, "kakao").await;
    assert_eq!(room["customer_key"], "snakeUserKey");
    assert_eq!(
        app.room_bodies(id(&room["room_id"])).await,
        ["스네이크 케이스"]
    );

    // camelCase with user.id, isFriend absent, "kr", system entities as JSON in strings.
    let mut camel = kakao_request(
        "camelUser",
        "주문 1개 취소",
        json!({
            "sys_number": "{\"amount\": 1, \"unit\": null}"
        }),
    );
    camel["userRequest"]["lang"] = json!("kr");
    camel["userRequest"]["user"]["properties"] = json!({"plusfriendUserKey": "pf-camel"});
    camel["bot"]["id"] = json!("abcdef!");
    skill_texts(&app.kakao(&camel).await.ok());
    let room = newest_room(&app, "kakao").await;
    assert_eq!(room["customer_key"], "camelUser");
    assert_eq!(
        app.room_bodies(id(&room["room_id"])).await,
        ["주문 1개 취소"]
    );

    // A request without an utterance (a button) still answers with valid skill JSON.
    let silent = kakao_request("camelUser", "", json!({}));
    skill_texts(&app.kakao(&silent).await.ok());
    assert_eq!(
        app.room_bodies(id(&room["room_id"])).await,
        ["주문 1개 취소"]
    );
}

/// Chat-URL parameters reach Sangdam in `action.params` and `action.clientExtra`.
async fn kakao_parameters_from_params_and_client_extra(app: TestApp) {
    let mut req = kakao_request(
        "paramUser",
        "문의합니다",
        json!({
            "site_uid": "kakao-m1",
            "cus_extra_username": "카카오고객",
            "cus_extra_phone": "010-7777-8888",
            "user_parameter": "order-991"
        }),
    );
    req["action"]["clientExtra"] = json!({"parameter1": "kakao_ad", "parameter2": "VIP", "n": 3});
    skill_texts(&app.kakao(&req).await.ok());

    let room = newest_room(&app, "kakao").await;
    assert_eq!(room["customer_key"], "paramUser");
    let p = app.profile(id(&room["profile_id"])).await;
    assert_eq!(p["site_uid"], "kakao-m1");
    assert_eq!(p["name"], "카카오고객");
    assert_eq!(p["phone"], "010-7777-8888");
    let c = &room["consultations"][0];
    assert_eq!(
        c["custom"],
        json!({"parameter1": "kakao_ad", "parameter2": "VIP"})
    );
    assert_eq!(c["user_parameter"], "order-991");
    assert_eq!(
        c["inflows"][0]["parameters"]["fields"]["site_uid"],
        "kakao-m1"
    );

    // `action.params` wins over `clientExtra` for the same name.
    let mut req = kakao_request("paramUser2", "", json!({"parameter1": "from_params"}));
    req["action"]["clientExtra"] = json!({"parameter1": "from_extra"});
    skill_texts(&app.kakao(&req).await.ok());
    let room = newest_room(&app, "kakao").await;
    assert_eq!(
        room["consultations"][0]["custom"],
        json!({"parameter1": "from_params"})
    );
}

/// Open Builder only answers requests: an agent's reply waits and goes out, once, with the
/// next skill response.
async fn kakao_agent_reply_comes_with_the_next_skill_response(app: TestApp) {
    let first = skill_texts(
        &app.kakao(&kakao_request("replyUser", "환불 되나요?", json!({})))
            .await
            .ok(),
    );
    assert!(
        first.join(" ").contains("기다리"),
        "waiting message: {first:?}"
    );
    let c = newest_on(&app, "kakao").await;
    let path = format!("/api/v1/consultations/{}", c["id"]);
    app.post(&format!("{path}/take"), &json!({})).await.ok();
    let sent = app
        .post(
            &format!("{path}/messages"),
            &json!({"body": "네, 환불 가능합니다."}),
        )
        .await
        .ok();
    assert_eq!(sent["delivery"], "queued");
    app.post(
        &format!("{path}/messages"),
        &json!({"body": "주문번호를 알려주세요."}),
    )
    .await
    .ok();

    let next = skill_texts(
        &app.kakao(&kakao_request("replyUser", "감사합니다", json!({})))
            .await
            .ok(),
    );
    let shown = next.join("\n");
    assert!(shown.contains("네, 환불 가능합니다."), "{next:?}");
    assert!(shown.contains("주문번호를 알려주세요."), "{next:?}");
    assert!(
        shown.find("네, 환불").unwrap() < shown.find("주문번호").unwrap(),
        "in the order written"
    );
    // Delivered once.
    let after = skill_texts(
        &app.kakao(&kakao_request("replyUser", "또 질문", json!({})))
            .await
            .ok(),
    );
    assert!(!after.join(" ").contains("환불 가능"), "{after:?}");
    // Another user of the same channel does not get them.
    let other = skill_texts(
        &app.kakao(&kakao_request("someoneElse", "안녕", json!({})))
            .await
            .ok(),
    );
    assert!(!other.join(" ").contains("환불"), "{other:?}");

    let room = id(&c["room_id"]);
    assert!(
        shown.find("상담원").unwrap() < shown.find("네, 환불").unwrap(),
        "the greeting first: {next:?}"
    );
    assert_eq!(
        without_greetings(app.room_bodies(room).await),
        [
            "환불 되나요?",
            "네, 환불 가능합니다.",
            "주문번호를 알려주세요.",
            "감사합니다",
            "또 질문"
        ]
    );
}

/// A skill response holds at most three texts of 1000 characters: waiting replies that do
/// not fit are delivered whole, in order, with the following responses, never cut; a reply
/// that could only arrive cut (over 3000 characters) is refused when the agent sends it.
async fn kakao_long_agent_replies_are_not_lost(app: TestApp) {
    skill_texts(
        &app.kakao(&kakao_request("longUser", "긴 답변 주세요", json!({})))
            .await
            .ok(),
    );
    let c = newest_on(&app, "kakao").await;
    let path = format!("/api/v1/consultations/{}", c["id"]);
    app.post(&format!("{path}/take"), &json!({})).await.ok();

    let too_long = format!("[X]{}", "나".repeat(2998));
    app.post(&format!("{path}/messages"), &json!({"body": too_long}))
        .await
        .err(422, "too_long");
    // Four replies of 900 characters, then the longest a Kakao reply may be.
    let replies: Vec<String> = (0..4u8)
        .map(|i| format!("[{i}]{}", char::from(b'a' + i).to_string().repeat(897)))
        .chain([format!("[L]{}", "가".repeat(2997))])
        .collect();
    for r in &replies {
        app.post(&format!("{path}/messages"), &json!({"body": r}))
            .await
            .ok();
    }
    let mut received = String::new();
    for _ in 0..4 {
        let texts = skill_texts(
            &app.kakao(&kakao_request("longUser", "", json!({})))
                .await
                .ok(),
        );
        assert!(!texts.iter().any(|t| t.contains('…')), "nothing is cut");
        received.extend(texts);
    }
    let mut at = 0;
    for r in &replies {
        let found = received[at..]
            .find(r.as_str())
            .unwrap_or_else(|| panic!("reply {} was not delivered whole, in order", &r[..3]));
        at += found + r.len();
    }
    assert!(!received.contains("[X]"));
    // The refused one was not stored; the customer's own words and the replies were.
    assert_eq!(
        without_greetings(app.room_bodies(c["room_id"].as_i64().unwrap()).await).len(),
        1 + replies.len()
    );
}

/// Every event of the outside fixture (iterated, unchanged) is answered 2xx; what the events
/// carry lands where it belongs.
async fn naver_every_fixture_event_is_answered(app: TestApp) {
    let all = fixture("naver/naver_talk_sdk_events.json");
    assert!(all.len() >= 14, "{:?}", all.keys());
    for (name, event) in &all {
        let resp = app.naver(event).await;
        assert!(
            (200..300).contains(&resp.status),
            "{name}: {} {}",
            resp.status,
            resp.body
        );
    }
    // test_user_id opened, wrote text and an image, shared its profile.
    let opened = app
        .consultations("channel=naver")
        .await
        .into_iter()
        .map(|c| id(&c["room_id"]))
        .collect::<Vec<_>>();
    assert_eq!(opened.len(), 1, "one room for test_user_id: {opened:?}");
    let room = app.room(opened[0]).await;
    assert_eq!(room["customer_key"], "test_user_id");
    let bodies = app.room_bodies(opened[0]).await;
    assert!(bodies.iter().any(|b| b == "test_text"), "{bodies:?}");
    assert!(
        bodies.iter().any(|b| b.contains("https://test.image.jpg")),
        "{bodies:?}"
    );
    assert!(
        !bodies.iter().any(|b| b.contains("text_from_test")),
        "an echo is not the customer: {bodies:?}"
    );
    let p = app.profile(id(&room["profile_id"])).await;
    assert_eq!(p["mobile"], "01012345678");
    assert_eq!(p["mobile_verification"]["method"], "naver_profile");
    assert_eq!(p["name"], "test_won_yo");
    // The open event is an inflow of the consultation, kept as received, with its referer.
    let c = app
        .consultation(id(&room["consultations"][0]["consultation_id"]))
        .await;
    let open = c["inflows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            serde_json::from_str::<Value>(i["raw"].as_str().unwrap()).unwrap()
                == all["test_webhook_handler.test_open_event"]
        })
        .unwrap_or_else(|| panic!("the open event is not among the inflows: {}", c["inflows"]));
    assert_eq!(open["referrer"], "https://example.com");
}

/// `open` with parameters in `options.from`; text and image messages.
async fn naver_open_with_parameters_and_messages(app: TestApp) {
    let user = naver_user("params");
    let opened = app
        .naver(&json!({"event": "open", "user": user, "options": {
            "inflow": "button", "referer": "https://shop.example/item/7", "friend": false,
            "under14": false, "under19": false, "unreadMessage": true,
            "from": "site_uid=nv-m1|cus_extra_username=네이버고객|cus_extra_phone=010-3333-4444|parameter1=naver_shop"
        }}))
        .await
        .ok();
    let room_id = id(&opened["room_id"]);
    let room = app.room(room_id).await;
    assert_eq!(room["customer_key"], user.as_str());
    let p = app.profile(id(&room["profile_id"])).await;
    assert_eq!(p["site_uid"], "nv-m1");
    assert_eq!(p["name"], "네이버고객");
    assert_eq!(p["phone"], "010-3333-4444");
    assert_eq!(
        room["consultations"][0]["custom"],
        json!({"parameter1": "naver_shop"})
    );
    assert_eq!(
        id(&opened["consultation_id"]),
        id(&room["consultations"][0]["consultation_id"])
    );
    let inflow = &room["consultations"][0]["inflows"][0];
    assert_eq!(inflow["channel"], "naver");
    assert_eq!(inflow["referrer"], "https://shop.example/item/7");
    assert_eq!(
        inflow["parameters"]["fields"]["cus_extra_username"],
        "네이버고객"
    );

    app.naver(&json!({"event": "send", "user": user,
        "textContent": {"text": "사이즈 문의요", "inputType": "typing"}}))
        .await
        .ok();
    app.naver(&json!({"event": "send", "user": user,
        "imageContent": {"imageUrl": "https://naver.example/photo.jpg"}}))
        .await
        .ok();
    let bodies = app.room_bodies(room_id).await;
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert_eq!(bodies[0], "사이즈 문의요");
    assert!(bodies[1].contains("https://naver.example/photo.jpg"));

    // A user who writes without `open` first still gets a room and a consultation.
    let stranger = naver_user("nopen");
    app.naver(&json!({"event": "send", "user": stranger, "textContent": {"text": "바로 질문"}}))
        .await
        .ok();
    let c = newest_on(&app, "naver").await;
    let room = app.room(id(&c["room_id"])).await;
    assert_eq!(room["customer_key"], stranger.as_str());
    assert_eq!(c["state"], "waiting");
    assert_eq!(app.room_bodies(id(&c["room_id"])).await, ["바로 질문"]);
}

/// The member-profile answer: SUCCESS stores the verified cellphone, WITHDRAW deletes it.
async fn naver_profile_sets_and_withdraws_the_mobile(app: TestApp) {
    let user = naver_user("profile");
    let opened = app
        .naver(&json!({"event": "open", "user": user, "options": {"inflow": "none", "from": "site_uid=nv-m2|cus_extra_phone=02-123-4567"}}))
        .await
        .ok();
    let room = app.room(id(&opened["room_id"])).await;
    let pid = id(&room["profile_id"]);

    app.naver(&json!({"event": "profile", "user": user,
        "options": {"nickname": "네이버닉", "cellphone": "01055556666", "result": "SUCCESS"}}))
        .await
        .ok();
    let p = app.profile(pid).await;
    assert_eq!(p["mobile"], "01055556666");
    assert_eq!(p["mobile_verification"]["method"], "naver_profile");
    assert_eq!(p["phone"], "02-123-4567", "the phone is a different field");

    // DISAGREE and CANCEL change nothing.
    for result in ["DISAGREE", "CANCEL"] {
        app.naver(&json!({"event": "profile", "user": user, "options": {"result": result}}))
            .await
            .ok();
        assert_eq!(app.profile(pid).await["mobile"], "01055556666", "{result}");
    }

    app.naver(&json!({"event": "profile", "user": user, "options": {"result": "WITHDRAW"}}))
        .await
        .ok();
    let p = app.profile(pid).await;
    assert_eq!(p["mobile"], Value::Null);
    assert_eq!(p["mobile_verification"], Value::Null);
    assert_eq!(p["phone"], "02-123-4567");

    // WITHDRAW deletes only what Naver shared, not a mobile verified by SMS.
    app.post(
        &format!("/api/v1/profiles/{pid}/mobile-verifications"),
        &json!({"mobile": "010-1212-1212", "method": "sms"}),
    )
    .await
    .ok();
    app.naver(&json!({"event": "profile", "user": user, "options": {"result": "WITHDRAW"}}))
        .await
        .ok();
    assert_eq!(app.profile(pid).await["mobile"], "01012121212");
}

/// Echo (our own send), handover, standby and unknown events: answered 200, and only the
/// customer's own words become customer messages.
async fn naver_echo_handover_standby_unknown(app: TestApp) {
    let user = naver_user("misc");
    let opened = app
        .naver(&json!({"event": "open", "user": user, "options": {"inflow": "list"}}))
        .await
        .ok();
    let room = id(&opened["room_id"]);

    let echo = app
        .naver(
            &json!({"event": "echo", "echoedEvent": "send", "user": user, "partner": "wc8b1i",
            "textContent": {"text": "봇이 보낸 말"}, "options": {"mobile": false, "sourceId": 1}}),
        )
        .await
        .ok();
    assert_eq!(echo["ignored"], "echo");
    app.naver(
        &json!({"event": "handover", "user": user, "partner": "wc1234",
        "options": {"control": "passThread", "metadata": "{\"managerNickname\":\"상담사\"}"}}),
    )
    .await
    .ok();
    app.naver(&json!({"standby": true, "event": "send", "user": user,
        "textContent": {"text": "상담사에게 한 말", "inputType": "typing"}}))
        .await
        .ok();
    app.naver(&json!({"event": "friend", "user": user, "options": {"set": "off"}}))
        .await
        .ok();
    app.naver(&json!({"event": "leave", "user": user}))
        .await
        .ok();
    let unknown = app
        .naver(&json!({"event": "brand_new_event", "user": user, "whatever": [1]}))
        .await
        .ok();
    assert_eq!(unknown["ignored"], "brand_new_event");
    app.naver(&json!({"event": "unknown"})).await.ok();

    let messages = app
        .get(&format!("/api/v1/rooms/{room}/messages"))
        .await
        .ok();
    let by_sender: Vec<(String, String)> = messages["messages"]
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
    assert!(
        !by_sender.iter().any(|(_, b)| b == "봇이 보낸 말"),
        "{by_sender:?}"
    );
    let customer: Vec<&str> = by_sender
        .iter()
        .filter(|(s, _)| s == "customer")
        .map(|(_, b)| b.as_str())
        .collect();
    assert_eq!(customer, ["상담사에게 한 말"]);
    // Handover, unfriend and leave are shown as system notes.
    let notes = by_sender.iter().filter(|(s, _)| s == "system").count();
    assert_eq!(notes, 3, "{by_sender:?}");
    assert_eq!(app.consultations("channel=naver").await.len(), 1);
}

/// An agent's reply to a Naver room is sent to the TalkTalk send API (here a local fake that
/// checks the key and the body as Naver does), through the outbox: the answer says it is on
/// its way, and it arrives at once.
async fn naver_agent_reply_is_delivered_to_the_send_api(mut app: TestApp) {
    let fake = FakeNaver::start("naver-test-key").await;
    app.reconfigure(Config {
        naver: Some((fake.url(), "naver-test-key".to_owned())),
        ..Config::default()
    })
    .await;
    let user = naver_user("deliver");
    let opened = app
        .naver(&json!({"event": "open", "user": user, "options": {"inflow": "button"}}))
        .await
        .ok();
    app.naver(&json!({"event": "send", "user": user, "textContent": {"text": "답장 주세요"}}))
        .await
        .ok();
    let path = format!("/api/v1/consultations/{}", opened["consultation_id"]);
    app.post(&format!("{path}/take"), &json!({})).await.ok();
    let sent = app
        .post(
            &format!("{path}/messages"),
            &json!({"body": "안녕하세요, 네이버 고객님"}),
        )
        .await
        .ok();
    assert_eq!(sent["delivery"], "sending");
    let received = wait_for_sends(&fake, 1).await;
    assert_eq!(
        received,
        [
            json!({"event": "send", "user": user, "textContent": {"text": "안녕하세요, 네이버 고객님"}})
        ]
    );
    assert!(
        fake.received()
            .iter()
            .any(|e| e["textContent"]["text"].as_str().is_some_and(is_greeting)),
        "the greeting went out through the send API too"
    );
    // Messages to web chat customers never go to Naver.
    let s = app.chat(&app.v2_url("")).await;
    let p = format!("/api/v1/consultations/{}", s.consultation);
    app.post(&format!("{p}/take"), &json!({})).await.ok();
    let web = app
        .post(&format!("{p}/messages"), &json!({"body": "웹 답장"}))
        .await
        .ok();
    assert_eq!(web["delivery"], "realtime");
    assert_eq!(wait_for_sends(&fake, 1).await.len(), 1);
}

/// Without a configured send API the agent is told the reply was stored, not sent. When Naver
/// refuses the key, the reply waits in the outbox and goes out once the key is put right, in
/// order with the replies written meanwhile.
async fn naver_reply_without_send_api_or_failing_is_reported(mut app: TestApp) {
    let user = naver_user("fail");
    let opened = app
        .naver(&json!({"event": "open", "user": user, "options": {}}))
        .await
        .ok();
    let path = format!("/api/v1/consultations/{}", opened["consultation_id"]);
    app.post(&format!("{path}/take"), &json!({})).await.ok();
    let sent = app
        .post(
            &format!("{path}/messages"),
            &json!({"body": "설정 전 답장"}),
        )
        .await
        .ok();
    assert_eq!(sent["delivery"], "not_configured");

    let fake = FakeNaver::start("right-key").await;
    app.reconfigure(Config {
        naver: Some((fake.url(), "wrong-key".to_owned())),
        ..Config::default()
    })
    .await;
    let sent = app
        .post(&format!("{path}/messages"), &json!({"body": "거절될 답장"}))
        .await
        .ok();
    assert_eq!(sent["delivery"], "sending");
    let later = app
        .post(&format!("{path}/messages"), &json!({"body": "그다음 답장"}))
        .await
        .ok();
    assert_eq!(later["delivery"], "sending");
    // Refused (resultCode 01): kept, with why, for another try.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let jobs = app.store.jobs_of_kind("naver.send").await.unwrap();
        if jobs
            .first()
            .is_some_and(|j| j.last_error.as_deref().is_some_and(|e| e.contains("01")))
        {
            assert_eq!(
                jobs.len(),
                2,
                "one delivery per reply sent while configured"
            );
            assert!(jobs.iter().all(
                |j| j.state == store::JobState::Pending || j.state == store::JobState::Running
            ));
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no attempt was made: {jobs:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(fake.received().is_empty());
    assert_eq!(
        without_greetings(app.room_bodies(id(&opened["room_id"])).await),
        ["설정 전 답장", "거절될 답장", "그다음 답장"]
    );
    // The key is put right: both go out, in order, once each.
    let mut fixed = Config {
        naver: Some((fake.url(), "right-key".to_owned())),
        ..Config::default()
    };
    fixed.scheduler.backoff_base_ms = 50;
    app.reconfigure(fixed).await;
    let texts: Vec<Value> = wait_for_sends(&fake, 2)
        .await
        .iter()
        .map(|e| e["textContent"]["text"].clone())
        .collect();
    assert_eq!(texts, [json!("거절될 답장"), json!("그다음 답장")]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.received().len(), 2, "nothing sent twice");
}

/// What the fake send API has received once it has `n` events (waits up to 20 s).
/// The sends the fake received once there are `n`, leaving out what Sangdam sends by itself:
/// the queue-position notices to a waiting customer (whether one goes out before an agent
/// takes the consultation depends on timing) and the greeting when an agent takes it.
async fn wait_for_sends(fake: &FakeNaver, n: usize) -> Vec<Value> {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let received: Vec<Value> = fake
            .received()
            .into_iter()
            .filter(|e| {
                !e["textContent"]["text"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("대기 순번") || is_greeting(t))
            })
            .collect();
        if received.len() >= n {
            return received;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "only {} of {n} sends arrived",
            received.len()
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
