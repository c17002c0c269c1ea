//! Groups: a manager leads the group they are in and sees its accounts and consultations (and
//! the queue); a manager in no group, and the admin, see the whole site.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{TestApp, WAIT};
use reqwest::Method;
use serde_json::{Value, json};
use store::Role;

both!(
    a_manager_sees_their_groups_accounts_and_consultations,
    moving_an_account_changes_what_its_manager_sees,
    groups_are_the_admins_to_keep,
);

fn id(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an id: {v}"))
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> common::Resp {
    app.request(method, path, Some(token), body.as_ref()).await
}

async fn group(app: &TestApp, name: &str) -> i64 {
    let r = app.post("/api/v1/groups", &json!({"name": name})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    id(&r.body["id"])
}

async fn join(app: &TestApp, agent: i64, group: Option<i64>) -> Value {
    app.patch(
        &format!("/api/v1/agents/{agent}"),
        &json!({"group_id": group}),
    )
    .await
    .ok()
}

/// A consultation of a named customer, taken by `token`'s account.
async fn taken_by(app: &TestApp, token: &str, uid: &str, name: &str) -> i64 {
    let s = app
        .chat(&app.v2_url(&format!("site_uid=('{uid}'),cus_extra_username=('{name}')")))
        .await;
    app.say(&s.visitor, "문의").await.ok();
    call(
        app,
        Method::POST,
        &format!("/api/v1/consultations/{}/take", s.consultation),
        token,
        Some(json!({})),
    )
    .await
    .ok();
    s.consultation
}

fn ids(list: &Value, key: &str) -> Vec<i64> {
    let mut out: Vec<i64> = list[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| id(&c["id"]))
        .collect();
    out.sort_unstable();
    out
}

async fn a_manager_sees_their_groups_accounts_and_consultations(app: TestApp) {
    let (a, b) = (group(&app, "A팀").await, group(&app, "B팀").await);
    let (a1, a1_token) = app.agent("a1", Role::Agent).await;
    let (b1, b1_token) = app.agent("b1", Role::Agent).await;
    let (lead, lead_token) = app.agent("lead", Role::Manager).await;
    let (_, free_token) = app.agent("free", Role::Manager).await;
    join(&app, a1, Some(a)).await;
    join(&app, b1, Some(b)).await;
    let joined = join(&app, lead, Some(a)).await;
    assert_eq!(id(&joined["agent"]["group_id"]), a);

    let ours = taken_by(&app, &a1_token, "g1", "김에이").await;
    let theirs = taken_by(&app, &b1_token, "g2", "박비이").await;
    let queued = app.chat(&app.v2_url("site_uid=('g3')")).await;
    app.say(&queued.visitor, "대기 중").await.ok();
    let queued = queued.consultation;

    let seen = call(
        &app,
        Method::GET,
        "/api/v1/consultations",
        &lead_token,
        None,
    )
    .await
    .ok();
    let mut want = vec![ours, queued];
    want.sort_unstable();
    assert_eq!(ids(&seen, "consultations"), want);
    call(
        &app,
        Method::GET,
        &format!("/api/v1/consultations/{theirs}"),
        &lead_token,
        None,
    )
    .await
    .err(404, "not_found");
    let theirs_room = app.consultation(theirs).await["consultation"]["room_id"].clone();
    call(
        &app,
        Method::GET,
        &format!("/api/v1/rooms/{theirs_room}"),
        &lead_token,
        None,
    )
    .await
    .err(404, "not_found");
    // What they see they handle as a manager: another's consultation in their group.
    call(
        &app,
        Method::POST,
        &format!("/api/v1/consultations/{ours}/messages"),
        &lead_token,
        Some(json!({"body": "팀장입니다"})),
    )
    .await
    .ok();
    // Accounts and the board: their group only.
    let accounts = call(&app, Method::GET, "/api/v1/agents", &lead_token, None)
        .await
        .ok();
    let mut want = vec![a1, lead];
    want.sort_unstable();
    assert_eq!(ids(&accounts, "agents"), want);
    // Search: the other group's customer is not found.
    let found = call(
        &app,
        Method::GET,
        &format!("/api/v1/search?q={}", common::enc("박비이")),
        &lead_token,
        None,
    )
    .await
    .ok();
    assert_eq!(found["customers"], json!([]), "{found}");
    let found = call(
        &app,
        Method::GET,
        &format!("/api/v1/search?q={}", common::enc("김에이")),
        &lead_token,
        None,
    )
    .await
    .ok();
    assert_eq!(found["customers"].as_array().unwrap().len(), 1, "{found}");

    // Reports and the dashboard: the group's business only.
    let report = call(
        &app,
        Method::POST,
        "/api/v1/reports/consultations",
        &lead_token,
        Some(json!({})),
    )
    .await
    .ok();
    let mut rows: Vec<i64> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| id(&r["consultation_id"]))
        .collect();
    rows.sort_unstable();
    let mut want = vec![ours, queued];
    want.sort_unstable();
    assert_eq!(rows, want, "{report}");
    assert_eq!(report["counters"]["total"], 2);
    let board = call(
        &app,
        Method::POST,
        "/api/v1/reports/dashboard",
        &lead_token,
        Some(json!({})),
    )
    .await
    .ok();
    let counted: i64 = board["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["count"].as_i64().unwrap())
        .sum();
    assert_eq!(counted, 2, "{board}");
    let whole = app
        .post("/api/v1/reports/consultations", &json!({}))
        .await
        .ok();
    assert_eq!(whole["counters"]["total"], 3);

    // A manager in no group sees the whole site.
    let seen = call(
        &app,
        Method::GET,
        "/api/v1/consultations",
        &free_token,
        None,
    )
    .await
    .ok();
    let mut want = vec![ours, theirs, queued];
    want.sort_unstable();
    assert_eq!(ids(&seen, "consultations"), want);
    assert_eq!(
        call(&app, Method::GET, "/api/v1/agents", &free_token, None)
            .await
            .ok()["agents"]
            .as_array()
            .unwrap()
            .len(),
        5
    );

    // The console: the group's messages arrive, another group's do not.
    let mut console = app
        .ws(
            "/api/v1/console/ws",
            &[("authorization", &format!("Bearer {lead_token}"))],
        )
        .await;
    console.until(WAIT, |f| f["type"] == "hello").await;
    for (c, token, body) in [
        (theirs, &b1_token, "B팀 답변"),
        (ours, &a1_token, "A팀 답변"),
    ] {
        call(
            &app,
            Method::POST,
            &format!("/api/v1/consultations/{c}/messages"),
            token,
            Some(json!({"body": body})),
        )
        .await
        .ok();
    }
    // Published in this order: B's would have come first.
    let frames = console
        .frames_until(|f| f["type"] == "message" && f["message"]["body"] == "A팀 답변")
        .await;
    assert_eq!(
        id(&frames.last().unwrap()["message"]["consultation_id"]),
        ours
    );
    assert!(
        !frames.iter().any(|f| f["message"]["body"] == "B팀 답변"),
        "{frames:?}"
    );
}

async fn moving_an_account_changes_what_its_manager_sees(app: TestApp) {
    let a = group(&app, "A팀").await;
    let (a1, a1_token) = app.agent("a1", Role::Agent).await;
    let (lead, lead_token) = app.agent("lead", Role::Manager).await;
    join(&app, lead, Some(a)).await;
    let c = taken_by(&app, &a1_token, "m1", "이동").await;
    call(
        &app,
        Method::GET,
        &format!("/api/v1/consultations/{c}"),
        &lead_token,
        None,
    )
    .await
    .err(404, "not_found");
    let mut console = app
        .ws(
            "/api/v1/console/ws",
            &[("authorization", &format!("Bearer {lead_token}"))],
        )
        .await;
    console.until(WAIT, |f| f["type"] == "hello").await;
    join(&app, a1, Some(a)).await;
    // The manager's console reloads to follow the group as it now is.
    console
        .until(WAIT, |f| f["type"] == "account_changed")
        .await;
    call(
        &app,
        Method::GET,
        &format!("/api/v1/consultations/{c}"),
        &lead_token,
        None,
    )
    .await
    .ok();
    let out = join(&app, a1, None).await;
    assert_eq!(out["agent"]["group_id"], Value::Null);
    call(
        &app,
        Method::GET,
        &format!("/api/v1/consultations/{c}"),
        &lead_token,
        None,
    )
    .await
    .err(404, "not_found");
    // Another site's group, or none at all, is not found; the change is in the audit log.
    let other = app.other_site("다른 상점").await;
    let theirs = call(
        &app,
        Method::POST,
        "/api/v1/groups",
        &other.api_token,
        Some(json!({"name": "A팀"})),
    )
    .await
    .ok();
    app.patch(
        &format!("/api/v1/agents/{a1}"),
        &json!({"group_id": theirs["id"]}),
    )
    .await
    .err(404, "not_found");
    app.patch(
        &format!("/api/v1/agents/{a1}"),
        &json!({"group_id": 999_999}),
    )
    .await
    .err(404, "not_found");
    let log = app.get("/api/v1/site/audit").await.ok();
    assert!(
        log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "account_edited" && e["detail"]["group_id"]["to"] == a),
        "{log}"
    );
}

async fn groups_are_the_admins_to_keep(app: TestApp) {
    let a = group(&app, "상담1팀").await;
    app.post("/api/v1/groups", &json!({"name": " 상담1팀 "}))
        .await
        .err(409, "conflict");
    app.post("/api/v1/groups", &json!({"name": "   "}))
        .await
        .err(422, "invalid_field");
    app.post("/api/v1/groups", &json!({"name": "가".repeat(31)}))
        .await
        .err(422, "invalid_field");
    let (agent, agent_token) = app.agent("a1", Role::Agent).await;
    let (lead, lead_token) = app.agent("lead", Role::Manager).await;
    call(&app, Method::GET, "/api/v1/groups", &agent_token, None)
        .await
        .err(403, "forbidden");
    call(
        &app,
        Method::POST,
        "/api/v1/groups",
        &lead_token,
        Some(json!({"name": "x"})),
    )
    .await
    .err(403, "forbidden");
    join(&app, agent, Some(a)).await;
    join(&app, lead, Some(a)).await;
    let listed = call(&app, Method::GET, "/api/v1/groups", &lead_token, None)
        .await
        .ok();
    assert_eq!(listed["groups"][0]["name"], "상담1팀");
    assert_eq!(listed["groups"][0]["members"], 2);
    let renamed = app
        .put(&format!("/api/v1/groups/{a}"), &json!({"name": "상담 A팀"}))
        .await
        .ok();
    assert_eq!(renamed["name"], "상담 A팀");
    let gone = app
        .request(
            Method::DELETE,
            &format!("/api/v1/groups/{a}"),
            Some(&app.token),
            None,
        )
        .await;
    assert_eq!(gone.status, 204);
    let accounts = app.get("/api/v1/agents").await.ok();
    assert!(
        accounts["agents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["group_id"].is_null()),
        "{accounts}"
    );
    app.request(
        Method::DELETE,
        &format!("/api/v1/groups/{a}"),
        Some(&app.token),
        None,
    )
    .await
    .err(404, "not_found");
}
