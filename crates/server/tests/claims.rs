//! Who may speak as whom (R2.8): an ID that arrived verified is never again used by an
//! unverified inflow; an unverified browser never joins another browser's conversation;
//! opening the chat window opens no consultation (the first message does), and opening
//! sessions is rate limited; a messenger message longer than Sangdam keeps is stored cut, and
//! the message says so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::time::Duration;

use common::{TestApp, WAIT, enc, has_warning, kakao_request, naver_user, newest_on};
use serde_json::{Value, json};
use server::Config;

both!(
    a_verified_id_is_not_overwritten_by_an_unverified_claim,
    a_verified_mark_never_shows_unverified_values,
    an_unverified_browser_never_joins_another_browsers_conversation,
    two_unverified_browsers_racing_to_write_do_not_share,
    opening_the_chat_opens_no_consultation,
    opening_sessions_is_rate_limited,
    long_messenger_messages_are_cut_and_marked,
    contact_values_are_checked_by_their_meaning,
);

fn id(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an id: {v}"))
}

async fn a_verified_id_is_not_overwritten_by_an_unverified_claim(app: TestApp) {
    let hash = app.uid_hash("member03");
    let real = app
        .chat(&app.v2_url(&format!(
            "site_uid=('member03'),site_uid_hash=('{hash}'),cus_extra_username=('{}'),\
             cus_extra_phone=('010-3333-3333')",
            enc("김진짜")
        )))
        .await;
    assert!(real.verified);
    app.post(
        &format!("/api/v1/consultations/{}/close", real.consultation),
        &json!({}),
    )
    .await
    .ok();

    // Verification is not required on this site (the seed's behaviour), and nothing of
    // member03's is going on: the claim is still not used.
    let fake = app
        .chat(&app.v2_url(&format!(
            "site_uid=('member03'),cus_extra_username=('{}'),cus_extra_phone=('010-6666-6666')",
            enc("공격자")
        )))
        .await;
    assert!(!fake.verified);
    assert_ne!(fake.room, real.room, "a room of its own");
    assert!(fake.customer_key.starts_with("v-"), "{}", fake.customer_key);
    assert!(
        has_warning(&fake.warnings, "site_uid", "unverified"),
        "{}",
        fake.warnings
    );
    let p = app.profile_of_room(real.room).await;
    assert_eq!(
        (
            p["name"].as_str(),
            p["phone"].as_str(),
            p["verified"].as_bool()
        ),
        (Some("김진짜"), Some("010-3333-3333"), Some(true)),
        "the verified profile keeps its values"
    );
    let theirs = app.profile_of_room(fake.room).await;
    assert_eq!(theirs["site_uid"], Value::Null, "the claim is not linked");
    assert_eq!(theirs["verified"], false);
    // Nothing of member03's conversation reaches the claimant.
    assert!(app.chat_bodies(&fake.visitor).await.is_empty());

    // On Kakao too: the claim does not link the account to member03.
    app.kakao(&kakao_request(
        "kakaoClaim",
        "문의",
        json!({"site_uid": "member03"}),
    ))
    .await
    .ok();
    let kakao = newest_on(&app, "kakao").await;
    let p = app.profile_of_room(id(&kakao["room_id"])).await;
    assert_eq!(p["site_uid"], Value::Null);
    let c = app.consultation(id(&kakao["id"])).await;
    assert!(
        has_warning(&c["inflows"][0]["warnings"], "site_uid", "unverified"),
        "{c}"
    );

    // The real customer, verified again, is still at home.
    let back = app
        .chat(&app.v2_url(&format!("site_uid=('member03'),site_uid_hash=('{hash}')")))
        .await;
    assert_eq!(back.room, real.room);
}

async fn a_verified_mark_never_shows_unverified_values(app: TestApp) {
    // Someone claims member04 first, unverified, with their own phone and e-mail.
    let early = app
        .chat(&app.v2_url(
            "site_uid=('member04'),cus_extra_phone=('010-9999-0000'),\
             cus_extra_email=('x@evil.example')",
        ))
        .await;
    app.post(
        &format!("/api/v1/consultations/{}/close", early.consultation),
        &json!({}),
    )
    .await
    .ok();
    let p = app.profile_of_room(early.room).await;
    assert_eq!(p["verified"], false);
    assert_eq!(p["phone"], "010-9999-0000");

    // The real member04 arrives verified, with a name only.
    let hash = app.uid_hash("member04");
    let real = app
        .chat(&app.v2_url(&format!(
            "site_uid=('member04'),site_uid_hash=('{hash}'),cus_extra_username=('{}')",
            enc("박회원")
        )))
        .await;
    let p = app.profile_of_room(real.room).await;
    assert_eq!(p["verified"], true);
    assert_eq!(p["name"], "박회원");
    assert_eq!(p["phone"], Value::Null, "not the claimant's phone");
    assert_eq!(p["email"], Value::Null, "not the claimant's e-mail");
}

async fn an_unverified_browser_never_joins_another_browsers_conversation(app: TestApp) {
    // member01 (verification off, as in the seed) talks in browser A.
    let a = app.chat(&app.v2_url("site_uid=('member01')")).await;
    app.say(&a.visitor, "배송지 변경 부탁드려요").await.ok();
    let path = format!("/api/v1/consultations/{}", a.consultation);
    app.post(&format!("{path}/take"), &json!({})).await.ok();

    // Browser B claims member01 while that conversation goes on.
    let b = app.chat(&app.v2_url("site_uid=('member01')")).await;
    assert_ne!(b.room, a.room);
    assert_ne!(b.consultation, a.consultation);
    assert!(
        has_warning(&b.warnings, "site_uid", "unverified"),
        "{}",
        b.warnings
    );
    let mut b_ws = app
        .ws(
            &format!("/api/v1/webchat/{}/ws?visitor={}", app.site, b.visitor),
            &[],
        )
        .await;
    let mut a_ws = app
        .ws(
            &format!("/api/v1/webchat/{}/ws?visitor={}", app.site, a.visitor),
            &[],
        )
        .await;
    let _ = a_ws.until(WAIT, |f| f["type"] == "message").await;

    // The agent's next reply reaches A only.
    app.post(
        &format!("{path}/messages"),
        &json!({"body": "새 주소는 서울시 중구 1번지로 바꿨습니다"}),
    )
    .await
    .ok();
    let at_a = a_ws
        .until(WAIT, |f| {
            f["type"] == "message" && f["message"]["sender"] == "agent"
        })
        .await;
    assert_eq!(
        at_a["message"]["body"],
        "새 주소는 서울시 중구 1번지로 바꿨습니다"
    );
    let mut leaked = Vec::new();
    while let Some(f) = b_ws.next_json(Duration::from_millis(500)).await {
        if f.to_string().contains("중구") || f.to_string().contains("배송지") {
            leaked.push(f);
        }
    }
    assert!(leaked.is_empty(), "B received A's conversation: {leaked:?}");
    assert!(
        app.chat_bodies(&b.visitor)
            .await
            .iter()
            .all(|m| !m.contains("중구") && !m.contains("배송지"))
    );

    // Agents see two customers: member01's room and an anonymous visitor claiming it.
    let rooms: Vec<i64> = app
        .consultations("")
        .await
        .iter()
        .map(|c| id(&c["room_id"]))
        .collect();
    assert!(
        rooms.contains(&a.room) && rooms.contains(&b.room),
        "{rooms:?}"
    );

    // Once A's consultation is over, a later unverified browser shares member01's room again
    // (agents keep one room per ID) but sees nothing of what was said.
    app.post(&format!("{path}/close"), &json!({})).await.ok();
    let c = app.chat(&app.v2_url("site_uid=('member01')")).await;
    assert_eq!(c.room, a.room);
    assert!(app.chat_bodies(&c.visitor).await.is_empty());
}

async fn two_unverified_browsers_racing_to_write_do_not_share(app: TestApp) {
    // Both open the page while nothing is going on: both are in member05's room.
    let url = app.v2_url("site_uid=('member05')");
    let a = app.open_session(&json!({"url": url})).await.ok();
    let b = app.open_session(&json!({"url": url})).await.ok();
    assert_eq!(a["room_id"], b["room_id"]);
    let (va, vb) = (
        a["visitor"].as_str().unwrap(),
        b["visitor"].as_str().unwrap(),
    );
    // A writes first and opens the consultation; B may not write into it.
    app.say(va, "A의 비밀 문의").await.ok();
    let refused = app.say(vb, "B의 문의").await.err(409, "conflict");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("another browser"),
        "{refused}"
    );
    assert!(app.chat_bodies(vb).await.is_empty(), "B sees none of A's");
    // B opens the chat again: a room of its own, where it can write.
    let b2 = app.chat_as("webchat_v2", &url, Some(vb)).await;
    assert_ne!(b2.room, id(&a["room_id"]));
    app.say(vb, "B의 문의").await.ok();
    assert_eq!(app.chat_bodies(vb).await, ["B의 문의"]);
    assert_eq!(app.chat_bodies(va).await, ["A의 비밀 문의"]);
}

async fn opening_the_chat_opens_no_consultation(app: TestApp) {
    let mut console = app
        .ws(
            "/api/v1/console/ws",
            &[("authorization", &format!("Bearer {}", app.token))],
        )
        .await;
    for _ in 0..20 {
        let s = app.open_session(&json!({"url": app.v2_url("")})).await.ok();
        assert_eq!(s["consultation_id"], Value::Null);
    }
    let s = app
        .open_session(&json!({"url": app.v2_url("parameter1=('blog')")}))
        .await
        .ok();
    assert!(
        app.consultations("").await.is_empty(),
        "nothing in the queue"
    );
    let visitor = s["visitor"].as_str().unwrap();

    // The first message opens it, with the inflow it arrived with.
    let first = app.say(visitor, "안녕하세요").await.ok();
    let waiting = app.consultations("state=waiting").await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(id(&waiting[0]["id"]), id(&first["consultation_id"]));
    let c = app.consultation(id(&first["consultation_id"])).await;
    assert_eq!(c["consultation"]["custom"], json!({"parameter1": "blog"}));
    assert_eq!(c["inflows"].as_array().unwrap().len(), 1);
    let event = console.until(WAIT, |f| f["type"] == "consultation").await;
    assert_eq!(event["consultation"]["id"], first["consultation_id"]);
    // The next message goes into the same one.
    let second = app.say(visitor, "주문 문의").await.ok();
    assert_eq!(second["consultation_id"], first["consultation_id"]);
    assert_eq!(app.consultations("").await.len(), 1);

    // An explicit start opens one at once.
    let started = app
        .open_session(&json!({"url": app.v2_url(""), "start": true}))
        .await
        .ok();
    assert!(started["consultation_id"].is_i64());
    assert_eq!(app.consultations("").await.len(), 2);
}

async fn opening_sessions_is_rate_limited(mut app: TestApp) {
    app.reconfigure(Config {
        sessions_per_minute: 3,
        ..Config::default()
    })
    .await;
    for _ in 0..3 {
        app.open_session(&json!({"url": app.v2_url("")})).await.ok();
    }
    app.open_session(&json!({"url": app.v2_url("")}))
        .await
        .err(429, "rate_limited");
    assert!(app.consultations("").await.is_empty());
}

async fn long_messenger_messages_are_cut_and_marked(app: TestApp) {
    // 100,000 characters (the request itself stays under the body limit).
    let long = "긴".repeat(20_000) + &"a".repeat(80_000);
    app.kakao(&kakao_request("kakaoLong", &long, json!({})))
        .await
        .ok();
    let kakao = newest_on(&app, "kakao").await;
    let messages = app
        .get(&format!("/api/v1/rooms/{}/messages", kakao["room_id"]))
        .await
        .ok();
    let m = &messages["messages"][0];
    assert_eq!(m["body"].as_str().unwrap().chars().count(), 4000);
    assert_eq!(m["original_chars"], 100_000);

    let user = naver_user("long");
    app.naver(&json!({"event": "send", "user": user, "textContent": {"text": long}}))
        .await
        .ok();
    let naver = newest_on(&app, "naver").await;
    let messages = app
        .get(&format!("/api/v1/rooms/{}/messages", naver["room_id"]))
        .await
        .ok();
    let m = &messages["messages"][0];
    assert_eq!(m["body"].as_str().unwrap().chars().count(), 4000);
    assert_eq!(m["original_chars"], 100_000);

    // A message within the limit is stored whole, unmarked.
    app.kakao(&kakao_request("kakaoLong", "짧은 메시지", json!({})))
        .await
        .ok();
    let messages = app
        .get(&format!("/api/v1/rooms/{}/messages", kakao["room_id"]))
        .await
        .ok();
    let m = &messages["messages"][1];
    assert_eq!(m["body"], "짧은 메시지");
    assert!(m.get("original_chars").is_none(), "{m}");
}

async fn contact_values_are_checked_by_their_meaning(app: TestApp) {
    // An e-mail with quotes or markup in a chat URL is not stored, and the inflow says why.
    for bad in [
        "%22hong%22@example.com",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E@example.com",
        "hong@%3Cb%3Eexample%3C%2Fb%3E.com",
    ] {
        let s = app
            .chat(&app.v2_url(&format!("site_uid=('mail1'),cus_extra_email=('{bad}')")))
            .await;
        assert!(
            has_warning(&s.warnings, "cus_extra_email", "invalid"),
            "{bad}: {}",
            s.warnings
        );
        assert_eq!(app.profile_of_room(s.room).await["email"], Value::Null);
    }
    let s = app
        .chat(&app.v2_url("site_uid=('mail1'),cus_extra_email=('hong@example.com')"))
        .await;
    let profile = app.room(s.room).await["profile_id"].clone();
    assert_eq!(
        app.profile_of_room(s.room).await["email"],
        "hong@example.com"
    );

    // A phone that is no phone, typed in the console, is refused with the field named.
    let path = format!("/api/v1/profiles/{profile}");
    let e = app
        .patch(&path, &json!({"phone": "abc<script>"}))
        .await
        .err(422, "invalid_field");
    assert_eq!(e["details"]["field"], "phone");
    let e = app
        .patch(&path, &json!({"email": "\"x\"@example.com"}))
        .await
        .err(422, "invalid_field");
    assert_eq!(e["details"]["field"], "email");
    assert_eq!(app.profile(id(&profile)).await["phone"], Value::Null);
    let p = app
        .patch(&path, &json!({"phone": "+82 10-1234-5678"}))
        .await
        .ok();
    assert_eq!(p["phone"], "+82 10-1234-5678");
}
