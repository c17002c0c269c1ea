//! Who answers, over the real server: many inflows at once into a few agents (no limit
//! exceeded, a gapless queue), backfill when a place frees, the queue as the chat window sees
//! it, presence and limits, direct assignment, transfers, sending back into another category,
//! and the refusals.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use common::{TestApp, WAIT, kakao_request, skill_texts};
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};
use server::Config;
use store::Role;

both!(
    five_hundred_inflows_at_once_fill_ten_agents_to_their_limit_and_queue_the_rest,
    an_agent_back_from_away_gets_the_oldest_waiting_and_the_window_sees_its_place,
    presence_limits_and_modes_are_checked,
    a_transfer_is_a_request_the_other_agent_answers,
    a_manager_assigns_directly_within_the_limit,
    a_kakao_customer_hears_their_place_when_they_write,
    every_account_reads_the_directory_of_its_own_site,
    a_consultation_sent_back_into_another_category_goes_to_who_serves_it,
);

/// As `token`.
async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Value {
    let r = app.request(method, path, Some(token), body.as_ref()).await;
    assert!(
        (200..300).contains(&r.status),
        "{path}: {} {}",
        r.status,
        r.body
    );
    r.body
}

/// An agent of the site, online, taking at most `max` consultations.
async fn online_agent(app: &TestApp, login: &str, max: i64) -> (i64, String) {
    let (id, token) = app.agent(login, Role::Agent).await;
    app.put(
        &format!("/api/v1/agents/{id}/routing"),
        &json!({"max_concurrent": max}),
    )
    .await
    .ok();
    call(
        app,
        Method::PUT,
        "/api/v1/me/presence",
        &token,
        Some(json!({"status": "online"})),
    )
    .await;
    (id, token)
}

async fn set_mode(app: &TestApp, mode: &str) {
    app.put("/api/v1/site/distribution", &json!({"mode": mode}))
        .await
        .ok();
}

/// Polls until `pred` holds of the site's waiting and in-progress consultations, or fails.
async fn until_consultations(
    app: &TestApp,
    wait: Duration,
    what: &str,
    pred: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let start = Instant::now();
    loop {
        let mut all = app.consultations("state=waiting&limit=1000").await;
        all.extend(app.consultations("state=in_progress&limit=1000").await);
        if pred(&all) {
            return all;
        }
        assert!(start.elapsed() < wait, "{what}: not within {wait:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn held_by(all: &[Value]) -> BTreeMap<i64, usize> {
    let mut out = BTreeMap::new();
    for c in all {
        if let Some(a) = c["agent_id"].as_i64() {
            *out.entry(a).or_default() += 1;
        }
    }
    out
}

fn queue_ids(queue: &Value) -> Vec<i64> {
    queue["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["consultation_id"].as_i64().unwrap())
        .collect()
}

/// 500 customers arrive at once at 10 online agents who take 5 each: exactly 50 are assigned,
/// nobody holds more than 5, and 450 wait at positions 1…450. One agent closes one: the oldest
/// waiting is theirs within a second. Two agents close one each at the same moment: each gets
/// one of the next two, never the same one.
async fn five_hundred_inflows_at_once_fill_ten_agents_to_their_limit_and_queue_the_rest(
    app: TestApp,
) {
    let mut app = app;
    app.reconfigure(Config {
        webchat_per_minute: 1_000_000,
        sessions_per_minute: 1_000_000,
        ..Config::default()
    })
    .await;
    set_mode(&app, "least_open").await;
    let mut agents = Vec::new();
    for i in 0..10 {
        agents.push(online_agent(&app, &format!("agent-{i}"), 5).await);
    }
    let url = app.v2_url("");
    let sessions = join_all((0..500).map(|_| app.chat(&url))).await;
    let opened: BTreeSet<i64> = sessions.iter().map(|s| s.consultation).collect();
    assert_eq!(opened.len(), 500, "500 consultations opened");

    let all = until_consultations(&app, Duration::from_secs(20), "50 assigned", |all| {
        all.iter().filter(|c| c["state"] == "in_progress").count() == 50
            && all.iter().filter(|c| c["state"] == "waiting").count() == 450
    })
    .await;
    let held = held_by(&all);
    assert_eq!(held.len(), 10, "every agent got some: {held:?}");
    assert!(held.values().all(|n| *n == 5), "none over 5: {held:?}");

    let queue = app.get("/api/v1/queue").await.ok();
    let places = queue["places"].as_array().unwrap();
    let positions: Vec<u64> = places
        .iter()
        .map(|p| p["position"].as_u64().unwrap())
        .collect();
    assert_eq!(positions, (1..=450).collect::<Vec<_>>());
    let waiting: BTreeSet<i64> = queue_ids(&queue).into_iter().collect();
    assert_eq!(waiting.len(), 450, "no consultation twice in the queue");
    let assigned: BTreeSet<i64> = all
        .iter()
        .filter(|c| c["state"] == "in_progress")
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert!(waiting.is_disjoint(&assigned));
    assert_eq!(
        waiting.union(&assigned).copied().collect::<BTreeSet<_>>(),
        opened
    );

    // One agent closes one: the oldest waiting is theirs within a second.
    let (first_id, first_token) = &agents[0];
    let oldest = queue_ids(&queue)[0];
    let mine = all
        .iter()
        .find(|c| c["agent_id"].as_i64() == Some(*first_id))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    call(
        &app,
        Method::POST,
        &format!("/api/v1/consultations/{mine}/close"),
        first_token,
        Some(json!({})),
    )
    .await;
    let start = Instant::now();
    loop {
        let c = app.consultation(oldest).await;
        if c["consultation"]["agent_id"].as_i64() == Some(*first_id) {
            assert_eq!(c["consultation"]["state"], "in_progress");
            let kinds: Vec<&str> = c["timeline"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["kind"].as_str().unwrap())
                .collect();
            assert_eq!(kinds, ["assigned"], "distribution's doing, on its timeline");
            assert_eq!(c["timeline"][0]["actor_id"], Value::Null);
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "the oldest waiting was not given to the agent who freed a place within a second: {c}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Two agents free a place at the same moment.
    let next_two: BTreeSet<i64> = queue_ids(&queue)[1..3].iter().copied().collect();
    let all = until_consultations(&app, WAIT, "settled", |_| true).await;
    let closes = agents[1..3].iter().map(|(id, token)| {
        let c = all
            .iter()
            .find(|c| c["agent_id"].as_i64() == Some(*id))
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let app = &app;
        async move {
            call(
                app,
                Method::POST,
                &format!("/api/v1/consultations/{c}/close"),
                token,
                Some(json!({})),
            )
            .await
        }
    });
    join_all(closes).await;
    let all = until_consultations(&app, WAIT, "both places filled", |all| {
        next_two.iter().all(|id| {
            all.iter()
                .any(|c| c["id"].as_i64() == Some(*id) && c["state"] == "in_progress")
        })
    })
    .await;
    let takers: BTreeSet<i64> = all
        .iter()
        .filter(|c| c["state"] == "in_progress" && next_two.contains(&c["id"].as_i64().unwrap()))
        .map(|c| c["agent_id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        takers,
        [agents[1].0, agents[2].0].into_iter().collect(),
        "one each"
    );
    let held = held_by(&all);
    assert!(held.values().all(|n| *n <= 5), "none over 5: {held:?}");
    assert_eq!(held.values().sum::<usize>(), 50);
    let queue = app.get("/api/v1/queue").await.ok();
    assert_eq!(queue["places"].as_array().unwrap().len(), 447);
    assert_eq!(queue["places"][0]["position"], 1);
}

/// The only agent steps away: the next customer waits at position 1, sees it in the chat
/// window, and is theirs as soon as they are back.
async fn an_agent_back_from_away_gets_the_oldest_waiting_and_the_window_sees_its_place(
    app: TestApp,
) {
    set_mode(&app, "least_open").await;
    let (id, token) = online_agent(&app, "solo", 3).await;
    let first = app.chat(&app.v2_url("")).await;
    until_consultations(&app, WAIT, "the first is assigned", |all| {
        all.iter()
            .any(|c| c["id"].as_i64() == Some(first.consultation) && c["agent_id"] == id)
    })
    .await;

    call(
        &app,
        Method::PUT,
        "/api/v1/me/presence",
        &token,
        Some(json!({"status": "away"})),
    )
    .await;
    // A browser arrives and writes its first message, which opens the consultation.
    let s = app
        .open_session(&json!({"channel": "webchat_v2", "url": app.v2_url("")}))
        .await
        .ok();
    let visitor = s["visitor"].as_str().unwrap().to_owned();
    let mut ws = app
        .ws(
            &format!("/api/v1/webchat/{}/ws", app.site),
            &[("x-sangdam-visitor", visitor.as_str())],
        )
        .await;
    app.say(&visitor, "상담 가능할까요?").await.ok();
    let frame = ws
        .until(WAIT, |f| f["type"] == "queue" && f["position"] == 1)
        .await;
    let waiting = frame["consultation_id"].as_i64().unwrap();
    assert_eq!(
        app.consultation(waiting).await["consultation"]["state"],
        "waiting"
    );
    assert!(frame.get("estimated_wait_ms").is_some());

    let me = call(
        &app,
        Method::PUT,
        "/api/v1/me/presence",
        &token,
        Some(json!({"status": "online"})),
    )
    .await;
    assert_eq!(me["presence"], "online");
    let frame = ws
        .until(WAIT, |f| {
            f["type"] == "consultation" && f["state"] == "in_progress"
        })
        .await;
    assert_eq!(frame["consultation_id"], waiting);
    assert_eq!(
        app.consultation(waiting).await["consultation"]["agent_id"],
        id
    );
    let me = call(&app, Method::GET, "/api/v1/me/presence", &token, None).await;
    assert_eq!(me["open"], 2);
    assert_eq!(me["agent"]["max_concurrent"], 3);
}

/// What agents and admins switch is checked, and the modes keep to their rules.
async fn presence_limits_and_modes_are_checked(app: TestApp) {
    let (id, token) = app.agent("checker", Role::Agent).await;
    let presence = async |body: Value| {
        app.request(
            Method::PUT,
            "/api/v1/me/presence",
            Some(&token),
            Some(&body),
        )
        .await
    };
    presence(json!({"status": "busy"}))
        .await
        .err(422, "invalid_field");
    presence(json!({"mood": "good"}))
        .await
        .err(400, "bad_request");
    let me = presence(json!({"status": "online", "takes_consultations": false}))
        .await
        .ok();
    assert_eq!(me["agent"]["status"], "online");
    assert_eq!(me["agent"]["takes_consultations"], false);
    assert_eq!(me["presence"], "online");

    let routing = format!("/api/v1/agents/{id}/routing");
    for bad in [
        json!({"max_concurrent": 0}),
        json!({"max_concurrent": 101}),
        json!({"max_concurrent": 2.5}),
    ] {
        app.put(&routing, &bad).await.err(422, "invalid_field");
    }
    app.put(&routing, &json!({"serves_channels": ["fax"]}))
        .await
        .err(422, "invalid_channel");
    app.put(&routing, &json!({"serves_categories": [0]}))
        .await
        .err(422, "invalid_field");
    let category = |name: &str, parent: Option<i64>| {
        let body = json!({"name": name, "parent_id": parent});
        let app = &app;
        async move {
            let r = app.post("/api/v1/site/categories", &body).await;
            assert_eq!(r.status, 201, "{}", r.body);
            r.body["id"].as_i64().unwrap()
        }
    };
    let goods = category("상품문의", None).await;
    let delivery = category("배송문의", None).await;
    let general = category("일반", Some(goods)).await;
    // Categories of the site's tree, not divisions, not anything else.
    app.put(&routing, &json!({"serves_categories": [general]}))
        .await
        .err(409, "conflict");
    // Whole numbers of any size and form are ids (of nothing here), not malformed ones.
    for unknown in [
        json!(delivery + 1000),
        json!(1_492_811_040_537_603.0),
        json!(1e20),
        json!(u64::MAX),
    ] {
        app.put(&routing, &json!({"serves_categories": [unknown]}))
            .await
            .err(404, "not_found");
    }
    app.put(&routing, &json!({"serves_categories": [1.5]}))
        .await
        .err(422, "invalid_field");
    let a = app
        .put(
            &routing,
            &json!({"max_concurrent": 100.0, "serves_categories": [goods, goods, delivery], "serves_channels": ["kakao"]}),
        )
        .await
        .ok();
    assert_eq!(a["agent"]["max_concurrent"], 100);
    assert_eq!(a["agent"]["serves_categories"], json!([goods, delivery]));
    assert_eq!(a["agent"]["serves_channels"], json!(["kakao"]));
    app.request(
        Method::PUT,
        &routing,
        Some(&token),
        Some(&json!({"max_concurrent": 5})),
    )
    .await
    .err(403, "forbidden");

    app.put("/api/v1/site/distribution", &json!({"mode": "fastest"}))
        .await
        .err(422, "invalid_field");
    app.put(
        "/api/v1/site/distribution",
        &json!({"offline_after_minutes": 0}),
    )
    .await
    .err(422, "invalid_field");
    app.put(
        "/api/v1/site/distribution",
        &json!({"reclaim_after_minutes": 241}),
    )
    .await
    .err(422, "invalid_field");
    let s = app
        .put(
            "/api/v1/site/distribution",
            &json!({"mode": "round_robin", "reclaim_after_minutes": 5, "prefer_last_agent": true}),
        )
        .await
        .ok();
    assert_eq!(s["mode"], "round_robin");
    assert_eq!(s["reclaim_after_minutes"], 5);
    let s = app
        .put(
            "/api/v1/site/distribution",
            &json!({"reclaim_after_minutes": null}),
        )
        .await
        .ok();
    assert_eq!(s["reclaim_after_minutes"], Value::Null);
    assert_eq!(s["prefer_last_agent"], true);

    // Round robin: nobody takes from the queue by hand; the agent who takes none is not given
    // any either.
    let c = app.chat(&app.v2_url("")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        app.consultation(c.consultation).await["consultation"]["state"],
        "waiting"
    );
    app.request(
        Method::POST,
        &format!("/api/v1/consultations/{}/take", c.consultation),
        Some(&token),
        None,
    )
    .await
    .err(409, "distribution_only");

    // Manual: taking by hand, within the limit.
    set_mode(&app, "manual").await;
    app.put(&routing, &json!({"max_concurrent": 1})).await.ok();
    let other = app.chat(&app.v2_url("")).await;
    for (n, c) in [c.consultation, other.consultation].into_iter().enumerate() {
        let r = app
            .request(
                Method::POST,
                &format!("/api/v1/consultations/{c}/take"),
                Some(&token),
                None,
            )
            .await;
        if n == 0 {
            r.ok();
        } else {
            let e = r.err(409, "limit_reached");
            assert!(
                e["message"].as_str().unwrap().contains("1 of at most 1"),
                "{e}"
            );
        }
    }
    // The board: for managers and the admin.
    let board = app.get("/api/v1/agents/board").await.ok();
    let me = board["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["agent"]["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(me["open"], 1);
    app.request(Method::GET, "/api/v1/agents/board", Some(&token), None)
        .await
        .err(403, "forbidden");
}

/// The holder asks another agent to take over; declined, it stays; accepted, it moves, and
/// the timeline says who did what.
async fn a_transfer_is_a_request_the_other_agent_answers(app: TestApp) {
    let (kim, kim_token) = app.agent("kim", Role::Agent).await;
    let (lee, lee_token) = app.agent("lee", Role::Agent).await;
    let c = app.chat(&app.v2_url("")).await.consultation;
    call(
        &app,
        Method::POST,
        &format!("/api/v1/consultations/{c}/take"),
        &kim_token,
        None,
    )
    .await;
    let transfers = format!("/api/v1/consultations/{c}/transfers");
    app.request(
        Method::POST,
        &transfers,
        Some(&kim_token),
        Some(&json!({"to_agent_id": kim})),
    )
    .await
    .err(409, "conflict");
    let auth = format!("Bearer {lee_token}");
    let mut lee_console = app
        .ws("/api/v1/console/ws", &[("authorization", auth.as_str())])
        .await;
    let r = call(
        &app,
        Method::POST,
        &transfers,
        &kim_token,
        Some(json!({"to_agent_id": lee, "note": "배송 건은 이 분이 잘 아세요"})),
    )
    .await;
    let request = r["transfer"]["id"].as_i64().unwrap();
    assert_eq!(r["transfer"]["state"], "pending");
    let frame = lee_console
        .until(WAIT, |f| {
            f["type"] == "transfer" && f["transfer"]["id"] == request
        })
        .await;
    assert_eq!(frame["transfer"]["note"], "배송 건은 이 분이 잘 아세요");
    // One request at a time.
    app.request(
        Method::POST,
        &transfers,
        Some(&kim_token),
        Some(&json!({"to_agent_id": lee})),
    )
    .await
    .err(409, "conflict");
    // Only the agent asked answers.
    app.request(
        Method::POST,
        &format!("/api/v1/transfers/{request}/accept"),
        Some(&kim_token),
        None,
    )
    .await
    .err(404, "not_found");
    let listed = call(&app, Method::GET, "/api/v1/transfers", &lee_token, None).await;
    assert_eq!(listed["transfers"][0]["id"], request);
    let d = call(
        &app,
        Method::POST,
        &format!("/api/v1/transfers/{request}/decline"),
        &lee_token,
        None,
    )
    .await;
    assert_eq!(d["transfer"]["state"], "declined");
    assert_eq!(app.consultation(c).await["consultation"]["agent_id"], kim);

    // Asked again, then taken back by the sender before Lee answers: Lee is told, and can no
    // longer accept it; only the sender withdraws.
    let r = call(
        &app,
        Method::POST,
        &transfers,
        &kim_token,
        Some(json!({"to_agent_id": lee})),
    )
    .await;
    let withdrawn = r["transfer"]["id"].as_i64().unwrap();
    app.request(
        Method::POST,
        &format!("/api/v1/transfers/{withdrawn}/withdraw"),
        Some(&lee_token),
        None,
    )
    .await
    .err(404, "not_found");
    let w = call(
        &app,
        Method::POST,
        &format!("/api/v1/transfers/{withdrawn}/withdraw"),
        &kim_token,
        None,
    )
    .await;
    assert_eq!(w["transfer"]["state"], "withdrawn");
    lee_console
        .until(WAIT, |f| {
            f["type"] == "transfer"
                && f["transfer"]["id"] == withdrawn
                && f["transfer"]["state"] == "withdrawn"
        })
        .await;
    app.request(
        Method::POST,
        &format!("/api/v1/transfers/{withdrawn}/accept"),
        Some(&lee_token),
        None,
    )
    .await
    .err(409, "conflict");
    app.request(
        Method::POST,
        &format!("/api/v1/transfers/{withdrawn}/withdraw"),
        Some(&kim_token),
        None,
    )
    .await
    .err(409, "conflict");
    assert_eq!(app.consultation(c).await["consultation"]["agent_id"], kim);

    let r = call(
        &app,
        Method::POST,
        &transfers,
        &kim_token,
        Some(json!({"to_agent_id": lee})),
    )
    .await;
    let request = r["transfer"]["id"].as_i64().unwrap();
    let a = call(
        &app,
        Method::POST,
        &format!("/api/v1/transfers/{request}/accept"),
        &lee_token,
        None,
    )
    .await;
    assert_eq!(a["transfer"]["state"], "accepted");
    app.request(
        Method::POST,
        &format!("/api/v1/transfers/{request}/accept"),
        Some(&lee_token),
        None,
    )
    .await
    .err(409, "conflict");
    let detail = app.consultation(c).await;
    assert_eq!(detail["consultation"]["agent_id"], lee);
    assert_eq!(detail["consultation"]["state"], "in_progress");
    let timeline: Vec<(String, Value, Value)> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["actor_id"].clone(),
                e["agent_id"].clone(),
            )
        })
        .collect();
    assert_eq!(
        timeline,
        [
            ("taken".to_owned(), json!(kim), json!(kim)),
            ("transfer_requested".to_owned(), json!(kim), json!(lee)),
            ("transfer_declined".to_owned(), json!(lee), json!(lee)),
            ("transfer_requested".to_owned(), json!(kim), json!(lee)),
            ("transfer_withdrawn".to_owned(), json!(kim), json!(lee)),
            ("transfer_requested".to_owned(), json!(kim), json!(lee)),
            ("transferred".to_owned(), json!(lee), json!(lee)),
        ]
    );
    // Now Lee's: Kim may no longer reply.
    app.request(
        Method::POST,
        &format!("/api/v1/consultations/{c}/messages"),
        Some(&kim_token),
        Some(&json!({"body": "제가 이어서"})),
    )
    .await
    .err(404, "not_found");
}

/// A manager gives a consultation to an agent directly, never past the agent's limit, and
/// sends one back to the queue where it keeps its place.
async fn a_manager_assigns_directly_within_the_limit(app: TestApp) {
    let (_, manager) = app.agent("lead", Role::Manager).await;
    let (kim, kim_token) = app.agent("kim", Role::Agent).await;
    app.put(
        &format!("/api/v1/agents/{kim}/routing"),
        &json!({"max_concurrent": 1}),
    )
    .await
    .ok();
    let first = app.chat(&app.v2_url("")).await.consultation;
    let second = app.chat(&app.v2_url("")).await.consultation;
    let assign = async |c: i64, token: &str| {
        app.request(
            Method::POST,
            &format!("/api/v1/consultations/{c}/assign"),
            Some(token),
            Some(&json!({"agent_id": kim})),
        )
        .await
    };
    assign(first, &kim_token).await.err(403, "forbidden");
    assign(first, &manager).await.ok();
    assign(first, &manager).await.err(409, "conflict");
    assign(second, &manager).await.err(409, "limit_reached");
    assert_eq!(
        app.consultation(second).await["consultation"]["state"],
        "waiting"
    );

    // Kim sends the first back: it waits again ahead of the second (it waited first).
    call(
        &app,
        Method::POST,
        &format!("/api/v1/consultations/{first}/send-back"),
        &kim_token,
        Some(json!({"note": "제 담당이 아니에요"})),
    )
    .await;
    let queue = app.get("/api/v1/queue").await.ok();
    assert_eq!(queue_ids(&queue), [first, second]);
    let detail = app.consultation(first).await;
    let kinds: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["reassigned", "sent_back"]);
    assert_eq!(detail["timeline"][1]["note"], "제 담당이 아니에요");
    assign(second, &manager).await.ok();
}

/// Kakao users cannot be written to first: the answer to their message says their place.
async fn a_kakao_customer_hears_their_place_when_they_write(app: TestApp) {
    app.chat(&app.v2_url("")).await;
    let answer = app
        .kakao(&kakao_request(
            "kakao-waiting-1",
            "상담원 연결해 주세요",
            json!({}),
        ))
        .await
        .ok();
    assert_eq!(
        skill_texts(&answer),
        ["상담원 연결을 기다리고 있습니다. 잠시만 기다려 주세요. 대기 순번은 2번째입니다."]
    );
}

/// An agent choosing whom to transfer to reads every account of their site with its name, role
/// and presence (not its login, limit or load), and nothing of another site.
async fn every_account_reads_the_directory_of_its_own_site(app: TestApp) {
    let (kim, kim_token) = app.agent("kim", Role::Agent).await;
    let (lead, _) = app.agent("lead", Role::Manager).await;
    let (lee, lee_token) = app.agent("lee", Role::Agent).await;
    call(
        &app,
        Method::PUT,
        "/api/v1/me/presence",
        &lee_token,
        Some(json!({"status": "away"})),
    )
    .await;
    let other = app.other_site("다른 회사").await;
    let (_, stranger) = app
        .agent_of(other.site_id.get(), "stranger", Role::Agent)
        .await;

    let list = call(
        &app,
        Method::GET,
        "/api/v1/agents/directory",
        &kim_token,
        None,
    )
    .await;
    let agents = list["agents"].as_array().unwrap();
    let admin = app.get("/api/v1/me").await.ok()["agent"]["id"].clone();
    let by_id = |id: &Value| agents.iter().find(|a| &a["id"] == id).cloned();
    let me = by_id(&json!(kim)).expect("the caller is listed");
    assert_eq!(me["role"], "agent");
    assert_eq!(me["presence"], "offline", "nobody is online by default");
    assert_eq!(by_id(&json!(lead)).unwrap()["role"], "manager");
    assert_eq!(by_id(&admin).unwrap()["role"], "admin");
    let lee_entry = by_id(&json!(lee)).unwrap();
    assert_eq!(lee_entry["presence"], "away");
    assert_eq!(lee_entry["display_name"], "lee");
    let keys: BTreeSet<&str> = lee_entry
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["display_name", "id", "presence", "role"]
            .into_iter()
            .collect(),
        "names, roles and presence only"
    );
    assert_eq!(agents.len(), 4);

    let theirs = call(
        &app,
        Method::GET,
        "/api/v1/agents/directory",
        &stranger,
        None,
    )
    .await;
    let ids: Vec<i64> = theirs["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert!(!ids.contains(&kim) && !ids.contains(&lee), "{ids:?}");
    app.request(Method::GET, "/api/v1/agents/directory", None, None)
        .await
        .err(401, "unauthorized");
}

/// Adds a category (or a division of `parent`) to the site's tree: its id.
async fn add_category(app: &TestApp, name: &str, parent: Option<i64>) -> i64 {
    let node = app
        .post(
            "/api/v1/site/categories",
            &json!({"name": name, "parent_id": parent}),
        )
        .await
        .ok();
    node["id"].as_i64().unwrap()
}

/// Polls until consultation `c` is in progress with `agent`.
async fn until_held_by(app: &TestApp, c: i64, agent: i64) -> Value {
    let start = Instant::now();
    loop {
        let detail = app.consultation(c).await;
        if detail["consultation"]["state"] == "in_progress"
            && detail["consultation"]["agent_id"] == agent
        {
            return detail;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "consultation {c} not with {agent}: {}",
            detail["consultation"]
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// By category: a customer who chose 환불 is Lee's (who serves 환불); Lee sends it back into
/// 배송, and it is Kim's (who serves 배송). The send-back says on the timeline who moved it
/// from which category to which, and is among its classification changes. What the tree
/// refuses is a 404 or a 409 that changes nothing, never a 422 for a well-formed id.
async fn a_consultation_sent_back_into_another_category_goes_to_who_serves_it(app: TestApp) {
    let delivery = add_category(&app, "배송", None).await;
    let late = add_category(&app, "지연", Some(delivery)).await;
    let refund = add_category(&app, "환불", None).await;
    let partial = add_category(&app, "부분환불", Some(refund)).await;
    set_mode(&app, "by_category").await;
    let (kim, kim_token) = online_agent(&app, "kim", 5).await;
    let (lee, lee_token) = online_agent(&app, "lee", 5).await;
    for (agent, category) in [(kim, delivery), (lee, refund)] {
        app.put(
            &format!("/api/v1/agents/{agent}/routing"),
            &json!({"serves_categories": [category]}),
        )
        .await
        .ok();
    }

    let c = app
        .chat(&app.v2_url(&format!("category_id={refund},division_id={partial}")))
        .await
        .consultation;
    until_held_by(&app, c, lee).await;

    let send_back = async |token: &str, body: Value| {
        app.request(
            Method::POST,
            &format!("/api/v1/consultations/{c}/send-back"),
            Some(token),
            Some(&body),
        )
        .await
    };
    // Refused, each changing nothing: a division as the category, a category as the division,
    // a division of another category, an id of nothing, a category switched off.
    let unused = add_category(&app, "이벤트", None).await;
    app.patch(
        &format!("/api/v1/site/categories/{unused}"),
        &json!({"used": false}),
    )
    .await
    .ok();
    for (body, status, code) in [
        (json!({"category_id": late}), 409, "not_a_category"),
        (json!({"division_id": delivery}), 409, "not_a_division"),
        (
            json!({"category_id": delivery, "division_id": partial}),
            409,
            "division_not_of_category",
        ),
        (json!({"category_id": 987_654_321}), 404, "not_found"),
        (json!({"division_id": 987_654_321}), 404, "not_found"),
        (
            json!({"category_id": 1_492_811_040_537_603.0}),
            404,
            "not_found",
        ),
        (json!({"division_id": u64::MAX}), 404, "not_found"),
        (json!({"category_id": unused}), 409, "category_unused"),
        (json!({"category_id": 0}), 422, "invalid_field"),
    ] {
        send_back(&lee_token, body.clone()).await.err(status, code);
    }
    let detail = app.consultation(c).await;
    assert_eq!(detail["consultation"]["agent_id"], lee, "still Lee's");
    assert_eq!(detail["consultation"]["category_id"], refund);
    assert_eq!(detail["consultation"]["division_id"], partial);
    assert_eq!(detail["timeline"].as_array().unwrap().len(), 1);
    // Only whoever may handle it sends it back, into any category.
    send_back(&kim_token, json!({"category_id": delivery}))
        .await
        .err(404, "not_found");

    // Into 배송, with a note: waiting, without the division of 환불, then Kim's.
    let answer = send_back(
        &lee_token,
        json!({"category_id": delivery, "note": "배송 문의예요"}),
    )
    .await
    .ok();
    assert_eq!(answer["consultation"]["category_id"], delivery);
    assert_eq!(answer["consultation"]["division_id"], Value::Null);
    let detail = until_held_by(&app, c, kim).await;
    assert_eq!(detail["consultation"]["category_id"], delivery);
    let timeline: Vec<Value> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            json!([
                e["kind"],
                e["actor_id"],
                e["agent_id"],
                e["from_category_id"],
                e["from_division_id"],
                e["category_id"],
                e["division_id"],
            ])
        })
        .collect();
    assert_eq!(
        timeline,
        [
            json!(["assigned", null, lee, null, null, null, null]),
            json!(["sent_back", lee, null, refund, partial, delivery, null]),
            json!(["assigned", null, kim, null, null, null, null]),
        ]
    );
    assert_eq!(detail["timeline"][1]["from_agent_id"], lee);
    assert_eq!(detail["timeline"][1]["note"], "배송 문의예요");
    let changes = detail["classifications"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["agent_id"], lee);
    assert_eq!(changes[0]["category_id"], delivery);
    assert_eq!(changes[0]["division_id"], Value::Null);

    // A division alone brings its category; the same category alone keeps the division; a
    // send-back into what it has already is a plain send-back.
    let answer = send_back(&kim_token, json!({"division_id": late}))
        .await
        .ok();
    assert_eq!(
        (
            &answer["consultation"]["category_id"],
            &answer["consultation"]["division_id"]
        ),
        (&json!(delivery), &json!(late))
    );
    until_held_by(&app, c, kim).await;
    let answer = send_back(&kim_token, json!({"category_id": delivery}))
        .await
        .ok();
    assert_eq!(answer["consultation"]["division_id"], late);
    let detail = until_held_by(&app, c, kim).await;
    let last = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .nth(1)
        .cloned()
        .unwrap();
    assert_eq!(last["kind"], "sent_back");
    assert_eq!(last["category_id"], Value::Null, "{last}");
    assert_eq!(detail["classifications"].as_array().unwrap().len(), 2);
}
