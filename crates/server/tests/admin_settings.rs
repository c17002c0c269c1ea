//! The site-settings API behind the admin's parameter page (`/api/v1/site…`) and the page's
//! access rules, on both backends: saving slots, sentinels, the template and the channel URLs;
//! a refused save changes nothing and names what is wrong; chat URLs carry the enabled slots;
//! rotating the secret retires old hashes; only the site's admin gets in.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::TestApp;
use reqwest::Method;
use serde_json::{Value, json};
use store::Role;

both!(
    settings_save_and_show_in_the_chat_urls,
    a_refused_save_names_the_problem_and_changes_nothing,
    rotating_the_secret_retires_old_hashes,
    only_the_admin_gets_in,
);

fn slots_with(enabled: &[(usize, &str)]) -> Value {
    let slots: Vec<Value> = (1..=10)
        .map(|n| match enabled.iter().find(|(m, _)| *m == n) {
            Some((_, d)) => json!({"enabled": true, "description": d}),
            None => json!({"enabled": false, "description": ""}),
        })
        .collect();
    Value::Array(slots)
}

async fn settings_save_and_show_in_the_chat_urls(app: TestApp) {
    let site = app.get("/api/v1/site").await.ok();
    assert_eq!(site["settings"]["slots"][0]["description"], "유입경로");
    assert_eq!(site["channel_urls"], json!({"kakao": null, "naver": null}));

    let saved = app
        .put(
            "/api/v1/site/settings",
            &json!({
                "slots": slots_with(&[(1, "유입경로"), (3, " 캠페인 ")]),
                "sentinels": ["undefined", " guest ", "GUEST", ""],
                "require_verified_uid": true,
                "info_url_template": "https://crm.example.com/m?id=[site_uid]&c=[parameter3]",
                "channel_urls": {"kakao": "https://pf.kakao.com/_abc/chat", "naver": ""},
            }),
        )
        .await
        .ok();
    assert_eq!(
        saved["settings"]["slots"][2],
        json!({"enabled": true, "description": "캠페인"})
    );
    assert_eq!(saved["settings"]["slots"][1]["enabled"], false);
    assert_eq!(
        saved["settings"]["sentinels"],
        json!(["undefined", "guest"])
    );
    assert_eq!(saved["require_verified_uid"], true);
    assert_eq!(
        saved["channel_urls"],
        json!({"kakao": "https://pf.kakao.com/_abc/chat", "naver": null})
    );
    // What was saved is what is read back.
    assert_eq!(app.get("/api/v1/site").await.ok(), saved);

    // A part left out is kept.
    let again = app
        .put(
            "/api/v1/site/settings",
            &json!({"require_verified_uid": false}),
        )
        .await
        .ok();
    assert_eq!(again["require_verified_uid"], false);
    assert_eq!(again["settings"], saved["settings"]);
    assert_eq!(again["info_url_template"], saved["info_url_template"]);

    let urls = app.get("/api/v1/site/chat-urls").await.ok();
    let url_of = |c: &str| {
        urls["channels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["channel"] == c)
            .unwrap()
            .clone()
    };
    assert_eq!(
        url_of("kakao")["url"],
        "https://pf.kakao.com/_abc/chat?parameter1={유입경로}&parameter3={캠페인}"
    );
    let v2 = url_of("webchat_v2")["url"].as_str().unwrap().to_owned();
    assert!(
        v2.ends_with(&format!(
            "/chat/{}?params=parameter1=('{{유입경로}}'),parameter3=('{{캠페인}}')",
            app.site
        )),
        "{v2}"
    );
    assert_eq!(url_of("naver")["url"], Value::Null);
    assert!(url_of("naver")["problem"].is_string());
    let snippet = urls["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("// parameter3: '', // 캠페인"),
        "{snippet}"
    );
    assert!(!snippet.contains("parameter2"), "{snippet}");

    // The template is cleared with null (or an empty string).
    let cleared = app
        .put("/api/v1/site/settings", &json!({"info_url_template": null}))
        .await
        .ok();
    assert_eq!(cleared["info_url_template"], Value::Null);
}

async fn a_refused_save_names_the_problem_and_changes_nothing(app: TestApp) {
    let before = app.get("/api/v1/site").await.ok();
    let err = app
        .put(
            "/api/v1/site/settings",
            &json!({
                "slots": slots_with(&[(1, "유입경로"), (3, "")]),
                "sentinels": ["x".repeat(51)],
                "info_url_template": "https://crm.example.com/m?no=[member_no]",
                "channel_urls": {"kakao": "javascript:alert(1)"},
                "require_verified_uid": true,
            }),
        )
        .await
        .err(422, "invalid_settings");
    assert!(
        err["message"].as_str().unwrap().contains("member_no"),
        "{err}"
    );
    let fields: Vec<(&str, &str)> = err["details"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("parameter3", "description_required"),
            ("sentinels", "sentinel_too_long"),
            ("info_url_template", "unknown_template_variable"),
            ("channel_urls.kakao", "invalid_url"),
        ]
    );
    assert_eq!(err["details"]["errors"][2]["values"], json!(["member_no"]));
    assert_eq!(app.get("/api/v1/site").await.ok(), before);

    // Each rule on its own.
    for body in [
        json!({"slots": [{"enabled": false}]}),
        json!({"slots": slots_with(&[(2, &"가".repeat(21))])}),
        json!({"sentinels": (0..51).map(|i| format!("s{i}")).collect::<Vec<_>>()}),
        json!({"info_url_template": "ftp://crm.example.com/[site_uid]"}),
        json!({"channel_urls": {"naver": "talk.naver.com/ct/abc"}}),
    ] {
        app.put("/api/v1/site/settings", &body)
            .await
            .err(422, "invalid_settings");
    }
    // A customer's value can never choose the host the agent's link opens.
    let err = app
        .put(
            "/api/v1/site/settings",
            &json!({"info_url_template": "https://[parameter1]/crm?id=[site_uid]"}),
        )
        .await
        .err(422, "invalid_settings");
    assert_eq!(
        err["details"]["errors"][0]["code"], "template_variable_in_host",
        "{err}"
    );
    assert_eq!(app.get("/api/v1/site").await.ok(), before);
    // Twenty Hangul syllables are twenty characters.
    app.put(
        "/api/v1/site/settings",
        &json!({"slots": slots_with(&[(2, &"가".repeat(20))])}),
    )
    .await
    .ok();
    // Unknown fields and wrong types are malformed requests.
    app.put("/api/v1/site/settings", &json!({"slot": []}))
        .await
        .err(400, "bad_request");
    app.put(
        "/api/v1/site/settings",
        &json!({"require_verified_uid": "yes"}),
    )
    .await
    .err(400, "bad_request");
    app.post("/api/v1/site/uid-hash", &json!({"site_uid": "  "}))
        .await
        .err(422, "invalid_site_uid");
    app.post(
        "/api/v1/site/uid-hash",
        &json!({"site_uid": "a".repeat(256)}),
    )
    .await
    .err(422, "too_long");
}

async fn verified(app: &TestApp, uid: &str, hash: &str) -> bool {
    app.chat(&app.v2_url(&format!("site_uid=('{uid}'),site_uid_hash=('{hash}')")))
        .await
        .verified
}

async fn rotating_the_secret_retires_old_hashes(app: TestApp) {
    let shown = app.get("/api/v1/site/secret").await;
    assert_eq!(
        shown
            .headers
            .get("cache-control")
            .unwrap()
            .to_str()
            .unwrap(),
        "no-store"
    );
    assert_eq!(shown.body["secret"], app.secret.as_str());

    let old = app
        .post("/api/v1/site/uid-hash", &json!({"site_uid": "member01"}))
        .await
        .ok();
    let old_hash = old["site_uid_hash"].as_str().unwrap().to_owned();
    assert_eq!(
        old_hash,
        sangdam_core::site_uid_hash(app.secret.as_bytes(), "member01")
    );
    assert!(verified(&app, "member01", &old_hash).await);

    let rotated = app
        .post("/api/v1/site/secret/rotate", &json!({}))
        .await
        .ok();
    let new_secret = rotated["secret"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, app.secret);
    assert_eq!(
        app.get("/api/v1/site/secret").await.ok()["secret"],
        new_secret
    );
    assert!(!verified(&app, "member01", &old_hash).await);

    let new_hash = app
        .post("/api/v1/site/uid-hash", &json!({"site_uid": "member01"}))
        .await
        .ok()["site_uid_hash"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new_hash, old_hash);
    assert!(verified(&app, "member01", &new_hash).await);
}

async fn only_the_admin_gets_in(app: TestApp) {
    let (_, agent) = app.agent("plain-agent", Role::Agent).await;
    let (_, manager) = app.agent("a-manager", Role::Manager).await;
    let calls = [
        (Method::GET, "/api/v1/site", None),
        (Method::PUT, "/api/v1/site/settings", Some(json!({}))),
        (Method::GET, "/api/v1/site/secret", None),
        (Method::POST, "/api/v1/site/secret/rotate", Some(json!({}))),
        (
            Method::POST,
            "/api/v1/site/uid-hash",
            Some(json!({"site_uid": "x"})),
        ),
        (Method::GET, "/api/v1/site/chat-urls", None),
    ];
    for (method, path, body) in &calls {
        for token in [&agent, &manager] {
            app.request(method.clone(), path, Some(token), body.as_ref())
                .await
                .err(403, "forbidden");
        }
        app.request(method.clone(), path, None, body.as_ref())
            .await
            .err(401, "unauthorized");
        app.request(method.clone(), path, Some("wrong"), body.as_ref())
            .await
            .err(401, "unauthorized");
    }
    // The secret did not change through any of those.
    assert_eq!(
        app.get("/api/v1/site/secret").await.ok()["secret"],
        app.secret.as_str()
    );

    // The page: a login first; a non-admin is told, with 403; the admin gets it.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = format!("{}/admin/parameters", app.base);
    let anonymous = http.get(&page).send().await.unwrap();
    assert_eq!(anonymous.status(), 303);
    assert!(
        anonymous.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    let denied = http.get(&page).bearer_auth(&agent).send().await.unwrap();
    assert_eq!(denied.status(), 403);
    let html = denied.text().await.unwrap();
    assert!(html.contains("권한이 없습니다"), "{html}");
    assert!(!html.contains("slots-form"));
    let admin = http
        .get(format!("{page}?lang=en"))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    assert_eq!(admin.status(), 200);
    let html = admin.text().await.unwrap();
    assert!(html.contains("Parameter management"));
    assert!(
        !html.contains(&app.secret),
        "the secret is not in the page until revealed"
    );
}
