//! Other sites' pages cannot use Sangdam through a visitor's browser, on both backends: a
//! WebSocket upgrade or a change whose `Origin` is another site's is refused (403
//! `forbidden_origin`) and changes nothing, while Sangdam's own pages, API clients without
//! `Origin` and the messenger webhooks go on working; every answer carries the security
//! headers, and the chat window may be framed by the origins the site's admin registered.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{TestApp, WAIT, kakao_request, login_cookie};
use reqwest::Method;
use serde_json::json;
use server::Config;
use server::security::PublicUrl;

both!(
    the_console_websocket_takes_only_its_own_origin,
    the_chat_window_websocket_takes_only_its_own_origin,
    a_foreign_page_cannot_take_a_consultation,
    a_foreign_page_cannot_log_in_or_open_a_chat,
    api_clients_and_webhooks_send_no_origin_and_pass,
    the_public_url_is_an_own_origin,
    every_answer_carries_the_security_headers,
    the_chat_window_may_be_framed_by_the_registered_origins,
    a_bad_frame_origin_is_refused_naming_it,
);

const EVIL: &str = "http://evil.example";

/// Asserts a 403 `forbidden_origin` in the documented error shape.
#[track_caller]
fn assert_refused(resp: common::Resp) {
    let e = resp.err(403, "forbidden_origin");
    assert!(
        e["message"].as_str().unwrap().contains("another site"),
        "{e}"
    );
}

async fn the_console_websocket_takes_only_its_own_origin(app: TestApp) {
    let cookie = login_cookie(&app).await;
    for origin in [EVIL, "null", "http://localhost:1", "https://127.0.0.1"] {
        console_ws_refused(&app, &cookie, origin).await;
    }
    // The console page's own origin (what Chromium sends from /console).
    let mut own = app
        .try_ws(
            "/api/v1/console/ws",
            &[("cookie", &cookie), ("origin", &app.base)],
        )
        .await
        .unwrap_or_else(|r| panic!("own origin refused: {} {}", r.status, r.body));
    assert_eq!(own.next_json(WAIT).await.expect("hello")["type"], "hello");
    // A client that is not a browser sends none.
    let mut plain = app.ws("/api/v1/console/ws", &[("cookie", &cookie)]).await;
    assert_eq!(plain.next_json(WAIT).await.expect("hello")["type"], "hello");
}

async fn the_chat_window_websocket_takes_only_its_own_origin(app: TestApp) {
    let s = app.chat(&app.v2_url("site_uid=('ws-origin')")).await;
    let path = format!("/api/v1/webchat/{}/ws?visitor={}", app.site, s.visitor);
    // The visitor's credential leaked to another site's page does not open the window's feed.
    let refused = app
        .try_ws(&path, &[("origin", EVIL)])
        .await
        .expect_err("a foreign origin's chat WebSocket was accepted");
    assert_refused(refused);
    let mut own = app.ws(&path, &[("origin", &app.base)]).await;
    own.send_json(&json!({"type": "message", "body": "같은 출처", "client_msg_id": "o1"}))
        .await;
    let ack = own.until(WAIT, |f| f["type"] == "ack").await;
    assert_eq!(ack["message"]["body"], "같은 출처", "{ack}");
}

async fn a_foreign_page_cannot_take_a_consultation(app: TestApp) {
    let cookie = login_cookie(&app).await;
    let s = app.chat(&app.v2_url("site_uid=('csrf')")).await;
    let take = format!("/api/v1/consultations/{}/take", s.consultation);
    // What a form or `fetch(…, {mode: "no-cors"})` on another site sends with the agent's
    // cookie: a "simple" text/plain POST, which browsers send without asking first.
    for origin in [EVIL, "null"] {
        let resp = app
            .raw(
                Method::POST,
                &take,
                &[
                    ("cookie", &cookie),
                    ("content-type", "text/plain"),
                    ("origin", origin),
                ],
                b"{}".to_vec(),
            )
            .await;
        assert_refused(resp);
    }
    let c = app.consultation(s.consultation).await;
    assert_eq!(c["consultation"]["state"], "waiting", "{c}");
    assert_eq!(c["consultation"]["agent_id"], serde_json::Value::Null);

    // The console's own page takes it.
    let taken = app
        .raw(
            Method::POST,
            &take,
            &[("cookie", &cookie), ("origin", &app.base)],
            Vec::new(),
        )
        .await
        .ok();
    assert_eq!(taken["consultation"]["state"], "in_progress", "{taken}");
}

async fn a_foreign_page_cannot_log_in_or_open_a_chat(app: TestApp) {
    let form = format!(
        "login={}&password={}&next=%2Fconsole",
        app.admin_login, app.admin_password
    );
    let resp = app
        .raw(
            Method::POST,
            "/login",
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("origin", EVIL),
            ],
            form.clone().into_bytes(),
        )
        .await;
    assert!(
        !resp.headers.contains_key("set-cookie"),
        "{:?}",
        resp.headers
    );
    assert_refused(resp);
    let login = json!({"login": app.admin_login, "password": app.admin_password}).to_string();
    let resp = app
        .raw(
            Method::POST,
            "/api/v1/auth/login",
            &[("content-type", "application/json"), ("origin", EVIL)],
            login.clone().into_bytes(),
        )
        .await;
    assert!(
        !resp.headers.contains_key("set-cookie"),
        "{:?}",
        resp.headers
    );
    assert_refused(resp);
    // From the login page itself.
    let resp = app
        .raw(
            Method::POST,
            "/api/v1/auth/login",
            &[("content-type", "application/json"), ("origin", &app.base)],
            login.into_bytes(),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.body);

    let open = json!({"url": app.v2_url("site_uid=('framed')")}).to_string();
    let sessions = format!("/api/v1/webchat/{}/sessions", app.site);
    let resp = app
        .raw(
            Method::POST,
            &sessions,
            &[("content-type", "application/json"), ("origin", EVIL)],
            open.clone().into_bytes(),
        )
        .await;
    assert_refused(resp);
    assert!(app.consultations("state=waiting").await.is_empty());
    // The chat window's own fetch, also when a registered site frames it: same origin.
    let resp = app
        .raw(
            Method::POST,
            &sessions,
            &[("content-type", "application/json"), ("origin", &app.base)],
            open.into_bytes(),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
}

async fn api_clients_and_webhooks_send_no_origin_and_pass(app: TestApp) {
    // An API client with its token, no Origin.
    let s = app.chat(&app.v2_url("site_uid=('api')")).await;
    let taken = app
        .post(
            &format!("/api/v1/consultations/{}/take", s.consultation),
            &json!({}),
        )
        .await
        .ok();
    assert_eq!(taken["consultation"]["state"], "in_progress");
    // The messenger platforms' servers are not browsers: their webhooks are not checked,
    // whatever a proxy or a platform puts in Origin.
    let skill = kakao_request("kakao-origin", "상담", json!({}));
    for origin in [None, Some(EVIL)] {
        let mut headers = vec![("content-type", "application/json")];
        if let Some(o) = origin {
            headers.push(("origin", o));
        }
        let resp = app
            .raw(
                Method::POST,
                &format!("/kakao/{}/skill?key={}", app.site, app.kakao_key),
                &headers,
                skill.to_string().into_bytes(),
            )
            .await;
        assert_eq!(resp.status, 200, "{origin:?}: {}", resp.body);
    }
    // Reading is never refused for its Origin (the browser keeps another site from reading
    // the answer).
    let resp = app
        .raw(
            Method::GET,
            "/api/v1/site",
            &[
                ("authorization", &format!("Bearer {}", app.token)),
                ("origin", EVIL),
            ],
            Vec::new(),
        )
        .await;
    assert_eq!(resp.status, 200);
}

async fn the_public_url_is_an_own_origin(mut app: TestApp) {
    app.reconfigure(Config {
        public_url: Some(PublicUrl::parse("https://chat.example.com").unwrap()),
        ..Config::default()
    })
    .await;
    let cookie = login_cookie(&app).await;
    // Behind a proxy that passes its own Host, the browser's Origin is the public address.
    let mut ws = app
        .ws(
            "/api/v1/console/ws",
            &[("cookie", &cookie), ("origin", "https://chat.example.com")],
        )
        .await;
    assert_eq!(ws.next_json(WAIT).await.expect("hello")["type"], "hello");
    for other in [
        "http://chat.example.com",
        "https://chat.example.com.evil",
        EVIL,
    ] {
        console_ws_refused(&app, &cookie, other).await;
    }
    // The Host the request came with stays Sangdam's own too.
    let mut own = app
        .ws(
            "/api/v1/console/ws",
            &[("cookie", &cookie), ("origin", &app.base)],
        )
        .await;
    assert_eq!(own.next_json(WAIT).await.expect("hello")["type"], "hello");
}

/// The headers every answer carries, whoever answers.
#[track_caller]
fn assert_protected(what: &str, resp: &common::Resp) {
    let h = |name: &str| {
        resp.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("{what}: no {name} in {:?}", resp.headers))
            .to_owned()
    };
    let csp = h("content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(
            csp.split(';').any(|d| d.trim() == directive),
            "{what}: {directive} missing from {csp}"
        );
    }
    assert!(!csp.contains("unsafe"), "{what}: {csp}");
    assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(h("referrer-policy"), "same-origin", "{what}");
}

/// The `frame-ancestors` sources of an answer's policy.
fn frame_ancestors(resp: &common::Resp) -> Vec<String> {
    let csp = resp.headers["content-security-policy"].to_str().unwrap();
    let directive = csp
        .split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix("frame-ancestors "))
        .unwrap_or_else(|| panic!("no frame-ancestors in {csp}"));
    directive.split(' ').map(str::to_owned).collect()
}

#[track_caller]
fn assert_unframable(what: &str, resp: &common::Resp) {
    assert_protected(what, resp);
    assert_eq!(frame_ancestors(resp), ["'none'"], "{what}");
    assert_eq!(resp.headers["x-frame-options"], "DENY", "{what}");
}

async fn every_answer_carries_the_security_headers(app: TestApp) {
    let cookie = login_cookie(&app).await;
    let page = |path: &'static str| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            app.raw(Method::GET, path, &[("cookie", &cookie)], Vec::new())
                .await
        }
    };
    for path in [
        "/login",
        "/console",
        "/admin/parameters",
        "/admin/agents",
        "/admin/hours",
        "/admin/audit",
        "/admin/business",
        "/operator/login",
        "/reports",
        "/reports/dashboard",
        "/account/sessions",
    ] {
        let resp = page(path).await;
        assert_eq!(resp.status, 200, "{path}");
        assert_unframable(path, &resp);
    }
    assert_unframable("API answer", &app.get("/api/v1/site").await);
    assert_unframable(
        "API error",
        &app.request(Method::GET, "/api/v1/site", None, None).await,
    );
    assert_unframable("OpenAPI", &app.get("/api/openapi.json").await);
    assert_unframable("unknown path", &app.get("/nowhere").await);
    for asset in [
        "/assets/console.js",
        "/assets/sangdam.css",
        "/assets/widget.js",
        "/assets/vendor/uplot/uPlot.iife.min.js",
        "/assets/vendor/uplot/uPlot.min.css",
    ] {
        let resp = app.get(asset).await;
        assert_eq!(resp.status, 200, "{asset}");
        assert_unframable(asset, &resp);
        // With `nosniff`, a script or a style sheet served under another type is refused.
        let kind = if asset.ends_with(".js") {
            "javascript"
        } else {
            "text/css"
        };
        assert!(
            resp.headers["content-type"]
                .to_str()
                .is_ok_and(|v| v.contains(kind)),
            "{asset}: {:?}",
            resp.headers["content-type"]
        );
    }
    // The icon every page links to, and where browsers look for it without a link.
    // (The client follows the redirect of `/favicon.ico`.)
    for path in ["/assets/favicon.svg", "/favicon.ico"] {
        let icon = app.get(path).await;
        assert_eq!(icon.status, 200, "{path}");
        assert!(
            icon.headers["content-type"]
                .to_str()
                .is_ok_and(|v| v.starts_with("image/svg+xml")),
            "{path}: {:?}",
            icon.headers["content-type"]
        );
    }
    let refused = app
        .raw(
            Method::POST,
            "/api/v1/auth/logout",
            &[("origin", EVIL)],
            Vec::new(),
        )
        .await;
    assert_unframable("origin refusal", &refused);
    assert_refused(refused);
}

async fn chat_page(app: &TestApp, path: &str) -> common::Resp {
    let resp = app.raw(Method::GET, path, &[], Vec::new()).await;
    assert_eq!(resp.status, 200, "{path}");
    assert_protected(path, &resp);
    // Where some may frame it, X-Frame-Options (which cannot name them) is left out.
    assert!(!resp.headers.contains_key("x-frame-options"), "{path}");
    resp
}

async fn the_chat_window_may_be_framed_by_the_registered_origins(app: TestApp) {
    let v2 = format!("/chat/{}", app.site);
    let v1 = format!("/chat/{}/v1?is_login=N&uid=", app.site);
    assert_eq!(frame_ancestors(&chat_page(&app, &v2).await), ["'self'"]);

    let site = app.get("/api/v1/site").await.ok();
    assert_eq!(site["frame_origins"], json!([]));
    assert_eq!(site["limits"]["frame_origins"], 20);
    let saved = app
        .put(
            "/api/v1/site/settings",
            &json!({"frame_origins": [
                " HTTPS://Shop.Example/ ", "", "http://localhost:3000", "https://shop.example:443",
            ]}),
        )
        .await
        .ok();
    assert_eq!(
        saved["frame_origins"],
        json!(["https://shop.example", "http://localhost:3000"])
    );
    assert_eq!(app.get("/api/v1/site").await.ok(), saved);
    for path in [&v2, &v1] {
        assert_eq!(
            frame_ancestors(&chat_page(&app, path).await),
            ["'self'", "https://shop.example", "http://localhost:3000"],
            "{path}"
        );
    }
    // Only the chat window: the console and the admin pages stay unframable.
    assert_unframable("login", &app.get("/login").await);
    // Another site's window keeps its own list.
    let other = app.other_site("다른 쇼핑몰").await;
    let theirs = chat_page(&app, &format!("/chat/{}", other.site_id)).await;
    assert_eq!(frame_ancestors(&theirs), ["'self'"]);

    // A part left out keeps them; an empty list removes them.
    let kept = app
        .put(
            "/api/v1/site/settings",
            &json!({"sentinels": ["undefined"]}),
        )
        .await
        .ok();
    assert_eq!(kept["frame_origins"], saved["frame_origins"]);
    app.put("/api/v1/site/settings", &json!({"frame_origins": []}))
        .await
        .ok();
    assert_eq!(frame_ancestors(&chat_page(&app, &v2).await), ["'self'"]);
}

async fn a_bad_frame_origin_is_refused_naming_it(app: TestApp) {
    app.put(
        "/api/v1/site/settings",
        &json!({"frame_origins": ["https://shop.example"]}),
    )
    .await
    .ok();
    let bad = "https://shop.example/chat; script-src *";
    let e = app
        .put(
            "/api/v1/site/settings",
            &json!({
                "frame_origins": ["https://new.example", bad, "*.example.com"],
                "require_verified_uid": true,
            }),
        )
        .await
        .err(422, "invalid_settings");
    let errors = e["details"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{e}");
    assert_eq!(errors[0]["field"], "frame_origins");
    assert_eq!(errors[0]["code"], "invalid_frame_origin");
    assert_eq!(errors[0]["values"], json!([bad]));
    assert!(errors[0]["message"].as_str().unwrap().contains(bad), "{e}");
    assert_eq!(errors[1]["values"], json!(["*.example.com"]));

    let many: Vec<String> = (0..21).map(|i| format!("https://s{i}.example")).collect();
    let e = app
        .put("/api/v1/site/settings", &json!({"frame_origins": many}))
        .await
        .err(422, "invalid_settings");
    assert_eq!(
        e["details"]["errors"][0]["code"], "too_many_frame_origins",
        "{e}"
    );

    // Nothing of a refused save was kept.
    let site = app.get("/api/v1/site").await.ok();
    assert_eq!(site["frame_origins"], json!(["https://shop.example"]));
    assert_eq!(site["require_verified_uid"], false);
    assert_eq!(
        frame_ancestors(&chat_page(&app, &format!("/chat/{}", app.site)).await),
        ["'self'", "https://shop.example"]
    );
}

/// The console's WebSocket refuses an upgrade from `origin` with the session `cookie`.
async fn console_ws_refused(app: &TestApp, cookie: &str, origin: &str) {
    let refused = app
        .try_ws(
            "/api/v1/console/ws",
            &[("cookie", cookie), ("origin", origin)],
        )
        .await
        .err()
        .unwrap_or_else(|| panic!("the console WebSocket took Origin {origin}"));
    assert_refused(refused);
}
