//! Staff accounts (an admin adds agents and managers) and what each role's console receives
//! live (R3.6: agents see their own rooms and the queue; managers and admins everything).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{TestApp, WAIT, Ws};
use reqwest::Method;
use serde_json::{Value, json};

both!(
    an_admin_adds_agents_and_managers,
    agent_consoles_follow_the_queue_and_their_own,
);

fn id(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an id: {v}"))
}

/// Creates an account through the API as the admin; (agent id, API token).
async fn account(app: &TestApp, login: &str, role: &str) -> (i64, String) {
    let body = app
        .post(
            "/api/v1/agents",
            &json!({"login": login, "display_name": format!("{login} 상담사"), "role": role, "api_token": true}),
        )
        .await
        .ok();
    (
        id(&body["agent"]["id"]),
        body["api_token"].as_str().expect("api_token").to_owned(),
    )
}

async fn an_admin_adds_agents_and_managers(app: TestApp) {
    // A generated password, shown once, and a token, both working.
    let resp = app
        .post(
            "/api/v1/agents",
            &json!({"login": "kim.agent", "display_name": " 김상담 ", "api_token": true}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.body);
    let created = resp.body;
    assert_eq!(created["agent"]["login"], "kim.agent");
    assert_eq!(created["agent"]["display_name"], "김상담");
    assert_eq!(created["agent"]["role"], "agent");
    assert!(created["agent"].get("password_hash").is_none());
    let password = created["password"].as_str().expect("generated password");
    assert!(password.len() >= 16);
    let token = created["api_token"].as_str().expect("token");
    let me = app
        .request(Method::GET, "/api/v1/me", Some(token), None)
        .await
        .ok();
    assert_eq!(me["agent"]["login"], "kim.agent");
    assert_eq!(me["agent"]["role"], "agent");
    assert_eq!(me["agent"]["status"], "offline", "nobody has logged in yet");
    let log_in = || async {
        let login = app
            .request(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(&json!({"login": "kim.agent", "password": password})),
            )
            .await;
        assert_eq!(login.status, 200, "{}", login.body);
        login.body
    };
    // Logging in is coming to work: the offline account is online, in the answer and in `/me`.
    assert_eq!(log_in().await["agent"]["status"], "online");
    let me = app
        .request(Method::GET, "/api/v1/me", Some(token), None)
        .await
        .ok();
    assert_eq!(me["agent"]["status"], "online");
    // One who chose "away" stays away when logging in again.
    app.request(
        Method::PUT,
        "/api/v1/me/presence",
        Some(token),
        Some(&json!({"status": "away"})),
    )
    .await
    .ok();
    assert_eq!(log_in().await["agent"]["status"], "away");

    // A manager with a chosen password: no password in the answer, no token unless asked.
    let manager = app
        .post(
            "/api/v1/agents",
            &json!({"login": "lee-manager", "display_name": "이팀장", "role": "manager", "password": "팀장님의 새 비밀번호"}),
        )
        .await
        .ok();
    assert_eq!(manager["agent"]["role"], "manager");
    assert!(manager.get("password").is_none() && manager.get("api_token").is_none());
    app.request(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(&json!({"login": "lee-manager", "password": "팀장님의 새 비밀번호"})),
    )
    .await
    .ok();

    // The list: admins and managers; never a password.
    let list = app.get("/api/v1/agents").await.ok();
    let logins: Vec<&str> = list["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["login"].as_str().unwrap())
        .collect();
    assert_eq!(
        logins,
        [app.admin_login.as_str(), "kim.agent", "lee-manager"]
    );
    assert!(!list.to_string().contains("argon2"));

    // Refusals, each with its reason.
    app.post(
        "/api/v1/agents",
        &json!({"login": "kim.agent", "display_name": "둘째 김"}),
    )
    .await
    .err(409, "conflict");
    // Each refusal names its field (`details.field`), so a form shows it beside that field.
    for (body, code, field) in [
        (
            json!({"login": "ab", "display_name": "x"}),
            "invalid_field",
            "login",
        ),
        (
            json!({"login": "김상담", "display_name": "x"}),
            "invalid_field",
            "login",
        ),
        (
            json!({"login": "park", "display_name": "  "}),
            "invalid_field",
            "display_name",
        ),
        (
            json!({"login": "park", "display_name": "박", "password": "short"}),
            "invalid_field",
            "password",
        ),
        (
            json!({"login": "park", "display_name": "박", "role": "admin"}),
            "invalid_role",
            "",
        ),
        (
            json!({"login": "park", "display_name": "박", "role": "owner"}),
            "invalid_role",
            "",
        ),
    ] {
        let e = app.post("/api/v1/agents", &body).await.err(422, code);
        assert!(
            !e["message"].as_str().unwrap_or_default().is_empty(),
            "{body}"
        );
        assert_eq!(
            e["details"]["field"].as_str().unwrap_or(""),
            field,
            "{body}"
        );
    }
    let resp = app
        .post(
            "/api/v1/agents",
            &json!({"login": "park", "display_name": "박", "rol": "agent"}),
        )
        .await;
    assert!(
        (400..500).contains(&resp.status),
        "an unknown field is refused: {}",
        resp.body
    );
    common::assert_structured_error(&resp.body);

    // Agents neither list nor add accounts; managers list but do not add.
    app.request(Method::GET, "/api/v1/agents", Some(token), None)
        .await
        .err(403, "forbidden");
    app.request(
        Method::POST,
        "/api/v1/agents",
        Some(token),
        Some(&json!({"login": "sneaky", "display_name": "x"})),
    )
    .await
    .err(403, "forbidden");
    let (_, manager_token) = account(&app, "choi.manager", "manager").await;
    app.request(Method::GET, "/api/v1/agents", Some(&manager_token), None)
        .await
        .ok();
    app.request(
        Method::POST,
        "/api/v1/agents",
        Some(&manager_token),
        Some(&json!({"login": "sneaky", "display_name": "x"})),
    )
    .await
    .err(403, "forbidden");
    // Accounts belong to the admin's site only.
    let other = app.other_site("옆 가게").await;
    let theirs = app
        .request(Method::GET, "/api/v1/agents", Some(&other.api_token), None)
        .await
        .ok();
    assert_eq!(theirs["agents"].as_array().unwrap().len(), 1, "{theirs}");
}

async fn console(app: &TestApp, token: &str) -> Ws {
    let auth = format!("Bearer {token}");
    let mut ws = app
        .ws("/api/v1/console/ws", &[("authorization", &auth)])
        .await;
    ws.until(WAIT, |f| f["type"] == "hello").await;
    ws
}

fn bodies(frames: &[Value]) -> Vec<&str> {
    frames
        .iter()
        .filter(|f| f["type"] == "message")
        .filter_map(|f| f["message"]["body"].as_str())
        .collect()
}

/// What people wrote among `frames`: the bodies without the greeting Sangdam sends by itself
/// when an agent takes a consultation.
fn said(frames: &[Value]) -> Vec<&str> {
    bodies(frames)
        .into_iter()
        .filter(|b| !common::is_greeting(b))
        .collect()
}

async fn agent_consoles_follow_the_queue_and_their_own(app: TestApp) {
    let (_, a_token) = account(&app, "agent.a", "agent").await;
    let (_, b_token) = account(&app, "agent.b", "agent").await;
    let (_, m_token) = account(&app, "manager.m", "manager").await;
    let mut a = console(&app, &a_token).await;
    let mut b = console(&app, &b_token).await;
    let mut m = console(&app, &m_token).await;

    // The queue: both agents see the waiting consultation and its messages.
    let s = app.chat(&app.v2_url("site_uid=('follow1')")).await;
    app.say(&s.visitor, "대기 중 문의").await.ok();
    for ws in [&mut a, &mut b, &mut m] {
        let got = ws.frames_until(|f| f["type"] == "message").await;
        assert_eq!(bodies(&got), ["대기 중 문의"]);
        assert!(
            got.iter()
                .any(|f| f["type"] == "consultation" && f["consultation"]["state"] == "waiting")
        );
    }

    // A takes it: B is told (it leaves B's queue), then hears nothing more of it.
    app.request(
        Method::POST,
        &format!("/api/v1/consultations/{}/take", s.consultation),
        Some(&a_token),
        None,
    )
    .await
    .ok();
    for ws in [&mut a, &mut b, &mut m] {
        let taken = ws.until(WAIT, |f| f["type"] == "consultation").await;
        assert_eq!(taken["consultation"]["state"], "in_progress");
    }
    app.say(&s.visitor, "A에게만").await.ok();
    // A marker every console receives: a new waiting consultation.
    let marker = app.chat(&app.v2_url("site_uid=('follow2')")).await;
    let is_marker = |f: &Value| {
        f["type"] == "consultation" && f["consultation"]["id"].as_i64() == Some(marker.consultation)
    };
    let at_a = a.frames_until(is_marker).await;
    let at_b = b.frames_until(is_marker).await;
    let at_m = m.frames_until(is_marker).await;
    assert_eq!(said(&at_a), ["A에게만"]);
    assert!(
        bodies(&at_a).iter().any(|b| common::is_greeting(b)),
        "A's console shows the greeting: {at_a:#?}"
    );
    assert!(bodies(&at_b).is_empty(), "B received {at_b:#?}");
    assert_eq!(said(&at_m), ["A에게만"]);

    // B may not open A's room (an agent reads the queue's and their own): refused as absent,
    // and its messages still do not reach B.
    b.send_json(&json!({"type": "watch", "room_id": s.room}))
        .await;
    // (The queue moving reaches every console too.)
    let refused = b
        .until(WAIT, |f| f["type"] != "message" && f["type"] != "queue")
        .await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert!(refused["error"].as_str().unwrap().contains("not found"));
    app.say(&s.visitor, "B는 못 봄").await.ok();
    let marker2 = app.chat(&app.v2_url("site_uid=('follow3')")).await;
    let at_b = b
        .frames_until(|f| {
            f["type"] == "consultation"
                && f["consultation"]["id"].as_i64() == Some(marker2.consultation)
        })
        .await;
    assert!(bodies(&at_b).is_empty(), "B received {at_b:#?}");

    // Watching another site's room or garbage is refused in a frame, and the socket lives on.
    let other = app.other_site("옆 가게").await;
    let theirs = app
        .open_session_on(other.site_id.get(), &json!({"url": app.v2_url("")}))
        .await
        .ok();
    b.send_json(&json!({"type": "watch", "room_id": theirs["room_id"]}))
        .await;
    let e = b.until(WAIT, |f| f["type"] == "error").await;
    assert!(e["error"].as_str().unwrap().contains("not found"), "{e}");
    b.send_json(&json!({"type": "dance"})).await;
    b.until(WAIT, |f| f["type"] == "error").await;
    b.send_json(&json!({"type": "ping"})).await;
    b.until(WAIT, |f| f["type"] == "pong").await;

    // A console opened later knows what its agent holds.
    let mut a2 = console(&app, &a_token).await;
    app.say(&s.visitor, "다시 연결한 A에게").await.ok();
    let got = a2.until(WAIT, |f| f["type"] == "message").await;
    assert_eq!(got["message"]["body"], "다시 연결한 A에게");
}
