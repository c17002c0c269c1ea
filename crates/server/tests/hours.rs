//! Business hours and automatic messages over the real server: the admin saves hours (refused
//! with the field and the problem when they break a rule), imports a holiday calendar, saves
//! messages (every bad one refused at once); a customer arriving outside the hours hears the
//! off-hours message naming the next opening and nobody is given the consultation until the
//! desk opens (or, on a site that does not queue them, it is closed at once); inside the hours
//! the agent given it is announced by name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::TestClock;
use common::{TestApp, kakao_request, skill_texts};
use reqwest::Method;
use serde_json::{Value, json};
use server::Config;
use store::Role;

both!(
    hours_are_saved_read_and_refused_with_their_field,
    a_holiday_calendar_is_imported_with_a_report,
    automatic_messages_are_refused_each_with_its_field,
    a_customer_outside_hours_hears_the_next_opening_and_waits_for_it,
    off_hours_inflows_are_closed_where_the_site_does_not_queue_them,
    a_full_queue_refuses_the_next_consultation_with_the_over_capacity_message,
    a_customer_inside_hours_is_greeted_by_the_agent_given,
);

/// Monday 7 January 2030, 20:00 in Seoul (11:00 UTC): after a weekday's 09:00–18:00.
const MONDAY_EVENING: i64 = 1_894_014_000_000;
const HOUR: i64 = 3_600_000;

const KOREA_2026: &str = include_str!("../../core/tests/fixtures/ko_holidays_2026.ics");

fn office_hours(queue_off_hours: bool) -> Value {
    json!({
        "time_zone": "Asia/Seoul",
        "weekdays": {"kind": "ranges", "ranges": [{"from": "09:00", "to": "18:00"}]},
        "saturday": {"kind": "off"},
        "sunday": {"kind": "off"},
        "holidays": [],
        "accept_off_hours_into_queue": queue_off_hours,
    })
}

/// The one field error of a refusal: its field and problem.
fn field_problem(error: &Value) -> (String, String) {
    let errors = error["details"]["errors"]
        .as_array()
        .expect("details.errors");
    assert_eq!(errors.len(), 1, "{error}");
    (
        errors[0]["field"].as_str().unwrap().to_owned(),
        errors[0]["problem"].as_str().unwrap().to_owned(),
    )
}

async fn hours_are_saved_read_and_refused_with_their_field(app: TestApp) {
    let first = app.get("/api/v1/site/hours").await.ok();
    assert_eq!(first["saved"], false, "{first}");
    assert_eq!(first["hours"]["weekdays"]["kind"], "all_day");
    assert_eq!(first["hours"]["time_zone"], "Asia/Seoul");

    let mut hours = office_hours(true);
    hours["saturday"] = json!({"kind": "ranges", "ranges": [
        {"from": "22:00", "to": "02:00"}, {"from": "10:00", "to": "24:00"}
    ]});
    // 10:00–24:00 and 22:00–02:00 overlap from 22:00 to midnight.
    let refused = app
        .put("/api/v1/site/hours", &hours)
        .await
        .err(422, "invalid_hours");
    assert_eq!(
        field_problem(&refused),
        (
            "saturday.ranges[1]".to_owned(),
            "overlapping_ranges".to_owned()
        )
    );

    hours["saturday"] = json!({"kind": "ranges", "ranges": [
        {"from": "22:00", "to": "02:00"}, {"from": "10:00", "to": "14:00"}
    ]});
    hours["time_zone"] = json!("Mars/Olympus_Mons");
    let refused = app
        .put("/api/v1/site/hours", &hours)
        .await
        .err(422, "invalid_hours");
    assert_eq!(
        field_problem(&refused),
        ("time_zone".to_owned(), "unknown_time_zone".to_owned())
    );
    hours["time_zone"] = json!("Asia/Seoul");
    hours["sunday"] = json!({"kind": "ranges", "ranges": [{"from": "25:00", "to": "26:00"}]});
    // A time outside the day is refused at the end it is written in.
    let refused = app.put("/api/v1/site/hours", &hours).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        field_problem(&refused.body["error"]).0,
        "sunday.ranges[0].from"
    );
    // Ranges sent with a schedule that is off are not used, but are no less checked.
    hours["sunday"] = json!({"kind": "off", "ranges": [{"from": "", "to": "0:00"}]});
    let refused = app
        .put("/api/v1/site/hours", &hours)
        .await
        .err(422, "invalid_hours");
    assert_eq!(
        field_problem(&refused),
        (
            "sunday.ranges[0].from".to_owned(),
            "invalid_time".to_owned()
        )
    );
    let unchanged = app.get("/api/v1/site/hours").await.ok();
    assert_eq!(unchanged["saved"], false, "a refusal saves nothing");

    hours["sunday"] = json!({"kind": "off"});
    hours["holidays"] = json!([
        {"date": "2030-01-01", "name": "신정"},
        {"date": "2030-12-24", "name": "Christmas Eve",
         "schedule": {"kind": "ranges", "ranges": [{"from": "09:00", "to": "12:00"}]}}
    ]);
    let saved = app.put("/api/v1/site/hours", &hours).await.ok();
    assert_eq!(saved["saved"], true);
    let read = app.get("/api/v1/site/hours").await.ok();
    assert_eq!(read, saved);
    let h = &read["hours"];
    assert_eq!(
        h["saturday"]["ranges"],
        json!([{"from": "10:00", "to": "14:00"}, {"from": "22:00", "to": "02:00"}]),
        "ranges in order of their start"
    );
    assert_eq!(h["holidays"][0]["schedule"]["kind"], "off");
    assert_eq!(h["holidays"][1]["schedule"]["ranges"][0]["to"], "12:00");
    assert_eq!(h["accept_off_hours_into_queue"], true);

    // The end of the day reads back as written.
    hours["weekdays"] = json!({"kind": "ranges", "ranges": [{"from": "09:00", "to": "24:00"}]});
    let saved = app.put("/api/v1/site/hours", &hours).await.ok();
    assert_eq!(
        saved["hours"]["weekdays"]["ranges"][0],
        json!({"from": "09:00", "to": "24:00"})
    );

    // A date twice is refused at its second entry.
    hours["holidays"] = json!([{"date": "2030-01-01"}, {"date": "2030-01-01"}]);
    let refused = app
        .put("/api/v1/site/hours", &hours)
        .await
        .err(422, "invalid_hours");
    assert_eq!(
        field_problem(&refused),
        (
            "holidays[1].date".to_owned(),
            "duplicate_holiday".to_owned()
        )
    );
}

async fn a_holiday_calendar_is_imported_with_a_report(app: TestApp) {
    let mut hours = office_hours(true);
    hours["holidays"] = json!([{"date": "2026-03-01", "name": "우리 휴무",
        "schedule": {"kind": "ranges", "ranges": [{"from": "10:00", "to": "12:00"}]}}]);
    app.put("/api/v1/site/hours", &hours).await.ok();

    let report = app
        .post("/api/v1/site/hours/import", &json!({"ics": KOREA_2026}))
        .await
        .ok();
    let added: Vec<&str> = report["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert_eq!(added.len(), 19, "{report}");
    assert!(added.contains(&"2026-09-25"));
    assert!(
        !added.contains(&"2026-03-01"),
        "the site's own entry is kept"
    );
    assert_eq!(report["already_registered"], json!(["2026-03-01"]));
    let reasons: Vec<&str> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"observance"), "{report}");
    assert!(reasons.contains(&"timed"), "{report}");

    let saved = app.get("/api/v1/site/hours").await.ok();
    let holidays = saved["hours"]["holidays"].as_array().unwrap();
    assert_eq!(holidays.len(), 20);
    let own = holidays.iter().find(|h| h["date"] == "2026-03-01").unwrap();
    assert_eq!(own["name"], "우리 휴무");
    let chuseok = holidays.iter().find(|h| h["date"] == "2026-09-25").unwrap();
    assert_eq!(chuseok["name"], "추석 연휴");
    assert_eq!(chuseok["schedule"]["kind"], "off");

    // Something that is no calendar changes nothing.
    app.post("/api/v1/site/hours/import", &json!({"ics": "hello"}))
        .await
        .err(422, "invalid_calendar");
    let after = app.get("/api/v1/site/hours").await.ok();
    assert_eq!(after, saved);
}

async fn automatic_messages_are_refused_each_with_its_field(app: TestApp) {
    let first = app.get("/api/v1/site/auto-messages").await.ok();
    assert_eq!(first["saved"], false);
    let greeting = first["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "greeting")
        .unwrap()
        .clone();
    assert_eq!(greeting["enabled"], true);
    assert!(
        greeting["variables"]
            .as_array()
            .unwrap()
            .contains(&json!("counselor_name"))
    );

    let refused = app
        .put(
            "/api/v1/site/auto-messages",
            &json!({
                "greeting": {"enabled": true, "text": "[counselor_name]입니다 [next_opening] [coupon]"},
                "busy": {"enabled": true, "text": "  "},
                "off_hours": {"enabled": true, "text": "[next_opening] 다시 열어요"},
            }),
        )
        .await
        .err(422, "invalid_auto_message");
    let errors = refused["details"]["errors"].as_array().unwrap();
    let by_field: Vec<(&str, &str, Value)> = errors
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap(),
                e["problem"].as_str().unwrap(),
                e["values"].clone(),
            )
        })
        .collect();
    assert_eq!(
        by_field,
        vec![
            (
                "auto_messages.greeting.text",
                "unknown_variables",
                json!(["next_opening", "coupon"])
            ),
            ("auto_messages.busy.text", "message_required", Value::Null),
        ]
    );
    // Longer than a message may be as sent, whatever trimming would leave.
    let long = format!("{}{}", "가".repeat(990), " ".repeat(11));
    let refused = app
        .put(
            "/api/v1/site/auto-messages",
            &json!({"busy": {"enabled": true, "text": long}}),
        )
        .await
        .err(422, "invalid_auto_message");
    assert_eq!(
        field_problem(&refused),
        (
            "auto_messages.busy.text".to_owned(),
            "message_too_long".to_owned()
        )
    );
    let unchanged = app.get("/api/v1/site/auto-messages").await.ok();
    assert_eq!(unchanged["saved"], false, "nothing is saved");

    let saved = app
        .put(
            "/api/v1/site/auto-messages",
            &json!({
                "greeting": {"enabled": true, "text": "반갑습니다, [counselor_name]입니다."},
                "busy": {"enabled": false, "text": ""},
            }),
        )
        .await
        .ok();
    let kind = |v: &Value, k: &str| {
        v["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["kind"] == k)
            .unwrap()
            .clone()
    };
    assert_eq!(
        kind(&saved, "greeting")["text"],
        "반갑습니다, [counselor_name]입니다."
    );
    assert_eq!(kind(&saved, "busy")["enabled"], false);
    assert_eq!(
        kind(&saved, "off_hours")["text"],
        kind(&first, "off_hours")["text"],
        "a kind not given keeps its message"
    );
    assert_eq!(app.get("/api/v1/site/auto-messages").await.ok(), saved);
}

/// An agent of the site, online, in a least-open site.
async fn online_agent(app: &TestApp, login: &str) -> (i64, String) {
    app.put("/api/v1/site/distribution", &json!({"mode": "least_open"}))
        .await
        .ok();
    let (id, token) = app.agent(login, Role::Agent).await;
    online(app, &token).await;
    (id, token)
}

/// The agent says they are online now (which counts as being seen at the clock's now, and
/// asks for a distribution pass).
async fn online(app: &TestApp, token: &str) {
    let r = app
        .request(
            Method::PUT,
            "/api/v1/me/presence",
            Some(token),
            Some(&json!({"status": "online"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

async fn until_state(app: &TestApp, id: i64, state: &str) -> Value {
    let start = Instant::now();
    loop {
        let c = app.consultation(id).await["consultation"].clone();
        if c["state"] == state {
            return c;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "consultation {id} not {state}: {c}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn until_chat_has(app: &TestApp, visitor: &str, text: &str) -> Vec<String> {
    let start = Instant::now();
    loop {
        let bodies = app.chat_bodies(visitor).await;
        if bodies.iter().any(|b| b == text) {
            return bodies;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the chat window never showed {text:?}: {bodies:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn with_clock(app: &mut TestApp, at: i64) -> TestClock {
    let clock = TestClock::at(at);
    app.reconfigure(Config {
        clock: Arc::new(clock.clone()),
        ..Config::default()
    })
    .await;
    clock
}

const OFF_HOURS_TOMORROW: &str =
    "지금은 상담 시간이 아닙니다.\n내일 오전 9시부터 상담이 가능합니다.";

async fn a_customer_outside_hours_hears_the_next_opening_and_waits_for_it(mut app: TestApp) {
    let clock = with_clock(&mut app, MONDAY_EVENING).await;
    app.put("/api/v1/site/hours", &office_hours(true))
        .await
        .ok();
    let (_, token) = online_agent(&app, "kim").await;

    let s = app.chat(&app.v2_url("")).await;
    let bodies = until_chat_has(&app, &s.visitor, OFF_HOURS_TOMORROW).await;
    assert!(
        !bodies.iter().any(|b| b.contains("상담원 kim")),
        "{bodies:?}"
    );
    // Passes run (the agent's status asks for one) and give nothing while the desk is closed.
    online(&app, &token).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let c = app.consultation(s.consultation).await["consultation"].clone();
    assert_eq!(c["state"], "waiting", "{c}");
    assert!(c["agent_id"].is_null(), "{c}");

    // Tuesday 09:30: the desk is open, the next pass gives it and the customer is greeted.
    clock.advance(13 * HOUR + HOUR / 2);
    online(&app, &token).await;
    until_state(&app, s.consultation, "in_progress").await;
    let bodies = until_chat_has(
        &app,
        &s.visitor,
        "안녕하세요, 상담원 kim입니다. 무엇을 도와드릴까요?",
    )
    .await;
    assert_eq!(
        bodies.iter().filter(|b| *b == OFF_HOURS_TOMORROW).count(),
        1,
        "{bodies:?}"
    );
}

async fn off_hours_inflows_are_closed_where_the_site_does_not_queue_them(mut app: TestApp) {
    // Saturday 11 January 2030, 10:00 in Seoul: the weekend is off; Monday opens at 09:00.
    let saturday = MONDAY_EVENING + 5 * 24 * HOUR - 10 * HOUR;
    with_clock(&mut app, saturday).await;
    app.put("/api/v1/site/hours", &office_hours(false))
        .await
        .ok();
    online_agent(&app, "lee").await;

    let s = app.chat(&app.v2_url("")).await;
    let c = until_state(&app, s.consultation, "closed").await;
    assert_eq!(c["end_type"], "off_hours", "{c}");
    until_chat_has(
        &app,
        &s.visitor,
        "지금은 상담 시간이 아닙니다.\n월요일 오전 9시부터 상담이 가능합니다.",
    )
    .await;
    assert!(app.consultations("state=waiting").await.is_empty());

    // A switched-off message is not sent; the consultation is closed all the same.
    app.put(
        "/api/v1/site/auto-messages",
        &json!({"off_hours": {"enabled": false, "text": ""}}),
    )
    .await
    .ok();
    let quiet = app.chat(&app.v2_url("")).await;
    until_state(&app, quiet.consultation, "closed").await;
    assert!(
        !app.chat_bodies(&quiet.visitor)
            .await
            .iter()
            .any(|b| b.contains("상담 시간")),
    );
}

async fn a_customer_inside_hours_is_greeted_by_the_agent_given(mut app: TestApp) {
    // Monday 10:00 in Seoul.
    with_clock(&mut app, MONDAY_EVENING - 10 * HOUR).await;
    app.put("/api/v1/site/hours", &office_hours(true))
        .await
        .ok();
    online_agent(&app, "park").await;

    let s = app.chat(&app.v2_url("")).await;
    until_state(&app, s.consultation, "in_progress").await;
    let bodies = until_chat_has(
        &app,
        &s.visitor,
        "안녕하세요, 상담원 park입니다. 무엇을 도와드릴까요?",
    )
    .await;
    assert!(
        !bodies.iter().any(|b| b.contains("상담 시간")),
        "{bodies:?}"
    );

    // By hand as well: a manager's assignment announces the agent it went to.
    app.put("/api/v1/site/distribution", &json!({"mode": "manual"}))
        .await
        .ok();
    let (choi, _) = app.agent("choi", Role::Agent).await;
    let other = app.chat(&app.v2_url("")).await;
    app.post(
        &format!("/api/v1/consultations/{}/assign", other.consultation),
        &json!({"agent_id": choi}),
    )
    .await
    .ok();
    until_chat_has(
        &app,
        &other.visitor,
        "안녕하세요, 상담원 choi입니다. 무엇을 도와드릴까요?",
    )
    .await;
}

const OVER_CAPACITY: &str =
    "지금은 상담 요청이 많아 새 상담을 받을 수 없습니다. 잠시 후 다시 문의해 주세요.";

/// With a queue limit of 2 and nobody answering, the third customer is told the desk is over
/// capacity and their consultation closes at once (`over_capacity`), on the web and on Kakao;
/// once a place frees up, the next one waits again. The limit is checked when saved.
async fn a_full_queue_refuses_the_next_consultation_with_the_over_capacity_message(app: TestApp) {
    let saved = app
        .put("/api/v1/site/distribution", &json!({"max_waiting": 2}))
        .await
        .ok();
    assert_eq!(saved["max_waiting"], 2);
    assert_eq!(
        app.get("/api/v1/site/distribution").await.ok()["max_waiting"],
        2
    );

    let first = app.chat(&app.v2_url("")).await;
    let second = app.chat(&app.v2_url("")).await;
    let third = app.chat(&app.v2_url("")).await;
    let c = until_state(&app, third.consultation, "closed").await;
    assert_eq!(c["end_type"], "over_capacity", "{c}");
    let bodies = until_chat_has(&app, &third.visitor, OVER_CAPACITY).await;
    assert!(
        !bodies
            .iter()
            .any(|b| b.starts_with("상담이 종료되었습니다")),
        "the over-capacity message says it all: {bodies:?}"
    );
    for s in [&first, &second] {
        assert_eq!(
            app.consultation(s.consultation).await["consultation"]["state"],
            "waiting"
        );
        assert!(
            !app.chat_bodies(&s.visitor)
                .await
                .iter()
                .any(|b| b == OVER_CAPACITY)
        );
    }

    // A Kakao user arriving now hears it too, not a place in the queue.
    let answer = app
        .kakao(&kakao_request("kakao-late", "상담 가능할까요", json!({})))
        .await
        .ok();
    assert_eq!(skill_texts(&answer), [OVER_CAPACITY]);
    assert_eq!(app.consultations("state=waiting").await.len(), 2);

    // A place frees up: the next customer waits.
    app.post(
        &format!("/api/v1/consultations/{}/close", first.consultation),
        &json!({}),
    )
    .await
    .ok();
    let fourth = app.chat(&app.v2_url("")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        app.consultation(fourth.consultation).await["consultation"]["state"],
        "waiting"
    );

    // Limits out of range are refused, naming the field; null lifts the limit.
    for bad in [json!(0), json!(10_001), json!(2.5)] {
        let e = app
            .put("/api/v1/site/distribution", &json!({"max_waiting": bad}))
            .await
            .err(422, "invalid_field");
        assert_eq!(e["details"]["field"], "max_waiting", "{bad}: {e}");
    }
    let lifted = app
        .put("/api/v1/site/distribution", &json!({"max_waiting": null}))
        .await
        .ok();
    assert_eq!(lifted["max_waiting"], Value::Null);
    let fifth = app.chat(&app.v2_url("")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        app.consultation(fifth.consultation).await["consultation"]["state"],
        "waiting"
    );
}
