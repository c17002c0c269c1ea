//! The agents' tools on a customer (memo with its history, flag, tags, grade), the site's
//! tag list, canned replies, and what blocking a customer does on each channel.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{TestApp, kakao_request, newest_on, skill_texts};
use reqwest::Method;
use serde_json::{Value, json};
use store::Role;

both!(
    memo_versions_flag_and_tags_show_on_the_profile,
    only_who_may_edit_the_customer_changes_the_tools,
    a_blocked_customer_is_answered_recorded_and_never_queued,
    a_blocked_messenger_user_hears_the_polite_answer,
    canned_replies_are_scoped_searched_and_filled_in,
    the_site_tag_list_is_the_admins,
);

const BLOCKED_KO: &str = "죄송합니다. 지금은 이 채널로 상담을 도와드리기 어렵습니다. 필요하신 내용은 고객센터로 문의해 주세요.";

fn id(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an id: {v}"))
}

async fn call(app: &TestApp, method: Method, path: &str, token: &str, body: Value) -> common::Resp {
    app.request(method, path, Some(token), Some(&body)).await
}

/// A consultation of a named customer, waiting; answers (consultation, profile).
async fn customer(app: &TestApp, uid: &str) -> (i64, i64, common::Session) {
    let s = app
        .chat(&app.v2_url(&format!("site_uid=('{uid}'),cus_extra_username=('김하늘')")))
        .await;
    app.say(&s.visitor, "문의드립니다").await.ok();
    let profile = id(&app.profile_of_room(s.room).await["profile_id"]);
    (s.consultation, profile, s)
}

async fn memo_versions_flag_and_tags_show_on_the_profile(app: TestApp) {
    let (_, profile, _) = customer(&app, "tools1").await;
    let p = app.profile(profile).await;
    assert_eq!(p["grade"], "normal");
    assert_eq!(p["flagged"], false);
    assert_eq!(p["tags"], json!([]));
    assert_eq!(p["memo"], Value::Null);
    assert_eq!(p["memo_history"], json!([]));

    let path = format!("/api/v1/profiles/{profile}");
    app.put(
        &format!("{path}/memo"),
        &json!({"body": "  환불 요청 이력 있음\r\n정중히  "}),
    )
    .await
    .ok();
    let (manager, manager_token) = app.agent("lead", Role::Manager).await;
    let p = call(
        &app,
        Method::PUT,
        &format!("{path}/memo"),
        &manager_token,
        json!({"body": "VIP 전환 예정"}),
    )
    .await
    .ok();
    assert_eq!(p["memo"]["body"], "VIP 전환 예정");
    assert_eq!(id(&p["memo"]["agent_id"]), manager);
    assert_eq!(p["memo"]["agent_name"], "lead");
    let history = p["memo_history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["body"], "환불 요청 이력 있음\n정중히");
    assert!(
        history[0]["created_at"].as_i64().unwrap() <= p["memo"]["created_at"].as_i64().unwrap()
    );
    // Cleared: an empty version, the history keeps both.
    let p = app
        .put(&format!("{path}/memo"), &json!({"body": "   "}))
        .await
        .ok();
    assert_eq!(p["memo"]["body"], "");
    assert_eq!(p["memo_history"].as_array().unwrap().len(), 2);
    app.put(&format!("{path}/memo"), &json!({"body": "가".repeat(2001)}))
        .await
        .err(422, "invalid_field");
    app.put(&format!("{path}/memo"), &json!({"body": "a\u{7}b"}))
        .await
        .err(422, "invalid_field");

    let p = app
        .patch(&format!("{path}/marks"), &json!({"flagged": true}))
        .await
        .ok();
    assert_eq!(
        (p["flagged"].clone(), p["grade"].clone()),
        (json!(true), json!("normal"))
    );
    let p = app
        .patch(&format!("{path}/marks"), &json!({"grade": "vip"}))
        .await
        .ok();
    assert_eq!(
        (p["flagged"].clone(), p["grade"].clone()),
        (json!(true), json!("vip"))
    );
    app.patch(&format!("{path}/marks"), &json!({"grade": "gold"}))
        .await
        .err(400, "bad_request");

    let p = app
        .put(
            &format!("{path}/tags"),
            &json!({"tags": [" 재구매 ", "환불", "재구매", "REFUND", "refund"]}),
        )
        .await
        .ok();
    assert_eq!(p["tags"], json!(["재구매", "환불", "REFUND"]));
    let e = app
        .put(&format!("{path}/tags"), &json!({"tags": ["a,b"]}))
        .await
        .err(422, "invalid_field");
    assert_eq!(e["details"]["field"], "tags");
    let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
    app.put(&format!("{path}/tags"), &json!({"tags": many}))
        .await
        .err(422, "invalid_field");
    // Unchanged by the refusals, and as read again.
    let p = app.profile(profile).await;
    assert_eq!(p["tags"], json!(["재구매", "환불", "REFUND"]));
    assert_eq!(p["grade"], "vip");

    // The grade change is in the audit log; memos and tags are their own record.
    let log = app.get("/api/v1/site/audit").await.ok();
    let graded: Vec<&Value> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "customer_graded")
        .collect();
    assert_eq!(graded.len(), 1, "{log}");
    assert_eq!(graded[0]["detail"], json!({"from": "normal", "to": "vip"}));
}

async fn only_who_may_edit_the_customer_changes_the_tools(app: TestApp) {
    let (consultation, profile, _) = customer(&app, "tools2").await;
    let path = format!("/api/v1/profiles/{profile}");
    let (_, agent) = app.agent("agent1", Role::Agent).await;
    // Waiting in the queue: the agent reads the customer but may not change them.
    let p = call(&app, Method::GET, &path, &agent, Value::Null)
        .await
        .ok();
    assert_eq!(p["grade"], "normal");
    for (method, sub, body) in [
        (Method::PUT, "memo", json!({"body": "x"})),
        (Method::PATCH, "marks", json!({"grade": "blocked"})),
        (Method::PUT, "tags", json!({"tags": ["x"]})),
    ] {
        call(&app, method, &format!("{path}/{sub}"), &agent, body)
            .await
            .err(403, "forbidden");
    }
    // Holding the consultation, they may.
    call(
        &app,
        Method::POST,
        &format!("/api/v1/consultations/{consultation}/take"),
        &agent,
        json!({}),
    )
    .await
    .ok();
    let p = call(
        &app,
        Method::PUT,
        &format!("{path}/memo"),
        &agent,
        json!({"body": "친절"}),
    )
    .await
    .ok();
    assert_eq!(p["memo"]["body"], "친절");
    // Another site's admin learns nothing of it.
    let other = app.other_site("다른 상점").await;
    for (method, sub, body) in [
        (Method::GET, "", Value::Null),
        (Method::PUT, "/memo", json!({"body": "x"})),
        (Method::PATCH, "/marks", json!({"flagged": true})),
        (Method::PUT, "/tags", json!({"tags": ["x"]})),
    ] {
        call(
            &app,
            method,
            &format!("{path}{sub}"),
            &other.api_token,
            body,
        )
        .await
        .err(404, "not_found");
    }
    let p = app.profile(profile).await;
    assert_eq!(
        (p["flagged"].clone(), p["tags"].clone()),
        (json!(false), json!([]))
    );
}

async fn a_blocked_customer_is_answered_recorded_and_never_queued(app: TestApp) {
    let (consultation, profile, s) = customer(&app, "blocked1").await;
    app.patch(
        &format!("/api/v1/profiles/{profile}/marks"),
        &json!({"grade": "blocked"}),
    )
    .await
    .ok();
    // What is going on goes on: blocking acts on what comes next.
    let c = app.consultation(consultation).await;
    assert_eq!(c["consultation"]["state"], "waiting");
    app.post(
        &format!("/api/v1/consultations/{consultation}/close"),
        &json!({}),
    )
    .await
    .ok();

    // The same customer comes back, by a new browser, and opens the chat window (which starts
    // a consultation at once) ...
    let again = app
        .chat(&app.v2_url("site_uid=('blocked1'),cus_extra_username=('김하늘')"))
        .await;
    assert_ne!(again.consultation, consultation);
    let c = app.consultation(again.consultation).await;
    assert_eq!(c["consultation"]["state"], "closed", "{c}");
    assert_eq!(c["consultation"]["end_type"], "blocked");
    assert_eq!(c["consultation"]["agent_id"], Value::Null);
    assert!(
        app.chat_bodies(&again.visitor)
            .await
            .contains(&BLOCKED_KO.to_owned())
    );
    // ... and the one before it (which had opened lazily) writes a first message in a new one.
    let lazy = app
        .open_session(&json!({
            "channel": "webchat_v2",
            "url": app.v2_url("site_uid=('blocked1')"),
            "visitor": s.visitor,
        }))
        .await
        .ok();
    assert_eq!(lazy["consultation_id"], Value::Null, "{lazy}");
    let written = app.say(&s.visitor, "다시 문의합니다").await.ok();
    let recorded = id(&written["consultation_id"]);
    let c = app.consultation(recorded).await;
    assert_eq!(c["consultation"]["end_type"], "blocked");
    let bodies = common::bodies(&c["messages"]);
    assert!(bodies.contains(&"다시 문의합니다".to_owned()), "{bodies:?}");
    assert!(bodies.contains(&BLOCKED_KO.to_owned()), "{bodies:?}");

    // No agent was given or shown any of them.
    let (_, agent) = app.agent("agent1", Role::Agent).await;
    let listed = call(
        &app,
        Method::GET,
        "/api/v1/consultations?state=waiting",
        &agent,
        Value::Null,
    )
    .await
    .ok();
    assert_eq!(listed["consultations"], json!([]), "{listed}");
    call(
        &app,
        Method::GET,
        &format!("/api/v1/consultations/{recorded}"),
        &agent,
        Value::Null,
    )
    .await
    .err(404, "not_found");

    // Unblocked, the customer is served again.
    app.patch(
        &format!("/api/v1/profiles/{profile}/marks"),
        &json!({"grade": "normal"}),
    )
    .await
    .ok();
    let back = app.chat(&app.v2_url("site_uid=('blocked1')")).await;
    let c = app.consultation(back.consultation).await;
    assert_eq!(c["consultation"]["state"], "waiting");
}

async fn a_blocked_messenger_user_hears_the_polite_answer(app: TestApp) {
    app.kakao(&kakao_request("blockedKakao", "안녕하세요", json!({})))
        .await
        .ok();
    let first = newest_on(&app, "kakao").await;
    let room = id(&first["room_id"]);
    let profile = id(&app.profile_of_room(room).await["profile_id"]);
    app.patch(
        &format!("/api/v1/profiles/{profile}/marks"),
        &json!({"grade": "blocked"}),
    )
    .await
    .ok();
    app.post(
        &format!("/api/v1/consultations/{}/close", id(&first["id"])),
        &json!({}),
    )
    .await
    .ok();
    let answer = app
        .kakao(&kakao_request("blockedKakao", "또 왔어요", json!({})))
        .await
        .ok();
    let texts = skill_texts(&answer);
    assert!(texts.iter().any(|t| t == BLOCKED_KO), "{texts:?}");
    let newest = newest_on(&app, "kakao").await;
    assert_ne!(newest["id"], first["id"]);
    assert_eq!(newest["state"], "closed");
    assert_eq!(newest["end_type"], "blocked");
    let c = app.consultation(id(&newest["id"])).await;
    assert!(
        common::bodies(&c["messages"]).contains(&"또 왔어요".to_owned()),
        "{c}"
    );
}

async fn canned_replies_are_scoped_searched_and_filled_in(app: TestApp) {
    let (agent_id, agent) = app.agent("상담원1", Role::Agent).await;
    let (_, other_agent) = app.agent("상담원2", Role::Agent).await;
    let add = |token: String, body: Value| {
        let app = &app;
        async move { call(app, Method::POST, "/api/v1/canned-replies", &token, body).await }
    };
    let shared = add(
        app.token.clone(),
        json!({"scope": "shared", "shortcut": "/인사", "title": "", "body": "안녕하세요 [customer_name]님, 상담원 [counselor_name]입니다."}),
    )
    .await;
    assert_eq!(shared.status, 201, "{}", shared.body);
    let shared = shared.body;
    assert_eq!(shared["shortcut"], "인사");
    assert_eq!(
        shared["title"],
        "안녕하세요 [customer_name]님, 상담원 [counselor_name]입니다."
    );
    assert_eq!(shared["scope"], "shared");
    // Agents keep their own, not the site's.
    add(
        agent.clone(),
        json!({"scope": "shared", "shortcut": "x", "body": "x"}),
    )
    .await
    .err(403, "forbidden");
    let mine = add(
        agent.clone(),
        json!({"scope": "personal", "shortcut": "환불", "title": "내 환불 답변", "body": "확인 후 환불해 드리겠습니다."}),
    )
    .await
    .ok();
    assert_eq!(id(&mine["owner_id"]), agent_id);
    add(app.token.clone(), json!({"scope": "shared", "shortcut": "환불안내", "title": "환불 절차", "body": "영업일 3일 이내 환불됩니다."}))
        .await
        .ok();
    // The same shortcut in one scope is taken, ignoring case; in another it is not.
    let taken = add(
        app.token.clone(),
        json!({"scope": "shared", "shortcut": "인사", "body": "x"}),
    )
    .await
    .err(422, "invalid_field");
    assert_eq!(taken["details"]["field"], "shortcut");
    add(
        app.token.clone(),
        json!({"scope": "shared", "shortcut": "Thanks", "body": "x"}),
    )
    .await
    .ok();
    add(
        app.token.clone(),
        json!({"scope": "shared", "shortcut": "/THANKS", "body": "y"}),
    )
    .await
    .err(422, "invalid_field");
    add(
        other_agent.clone(),
        json!({"scope": "personal", "shortcut": "환불", "body": "다른 사람 것"}),
    )
    .await
    .ok();
    let e = add(
        app.token.clone(),
        json!({"scope": "shared", "shortcut": "a", "body": "[position]번째"}),
    )
    .await
    .err(422, "invalid_field");
    assert_eq!(e["details"]["field"], "body");
    assert!(e["message"].as_str().unwrap().contains("[position]"), "{e}");
    add(
        app.token.clone(),
        json!({"scope": "shared", "shortcut": "두 단어", "body": "x"}),
    )
    .await
    .err(422, "invalid_field");

    // Searched: the agent's own first on an exact shortcut, never another agent's.
    let found = call(
        &app,
        Method::GET,
        "/api/v1/canned-replies?q=%2F%ED%99%98%EB%B6%88",
        &agent,
        Value::Null,
    )
    .await
    .ok();
    let shortcuts: Vec<(&str, &str)> = found["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["shortcut"].as_str().unwrap(),
                r["scope"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shortcuts,
        vec![("환불", "personal"), ("환불안내", "shared")]
    );
    assert!(found["replies"][0].get("rendered").is_none());

    // Filled in for a consultation the agent holds: the customer's and the agent's names.
    let (consultation, _, _) = customer(&app, "canned1").await;
    call(
        &app,
        Method::POST,
        &format!("/api/v1/consultations/{consultation}/take"),
        &agent,
        json!({}),
    )
    .await
    .ok();
    let found = call(
        &app,
        Method::GET,
        &format!("/api/v1/canned-replies?q=인사&consultation_id={consultation}"),
        &agent,
        Value::Null,
    )
    .await
    .ok();
    assert_eq!(
        found["replies"][0]["rendered"],
        json!({"text": "안녕하세요 김하늘님, 상담원 상담원1입니다.", "missing": []})
    );
    // A customer without a name: the variable stays, named.
    let nameless = app.chat(&app.v2_url("site_uid=('canned2')")).await;
    let found = app
        .get(&format!(
            "/api/v1/canned-replies?q=인사&consultation_id={}",
            nameless.consultation
        ))
        .await
        .ok();
    assert_eq!(
        found["replies"][0]["rendered"]["missing"],
        json!(["customer_name"])
    );
    assert!(
        found["replies"][0]["rendered"]["text"]
            .as_str()
            .unwrap()
            .starts_with("안녕하세요 [customer_name]님")
    );
    // A consultation the agent may not read is not found.
    call(
        &app,
        Method::GET,
        &format!(
            "/api/v1/canned-replies?consultation_id={}",
            nameless.consultation + 1000
        ),
        &agent,
        Value::Null,
    )
    .await
    .err(404, "not_found");

    // Changing: one's own; shared ones by managers and the admin; another's own is absent.
    let mine_path = format!("/api/v1/canned-replies/{}", id(&mine["id"]));
    let shared_path = format!("/api/v1/canned-replies/{}", id(&shared["id"]));
    let edited = call(
        &app,
        Method::PUT,
        &mine_path,
        &agent,
        json!({"shortcut": "환불2", "title": "t", "body": "b"}),
    )
    .await
    .ok();
    assert_eq!(edited["shortcut"], "환불2");
    call(
        &app,
        Method::PUT,
        &shared_path,
        &agent,
        json!({"shortcut": "x", "body": "b"}),
    )
    .await
    .err(403, "forbidden");
    call(
        &app,
        Method::PUT,
        &mine_path,
        &other_agent,
        json!({"shortcut": "x", "body": "b"}),
    )
    .await
    .err(404, "not_found");
    call(&app, Method::DELETE, &mine_path, &other_agent, Value::Null)
        .await
        .err(404, "not_found");
    let (_, manager) = app.agent("lead", Role::Manager).await;
    call(
        &app,
        Method::PUT,
        &shared_path,
        &manager,
        json!({"shortcut": "인사", "title": "인사", "body": "안녕하세요"}),
    )
    .await
    .ok();
    let gone = call(&app, Method::DELETE, &mine_path, &agent, Value::Null).await;
    assert_eq!(gone.status, 204);
    call(&app, Method::DELETE, &mine_path, &agent, Value::Null)
        .await
        .err(404, "not_found");
    let other = app.other_site("다른 상점").await;
    call(
        &app,
        Method::DELETE,
        &shared_path,
        &other.api_token,
        Value::Null,
    )
    .await
    .err(404, "not_found");
    let all = call(
        &app,
        Method::GET,
        "/api/v1/canned-replies",
        &agent,
        Value::Null,
    )
    .await
    .ok();
    let titles: Vec<&str> = all["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["x", "인사", "환불 절차"]);
}

async fn the_site_tag_list_is_the_admins(app: TestApp) {
    assert_eq!(app.get("/api/v1/site/tags").await.ok()["tags"], json!([]));
    let saved = app
        .put(
            "/api/v1/site/tags",
            &json!({"tags": ["VIP 후보", "환불", "vip 후보"]}),
        )
        .await
        .ok();
    assert_eq!(saved["tags"], json!(["VIP 후보", "환불"]));
    let (_, agent) = app.agent("agent1", Role::Agent).await;
    let seen = call(&app, Method::GET, "/api/v1/site/tags", &agent, Value::Null)
        .await
        .ok();
    assert_eq!(seen["tags"], json!(["VIP 후보", "환불"]));
    call(
        &app,
        Method::PUT,
        "/api/v1/site/tags",
        &agent,
        json!({"tags": []}),
    )
    .await
    .err(403, "forbidden");
    app.put("/api/v1/site/tags", &json!({"tags": ["#hash"]}))
        .await
        .err(422, "invalid_field");
    let other = app.other_site("다른 상점").await;
    let theirs = call(
        &app,
        Method::GET,
        "/api/v1/site/tags",
        &other.api_token,
        Value::Null,
    )
    .await
    .ok();
    assert_eq!(theirs["tags"], json!([]));
}
