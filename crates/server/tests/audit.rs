//! The audit log: each administrative action appears with who did it, what it was, on what
//! and when; the log is the admin's, read newest first a page at a time, by action or by
//! account; a bad filter is a clear error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use app::TestClock;
use common::TestApp;
use reqwest::Method;
use serde_json::{Value, json};
use server::Config;
use store::Role;

both!(
    every_administrative_action_is_logged_with_who_what_when,
    the_log_is_paged_and_filtered_and_the_admins_alone,
);

const START: i64 = 1_800_000_000_000;

/// Every entry of the log, newest first, read a page of `limit` at a time.
async fn whole_log(app: &TestApp, query: &str, limit: u32) -> Vec<Value> {
    let mut out = Vec::new();
    let mut before = String::new();
    loop {
        let page = app
            .get(&format!("/api/v1/site/audit?limit={limit}{query}{before}"))
            .await
            .ok();
        out.extend(page["entries"].as_array().unwrap().iter().cloned());
        match page["next_before"].as_i64() {
            Some(b) => before = format!("&before={b}"),
            None => return out,
        }
    }
}

async fn every_administrative_action_is_logged_with_who_what_when(mut app: TestApp) {
    let clock = TestClock::at(START);
    app.reconfigure(Config {
        clock: Arc::new(clock.clone()),
        ..Config::default()
    })
    .await;
    let me = app.get("/api/v1/me").await.ok()["agent"].clone();

    // What an admin does in a day, one action a minute.
    let mut done: Vec<(&str, String)> = Vec::new();
    let mut step = |action: &'static str, target: String| {
        done.push((action, target));
    };
    macro_rules! act {
        ($action:literal, $target:expr, $call:expr) => {{
            clock.advance(60_000);
            let answer = $call.await.ok();
            step($action, $target);
            answer
        }};
    }

    act!(
        "site_settings_saved",
        String::new(),
        app.put(
            "/api/v1/site/settings",
            &json!({"require_verified_uid": false})
        )
    );
    act!(
        "site_secret_viewed",
        String::new(),
        app.get("/api/v1/site/secret")
    );
    let rotated = act!(
        "site_secret_rotated",
        String::new(),
        app.post("/api/v1/site/secret/rotate", &json!({}))
    );
    act!(
        "channel_key_viewed",
        String::new(),
        app.get("/api/v1/site/channel-keys")
    );
    act!(
        "channel_key_rotated",
        "kakao".to_owned(),
        app.post("/api/v1/site/channel-keys/kakao/rotate", &json!({}))
    );
    clock.advance(60_000);
    let made = app
        .post(
            "/api/v1/agents",
            &json!({"login": "lee", "display_name": "이상담", "password": "lee-password-1"}),
        )
        .await
        .ok();
    let lee = made["agent"]["id"].as_i64().unwrap();
    step("account_created", format!("agent:{lee}"));
    act!(
        "routing_saved",
        format!("agent:{lee}"),
        app.put(
            &format!("/api/v1/agents/{lee}/routing"),
            &json!({"max_concurrent": 7})
        )
    );
    act!(
        "distribution_saved",
        String::new(),
        app.put("/api/v1/site/distribution", &json!({"mode": "least_open"}))
    );
    act!(
        "hours_saved",
        String::new(),
        app.put(
            "/api/v1/site/hours",
            &json!({
                "weekdays": {"kind": "all_day"},
                "saturday": {"kind": "off"},
                "sunday": {"kind": "off"}
            })
        )
    );
    act!(
        "holidays_imported",
        String::new(),
        app.post(
            "/api/v1/site/hours/import",
            &json!({"ics": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20300101\r\nSUMMARY:New year\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"})
        )
    );
    act!(
        "auto_messages_saved",
        String::new(),
        app.put(
            "/api/v1/site/auto-messages",
            &json!({"busy": {"enabled": true, "text": "잠시만 기다려 주세요"}})
        )
    );
    act!(
        "auto_close_saved",
        String::new(),
        app.put(
            "/api/v1/site/auto-close",
            &json!({"customer_idle_minutes": 20, "warning_minutes": 5})
        )
    );
    clock.advance(60_000);
    let category = app
        .post("/api/v1/site/categories", &json!({"name": "배송"}))
        .await
        .ok()["id"]
        .as_i64()
        .unwrap();
    step("categories_changed", format!("category:{category}"));
    act!(
        "categories_changed",
        format!("category:{category}"),
        app.patch(
            &format!("/api/v1/site/categories/{category}"),
            &json!({"name": "배송 문의"})
        )
    );
    let chat = app.chat(&app.v2_url("")).await;
    app.say(&chat.visitor, "주문 문의").await.ok();
    let linked = act!(
        "room_linked",
        format!("room:{}", chat.room),
        app.put(
            &format!("/api/v1/rooms/{}/site_uid", chat.room),
            &json!({"site_uid": "member-77"})
        )
    );
    let link = linked["journal"][0]["id"].as_i64().unwrap();
    let profile = linked["profile_id"].as_i64().unwrap();
    act!(
        "profile_edited",
        format!("profile:{profile}"),
        app.patch(
            &format!("/api/v1/profiles/{profile}"),
            &json!({"phone": "010-2222-3333", "name": "홍길동"})
        )
    );
    act!(
        "mobile_verified",
        format!("profile:{profile}"),
        app.post(
            &format!("/api/v1/profiles/{profile}/mobile-verifications"),
            &json!({"mobile": "010-9999-8888", "method": "sms"})
        )
    );
    act!(
        "link_undone",
        format!("link:{link}"),
        app.post(&format!("/api/v1/links/{link}/undo"), &json!({}))
    );

    // Reading changes nothing in the log (only revealing a secret does).
    app.get("/api/v1/site").await.ok();
    app.get("/api/v1/site/hours").await.ok();

    let log = whole_log(&app, "", 4).await;
    let got: Vec<(String, String)> = log
        .iter()
        .rev()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["target"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = done
        .iter()
        .map(|(a, t)| ((*a).to_owned(), t.clone()))
        .collect();
    assert_eq!(got, want);
    // Every action of the log's vocabulary but the session's (tested with the sessions) is
    // among them.
    let actions: BTreeSet<&str> = done.iter().map(|(a, _)| *a).collect();
    assert_eq!(actions.len(), 17, "{actions:?}");

    // Who and when: the admin, at the instant of each action, in order.
    let mut last = START;
    for e in log.iter().rev() {
        assert_eq!(e["actor_id"], me["id"], "{e}");
        assert_eq!(e["actor_name"], me["display_name"], "{e}");
        let at = e["at"].as_i64().unwrap();
        assert!(at > last && at <= START + 30 * 60_000, "{e}");
        last = at;
    }

    // What: the detail of the change, never a secret or a customer's data.
    let find = |action: &str| -> Value {
        log.iter()
            .find(|e| e["action"] == action)
            .unwrap_or_else(|| panic!("no {action}"))["detail"]
            .clone()
    };
    assert_eq!(find("routing_saved")["max_concurrent"], 7);
    assert_eq!(find("distribution_saved")["mode"], "least_open");
    assert_eq!(find("auto_close_saved")["customer_idle_minutes"], 20);
    assert_eq!(find("account_created")["login"], "lee");
    assert_eq!(find("account_created")["role"], "agent");
    assert_eq!(find("channel_key_rotated")["grace_minutes"], 1440);
    assert_eq!(find("room_linked")["to_profile"], profile);
    assert_eq!(find("mobile_verified"), json!({"method": "sms"}));
    let fields = find("profile_edited")["fields"].clone();
    let fields: BTreeSet<&str> = fields
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(fields, BTreeSet::from(["name", "phone"]));
    let whole = serde_json::to_string(&log).unwrap();
    let secret = rotated["secret"].as_str().unwrap();
    for private in [
        secret,
        "010-2222-3333",
        "010-9999-8888",
        "홍길동",
        "lee-password-1",
    ] {
        assert!(!whole.contains(private), "{private} is in the log");
    }
}

async fn the_log_is_paged_and_filtered_and_the_admins_alone(app: TestApp) {
    for n in 0..5 {
        app.put(
            "/api/v1/site/auto-close",
            &json!({"customer_idle_minutes": 10 + n}),
        )
        .await
        .ok();
    }
    app.get("/api/v1/site/secret").await.ok();
    let (_, manager) = app.agent("audit-manager", Role::Manager).await;

    // Newest first, two at a time.
    let first = app.get("/api/v1/site/audit?limit=2").await.ok();
    let entries = first["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["action"], "site_secret_viewed");
    assert_eq!(entries[1]["detail"]["customer_idle_minutes"], 14);
    let before = first["next_before"].as_i64().unwrap();
    assert_eq!(Some(before), entries[1]["id"].as_i64());
    let next = app
        .get(&format!("/api/v1/site/audit?limit=2&before={before}"))
        .await
        .ok();
    assert_eq!(next["entries"][0]["detail"]["customer_idle_minutes"], 13);

    // By action, by account; a page that is not full is the last.
    let saved = whole_log(&app, "&action=auto_close_saved", 50).await;
    assert_eq!(saved.len(), 5);
    let me = app.get("/api/v1/me").await.ok()["agent"]["id"].clone();
    assert_eq!(whole_log(&app, &format!("&actor={me}"), 50).await.len(), 6);
    let none = app.get("/api/v1/site/audit?actor=999999").await.ok();
    assert_eq!(none["entries"], json!([]));
    assert_eq!(none["next_before"], Value::Null);

    // A bad filter says which and why.
    for (query, field) in [
        ("action=everything", "action"),
        ("actor=abc", "actor"),
        ("before=0", "before"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=2.5", "limit"),
    ] {
        let e = app
            .get(&format!("/api/v1/site/audit?{query}"))
            .await
            .err(422, "invalid_field");
        assert_eq!(e["details"]["field"], field, "{query}: {e}");
    }
    // Whole numbers written as `2.0` are whole numbers.
    let page = app.get("/api/v1/site/audit?limit=2.0").await.ok();
    assert_eq!(page["entries"].as_array().unwrap().len(), 2);

    // The admin's alone; another site's admin reads their own, empty, log.
    app.request(Method::GET, "/api/v1/site/audit", Some(&manager), None)
        .await
        .err(403, "forbidden");
    app.request(Method::GET, "/api/v1/site/audit", None, None)
        .await
        .err(401, "unauthorized");
    let other = app.other_site("다른 회사").await;
    let theirs = app
        .request(
            Method::GET,
            "/api/v1/site/audit",
            Some(&other.api_token),
            None,
        )
        .await
        .ok();
    assert_eq!(theirs["entries"], json!([]));
}
