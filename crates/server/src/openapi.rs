//! The OpenAPI document served at `/api/openapi.json`: every route the router has, with its
//! request and answer in short. Kept beside the router so both change together.

use axum::Json;
use serde_json::{Value, json};

fn op(summary: &str, auth: bool) -> Value {
    let mut v = json!({
        "summary": summary,
        "responses": {
            "200": {"description": "OK"},
            "4XX": {"description": "{\"error\": {\"code\", \"message\", \"details\"}}"}
        }
    });
    if auth {
        v["security"] = json!([{"session": []}, {"bearer": []}]);
    }
    v
}

pub async fn document() -> Json<Value> {
    Json(json!({
        "openapi": "3.0.3",
        "info": {"title": "Sangdam API", "version": env!("CARGO_PKG_VERSION")},
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE},
                "bearer": {"type": "http", "scheme": "bearer"}
            }
        },
        "paths": {
            "/healthz": {"get": op("Server and database answer", false)},
            "/api/v1/auth/login": {"post": op("Log in with {login, password}; sets the session cookie", false)},
            "/api/v1/auth/logout": {"post": op("End the session", false)},
            "/api/v1/me": {"get": op("The calling agent", true)},
            "/api/v1/agents": {
                "get": op("The site's accounts {agents: [{id, login, display_name, role, status}]} (managers, admin)", true),
                "post": op("Add an account {login, display_name, role?: agent|manager, password?, api_token?: bool} → 201 {agent, password? (generated, shown once), api_token? (shown once)} (admin)", true)
            },
            "/api/v1/consultations": {"get": op("Consultations of the site, newest first; ?state=waiting|in_progress|closed|…&channel=kakao|naver|webchat_v1|webchat_v2&mine=true&limit=N", true)},
            "/api/v1/consultations/{id}": {"get": op("A consultation with its inflows (parameters, warnings) and messages", true)},
            "/api/v1/consultations/{id}/take": {"post": op("Take a waiting consultation", true)},
            "/api/v1/consultations/{id}/close": {"post": op("Close; body {end_type?: agent|customer|manager|auto_close}", true)},
            "/api/v1/consultations/{id}/messages": {"post": op("Agent reply {body}; answer says how it was delivered", true)},
            "/api/v1/rooms": {"get": op("Rooms with their latest consultation, newest first; ?state=…&channel=…&limit=N", true)},
            "/api/v1/rooms/{id}": {"get": op("Room: channel, customer_key, profile_id, consultations with inflow parameters and warnings, link journal, info_url", true)},
            "/api/v1/rooms/{id}/messages": {"get": op("Messages of a room; ?after=N", true)},
            "/api/v1/rooms/{id}/link-preview": {"get": op("Which profile the room would join with ?site_uid=X", true)},
            "/api/v1/rooms/{id}/site_uid": {"put": op("Set or correct the room's ID {site_uid}; journaled", true)},
            "/api/v1/links/{id}/undo": {"post": op("Undo a link (the room's latest one in force)", true)},
            "/api/v1/profiles/{id}": {
                "get": op("Profile: site_uid, verified, name, phone, mobile, email, custom, rooms, history across channels", true),
                "patch": op("Edit {name?, phone?, email?}; mobile is refused (mobile_not_editable)", true)
            },
            "/api/v1/profiles/{id}/mobile-verifications": {"post": op("Record a verified mobile {mobile, method: sms|kakao_sync|other} (admin credential)", true)},
            "/api/v1/console/ws": {"get": op("WebSocket: consultation and message events; managers and admins get the whole site's, agents the queue's and their own consultations'; send {type: watch, room_id} to also follow one open room (null stops)", true)},
            "/api/v1/webchat/{site_id}/sessions": {"post": op("Open a chat URL {url, channel?: webchat_v1|webchat_v2, visitor?} → {visitor, room_id, consultation_id, customer_key, verified, sees_history, warnings}", false)},
            "/api/v1/webchat/{site_id}/messages": {
                "get": op("The visitor's messages; X-Sangdam-Visitor header or ?visitor=; ?after=N", false),
                "post": op("The customer writes {body, client_msg_id?}; a retry with the same client_msg_id is stored once", false)
            },
            "/api/v1/webchat/{site_id}/ws": {"get": op("WebSocket for the chat window; ?visitor=&after=N; frames {type: message|consultation|ack|error}; a message the window sent comes back only as its ack", false)},
            "/api/v1/site": {"get": op("The site's parameter and identity settings: name, settings {slots[10] {enabled, description}, sentinels}, require_verified_uid, info_url_template, channel_urls {kakao, naver}, template_variables (admin)", true)},
            "/api/v1/site/settings": {"put": op("Save {slots?, sentinels?, require_verified_uid?, info_url_template?, channel_urls?}; each part given replaces the stored one; 422 invalid_settings with details.errors [{field, code, message, values}] changes nothing (admin)", true)},
            "/api/v1/site/secret": {"get": op("Reveal the site secret (admin)", true)},
            "/api/v1/site/secret/rotate": {"post": op("Issue a new site secret → {secret}; hashes made with the old one stop verifying (admin)", true)},
            "/api/v1/site/uid-hash": {"post": op("{site_uid} → {site_uid, site_uid_hash} under the current secret, for testing (admin)", true)},
            "/api/v1/site/chat-urls": {"get": op("Per channel {channel, base, url, problem} with the enabled custom parameters as placeholders, and the web chat v2 button snippet (admin)", true)},
            "/kakao/{site_id}/skill": {"post": op("Kakao i Open Builder skill request → skill response", false)},
            "/naver/{site_id}/webhook": {"post": op("Naver TalkTalk webhook events", false)}
        }
    }))
}
