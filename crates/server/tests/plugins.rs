//! The bot's channels and plugins over HTTP (R6.1, R6.2): each plugin refused naming the first
//! item of its checklist the site lacks, set up on the channel the bot is linked to, and the
//! plugins set up on the development channel stopped — and said so, with what to redo — when
//! that channel is unlinked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{TestApp, verify_business};
use serde_json::{Value, json};

both!(plugins_follow_their_checklists_and_their_channel,);

fn plugin<'a>(view: &'a Value, name: &str) -> &'a Value {
    view["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["plugin"] == name)
        .unwrap()
}

fn unmet(p: &Value) -> Vec<String> {
    p["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["met"] == false)
        .map(|c| c["check"].as_str().unwrap().to_owned())
        .collect()
}

async fn enable(app: &TestApp, name: &str) -> common::Resp {
    app.put(&format!("/api/v1/site/plugins/{name}"), &json!({}))
        .await
}

async fn plugins_follow_their_checklists_and_their_channel(app: TestApp) {
    let view = app.get("/api/v1/site/plugins").await.ok();
    let profile = plugin(&view, "profile");
    assert_eq!(profile["enabled"], false);
    assert_eq!(
        unmet(profile),
        [
            "business_verified",
            "business_channel_linked",
            "personal_info_review"
        ]
    );
    assert_eq!(unmet(plugin(&view, "consultation")), ["business_verified"]);

    // Refused, naming the first item missing.
    let refused = enable(&app, "profile")
        .await
        .err(403, "plugin_check_missing");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("not verified"),
        "{refused}"
    );
    enable(&app, "no_such_plugin").await.err(404, "not_found");

    verify_business(&app).await;
    // Verified, but the bot is linked to no channel yet.
    enable(&app, "consultation").await.err(409, "conflict");
    app.put(
        "/api/v1/site/bot-channels",
        &json!({"development_channel": "@shop dev"}),
    )
    .await
    .err(422, "invalid_field");
    app.put(
        "/api/v1/site/bot-channels",
        &json!({"development_channel": "@shop_dev"}),
    )
    .await
    .ok();
    let on_dev = enable(&app, "consultation").await.ok();
    assert_eq!(plugin(&on_dev, "consultation")["slot"], "development");
    let refused = enable(&app, "profile")
        .await
        .err(403, "plugin_check_missing");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("business channel is not linked"),
        "{refused}"
    );

    // The app's reviews passed: the profile plugin is set up on the development channel.
    let flags = json!({"development_channel": "@shop_dev", "business_channel_linked": true,
                       "personal_info_review": true});
    app.put("/api/v1/site/bot-channels", &flags).await.ok();
    let view = enable(&app, "profile").await.ok();
    assert_eq!(plugin(&view, "profile")["enabled"], true);
    assert_eq!(plugin(&view, "profile")["slot"], "development");

    // Kakao Sync needs the sign-up terms' review and both channels on one app.
    let both = json!({"development_channel": "@shop_dev", "operating_channel": "@shop",
                      "business_channel_linked": true, "personal_info_review": true});
    app.put("/api/v1/site/bot-channels", &both).await.ok();
    let refused = enable(&app, "kakao_sync")
        .await
        .err(403, "plugin_check_missing");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("sign-up terms"),
        "{refused}"
    );
    let mut all = both.clone();
    all["sync_terms_review"] = json!(true);
    all["channels_same_app"] = json!(true);
    app.put("/api/v1/site/bot-channels", &all).await.ok();
    let view = enable(&app, "kakao_sync").await.ok();
    assert_eq!(plugin(&view, "kakao_sync")["slot"], "operating");

    // Unlinking the development channel stops what was set up on it, and says so.
    let mut unlinked = all.clone();
    unlinked["development_channel"] = Value::Null;
    let view = app.put("/api/v1/site/bot-channels", &unlinked).await.ok();
    assert_eq!(view["broken_now"], json!(["profile", "consultation"]));
    for name in ["profile", "consultation"] {
        let p = plugin(&view, name);
        assert_eq!(
            (p["enabled"].clone(), p["broken"].clone()),
            (json!(false), json!(true))
        );
        assert!(
            p["broken_reason"]
                .as_str()
                .unwrap()
                .contains("development channel, which was unlinked"),
            "{p}"
        );
    }
    assert_eq!(plugin(&view, "kakao_sync")["enabled"], true);
    // Saving again breaks nothing more.
    let again = app.put("/api/v1/site/bot-channels", &unlinked).await.ok();
    assert_eq!(again["broken_now"], json!([]));

    // Set up again, now on the operating channel.
    let view = enable(&app, "profile").await.ok();
    let profile = plugin(&view, "profile");
    assert_eq!(profile["enabled"], true);
    assert_eq!(profile["broken"], false);
    assert_eq!(profile["slot"], "operating");

    // Taken off; one never set up is not found.
    app.request(
        reqwest::Method::DELETE,
        "/api/v1/site/plugins/location",
        Some(&app.token),
        None,
    )
    .await
    .err(404, "not_found");
    let view = app
        .request(
            reqwest::Method::DELETE,
            "/api/v1/site/plugins/profile",
            Some(&app.token),
            None,
        )
        .await
        .ok();
    assert_eq!(plugin(&view, "profile")["enabled"], false);
    assert_eq!(plugin(&view, "profile")["slot"], Value::Null);
}
