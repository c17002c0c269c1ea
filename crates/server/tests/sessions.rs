//! Login sessions as people use them: each person lists theirs (browser, address, last use)
//! and ends any; the admin lists and ends anyone's; an ended session is refused at once, on
//! its requests and on the consoles open on it; cookies are `Secure` behind HTTPS. And what
//! ends sessions besides: the admin deactivating an account, changing its role or resetting
//! its password, and a person changing their own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{TestApp, WAIT};
use reqwest::Method;
use serde_json::{Value, json};
use server::Config;
use server::security::PublicUrl;

both!(
    a_person_sees_their_sessions_and_ends_one,
    the_admin_ends_anyones_session,
    logging_out_closes_the_consoles_of_that_session,
    cookies_are_secure_behind_https,
    a_deactivated_account_is_out_at_once,
    the_admin_renames_changes_roles_and_resets_passwords,
    a_person_changes_their_own_password,
);

const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) \
     AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/// An agent made by the admin with a password of the test's choosing: its id.
async fn agent_with_password(app: &TestApp, login: &str, password: &str) -> i64 {
    let made = app
        .post(
            "/api/v1/agents",
            &json!({"login": login, "display_name": "김상담", "password": password}),
        )
        .await
        .ok();
    made["agent"]["id"].as_i64().unwrap()
}

/// Logs in from a browser saying `user_agent`: the `Set-Cookie` header as sent, and the
/// `name=value` part a browser sends back.
async fn log_in(app: &TestApp, login: &str, password: &str, user_agent: &str) -> (String, String) {
    let resp = app
        .raw(
            Method::POST,
            "/api/v1/auth/login",
            &[
                ("content-type", "application/json"),
                ("user-agent", user_agent),
            ],
            json!({"login": login, "password": password})
                .to_string()
                .into_bytes(),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    let set = resp.headers["set-cookie"].to_str().unwrap().to_owned();
    let pair = set.split(';').next().unwrap().to_owned();
    (set, pair)
}

async fn with_cookie(app: &TestApp, method: Method, path: &str, cookie: &str) -> common::Resp {
    app.raw(method, path, &[("cookie", cookie)], Vec::new())
        .await
}

fn ids(list: &Value) -> Vec<i64> {
    list["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

async fn a_person_sees_their_sessions_and_ends_one(app: TestApp) {
    agent_with_password(&app, "kim", "kim-password-1").await;
    let (_, desk) = log_in(&app, "kim", "kim-password-1", CHROME_WINDOWS).await;
    let (_, phone) = log_in(&app, "kim", "kim-password-1", SAFARI_IPHONE).await;

    // From the desk: both sessions, the desk's marked as this one, with browser and address.
    let list = with_cookie(&app, Method::GET, "/api/v1/sessions", &desk)
        .await
        .ok();
    let sessions = list["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{list}");
    let current: Vec<&Value> = sessions.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1, "{list}");
    assert_eq!(current[0]["device"], "Chrome · Windows");
    let other = sessions.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(other["device"], "Safari · iOS");
    for s in sessions {
        assert_eq!(s["address"], "127.0.0.1");
        assert_eq!(s["agent_login"], "kim");
        assert!(s["last_seen_at"].as_i64().unwrap() >= s["created_at"].as_i64().unwrap());
        assert!(s["expires_at"].as_i64().unwrap() > s["created_at"].as_i64().unwrap());
        assert!(s.get("token_hash").is_none(), "{s}");
    }
    // The admin's sessions are not among them, and the admin's list is not theirs to read.
    with_cookie(&app, Method::GET, "/api/v1/site/sessions", &desk)
        .await
        .err(403, "forbidden");

    // The phone's console is open when the desk ends the phone's session.
    let phone_id = other["id"].as_i64().unwrap();
    let mut console = app.ws("/api/v1/console/ws", &[("cookie", &phone)]).await;
    assert_eq!(console.next_json(WAIT).await.unwrap()["type"], "hello");
    let ended = with_cookie(
        &app,
        Method::DELETE,
        &format!("/api/v1/sessions/{phone_id}"),
        &desk,
    )
    .await;
    assert_eq!(ended.status, 204, "{}", ended.body);
    let told = console.until(WAIT, |f| f["type"] == "session_ended").await;
    assert_eq!(told["type"], "session_ended");
    assert!(
        console.next_json(WAIT).await.is_none(),
        "the console is closed"
    );
    // Refused at once, also a new console on it; the desk goes on.
    with_cookie(&app, Method::GET, "/api/v1/me", &phone)
        .await
        .err(401, "unauthorized");
    let refused = app
        .try_ws("/api/v1/console/ws", &[("cookie", &phone)])
        .await
        .expect_err("refused");
    assert_eq!(refused.status, 401);
    with_cookie(&app, Method::GET, "/api/v1/me", &desk)
        .await
        .ok();
    let list = with_cookie(&app, Method::GET, "/api/v1/sessions", &desk)
        .await
        .ok();
    assert_eq!(ids(&list).len(), 1, "{list}");

    // Ending it again, or someone else's, is not found.
    with_cookie(
        &app,
        Method::DELETE,
        &format!("/api/v1/sessions/{phone_id}"),
        &desk,
    )
    .await
    .err(404, "not_found");
    let (_, admin) = log_in(&app, &app.admin_login, &app.admin_password, CHROME_WINDOWS).await;
    let admins = with_cookie(&app, Method::GET, "/api/v1/sessions", &admin)
        .await
        .ok();
    let admin_session = ids(&admins)[0];
    with_cookie(
        &app,
        Method::DELETE,
        &format!("/api/v1/sessions/{admin_session}"),
        &desk,
    )
    .await
    .err(404, "not_found");
    with_cookie(&app, Method::GET, "/api/v1/me", &admin)
        .await
        .ok();

    // Ending one's own current session logs out.
    let mine = ids(&list)[0];
    let resp = with_cookie(
        &app,
        Method::DELETE,
        &format!("/api/v1/sessions/{mine}"),
        &desk,
    )
    .await;
    assert_eq!(resp.status, 204);
    with_cookie(&app, Method::GET, "/api/v1/me", &desk)
        .await
        .err(401, "unauthorized");
}

async fn the_admin_ends_anyones_session(app: TestApp) {
    let kim = agent_with_password(&app, "kim", "kim-password-1").await;
    let (_, kims) = log_in(&app, "kim", "kim-password-1", SAFARI_IPHONE).await;
    let (_, admin) = log_in(&app, &app.admin_login, &app.admin_password, CHROME_WINDOWS).await;

    // Another site's sessions are not in the admin's list.
    let other = app.other_site("다른 회사").await;
    log_in(
        &app,
        &other.admin.login,
        &other.admin.password,
        CHROME_WINDOWS,
    )
    .await;

    let all = with_cookie(&app, Method::GET, "/api/v1/site/sessions", &admin)
        .await
        .ok();
    let sessions = all["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{all}");
    let kims_session = sessions
        .iter()
        .find(|s| s["agent_id"].as_i64() == Some(kim))
        .expect("kim's session");
    assert_eq!(kims_session["agent_name"], "김상담");
    assert_eq!(kims_session["current"], false);
    let id = kims_session["id"].as_i64().unwrap();

    let mut console = app.ws("/api/v1/console/ws", &[("cookie", &kims)]).await;
    assert_eq!(console.next_json(WAIT).await.unwrap()["type"], "hello");
    let resp = with_cookie(
        &app,
        Method::DELETE,
        &format!("/api/v1/sessions/{id}"),
        &admin,
    )
    .await;
    assert_eq!(resp.status, 204, "{}", resp.body);
    console.until(WAIT, |f| f["type"] == "session_ended").await;
    with_cookie(&app, Method::GET, "/api/v1/me", &kims)
        .await
        .err(401, "unauthorized");

    // The audit log says who ended whose session, and when.
    let log = app
        .get("/api/v1/site/audit?action=session_ended")
        .await
        .ok();
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{log}");
    let e = &entries[0];
    assert_eq!(e["target"], format!("session:{id}"));
    assert_eq!(e["detail"]["agent_id"], kim);
    assert_eq!(e["detail"]["device"], "Safari · iOS");
    let me = app.get("/api/v1/me").await.ok();
    assert_eq!(e["actor_id"], me["agent"]["id"]);
    assert_eq!(e["actor_name"], me["agent"]["display_name"]);
}

async fn logging_out_closes_the_consoles_of_that_session(app: TestApp) {
    let (_, first) = log_in(&app, &app.admin_login, &app.admin_password, CHROME_WINDOWS).await;
    let (_, second) = log_in(&app, &app.admin_login, &app.admin_password, SAFARI_IPHONE).await;
    let mut on_first = app.ws("/api/v1/console/ws", &[("cookie", &first)]).await;
    let mut on_second = app.ws("/api/v1/console/ws", &[("cookie", &second)]).await;
    for ws in [&mut on_first, &mut on_second] {
        assert_eq!(ws.next_json(WAIT).await.unwrap()["type"], "hello");
    }
    let out = with_cookie(&app, Method::POST, "/api/v1/auth/logout", &first).await;
    assert_eq!(out.status, 204);
    on_first.until(WAIT, |f| f["type"] == "session_ended").await;
    // The other session's console goes on: it still gets the site's events.
    let chat = app.chat(&app.v2_url("")).await;
    app.say(&chat.visitor, "로그아웃 뒤에도").await.ok();
    let msg = on_second.until(WAIT, |f| f["type"] == "message").await;
    assert_eq!(msg["message"]["body"], "로그아웃 뒤에도");
}

async fn cookies_are_secure_behind_https(mut app: TestApp) {
    let (set, pair) = log_in(&app, &app.admin_login, &app.admin_password, CHROME_WINDOWS).await;
    assert!(!set.contains("Secure"), "{set}");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let out = with_cookie(&app, Method::POST, "/api/v1/auth/logout", &pair).await;
    assert!(
        !out.headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Secure")
    );

    app.reconfigure(Config {
        public_url: Some(PublicUrl::parse("https://chat.example").unwrap()),
        ..Config::default()
    })
    .await;
    let (set, pair) = log_in(&app, &app.admin_login, &app.admin_password, CHROME_WINDOWS).await;
    assert!(set.ends_with("; Secure"), "{set}");
    let out = with_cookie(&app, Method::POST, "/api/v1/auth/logout", &pair).await;
    let cleared = out.headers["set-cookie"].to_str().unwrap();
    assert!(
        cleared.contains("Max-Age=0") && cleared.contains("Secure"),
        "{cleared}"
    );
}

/// A JSON request carrying a session cookie.
async fn json_with_cookie(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: &str,
    body: &Value,
) -> common::Resp {
    app.raw(
        method,
        path,
        &[("cookie", cookie), ("content-type", "application/json")],
        body.to_string().into_bytes(),
    )
    .await
}

async fn try_log_in(app: &TestApp, login: &str, password: &str) -> common::Resp {
    app.request(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(&json!({"login": login, "password": password})),
    )
    .await
}

async fn a_deactivated_account_is_out_at_once(app: TestApp) {
    // Kim has a password and an API token, is logged in with a console open on each, and
    // holds a consultation.
    let made = app
        .post(
            "/api/v1/agents",
            &json!({"login": "kim", "display_name": "김상담", "password": "kim-password-1", "api_token": true}),
        )
        .await
        .ok();
    let kim = made["agent"]["id"].as_i64().unwrap();
    let token = made["api_token"].as_str().unwrap().to_owned();
    let (_, cookie) = log_in(&app, "kim", "kim-password-1", CHROME_WINDOWS).await;
    let c = app.chat(&app.v2_url("")).await;
    app.request(
        Method::POST,
        &format!("/api/v1/consultations/{}/take", c.consultation),
        Some(&token),
        None,
    )
    .await
    .ok();
    let mut by_cookie = app.ws("/api/v1/console/ws", &[("cookie", &cookie)]).await;
    assert_eq!(by_cookie.next_json(WAIT).await.unwrap()["type"], "hello");
    let bearer = format!("Bearer {token}");
    let mut by_token = app
        .ws("/api/v1/console/ws", &[("authorization", &bearer)])
        .await;
    assert_eq!(by_token.next_json(WAIT).await.unwrap()["type"], "hello");

    let off = app
        .post(&format!("/api/v1/agents/{kim}/deactivate"), &json!({}))
        .await
        .ok();
    assert!(off["agent"]["deactivated_at"].is_i64(), "{off}");
    assert_eq!(off["agent"]["status"], "offline");

    // Both consoles are told and closed; the cookie and the token are refused.
    for console in [&mut by_cookie, &mut by_token] {
        console.until(WAIT, |f| f["type"] == "session_ended").await;
        assert!(console.next_json(WAIT).await.is_none(), "closed");
    }
    with_cookie(&app, Method::GET, "/api/v1/me", &cookie)
        .await
        .err(401, "unauthorized");
    app.request(Method::GET, "/api/v1/me", Some(&token), None)
        .await
        .err(401, "unauthorized");
    // Logging in again says why, to whoever knows the password only.
    try_log_in(&app, "kim", "kim-password-1")
        .await
        .err(403, "account_deactivated");
    try_log_in(&app, "kim", "not-the-password")
        .await
        .err(422, "bad_credentials");

    // The consultation went back to the queue, saying why on its timeline.
    let detail = app.consultation(c.consultation).await;
    assert_eq!(detail["consultation"]["state"], "waiting", "{detail}");
    assert_eq!(detail["consultation"]["agent_id"], Value::Null);
    let last = detail["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["kind"], "deactivated", "{last}");
    assert_eq!(last["from_agent_id"], kim, "{last}");
    // Nobody gives Kim a consultation any more.
    app.post(
        &format!("/api/v1/consultations/{}/assign", c.consultation),
        &json!({"agent_id": kim}),
    )
    .await
    .err(409, "conflict");
    // The audit log says what it did.
    let log = app
        .get("/api/v1/site/audit?action=account_deactivated")
        .await
        .ok();
    let e = &log["entries"][0];
    assert_eq!(e["target"], format!("agent:{kim}"), "{log}");
    assert_eq!(e["detail"]["sessions_ended"], 1, "{e}");
    assert_eq!(e["detail"]["consultations_returned"], 1, "{e}");
    // Deactivating again changes nothing.
    let again = app
        .post(&format!("/api/v1/agents/{kim}/deactivate"), &json!({}))
        .await
        .ok();
    assert_eq!(
        again["agent"]["deactivated_at"],
        off["agent"]["deactivated_at"]
    );

    // Reactivated, Kim logs in with the password they had; the API token stays gone.
    let on = app
        .post(&format!("/api/v1/agents/{kim}/reactivate"), &json!({}))
        .await
        .ok();
    assert_eq!(on["agent"]["deactivated_at"], Value::Null);
    log_in(&app, "kim", "kim-password-1", CHROME_WINDOWS).await;
    app.request(Method::GET, "/api/v1/me", Some(&token), None)
        .await
        .err(401, "unauthorized");

    // The site's admin is never deactivated.
    let admin = app.get("/api/v1/me").await.ok()["agent"]["id"].clone();
    app.post(&format!("/api/v1/agents/{admin}/deactivate"), &json!({}))
        .await
        .err(409, "account_change_refused");
}

async fn the_admin_renames_changes_roles_and_resets_passwords(app: TestApp) {
    let kim = agent_with_password(&app, "kim", "kim-password-1").await;
    let (_, cookie) = log_in(&app, "kim", "kim-password-1", CHROME_WINDOWS).await;
    let mut console = app.ws("/api/v1/console/ws", &[("cookie", &cookie)]).await;
    assert_eq!(console.next_json(WAIT).await.unwrap()["type"], "hello");
    let path = format!("/api/v1/agents/{kim}");

    // A new name: the console stays.
    let renamed = app
        .patch(&path, &json!({"display_name": "  김민지 "}))
        .await
        .ok();
    assert_eq!(renamed["agent"]["display_name"], "김민지");
    assert_eq!(renamed["agent"]["role"], "agent");
    // A new role reaches the open console at once: it reloads to see what a manager sees.
    let promoted = app.patch(&path, &json!({"role": "manager"})).await.ok();
    assert_eq!(promoted["agent"]["role"], "manager");
    console
        .until(WAIT, |f| f["type"] == "account_changed")
        .await;
    assert!(console.next_json(WAIT).await.is_none(), "closed, to reload");
    let me = with_cookie(&app, Method::GET, "/api/v1/me", &cookie)
        .await
        .ok();
    assert_eq!(me["agent"]["role"], "manager", "the session lives on");
    let log = app
        .get("/api/v1/site/audit?action=account_edited")
        .await
        .ok();
    let details: Vec<&Value> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["detail"])
        .collect();
    assert!(
        details.contains(&&json!({"role": {"from": "agent", "to": "manager"}})),
        "{log}"
    );
    assert!(
        details.contains(&&json!({"display_name": {"from": "김상담", "to": "김민지"}})),
        "{log}"
    );

    // What is refused, and why.
    app.patch(&path, &json!({"role": "admin"}))
        .await
        .err(422, "invalid_field");
    app.patch(&path, &json!({"role": "owner"}))
        .await
        .err(422, "invalid_role");
    app.patch(&path, &json!({"display_name": "   "}))
        .await
        .err(422, "invalid_field");
    app.patch(&path, &json!({"nickname": "민지"}))
        .await
        .err(400, "bad_request");
    let admin = app.get("/api/v1/me").await.ok()["agent"]["id"].clone();
    app.patch(
        &format!("/api/v1/agents/{admin}"),
        &json!({"role": "manager"}),
    )
    .await
    .err(409, "account_change_refused");
    app.patch("/api/v1/agents/999999", &json!({"display_name": "누구"}))
        .await
        .err(404, "not_found");
    json_with_cookie(
        &app,
        Method::PATCH,
        &format!("/api/v1/agents/{admin}"),
        &cookie,
        &json!({"display_name": "관리자 아님"}),
    )
    .await
    .err(403, "forbidden");

    // A forgotten password: the admin resets it; every session of the account ends.
    let reset = app.post(&format!("{path}/password"), &json!({})).await.ok();
    let generated = reset["password"].as_str().unwrap().to_owned();
    assert!(generated.len() >= 16);
    with_cookie(&app, Method::GET, "/api/v1/me", &cookie)
        .await
        .err(401, "unauthorized");
    try_log_in(&app, "kim", "kim-password-1")
        .await
        .err(422, "bad_credentials");
    log_in(&app, "kim", &generated, CHROME_WINDOWS).await;
    // One the admin chose is not shown back.
    let chosen = app
        .post(
            &format!("{path}/password"),
            &json!({"password": "관리자가 정한 비밀번호"}),
        )
        .await
        .ok();
    assert!(chosen.get("password").is_none(), "{chosen}");
    log_in(&app, "kim", "관리자가 정한 비밀번호", CHROME_WINDOWS).await;
    app.post(&format!("{path}/password"), &json!({"password": "짧음"}))
        .await
        .err(422, "invalid_field");
    app.post(&format!("/api/v1/agents/{admin}/password"), &json!({}))
        .await
        .err(409, "account_change_refused");
}

async fn a_person_changes_their_own_password(app: TestApp) {
    agent_with_password(&app, "kim", "kim-password-1").await;
    let (_, desk) = log_in(&app, "kim", "kim-password-1", CHROME_WINDOWS).await;
    let (_, phone) = log_in(&app, "kim", "kim-password-1", SAFARI_IPHONE).await;
    let mut on_phone = app.ws("/api/v1/console/ws", &[("cookie", &phone)]).await;
    assert_eq!(on_phone.next_json(WAIT).await.unwrap()["type"], "hello");
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});

    json_with_cookie(
        &app,
        Method::PUT,
        "/api/v1/me/password",
        &desk,
        &change("not-the-password", "kim-password-2"),
    )
    .await
    .err(403, "wrong_password");
    let short = json_with_cookie(
        &app,
        Method::PUT,
        "/api/v1/me/password",
        &desk,
        &change("kim-password-1", "short"),
    )
    .await
    .err(422, "invalid_field");
    assert_eq!(short["details"]["field"], "new_password", "{short}");

    let done = json_with_cookie(
        &app,
        Method::PUT,
        "/api/v1/me/password",
        &desk,
        &change("kim-password-1", "kim-password-2"),
    )
    .await;
    assert_eq!(done.status, 204, "{}", done.body);
    // The phone's session ended (its console closed); the desk's goes on.
    on_phone.until(WAIT, |f| f["type"] == "session_ended").await;
    with_cookie(&app, Method::GET, "/api/v1/me", &phone)
        .await
        .err(401, "unauthorized");
    with_cookie(&app, Method::GET, "/api/v1/me", &desk)
        .await
        .ok();
    try_log_in(&app, "kim", "kim-password-1")
        .await
        .err(422, "bad_credentials");
    log_in(&app, "kim", "kim-password-2", SAFARI_IPHONE).await;
    let log = app
        .get("/api/v1/site/audit?action=password_changed")
        .await
        .ok();
    assert_eq!(log["entries"][0]["detail"]["sessions_ended"], 1, "{log}");
}
